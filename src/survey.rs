//! `verbatim survey`: what ingest makes of a whole folder of transcripts, for
//! an editor starting on a new archive. Per file and in total: turns, labelled
//! and anonymous turns, distinct labels, the metadata found, lines omitted and
//! why; and what looks suspicious: long unlabelled stretches, label-like
//! paragraphs not taken as labels, furniture-like lines kept in the record,
//! files where no labelling convention was recognised, and lines that recur
//! at the edges of many files (boilerplate, candidates for the profile's
//! `chrome_lines`). Pure: it takes the files' bytes, not the folder.

use crate::ingest::{self, Profile, Transcript, label};
use serde::Serialize;
use std::collections::BTreeMap;

/// Words in one anonymous turn past which it is reported as a long
/// unlabelled stretch.
const LONG_UNLABELLED_WORDS: usize = 800;
/// Files a line must recur in, at their edges, to be reported as boilerplate
/// (and at least a tenth of the files).
const BOILERPLATE_FILES: usize = 3;
/// Suspicious items shown per file.
const SHOWN: usize = 5;

/// What ingest made of one file.
#[derive(Debug, Serialize)]
pub struct FileSurvey {
    pub file: String,
    pub turns: usize,
    pub labelled: usize,
    pub anonymous: usize,
    pub words: usize,
    /// Distinct labels, with how many turns each opens.
    pub labels: BTreeMap<String, usize>,
    /// The metadata found, by field.
    pub meta: BTreeMap<&'static str, String>,
    /// Lines omitted, by reason.
    pub omitted: BTreeMap<&'static str, usize>,
    /// Input problems (encoding, repairs), one line each.
    pub problems: Vec<String>,
    /// What an editor should look at.
    pub suspicious: Vec<String>,
}

/// The survey of a folder.
#[derive(Debug, Serialize)]
pub struct Survey {
    pub files: Vec<FileSurvey>,
    pub total: Total,
    /// Lines found at the edges of many files, most frequent first.
    pub boilerplate: Vec<Boilerplate>,
}

/// A line recurring at the edges of many files.
#[derive(Debug, Serialize, PartialEq)]
pub struct Boilerplate {
    pub text: String,
    /// In how many files.
    pub files: usize,
    /// In how many of them it is still in the record (not yet omitted).
    pub kept: usize,
}

/// Sums over every file.
#[derive(Debug, Serialize, Default)]
pub struct Total {
    pub files: usize,
    pub turns: usize,
    pub labelled: usize,
    pub anonymous: usize,
    pub words: usize,
    pub with_year: usize,
    pub with_date: usize,
    pub without_labels: usize,
    pub omitted: BTreeMap<&'static str, usize>,
}

/// Surveys `files` (name, bytes), read with `profile`.
pub fn survey(files: &[(String, Vec<u8>)], profile: &Profile) -> Survey {
    use rayon::prelude::*;
    let parsed: Vec<(FileSurvey, Vec<(String, bool)>)> = files
        .par_iter()
        .map(|(name, bytes)| {
            let t = ingest::parse_with(bytes, profile);
            (file_survey(name, &t, profile), edges(&t))
        })
        .collect();
    let mut total = Total::default();
    let mut edge_count: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut out = Vec::with_capacity(parsed.len());
    for (f, edge_lines) in parsed {
        total.files += 1;
        total.turns += f.turns;
        total.labelled += f.labelled;
        total.anonymous += f.anonymous;
        total.words += f.words;
        total.with_year += usize::from(f.meta.contains_key("year"));
        total.with_date += usize::from(f.meta.contains_key("date"));
        total.without_labels += usize::from(f.labelled == 0);
        for (reason, n) in &f.omitted {
            *total.omitted.entry(reason).or_default() += n;
        }
        for (line, kept) in edge_lines {
            let count = edge_count.entry(line).or_default();
            count.0 += 1;
            count.1 += usize::from(kept);
        }
        out.push(f);
    }
    let needed = BOILERPLATE_FILES.max(total.files.div_ceil(10));
    let mut boilerplate: Vec<Boilerplate> = edge_count
        .into_iter()
        .filter(|(_, (n, _))| *n >= needed)
        .map(|(text, (files, kept))| Boilerplate { text, files, kept })
        .collect();
    boilerplate.sort_by(|a, b| {
        b.kept
            .cmp(&a.kept)
            .then(b.files.cmp(&a.files))
            .then(a.text.cmp(&b.text))
    });
    Survey {
        files: out,
        total,
        boilerplate,
    }
}

