//! Building the search index in two steps: each session's share while the
//! session is rendered ([`SessionIndex::build`], in parallel, so the edition is
//! never held whole), then one assembly over every session ([`assemble`]).
//!
//! Every posting is a function of its own paragraph only: the impact uses a
//! fixed length norm ([`AVERAGE_LENGTH`]) and leaves the term's rarity (idf)
//! to the client, which knows each term's document frequency and the document
//! count. So a session's share can be cached and reused, an edit changes only
//! the postings of the paragraphs it touches, and term shards are cut where the
//! terms themselves say (content-defined), not where sizes happen to add up:
//! an edit reshapes only the shards around the terms it changes.

use super::tokenize::{fold, split, tokens};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use verbatim_edition::{Session, Speaker};
use xxhash_rust::xxh3::xxh3_64;

/// BM25 parameters (the usual defaults).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// The length norm's reference paragraph length, in words. Fixed rather than
/// measured over the edition so postings stay local (see the module comment);
/// it is near the average of the IGF transcripts' paragraphs.
const AVERAGE_LENGTH: f64 = 60.0;
/// A term shard may close after this many bytes, at a term whose hash says so.
const SHARD_MIN_BYTES: usize = 16 * 1024;
/// A term shard always closes after this many bytes.
const SHARD_MAX_BYTES: usize = 64 * 1024;
/// One term in this many may close a shard (once past the minimum size).
const CUT_EVERY: u64 = 16;
/// Terms in more documents than this keep only their top postings in the shard.
const HEAD: usize = 1000;
/// Documents (paragraphs) per document shard; shards never span sessions.
pub const DOCS_PER_SHARD: usize = 16;
/// Sessions per directory file (each lists its sessions' document shards).
pub const SESSIONS_PER_DIRECTORY: usize = 16;
/// Document ids are `session ordinal × SESSION_SPAN + paragraph ordinal`.
pub const SESSION_SPAN: u64 = 1 << 20;

/// A file of the index: path under the site root, and its bytes.
pub type IndexFile = (String, Vec<u8>);

/// One session's share of the index: its document shards (already named by
/// content) and its postings, packed: per term in byte order, the term's
/// length and bytes, its posting count, then `(paragraph delta, impact)` pairs,
/// all as LEB128 varints. About 6 bytes a posting, so the shares of thousands
/// of sessions fit in memory until assembly.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SessionIndex {
    /// Number of indexed paragraphs (speech, not stage notes).
    pub docs: u32,
    /// Names of the session's document shards, in paragraph order.
    pub doc_shards: Vec<String>,
    /// Packed postings (see the type's comment).
    #[serde(with = "serde_bytes")]
    pub postings: Vec<u8>,
}

