//! Building the search index in two steps: each session's share while the
//! session is rendered ([`SessionIndex::build`], in parallel, so the edition is
//! never held whole), then one assembly over every session ([`assemble()`]).
//!
//! Every posting is a function of its own paragraph only: the impact uses a
//! fixed length norm (`AVERAGE_LENGTH`) and leaves
//! the term's rarity (idf) to the client, which knows each term's document
//! frequency and the document count. So a session's share can be cached and
//! reused, an edit changes only the postings of the paragraphs it touches, and
//! term shards are cut where the terms themselves say (content-defined), not
//! where sizes happen to add up: an edit reshapes only the shards around the
//! terms it changes.

mod assemble;
mod people;
mod share;
mod terms;
mod varint;
mod wire;

pub use assemble::{Assembly, GroupOutput, Memo, Registered, SessionRow, assemble, session_row};
pub use people::PeopleTable;
pub use share::{BinPart, SessionIndex};
pub use wire::{decode_postings, decode_presence, is_content_named, registered, unpacked};

/// Documents (paragraphs) per document shard; shards never span sessions.
pub const DOCS_PER_SHARD: usize = 32;
/// Sessions per directory file (each lists its sessions' ids, titles and
/// document shards).
pub const SESSIONS_PER_DIRECTORY: usize = 8;
/// Document ids are `session ordinal × SESSION_SPAN + paragraph ordinal`.
pub const SESSION_SPAN: u64 = 1 << 20;
/// The prefix of a speaker's field term (`@` and their person id): the
/// postings of every paragraph a registered person speaks. `search.js` asks
/// for the same term for its person filter, and for the people a name's word
/// points to (its entry's `who`).
pub const PERSON_FIELD: &str = "@";
/// The prefix of a stakeholder group's field term (`#` and the group as the
/// registry writes it): every paragraph spoken by someone of that group, for
/// the stakeholder filter.
pub const STAKEHOLDER_FIELD: &str = "#";

/// A file of the index: path under the site root, and its bytes.
pub type IndexFile = (String, Vec<u8>);

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
    let people: Vec<Registered> = edition
        .people
        .iter()
        .map(|p| (&p.id, p.name.as_str(), p.stakeholder.as_deref()))
        .collect();
    let made = std::sync::Mutex::new(files);
    let sink = |f: &IndexFile| {
        made.lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .push(f.clone());
        Ok(())
    };
    // Writing to memory cannot fail.
    let _ = assemble(
        &with_rows,
        &people,
        &Memo::default(),
        &|_| Ok(Vec::new()),
        &sink,
        &|_| false,
    );
    let mut files = made.into_inner().unwrap_or_default();
    files.sort();
    files
}
