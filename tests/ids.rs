//! Permalinks that never lie: once the edition's ids are locked
//! (`verbatim ids --update`), a transcript captured again with a label
//! fixed, a paragraph inserted, a duplicate short turn and a turn's first
//! words changed still gives every published id to its text.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

const SESSION: &str = "igf-2013-bali-dc-internet-of-things";

/// Every paragraph id of the session with its text, and every turn id with
/// its first paragraph's text.
fn published(root: &Path) -> BTreeMap<String, String> {
    let edition = verbatim::load::load(root).edition;
    let session = edition
        .sessions
        .iter()
        .find(|s| s.id.as_str() == SESSION)
        .unwrap();
    let mut ids = BTreeMap::new();
    for turn in &session.turns {
        ids.insert(
            turn.id.as_str().to_string(),
            turn.paragraphs[0].original.clone(),
        );
        for p in &turn.paragraphs {
            ids.insert(p.id.as_str().to_string(), p.original.clone());
        }
    }
    ids
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn every_published_id_still_leads_to_its_text_after_the_transcript_changes() {
    let root = common::copy_of_bundled();
    // The bundled edition's locks are committed, and up to date.
    assert!(verbatim::ids::update(root.path(), true).unwrap().is_empty());
    assert_eq!(
        std::fs::read_dir(root.path().join("ids")).unwrap().count(),
        5
    );
    let before = published(root.path());

    // The source captured again (the project's content/ itself never changes).
    let transcript = root.path().join(format!("content/{SESSION}.txt"));
    // A label fixed: the turn's id would change.
    edit(
        &transcript,
        ">> IAN FISH: Ian Fish,",
        ">> IAN FISCH: Ian Fish,",
    );
    // A paragraph inserted into the first turn: the later ones would renumber.
    edit(
        &transcript,
        "\n\nOne the first steps",
        "\n\nA sentence the first capture missed.\n\nOne the first steps",
    );
    // A second identical short turn before the first: the suffixes would shift.
    edit(
        &transcript,
        "\n>> WOLFGANG KLEINWACHTER: Can you introduce.",
        "\n>> WOLFGANG KLEINWACHTER: Can you introduce.\n\n>> WOLFGANG KLEINWACHTER: Can you introduce.",
    );
    // A turn's first words changed.
    edit(
        &transcript,
        ">> PETER DENGATE THRUSH: Okay, well, can you articulate",
        ">> PETER DENGATE THRUSH: Well, can you articulate",
    );

    let loaded = verbatim::load::load(root.path());
    let session = loaded
        .edition
        .sessions
        .iter()
        .find(|s| s.id.as_str() == SESSION)
        .unwrap();
    let paragraphs: BTreeMap<&str, &verbatim::edition::Paragraph> = session
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .map(|p| (p.id.as_str(), p))
        .collect();
    let turns: BTreeMap<&str, &verbatim::edition::Turn> =
        session.turns.iter().map(|t| (t.id.as_str(), t)).collect();
    for (id, text) in &before {
        let now = paragraphs
            .get(id.as_str())
            .map(|p| p.original.clone())
            .or_else(|| {
                turns
                    .get(id.as_str())
                    .map(|t| t.paragraphs[0].original.clone())
            })
            .unwrap_or_else(|| panic!("published id {id} leads nowhere: {text}"));
        if text.starts_with("Okay, well, can you articulate") {
            // The changed opening: the id stays on its paragraph.
            assert!(now.starts_with("Well, can you articulate"), "{id}: {now}");
        } else {
            assert_eq!(&now, text, "{id}");
        }
    }
    // The inserted paragraph and the new short turn have ids of their own.
    let inserted = paragraphs
        .values()
        .find(|p| p.original == "A sentence the first capture missed.")
        .unwrap();
    assert!(!before.contains_key(inserted.id.as_str()));
    assert_eq!(
        session
            .turns
            .iter()
            .filter(|t| t.paragraphs[0].original == "Can you introduce.")
            .filter(|t| !before.contains_key(t.id.as_str()))
            .count(),
        1
    );
    // `check` says which published ids changed, and where.
    let changed: Vec<String> = loaded
        .findings
        .iter()
        .filter(|f| f.file.ends_with(format!("ids/{SESSION}.tsv")))
        .map(|f| f.plain())
        .collect();
    assert_eq!(changed.len(), 2, "{changed:#?}");
    assert!(
        changed
            .iter()
            .all(|c| c.contains("changed in the transcript"))
    );

    // Updating the lock records the change; nothing is reported after.
    verbatim::ids::update(root.path(), true).unwrap();
    let again = verbatim::load::load(root.path());
    assert!(
        !again
            .findings
            .iter()
            .any(|f| f.file.ends_with(format!("ids/{SESSION}.tsv")))
    );
}

#[test]
fn a_published_id_whose_text_is_gone_stays_an_anchor_where_it_was() {
    let root = common::copy_of_bundled();
    verbatim::ids::update(root.path(), true).unwrap();
    let before = published(root.path());
    let (gone, _) = before
        .iter()
        .find(|(_, text)| text.starts_with("So that means you need IP addresses."))
        .unwrap();
    let transcript = root.path().join(format!("content/{SESSION}.txt"));
    // The paragraph removed from the capture.
    edit(
        &transcript,
        "So that means you need IP addresses. Here you have it. Whether it's for objects or for ISPs or what else, no difference.\n\n",
        "",
    );
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let page = std::fs::read_to_string(out.join(format!("sessions/{SESSION}.html"))).unwrap();
    assert!(
        page.contains(&format!("id={gone}>")) || page.contains(&format!("id=\"{gone}\"")),
        "{gone} is no anchor of the page"
    );
    // Reported until the editor records it; then kept, and quiet.
    let loaded = verbatim::load::load(root.path());
    assert!(loaded.findings.iter().any(|f| {
        f.plain()
            .contains(&format!("published id `{gone}` no longer matches"))
    }));
    verbatim::ids::update(root.path(), true).unwrap();
    let lock = std::fs::read_to_string(root.path().join(format!("ids/{SESSION}.tsv"))).unwrap();
    assert!(lock.contains(&format!("paragraph\t{gone}\t")) && lock.contains("\tretired"));
    let loaded = verbatim::load::load(root.path());
    assert!(
        !loaded
            .findings
            .iter()
            .any(|f| f.plain().contains(gone.as_str()))
    );
    common::build(root.path(), &out);
    let page = std::fs::read_to_string(out.join(format!("sessions/{SESSION}.html"))).unwrap();
    assert!(page.contains(&format!("id={gone}>")) || page.contains(&format!("id=\"{gone}\"")));
}