impl SessionIndex {
    /// Indexes one session; `people` numbers and names the registry's people
    /// as the index's people table does. Returns the share and the document
    /// shard files to write.
    pub fn build(session: &Session, people: &PeopleTable) -> (SessionIndex, Vec<IndexFile>) {
        let mut rows: Vec<String> = Vec::new();
        let mut terms = Terms::for_text(
            session
                .turns
                .iter()
                .flat_map(|t| &t.paragraphs)
                .map(|p| p.text.len())
                .sum(),
        );
        for t in &session.turns {
            let (person, speaker): (i32, String) = match &t.speaker {
                Speaker::Person { person } | Speaker::Attributed { person, .. } => {
                    (people.number(person), people.name_of(person).to_string())
                }
                Speaker::Generic { label } | Speaker::Unidentified { label } => (-1, label.clone()),
                Speaker::Anonymous => (-1, String::new()),
            };
            let speaker_tokens = tokens(&speaker);
            for p in t.paragraphs.iter().filter(|p| p.stage.is_none()) {
                let ordinal = rows.len() as u32;
                if u64::from(ordinal) >= SESSION_SPAN {
                    // Over a million paragraphs in one session: the id space ends here.
                    break;
                }
                // `[person,speaker,id,text]`, as serde_json writes the tuple.
                let mut row = String::with_capacity(p.text.len() + speaker.len() + 32);
                row.push('[');
                row.push_str(itoa::Buffer::new().format(person));
                row.push(',');
                push_json_string(&mut row, &speaker);
                row.push(',');
                push_json_string(&mut row, &p.id);
                row.push(',');
                push_json_string(&mut row, &p.text);
                row.push(']');
                rows.push(row);
                // Term frequencies over the corrected reading; words of the
                // captioned reading and the speaker's name count once if absent:
                // `encore` finds the passage corrected to "on core", and
                // `kleinwachter` finds what Kleinwächter said.
                let folded = fold(&p.text);
                let mut length = 0;
                for w in split(&folded) {
                    terms.count(w);
                    length += 1;
                }
                let original = (p.original != p.text).then(|| fold(&p.original));
                for w in original.as_deref().map(split).into_iter().flatten() {
                    terms.count_once(w);
                }
                for w in &speaker_tokens {
                    terms.count_once(w);
                }
                terms.close_paragraph(ordinal, length);
            }
        }
        let mut files = Vec::new();
        let doc_shards = rows
            .chunks(DOCS_PER_SHARD)
            .map(|chunk| emit(&mut files, "d", format!("[{}]", chunk.join(","))))
            .collect();
        let postings = terms.pack(&terms.postings_by_term());
        (
            SessionIndex {
                docs: rows.len() as u32,
                doc_shards,
                postings,
            },
            files,
        )
    }

    /// The packed postings, decoded term by term.
    fn entries(&self) -> Entries<'_> {
        Entries {
            bytes: &self.postings,
            at: 0,
        }
    }
}

/// A session's terms while it is indexed: each term numbered once, every
/// posting in one list (term, paragraph, impact) in paragraph order, and the
/// current paragraph's counts (by number, with the numbers touched), so
/// counting a word is one hash lookup and no allocation. (A list per term
/// grew thousands of small vectors a session, one push at a time.)
#[derive(Default)]
struct Terms {
    /// Terms of up to 16 bytes (nearly all), each as one number ([`short`]):
    /// looking one up compares numbers in the table itself, where a `String`
    /// key cost a pointer to follow and a `memcmp` call per word (a third of
    /// indexing, most of it waiting on memory).
    short: HashMap<u128, u32, rustc_hash::FxBuildHasher>,
    /// Longer terms.
    long: HashMap<Box<[u8]>, u32, rustc_hash::FxBuildHasher>,
    postings: Vec<(u32, u32, u8)>,
    counts: Vec<u32>,
    touched: Vec<u32>,
}

/// A term of at most 16 bytes as a number: its bytes, little-endian,
/// zero-padded. Tokens hold only letters and digits, never a NUL byte, so
/// no two terms give the same number.
///
/// Read as two overlapping little-endian words rather than copied into a
/// zeroed buffer: a copy of a length known only at run time is a `memcpy` call,
/// and this runs for every word of the archive.
#[inline(always)]
fn short(term: &[u8]) -> Option<u128> {
    let n = term.len();
    let word = |at: usize| u64::from_le_bytes(term[at..at + 8].try_into().unwrap());
    let half = |at: usize| u32::from_le_bytes(term[at..at + 4].try_into().unwrap());
    let byte = |at: usize| u128::from(term[at]);
    Some(match n {
        0 => 0,
        1 => byte(0),
        2 => byte(0) | byte(1) << 8,
        3 => byte(0) | byte(1) << 8 | byte(2) << 16,
        4 => u128::from(half(0)),
        5..8 => u128::from(half(0)) | u128::from(half(n - 4) >> (8 * (8 - n))) << 32,
        8 => u128::from(word(0)),
        9..=16 => {
            // The last eight bytes, shifted down past those the first word
            // holds (as the last four are for five to seven bytes).
            let high = word(n - 8) >> (8 * (16 - n));
            u128::from(word(0)) | u128::from(high) << 64
        }
        _ => return None,
    })
}

