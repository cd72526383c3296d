//! Warnings about what editors have left open, read off the merged session rather than the layers.

use crate::Registry;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Session, Speaker};

/// Warnings about what the editors have not done yet.
pub(super) fn warn_open_questions(
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
