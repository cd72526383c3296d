//! The finishing merge of every session's share into term shards and the manifest, once a build.

use super::share::{Entries, SessionIndex};
use super::terms::short;
use super::varint::read_varint;
use super::wire::{emit, push_postings, write};
use super::{DOCS_PER_SHARD, IndexFile, SESSION_SPAN, SESSIONS_PER_DIRECTORY};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use verbatim_edition::{PersonId, Session, SessionId};
use xxhash_rust::xxh3::xxh3_64;

/// A term shard may close after this many bytes, at a term whose hash says so.
const SHARD_MIN_BYTES: usize = 16 * 1024;
/// A term shard always closes after this many bytes.
const SHARD_MAX_BYTES: usize = 64 * 1024;
/// One term in this many may close a shard (once past the minimum size).
const CUT_EVERY: u64 = 16;
/// Terms in more documents than this keep only their top postings in the shard.
const HEAD: usize = 1000;

/// A term's entry from one session during assembly: term, session ordinal,
/// posting count, packed postings.
type GroupEntry<'a> = (&'a [u8], u32, usize, &'a [u8]);

/// Shards of one group: each shard's (first term, name), and the files written.
type GroupShards = (Vec<(String, String)>, Vec<IndexFile>);

/// A session as the index's session table lists it (for labels and filters).
#[derive(Debug, Clone)]
pub struct SessionRow<'a> {
    pub id: &'a SessionId,
    pub title: &'a str,
    pub event: Option<&'a str>,
    pub year: Option<i32>,
    pub date: Option<&'a str>,
}

/// What assembling one term group made: kept in the build cache so that the
/// next build, when the group's input is unchanged, carries its files over
/// instead of making them again.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GroupOutput {
    /// Hash of the group's input: every session's ordinal and packed entries.
    pub key: u64,
    /// The group's shards: (first term, name).
    pub shards: Vec<(String, String)>,
    /// Paths of the files the group made.
    pub files: Vec<String>,
}

/// The assembled index (its new files went to the sink).
pub struct Assembly {
    /// Files of unchanged groups, to carry over from the previous output.
    pub carried: Vec<String>,
    /// Every term group's output, by group, for the next build.
    pub groups: BTreeMap<u16, GroupOutput>,
}

/// A term's group: its first two bytes. Terms are merged and cut into shards
/// group by group (in parallel; a shard never spans two groups), and a group
/// whose input did not change is not assembled again. An edit touches the
/// groups of the few terms whose postings it changed.
fn group_of(term: &[u8]) -> u16 {
    u16::from(term[0]) << 8 | u16::from(term.get(1).copied().unwrap_or(0))
}

