//! Finding a session's quotes and resolving an entry's quote to one place, for every quoting entry.

use super::working::{Anchor, WorkingTurn};
use crate::{Layer, quote};
use serde_saphyr::Spanned;
use std::collections::HashMap;
use verbatim_diagnostics::{Finding, nearest};
use verbatim_edition::{ParagraphId, TurnId};

/// Where every quote of the session's layers occurs: `(turn, paragraph, byte
/// offset)` per quote, in text order. Occurrences of one quote do not overlap
/// each other (as `str::match_indices`); different quotes may overlap.
pub(super) struct QuoteHits {
    hits: HashMap<String, Vec<(usize, usize, usize)>>,
}

/// Up to this many distinct quotes (a session's usual few dozen), each is
/// looked for with a SIMD substring search; beyond it (a layer of 20,000
/// corrections), all are found in one Aho-Corasick pass over the text, so
/// the cost stays one scan. Per quote is cheaper when they are few: the
/// automaton steps through every byte, which a session of few corrections
/// does not need (bench/HISTORY.md).
const FEW_QUOTES: usize = 48;

impl QuoteHits {
    pub(super) fn find<'q>(
        turns: &[WorkingTurn],
        quotes: impl Iterator<Item = &'q str>,
    ) -> QuoteHits {
        let mut patterns: Vec<&str> = quotes.filter(|q| !q.trim().is_empty()).collect();
        patterns.sort_unstable();
        patterns.dedup();
        let paragraphs: Vec<(usize, usize, &str)> = turns
            .iter()
            .enumerate()
            .flat_map(|(ti, t)| {
                t.paragraphs
                    .iter()
                    .enumerate()
                    .map(move |(pi, p)| (ti, pi, p.text.as_str()))
            })
            .collect();
        QuoteHits {
            hits: search(&paragraphs, &patterns, FEW_QUOTES),
        }
    }

    pub(super) fn hits(&self, quote: &str) -> &[(usize, usize, usize)] {
        self.hits.get(quote).map_or(&[], Vec::as_slice)
    }
}

/// Every occurrence of each (distinct, sorted) pattern in `paragraphs`
/// (`(turn, paragraph, text)`): per pattern when there are at most `few`,
/// else in one Aho-Corasick pass. Both give the same hits.
fn search(
    paragraphs: &[(usize, usize, &str)],
    patterns: &[&str],
    few: usize,
) -> HashMap<String, Vec<(usize, usize, usize)>> {
    let mut hits: HashMap<String, Vec<(usize, usize, usize)>> = HashMap::new();
    if patterns.len() <= few {
        // The session's text as one string, paragraphs joined by a line
        // break: one search per quote instead of one per quote and paragraph
        // (whose set-up cost more than the searching). A quote without a line
        // break cannot match across paragraphs, so each hit lies in one;
        // a quote with one is looked for paragraph by paragraph, as is all
        // text when a paragraph holds a line break itself. Nothing is joined
        // when no quote would look there (a session without annotations).
        let joinable = patterns.iter().any(|p| !p.contains('\n'))
            && !paragraphs.iter().any(|p| p.2.contains('\n'));
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(paragraphs.len());
        if joinable {
            for &(_, _, text) in paragraphs {
                starts.push(joined.len());
                joined.push_str(text);
                joined.push('\n');
            }
        }
        for pattern in patterns {
            let finder = memchr::memmem::Finder::new(pattern.as_bytes());
            let list: Vec<(usize, usize, usize)> = if joinable && !pattern.contains('\n') {
                finder
                    .find_iter(joined.as_bytes())
                    .map(|at| {
                        let k = starts.partition_point(|&s| s <= at) - 1;
                        (paragraphs[k].0, paragraphs[k].1, at - starts[k])
                    })
                    .collect()
            } else {
                paragraphs
                    .iter()
                    .flat_map(|&(ti, pi, text)| {
                        finder
                            .find_iter(text.as_bytes())
                            .map(move |start| (ti, pi, start))
                    })
                    .collect()
            };
            if !list.is_empty() {
                hits.insert(pattern.to_string(), list);
            }
        }
        return hits;
    }
    // A contiguous NFA: cheaper to build than a DFA, which does not pay off
    // on one session's text.
    let Ok(automaton) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(patterns)
    else {
        return hits;
    };
    for &(ti, pi, text) in paragraphs {
        for m in automaton.find_overlapping_iter(text) {
            let pattern = patterns[m.pattern().as_usize()];
            let list = hits.entry(pattern.to_string()).or_default();
            if let Some(&(lt, lp, ls)) = list.last()
                && (lt, lp) == (ti, pi)
                && m.start() < ls + pattern.len()
            {
                continue;
            }
            list.push((ti, pi, m.start()));
        }
    }
    for list in hits.values_mut() {
        list.sort_unstable();
    }
    hits
}

