//! The tokeniser, specified once and implemented twice: here and in the
//! theme's `verbatim.js` (which `search.js` uses). `tests/fixtures/tokenizer.json` holds the cases both
//! implementations must agree on (the browser test runs the same fixtures).
//!
//! Specification:
//! 1. Unicode NFKD normalisation (ﬁ → fi, full-width → ASCII, é → e + accent).
//! 2. Remove every combining mark (General Category M): the diacritic folding
//!    that lets `kleinwachter` find Kleinwächter.
//! 3. Lower-case with Unicode's full mapping (final sigma included).
//! 4. Split on every character that is neither Alphabetic nor Numeric; drop empties.
//! 5. Compounds: a run of two or more tokens joined by single hyphens (U+002D,
//!    U+2010; NFKD makes U+2011 the latter) and nothing else also gives its
//!    tokens joined, so `multistakeholder` finds "multi-stakeholder" and the
//!    query `multi-stakeholder` finds both spellings ([`compounds`]).
//! 6. Stems: a token of three or more letters a–z has its Snowball English
//!    (Porter2) stem; any other token is its own stem ([`stem`]). The index
//!    keeps words as written; the client widens a query word to the indexed
//!    words of the same stem, ranked below the word itself.
//!    `tests/fixtures/stems.json` holds this implementation (rust-stemmers)
//!    and the theme's (porter2.js) to the same stems.

/// The characters that join a compound's parts (step 5).
const HYPHENS: [char; 3] = ['-', '\u{2010}', '\u{2011}'];

/// Step 5: the compounds of folded text, each its parts joined
/// (`multi-stakeholder` → `multistakeholder`, `peer-to-peer` → `peertopeer`).
pub fn compounds(folded: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !folded.contains(HYPHENS) {
        return out;
    }
    let mut run: Vec<&str> = Vec::new();
    let mut end = 0;
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if run.len() > 1 {
            out.push(run.concat());
        }
        run.clear();
    };
    for token in split(folded) {
        let start = token.as_ptr() as usize - folded.as_ptr() as usize;
        let gap = &folded[end..start];
        let joined = gap.chars().count() == 1 && gap.starts_with(HYPHENS);
        if !joined {
            flush(&mut run, &mut out);
        }
        run.push(token);
        end = start + token.len();
    }
    flush(&mut run, &mut out);
    out
}

/// Step 6: a token's stem.
pub fn stem(token: &str) -> std::borrow::Cow<'_, str> {
    thread_local! {
        static ENGLISH: rust_stemmers::Stemmer =
            rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    }
    if token.len() < 3 || !token.bytes().all(|b| b.is_ascii_lowercase()) {
        return token.into();
    }
    ENGLISH.with(|english| english.stem(token).into_owned().into())
}

/// Folds and splits `text` into search tokens.
pub fn tokens(text: &str) -> Vec<String> {
    split(&fold_for_search(text)).map(str::to_string).collect()
}

/// A text's terms as the index holds them: its tokens and its compounds
/// (steps 1–5; `terms` in the theme's `search.js`).
pub fn terms(text: &str) -> Vec<String> {
    let folded = fold_for_search(text);
    let mut terms: Vec<String> = split(&folded).map(str::to_string).collect();
    terms.extend(compounds(&folded));
    terms
}

/// Steps 1–3: `text` folded (normalised, marks removed, lower-cased). ASCII
/// needs neither normalisation nor mark removal: the common case, fast.
pub fn fold_for_search(text: &str) -> String {
    verbatim_text::fold(text)
}

/// Step 4: the tokens of folded text, borrowed from it.
pub fn split(folded: &str) -> Tokens<'_> {
    Tokens {
        text: folded,
        at: 0,
        ascii: folded.is_ascii().then(|| Blocks::new(folded.as_bytes())),
    }
}

/// The tokens of folded text ([`split`]). Most text is ASCII: its word bytes
/// are found 64 at a time as a bit mask, and each token is one run of set
/// bits (two bit scans, no branch per byte: indexing tokenises every word of
/// the edition). Other text is classified byte by byte, decoding only
/// non-ASCII characters.
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
    ascii: Option<Blocks>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (start, end) = match &mut self.ascii {
            Some(blocks) => blocks.next_run(self.text.as_bytes(), self.at)?,
            None => {
                let start = run_end::<false>(self.text, self.at);
                if start == self.text.len() {
                    self.at = start;
                    return None;
                }
                (start, run_end::<true>(self.text, start))
            }
        };
        self.at = end;
        Some(&self.text[start..end])
    }
}

