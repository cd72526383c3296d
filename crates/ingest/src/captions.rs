//! Caption files (SubRip `.srt`, WebVTT `.vtt`) read as transcripts: cue
//! numbers, timings, settings, `NOTE` and `STYLE` blocks are set aside; cue
//! text is joined into turns (by voice tag `<v Name>`, `>>` marker or
//! `NAME:` label) and paragraphs, and each paragraph keeps the time of its
//! first cue's start and last cue's end, for media alignment.

use super::decode::Line;
use super::label;
use super::model::{
    Meta, Omission, OmissionReason, Paragraph, ParagraphId, Transcript, Turn, TurnId,
};
use super::profile::Profile;
use regex::Regex;
use std::sync::LazyLock;

/// `00:00:06,900 --> 00:00:11,666` (SRT) or `00:06.900 --> 00:11.666 line:0`
/// (WebVTT, hours optional, settings after).
static TIMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})\s*-->\s*(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[,.](\d{1,3})(?:\s.*)?$")
        .expect("valid regex")
});
/// Markup inside cue text: WebVTT's `<c.x>`, `<i>`, `<00:01.000>`, `</v>`,
/// SubRip's `<font color=…>`, and `{\an8}` positioning.
static CUE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>|\{\\[^}]*\}").expect("valid regex")
});
/// A voice tag at the start of a cue: `<v Roger Bingham>` or `<v.loud Mary>`.
static VOICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^<v(?:\.[^ >]*)?\s+([^>]+)>").expect("valid regex"));

/// A new paragraph starts after a cue that ends a sentence once the
/// paragraph has this many words, or after a silence this long.
const PARAGRAPH_WORDS: usize = 60;
const PARAGRAPH_GAP_MS: u64 = 3_000;

/// Whether `text` is a caption file: `WEBVTT` first, or a cue number
/// followed by a timing line.
pub fn is_captions(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match lines.next() {
        Some(first) if first.starts_with("WEBVTT") => true,
        Some(first) if first.chars().all(|c| c.is_ascii_digit()) => {
            lines.next().is_some_and(|l| TIMING.is_match(l))
        }
        Some(first) => TIMING.is_match(first),
        None => false,
    }
}

/// One cue: its timing, its lines of text, and the voice it names.
struct Cue<'a> {
    start: u64,
    end: u64,
    lines: Vec<&'a Line<'a>>,
}

/// Reads a caption file's decoded lines into a transcript.
pub fn parse(lines: &[Line], profile: &Profile) -> (Vec<Turn>, Vec<Omission>, Meta) {
    let mut omitted: Vec<Omission> = Vec::new();
    let mut omit = |line: &Line, reason: OmissionReason| match omitted.last_mut() {
        Some(o) if o.reason == reason && o.lines[1] + 1 >= line.number => {
            o.lines[1] = line.number;
            o.text.push('\n');
            o.text.push_str(line.raw);
        }
        _ => omitted.push(Omission {
            lines: [line.number, line.number],
            reason,
            text: line.raw.to_string(),
        }),
    };
    let mut cues: Vec<Cue> = Vec::new();
    let mut meta = Meta::default();
    // Blocks of non-blank lines.
    let mut i = 0;
    while i < lines.len() {
        if lines[i].text.is_empty() {
            i += 1;
            continue;
        }
        let end = lines[i..]
            .iter()
            .position(|l| l.text.is_empty())
            .map_or(lines.len(), |k| i + k);
        let block = &lines[i..end];
        i = end;
        let first = block[0].text.as_ref();
        if first.starts_with("WEBVTT") {
            // The header: `WEBVTT - title` and metadata lines such as `Kind:`.
            let title = first
                .trim_start_matches("WEBVTT")
                .trim_start_matches([' ', '-', '\t'])
                .trim();
            if !title.is_empty() {
                meta.title = Some(title.to_string());
            }
            block.iter().for_each(|l| omit(l, OmissionReason::Header));
            continue;
        }
        if ["NOTE", "STYLE", "REGION"]
            .iter()
            .any(|k| first == *k || first.starts_with(&format!("{k} ")))
        {
            block
                .iter()
                .for_each(|l| omit(l, OmissionReason::CueTiming));
            continue;
        }
        // The timing line: first or second (after a cue number or identifier).
        let Some(at) = block.iter().take(2).position(|l| TIMING.is_match(&l.text)) else {
            // Text with no timing: it continues the previous cue (a blank
            // line inside a cue's text), or stands alone before any cue.
            match cues.last_mut() {
                Some(cue) => cue.lines.extend(block.iter()),
                None => cues.push(Cue {
                    start: 0,
                    end: 0,
                    lines: block.iter().collect(),
                }),
            }
            continue;
        };
        block[..=at]
            .iter()
            .for_each(|l| omit(l, OmissionReason::CueTiming));
        let c = TIMING.captures(&block[at].text).expect("just matched");
        let ms = |h: Option<regex::Match>, m: &str, s: &str, f: &str| -> u64 {
            let h: u64 = h.map_or(0, |h| h.as_str().parse().unwrap_or(0));
            let fraction = format!("{f:0<3}");
            h * 3_600_000
                + m.parse::<u64>().unwrap_or(0) * 60_000
                + s.parse::<u64>().unwrap_or(0) * 1_000
                + fraction.parse::<u64>().unwrap_or(0)
        };
        cues.push(Cue {
            start: ms(c.get(1), &c[2], &c[3], &c[4]),
            end: ms(c.get(5), &c[6], &c[7], &c[8]),
            lines: block[at + 1..].iter().collect(),
        });
    }
    let (turns, repeated) = join_cues(&cues, profile);
    if !repeated.is_empty() {
        omitted.extend(repeated);
        omitted.sort_by_key(|o| o.lines[0]);
    }
    (turns, omitted, meta)
}

