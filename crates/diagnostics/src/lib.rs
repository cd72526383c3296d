//! Findings about an edition's inputs, and how they are shown to editors.
//!
//! Every finding names a file, line and column, says what is wrong, and (where
//! it can) how to fix it. The same findings print as compiler-style plain lines
//! (`path:line:col: error: …`), as source snippets (miette), or as JSON.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How serious a finding is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in content or annotations.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the edition root where possible.
    pub file: PathBuf,
    /// 1-based line (0 when the finding is about the whole file).
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The file's text, for snippets (not serialised).
    #[serde(skip)]
    pub source: Option<Arc<str>>,
}

impl Finding {
    /// An error at `file:line:column`.
    pub fn error(file: &Path, line: u64, column: u64, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
            source: None,
        }
    }

    /// A warning at `file:line:column`.
    pub fn warning(file: &Path, line: u64, column: u64, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(file, line, column, message)
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the file's text so the finding can be shown with a snippet.
    pub fn with_source(mut self, source: &Arc<str>) -> Self {
        self.source = Some(source.clone());
        self
    }

    /// `path:line:col: error: message` plus an indented `help:` line.
    pub fn plain(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut s = format!(
            "{}:{}:{}: {kind}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        );
        if let Some(help) = &self.help {
            let _ = write!(s, "\n    help: {help}");
        }
        s
    }

    /// The finding as a miette report with the source snippet, when the source is known.
    pub fn snippet(&self) -> String {
        self.snippet_themed(miette::GraphicalTheme::unicode_nocolor())
    }

    /// [`Finding::snippet`] in colour, for a terminal.
    pub fn snippet_in_colour(&self) -> String {
        self.snippet_themed(miette::GraphicalTheme::unicode())
    }

    fn snippet_themed(&self, theme: miette::GraphicalTheme) -> String {
        let Some(source) = &self.source else {
            return self.plain();
        };
        let offset = byte_offset(source, self.line, self.column);
        let report = SnippetReport {
            finding: self,
            source: miette::NamedSource::new(self.file.display().to_string(), source.clone()),
            span: (offset, 0).into(),
        };
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(theme);
        if handler.render_report(&mut out, &report).is_err() {
            return self.plain();
        }
        let first = self.plain();
        let first = first.lines().next().unwrap_or_default();
        format!("{first}\n{out}")
    }
}

/// Byte offset of a 1-based line and character column in `text` (clamped).
fn byte_offset(text: &str, line: u64, column: u64) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let col = line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line_text.len(), |(i, _)| i);
    start + col
}

#[derive(Debug)]
struct SnippetReport<'a> {
    finding: &'a Finding,
    source: miette::NamedSource<Arc<str>>,
    span: miette::SourceSpan,
}

impl std::fmt::Display for SnippetReport<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for SnippetReport<'_> {}

impl miette::Diagnostic for SnippetReport<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".into()), self.span),
        )))
    }
}

