//! The finishing merge of every session's share into term shards and the manifest, once a build.

use super::share::{BinPlace, Entries, SessionIndex};
use super::terms::short;
use super::varint::read_varint;
use super::wire::{emit, emit_packed_or_keep, packed, push_postings, push_presence, write};
use super::{DOCS_PER_SHARD, IndexFile, SESSION_SPAN, SESSIONS_PER_DIRECTORY};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use verbatim_edition::{PersonId, Session, SessionId};
use verbatim_output::Parked;
use xxhash_rust::xxh3::xxh3_64;

/// A term shard may close after this many bytes, at a term whose hash says so.
const SHARD_MIN_BYTES: usize = 8 * 1024;
/// A term shard always closes after this many bytes.
const SHARD_MAX_BYTES: usize = 32 * 1024;
/// One term in this many may close a shard (once past the minimum size).
const CUT_EVERY: u64 = 16;
/// Terms in more documents than this keep only their top postings in the shard.
const HEAD: usize = 1000;
/// A frequent term's full list is cut into files of about this many postings
/// (closing at the end of a session): sessions are in date order, so a
/// filter to a year or an event loads only the files of its own sessions.
const CHUNK_POSTINGS: usize = 16 * 1024;

/// A term's entry from one session during assembly: term, session ordinal,
/// posting count, packed postings.
type GroupEntry<'a> = (&'a [u8], u32, usize, &'a [u8]);

/// A session's entries of one term group: (group, session ordinal, packed entries).
type Slice<'a> = (u16, u32, &'a [u8]);

/// What one term group (or part of one) is made from: its sessions'
/// entries (session ordinal, packed entries), in session order, and its
/// name words.
type GroupInput<'a> = (Vec<(u32, &'a [u8])>, Vec<Named<'a>>);

/// A term group's input above this many bytes is assembled in parts, by
/// its terms' next byte (down to four bytes): an edit then assembles again
/// the part of the words it changed, not all the words of their first two
/// letters (`th` was 36 MB of the 750 MB of postings at N = 20,000).
const PART_ABOVE: usize = 4 << 20;

/// The name words of a bin's groups, by group.
type NamesOfBin<'a, 'b> = Vec<(&'b u16, &'b Vec<Named<'a>>)>;

/// Bins read back together: a session's parts of them come from one
/// opening of its file, at the cost of holding that many sixteenths of the
/// postings at once.
const BINS_READ_TOGETHER: usize = 2;

/// The longest prefix a part of a group is cut by.
const PART_PREFIX: usize = 4;

/// Shards of one group: each shard's (first term, name), the files made,
/// and the paths of those the output holds already.
type GroupShards = (Vec<(String, String)>, Vec<IndexFile>, Vec<String>);

/// Whether the output holds the file at a path already, and keeps it (an
/// index file's name is its content's hash).
pub type Published<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// A registered person as the index needs them: id, name, stakeholder group.
pub type Registered<'a> = (&'a PersonId, &'a str, Option<&'a str>);

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

/// What assembly remembers between builds, so that the next one carries
/// over what did not change: each bin's key (a hash of its input, from the
/// sessions' bin digests, so an unchanged bin is known without reading it)
/// and what each term group made.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Memo {
    pub bins: BTreeMap<u16, u64>,
    /// By the terms' prefix the group or part holds (two bytes, more for
    /// the parts of a large group).
    pub groups: BTreeMap<Vec<u8>, GroupOutput>,
}

/// The assembled index (its new files went to the sink).
pub struct Assembly {
    /// Files of unchanged groups, to carry over from the previous output.
    pub carried: Vec<String>,
    /// What the next build needs to carry this one's work over.
    pub memo: Memo,
}

/// A term's group: its first two bytes. Terms are merged and cut into shards
/// group by group (in parallel; a shard never spans two groups), and a group
/// whose input did not change is not assembled again. An edit touches the
/// groups of the few terms whose postings it changed.
pub(super) fn group_of(term: &[u8]) -> u16 {
    u16::from(term[0]) << 8 | u16::from(term.get(1).copied().unwrap_or(0))
}

