//! Hostile and careless inputs, each a defect once found (issue "Robustness"):
//! every one is refused cleanly or read right, and nothing is silently lost.

mod common;

use std::process::Command;
use verbatim::ingest::parse;

fn verbatim(args: &[&str], dir: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An edition of one transcript (and the bundled theme), for CLI cases.
fn edition_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
    std::fs::write(dir.path().join("content").join(name), bytes).unwrap();
    dir
}

#[test]
fn unicode_line_and_paragraph_separators_before_a_marker_start_a_turn() {
    for space in [
        '\u{2028}', '\u{2029}', '\u{85}', '\u{1680}', '\u{205F}', '\u{3000}',
    ] {
        let text = format!("a{space}>> AVRI DORIA: Hello.\n");
        let t = parse(text.as_bytes());
        let labels: Vec<_> = t.turns.iter().map(|t| t.label.as_deref()).collect();
        assert_eq!(labels, [None, Some("AVRI DORIA")], "{space:?}");
    }
    let dir = edition_with("s.txt", "a\u{2028}>> B: Hello.\n".as_bytes());
    for command in [&["check"][..], &["build"], &["parse", "content/s.txt"]] {
        let (ok, _, stderr) = verbatim(command, dir.path());
        assert!(ok && !stderr.contains("panicked"), "{command:?}: {stderr}");
    }
}

#[test]
fn a_file_of_bad_bytes_is_one_warning_not_millions() {
    let dir = edition_with("s.txt", &vec![0xFF; 2_000_000]);
    let (ok, stdout, _) = verbatim(&["check", "--format", "plain"], dir.path());
    assert!(ok);
    let encoding: Vec<_> = stdout.lines().filter(|l| l.contains("UTF-8")).collect();
    assert_eq!(encoding.len(), 1, "{}", &stdout[..stdout.len().min(2000)]);
}

#[test]
fn old_mac_line_endings_read_as_lines() {
    let lf = std::fs::read(
        common::bundled().join("content/igf-2018-paris-ws40-internet-mega-trends.txt"),
    )
    .unwrap();
    let cr: Vec<u8> = lf
        .iter()
        .filter(|&&b| b != b'\r')
        .map(|&b| if b == b'\n' { b'\r' } else { b })
        .collect();
    let (a, b) = (parse(&lf), parse(&cr));
    assert_eq!(a.meta, b.meta);
    assert_eq!(a.turns.len(), b.turns.len());
    for (x, y) in a.turns.iter().zip(&b.turns) {
        assert_eq!(
            (&x.label, x.line, &x.paragraphs),
            (&y.label, y.line, &y.paragraphs)
        );
    }
    let reasons = |t: &verbatim::ingest::Transcript| {
        t.omitted
            .iter()
            .map(|o| (o.reason, o.lines))
            .collect::<Vec<_>>()
    };
    assert_eq!(reasons(&a), reasons(&b));
}

#[test]
fn legacy_encodings_are_decoded_not_mangled() {
    // A 2007-style page saved as Windows-1252.
    let t =
        parse(b">> MR. DESAI: The \x93multistakeholder\x94 model \x96 as we say in Gen\xE8ve.\n");
    assert_eq!(
        t.turns[0].paragraphs[0].text,
        "The \u{201C}multistakeholder\u{201D} model \u{2013} as we say in Genève."
    );
    assert_eq!(t.problems.len(), 1);
}
