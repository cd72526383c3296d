//! The real archive's styles: one fixture per style of transcript found in
//! the IGF's and other meetings' published captioning (written for this
//! project in each style's exact layout; tests/fixtures/archive/), each with
//! what a careful editor says it holds. A fixture is fully right when its
//! turn count is within one, its labels and anonymous turns are right, the
//! year and date it states are read, no chrome is in the record, and no
//! phrase of its speech is lost.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

use verbatim::ingest::{self, Transcript};

/// The share of fixtures that must be fully right: a ratchet, raised with
/// every step ingest takes towards the goal of 95 %.
const REQUIRED: f64 = 0.95;

#[derive(Deserialize)]
struct Expected {
    style: String,
    turns: Vec<Option<String>>,
    #[serde(default)]
    meta: Meta,
    #[serde(default)]
    chrome: Vec<String>,
    #[serde(default)]
    speech: Vec<String>,
    #[serde(default)]
    times: Vec<f64>,
}

#[derive(Deserialize, Default)]
struct Meta {
    year: Option<i32>,
    date: Option<String>,
    title: Option<String>,
    city: Option<String>,
    country: Option<String>,
}

/// What is wrong with one fixture's reading; empty when it is fully right.
fn faults(t: &Transcript, text: &str, e: &Expected) -> Vec<String> {
    let mut out = Vec::new();
    let labels = |v: &mut dyn Iterator<Item = Option<&str>>| -> BTreeSet<String> {
        v.flatten().map(|l| l.to_string()).collect()
    };
    if t.turns.len().abs_diff(e.turns.len()) > 1 {
        out.push(format!(
            "{} turns, expected {}",
            t.turns.len(),
            e.turns.len()
        ));
    }
    let got = labels(&mut t.turns.iter().map(|t| t.label.as_deref()));
    // Labels as ingest normalises layout characters (U+2011 → `-`).
    let normalised: Vec<Option<String>> = e
        .turns
        .iter()
        .map(|l| {
            l.as_deref()
                .map(|l| verbatim::text::normalise(l).into_owned())
        })
        .collect();
    let want = labels(&mut normalised.iter().map(|l| l.as_deref()));
    if got != want {
        let missing: Vec<_> = want.difference(&got).collect();
        let extra: Vec<_> = got.difference(&want).collect();
        out.push(format!("labels: missing {missing:?}, extra {extra:?}"));
    }
    let anonymous = e.turns.iter().filter(|l| l.is_none()).count();
    if t.anonymous_turns().abs_diff(anonymous) > 1 {
        out.push(format!(
            "{} anonymous turns, expected {anonymous}",
            t.anonymous_turns()
        ));
    }
    if e.meta.year.is_some() && t.meta.year != e.meta.year {
        out.push(format!(
            "year {:?}, expected {:?}",
            t.meta.year, e.meta.year
        ));
    }
    if e.meta.date.is_some() && t.meta.date != e.meta.date {
        out.push(format!(
            "date {:?}, expected {:?}",
            t.meta.date, e.meta.date
        ));
    }
    let record: String = t
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let squeeze = |s: &str| verbatim::text::squeeze(&verbatim::text::normalise(s));
    // A chrome line is right when the input line holding it is omitted.
    let omitted: BTreeSet<usize> = t
        .omitted
        .iter()
        .flat_map(|o| o.lines[0]..=o.lines[1])
        .collect();
    let lines: Vec<String> = ingest::raw_lines(text).map(squeeze).collect();
    for chrome in &e.chrome {
        let chrome = squeeze(chrome);
        let at: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| **l == chrome)
            .map(|(i, _)| i + 1)
            .collect();
        if at.is_empty() {
            out.push(format!("chrome line not in the input: {chrome:?}"));
        } else if !at.iter().all(|n| omitted.contains(n)) {
            out.push(format!("chrome in the record: {chrome:?}"));
        }
    }
    for phrase in &e.speech {
        if !record.contains(&squeeze(phrase)) {
            out.push(format!("speech lost: {phrase:?}"));
        }
    }
    for (i, want) in e.times.iter().enumerate() {
        let got = t
            .turns
            .get(i)
            .and_then(|t| t.paragraphs.first())
            .and_then(|p| p.time);
        if got.is_none_or(|[start, _]| (start as f64 / 1000.0 - want).abs() > 0.0015) {
            out.push(format!("turn {}: time {got:?}, expected {want} s", i + 1));
        }
    }
    out
}

#[test]
fn the_archive_styles_are_read_as_an_editor_reads_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive");
    let mut report = Vec::new();
    let (mut right, mut all) = (0, 0);
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".expect.yaml"))
        .collect();
    names.sort();
    for path in names {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let expect = dir.join(format!("{stem}.expect.yaml"));
        let e: Expected = serde_saphyr::from_str(&std::fs::read_to_string(&expect).unwrap())
            .unwrap_or_else(|err| panic!("{}: {err}", expect.display()));
        let bytes = std::fs::read(&path).unwrap();
        let t = ingest::parse(&bytes);
        let (text, _) = ingest::decode(&bytes);
        let wrong = faults(&t, &text, &e);
        all += 1;
        if wrong.is_empty() {
            right += 1;
        } else {
            report.push(format!(
                "{stem} ({}):\n    {}",
                e.style,
                wrong.join("\n    ")
            ));
        }
        let _ = (&e.meta.title, &e.meta.city, &e.meta.country);
    }
    let share = right as f64 / all as f64;
    eprintln!(
        "{right} of {all} archive fixtures fully right ({:.0} %)",
        share * 100.0
    );
    for r in &report {
        eprintln!("{r}");
    }
    assert!(
        share >= REQUIRED,
        "{right} of {all} fully right; {} needed",
        (REQUIRED * all as f64).ceil()
    );
}

/// Another archive is a profile, not a code change: an edition adds the
/// furniture its own pages carry, and a mistake in it is named where written.
#[test]
fn an_edition_teaches_ingest_its_own_furniture() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    std::fs::write(
        root.path().join("content/council.txt"),
        "Streaming live from the chambers, as recorded.\n\n>> MAYOR BRANDT: We resume.\n\n[[tape 2]]\n\n>> Thank you.\n",
    )
    .unwrap();
    let speech = |root: &Path| {
        let loaded = verbatim::load::load(root);
        let session = &loaded.edition.sessions[0];
        (
            session
                .turns
                .iter()
                .flat_map(|t| &t.paragraphs)
                .map(|p| p.text.clone())
                .collect::<Vec<_>>(),
            loaded.findings,
        )
    };
    let (before, _) = speech(root.path());
    assert_eq!(
        before,
        [
            "Streaming live from the chambers, as recorded.",
            "We resume.",
            "[[tape 2]]",
            "Thank you."
        ]
    );
    std::fs::write(
        root.path().join("verbatim.yaml"),
        "title: Council\ningest:\n  chrome_lines: [\"Streaming live from the chambers, as recorded.\"]\n  chrome_patterns: ['^\\[\\[tape \\d+\\]\\]$']\n",
    )
    .unwrap();
    let (after, _) = speech(root.path());
    assert_eq!(after, ["We resume.", "Thank you."]);
    std::fs::write(
        root.path().join("verbatim.yaml"),
        "title: Council\ningest:\n  chrome_patterns: ['(']\n",
    )
    .unwrap();
    let (_, findings) = speech(root.path());
    let shown: Vec<String> = findings.iter().map(|f| f.plain()).collect();
    assert!(
        shown
            .iter()
            .any(|f| f.starts_with("verbatim.yaml:2:1: error: chrome pattern `(`")),
        "{shown:?}"
    );
}