/// Sorts findings by file, position, severity and message, so reports are stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// How many of `findings` are errors.
pub fn count_errors(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

/// Up to three candidates closest to `wanted`, for "did you mean" help.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// serde-saphyr's message without its own snippet and position (a finding
/// adds its own).
pub fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // Drop a trailing " at line X, column Y" that duplicates our location.
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// The YAML library's message in an editor's words, with what to do next.
/// Its own phrasing speaks of Rust types and its API (`invalid u64`, `use
/// Option<String>`, `set DuplicateKeyPolicy`), which an editor cannot act on.
pub fn editor_words(message: &str) -> (String, Option<String>) {
    let say = |m: &str, h: &str| (m.to_string(), Some(h.to_string()));
    let word = |m: &str| {
        m.split(['`', ',', ' '])
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_string()
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected = rest.split("expected ").nth(1).unwrap_or("");
        let names: Vec<&str> = expected
            .split(['`', ',', ' '])
            .filter(|s| !s.is_empty() && *s != "or" && *s != "one" && *s != "of")
            .collect();
        let near = nearest(field, names.iter().copied());
        let help = match near.first() {
            Some(n) => format!("did you mean `{n}`? Unknown keys are never ignored."),
            None => format!(
                "remove the key or fix its spelling; the keys here are {}",
                names.join(", ")
            ),
        };
        return (format!("unknown key `{field}`"), Some(help));
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = word(rest);
        return say(
            &format!("the key `{key}` is written twice in the same entry"),
            "keep one of them; to add another entry, start it on a new line with `- `",
        );
    }
    if message.starts_with("multiple YAML documents") {
        return say(
            "the file holds several YAML documents (separated by `---`); an annotation file holds one",
            "remove the `---` line, or move the second part into a file of its own",
        );
    }
    if message.starts_with("cannot deserialize null") {
        return say(
            "this key has no value",
            "write the value after the colon, or remove the key",
        );
    }
    if let Some(kind) = message.strip_prefix("invalid ") {
        return match kind.trim() {
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => say(
                "expected a whole number here, written in digits",
                "write the number in digits, e.g. `occurrence: 2`",
            ),
            "boolean" | "bool" => say("expected `true` or `false` here", "write `true` or `false`"),
            _ => (
                format!("this is not valid YAML: {message}"),
                Some(
                    "check the quotes, colons and indentation on this line and the ones above it"
                        .to_string(),
                ),
            ),
        };
    }
    if message.starts_with("expected string") {
        return say(
            "expected text here, not a list or a set of keys",
            "write the text after the colon, in double quotes if it holds `:`, `#`, `[` or `{`",
        );
    }
    if message.starts_with("expected sequence") {
        return say(
            "expected a list here",
            "write each entry on its own line, starting with `- `, as in annotations/README.md",
        );
    }
    if message.starts_with("expected mapping") || message.starts_with("expected struct") {
        return say(
            "expected keys and values here (`key: value`, one per line)",
            SEE_README,
        );
    }
    if message.contains("unknown anchor") {
        return say(
            "`*name` refers to an anchor `&name` that is not defined before it",
            "define the anchor first, or write the value out instead of `*name`",
        );
    }
    if message.contains("budget") || message.contains("alias") || message.contains("depth") {
        return say(
            "this YAML nests or repeats (through aliases `*name`) far more than an annotation file needs",
            "write the values out plainly instead of aliasing or nesting them",
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        return say(
            &format!("this entry has no `{key}:`"),
            &format!("add `{key}:` with its value; annotations/README.md shows each kind of entry"),
        );
    }
    if message.starts_with("unknown variant") {
        return (message.replace("unknown variant", "unknown value"), None);
    }
    (
        format!("this is not valid YAML: {message}"),
        Some(
            "check the quotes, colons and indentation on this line and the ones above it"
                .to_string(),
        ),
    )
}

/// Where an editor learns the format.
const SEE_README: &str = "annotations/README.md shows each kind of entry with an example";

/// A YAML error in an editor's words: [`yaml_message`] through [`editor_words`].
pub fn yaml_in_editor_words(e: &serde_saphyr::Error) -> (String, Option<String>) {
    editor_words(&yaml_message(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_snippet_forms() {
        let src: Arc<str> = Arc::from("a: 1\nreplce: x\n");
        let f = Finding::error(
            Path::new("annotations/x.yaml"),
            2,
            1,
            "unknown field `replce`",
        )
        .help("did you mean `replace`?")
        .with_source(&src);
        assert_eq!(
            f.plain(),
            "annotations/x.yaml:2:1: error: unknown field `replce`\n    help: did you mean `replace`?"
        );
        let snippet = f.snippet();
        assert!(snippet.contains("replce: x"), "{snippet}");
        assert!(snippet.contains("did you mean"), "{snippet}");
        assert!(
            !snippet.contains('\x1b'),
            "no colour unless asked: {snippet}"
        );
        let coloured = f.snippet_in_colour();
        assert!(coloured.contains('\x1b'), "{coloured}");
        assert!(coloured.contains("replce: x"), "{coloured}");
    }

    #[test]
    fn offsets_count_characters() {
        assert_eq!(byte_offset("é: x\nab", 1, 2), 2);
        assert_eq!(byte_offset("é: x\nab", 2, 2), 7);
        assert_eq!(byte_offset("x", 9, 9), 1);
    }

    #[test]
    fn nearest_ids() {
        assert_eq!(
            nearest("avri-dora", ["avri-doria", "vint-cerf"]),
            ["avri-doria"]
        );
    }
}
