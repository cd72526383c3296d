//! The edition-wide listings (home, events, feeds, charts): what they need
//! of each session (its [`Digest`]), and the groups and counts made of it.

use super::paths::session_url;
use super::person::PersonTurn;
use serde::Serialize;
use std::collections::BTreeMap;
use verbatim_edition::{PersonId, Session, SessionId, Speaker};

/// The first 160 characters of a turn's paragraphs joined by spaces, with
/// `…` when there is more. Reads no further than it keeps (a turn may be a
/// speech of thousands of words, and every turn of every person is digested).
fn snippet<'a>(paragraphs: impl Iterator<Item = &'a str>) -> String {
    const LENGTH: usize = 160;
    let mut snippet = String::new();
    let mut kept = 0;
    for (i, text) in paragraphs.enumerate() {
        let parts = (i > 0).then_some(" ").into_iter().chain([text]);
        for part in parts {
            for (at, _) in part.char_indices() {
                if kept == LENGTH {
                    snippet.push_str(&part[..at]);
                    snippet.push('…');
                    return snippet;
                }
                kept += 1;
            }
            snippet.push_str(part);
        }
    }
    snippet
}

/// A session as listed on the home and events pages.
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct SessionSummary {
    pub id: SessionId,
    pub url: String,
    pub title: String,
    pub date: Option<String>,
    pub code: Option<String>,
    pub room: Option<String>,
    pub turns: usize,
    pub speakers: usize,
    pub corrections: usize,
}

/// Sessions of one event.
#[derive(Serialize, Clone)]
pub struct EventGroup {
    /// The event's name; none for the sessions of no known event, which the
    /// theme names in the edition's language.
    pub event: Option<String>,
    pub year: Option<i32>,
    pub place: Option<String>,
    pub sessions: Vec<SessionSummary>,
    /// The event's own page (`events/igf-2013.html`) when the edition is
    /// too large for one Events page (see [`event_pages`]); none otherwise,
    /// and the event is a section of `events.html`.
    pub page: Option<String>,
}

/// One bar of a chart, with its size already scaled (0–100).
#[derive(Serialize, Clone)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub percent: f64,
    pub scaled: f64,
    pub url: Option<String>,
}

/// Edition-wide counts for the home page.
#[derive(Serialize)]
pub struct Totals {
    pub sessions: usize,
    pub turns: usize,
    pub people: usize,
    pub corrections: usize,
}

/// What the edition-wide pages (home, events, people, feeds) need of one
/// session: computed while the session is rendered, so the session itself need
/// not be kept, and small enough to cache.
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct Digest {
    pub summary: SessionSummary,
    pub event: Option<String>,
    pub year: Option<i32>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// The session's turns by identified people, for their pages.
    pub person_turns: Vec<(PersonId, PersonTurn)>,
    /// The editors' corrections and attributions, for the edition's apparatus page.
    pub edits: Vec<Edit>,
    /// A hash of `edits`, and of each person's `person_turns` (by person
    /// id), made once with the digest: an edition-wide page that shows
    /// them is keyed by these, not by serializing them again at every
    /// build (400,000 decisions and two million turns at 20,000 sessions).
    pub edits_key: u64,
    pub person_keys: Vec<(PersonId, u64)>,
}

/// One editorial decision in a session, as the edition-wide apparatus lists
/// it: a correction (both readings) or an attribution (who, on what evidence).
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct Edit {
    /// Where it is on the session's page (a paragraph or a turn).
    pub url: String,
    /// The turn's number in the session, from 1.
    pub turn: usize,
    /// For a correction: the captioned and the corrected reading.
    pub captioned: Option<String>,
    pub corrected: Option<String>,
    /// For an attribution: the person, the evidence and its confidence.
    pub person: Option<PersonId>,
    pub evidence: Option<String>,
    pub confidence: Option<String>,
    /// The editor's note (Markdown), who made it and when.
    pub note: Option<String>,
    pub by: Option<String>,
    pub date: Option<String>,
}

