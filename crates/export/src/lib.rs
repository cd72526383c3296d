//! The edition as open data, from the same build as the pages: for re-users
//! who want the facts, not the HTML. Every function here is pure (the edition
//! model in, bytes out); [`output::Data`] is the [`verbatim_output::Output`]
//! that writes them under `data/` in the site, and `verbatim export` without it.
//!
//! - `data/sessions/<id>.json`: a session with both readings, ids, speakers,
//!   stage notes, times, corrections and notes ([`json`], described by
//!   `data/schema/session.schema.json`);
//! - `data/sessions/<id>.xml`: the session as TEI ([`tei`], the profile
//!   `data/schema/verbatim-tei.rnc`), joined by `data/edition.xml`;
//! - `data/sessions/<id>.txt`: the corrected reading, one turn a paragraph,
//!   speakers' names resolved ([`text`]);
//! - `data/sessions/<id>.annotations.jsonld`: its corrections, notes and
//!   attributions as W3C Web Annotations ([`annotations`]);
//! - `data/people.json` (Popolo) and `data/people.csv` ([`people`]);
//! - `data/edition.json`: what the edition holds and where
//!   (`data/schema/edition.schema.json`).

pub mod annotations;
pub mod json;
pub mod output;
pub mod people;
pub mod tei;
pub mod text;

pub use output::Data;

pub use verbatim_output::data_file as session_file;

/// The registry's people by id, for the names the exports resolve.
pub struct Registry<'a> {
    people: &'a [verbatim_edition::Person],
    by_id: std::collections::HashMap<&'a str, &'a verbatim_edition::Person>,
}

impl<'a> Registry<'a> {
    /// The registry of `people`.
    pub fn new(people: &'a [verbatim_edition::Person]) -> Registry<'a> {
        Registry {
            people,
            by_id: people.iter().map(|p| (p.id.as_str(), p)).collect(),
        }
    }

    /// A registered person.
    pub fn get(&self, id: &str) -> Option<&'a verbatim_edition::Person> {
        self.by_id.get(id).copied()
    }

    /// A person's display name, or the id for someone the registry lacks.
    pub fn name_of<'s>(&self, id: &'s str) -> &'s str
    where
        'a: 's,
    {
        self.get(id).map_or(id, |p| p.name.as_str())
    }

    /// Everyone, in the registry's order.
    pub fn people(&self) -> &'a [verbatim_edition::Person] {
        self.people
    }
}

/// A session's transcript path, relative to the edition's root, with `/`
/// between its parts on every platform (on Unix a `\\` is part of a name).
pub(crate) fn source_path(session: &verbatim_edition::Session) -> String {
    let parts: Vec<_> = session
        .source
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}
