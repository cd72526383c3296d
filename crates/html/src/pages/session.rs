//! A session page's view: the record turn by turn, paragraphs cut into
//! spans where corrections, notes and stage notes fall, and the apparatus.

use super::listing::{Bar, bars};
use super::paths::{person_path, session_url};
use crate::markdown;
use serde::Serialize;
use std::collections::BTreeMap;
use verbatim_edition::{
    Omission, ParagraphId, Person, PersonId, Recording, Session, SessionId, Span, Speaker, TurnId,
};
use verbatim_input::config::Config;

/// A turn as the session page shows it.
#[derive(Serialize)]
pub struct TurnView<'a> {
    pub id: &'a TurnId,
    pub number: usize,
    /// `person`, `attributed`, `generic`, `unidentified` or `anonymous`.
    pub kind: &'static str,
    pub name: String,
    pub label: Option<&'a str>,
    /// Whether the captioned label says something the name does not
    /// (`VINT CERF:` under "Vint Cerf" does not; `MODERATOR` does).
    pub label_differs: bool,
    pub person_url: Option<String>,
    pub evidence: Option<&'a str>,
    /// Where in the recording the evidence is heard, if the editor says.
    pub evidence_at: Option<Moment>,
    pub confidence: Option<String>,
    pub paragraphs: Vec<ParagraphView<'a>>,
    /// Plain-text citation of this turn, without its address.
    pub cite: String,
    /// The turn's address: absolute with a base URL, else relative (the
    /// theme's script makes it absolute from the reader's location).
    pub url: String,
    /// The section this turn starts, if it starts one.
    pub section: Option<&'a verbatim_edition::Section>,
    /// The same registered speaker's next turn in the session, if any.
    pub next_by_speaker: Option<&'a TurnId>,
}

/// A paragraph and its spans.
#[derive(Serialize)]
pub struct ParagraphView<'a> {
    pub id: &'a ParagraphId,
    pub stage: Option<&'static str>,
    pub spans: Vec<SpanView<'a>>,
    pub former_ids: &'a [ParagraphId],
    /// When it was said (`HH:MM:SS` from the recording's start), where the
    /// session names a recording and the paragraph has a time.
    pub time: Option<String>,
    /// The recording opened at that time.
    pub time_url: Option<String>,
    /// That time in whole seconds of the recording, for the page's player.
    pub time_seconds: Option<u64>,
}

/// A moment of the session's recording an editor names as evidence.
#[derive(Serialize, Clone)]
pub struct Moment {
    /// `HH:MM:SS` of the recording (of the transcript where the session
    /// names no recording).
    pub clock: String,
    /// The recording opened there, where the session names one.
    pub url: Option<String>,
    /// In whole seconds of the recording, for the page's player.
    pub seconds: u64,
}

impl Moment {
    /// The moment `ms` of the transcript's time; `root` leads from the page
    /// to the site's root (a media file of the edition is linked from it).
    fn new(recording: Option<&Recording>, ms: u64, root: &str) -> Moment {
        let offset = recording.map_or(0, |r| r.offset_ms);
        Moment {
            clock: verbatim_text::calendar::clock(ms + offset),
            url: recording.map(|r| match r.player {
                Some(_) => format!("{root}{}", r.at(ms)),
                None => r.at(ms),
            }),
            seconds: (ms + offset) / 1000,
        }
    }
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
    /// For a correction: the moment of the recording that bears it out.
    pub at: Option<Moment>,
}

/// A correction in the session's apparatus: where it is, both readings and
/// the editor's reasons.
#[derive(Serialize)]
pub struct CorrectionView<'a> {
    /// The correction's anchor in the record; its entry's is `<id>-note`.
    pub id: String,
    /// Its number in the session, from 1.
    pub number: usize,
    /// The turn it is in (its number, from 1).
    pub turn: usize,
    pub captioned: &'a str,
    pub corrected: &'a str,
    pub note_html: Option<String>,
    pub by: Option<&'a str>,
    pub date: Option<&'a str>,
    /// The moment of the recording that bears it out.
    pub at: Option<Moment>,
}

/// How far the editors have come with a session: the quality line.
#[derive(Serialize)]
pub struct QualityView {
    /// Turns spoken by someone of the registry, out of all turns.
    pub identified: usize,
    pub turns: usize,
    /// `identified` as a whole percentage (floored: 100 only when all are).
    pub identified_percent: usize,
    /// Marks of inaudible speech left in the corrected reading.
    pub inaudible: usize,
}

