//! A share's term table (numbering, counting, packing; short terms as one `u128`): the hot path.

use super::share::impact;
use super::varint::varint;
use std::collections::HashMap;

/// A session's terms while it is indexed: each term numbered once, every
/// posting in one list (term, paragraph, impact) in paragraph order, and the
/// current paragraph's counts (by number, with the numbers touched), so
/// counting a word is one hash lookup and no allocation. (A list per term
/// grew thousands of small vectors a session, one push at a time.)
#[derive(Default)]
pub(super) struct Terms {
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
pub(super) fn short(term: &[u8]) -> Option<u128> {
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
    pub(super) fn for_text(bytes: usize) -> Self {
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

    /// Packs every term and its postings (see
    /// [`SessionIndex`](super::SessionIndex)), terms in byte order. A short
    /// term's bytes are the first bytes of its number read big-endian, so
    /// ordering by that reading is byte order (the zero padding putting a term
    /// before every longer one it begins).
    pub(super) fn pack(&self, by_term: &PostingsByTerm) -> Vec<u8> {
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
        let mut postings = Vec::new();
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
            // The postings' length first, so that reading entries skips
            // them without decoding each.
            postings.clear();
            let mut last = 0;
            for &(para, impact) in list {
                varint(&mut postings, u64::from(para - last));
                postings.push(impact);
                last = para;
            }
            varint(&mut packed, postings.len() as u64);
            packed.extend_from_slice(&postings);
        }
        packed.shrink_to_fit();
        packed
    }

    /// Counts an occurrence in the corrected reading.
    pub(super) fn count(&mut self, term: &str) {
        let id = self.id(term);
        if self.counts[id] == 0 {
            self.touched.push(id as u32);
        }
        self.counts[id] += 1;
    }

    /// Counts a word of the captioned reading or the speaker's name: once, if
    /// the corrected reading lacks it.
    pub(super) fn count_once(&mut self, term: &str) {
        let id = self.id(term);
        if self.counts[id] == 0 {
            self.touched.push(id as u32);
            self.counts[id] = 1;
        }
    }

    /// Turns the paragraph's counts into postings.
    pub(super) fn close_paragraph(&mut self, ordinal: u32, length: usize) {
        for id in self.touched.drain(..) {
            let count = std::mem::take(&mut self.counts[id as usize]);
            self.postings.push((id, ordinal, impact(count, length)));
        }
    }

    /// The postings grouped by term (a counting sort on the term's number,
    /// stable, so each term's stay in paragraph order).
    pub(super) fn postings_by_term(&self) -> PostingsByTerm {
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
pub(super) struct PostingsByTerm {
    start: Vec<usize>,
    list: Vec<(u32, u8)>,
}

impl PostingsByTerm {
    fn of(&self, id: u32) -> &[(u32, u8)] {
        &self.list[self.start[id as usize]..self.start[id as usize + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::super::share::Entries;
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

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
}
