//! The id lock: the ids a session has published, each with a fingerprint of
//! its text, so that a permalink keeps leading to its text when the
//! transcript is captured again or the parser reads it differently.
//!
//! Ingest derives a turn's id from its label and opening words and numbers
//! its paragraphs, which is stable under most edits but not all: fixing a
//! label or a turn's first words changes the turn's id and its paragraphs';
//! a paragraph inserted into a turn renumbers the ones after it (which then
//! name other text); a second identical short turn takes a suffix. [`apply`]
//! matches the locked ids to the new turns and paragraphs by their text, in
//! order, and gives each matched one its published id back; an id whose text
//! is gone is *retired*: it stays an anchor at the nearest surviving place,
//! so that a citation still lands. The lock changes only when an editor says
//! so ([`write`], `verbatim ids --update`).
//!
//! Format (`ids/<session>.tsv` at the edition root), one id a line:
//! `turn` or `paragraph`, the id, the fingerprint (16 hex digits), and
//! `retired` for an id the editor accepted as gone. Lines starting with `#`
//! are comments.

use crate::model::{ParagraphId, Turn, TurnId};
use std::collections::{HashMap, HashSet};
use xxhash_rust::xxh3::xxh3_64;

/// One locked id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked {
    pub kind: Kind,
    pub id: String,
    pub fingerprint: u64,
    /// Accepted as gone by the editor: still an anchor, no longer reported.
    pub retired: bool,
}

/// What a locked id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Turn,
    Paragraph,
}

/// A session's id lock, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdLock {
    pub entries: Vec<Locked>,
}

/// A published id that no longer names any text, and where it now leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub id: String,
    /// The paragraph whose place it now marks.
    pub at: ParagraphId,
    /// Its text's fingerprint when it was published (should the text return).
    pub fingerprint: u64,
    /// Whether the lock already says so (no news to report).
    pub known: bool,
}

/// A paragraph's fingerprint: its words, lower-cased, letters and digits
/// only, so that re-captured punctuation, case and spacing do not count.
pub fn fingerprint(text: &str) -> u64 {
    let mut key = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        key.push_str(&word.to_lowercase());
        key.push(' ');
    }
    xxh3_64(key.as_bytes())
}

/// Reads a lock file; on a bad line, its number (1-based) and what is wrong.
pub fn parse(text: &str) -> Result<IdLock, (usize, String)> {
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let kind = match fields[0] {
            "turn" => Kind::Turn,
            "paragraph" => Kind::Paragraph,
            other => {
                return Err((n + 1, format!("`{other}` is not `turn` or `paragraph`")));
            }
        };
        let (Some(id), Some(print)) = (fields.get(1), fields.get(2)) else {
            return Err((
                n + 1,
                "a line needs its kind, id and fingerprint, separated by tabs".into(),
            ));
        };
        let fingerprint = u64::from_str_radix(print, 16).map_err(|_| {
            (
                n + 1,
                format!("`{print}` is not a fingerprint (16 hex digits)"),
            )
        })?;
        let retired = match fields.get(3) {
            None => false,
            Some(&"retired") => true,
            Some(other) => return Err((n + 1, format!("`{other}` is not `retired`"))),
        };
        entries.push(Locked {
            kind,
            id: id.to_string(),
            fingerprint,
            retired,
        });
    }
    Ok(IdLock { entries })
}

/// Where each turn's and paragraph's fingerprints are, in document order.
/// A turn's first paragraph has a second one, of its label and text
/// together, so that a parser that reads the label otherwise (`>> Okay. Go
/// ahead.` once unlabelled, then labelled `Okay. Go`) still finds it.
type Places<P> = Vec<(P, [u64; 2])>;

fn places(turns: &[Turn]) -> (Places<usize>, Places<(usize, usize)>) {
    let mut turn_prints = Vec::new();
    let mut paragraph_prints = Vec::new();
    for (t, turn) in turns.iter().enumerate() {
        for (p, paragraph) in turn.paragraphs.iter().enumerate() {
            let own = fingerprint(&paragraph.text);
            let with_label = match (&turn.label, p) {
                (Some(label), 0) => fingerprint(&format!("{label} {}", paragraph.text)),
                _ => own,
            };
            if p == 0 {
                turn_prints.push((t, [own, with_label]));
            }
            paragraph_prints.push(((t, p), [own, with_label]));
        }
    }
    (turn_prints, paragraph_prints)
}

/// Matches locked entries of one kind to places in order: each takes the
/// first unused place with its fingerprint after the last match (so that
/// repeated text, "Thank you.", pairs up in order), or else any unused one.
/// Returns, per entry, the index of its place.
fn align<P: Copy>(locked: &[&Locked], places: &[(P, [u64; 2])]) -> Vec<Option<usize>> {
    let mut by_print: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, (_, prints)) in places.iter().enumerate() {
        by_print.entry(prints[0]).or_default().push(i);
        if prints[1] != prints[0] {
            by_print.entry(prints[1]).or_default().push(i);
        }
    }
    for list in by_print.values_mut() {
        list.sort_unstable();
    }
    let mut used = vec![false; places.len()];
    let mut last = 0;
    locked
        .iter()
        .map(|e| {
            let candidates = by_print.get(&e.fingerprint)?;
            let found = candidates
                .iter()
                .copied()
                .find(|&i| i >= last && !used[i])
                .or_else(|| candidates.iter().copied().find(|&i| !used[i]))?;
            used[found] = true;
            last = found + 1;
            Some(found)
        })
        .collect()
}