fn file_survey(name: &str, t: &Transcript, profile: &Profile) -> FileSurvey {
    let mut labels: BTreeMap<String, usize> = BTreeMap::new();
    for turn in &t.turns {
        if let Some(l) = &turn.label {
            *labels.entry(l.clone()).or_default() += 1;
        }
    }
    let words_of = |turn: &ingest::Turn| {
        turn.paragraphs
            .iter()
            .map(|p| crate::text::word_count(&p.text))
            .sum::<usize>()
    };
    let mut meta = BTreeMap::new();
    let m = &t.meta;
    for (key, value) in [
        ("title", m.title.clone()),
        ("event", m.event.clone()),
        ("year", m.year.map(|y| y.to_string())),
        ("date", m.date.clone()),
        ("time", m.time.clone()),
        ("city", m.city.clone()),
        ("country", m.country.clone()),
        ("room", m.room.clone()),
        ("code", m.session_code.clone()),
    ] {
        if let Some(v) = value {
            meta.insert(key, v);
        }
    }
    let mut omitted: BTreeMap<&'static str, usize> = BTreeMap::new();
    for o in &t.omitted {
        *omitted.entry(o.reason.name()).or_default() += o.lines[1] - o.lines[0] + 1;
    }
    let mut suspicious = Vec::new();
    let labelled = t.turns.iter().filter(|t| t.label.is_some()).count();
    if labelled == 0 && !t.turns.is_empty() {
        suspicious.push("no labelling convention recognised: every turn is anonymous".to_string());
    }
    for turn in t.turns.iter().filter(|t| t.label.is_none()) {
        let words = words_of(turn);
        if words >= LONG_UNLABELLED_WORDS && t.turns.len() > 1 {
            suspicious.push(format!(
                "line {}: an unlabelled stretch of {words} words",
                turn.line
            ));
        }
    }
    let mut label_like = 0;
    for p in t.turns.iter().flat_map(|t| &t.paragraphs) {
        if label::colon_label(&p.text, true, profile).is_some() {
            label_like += 1;
            if label_like <= SHOWN {
                suspicious.push(format!(
                    "line {}: looks like a label but was kept as speech: {}",
                    p.lines[0],
                    snippet(&p.text)
                ));
            }
        }
    }
    // Furniture-like: a paragraph of a few capitalised words with no
    // sentence, at the record's edges.
    let edge_paragraphs = t
        .turns
        .first()
        .into_iter()
        .flat_map(|t| t.paragraphs.first())
        .chain(t.turns.last().into_iter().flat_map(|t| t.paragraphs.last()));
    for p in edge_paragraphs {
        if looks_like_furniture(&p.text) {
            suspicious.push(format!(
                "line {}: looks like page furniture but is in the record: {}",
                p.lines[0],
                snippet(&p.text)
            ));
        }
    }
    suspicious.dedup();
    FileSurvey {
        file: name.to_string(),
        turns: t.turns.len(),
        labelled,
        anonymous: t.anonymous_turns(),
        words: t.turns.iter().map(words_of).sum(),
        labels,
        meta,
        omitted,
        problems: t
            .problems
            .iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect(),
        suspicious,
    }
}

/// The lines at a file's edges: what was omitted before and after the
/// record, and (kept) the record's first and last paragraphs when short.
fn edges(t: &Transcript) -> Vec<(String, bool)> {
    let first = t.turns.first().map_or(usize::MAX, |t| t.line);
    let last = t
        .turns
        .last()
        .and_then(|t| t.paragraphs.last())
        .map_or(0, |p| p.lines[1]);
    let mut lines: Vec<(String, bool)> = t
        .omitted
        .iter()
        .filter(|o| o.lines[1] < first || o.lines[0] > last)
        .flat_map(|o| o.text.lines())
        .map(|l| crate::text::squeeze(&crate::text::normalise(l)))
        .filter(|l| !l.is_empty() && l.chars().count() <= 200)
        .map(|l| (l, false))
        .collect();
    let short = |p: &&ingest::Paragraph| crate::text::word_count(&p.text) <= 12;
    lines.extend(
        t.turns
            .first()
            .and_then(|t| t.paragraphs.first())
            .filter(short)
            .map(|p| (p.text.clone(), true)),
    );
    lines.extend(
        t.turns
            .last()
            .and_then(|t| t.paragraphs.last())
            .filter(short)
            .map(|p| (p.text.clone(), true)),
    );
    lines.sort();
    lines.dedup();
    lines
}

