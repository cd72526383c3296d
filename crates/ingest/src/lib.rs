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
mod header;
mod ids;
pub mod label;
pub mod model;
pub mod profile;
mod stage;

pub use decode::{decode, raw_lines};
pub use model::*;
pub use profile::Profile;

use conventions::Conventions;
pub use stage::{find_notes as find_stage_notes, whole_paragraph as whole_paragraph_stage};
use verbatim_text::squeeze;

use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

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
    mark_contact_footer(&lines, &mut class);

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
            && strip_markdown(&line.text).trim().is_empty()
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
        mark_disclaimer_blocks(&lines[..first_turn], &mut class, profile, &starts_turn);
    let header_text = mark_heading(&lines, &mut class, first_turn, profile);
    mark_trailing_chrome(&lines, &mut class, profile);
    let mut meta = header::read_meta(&header_text, &disclaimers, profile);
    if meta.date.is_none() && meta.year.is_none() && first_turn < lines.len() {
        opening_date(&lines[first_turn], &conventions, &mut meta);
    }

    let wrapped = is_hard_wrapped(&lines, &class);
    let mut turns = build_turns(&lines, &mut class, wrapped, &conventions);
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

/// Most lines a disclaimer paragraph is wrapped over.
const MAX_DISCLAIMER_LINES: usize = 15;

/// Marks the captioning disclaimer where it is wrapped over several lines,
/// in `lines` (those before the first turn; a disclaimer on one line is
/// found anywhere by [`chrome::junk_line`]), and returns every disclaimer's
/// text, lines joined, for the metadata it states. A paragraph is cut
/// before a line that starts a turn: speech is never taken with it.
fn mark_disclaimer_blocks(
    lines: &[decode::Line],
    class: &mut [Class],
    profile: &Profile,
    starts_turn: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let mut texts = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if class[i] == Class::Omit(OmissionReason::Disclaimer) {
            texts.push(lines[i].text.to_string());
            i += 1;
            continue;
        }
        if class[i] != Class::Record {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < lines.len()
            && end - start < MAX_DISCLAIMER_LINES
            && class[end] == Class::Record
            && (end == start || !starts_turn(&lines[end].text))
        {
            end += 1;
        }
        if end - start > 1 {
            let joined = lines[start..end]
                .iter()
                .map(|l| l.text.as_ref())
                .collect::<Vec<_>>()
                .join(" ");
            if profile.is_disclaimer(&joined) {
                class[start..end].fill(Class::Omit(OmissionReason::Disclaimer));
                texts.push(joined);
            }
        }
        i = end.max(start + 1);
    }
    texts
}

/// A transcript run together on one line opens with its heading, before its
/// first turn; the date stated there is the session's (the text stays in
/// the record: it shares its line with speech).
fn opening_date(line: &decode::Line, conventions: &Conventions, meta: &mut Meta) {
    let mut segments = conventions.segments(&line.text);
    let (Some(opening), Some(_)) = (segments.next(), segments.next()) else {
        return;
    };
    if conventions.starts_turn(opening) {
        return;
    }
    let before = meta.clone();
    match header::dates(opening).first() {
        Some(&header::Found::Day(y, m, d)) => {
            meta.year = Some(y);
            meta.date = verbatim_text::calendar::iso(y, m, d);
        }
        Some(&header::Found::Range(y)) => meta.year = Some(y),
        None => {}
    }
    meta.credit(
        &before,
        "the opening of the first line, before its first turn",
    );
}

/// Longest line (in chars) that can be part of a heading block; longer lines
/// before the disclaimer are kept as speech.
const MAX_HEADER_LINE: usize = 160;
/// Longest line taken for the heading above a disclaimer.
const MAX_HEADING_ABOVE_DISCLAIMER: usize = 400;
/// Most words of a heading line that is not otherwise recognised.
const MAX_HEADING_WORDS: usize = 14;

/// The heading before the record: every short line above a disclaimer that
/// precedes the first turn, then heading-like lines (titles, dates, places,
/// the site's furniture) down to the first line that reads as speech.
/// Returns the heading's lines for the metadata.
fn mark_heading<'a>(
    lines: &'a [decode::Line],
    class: &mut [Class],
    first_turn: usize,
    profile: &Profile,
) -> Vec<&'a str> {
    let mut header = Vec::new();
    let mark = |i: usize, class: &mut [Class], header: &mut Vec<&'a str>| {
        if profile.is_chrome_line(&lines[i].text) {
            class[i] = Class::Omit(OmissionReason::SiteChrome);
        } else {
            class[i] = Class::Omit(OmissionReason::Header);
            header.push(lines[i].text.as_ref());
        }
    };
    let disclaimer = (0..first_turn)
        .rev()
        .find(|&i| class[i] == Class::Omit(OmissionReason::Disclaimer));
    if let Some(d) = disclaimer {
        for i in 0..d {
            // A document's heading run onto one line (PDF text) is longer
            // than a page's; above a disclaimer, it is still a heading.
            if class[i] == Class::Record
                && lines[i].text.chars().count() <= MAX_HEADING_ABOVE_DISCLAIMER
            {
                mark(i, class, &mut header);
            }
        }
    }
    let mut heading = true;
    for i in disclaimer.map_or(0, |d| d + 1)..first_turn {
        match class[i] {
            // The site's furniture, wherever it stands before the record.
            Class::Record if profile.is_chrome_line(&lines[i].text) => {
                class[i] = Class::Omit(OmissionReason::SiteChrome)
            }
            Class::Record if heading && is_heading_like(&lines[i].text, profile) => {
                mark(i, class, &mut header)
            }
            Class::Record => heading = false,
            _ => {}
        }
    }
    header
}

/// Furniture after the record: the site's lines from the end of the page up
/// to the last line of speech.
fn mark_trailing_chrome(lines: &[decode::Line], class: &mut [Class], profile: &Profile) {
    for i in (0..lines.len()).rev() {
        match class[i] {
            Class::Record if profile.is_chrome_line(&lines[i].text) => {
                class[i] = Class::Omit(OmissionReason::SiteChrome)
            }
            Class::Record => break,
            _ => {}
        }
    }
}

/// Whether a line before the record reads as a heading, not as speech: a
/// title line, a date, a time, the site's furniture, or a short line of
/// capitalised words without a question or an exclamation.
fn is_heading_like(text: &str, profile: &Profile) -> bool {
    if text.chars().count() > MAX_HEADER_LINE {
        return false;
    }
    if header::is_title_line(text)
        || profile.is_chrome_line(text)
        || !header::dates(text).is_empty()
        || header::is_time(text)
    {
        return true;
    }
    let text = text.trim_start_matches('#').trim();
    let first = text.chars().next();
    if text.contains(['?', '!'])
        || text.ends_with([',', ':', ';'])
        || !first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > MAX_HEADING_WORDS {
        return false;
    }
    let significant: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !label::is_particle(&w.to_lowercase()))
        .collect();
    let capitalised = significant
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    !significant.is_empty() && capitalised * 10 >= significant.len() * 6
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
    conventions: &Conventions,
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
        for (k, segment) in conventions.segments(&line.text).enumerate() {
            if let Some(rest) = label::strip_marker(segment) {
                let (label, rest) = conventions.after_marker(rest);
                covered |= b.start_turn(label, n);
                covered |= b.add_text(rest, n, false);
            } else if let Some((label, rest)) = label::bold_label(segment, conventions.profile) {
                covered |= b.start_turn(Some(label), n);
                covered |= b.add_text(rest, n, false);
            } else if let Some((label, rest)) = conventions.bare_label(segment) {
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
