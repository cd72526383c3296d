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
    // ASCII needs neither normalisation nor mark removal: the common case, fast.
    if text.is_ascii() {
        return text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
    }
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    folded
        .split(|c: char| !(c.is_alphabetic() || c.is_numeric()))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
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
