//! Rebuilds redo only what changed, and what they make is byte for byte what
//! a cold build of the same inputs makes.

mod common;

use std::path::Path;
use verbatim::site::{Options, Summary, build};

/// The session the tests edit: its layer and its page.
const LAYER: &str = "annotations/sessions/igf-2013-bali-dc-internet-of-things.yaml";
const PAGE: &str = "public/sessions/igf-2013-bali-dc-internet-of-things.html";

const OPTIONS: Options = Options {
    minify: true,
    progress: false,
    fresh: false,
};

fn rebuild(root: &Path) -> Summary {
    build(root, &root.join("public"), &OPTIONS).unwrap_or_else(|f| {
        let shown: Vec<String> = f.findings.iter().map(|f| f.plain()).collect();
        panic!("build failed:\n{}", shown.join("\n"))
    })
}

/// A cold build of the same inputs, into a folder with no cache beside it.
fn assert_same_as_cold_build(root: &Path) {
    let cold = tempfile::tempdir().unwrap();
    let out = cold.path().join("public");
    let summary = build(root, &out, &OPTIONS).unwrap_or_else(|_| panic!("cold build failed"));
    assert_eq!(
        summary.rebuilt, summary.sessions,
        "a cold build makes everything"
    );
    let (warm, cold) = (
        common::snapshot(&root.join("public")),
        common::snapshot(&out),
    );
    assert_eq!(
        warm.iter().map(|f| &f.0).collect::<Vec<_>>(),
        cold.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "the same files"
    );
    for ((path, a), (_, b)) in warm.iter().zip(&cold) {
        assert!(a == b, "{} differs from a cold build's", path.display());
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_rebuild_with_nothing_changed_does_nothing() {
    let root = common::copy_of_bundled();
    let first = rebuild(root.path());
    let before = common::snapshot(&root.path().join("public"));
    // Saving a file without changing it is not a change.
    let layer = root.path().join("annotations/people.yaml");
    std::fs::write(&layer, std::fs::read(&layer).unwrap()).unwrap();
    let second = rebuild(root.path());
    assert_eq!(second.rebuilt, 0);
    assert_eq!(
        (second.sessions, second.pages, second.corrections),
        (first.sessions, first.pages, first.corrections)
    );
    assert_eq!(
        second.warnings.len(),
        first.warnings.len(),
        "warnings are reported again"
    );
    assert_eq!(common::snapshot(&root.path().join("public")), before);
}

#[test]
fn an_edited_correction_rebuilds_its_session_only() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let layer = root.path().join(LAYER);
    edit(
        &layer,
        "replace: \"So we had APNIC\"",
        "replace: \"So we had APNIC here\"",
    );
    let summary = rebuild(root.path());
    assert_eq!(summary.rebuilt, 1);
    let page = std::fs::read_to_string(root.path().join(PAGE)).unwrap();
    assert!(page.contains("So we had APNIC here"));
    assert_same_as_cold_build(root.path());
}

/// A person's page shows their turns from every session: an edit of what
/// they said is on it after a rebuild, as after a cold build.
#[test]
fn an_edit_of_a_persons_words_is_on_their_page() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let page = root.path().join("public/people/hong-key-cha.html");
    let before = std::fs::read_to_string(&page).unwrap();
    assert!(before.contains("called ETRI."));
    edit(
        &root.path().join(LAYER),
        "replace: \"called ETRI\"",
        "replace: \"called the ETRI\"",
    );
    assert_eq!(rebuild(root.path()).rebuilt, 1);
    let after = std::fs::read_to_string(&page).unwrap();
    assert!(after.contains("called the ETRI."), "{after}");
    assert_same_as_cold_build(root.path());
}