impl Digest {
    /// Digests a merged session.
    pub fn of(s: &Session) -> Digest {
        let speakers = s
            .turns
            .iter()
            .filter_map(|t| {
                t.speaker
                    .person()
                    .map(|p| p.as_str().to_string())
                    .or_else(|| t.label.clone())
            })
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        // The section each turn is in: the last to start at or before it.
        let mut current: Option<&str> = None;
        let in_section: Vec<Option<&str>> = s
            .turns
            .iter()
            .map(|t| {
                if let Some(section) = s.section_at(&t.id) {
                    current = Some(&section.title);
                }
                current
            })
            .collect();
        let person_turns: Vec<(PersonId, PersonTurn)> = s
            .turns
            .iter()
            .zip(&in_section)
            .enumerate()
            .filter_map(|(i, (t, section))| {
                let person = t.speaker.person()?;
                let snippet = snippet(
                    t.paragraphs
                        .iter()
                        .filter(|p| p.stage.is_none())
                        .map(|p| p.text.as_str()),
                );
                Some((
                    person.clone(),
                    PersonTurn {
                        session_title: s.display_title().to_string(),
                        session_url: session_url(&s.id),
                        turn_url: format!("{}#{}", session_url(&s.id), t.id),
                        number: i + 1,
                        date: s.meta.date.clone(),
                        snippet,
                        attributed: matches!(t.speaker, Speaker::Attributed { .. }),
                        section: section.map(str::to_string),
                    },
                ))
            })
            .collect();
        let mut edits = Vec::new();
        for (i, t) in s.turns.iter().enumerate() {
            if let Speaker::Attributed {
                person,
                evidence,
                confidence,
                ..
            } = &t.speaker
            {
                edits.push(Edit {
                    url: format!("{}#{}", session_url(&s.id), t.id),
                    turn: i + 1,
                    captioned: None,
                    corrected: None,
                    person: Some(person.clone()),
                    evidence: Some(evidence.clone()),
                    confidence: Some(format!("{confidence:?}").to_lowercase()),
                    note: None,
                    by: None,
                    date: None,
                });
            }
            for p in &t.paragraphs {
                // The correction's anchor on the page: `<paragraph>c<k>`.
                let mut k = 0;
                for span in &p.spans {
                    if let verbatim_edition::Span::Correction {
                        original,
                        text,
                        note,
                        by,
                        date,
                        ..
                    } = span
                    {
                        k += 1;
                        edits.push(Edit {
                            url: format!("{}#{}c{k}", session_url(&s.id), p.id),
                            turn: i + 1,
                            captioned: Some(original.clone()),
                            corrected: Some(text.clone()),
                            person: None,
                            evidence: None,
                            confidence: None,
                            note: note.clone(),
                            by: by.clone(),
                            date: date.clone(),
                        });
                    }
                }
            }
        }
        let edits_key = {
            let mut key = verbatim_output::KeyWriter::new(0);
            key.json(&edits);
            key.finish()
        };
        let mut by_person: std::collections::BTreeMap<&PersonId, Vec<&PersonTurn>> =
            Default::default();
        for (person, turn) in &person_turns {
            by_person.entry(person).or_default().push(turn);
        }
        let person_keys = by_person
            .into_iter()
            .map(|(person, turns)| {
                let mut key = verbatim_output::KeyWriter::new(0);
                key.json(&turns);
                (person.clone(), key.finish())
            })
            .collect();
        Digest {
            edits,
            edits_key,
            person_keys,
            summary: SessionSummary {
                id: s.id.clone(),
                url: session_url(&s.id),
                title: s.display_title().to_string(),
                date: s.meta.date.clone(),
                code: s.meta.session_code.clone(),
                room: s.meta.room.clone(),
                turns: s.turns.len(),
                speakers,
                corrections: s.corrections(),
            },
            event: s.meta.event.clone(),
            year: s.meta.year,
            city: s.meta.city.clone(),
            country: s.meta.country.clone(),
            person_turns,
        }
    }

