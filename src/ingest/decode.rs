//! Bytes to lines: UTF-8 repair, line endings and the typographic spaces and
//! hyphens that captioning software emits.

use super::model::InputProblem;

/// One input line, as read and as normalised for parsing.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the input.
    pub number: usize,
    /// The line as decoded (CR removed), kept for omission reports.
    pub raw: String,
    /// Tabs and exotic spaces as plain spaces, U+2011 as `-`, trimmed at both ends.
    pub text: String,
}

/// Decodes `bytes` into lines. Invalid UTF-8 is replaced by U+FFFD and each
/// repair is reported with its line and column; a leading BOM is dropped.
pub fn decode(bytes: &[u8]) -> (Vec<Line>, Vec<InputProblem>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut problems = Vec::new();
    let mut text = String::with_capacity(bytes.len());
    let mut rest = bytes;
    // Track line/column of each invalid sequence as we go, so the report points
    // at the input the editor can open.
    let mut line = 1usize;
    let mut line_start = 0usize; // byte offset in `bytes` of the current line
    let mut consumed = 0usize;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(err) => {
                let (valid, after) = rest.split_at(err.valid_up_to());
                // SAFETY-free: `valid` is known valid UTF-8 by `valid_up_to`.
                let valid_str = std::str::from_utf8(valid).unwrap_or_default();
                for (i, b) in valid.iter().enumerate() {
                    if *b == b'\n' {
                        line += 1;
                        line_start = consumed + i + 1;
                    }
                }
                text.push_str(valid_str);
                consumed += valid.len();
                let bad = err.error_len().unwrap_or(after.len()).max(1);
                problems.push(InputProblem {
                    line,
                    column: consumed - line_start + 1,
                    message: format!(
                        "invalid UTF-8 ({} byte{}) replaced by U+FFFD; re-save the file as UTF-8 to fix it",
                        bad,
                        if bad == 1 { "" } else { "s" }
                    ),
                });
                text.push('\u{FFFD}');
                consumed += bad;
                rest = &after[bad..];
            }
        }
    }
    let lines = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let raw = raw.strip_suffix('\r').unwrap_or(raw).to_string();
            let text = normalise(&raw);
            Line {
                number: i + 1,
                raw,
                text,
            }
        })
        .collect();
    (lines, problems)
}

/// Normalises layout characters so that editors can quote text as they type it:
/// tabs, NBSP and other fixed-width spaces become spaces, U+2011 (non-breaking
/// hyphen) becomes `-`, lone CRs become spaces, and the line is trimmed.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t'
            | '\r'
            | '\u{00A0}'
            | '\u{2007}'
            | '\u{202F}'
            | '\u{2000}'..='\u{200A}'
            | '\u{3000}'
            | '\u{000B}'
            | '\u{000C}' => out.push(' '),
            '\u{2011}' | '\u{2010}' => out.push('-'),
            '\u{200B}' | '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Collapses runs of whitespace into single spaces.
pub fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_tabs_nbsp_and_nonbreaking_hyphen_are_normalised() {
        let (lines, problems) = decode("a\tb\u{00A0}c\r\nmulti\u{2011}stakeholder\r\n".as_bytes());
        assert!(problems.is_empty());
        assert_eq!(lines[0].text, "a b c");
        assert_eq!(lines[0].raw, "a\tb\u{00A0}c");
        assert_eq!(lines[1].text, "multi-stakeholder");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_with_position() {
        let (lines, problems) = decode(b"fine\nbad \xFF byte\n");
        assert_eq!(lines[1].text, "bad \u{FFFD} byte");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (2, 5));
        assert!(problems[0].message.contains("invalid UTF-8"));
    }

    #[test]
    fn truncated_sequence_at_end_is_reported() {
        let (lines, problems) = decode(b"caf\xC3");
        assert_eq!(lines[0].text, "caf\u{FFFD}");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn bom_is_dropped() {
        let (lines, _) = decode(b"\xEF\xBB\xBFhello");
        assert_eq!(lines[0].text, "hello");
    }
}