/// Paragraph and turn ids → positions, built once so lookups stay constant-time.
pub(super) struct ParagraphIndex {
    pub(super) turns: HashMap<TurnId, usize, rustc_hash::FxBuildHasher>,
    paragraphs: HashMap<ParagraphId, (usize, usize), rustc_hash::FxBuildHasher>,
}

impl ParagraphIndex {
    pub(super) fn new(turns: &[WorkingTurn]) -> Self {
        // Ids are the build's own, not an attacker's: Fx instead of SipHash (57k
        // inserts per 200 sessions showed in the profile).
        let paragraphs = turns.iter().map(|t| t.paragraphs.len()).sum();
        let mut idx = ParagraphIndex {
            turns: HashMap::with_capacity_and_hasher(turns.len(), Default::default()),
            paragraphs: HashMap::with_capacity_and_hasher(paragraphs, Default::default()),
        };
        for (ti, t) in turns.iter().enumerate() {
            idx.turns.insert(t.id.clone(), ti);
            for (pi, p) in t.paragraphs.iter().enumerate() {
                idx.paragraphs.insert(p.id.clone(), (ti, pi));
            }
        }
        idx
    }

    /// The turn and position of the paragraph `id`.
    pub(super) fn paragraph(&self, id: &str) -> Option<(usize, usize)> {
        self.paragraphs.get(id).copied()
    }

    /// The paragraphs an id names: all of a turn's, or one.
    fn scope(&self, turns: &[WorkingTurn], id: &str) -> Option<Vec<(usize, usize)>> {
        if let Some(&ti) = self.turns.get(id) {
            return Some((0..turns[ti].paragraphs.len()).map(|pi| (ti, pi)).collect());
        }
        self.paragraphs.get(id).map(|&p| vec![p])
    }

    pub(super) fn unknown(&self, layer: &Layer, at: &Spanned<String>) -> Finding {
        let near = nearest(
            &at.value,
            self.turns
                .keys()
                .map(TurnId::as_str)
                .chain(self.paragraphs.keys().map(ParagraphId::as_str)),
        );
        let f = layer.error_at(
            at,
            format!("no turn or paragraph `{}` in this session", at.value),
        );
        match near.first() {
            Some(n) => f.help(format!(
                "did you mean `{n}`? `verbatim parse FILE` lists the ids"
            )),
            None => f.help("`verbatim parse FILE` lists the session's turn and paragraph ids"),
        }
    }
}

/// A layer entry anchored by quote (a correction or a note), as
/// [`resolve_quote`] needs it: where it was written and what it quotes.
pub(super) struct Quoted<'a> {
    /// The layer file the entry is in.
    pub(super) layer: &'a Layer,
    /// The quoted text, exactly as captioned.
    pub(super) find: &'a Spanned<String>,
    /// A turn or paragraph id that narrows the search.
    pub(super) turn: Option<&'a Spanned<String>>,
    /// Which occurrence is meant (from 1), when the quote occurs more than once.
    pub(super) occurrence: Option<&'a Spanned<usize>>,
    /// What the entry is, for messages: `correction` or `note`.
    pub(super) what: &'static str,
}

/// What quotes are looked for in: the session's working turns, their ids,
/// and where every quote of the session's layers occurs.
#[derive(Clone, Copy)]
pub(super) struct SessionText<'s> {
    pub(super) turns: &'s [WorkingTurn],
    pub(super) index: &'s ParagraphIndex,
    pub(super) quotes: &'s QuoteHits,
}

