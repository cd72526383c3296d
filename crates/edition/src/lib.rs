//! The edition: transcripts merged with their annotation layers. Pure data,
//! serialisable, and what every renderer (HTML, search index) reads.

use serde::Serialize;
use std::path::PathBuf;
pub use verbatim_ingest::StageKind;

/// A turn's id and a paragraph's id, as ingest makes them.
pub use verbatim_ingest::{ParagraphId, TurnId};

verbatim_ingest::string_id! {
    /// A session's id: the stem of its content file (`igf-2018-ws40`), which
    /// also names its page and its cache files. Its own type so that it is
    /// never taken for a person's, a turn's or a paragraph's id.
    pub struct SessionId;
}

verbatim_ingest::string_id! {
    /// A person's id, as the people registry defines it (`avri-doria`): it
    /// names their page and is what speaker maps and attributions cite. Its
    /// own type so that it is never taken for a session's or a turn's id.
    pub struct PersonId;
}

/// How sure the editor is of an attribution (`confidence:` in a layer).
#[derive(Debug, serde::Deserialize, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The editor is sure.
    High,
    /// The editor is fairly sure.
    Medium,
    /// The editor is unsure, and says so.
    Low,
}

/// Longest session or person id, in bytes. Each names a page
/// (`sessions/<id>.html`, `people/<id>.html`) and cache files, and file
/// systems refuse names over 255 bytes; this leaves room for the suffixes.
pub const MAX_ID_BYTES: usize = 200;

/// The whole edition: every session and every person.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Edition {
    /// Sessions sorted by date (undated last), then id.
    pub sessions: Vec<Session>,
    /// People sorted by id.
    pub people: Vec<Person>,
}

/// A canonical person from the people registry.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub aliases: Vec<String>,
    pub affiliation: Option<String>,
    pub role: Option<String>,
    pub country: Option<String>,
    pub stakeholder: Option<String>,
    pub links: Vec<String>,
    /// Biography in Markdown, as written.
    pub bio: Option<String>,
}

/// One session of the edition.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    /// The content file's stem; also the page name.
    pub id: SessionId,
    /// The raw transcript, relative to the edition root.
    pub source: PathBuf,
    /// What the transcript states of the session, completed or overridden
    /// by editors' `meta:` entries.
    pub meta: Meta,
    /// Editors' tags, in the order first written.
    pub tags: Vec<String>,
    pub turns: Vec<Turn>,
    /// Input set aside from the record, by the parser or an editor.
    pub omitted: Vec<Omission>,
    /// The editors' division of the session, in the order of the turns.
    pub sections: Vec<Section>,
    /// The session's recording, where an editor named it.
    pub recording: Option<Recording>,
}

/// A session's recording, for links from the transcript's times into it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Recording {
    /// Its http(s) address, or for a media file of the edition its path
    /// from the site's root (`media/…`, published beside the pages).
    pub url: String,
    /// The recording's time at the transcript's time 0, in milliseconds.
    pub offset_ms: u64,
    /// For a media file of the edition, how the page plays it; `None` for
    /// a hosted recording, which opens at its own address.
    pub player: Option<Player>,
}

/// The element a session's page plays its own media file with.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Player {
    Audio,
    Video,
}

impl Player {
    /// The player for a media file, by its extension (the formats browsers
    /// play); `None` for any other file.
    pub fn for_file(path: &str) -> Option<Player> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "mp3" | "m4a" | "aac" | "oga" | "ogg" | "opus" | "wav" | "flac" => Some(Player::Audio),
            "mp4" | "m4v" | "webm" | "ogv" | "mov" => Some(Player::Video),
            _ => None,
        }
    }
}

impl Recording {
    /// The address that opens the recording at `ms` from the transcript's
    /// start: a `t` parameter in seconds for YouTube, whose player reads
    /// it; a media fragment (`#t=`) for a media file, which browsers' players
    /// read.
    pub fn at(&self, ms: u64) -> String {
        let seconds = (ms + self.offset_ms) / 1000;
        let youtube = self.url.contains("youtube.com/") || self.url.contains("youtu.be/");
        if youtube {
            let sep = if self.url.contains('?') { '&' } else { '?' };
            format!("{}{sep}t={seconds}s", self.url)
        } else {
            let base = self.url.split('#').next().unwrap_or(&self.url);
            format!("{base}#t={seconds}")
        }
    }
}

/// A part of a session (an agenda item, a segment), as editors divide it:
/// from its first turn to the next section's.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    /// Its anchor on the session's page: `s-` and its title's slug (a number
    /// after it when two titles slug alike).
    pub id: String,
    pub title: String,
    /// The turn it starts at.
    pub turn: TurnId,
    pub synopsis: Option<String>,
    pub keywords: Vec<String>,
}