/// The edition-wide data files are made again when what they list
/// changes (a session's count of corrections), and carried over otherwise.
#[test]
fn the_edition_data_follows_a_sessions_counts() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let corrections = |root: &Path| -> u64 {
        let text = std::fs::read_to_string(root.join("public/data/edition.json")).unwrap();
        let edition: serde_json::Value = serde_json::from_str(&text).unwrap();
        edition["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "igf-2013-bali-dc-internet-of-things")
            .unwrap()["corrections"]
            .as_u64()
            .unwrap()
    };
    let before = corrections(root.path());
    edit(
        &root.path().join(LAYER),
        "  - find: \"called Retri\"\n    replace: \"called ETRI\"\n    note: ETRI, the Korean research institute; the speaker goes on to name Samsung and LG.\n",
        "",
    );
    rebuild(root.path());
    assert_eq!(corrections(root.path()), before - 1);
    assert_same_as_cold_build(root.path());
}

/// A build that changes a few files publishes them in place: the output
/// folder stays the same folder, an unchanged page the same file, the
/// edited page a new one; a session taken away leaves none of its files
/// behind. Whatever the way, the site is the one a cold build makes.
#[test]
fn a_small_change_is_published_in_place() {
    use std::os::unix::fs::MetadataExt;
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let inode = |rel: &str| std::fs::metadata(root.path().join(rel)).unwrap().ino();
    let unchanged = "public/sessions/igf-2018-paris-ws40-internet-mega-trends.html";
    let (folder, page, other) = (inode("public"), inode(PAGE), inode(unchanged));
    edit(
        &root.path().join(LAYER),
        "replace: \"So we had APNIC\"",
        "replace: \"So we had APNIC here\"",
    );
    rebuild(root.path());
    assert_eq!(inode("public"), folder, "the same folder");
    assert_eq!(inode(unchanged), other, "an unchanged page untouched");
    assert_ne!(inode(PAGE), page, "the edited page replaced");
    assert_same_as_cold_build(root.path());

    let gone = "igf-2014-istanbul-ws139-evaluating-governance-mechanisms";
    std::fs::remove_file(root.path().join(format!("content/{gone}.txt"))).unwrap();
    for layer in [
        format!("annotations/sessions/{gone}.yaml"),
        format!("ids/{gone}.tsv"),
    ] {
        let _ = std::fs::remove_file(root.path().join(layer));
    }
    rebuild(root.path());
    assert_eq!(inode("public"), folder);
    let left: Vec<_> = common::snapshot(&root.path().join("public"))
        .into_iter()
        .filter(|(path, _)| path.to_string_lossy().contains(gone))
        .map(|(path, _)| path)
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert_same_as_cold_build(root.path());
    // The build recorded the output's files without walking it, as a walk
    // finds them: the next build sees the output as it was left and has
    // nothing to do (not even the registry to read).
    let again = rebuild(root.path());
    assert_eq!((again.rebuilt, again.layers_read), (0, 0));
    // Nothing of the staging is left beside the output.
    let beside: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.") && n != ".public.lock")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn a_rebuild_reads_only_the_layers_of_the_sessions_it_makes_again() {
    let root = common::copy_of_bundled();
    let first = rebuild(root.path());
    assert_eq!(
        (first.layers_read, first.layers),
        (6, 6),
        "a first build reads every layer"
    );

    // An edited layer: read with the registry, the other four are known.
    edit(
        &root.path().join(LAYER),
        "replace: \"So we had APNIC\"",
        "replace: \"So we had APNIC here\"",
    );
    let edited = rebuild(root.path());
    assert_eq!((edited.rebuilt, edited.layers_read), (1, 2));
    assert_same_as_cold_build(root.path());

    // An edited transcript: its session is made again, its unchanged layer
    // read then, and its corrections still applied.
    let id = "igf-2014-istanbul-ws139-evaluating-governance-mechanisms";
    let transcript = root.path().join(format!("content/{id}.txt"));
    let mut text = std::fs::read(&transcript).unwrap();
    text.extend_from_slice(b"\n");
    std::fs::write(&transcript, text).unwrap();
    let retold = rebuild(root.path());
    assert_eq!((retold.rebuilt, retold.layers_read), (1, 2));
    let page =
        std::fs::read_to_string(root.path().join(format!("public/sessions/{id}.html"))).unwrap();
    assert!(page.contains("U.S. Council for International Business"));
    assert_same_as_cold_build(root.path());
}

