//! The edition's apparatus: every correction and attribution of every
//! session, by session, from the sessions' digests. A large edition's
//! apparatus is cut into parts of whole sessions, each its own page, so that
//! no page (and no page's rendering) grows with the edition: at N = 5,000
//! generated sessions one page held 100,000 decisions, 24 MB of HTML.

use super::listing::{Digest, Edit, SessionSummary};
use crate::markdown;
use serde::Serialize;
use std::collections::BTreeMap;
use verbatim_edition::{Person, PersonId};

/// How many decisions a part of the apparatus holds at most (a session's
/// decisions are never split, so a session with more has a part of its own).
pub const EDITS_PER_PART: usize = 2_000;

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

/// The edition's apparatus, cut into parts: what its first page lists.
pub struct Apparatus<'a> {
    /// Each part's sessions (those with decisions), in edition order.
    pub parts: Vec<Vec<&'a Digest>>,
    /// Every part as the pages list it; none when there is one part.
    views: Vec<PartView<'a>>,
    /// How many decisions of each kind the edition has.
    pub corrections: usize,
    pub attributions: usize,
}

/// What a page of the apparatus shows: the edition's counts, the parts
/// (when there are several), and the decisions of this page's part (none on
/// the first page of an apparatus in several parts, which lists the parts).
#[derive(Serialize)]
pub struct ApparatusPage<'a> {
    pub groups: Vec<EditGroup<'a>>,
    pub corrections: usize,
    pub attributions: usize,
    /// Every part, when there is more than one.
    pub parts: Vec<PartView<'a>>,
    /// This page's part, from 1 (0 on the first page).
    pub part: usize,
    /// The parts before and after this one.
    pub previous: Option<PartView<'a>>,
    pub next: Option<PartView<'a>>,
}

/// A part as the first page lists it and its neighbours link it.
#[derive(Serialize, Clone)]
pub struct PartView<'a> {
    /// From 1.
    pub number: usize,
    /// Relative to the site's root.
    pub url: String,
    /// Its first and last session.
    pub first: &'a SessionSummary,
    pub last: &'a SessionSummary,
    pub sessions: usize,
    pub corrections: usize,
    pub attributions: usize,
}

impl<'a> Apparatus<'a> {
    /// The sessions with decisions, cut into parts of at most `per_part`
    /// decisions (whole sessions).
    pub fn of(digests: &[&'a Digest], per_part: usize) -> Apparatus<'a> {
        let mut parts: Vec<Vec<&Digest>> = Vec::new();
        let mut in_part = 0;
        for d in digests.iter().filter(|d| !d.edits.is_empty()) {
            if parts.is_empty() || in_part + d.edits.len() > per_part && in_part > 0 {
                parts.push(Vec::new());
                in_part = 0;
            }
            in_part += d.edits.len();
            if let Some(part) = parts.last_mut() {
                part.push(d);
            }
        }
        let all = || digests.iter().flat_map(|d| &d.edits);
        let mut apparatus = Apparatus {
            corrections: all().filter(|e| e.captioned.is_some()).count(),
            attributions: all().filter(|e| e.person.is_some()).count(),
            parts,
            views: Vec::new(),
        };
        apparatus.views = apparatus.part_views();
        apparatus
    }

    /// The path of part `number` (from 1): the apparatus page itself when
    /// there is one part.
    pub fn path(&self, number: usize) -> String {
        if self.parts.len() <= 1 {
            "corrections.html".to_string()
        } else {
            format!("corrections/{number}.html")
        }
    }

    fn part_views(&self) -> Vec<PartView<'a>> {
        if self.parts.len() <= 1 {
            return Vec::new();
        }
        self.parts
            .iter()
            .enumerate()
            .filter_map(|(i, part)| {
                let edits = || part.iter().flat_map(|d| &d.edits);
                Some(PartView {
                    number: i + 1,
                    url: self.path(i + 1),
                    first: &part.first()?.summary,
                    last: &part.last()?.summary,
                    sessions: part.len(),
                    corrections: edits().filter(|e| e.captioned.is_some()).count(),
                    attributions: edits().filter(|e| e.person.is_some()).count(),
                })
            })
            .collect()
    }

    /// The first page: the decisions themselves when there is one part,
    /// else the list of parts.
    pub fn first_page(&self, people: &'a [Person]) -> ApparatusPage<'a> {
        let groups = match self.parts.as_slice() {
            [only] => groups(only, people),
            _ => Vec::new(),
        };
        self.page(groups, 0)
    }

    /// The page of part `number` (from 1), when the apparatus has several.
    pub fn part_page(&self, number: usize, people: &'a [Person]) -> ApparatusPage<'a> {
        let part = self.parts.get(number - 1).map(Vec::as_slice).unwrap_or(&[]);
        self.page(groups(part, people), number)
    }

    /// What the page of part `number` shows, for its key: the page without
    /// its decisions, then each of its sessions' summary and the hash of its
    /// decisions ([`Digest::edits_key`]); the people named come from the
    /// registry, which the build's global key covers.
    pub fn part_key(&self, number: usize, key: &mut verbatim_output::KeyWriter) {
        key.json(&self.page(Vec::new(), number));
        for d in self.parts.get(number - 1).map(Vec::as_slice).unwrap_or(&[]) {
            key.json(&d.summary);
            key.part(&d.edits_key.to_le_bytes());
        }
    }

    fn page(&self, groups: Vec<EditGroup<'a>>, part: usize) -> ApparatusPage<'a> {
        let at = |n: usize| (part > 0).then(|| self.views.get(n.checked_sub(1)?).cloned())?;
        ApparatusPage {
            groups,
            corrections: self.corrections,
            attributions: self.attributions,
            previous: at(part.saturating_sub(1)),
            next: at(part + 1),
            parts: self.views.clone(),
            part,
        }
    }
}

/// The decisions of `digests`, by session, as a page shows them.
fn groups<'a>(digests: &[&'a Digest], people: &'a [Person]) -> Vec<EditGroup<'a>> {
    let names: BTreeMap<&PersonId, &str> =
        people.iter().map(|p| (&p.id, p.name.as_str())).collect();
    digests
        .iter()
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
        .collect()
}
