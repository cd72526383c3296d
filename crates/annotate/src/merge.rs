//! Merging one session's layers onto its transcript, reporting every layer
//! entry that cannot be applied. Nothing an editor wrote is dropped silently:
//! each entry is applied or produces an error naming its YAML location.

use super::schema::{Confidence, MetaEntry};
use super::{Layer, Registry, quote};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use verbatim_diagnostics::{Finding, nearest};
use verbatim_edition::{self as edition, Omission, Paragraph, Session, SessionMeta, Span, Speaker};
use verbatim_ingest::{self as ingest, StageKind, StageNote, Transcript};

/// What one session's merge needs.
pub struct SessionInput<'a> {
    /// The session id (content file stem).
    pub id: &'a str,
    /// The content file, relative to the edition root.
    pub source_path: &'a Path,
    /// The content file's text, for warnings with snippets.
    pub source_text: Arc<str>,
    /// The parsed transcript.
    pub transcript: Transcript,
    /// This session's layers, in application order.
    pub layers: Vec<&'a Layer>,
}

struct WPara {
    id: String,
    text: String,
    lines: [usize; 2],
    former_ids: Vec<String>,
    /// Stage notes as ingest found them; `None` once a structure fix changed the text.
    notes: Option<Vec<StageNote>>,
    /// From a caption file's cues (milliseconds), when known.
    time: Option<[u64; 2]>,
}

struct WTurn {
    id: String,
    label: Option<String>,
    line: usize,
    paragraphs: Vec<WPara>,
}

/// A correction or note resolved to a place in a paragraph.
struct Anchor<'a> {
    turn: usize,
    para: usize,
    start: usize,
    end: usize,
    layer: &'a Layer,
    line: u64,
    /// Position in application order (layer files, then entries).
    order: usize,
}

/// Merges `input.layers` onto the transcript, pushing findings for anything
/// that cannot be applied, and returns the edition session.
pub fn merge_session(
    input: SessionInput<'_>,
    registry: &Registry,
    findings: &mut Vec<Finding>,
) -> Session {
    let SessionInput {
        id,
        source_path,
        source_text,
        transcript,
        layers,
    } = input;
    let mut turns: Vec<WTurn> = transcript
        .turns
        .into_iter()
        .map(|t| WTurn {
            id: t.id,
            label: t.label,
            line: t.line,
            paragraphs: t
                .paragraphs
                .into_iter()
                .map(|p| WPara {
                    id: p.id,
                    text: p.text,
                    lines: p.lines,
                    former_ids: Vec::new(),
                    notes: Some(p.notes),
                    time: p.time,
                })
                .collect(),
        })
        .collect();
    let mut omitted: Vec<Omission> = transcript
        .omitted
        .into_iter()
        .map(|o| Omission {
            lines: o.lines,
            reason: o.reason.name().to_string(),
            text: o.text,
            note: None,
        })
        .collect();

    // 1. Structure: it changes paragraphs, so quotes anchor on its result.
    for layer in &layers {
        for entry in &layer.file.structure {
            apply_structure(layer, entry, &mut turns, &mut omitted, findings);
        }
    }

    let index = ParagraphIndex::new(&turns);
    let quotes = QuoteHits::find(
        &turns,
        layers.iter().flat_map(|l| {
            l.file
                .corrections
                .iter()
                .map(|c| c.find.value.as_str())
                .chain(l.file.notes.iter().map(|n| n.quote.value.as_str()))
                .chain(
                    l.file
                        .attributions
                        .iter()
                        .filter_map(|a| a.quote.as_ref().map(|q| q.value.as_str())),
                )
        }),
    );

    // 2. Corrections and notes, anchored by quote.
    let mut corrections: Vec<(Anchor, &super::schema::CorrectionEntry)> = Vec::new();
    let mut notes: Vec<(Anchor, &super::schema::NoteEntry)> = Vec::new();
    for layer in &layers {
        for c in &layer.file.corrections {
            if let Some(Err(why)) = c
                .date
                .as_ref()
                .map(|d| verbatim_text::calendar::parse_iso(&d.value))
            {
                findings.push(
                    layer
                        .error_at(c.date.as_ref().expect("just matched"), why)
                        .help("write the day of the correction as YYYY-MM-DD, e.g. 2019-11-29"),
                );
            }
            if let Some(mut a) = resolve_quote(
                layer,
                &c.find,
                c.turn.as_ref(),
                c.occurrence.as_ref(),
                &turns,
                &index,
                &quotes,
                "correction",
                findings,
            ) {
                a.order = corrections.len();
                corrections.push((a, c));
            }
        }
        for n in &layer.file.notes {
            if let Some(a) = resolve_quote(
                layer,
                &n.quote,
                n.turn.as_ref(),
                n.occurrence.as_ref(),
                &turns,
                &index,
                &quotes,
                "note",
                findings,
            ) {
                notes.push((a, n));
            }
        }
    }
    corrections.sort_by_key(|(a, _)| (a.turn, a.para, a.start, a.end));
    // Of two overlapping corrections, the one written later is the one reported.
    let mut kept: Vec<(Anchor, &super::schema::CorrectionEntry)> =
        Vec::with_capacity(corrections.len());
    for (a, c) in corrections {
        if let Some((prev, prev_c)) = kept.last()
            && prev.turn == a.turn
            && prev.para == a.para
            && a.start < prev.end
        {
            let (blamed, blamed_c, other) = if a.order > prev.order {
                (&a, c, prev)
            } else {
                (prev, *prev_c, &a)
            };
            findings.push(
                blamed
                    .layer
                    .error_at(
                        &blamed_c.find,
                        format!(
                            "this correction overlaps another one on the same text ({}:{})",
                            other.layer.path.display(),
                            other.line
                        ),
                    )
                    .help("two corrections may not change the same text: merge them into one"),
            );
            if a.order < prev.order {
                kept.pop();
                kept.push((a, c));
            }
            continue;
        }
        kept.push((a, c));
    }

    // 3. Speakers and attributions.
    let speakers = resolve_speakers(&layers, &turns, registry, findings);
    let attributions = resolve_attributions(
        &layers, &turns, &index, &quotes, registry, &speakers, findings,
    );

    // 4. Metadata.
    let meta = merge_meta(&layers, transcript.meta, findings);

    // Assemble paragraphs with their spans.
    let mut note_number = 0;
    notes.sort_by_key(|(a, _)| (a.turn, a.para, a.end));
    let mut out_turns = Vec::with_capacity(turns.len());
    let mut ci = kept.iter().peekable();
    let mut ni = notes.iter().peekable();
    for (ti, turn) in turns.into_iter().enumerate() {
        let speaker = match attributions.get(&ti) {
            Some(s) => s.clone(),
            None => speaker_for(turn.label.as_deref(), &speakers, registry),
        };
        let mut paragraphs = Vec::with_capacity(turn.paragraphs.len());
        for (pi, p) in turn.paragraphs.into_iter().enumerate() {
            let mut pc = Vec::new();
            while let Some((a, c)) = ci.peek() {
                if (a.turn, a.para) != (ti, pi) {
                    break;
                }
                pc.push((a.start, a.end, *c));
                ci.next();
            }
            let mut pn = Vec::new();
            while let Some((a, n)) = ni.peek() {
                if (a.turn, a.para) != (ti, pi) {
                    break;
                }
                note_number += 1;
                pn.push((a.end, note_number, n.text.clone()));
                ni.next();
            }
            paragraphs.push(build_paragraph(p, &pc, &pn));
        }
        out_turns.push(edition::Turn {
            id: turn.id,
            label: turn.label,
            line: turn.line,
            speaker,
            paragraphs,
        });
    }
    omitted.sort_by_key(|o| o.lines);

    let session = Session {
        id: id.to_string(),
        source: source_path.to_path_buf(),
        meta,
        turns: out_turns,
        omitted,
    };
    warn_open_questions(&session, source_path, &source_text, registry, findings);
    session
}

