//! Markdown (pages, notes, bios) to safe HTML: pulldown-cmark renders it,
//! syntect highlights code blocks with CSS classes (the theme styles them),
//! and ammonia removes anything that could run script.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::sync::LazyLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Class prefix for highlighted tokens; the theme's CSS styles `.hl-*`.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Renders Markdown to sanitised HTML. Script, event handlers and `javascript:`
/// links never survive, whatever the input.
pub fn to_html(markdown: &str) -> String {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None; // (language, text)
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => {
                        l.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, text)) = code.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    events.push(Event::Html(highlight(&lang, &text).into()));
                }
            }
            e => events.push(e),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html)
}

/// Markdown rendered inline (no wrapping paragraph), for one-line notes.
pub fn to_inline_html(markdown: &str) -> String {
    // Most notes are plain sentences: nothing for Markdown to read and nothing
    // for HTML to escape, so they come out as they went in (trimmed), without
    // parsing and sanitising each of an edition's hundred thousand notes; the
    // property test below holds this shortcut to the full path.
    if is_plain(markdown) {
        return markdown.trim().to_string();
    }
    let html = to_html(markdown);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Text Markdown leaves as it is: one line, no character with a meaning in
/// Markdown or HTML, not starting like a block (heading, list, quote, code).
fn is_plain(text: &str) -> bool {
    let t = text.trim();
    let first = t.chars().next();
    !t.is_empty()
        && t.chars().all(|c| {
            c == ' '
                || c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '?'
                        | '\''
                        | '"'
                        | '('
                        | ')'
                        | '/'
                        | '-'
                        | '’'
                        | '“'
                        | '”'
                        | '–'
                        | '—'
                )
        })
        && !first.is_some_and(|c| c.is_ascii_digit() || c == '-')
        && !t.contains("  ")
}

fn highlight(lang: &str, code: &str) -> String {
    let syntax = SYNTAXES
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!("<pre><code>{}</code></pre>", escape(code));
        }
    }
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    format!(
        "<pre class=\"hl\"><code{class}>{}</code></pre>",
        generator.finalize()
    )
}

/// The sanitiser's rules, built once: a `Builder` holds a dozen sets of tags and
/// attributes, and notes are sanitised one by one, thousands per build.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["class", "id"])
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    builder
});

fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    // Tera's own escaping (pulldown-cmark-escape, as released): the theme's
    // `text` and `attr` filters and Markdown's code blocks escape exactly as
    // autoescaped values elsewhere in the page. Writing into a Vec cannot fail.
    let mut out = Vec::with_capacity(s.len() + s.len() / 8);
    let _ = tera::escape_html(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_handlers_are_neutralised() {
        let html = to_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href=\"#\" onclick=\"x()\">y</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
    }

    #[test]
    fn code_blocks_are_highlighted_with_classes() {
        let html = to_html("```yaml\nfind: \"x\"\n```\n");
        assert!(html.contains("class=\"hl\""), "{html}");
        assert!(html.contains("hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn inline_notes_lose_their_paragraph() {
        assert_eq!(
            to_inline_html("The UN *Commission*."),
            "The UN <em>Commission</em>."
        );
    }
}

#[cfg(test)]
mod plain_tests {
    use proptest::prelude::*;

    proptest! {
        /// The plain-text shortcut gives what the full Markdown path gives.
        #[test]
        fn plain_notes_render_as_markdown_would(note in "[ a-zA-Z0-9.,;:?'\"()/’“”–—-]{1,40}") {
            if super::is_plain(&note) {
                let html = super::to_html(&note);
                let full = html.trim().strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")).unwrap_or(&html).to_string();
                prop_assert_eq!(super::to_inline_html(&note), full);
            }
        }
    }

    #[test]
    fn markdown_is_not_taken_for_plain_text() {
        for note in [
            "*stress*", "a <b>", "AT&T", "# Title", "1. one", "- item", "`code`", "[x](y)", "a  b",
            "a\nb",
        ] {
            assert!(!super::is_plain(note), "{note}");
        }
        assert!(super::is_plain(
            "Captioned as “initiative that started it”. Punctuation the captioner dropped."
        ));
    }
}
