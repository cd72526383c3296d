//! The people pages' views: a person's turns across the edition, gathered
//! from the sessions' digests.

use super::listing::Digest;
use crate::markdown;
use serde::Serialize;
use std::collections::BTreeMap;
use verbatim_edition::{Person, PersonId, SessionId};

/// One of a person's turns, as listed on their page.
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct PersonTurn {
    pub session_title: String,
    pub session_url: String,
    pub turn_url: String,
    /// The turn's number in its session, from 1.
    pub number: usize,
    pub date: Option<String>,
    pub snippet: String,
    pub attributed: bool,
    /// The section of the session the turn is in, if the editors divided it.
    pub section: Option<String>,
}

/// Everything the person template needs. Turns are borrowed from the
/// digests: ten thousand people's pages need no copy of them.
#[derive(Serialize)]
pub struct PersonView<'a> {
    pub person: &'a Person,
    pub bio_html: Option<String>,
    pub turns: Vec<&'a PersonTurn>,
    /// The same turns by session, in the edition's order.
    pub by_session: Vec<SessionTurns<'a>>,
    pub turn_count: usize,
    pub sessions: usize,
}

/// A person's turns in one session.
#[derive(Serialize)]
pub struct SessionTurns<'a> {
    pub session_title: &'a str,
    pub session_url: &'a str,
    pub date: Option<&'a str>,
    pub turns: Vec<&'a PersonTurn>,
}

/// Turns grouped by their session (turns of a session are consecutive).
fn by_session<'a>(turns: &[&'a PersonTurn]) -> Vec<SessionTurns<'a>> {
    let mut out: Vec<SessionTurns<'a>> = Vec::new();
    for turn in turns {
        match out.last_mut() {
            Some(group) if group.session_url == turn.session_url => group.turns.push(turn),
            _ => out.push(SessionTurns {
                session_title: &turn.session_title,
                session_url: &turn.session_url,
                date: turn.date.as_deref(),
                turns: vec![turn],
            }),
        }
    }
    out
}

/// A person as the people page lists them (without their turns).
#[derive(Serialize)]
pub struct PersonRow<'a> {
    pub person: &'a Person,
    pub turn_count: usize,
    pub sessions: usize,
}

impl<'a> PersonView<'a> {
    /// The person's row on the people page.
    pub fn row(&self) -> PersonRow<'a> {
        PersonRow {
            person: self.person,
            turn_count: self.turn_count,
            sessions: self.sessions,
        }
    }
}

/// Each person's turns across the edition, in one pass over the digests
/// (in session order).
pub fn person_views<'a>(digests: &[&'a Digest], people: &'a [Person]) -> Vec<PersonView<'a>> {
    let mut turns: BTreeMap<&PersonId, Vec<&PersonTurn>> = BTreeMap::new();
    let mut sessions: BTreeMap<&PersonId, std::collections::BTreeSet<&SessionId>> = BTreeMap::new();
    for d in digests {
        for (person, turn) in &d.person_turns {
            sessions.entry(person).or_default().insert(&d.summary.id);
            turns.entry(person).or_default().push(turn);
        }
    }
    people
        .iter()
        .map(|p| {
            let turns = turns.remove(&p.id).unwrap_or_default();
            PersonView {
                person: p,
                bio_html: p.bio.as_deref().map(markdown::to_html),
                sessions: sessions.get(&p.id).map_or(0, |s| s.len()),
                turn_count: turns.len(),
                by_session: by_session(&turns),
                turns,
            }
        })
        .collect()
}
