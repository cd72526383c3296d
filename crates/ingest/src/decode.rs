//! Bytes to lines: UTF-8 repair, line endings and the typographic spaces and
//! hyphens that captioning software emits.

use super::model::InputProblem;
use std::borrow::Cow;
use verbatim_text::normalise;

/// One input line, as read and as normalised for parsing. Both borrow the
/// decoded text where they can: most lines need no change, and each copy of
/// every line of every transcript was a measurable share of a build.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// 1-based line number in the input.
    pub number: usize,
    /// The line as decoded (CR removed), kept for omission reports.
    pub raw: &'a str,
    /// Tabs and exotic spaces as plain spaces, U+2011 as `-`, trimmed at both ends.
    pub text: Cow<'a, str>,
}

/// Decodes `bytes` as text, whatever encoding the archive saved it in.
///
/// Valid UTF-8 (nearly every transcript) is borrowed as it is, without its
/// BOM. A UTF-16 file (by its BOM, or by the zero bytes of mostly-ASCII text)
/// is decoded as such. A file that is UTF-8 but for a few bad bytes keeps its
/// UTF-8 and the bad bytes become U+FFFD; a file whose non-ASCII bytes are
/// mostly not UTF-8 was saved in a legacy encoding (Windows-1252, Latin-1 and
/// their kin in older archives), which `chardetng` guesses from the bytes.
/// Whatever was repaired or guessed is reported once for the file, with a
/// count and the first place, never once per byte: a file of bad bytes is one
/// warning, and decoding stays linear in the input.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Vec<InputProblem>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest);
    }
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        // A UTF-16 BOM names the encoding beyond doubt.
        return decode_with(encoding, bytes, None);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return decode_with(encoding, bytes, None);
    }
    let Err(first) = std::str::from_utf8(bytes) else {
        return decode_utf8(bytes);
    };
    if mostly_utf8(bytes) {
        return decode_utf8(bytes);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    decode_with(encoding, bytes, Some(first.valid_up_to()))
}

/// UTF-8, with each invalid sequence replaced by U+FFFD and one report for all.
fn decode_utf8(bytes: &[u8]) -> (Cow<'_, str>, Vec<InputProblem>) {
    let first_bad = match std::str::from_utf8(bytes) {
        Ok(valid) => return (Cow::Borrowed(valid), Vec::new()),
        Err(e) => e.valid_up_to(),
    };
    let count = bytes
        .utf8_chunks()
        .filter(|chunk| !chunk.invalid().is_empty())
        .count();
    let text = String::from_utf8_lossy(bytes).into_owned();
    let (line, column) = position(&bytes[..first_bad]);
    let problem = InputProblem {
        line,
        column,
        message: format!(
            "{count} invalid UTF-8 sequence{s} replaced by U+FFFD (the first here); \
             re-save the file as UTF-8 to fix {them}",
            s = if count == 1 { "" } else { "s" },
            them = if count == 1 { "it" } else { "them" },
        ),
    };
    (Cow::Owned(text), vec![problem])
}

/// Text in `encoding`; `not_utf8_at` is the first byte that is not UTF-8 when
/// the encoding was guessed, so the editor learns it was a guess and where
/// the file stops being UTF-8.
fn decode_with(
    encoding: &'static encoding_rs::Encoding,
    bytes: &[u8],
    not_utf8_at: Option<usize>,
) -> (Cow<'static, str>, Vec<InputProblem>) {
    let (text, used, malformed) = encoding.decode(bytes);
    let text = text.into_owned();
    let mut problems = Vec::new();
    if let Some(at) = not_utf8_at {
        let (line, column) = position(&bytes[..at]);
        problems.push(InputProblem {
            line,
            column,
            message: format!(
                "the file is not UTF-8 (the first such byte here): read as {}, guessed from its \
                 bytes; if letters look wrong, re-save the file as UTF-8",
                used.name()
            ),
        });
    }
    if malformed {
        let count = text.matches('\u{FFFD}').count();
        problems.push(InputProblem {
            line: 1,
            column: 1,
            message: format!(
                "{count} byte sequence{s} not valid in {} replaced by U+FFFD; \
                 re-save the file as UTF-8 to fix {them}",
                used.name(),
                s = if count == 1 { "" } else { "s" },
                them = if count == 1 { "it" } else { "them" },
            ),
        });
    }
    (Cow::Owned(text), problems)
}

/// UTF-16 saved without a BOM: text that is mostly ASCII has a zero byte in
/// every other place, on the high byte's side.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 7 && even * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Whether bytes that are not valid UTF-8 are still mostly UTF-8: more of
/// their multi-byte characters are whole than broken (at least as many). A UTF-8 file with a few
/// stray bytes must not be read as Windows-1252, which would turn every one
/// of its accented letters into two.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut whole, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        whole += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += usize::from(!chunk.invalid().is_empty());
    }
    whole > 0 && whole >= broken
}

