//! The tokeniser, specified once and implemented twice: here and in the
//! theme's `search.js`. `tests/fixtures/tokenizer.json` holds the cases both
//! implementations must agree on (the browser test runs the same fixtures).
//!
//! Specification:
//! 1. Unicode NFKD normalisation (ﬁ → fi, full-width → ASCII, é → e + accent).
//! 2. Remove every combining mark (General Category M): the diacritic folding
//!    that lets `kleinwachter` find Kleinwächter.
//! 3. Lower-case with Unicode's full mapping (final sigma included).
//! 4. Split on every character that is neither Alphabetic nor Numeric; drop empties.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// Folds and splits `text` into search tokens.
pub fn tokens(text: &str) -> Vec<String> {
    split(&fold(text)).map(str::to_string).collect()
}

/// Steps 1–3: `text` folded (normalised, marks removed, lower-cased). ASCII
/// needs neither normalisation nor mark removal: the common case, fast.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Step 4: the tokens of folded text, borrowed from it.
pub fn split(folded: &str) -> impl Iterator<Item = &str> {
    let ascii = folded.is_ascii();
    folded
        .split(move |c: char| {
            if ascii {
                !c.is_ascii_alphanumeric()
            } else {
                !(c.is_alphabetic() || c.is_numeric())
            }
        })
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn shared_fixtures() {
        let fixtures: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../tests/fixtures/tokenizer.json")).unwrap();
        for f in fixtures {
            let input = f["input"].as_str().unwrap();
            let want: Vec<String> = f["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            assert_eq!(super::tokens(input), want, "{input:?}");
        }
    }
}
