//! Text functions every stage shares: the layout normalisation editors'
//! quotes and the parser's lines go through, whitespace squeezing and word
//! counts. They sit below ingest, annotate, search and the views, so that
//! none of those has to reach into another stage for them.

pub mod ascii;
pub mod calendar;
pub mod link;

use std::borrow::Cow;

/// Normalises layout characters so that editors can quote text as they type it:
/// tabs, NBSP and other fixed-width spaces become spaces, U+2011 (non-breaking
/// hyphen) becomes `-`, lone CRs become spaces, and the line is trimmed.
///
/// Every line of every transcript passes through here, so it copies runs of
/// ordinary text whole and looks only at the bytes that can start a
/// character it changes (most lines hold a non-ASCII character such as `’`,
/// so an ASCII-only shortcut would rarely apply). A line it leaves as it is
/// (trimmed) is borrowed.
pub fn normalise(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    // Made only for a line that changes: most lines are borrowed as they are.
    let mut out = String::new();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !MAY_CHANGE[bytes[i] as usize] {
            i += 1;
            continue;
        }
        let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
        // (length of the character, its replacement) when it is changed.
        // Lead bytes never occur inside another character, so `i` is always
        // at a character boundary when one matches.
        let change: Option<(usize, &str)> = match bytes[i] {
            b'\t' | b'\r' | 0x0B | 0x0C => Some((1, " ")),
            0xC2 if next(1) == 0xA0 => Some((2, " ")),
            0xE2 if next(1) == 0x80 => match next(2) {
                // U+2000–U+200A (U+2007 included), U+202F.
                0x80..=0x8A | 0xAF => Some((3, " ")),
                0x8B => Some((3, "")),
                0x90 | 0x91 => Some((3, "-")),
                _ => None,
            },
            0xE3 if next(1) == 0x80 && next(2) == 0x80 => Some((3, " ")),
            0xEF if next(1) == 0xBB && next(2) == 0xBF => Some((3, "")),
            _ => None,
        };
        match change {
            Some((len, replacement)) => {
                if out.capacity() == 0 {
                    out.reserve(s.len());
                }
                out.push_str(&s[copied..i]);
                out.push_str(replacement);
                i += len;
                copied = i;
            }
            None => i += 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s.trim());
    }
    out.push_str(&s[copied..]);
    let trimmed = out.trim();
    Cow::Owned(if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    })
}

/// A byte lookup table: `true` for each of `bytes`.
const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut k = 0;
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
}

/// The bytes that can start a character [`normalise`] changes.
static MAY_CHANGE: [bool; 256] = byte_set(&[b'\t', b'\r', 0x0B, 0x0C, 0xC2, 0xE2, 0xE3, 0xEF]);

/// Collapses runs of whitespace into single spaces (and trims).
///
/// A line with single spaces only (99 % of the seeds' lines) is recognised
/// in one read-only pass and copied whole. Other lines (two spaces after a
/// sentence, the style of some captioners: two thirds of the generated
/// corpus's lines) are rebuilt run by run, not word by word.
pub fn squeeze(s: &str) -> String {
    if is_squeezed(s) {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Where the run of text being kept started, if one is open.
    let mut run: Option<usize> = None;
    let open_run = |out: &mut String, run: &mut Option<usize>, at: usize| {
        if run.is_none() {
            if !out.is_empty() {
                out.push(' ');
            }
            *run = Some(at);
        }
    };
    let mut i = 0;
    loop {
        let text = i;
        while i < bytes.len() && !MAY_BE_SPACE[bytes[i] as usize] {
            i += 1;
        }
        if i > text {
            open_run(&mut out, &mut run, text);
        }
        if i == bytes.len() {
            break;
        }
        let space = whitespace_len(s, i);
        if space == 0 {
            open_run(&mut out, &mut run, i);
            i += 1;
        } else if bytes[i] == b' '
            && run.is_some()
            && i + 1 < bytes.len()
            && whitespace_len(s, i + 1) == 0
        {
            // A single space between two words stays inside the run.
            i += 1;
        } else {
            if let Some(start) = run.take() {
                out.push_str(&s[start..i]);
            }
            i += space;
        }
    }
    if let Some(start) = run {
        out.push_str(&s[start..]);
    }
    out
}

/// Whether squeezing `s` would leave it as it is: its only whitespace is
/// single spaces between other characters (most lines). Checked without
/// building anything.
fn is_squeezed(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if MAY_BE_SPACE[bytes[i] as usize] {
            if bytes[i] == b' ' {
                if i == 0 || i + 1 == bytes.len() || whitespace_len(s, i + 1) != 0 {
                    return false;
                }
            } else if whitespace_len(s, i) != 0 {
                return false;
            }
        }
        i += 1;
    }
    true
}

