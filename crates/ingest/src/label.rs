//! Recognising where a turn starts and the speaker label written there.
//!
//! Captioners mark turns with `>>`, usually followed by an upper-case name and a
//! colon. Real files also have `> >`, no colon, a dot or a quote instead of the
//! colon, Markdown bold, and files with no `>>` at all (`THE CHAIRMAN: …`).
//! The rules here accept those while refusing ordinary sentences that happen to
//! contain a colon (`>> The session is at 7:00.`). Which single words are
//! roles that label a turn (`>> Moderator:`) is the source profile's to say.

use super::profile::Profile;

/// Name particles allowed in lower case inside an upper-case label.
const PARTICLES: &[&str] = &[
    "de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von", "der",
    "den", "bin", "al", "el", "y", "of", "the", "from",
];

/// Whether a lower-case word is a name particle (`de`, `van`, `of`).
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// Longest label we believe; anything longer is prose.
const MAX_LABEL_CHARS: usize = 70;

/// Strips a leading turn marker (`>>`, `> >`, `>>>`), returning the rest.
pub fn strip_marker(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let rest = t.strip_prefix('>')?;
    let rest = rest.trim_start_matches(' ').strip_prefix('>')?;
    Some(rest.trim_start_matches('>').trim_start())
}

/// After a `>>` marker: the label (as written, without colon) and the spoken rest.
/// Returns `(None, text)` for an anonymous turn.
pub fn after_marker<'a>(text: &'a str, profile: &Profile) -> (Option<String>, &'a str) {
    if let Some((label, rest)) = bold_label(text, profile) {
        return (Some(label), rest);
    }
    if let Some((label, rest)) = colon_label(text, true, profile) {
        return (Some(label), rest);
    }
    if let Some((label, rest)) = uncoloned_label(text) {
        return (Some(label), rest);
    }
    (None, text)
}

/// A label in Markdown bold at the start of `text`: `**NAME:** rest` or `**NAME**: rest`.
pub fn bold_label<'a>(text: &'a str, profile: &Profile) -> Option<(String, &'a str)> {
    let inner = text.strip_prefix("**")?;
    let close = inner.find("**")?;
    let (body, after) = (&inner[..close], &inner[close + 2..]);
    let (candidate, rest) = if let Some(body) = body.trim_end().strip_suffix(':') {
        (body, after)
    } else {
        (body, after.trim_start().strip_prefix(':')?)
    };
    let candidate = candidate.trim();
    (is_upper_name(candidate) || is_title_name(candidate, profile))
        .then(|| (candidate.to_string(), rest.trim_start()))
}

/// A label before a colon: `NAME: rest`, `NAME : rest`, `NAME.: rest`, and the
/// captioner's slip `NAME" rest`. Mixed-case names are accepted only when
/// `allow_mixed` (after a `>>` marker, where a label is expected).
pub fn colon_label<'a>(
    text: &'a str,
    allow_mixed: bool,
    profile: &Profile,
) -> Option<(String, &'a str)> {
    // A label is short: look for its colon only where one could be.
    let head = &text.as_bytes()[..text.len().min(4 * MAX_LABEL_CHARS)];
    let idx = memchr::memchr2(b':', b'"', head)?;
    let sep = char::from(head[idx]);
    let candidate = text[..idx].trim();
    let rest = &text[idx + sep.len_utf8()..];
    // `5:15`, `http://`: a colon glued to what follows is not a label's,
    // except the captioner's slip `MARIA FLORES:They`, after an upper-case name.
    let glued = !(rest.is_empty() || rest.starts_with(char::is_whitespace));
    if glued && !(rest.starts_with(char::is_alphabetic) && is_upper_name(candidate)) {
        return None;
    }
    let accepted = if sep == '"' {
        is_upper_name(candidate) && candidate.split_whitespace().count() >= 2
    } else {
        is_upper_name(candidate) || (allow_mixed && is_title_name(candidate, profile))
    };
    accepted.then(|| (candidate.to_string(), rest.trim_start()))
}

