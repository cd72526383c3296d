//! The people pages' views: a person's turns across the edition, gathered
//! from the sessions' digests.

use super::listing::Digest;
use crate::markdown;
use serde::Serialize;
use std::collections::HashMap;
use verbatim_edition::{Person, PersonId};

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
    /// What the page shows beyond the person: a hash of their turns'
    /// hashes session by session (see [`Digest::person_keys`]).
    #[serde(skip)]
    pub turns_key: u64,
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
    let number: HashMap<&PersonId, usize, rustc_hash::FxBuildHasher> =
        people.iter().enumerate().map(|(i, p)| (&p.id, i)).collect();
    let mut turns: Vec<Vec<&PersonTurn>> = vec![Vec::new(); people.len()];
    let mut keys: Vec<verbatim_output::KeyWriter> = (0..people.len())
        .map(|_| verbatim_output::KeyWriter::new(0))
        .collect();
    // Sessions a person speaks in, counted once each.
    let mut sessions = vec![0usize; people.len()];
    for d in digests {
        for (person, turn) in &d.person_turns {
            if let Some(&i) = number.get(person) {
                turns[i].push(turn);
            }
        }
        for (person, key) in &d.person_keys {
            if let Some(&i) = number.get(person) {
                sessions[i] += 1;
                keys[i].part(d.summary.id.as_str().as_bytes());
                keys[i].part(&key.to_le_bytes());
            }
        }
    }
    people
        .iter()
        .zip(turns)
        .zip(keys.iter().zip(sessions))
        .map(|((p, turns), (key, sessions))| PersonView {
            person: p,
            bio_html: p.bio.as_deref().map(markdown::to_html),
            sessions,
            turn_count: turns.len(),
            by_session: by_session(&turns),
            turns,
            turns_key: key.finish(),
        })
        .collect()
}

/// Above this many people, the People page is an index of initials, each
/// initial's names on its own page: one page of every name was 1.5 MB with
/// 12,000 people.
pub const PEOPLE_ON_THE_PEOPLE_PAGE: usize = 1000;

/// One initial of the index of names: its label (`A`; `#` for names that
/// do not begin with a letter), its page (`names/a.html`, `names/other.html`)
/// and which rows (sorted by folded name) it holds.
#[derive(Serialize, Debug, PartialEq)]
pub struct Letter {
    pub label: String,
    pub page: String,
    pub count: usize,
    /// Runs of rows: names of no letter may sort both before the letters
    /// (digits) and after them (scripts the folding keeps).
    #[serde(skip)]
    pub rows: Vec<std::ops::Range<usize>>,
}

/// The initials of `rows` (sorted by folded name, as the People page sorts
/// them), when there are more than [`PEOPLE_ON_THE_PEOPLE_PAGE`]; none
/// otherwise (the People page lists everyone). The names of no letter
/// come first, under `#`.
pub fn name_letters(rows: &[PersonRow]) -> Vec<Letter> {
    if rows.len() <= PEOPLE_ON_THE_PEOPLE_PAGE {
        return Vec::new();
    }
    let mut letters: std::collections::BTreeMap<Option<char>, Letter> = Default::default();
    for (i, row) in rows.iter().enumerate() {
        let initial = verbatim_text::fold(&row.person.name)
            .chars()
            .next()
            .filter(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase());
        let letter = letters.entry(initial).or_insert_with(|| Letter {
            label: initial.map_or("#".to_string(), |c| c.to_ascii_uppercase().to_string()),
            page: format!(
                "names/{}.html",
                initial.map_or("other".to_string(), String::from)
            ),
            count: 0,
            rows: Vec::new(),
        });
        letter.count += 1;
        match letter.rows.last_mut() {
            Some(run) if run.end == i => run.end = i + 1,
            _ => letter.rows.push(i..i + 1),
        }
    }
    letters.into_values().collect()
}

#[cfg(test)]
mod letter_tests {
    use super::*;

    /// Every row is under exactly one initial, in order; names of no
    /// letter, before or after the letters, are under `#`.
    #[test]
    fn names_are_indexed_by_initial() {
        let names: Vec<String> = ["1Net", "Ångström", "Avri", "Bertrand", "Çağrı", "Zed", "李"]
            .into_iter()
            .cycle()
            .take(PEOPLE_ON_THE_PEOPLE_PAGE + 1)
            .collect::<Vec<_>>()
            .into_iter()
            .enumerate()
            .map(|(i, n)| format!("{n}{i:05}"))
            .collect();
        let people: Vec<Person> = names
            .iter()
            .map(|n| Person {
                id: PersonId::new(verbatim_text::fold(n)),
                name: n.clone(),
                aliases: Vec::new(),
                affiliation: None,
                role: None,
                country: None,
                stakeholder: None,
                links: Vec::new(),
                bio: None,
            })
            .collect();
        let mut rows: Vec<PersonRow> = people
            .iter()
            .map(|p| PersonRow {
                person: p,
                turn_count: 0,
                sessions: 0,
            })
            .collect();
        rows.sort_by_cached_key(|r| verbatim_text::fold(&r.person.name));
        let letters = name_letters(&rows);
        let labels: Vec<&str> = letters.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["#", "A", "B", "C", "Z"]);
        let mut seen: Vec<usize> = letters
            .iter()
            .flat_map(|l| l.rows.iter().cloned().flatten())
            .collect();
        assert_eq!(letters.iter().map(|l| l.count).sum::<usize>(), rows.len());
        seen.sort();
        assert_eq!(seen, (0..rows.len()).collect::<Vec<_>>());
        assert_eq!(letters[0].page, "names/other.html");
        assert_eq!(letters[1].page, "names/a.html");
        assert!(letters[1].rows.iter().cloned().flatten().all(|i| {
            let n = &rows[i].person.name;
            n.starts_with('Å') || n.starts_with('A')
        }));
        assert!(name_letters(&rows[..PEOPLE_ON_THE_PEOPLE_PAGE]).is_empty());
    }
}