/// The 1-based line and column (in characters) just after `before`.
fn position(before: &[u8]) -> (usize, usize) {
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The decoded text's lines, numbered from 1, each normalised.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    // Sized up front: grown by doubling, a file of short lines would hold
    // twice its lines' worth for a moment.
    let bytes = text.as_bytes();
    let breaks = match memchr::memchr_iter(b'\n', bytes).count() {
        0 => memchr::memchr_iter(b'\r', bytes).count(),
        lf => lf,
    };
    let mut lines = Vec::with_capacity(breaks + 1);
    lines.extend(raw_lines(text).enumerate().map(|(i, raw)| Line {
        number: i + 1,
        raw,
        text: normalise(raw),
    }));
    lines
}

/// The decoded text's lines as written, without their line endings.
///
/// Lines end at LF or CRLF. A file saved with old Mac line endings (CR
/// alone) has its lines end at every CR instead: such a file is recognised by
/// having more lone CRs than LFs; elsewhere a stray CR inside a line is
/// layout, which [`normalise`] reads as a space.
pub fn raw_lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let cr = memchr::memchr_iter(b'\r', bytes).count();
    // Only a file with more CRs than LFs can have more lone CRs than LFs.
    let cr_ends_lines = cr > lf && cr - memchr::memmem::find_iter(bytes, b"\r\n").count() > lf;
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        let end = if cr_ends_lines {
            memchr::memchr2(b'\n', b'\r', current.as_bytes())
        } else {
            memchr::memchr(b'\n', current.as_bytes())
        };
        let Some(i) = end else {
            rest = None;
            return Some(current);
        };
        let after = if current[i..].starts_with("\r\n") {
            i + 2
        } else {
            i + 1
        };
        rest = Some(&current[after..]);
        let line = &current[..i];
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_tabs_nbsp_and_nonbreaking_hyphen_are_normalised() {
        let (text, problems) = decode("a\tb\u{00A0}c\r\nmulti\u{2011}stakeholder\r\n".as_bytes());
        let lines = lines(&text);
        assert!(problems.is_empty());
        assert_eq!(lines[0].text, "a b c");
        assert_eq!(lines[0].raw, "a\tb\u{00A0}c");
        assert_eq!(lines[1].text, "multi-stakeholder");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported_once_with_the_first_position() {
        let (text, problems) =
            decode(b"fine caf\xC3\xA9, na\xC3\xAFve\nbad \xFF byte \xFE\xFD \xC3\xA9\n");
        let lines = lines(&text);
        assert_eq!(lines[1].text, "bad \u{FFFD} byte \u{FFFD}\u{FFFD} é");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (2, 5));
        assert!(problems[0].message.starts_with("3 invalid UTF-8 sequences"));
    }

    #[test]
    fn truncated_sequence_at_end_is_reported() {
        let (text, problems) = decode(b"caf\xC3\xA9 caf\xC3");
        let lines = lines(&text);
        assert_eq!(lines[0].text, "café caf\u{FFFD}");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn a_file_of_bad_bytes_is_one_warning_not_one_per_byte() {
        let bytes = vec![0xFF; 100_000];
        let (_, problems) = decode(&bytes);
        assert!(problems.len() <= 2, "{problems:?}");
    }

    #[test]
    fn windows_1252_is_recognised_and_decoded() {
        // Curly quotes, an accented name and a dash, as a 2008 page saved them.
        let (text, problems) =
            decode(b"MR. JOS\xC9 P\xC9REZ: We call it \x93multistakeholder\x94 \x96 and so on.\n");
        assert_eq!(
            text,
            "MR. JOSÉ PÉREZ: We call it \u{201C}multistakeholder\u{201D} \u{2013} and so on.\n"
        );
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("windows-1252"), "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (1, 8));
    }

    #[test]
    fn utf16_with_and_without_bom_is_decoded() {
        let utf16le = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>()
        };
        let utf16be = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_be_bytes)
                .collect::<Vec<u8>>()
        };
        let speech = ">> CHAIR: Bienvenue à Genève.\r\n";
        for bytes in [
            [vec![0xFF, 0xFE], utf16le(speech)].concat(),
            [vec![0xFE, 0xFF], utf16be(speech)].concat(),
            utf16le(speech),
            utf16be(speech),
        ] {
            let (text, problems) = decode(&bytes);
            assert_eq!(text, speech);
            assert!(problems.is_empty(), "{problems:?}");
        }
    }

    #[test]
    fn old_mac_line_endings_end_lines() {
        let (text, _) = decode(b"IGF 2008\r\r>> A B: One.\r>> C D: Two.\r");
        let read: Vec<_> = lines(&text).into_iter().map(|l| l.text).collect();
        assert_eq!(read, ["IGF 2008", "", ">> A B: One.", ">> C D: Two.", ""]);
        // In a file of LFs, a stray CR is layout.
        let (text, _) = decode(b"a\rb\r\nc\n");
        let read: Vec<_> = lines(&text).into_iter().map(|l| l.text).collect();
        assert_eq!(read, ["a b", "c", ""]);
    }

    #[test]
    fn bom_is_dropped() {
        let (text, _) = decode(b"\xEF\xBB\xBFhello");
        let lines = lines(&text);
        assert_eq!(lines[0].text, "hello");
    }
}
