//! A session as JSON: the edition model's facts under stable names, both
//! readings of every paragraph, each speaker resolved to the registry. The
//! shape is `data/schema/session.schema.json` (`schema/` in this crate),
//! and the tests validate every file against it.

use crate::Registry;
use serde::Serialize;
use verbatim_edition::{Confidence, Session, Span, Speaker, StageKind};

/// The format name and version each file states (`format`): a re-user's
/// program can tell what it reads, and a later shape a new number.
pub const FORMAT: &str = "verbatim-session/1";

#[derive(Serialize)]
struct SessionData<'a> {
    format: &'static str,
    id: &'a str,
    title: &'a str,
    meta: &'a verbatim_edition::Meta,
    tags: &'a [String],
    /// The raw transcript, relative to the edition's root.
    source: String,
    /// The session's page, relative to the site's root.
    page: String,
    sections: &'a [verbatim_edition::Section],
    recording: Option<&'a verbatim_edition::Recording>,
    turns: Vec<TurnData<'a>>,
    omitted: Vec<Omitted<'a>>,
}

#[derive(Serialize)]
struct TurnData<'a> {
    id: &'a str,
    /// The label as captioned.
    label: Option<&'a str>,
    /// The input line where the turn starts.
    line: usize,
    speaker: SpeakerData<'a>,
    paragraphs: Vec<ParagraphData<'a>>,
}

#[derive(Serialize)]
struct SpeakerData<'a> {
    kind: &'static str,
    person: Option<&'a str>,
    name: Option<&'a str>,
    evidence: Option<&'a str>,
    confidence: Option<&'static str>,
    /// The moment of the recording the evidence is heard at (ms).
    at_ms: Option<u64>,
}

#[derive(Serialize)]
struct ParagraphData<'a> {
    id: &'a str,
    /// The corrected reading.
    text: &'a str,
    /// The reading as captioned, where it differs from `text`.
    captioned: Option<&'a str>,
    stage: Option<StageKind>,
    lines: [usize; 2],
    time: Option<[u64; 2]>,
    former_ids: Vec<&'a str>,
    spans: Vec<SpanData<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum SpanData<'a> {
    Text {
        text: &'a str,
    },
    Stage {
        kind: StageKind,
        text: &'a str,
    },
    Correction {
        captioned: &'a str,
        text: &'a str,
        note: Option<&'a str>,
        by: Option<&'a str>,
        date: Option<&'a str>,
        at_ms: Option<u64>,
    },
    Note {
        number: usize,
        text: &'a str,
    },
}

#[derive(Serialize)]
struct Omitted<'a> {
    lines: [usize; 2],
    reason: &'static str,
    text: &'a str,
    note: Option<&'a str>,
}

/// The name a confidence has in the layers and the exports.
pub fn confidence_name(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// A speaker's kind, person, resolved name, evidence and confidence.
fn speaker<'a>(s: &'a Speaker, registry: &Registry<'a>) -> SpeakerData<'a> {
    let plain = |kind| SpeakerData {
        kind,
        person: None,
        name: None,
        evidence: None,
        confidence: None,
        at_ms: None,
    };
    match s {
        Speaker::Person { person } => SpeakerData {
            person: Some(person.as_str()),
            name: Some(registry.name_of(person.as_str())),
            ..plain("person")
        },
        Speaker::Attributed {
            person,
            evidence,
            confidence,
            at_ms,
        } => SpeakerData {
            person: Some(person.as_str()),
            name: Some(registry.name_of(person.as_str())),
            evidence: Some(evidence),
            confidence: Some(confidence_name(*confidence)),
            at_ms: *at_ms,
            ..plain("attributed")
        },
        Speaker::Generic { .. } => plain("generic"),
        Speaker::Unidentified { .. } => plain("unidentified"),
        Speaker::Anonymous => plain("anonymous"),
    }
}

/// The session as JSON (one line, then a newline).
pub fn session(session: &Session, registry: &Registry) -> String {
    let data = SessionData {
        format: FORMAT,
        id: session.id.as_str(),
        title: session.display_title(),
        meta: &session.meta,
        tags: &session.tags,
        source: crate::source_path(session),
        page: format!("sessions/{}.html", session.id),
        sections: &session.sections,
        recording: session.recording.as_ref(),
        turns: session
            .turns
            .iter()
            .map(|t| TurnData {
                id: t.id.as_str(),
                label: t.label.as_deref(),
                line: t.line,
                speaker: speaker(&t.speaker, registry),
                paragraphs: t
                    .paragraphs
                    .iter()
                    .map(|p| ParagraphData {
                        id: p.id.as_str(),
                        text: &p.text,
                        captioned: (p.original != p.text).then_some(p.original.as_str()),
                        stage: p.stage,
                        lines: p.lines,
                        time: p.time,
                        former_ids: p.former_ids.iter().map(|f| f.as_str()).collect(),
                        // A paragraph that is one plain span is its text.
                        spans: if matches!(p.spans.as_slice(), [Span::Text { .. }]) {
                            Vec::new()
                        } else {
                            p.spans.iter().map(span).collect()
                        },
                    })
                    .collect(),
            })
            .collect(),
        omitted: session
            .omitted
            .iter()
            .map(|o| Omitted {
                lines: o.lines,
                reason: o.reason.name(),
                text: &o.text,
                note: o.note.as_deref(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string(&data).unwrap_or_default();
    out.push('\n');
    out
}

fn span(s: &Span) -> SpanData<'_> {
    match s {
        Span::Text { text } => SpanData::Text { text },
        Span::Stage { kind, text } => SpanData::Stage { kind: *kind, text },
        Span::Correction {
            original,
            text,
            note,
            by,
            date,
            at_ms,
        } => SpanData::Correction {
            captioned: original,
            text,
            note: note.as_deref(),
            by: by.as_deref(),
            date: date.as_deref(),
            at_ms: *at_ms,
        },
        Span::Note { number, text } => SpanData::Note {
            number: *number,
            text,
        },
    }
}