/// An editorial note for the footnotes.
#[derive(Serialize)]
pub struct NoteView {
    pub number: usize,
    pub html: String,
    pub paragraph: ParagraphId,
}

/// A session's metadata as the theme reads it (`view.meta.date`,
/// `view.meta.tags`): what the transcript stated or editors set, and the
/// editors' tags, side by side.
#[derive(Serialize)]
pub struct MetaView<'a> {
    /// Title, event, year, date, time, city, country, day, room, session
    /// code and where each was read (`sources`), flattened into the view.
    #[serde(flatten)]
    pub stated: &'a verbatim_edition::Meta,
    /// Editors' tags.
    pub tags: &'a [String],
}

/// Everything the session template needs, borrowing the session's text
/// (the template engine copies what it reads; one copy is enough).
#[derive(Serialize)]
pub struct SessionView<'a> {
    pub id: &'a SessionId,
    pub title: &'a str,
    pub meta: MetaView<'a>,
    pub source: String,
    pub turns: Vec<TurnView<'a>>,
    pub speakers: Vec<Bar>,
    pub notes: Vec<NoteView>,
    pub omitted: &'a [Omission],
    pub corrections: usize,
    pub words: usize,
    /// The session's data files (TEI, JSON, text, annotations): links from
    /// the site's root.
    pub data: Vec<DataLink>,
    /// The editors' sections, in order: the table of contents.
    pub sections: &'a [verbatim_edition::Section],
    /// Every correction, in the record's order: the apparatus.
    pub apparatus: Vec<CorrectionView<'a>>,
    pub quality: QualityView,
    /// What the page's script needs to cite a turn or a paragraph in every
    /// format (JSON, for a `data-cite` attribute): the session, the
    /// edition, its editors and version, the published address, the labels.
    pub citation: String,
    /// The session as schema.org JSON-LD, for reference managers and search
    /// engines (`<` escaped, so it cannot close its script element).
    pub jsonld: String,
    /// The registered speakers' names, for `citation_author`.
    pub authors: Vec<String>,
    /// The session's recording, where an editor named one; the page plays
    /// a media file of the edition itself (`recording.player`), and
    /// `recording_url` leads to it from the page.
    pub recording: Option<&'a Recording>,
    pub recording_url: Option<String>,
}

/// A link to one of a session's data files.
#[derive(Debug, Serialize)]
pub struct DataLink {
    /// The format's name, in the theme's words.
    pub format: String,
    pub media: &'static str,
    pub url: String,
}

fn name_of<'a>(people: &'a BTreeMap<&PersonId, &Person>, id: &'a PersonId) -> &'a str {
    people.get(id).map_or(id.as_str(), |p| p.name.as_str())
}

