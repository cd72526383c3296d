//! Who speaks each turn (label mappings, aliases, attributions): about people, not the text.

use super::quotes::SessionText;
use super::working::WorkingTurn;
use crate::schema::Confidence;
use crate::{Layer, Registry};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use verbatim_diagnostics::{Finding, nearest};
use verbatim_edition::{PersonId, Speaker};

/// Session speaker map: label → person id, or `None` for a generic role.
pub(super) type SpeakerMap = HashMap<String, Option<PersonId>>;

pub(super) fn resolve_speakers(
    layers: &[&Layer],
    turns: &[WorkingTurn],
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
                    if !registry.people.contains_key(p.value.as_str()) {
                        findings.push(registry.unknown_person(layer, p));
                        continue;
                    }
                    Some(PersonId::new(p.value.as_str()))
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

pub(super) fn speaker_for(
    label: Option<&str>,
    speakers: &SpeakerMap,
    registry: &Registry,
) -> Speaker {
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

pub(super) fn resolve_attributions(
    layers: &[&Layer],
    text: &SessionText<'_>,
    registry: &Registry,
    speakers: &SpeakerMap,
    findings: &mut Vec<Finding>,
) -> HashMap<usize, Speaker> {
    let turns = text.turns;
    let mut out: HashMap<usize, Speaker> = HashMap::new();
    let mut lines: HashMap<usize, (std::path::PathBuf, u64)> = HashMap::new();
    for layer in layers {
        for a in &layer.file.attributions {
            if !registry.people.contains_key(a.person.value.as_str()) {
                findings.push(registry.unknown_person(layer, &a.person));
                continue;
            }
            let Some(ti) = turn_of(
                layer,
                text,
                a.turn.as_ref(),
                a.quote.as_ref(),
                &a.person,
                "an attribution",
                findings,
            ) else {
                continue;
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
                && person == a.person.value.as_str()
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
            let at_ms = super::recording::moment(layer, a.at.as_ref(), findings);
            out.insert(
                ti,
                Speaker::Attributed {
                    person: PersonId::new(a.person.value.as_str()),
                    evidence: a.evidence.clone(),
                    confidence,
                    at_ms,
                },
            );
        }
    }
    out
}

/// The turn an entry names by `turn:` (its id) or `quote:` (text found in
/// exactly one turn), or the finding that says why it names none. `what`
/// names the entry in the message ("an attribution"); `fallback` is where
/// to point when it has neither.
pub(super) fn turn_of(
    layer: &Layer,
    text: &SessionText<'_>,
    turn: Option<&Spanned<String>>,
    quote: Option<&Spanned<String>>,
    fallback: &Spanned<String>,
    what: &str,
    findings: &mut Vec<Finding>,
) -> Option<usize> {
    let SessionText {
        turns,
        index,
        quotes,
    } = *text;
    match (turn, quote) {
        (Some(t), None) => match index.turns.get(t.value.as_str()) {
            Some(&ti) => Some(ti),
            None => {
                findings.push(index.unknown(layer, t));
                None
            }
        },
        (None, Some(q)) => {
            // The turns the quote occurs in, from the one search for
            // every quote of the session (hits are in text order).
            let mut hits: Vec<usize> = quotes.hits(&q.value).iter().map(|h| h.0).collect();
            hits.dedup();
            match hits.as_slice() {
                [ti] => Some(*ti),
                [] => {
                    findings.push(
                        layer
                            .error_at(q, format!("no turn contains `{}`", q.value))
                            .help("quote the text exactly as captioned"),
                    );
                    None
                }
                many => {
                    let ids: Vec<&str> = many.iter().map(|&ti| turns[ti].id.as_str()).collect();
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
                    None
                }
            }
        }
        _ => {
            let msg = format!("{what} needs exactly one of `turn:` or `quote:`");
            findings.push(layer.error_at(turn.or(quote).unwrap_or(fallback), msg));
            None
        }
    }
}
