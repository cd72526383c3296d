//! The five bundled seed transcripts, parsed. Each expectation was checked by
//! reading the seed itself (labels grep-counted, headings and footers read).

use std::path::Path;
use verbatim::ingest::{OmissionReason, StageKind, Transcript, parse};

fn seed(name: &str) -> Transcript {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content")
        .join(name);
    parse(&std::fs::read(path).expect("seed is bundled"))
}

fn count_label(t: &Transcript, label: &str) -> usize {
    t.turns
        .iter()
        .filter(|t| t.label.as_deref() == Some(label))
        .count()
}

fn omitted(t: &Transcript, reason: OmissionReason) -> Vec<[usize; 2]> {
    t.omitted
        .iter()
        .filter(|o| o.reason == reason)
        .map(|o| o.lines)
        .collect()
}

#[test]
fn bali_2013_block_heading_uncoloned_label_and_page_footer() {
    let t = seed("igf-2013-bali-dc-internet-of-things.txt");
    assert_eq!(
        t.meta.title.as_deref(),
        Some("UPDATE: INTERNET OF THINGS 2013")
    );
    assert_eq!(
        (t.meta.year, t.meta.date.as_deref()),
        (Some(2013), Some("2013-10-24"))
    );
    assert_eq!(
        (t.meta.city.as_deref(), t.meta.country.as_deref()),
        (Some("Bali"), Some("Indonesia"))
    );
    assert_eq!(t.turns.len(), 41);
    assert_eq!(t.anonymous_turns(), 10);
    // `>> WOLFGANG KLEINWÄCHTER Ladies and gentlemen` has no colon.
    assert_eq!(t.turns[0].label.as_deref(), Some("WOLFGANG KLEINWÄCHTER"));
    assert!(
        t.turns[0].paragraphs[0]
            .text
            .starts_with("Ladies and gentlemen, welcome")
    );
    assert_eq!(count_label(&t, "WOLFGANG KLEINWACHTER"), 8);
    assert_eq!(count_label(&t, "PARTICIPANT"), 12);
    assert_eq!(count_label(&t, "AVRY DORIA."), 1);
    assert_eq!(count_label(&t, "AVRI DORIA."), 1);
    assert_eq!(omitted(&t, OmissionReason::Header), [[3, 14]]);
    assert_eq!(omitted(&t, OmissionReason::Disclaimer), [[18, 18]]);
    // **Details**, Parent Category and the page URL.
    assert_eq!(omitted(&t, OmissionReason::SiteChrome), [[258, 262]]);
    let last = t.turns.last().unwrap().paragraphs.last().unwrap();
    assert_eq!(
        (last.text.as_str(), last.stage),
        ("(end of meeting 5:32 a.m.)", Some(StageKind::End))
    );
    // "It's just an application" / "on top of the Domain Name System" is one paragraph.
    assert!(t.turns[0].paragraphs.iter().any(|p| {
        p.text
            .contains("just an application on top of the Domain Name System")
    }));
}

#[test]
fn istanbul_2014_php_warnings_and_closing_disclaimer() {
    let t = seed("igf-2014-istanbul-ws139-evaluating-governance-mechanisms.txt");
    assert_eq!(omitted(&t, OmissionReason::PhpWarning), [[1, 23]]);
    assert_eq!(t.omitted[0].text.matches("Deprecated:").count(), 12);
    assert_eq!(
        omitted(&t, OmissionReason::Disclaimer),
        [[31, 31], [157, 157]]
    );
    assert_eq!(
        t.meta.title.as_deref(),
        Some("Evaluating Mechanisms to Address Governance Issues")
    );
    assert_eq!(t.meta.date.as_deref(), Some("2014-09-03"));
    assert_eq!(t.meta.session_code.as_deref(), Some("WS139"));
    assert_eq!(t.meta.room.as_deref(), Some("Room 9"));
    assert_eq!(t.meta.city.as_deref(), Some("Istanbul"));
    assert_eq!(t.turns.len(), 45);
    assert_eq!(t.anonymous_turns(), 0);
    assert_eq!(count_label(&t, "SEBASTIAN HASELBECK"), 21);
    assert_eq!(count_label(&t, "AUDIENCE"), 10);
    let inaudible = t
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .flat_map(|p| &p.notes)
        .filter(|n| n.kind == StageKind::Inaudible)
        .count();
    assert_eq!(inaudible, 10, "ten (?) marks");
    assert_eq!(
        t.turns.last().unwrap().paragraphs.last().unwrap().stage,
        Some(StageKind::End)
    );
}