/// Builds the session page's view.
pub fn session_view<'a>(
    s: &'a Session,
    people: &BTreeMap<&PersonId, &Person>,
    config: &Config,
    strings: &crate::i18n::Catalogue,
) -> SessionView<'a> {
    let page_url = session_url(&s.id);
    // From the page back to the site's root.
    let root = "../".repeat(super::paths::session_path(&s.id).matches('/').count());
    let recording = s.recording.as_ref();
    let mut notes = Vec::new();
    let mut corrections = 0;
    let mut apparatus = Vec::new();
    let mut words_by: BTreeMap<String, (usize, Option<String>, usize)> = BTreeMap::new(); // name → (words, url, first turn)
    let mut total_words = 0;
    let where_ = [
        s.meta.event.clone(),
        s.meta.city.clone(),
        s.meta.date.as_deref().map(|d| strings.date(d)),
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
    // The edition, as every citation of the page ends.
    let editors = if config.editors.is_empty() {
        String::new()
    } else {
        strings.get("cite.editors", &[("editors", &config.editors.join(", "))])
    };
    let version = config
        .version
        .as_deref()
        .map(|v| strings.get("cite.version", &[("version", v)]))
        .unwrap_or_default();
    let in_edition = strings.get(
        "cite.in_edition",
        &[
            ("edition", &config.title),
            ("editors", &editors),
            ("version", &version),
        ],
    );
    // Each registered speaker's next turn, for a long session's "next turn
    // by …" link: by person, found walking back from the end.
    let mut next_by: Vec<Option<&TurnId>> = vec![None; s.turns.len()];
    let mut later: BTreeMap<&PersonId, &TurnId> = BTreeMap::new();
    for (i, t) in s.turns.iter().enumerate().rev() {
        if let Some(person) = t.speaker.person() {
            next_by[i] = later.get(person).copied();
            later.insert(person, &t.id);
        }
    }
    let turns = s
        .turns
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut evidence_at = None;
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
                    at_ms,
                } => {
                    evidence_at = at_ms.map(|ms| Moment::new(recording, ms, &root));
                    (
                        "attributed",
                        name_of(people, person).to_string(),
                        Some(person_path(person)),
                        Some(evidence.as_str()),
                        Some(format!("{confidence:?}").to_lowercase()),
                    )
                }
                Speaker::Generic { label } => ("generic", title_case(label), None, None, None),
                Speaker::Unidentified { label } => {
                    ("unidentified", label.clone(), None, None, None)
                }
                Speaker::Anonymous => (
                    "anonymous",
                    strings.get("record.unidentified_speaker", &[]),
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
                        let w = verbatim_text::word_count(&p.text);
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
                                at_ms,
                            } => {
                                corrections += 1;
                                k += 1;
                                let at = at_ms.map(|ms| Moment::new(recording, ms, &root));
                                apparatus.push(CorrectionView {
                                    id: format!("{}c{k}", p.id),
                                    number: corrections,
                                    turn: i + 1,
                                    captioned: original,
                                    corrected: text,
                                    note_html: note.as_deref().map(markdown::to_inline_html),
                                    by: by.as_deref(),
                                    date: date.as_deref(),
                                    at: at.clone(),
                                });
                                SpanView {
                                    number: Some(corrections),
                                    at,
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
                    let moment = recording
                        .zip(p.time)
                        .map(|(r, [start, _])| Moment::new(Some(r), start, &root));
                    ParagraphView {
                        id: &p.id,
                        stage: p.stage.map(|k| k.name()),
                        spans,
                        former_ids: &p.former_ids,
                        time_seconds: moment.as_ref().map(|m| m.seconds),
                        time: moment.as_ref().map(|m| m.clock.clone()),
                        time_url: moment.and_then(|m| m.url),
                    }
                })
                .collect();
            let url = match &config.base_url {
                Some(base) => format!("{base}{page_url}#{}", t.id),
                None => format!("{page_url}#{}", t.id),
            };
            // The turn's moment in the recording, where there is one.
            let at = paragraphs.first().and_then(|p| p.time.clone());
            let at = at
                .map(|at| strings.get("record.citation_at", &[("time", &at)]))
                .unwrap_or_default();
            let cite = strings.get(
                "record.citation",
                &[
                    ("name", &name),
                    ("title", s.display_title()),
                    ("where", &where_),
                    ("n", &(i + 1).to_string()),
                    ("id", t.id.as_str()),
                    ("at", &at),
                ],
            ) + " "
                + &in_edition;
            let label_differs = t
                .label
                .as_deref()
                .is_some_and(|l| letters(l) != letters(&name));
            TurnView {
                label_differs,
                next_by_speaker: next_by[i],
                section: s.section_at(&t.id),
                id: &t.id,
                number: i + 1,
                kind,
                name,
                label: t.label.as_deref(),
                person_url,
                evidence,
                evidence_at,
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
    let published = config
        .base_url
        .as_ref()
        .map(|base| format!("{base}{page_url}"));
    let authors: Vec<String> = shares
        .iter()
        .filter(|(_, _, url, _)| url.is_some())
        .map(|(name, ..)| name.clone())
        .collect();
    let citation = serde_json::json!({
        "session": s.display_title(),
        "id": s.id.as_str(),
        "event": s.meta.event,
        "place": s.meta.city,
        "date": s.meta.date,
        "edition": config.title,
        "editors": config.editors,
        "version": config.version,
        "published": published,
        "labels": {
            "cite_paragraph": strings.get("cite.paragraph", &[]),
            "copy": strings.get("cite.copy", &[]),
            "copied": strings.get("cite.copied", &[]),
            "close": strings.get("close", &[]),
            "text": strings.get("cite.text", &[]),
            "accessed": strings.get("cite.accessed", &[]),
            "on_disk": strings.get("cite.on_disk", &[]),
            "paragraph": strings.get("cite.paragraph_n", &[]),
            "turn": strings.get("cite.turn_n", &[]),
        },
    })
    .to_string();
    let mut jsonld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "additionalType": "Transcript",
        "name": s.display_title(),
        "inLanguage": config.language,
        "isPartOf": { "@type": "Collection", "name": config.title, "version": config.version },
        "editor": config.editors.iter().map(|e| serde_json::json!({ "@type": "Person", "name": e })).collect::<Vec<_>>(),
        "contributor": authors.iter().map(|a| serde_json::json!({ "@type": "Person", "name": a })).collect::<Vec<_>>(),
    });
    if let Some(date) = &s.meta.date {
        jsonld["dateCreated"] = serde_json::json!(date);
    }
    if let Some(event) = &s.meta.event {
        jsonld["about"] =
            serde_json::json!({ "@type": "Event", "name": event, "location": s.meta.city });
    }
    if let Some(url) = &published {
        jsonld["url"] = serde_json::json!(url);
    }
    if let Some(license) = &config.license_url {
        jsonld["license"] = serde_json::json!(license);
    }
    let jsonld = jsonld.to_string().replace('<', "\\u003c");
    SessionView {
        citation,
        jsonld,
        authors,
        id: &s.id,
        title: s.display_title(),
        meta: MetaView {
            stated: &s.meta,
            tags: &s.tags,
        },
        source: s.source.to_string_lossy().replace('\\', "/"),
        turns,
        speakers: bars(shares.into_iter().map(|(n, w, u, _)| (n, w, u)).collect()),
        notes,
        omitted: &s.omitted,
        corrections,
        words: total_words,
        sections: &s.sections,
        apparatus,
        quality: quality(s),
        recording,
        recording_url: recording.map(|r| match r.player {
            Some(_) => format!("{root}{}", r.url),
            None => r.url.clone(),
        }),
        data: verbatim_output::SESSION_DATA
            .iter()
            .filter(|(name, ..)| config.data.publishes(name))
            .map(|(name, extension, _, media)| DataLink {
                format: super::data::format_name(name, strings),
                media,
                url: verbatim_output::url_of(&verbatim_output::data_file(&s.id, extension)),
            })
            .collect(),
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
            at: None,
        }
    }
}

