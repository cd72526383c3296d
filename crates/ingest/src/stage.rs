//! Stage notes: the captioner's bracketed remarks about the room, not speech.

use super::model::{StageKind, StageNote};
use regex::Regex;
use std::sync::LazyLock;

/// A parenthesised or bracketed remark short enough to be a note:
/// `(Laughter)`, `((inaudible))`, `[ Applause ]`, `(?)`.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\(\s*[^()]{1,80}?\s*\)\)|\(\s*[^()]{1,80}?\s*\)|\[\s*[^\[\]]{1,80}?\s*\]")
        .expect("valid regex")
});

/// Classifies the inside of a bracketed remark; `None` when it is ordinary
/// text such as an acronym `(IGF)` or an aside `(Part II)`.
pub fn classify(inner: &str) -> Option<StageKind> {
    let s = inner
        .trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ' ' | '.'))
        .to_lowercase();
    if !s.is_empty() && s.chars().all(|c| c == '?' || c == ' ') {
        return Some(StageKind::Inaudible);
    }
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&["laughter", "laughs", "laughing", "chuckl"]) {
        Some(StageKind::Laughter)
    } else if has(&["applause", "clapping", "applauding"]) {
        Some(StageKind::Applause)
    } else if has(&[
        "inaudible",
        "unintelligible",
        "indiscernible",
        "unclear",
        "not audible",
        "audio",
        "off mic",
        "off-mic",
        "no mic",
        "garbled",
        "muffled",
    ]) {
        Some(StageKind::Inaudible)
    } else if has(&[
        "concluded",
        "adjourned",
        "end of meeting",
        "end of session",
        "end of the session",
        "session ended",
        "meeting ended",
        "meeting closed",
        "session closed",
    ]) {
        Some(StageKind::End)
    } else if has(&[
        "speaking ",
        "in spanish",
        "in french",
        "in arabic",
        "in russian",
        "in chinese",
        "in portuguese",
        "language",
        "interpret",
        "translat",
        "english",
    ]) {
        Some(StageKind::Language)
    } else if has(&[
        "pause",
        "silence",
        "crosstalk",
        "cross talk",
        "cross-talk",
        "music",
        "video",
        "recess",
        "break",
        "no response",
        "background",
        "technical difficult",
        "microphone",
        "captioner",
        "off the record",
        "recording",
        "overlapping",
        "sound",
    ]) {
        Some(StageKind::Other)
    } else {
        None
    }
}

/// Finds the stage notes inside a paragraph's text.
pub fn find_notes(text: &str) -> Vec<StageNote> {
    BRACKETED
        .find_iter(text)
        .filter_map(|m| {
            classify(m.as_str()).map(|kind| StageNote {
                kind,
                start: m.start(),
                end: m.end(),
            })
        })
        .collect()
}

/// When the whole paragraph is one stage note (`(Laughter).`), its kind.
pub fn whole_paragraph(text: &str, notes: &[StageNote]) -> Option<StageKind> {
    match notes {
        [note] => {
            let outside = format!("{}{}", &text[..note.start], &text[note.end..]);
            outside
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '.' | ',' | ';'))
                .then_some(note.kind)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_in_any_case_and_bracket() {
        let cases = [
            ("(?)", StageKind::Inaudible),
            ("(inaudible)", StageKind::Inaudible),
            ("((inaudible))", StageKind::Inaudible),
            ("[ Applause ]", StageKind::Applause),
            ("(Laughter)", StageKind::Laughter),
            ("(LAUGHTER)", StageKind::Laughter),
            ("(Concluded at 12:21)", StageKind::End),
            ("(end of meeting 5:32 a.m.)", StageKind::End),
            ("(Speaking Spanish)", StageKind::Language),
            ("(speaking non English language)", StageKind::Language),
            ("(Pause)", StageKind::Other),
        ];
        for (text, kind) in cases {
            let notes = find_notes(text);
            assert_eq!(notes.len(), 1, "{text}");
            assert_eq!(notes[0].kind, kind, "{text}");
            assert_eq!(&text[notes[0].start..notes[0].end], text);
        }
    }

    #[test]
    fn asides_and_acronyms_are_not_notes() {
        assert!(find_notes("the Internet Governance Forum (IGF) and (Part II)").is_empty());
        assert!(find_notes("+41 (0) 229").is_empty());
    }

    #[test]
    fn inline_and_whole_paragraph_notes() {
        let text = "a delicate balance (?) at the same time";
        let notes = find_notes(text);
        assert_eq!(notes.len(), 1);
        assert_eq!(whole_paragraph(text, &notes), None);
        let text = "(Laughter).";
        assert_eq!(
            whole_paragraph(text, &find_notes(text)),
            Some(StageKind::Laughter)
        );
    }
}