/// Cue text into turns and paragraphs, and the roll-up repeats set aside
/// (each is accounted for as an omission, so no line goes missing).
fn join_cues(cues: &[Cue], profile: &Profile) -> (Vec<Turn>, Vec<Omission>) {
    let mut turns: Vec<Turn> = Vec::new();
    let mut repeated: Vec<Omission> = Vec::new();
    // The last line of text kept: roll-up captions repeat it at the start
    // of the next cue.
    let mut last_text = String::new();
    let mut last_end = 0;
    for cue in cues {
        for (k, line) in cue.lines.iter().enumerate() {
            let raw = line.text.as_ref();
            let voice = VOICE.captures(raw).map(|c| c[1].trim().to_string());
            let text = verbatim_text::squeeze(&CUE_TAG.replace_all(raw, " "));
            let (label, text, starts) = if let Some(voice) = voice {
                (Some(voice), text.as_str(), true)
            } else if let Some(rest) = label::strip_marker(&text) {
                let (label, rest) = label::after_marker(rest, profile);
                (label, rest, true)
            } else if let Some((label, rest)) = label::colon_label(&text, true, profile) {
                (Some(label), rest, true)
            } else {
                (None, text.as_str(), false)
            };
            let same_voice = turns.last().is_some_and(|t| t.label == label);
            if turns.is_empty() || (starts && !(same_voice && label.is_some())) {
                turns.push(Turn {
                    id: TurnId::default(),
                    label: label.clone(),
                    line: line.number,
                    paragraphs: Vec::new(),
                });
            }
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            if k == 0 && text == last_text {
                repeated.push(Omission {
                    lines: [line.number, line.number],
                    reason: OmissionReason::RepeatedCaption,
                    text: line.raw.to_string(),
                });
                continue;
            }
            let turn = turns.last_mut().expect("a turn was just ensured");
            let new_paragraph = match turn.paragraphs.last() {
                None => true,
                Some(p) => {
                    let ended = p.text.ends_with(['.', '?', '!']);
                    let gap = cue.start.saturating_sub(last_end) >= PARAGRAPH_GAP_MS && k == 0;
                    gap || (ended
                        && k == 0
                        && verbatim_text::word_count(&p.text) >= PARAGRAPH_WORDS)
                }
            };
            if new_paragraph {
                turn.paragraphs.push(Paragraph {
                    id: ParagraphId::default(),
                    text: text.to_string(),
                    lines: [line.number, line.number],
                    stage: None,
                    notes: Vec::new(),
                    time: Some([cue.start, cue.end]),
                });
            } else if let Some(p) = turn.paragraphs.last_mut() {
                p.text.push(' ');
                p.text.push_str(text);
                p.lines[1] = line.number;
                if let Some(time) = &mut p.time {
                    time[1] = time[1].max(cue.end);
                }
            }
            last_text = text.to_string();
        }
        last_end = cue.end;
    }
    (turns, repeated)
}

/// The caption file `bytes` as a transcript (see the module's documentation).
pub fn transcript(
    lines: &[Line],
    problems: Vec<super::model::InputProblem>,
    profile: &Profile,
) -> Transcript {
    let (turns, omitted, meta) = parse(lines, profile);
    Transcript {
        meta,
        turns,
        omitted,
        problems,
    }
}
