//! Ingest: raw transcript bytes to a structured [`Transcript`], without losing a word.
//!
//! The stage runs in passes over the decoded lines: classify each line (blank,
//! chrome to omit, heading, record), read the heading into [`Meta`], then walk
//! the record lines into turns and paragraphs, and finally find stage notes and
//! assign stable ids. Whatever is not put in a turn is listed in `omitted` with a
//! reason, so every non-blank line is accounted for.

mod captions;
mod chrome;
mod decode;
mod header;
mod ids;
pub mod label;
pub mod model;
mod stage;

pub use decode::{decode, normalise, raw_lines, squeeze, word_count};
pub use model::*;
pub use stage::{find_notes as find_stage_notes, whole_paragraph as whole_paragraph_stage};

use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Longest line (in chars) that can be part of a heading block; longer lines
/// before the disclaimer are kept as speech.
const MAX_HEADER_LINE: usize = 160;

/// A `>>` marker inside a line, preceded by whitespace: the next turn of a
/// transcript whose turns were run together on one line.
static INNER_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s>\s?>").expect("valid regex"));
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]\n]*)\]\(([^)\s]*)\)").expect("valid regex"));
static MD_AUTOLINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(https?://[^>\s]+)>").expect("valid regex"));

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    Blank,
    Omit(OmissionReason),
    Record,
}

/// Parses one raw transcript. Never panics, whatever the bytes.
pub fn parse(bytes: &[u8]) -> Transcript {
    let (text, problems) = decode::decode(bytes);
    let lines = decode::lines(&text);
    if captions::is_captions(&text) {
        let mut t = captions::transcript(&lines, problems);
        for turn in &mut t.turns {
            for p in &mut turn.paragraphs {
                p.notes = stage::find_notes(&p.text);
                p.stage = stage::whole_paragraph(&p.text, &p.notes);
            }
        }
        ids::assign(&mut t.turns);
        return t;
    }
    let mut class: Vec<Class> = lines
        .iter()
        .map(|l| match l.text.as_ref() {
            "" => Class::Blank,
            t => chrome::junk_line(t).map_or(Class::Record, Class::Omit),
        })
        .collect();
    mark_contact_footer(&lines, &mut class);

    let arrows = lines.iter().any(|l| has_marker(&l.text));
    let starts_turn = |text: &str| {
        has_marker(text)
            || label::bold_label(text).is_some()
            || (!arrows && label::colon_label(text, false).is_some())
    };
    // A line of bare Markdown syntax (`#`, `**`) has no words for the record.
    for (line, c) in lines.iter().zip(class.iter_mut()) {
        if *c == Class::Record
            && !starts_turn(&line.text)
            && strip_markdown(&line.text).trim().is_empty()
        {
            *c = Class::Omit(OmissionReason::Markup);
        }
    }
    let first_turn = lines
        .iter()
        .zip(&class)
        .position(|(l, c)| *c == Class::Record && starts_turn(&l.text))
        .unwrap_or(lines.len());
    let disclaimer = lines[..first_turn]
        .iter()
        .position(|l| chrome::is_disclaimer(&l.text));

    // The heading: before the disclaimer when one precedes the first turn;
    // otherwise only lines that are unmistakably headings.
    let mut header_text: Vec<&str> = Vec::new();
    for i in 0..first_turn {
        if class[i] != Class::Record {
            continue;
        }
        let text = lines[i].text.as_ref();
        let is_heading = match disclaimer {
            Some(d) => i < d && text.chars().count() <= MAX_HEADER_LINE,
            None => header::is_title_line(text) || text.starts_with("## "),
        };
        if is_heading {
            class[i] = Class::Omit(OmissionReason::Header);
            header_text.push(text);
        }
    }
    let meta = header::read_meta(&header_text, disclaimer.map(|d| lines[d].text.as_ref()));

    let wrapped = is_hard_wrapped(&lines, &class);
    let mut turns = build_turns(&lines, &mut class, wrapped, arrows);
    for turn in &mut turns {
        join_broken_sentences(turn);
        for p in &mut turn.paragraphs {
            p.notes = stage::find_notes(&p.text);
            p.stage = stage::whole_paragraph(&p.text, &p.notes);
        }
    }
    ids::assign(&mut turns);

    Transcript {
        meta,
        turns,
        omitted: collect_omissions(&lines, &class),
        problems,
    }
}