#[test]
fn a_known_layer_whose_session_is_gone_is_read_to_say_where_it_names_it() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let id = "igf-2014-istanbul-ws139-evaluating-governance-mechanisms";
    std::fs::remove_file(root.path().join(format!("content/{id}.txt"))).unwrap();
    let Err(failure) = build(root.path(), &root.path().join("public"), &OPTIONS) else {
        panic!("a layer for a missing session is an error");
    };
    let shown: Vec<String> = failure.findings.iter().map(|f| f.plain()).collect();
    let expected =
        format!("annotations/sessions/{id}.yaml:1:10: error: no session `{id}` in content/");
    assert!(shown.iter().any(|s| s.starts_with(&expected)), "{shown:#?}");
}

#[test]
fn a_changed_registry_or_template_rebuilds_every_session() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    for (file, from, to) in [
        (
            "annotations/people.yaml",
            "name: Avri Doria",
            "name: Avri Doria (ed.)",
        ),
        (
            "themes/default/templates/session.html",
            "<article",
            "<!-- edited -->\n<article",
        ),
    ] {
        edit(&root.path().join(file), from, to);
        assert_eq!(rebuild(root.path()).rebuilt, 5, "after editing {file}");
        assert_same_as_cold_build(root.path());
    }
}

#[test]
fn an_output_file_changed_by_hand_is_made_again() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let page = root.path().join(PAGE);
    std::fs::write(&page, "defaced").unwrap();
    rebuild(root.path());
    assert_ne!(std::fs::read_to_string(&page).unwrap(), "defaced");
    assert_same_as_cold_build(root.path());
}

#[test]
fn a_missing_or_corrupt_cache_costs_time_not_correctness() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let cache = root.path().join(".verbatim/cache");
    for entry in walkdir::WalkDir::new(&cache)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            std::fs::write(entry.path(), b"\xff\x00garbage").unwrap();
        }
    }
    assert_eq!(rebuild(root.path()).rebuilt, 5);
    assert_same_as_cold_build(root.path());
    std::fs::remove_dir_all(&cache).unwrap();
    assert_eq!(rebuild(root.path()).rebuilt, 5);
    assert_same_as_cold_build(root.path());
    // `--fresh` ignores a good cache.
    let fresh = Options {
        fresh: true,
        ..OPTIONS
    };
    let summary = build(root.path(), &root.path().join("public"), &fresh).unwrap();
    assert_eq!(summary.rebuilt, 5);
    assert_same_as_cold_build(root.path());
}

