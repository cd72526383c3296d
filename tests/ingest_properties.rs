//! Properties of ingest over arbitrary input: it never panics and never loses a line.

use proptest::prelude::*;
use verbatim::ingest::{decode, parse, raw_lines};
use verbatim::text::normalise;

/// Fragments of real captioning, recombined at random with arbitrary text.
fn transcriptish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(">> AVRI DORIA: ".to_string()),
        Just(">>".to_string()),
        Just("> > ".to_string()),
        Just("**VINT CERF:** ".to_string()),
        Just("THE CHAIRMAN: ".to_string()),
        Just("(Laughter)".to_string()),
        Just("((inaudible))".to_string()),
        Just("[ Applause ]".to_string()),
        Just("Contact Information\n".to_string()),
        Just("IGF 2018 - Day 1 - Salle VI- WS40 Title\n".to_string()),
        Just("The following is the output of the real-time captioning. Although it is largely accurate\n".to_string()),
        Just("Deprecated: x in /a.php on line 3\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("\u{00A0}\u{2011}\t".to_string()),
        // Spaces and line separators of several bytes, before markers and labels.
        Just("\u{2028}>> ".to_string()),
        Just("\u{85}> >".to_string()),
        Just("\u{205F}\u{1680}\u{3000}".to_string()),
        Just("\r".to_string()),
        Just("[link](http://x) ## ** __".to_string()),
        "[a-zA-Z ,.:?()]{0,40}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat().into_bytes())
}

fn assert_accounted(bytes: &[u8]) {
    let t = parse(bytes);
    let covered = t.covered_lines();
    let (text, _) = decode(bytes);
    for (i, line) in raw_lines(&text).enumerate() {
        if !normalise(line).is_empty() {
            assert!(covered.contains(&(i + 1)), "line {} lost: {line:?}", i + 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_and_lose_nothing(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        assert_accounted(&bytes);
    }

    #[test]
    fn transcript_like_input_loses_nothing(bytes in transcriptish()) {
        assert_accounted(&bytes);
    }

    #[test]
    fn parsing_is_deterministic(bytes in transcriptish()) {
        prop_assert_eq!(parse(&bytes), parse(&bytes));
    }
}

/// Found by the `parse` fuzzer: YouTube's roll-up captions repeat the last
/// line of each cue as the first line of the next; the repeat is set aside
/// as `repeated-caption`, not dropped without a trace.
#[test]
fn roll_up_caption_repeats_are_accounted_for() {
    let vtt = "WEBVTT\nKind: captions\nLanguage: en\n\n\
        00:00:00.080 --> 00:00:03.830 align:start position:0%\n\
        good<00:00:00.160><c> morning</c><00:00:01.199><c> everyone</c>\n\n\
        00:00:03.830 --> 00:00:03.840 align:start position:0%\n\
        good morning everyone\n\n\
        00:00:03.840 --> 00:00:06.790 align:start position:0%\n\
        good morning everyone\n\
        the<00:00:04.000><c> minutes</c><00:00:04.160><c> are</c><00:00:04.319><c> adopted</c>\n";
    assert_accounted(vtt.as_bytes());
    let t = parse(vtt.as_bytes());
    let repeats: Vec<_> = t
        .omitted
        .iter()
        .filter(|o| o.reason.name() == "repeated-caption")
        .map(|o| o.lines[0])
        .collect();
    assert_eq!(repeats, vec![9, 12]);
    let text: Vec<&str> = t.turns[0]
        .paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(text, ["good morning everyone the minutes are adopted"]);
}
