//! Building the search index from the edition.

use super::tokenize::tokens;
use crate::edition::{Edition, Speaker};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use xxhash_rust::xxh3::xxh3_64;

/// BM25 parameters (the usual defaults).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A term shard is closed once its JSON passes this size.
const SHARD_BYTES: usize = 48 * 1024;
/// Terms in more documents than this keep only their top postings in the shard.
const HEAD: usize = 1000;
/// Documents per document shard.
pub const DOCS_PER_SHARD: usize = 64;

/// One indexed paragraph.
struct Doc {
    session: u32,
    person: i32,
    speaker: String,
    paragraph: String,
    text: String,
    /// Term → frequency, over the corrected and the captioned reading.
    terms: HashMap<String, u32>,
    length: u32,
}

/// The index's files: path under the site root → bytes. Deterministic.
pub fn build(edition: &Edition, person_names: &BTreeMap<&str, &str>) -> Vec<(String, Vec<u8>)> {
    let person_index: HashMap<&str, i32> = edition
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i as i32))
        .collect();
    let docs: Vec<Doc> = edition
        .sessions
        .par_iter()
        .enumerate()
        .flat_map_iter(|(si, s)| {
            let person_index = &person_index;
            s.turns.iter().flat_map(move |t| {
                let (person, speaker) = match &t.speaker {
                    Speaker::Person { person } | Speaker::Attributed { person, .. } => (
                        *person_index.get(person.as_str()).unwrap_or(&-1),
                        person_names
                            .get(person.as_str())
                            .map_or(person.clone(), |n| n.to_string()),
                    ),
                    Speaker::Generic { label } | Speaker::Unidentified { label } => {
                        (-1, label.clone())
                    }
                    Speaker::Anonymous => (-1, String::new()),
                };
                t.paragraphs
                    .iter()
                    .filter(|p| p.stage.is_none())
                    .map(move |p| {
                        let corrected = tokens(&p.text);
                        let length = corrected.len() as u32;
                        let mut terms: HashMap<String, u32> = HashMap::new();
                        for tok in corrected {
                            *terms.entry(tok).or_default() += 1;
                        }
                        // The captioned reading is searchable too: `encore` finds the
                        // passage corrected to "on core".
                        if p.original != p.text {
                            for tok in tokens(&p.original) {
                                terms.entry(tok).or_insert(1);
                            }
                        }
                        // The speaker's name finds what they said (`kleinwachter`).
                        for tok in tokens(&speaker) {
                            terms.entry(tok).or_insert(1);
                        }
                        Doc {
                            session: si as u32,
                            person,
                            speaker: speaker.clone(),
                            paragraph: p.id.clone(),
                            text: p.text.clone(),
                            terms,
                            length,
                        }
                    })
            })
        })
        .collect();

    let n = docs.len().max(1) as f64;
    let avgdl = docs.iter().map(|d| d.length as f64).sum::<f64>() / n;
    let mut postings: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for (term, tf) in &d.terms {
            postings
                .entry(term.as_str())
                .or_default()
                .push((i as u32, *tf));
        }
    }

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // Term shards.
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut current: serde_json::Map<String, Value> = serde_json::Map::new();
    let mut current_first: Option<String> = None;
    let mut current_size = 0;
    let flush = |current: &mut serde_json::Map<String, Value>,
                 first: &mut Option<String>,
                 files: &mut Vec<(String, Vec<u8>)>,
                 shards: &mut Vec<(String, String)>| {
        if current.is_empty() {
            return;
        }
        let name = emit(files, "t", &Value::Object(std::mem::take(current)));
        shards.push((first.take().unwrap_or_default(), name));
    };
    for (term, list) in &postings {
        let df = list.len();
        let idf = (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
        let impacts: Vec<(u32, u32)> = list
            .iter()
            .map(|&(doc, tf)| {
                let dl = docs[doc as usize].length as f64;
                let tf = tf as f64;
                let score = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / avgdl.max(1.0)));
                (doc, (score * 100.0).round().max(1.0) as u32)
            })
            .collect();
        let entry = if df <= HEAD {
            json!({ "df": df, "p": flat_deltas(&impacts) })
        } else {
            let full = emit(&mut files, "p", &json!(flat_deltas(&impacts)));
            let mut top = impacts.clone();
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            top.truncate(HEAD);
            top.sort();
            json!({ "df": df, "p": flat_deltas(&top), "full": full })
        };
        current_size += term.len() + entry.to_string().len() + 4;
        if current_first.is_none() {
            current_first = Some(term.to_string());
        }
        current.insert(term.to_string(), entry);
        if current_size >= SHARD_BYTES {
            flush(&mut current, &mut current_first, &mut files, &mut shards);
            current_size = 0;
        }
    }
    flush(&mut current, &mut current_first, &mut files, &mut shards);

    // Document shards.
    let doc_shards: Vec<String> = docs
        .chunks(DOCS_PER_SHARD)
        .map(|chunk| {
            let rows: Vec<Value> = chunk
                .iter()
                .map(|d| json!([d.session, d.person, d.speaker, d.paragraph, d.text]))
                .collect();
            emit(&mut files, "d", &Value::Array(rows))
        })
        .collect();

    // Session and people tables.
    #[derive(Serialize)]
    struct Meta<'a> {
        sessions: Vec<(
            &'a str,
            &'a str,
            Option<&'a str>,
            Option<i32>,
            Option<&'a str>,
        )>,
        people: Vec<(&'a str, &'a str)>,
    }
    let meta = Meta {
        sessions: edition
            .sessions
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.display_title(),
                    s.meta.event.as_deref(),
                    s.meta.year,
                    s.meta.date.as_deref(),
                )
            })
            .collect(),
        people: edition
            .people
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect(),
    };
    let meta_name = emit(
        &mut files,
        "m",
        &serde_json::to_value(&meta).unwrap_or(Value::Null),
    );

    let manifest = json!({
        "version": 1,
        "docs": docs.len(),
        "per": DOCS_PER_SHARD,
        "shards": shards,
        "docshards": doc_shards,
        "meta": meta_name,
    });
    write_pair(&mut files, "manifest", &manifest);
    files
}

/// `[doc, impact]` pairs (sorted by doc) as a flat array of doc deltas and impacts.
fn flat_deltas(pairs: &[(u32, u32)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(pairs.len() * 2);
    let mut last = 0;
    for &(doc, impact) in pairs {
        out.push(doc - last);
        out.push(impact);
        last = doc;
    }
    out
}

/// Writes `value` as `<kind>-<hash>.json` and `.js`; returns the name without extension.
fn emit(files: &mut Vec<(String, Vec<u8>)>, kind: &str, value: &Value) -> String {
    let json = value.to_string();
    let name = format!(
        "{kind}-{:012x}",
        xxh3_64(json.as_bytes()) & 0xffff_ffff_ffff
    );
    write_pair(files, &name, value);
    name
}

fn write_pair(files: &mut Vec<(String, Vec<u8>)>, name: &str, value: &Value) {
    let json = value.to_string();
    files.push((
        format!("search/{name}.js"),
        format!("verbatimSearch.register({:?},{json});\n", name).into_bytes(),
    ));
    files.push((format!("search/{name}.json"), json.into_bytes()));
}
