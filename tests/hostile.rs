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

/// An edition holding one seed transcript as `s.txt` and the given layers.
fn seed_edition(layers: &[(&str, &str)]) -> tempfile::TempDir {
    let seed = std::fs::read(
        common::bundled().join("content/igf-2018-paris-ws40-internet-mega-trends.txt"),
    )
    .unwrap();
    let dir = edition_with("s.txt", &seed);
    for (name, text) in layers {
        let path = dir.path().join("annotations").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `check`'s findings as `file:line:col: severity: message` lines.
fn findings(root: &std::path::Path) -> Vec<String> {
    verbatim::site::check(root)
        .findings
        .iter()
        .map(|f| f.plain())
        .collect()
}

fn assert_finding(all: &[String], wanted: &str) {
    assert!(
        all.iter().any(|f| f.contains(wanted)),
        "no finding with {wanted:?} in:\n{}",
        all.join("\n")
    );
}

#[test]
fn script_links_and_a_script_base_url_are_refused_where_written() {
    let dir = seed_edition(&[(
        "people.yaml",
        "people:\n  - id: a-b\n    name: A B\n    links:\n      - https://example.org/a-b\n      - \" JavaScript:alert(1)\"\n      - \"java\\tscript:alert(1)\"\n      - data:text/html,x\n",
    )]);
    let all = findings(dir.path());
    assert_finding(
        &all,
        "annotations/people.yaml:6:9: error: ` JavaScript:alert(1)` is a `javascript:` link",
    );
    assert_finding(&all, "annotations/people.yaml:7:9: error:");
    assert_finding(
        &all,
        "annotations/people.yaml:8:9: error: `data:text/html,x` is a `data:` link",
    );
    let (ok, _, _) = verbatim(&["build"], dir.path());
    assert!(!ok, "a build with a script link fails");

    std::fs::write(
        dir.path().join("verbatim.yaml"),
        "title: T\nbase_url: \"javascript:alert(1)//\"\n",
    )
    .unwrap();
    assert_finding(
        &findings(dir.path()),
        "verbatim.yaml:2:1: error: `javascript:alert(1)//` is a `javascript:` URL",
    );
}

#[test]
fn dates_are_checked_against_the_calendar() {
    let dir = seed_edition(&[(
        "sessions/s.yaml",
        "session: s\nmeta:\n  date: 2018-02-30\ncorrections:\n  - find: mega trends\n    replace: megatrends\n    date: 2026-13-45\n  - find: Internet Society\n    replace: Internet Society\n    occurrence: 1\n    date: yesterday\n",
    )]);
    let all = findings(dir.path());
    assert_finding(
        &all,
        "s.yaml:3:9: error: `2018-02-30` is not in the calendar",
    );
    assert_finding(&all, "s.yaml:7:11: error: `2026-13-45` has no month 13");
    assert_finding(&all, "s.yaml:11:11: error: `yesterday` is not a date");
}

#[test]
fn a_layer_with_no_entries_is_a_warning_whatever_its_form() {
    for text in [
        "",
        "# all removed\n",
        "session: s\n",
        "---\n",
        "---\n# nothing\n...\n",
    ] {
        let dir = seed_edition(&[("sessions/s.yaml", text)]);
        let all = findings(dir.path());
        assert_finding(
            &all,
            "annotations/sessions/s.yaml:1:1: warning: this annotation file holds no entries",
        );
        assert!(
            !all.iter().any(|f| f.contains(": error:")),
            "{text:?}: {all:?}"
        );
    }
}

#[test]
fn check_refuses_what_build_cannot_write_naming_the_input() {
    let long_person = "a".repeat(100_000);
    let dir = seed_edition(&[(
        "people.yaml",
        &format!("people:\n  - id: {long_person}\n    name: Long\n"),
    )]);
    std::fs::write(
        dir.path()
            .join("content")
            .join(format!("{}.txt", "x".repeat(251))),
        ">> A B: Hi.\n",
    )
    .unwrap();
    let all = findings(dir.path());
    assert_finding(
        &all,
        "annotations/people.yaml:2:9: error: person id is 100000 bytes long",
    );
    assert_finding(&all, ": error: the file name is 251 bytes long");
    let (ok, _, stderr) = verbatim(&["build"], dir.path());
    assert!(!ok && !stderr.contains("out:0:0"), "{stderr}");
}

#[test]
fn names_that_collide_elsewhere_or_are_not_text_are_not_skipped_silently() {
    let dir = seed_edition(&[]);
    let content = dir.path().join("content");
    std::fs::write(content.join("S.txt"), ">> A B: Hi.\n").unwrap();
    std::fs::write(content.join("caf\u{e9}.txt"), ">> A B: Hi.\n").unwrap();
    std::fs::write(content.join("cafe\u{301}.txt"), ">> A B: Hi.\n").unwrap();
    std::fs::write(content.join("notes.docx"), "x").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::fs::write(
            content.join(std::ffi::OsStr::from_bytes(b"bad\xFFname.txt")),
            ">> A B: Hi.\n",
        )
        .unwrap();
    }
    let all = findings(dir.path());
    assert_finding(&all, "error: session id `s` differs from `S`");
    assert_finding(&all, "only by case or accents");
    assert_finding(&all, "content/notes.docx:0:0: warning: not published");
    #[cfg(unix)]
    assert_finding(&all, "is not valid UTF-8");
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_an_error_not_an_empty_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = seed_edition(&[(
        "sessions/deep/s.yaml",
        "session: s\ncorrections:\n  - find: mega trends\n    replace: megatrends\n",
    )]);
    let locked = dir.path().join("annotations/sessions/deep");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any folder: then there is nothing to prove here.
    let readable = std::fs::read_dir(&locked).is_ok();
    let all = findings(dir.path());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if !readable {
        assert_finding(&all, "annotations/sessions/deep:0:0: error: cannot read");
    }
}

#[test]
fn splitting_a_paragraph_twice_gives_distinct_ids() {
    let t = parse(
        &std::fs::read(
            common::bundled().join("content/igf-2018-paris-ws40-internet-mega-trends.txt"),
        )
        .unwrap(),
    );
    let p = t
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .find(|p| p.text.split(". ").count() >= 3)
        .unwrap();
    let sentences: Vec<&str> = p.text.split(". ").collect();
    let dir = seed_edition(&[(
        "sessions/s.yaml",
        &format!(
            "session: s\nstructure:\n  - split: {id}\n    before: \"{b}\"\n  - split: {id}\n    before: \"{a}\"\n",
            id = p.id,
            a = sentences[1],
            b = sentences[2]
        ),
    )]);
    let loaded = verbatim::load::load(dir.path());
    assert!(
        !verbatim::diagnostics::has_errors(&loaded.findings),
        "{:?}",
        loaded.findings
    );
    let ids: Vec<&str> = loaded.edition.sessions[0]
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .map(|p| p.id.as_str())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

#[test]
fn yaml_mistakes_are_told_in_an_editors_words() {
    let cases = [
        ("    occurrence: two\n", "expected a whole number here"),
        ("    note: [a, b]\n", "expected text here"),
        ("    find: again\n", "the key `find` is written twice"),
        (
            "    note: *undefined\n",
            "refers to an anchor `&name` that is not defined",
        ),
        ("  - find: x\n    replace:\n", "this key has no value"),
        ("---\nsession: s\n", "several YAML documents"),
    ];
    for (tail, wanted) in cases {
        let text = format!(
            "session: s\ncorrections:\n  - find: mega trends\n    replace: megatrends\n{tail}"
        );
        let dir = seed_edition(&[("sessions/s.yaml", &text)]);
        let all = findings(dir.path());
        assert_finding(&all, wanted);
        for jargon in [
            "u64",
            "usize",
            "Option<",
            "DuplicateKeyPolicy",
            "from_str",
            "scalar",
            "budget",
            "deserialize",
        ] {
            assert!(
                !all.iter().any(|f| f.contains(jargon)),
                "{jargon} in {all:?}"
            );
        }
        // The broken file is skipped whole, and said to be; no warning
        // follows from what it would have settled.
        assert_finding(&all, "nothing in this file is applied");
        assert!(!all.iter().any(|f| f.contains("not mapped")), "{all:?}");
    }
}

#[test]
fn a_large_real_registry_loads() {
    let mut yaml = String::from("people:\n");
    for i in 0..230_000 {
        yaml.push_str(&format!(
            "  - id: person-{i}\n    name: Person {i}\n    aliases: [PERSON {i}]\n"
        ));
    }
    assert!(yaml.len() > 15_000_000);
    let layer = verbatim::annotate::parse_layer(std::path::Path::new("people.yaml"), yaml);
    assert_eq!(
        layer.map(|l| l.file.people.len()).map_err(|f| f.plain()),
        Ok(230_000)
    );
}

#[test]
fn an_alias_bomb_is_refused_in_words() {
    let mut yaml = String::from("session: s\nmeta:\n  tags: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        yaml.push_str(&format!("  note: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
    }
    let err = verbatim::annotate::parse_layer(std::path::Path::new("s.yaml"), yaml).unwrap_err();
    assert!(!err.message.contains("budget"), "{}", err.message);
}

#[test]
fn a_person_defined_twice_names_both_places() {
    let dir = seed_edition(&[
        ("a.yaml", "people:\n  - id: a-b\n    name: A B\n"),
        (
            "b.yaml",
            "people:\n  - id: c-d\n    name: C D\n  - id: a-b\n    name: A B\n",
        ),
    ]);
    assert_finding(
        &findings(dir.path()),
        "annotations/b.yaml:4:9: error: person `a-b` is defined twice: also at annotations/a.yaml:2",
    );
}

#[test]
fn a_quote_repeated_within_its_turn_does_not_suggest_that_turn() {
    let t = parse(
        &std::fs::read(
            common::bundled().join("content/igf-2018-paris-ws40-internet-mega-trends.txt"),
        )
        .unwrap(),
    );
    let turn = t
        .turns
        .iter()
        .find(|t| {
            t.paragraphs
                .iter()
                .map(|p| p.text.matches(" the ").count())
                .sum::<usize>()
                > 2
        })
        .unwrap();
    let dir = seed_edition(&[(
        "sessions/s.yaml",
        &format!(
            "session: s\ncorrections:\n  - find: \" the \"\n    replace: \" a \"\n    turn: {}\n",
            turn.id
        ),
    )]);
    let all = findings(dir.path());
    assert_finding(&all, &format!("within `{}`", turn.id));
    assert!(
        !all.iter()
            .any(|f| f.contains(&format!("add `turn: {}", turn.id))),
        "{all:?}"
    );
}

#[test]
fn folders_left_by_killed_builds_are_removed_by_the_next() {
    let root = seed_edition(&[]);
    for leftover in [
        ".public.staging-999999/sessions",
        ".public.old-999998/sessions",
        ".public.parked-999997/bin-3",
    ] {
        std::fs::create_dir_all(root.path().join(leftover)).unwrap();
        std::fs::write(root.path().join(leftover).join("x.html"), "stale").unwrap();
    }
    let (ok, _, stderr) = verbatim(&["build"], root.path());
    assert!(ok, "{stderr}");
    let names: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert_eq!(names, [".public.lock"]);
}

#[test]
fn a_second_build_into_the_same_output_waits_for_the_first() {
    let root = seed_edition(&[]);
    let lock = std::fs::File::create(root.path().join(".public.lock")).unwrap();
    lock.lock().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .arg("build")
        .current_dir(root.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines() {
            let _ = said.send(line.unwrap_or_default());
        }
    });
    let first = heard
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap();
    assert!(
        first.contains("another verbatim build is writing"),
        "{first}"
    );
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "it waits while the lock is held"
    );
    lock.unlock().unwrap();
    assert!(child.wait().unwrap().success());
    assert!(root.path().join("public/index.html").exists());
}

