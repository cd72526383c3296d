//! The search index built in Rust: postings, impacts (BM25), folding, the
//! captioned reading, large postings split off, and content-hashed shard names.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use verbatim::search::tokenize::tokens;

/// A build parks every session's postings in scratch files until assembly
/// and assembles them a bin at a time; what it publishes is the index
/// assembled in memory from the whole edition, file for file.
#[test]
fn the_published_index_is_the_index_of_the_edition_assembled_in_memory() {
    let edition = verbatim::load::load(&common::bundled()).edition;
    let in_memory: BTreeMap<String, Vec<u8>> =
        verbatim::search::build(&edition).into_iter().collect();
    let site = common::built_bundled();
    let published: BTreeMap<String, Vec<u8>> = common::snapshot(&site.join("search"))
        .into_iter()
        .map(|(path, bytes)| (format!("search/{}", path.display()), bytes))
        .collect();
    assert!(in_memory.len() > 100, "{} index files", in_memory.len());
    assert_eq!(
        in_memory.keys().collect::<Vec<_>>(),
        published.keys().collect::<Vec<_>>()
    );
    assert!(
        in_memory == published,
        "the same files, but not the same bytes"
    );
}

fn edition_from(transcript: &str, annotations: &str) -> verbatim::edition::Edition {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::create_dir_all(dir.path().join("annotations")).unwrap();
    std::fs::write(dir.path().join("content/s.txt"), transcript).unwrap();
    std::fs::write(dir.path().join("annotations/s.yaml"), annotations).unwrap();
    let loaded = verbatim::load::load(dir.path());
    assert!(!verbatim::diagnostics::has_errors(&loaded.findings));
    loaded.edition
}

fn index(edition: &verbatim::edition::Edition) -> BTreeMap<String, Value> {
    verbatim::search::build(edition)
        .into_iter()
        .map(|(p, b)| {
            let name = p.trim_start_matches("search/").trim_end_matches(".js");
            let text = String::from_utf8(b).unwrap();
            let (registered, json) = verbatim::search::index::registered(&text)
                .unwrap_or_else(|| panic!("{p} is not a registering script"));
            assert_eq!(registered, name);
            let json = verbatim::search::index::unpacked(json).unwrap();
            (name.to_string(), serde_json::from_str(&json).unwrap())
        })
        .collect()
}

/// The term's entry, found through the manifest as the client finds it.
fn entry(files: &BTreeMap<String, Value>, term: &str) -> Option<Value> {
    let shards = files["manifest"]["shards"].as_array().unwrap();
    let shard = shards
        .iter()
        .rev()
        .find(|s| s[0].as_str().unwrap() <= term)?;
    files[shard[1].as_str().unwrap()].get(term).cloned()
}

/// `(doc, impact)` pairs of a term, decoded as the client decodes them.
fn postings(files: &BTreeMap<String, Value>, term: &str) -> Vec<(u64, u64)> {
    let e = entry(files, term).unwrap_or_else(|| panic!("no term {term}"));
    decode(&e["p"])
}

fn decode(postings: &Value) -> Vec<(u64, u64)> {
    verbatim::search::index::decode_postings(postings.as_str().unwrap())
}

const TRANSCRIPT: &str = ">> WOLFGANG KLEINWÄCHTER Ladies and gentlemen, the work encore Internet values.\n\n\
The values values values matter here today a lot.\n\n\
The values matter here today, a lot more words.\n";

#[test]
fn postings_fold_diacritics_and_keep_the_captioned_reading() {
    let edition = edition_from(
        TRANSCRIPT,
        "session: s\ncorrections:\n  - find: \"encore\"\n    replace: \"on core\"\n",
    );
    let files = index(&edition);
    assert_eq!(files["manifest"]["docs"], 3);
    assert_eq!(
        postings(&files, "ladies"),
        [(0, postings(&files, "ladies")[0].1)]
    );
    assert!(
        entry(&files, "kleinwachter").is_some(),
        "the speaker's name is searchable, folded"
    );
    assert_eq!(
        postings(&files, "encore").len(),
        1,
        "the captioned reading is indexed"
    );
    assert_eq!(
        postings(&files, "core").len(),
        1,
        "and so is the corrected one"
    );
    assert!(entry(&files, "KLEINWÄCHTER").is_none());
}

