//! Structure fixes (join, split, omit, restore), applied first: they change what quotes anchor on.

use super::working::{WorkingParagraph, WorkingTurn};
use crate::schema::StructureEntry;
use crate::{Layer, quote};
use serde_saphyr::Spanned;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Omission, ParagraphId, TurnId};

pub(super) fn apply_structure(
    layer: &Layer,
    entry: &StructureEntry,
    turns: &mut Vec<WorkingTurn>,
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
    let locate = |turns: &[WorkingTurn], id: &Spanned<String>| -> Option<(usize, usize)> {
        turns.iter().enumerate().find_map(|(ti, t)| {
            t.paragraphs
                .iter()
                .position(|p| p.id == id.value.as_str())
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
                    .map(ParagraphId::new)
                    .expect("some number is free");
                let p = &mut turns[ti].paragraphs[pi];
                let rest = p.text[*at..].trim().to_string();
                p.text = p.text[..*at].trim_end().to_string();
                p.notes = None;
                let new = WorkingParagraph {
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
            reason: verbatim_edition::OmissionReason::Editor,
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
                    WorkingTurn {
                        id: TurnId::new(format!("r{}", o.lines[0])),
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
            WorkingParagraph {
                id: ParagraphId::new(format!("{}r{}", t.id, o.lines[0])),
                text,
                lines: o.lines,
                former_ids: Vec::new(),
                notes: None,
                time: None,
            },
        );
    }
}