/// Resolves a quoted entry to the one place it names, or pushes the finding
/// that says why it cannot (an empty quote, an unknown id, no occurrence,
/// several, or an occurrence out of range).
pub(super) fn resolve_quote<'a>(
    entry: Quoted<'a>,
    text: &SessionText<'_>,
    findings: &mut Vec<Finding>,
) -> Option<Anchor<'a>> {
    let Quoted {
        layer,
        find,
        turn,
        occurrence,
        what,
    } = entry;
    let SessionText {
        turns,
        index,
        quotes,
    } = *text;
    let quote_text = find.value.as_str();
    if quote_text.trim().is_empty() {
        findings.push(
            layer
                .error_at(find, format!("the {what}'s quote is empty"))
                .help("quote the text as captioned"),
        );
        return None;
    }
    // A turn or paragraph id narrows the search; otherwise the whole session.
    let scope: Option<Vec<(usize, usize)>> = match turn {
        Some(t) => match index.scope(turns, &t.value) {
            Some(s) => Some(s),
            None => {
                findings.push(index.unknown(layer, t));
                return None;
            }
        },
        None => None,
    };
    let hits: Vec<(usize, usize, usize)> = quotes
        .hits(quote_text)
        .iter()
        .copied()
        .filter(|&(ti, pi, _)| scope.as_ref().is_none_or(|s| s.contains(&(ti, pi))))
        .collect();
    let scope: Vec<(usize, usize)> = scope.unwrap_or_else(|| {
        if hits.is_empty() {
            // Only needed to suggest the closest text.
            turns
                .iter()
                .enumerate()
                .flat_map(|(ti, t)| (0..t.paragraphs.len()).map(move |pi| (ti, pi)))
                .collect()
        } else {
            Vec::new()
        }
    });
    let place = |&(ti, pi, _): &(usize, usize, usize)| {
        let p = &turns[ti].paragraphs[pi];
        format!("`{}` (line {})", p.id, p.lines[0])
    };
    let chosen = match (hits.len(), occurrence) {
        (0, _) => {
            let texts = scope.iter().map(|&(ti, pi)| {
                let p = &turns[ti].paragraphs[pi];
                (p.id.as_str(), p.text.as_str())
            });
            let mut f = layer.error_at(
                find,
                format!("the {what}'s quote `{quote_text}` is not in the session"),
            );
            f = match quote::closest(quote_text, texts) {
                Some((pid, passage)) => f.help(format!("the closest text is `{passage}` in `{pid}`; quote the text exactly as captioned")),
                None => f.help("quote the text exactly as captioned (`verbatim parse FILE` shows it)"),
            };
            findings.push(f);
            return None;
        }
        (n, Some(occ)) => {
            if occ.value == 0 || occ.value > n {
                findings.push(
                    layer
                        .error_at(
                            occ,
                            format!(
                                "occurrence {} asked for, but the quote occurs {n} time{}",
                                occ.value,
                                if n == 1 { "" } else { "s" }
                            ),
                        )
                        .help(format!("use an occurrence from 1 to {n}")),
                );
                return None;
            }
            hits[occ.value - 1]
        }
        (1, None) => hits[0],
        (n, None) => {
            // Each paragraph once, with how often the quote occurs in it.
            let mut places: Vec<(String, usize)> = Vec::new();
            for hit in &hits {
                let here = place(hit);
                match places.last_mut() {
                    Some((last, count)) if *last == here => *count += 1,
                    _ => places.push((here, 1)),
                }
            }
            let shown: Vec<String> = places
                .iter()
                .take(8)
                .map(|(p, k)| {
                    if *k == 1 {
                        p.clone()
                    } else {
                        format!("{p} ×{k}")
                    }
                })
                .collect();
            let more = if places.len() > 8 { ", …" } else { "" };
            let first = &turns[hits[0].0].paragraphs[hits[0].1].id;
            // Narrowing to a turn helps only where the quote is not already
            // narrowed to one paragraph that holds it several times.
            let help = if turn.is_some() || places.len() == 1 {
                format!("add `occurrence: N` (1 to {n}), or quote more context")
            } else {
                format!(
                    "add `turn: {first}` (a turn or paragraph id), `occurrence: N`, or quote more context"
                )
            };
            let within = turn.map_or(String::new(), |t| format!(" within `{}`", t.value));
            findings.push(
                layer
                    .error_at(
                        find,
                        format!(
                            "the {what}'s quote `{quote_text}` occurs {n} times{within}: {}{more}",
                            shown.join(", ")
                        ),
                    )
                    .help(help),
            );
            return None;
        }
    };
    let (ti, pi, start) = chosen;
    Some(Anchor {
        turn: ti,
        para: pi,
        start,
        end: start + quote_text.len(),
        layer,
        line: find.referenced.line(),
        order: 0,
    })
}

#[cfg(test)]
mod quote_search_tests {
    use proptest::prelude::*;

    /// Searching quote by quote and in one Aho-Corasick pass give the same hits.
    fn same_hits(texts: &[String], mut patterns: Vec<String>) -> Result<(), TestCaseError> {
        patterns.sort();
        patterns.dedup();
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let paragraphs: Vec<(usize, usize, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i / 2, i % 2, t.as_str()))
            .collect();
        prop_assert_eq!(
            super::search(&paragraphs, &patterns, usize::MAX),
            super::search(&paragraphs, &patterns, 0)
        );
        Ok(())
    }

    proptest! {
        /// Looking quote by quote (paragraph by paragraph, as line breaks
        /// are about) finds exactly what one Aho-Corasick pass finds.
        #[test]
        fn per_quote_and_one_pass_find_the_same(
            texts in prop::collection::vec("[ab ’\n]{0,30}", 1..6),
            patterns in prop::collection::vec("[ab ’\n]{1,4}", 1..8),
        ) {
            same_hits(&texts, patterns)?;
        }

        /// The same with paragraphs free of line breaks: the joined text's path.
        #[test]
        fn joined_text_and_one_pass_find_the_same(
            texts in prop::collection::vec("[ab ’]{0,30}", 1..6),
            patterns in prop::collection::vec("[ab ’\n]{1,4}", 1..8),
        ) {
            same_hits(&texts, patterns)?;
        }
    }
}