/// What applying a lock found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Published ids whose text is gone, each at the paragraph nearest where it was.
    pub retired: Vec<Retired>,
    /// Published ids whose text changed in place (the same place between
    /// matched neighbours, other words): they stay on it.
    pub changed: Vec<String>,
}

/// Gives every turn and paragraph that `lock` names by its text its
/// published id back, and a paragraph whose text changed in place (between
/// two that matched, as many changed as locked) too; ids ingest gave anew
/// that a locked id already holds take a suffix. Returns the ids whose text
/// is gone (each kept at the paragraph nearest where it was) and those whose
/// text changed.
pub fn apply(turns: &mut [Turn], lock: &IdLock) -> Applied {
    if lock.entries.is_empty() || turns.is_empty() {
        return Applied::default();
    }
    let (turn_places, paragraph_places) = places(turns);
    let locked_turns: Vec<&Locked> = lock
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Turn)
        .collect();
    let locked_paragraphs: Vec<&Locked> = lock
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Paragraph)
        .collect();
    let mut turn_match = align(&locked_turns, &turn_places);
    let mut paragraph_match = align(&locked_paragraphs, &paragraph_places);
    let mut changed = Vec::new();

    // Text changed in place: a run of unmatched locked paragraphs between two
    // matched ones, against the unmatched paragraphs between their places.
    let mut used = vec![false; paragraph_places.len()];
    for i in paragraph_match.iter().flatten() {
        used[*i] = true;
    }
    let mut k = 0;
    while k < locked_paragraphs.len() {
        if paragraph_match[k].is_some() {
            k += 1;
            continue;
        }
        let start = k;
        while k < locked_paragraphs.len() && paragraph_match[k].is_none() {
            k += 1;
        }
        let low = if start == 0 {
            Some(0)
        } else {
            paragraph_match[start - 1].map(|i| i + 1)
        };
        let high = if k == locked_paragraphs.len() {
            Some(paragraph_places.len())
        } else {
            paragraph_match[k]
        };
        let (Some(low), Some(high)) = (low, high) else {
            continue;
        };
        let free: Vec<usize> = (low..high.max(low)).filter(|&i| !used[i]).collect();
        let run: Vec<usize> = (start..k)
            .filter(|&j| !locked_paragraphs[j].retired)
            .collect();
        if !run.is_empty() && free.len() == run.len() {
            for (&j, i) in run.iter().zip(free) {
                paragraph_match[j] = Some(i);
                used[i] = true;
                changed.push(locked_paragraphs[j].id.clone());
            }
        }
    }
    // A turn whose opening changed: the turn that now holds, first, the
    // paragraph locked after it.
    let mut held: HashSet<usize> = turn_match
        .iter()
        .flatten()
        .map(|&i| turn_places[i].0)
        .collect();
    let (mut nt, mut np) = (0, 0);
    for (k, e) in lock.entries.iter().enumerate() {
        match e.kind {
            Kind::Turn => {
                if turn_match[nt].is_none() && !e.retired {
                    let next = lock.entries[k + 1..]
                        .iter()
                        .position(|n| n.kind == Kind::Paragraph)
                        .map(|offset| {
                            let skipped = lock.entries[k + 1..k + 1 + offset]
                                .iter()
                                .filter(|n| n.kind == Kind::Paragraph)
                                .count();
                            np + skipped
                        });
                    if let Some(place) = next.and_then(|j| paragraph_match[j])
                        && paragraph_places[place].0.1 == 0
                        && !held.contains(&paragraph_places[place].0.0)
                    {
                        let t = paragraph_places[place].0.0;
                        let i = turn_places.iter().position(|(turn, _)| *turn == t);
                        if let Some(i) = i {
                            turn_match[nt] = Some(i);
                            held.insert(t);
                            changed.push(e.id.clone());
                        }
                    }
                }
                nt += 1;
            }
            Kind::Paragraph => np += 1,
        }
    }

    // New ids: the published one where the text matched.
    let mut turn_ids: Vec<Option<String>> = vec![None; turns.len()];
    for (e, m) in locked_turns.iter().zip(&turn_match) {
        if let Some(i) = m {
            turn_ids[turn_places[*i].0] = Some(e.id.clone());
        }
    }
    let mut paragraph_ids: HashMap<(usize, usize), String> = HashMap::new();
    for (e, m) in locked_paragraphs.iter().zip(&paragraph_match) {
        if let Some(i) = m {
            paragraph_ids.insert(paragraph_places[*i].0, e.id.clone());
        }
    }
    // Every id the lock holds is taken: by its text, or as a retired anchor.
    let mut taken: HashSet<String> = lock.entries.iter().map(|e| e.id.clone()).collect();
    let fresh = |id: &str, taken: &mut HashSet<String>| -> String {
        if taken.insert(id.to_string()) {
            return id.to_string();
        }
        (2..)
            .map(|k| format!("{id}-{k}"))
            .find(|c| taken.insert(c.clone()))
            .unwrap_or_default()
    };
    for (t, turn) in turns.iter_mut().enumerate() {
        let id = match &turn_ids[t] {
            Some(locked) => locked.clone(),
            None => fresh(turn.id.as_str(), &mut taken),
        };
        turn.id = TurnId::new(id);
        for (p, paragraph) in turn.paragraphs.iter_mut().enumerate() {
            let id = match paragraph_ids.get(&(t, p)) {
                Some(locked) => locked.clone(),
                None => fresh(paragraph.id.as_str(), &mut taken),
            };
            paragraph.id = ParagraphId::new(id);
        }
    }

    // Gone: each at the paragraph that now holds the nearest locked
    // paragraph before it in the lock (after it, for the first).
    let mut place_of_entry: Vec<Option<(usize, usize)>> = Vec::with_capacity(lock.entries.len());
    let (mut nt, mut np) = (0, 0);
    for e in &lock.entries {
        match e.kind {
            Kind::Turn => {
                // A turn's place is its first paragraph's.
                place_of_entry.push(turn_match[nt].map(|i| (turn_places[i].0, 0)));
                nt += 1;
            }
            Kind::Paragraph => {
                place_of_entry.push(paragraph_match[np].map(|i| paragraph_places[i].0));
                np += 1;
            }
        }
    }
    let mut retired = Vec::new();
    for (k, e) in lock.entries.iter().enumerate() {
        if place_of_entry[k].is_some() {
            continue;
        }
        let before = place_of_entry[..k].iter().rev().flatten().next();
        let after = || place_of_entry[k + 1..].iter().flatten().next();
        let (t, p) = before.or_else(after).copied().unwrap_or((0, 0));
        let Some(at) = turns.get(t).and_then(|turn| turn.paragraphs.get(p)) else {
            continue;
        };
        retired.push(Retired {
            id: e.id.clone(),
            at: at.id.clone(),
            fingerprint: e.fingerprint,
            known: e.retired,
        });
    }
    Applied { retired, changed }
}

