//! The working model the merge edits (turns, paragraphs) and quote anchors: what every step shares.

use crate::Layer;
use verbatim_edition::{ParagraphId, TurnId};
use verbatim_ingest::StageNote;

/// A paragraph while the session's layers are applied: its text still as
/// captioned, with what structure fixes changed about it (former ids, stage
/// notes to find again). Becomes an [`verbatim_edition::Paragraph`] at the end.
pub(super) struct WorkingParagraph {
    pub(super) id: ParagraphId,
    pub(super) text: String,
    pub(super) lines: [usize; 2],
    pub(super) former_ids: Vec<ParagraphId>,
    /// Stage notes as ingest found them; `None` once a structure fix changed the text.
    pub(super) notes: Option<Vec<StageNote>>,
    /// From a caption file's cues (milliseconds), when known.
    pub(super) time: Option<[u64; 2]>,
}

/// A turn while the session's layers are applied: its label as captioned
/// (the speaker is decided later) and its working paragraphs. Becomes an
/// [`verbatim_edition::Turn`] at the end.
pub(super) struct WorkingTurn {
    pub(super) id: TurnId,
    pub(super) label: Option<String>,
    pub(super) line: usize,
    pub(super) paragraphs: Vec<WorkingParagraph>,
}

/// A correction or note resolved to a place in a paragraph.
pub(super) struct Anchor<'a> {
    pub(super) turn: usize,
    pub(super) para: usize,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) layer: &'a Layer,
    pub(super) line: u64,
    /// Position in application order (layer files, then entries).
    pub(super) order: usize,
}
