//! One session's share of the index: built per session in parallel, so apart from the assembly.

use super::assemble::{BINS, bin_of, group_of};
use super::terms::Terms;
use super::varint::read_varint;
use super::wire::{emit_packed, push_json_string};
use super::{
    DOCS_PER_SHARD, IndexFile, PERSON_FIELD, PeopleTable, SESSION_SPAN, STAKEHOLDER_FIELD,
};
use crate::tokenize::{compounds, fold_for_search, split, tokens};
use verbatim_diagnostics::Finding;
use verbatim_edition::{PersonId, Session, Span, Speaker};
use verbatim_output::{Files, Parked};

/// BM25 parameters (the usual defaults).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// The length norm's reference paragraph length, in words. Fixed rather than
/// measured over the edition so postings stay local (see the module comment);
/// it is near the average of the IGF transcripts' paragraphs.
pub(super) const AVERAGE_LENGTH: f64 = 60.0;

/// One session's share of the index: its document shards (already named by
/// content) and its postings, packed: per term, the term's length and bytes,
/// its posting count, the postings' length in bytes, then `(paragraph
/// delta, impact)` pairs, all as LEB128 varints; terms in byte order within each bin (`bin_of`), bins in
/// order. About 6 bytes a posting.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SessionIndex {
    /// Number of indexed paragraphs (speech, not stage notes).
    pub docs: u32,
    /// Names of the session's document shards, in paragraph order.
    pub doc_shards: Vec<String>,
    /// Packed postings (see the type's comment); empty once parked. Not
    /// part of the serialized share: they are most of it (37 KB a session
    /// of the generated corpus), and a build that carries the session over
    /// reads only the bins it assembles again, from where they were kept.
    #[serde(skip)]
    pub postings: Vec<u8>,
    /// Each bin's part of the postings, in bin order.
    pub bins: Vec<BinPart>,
    /// Where the postings are while the build holds the share until
    /// assembly ([`SessionIndex::park`], [`SessionIndex::parked_at`]).
    #[serde(skip)]
    pub parked: Option<Parked>,
    /// Who speaks the paragraphs, in order: runs of (registered person's id,
    /// or none, paragraph count), for counts per person.
    pub speakers: Vec<(Option<String>, u32)>,
    /// The editors' sections: the ordinal of each one's first indexed
    /// paragraph, and its title, so that a result can say which it is in.
    pub sections: Vec<(u32, String)>,
}

