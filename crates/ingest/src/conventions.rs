//! A file's labelling conventions, decided from the whole file before any
//! turn is read: whether it marks turns with `>>`; which labels it writes
//! without a marker (`THE CHAIRMAN:`, `Announcer:`, `Lena Varga:`), at the
//! start of a line or, in transcripts run together on one line, inside it;
//! and which names it writes after `>>` with no colon (`>> Tomas Vaitkus
//! Good morning`). A label is believed when the file's own evidence says so
//! (it recurs, it is also written after `>>`, or the file's convention is
//! bare labels and it has a name's shape), never from one look at one line.

use super::label;
use super::profile::Profile;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A `>>` marker inside a line, preceded by whitespace: the next turn of a
/// transcript whose turns were run together on one line.
static INNER_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s>\s?>").expect("valid regex"));

/// A label inside a long line, after the end of a sentence (or a PDF's
/// page marker, `3 Page 3`): `… was three years old. JOLENE: The actual map …`.
static INLINE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[.?!…\x22”’)]\s+|\b\d+\s+Page\s+\d+\s+)(\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*|de|da|van|von|del|la|le|bin|al|el)){0,4}(?:\s+\([^()]{1,30}\))?):\s")
        .expect("valid regex")
});

/// A name written with no colon at all inside a long line, after the end
/// of a sentence and before the next one (`… start now. Priya Nair All
/// right, …`), as some CART exports run labels into the text.
static INLINE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[.?!…\x22”’)]\s+)(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,2})\s+\p{Lu}")
        .expect("valid regex")
});

/// Lines longer than this may hold several turns run together.
const LONG_LINE: usize = 200;

/// Words that open sentences, never a name written without a colon.
const OPENERS: &[&str] = &[
    "Good",
    "Thank",
    "Thanks",
    "Yes",
    "No",
    "Okay",
    "OK",
    "Hello",
    "Hi",
    "Please",
    "The",
    "We",
    "I",
    "So",
    "And",
    "But",
    "Well",
    "Now",
    "Let",
    "Ladies",
    "Dear",
    "Excellencies",
    "Welcome",
];

/// What a file's evidence says about its labels.
pub struct Conventions<'p> {
    pub profile: &'p Profile,
    /// Labels accepted at the start of a line without a marker.
    bare: HashSet<String>,
    /// Labels accepted inside long lines, after the end of a sentence.
    inline: Vec<String>,
    /// Names written after `>>` without a colon, longest first.
    prefixes: Vec<String>,
    /// Names run into long lines with no marker and no colon, in a file with
    /// no other convention.
    glued: Vec<String>,
}