impl Terms {
    /// Room for the terms of `bytes` of text: one distinct term per 27–50
    /// bytes in the seeds and the generated corpus, so the table is sized
    /// once instead of rehashing as it doubles (a third as many inserts again
    /// as there are terms).
    fn for_text(bytes: usize) -> Self {
        let terms = bytes / 32;
        Terms {
            short: HashMap::with_capacity_and_hasher(terms, Default::default()),
            counts: Vec::with_capacity(terms),
            ..Terms::default()
        }
    }

    fn id(&mut self, term: &str) -> usize {
        let next = self.counts.len() as u32;
        let id = match short(term.as_bytes()) {
            Some(key) => *self.short.entry(key).or_insert(next),
            None => match self.long.get(term.as_bytes()) {
                Some(&id) => id,
                None => *self.long.entry(term.as_bytes().into()).or_insert(next),
            },
        };
        if id == next {
            self.counts.push(0);
        }
        id as usize
    }

    /// Packs every term and its postings (see [`SessionIndex`]), terms in
    /// byte order. A short term's bytes are the first bytes of its number
    /// read big-endian, so ordering by that reading is byte order (the zero
    /// padding putting a term before every longer one it begins).
    fn pack(&self, by_term: &PostingsByTerm) -> Vec<u8> {
        const SHORT: u32 = u32::MAX;
        let long: Vec<(&[u8], u32)> = self.long.iter().map(|(t, &id)| (&t[..], id)).collect();
        // (first 16 bytes as a big-endian number, term number, index in `long`)
        let mut keyed: Vec<(u128, u32, u32)> = Vec::with_capacity(self.counts.len());
        keyed.extend(
            self.short
                .iter()
                .map(|(&key, &id)| (key.swap_bytes(), id, SHORT)),
        );
        keyed.extend(long.iter().enumerate().map(|(i, &(term, id))| {
            let mut first = [0u8; 16];
            first.copy_from_slice(&term[..16]);
            (u128::from_be_bytes(first), id, i as u32)
        }));
        // Two terms share a number only if both are long.
        keyed.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| match (a.2, b.2) {
                (SHORT, _) => std::cmp::Ordering::Less,
                (_, SHORT) => std::cmp::Ordering::Greater,
                (i, j) => long[i as usize].0.cmp(long[j as usize].0),
            })
        });
        let mut packed = Vec::with_capacity(keyed.len() * 16);
        for (key, id, at) in keyed {
            let first = key.to_be_bytes();
            let term = match at {
                SHORT => &first[..16 - (key.trailing_zeros() / 8) as usize],
                i => long[i as usize].0,
            };
            let list = by_term.of(id);
            varint(&mut packed, term.len() as u64);
            packed.extend_from_slice(term);
            varint(&mut packed, list.len() as u64);
            let mut last = 0;
            for &(para, impact) in list {
                varint(&mut packed, u64::from(para - last));
                packed.push(impact);
                last = para;
            }
        }
        packed.shrink_to_fit();
        packed
    }

    /// Counts an occurrence in the corrected reading.
    fn count(&mut self, term: &str) {
        let id = self.id(term);
        if self.counts[id] == 0 {
            self.touched.push(id as u32);
        }
        self.counts[id] += 1;
    }

    /// Counts a word of the captioned reading or the speaker's name: once, if
    /// the corrected reading lacks it.
    fn count_once(&mut self, term: &str) {
        let id = self.id(term);
        if self.counts[id] == 0 {
            self.touched.push(id as u32);
            self.counts[id] = 1;
        }
    }

    /// Turns the paragraph's counts into postings.
    fn close_paragraph(&mut self, ordinal: u32, length: usize) {
        for id in self.touched.drain(..) {
            let count = std::mem::take(&mut self.counts[id as usize]);
            self.postings.push((id, ordinal, impact(count, length)));
        }
    }

    /// The postings grouped by term (a counting sort on the term's number,
    /// stable, so each term's stay in paragraph order).
    fn postings_by_term(&self) -> PostingsByTerm {
        let mut start = vec![0usize; self.counts.len() + 1];
        for &(id, _, _) in &self.postings {
            start[id as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut list = vec![(0u32, 0u8); self.postings.len()];
        for &(id, para, impact) in &self.postings {
            let slot = &mut next[id as usize];
            list[*slot] = (para, impact);
            *slot += 1;
        }
        PostingsByTerm { start, list }
    }
}

/// Every term's postings, `(paragraph, impact)` in paragraph order, side by side.
struct PostingsByTerm {
    start: Vec<usize>,
    list: Vec<(u32, u8)>,
}

impl PostingsByTerm {
    fn of(&self, id: u32) -> &[(u32, u8)] {
        &self.list[self.start[id as usize]..self.start[id as usize + 1]]
    }
}

/// Appends `s` as a JSON string, as serde_json writes it. Most text needs no
/// escape (no quote, backslash or control character): that is found in one
/// pass the compiler vectorises and the text copied whole (serde_json looks
/// each byte up in a table, for every byte of every document shard).
fn push_json_string(out: &mut String, s: &str) {
    let plain = s.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    });
    if plain {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// BM25's term-frequency part with the fixed length norm, scaled from its
/// range (0, K1 + 1] to 1..=63 so that it is one character of [`DIGITS`].
/// Sixty-three levels tell a passage that repeats a word from one that says
/// it once, and a short remark from a long speech (one occurrence: 36 in a
/// 30-word paragraph, 29 in a 60-word one, 20 in a 120-word one).
fn impact(tf: u32, length: usize) -> u8 {
    let tf = f64::from(tf);
    let norm = 1.0 - B + B * length as f64 / AVERAGE_LENGTH;
    let score = tf * (K1 + 1.0) / (tf + K1 * norm);
    // Rounded by adding ½ and truncating: the same as `round` for positive
    // numbers, and a conversion instruction rather than a libm call (it runs
    // for every term of every paragraph).
    ((score / (K1 + 1.0) * 63.0 + 0.5) as u8).clamp(1, 63)
}

/// The alphabet postings are written in (base64url's, safe in a JSON string
/// unescaped): a posting takes two or three bytes, against five to seven as
/// JSON numbers, and the postings are half the index.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends a number in base 32, least significant digit first: a digit
/// followed by more is written as `DIGITS[32 + d]`, the last as `DIGITS[d]`,
/// so numbers below 32 take one character.
fn push_number(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[32 + (v & 31) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// One term of a packed share: the term and its still-packed postings.
struct Entry<'a> {
    term: &'a [u8],
    count: usize,
    postings: &'a [u8],
    /// The whole entry as packed (term, count and postings).
    raw: &'a [u8],
}

struct Entries<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;
    fn next(&mut self) -> Option<Entry<'a>> {
        if self.at >= self.bytes.len() {
            return None;
        }
        let begin = self.at;
        let len = read_varint(self.bytes, &mut self.at) as usize;
        let term = &self.bytes[self.at..self.at + len];
        self.at += len;
        let count = read_varint(self.bytes, &mut self.at) as usize;
        let start = self.at;
        for _ in 0..count {
            read_varint(self.bytes, &mut self.at);
            self.at += 1;
        }
        Some(Entry {
            term,
            count,
            postings: &self.bytes[start..self.at],
            raw: &self.bytes[begin..self.at],
        })
    }
}