/// A rebuild reads again only the transcripts whose size or modification
/// time changed since the last build read them (transcripts are kept as
/// captured); one rewritten is read, and its session made again.
#[test]
fn a_rebuild_reads_only_the_transcripts_that_changed() {
    let root = common::copy_of_bundled();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let transcripts: Vec<std::path::PathBuf> = std::fs::read_dir(root.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    // Files just copied are as new as the build's reading, so they would
    // be read again: the copies are given an older time, as an archive's
    // files have.
    for path in &transcripts {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(hour_ago).unwrap();
    }
    let first = rebuild(root.path());
    assert_eq!((first.transcripts_read, first.transcripts), (5, 5));
    edit(
        &root.path().join(LAYER),
        "replace: \"So we had APNIC\"",
        "replace: \"So we had APNIC here\"",
    );
    let second = rebuild(root.path());
    assert_eq!((second.transcripts_read, second.rebuilt), (0, 1));
    // The same size, other bytes, another time: read, and made again.
    let changed = root
        .path()
        .join("content/igf-2018-paris-ws40-internet-mega-trends.txt");
    let text = std::fs::read_to_string(&changed).unwrap();
    // A word of the last paragraph, far from the heading (which names and
    // dates the session, and so its neighbours' links too).
    let at = text.rfind(" the ").unwrap();
    let text = format!("{} thy {}", &text[..at], &text[at + 5..]);
    std::fs::write(&changed, text).unwrap();
    let file = std::fs::File::options().write(true).open(&changed).unwrap();
    file.set_modified(hour_ago + std::time::Duration::from_secs(60))
        .unwrap();
    let third = rebuild(root.path());
    assert_eq!((third.transcripts_read, third.rebuilt), (1, 1));
    assert_same_as_cold_build(root.path());
}

/// The cache keeps each session's postings beside its record, and a
/// rebuild reads them from there only for the index bins it assembles
/// again. Lost, they cost their sessions a remake; damaged (the same size,
/// other bytes), a build from scratch; never a different index.
#[test]
fn kept_postings_lost_or_damaged_cost_time_not_correctness() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let kept = || -> Vec<std::path::PathBuf> {
        walkdir::WalkDir::new(root.path().join(".verbatim/cache"))
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .filter(|p| p.extension().is_some_and(|e| e == "postings"))
            .collect()
    };
    assert_eq!(kept().len(), 5, "one file of postings a session");
    let other = kept()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("igf-2018-paris"))
        .unwrap();
    std::fs::remove_file(other).unwrap();
    let layer = root.path().join(LAYER);
    edit(
        &layer,
        "replace: \"So we had APNIC\"",
        "replace: \"So we had APNIC here\"",
    );
    assert_eq!(
        rebuild(root.path()).rebuilt,
        2,
        "the edited session and the one whose postings went"
    );
    assert_same_as_cold_build(root.path());
    for path in kept() {
        let mut bytes = std::fs::read(&path).unwrap();
        for b in &mut bytes {
            *b ^= 0x55;
        }
        std::fs::write(&path, bytes).unwrap();
    }
    edit(&layer, "So we had APNIC here", "So we had APNIC there");
    assert_eq!(rebuild(root.path()).rebuilt, 5, "a build from scratch");
    assert_same_as_cold_build(root.path());
}

#[test]
fn the_preview_shows_an_edited_session_as_the_full_build_will() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    let mut prepared = verbatim::load::prepare(root.path());
    let layer = root.path().join(LAYER);
    edit(
        &layer,
        "replace: \"So we had APNIC\"",
        "replace: \"So we had APNIC there\"",
    );
    let places = verbatim::site::preview::places(root.path(), &root.path().join("public"));
    let pages = verbatim::site::preview::preview(
        root.path(),
        &mut prepared,
        std::slice::from_ref(&layer),
        &OPTIONS,
        &places,
    )
    .expect("a session layer's edit is previewed");
    assert_eq!(pages.len(), 1);
    let (path, bytes) = &pages[0];
    assert_eq!(path, "sessions/igf-2013-bali-dc-internet-of-things.html");
    rebuild(root.path());
    assert!(
        std::fs::read(root.path().join("public").join(path)).unwrap() == *bytes,
        "the preview is the page the full build makes"
    );

    // The registry can change any page: no preview, the full build does it.
    let people = root.path().join("annotations/people.yaml");
    edit(&people, "name: Avri Doria", "name: Avri Doria (ed.)");
    assert!(
        verbatim::site::preview::preview(root.path(), &mut prepared, &[people], &OPTIONS, &places)
            .is_none()
    );
}

/// A transcript of 2015, in the 2014 site's style; `before` goes above its
/// heading.
fn session_of_2015(before: &str) -> String {
    format!(
        "{before}FINISHED - 2015 11 12 - WS77 - Mapping Dialogues on Access - Room 4\n\n\
         The following is the output of the real-time captioning taken during the IGF 2015 \
         Joao Pessoa, Brazil, meetings.  Although it is largely accurate, in some cases it may be \
         incomplete or inaccurate due to inaudible passages or transcription errors.  It is posted \
         as an aid to understanding the proceedings at the session, but should not be treated as \
         an authoritative record.\n\n\
         >> MODERATOR:  Good morning, everyone, and welcome to this workshop on access.\n\n\
         >> ANA SILVA:  Thank you.  Access is where every other question starts.\n"
    )
}