fn looks_like_furniture(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && !text.ends_with(['.', '?', '!', ')', ']'])
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
}

fn snippet(text: &str) -> String {
    let mut s: String = text.chars().take(70).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// The survey as an editor reads it: a table of files, then totals,
/// boilerplate and what to look at.
pub fn report(s: &Survey) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>6} {:>6} {:>6} {:>7}  {:<4} {:<10}  file",
        "turns", "named", "anon", "words", "year", "date"
    );
    for f in &s.files {
        let _ = writeln!(
            out,
            "{:>6} {:>6} {:>6} {:>7}  {:<4} {:<10}  {}",
            f.turns,
            f.labelled,
            f.anonymous,
            f.words,
            f.meta.get("year").map_or("-", String::as_str),
            f.meta.get("date").map_or("-", String::as_str),
            f.file
        );
    }
    let t = &s.total;
    let _ = writeln!(
        out,
        "\n{} files: {} turns ({} labelled, {} anonymous), {} words; year found in {}, date in {}; {} with no label at all",
        t.files,
        t.turns,
        t.labelled,
        t.anonymous,
        t.words,
        t.with_year,
        t.with_date,
        t.without_labels
    );
    let omitted: Vec<String> = t.omitted.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let _ = writeln!(
        out,
        "lines omitted: {}",
        if omitted.is_empty() {
            "none".to_string()
        } else {
            omitted.join(", ")
        }
    );
    if !s.boilerplate.is_empty() {
        let _ = writeln!(
            out,
            "\nlines at the edges of many files (those still in the record: add them to ingest.chrome_lines in verbatim.yaml):"
        );
        for b in s.boilerplate.iter().take(20) {
            let kept = match b.kept {
                0 => "omitted".to_string(),
                k => format!("IN THE RECORD in {k}"),
            };
            let _ = writeln!(
                out,
                "  {:>5} files, {kept:<22} {}",
                b.files,
                snippet(&b.text)
            );
        }
    }
    let flagged: Vec<&FileSurvey> = s
        .files
        .iter()
        .filter(|f| !f.suspicious.is_empty() || !f.problems.is_empty())
        .collect();
    if !flagged.is_empty() {
        let _ = writeln!(out, "\nto look at:");
        for f in flagged {
            let _ = writeln!(out, "  {}", f.file);
            for p in f.problems.iter().chain(f.suspicious.iter().take(SHOWN)) {
                let _ = writeln!(out, "    {p}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_summed_and_its_doubts_named() {
        let files = vec![
            ("a.txt".to_string(), b"Watch the livestream\n\n>> AVRI DORIA: Hello all.\n\nMAYBE LABEL: a line.\n\nWatch the livestream\n".to_vec()),
            ("b.txt".to_string(), b"Watch the livestream\n\nJust text, no labels at all.\n\nWatch the livestream\n".to_vec()),
            ("c.txt".to_string(), b"Watch the livestream\n\n>> Hi.\n\nWatch the livestream\n".to_vec()),
        ];
        let s = survey(&files, &Profile::default_profile());
        assert_eq!(s.total.files, 3);
        assert_eq!(s.total.labelled, 1);
        assert_eq!(s.total.without_labels, 2);
        assert!(
            s.files[0]
                .suspicious
                .iter()
                .any(|x| x.contains("looks like a label")),
            "{:?}",
            s.files[0].suspicious
        );
        assert!(
            s.files[1]
                .suspicious
                .iter()
                .any(|x| x.contains("no labelling convention"))
        );
        assert_eq!(
            s.boilerplate,
            [Boilerplate {
                text: "Watch the livestream".into(),
                files: 3,
                kept: 3
            }]
        );
        assert!(report(&s).contains("3 files: "));
    }
}
