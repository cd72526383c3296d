//! Merging one session's layers onto its transcript, reporting every layer
//! entry that cannot be applied. Nothing an editor wrote is dropped silently:
//! each entry is applied or produces an error naming its YAML location.
//!
//! This module is the driver ([`merge_session`]): the steps it runs in order
//! live in submodules by concern.

mod meta;
mod paragraphs;
mod quotes;
mod recording;
mod sections;
mod speakers;
mod structure;
mod warnings;
mod working;

use super::{Layer, Registry};
use meta::merge_meta;
use paragraphs::build_paragraph;
use quotes::{ParagraphIndex, QuoteHits, Quoted, SessionText, resolve_quote};
use speakers::{resolve_attributions, resolve_speakers, speaker_for};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use structure::apply_structure;
use verbatim_diagnostics::Finding;
use verbatim_edition::{self as edition, Omission, Session, SessionId};
use verbatim_ingest::Transcript;
use warnings::warn_open_questions;
use working::{Anchor, WorkingParagraph, WorkingTurn};

/// What one session's merge needs.
pub struct SessionInput<'a> {
    /// The session id (content file stem).
    pub id: &'a SessionId,
    /// The content file, relative to the edition root.
    pub source_path: &'a Path,
    /// The content file's text, for warnings with snippets.
    pub source_text: Arc<str>,
    /// The parsed transcript.
    pub transcript: Transcript,
    /// This session's layers, in application order.
    pub layers: Vec<&'a Layer>,
    /// The edition's media files (`media/…`, relative to the root), which a
    /// `recording: file:` may name.
    pub media: &'a BTreeSet<String>,
}

/// A session's metadata alone, as [`merge_session`] gives it: its
/// transcript's (heading and meta lines) with its layers' `meta:` entries,
/// without merging any text. Conflicts are reported when the session is
/// merged; here the first value set stands.
pub fn merge_session_meta(
    layers: &[&Layer],
    transcript: verbatim_ingest::Meta,
) -> verbatim_ingest::Meta {
    merge_meta(layers, transcript, &mut Vec::new()).0
}

