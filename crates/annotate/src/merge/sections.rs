//! Sections: the editors' division of a session, each from a turn on.

use super::quotes::SessionText;
use super::speakers::turn_of;
use crate::Layer;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Section, TurnId};

/// Every layer's sections of the session, at their turns (by index), in
/// the order of the turns. Two sections at one turn, or one without a
/// title, are errors; an anchor taken by an earlier title gets a number.
pub(super) fn resolve(
    layers: &[&Layer],
    text: &SessionText<'_>,
    findings: &mut Vec<Finding>,
) -> Vec<(usize, Section)> {
    let mut out: Vec<(usize, Section, String)> = Vec::new();
    for layer in layers {
        for entry in &layer.file.sections {
            let title = entry.title.value.trim();
            if title.is_empty() {
                findings.push(
                    layer
                        .error_at(&entry.title, "a section needs a title")
                        .help("write what the section is, e.g. `title: Opening remarks`"),
                );
                continue;
            }
            let Some(ti) = turn_of(
                layer,
                text,
                entry.turn.as_ref(),
                entry.quote.as_ref(),
                &entry.title,
                "a section",
                findings,
            ) else {
                continue;
            };
            if let Some((_, other, at)) = out.iter().find(|(t, ..)| *t == ti) {
                findings.push(
                    layer
                        .error_at(
                            &entry.title,
                            format!(
                                "turn `{}` already starts the section “{}” ({at})",
                                text.turns[ti].id, other.title
                            ),
                        )
                        .help("start each section at a turn of its own"),
                );
                continue;
            }
            let at = format!("{}:{}", layer.path.display(), entry.title.referenced.line());
            out.push((
                ti,
                Section {
                    id: String::new(),
                    title: title.to_string(),
                    turn: TurnId::default(),
                    synopsis: entry.synopsis.clone().filter(|s| !s.trim().is_empty()),
                    keywords: entry.keywords.clone(),
                },
                at,
            ));
        }
    }
    out.sort_by_key(|(ti, ..)| *ti);
    let mut taken = std::collections::HashSet::new();
    out.into_iter()
        .map(|(ti, mut section, _)| {
            let base = format!("s-{}", crate::slug(&section.title));
            let mut id = base.clone();
            let mut n = 1;
            while !taken.insert(id.clone()) {
                n += 1;
                id = format!("{base}-{n}");
            }
            section.id = id;
            (ti, section)
        })
        .collect()
}