#[test]
fn impacts_rank_by_bm25() {
    let edition = edition_from(TRANSCRIPT, "session: s\n");
    let files = index(&edition);
    let values = postings(&files, "values");
    assert_eq!(values.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1, 2]);
    // Three occurrences outrank one; a longer paragraph with one occurrence ranks lower still.
    assert!(
        values[1].1 > values[0].1 && values[1].1 > values[2].1,
        "{values:?}"
    );
    // An impact is the term-frequency half of BM25 only: rarity (idf) is the
    // client's half, so one occurrence in the same paragraph weighs the same.
    let ladies = postings(&files, "ladies")[0].1;
    assert_eq!(ladies, values[0].1);
}

#[test]
fn documents_point_at_paragraphs() {
    let edition = edition_from(TRANSCRIPT, "session: s\n");
    let files = index(&edition);
    // A directory lists its sessions' id, title and document shards.
    let directory = files["manifest"]["dirs"][0].as_str().unwrap();
    assert_eq!(files[directory][0][0], "s");
    let first = files[directory][0][2][0].as_str().unwrap();
    let row = &files[first][0];
    assert_eq!(
        row[2],
        edition.sessions[0].turns[0].paragraphs[0].id.as_str()
    );
    assert_eq!(
        row[3],
        "Ladies and gentlemen, the work encore Internet values."
    );
}

#[test]
fn common_terms_keep_a_head_and_split_off_their_full_postings() {
    let mut transcript = String::new();
    for i in 0..1500 {
        transcript.push_str(&format!(">> SPEAKER {}: the point number {i}.\n\n", i % 7));
    }
    let edition = edition_from(&transcript, "session: s\n");
    let files = index(&edition);
    let the = entry(&files, "the").unwrap();
    assert_eq!(the["df"], 1500);
    assert_eq!(
        decode(&the["p"]).len(),
        1000,
        "the head holds the top postings"
    );
    // Its full list: every document, in files that say their first session.
    let chunks = the["full"].as_array().unwrap();
    assert_eq!(chunks[0][0], 0);
    let all: Vec<u64> = chunks
        .iter()
        .flat_map(|c| {
            let text = files[c[1].as_str().unwrap()].as_str().unwrap();
            verbatim::search::index::decode_presence(text)
        })
        .collect();
    assert_eq!(all, (0..1500).collect::<Vec<u64>>());
    // And how many of them each year holds (this session has no year).
    assert_eq!(the["years"], serde_json::json!([[null, 1500]]));
}

#[test]
fn shard_names_change_only_with_their_content() {
    let a = index(&edition_from(TRANSCRIPT, "session: s\n"));
    let b = index(&edition_from(TRANSCRIPT, "session: s\n"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    let c = index(&edition_from(
        &TRANSCRIPT.replace("today, a lot more", "today, many more"),
        "session: s\n",
    ));
    assert_ne!(a["manifest"]["dirs"], c["manifest"]["dirs"]);
    assert_eq!(
        a["manifest"]["meta"], c["manifest"]["meta"],
        "unchanged tables keep their names"
    );
}

#[test]
fn tokens_fold_case_and_diacritics() {
    assert_eq!(
        tokens("Kleinwächter, CRÉPIN-LEBLOND"),
        ["kleinwachter", "crepin", "leblond"]
    );
}

#[test]
fn an_edit_rewrites_only_the_shards_of_the_terms_it_changes() {
    // Many distinct words, so the index has many term shards.
    let mut seed = 7u64;
    let mut word = || {
        (0..6)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (b'a' + (seed >> 33) as u8 % 26) as char
            })
            .collect::<String>()
    };
    let mut transcript = String::new();
    for turn in 0..300 {
        let words: Vec<String> = (0..20).map(|_| word()).collect();
        transcript.push_str(&format!(
            ">> SPEAKER {}: {}.\n\n",
            turn % 5,
            words.join(" ")
        ));
    }
    transcript.push_str(">> SPEAKER 1: The alpha point.\n");
    let shards = |files: &BTreeMap<String, Value>| -> Vec<String> {
        files
            .keys()
            .filter(|k| k.starts_with("t-"))
            .cloned()
            .collect()
    };
    let before = index(&edition_from(&transcript, "session: s\n"));
    let after = index(&edition_from(
        &transcript,
        "session: s\ncorrections:\n  - find: \"alpha\"\n    replace: \"omega\"\n",
    ));
    let (before, after) = (shards(&before), shards(&after));
    let changed = after.iter().filter(|s| !before.contains(s)).count();
    assert!(before.len() >= 20, "{} shards", before.len());
    // `alpha` stays searchable (the captioned reading) and `omega` is new:
    // at most their two shards change.
    assert!(
        (1..=2).contains(&changed),
        "{changed} of {} shards changed",
        after.len()
    );
}