/// The lock for `turns` as they now are (after [`apply`]): every turn and
/// paragraph with its fingerprint, in document order, and each of
/// `retired` marked so, after the paragraph it leads to.
pub fn write(turns: &[Turn], retired: &[Retired]) -> String {
    let mut out = String::from(
        "# verbatim id lock: the ids this session has published, each with a fingerprint\n\
         # of its text. `verbatim ids --update` writes it; commit it with the edition.\n",
    );
    for turn in turns {
        let Some(first) = turn.paragraphs.first() else {
            continue;
        };
        out.push_str(&format!(
            "turn\t{}\t{:016x}\n",
            turn.id.as_str(),
            fingerprint(&first.text)
        ));
        for p in &turn.paragraphs {
            out.push_str(&format!(
                "paragraph\t{}\t{:016x}\n",
                p.id.as_str(),
                fingerprint(&p.text)
            ));
            for r in retired.iter().filter(|r| r.at == p.id) {
                out.push_str(&format!(
                    "paragraph\t{}\t{:016x}\tretired\n",
                    r.id, r.fingerprint
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(turns: &[Turn]) -> Vec<(String, Vec<String>)> {
        turns
            .iter()
            .map(|t| {
                (
                    t.id.as_str().to_string(),
                    t.paragraphs
                        .iter()
                        .map(|p| p.id.as_str().to_string())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_turn_the_parser_now_labels_otherwise_keeps_its_ids() {
        let before = crate::parse(b">> AVRI DORIA: Welcome.\n\n>> Okay. Go ahead.\n");
        let lock = parse(&write(&before.turns, &[])).unwrap();
        // As if a later parser read `Okay. Go` as a label.
        let mut after = before.turns.clone();
        after[1].label = Some("Okay. Go".into());
        after[1].paragraphs[0].text = "ahead.".into();
        after[1].id = TurnId::new("tother");
        after[1].paragraphs[0].id = ParagraphId::new("totherp1");
        let applied = apply(&mut after, &lock);
        assert_eq!(ids(&after), ids(&before.turns));
        assert_eq!(applied, Applied::default());
    }

    #[test]
    fn a_lock_that_cannot_be_read_says_which_line_and_why() {
        assert_eq!(
            parse("# comment\nturn\tt1\tnothex\n"),
            Err((2, "`nothex` is not a fingerprint (16 hex digits)".into()))
        );
        assert_eq!(
            parse("sentence\tt1\t00\n"),
            Err((1, "`sentence` is not `turn` or `paragraph`".into()))
        );
        assert_eq!(
            parse("turn\tt1\n"),
            Err((
                1,
                "a line needs its kind, id and fingerprint, separated by tabs".into()
            ))
        );
    }
}