impl<'p> Conventions<'p> {
    /// Reads the conventions of a file from its record lines.
    pub fn of<'a>(record: impl Iterator<Item = &'a str> + Clone, profile: &'p Profile) -> Self {
        let arrows = record.clone().any(has_marker);
        let mut after_arrows: HashSet<String> = HashSet::new();
        let mut bare_count: HashMap<String, usize> = HashMap::new();
        let mut inline_count: HashMap<String, usize> = HashMap::new();
        let mut prefix_count: HashMap<String, usize> = HashMap::new();
        let mut glued_count: HashMap<String, usize> = HashMap::new();
        for text in record.clone() {
            for segment in split_at_markers(text) {
                if let Some(rest) = label::strip_marker(segment) {
                    match label::colon_label(rest, true, profile) {
                        Some((l, _)) => {
                            after_arrows.insert(l);
                        }
                        None => {
                            for prefix in name_prefixes(rest) {
                                *prefix_count.entry(prefix).or_default() += 1;
                            }
                        }
                    }
                } else if let Some((l, _)) = label::colon_label(segment, true, profile) {
                    *bare_count.entry(l).or_default() += 1;
                }
            }
            // Turns run together on one line put a label's colon and space
            // in it at least twice; a paragraph with one colon holds none.
            if text.len() > LONG_LINE
                && memchr::memmem::find_iter(text.as_bytes(), b": ")
                    .nth(1)
                    .is_some()
            {
                for c in INLINE_LABEL.captures_iter(text) {
                    *inline_count.entry(c[1].to_string()).or_default() += 1;
                }
            }
        }
        let shaped = |l: &str| label::is_upper_name(l) || label::is_title_name(l, profile);
        // Labels the file itself vouches for: written after `>>` too, or
        // recurring, or (in a file without markers) upper-case names.
        let vouched: HashSet<String> = bare_count
            .iter()
            .filter(|(l, n)| {
                after_arrows.contains(*l)
                    || (**n >= 2 && shaped(l))
                    || (!arrows && label::is_upper_name(l))
            })
            .map(|(l, _)| l.clone())
            .collect();
        // Where bare labels are the convention (two vouched for, or one in a
        // file with no markers at all), a name's shape is enough.
        let convention = vouched.len() >= 2 || (!arrows && !vouched.is_empty());
        let bare: HashSet<String> = bare_count
            .keys()
            .filter(|l| {
                vouched.contains(*l)
                    || (convention && shaped(l) && (l.contains(' ') || profile.is_role_word(l)))
            })
            .cloned()
            .collect();
        let inline_vouched = inline_count
            .iter()
            .filter(|(l, n)| **n >= 2 && shaped(l))
            .count();
        // As for bare labels: once two recur, the convention is established
        // and an upper-case name heard once is a label too.
        let mut inline: Vec<String> = inline_count
            .into_iter()
            .filter(|(l, n)| {
                let named_once =
                    label::is_upper_name(l) || l.contains(' ') || profile.is_role_word(l);
                (*n >= 2
                    || bare.contains(l)
                    || after_arrows.contains(l)
                    || (inline_vouched >= 2 && named_once))
                    && shaped(l)
            })
            .map(|(l, _)| l)
            .collect();
        inline.sort();
        let mut prefixes: Vec<String> = prefix_count
            .into_iter()
            .filter(|(_, n)| *n >= 2)
            .map(|(p, _)| p)
            .collect();
        // Longest first, so `Anna Maria Lopez` wins over `Anna Maria`.
        prefixes.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        // Names run into the text are believed only in a file with no other
        // convention, once two of them recur.
        let mut glued: Vec<String> = Vec::new();
        if !arrows && bare.is_empty() && inline.is_empty() {
            for text in record.filter(|t| t.len() > LONG_LINE) {
                for c in INLINE_NAME.captures_iter(text) {
                    let words: Vec<&str> = c[1].split_whitespace().collect();
                    if OPENERS.contains(&words[0]) {
                        continue;
                    }
                    // `Ken Tanaka Can I ask`: the name may be two words of three.
                    for n in 2..=words.len() {
                        *glued_count.entry(words[..n].join(" ")).or_default() += 1;
                    }
                }
            }
            let recurring = glued_count.values().filter(|n| **n >= 2).count();
            if recurring >= 2 {
                // Heard once, a name is taken at its shortest, two words.
                glued = glued_count
                    .into_iter()
                    .filter(|(name, n)| *n >= 2 || name.split(' ').count() == 2)
                    .map(|(name, _)| name)
                    .collect();
                glued.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            }
        }
        Conventions {
            profile,
            bare,
            inline,
            prefixes,
            glued,
        }
    }

    /// Whether `text` (a segment of a line) starts a turn.
    pub fn starts_turn(&self, text: &str) -> bool {
        label::strip_marker(text).is_some()
            || label::bold_label(text, self.profile).is_some()
            || self.bare_label(text).is_some()
    }

    /// The label and rest of a segment that starts with a bare label.
    pub fn bare_label<'a>(&self, text: &'a str) -> Option<(String, &'a str)> {
        label::colon_label(text, true, self.profile)
            .filter(|(l, _)| self.bare.contains(l) || self.inline.contains(l))
            .or_else(|| {
                self.glued.iter().find_map(|name| {
                    let rest = text.strip_prefix(name.as_str())?.strip_prefix(' ')?;
                    rest.starts_with(char::is_uppercase)
                        .then(|| (name.clone(), rest))
                })
            })
    }

    /// After a `>>` marker: the label (with or without colon) and the rest.
    pub fn after_marker<'a>(&self, text: &'a str) -> (Option<String>, &'a str) {
        let (label, rest) = label::after_marker(text, self.profile);
        if label.is_some() {
            return (label, rest);
        }
        for prefix in &self.prefixes {
            if let Some(rest) = text.strip_prefix(prefix.as_str())
                && rest.starts_with(' ')
            {
                return (Some(prefix.clone()), rest.trim_start());
            }
        }
        (None, text)
    }

    /// A line cut where turns were run together: before inner `>>` markers
    /// and, in a long line, before the labels the file uses inside lines.
    pub fn segments<'a>(&self, text: &'a str) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        if (self.inline.is_empty() && self.glued.is_empty()) || text.len() <= LONG_LINE {
            return Box::new(split_at_markers(text));
        }
        let mut cuts: Vec<usize> = Vec::new();
        for (pattern, accepted) in [(&*INLINE_LABEL, &self.inline), (&*INLINE_NAME, &self.glued)] {
            for c in pattern.captures_iter(text) {
                let label = c.get(1).expect("group 1 always takes part");
                // A name run into the text may be two words of the three read.
                let names = |l: &String| {
                    let found = label.as_str();
                    found == l
                        || found
                            .strip_prefix(l.as_str())
                            .is_some_and(|r| r.starts_with(' '))
                };
                if accepted.iter().any(names) {
                    cuts.push(label.start());
                }
            }
        }
        cuts.sort_unstable();
        let mut pieces = Vec::new();
        let mut start = 0;
        for cut in cuts.into_iter().chain([text.len()]) {
            if cut > start {
                pieces.extend(split_at_markers(&text[start..cut]).filter(|s| !s.is_empty()));
            }
            start = cut;
        }
        Box::new(pieces.into_iter())
    }
}