/// The session's quality line: identified turns and inaudible marks left.
fn quality(s: &Session) -> QualityView {
    let turns = s.turns.len();
    let identified = s
        .turns
        .iter()
        .filter(|t| t.speaker.person().is_some())
        .count();
    let inaudible = s
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .map(|p| {
            let whole = usize::from(p.stage == Some(verbatim_edition::StageKind::Inaudible));
            let inside = p
                .spans
                .iter()
                .filter(|span| {
                    matches!(
                        span,
                        Span::Stage {
                            kind: verbatim_edition::StageKind::Inaudible,
                            ..
                        }
                    )
                })
                .count();
            // A paragraph that is one inaudible mark holds it as a span too.
            whole.max(inside)
        })
        .sum();
    QualityView {
        identified,
        turns,
        identified_percent: (identified * 100).checked_div(turns).unwrap_or(0),
        inaudible,
    }
}

/// A name's letters and digits, folded: what two spellings of it share.
fn letters(name: &str) -> String {
    verbatim_text::fold(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
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

/// The sessions just before and after one in the edition, as its page
/// links to them (at its foot and as `<link rel="prev">`/`"next"`).
#[derive(Serialize, Debug, Default)]
pub struct PlaceView {
    pub previous: Option<NeighbourView>,
    pub next: Option<NeighbourView>,
}

/// A session linked from another's page: enough to recognise it.
#[derive(Serialize, Debug)]
pub struct NeighbourView {
    pub title: String,
    /// ISO 8601, when known.
    pub date: Option<String>,
    /// From the site's root, percent-encoded.
    pub url: String,
}

impl PlaceView {
    /// The view of `place`.
    pub fn of(place: &verbatim_output::Neighbours) -> PlaceView {
        let view = |l: &verbatim_output::Listing| NeighbourView {
            title: l.title.clone(),
            date: l.date.clone(),
            url: super::paths::session_url(&l.id),
        };
        PlaceView {
            previous: place.previous.as_ref().map(view),
            next: place.next.as_ref().map(view),
        }
    }
}
