//! Ingest examples: small inputs written for each case real captioning produces.

use super::*;

fn labels(t: &Transcript) -> Vec<Option<&str>> {
    t.turns.iter().map(|t| t.label.as_deref()).collect()
}

fn texts(turn: &Turn) -> Vec<&str> {
    turn.paragraphs.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn labels_anonymous_turns_and_text_before_the_first_label() {
    let t = parse(b"Good morning, we start now.\n\n>> AVRI DORIA: Hello.\n\n>> Thank you.\n\n>>ANA NEVES: Yes.\n");
    assert_eq!(
        labels(&t),
        [None, Some("AVRI DORIA"), None, Some("ANA NEVES")]
    );
    assert_eq!(texts(&t.turns[0]), ["Good morning, we start now."]);
    assert_eq!(texts(&t.turns[2]), ["Thank you."]);
}

#[test]
fn label_alone_on_its_line_takes_the_next_lines() {
    let t = parse(b">> MODERATOR:\nWelcome all.\n\nSecond paragraph.\n");
    assert_eq!(labels(&t), [Some("MODERATOR")]);
    assert_eq!(texts(&t.turns[0]), ["Welcome all.", "Second paragraph."]);
    assert_eq!(t.turns[0].line, 1);
}

#[test]
fn line_initial_labels_without_markers_when_that_is_the_convention() {
    let t = parse(b"THE CHAIRMAN: We begin. Note: this is on the record.\n\nMR. SMITH: Thank you, Chair.\n\nNote: a sentence is not a label.\n");
    assert_eq!(labels(&t), [Some("THE CHAIRMAN"), Some("MR. SMITH")]);
    assert_eq!(
        texts(&t.turns[1]),
        ["Thank you, Chair.", "Note: a sentence is not a label."]
    );
}

#[test]
fn upper_case_lines_are_speech_in_a_file_that_uses_markers() {
    let t = parse(b">> AVRI DORIA: Hi.\nTHE POINT IS: we agree.\n");
    assert_eq!(labels(&t), [Some("AVRI DORIA")]);
    assert_eq!(texts(&t.turns[0]), ["Hi.", "THE POINT IS: we agree."]);
}

#[test]
fn markdown_bold_labels_and_remnants() {
    let t = parse(b"**VINT CERF:** Thanks.\n\n## A heading in the middle\n\nSee [the report](http://x.org) and **this**.\n");
    assert_eq!(labels(&t), [Some("VINT CERF")]);
    assert_eq!(
        texts(&t.turns[0]),
        [
            "Thanks.",
            "A heading in the middle",
            "See the report and this."
        ]
    );
}

#[test]
fn hard_wrapped_lines_form_one_paragraph() {
    let src = ">> ALISSA COOPER: This is a line that\nwas wrapped by the captioning\nsoftware at a short width.\n\nNew paragraph here\nwith its second line.\n>> JARI ARKKO: Yes.\nAnd more.\n";
    let t = parse(src.as_bytes());
    assert_eq!(labels(&t), [Some("ALISSA COOPER"), Some("JARI ARKKO")]);
    assert_eq!(
        texts(&t.turns[0]),
        [
            "This is a line that was wrapped by the captioning software at a short width.",
            "New paragraph here with its second line."
        ]
    );
    assert_eq!(t.turns[0].paragraphs[0].lines, [1, 3]);
    assert_eq!(texts(&t.turns[1]), ["Yes. And more."]);
}

#[test]
fn long_lines_are_paragraphs_each() {
    let long = "word ".repeat(40);
    let src = format!(">> A B: {long}.\n{long}.\n{long}.\n{long}.\n{long}.\n");
    let t = parse(src.as_bytes());
    assert_eq!(t.turns[0].paragraphs.len(), 5);
}

#[test]
fn a_whole_transcript_on_one_line() {
    let t = parse(b">> AVRI DORIA: Welcome. >> PETER MAJOR: Thanks, Avri. >> Anyone else? >> AVRI DORIA: Closed. (Applause)");
    assert_eq!(
        labels(&t),
        [
            Some("AVRI DORIA"),
            Some("PETER MAJOR"),
            None,
            Some("AVRI DORIA")
        ]
    );
    assert_eq!(texts(&t.turns[1]), ["Thanks, Avri."]);
    assert_eq!(t.turns[3].paragraphs[0].notes[0].kind, StageKind::Applause);
}

#[test]
fn crlf_tabs_nbsp_runs_of_blank_lines() {
    let t = parse(">> SHANE TEWS:\tHello\u{00A0}there,  multi\u{2011}stakeholder.\r\n\r\n\r\n\r\n>> VINT CERF: Yes.\r\n".as_bytes());
    assert_eq!(texts(&t.turns[0]), ["Hello there, multi-stakeholder."]);
    assert_eq!(t.turns[1].line, 5);
}

#[test]
fn paragraphs_broken_mid_sentence_are_joined() {
    let t = parse(
        b">> A B: It's just an application\n\non top of the Domain Name System.\n\nNew thought.\n",
    );
    assert_eq!(
        texts(&t.turns[0]),
        [
            "It's just an application on top of the Domain Name System.",
            "New thought."
        ]
    );
    assert_eq!(t.turns[0].paragraphs[0].lines, [1, 3]);
}

#[test]
fn stage_notes_are_typed_inline_and_standalone() {
    let t = parse(b">> A B: A delicate balance (?) here.\n\n(Laughter).\n\n[ Applause ]\n\n(Concluded at 12:21)\n");
    let p = &t.turns[0].paragraphs;
    assert_eq!(p[0].stage, None);
    assert_eq!(p[0].notes[0].kind, StageKind::Inaudible);
    assert_eq!(&p[0].text[p[0].notes[0].start..p[0].notes[0].end], "(?)");
    assert_eq!(p[1].stage, Some(StageKind::Laughter));
    assert_eq!(p[2].stage, Some(StageKind::Applause));
    assert_eq!(p[3].stage, Some(StageKind::End));
}

#[test]
fn chrome_is_omitted_with_reasons_and_heading_read() {
    let src = "Deprecated: Function x() is deprecated in /a/b.php on line 63\nYou are here\n\nIGF 2018 - Day 1 - Salle VI- WS40 Mega-Trends\n\nThe following are the outputs of the real-time captioning taken during the Thirteenth Annual Meeting of the Internet Governance Forum (IGF) in Paris, France, from 12 to 14 November 2018. Although it is largely accurate, it should not be treated as an authoritative record.\n\n***\n\n>> MODERATOR: Welcome.\n\nContact Information\n\nUnited Nations\nCH-1211 Geneva 10\n";
    let t = parse(src.as_bytes());
    let reasons: Vec<_> = t.omitted.iter().map(|o| (o.reason, o.lines)).collect();
    assert_eq!(
        reasons,
        [
            (OmissionReason::PhpWarning, [1, 1]),
            (OmissionReason::SiteChrome, [2, 2]),
            (OmissionReason::Header, [4, 4]),
            (OmissionReason::Disclaimer, [6, 6]),
            (OmissionReason::Separator, [8, 8]),
            (OmissionReason::ContactFooter, [12, 15]),
        ]
    );
    assert_eq!(t.meta.session_code.as_deref(), Some("WS40"));
    assert_eq!(t.meta.city.as_deref(), Some("Paris"));
    assert_eq!(labels(&t), [Some("MODERATOR")]);
}

#[test]
fn a_latin_1_file_is_reported_and_its_text_kept() {
    let t = parse(b">> A B: caf\xE9 au lait\n");
    assert_eq!(t.problems.len(), 1);
    assert_eq!(texts(&t.turns[0]), ["caf\u{E9} au lait"]);
}

#[test]
fn ids_are_stable_when_a_far_away_turn_changes() {
    let a = parse(
        b">> A B: One.\n\n>> C D: Two.\n\n>> E F: Three.\n\n>> Thank you.\n\n>> Thank you.\n",
    );
    let b = parse(b">> A B: One, changed.\n\n>> X Y: Inserted.\n\n>> C D: Two.\n\n>> E F: Three.\n\n>> Thank you.\n\n>> Thank you.\n");
    let ids = |t: &Transcript| t.turns.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    let (a, b) = (ids(&a), ids(&b));
    assert_ne!(a[0], b[0]);
    assert_eq!(a[1..], b[2..]);
    assert_eq!(a[4], format!("{}-2", a[3]).as_str());
    assert_eq!(
        parse(b">> A B: One.\n").turns[0].paragraphs[0].id,
        format!("{}p1", a[0]).as_str()
    );
}

#[test]
fn empty_and_blank_inputs() {
    assert!(parse(b"").turns.is_empty());
    assert!(parse(b"\n\n   \n\t\n").turns.is_empty());
    assert_eq!(parse(b">>").turns.len(), 1);
}

/// A chair describing the captioning service is speech, not the notice: the
/// phrase "live transcription" answers the notice's first group of phrases
/// and its second at once, and one phrase may not stand for two.
#[test]
fn a_speaker_mentioning_the_live_transcription_keeps_the_line() {
    let t = parse(
        b">>CHAIR: We have stepped up remote participation this year. The\n\
          live transcriptions, they go out on our Web site and remote participants can read\n\
          along as well.\n",
    );
    assert!(
        t.omitted
            .iter()
            .all(|o| o.reason != OmissionReason::Disclaimer),
        "{:?}",
        t.omitted
    );
    assert!(
        t.turns[0].paragraphs[0]
            .text
            .contains("live transcriptions")
    );
}

/// A wiki page's revision line dates the page, not the session: it is site
/// furniture, and the programme line below it gives the date.
#[test]
fn a_wiki_revision_date_is_not_the_sessions() {
    let t = parse(
        "Closing 2019\n\nFrom EuroDIG Wiki\nRevision as of 09:12, 3 March 2024 by Editor (talk | contribs)\n\n\
         19 June 2019 | 17:00-17:30 | Main stage\n\n>> MODERATOR: Welcome back, everyone.\n"
            .as_bytes(),
    );
    assert_eq!(t.meta.date.as_deref(), Some("2019-06-19"));
    assert!(
        t.omitted
            .iter()
            .any(|o| o.reason == OmissionReason::SiteChrome && o.text.contains("\nRevision as of")),
        "{:?}",
        t.omitted
    );
}