/// Where every quote of the session's layers occurs: `(turn, paragraph, byte
/// offset)` per quote, in text order. Occurrences of one quote do not overlap
/// each other (as `str::match_indices`); different quotes may overlap.
struct QuoteHits {
    hits: HashMap<String, Vec<(usize, usize, usize)>>,
}

/// Up to this many distinct quotes (a session's usual few dozen), each is
/// looked for with a SIMD substring search; beyond it (a layer of 20,000
/// corrections), all are found in one Aho-Corasick pass over the text, so
/// the cost stays one scan. Per quote is cheaper when they are few: the
/// automaton steps through every byte, which a session of few corrections
/// does not need (BENCHMARKS.md).
const FEW_QUOTES: usize = 48;

impl QuoteHits {
    fn find<'q>(turns: &[WTurn], quotes: impl Iterator<Item = &'q str>) -> QuoteHits {
        let mut patterns: Vec<&str> = quotes.filter(|q| !q.trim().is_empty()).collect();
        patterns.sort_unstable();
        patterns.dedup();
        let paragraphs: Vec<(usize, usize, &str)> = turns
            .iter()
            .enumerate()
            .flat_map(|(ti, t)| {
                t.paragraphs
                    .iter()
                    .enumerate()
                    .map(move |(pi, p)| (ti, pi, p.text.as_str()))
            })
            .collect();
        QuoteHits {
            hits: search(&paragraphs, &patterns, FEW_QUOTES),
        }
    }

    fn hits(&self, quote: &str) -> &[(usize, usize, usize)] {
        self.hits.get(quote).map_or(&[], Vec::as_slice)
    }
}

