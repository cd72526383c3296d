//! What each page shows, as serialisable views for the templates. All
//! presentation lives in the theme; this module only selects and counts.

use super::config::Config;
use super::markdown;
use crate::diagnostics::Finding;
use crate::edition::{Omission, Person, Session, Span, Speaker};
use serde::Serialize;
use std::collections::BTreeMap;

/// Relative path of a session page: the file it is written to.
pub fn session_path(id: &str) -> String {
    format!("sessions/{id}.html")
}

/// What a URL path segment keeps as it is: RFC 3986's unreserved characters.
/// Everything else is percent-encoded, so a session named after its file
/// (`igf 2019 #3.txt`) is linked as `igf%202019%20%233.html`: a `#` or `?`
/// would otherwise end the path, and a `%` begin an escape.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The relative URL of a file of the site: `path` with each segment
/// percent-encoded (a path of plain names is its own URL).
pub fn url_of(path: &str) -> String {
    let segments: Vec<String> = path
        .split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    segments.join("/")
}

/// Relative URL of a session page (its [`session_path`], encoded).
pub fn session_url(id: &str) -> String {
    url_of(&session_path(id))
}

/// Relative path of a person page.
pub fn person_path(id: &str) -> String {
    format!("people/{id}.html")
}

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
    pub id: String,
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
    pub event: String,
    pub year: Option<i32>,
    pub place: Option<String>,
    pub sessions: Vec<SessionSummary>,
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
    pub person_turns: Vec<(String, PersonTurn)>,
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
                    .map(str::to_string)
                    .or_else(|| t.label.clone())
            })
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let person_turns = s
            .turns
            .iter()
            .filter_map(|t| {
                let person = t.speaker.person()?;
                let snippet = snippet(
                    t.paragraphs
                        .iter()
                        .filter(|p| p.stage.is_none())
                        .map(|p| p.text.as_str()),
                );
                Some((
                    person.to_string(),
                    PersonTurn {
                        session_title: s.display_title().to_string(),
                        session_url: session_url(&s.id),
                        turn_url: format!("{}#{}", session_url(&s.id), t.id),
                        date: s.meta.date.clone(),
                        snippet,
                        attributed: matches!(t.speaker, Speaker::Attributed { .. }),
                    },
                ))
            })
            .collect();
        Digest {
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
            &self.summary.id,
        )
    }
}

/// Sessions grouped by event, newest year first.
pub fn event_groups(digests: &[&Digest]) -> Vec<EventGroup> {
    let mut groups: BTreeMap<(i32, String), EventGroup> = BTreeMap::new();
    for d in digests {
        let event = d.event.clone().unwrap_or_else(|| "Other sessions".into());
        let key = (-(d.year.unwrap_or(0)), event.clone());
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
            })
            .sessions
            .push(d.summary.clone());
    }
    groups.into_values().collect()
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

fn bars(items: Vec<(String, usize, Option<String>)>) -> Vec<Bar> {
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

/// A turn as the session page shows it.
#[derive(Serialize)]
pub struct TurnView<'a> {
    pub id: &'a str,
    pub number: usize,
    /// `person`, `attributed`, `generic`, `unidentified` or `anonymous`.
    pub kind: &'static str,
    pub name: String,
    pub label: Option<&'a str>,
    pub person_url: Option<String>,
    pub evidence: Option<&'a str>,
    pub confidence: Option<String>,
    pub paragraphs: Vec<ParagraphView<'a>>,
    /// Plain-text citation of this turn, without its address.
    pub cite: String,
    /// The turn's address: absolute with a base URL, else relative (the
    /// theme's script makes it absolute from the reader's location).
    pub url: String,
}

/// A paragraph and its spans.
#[derive(Serialize)]
pub struct ParagraphView<'a> {
    pub id: &'a str,
    pub stage: Option<&'static str>,
    pub spans: Vec<SpanView<'a>>,
    pub former_ids: &'a [String],
}

/// A span: `text`, `stage`, `correction` or `note`. Every field is always
/// there (`none` when it does not apply): a theme may print `s.by` of a
/// correction without asking first whether an editor signed it, as Tera 2
/// rejects a missing field but prints `none` as nothing.
#[derive(Serialize)]
pub struct SpanView<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: &'a str,
    pub original: Option<&'a str>,
    pub note_html: Option<String>,
    pub by: Option<&'a str>,
    pub date: Option<&'a str>,
    pub stage: Option<&'static str>,
    pub number: Option<usize>,
    pub id: Option<String>,
}

/// An editorial note for the footnotes.
#[derive(Serialize)]
pub struct NoteView {
    pub number: usize,
    pub html: String,
    pub paragraph: String,
}

