//! Text quote selectors: finding an editor's quote in a session, and the
//! closest passage when it is not there.

use unicode_normalization::UnicodeNormalization;

/// Byte offsets of every non-overlapping occurrence of `quote` in `text`.
pub fn occurrences(text: &str, quote: &str) -> Vec<usize> {
    if quote.is_empty() {
        return Vec::new();
    }
    text.match_indices(quote).map(|(i, _)| i).collect()
}

/// Most character comparisons spent looking for the closest passage to one
/// quote: a suggestion is a courtesy, and a long quote that is not there
/// (a paste with a typo, or a hostile layer) must not stall a build.
const CLOSEST_BUDGET: usize = 20_000_000;

/// The passage of `texts` most like `quote` (about as many words), with its
/// paragraph id, when it is reasonably close. Used to say "did you mean".
/// Only passages that begin or end with one of the quote's words are
/// scored (a close passage shares its first or last word, or the quote's
/// typo is elsewhere), and scoring stops when `CLOSEST_BUDGET` is spent.
pub fn closest<'a>(
    quote: &str,
    texts: impl Iterator<Item = (&'a str, &'a str)>,
) -> Option<(String, String)> {
    let want = quote.to_lowercase();
    let want_len = want.chars().count();
    let quoted: std::collections::HashSet<&str> = want.split_whitespace().collect();
    let n = quoted.len().max(quote.split_whitespace().count()).max(1);
    let mut best: Option<(f64, String, String)> = None;
    let mut spent = 0usize;
    for (id, text) in texts {
        let words: Vec<(usize, &str)> = word_spans(text);
        let lower: Vec<String> = words.iter().map(|(_, w)| w.to_lowercase()).collect();
        for size in [n.saturating_sub(1).max(1), n, n + 1] {
            for (i, w) in words.windows(size).enumerate() {
                if !quoted.contains(lower[i].as_str())
                    && !quoted.contains(lower[i + size - 1].as_str())
                {
                    continue;
                }
                let start = w[0].0;
                let last = w[size - 1];
                let passage = &text[start..last.0 + last.1.len()];
                spent += want_len * passage.len();
                if spent > CLOSEST_BUDGET {
                    return best.map(|(_, id, passage)| (id, passage));
                }
                let score = strsim::normalized_levenshtein(&want, &passage.to_lowercase());
                if score > best.as_ref().map_or(0.6, |b| b.0) {
                    best = Some((score, id.to_string(), passage.to_string()));
                }
            }
        }
    }
    best.map(|(_, id, passage)| (id, passage))
}

fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// A label or name reduced for comparison: no diacritics, no punctuation, lower case.
/// `AVRY DORIA.` and `Avry Doria` fold alike; `CRÉPIN-LEBLOND` folds to `crepin leblond`.
pub fn fold_name(s: &str) -> String {
    let stripped: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    verbatim_text::squeeze(&stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold_name("AVRY DORIA."), "avry doria");
        assert_eq!(
            fold_name("OLIVIER CRÉPIN-LEBLOND"),
            "olivier crepin leblond"
        );
        assert_eq!(fold_name("Wolfgang Kleinwächter"), "wolfgang kleinwachter");
    }

    #[test]
    fn closest_passage() {
        let texts = [("t1p1", "we work on core Internet values every day")];
        let got = closest("on cor Internet value", texts.into_iter());
        assert_eq!(got, Some(("t1p1".into(), "on core Internet values".into())));
        assert_eq!(closest("zebra crossing", texts.into_iter()), None);
    }
}
