//! Annotation layers and `check`, each error and warning shown on a small
//! edition written for the test, with its message and line:column.

use std::path::Path;
use verbatim::diagnostics::Severity;
use verbatim::edition::{PersonId, Span, Speaker};
use verbatim::load::{Loaded, load};

const TRANSCRIPT: &str = "IGF 2019 - Day 4 - Raum IV - Demo Session\n\
\n\
>> AVRI DORIA: The teh cat sat on the mat. The cat sat again, said the CSTD.\n\
\n\
>> AVRY DORIA.: Hello from the floor.\n\
\n\
>> My name is Hong Cha and I have a question.\n\
\n\
>> MODERATOR: Next. The cat sat.\n";

const PEOPLE: &str = "people:\n  - id: avri-doria\n    name: Avri Doria\n    aliases: [AVRI DORIA]\n  - id: hong-cha\n    name: Hong Cha\n";

/// Writes an edition with `demo.txt` and the given annotation files, and loads it.
fn edition(files: &[(&str, &str)]) -> (tempfile::TempDir, Loaded) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/demo.txt"), TRANSCRIPT).unwrap();
    for (name, text) in files {
        let path = dir.path().join("annotations").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let loaded = load(dir.path());
    (dir, loaded)
}

fn plain(loaded: &Loaded, severity: Severity) -> Vec<String> {
    loaded
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.plain())
        .collect()
}