fn has_marker(text: &str) -> bool {
    label::strip_marker(text).is_some() || INNER_MARKER.is_match(text)
}

/// "Contact Information" and the short address lines after it, to the end.
fn mark_contact_footer(lines: &[decode::Line], class: &mut [Class]) {
    let Some(start) = lines
        .iter()
        .rposition(|l| chrome::is_contact_heading(&l.text))
    else {
        return;
    };
    let rest: Vec<&str> = lines[start + 1..]
        .iter()
        .map(|l| l.text.as_ref())
        .filter(|t| !t.is_empty())
        .collect();
    if chrome::is_contact_block(&rest) {
        for (i, l) in lines.iter().enumerate().skip(start) {
            if !l.text.is_empty() {
                class[i] = Class::Omit(OmissionReason::ContactFooter);
            }
        }
    }
}

/// A file is hard-wrapped when nearly all its record lines are short: then
/// consecutive lines are one paragraph. Otherwise each line is a paragraph.
fn is_hard_wrapped(lines: &[decode::Line], class: &[Class]) -> bool {
    let mut lengths: Vec<usize> = lines
        .iter()
        .zip(class)
        .filter(|(_, c)| **c == Class::Record)
        .map(|(l, _)| l.text.chars().count())
        .collect();
    if lengths.len() < 5 {
        return false;
    }
    lengths.sort_unstable();
    lengths[lengths.len() * 95 / 100] <= 100
}

/// Strips Markdown remnants from record text: headings, bold, links.
fn strip_markdown(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.trim_start_matches('#').trim_start();
    // Most lines hold none of `[`, `<`, `*`, `_`: then there is nothing to
    // strip, and no search (the replaces were a tenth of parsing).
    let bytes = text.as_bytes();
    if memchr::memchr3(b'[', b'<', b'*', bytes).is_none() && memchr::memchr(b'_', bytes).is_none() {
        return text.into();
    }
    let text = MD_LINK.replace_all(text, "$1");
    let text = MD_AUTOLINK.replace_all(&text, "$1");
    text.replace("**", "").replace("__", "").into()
}

struct Builder {
    turns: Vec<Turn>,
    /// Whether the last paragraph may still grow (no blank line since).
    open: bool,
}

impl Builder {
    /// Starts a turn at `line`; returns whether it did. A marker with no
    /// label right after an anonymous one that has no words yet starts
    /// nothing: the open turn takes whatever follows. (A file of bare
    /// markers would otherwise be a turn per three bytes of input.)
    fn start_turn(&mut self, label: Option<String>, line: usize) -> bool {
        if label.is_none()
            && self
                .turns
                .last()
                .is_some_and(|t| t.label.is_none() && t.paragraphs.is_empty())
        {
            self.open = false;
            return false;
        }
        self.turns.push(Turn {
            id: String::new(),
            label,
            line,
            paragraphs: Vec::new(),
        });
        self.open = false;
        true
    }

    /// Adds text to the open turn; returns whether there was any.
    fn add_text(&mut self, text: &str, line: usize, continue_paragraph: bool) -> bool {
        let text = squeeze(&strip_markdown(text));
        if text.is_empty() {
            return false;
        }
        if self.turns.is_empty() {
            // Spoken text before the first label: an anonymous opening turn.
            self.start_turn(None, line);
        }
        let turn = self.turns.last_mut().expect("a turn was just ensured");
        match turn.paragraphs.last_mut() {
            Some(p) if self.open && continue_paragraph => {
                p.text.push(' ');
                p.text.push_str(&text);
                p.lines[1] = line;
            }
            _ => turn.paragraphs.push(Paragraph {
                id: String::new(),
                text,
                lines: [line, line],
                stage: None,
                notes: Vec::new(),
                time: None,
            }),
        }
        self.open = true;
        true
    }
}