    /// The order of sessions everywhere: by date (undated last), then id.
    pub fn order(&self) -> (bool, Option<&str>, &str) {
        (
            self.summary.date.is_none(),
            self.summary.date.as_deref(),
            self.summary.id.as_str(),
        )
    }
}

/// Sessions grouped by event, newest year first.
pub fn event_groups(digests: &[&Digest]) -> Vec<EventGroup> {
    let mut groups: BTreeMap<(i32, bool, Option<String>), EventGroup> = BTreeMap::new();
    for d in digests {
        let event = d.event.clone();
        // Within a year, the named events by name, then the sessions of none.
        let key = event_order(event.as_deref(), d.year);
        let place = match (&d.city, &d.country) {
            (Some(c), Some(k)) => Some(format!("{c}, {k}")),
            (Some(c), None) => Some(c.clone()),
            (None, k) => k.clone(),
        };
        groups
            .entry(key)
            .or_insert_with(|| EventGroup {
                event,
                year: d.year,
                place,
                sessions: Vec::new(),
                page: None,
            })
            .sessions
            .push(d.summary.clone());
    }
    groups.into_values().collect()
}

/// Above this many sessions, each event has its own page and the Events
/// page lists the events: one page of every session grew with the edition
/// (3.7 MB at 20,000 sessions).
pub const SESSIONS_ON_THE_EVENTS_PAGE: usize = 500;

/// Gives each group its own page when the edition has more than
/// [`SESSIONS_ON_THE_EVENTS_PAGE`] sessions: `events/<name>.html`, the name
/// folded to ASCII letters, digits and hyphens (`IGF 2013` →
/// `igf-2013`; sessions of no known event `other-<year>`), a later group
/// of the same name numbered (`-2`). Named after the event rather than its
/// place in the list, so that an address stays when events are added.
pub fn event_pages(groups: &mut [EventGroup]) {
    let sessions: usize = groups.iter().map(|g| g.sessions.len()).sum();
    if sessions <= SESSIONS_ON_THE_EVENTS_PAGE {
        return;
    }
    let names = event_names(
        groups
            .iter()
            .map(|g| (g.event.as_deref(), g.year, g.sessions.len())),
    );
    for (g, name) in groups.iter_mut().zip(names) {
        g.page = Some(format!("events/{name}.html"));
    }
}

/// The order of events in the edition: by year, newest first, then the
/// named events by name, then the sessions of none.
pub fn event_order(event: Option<&str>, year: Option<i32>) -> (i32, bool, Option<String>) {
    (
        -(year.unwrap_or(0)),
        event.is_none(),
        event.map(str::to_string),
    )
}

/// The names of events given in [`event_order`] with their session
/// counts, for their pages and their data archives: the event folded to
/// ASCII letters, digits and hyphens (`IGF 2013` → `igf-2013`; sessions of
/// no known event `other-<year>`). When one event's sessions are dated in
/// several years (each year is a group), the group with the most sessions
/// keeps the plain name and the others add their year (`igf-2013-2014`),
/// so that a few misdated sessions never take the event's address.
pub fn event_names<'a>(
    events: impl Iterator<Item = (Option<&'a str>, Option<i32>, usize)>,
) -> Vec<String> {
    let events: Vec<(String, Option<i32>, usize)> = events
        .map(|(event, year, count)| {
            let name = match (event, year) {
                (Some(event), _) => event.to_string(),
                (None, Some(year)) => format!("other {year}"),
                (None, None) => "other".to_string(),
            };
            let mut slug = String::new();
            for c in verbatim_text::fold(&name).chars() {
                if c.is_ascii_alphanumeric() {
                    slug.push(c.to_ascii_lowercase());
                } else if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                }
            }
            let slug = match slug.trim_end_matches('-') {
                "" => "event".to_string(),
                s => s.to_string(),
            };
            (slug, year, count)
        })
        .collect();
    // Who gets a name first: the most sessions, then the newest year, then
    // the edition's order.
    let mut turn: Vec<usize> = (0..events.len()).collect();
    turn.sort_by_key(|&i| {
        (
            std::cmp::Reverse(events[i].2),
            std::cmp::Reverse(events[i].1),
            i,
        )
    });
    let mut taken = std::collections::BTreeSet::new();
    let mut names = vec![String::new(); events.len()];
    for i in turn {
        let (slug, year, _) = &events[i];
        let mut unique = slug.clone();
        if taken.contains(&unique)
            && let Some(year) = year
        {
            unique = format!("{slug}-{year}");
        }
        let mut n = 1;
        while taken.contains(&unique) {
            n += 1;
            unique = format!("{slug}-{n}");
        }
        taken.insert(unique.clone());
        names[i] = unique;
    }
    names
}