/// Bins of term groups: a share's postings are ordered by bin, and
/// assembly reads back only the bins whose input changed,
/// [`BINS_READ_TOGETHER`] at a time, so it holds an eighth of the
/// edition's postings rather than all of them.
pub(super) const BINS: u16 = 16;

/// The bin of a term group: both of its bytes mixed, so that the bins of
/// an alphabet's words are about equal.
pub(super) fn bin_of(group: u16) -> u16 {
    ((group >> 8) ^ (group & 0xff)) % BINS
}

/// Assembles the index from every share, in session order (the order gives
/// the document ids), with the registry's people (id, name), whose names'
/// words point to their fields. `previous` is what the last build
/// remembered (empty for a build from scratch): bins and term groups whose
/// input is unchanged are carried over. Parked postings are read back a few
/// bins at a time with `unpark`. Deterministic: the files are the same whatever
/// `previous` holds and wherever the postings were. Files are handed to
/// `sink` as they are made (in parallel), so the index is never held whole;
/// a compressed file that `published` says the output holds already is not
/// compressed again.
pub fn assemble(
    sessions: &[(&SessionIndex, SessionRow<'_>)],
    people: &[Registered<'_>],
    previous: &Memo,
    unpark: &(dyn Fn(&[Parked]) -> std::io::Result<Vec<u8>> + Sync),
    sink: &(dyn Fn(&IndexFile) -> std::io::Result<()> + Sync),
    published: Published,
) -> std::io::Result<Assembly> {
    let docs: u64 = sessions.iter().map(|(s, _)| u64::from(s.docs)).sum();
    // A frequent term's entry counts its documents per year, so a group's
    // files depend on the sessions' years as well as on its postings.
    let years: Vec<Option<i32>> = sessions.iter().map(|(_, r)| r.year).collect();
    let years_key = xxh3_64(format!("{years:?}").as_bytes());
    // The words of people's names, by group: a name's word points to who
    // bears it from the term shards, beside the word's postings.
    let mut named: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (id, name, _) in people {
        for word in crate::tokenize::terms(name) {
            if word.chars().any(char::is_alphabetic) {
                let ids = named.entry(word).or_default();
                if ids.last() != Some(&id.as_str()) {
                    ids.push(id.as_str());
                }
            }
        }
    }
    let mut named_by_group: BTreeMap<u16, Vec<Named>> = BTreeMap::new();
    for (word, ids) in named {
        named_by_group
            .entry(group_of(word.as_bytes()))
            .or_default()
            .push((word, ids));
    }
    let mut made: Vec<(Vec<u8>, GroupOutput, bool)> = Vec::new();
    let mut bin_keys = BTreeMap::new();
    // Each bin's key first: a bin whose input is unchanged is carried over
    // whole, unread.
    let mut touched: Vec<(u16, NamesOfBin)> = Vec::new();
    for bin in 0..BINS {
        let names: Vec<(&u16, &Vec<Named>)> = named_by_group
            .iter()
            .filter(|(g, _)| bin_of(**g) == bin)
            .collect();
        // The bin's input: the sessions' digests of their part of it, the
        // years and the names' words.
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&years_key.to_le_bytes());
        hasher.update(format!("{names:?}").as_bytes());
        for (ordinal, (share, _)) in sessions.iter().enumerate() {
            if let Some(part) = share.bins.iter().find(|p| p.bin == bin) {
                hasher.update(&(ordinal as u32).to_le_bytes());
                hasher.update(&part.digest.to_le_bytes());
                hasher.update(&part.len.to_le_bytes());
            }
        }
        let bin_key = hasher.digest();
        bin_keys.insert(bin, bin_key);
        if previous.bins.get(&bin) == Some(&bin_key) {
            made.extend(
                previous
                    .groups
                    .iter()
                    .filter(|(prefix, _)| bin_of(group_of(prefix)) == bin)
                    .map(|(prefix, output)| (prefix.clone(), output.clone(), true)),
            );
        } else {
            touched.push((bin, names));
        }
    }
    // The other bins, a few at a time: each session's parts of them are read
    // back together (one file opened per session and batch, not per bin).
    for batch in touched.chunks(BINS_READ_TOGETHER) {
        let places: Vec<Parked> = sessions
            .iter()
            .flat_map(|(share, _)| {
                batch
                    .iter()
                    .filter_map(|(bin, _)| match share.bin_place(*bin) {
                        Some((_, BinPlace::Parked(place))) => Some(place),
                        _ => None,
                    })
            })
            .collect();
        let parked = if places.is_empty() {
            Vec::new()
        } else {
            unpark(&places)?
        };
        // Each session's part of each bin, checked against its digest: a
        // damaged copy must not publish a wrong index.
        let mut chunks: Vec<Vec<(u32, &[u8])>> = vec![Vec::new(); batch.len()];
        let mut at = 0;
        for (ordinal, (share, row)) in sessions.iter().enumerate() {
            for (k, (bin, _)) in batch.iter().enumerate() {
                let bytes = match share.bin_place(*bin) {
                    Some((part, BinPlace::Parked(place))) => {
                        let bytes = parked.get(at..at + place.len as usize);
                        at += place.len as usize;
                        match bytes {
                            Some(bytes) if xxh3_64(bytes) == part.digest => bytes,
                            _ => {
                                return Err(std::io::Error::new(
                                    std::io::ErrorKind::InvalidData,
                                    format!("the postings kept for session `{}` changed", row.id),
                                ));
                            }
                        }
                    }
                    Some((_, BinPlace::Loose(range))) => &share.postings[range],
                    None => continue,
                };
                chunks[k].push((ordinal as u32, bytes));
            }
        }
        for ((_, names), chunks) in batch.iter().zip(chunks) {
            // Each session's entries of one group are consecutive in its
            // part: one slice per (group, session), in session order.
            let mut slices: Vec<Slice> = Vec::new();
            for (ordinal, bytes) in chunks {
                for (group, run) in runs_of(bytes, group_of) {
                    slices.push((group, ordinal, run));
                }
            }
            // (A session has one slice per group, so this is the stable order by group.)
            slices.sort_unstable_by_key(|s| (s.0, s.1));
            // Every group of the bin with postings or name words: its
            // slices and its names, a large group in parts.
            let mut groups: BTreeMap<u16, GroupInput> = BTreeMap::new();
            for run in slices.chunk_by(|a, b| a.0 == b.0) {
                let entries = run
                    .iter()
                    .map(|&(_, ordinal, bytes)| (ordinal, bytes))
                    .collect();
                groups.insert(run[0].0, (entries, Vec::new()));
            }
            for (group, names) in names {
                groups.entry(**group).or_default().1 = (*names).clone();
            }
            let mut runs: Vec<(Vec<u8>, GroupInput)> = Vec::new();
            for (group, input) in groups {
                in_parts(group.to_be_bytes().to_vec(), input, PART_ABOVE, &mut runs);
            }
            let bin_made: Vec<(Vec<u8>, GroupOutput, bool)> = runs
                .into_par_iter()
                .map(|(prefix, input)| {
                    let context = (years_key, years.as_slice(), published);
                    assemble_group(prefix, input, context, &previous.groups, sink)
                })
                .collect::<std::io::Result<_>>()?;
            made.extend(bin_made);
        }
    }
    made.sort_unstable_by(|a, b| a.0.cmp(&b.0));
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

    // Directories: for SESSIONS_PER_DIRECTORY sessions each, their id, title,
    // document shards and sections (first paragraph ordinal, title): what a
    // page of results needs of its sessions.
    let directories: Vec<String> = sessions
        .chunks(SESSIONS_PER_DIRECTORY)
        .map(|chunk| {
            let rows: Vec<_> = chunk
                .iter()
                .map(|(s, r)| (r.id, r.title, &s.doc_shards, &s.sections))
                .collect();
            emit_packed_or_keep(
                &mut files,
                &mut Vec::new(),
                published,
                "x",
                serde_json::to_string(&rows).unwrap_or_default(),
            )
        })
        .collect();
    // Beside each directory, who speaks its sessions' paragraphs (runs of
    // person id or null, and count): loaded only to count results per person.
    let speakers: Vec<String> = sessions
        .chunks(SESSIONS_PER_DIRECTORY)
        .map(|chunk| {
            let runs: Vec<_> = chunk.iter().map(|(s, _)| &s.speakers).collect();
            emit_packed_or_keep(
                &mut files,
                &mut Vec::new(),
                published,
                "s",
                serde_json::to_string(&runs).unwrap_or_default(),
            )
        })
        .collect();
    let meta = emit_packed_or_keep(
        &mut files,
        &mut Vec::new(),
        published,
        "m",
        session_table(sessions).to_string(),
    );
    // The stakeholder groups (`#` fields), for counts per group.
    let stakeholders: std::collections::BTreeSet<&str> = people
        .iter()
        .filter_map(|p| p.2.map(str::trim))
        .filter(|g| !g.is_empty())
        .collect();
    let manifest = serde_json::json!({
        "version": 5,
        "docs": docs,
        "span": SESSION_SPAN,
        "per": DOCS_PER_SHARD,
        "dir": SESSIONS_PER_DIRECTORY,
        "shards": shards,
        "dirs": directories,
        "speakers": speakers,
        "meta": meta,
        "stakeholders": stakeholders,
    });
    // Packed as well: with a shard list it is the largest file every query loads.
    write(&mut files, "manifest", &packed(&manifest.to_string()));
    files.iter().try_for_each(sink)?;
    Ok(Assembly {
        carried,
        memo: Memo {
            bins: bin_keys,
            groups,
        },
    })
}

/// One term group's shards: carried over when its input (its sessions'
/// slices, its name words, the sessions' years) hashes to what the last
/// build made, made and handed to `sink` otherwise. Returns the group, what
/// it made and whether that was carried over.
fn assemble_group(
    prefix: Vec<u8>,
    (run, names): GroupInput,
    (years_key, years, published): (u64, &[Option<i32>], Published),
    previous: &BTreeMap<Vec<u8>, GroupOutput>,
    sink: &(dyn Fn(&IndexFile) -> std::io::Result<()> + Sync),
) -> std::io::Result<(Vec<u8>, GroupOutput, bool)> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&years_key.to_le_bytes());
    hasher.update(format!("{names:?}").as_bytes());
    for (ordinal, bytes) in &run {
        hasher.update(&ordinal.to_le_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let key = hasher.digest();
    if let Some(old) = previous.get(&prefix).filter(|o| o.key == key) {
        return Ok((prefix, old.clone(), true));
    }
    let entries: Vec<GroupEntry> = run
        .iter()
        .flat_map(|&(ordinal, bytes)| {
            Entries { bytes, at: 0 }.map(move |e| (e.term, ordinal, e.count, e.postings))
        })
        .collect();
    let (shards, files, kept) =
        shards_of_group(&entries, &by_term(&entries), years, &names, published);
    files.iter().try_for_each(sink)?;
    let output = GroupOutput {
        key,
        shards,
        files: files.into_iter().map(|f| f.0).chain(kept).collect(),
    };
    Ok((prefix, output, false))
}

/// Packed entries cut into runs of consecutive entries whose terms have the
/// same `key`: each run's key and bytes, in order.
fn runs_of<'a, K: PartialEq>(bytes: &'a [u8], key: impl Fn(&'a [u8]) -> K) -> Vec<(K, &'a [u8])> {
    let mut runs: Vec<(K, &'a [u8])> = Vec::new();
    let base = bytes.as_ptr() as usize;
    let mut current: Option<(K, usize, usize)> = None;
    for e in (Entries { bytes, at: 0 }) {
        let k = key(e.term);
        let start = e.raw.as_ptr() as usize - base;
        let end = start + e.raw.len();
        match &mut current {
            Some((ck, _, ce)) if *ck == k => *ce = end,
            _ => {
                if let Some((ck, cs, ce)) = current.take() {
                    runs.push((ck, &bytes[cs..ce]));
                }
                current = Some((k, start, end));
            }
        }
    }
    if let Some((ck, cs, ce)) = current {
        runs.push((ck, &bytes[cs..ce]));
    }
    runs
}

/// Adds the group or part of the terms of `prefix` to `runs`: whole when
/// its input is at most `above` bytes (or its prefix is
/// [`PART_PREFIX`] long), else in parts by the terms' next byte, in term
/// order (a term no longer than the prefix is the first part, under the
/// prefix itself). Each session's entries stay in session order.
fn in_parts<'a>(
    prefix: Vec<u8>,
    input: GroupInput<'a>,
    above: usize,
    runs: &mut Vec<(Vec<u8>, GroupInput<'a>)>,
) {
    let size: usize = input.0.iter().map(|(_, bytes)| bytes.len()).sum();
    if size <= above || prefix.len() >= PART_PREFIX {
        runs.push((prefix, input));
        return;
    }
    let next = prefix.len() + 1;
    let part_of = |term: &'a [u8]| &term[..term.len().min(next)];
    let mut parts: BTreeMap<Vec<u8>, GroupInput> = BTreeMap::new();
    for (ordinal, bytes) in input.0 {
        // A session's entries of one part are consecutive (terms in order).
        for (part, run) in runs_of(bytes, part_of) {
            parts
                .entry(part.to_vec())
                .or_default()
                .0
                .push((ordinal, run));
        }
    }
    for named in input.1 {
        let part = named.0.as_bytes()[..named.0.len().min(next)].to_vec();
        parts.entry(part).or_default().1.push(named);
    }
    for (part, input) in parts {
        if part.len() < next {
            // The term that is the prefix itself: one term, no parts.
            runs.push((part, input));
        } else {
            in_parts(part, input, above, runs);
        }
    }
}

/// The session table every query loads: what filters, counts, date order and
/// browsing need of every session, and no more (titles are in the
/// directories, which only a page of results loads). Ids, in session order;
/// events named once (`events`) and, like years and dates, as runs of equal
/// values over consecutive sessions (`[value, how many]`: sessions are in
/// date order, so a column is a few runs); each session's paragraph count.
fn session_table(sessions: &[(&SessionIndex, SessionRow<'_>)]) -> serde_json::Value {
    fn runs<T: PartialEq + serde::Serialize>(values: impl Iterator<Item = T>) -> serde_json::Value {
        let mut out: Vec<(T, u32)> = Vec::new();
        for v in values {
            match out.last_mut() {
                Some((last, n)) if *last == v => *n += 1,
                _ => out.push((v, 1)),
            }
        }
        serde_json::json!(out)
    }
    let mut events: Vec<&str> = Vec::new();
    let event_numbers: Vec<Option<usize>> = sessions
        .iter()
        .map(|(_, r)| {
            r.event.map(|e| {
                events.iter().position(|&x| x == e).unwrap_or_else(|| {
                    events.push(e);
                    events.len() - 1
                })
            })
        })
        .collect();
    serde_json::json!({
        "ids": sessions.iter().map(|(_, r)| r.id).collect::<Vec<_>>(),
        "events": events,
        "event": runs(event_numbers.into_iter()),
        "year": runs(sessions.iter().map(|(_, r)| r.year)),
        "date": runs(sessions.iter().map(|(_, r)| r.date)),
        "paragraphs": sessions.iter().map(|(s, _)| s.docs).collect::<Vec<_>>(),
    })
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

/// The words of registered people's names (letters only: a number in a
/// query is not a name), each with the ids of the people whose name holds it.
type Named<'a> = (String, Vec<&'a str>);

/// Term shards as they fill: entries are appended in term order, and a shard
/// closes where [`SHARD_MAX_BYTES`] or a term's hash says.
#[derive(Default)]
struct ShardWriter {
    json: String,
    first: Option<String>,
    shards: Vec<(String, String)>,
    files: Vec<IndexFile>,
    /// Files the output holds already, not made again.
    kept: Vec<String>,
}

impl ShardWriter {
    /// Starts a term's entry; its value follows.
    fn open(&mut self, term: &str) {
        self.json.push(if self.first.is_none() { '{' } else { ',' });
        self.json
            .push_str(&serde_json::to_string(term).unwrap_or_default());
        self.json.push(':');
        if self.first.is_none() {
            self.first = Some(term.to_string());
        }
    }

    /// Ends a term's entry, closing the shard if it is time.
    fn close(&mut self, term: &str) {
        let cut_here = self.json.len() >= SHARD_MAX_BYTES
            || (self.json.len() >= SHARD_MIN_BYTES
                && xxh3_64(term.as_bytes()).is_multiple_of(CUT_EVERY));
        if cut_here {
            self.finish_shard();
        }
    }

    fn finish_shard(&mut self) {
        if let Some(first) = self.first.take() {
            self.json.push('}');
            let name = emit(&mut self.files, "t", std::mem::take(&mut self.json));
            self.shards.push((first, name));
        }
    }

    /// A name's word that no paragraph holds: only who bears it.
    fn name_only(&mut self, (word, ids): &Named) {
        self.open(word);
        self.json.push_str("{\"df\":0,\"who\":");
        self.json
            .push_str(&serde_json::to_string(ids).unwrap_or_default());
        self.json.push('}');
        self.close(word);
    }
}

/// Merges one group's entries, taken in `order` ([`by_term`]: by term, then
/// session), into terms with their postings, cuts them into shards and writes
/// them, with the group's name words (`named`, sorted) in their places.
/// Returns each shard's (first term, name) and the files.
fn shards_of_group(
    group: &[GroupEntry],
    order: &[(u32, u32)],
    years: &[Option<i32>],
    named: &[Named],
    published: Published,
) -> GroupShards {
    let mut out = ShardWriter::default();
    let mut names = named.iter().peekable();
    let mut postings: Vec<(u64, u8)> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let (entry, rank) = order[i];
        let term = group[entry as usize].0;
        while let Some(n) = names.next_if(|n| n.0.as_bytes() < term) {
            out.name_only(n);
        }
        let who = names.next_if(|n| n.0.as_bytes() == term).map(|n| &n.1);
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
        out.open(&term);
        let json = &mut out.json;
        if postings.len() <= HEAD {
            let _ = write!(json, "{{\"df\":{},\"p\":", postings.len());
            push_postings(json, &postings);
        } else {
            // The HEAD postings of highest impact (ties: lower document
            // first): a total order, so selecting them gives one answer.
            let mut top = postings.clone();
            top.select_nth_unstable_by(HEAD - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            top.truncate(HEAD);
            top.sort_unstable();
            let floor = top.iter().map(|p| p.1).min().unwrap_or(0);
            let full = full_list(&mut out, published, &postings);
            let mut per_year: BTreeMap<Option<i32>, u32> = BTreeMap::new();
            for &(doc, _) in &postings {
                let year = years.get((doc / SESSION_SPAN) as usize).copied().flatten();
                *per_year.entry(year).or_default() += 1;
            }
            let per_year: Vec<_> = per_year.into_iter().collect();
            let json = &mut out.json;
            let _ = write!(
                json,
                "{{\"df\":{},\"floor\":{floor},\"full\":{},\"years\":{},\"p\":",
                postings.len(),
                serde_json::json!(full),
                serde_json::json!(per_year),
            );
            push_postings(json, &top);
        }
        if let Some(ids) = who {
            out.json.push_str(",\"who\":");
            out.json
                .push_str(&serde_json::to_string(ids).unwrap_or_default());
        }
        out.json.push('}');
        out.close(&term);
    }
    for n in names {
        out.name_only(n);
    }
    out.finish_shard();
    (out.shards, out.files, out.kept)
}

/// Writes a frequent term's full list (documents only) in files of about
/// [`CHUNK_POSTINGS`] postings, each closing at a session's end. Returns each
/// file's first session ordinal and name.
fn full_list(
    out: &mut ShardWriter,
    published: Published,
    postings: &[(u64, u8)],
) -> Vec<(u64, String)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < postings.len() {
        let mut end = (start + CHUNK_POSTINGS).min(postings.len());
        let last = postings[end - 1].0 / SESSION_SPAN;
        while end < postings.len() && postings[end].0 / SESSION_SPAN == last {
            end += 1;
        }
        let mut text = String::new();
        push_presence(&mut text, &postings[start..end]);
        let name = emit_packed_or_keep(&mut out.files, &mut out.kept, published, "p", text);
        chunks.push((postings[start].0 / SESSION_SPAN, name));
        start = end;
    }
    chunks
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::varint::varint;

    /// A session's packed entries of `terms` (in order), each with one posting.
    fn packed(terms: &[&str]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            varint(&mut bytes, term.len() as u64);
            bytes.extend_from_slice(term.as_bytes());
            let mut posting = Vec::new();
            varint(&mut posting, i as u64);
            posting.push(30);
            varint(&mut bytes, 1);
            varint(&mut bytes, posting.len() as u64);
            bytes.extend_from_slice(&posting);
        }
        bytes
    }

    /// A group too large to assemble whole is cut by its terms' next bytes
    /// (to four), in term order: each session's entries, read part after
    /// part, are its entries of the whole group, so the terms merge the
    /// same; a name's word goes with its term.
    #[test]
    fn a_large_group_is_assembled_in_parts_of_the_same_terms() {
        let sessions = [
            packed(&["th", "tha", "that", "thatch", "the", "them", "this"]),
            packed(&["that", "the", "theme", "thx"]),
        ];
        let input = || -> GroupInput {
            (
                sessions
                    .iter()
                    .enumerate()
                    .map(|(i, bytes)| (i as u32, bytes.as_slice()))
                    .collect(),
                vec![
                    ("them".to_string(), vec!["p1"]),
                    ("thor".to_string(), vec!["p2"]),
                ],
            )
        };
        let mut whole = Vec::new();
        in_parts(b"th".to_vec(), input(), usize::MAX, &mut whole);
        assert_eq!(whole.len(), 1);
        let mut parts = Vec::new();
        in_parts(b"th".to_vec(), input(), 0, &mut parts);
        let prefixes: Vec<String> = parts
            .iter()
            .map(|(p, _)| String::from_utf8(p.clone()).unwrap())
            .collect();
        assert_eq!(
            prefixes,
            ["th", "tha", "that", "the", "them", "this", "tho", "thx"].map(String::from)
        );
        for (ordinal, bytes) in sessions.iter().enumerate() {
            let mut again = Vec::new();
            for (_, (entries, _)) in &parts {
                for (o, part) in entries {
                    if *o == ordinal as u32 {
                        again.extend_from_slice(part);
                    }
                }
            }
            assert_eq!(&again, bytes, "session {ordinal}");
        }
        let named: Vec<(&str, &str)> = parts
            .iter()
            .flat_map(|(p, (_, names))| {
                names
                    .iter()
                    .map(move |n| (std::str::from_utf8(p).unwrap(), n.0.as_str()))
            })
            .collect();
        assert_eq!(named, [("them", "them"), ("tho", "thor")]);
    }
}
