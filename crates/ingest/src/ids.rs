//! Stable ids for turns and paragraphs.
//!
//! A turn's id is derived from its label and opening words, not from its
//! position, so that re-ingesting a source where one turn changed (or a parser
//! improvement split one turn in two) leaves every other turn's permalink
//! intact. Paragraph ids are numbered within their turn, so a change renumbers
//! at most the paragraphs of that one turn.

use super::model::{ParagraphId, Turn, TurnId};
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// How many words of the turn's opening the id depends on.
const KEY_WORDS: usize = 12;

/// Assigns `id` to every turn and paragraph. Identical keys (three anonymous
/// `>> Thank you.` turns) are told apart by a suffix in order of appearance.
pub fn assign(turns: &mut [Turn]) {
    let mut seen: HashMap<String, usize, rustc_hash::FxBuildHasher> = HashMap::default();
    for turn in turns.iter_mut() {
        let base = turn_key(turn);
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        turn.id = TurnId::new(if *n == 1 { base } else { format!("{base}-{n}") });
        for (i, p) in turn.paragraphs.iter_mut().enumerate() {
            let mut id = String::with_capacity(turn.id.as_str().len() + 4);
            id.push_str(turn.id.as_str());
            id.push('p');
            id.push_str(itoa::Buffer::new().format(i + 1));
            p.id = ParagraphId::new(id);
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
        // ASCII words (nearly all) lower-cased in place: what `to_lowercase`
        // gives them, without a string per word.
        if w.is_ascii() {
            let at = key.len();
            key.push_str(w);
            key[at..].make_ascii_lowercase();
        } else {
            key.push_str(&w.to_lowercase());
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Paragraph, ParagraphId, TurnId};

    fn turn(label: Option<&str>, texts: &[&str]) -> Turn {
        Turn {
            id: TurnId::default(),
            label: label.map(str::to_string),
            line: 1,
            paragraphs: texts
                .iter()
                .map(|t| Paragraph {
                    id: ParagraphId::default(),
                    text: t.to_string(),
                    lines: [1, 1],
                    stage: None,
                    notes: Vec::new(),
                    time: None,
                })
                .collect(),
        }
    }

    /// Ids are permalinks: these are the ids of these turns in every
    /// version, whatever the code that computes them.
    #[test]
    fn turn_and_paragraph_ids_do_not_change() {
        let mut turns = vec![
            turn(
                Some("AVRI DORIA"),
                &["Thank you, Chair. We Begin", "Second."],
            ),
            turn(
                Some("WOLFGANG KLEINWÄCHTER"),
                &["ÜBER die Straße and ÉCOLE words"],
            ),
            turn(None, &["Thank you."]),
            turn(None, &["Thank you."]),
        ];
        assign(&mut turns);
        let ids: Vec<(&str, Vec<&str>)> = turns
            .iter()
            .map(|t| {
                (
                    t.id.as_str(),
                    t.paragraphs.iter().map(|p| p.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            ids,
            [
                ("tzv7x22", vec!["tzv7x22p1", "tzv7x22p2"]),
                ("t7ewqhq", vec!["t7ewqhqp1"]),
                ("t6mebf5", vec!["t6mebf5p1"]),
                ("t6mebf5-2", vec!["t6mebf5-2p1"]),
            ]
        );
    }
}
