//! The edition as open data: every export of the bundled edition validates
//! against its published schema and gives back the edition's facts.

mod common;

use serde_json::Value;
use std::path::Path;

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A validator for a schema the site publishes under `data/schema/`.
fn validator(site: &Path, name: &str) -> jsonschema::Validator {
    let schema = read_json(&site.join("data/schema").join(name));
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn every_session_exports_as_json_that_its_schema_accepts_and_that_holds_the_edition() {
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    let manifest = read_json(&site.join("data/edition.json"));
    assert_valid(
        &validator(site, "edition.schema.json"),
        &manifest,
        "edition.json",
    );
    let sessions = manifest["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), edition.sessions.len());

    let schema = validator(site, "session.schema.json");
    // The schema holds the files to something: a session without turns is not one.
    assert!(!schema.is_valid(&serde_json::json!({ "format": "verbatim-session/1", "id": "s" })));
    for session in &edition.sessions {
        let listed = sessions
            .iter()
            .find(|s| s["id"] == session.id.as_str())
            .unwrap_or_else(|| panic!("{} is not listed", session.id));
        let path = site.join("data").join(listed["json"].as_str().unwrap());
        let data = read_json(&path);
        assert_valid(&schema, &data, &path.display().to_string());

        // Every turn and paragraph, with both readings and its speaker.
        let turns = data["turns"].as_array().unwrap();
        assert_eq!(turns.len(), session.turns.len(), "{}", session.id);
        for (turn, t) in session.turns.iter().zip(turns) {
            assert_eq!(t["id"], turn.id.as_str());
            assert_eq!(
                t["speaker"]["person"].as_str(),
                turn.speaker.person().map(|p| p.as_str())
            );
            let paragraphs = t["paragraphs"].as_array().unwrap();
            assert_eq!(paragraphs.len(), turn.paragraphs.len());
            for (p, d) in turn.paragraphs.iter().zip(paragraphs) {
                assert_eq!(d["id"], p.id.as_str());
                assert_eq!(d["text"], p.text);
                let captioned = d["captioned"].as_str().unwrap_or(&p.text);
                assert_eq!(captioned, p.original);
                // The spans give the corrected reading back (none: all plain text).
                let spans = d["spans"].as_array().unwrap();
                let joined: String = spans
                    .iter()
                    .filter(|s| s["type"] != "note")
                    .map(|s| s["text"].as_str().unwrap())
                    .collect();
                assert_eq!(
                    if spans.is_empty() { &p.text } else { &joined },
                    &p.text,
                    "{}",
                    p.id
                );
            }
        }
        // Its sections, as the model has them.
        let sections: Vec<(String, String)> = data["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["title"].as_str().unwrap().into(),
                    x["turn"].as_str().unwrap().into(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = session
            .sections
            .iter()
            .map(|x| (x.title.clone(), x.turn.as_str().to_string()))
            .collect();
        assert_eq!(sections, expected);
        // Every correction, with its captioned reading.
        let corrections = turns
            .iter()
            .flat_map(|t| t["paragraphs"].as_array().unwrap())
            .flat_map(|p| p["spans"].as_array().unwrap())
            .filter(|s| s["type"] == "correction")
            .count();
        assert_eq!(corrections, session.corrections(), "{}", session.id);
        assert_eq!(listed["corrections"], session.corrections());
    }
    assert!(
        edition
            .sessions
            .iter()
            .map(|s| s.corrections())
            .sum::<usize>()
            > 0,
        "the bundled edition has corrections to export"
    );
}

#[test]
fn a_session_as_text_is_its_corrected_turns_with_their_speakers_named() {
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    for session in &edition.sessions {
        let text =
            std::fs::read_to_string(site.join(verbatim::export::session_file(&session.id, "txt")))
                .unwrap();
        assert!(text.starts_with(session.display_title()));
        // A blank line before each turn, one line each.
        let turns: Vec<&str> = text.split("\n\n").skip(1).collect();
        assert_eq!(turns.len(), session.turns.len(), "{}", session.id);
        for (turn, line) in session.turns.iter().zip(&turns) {
            let said: Vec<&str> = turn.paragraphs.iter().map(|p| p.text.as_str()).collect();
            assert!(line.trim_end().ends_with(&said.join(" ")), "{line}");
            if let Some(id) = turn.speaker.person() {
                let name = &edition.people.iter().find(|p| &p.id == id).unwrap().name;
                assert!(line.starts_with(&format!("{name}: ")), "{line}");
            }
        }
    }
}

#[test]
fn people_export_as_popolo_and_csv() {
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    let popolo = read_json(&site.join("data/people.json"));
    let persons = popolo["persons"].as_array().unwrap();
    assert_eq!(persons.len(), edition.people.len());
    for person in &edition.people {
        let p = persons
            .iter()
            .find(|p| p["id"] == person.id.as_str())
            .unwrap();
        assert_eq!(p["name"], person.name);
        let other: Vec<&str> = p["other_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert_eq!(other, person.aliases);
        // An affiliation and a stakeholder group are organisations the
        // person is a member of.
        for org in person.affiliation.iter().chain(&person.stakeholder) {
            let org_id = popolo["organizations"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["name"] == org.as_str())
                .unwrap()["id"]
                .clone();
            assert!(
                popolo["memberships"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["person_id"] == person.id.as_str() && m["organization_id"] == org_id),
                "{} in {org}",
                person.id
            );
        }
    }

    // The CSV: a header, then a row a person; quoted cells hold commas.
    let csv = std::fs::read_to_string(site.join("data/people.csv")).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert_eq!(
        rows[0],
        "id,name,aliases,affiliation,role,country,stakeholder,links"
    );
    assert_eq!(rows.len(), edition.people.len() + 1);
    let with_comma = edition
        .people
        .iter()
        .find(|p| p.role.as_deref().is_some_and(|r| r.contains(',')))
        .expect("a role with a comma in the bundled registry");
    let role = with_comma.role.as_deref().unwrap();
    assert!(csv.contains(&format!("\"{}\"", role.replace('"', "\"\""))));
}

/// Whether jing (Debian's `jing`, the RELAX NG validator) is here.
fn jing_present() -> bool {
    common::tool_present(
        "jing (the RELAX NG validator)",
        std::process::Command::new("jing").output().is_ok(),
    )
}

#[test]
fn every_session_exports_as_tei_that_the_profile_accepts_and_that_holds_the_edition() {
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    let schema = site.join("data/schema/verbatim-tei.rnc");
    let mut files: Vec<std::path::PathBuf> = edition
        .sessions
        .iter()
        .map(|s| site.join(verbatim::export::session_file(&s.id, "xml")))
        .collect();
    // The corpus root, which includes every session (jing resolves XInclude).
    files.push(site.join("data/edition.xml"));
    if jing_present() {
        let run = std::process::Command::new("jing")
            .arg("-c")
            .arg(&schema)
            .args(&files)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{said}");
        // And it does refuse what is not the profile.
        let bad = tempfile::tempdir().unwrap();
        let wrong = bad.path().join("wrong.xml");
        let text = std::fs::read_to_string(&files[0]).unwrap();
        std::fs::write(&wrong, text.replacen("<seg ", "<p ", 1)).unwrap();
        let refused = std::process::Command::new("jing")
            .arg("-c")
            .arg(&schema)
            .arg(&wrong)
            .output()
            .unwrap();
        assert!(!refused.status.success());
    }

    // Read back: every turn, paragraph, correction and speaker.
    let corpus = std::fs::read_to_string(site.join("data/edition.xml")).unwrap();
    let corpus = roxmltree::Document::parse(&corpus).unwrap();
    let defined: Vec<&str> = corpus
        .descendants()
        .filter(|n| n.has_tag_name("person"))
        .filter_map(|n| n.attribute(("http://www.w3.org/XML/1998/namespace", "id")))
        .collect();
    assert_eq!(defined.len(), edition.people.len());
    for session in &edition.sessions {
        let text =
            std::fs::read_to_string(site.join(verbatim::export::session_file(&session.id, "xml")))
                .unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let id = |n: &roxmltree::Node| {
            n.attribute(("http://www.w3.org/XML/1998/namespace", "id"))
                .map(str::to_string)
        };
        let turns: Vec<roxmltree::Node> =
            doc.descendants().filter(|n| n.has_tag_name("u")).collect();
        assert_eq!(turns.len(), session.turns.len(), "{}", session.id);
        for (turn, u) in session.turns.iter().zip(&turns) {
            assert_eq!(id(u).as_deref(), Some(turn.id.as_str()));
            // A registered speaker's pointer resolves in the corpus root.
            let who = u.attribute("who").map(|w| w.trim_start_matches('#'));
            assert_eq!(
                who.map(|w| w.trim_start_matches("person.")),
                turn.speaker.person().map(|p| p.as_str())
            );
            if let Some(who) = who {
                assert!(defined.contains(&who), "{who}");
            }
            let paragraphs: Vec<String> = u
                .children()
                .filter(|c| c.is_element() && !c.has_tag_name("note"))
                .filter_map(|c| id(&c))
                .collect();
            let expected: Vec<&str> = turn.paragraphs.iter().map(|p| p.id.as_str()).collect();
            assert_eq!(paragraphs, expected, "{}", turn.id);
        }
        // Each section a <div> whose first turn is the section's.
        for section in &session.sections {
            let div = doc
                .descendants()
                .find(|n| n.has_tag_name("div") && id(n).as_deref() == Some(section.id.as_str()))
                .unwrap_or_else(|| panic!("no div {}", section.id));
            let first = div.children().find(|c| c.has_tag_name("u")).unwrap();
            assert_eq!(id(&first).as_deref(), Some(section.turn.as_str()));
        }
        // Corrections as sic and corr, in order.
        let choices: Vec<(String, String)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("choice"))
            .map(|c| {
                let part = |name: &str| {
                    c.children()
                        .find(|n| n.has_tag_name(name))
                        .and_then(|n| n.text())
                        .unwrap_or("")
                        .to_string()
                };
                (part("sic"), part("corr"))
            })
            .collect();
        let expected: Vec<(String, String)> = session
            .turns
            .iter()
            .flat_map(|t| &t.paragraphs)
            .flat_map(|p| &p.spans)
            .filter_map(|s| match s {
                verbatim::edition::Span::Correction { original, text, .. } => {
                    Some((original.clone(), text.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(choices, expected, "{}", session.id);
        // A paragraph of speech reads as its corrected text (notes aside).
        for p in session
            .turns
            .iter()
            .flat_map(|t| &t.paragraphs)
            .filter(|p| p.stage.is_none())
        {
            let seg = doc
                .descendants()
                .find(|n| id(n).as_deref() == Some(p.id.as_str()))
                .unwrap();
            let read: String = seg
                .descendants()
                .filter(|n| n.is_text())
                .filter(|n| {
                    !n.ancestors()
                        .any(|a| a.has_tag_name("sic") || a.has_tag_name("note"))
                })
                .map(|n| n.text().unwrap())
                .collect();
            let stage_free: String = p
                .spans
                .iter()
                .filter(|s| !matches!(s, verbatim::edition::Span::Note { .. }))
                .map(|s| match s {
                    verbatim::edition::Span::Text { text }
                    | verbatim::edition::Span::Stage { text, .. }
                    | verbatim::edition::Span::Correction { text, .. } => text.as_str(),
                    verbatim::edition::Span::Note { .. } => "",
                })
                .collect();
            assert_eq!(read, stage_free, "{}", p.id);
        }
    }
}

#[test]
fn corrections_notes_and_attributions_are_web_annotations_on_the_pages() {
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    let (mut corrections, mut notes, mut attributions) = (0, 0, 0);
    for session in &edition.sessions {
        let path = site.join(verbatim::export::session_file(
            &session.id,
            "annotations.jsonld",
        ));
        let collection = read_json(&path);
        assert_eq!(collection["@context"], "http://www.w3.org/ns/anno.jsonld");
        assert_eq!(collection["type"], "AnnotationCollection");
        let items = collection["first"]["items"].as_array().unwrap();
        assert_eq!(collection["total"], items.len());
        let page =
            std::fs::read_to_string(site.join(format!("sessions/{}.html", session.id))).unwrap();
        for a in items {
            assert_eq!(a["type"], "Annotation");
            // The target is an element of the session's page, found from the
            // collection's folder as a relative link.
            let source = a["target"]["source"].as_str().unwrap();
            let (file, anchor) = source.split_once('#').unwrap();
            assert_eq!(
                path.parent().unwrap().join(file).canonicalize().unwrap(),
                site.join(format!("sessions/{}.html", session.id))
                    .canonicalize()
                    .unwrap()
            );
            assert!(
                page.contains(&format!("id={anchor}"))
                    || page.contains(&format!("id=\"{anchor}\"")),
                "{anchor}"
            );
            let selector = &a["target"]["selector"];
            assert_eq!(selector["type"], "TextQuoteSelector");
            let quoted = format!(
                "{}{}{}",
                selector["prefix"].as_str().unwrap_or(""),
                selector["exact"].as_str().unwrap(),
                selector["suffix"].as_str().unwrap_or("")
            );
            let p = session
                .turns
                .iter()
                .flat_map(|t| &t.paragraphs)
                .find(|p| p.id.as_str() == anchor);
            match a["motivation"].as_str().unwrap() {
                "editing" => {
                    corrections += 1;
                    assert!(p.unwrap().original.contains(&quoted), "{quoted:?}");
                }
                "commenting" => {
                    notes += 1;
                    assert!(p.unwrap().text.contains(&quoted), "{quoted:?}");
                }
                "identifying" => {
                    attributions += 1;
                    let turn = session
                        .turns
                        .iter()
                        .find(|t| t.id.as_str() == anchor)
                        .unwrap();
                    let person = turn.speaker.person().unwrap();
                    let body = a["body"][0]["source"].as_str().unwrap();
                    assert!(body.ends_with(&format!("people/{person}.html")));
                }
                other => panic!("motivation {other}"),
            }
        }
    }
    let spans = || {
        edition
            .sessions
            .iter()
            .flat_map(|s| &s.turns)
            .flat_map(|t| &t.paragraphs)
            .flat_map(|p| &p.spans)
    };
    let expected_corrections = spans()
        .filter(|s| matches!(s, verbatim::edition::Span::Correction { .. }))
        .count();
    let expected_notes = spans()
        .filter(|s| matches!(s, verbatim::edition::Span::Note { .. }))
        .count();
    let expected_attributions = edition
        .sessions
        .iter()
        .flat_map(|s| &s.turns)
        .filter(|t| matches!(t.speaker, verbatim::edition::Speaker::Attributed { .. }))
        .count();
    assert_eq!(corrections, expected_corrections);
    assert_eq!(notes, expected_notes);
    assert_eq!(attributions, expected_attributions);
    assert!(expected_corrections > 0 && expected_notes > 0 && expected_attributions > 0);
}

#[test]
fn verbatim_export_writes_the_sites_data_alone_and_never_half() {
    let site = common::built_bundled();
    let out = tempfile::tempdir().unwrap();
    let data = out.path().join("data");
    let exported = verbatim::data::export(&common::bundled(), &data).unwrap();
    assert_eq!(exported.sessions, 5);
    assert_eq!(
        common::snapshot(&data),
        common::snapshot(&site.join("data")),
        "the same files as a build's data/"
    );
    // An edition with an error is not exported; the last export stays.
    let broken = common::copy_of_bundled();
    std::fs::write(
        broken.path().join("annotations/people.yaml"),
        "people:\n  - id: [not, an, id]\n",
    )
    .unwrap();
    let findings = match verbatim::data::export(broken.path(), &data) {
        Ok(_) => panic!("an edition with errors was exported"),
        Err(findings) => findings,
    };
    assert!(verbatim::diagnostics::has_errors(&findings));
    assert_eq!(
        common::snapshot(&data),
        common::snapshot(&site.join("data"))
    );
}

#[test]
fn the_data_page_lists_every_export_with_its_size_and_the_archive_holds_them_all() {
    let site = common::built_bundled();
    let page = std::fs::read_to_string(site.join("data.html")).unwrap();
    let data = site.join("data");
    let files = verbatim::data::listing(&data).unwrap();
    let english = verbatim::html::i18n::Catalogue::parse(
        "en",
        &std::fs::read(common::bundled().join("themes/default/i18n/en.yaml")).unwrap(),
        std::path::Path::new("en.yaml"),
    )
    .unwrap();
    // Every edition-wide file is listed with its size, and linked.
    for file in files
        .iter()
        .filter(|f| !f.path.starts_with("data/sessions/"))
    {
        let size = verbatim::html::pages::data::size(file.bytes, &english);
        let name = file.path.trim_start_matches("data/");
        assert!(
            page.contains(&format!("<a href={}>{name}</a>", file.path))
                || page.contains(&format!("<a href=\"{}\">{name}</a>", file.path)),
            "{name} is not linked"
        );
        let row = &page[page.find(&format!(">{name}</a>")).unwrap()..];
        let row = &row[..row.find("<tr>").unwrap_or(row.len())];
        assert!(row.contains(&size), "{name}: {size} in {row}");
    }
    // Each kind of session file, counted.
    assert!(page.contains("TEI (<code>.xml</code>)<td>5<td>"), "{page}");
    assert!(page.contains("CC BY 4.0"));

    // The archive holds every other data file, unchanged.
    let zip = std::fs::read(data.join("edition.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_string).collect();
    names.sort();
    let mut expected: Vec<String> = files
        .iter()
        .map(|f| f.path.trim_start_matches("data/").to_string())
        .filter(|p| p != "edition.zip")
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    for name in &expected {
        let mut entry = archive.by_name(name).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        assert_eq!(bytes, std::fs::read(data.join(name)).unwrap(), "{name}");
    }
    // And each session's page links its files.
    let session =
        std::fs::read_to_string(site.join("sessions/igf-2013-bali-dc-internet-of-things.html"))
            .unwrap();
    for extension in ["xml", "json", "txt", "annotations.jsonld"] {
        let link = format!("../data/sessions/igf-2013-bali-dc-internet-of-things.{extension}");
        assert!(session.contains(&link), "{link}");
    }
}

/// A session with a recording and times: the JSON says where the recording
/// is and when each paragraph and piece of evidence was said (the schema
/// accepts it); the TEI points each timed paragraph at a timeline from the
/// recording's start and names the recording among the sources (the
/// profile accepts it); the Web Annotations point into the recording.
#[test]
fn times_and_the_recording_reach_the_exports() {
    let root = common::captioned_session();
    std::fs::write(root.path().join("media/zoom.mp3"), b"ID3").unwrap();
    let first_words = {
        let edition = verbatim::load::load(root.path()).edition;
        let p = &edition.sessions[0].turns[0].paragraphs[0];
        p.text
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    };
    std::fs::write(
        root.path().join("annotations/zoom.yaml"),
        format!(
            "session: zoom\nrecording:\n  file: media/zoom.mp3\n  offset: 00:00:02\n\
corrections:\n  - find: \"{first_words}\"\n    replace: \"{first_words}\"\n    note: Heard so.\n    at: 00:00:01\n"
        ),
    )
    .unwrap();
    let site = root.path().join("public");
    common::build(root.path(), &site);
    let edition = verbatim::load::load(root.path()).edition;
    let session = &edition.sessions[0];
    let timed: Vec<_> = session
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .filter(|p| p.time.is_some())
        .collect();
    assert!(timed.len() > 5);

    let json = read_json(&site.join("data/sessions/zoom.json"));
    assert_valid(&validator(&site, "session.schema.json"), &json, "zoom.json");
    assert_eq!(json["recording"]["url"], "media/zoom.mp3");
    assert_eq!(json["recording"]["player"], "audio");
    assert_eq!(json["recording"]["offset_ms"], 2_000);
    let spans = &json["turns"][0]["paragraphs"][0]["spans"];
    assert_eq!(spans[0]["at_ms"], 1_000, "{spans}");

    let xml = site.join("data/sessions/zoom.xml");
    if jing_present() {
        let run = std::process::Command::new("jing")
            .arg("-c")
            .arg(site.join("data/schema/verbatim-tei.rnc"))
            .arg(&xml)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stdout)
        );
    }
    let text = std::fs::read_to_string(&xml).unwrap();
    let tei = roxmltree::Document::parse(&text).unwrap();
    fn xml_id<'a>(n: &roxmltree::Node<'a, '_>) -> Option<&'a str> {
        n.attribute(("http://www.w3.org/XML/1998/namespace", "id"))
    }
    let whens: std::collections::BTreeMap<&str, Option<&str>> = tei
        .descendants()
        .filter(|n| n.has_tag_name("when"))
        .map(|n| (xml_id(&n).unwrap(), n.attribute("interval")))
        .collect();
    for p in &timed {
        let seg = tei
            .descendants()
            .find(|n| xml_id(n) == Some(p.id.as_str()))
            .unwrap();
        let target = seg.attribute("synch").unwrap().trim_start_matches('#');
        let interval: u64 = whens[target].unwrap().parse().unwrap();
        assert_eq!(interval, p.time.unwrap()[0] + 2_000, "{}", p.id);
    }
    let recording = tei
        .descendants()
        .find(|n| n.has_tag_name("recording"))
        .unwrap();
    assert_eq!(recording.attribute("type"), Some("audio"));
    let link = recording
        .descendants()
        .find(|n| n.has_tag_name("ref"))
        .unwrap();
    assert_eq!(link.attribute("target"), Some("../../media/zoom.mp3"));

    let annotations = read_json(&site.join("data/sessions/zoom.annotations.jsonld"));
    let moment = annotations["first"]["items"][0]["body"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "SpecificResource")
        .expect("the correction's moment");
    assert_eq!(moment["source"], "../../media/zoom.mp3");
    assert_eq!(moment["selector"]["value"], "t=3");
}

/// A publisher who needs only TEI and no archive says so in verbatim.yaml:
/// each session is published as TEI alone, its page links only that, the
/// Data page and `data/edition.json` (still valid) list only what is there,
/// no archive is written, and `verbatim export` writes the same files.
#[test]
fn a_publisher_can_publish_fewer_formats_and_no_archive() {
    let root = common::copy_of_bundled();
    let config = root.path().join("verbatim.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("data:\n  formats: [tei]\n  archive: false\n");
    std::fs::write(&config, text).unwrap();
    let site = root.path().join("public");
    common::build(root.path(), &site);

    let data = site.join("data");
    let sessions: Vec<String> = std::fs::read_dir(data.join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(sessions.len(), 5, "{sessions:?}");
    assert!(sessions.iter().all(|n| n.ends_with(".xml")), "{sessions:?}");
    assert!(!data.join("edition.zip").exists());
    assert!(data.join("edition.xml").exists());

    let edition = read_json(&data.join("edition.json"));
    assert_valid(
        &validator(&site, "edition.schema.json"),
        &edition,
        "edition.json",
    );
    for entry in edition["sessions"].as_array().unwrap() {
        assert!(entry["tei"].is_string(), "{entry}");
        assert!(
            entry.get("json").is_none() && entry.get("text").is_none(),
            "{entry}"
        );
    }

    let page = std::fs::read_to_string(site.join("data.html")).unwrap();
    assert!(page.contains("TEI (<code>.xml</code>)<td>5<td>"), "{page}");
    assert!(!page.contains("edition.zip") && !page.contains("(<code>.json</code>)"));
    let session =
        std::fs::read_to_string(site.join("sessions/igf-2013-bali-dc-internet-of-things.html"))
            .unwrap();
    assert!(session.contains("../data/sessions/igf-2013-bali-dc-internet-of-things.xml"));
    assert!(!session.contains("igf-2013-bali-dc-internet-of-things.json"));

    let out = tempfile::tempdir().unwrap();
    verbatim::data::export(root.path(), &out.path().join("data")).unwrap();
    assert_eq!(
        common::snapshot(&out.path().join("data")),
        common::snapshot(&data)
    );

    // No session at all: the exports are the people and the manifest, and
    // the pages say nothing of per-session files.
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("formats: [tei]", "formats: []")).unwrap();
    common::build(root.path(), &site);
    assert!(!data.join("sessions").exists());
    assert!(!data.join("edition.xml").exists());
    let edition = read_json(&data.join("edition.json"));
    assert_valid(
        &validator(&site, "edition.schema.json"),
        &edition,
        "edition.json",
    );
    assert!(edition["tei"].is_null());
    let session =
        std::fs::read_to_string(site.join("sessions/igf-2013-bali-dc-internet-of-things.html"))
            .unwrap();
    assert!(!session.contains("data/sessions/"));
}

/// A format the exports do not know is an error at its place in
/// verbatim.yaml that names the ones they do.
#[test]
fn an_unknown_data_format_is_named_where_it_is_written() {
    let root = common::copy_of_bundled();
    let config = root.path().join("verbatim.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    let line = text.lines().count() + 2;
    text.push_str("data:\n  formats: [tei, csv]\n");
    std::fs::write(&config, text).unwrap();
    let failure = verbatim::site::build(
        root.path(),
        &root.path().join("public"),
        &verbatim::site::Options::default(),
    )
    .expect_err("an unknown format must fail the build");
    let shown = failure.findings[0].plain();
    assert!(
        shown.starts_with(&format!("verbatim.yaml:{line}:")),
        "{shown}"
    );
    assert!(
        shown.contains("csv") && shown.contains("annotations"),
        "{shown}"
    );
}
