//! Stable ids for turns and paragraphs.
//!
//! A turn's id is derived from its label and opening words, not from its
//! position, so that re-ingesting a source where one turn changed (or a parser
//! improvement split one turn in two) leaves every other turn's permalink
//! intact. Paragraph ids are numbered within their turn, so a change renumbers
//! at most the paragraphs of that one turn.

use super::model::Turn;
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// How many words of the turn's opening the id depends on.
const KEY_WORDS: usize = 12;

/// Assigns `id` to every turn and paragraph. Identical keys (three anonymous
/// `>> Thank you.` turns) are told apart by a suffix in order of appearance.
pub fn assign(turns: &mut [Turn]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for turn in turns.iter_mut() {
        let base = turn_key(turn);
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        turn.id = if *n == 1 { base } else { format!("{base}-{n}") };
        for (i, p) in turn.paragraphs.iter_mut().enumerate() {
            p.id = format!("{}p{}", turn.id, i + 1);
        }
    }
}

fn turn_key(turn: &Turn) -> String {
    let mut key = turn.label.as_deref().unwrap_or("").to_lowercase();
    key.push('\u{0}');
    let opening = turn
        .paragraphs
        .iter()
        .flat_map(|p| p.text.split_whitespace())
        .take(KEY_WORDS);
    for w in opening {
        key.push_str(&w.to_lowercase());
        key.push(' ');
    }
    let mut h = xxh3_64(key.as_bytes());
    let mut id = String::from("t");
    for _ in 0..6 {
        id.push(ALPHABET[(h & 31) as usize] as char);
        h >>= 5;
    }
    id
}
