//! The YAML an editor writes, as serde types. Unknown keys are errors
//! (`deny_unknown_fields`), so a typo such as `replce:` is never ignored.
//! Fields whose value a later check may reject are `Spanned`, to point at them.
//! The schema is documented with examples in `annotations/README.md`.

use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;
// The model's type, read as the layer writes it (`confidence: high`).
pub use verbatim_edition::Confidence;

/// A list that may also be written as an empty key (`corrections:` with nothing
/// under it yet), which editors do while drafting.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// One annotation file. A file holds either the people registry (`people:`) or
/// layers for one session (`session:` and any of the layer keys).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LayerFile {
    /// Canonical people, with the labels they are captioned under.
    #[serde(default, deserialize_with = "list")]
    pub people: Vec<PersonEntry>,
    /// The session these layers annotate: the content file's name without `.txt`.
    pub session: Option<Spanned<String>>,
    /// Metadata that completes or overrides what the transcript states.
    pub meta: Option<MetaEntry>,
    /// Which person (or generic role) each label of the session stands for.
    #[serde(default, deserialize_with = "list")]
    pub speakers: Vec<SpeakerEntry>,
    /// Turns without a usable label, attributed to a person with evidence.
    #[serde(default, deserialize_with = "list")]
    pub attributions: Vec<AttributionEntry>,
    /// Fixes of captioning errors.
    #[serde(default, deserialize_with = "list")]
    pub corrections: Vec<CorrectionEntry>,
    /// Editorial notes anchored to a quote.
    #[serde(default, deserialize_with = "list")]
    pub notes: Vec<NoteEntry>,
    /// Paragraph joins and splits, text marked as junk, omitted text restored.
    #[serde(default, deserialize_with = "list")]
    pub structure: Vec<StructureEntry>,
    /// The session's parts (agenda items, segments), each from a turn on.
    #[serde(default, deserialize_with = "list")]
    pub sections: Vec<SectionEntry>,
    /// Where the session's recording is, for the time links.
    pub recording: Option<RecordingEntry>,
    /// When turns were said, for a transcript without times of its own.
    #[serde(default, deserialize_with = "list")]
    pub times: Vec<TimeEntry>,
}

/// When a turn or paragraph was said: `at` in the transcript's time (the
/// recording's `offset` is added to it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeEntry {
    /// A turn's id (its first paragraph is timed) or a paragraph's id…
    pub turn: Option<Spanned<String>>,
    /// …or a quote found in exactly one paragraph.
    pub quote: Option<Spanned<String>>,
    /// `HH:MM:SS`.
    pub at: Spanned<String>,
}

/// The session's recording: its address or its file, and where the
/// transcript's time 0 falls in it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingEntry {
    /// An http(s) address (a hosted video or audio file)…
    pub url: Option<Spanned<String>>,
    /// …or a media file of the edition, under `media/` (published with the
    /// site and played on the session's page, from disk too).
    pub file: Option<Spanned<String>>,
    /// `HH:MM:SS`: the recording's time at the transcript's time 0.
    pub offset: Option<Spanned<String>>,
}

/// A section of a session: its title, the turn it starts at, what it is about.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionEntry {
    pub title: Spanned<String>,
    /// The id of the turn it starts at…
    pub turn: Option<Spanned<String>>,
    /// …or a quote found in exactly one turn.
    pub quote: Option<Spanned<String>>,
    /// A sentence or two on what is said in it.
    pub synopsis: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl LayerFile {
    /// Whether the file says nothing that could be applied: no people, no
    /// metadata, no entries (a `session:` line alone included). An emptied
    /// or truncated layer is worth a warning: its entries vanish from the
    /// site without one.
    pub fn has_no_entries(&self) -> bool {
        self.people.is_empty()
            && self.meta.is_none()
            && self.speakers.is_empty()
            && self.attributions.is_empty()
            && self.corrections.is_empty()
            && self.notes.is_empty()
            && self.structure.is_empty()
            && self.sections.is_empty()
            && self.recording.is_none()
            && self.times.is_empty()
    }
}

/// A canonical person.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    /// Stable id used in URLs and references: lower case, digits and hyphens.
    pub id: Spanned<String>,
    /// Display name with proper case and diacritics.
    pub name: String,
    /// Labels exactly as captioned (`AVRY DORIA.`), matched in every session.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub affiliation: Option<String>,
    pub role: Option<String>,
    pub country: Option<String>,
    /// Stakeholder group: government, private sector, civil society, technical community, …
    pub stakeholder: Option<String>,
    /// Web pages about the person (http, https or mailto).
    #[serde(default)]
    pub links: Vec<Spanned<String>>,
    /// A short biography in Markdown.
    pub bio: Option<String>,
}

/// Metadata for a session; each given field replaces the transcript's.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct MetaEntry {
    pub title: Option<String>,
    /// ISO date, `YYYY-MM-DD`.
    pub date: Option<Spanned<String>>,
    pub event: Option<String>,
    pub year: Option<i32>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub room: Option<String>,
    pub session_code: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Why the metadata was completed this way.
    pub note: Option<String>,
}

/// A label of this session mapped to a person, or declared a generic role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerEntry {
    /// The label as captioned in this session.
    pub label: Spanned<String>,
    /// The person it stands for in this session.
    pub person: Option<Spanned<String>>,
    /// `true` when the label is a role that stays unidentified (MODERATOR, AUDIENCE).
    #[serde(default)]
    pub generic: bool,
}

/// A turn attributed to a person on the evidence of the text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributionEntry {
    /// The turn's id (see `verbatim parse`)…
    pub turn: Option<Spanned<String>>,
    /// …or a quote found in exactly one turn.
    pub quote: Option<Spanned<String>>,
    pub person: Spanned<String>,
    /// What in the text shows who speaks ("introduces himself as …").
    pub evidence: String,
    pub confidence: Confidence,
    /// `HH:MM:SS`: the moment of the recording where the evidence is heard.
    pub at: Option<Spanned<String>>,
}

/// A captioning error and its fix: a text quote selector and the replacement.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionEntry {
    /// The text exactly as captioned.
    pub find: Spanned<String>,
    /// The corrected reading.
    pub replace: String,
    /// Restrict the search to one turn (or paragraph) id.
    pub turn: Option<Spanned<String>>,
    /// Which match to take (1-based) when the quote occurs several times.
    pub occurrence: Option<Spanned<usize>>,
    /// Why this is the right reading.
    pub note: Option<String>,
    /// Who made the correction.
    pub by: Option<String>,
    /// When (ISO date).
    pub date: Option<Spanned<String>>,
    /// `HH:MM:SS`: the moment of the recording that bears the correction out.
    pub at: Option<Spanned<String>>,
}

/// An editorial note in Markdown, anchored to a quote.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteEntry {
    pub quote: Spanned<String>,
    pub turn: Option<Spanned<String>>,
    pub occurrence: Option<Spanned<usize>>,
    /// The note, in Markdown.
    pub text: String,
    pub by: Option<String>,
}

/// One structural fix. Exactly one of `join`, `split`, `omit`, `restore` is given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructureEntry {
    /// Join this paragraph with the next one of its turn.
    pub join: Option<Spanned<String>>,
    /// Split this paragraph before the text given in `before`.
    pub split: Option<Spanned<String>>,
    pub before: Option<Spanned<String>>,
    /// Mark this paragraph as junk the parser kept (it leaves the record).
    pub omit: Option<Spanned<String>>,
    /// Restore the omitted input line with this number into the record.
    pub restore: Option<Spanned<usize>>,
    /// Why.
    pub reason: Option<String>,
}