/// Edition-wide counts.
pub fn totals(digests: &[&Digest], people: usize) -> Totals {
    Totals {
        sessions: digests.len(),
        turns: digests.iter().map(|d| d.summary.turns).sum(),
        people,
        corrections: digests.iter().map(|d| d.summary.corrections).sum(),
    }
}

/// Sessions per year, oldest first, for the home page chart.
pub fn sessions_per_year(digests: &[&Digest]) -> Vec<Bar> {
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for d in digests {
        if let Some(y) = d.year {
            *years.entry(y).or_default() += 1;
        }
    }
    bars(
        years
            .into_iter()
            .map(|(y, n)| (y.to_string(), n, None))
            .collect(),
    )
}

/// Bars of a chart from (label, count, link) items, scaled to the total and
/// to the largest.
pub(super) fn bars(items: Vec<(String, usize, Option<String>)>) -> Vec<Bar> {
    let total: usize = items.iter().map(|i| i.1).sum::<usize>().max(1);
    let max = items.iter().map(|i| i.1).max().unwrap_or(1).max(1);
    items
        .into_iter()
        .map(|(label, value, url)| Bar {
            label,
            value,
            percent: (value as f64 * 1000.0 / total as f64).round() / 10.0,
            scaled: (value as f64 * 1000.0 / max as f64).round() / 10.0,
            url,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::snippet;
    use proptest::prelude::*;

    proptest! {
        /// A snippet is the first 160 characters of the paragraphs joined by
        /// spaces, and `…` exactly when the joined text is longer.
        #[test]
        fn a_snippet_is_the_joined_texts_first_160_characters(
            paragraphs in proptest::collection::vec("[a é中]{0,90}", 0..6)
        ) {
            let joined = paragraphs.join(" ");
            let mut expected: String = joined.chars().take(160).collect();
            if joined.chars().count() > 160 {
                expected.push('…');
            }
            prop_assert_eq!(snippet(paragraphs.iter().map(String::as_str)), expected);
        }
    }
}

#[cfg(test)]
mod event_name_tests {
    use super::*;

    /// An event's name is its own; when its sessions are dated in several
    /// years, the year with the most keeps it and the others add theirs.
    #[test]
    fn an_event_is_named_after_itself_and_its_misdated_sessions_after_their_year() {
        let names = event_names(
            [
                (Some("IGF 2013"), Some(2014), 3),
                (Some("IGF 2013"), Some(2013), 300),
                (Some("IGF 2013 "), Some(2013), 1),
                (None, Some(2013), 5),
                (Some("Forum de l’IGF — Genève"), Some(2017), 12),
                (None, None, 1),
            ]
            .into_iter(),
        );
        assert_eq!(
            names,
            [
                "igf-2013-2014",
                "igf-2013",
                "igf-2013-2013",
                "other-2013",
                "forum-de-l-igf-geneve",
                "other"
            ]
        );
    }
}