/// Assembles the index from every session's share, in session order (the
/// order gives the document ids), with the people table (id, name) in the
/// order `person_index` numbered them. `previous` holds what the last build
/// made of each term group (empty for a build from scratch); groups whose
/// input is unchanged are carried over. Deterministic: the files are the same
/// whatever `previous` holds. Files are handed to `sink` as they are made
/// (in parallel), so the index is never held whole.
pub fn assemble(
    sessions: &[(&SessionIndex, SessionRow<'_>)],
    people: &[(&PersonId, &str)],
    previous: &BTreeMap<u16, GroupOutput>,
    sink: &(dyn Fn(&IndexFile) -> std::io::Result<()> + Sync),
) -> std::io::Result<Assembly> {
    let docs: u64 = sessions.iter().map(|(s, _)| u64::from(s.docs)).sum();
    // Each session's entries of one group are consecutive in its share: one
    // slice per (group, session), in session order.
    let mut slices: Vec<(u16, u32, &[u8])> = Vec::new();
    for (ordinal, (share, _)) in sessions.iter().enumerate() {
        let bytes = share.postings.as_slice();
        let mut current: Option<(u16, usize, usize)> = None;
        let mut entries = share.entries();
        let base = bytes.as_ptr() as usize;
        for e in entries.by_ref() {
            let g = group_of(e.term);
            let start = e.raw.as_ptr() as usize - base;
            let end = start + e.raw.len();
            match &mut current {
                Some((cg, _, ce)) if *cg == g => *ce = end,
                _ => {
                    if let Some((cg, cs, ce)) = current {
                        slices.push((cg, ordinal as u32, &bytes[cs..ce]));
                    }
                    current = Some((g, start, end));
                }
            }
        }
        if let Some((cg, cs, ce)) = current {
            slices.push((cg, ordinal as u32, &bytes[cs..ce]));
        }
    }
    // (A session has one slice per group, so this is the stable order by group.)
    slices.sort_unstable_by_key(|s| (s.0, s.1));
    let mut runs: Vec<&[(u16, u32, &[u8])]> = slices.chunk_by(|a, b| a.0 == b.0).collect();
    runs.retain(|r| !r.is_empty());

    let made: Vec<(u16, GroupOutput, bool)> = runs
        .into_par_iter()
        .map(|run| {
            let group = run[0].0;
            let mut hasher = xxhash_rust::xxh3::Xxh3::new();
            for (_, ordinal, bytes) in run {
                hasher.update(&ordinal.to_le_bytes());
                hasher.update(&(bytes.len() as u64).to_le_bytes());
                hasher.update(bytes);
            }
            let key = hasher.digest();
            if let Some(old) = previous.get(&group).filter(|o| o.key == key) {
                return Ok((group, old.clone(), true));
            }
            let entries: Vec<GroupEntry> = run
                .iter()
                .flat_map(|&(_, ordinal, bytes)| {
                    Entries { bytes, at: 0 }.map(move |e| (e.term, ordinal, e.count, e.postings))
                })
                .collect();
            let (shards, files) = shards_of_group(&entries, &by_term(&entries));
            files.iter().try_for_each(sink)?;
            let output = GroupOutput {
                key,
                shards,
                files: files.into_iter().map(|f| f.0).collect(),
            };
            Ok((group, output, false))
        })
        .collect::<std::io::Result<_>>()?;
    let mut files = Vec::new();
    let mut carried = Vec::new();
    let mut shards = Vec::new();
    let mut groups = BTreeMap::new();
    for (group, output, reused) in made {
        shards.extend(output.shards.iter().cloned());
        if reused {
            carried.extend(output.files.iter().cloned());
        }
        groups.insert(group, output);
    }

    // Directories: each lists the document shards of SESSIONS_PER_DIRECTORY sessions.
    let directories: Vec<String> = sessions
        .chunks(SESSIONS_PER_DIRECTORY)
        .map(|chunk| {
            let lists: Vec<&Vec<String>> = chunk.iter().map(|(s, _)| &s.doc_shards).collect();
            emit(
                &mut files,
                "x",
                serde_json::to_string(&lists).unwrap_or_default(),
            )
        })
        .collect();
    // A session's row ends with its paragraph count: browsing by a filter
    // alone lists every paragraph in scope by its document id.
    let rows: Vec<_> = sessions
        .iter()
        .map(|(share, r)| (r.id, r.title, r.event, r.year, r.date, share.docs))
        .collect();
    let meta = serde_json::json!({ "sessions": rows });
    let meta = emit(&mut files, "m", meta.to_string());
    // The people table is as large as the session table at scale, and only
    // a query naming someone needs it: the manifest lists the words of
    // people's names (letters only: a number in a query is not a name), so
    // the client loads the table when a query word is one of them.
    let table = emit(
        &mut files,
        "m",
        serde_json::json!({ "people": people }).to_string(),
    );
    let names: std::collections::BTreeSet<String> = people
        .iter()
        .flat_map(|(_, name)| crate::tokenize::terms(name))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let manifest = serde_json::json!({
        "version": 4,
        "docs": docs,
        "span": SESSION_SPAN,
        "per": DOCS_PER_SHARD,
        "dir": SESSIONS_PER_DIRECTORY,
        "shards": shards,
        "dirs": directories,
        "meta": meta,
        "people": table,
        "names": names,
    });
    write(&mut files, "manifest", &manifest.to_string());
    files.iter().try_for_each(sink)?;
    Ok(Assembly { carried, groups })
}

/// Orders a group's entries by term, keeping each term's entries in session
/// order: the distinct terms are numbered and sorted (far fewer than entries),
/// the entries placed by a counting sort on their term's number. Returns the
/// entries' positions in that order, each with its term's rank (equal terms,
/// equal ranks), so that merging compares numbers, not bytes. Terms are
/// numbered as a session's are ([`short`]: no pointer to follow, no `memcmp`).
fn by_term(group: &[GroupEntry<'_>]) -> Vec<(u32, u32)> {
    let mut short_numbers: HashMap<u128, u32, rustc_hash::FxBuildHasher> = HashMap::default();
    let mut long_numbers: HashMap<&[u8], u32, rustc_hash::FxBuildHasher> = HashMap::default();
    let mut terms: Vec<&[u8]> = Vec::new();
    let term_of: Vec<u32> = group
        .iter()
        .map(|e| {
            let next = terms.len() as u32;
            let number = match short(e.0) {
                Some(key) => *short_numbers.entry(key).or_insert(next),
                None => *long_numbers.entry(e.0).or_insert(next),
            };
            if number == next {
                terms.push(e.0);
            }
            number
        })
        .collect();
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| terms[a as usize].cmp(terms[b as usize]));
    // rank[term number] = position of the term in byte order.
    let mut rank = vec![0u32; terms.len()];
    for (position, &t) in order.iter().enumerate() {
        rank[t as usize] = position as u32;
    }
    let mut start = vec![0usize; terms.len() + 1];
    for &t in &term_of {
        start[rank[t as usize] as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut sorted = vec![(0u32, 0u32); group.len()];
    for (entry, &t) in term_of.iter().enumerate() {
        let r = rank[t as usize];
        let slot = &mut start[r as usize];
        sorted[*slot] = (entry as u32, r);
        *slot += 1;
    }
    sorted
}

/// Merges one group's entries, taken in `order` ([`by_term`]: by term, then
/// session), into terms with their postings, cuts them into shards and writes
/// them. Returns each shard's (first term, name) and the files.
fn shards_of_group(group: &[GroupEntry], order: &[(u32, u32)]) -> GroupShards {
    let mut files = Vec::new();
    let mut shards = Vec::new();
    let mut json = String::new();
    let mut first: Option<String> = None;
    let mut postings: Vec<(u64, u8)> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let (entry, rank) = order[i];
        let term = group[entry as usize].0;
        postings.clear();
        while i < order.len() && order[i].1 == rank {
            let (_, session, count, packed) = group[order[i].0 as usize];
            let mut at = 0;
            let mut para = 0u64;
            for _ in 0..count {
                para += read_varint(packed, &mut at);
                postings.push((u64::from(session) * SESSION_SPAN + para, packed[at]));
                at += 1;
            }
            i += 1;
        }
        // Terms are tokens of `str`s, so valid UTF-8; checked, not decoded.
        let term = match std::str::from_utf8(term) {
            Ok(valid) => valid.to_string(),
            Err(_) => String::from_utf8_lossy(term).into_owned(),
        };
        json.push(if first.is_none() { '{' } else { ',' });
        json.push_str(&serde_json::to_string(&term).unwrap_or_default());
        if postings.len() <= HEAD {
            let _ = write!(json, ":{{\"df\":{},\"p\":", postings.len());
            push_postings(&mut json, &postings);
        } else {
            let mut full = String::new();
            push_postings(&mut full, &postings);
            let full = emit(&mut files, "p", full);
            // The HEAD postings of highest impact (ties: lower document
            // first): a total order, so selecting them gives one answer.
            let mut top = postings.clone();
            top.select_nth_unstable_by(HEAD - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            top.truncate(HEAD);
            top.sort_unstable();
            let _ = write!(
                json,
                ":{{\"df\":{},\"full\":\"{full}\",\"p\":",
                postings.len()
            );
            push_postings(&mut json, &top);
        }
        json.push('}');
        let cut_here = json.len() >= SHARD_MAX_BYTES
            || (json.len() >= SHARD_MIN_BYTES
                && xxh3_64(term.as_bytes()).is_multiple_of(CUT_EVERY));
        let first_term = first.get_or_insert(term).clone();
        if cut_here || i == order.len() {
            json.push('}');
            let name = emit(&mut files, "t", std::mem::take(&mut json));
            shards.push((first_term, name));
            first = None;
        }
    }
    (shards, files)
}

/// The index's row for a session.
pub fn session_row(s: &Session) -> SessionRow<'_> {
    SessionRow {
        id: &s.id,
        title: s.display_title(),
        event: s.meta.event.as_deref(),
        year: s.meta.year,
        date: s.meta.date.as_deref(),
    }
}