#[test]
fn guadalajara_2016_many_anonymous_turns_and_colon_slips() {
    let t = seed("igf-2016-guadalajara-cldp-pre-conference-seminar.txt");
    assert_eq!(t.meta.year, Some(2016));
    assert_eq!(t.meta.day, Some(0));
    assert_eq!(t.meta.room.as_deref(), Some("Room 10"));
    assert_eq!(t.meta.city.as_deref(), Some("Guadalajara"));
    assert!(
        t.meta
            .title
            .as_deref()
            .unwrap()
            .contains("Pre Conference Seminar for CLDP Supported Delegations")
    );
    assert_eq!(t.meta.date, None, "Day 0 is not a stated date");
    assert_eq!(t.turns.len(), 120);
    assert_eq!(t.anonymous_turns(), 60);
    // `>> MARIA FLORES:They` and `>> JOE GATTUSO" Great.`
    assert_eq!(count_label(&t, "MARIA FLORES"), 20);
    assert_eq!(count_label(&t, "JOE GATTUSO"), 11);
    // `>> The session is at 7:00.` is speech, not a label.
    assert!(
        t.turns
            .iter()
            .any(|t| t.label.is_none() && t.paragraphs[0].text == "The session is at 7:00.")
    );
}

#[test]
fn paris_2018_contact_footer_and_code_in_title() {
    let t = seed("igf-2018-paris-ws40-internet-mega-trends.txt");
    assert_eq!(omitted(&t, OmissionReason::ContactFooter), [[487, 498]]);
    assert!(
        t.omitted
            .iter()
            .any(|o| o.reason == OmissionReason::SiteChrome && o.text == "You are here")
    );
    assert_eq!(
        t.meta.title.as_deref(),
        Some("Internet Mega-Trends' Impact on the Internet’s Architecture")
    );
    assert_eq!(t.meta.session_code.as_deref(), Some("WS40"));
    assert_eq!(t.meta.room.as_deref(), Some("Salle VI"));
    assert_eq!((t.meta.day, t.meta.year), (Some(1), Some(2018)));
    assert_eq!(t.meta.city.as_deref(), Some("Paris"));
    assert_eq!(t.turns.len(), 51);
    assert_eq!(
        t.turns[0].label, None,
        "the moderator opens without a label"
    );
    assert_eq!(count_label(&t, "AUDIENCE MEMBER"), 14);
    let laughter = t
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .filter(|p| p.stage == Some(StageKind::Laughter))
        .count();
    assert_eq!(laughter, 4);
}

#[test]
fn berlin_2019_label_spellings() {
    let t = seed("igf-2019-berlin-dc-core-internet-values-part-2.txt");
    assert_eq!(
        t.meta.title.as_deref(),
        Some("DC on Core Internet Values (Part II)")
    );
    assert_eq!(t.meta.room.as_deref(), Some("Raum IV"));
    assert_eq!((t.meta.day, t.meta.year), (Some(4), Some(2019)));
    assert_eq!(t.meta.country.as_deref(), Some("Germany"));
    assert_eq!(t.turns.len(), 78);
    // U+2011 in the label is read as a hyphen.
    assert_eq!(count_label(&t, "OLIVIER CREPIN-LEBLOND"), 2);
    assert_eq!(count_label(&t, "OLIVIER CRÉPIN-LEBLOND"), 31);
}

#[test]
fn every_seed_line_is_accounted_for() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let t = parse(text.as_bytes());
        let covered = t.covered_lines();
        for (i, line) in text.lines().enumerate() {
            if !verbatim::text::normalise(line).is_empty() {
                assert!(
                    covered.contains(&(i + 1)),
                    "{}:{} lost: {line}",
                    path.display(),
                    i + 1
                );
            }
        }
    }
}
