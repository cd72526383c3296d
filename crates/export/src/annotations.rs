//! The editorial layers as W3C Web Annotations (JSON-LD): every correction,
//! editorial note and attribution of a session, each targeting its
//! paragraph or turn on the session's page, located by a
//! `TextQuoteSelector`, so that annotation tools (Hypothesis, Recogito,
//! any Web Annotation client) can show and reuse them. One collection per
//! session, `data/sessions/<id>.annotations.jsonld`.

use serde_json::{Value, json};
use verbatim_edition::{Session, Span, Speaker};

/// How much text either side of a quote a selector gives, in characters.
const CONTEXT: usize = 32;

/// The last `n` characters of `text`.
fn tail(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}

/// The first `n` characters of `text`.
fn head(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// Where a session's collection links to, as it should link them
/// (absolute when the edition has a base URL, else relative to the
/// collection's own file).
pub struct Links<'a> {
    /// The session's page.
    pub page: &'a str,
    /// A person's page, by id.
    pub person: &'a dyn Fn(&str) -> String,
    /// The session's recording, where it has one.
    pub recording: Option<&'a str>,
}

/// The moment of the recording an editor names as evidence, as a body
/// that points into the recording (a W3C media fragment, `t=` in seconds).
fn moment(session: &Session, recording: Option<&str>, at_ms: Option<u64>) -> Option<Value> {
    let (source, ms) = recording.zip(at_ms)?;
    let offset = session.recording.as_ref().map_or(0, |r| r.offset_ms);
    Some(json!({
        "type": "SpecificResource",
        "source": source,
        "purpose": "commenting",
        "selector": {
            "type": "FragmentSelector",
            "conformsTo": "http://www.w3.org/TR/media-frags/",
            "value": format!("t={}", (ms + offset) / 1000),
        },
    }))
}

/// The session's annotations as an `AnnotationCollection`, linking as
/// `links` says.
pub fn session(session: &Session, links: &Links) -> String {
    let Links {
        page,
        person,
        recording,
    } = *links;
    let mut items: Vec<Value> = Vec::new();
    for turn in &session.turns {
        if let Speaker::Attributed {
            person: who,
            evidence,
            confidence,
            at_ms,
        } = &turn.speaker
        {
            let said: String = turn
                .paragraphs
                .first()
                .map(|p| head(&p.text, 2 * CONTEXT).to_string())
                .unwrap_or_default();
            let mut body = vec![
                json!({ "type": "SpecificResource", "source": person(who.as_str()), "purpose": "identifying" }),
                json!({
                    "type": "TextualBody",
                    "value": format!("{evidence} (confidence: {})", crate::json::confidence_name(*confidence)),
                    "purpose": "commenting",
                    "format": "text/plain",
                }),
            ];
            body.extend(moment(session, recording, *at_ms));
            items.push(json!({
                "id": format!("#attribution-{}", turn.id),
                "type": "Annotation",
                "motivation": "identifying",
                "body": body,
                "target": {
                    "source": format!("{page}#{}", turn.id),
                    "selector": { "type": "TextQuoteSelector", "exact": said },
                },
            }));
        }
        for p in &turn.paragraphs {
            let target = format!("{page}#{}", p.id);
            // Where each span starts in the corrected and captioned readings.
            let (mut corrected, mut captioned) = (0usize, 0usize);
            let mut corrections = 0;
            let mut last_text = "";
            for span in &p.spans {
                match span {
                    Span::Text { text } | Span::Stage { text, .. } => {
                        corrected += text.len();
                        captioned += text.len();
                        last_text = text;
                    }
                    Span::Correction {
                        original,
                        text,
                        note,
                        by,
                        date,
                        at_ms,
                    } => {
                        corrections += 1;
                        let before = p.original.get(..captioned).unwrap_or("");
                        let after = p.original.get(captioned + original.len()..).unwrap_or("");
                        let mut body = vec![json!({
                            "type": "TextualBody",
                            "value": text,
                            "purpose": "editing",
                            "format": "text/plain",
                        })];
                        if let Some(note) = note {
                            body.push(json!({
                                "type": "TextualBody",
                                "value": note,
                                "purpose": "commenting",
                                "format": "text/plain",
                            }));
                        }
                        body.extend(moment(session, recording, *at_ms));
                        let mut annotation = json!({
                            "id": format!("#correction-{}-{corrections}", p.id),
                            "type": "Annotation",
                            "motivation": "editing",
                            "body": body,
                            "target": {
                                "source": target,
                                "selector": {
                                    "type": "TextQuoteSelector",
                                    "exact": original,
                                    "prefix": tail(before, CONTEXT),
                                    "suffix": head(after, CONTEXT),
                                },
                            },
                        });
                        if let Some(by) = by {
                            annotation["creator"] = json!({ "type": "Person", "name": by });
                        }
                        if let Some(date) = date {
                            annotation["created"] = json!(date);
                        }
                        items.push(annotation);
                        corrected += text.len();
                        captioned += original.len();
                        last_text = text;
                    }
                    Span::Note { number, text } => {
                        // A note's marker follows the words it explains.
                        let before = p.text.get(..corrected).unwrap_or("");
                        let quote = if last_text.is_empty() {
                            tail(before, CONTEXT)
                        } else {
                            tail(last_text, CONTEXT)
                        };
                        items.push(json!({
                            "id": format!("#note-{}-{number}", p.id),
                            "type": "Annotation",
                            "motivation": "commenting",
                            "body": { "type": "TextualBody", "value": text, "format": "text/plain" },
                            "target": {
                                "source": target,
                                "selector": {
                                    "type": "TextQuoteSelector",
                                    "exact": quote,
                                    "prefix": tail(before.strip_suffix(quote).unwrap_or(before), CONTEXT),
                                },
                            },
                        }));
                    }
                }
            }
        }
    }
    let collection = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "",
        "type": "AnnotationCollection",
        "label": format!("Corrections, notes and attributions of “{}”", session.display_title()),
        "total": items.len(),
        "first": { "id": "#page-1", "type": "AnnotationPage", "items": items },
    });
    let mut out = serde_json::to_string_pretty(&collection).unwrap_or_default();
    out.push('\n');
    out
}