/// Whether a line holds a turn marker, at its start or inside it.
pub fn has_marker(text: &str) -> bool {
    label::strip_marker(text).is_some() || INNER_MARKER.is_match(text)
}

/// Splits a line at inner `>>` markers, so a whole transcript on one line
/// still yields one turn per marker.
pub fn split_at_markers(text: &str) -> impl Iterator<Item = &str> {
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

/// The two- and three-word names a `>>` line may open with, without a
/// colon: capitalised words, not a sentence's usual first word.
fn name_prefixes(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').take(4).collect();
    let name_word = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    };
    if words.len() < 3 || OPENERS.contains(&words[0]) {
        return Vec::new();
    }
    (2..=3)
        .filter(|&n| words.len() > n && words[..n].iter().all(|w| name_word(w)))
        .map(|n| words[..n].join(" "))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conventions<'p>(text: &'static str, profile: &'p Profile) -> Conventions<'p> {
        Conventions::of(text.lines(), profile)
    }

    #[test]
    fn bare_labels_are_believed_on_the_files_evidence() {
        let p = Profile::default_profile();
        // Bare upper-case labels in a file with markers: believed when they recur.
        let c = conventions(
            ">> AVRI DORIA: Hi.\nMODERATOR: One.\nMODERATOR: Two.\nTHE POINT IS: we agree.\n",
            &p,
        );
        assert!(c.starts_turn("MODERATOR: Three."));
        assert!(!c.starts_turn("THE POINT IS: we agree."));
        // Mixed-case labels where bare labels are the convention.
        let c = conventions(
            "THE CHAIRMAN: We begin.\nINGRID SOLBERG: Thanks.\nLena Varga: Yes.\nAnnouncer: Seats.\nNote: a sentence.\n",
            &p,
        );
        assert!(c.starts_turn("Lena Varga: Yes."));
        assert!(c.starts_turn("Announcer: Seats."));
        assert!(!c.starts_turn("Note: a sentence."));
    }

    #[test]
    fn generic_labels_numbered_speakers_and_questions() {
        let p = Profile::default_profile();
        let c = conventions(
            "Speaker 1: Hello.\nSpeaker 2: Hi there.\nSpeaker 1: Bye.\n",
            &p,
        );
        assert_eq!(
            c.bare_label("Speaker 2: Hi there.").map(|l| l.0).as_deref(),
            Some("Speaker 2")
        );
        let c = conventions(
            "Q: How is it done?\nA: Like this.\nQ: And then?\nA: Then we stop.\n",
            &p,
        );
        assert!(c.starts_turn("Q: And then?") && c.starts_turn("A: Then we stop."));
        let c = conventions("Everyone: Agreed.\nCHAIR: Good.\nCHAIR: Next.\n", &p);
        assert!(c.starts_turn("Everyone: Agreed."));
    }

    #[test]
    fn names_without_colon_after_markers_when_they_recur() {
        let p = Profile::default_profile();
        let c = conventions(
            ">> Tomas Vaitkus Good morning.\n>> MARTA LINDQVIST: Hi.\n>> Tomas Vaitkus Thank you.\n>> Good Morning everyone.\n",
            &p,
        );
        assert_eq!(
            c.after_marker("Tomas Vaitkus Thank you."),
            (Some("Tomas Vaitkus".into()), "Thank you.")
        );
        assert_eq!(c.after_marker("Good Morning everyone.").0, None);
    }

    #[test]
    fn labels_inside_a_transcript_run_together_on_one_line() {
        let p = Profile::default_profile();
        let line = "JOLENE: Okay, we have a quorum of three, which is our usual quorum. MIRIAM: Will they bring the actual map, or slides about the map? JOLENE: The actual map, I was promised. On a laptop, at least. MIRIAM: Good, because last time the slides were old.";
        let c = Conventions::of([line].into_iter(), &p);
        let segments: Vec<&str> = c.segments(line).collect();
        assert_eq!(segments.len(), 4, "{segments:?}");
        assert!(segments[1].starts_with("MIRIAM: Will"));
    }
}