/// ASCII text seen 64 bytes at a time: the block under the cursor and its
/// mask of word bytes (bit `i` set when byte `block + i` is alphanumeric).
struct Blocks {
    block: usize,
    mask: u64,
}

impl Blocks {
    fn new(bytes: &[u8]) -> Blocks {
        Blocks {
            block: 0,
            mask: word_mask(bytes, 0),
        }
    }

    /// The next run of word bytes at or after `at`, as (start, end).
    fn next_run(&mut self, bytes: &[u8], at: usize) -> Option<(usize, usize)> {
        let start = loop {
            let ahead = self.mask & keep_from(at.saturating_sub(self.block));
            if ahead != 0 {
                break self.block + ahead.trailing_zeros() as usize;
            }
            self.advance(bytes)?;
        };
        let end = loop {
            let gaps = !self.mask & keep_from(start.saturating_sub(self.block));
            if gaps != 0 {
                break self.block + gaps.trailing_zeros() as usize;
            }
            if self.advance(bytes).is_none() {
                break bytes.len();
            }
        };
        Some((start, end))
    }

    /// Moves to the next block; `None` past the end of the text.
    fn advance(&mut self, bytes: &[u8]) -> Option<()> {
        self.block += 64;
        if self.block >= bytes.len() {
            self.block = bytes.len();
            self.mask = 0;
            return None;
        }
        self.mask = word_mask(bytes, self.block);
        Some(())
    }
}

/// Bits `from..64` set (none when `from` is 64 or more).
fn keep_from(from: usize) -> u64 {
    if from >= 64 { 0 } else { !0u64 << from }
}

/// The mask of word bytes among the 64 from `block`.
fn word_mask(bytes: &[u8], block: usize) -> u64 {
    verbatim_text::ascii::mask(bytes, block, verbatim_text::ascii::Class::Alphanumeric)
}

/// Where the run of word characters (`WORD`) or of separators (`!WORD`) that
/// starts at byte `i` ends. ASCII bytes are classified as bytes, only other
/// characters are decoded.
// Inlined, one copy per kind of run: it steps through every byte of the
// text, and as a call it cost a tenth of indexing (callgrind).
#[inline(always)]
fn run_end<const WORD: bool>(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() != WORD {
                break;
            }
            i += 1;
        } else {
            let (is_word, len) = classify(text, i);
            if is_word != WORD {
                break;
            }
            i += len;
        }
    }
    i
}

/// Whether the non-ASCII character at byte `i` (a character boundary)
/// belongs to a word, and its length in bytes.
fn classify(text: &str, i: usize) -> (bool, usize) {
    text[i..].chars().next().map_or((false, 1), |c| {
        (c.is_alphabetic() || c.is_numeric(), c.len_utf8())
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The byte-wise split is step 4 as specified: split on every
        /// character that is neither Alphabetic nor Numeric.
        #[test]
        fn split_follows_the_specification(s in "[a-zA-Z0-9 ,.’'é–ß²٣一\\-]{0,40}") {
            prop_assert_eq!(super::split(&s).collect::<Vec<_>>(), specified(&s));
        }

        /// ASCII text, split through 64-byte masks, long enough for tokens
        /// to cross blocks and end at a block's edge.
        #[test]
        fn ascii_split_follows_the_specification(s in "[a-zA-Z0-9 ,.@\\[`{\\-]{0,300}") {
            prop_assert_eq!(super::split(&s).collect::<Vec<_>>(), specified(&s));
        }
    }

    fn specified(s: &str) -> Vec<&str> {
        s.split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
            .filter(|t| !t.is_empty())
            .collect()
    }

    #[test]
    fn stems_agree_with_the_shared_fixtures() {
        let fixtures: std::collections::BTreeMap<String, String> =
            serde_json::from_str(include_str!("../../../tests/fixtures/stems.json")).unwrap();
        assert!(fixtures.len() > 1000);
        for (word, want) in fixtures {
            assert_eq!(super::stem(&word), want, "{word:?}");
        }
    }

    #[test]
    fn shared_fixtures() {
        let fixtures: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../../tests/fixtures/tokenizer.json")).unwrap();
        for f in fixtures {
            let input = f["input"].as_str().unwrap();
            let want: Vec<String> = f["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            assert_eq!(super::tokens(input), want, "{input:?}");
            let compounds: Vec<String> = f
                .get("compounds")
                .and_then(|c| c.as_array())
                .map(|c| c.iter().map(|t| t.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            assert_eq!(
                super::compounds(&super::fold_for_search(input)),
                compounds,
                "{input:?}"
            );
        }
    }
}