/// Every occurrence of each (distinct, sorted) pattern in `paragraphs`
/// (`(turn, paragraph, text)`): per pattern when there are at most `few`,
/// else in one Aho-Corasick pass. Both give the same hits.
fn search(
    paragraphs: &[(usize, usize, &str)],
    patterns: &[&str],
    few: usize,
) -> HashMap<String, Vec<(usize, usize, usize)>> {
    let mut hits: HashMap<String, Vec<(usize, usize, usize)>> = HashMap::new();
    if patterns.len() <= few {
        // The session's text as one string, paragraphs joined by a line
        // break: one search per quote instead of one per quote and paragraph
        // (whose set-up cost more than the searching). A quote without a line
        // break cannot match across paragraphs, so each hit lies in one;
        // a quote with one is looked for paragraph by paragraph, as is all
        // text when a paragraph holds a line break itself. Nothing is joined
        // when no quote would look there (a session without annotations).
        let joinable = patterns.iter().any(|p| !p.contains('\n'))
            && !paragraphs.iter().any(|p| p.2.contains('\n'));
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(paragraphs.len());
        if joinable {
            for &(_, _, text) in paragraphs {
                starts.push(joined.len());
                joined.push_str(text);
                joined.push('\n');
            }
        }
        for pattern in patterns {
            let finder = memchr::memmem::Finder::new(pattern.as_bytes());
            let list: Vec<(usize, usize, usize)> = if joinable && !pattern.contains('\n') {
                finder
                    .find_iter(joined.as_bytes())
                    .map(|at| {
                        let k = starts.partition_point(|&s| s <= at) - 1;
                        (paragraphs[k].0, paragraphs[k].1, at - starts[k])
                    })
                    .collect()
            } else {
                paragraphs
                    .iter()
                    .flat_map(|&(ti, pi, text)| {
                        finder
                            .find_iter(text.as_bytes())
                            .map(move |start| (ti, pi, start))
                    })
                    .collect()
            };
            if !list.is_empty() {
                hits.insert(pattern.to_string(), list);
            }
        }
        return hits;
    }
    // A contiguous NFA: cheaper to build than a DFA, which does not pay off
    // on one session's text.
    let Ok(automaton) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(patterns)
    else {
        return hits;
    };
    for &(ti, pi, text) in paragraphs {
        for m in automaton.find_overlapping_iter(text) {
            let pattern = patterns[m.pattern().as_usize()];
            let list = hits.entry(pattern.to_string()).or_default();
            if let Some(&(lt, lp, ls)) = list.last()
                && (lt, lp) == (ti, pi)
                && m.start() < ls + pattern.len()
            {
                continue;
            }
            list.push((ti, pi, m.start()));
        }
    }
    for list in hits.values_mut() {
        list.sort_unstable();
    }
    hits
}

/// Paragraph and turn ids → positions, built once so lookups stay constant-time.
struct ParagraphIndex {
    turns: HashMap<String, usize, rustc_hash::FxBuildHasher>,
    paragraphs: HashMap<String, (usize, usize), rustc_hash::FxBuildHasher>,
}

impl ParagraphIndex {
    fn new(turns: &[WTurn]) -> Self {
        // Ids are the build's own, not an attacker's: Fx instead of SipHash (57k
        // inserts per 200 sessions showed in the profile).
        let paragraphs = turns.iter().map(|t| t.paragraphs.len()).sum();
        let mut idx = ParagraphIndex {
            turns: HashMap::with_capacity_and_hasher(turns.len(), Default::default()),
            paragraphs: HashMap::with_capacity_and_hasher(paragraphs, Default::default()),
        };
        for (ti, t) in turns.iter().enumerate() {
            idx.turns.insert(t.id.clone(), ti);
            for (pi, p) in t.paragraphs.iter().enumerate() {
                idx.paragraphs.insert(p.id.clone(), (ti, pi));
            }
        }
        idx
    }

    /// The paragraphs an id names: all of a turn's, or one.
    fn scope(&self, turns: &[WTurn], id: &str) -> Option<Vec<(usize, usize)>> {
        if let Some(&ti) = self.turns.get(id) {
            return Some((0..turns[ti].paragraphs.len()).map(|pi| (ti, pi)).collect());
        }
        self.paragraphs.get(id).map(|&p| vec![p])
    }