/// The number of words in `text`, as `text.split_whitespace().count()` has
/// it. ASCII text (most paragraphs) is read 64 bytes at a time: a word starts
/// where a solid byte follows whitespace, so the count is the population of
/// a mask ([`crate::ascii`]), with no branch per word. Other text is read
/// bytewise, decoding only the lead bytes of Unicode spaces (see
/// `whitespace_len`): every paragraph's words are counted.
pub fn word_count(text: &str) -> usize {
    if text.is_ascii() {
        return ascii_word_count(text.as_bytes());
    }
    let (mut words, mut in_word, mut i) = (0, false, 0);
    while i < text.len() {
        match whitespace_len(text, i) {
            0 => {
                words += usize::from(!in_word);
                in_word = true;
                i += 1;
            }
            space => {
                in_word = false;
                i += space;
            }
        }
    }
    words
}

/// [`word_count`] of ASCII text.
fn ascii_word_count(bytes: &[u8]) -> usize {
    use crate::ascii::{Class, mask};
    let (mut words, mut solid_before) = (0, 0u64);
    for at in (0..bytes.len()).step_by(64) {
        let solid = !mask(bytes, at, Class::Whitespace);
        let starts = solid & !(solid << 1 | solid_before);
        words += starts.count_ones() as usize;
        solid_before = solid >> 63;
    }
    words
}

/// The bytes that can start a whitespace character: ASCII's six, and the
/// lead bytes of Unicode's other spaces.
static MAY_BE_SPACE: [bool; 256] = byte_set(&[
    b' ', b'\t', b'\n', 0x0B, 0x0C, b'\r', 0xC2, 0xE1, 0xE2, 0xE3,
]);

/// The length in bytes of the whitespace character (as `char::is_whitespace`
/// has it) at byte `i`, or 0. `i` need not be a character boundary: inside
/// a character there is never whitespace.
#[inline]
fn whitespace_len(s: &str, i: usize) -> usize {
    let b = s.as_bytes()[i];
    if !MAY_BE_SPACE[b as usize] {
        0
    } else if b < 0x80 {
        1
    } else {
        s[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8)
    }
}

/// `text` folded for matching and ordering: normalised (NFKD), marks
/// removed, lower-cased, so `Kleinwächter` meets `kleinwachter` and
/// `Çağrı` sorts among the C's. ASCII needs neither normalisation nor mark
/// removal: the common case, fast.
pub fn fold(text: &str) -> String {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The straightforward versions: what the fast ones must equal.
    fn normalise_reference(s: &str) -> String {
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

    fn squeeze_reference(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    use proptest::prelude::*;

    /// Text made of the characters that matter here: every space and
    /// hyphen the functions treat, near misses sharing their lead bytes,
    /// other Unicode whitespace, ordinary letters and punctuation.
    fn layout_text() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'Z', ' ', ' ', '\t', '\r', '\n', '\u{0B}', '\u{0C}', '\u{85}', '\u{A0}', '\u{A9}',
            '\u{1680}', '\u{2000}', '\u{2007}', '\u{200A}', '\u{200B}', '\u{200C}', '\u{2010}',
            '\u{2011}', '\u{2012}', '\u{2019}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}',
            '\u{3000}', '\u{3001}', '\u{FEFF}', '\u{FEFE}', 'é', '—', '’',
        ]);
        prop::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn normalise_equals_the_reference(s in layout_text()) {
            prop_assert_eq!(normalise(&s), normalise_reference(&s));
        }

        #[test]
        fn squeeze_equals_the_reference(s in layout_text()) {
            prop_assert_eq!(squeeze(&s), squeeze_reference(&s));
        }

        #[test]
        fn words_are_counted_as_split_whitespace_counts_them(s in layout_text()) {
            prop_assert_eq!(word_count(&s), s.split_whitespace().count());
        }

        #[test]
        // Up to 200 bytes: words cross the 64-byte blocks of the fast path.
        fn ascii_words_are_counted_as_split_whitespace_counts_them(
            s in "[aZ.1 \t\r\n\x0B\x0C]{0,200}"
        ) {
            prop_assert_eq!(word_count(&s), s.split_whitespace().count());
        }
    }
}