/// Everything the session template needs, borrowing the session's text
/// (the template engine copies what it reads; one copy is enough).
#[derive(Serialize)]
pub struct SessionView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub meta: &'a crate::edition::SessionMeta,
    pub source: String,
    pub turns: Vec<TurnView<'a>>,
    pub speakers: Vec<Bar>,
    pub notes: Vec<NoteView>,
    pub omitted: &'a [Omission],
    pub corrections: usize,
    pub words: usize,
}

fn name_of<'a>(people: &'a BTreeMap<&str, &Person>, id: &'a str) -> &'a str {
    people.get(id).map_or(id, |p| p.name.as_str())
}

/// Builds the session page's view.
pub fn session_view<'a>(
    s: &'a Session,
    people: &BTreeMap<&str, &Person>,
    config: &Config,
) -> SessionView<'a> {
    let page_url = session_url(&s.id);
    let mut notes = Vec::new();
    let mut corrections = 0;
    let mut words_by: BTreeMap<String, (usize, Option<String>, usize)> = BTreeMap::new(); // name → (words, url, first turn)
    let mut total_words = 0;
    let where_ = [
        s.meta.event.clone(),
        s.meta.city.clone(),
        s.meta.date.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    // A session whose source names no event, place or date is cited without
    // the parentheses ("in “Title”, turn 3"), not with empty ones.
    let where_ = if where_.is_empty() {
        String::new()
    } else {
        format!(" ({where_})")
    };
    let turns = s
        .turns
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (kind, name, person_url, evidence, confidence) = match &t.speaker {
                Speaker::Person { person } => (
                    "person",
                    name_of(people, person).to_string(),
                    Some(person_path(person)),
                    None,
                    None,
                ),
                Speaker::Attributed {
                    person,
                    evidence,
                    confidence,
                } => (
                    "attributed",
                    name_of(people, person).to_string(),
                    Some(person_path(person)),
                    Some(evidence.as_str()),
                    Some(format!("{confidence:?}").to_lowercase()),
                ),
                Speaker::Generic { label } => ("generic", title_case(label), None, None, None),
                Speaker::Unidentified { label } => {
                    ("unidentified", label.clone(), None, None, None)
                }
                Speaker::Anonymous => (
                    "anonymous",
                    "Unidentified speaker".to_string(),
                    None,
                    None,
                    None,
                ),
            };
            let paragraphs: Vec<ParagraphView> = t
                .paragraphs
                .iter()
                .map(|p| {
                    if p.stage.is_none() {
                        let w = crate::ingest::word_count(&p.text);
                        total_words += w;
                        // Looked up before inserting: a name is cloned once, not per paragraph.
                        match words_by.get_mut(name.as_str()) {
                            Some(e) => e.0 += w,
                            None => {
                                words_by.insert(name.clone(), (w, person_url.clone(), i));
                            }
                        }
                    }
                    let mut k = 0;
                    let spans = p
                        .spans
                        .iter()
                        .map(|span| match span {
                            Span::Text { text } => SpanView::plain("text", text),
                            Span::Stage { kind, text } => SpanView {
                                stage: Some(kind.name()),
                                ..SpanView::plain("stage", text)
                            },
                            Span::Correction {
                                original,
                                text,
                                note,
                                by,
                                date,
                            } => {
                                corrections += 1;
                                k += 1;
                                SpanView {
                                    original: Some(original),
                                    note_html: note.as_deref().map(markdown::to_inline_html),
                                    by: by.as_deref(),
                                    date: date.as_deref(),
                                    id: Some(format!("{}c{k}", p.id)),
                                    ..SpanView::plain("correction", text)
                                }
                            }
                            Span::Note { number, text } => {
                                notes.push(NoteView {
                                    number: *number,
                                    html: markdown::to_inline_html(text),
                                    paragraph: p.id.clone(),
                                });
                                SpanView {
                                    number: Some(*number),
                                    ..SpanView::plain("note", "")
                                }
                            }
                        })
                        .collect();
                    ParagraphView {
                        id: &p.id,
                        stage: p.stage.map(|k| k.name()),
                        spans,
                        former_ids: &p.former_ids,
                    }
                })
                .collect();
            let url = match &config.base_url {
                Some(base) => format!("{base}{page_url}#{}", t.id),
                None => format!("{page_url}#{}", t.id),
            };
            let cite = format!(
                "{name}, in “{}”{where_}, turn {} [{}].",
                s.display_title(),
                i + 1,
                t.id
            );
            TurnView {
                id: &t.id,
                number: i + 1,
                kind,
                name,
                label: t.label.as_deref(),
                person_url,
                evidence,
                confidence,
                paragraphs,
                cite,
                url,
            }
        })
        .collect();
    let mut shares: Vec<(String, usize, Option<String>, usize)> = words_by
        .into_iter()
        .map(|(n, (w, u, f))| (n, w, u, f))
        .collect();
    shares.sort_by(|a, b| b.1.cmp(&a.1).then(a.3.cmp(&b.3)));
    SessionView {
        id: &s.id,
        title: s.display_title(),
        meta: &s.meta,
        source: s.source.to_string_lossy().replace('\\', "/"),
        turns,
        speakers: bars(shares.into_iter().map(|(n, w, u, _)| (n, w, u)).collect()),
        notes,
        omitted: &s.omitted,
        corrections,
        words: total_words,
    }
}