/// Walks the record lines into turns. A line that ends up in no turn (a
/// repeated empty marker, see [`Builder::start_turn`]) is marked omitted.
fn build_turns(
    lines: &[decode::Line],
    class: &mut [Class],
    wrapped: bool,
    arrows: bool,
) -> Vec<Turn> {
    let mut b = Builder {
        turns: Vec::new(),
        open: false,
    };
    for (line, c) in lines.iter().zip(class) {
        if *c != Class::Record {
            b.open = false;
            continue;
        }
        let n = line.number;
        let mut covered = false;
        for (k, segment) in split_segments(&line.text).enumerate() {
            if let Some(rest) = label::strip_marker(segment) {
                let (label, rest) = label::after_marker(rest);
                covered |= b.start_turn(label, n);
                covered |= b.add_text(rest, n, false);
            } else if let Some((label, rest)) = label::bold_label(segment) {
                covered |= b.start_turn(Some(label), n);
                covered |= b.add_text(rest, n, false);
            } else if let Some((label, rest)) = (!arrows)
                .then(|| label::colon_label(segment, false))
                .flatten()
            {
                covered |= b.start_turn(Some(label), n);
                covered |= b.add_text(rest, n, false);
            } else {
                covered |= b.add_text(segment, n, wrapped && k == 0);
            }
        }
        if !covered {
            *c = Class::Omit(OmissionReason::EmptyMarker);
        }
    }
    b.turns
}

/// Splits a line at inner `>>` markers, so a whole transcript on one line
/// still yields one turn per marker.
fn split_segments(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut markers = INNER_MARKER.find_iter(text);
    let mut done = false;
    std::iter::from_fn(move || {
        for m in markers.by_ref() {
            // Keep the whitespace with the previous segment: the whole
            // character, which may be U+2028 or another space of several bytes.
            let space = text[m.start()..].chars().next().map_or(1, char::len_utf8);
            let at = m.start() + space;
            if text[start..at].trim().is_empty() {
                continue;
            }
            let segment = text[start..at].trim();
            start = at;
            return Some(segment);
        }
        if done {
            return None;
        }
        done = true;
        Some(text[start..].trim())
    })
}

/// Joins a paragraph that ends mid-sentence with the next one when that one
/// starts in lower case (`… an application` / `on top of the Domain Name System`).
fn join_broken_sentences(turn: &mut Turn) {
    let mut merged: Vec<Paragraph> = Vec::with_capacity(turn.paragraphs.len());
    for p in std::mem::take(&mut turn.paragraphs) {
        if let Some(prev) = merged.last_mut() {
            let ends_open = prev
                .text
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == ',');
            let starts_lower = p.text.chars().next().is_some_and(char::is_lowercase);
            if ends_open && starts_lower {
                prev.text.push(' ');
                prev.text.push_str(&p.text);
                prev.lines[1] = p.lines[1];
                continue;
            }
        }
        merged.push(p);
    }
    turn.paragraphs = merged;
}

/// Groups omitted lines into runs with one reason (blank lines inside a run join it).
fn collect_omissions(lines: &[decode::Line], class: &[Class]) -> Vec<Omission> {
    let mut out: Vec<Omission> = Vec::new();
    let mut last_reason: Option<OmissionReason> = None;
    for (line, c) in lines.iter().zip(class) {
        match c {
            Class::Blank => {}
            Class::Record => last_reason = None,
            Class::Omit(reason) => {
                match out.last_mut() {
                    Some(o) if last_reason == Some(*reason) => {
                        o.lines[1] = line.number;
                        o.text.push('\n');
                        o.text.push_str(line.raw);
                    }
                    _ => out.push(Omission {
                        lines: [line.number, line.number],
                        reason: *reason,
                        text: line.raw.to_string(),
                    }),
                }
                last_reason = Some(*reason);
            }
        }
    }
    out
}

impl Transcript {
    /// Every input line that the parse accounts for: the lines of turns,
    /// paragraphs and omissions. Tests use it to prove nothing was dropped.
    pub fn covered_lines(&self) -> BTreeSet<usize> {
        let mut set = BTreeSet::new();
        for t in &self.turns {
            set.insert(t.line);
            for p in &t.paragraphs {
                set.extend(p.lines[0]..=p.lines[1]);
            }
        }
        for o in &self.omitted {
            set.extend(o.lines[0]..=o.lines[1]);
        }
        set
    }

    /// Number of turns that carry no label (`>>` alone, or text before the first label).
    pub fn anonymous_turns(&self) -> usize {
        self.turns.iter().filter(|t| t.label.is_none()).count()
    }
}

#[cfg(test)]
mod tests;