    fn unknown(&self, layer: &Layer, at: &Spanned<String>) -> Finding {
        let near = nearest(
            &at.value,
            self.turns
                .keys()
                .chain(self.paragraphs.keys())
                .map(String::as_str),
        );
        let f = layer.error_at(
            at,
            format!("no turn or paragraph `{}` in this session", at.value),
        );
        match near.first() {
            Some(n) => f.help(format!(
                "did you mean `{n}`? `verbatim parse FILE` lists the ids"
            )),
            None => f.help("`verbatim parse FILE` lists the session's turn and paragraph ids"),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve_quote<'a>(
    layer: &'a Layer,
    find: &Spanned<String>,
    turn: Option<&Spanned<String>>,
    occurrence: Option<&Spanned<usize>>,
    turns: &[WTurn],
    index: &ParagraphIndex,
    quotes: &QuoteHits,
    what: &str,
    findings: &mut Vec<Finding>,
) -> Option<Anchor<'a>> {
    let quote_text = find.value.as_str();
    if quote_text.trim().is_empty() {
        findings.push(
            layer
                .error_at(find, format!("the {what}'s quote is empty"))
                .help("quote the text as captioned"),
        );
        return None;
    }
    // A turn or paragraph id narrows the search; otherwise the whole session.
    let scope: Option<Vec<(usize, usize)>> = match turn {
        Some(t) => match index.scope(turns, &t.value) {
            Some(s) => Some(s),
            None => {
                findings.push(index.unknown(layer, t));
                return None;
            }
        },
        None => None,
    };
    let hits: Vec<(usize, usize, usize)> = quotes
        .hits(quote_text)
        .iter()
        .copied()
        .filter(|&(ti, pi, _)| scope.as_ref().is_none_or(|s| s.contains(&(ti, pi))))
        .collect();
    let scope: Vec<(usize, usize)> = scope.unwrap_or_else(|| {
        if hits.is_empty() {
            // Only needed to suggest the closest text.
            turns
                .iter()
                .enumerate()
                .flat_map(|(ti, t)| (0..t.paragraphs.len()).map(move |pi| (ti, pi)))
                .collect()
        } else {
            Vec::new()
        }
    });
    let place = |&(ti, pi, _): &(usize, usize, usize)| {
        let p = &turns[ti].paragraphs[pi];
        format!("`{}` (line {})", p.id, p.lines[0])
    };
    let chosen = match (hits.len(), occurrence) {
        (0, _) => {
            let texts = scope.iter().map(|&(ti, pi)| {
                let p = &turns[ti].paragraphs[pi];
                (p.id.as_str(), p.text.as_str())
            });
            let mut f = layer.error_at(
                find,
                format!("the {what}'s quote `{quote_text}` is not in the session"),
            );
            f = match quote::closest(quote_text, texts) {
                Some((pid, passage)) => f.help(format!("the closest text is `{passage}` in `{pid}`; quote the text exactly as captioned")),
                None => f.help("quote the text exactly as captioned (`verbatim parse FILE` shows it)"),
            };
            findings.push(f);
            return None;
        }
        (n, Some(occ)) => {
            if occ.value == 0 || occ.value > n {
                findings.push(
                    layer
                        .error_at(
                            occ,
                            format!(
                                "occurrence {} asked for, but the quote occurs {n} time{}",
                                occ.value,
                                if n == 1 { "" } else { "s" }
                            ),
                        )
                        .help(format!("use an occurrence from 1 to {n}")),
                );
                return None;
            }
            hits[occ.value - 1]
        }
        (1, None) => hits[0],
        (n, None) => {
            // Each paragraph once, with how often the quote occurs in it.
            let mut places: Vec<(String, usize)> = Vec::new();
            for hit in &hits {
                let here = place(hit);
                match places.last_mut() {
                    Some((last, count)) if *last == here => *count += 1,
                    _ => places.push((here, 1)),
                }
            }
            let shown: Vec<String> = places
                .iter()
                .take(8)
                .map(|(p, k)| {
                    if *k == 1 {
                        p.clone()
                    } else {
                        format!("{p} ×{k}")
                    }
                })
                .collect();
            let more = if places.len() > 8 { ", …" } else { "" };
            let first = &turns[hits[0].0].paragraphs[hits[0].1].id;
            // Narrowing to a turn helps only where the quote is not already
            // narrowed to one paragraph that holds it several times.
            let help = if turn.is_some() || places.len() == 1 {
                format!("add `occurrence: N` (1 to {n}), or quote more context")
            } else {
                format!(
                    "add `turn: {first}` (a turn or paragraph id), `occurrence: N`, or quote more context"
                )
            };
            let within = turn.map_or(String::new(), |t| format!(" within `{}`", t.value));
            findings.push(
                layer
                    .error_at(
                        find,
                        format!(
                            "the {what}'s quote `{quote_text}` occurs {n} times{within}: {}{more}",
                            shown.join(", ")
                        ),
                    )
                    .help(help),
            );
            return None;
        }
    };
    let (ti, pi, start) = chosen;
    Some(Anchor {
        turn: ti,
        para: pi,
        start,
        end: start + quote_text.len(),
        layer,
        line: find.referenced.line(),
        order: 0,
    })
}

fn apply_structure(
    layer: &Layer,
    entry: &super::schema::StructureEntry,
    turns: &mut Vec<WTurn>,
    omitted: &mut Vec<Omission>,
    findings: &mut Vec<Finding>,
) {
    let given = [
        entry.join.is_some(),
        entry.split.is_some(),
        entry.omit.is_some(),
        entry.restore.is_some(),
    ];
    let count = given.iter().filter(|g| **g).count();
    let locate = |turns: &[WTurn], id: &Spanned<String>| -> Option<(usize, usize)> {
        turns.iter().enumerate().find_map(|(ti, t)| {
            t.paragraphs
                .iter()
                .position(|p| p.id == id.value)
                .map(|pi| (ti, pi))
        })
    };
    let not_found = |id: &Spanned<String>| {
        layer.error_at(id, format!("no paragraph `{}` in this session", id.value))
            .help("structure fixes name a paragraph id such as `t4k2m3xp2`; `verbatim parse FILE` lists them")
    };
    if count != 1 {
        let at = entry
            .join
            .as_ref()
            .or(entry.split.as_ref())
            .or(entry.omit.as_ref());
        let msg = "a structure entry needs exactly one of `join`, `split`, `omit`, `restore`";
        findings.push(match at {
            Some(at) => layer.error_at(at, msg),
            None => match &entry.restore {
                Some(r) => layer.error_at(r, msg),
                None => Finding::error(&layer.path, 1, 1, msg).with_source(&layer.source),
            },
        });
        return;
    }
    if let Some(id) = &entry.join {
        let Some((ti, pi)) = locate(turns, id) else {
            return findings.push(not_found(id));
        };
        if pi + 1 >= turns[ti].paragraphs.len() {
            return findings.push(layer.error_at(
                id,
                format!(
                    "paragraph `{}` is the last of its turn; there is nothing to join it with",
                    id.value
                ),
            ));
        }
        let next = turns[ti].paragraphs.remove(pi + 1);
        let p = &mut turns[ti].paragraphs[pi];
        p.text.push(' ');
        p.text.push_str(&next.text);
        p.lines[1] = next.lines[1];
        p.time = match (p.time, next.time) {
            (Some([start, _]), Some([_, end])) => Some([start, end]),
            (time, None) | (None, time) => time,
        };
        p.former_ids.push(next.id);
        p.former_ids.extend(next.former_ids);
        p.notes = None;
    } else if let Some(id) = &entry.split {
        let Some((ti, pi)) = locate(turns, id) else {
            return findings.push(not_found(id));
        };
        let Some(before) = &entry.before else {
            return findings.push(layer.error_at(
                id,
                "`split` needs `before:`, the text that starts the new paragraph",
            ));
        };
        let text = &turns[ti].paragraphs[pi].text;
        let hits = quote::occurrences(text, &before.value);
        match hits.as_slice() {
            [at] if *at > 0 => {
                // `<id>s1`, or the next number free in the turn: splitting
                // the same paragraph again must not repeat an id.
                let taken = |candidate: &str| {
                    turns[ti]
                        .paragraphs
                        .iter()
                        .any(|q| q.id == candidate || q.former_ids.iter().any(|f| f == candidate))
                };
                let base = &turns[ti].paragraphs[pi].id;
                let new_id = (1..)
                    .map(|n| format!("{base}s{n}"))
                    .find(|c| !taken(c))
                    .expect("some number is free");
                let p = &mut turns[ti].paragraphs[pi];
                let rest = p.text[*at..].trim().to_string();
                p.text = p.text[..*at].trim_end().to_string();
                p.notes = None;
                let new = WPara {
                    id: new_id,
                    text: rest,
                    lines: p.lines,
                    former_ids: Vec::new(),
                    notes: None,
                    time: p.time,
                };
                turns[ti].paragraphs.insert(pi + 1, new);
            }
            [_] => findings.push(layer.error_at(
                before,
                "the paragraph already starts here; nothing to split",
            )),
            [] => findings.push(layer.error_at(
                before,
                format!("`{}` is not in paragraph `{}`", before.value, id.value),
            )),
            many => findings.push(
                layer
                    .error_at(
                        before,
                        format!(
                            "`{}` occurs {} times in paragraph `{}`",
                            before.value,
                            many.len(),
                            id.value
                        ),
                    )
                    .help("quote more words so the split point is unique"),
            ),
        }
    } else if let Some(id) = &entry.omit {
        let Some((ti, pi)) = locate(turns, id) else {
            return findings.push(not_found(id));
        };
        let p = turns[ti].paragraphs.remove(pi);
        omitted.push(Omission {
            lines: p.lines,
            reason: "editor".into(),
            text: p.text,
            note: entry.reason.clone(),
        });
    } else if let Some(line) = &entry.restore {
        let Some(oi) = omitted
            .iter()
            .position(|o| (o.lines[0]..=o.lines[1]).contains(&line.value))
        else {
            return findings.push(layer.error_at(line, format!("input line {} is not omitted", line.value)).help("`restore` takes the number of a line listed under `omitted` by `verbatim parse`"));
        };
        let o = omitted.remove(oi);
        let text = verbatim_text::squeeze(
            &o.text
                .lines()
                .map(verbatim_text::normalise)
                .collect::<Vec<_>>()
                .join(" "),
        );
        let ti = turns.iter().rposition(|t| t.line <= o.lines[0]);
        let ti = match ti {
            Some(ti) => ti,
            None => {
                turns.insert(
                    0,
                    WTurn {
                        id: format!("r{}", o.lines[0]),
                        label: None,
                        line: o.lines[0],
                        paragraphs: Vec::new(),
                    },
                );
                0
            }
        };
        let t = &mut turns[ti];
        let pos = t
            .paragraphs
            .iter()
            .position(|p| p.lines[0] > o.lines[0])
            .unwrap_or(t.paragraphs.len());
        t.paragraphs.insert(
            pos,
            WPara {
                id: format!("{}r{}", t.id, o.lines[0]),
                text,
                lines: o.lines,
                former_ids: Vec::new(),
                notes: None,
                time: None,
            },
        );
    }
}

/// Session speaker map: label → person id, or `None` for a generic role.
type SpeakerMap = HashMap<String, Option<String>>;

fn resolve_speakers(
    layers: &[&Layer],
    turns: &[WTurn],
    registry: &Registry,
    findings: &mut Vec<Finding>,
) -> SpeakerMap {
    let labels: BTreeMap<&str, usize> = turns
        .iter()
        .filter_map(|t| t.label.as_deref().map(|l| (l, t.line)))
        .collect();
    let mut map = SpeakerMap::new();
    let mut seen: HashMap<String, (std::path::PathBuf, u64)> = HashMap::new();
    for layer in layers {
        for s in &layer.file.speakers {
            let label = verbatim_text::normalise(&s.label.value).into_owned();
            if let Some((file, line)) = seen.get(&label) {
                findings.push(
                    layer
                        .error_at(
                            &s.label,
                            format!(
                                "label `{label}` is mapped twice (also at {}:{line})",
                                file.display()
                            ),
                        )
                        .help("keep one mapping per label"),
                );
                continue;
            }
            if !labels.contains_key(label.as_str()) {
                let near = nearest(&label, labels.keys().copied());
                let f = layer.error_at(
                    &s.label,
                    format!("label `{label}` does not occur in this session"),
                );
                findings.push(match near.first() {
                    Some(n) => f.help(format!(
                        "labels are matched exactly as captioned; did you mean `{n}`?"
                    )),
                    None => f.help(
                        "labels are matched exactly as captioned; `verbatim parse FILE` lists them",
                    ),
                });
                continue;
            }
            let target = match (&s.person, s.generic) {
                (Some(p), false) => {
                    if !registry.people.contains_key(&p.value) {
                        findings.push(registry.unknown_person(layer, p));
                        continue;
                    }
                    Some(p.value.clone())
                }
                (None, true) => None,
                _ => {
                    findings.push(layer.error_at(
                        &s.label,
                        "a speaker entry needs either `person:` or `generic: true`",
                    ));
                    continue;
                }
            };
            seen.insert(
                label.clone(),
                (layer.path.clone(), s.label.referenced.line()),
            );
            map.insert(label, target);
        }
    }
    map
}

fn speaker_for(label: Option<&str>, speakers: &SpeakerMap, registry: &Registry) -> Speaker {
    let Some(label) = label else {
        return Speaker::Anonymous;
    };
    match speakers.get(label) {
        Some(Some(person)) => Speaker::Person {
            person: person.clone(),
        },
        Some(None) => Speaker::Generic {
            label: label.to_string(),
        },
        None => match registry.aliases.get(label) {
            Some(person) => Speaker::Person {
                person: person.clone(),
            },
            None => Speaker::Unidentified {
                label: label.to_string(),
            },
        },
    }
}

fn resolve_attributions(
    layers: &[&Layer],
    turns: &[WTurn],
    index: &ParagraphIndex,
    quotes: &QuoteHits,
    registry: &Registry,
    speakers: &SpeakerMap,
    findings: &mut Vec<Finding>,
) -> HashMap<usize, Speaker> {
    let mut out: HashMap<usize, Speaker> = HashMap::new();
    let mut lines: HashMap<usize, (std::path::PathBuf, u64)> = HashMap::new();
    for layer in layers {
        for a in &layer.file.attributions {
            if !registry.people.contains_key(&a.person.value) {
                findings.push(registry.unknown_person(layer, &a.person));
                continue;
            }
            let ti = match (&a.turn, &a.quote) {
                (Some(t), None) => match index.turns.get(&t.value) {
                    Some(&ti) => ti,
                    None => {
                        findings.push(index.unknown(layer, t));
                        continue;
                    }
                },
                (None, Some(q)) => {
                    // The turns the quote occurs in, from the one search for
                    // every quote of the session (hits are in text order).
                    let mut hits: Vec<usize> = quotes.hits(&q.value).iter().map(|h| h.0).collect();
                    hits.dedup();
                    match hits.as_slice() {
                        [ti] => *ti,
                        [] => {
                            findings.push(
                                layer
                                    .error_at(q, format!("no turn contains `{}`", q.value))
                                    .help("quote the text exactly as captioned"),
                            );
                            continue;
                        }
                        many => {
                            let ids: Vec<&str> =
                                many.iter().map(|&ti| turns[ti].id.as_str()).collect();
                            findings.push(
                                layer
                                    .error_at(
                                        q,
                                        format!(
                                            "{} turns contain `{}`: {}",
                                            many.len(),
                                            q.value,
                                            ids.join(", ")
                                        ),
                                    )
                                    .help("use `turn:` with one of these ids"),
                            );
                            continue;
                        }
                    }
                }
                _ => {
                    let msg = "an attribution needs exactly one of `turn:` or `quote:`";
                    findings.push(match a.turn.as_ref().or(a.quote.as_ref()) {
                        Some(at) => layer.error_at(at, msg),
                        None => layer.error_at(&a.person, msg),
                    });
                    continue;
                }
            };
            let at_line = a.person.referenced.line();
            if let Some((file, line)) = lines.get(&ti) {
                findings.push(
                    layer
                        .error_at(
                            &a.person,
                            format!(
                                "turn `{}` is attributed twice (also at {}:{line})",
                                turns[ti].id,
                                file.display()
                            ),
                        )
                        .help("keep one attribution per turn"),
                );
                continue;
            }
            // An attribution may also overrule a captioner's wrong label; one that
            // repeats what the label already says is only noise.
            if let Speaker::Person { person } =
                speaker_for(turns[ti].label.as_deref(), speakers, registry)
                && person == a.person.value
            {
                findings.push(
                    layer
                        .warning_at(
                            &a.person,
                            format!(
                                "turn `{}` is already identified as `{person}` by its label",
                                turns[ti].id
                            ),
                        )
                        .help("remove this attribution; the label mapping suffices"),
                );
            }
            lines.insert(ti, (layer.path.clone(), at_line));
            let confidence: Confidence = a.confidence;
            out.insert(
                ti,
                Speaker::Attributed {
                    person: a.person.value.clone(),
                    evidence: a.evidence.clone(),
                    confidence,
                },
            );
        }
    }
    out
}

fn merge_meta(layers: &[&Layer], m: ingest::Meta, findings: &mut Vec<Finding>) -> SessionMeta {
    let mut meta = SessionMeta {
        fields: m,
        tags: Vec::new(),
    };
    let mut set_by: HashMap<&'static str, std::path::PathBuf> = HashMap::new();
    for layer in layers {
        let Some(e) = &layer.file.meta else { continue };
        let MetaEntry {
            title,
            date,
            event,
            year,
            city,
            country,
            room,
            session_code,
            tags,
            note: _,
        } = e;
        let mut set = |field: &'static str,
                       slot: &mut Option<String>,
                       value: &Option<String>,
                       findings: &mut Vec<Finding>| {
            if let Some(v) = value {
                if let Some(other) = set_by.get(field)
                    && slot.as_ref() != Some(v)
                {
                    findings.push(
                        Finding::error(
                            &layer.path,
                            1,
                            1,
                            format!("meta `{field}` is also set by {}", other.display()),
                        )
                        .with_source(&layer.source)
                        .help("set each metadata field in one file only"),
                    );
                    return;
                }
                set_by.insert(field, layer.path.clone());
                *slot = Some(v.clone());
            }
        };
        set("title", &mut meta.title, title, findings);
        set("event", &mut meta.event, event, findings);
        set("city", &mut meta.city, city, findings);
        set("country", &mut meta.country, country, findings);
        set("room", &mut meta.room, room, findings);
        set(
            "session_code",
            &mut meta.session_code,
            session_code,
            findings,
        );
        if let Some(d) = date {
            match verbatim_text::calendar::parse_iso(&d.value) {
                Ok(day) => {
                    set("date", &mut meta.date, &Some(d.value.clone()), findings);
                    meta.year = Some(i32::from(day.year()));
                }
                Err(why) => findings.push(
                    layer
                        .error_at(d, why)
                        .help("write dates as YYYY-MM-DD, e.g. 2019-11-29"),
                ),
            }
        }
        if let Some(y) = year {
            meta.year = Some(*y);
        }
        for t in tags {
            if !meta.tags.contains(t) {
                meta.tags.push(t.clone());
            }
        }
    }
    meta
}

/// Builds a paragraph's spans from its text, corrections `(start, end, entry)`
/// and note markers `(offset, number, text)`; stage notes come from the text.
fn build_paragraph(
    p: WPara,
    corrections: &[(usize, usize, &super::schema::CorrectionEntry)],
    notes: &[(usize, usize, String)],
) -> Paragraph {
    // Ingest already found the stage notes, unless a structure fix changed the text.
    let stage_notes: Vec<StageNote> = match p.notes {
        Some(notes) => notes,
        None => ingest::find_stage_notes(&p.text),
    };
    let stage = ingest::whole_paragraph_stage(&p.text, &stage_notes);
    // Pieces that are not plain text, in order; stage notes give way to corrections.
    let mut pieces: Vec<(
        usize,
        usize,
        Option<&super::schema::CorrectionEntry>,
        Option<StageKind>,
    )> = corrections
        .iter()
        .map(|(s, e, c)| (*s, *e, Some(*c), None))
        .collect();
    for n in &stage_notes {
        if !corrections
            .iter()
            .any(|(s, e, _)| n.start < *e && *s < n.end)
        {
            pieces.push((n.start, n.end, None, Some(n.kind)));
        }
    }
    pieces.sort_by_key(|p| p.0);
    let mut spans = Vec::new();
    let mut markers = notes.iter().peekable();
    let mut pos = 0;
    let text = &p.text;
    let push_text =
        |spans: &mut Vec<Span>,
         from: usize,
         to: usize,
         markers: &mut std::iter::Peekable<std::slice::Iter<(usize, usize, String)>>| {
            let mut from = from;
            while let Some((off, number, note)) = markers.peek() {
                if *off > to {
                    break;
                }
                if *off > from {
                    spans.push(Span::Text {
                        text: text[from..*off].to_string(),
                    });
                    from = *off;
                }
                spans.push(Span::Note {
                    number: *number,
                    text: note.clone(),
                });
                markers.next();
            }
            if to > from {
                spans.push(Span::Text {
                    text: text[from..to].to_string(),
                });
            }
        };
    for (start, end, correction, kind) in pieces {
        push_text(&mut spans, pos, start, &mut markers);
        match (correction, kind) {
            (Some(c), _) => spans.push(Span::Correction {
                original: text[start..end].to_string(),
                text: c.replace.clone(),
                note: c.note.clone(),
                by: c.by.clone(),
                date: c.date.as_ref().map(|d| d.value.clone()),
            }),
            (None, Some(kind)) => spans.push(Span::Stage {
                kind,
                text: text[start..end].to_string(),
            }),
            (None, None) => {}
        }
        // Markers that fall inside this piece go right after it.
        while let Some((off, number, note)) = markers.peek() {
            if *off > end {
                break;
            }
            spans.push(Span::Note {
                number: *number,
                text: note.clone(),
            });
            markers.next();
        }
        pos = end;
    }
    push_text(&mut spans, pos, text.len(), &mut markers);
    let corrected: String = spans
        .iter()
        .map(|s| match s {
            Span::Text { text } | Span::Stage { text, .. } | Span::Correction { text, .. } => {
                text.as_str()
            }
            Span::Note { .. } => "",
        })
        .collect();
    Paragraph {
        id: p.id,
        original: p.text,
        text: corrected,
        lines: p.lines,
        stage,
        spans,
        former_ids: p.former_ids,
        time: p.time,
    }
}

/// Warnings about what the editors have not done yet.
fn warn_open_questions(
    session: &Session,
    path: &Path,
    source: &Arc<str>,
    registry: &Registry,
    findings: &mut Vec<Finding>,
) {
    let mut unmapped: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut anonymous = Vec::new();
    for t in &session.turns {
        match &t.speaker {
            Speaker::Unidentified { label } => {
                let e = unmapped.entry(label.as_str()).or_insert((t.line, 0));
                e.1 += 1;
            }
            Speaker::Anonymous => anonymous.push(t),
            _ => {}
        }
    }
    let mut by_line: Vec<(&str, (usize, usize))> = unmapped.into_iter().collect();
    by_line.sort_by_key(|(_, (line, _))| *line);
    for (label, (line, count)) in by_line {
        let suggestions = registry.suggest_for_label(label);
        let f = Finding::warning(
            path,
            line as u64,
            1,
            format!(
                "label `{label}` ({count} turn{}) is not mapped to a person",
                if count == 1 { "" } else { "s" }
            ),
        )
        .with_source(source);
        findings.push(match suggestions.as_slice() {
            [] => f.help("add it to a person's `aliases:` in annotations/people.yaml, map it under this session's `speakers:`, or mark it `generic: true`"),
            people => f.help(format!(
                "did you mean {}? Add `{label}` to their `aliases:`, or map it under `speakers:`",
                people.iter().map(|p| format!("`{}` ({})", p.id, p.name)).collect::<Vec<_>>().join(" or ")
            )),
        });
    }
    if let Some(first) = anonymous.first() {
        findings.push(
            Finding::warning(path, first.line as u64, 1, format!("{} anonymous turn{} not attributed (first: `{}`)", anonymous.len(), if anonymous.len() == 1 { " is" } else { "s are" }, first.id))
                .with_source(source)
                .help("where the text shows who speaks, add an entry under `attributions:` with the evidence"),
        );
    }
    if session.meta.title.is_none() {
        findings.push(
            Finding::warning(path, 1, 1, "the session has no title")
                .with_source(source)
                .help("set `meta: { title: … }` in the session's annotation file"),
        );
    }
    if session.meta.date.is_none() {
        findings.push(
            Finding::warning(path, 1, 1, "the session has no date")
                .with_source(source)
                .help("set `meta: { date: YYYY-MM-DD }` where a source states it"),
        );
    }
}

#[cfg(test)]
mod quote_search_tests {
    use proptest::prelude::*;