#[test]
fn a_session_indexes_alike_whatever_was_indexed_before_it() {
    let first = edition_from(TRANSCRIPT, "session: s\n");
    let second = edition_from(
        ">> AVRI DORIA: Values of the open Internet, and other values.\n\nAnother paragraph entirely.\n",
        "session: s\n",
    );
    let people = verbatim::search::index::PeopleTable::new(&[]);
    let share = |e: &verbatim::edition::Edition| {
        verbatim::search::SessionIndex::build(&e.sessions[0], &people)
    };
    // On a fresh thread, then after other sessions on this one: the same share
    // (nothing is kept from one session to the next; a term table kept per
    // thread was tried once).
    let alone = std::thread::scope(|s| s.spawn(|| share(&second)).join().unwrap());
    share(&first);
    share(&second);
    share(&first);
    assert_eq!(share(&second), alone);
}

/// A registered speaker's name is their field, not words of every paragraph
/// they speak (which ranked their shortest remarks first for a search by
/// name); hyphenated compounds are indexed joined as well; a corrected
/// paragraph's row carries its captioned reading and its corrections.
#[test]
fn names_are_fields_compounds_join_and_rows_keep_the_captioned_reading() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["content", "annotations"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    std::fs::write(
        dir.path().join("content/s.txt"),
        TRANSCRIPT.replace("the work", "the multi-stakeholder work"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("annotations/people.yaml"),
        "people:\n  - id: wolfgang-kleinwachter\n    name: Wolfgang Kleinwächter\n    aliases: [WOLFGANG KLEINWÄCHTER]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("annotations/s.yaml"),
        "session: s\ncorrections:\n  - find: \"encore\"\n    replace: \"on core\"\n",
    )
    .unwrap();
    let loaded = verbatim::load::load(dir.path());
    assert!(!verbatim::diagnostics::has_errors(&loaded.findings));
    let files = index(&loaded.edition);

    // The name's words say who bears them, and hold no paragraph: the
    // person's field holds the paragraphs they speak.
    let name = entry(&files, "kleinwachter").unwrap();
    assert_eq!(name["df"], 0, "names are not words of the text");
    assert_eq!(name["who"], serde_json::json!(["wolfgang-kleinwachter"]));
    assert_eq!(
        entry(&files, "wolfgang").unwrap()["who"],
        serde_json::json!(["wolfgang-kleinwachter"])
    );
    let field = format!(
        "{}wolfgang-kleinwachter",
        verbatim::search::index::PERSON_FIELD
    );
    assert_eq!(
        postings(&files, &field).len(),
        3,
        "the person's field lists every paragraph"
    );
    assert_eq!(postings(&files, "multistakeholder").len(), 1);
    assert_eq!(postings(&files, "stakeholder").len(), 1);
    // A row names its registered speaker by id.
    let first = files
        .iter()
        .find(|(name, _)| name.starts_with("d-"))
        .unwrap()
        .1;
    assert_eq!(first[0][0], "wolfgang-kleinwachter");
    assert_eq!(first[0][1], "Wolfgang Kleinwächter");

    let shard = files
        .iter()
        .find(|(name, _)| name.starts_with("d-"))
        .unwrap()
        .1;
    assert_eq!(
        shard[0][3],
        "Ladies and gentlemen, the multi-stakeholder work on core Internet values."
    );
    assert_eq!(
        shard[0][4],
        "Ladies and gentlemen, the multi-stakeholder work encore Internet values."
    );
    assert_eq!(shard[0][5], serde_json::json!([["encore", "on core"]]));
    assert_eq!(
        shard[1].as_array().unwrap().len(),
        4,
        "an uncorrected row is as before"
    );
}

/// What assembling an edition whose postings are all parked made: every
/// file it wrote, the memo, the bytes it read back and the bytes parked.
struct Assembled {
    written: BTreeMap<String, Vec<u8>>,
    carried: Vec<String>,
    memo: verbatim::search::index::Memo,
    read: u64,
    parked: u64,
}

/// Assembles `edition`'s index as a build does: each session's share
/// built, its postings parked (here, in one buffer), then the assembly
/// given the last build's memo.
fn assemble_parked(
    edition: &verbatim::edition::Edition,
    previous: &verbatim::search::index::Memo,
) -> Assembled {
    use std::sync::Mutex;
    use verbatim::output::Parked;
    use verbatim::search::index::{PeopleTable, SessionIndex, assemble, session_row};
    let table = PeopleTable::new(&edition.people);
    let mut store: Vec<u8> = Vec::new();
    let written = Mutex::new(BTreeMap::new());
    let shares: Vec<SessionIndex> = edition
        .sessions
        .iter()
        .map(|s| {
            let (mut share, docs) = SessionIndex::build(s, &table);
            written.lock().unwrap().extend(docs);
            let place = Parked {
                file: 0,
                offset: store.len() as u64,
                len: share.postings.len() as u64,
            };
            store.extend_from_slice(&share.postings);
            share.parked_at(place);
            share
        })
        .collect();
    let rows: Vec<_> = shares
        .iter()
        .zip(&edition.sessions)
        .map(|(share, s)| (share, session_row(s)))
        .collect();
    let people: Vec<_> = edition
        .people
        .iter()
        .map(|p| (&p.id, p.name.as_str(), p.stakeholder.as_deref()))
        .collect();
    let read = Mutex::new(0u64);
    let unpark = |places: &[Parked]| {
        let mut bytes = Vec::new();
        for place in places {
            *read.lock().unwrap() += place.len;
            bytes.extend_from_slice(&store[place.offset as usize..][..place.len as usize]);
        }
        Ok(bytes)
    };
    let sink = |(path, bytes): &(String, Vec<u8>)| {
        written.lock().unwrap().insert(path.clone(), bytes.clone());
        Ok(())
    };
    let assembly = assemble(&rows, &people, previous, &unpark, &sink, &|_| false).unwrap();
    Assembled {
        written: written.into_inner().unwrap(),
        carried: assembly.carried,
        memo: assembly.memo,
        read: read.into_inner().unwrap(),
        parked: store.len() as u64,
    }
}

/// A rebuild reads back only the bins of the index whose input changed:
/// one word replaced by another in one session leaves most of the parked
/// postings unread, and the index it publishes (what it wrote and what it
/// carried over) is the one an assembly from scratch makes.
#[test]
fn an_edit_reads_back_only_the_bins_it_changed() {
    let mut edition = verbatim::load::load(&common::bundled()).edition;
    let first = assemble_parked(&edition, &Default::default());
    assert_eq!(first.read, first.parked, "a first assembly reads every bin");
    let paragraph = edition.sessions[2]
        .turns
        .iter_mut()
        .flat_map(|t| &mut t.paragraphs)
        .find(|p| p.stage.is_none() && p.text.contains(" the "))
        .unwrap();
    paragraph.text = paragraph.text.replacen(" the ", " zyzzyva ", 1);
    let again = assemble_parked(&edition, &first.memo);
    assert!(
        again.read > 0 && again.read * 4 < again.parked,
        "read back {} of {} bytes",
        again.read,
        again.parked
    );
    let scratch = assemble_parked(&edition, &Default::default());
    let mut published = again.written.clone();
    for path in &again.carried {
        published.insert(path.clone(), first.written[path].clone());
    }
    assert!(
        published == scratch.written,
        "the same index as from scratch"
    );
    assert!(
        entry(&index(&edition), "zyzzyva").is_some(),
        "the edit is in the index"
    );
}
