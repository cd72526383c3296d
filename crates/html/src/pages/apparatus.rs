//! The edition's apparatus page: every correction and attribution of every
//! session, by session, from the sessions' digests.

use super::listing::{Digest, Edit, SessionSummary};
use crate::markdown;
use serde::Serialize;
use std::collections::BTreeMap;
use verbatim_edition::{Person, PersonId};

/// One session's decisions.
#[derive(Serialize)]
pub struct EditGroup<'a> {
    pub session: &'a SessionSummary,
    pub edits: Vec<EditView<'a>>,
}

/// A decision as the page shows it: the digest's, with the person named
/// and linked and the note in HTML.
#[derive(Serialize)]
pub struct EditView<'a> {
    #[serde(flatten)]
    pub edit: &'a Edit,
    pub name: Option<&'a str>,
    pub person_url: Option<String>,
    pub note_html: Option<String>,
}

/// The page's view: the groups, and how many of each kind there are.
#[derive(Serialize)]
pub struct ApparatusPage<'a> {
    pub groups: Vec<EditGroup<'a>>,
    pub corrections: usize,
    pub attributions: usize,
}

/// Every session's corrections and attributions, in edition order.
pub fn apparatus_page<'a>(digests: &[&'a Digest], people: &'a [Person]) -> ApparatusPage<'a> {
    let names: BTreeMap<&PersonId, &str> =
        people.iter().map(|p| (&p.id, p.name.as_str())).collect();
    let groups: Vec<EditGroup> = digests
        .iter()
        .filter(|d| !d.edits.is_empty())
        .map(|d| EditGroup {
            session: &d.summary,
            edits: d
                .edits
                .iter()
                .map(|edit| EditView {
                    edit,
                    name: edit
                        .person
                        .as_ref()
                        .map(|p| names.get(p).copied().unwrap_or(p.as_str())),
                    person_url: edit.person.as_ref().map(super::person_path),
                    note_html: edit.note.as_deref().map(markdown::to_inline_html),
                })
                .collect(),
        })
        .collect();
    let all = groups.iter().flat_map(|g| &g.edits);
    let corrections = all.clone().filter(|e| e.edit.captioned.is_some()).count();
    let attributions = all.filter(|e| e.edit.person.is_some()).count();
    ApparatusPage {
        groups,
        corrections,
        attributions,
    }
}