impl<'a> SpanView<'a> {
    fn plain(kind: &'static str, text: &'a str) -> SpanView<'a> {
        SpanView {
            kind,
            text,
            original: None,
            note_html: None,
            by: None,
            date: None,
            stage: None,
            number: None,
            id: None,
        }
    }
}

/// `AUDIENCE MEMBER` → `Audience member`, for generic roles.
fn title_case(label: &str) -> String {
    let lower = label.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// One of a person's turns, as listed on their page.
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct PersonTurn {
    pub session_title: String,
    pub session_url: String,
    pub turn_url: String,
    pub date: Option<String>,
    pub snippet: String,
    pub attributed: bool,
}

/// Everything the person template needs. Turns are borrowed from the
/// digests: ten thousand people's pages need no copy of them.
#[derive(Serialize)]
pub struct PersonView<'a> {
    pub person: &'a Person,
    pub bio_html: Option<String>,
    pub turns: Vec<&'a PersonTurn>,
    pub turn_count: usize,
    pub sessions: usize,
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
    let mut turns: BTreeMap<&str, Vec<&PersonTurn>> = BTreeMap::new();
    let mut sessions: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for d in digests {
        for (person, turn) in &d.person_turns {
            sessions.entry(person).or_default().insert(&d.summary.id);
            turns.entry(person).or_default().push(turn);
        }
    }
    people
        .iter()
        .map(|p| {
            let turns = turns.remove(p.id.as_str()).unwrap_or_default();
            PersonView {
                person: p,
                bio_html: p.bio.as_deref().map(markdown::to_html),
                sessions: sessions.get(p.id.as_str()).map_or(0, |s| s.len()),
                turn_count: turns.len(),
                turns,
            }
        })
        .collect()
}

/// A Markdown page from `content/*.md`.
#[derive(Serialize)]
pub struct MarkdownPage {
    pub slug: String,
    pub title: String,
    pub html: String,
}

/// The pages the build writes at the site's top level: a Markdown page of
/// the same name would be overwritten by one of them, or overwrite it.
const RESERVED_PAGES: [&str; 5] = ["404", "events", "people", "search", "sessions"];

/// Reads `content/*.md` as pages; the first `# heading` is the title. A page
/// that cannot be read, is not UTF-8, or would be written over one of the
/// build's own pages (or another page, on a case-insensitive host) is an
/// error naming it, never a page silently left out.
pub fn markdown_pages(
    snapshot: &crate::snapshot::Snapshot,
) -> Result<Vec<MarkdownPage>, Vec<Finding>> {
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    let content = std::path::Path::new("content");
    // Pages of content/ itself (an unreadable one is among the snapshot's
    // findings, which stop the build before this).
    let paths = snapshot
        .under(content)
        .filter(|(p, _)| p.parent() == Some(content) && p.extension().is_some_and(|e| e == "md"));
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, _) in paths {
        let rel = path.to_path_buf();
        let bytes = snapshot.bytes(path).map_or(&[][..], |b| &b[..]);
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(e) => {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                errors.push(
                    Finding::error(&rel, line, 1, "the page is not valid UTF-8")
                        .help("re-save the file as UTF-8"),
                );
                continue;
            }
        };
        let slug = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let folded = slug.to_lowercase();
        if RESERVED_PAGES.contains(&folded.as_str()) {
            errors.push(
                Finding::error(&rel, 0, 0, format!("a page named `{slug}` would be written over the edition's own {folded}.html"))
                    .help("rename the file"),
            );
            continue;
        }
        if let Some(other) = seen.insert(folded, slug.clone()) {
            errors.push(
                Finding::error(&rel, 0, 0, format!("the pages `{slug}` and `{other}` differ only by case: one file on Windows, macOS and in zips"))
                    .help("rename one of the files"),
            );
            continue;
        }
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(str::trim)
            .map(str::to_string)
            .unwrap_or_else(|| slug.clone());
        pages.push(MarkdownPage {
            slug,
            title,
            html: markdown::to_html(&text),
        });
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