/// Merges `input.layers` onto the transcript, pushing findings for anything
/// that cannot be applied, and returns the edition session.
pub fn merge_session(
    input: SessionInput<'_>,
    registry: &Registry,
    findings: &mut Vec<Finding>,
) -> Session {
    let SessionInput {
        id,
        source_path,
        source_text,
        transcript,
        layers,
        media,
    } = input;
    let mut turns: Vec<WorkingTurn> = transcript
        .turns
        .into_iter()
        .map(|t| WorkingTurn {
            id: t.id,
            label: t.label,
            line: t.line,
            paragraphs: t
                .paragraphs
                .into_iter()
                .map(|p| WorkingParagraph {
                    id: p.id,
                    text: p.text,
                    lines: p.lines,
                    former_ids: Vec::new(),
                    notes: Some(p.notes),
                    time: p.time,
                })
                .collect(),
        })
        .collect();
    let mut omitted: Vec<Omission> = transcript
        .omitted
        .into_iter()
        .map(|o| Omission {
            lines: o.lines,
            reason: edition::OmissionReason::Found(o.reason),
            text: o.text,
            note: None,
        })
        .collect();

    // 1. Structure: it changes paragraphs, so quotes anchor on its result.
    for layer in &layers {
        for entry in &layer.file.structure {
            apply_structure(layer, entry, &mut turns, &mut omitted, findings);
        }
    }

    let index = ParagraphIndex::new(&turns);
    let quotes = QuoteHits::find(
        &turns,
        layers.iter().flat_map(|l| {
            l.file
                .corrections
                .iter()
                .map(|c| c.find.value.as_str())
                .chain(l.file.notes.iter().map(|n| n.quote.value.as_str()))
                .chain(
                    l.file
                        .attributions
                        .iter()
                        .filter_map(|a| a.quote.as_ref().map(|q| q.value.as_str())),
                )
                .chain(
                    l.file
                        .sections
                        .iter()
                        .filter_map(|s| s.quote.as_ref().map(|q| q.value.as_str())),
                )
                .chain(
                    l.file
                        .times
                        .iter()
                        .filter_map(|t| t.quote.as_ref().map(|q| q.value.as_str())),
                )
        }),
    );

    let text = SessionText {
        turns: &turns,
        index: &index,
        quotes: &quotes,
    };

    // 2. Corrections and notes, anchored by quote.
    let mut corrections: Vec<(Anchor, &super::schema::CorrectionEntry)> = Vec::new();
    let mut notes: Vec<(Anchor, &super::schema::NoteEntry)> = Vec::new();
    for layer in &layers {
        for c in &layer.file.corrections {
            recording::moment(layer, c.at.as_ref(), findings);
            if let Some(Err(why)) = c
                .date
                .as_ref()
                .map(|d| verbatim_text::calendar::parse_iso(&d.value))
            {
                findings.push(
                    layer
                        .error_at(c.date.as_ref().expect("just matched"), why)
                        .help("write the day of the correction as YYYY-MM-DD, e.g. 2019-11-29"),
                );
            }
            let entry = Quoted {
                layer,
                find: &c.find,
                turn: c.turn.as_ref(),
                occurrence: c.occurrence.as_ref(),
                what: "correction",
            };
            if let Some(mut a) = resolve_quote(entry, &text, findings) {
                a.order = corrections.len();
                corrections.push((a, c));
            }
        }
        for n in &layer.file.notes {
            let entry = Quoted {
                layer,
                find: &n.quote,
                turn: n.turn.as_ref(),
                occurrence: n.occurrence.as_ref(),
                what: "note",
            };
            if let Some(a) = resolve_quote(entry, &text, findings) {
                notes.push((a, n));
            }
        }
    }
    corrections.sort_by_key(|(a, _)| (a.turn, a.para, a.start, a.end));
    // Of two overlapping corrections, the one written later is the one reported.
    let mut kept: Vec<(Anchor, &super::schema::CorrectionEntry)> =
        Vec::with_capacity(corrections.len());
    for (a, c) in corrections {
        if let Some((prev, prev_c)) = kept.last()
            && prev.turn == a.turn
            && prev.para == a.para
            && a.start < prev.end
        {
            let (blamed, blamed_c, other) = if a.order > prev.order {
                (&a, c, prev)
            } else {
                (prev, *prev_c, &a)
            };
            findings.push(
                blamed
                    .layer
                    .error_at(
                        &blamed_c.find,
                        format!(
                            "this correction overlaps another one on the same text ({}:{})",
                            other.layer.path.display(),
                            other.line
                        ),
                    )
                    .help("two corrections may not change the same text: merge them into one"),
            );
            if a.order < prev.order {
                kept.pop();
                kept.push((a, c));
            }
            continue;
        }
        kept.push((a, c));
    }

    // 3. Speakers and attributions.
    let speakers = resolve_speakers(&layers, &turns, registry, findings);
    let attributions = resolve_attributions(&layers, &text, registry, &speakers, findings);

    // 4. Sections, at their turns.
    let sections = sections::resolve(&layers, &text, findings);
    let recording = recording::resolve(&layers, media, findings);
    let times = recording::times(&layers, &text, findings);

    // 5. Metadata.
    let (meta, tags) = merge_meta(&layers, transcript.meta, findings);

    // Assemble paragraphs with their spans.
    let mut note_number = 0;
    notes.sort_by_key(|(a, _)| (a.turn, a.para, a.end));
    let mut out_turns = Vec::with_capacity(turns.len());
    let mut ci = kept.iter().peekable();
    let mut ni = notes.iter().peekable();
    for (ti, turn) in turns.into_iter().enumerate() {
        let speaker = match attributions.get(&ti) {
            Some(s) => s.clone(),
            None => speaker_for(turn.label.as_deref(), &speakers, registry),
        };
        let mut paragraphs = Vec::with_capacity(turn.paragraphs.len());
        for (pi, p) in turn.paragraphs.into_iter().enumerate() {
            let mut pc = Vec::new();
            while let Some((a, c)) = ci.peek() {
                if (a.turn, a.para) != (ti, pi) {
                    break;
                }
                pc.push((a.start, a.end, *c));
                ci.next();
            }
            let mut pn = Vec::new();
            while let Some((a, n)) = ni.peek() {
                if (a.turn, a.para) != (ti, pi) {
                    break;
                }
                note_number += 1;
                pn.push((a.end, note_number, n.text.clone()));
                ni.next();
            }
            paragraphs.push(build_paragraph(p, &pc, &pn));
        }
        // An editor's time goes to its paragraph (a caption file's own
        // times stay where the editor gives none).
        for &((_, pi), ms) in times.iter().filter(|((t, _), _)| *t == ti) {
            if let Some(p) = paragraphs.get_mut(pi) {
                p.time = Some([ms, ms]);
            }
        }
        out_turns.push(edition::Turn {
            id: turn.id,
            label: turn.label,
            line: turn.line,
            speaker,
            paragraphs,
        });
    }
    omitted.sort_by_key(|o| o.lines);

    let session = Session {
        id: id.clone(),
        source: source_path.to_path_buf(),
        meta,
        tags,
        sections: sections
            .into_iter()
            .map(|(ti, mut section)| {
                section.turn = out_turns[ti].id.clone();
                section
            })
            .collect(),
        turns: out_turns,
        omitted,
        recording,
    };
    warn_open_questions(&session, source_path, &source_text, registry, findings);
    session
}