#[test]
fn the_build_cache_is_never_beside_the_output() {
    let root = seed_edition(&[]);
    let web = tempfile::tempdir().unwrap();
    let out = web.path().join("site");
    let (ok, _, stderr) = verbatim(&["build", "--out", out.to_str().unwrap()], root.path());
    assert!(ok, "{stderr}");
    let beside: Vec<String> = std::fs::read_dir(web.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("cache"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    assert!(root.path().join(".verbatim/cache").is_dir());
    // And it works: a second build makes nothing again.
    let (_, _, stderr) = verbatim(&["build", "--out", out.to_str().unwrap()], root.path());
    assert!(stderr.contains("all unchanged"), "{stderr}");
}

#[test]
fn a_file_of_bare_markers_is_one_turn_and_loses_no_line() {
    let t = parse(">> ".repeat(100_000).as_bytes());
    assert_eq!(t.turns.len(), 1);
    let t = parse(">>\n".repeat(100_000).as_bytes());
    assert_eq!(t.turns.len(), 1);
    assert_eq!(t.omitted.len(), 1, "one run of repeated empty markers");
    assert_eq!(t.covered_lines().len(), 100_000);
    // A marker alone before its text still starts the turn that text is in.
    let t = parse(b">> AVRI DORIA: One.\n>>\n>>\nTwo.\n");
    let labels: Vec<_> = t.turns.iter().map(|t| t.label.as_deref()).collect();
    assert_eq!(labels, [Some("AVRI DORIA"), None]);
    assert_eq!(t.turns[1].line, 2);
}

#[test]
fn a_markdown_page_is_never_dropped_or_written_over_in_silence() {
    let dir = seed_edition(&[]);
    let content = dir.path().join("content");
    std::fs::write(content.join("people.md"), "# People I like\n").unwrap();
    std::fs::write(content.join("Notes.md"), "# Notes\n").unwrap();
    std::fs::write(content.join("notes.md"), "# notes\n").unwrap();
    std::fs::write(content.join("latin.md"), b"# Caf\xe9\n").unwrap();
    let all = findings(dir.path());
    assert_finding(
        &all,
        "content/people.md:0:0: error: a page named `people` would be written over the edition's own people.html",
    );
    assert_finding(&all, "differ only by case");
    assert_finding(
        &all,
        "content/latin.md:1:1: error: the page is not valid UTF-8",
    );
    let (ok, _, _) = verbatim(&["build"], dir.path());
    assert!(!ok);
}

/// The closest-text suggestion for a quote that is not there was quadratic
/// in the quote's length times the session's: a 500-word quote in a
/// 5,000-word turn took 33 s (found by the merge fuzz target's author).
#[test]
fn a_long_quote_that_is_not_there_is_reported_at_once() {
    let dir = edition_with(
        "s.txt",
        format!(">> AVRI DORIA: {}\n", "ab ".repeat(5000)).as_bytes(),
    );
    std::fs::write(
        dir.path().join("annotations/s.yaml"),
        format!(
            "session: s\ncorrections:\n  - find: {}\n    replace: x\n",
            ["zq"; 500].join(" ")
        ),
    )
    .unwrap();
    // Before, this took minutes in a debug build; now no passage is scored
    // (none starts or ends with a word of the quote).
    let all = findings(dir.path());
    assert_finding(&all, "is not in the session");
}