impl SessionIndex {
    /// Indexes one session; `people` says who is registered, their names and
    /// groups. Returns the share and the document
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
        let mut speakers: Vec<(Option<String>, u32)> = Vec::new();
        let mut sections: Vec<(u32, String)> = Vec::new();
        for t in &session.turns {
            if let Some(section) = session.section_at(&t.id) {
                sections.push((rows.len() as u32, section.title.clone()));
            }
            let (person, speaker): (Option<&PersonId>, String) = match &t.speaker {
                Speaker::Person { person } | Speaker::Attributed { person, .. } => {
                    match people.registered(person) {
                        Some(name) => (Some(person), name.to_string()),
                        None => (None, person.as_str().to_string()),
                    }
                }
                Speaker::Generic { label } | Speaker::Unidentified { label } => {
                    (None, label.clone())
                }
                Speaker::Anonymous => (None, String::new()),
            };
            // A registered person's name is their field (below): the words
            // of their name point to it from the term shards, and the client
            // weighs it on its own. Counted into every paragraph, the name
            // ranked their shortest remarks first for a search by name. A
            // label no registry names has no field, so its words still find
            // the turns.
            let speaker_tokens = if person.is_none() {
                tokens(&speaker)
            } else {
                Vec::new()
            };
            let field = person.map(|id| format!("{PERSON_FIELD}{}", id.as_str()));
            let group = person
                .and_then(|id| people.stakeholder(id))
                .map(|g| format!("{STAKEHOLDER_FIELD}{g}"));
            for p in t.paragraphs.iter().filter(|p| p.stage.is_none()) {
                let ordinal = rows.len() as u32;
                if u64::from(ordinal) >= SESSION_SPAN {
                    // Over a million paragraphs in one session: the id space ends here.
                    break;
                }
                let id = person.map(|id| id.as_str().to_string());
                match speakers.last_mut() {
                    Some((last, n)) if *last == id => *n += 1,
                    _ => speakers.push((id, 1)),
                }
                // `[person,speaker,id,text]`, as serde_json writes the tuple,
                // and where the captioned reading differs, `,original,
                // [[captioned,corrected],…]`: the client checks phrases in both
                // readings and says which correction a hit was captioned in.
                let mut row = String::with_capacity(p.text.len() + speaker.len() + 32);
                row.push('[');
                match person {
                    Some(id) => push_json_string(&mut row, id.as_str()),
                    None => row.push_str("null"),
                }
                row.push(',');
                push_json_string(&mut row, &speaker);
                row.push(',');
                push_json_string(&mut row, p.id.as_str());
                row.push(',');
                push_json_string(&mut row, &p.text);
                // When it was said, in the recording's time, for a recorded
                // session's timed paragraph: `,"HH:MM:SS"` after the
                // captioned reading and corrections (`null` when there are none).
                let time = session
                    .recording
                    .as_ref()
                    .zip(p.time)
                    .map(|(r, [start, _])| verbatim_text::calendar::clock(start + r.offset_ms));
                if p.original != p.text {
                    row.push(',');
                    push_json_string(&mut row, &p.original);
                    row.push_str(",[");
                    let corrections = p.spans.iter().filter_map(|span| match span {
                        Span::Correction { original, text, .. } => Some((original, text)),
                        _ => None,
                    });
                    for (k, (original, text)) in corrections.enumerate() {
                        row.push_str(if k == 0 { "[" } else { ",[" });
                        push_json_string(&mut row, original);
                        row.push(',');
                        push_json_string(&mut row, text);
                        row.push(']');
                    }
                    row.push(']');
                } else if time.is_some() {
                    row.push_str(",null,null");
                }
                if let Some(time) = time {
                    row.push(',');
                    push_json_string(&mut row, &time);
                }
                row.push(']');
                rows.push(row);
                // Term frequencies over the corrected reading (its compounds
                // joined as well); words of the captioned reading and an
                // unregistered speaker's label count once if absent:
                // `encore` finds the passage corrected to "on core", and
                // `kleinwachter` finds what Kleinwächter said.
                let folded = fold_for_search(&p.text);
                let mut length = 0;
                for w in split(&folded) {
                    terms.count(w);
                    length += 1;
                }
                for c in compounds(&folded) {
                    terms.count(&c);
                }
                let original = (p.original != p.text).then(|| fold_for_search(&p.original));
                for w in original.as_deref().map(split).into_iter().flatten() {
                    terms.count_once(w);
                }
                for c in original.as_deref().map(compounds).unwrap_or_default() {
                    terms.count_once(&c);
                }
                for w in &speaker_tokens {
                    terms.count_once(w);
                }
                for field in field.iter().chain(&group) {
                    terms.count_once(field);
                }
                terms.close_paragraph(ordinal, length);
            }
        }
        let mut files = Vec::new();
        let doc_shards = rows
            .chunks(DOCS_PER_SHARD)
            .map(|chunk| emit_packed(&mut files, "d", format!("[{}]", chunk.join(","))))
            .collect();
        let (postings, bins) = binned(&terms.pack(&terms.postings_by_term()));
        (
            SessionIndex {
                docs: rows.len() as u32,
                doc_shards,
                postings,
                bins,
                parked: None,
                speakers,
                sections,
            },
            files,
        )
    }

    /// Moves the postings out of memory into the parking space of
    /// `files`; keeps them when `files` has nowhere to park.
    pub fn park(&mut self, files: &dyn Files) -> Result<(), Finding> {
        if self.postings.is_empty() || self.parked.is_some() {
            return Ok(());
        }
        if let Some(place) = files.park(&self.postings)? {
            self.parked_at(place);
        }
        Ok(())
    }

    /// Says the postings are kept at `place` already (the build cache's
    /// copy, adopted by the build's parking space): drops them from memory.
    pub fn parked_at(&mut self, place: Parked) {
        self.parked = Some(place);
        self.postings = Vec::new();
    }

    /// The length of the packed postings, in memory or parked.
    pub fn postings_len(&self) -> u64 {
        self.bins.iter().map(|b| u64::from(b.len)).sum()
    }

    /// Bin `bin`'s part of the postings and where it is: a part of the
    /// parked postings, or a range of those in memory; `None` when the
    /// session has none in it.
    pub(super) fn bin_place(&self, bin: u16) -> Option<(&BinPart, BinPlace)> {
        let part = self.bins.iter().find(|b| b.bin == bin)?;
        let (start, len) = (u64::from(part.start), u64::from(part.len));
        let place = match self.parked {
            Some(place) => BinPlace::Parked(place.part(start, len)),
            None => BinPlace::Loose(part.start as usize..(part.start + part.len) as usize),
        };
        Some((part, place))
    }
}