/// A session's metadata: the fields a transcript can state (title, event,
/// date, place, …), the same after editors completed or overrode them.
pub use verbatim_ingest::Meta;

/// Who speaks in a turn, and on whose authority.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Speaker {
    /// The captioned label names a person (through an alias or the session's speaker map).
    Person { person: PersonId },
    /// An editor attributed the turn on the evidence of the text.
    Attributed {
        person: PersonId,
        evidence: String,
        confidence: Confidence,
        /// The moment of the recording the evidence is heard at, in
        /// milliseconds from the transcript's time 0, where the editor names one.
        at_ms: Option<u64>,
    },
    /// A role label that stays generic (MODERATOR, AUDIENCE).
    Generic { label: String },
    /// A label nobody has identified yet.
    Unidentified { label: String },
    /// A bare `>>` turn, unattributed.
    Anonymous,
}

impl Speaker {
    /// The person id, when the speaker is identified.
    pub fn person(&self) -> Option<&PersonId> {
        match self {
            Speaker::Person { person } | Speaker::Attributed { person, .. } => Some(person),
            _ => None,
        }
    }
}

/// One turn of the record.
#[derive(Debug, Clone, Serialize)]
pub struct Turn {
    pub id: TurnId,
    /// The label as captioned.
    pub label: Option<String>,
    /// Input line where the turn starts.
    pub line: usize,
    pub speaker: Speaker,
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph with both readings: `original` as captioned, `text` corrected,
/// and `spans` saying which is which.
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    pub id: ParagraphId,
    /// The text as captioned.
    pub original: String,
    /// The corrected reading.
    pub text: String,
    /// First and last input line.
    pub lines: [usize; 2],
    /// Set when the whole paragraph is a stage note.
    pub stage: Option<StageKind>,
    /// The paragraph as a sequence of spans (concatenated, they give `text`).
    pub spans: Vec<Span>,
    /// Ids of paragraphs an editor joined into this one, kept as anchors so old links still land.
    pub former_ids: Vec<ParagraphId>,
    /// When it was said, in milliseconds from the recording's start (first
    /// cue's start, last cue's end), for a session read from a caption file.
    pub time: Option<[u64; 2]>,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Span {
    /// Text as captioned, unchanged.
    Text { text: String },
    /// A stage note inside speech.
    Stage { kind: StageKind, text: String },
    /// A corrected passage, with the captioned reading and the editor's reasons.
    Correction {
        original: String,
        text: String,
        note: Option<String>,
        by: Option<String>,
        date: Option<String>,
        /// The moment of the recording that bears the correction out, in
        /// milliseconds from the transcript's time 0, where the editor names one.
        at_ms: Option<u64>,
    },
    /// An editorial note's marker, placed after the quote it explains.
    Note { number: usize, text: String },
}

/// Input not part of the record.
#[derive(Debug, Clone, Serialize)]
pub struct Omission {
    /// First and last input line (1-based, inclusive).
    pub lines: [usize; 2],
    /// Who set it aside and why; serialised as its name (`header`,
    /// `php-warning`, …, `editor`).
    pub reason: OmissionReason,
    /// The omitted text, as read.
    pub text: String,
    /// The editor's reason, for `editor` omissions.
    pub note: Option<String>,
}

/// Why input is not part of the record: ingest found it so, or an editor
/// marked it (`structure: omit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OmissionReason {
    /// Set aside by ingest, for the reason it gives.
    Found(verbatim_ingest::OmissionReason),
    /// Marked as not speech by an editor.
    Editor,
}

impl OmissionReason {
    /// The kebab-case name used in JSON, reports and templates.
    pub fn name(self) -> &'static str {
        match self {
            OmissionReason::Found(reason) => reason.name(),
            OmissionReason::Editor => "editor",
        }
    }
}

impl Serialize for OmissionReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl Session {
    /// Number of corrections applied in this session.
    pub fn corrections(&self) -> usize {
        self.turns
            .iter()
            .flat_map(|t| &t.paragraphs)
            .flat_map(|p| &p.spans)
            .filter(|s| matches!(s, Span::Correction { .. }))
            .count()
    }

    /// The section that starts at `turn`, if one does (pages, search and
    /// exports all place sections by it).
    pub fn section_at(&self, turn: &TurnId) -> Option<&Section> {
        self.sections.iter().find(|s| &s.turn == turn)
    }

    /// The title to show: the edited or captioned title, or the id.
    pub fn display_title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or(self.id.as_str())
    }
}
