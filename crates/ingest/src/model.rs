//! The structured session that ingest produces: what was said, by which label,
//! and what was set aside as not part of the record.

use serde::Serialize;

/// Defines a newtype over `String` for one kind of id, so that ids of
/// different kinds (a person's, a turn's) cannot be mixed up by the compiler.
///
/// The type serialises as its string (`serde(transparent)`), orders and
/// hashes as its string, and borrows as `str`, so a `BTreeMap<TurnId, _>` or
/// `HashMap<TurnId, _>` can be looked up with a `&str`. It gives `new`,
/// `as_str`, `Display`, `AsRef<str>` and comparison with `str` and `&str`,
/// but no `Deref`: the string is reached with `as_str()`.
///
/// Used here for [`TurnId`] and [`ParagraphId`], and by `verbatim-edition`
/// for session and person ids. The crate that invokes it must depend on
/// `serde` (the derives name it).
#[macro_export]
macro_rules! string_id {
    ($(#[$attr:meta])* $vis:vis struct $name:ident;) => {
        $(#[$attr])*
        #[derive(
            Debug,
            Clone,
            PartialEq,
            Eq,
            PartialOrd,
            Ord,
            Hash,
            Default,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[serde(transparent)]
        $vis struct $name(String);

        impl $name {
            /// The id `id`, taken as it is (no check of its form).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as a string.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::cmp::PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

string_id! {
    /// A turn's id: `t` and six letters or digits hashed from the turn's label
    /// and opening words, with `-2`, `-3`, … for a repeated key (see `ids`).
    /// It names the turn's anchor on the session page and in links from
    /// elsewhere; its own type so that it is never taken for a paragraph's,
    /// a session's or a person's id.
    pub struct TurnId;
}

string_id! {
    /// A paragraph's id: its turn's id, `p` and its number within the turn
    /// (`t3k9xqbp2`), or an id an editor's split or rejoin made from it. It
    /// names the paragraph's anchor and is what annotation layers cite; its
    /// own type so that it is never taken for a turn's id.
    pub struct ParagraphId;
}

/// One raw transcript, parsed. Nothing in the input is lost: every non-blank
/// input line is either inside a [`Turn`] (through its paragraphs' line ranges)
/// or listed in [`Transcript::omitted`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Transcript {
    /// What the transcript's header and disclaimer say about the session.
    pub meta: Meta,
    /// The spoken record, in order.
    pub turns: Vec<Turn>,
    /// Input that is not part of the spoken record, with the reason it was set aside.
    pub omitted: Vec<Omission>,
    /// Problems in the input itself (invalid UTF-8), repaired but reported.
    pub problems: Vec<InputProblem>,
}

/// Session metadata as stated by the source; every field is `None` when the
/// source does not say (annotations may complete it later).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Meta {
    /// Session title as written.
    pub title: Option<String>,
    /// The event, e.g. `IGF 2018`.
    pub event: Option<String>,
    /// Year of the event.
    pub year: Option<i32>,
    /// Date of the session (ISO 8601), only when the source states the day itself.
    pub date: Option<String>,
    /// Start time (24h `HH:MM`), when stated.
    pub time: Option<String>,
    /// Host city.
    pub city: Option<String>,
    /// Host country.
    pub country: Option<String>,
    /// The event day number (`Day 0`, `Day 1`, …).
    pub day: Option<u32>,
    /// The room, as written (`Room 10`, `Salle VI`).
    pub room: Option<String>,
    /// The programme code, normalised without spaces (`WS40`, `OF12`).
    pub session_code: Option<String>,
    /// Where each value was read, by field name: the heading line that
    /// states it, the disclaimer, or the event's dates (for a year).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub sources: std::collections::BTreeMap<&'static str, String>,
}

impl Meta {
    /// The fields set in `self` that were not in `before`, credited to `source`.
    pub fn credit(&mut self, before: &Meta, source: &str) {
        let fields: [(&'static str, bool); 10] = [
            ("title", self.title != before.title),
            ("event", self.event != before.event),
            ("year", self.year != before.year),
            ("date", self.date != before.date),
            ("time", self.time != before.time),
            ("city", self.city != before.city),
            ("country", self.country != before.country),
            ("day", self.day != before.day),
            ("room", self.room != before.room),
            ("session_code", self.session_code != before.session_code),
        ];
        for (name, changed) in fields {
            if changed {
                self.sources.insert(name, source.to_string());
            }
        }
    }
}

/// One speaker's uninterrupted contribution.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Turn {
    /// Stable id derived from the turn's label and opening words (see `ids`).
    pub id: TurnId,
    /// The speaker label as written, without `>>` and colon; `None` for an anonymous turn.
    pub label: Option<String>,
    /// 1-based input line where the turn starts.
    pub line: usize,
    /// The turn's paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph of speech, or a stage note standing on its own.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Paragraph {
    /// `<turn id>p<n>`, numbered within the turn so an edit elsewhere never renumbers it.
    pub id: ParagraphId,
    /// The text, whitespace normalised (single spaces, no markup remnants).
    pub text: String,
    /// First and last input line (1-based, inclusive) the paragraph was read from.
    pub lines: [usize; 2],
    /// Set when the whole paragraph is a stage note, e.g. `(Laughter)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<StageKind>,
    /// Stage notes inside the text, with byte offsets into `text`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<StageNote>,
    /// When it was said, from a caption file's cue timings: milliseconds
    /// from the start of the recording to the first cue's start and the
    /// last cue's end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<[u64; 2]>,
}

/// A stage note such as `(Laughter)` or `[ Applause ]`, located in its paragraph.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StageNote {
    /// What kind of note it is.
    pub kind: StageKind,
    /// Byte offset of the note's first character in the paragraph text.
    pub start: usize,
    /// Byte offset just past the note.
    pub end: usize,
}

/// The kinds of stage note a captioner writes.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum StageKind {
    Laughter,
    Applause,
    /// `(?)`, `(inaudible)`, `(unclear)`: the captioner could not hear.
    Inaudible,
    /// `(Concluded at 12:21)`, `(end of meeting)`.
    End,
    /// `(Speaking Spanish)`, `(interpretation)`.
    Language,
    /// `(Pause)`, `(Crosstalk)`, `(Video)` and the like.
    Other,
}

/// A run of input lines set aside from the record.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Omission {
    /// First and last input line (1-based, inclusive).
    pub lines: [usize; 2],
    /// Why it is not part of the record.
    pub reason: OmissionReason,
    /// The omitted text, as read (lines joined with `\n`).
    pub text: String,
}