    /// Searching quote by quote and in one Aho-Corasick pass give the same hits.
    fn same_hits(texts: &[String], mut patterns: Vec<String>) -> Result<(), TestCaseError> {
        patterns.sort();
        patterns.dedup();
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let paragraphs: Vec<(usize, usize, &str)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i / 2, i % 2, t.as_str()))
            .collect();
        prop_assert_eq!(
            super::search(&paragraphs, &patterns, usize::MAX),
            super::search(&paragraphs, &patterns, 0)
        );
        Ok(())
    }

    proptest! {
        /// Looking quote by quote (paragraph by paragraph, as line breaks
        /// are about) finds exactly what one Aho-Corasick pass finds.
        #[test]
        fn per_quote_and_one_pass_find_the_same(
            texts in prop::collection::vec("[ab ’\n]{0,30}", 1..6),
            patterns in prop::collection::vec("[ab ’\n]{1,4}", 1..8),
        ) {
            same_hits(&texts, patterns)?;
        }

        /// The same with paragraphs free of line breaks: the joined text's path.
        #[test]
        fn joined_text_and_one_pass_find_the_same(
            texts in prop::collection::vec("[ab ’]{0,30}", 1..6),
            patterns in prop::collection::vec("[ab ’\n]{1,4}", 1..8),
        ) {
            same_hits(&texts, patterns)?;
        }
    }
}