/// A label with no colon: a run of at least two upper-case words followed by
/// ordinary mixed-case speech (`WOLFGANG KLEINWÄCHTER Ladies and gentlemen`).
fn uncoloned_label(text: &str) -> Option<(String, &str)> {
    let mut end = 0;
    let mut words = 0;
    let mut iter = text.char_indices().peekable();
    loop {
        // Skip spaces.
        while let Some(&(_, c)) = iter.peek() {
            if c == ' ' {
                iter.next();
            } else {
                break;
            }
        }
        let Some(&(start, _)) = iter.peek() else {
            return None; // the whole text is upper case: a shouted sentence, not a label
        };
        let mut stop = text.len();
        while let Some(&(i, c)) = iter.peek() {
            if c == ' ' {
                stop = i;
                break;
            }
            iter.next();
        }
        let word = &text[start..stop];
        if is_upper_word(word) {
            words += 1;
            end = stop;
        } else {
            let speech = word.chars().any(char::is_lowercase);
            if words >= 2 && speech && end <= MAX_LABEL_CHARS {
                let label = text[..end].trim();
                return Some((label.to_string(), text[end..].trim_start()));
            }
            return None;
        }
    }
}

/// An upper-case word of a name: letters (at least one), with `.`, `-`, `'`.
fn is_upper_word(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 1
        && word.chars().next().is_some_and(char::is_alphabetic)
        && word.chars().all(|c| {
            (c.is_alphabetic() && !c.is_lowercase()) || matches!(c, '.' | '-' | '\'' | '’')
        })
        && (letters >= 2 || word.ends_with('.'))
}

/// `AVRI DORIA`, `THE CHAIRMAN`, `AVRY DORIA.`, `MODERATOR (SPANISH)`,
/// `MARIA de LOURDES`: upper-case words, optional particles.
pub fn is_upper_name(candidate: &str) -> bool {
    if !plausible_shape(candidate) {
        return false;
    }
    let words: Vec<&str> = candidate.split_whitespace().collect();
    if words.len() > 8 {
        return false;
    }
    let has_upper_word = words.iter().any(|w| {
        let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | ','));
        is_upper_word(w)
    });
    has_upper_word
        && words.iter().enumerate().all(|(i, w)| {
            let w = w.trim_matches(|c: char| matches!(c, '(' | ')' | ','));
            is_upper_word(w)
                || w.chars().all(|c| c.is_ascii_digit())
                || (i > 0 && PARTICLES.contains(&w))
        })
}

/// `Vint Cerf`, `Moderator`, `Maria Santos (Host)`: capitalised words
/// (single words only when the profile knows them as roles), and a role in
/// parentheses after the name.
pub fn is_title_name(candidate: &str, profile: &Profile) -> bool {
    if !plausible_shape(candidate) {
        return false;
    }
    // `Maria Santos (Host)`: the name is what comes before the parentheses.
    let name = match candidate.split_once(" (") {
        Some((name, role)) if role.ends_with(')') && !role.contains('(') => name,
        _ => candidate,
    };
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.len() {
        0 => false,
        1 => profile.is_role_word(words[0]),
        n if n <= 5 => words.iter().enumerate().all(|(i, w)| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
                || (i > 0 && PARTICLES.contains(w))
                // `Speaker 1`, `Participant 12`: a role numbered.
                || (i > 0 && i == words.len() - 1 && w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit()) && profile.is_role_word(words[0]))
        }),
        _ => false,
    }
}