/// Why a piece of input is not part of the spoken record.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum OmissionReason {
    /// The page's heading block: title, date, room; read into [`Meta`].
    Header,
    /// `Deprecated: … on line 1946` and other PHP errors of the scraped site.
    PhpWarning,
    /// The standard "real-time captioning … not an authoritative record" notice.
    Disclaimer,
    /// Navigation and page furniture: "You are here", categories, page URLs.
    SiteChrome,
    /// The secretariat's contact block at the foot of the page.
    ContactFooter,
    /// A Markdown or text rule such as `---` or `***`.
    Separator,
    /// A line of bare Markdown syntax with no words (`#`, `**`).
    Markup,
    /// A turn marker (`>>`) with no label and no words, right after another
    /// such marker: it adds no turn of its own.
    EmptyMarker,
    /// A caption file's cue numbers and timings, and its `NOTE`, `STYLE`
    /// and `REGION` blocks.
    CueTiming,
    /// A roll-up caption line that repeats, word for word, the last line of
    /// the cue before it (YouTube's automatic captions show each line twice).
    RepeatedCaption,
}

/// A defect in the input bytes that ingest repaired.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputProblem {
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column within the line.
    pub column: usize,
    /// What was wrong and what was done about it.
    pub message: String,
}

impl StageKind {
    /// The kebab-case name used in JSON, CSS classes and templates.
    pub fn name(self) -> &'static str {
        match self {
            StageKind::Laughter => "laughter",
            StageKind::Applause => "applause",
            StageKind::Inaudible => "inaudible",
            StageKind::End => "end",
            StageKind::Language => "language",
            StageKind::Other => "other",
        }
    }
}

impl OmissionReason {
    /// The kebab-case name used in JSON and reports.
    pub fn name(self) -> &'static str {
        match self {
            OmissionReason::Header => "header",
            OmissionReason::PhpWarning => "php-warning",
            OmissionReason::Disclaimer => "disclaimer",
            OmissionReason::SiteChrome => "site-chrome",
            OmissionReason::ContactFooter => "contact-footer",
            OmissionReason::Separator => "separator",
            OmissionReason::Markup => "markup",
            OmissionReason::EmptyMarker => "empty-marker",
            OmissionReason::CueTiming => "cue-timing",
            OmissionReason::RepeatedCaption => "repeated-caption",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ParagraphId, TurnId};
    use std::collections::{BTreeMap, HashMap};

    #[test]
    fn an_id_reads_serialises_and_is_looked_up_as_its_string() {
        let id = TurnId::new("t3k9xqb");
        assert_eq!(id, "t3k9xqb");
        assert_eq!(id.as_str(), "t3k9xqb");
        assert_eq!(id.to_string(), "t3k9xqb");
        assert_eq!(format!("#{id}"), "#t3k9xqb");
        // Serialised as the bare string, and read back from it.
        assert_eq!(
            serde_saphyr::to_string(&id).ok(),
            serde_saphyr::to_string(&"t3k9xqb").ok()
        );
        assert_eq!(
            serde_saphyr::from_str::<TurnId>("t3k9xqb").ok(),
            Some(id.clone())
        );
        // Maps keyed by ids are looked up with a `&str`.
        let ordered = BTreeMap::from([(id.clone(), 1)]);
        assert_eq!(ordered.get("t3k9xqb"), Some(&1));
        let hashed = HashMap::from([(ParagraphId::new("t3k9xqbp1"), 2)]);
        assert_eq!(hashed.get("t3k9xqbp1"), Some(&2));
        // Ordered as their strings.
        assert!(TurnId::new("t-2") < TurnId::new("t2"));
    }
}