/// The one error of an edition, in plain form.
fn only_error(files: &[(&str, &str)]) -> String {
    let (_dir, loaded) = edition(files);
    let errors = plain(&loaded, Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors[0].clone()
}

fn session(body: &str) -> String {
    format!("session: demo\n{body}")
}

#[test]
fn correction_keeps_both_readings() {
    let (_d, loaded) = edition(&[
        ("people.yaml", PEOPLE),
        (
            "demo.yaml",
            &session(
                "corrections:\n  - find: \"The teh cat\"\n    replace: \"The cat\"\n    note: Stutter.\n    by: ed\n",
            ),
        ),
    ]);
    assert!(plain(&loaded, Severity::Error).is_empty());
    let p = &loaded.edition.sessions[0].turns[0].paragraphs[0];
    assert!(p.text.starts_with("The cat sat on the mat."));
    assert!(p.original.starts_with("The teh cat sat"));
    assert_eq!(
        p.spans[0],
        Span::Correction {
            original: "The teh cat".into(),
            text: "The cat".into(),
            note: Some("Stutter.".into()),
            by: Some("ed".into()),
            date: None,
            at_ms: None,
        }
    );
}

#[test]
fn person_resolved_through_alias_and_session_mapping() {
    let (_d, loaded) = edition(&[
        ("people.yaml", PEOPLE),
        (
            "demo.yaml",
            &session(
                "speakers:\n  - label: AVRY DORIA.\n    person: avri-doria\n  - label: MODERATOR\n    generic: true\n",
            ),
        ),
    ]);
    let turns = &loaded.edition.sessions[0].turns;
    assert_eq!(
        turns[0].speaker,
        Speaker::Person {
            person: PersonId::new("avri-doria")
        }
    );
    assert_eq!(
        turns[1].speaker,
        Speaker::Person {
            person: PersonId::new("avri-doria")
        }
    );
    assert_eq!(
        turns[3].speaker,
        Speaker::Generic {
            label: "MODERATOR".into()
        }
    );
}

#[test]
fn attribution_with_evidence() {
    let (_d, loaded) = edition(&[
        ("people.yaml", PEOPLE),
        (
            "demo.yaml",
            &session(
                "attributions:\n  - quote: \"My name is Hong Cha\"\n    person: hong-cha\n    evidence: Introduces himself.\n    confidence: high\n",
            ),
        ),
    ]);
    match &loaded.edition.sessions[0].turns[2].speaker {
        Speaker::Attributed {
            person, evidence, ..
        } => assert_eq!(
            (person.as_str(), evidence.as_str()),
            ("hong-cha", "Introduces himself.")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn sections_divide_a_session_at_their_turns() {
    let (_dir, loaded) = edition(&[(
        "demo.yaml",
        &session(
            "sections:\n  - title: From the floor\n    quote: Hello from the floor\n    keywords: [floor]\n  - title: Opening\n    quote: The teh cat\n    synopsis: Who opens.\n",
        ),
    )]);
    assert!(plain(&loaded, Severity::Error).is_empty());
    let s = &loaded.edition.sessions[0];
    // In the order of the turns, whatever the layer's order.
    let titles: Vec<(&str, &str, &str)> = s
        .sections
        .iter()
        .map(|x| (x.id.as_str(), x.title.as_str(), x.turn.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            ("s-opening", "Opening", s.turns[0].id.as_str()),
            ("s-from-the-floor", "From the floor", s.turns[1].id.as_str()),
        ]
    );
    assert_eq!(s.sections[0].synopsis.as_deref(), Some("Who opens."));
    assert_eq!(s.sections[1].keywords, ["floor"]);

    // Two sections at one turn, an unknown turn, no title: each an error at its line.
    let error = only_error(&[(
        "demo.yaml",
        &session(
            "sections:\n  - title: A\n    quote: Hello from\n  - title: B\n    quote: from the floor\n",
        ),
    )]);
    assert!(
        error.contains("demo.yaml:5:") && error.contains("already starts the section “A”"),
        "{error}"
    );
    let error = only_error(&[(
        "demo.yaml",
        &session("sections:\n  - title: A\n    turn: tnothere\n"),
    )]);
    assert!(error.contains("no turn or paragraph `tnothere`"), "{error}");
    let error = only_error(&[(
        "demo.yaml",
        &session("sections:\n  - title: \"  \"\n    quote: Hello\n"),
    )]);
    assert!(error.contains("a section needs a title"), "{error}");
}

#[test]
fn editors_time_turns_and_times_follow_the_turns() {
    let (_dir, loaded) = edition(&[(
        "demo.yaml",
        &session(
            "recording:\n  url: https://example.org/demo.mp4\ntimes:\n  - quote: The teh cat\n    at: 00:00:05\n  - quote: Hello from the floor\n    at: 01:02:03\n",
        ),
    )]);
    assert!(plain(&loaded, Severity::Error).is_empty());
    let s = &loaded.edition.sessions[0];
    assert_eq!(s.turns[0].paragraphs[0].time, Some([5_000, 5_000]));
    assert_eq!(s.turns[1].paragraphs[0].time, Some([3_723_000, 3_723_000]));
    assert_eq!(s.turns[2].paragraphs[0].time, None);
    assert_eq!(
        s.recording.as_ref().unwrap().at(3_723_000),
        "https://example.org/demo.mp4#t=3723"
    );

    // A time that goes back, one that is no time: errors at their lines.
    let error = only_error(&[(
        "demo.yaml",
        &session(
            "times:\n  - quote: The teh cat\n    at: 00:10:00\n  - quote: Hello from the floor\n    at: 00:09:59\n",
        ),
    )]);
    assert!(
        error.contains("demo.yaml:6:")
            && error.contains("`00:09:59` is before the time of an earlier paragraph"),
        "{error}"
    );
    let error = only_error(&[(
        "demo.yaml",
        &session("times:\n  - quote: The teh cat\n    at: ten past\n"),
    )]);
    assert!(error.contains("`ten past` is not a time"), "{error}");
}

/// A time by a paragraph's id or a quote times that paragraph, not its
/// turn's first; an attribution and a correction may name the moment of the
/// recording that bears them out.
#[test]
fn editors_time_paragraphs_and_name_the_moments_of_their_evidence() {
    let (_dir, loaded) = edition(&[(
        "demo.yaml",
        &session(
            &"structure:\n  - split: TURN0p1\n    before: The cat sat again\n\
recording:\n  url: https://example.org/demo.mp4\n\
times:\n  - quote: The cat sat again\n    at: 00:00:09\n  - turn: TURN1p1\n    at: 00:00:30\n\
corrections:\n  - find: teh\n    replace: the\n    at: 00:00:04\n\
attributions:\n  - quote: My name is Hong Cha\n    person: hong-cha\n    evidence: Introduces himself.\n    confidence: high\n    at: 00:01:02\n"
                .replace("TURN0", loaded_turn_id(0).as_str())
                .replace("TURN1", loaded_turn_id(1).as_str()),
        ),
    ), ("people.yaml", PEOPLE)]);
    assert_eq!(plain(&loaded, Severity::Error), Vec::<String>::new());
    let s = &loaded.edition.sessions[0];
    let first = &s.turns[0].paragraphs;
    assert_eq!(first.len(), 2);
    assert_eq!((first[0].time, first[1].time), (None, Some([9_000, 9_000])));
    assert_eq!(s.turns[1].paragraphs[0].time, Some([30_000, 30_000]));
    assert!(
        first[0].spans.iter().any(|span| matches!(
            span,
            Span::Correction {
                at_ms: Some(4_000),
                ..
            }
        )),
        "{:?}",
        first[0].spans
    );
    assert!(matches!(
        s.turns[2].speaker,
        Speaker::Attributed {
            at_ms: Some(62_000),
            ..
        }
    ));

    // A moment that is no time is an error at it.
    let error = only_error(&[(
        "demo.yaml",
        &session("corrections:\n  - find: teh\n    replace: the\n    at: 4 seconds in\n"),
    )]);
    assert!(
        error.contains("demo.yaml:5:9") && error.contains("`4 seconds in` is not a time"),
        "{error}"
    );
}

/// The id of turn `n` of the demo transcript, as the parser gives it.
fn loaded_turn_id(n: usize) -> String {
    let (_dir, loaded) = edition(&[]);
    loaded.edition.sessions[0].turns[n].id.to_string()
}

/// A recording published with the edition is a file under media/ of a kind
/// browsers play; each other case is an error that says what to do.
#[test]
fn a_recording_file_must_be_a_media_file_of_the_edition() {
    let with_media = |recording: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
        std::fs::create_dir_all(dir.path().join("media")).unwrap();
        std::fs::write(dir.path().join("content/demo.txt"), TRANSCRIPT).unwrap();
        std::fs::write(dir.path().join("media/demo.mp3"), b"ID3").unwrap();
        std::fs::write(dir.path().join("media/notes.pdf"), b"%PDF").unwrap();
        std::fs::write(
            dir.path().join("annotations/demo.yaml"),
            session(&format!("recording:\n{recording}")),
        )
        .unwrap();
        let loaded = load(dir.path());
        (dir, loaded)
    };
    let (_dir, loaded) = with_media("  file: media/demo.mp3\n  offset: 00:00:10\n");
    assert_eq!(plain(&loaded, Severity::Error), Vec::<String>::new());
    let recording = loaded.edition.sessions[0].recording.clone().unwrap();
    assert_eq!(recording.player, Some(verbatim::edition::Player::Audio));
    assert_eq!(recording.at(5_000), "media/demo.mp3#t=15");
    for (entry, message, help) in [
        (
            "  file: media/demo.mp4\n",
            "no media file `media/demo.mp4` in the edition",
            "did you mean `media/demo.mp3`?",
        ),
        (
            "  file: content/demo.txt\n",
            "`content/demo.txt` is not in the edition's media folder",
            "put the file under media/",
        ),
        (
            "  file: media/notes.pdf\n",
            "`media/notes.pdf` is not a kind of media file browsers play",
            "use an audio",
        ),
        (
            "  file: media/demo.mp3\n  url: https://example.org/a.mp3\n",
            "both a `url:` and a `file:`",
            "keep the one",
        ),
        (
            "  offset: 00:00:10\n",
            "names neither a `url:` nor a `file:`",
            "file: media/",
        ),
    ] {
        let (_dir, loaded) = with_media(entry);
        let errors = plain(&loaded, Severity::Error);
        assert!(
            errors.len() == 1
                && errors[0].contains(message)
                && errors[0].contains(help)
                && errors[0].starts_with("annotations/demo.yaml:"),
            "{entry}: {errors:#?}"
        );
    }
}

#[test]
fn an_attribution_quote_must_occur_in_exactly_one_turn() {
    let attribution = |quote: &str| {
        session(&format!(
            "attributions:\n  - quote: \"{quote}\"\n    person: hong-cha\n    evidence: Says so.\n    confidence: low\n"
        ))
    };
    // Twice in the first turn and once in the last: two turns, each named once.
    let error = only_error(&[
        ("people.yaml", PEOPLE),
        ("demo.yaml", &attribution("cat sat")),
    ]);
    assert!(error.contains("2 turns contain `cat sat`: "), "{error}");
    let error = only_error(&[
        ("people.yaml", PEOPLE),
        ("demo.yaml", &attribution("zebra")),
    ]);
    assert!(error.contains("no turn contains `zebra`"), "{error}");
    assert!(error.contains("demo.yaml:3:"), "{error}");
}

#[test]
fn layers_apply_in_path_order_and_conflicts_are_errors() {
    let (_d, loaded) = edition(&[
        ("people.yaml", PEOPLE),
        ("a.yaml", &session("meta:\n  title: First\n  tags: [a]\n")),
        (
            "b/c.yaml",
            &session(
                "meta:\n  tags: [b]\ncorrections:\n  - find: \"Hello from\"\n    replace: \"Hello, from\"\n",
            ),
        ),
    ]);
    let s = &loaded.edition.sessions[0];
    assert_eq!(s.meta.title.as_deref(), Some("First"));
    assert_eq!(s.tags, ["a", "b"]);
    assert_eq!(s.corrections(), 1);
    let err = only_error(&[
        ("a.yaml", &session("meta:\n  title: First\n")),
        ("b.yaml", &session("meta:\n  title: Second\n")),
    ]);
    assert_eq!(
        err.lines().next().unwrap(),
        "annotations/b.yaml:1:1: error: meta `title` is also set by annotations/a.yaml"
    );
}

#[test]
fn yaml_syntax_error() {
    let err = only_error(&[("demo.yaml", "session: demo\ncorrections: [\n")]);
    assert_eq!(
        err.lines().next().unwrap(),
        "annotations/demo.yaml:2:14: error: this is not valid YAML: unclosed bracket '['"
    );
}

#[test]
fn type_error() {
    let err = only_error(&[(
        "demo.yaml",
        &session("corrections:\n  - find: \"cat\"\n    replace: \"dog\"\n    occurrence: second\n"),
    )]);
    assert!(
        err.starts_with("annotations/demo.yaml:5:17: error: "),
        "{err}"
    );
}

#[test]
fn unknown_key_is_never_ignored() {
    let err = only_error(&[(
        "demo.yaml",
        &session("corrections:\n  - find: \"The teh cat\"\n    replce: \"The cat\"\n"),
    )]);
    assert!(
        err.starts_with("annotations/demo.yaml:4:5: error: unknown key `replce`"),
        "{err}"
    );
    assert!(err.contains("did you mean `replace`?"), "{err}");
}

#[test]
fn unknown_session() {
    let err = only_error(&[("x.yaml", "session: dem\nmeta:\n  title: X\n")]);
    assert!(
        err.starts_with("annotations/x.yaml:1:10: error: no session `dem` in content/"),
        "{err}"
    );
    assert!(err.contains("did you mean `demo`?"), "{err}");
}

#[test]
fn quote_not_found_shows_closest_text() {
    let err = only_error(&[(
        "demo.yaml",
        &session("corrections:\n  - find: \"Hello form the floor\"\n    replace: x\n"),
    )]);
    assert!(err.starts_with("annotations/demo.yaml:3:11: error: the correction's quote `Hello form the floor` is not in the session"), "{err}");
    assert!(
        err.contains("the closest text is `Hello from the floor.`"),
        "{err}"
    );
}

#[test]
fn ambiguous_quote_lists_places() {
    let err = only_error(&[(
        "demo.yaml",
        &session("corrections:\n  - find: \"The cat sat\"\n    replace: x\n"),
    )]);
    assert!(err.starts_with("annotations/demo.yaml:3:11: error: the correction's quote `The cat sat` occurs 2 times:"), "{err}");
    assert!(
        err.contains("(line 3)") && err.contains("(line 9)"),
        "{err}"
    );
    assert!(err.contains("add `turn: "), "{err}");
}

#[test]
fn occurrence_and_turn_disambiguate() {
    let (_d, loaded) = edition(&[(
        "demo.yaml",
        &session(
            "corrections:\n  - find: \"The cat sat\"\n    replace: \"A cat sat\"\n    occurrence: 2\n",
        ),
    )]);
    assert!(plain(&loaded, Severity::Error).is_empty());
    assert!(
        loaded.edition.sessions[0].turns[3].paragraphs[0]
            .text
            .contains("A cat sat")
    );
    let err = only_error(&[(
        "demo.yaml",
        &session("corrections:\n  - find: \"The cat sat\"\n    replace: x\n    occurrence: 3\n"),
    )]);
    assert!(err.starts_with("annotations/demo.yaml:5:17: error: occurrence 3 asked for, but the quote occurs 2 times"), "{err}");
}

#[test]
fn unknown_person_suggests_nearest_ids() {
    let err = only_error(&[
        ("people.yaml", PEOPLE),
        (
            "demo.yaml",
            &session("speakers:\n  - label: AVRY DORIA.\n    person: avri-dora\n"),
        ),
    ]);
    assert!(
        err.starts_with("annotations/demo.yaml:4:13: error: unknown person `avri-dora`"),
        "{err}"
    );
    assert!(err.contains("did you mean `avri-doria`?"), "{err}");
}

#[test]
fn label_mapped_twice() {
    let err = only_error(&[
        ("people.yaml", PEOPLE),
        (
            "demo.yaml",
            &session(
                "speakers:\n  - label: AVRY DORIA.\n    person: avri-doria\n  - label: AVRY DORIA.\n    generic: true\n",
            ),
        ),
    ]);
    assert!(err.starts_with("annotations/demo.yaml:5:12: error: label `AVRY DORIA.` is mapped twice (also at annotations/demo.yaml:3)"), "{err}");
}

#[test]
fn alias_claimed_by_two_people() {
    let err = only_error(&[(
        "people.yaml",
        "people:\n  - id: a\n    name: A\n    aliases: [MODERATOR]\n  - id: b\n    name: B\n    aliases: [MODERATOR]\n",
    )]);
    assert!(err.starts_with("annotations/people.yaml:7:15: error: alias `MODERATOR` is claimed by `b` and by `a` (line 4)"), "{err}");
}

#[test]
fn overlapping_corrections() {
    let err = only_error(&[(
        "demo.yaml",
        &session(
            "corrections:\n  - find: \"teh cat\"\n    replace: cat\n  - find: \"The teh\"\n    replace: The\n",
        ),
    )]);
    assert!(err.starts_with("annotations/demo.yaml:5:11: error: this correction overlaps another one on the same text (annotations/demo.yaml:3)"), "{err}");
}

#[test]
fn note_anchored_to_nothing() {
    let err = only_error(&[(
        "demo.yaml",
        &session("notes:\n  - quote: \"CSTDD\"\n    text: A commission.\n"),
    )]);
    assert!(
        err.starts_with(
            "annotations/demo.yaml:3:12: error: the note's quote `CSTDD` is not in the session"
        ),
        "{err}"
    );
}

#[test]
fn note_becomes_a_numbered_marker_after_its_quote() {
    let (_d, loaded) = edition(&[(
        "demo.yaml",
        &session("notes:\n  - quote: \"the CSTD\"\n    text: The UN *Commission*.\n"),
    )]);
    let spans = &loaded.edition.sessions[0].turns[0].paragraphs[0].spans;
    assert_eq!(
        spans[1],
        Span::Note {
            number: 1,
            text: "The UN *Commission*.".into()
        }
    );
}

#[test]
fn warnings_for_unmapped_labels_anonymous_turns_and_missing_date() {
    let (_d, loaded) = edition(&[("people.yaml", PEOPLE)]);
    let warnings = plain(&loaded, Severity::Warning);
    let firsts: Vec<&str> = warnings.iter().map(|w| w.lines().next().unwrap()).collect();
    let anonymous = format!(
        "content/demo.txt:7:1: warning: 1 anonymous turn is not attributed (first: `{}`)",
        loaded.edition.sessions[0].turns[2].id
    );
    assert_eq!(
        firsts,
        [
            "content/demo.txt:1:1: warning: the session has no date",
            "content/demo.txt:5:1: warning: label `AVRY DORIA.` (1 turn) is not mapped to a person",
            anonymous.as_str(),
            "content/demo.txt:9:1: warning: label `MODERATOR` (1 turn) is not mapped to a person",
        ]
    );
    assert!(
        warnings[1].contains("did you mean `avri-doria` (Avri Doria)?"),
        "{}",
        warnings[1]
    );
}

#[test]
fn hostile_yaml_is_refused_quickly() {
    let bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    let err = only_error(&[("bomb.yaml", bomb)]);
    assert!(err.starts_with("annotations/bomb.yaml:"), "{err}");
    let deep = format!(
        "session: demo\nmeta: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let err = only_error(&[("deep.yaml", &deep)]);
    assert!(err.starts_with("annotations/deep.yaml:"), "{err}");
}

#[test]
fn structure_join_split_omit_restore() {
    let src = "You are here\n\n>> A B: First part\n\nof a sentence. Second point here.\n\n>> C D: Junk line.\n\nReal speech.\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/s.txt"), src).unwrap();
    let parsed = verbatim::ingest::parse(src.as_bytes());
    let p1 = &parsed.turns[0].paragraphs[0].id;
    let junk = &parsed.turns[1].paragraphs[0].id;
    std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
    std::fs::write(
        dir.path().join("annotations/s.yaml"),
        format!("session: s\nstructure:\n  - split: {p1}\n    before: \"Second point\"\n  - omit: {junk}\n    reason: Not speech.\n  - restore: 1\n"),
    )
    .unwrap();
    let loaded = load(dir.path());
    assert!(
        plain(&loaded, Severity::Error).is_empty(),
        "{:?}",
        plain(&loaded, Severity::Error)
    );
    let s = &loaded.edition.sessions[0];
    let texts: Vec<Vec<&str>> = s
        .turns
        .iter()
        .map(|t| t.paragraphs.iter().map(|p| p.text.as_str()).collect())
        .collect();
    assert_eq!(
        texts,
        [
            vec!["You are here"],
            vec!["First part of a sentence.", "Second point here."],
            vec!["Real speech."]
        ]
    );
    assert!(
        s.omitted
            .iter()
            .any(|o| o.reason == verbatim::edition::OmissionReason::Editor
                && o.note.as_deref() == Some("Not speech."))
    );
}

#[test]
fn bundled_edition_checks_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = load(root);
    assert!(
        plain(&loaded, Severity::Error).is_empty(),
        "{:#?}",
        plain(&loaded, Severity::Error)
    );
    for s in &loaded.edition.sessions {
        assert!(
            s.corrections() >= 10,
            "{} has {} corrections",
            s.id,
            s.corrections()
        );
        for t in &s.turns {
            assert!(
                !matches!(t.speaker, Speaker::Unidentified { .. }),
                "{}: unmapped label {:?}",
                s.id,
                t.label
            );
        }
    }
}

#[test]
fn an_empty_key_is_an_empty_list() {
    let (_d, loaded) = edition(&[(
        "demo.yaml",
        &session(
            "attributions:\ncorrections:\n  - find: \"The teh cat\"\n    replace: \"The cat\"\nnotes:\n",
        ),
    )]);
    assert!(
        plain(&loaded, Severity::Error).is_empty(),
        "{:?}",
        plain(&loaded, Severity::Error)
    );
    assert_eq!(loaded.edition.sessions[0].corrections(), 1);
}
