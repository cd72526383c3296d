//! An edition paragraph's spans from its text, corrections and notes: the merge's final step.

use super::working::WorkingParagraph;
use crate::schema::CorrectionEntry;
use verbatim_edition::{Paragraph, Span};
use verbatim_ingest::{self as ingest, StageKind, StageNote};

/// Builds a paragraph's spans from its text, corrections `(start, end, entry)`
/// and note markers `(offset, number, text)`; stage notes come from the text.
pub(super) fn build_paragraph(
    p: WorkingParagraph,
    corrections: &[(usize, usize, &CorrectionEntry)],
    notes: &[(usize, usize, String)],
) -> Paragraph {
    // Ingest already found the stage notes, unless a structure fix changed the text.
    let stage_notes: Vec<StageNote> = match p.notes {
        Some(notes) => notes,
        None => ingest::find_stage_notes(&p.text),
    };
    let stage = ingest::whole_paragraph_stage(&p.text, &stage_notes);
    // Pieces that are not plain text, in order; stage notes give way to corrections.
    let mut pieces: Vec<(usize, usize, Option<&CorrectionEntry>, Option<StageKind>)> = corrections
        .iter()
        .map(|(s, e, c)| (*s, *e, Some(*c), None))
        .collect();
    for n in &stage_notes {
        if !corrections
            .iter()
            .any(|(s, e, _)| n.start < *e && *s < n.end)
        {
            pieces.push((n.start, n.end, None, Some(n.kind)));
        }
    }
    pieces.sort_by_key(|p| p.0);
    let mut spans = Vec::new();
    let mut markers = notes.iter().peekable();
    let mut pos = 0;
    let text = &p.text;
    let push_text =
        |spans: &mut Vec<Span>,
         from: usize,
         to: usize,
         markers: &mut std::iter::Peekable<std::slice::Iter<(usize, usize, String)>>| {
            let mut from = from;
            while let Some((off, number, note)) = markers.peek() {
                if *off > to {
                    break;
                }
                if *off > from {
                    spans.push(Span::Text {
                        text: text[from..*off].to_string(),
                    });
                    from = *off;
                }
                spans.push(Span::Note {
                    number: *number,
                    text: note.clone(),
                });
                markers.next();
            }
            if to > from {
                spans.push(Span::Text {
                    text: text[from..to].to_string(),
                });
            }
        };
    for (start, end, correction, kind) in pieces {
        push_text(&mut spans, pos, start, &mut markers);
        match (correction, kind) {
            (Some(c), _) => spans.push(Span::Correction {
                original: text[start..end].to_string(),
                text: c.replace.clone(),
                note: c.note.clone(),
                by: c.by.clone(),
                date: c.date.as_ref().map(|d| d.value.clone()),
                // Checked, with its error, where the corrections are resolved.
                at_ms: c
                    .at
                    .as_ref()
                    .and_then(|a| super::recording::clock(&a.value)),
            }),
            (None, Some(kind)) => spans.push(Span::Stage {
                kind,
                text: text[start..end].to_string(),
            }),
            (None, None) => {}
        }
        // Markers that fall inside this piece go right after it.
        while let Some((off, number, note)) = markers.peek() {
            if *off > end {
                break;
            }
            spans.push(Span::Note {
                number: *number,
                text: note.clone(),
            });
            markers.next();
        }
        pos = end;
    }
    push_text(&mut spans, pos, text.len(), &mut markers);
    let corrected: String = spans
        .iter()
        .map(|s| match s {
            Span::Text { text } | Span::Stage { text, .. } | Span::Correction { text, .. } => {
                text.as_str()
            }
            Span::Note { .. } => "",
        })
        .collect();
    Paragraph {
        id: p.id,
        original: p.text,
        text: corrected,
        lines: p.lines,
        stage,
        spans,
        former_ids: p.former_ids,
        time: p.time,
    }
}