/// A term's entry from one session during assembly: term, session ordinal,
/// posting count, packed postings.
type GroupEntry<'a> = (&'a [u8], u32, usize, &'a [u8]);

/// Shards of one group: each shard's (first term, name), and the files written.
type GroupShards = (Vec<(String, String)>, Vec<IndexFile>);

/// A session as the index's session table lists it (for labels and filters).
#[derive(Debug, Clone)]
pub struct SessionRow<'a> {
    pub id: &'a str,
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
    people: &[(&str, &str)],
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
    let rows: Vec<_> = sessions
        .iter()
        .map(|(_, r)| (r.id, r.title, r.event, r.year, r.date))
        .collect();
    let meta = serde_json::json!({ "sessions": rows, "people": people });
    let meta = emit(&mut files, "m", meta.to_string());
    let manifest = serde_json::json!({
        "version": 3,
        "docs": docs,
        "span": SESSION_SPAN,
        "per": DOCS_PER_SHARD,
        "dir": SESSIONS_PER_DIRECTORY,
        "shards": shards,
        "dirs": directories,
        "meta": meta,
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

/// Appends postings as a JSON string of [`DIGITS`] (see [`push_number`]): a
/// new session starts with `0, session delta, paragraph`; a further paragraph
/// of the same session is its paragraph delta (never 0, documents being
/// distinct); each is followed by the impact, one character.
fn push_postings(out: &mut String, postings: &[(u64, u8)]) {
    out.push('"');
    let (mut session, mut para) = (0u64, 0u64);
    for (k, &(doc, impact)) in postings.iter().enumerate() {
        let (s, p) = (doc / SESSION_SPAN, doc % SESSION_SPAN);
        if k == 0 || s != session {
            push_number(out, 0);
            push_number(out, s - session);
            push_number(out, p);
        } else {
            push_number(out, p - para);
        }
        out.push(DIGITS[usize::from(impact & 63)] as char);
        (session, para) = (s, p);
    }
    out.push('"');
}

/// Reads postings as written by [`push_postings`] (and as `search.js` reads
/// them): `(document id, impact)` pairs. For tests and the benchmark tools;
/// stops at the first character outside [`DIGITS`].
pub fn decode_postings(text: &str) -> Vec<(u64, u64)> {
    let digits: Vec<u64> = text
        .bytes()
        .map_while(|b| DIGITS.iter().position(|&d| d == b).map(|d| d as u64))
        .collect();
    let mut at = 0;
    let number = |at: &mut usize| -> Option<u64> {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let d = *digits.get(*at)?;
            *at += 1;
            if d < 32 {
                return Some(v | d << shift);
            }
            v |= (d - 32) << shift;
            shift += 5;
        }
    };
    let (mut session, mut para) = (0u64, 0u64);
    let mut out = Vec::new();
    while let Some(x) = number(&mut at) {
        if x == 0 {
            let (Some(delta), Some(p)) = (number(&mut at), number(&mut at)) else {
                break;
            };
            session += delta;
            para = p;
        } else {
            para += x;
        }
        // The impact is one whole digit.
        let Some(&impact) = digits.get(at) else {
            break;
        };
        at += 1;
        out.push((session * SESSION_SPAN + para, impact));
    }
    out
}

/// Writes JSON text as `search/<kind>-<hash>.js`, named by its content hash;
/// returns the name without extension.
fn emit(files: &mut Vec<IndexFile>, kind: &str, json: String) -> String {
    let name = format!(
        "{kind}-{:012x}",
        xxh3_64(json.as_bytes()) & 0xffff_ffff_ffff
    );
    write(files, &name, &json);
    name
}

/// Whether an output path is an index file named by a hash of its content
/// (every index file but the manifest), so equal names mean equal bytes.
pub fn is_content_named(path: &str) -> bool {
    path.starts_with("search/") && path != "search/manifest.js"
}

/// Every index file is a script that registers its data: loaded with a
/// `<script>` element it works over HTTP and from disk (`file://`) alike.
fn write(files: &mut Vec<IndexFile>, name: &str, json: &str) {
    files.push((
        format!("search/{name}.js"),
        format!("verbatimSearch.register({name:?},{json});\n").into_bytes(),
    ));
}

/// The name and JSON data of an index file as [`write`] wrapped them: its
/// inverse, for tests and the benchmark tools.
pub fn registered(script: &str) -> Option<(&str, &str)> {
    let rest = script.strip_prefix("verbatimSearch.register(\"")?;
    let (name, data) = rest.split_once("\",")?;
    Some((name, data.strip_suffix(");\n")?))
}

/// The registry's people as [`SessionIndex::build`] looks them up: each one's
/// number in the index's people table (their order in `people`) and display name.
pub struct PeopleTable<'a> {
    numbers: HashMap<&'a str, i32>,
    names: HashMap<&'a str, &'a str>,
}

