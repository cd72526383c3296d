//! The edges of a transcript: the heading block (read into `Meta`), the
//! disclaimer paragraphs, the contact footer and the furniture before the
//! first turn and after the last. Apart from the record's passes because
//! these decide what is not speech, which the rest never does.

use super::conventions::Conventions;
use super::{Class, Meta, OmissionReason, Profile, chrome, decode, header, label};

/// Most lines a disclaimer paragraph is wrapped over.
const MAX_DISCLAIMER_LINES: usize = 15;

/// Marks the captioning disclaimer where it is wrapped over several lines,
/// in `lines` (those before the first turn; a disclaimer on one line is
/// found anywhere by [`chrome::junk_line`]), and returns every disclaimer's
/// text, lines joined, for the metadata it states. A paragraph is cut
/// before a line that starts a turn: speech is never taken with it.
pub(super) fn mark_disclaimer_blocks(
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
pub(super) fn opening_date(line: &decode::Line, conventions: &Conventions, meta: &mut Meta) {
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
pub(super) fn mark_heading<'a>(
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
pub(super) fn mark_trailing_chrome(lines: &[decode::Line], class: &mut [Class], profile: &Profile) {
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
pub(super) fn is_heading_like(text: &str, profile: &Profile) -> bool {
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
pub(super) fn mark_contact_footer(lines: &[decode::Line], class: &mut [Class]) {
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