const INSERTED: &str = "content/igf-2015-joao-pessoa-ws77-mapping-dialogues.txt";
const BEFORE_2015: &str = "sessions/igf-2014-istanbul-ws139-evaluating-governance-mechanisms.html";
const AFTER_2015: &str = "sessions/igf-2016-guadalajara-cldp-pre-conference-seminar.html";

/// The 2015 session stands between the 2014 and 2016 ones, and the 2014
/// one names it by its title.
fn assert_inserted_in_2015(root: &Path) {
    let inserted = "sessions/igf-2015-joao-pessoa-ws77-mapping-dialogues.html";
    assert_between(root, inserted, BEFORE_2015, AFTER_2015);
    assert_between(
        root,
        AFTER_2015,
        inserted,
        "sessions/igf-2018-paris-ws40-internet-mega-trends.html",
    );
    let before = std::fs::read_to_string(root.join("public").join(BEFORE_2015)).unwrap();
    assert!(
        before.contains("Mapping Dialogues on Access"),
        "a neighbour is named by its title"
    );
}

/// The page at `path` links to `previous` and `next` (session pages).
fn assert_between(root: &Path, path: &str, previous: &str, next: &str) {
    let page = std::fs::read_to_string(root.join("public").join(path)).unwrap();
    let link = |rel: &str, to: &str| format!("href=../{to} rel={rel}>");
    assert!(
        page.contains(&link("prev", previous)),
        "{path} follows {previous}"
    );
    assert!(page.contains(&link("next", next)), "{path} leads to {next}");
}

#[test]
fn a_session_inserted_between_two_others_remakes_only_it_and_its_neighbours() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    assert_between(
        root.path(),
        AFTER_2015,
        BEFORE_2015,
        "sessions/igf-2018-paris-ws40-internet-mega-trends.html",
    );
    std::fs::write(root.path().join(INSERTED), session_of_2015("")).unwrap();
    let summary = rebuild(root.path());
    assert_eq!(summary.rebuilt, 3, "the new session and the two around it");
    assert_inserted_in_2015(root.path());
    assert_same_as_cold_build(root.path());
}

#[test]
fn a_session_redated_by_its_editors_moves_and_its_old_and_new_neighbours_follow() {
    let root = common::copy_of_bundled();
    rebuild(root.path());
    // The last build placed the 2013 session first; its layer now dates it
    // in 2015, which the build learns only once it makes the session.
    let layer = root
        .path()
        .join("annotations/sessions/igf-2013-bali-dc-internet-of-things.yaml");
    let text = std::fs::read_to_string(&layer).unwrap();
    std::fs::write(
        &layer,
        text.replace("meta:\n", "meta:\n  date: 2015-06-01\n"),
    )
    .unwrap();
    rebuild(root.path());
    let moved = "sessions/igf-2013-bali-dc-internet-of-things.html";
    assert_between(root.path(), moved, BEFORE_2015, AFTER_2015);
    let first = std::fs::read_to_string(root.path().join("public").join(BEFORE_2015)).unwrap();
    assert!(
        !first.contains("rel=prev>"),
        "the 2014 session is first now"
    );
    assert_same_as_cold_build(root.path());
}

#[test]
fn a_session_whose_heading_the_build_cannot_foresee_is_still_placed_right() {
    // Scraped PHP warnings fill the first 9 KB, beyond what the build reads
    // to foresee a session's title and date: it places the session among
    // the undated first, then in 2015 once it is made.
    let warning = "Deprecated: Array and string offset access syntax with curly braces is \
                   deprecated in /home/wgig/public_html/cms/driver.php on line 1946\n\n";
    let root = common::copy_of_bundled();
    std::fs::write(
        root.path().join(INSERTED),
        session_of_2015(&warning.repeat(9 * 1024 / warning.len() + 1)),
    )
    .unwrap();
    rebuild(root.path());
    // Its title is known only once it is made.
    assert_inserted_in_2015(root.path());
    // The next build knows where every unchanged session stands.
    assert_eq!(rebuild(root.path()).rebuilt, 0);
}