impl<'a> PeopleTable<'a> {
    /// Numbers `people` in their order.
    pub fn new(people: &'a [verbatim_edition::Person]) -> PeopleTable<'a> {
        PeopleTable {
            numbers: people
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), i as i32))
                .collect(),
            names: people
                .iter()
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect(),
        }
    }

    /// A person's number in the people table; -1 for someone not in the registry.
    pub fn number(&self, id: &str) -> i32 {
        self.numbers.get(id).copied().unwrap_or(-1)
    }

    /// A person's display name; the id itself for someone not in the registry.
    pub fn name_of<'s>(&'s self, id: &'s str) -> &'s str {
        self.names.get(id).copied().unwrap_or(id)
    }
}

/// The whole index of an edition in one call (tests, small editions): every
/// session's share, then the assembly.
pub fn build(edition: &verbatim_edition::Edition) -> Vec<IndexFile> {
    let table = PeopleTable::new(&edition.people);
    let mut files = Vec::new();
    let shares: Vec<SessionIndex> = edition
        .sessions
        .iter()
        .map(|s| {
            let (share, docs) = SessionIndex::build(s, &table);
            files.extend(docs);
            share
        })
        .collect();
    let with_rows: Vec<(&SessionIndex, SessionRow)> = shares
        .iter()
        .zip(&edition.sessions)
        .map(|(share, s)| (share, session_row(s)))
        .collect();
    let people: Vec<(&str, &str)> = edition
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let made = std::sync::Mutex::new(files);
    let sink = |f: &IndexFile| {
        made.lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .push(f.clone());
        Ok(())
    };
    // Writing to memory cannot fail.
    let _ = assemble(&with_rows, &people, &BTreeMap::new(), &sink);
    let mut files = made.into_inner().unwrap_or_default();
    files.sort();
    files
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
    use proptest::prelude::*;

    proptest! {
        /// Postings read back as written, whatever the gaps between sessions
        /// and paragraphs (one digit or several).
        #[test]
        fn postings_read_back_as_written(
            docs in proptest::collection::btree_map(
                (0u64..5_000, 0u64..SESSION_SPAN).prop_map(|(s, p)| s * SESSION_SPAN + p),
                1u8..=63,
                0..60,
            )
        ) {
            let postings: Vec<(u64, u8)> = docs.into_iter().collect();
            let mut text = String::new();
            push_postings(&mut text, &postings);
            let inner = text.trim_matches('"');
            prop_assert!(inner.bytes().all(|b| DIGITS.contains(&b)));
            let read: Vec<(u64, u8)> = decode_postings(inner)
                .into_iter()
                .map(|(d, i)| (d, i as u8))
                .collect();
            prop_assert_eq!(read, postings);
        }
    }

    proptest! {
        /// Strings are written as serde_json writes them, escapes included.
        #[test]
        fn json_strings_are_written_as_serde_json_writes_them(s in "[a\"\\\\/é\u{0}\u{1f}\u{7f}\n ]{0,20}") {
            let mut ours = String::new();
            push_json_string(&mut ours, &s);
            prop_assert_eq!(ours, serde_json::to_string(&s).unwrap());
        }
    }

    proptest! {
        /// A term's number is its bytes zero-padded to 16, little-endian, at
        /// every length the word reads cover; longer terms have none.
        #[test]
        fn a_short_terms_number_is_its_bytes_zero_padded(term in proptest::collection::vec(1u8..=255, 0..=20)) {
            let padded = (term.len() <= 16).then(|| {
                let mut bytes = [0u8; 16];
                bytes[..term.len()].copy_from_slice(&term);
                u128::from_le_bytes(bytes)
            });
            prop_assert_eq!(short(&term), padded);
        }
    }

    proptest! {
        /// A share packs its terms in byte order with every term's postings,
        /// whatever their lengths: around the 16 bytes a term is kept inline
        /// up to, terms that begin others, long terms sharing their first 16
        /// bytes, and characters of several bytes.
        #[test]
        fn a_share_packs_every_term_in_byte_order(
            words in proptest::collection::vec("[ab\u{e9}\u{4e2d}]{1,7}|[ab]{14,20}", 1..40)
        ) {
            let mut terms = Terms::default();
            for (paragraph, word) in words.iter().enumerate() {
                terms.count(word);
                terms.close_paragraph(paragraph as u32, 60);
            }
            let packed = terms.pack(&terms.postings_by_term());
            let entries: Vec<(Vec<u8>, usize)> = Entries { bytes: &packed, at: 0 }
                .map(|e| (e.term.to_vec(), e.count))
                .collect();
            let mut expected: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
            for word in &words {
                *expected.entry(word.as_bytes().to_vec()).or_default() += 1;
            }
            prop_assert_eq!(entries, expected.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_term_of_sixteen_bytes_comes_before_the_longer_terms_it_begins() {
        let sixteen = "a".repeat(16);
        let words = [
            format!("{sixteen}b"),
            format!("{sixteen}a"),
            sixteen.clone(),
            "a".repeat(15),
        ];
        let mut terms = Terms::default();
        for (paragraph, word) in words.iter().enumerate() {
            terms.count(word);
            terms.close_paragraph(paragraph as u32, 60);
        }
        let packed = terms.pack(&terms.postings_by_term());
        let order: Vec<String> = Entries {
            bytes: &packed,
            at: 0,
        }
        .map(|e| String::from_utf8(e.term.to_vec()).unwrap())
        .collect();
        assert_eq!(
            order,
            [
                "a".repeat(15),
                sixteen.clone(),
                format!("{sixteen}a"),
                format!("{sixteen}b")
            ]
        );
    }

    #[test]
    fn a_posting_of_a_nearby_paragraph_takes_two_characters() {
        let mut text = String::new();
        let base = 7 * SESSION_SPAN + 40;
        push_postings(&mut text, &[(base, 29), (base + 1, 36), (base + 3, 20)]);
        // Opening: 0, session 7, paragraph 40 (two digits), impact; then
        // delta and impact, two characters each.
        assert_eq!(text, "\"AHoBdBkCU\"");
    }

    #[test]
    fn impacts_use_the_whole_scale() {
        assert_eq!(impact(1, 60), 29);
        assert_eq!(impact(1, 30), 36);
        assert_eq!(impact(1, 120), 20);
        assert_eq!(impact(1000, 1), 63);
        assert_eq!(impact(1, 100_000), 1);
        for tf in 1..60 {
            for length in 1..3000 {
                let tf_ = f64::from(tf);
                let norm = 1.0 - B + B * length as f64 / AVERAGE_LENGTH;
                let score = tf_ * (K1 + 1.0) / (tf_ + K1 * norm);
                let rounded = (score / (K1 + 1.0) * 63.0).round().clamp(1.0, 63.0) as u8;
                assert_eq!(impact(tf, length), rounded, "tf {tf}, length {length}");
            }
        }
    }
}
