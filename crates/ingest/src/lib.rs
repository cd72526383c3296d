//! Ingest: raw transcript bytes to a structured [`Transcript`], without losing a word.
//!
//! The stage runs in passes over the decoded lines: classify each line (blank,
//! chrome to omit, heading, record), read the heading into [`Meta`], then walk
//! the record lines into turns and paragraphs, and finally find stage notes and
//! assign stable ids. Whatever is not put in a turn is listed in `omitted` with a
//! reason, so every non-blank line is accounted for.

mod captions;
mod chrome;
mod conventions;
mod decode;
mod edges;
mod header;
mod ids;
pub mod label;
pub mod lock;
pub mod model;
pub mod profile;
mod stage;
mod turns;

pub use decode::{decode, raw_lines};
pub use model::*;
pub use profile::Profile;

use conventions::Conventions;
pub use stage::{find_notes as find_stage_notes, whole_paragraph as whole_paragraph_stage};

use std::collections::BTreeSet;

/// What a line of the input is, as the passes decide.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    Blank,
    Omit(OmissionReason),
    Record,
}

/// Parses one raw transcript with the built-in profile. Never panics,
/// whatever the bytes.
pub fn parse(bytes: &[u8]) -> Transcript {
    parse_with(bytes, &Profile::default_profile())
}

/// Parses one raw transcript, reading the forms `profile` knows. Never
/// panics, whatever the bytes.
pub fn parse_with(bytes: &[u8], profile: &Profile) -> Transcript {
    let (text, problems) = decode::decode(bytes);
    let lines = decode::lines(&text);
    if captions::is_captions(&text) {
        let mut t = captions::transcript(&lines, problems, profile);
        for turn in &mut t.turns {
            for p in &mut turn.paragraphs {
                p.notes = stage::find_notes(&p.text);
                p.stage = stage::whole_paragraph(&p.text, &p.notes);
            }
        }
        ids::assign(&mut t.turns);
        return t;
    }
    // The lines that may be the disclaimer: those holding a hint phrase,
    // found in one pass over the text.
    let hints = profile.disclaimer_hints(&text);
    let mut next_hint = hints.iter().peekable();
    let mut class: Vec<Class> = lines
        .iter()
        .map(|l| {
            let start = l.raw.as_ptr() as usize - text.as_ptr() as usize;
            let end = start + l.raw.len();
            while next_hint.next_if(|&&h| h < start).is_some() {}
            let hinted = next_hint.peek().is_some_and(|&&h| h < end);
            match l.text.as_ref() {
                "" => Class::Blank,
                t => chrome::junk_line(t, hinted, profile).map_or(Class::Record, Class::Omit),
            }
        })
        .collect();
    edges::mark_contact_footer(&lines, &mut class);

    let record = || {
        lines
            .iter()
            .zip(&class)
            .filter(|(_, c)| **c == Class::Record)
            .map(|(l, _)| l.text.as_ref())
    };
    let conventions = Conventions::of(record(), profile);
    let starts_turn = |text: &str| conventions.starts_turn(text);
    // A line of bare Markdown syntax (`#`, `**`) has no words for the record.
    for (line, c) in lines.iter().zip(class.iter_mut()) {
        if *c == Class::Record
            && !starts_turn(&line.text)
            && turns::strip_markdown(&line.text).trim().is_empty()
        {
            *c = Class::Omit(OmissionReason::Markup);
        }
    }
    // The first line where a turn starts, at its start or inside it (a
    // transcript run together on one line).
    let first_turn = lines
        .iter()
        .zip(&class)
        .position(|(l, c)| *c == Class::Record && conventions.segments(&l.text).any(&starts_turn))
        .unwrap_or(lines.len());
    let disclaimers =
        edges::mark_disclaimer_blocks(&lines[..first_turn], &mut class, profile, &starts_turn);
    let header_text = edges::mark_heading(&lines, &mut class, first_turn, profile);
    edges::mark_trailing_chrome(&lines, &mut class, profile);
    let mut meta = header::read_meta(&header_text, &disclaimers, profile);
    if meta.date.is_none() && meta.year.is_none() && first_turn < lines.len() {
        edges::opening_date(&lines[first_turn], &conventions, &mut meta);
    }

    let wrapped = turns::is_hard_wrapped(&lines, &class);
    let mut turns = turns::build_turns(&lines, &mut class, wrapped, &conventions);
    for turn in &mut turns {
        turns::join_broken_sentences(turn);
        for p in &mut turn.paragraphs {
            p.notes = stage::find_notes(&p.text);
            p.stage = stage::whole_paragraph(&p.text, &p.notes);
        }
    }
    ids::assign(&mut turns);

    Transcript {
        meta,
        turns,
        omitted: turns::collect_omissions(&lines, &class),
        problems,
    }
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