/// Where one bin's postings of a share are.
pub(super) enum BinPlace {
    Parked(Parked),
    /// A range of the share's postings, still in memory.
    Loose(std::ops::Range<usize>),
}

/// One bin's part of a share's postings: where it starts in them, its
/// length, and a hash of its bytes, by which assembly knows a bin whose
/// input did not change without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BinPart {
    pub bin: u16,
    pub start: u32,
    pub len: u32,
    pub digest: u64,
}

/// Packed postings in term order, regrouped by bin (each bin's terms
/// still in order), with each bin's part.
fn binned(packed: &[u8]) -> (Vec<u8>, Vec<BinPart>) {
    let mut bins: Vec<Vec<u8>> = vec![Vec::new(); usize::from(BINS)];
    for e in (Entries {
        bytes: packed,
        at: 0,
    }) {
        bins[usize::from(bin_of(group_of(e.term)))].extend_from_slice(e.raw);
    }
    let mut postings = Vec::with_capacity(packed.len());
    let mut parts = Vec::new();
    for (bin, bytes) in (0..BINS).zip(&bins).filter(|(_, b)| !b.is_empty()) {
        parts.push(BinPart {
            bin,
            start: postings.len() as u32,
            len: bytes.len() as u32,
            digest: xxhash_rust::xxh3::xxh3_64(bytes),
        });
        postings.extend_from_slice(bytes);
    }
    (postings, parts)
}

/// BM25's term-frequency part with the fixed length norm, scaled from its
/// range (0, K1 + 1] to 1..=63 so that it is one character of
/// [`DIGITS`](super::wire::DIGITS). Sixty-three levels tell a passage that
/// repeats a word from one that says it once, and a short remark from a long
/// speech (one occurrence: 36 in a 30-word paragraph, 29 in a 60-word one, 20
/// in a 120-word one).
pub(super) fn impact(tf: u32, length: usize) -> u8 {
    let tf = f64::from(tf);
    let norm = 1.0 - B + B * length as f64 / AVERAGE_LENGTH;
    let score = tf * (K1 + 1.0) / (tf + K1 * norm);
    // Rounded by adding ½ and truncating: the same as `round` for positive
    // numbers, and a conversion instruction rather than a libm call (it runs
    // for every term of every paragraph).
    ((score / (K1 + 1.0) * 63.0 + 0.5) as u8).clamp(1, 63)
}

/// One term of a packed share: the term and its still-packed postings.
pub(super) struct Entry<'a> {
    pub(super) term: &'a [u8],
    pub(super) count: usize,
    pub(super) postings: &'a [u8],
    /// The whole entry as packed (term, count and postings).
    pub(super) raw: &'a [u8],
}

/// The entries of packed postings (a share's, or a run of them), in order.
pub(super) struct Entries<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
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
        let length = read_varint(self.bytes, &mut self.at) as usize;
        let start = self.at;
        self.at = (start + length).min(self.bytes.len());
        Some(Entry {
            term,
            count,
            postings: &self.bytes[start..self.at],
            raw: &self.bytes[begin..self.at],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