fn plausible_shape(candidate: &str) -> bool {
    !candidate.is_empty()
        && candidate.chars().count() <= MAX_LABEL_CHARS
        && candidate.chars().next().is_some_and(char::is_alphabetic)
        && candidate.chars().all(|c| {
            c.is_alphabetic()
                || c.is_ascii_digit()
                || matches!(
                    c,
                    ' ' | '.' | '-' | '\'' | '’' | '(' | ')' | ',' | '&' | '/'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(line: &str) -> (Option<String>, String) {
        let rest = strip_marker(line).expect("has a marker");
        let (label, text) = after_marker(rest, &Profile::default_profile());
        (label, text.to_string())
    }

    #[test]
    fn marker_variants() {
        assert_eq!(strip_marker(">> A"), Some("A"));
        assert_eq!(strip_marker(">>A"), Some("A"));
        assert_eq!(strip_marker("> > A"), Some("A"));
        assert_eq!(strip_marker(">>> A"), Some("A"));
        assert_eq!(strip_marker("> A"), None);
    }

    #[test]
    fn colon_labels_in_their_spellings() {
        assert_eq!(turn(">> AVRI DORIA: Hi").0.as_deref(), Some("AVRI DORIA"));
        assert_eq!(turn(">>AVRI DORIA: Hi").0.as_deref(), Some("AVRI DORIA"));
        assert_eq!(turn("> > AVRI DORIA: Hi").0.as_deref(), Some("AVRI DORIA"));
        assert_eq!(turn(">> AVRY DORIA.: Hi").0.as_deref(), Some("AVRY DORIA."));
        assert_eq!(turn(">> AVRI DORIA : Hi").0.as_deref(), Some("AVRI DORIA"));
        assert_eq!(turn(">> OLIVIER CRÉPIN-LEBLOND:  It's").1, "It's");
        assert_eq!(
            turn(">> JOE GATTUSO\" Great.").0.as_deref(),
            Some("JOE GATTUSO")
        );
        assert_eq!(turn(">> MARIA FLORES:They are").1, "They are");
    }

    #[test]
    fn label_without_colon() {
        let (label, rest) = turn(">> WOLFGANG KLEINWÄCHTER Ladies and gentlemen");
        assert_eq!(label.as_deref(), Some("WOLFGANG KLEINWÄCHTER"));
        assert_eq!(rest, "Ladies and gentlemen");
    }

    #[test]
    fn bold_labels() {
        assert_eq!(
            turn(">> **VINT CERF:** Yes").0.as_deref(),
            Some("VINT CERF")
        );
        assert_eq!(
            bold_label("**VINT CERF**: Yes", &Profile::default_profile()),
            Some(("VINT CERF".into(), "Yes"))
        );
        assert_eq!(bold_label("**Details**", &Profile::default_profile()), None);
    }

    #[test]
    fn mixed_case_labels() {
        assert_eq!(turn(">> Vint Cerf: Yes").0.as_deref(), Some("Vint Cerf"));
        assert_eq!(turn(">> Moderator: Yes").0.as_deref(), Some("Moderator"));
    }

    #[test]
    fn bare_and_anonymous_turns() {
        assert_eq!(turn(">> Thank you."), (None, "Thank you.".into()));
        assert_eq!(turn(">>"), (None, String::new()));
    }

    #[test]
    fn sentences_with_colons_are_not_labels() {
        for line in [
            ">> The session is at 7:00.",
            ">> So, should we say 5:30 as a pick-up?",
            ">> 5:15? I hear more like 5:15?",
            ">> Right. So that's why if you're here until 6:00",
            ">> Okay: let us start",
            ">> See http://example.org for more",
            ">> I SAID NO",
        ] {
            assert_eq!(turn(line).0, None, "{line}");
        }
    }

    #[test]
    fn bare_labels_need_upper_case() {
        assert_eq!(
            colon_label(
                "THE CHAIRMAN: We begin.",
                false,
                &Profile::default_profile()
            ),
            Some(("THE CHAIRMAN".into(), "We begin."))
        );
        let p = Profile::default_profile();
        assert_eq!(colon_label("Note: we begin.", false, &p), None);
        assert_eq!(colon_label("The Chairman: We begin.", false, &p), None);
    }
}
