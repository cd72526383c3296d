//! The record: lines into turns and paragraphs (hard-wrapped or a line
//! each), Markdown remnants stripped, sentences the captioner broke joined,
//! and what was set aside gathered as omissions.

use super::conventions::Conventions;
use super::{Class, Omission, OmissionReason, Paragraph, ParagraphId, Turn, TurnId, decode, label};
use regex::Regex;
use std::sync::LazyLock;
use verbatim_text::squeeze;

static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]\n]*)\]\(([^)\s]*)\)").expect("valid regex"));
static MD_AUTOLINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<(https?://[^>\s]+)>").expect("valid regex"));

/// A file is hard-wrapped when nearly all its record lines are short: then
/// consecutive lines are one paragraph. Otherwise each line is a paragraph.
pub(super) fn is_hard_wrapped(lines: &[decode::Line], class: &[Class]) -> bool {
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
pub(super) fn strip_markdown(text: &str) -> std::borrow::Cow<'_, str> {
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
            id: TurnId::default(),
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
                id: ParagraphId::default(),
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
pub(super) fn build_turns(
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
pub(super) fn join_broken_sentences(turn: &mut Turn) {
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
pub(super) fn collect_omissions(lines: &[decode::Line], class: &[Class]) -> Vec<Omission> {
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
