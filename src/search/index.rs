//! Building the search index from the edition.

use super::tokenize::tokens;
use crate::edition::{Edition, Speaker};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use xxhash_rust::xxh3::xxh3_64;

/// BM25 parameters (the usual defaults).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A term shard is closed once its JSON passes this size.
const SHARD_BYTES: usize = 48 * 1024;
/// Terms in more documents than this keep only their top postings in the shard.
const HEAD: usize = 1000;
/// Documents per document shard.
pub const DOCS_PER_SHARD: usize = 16;
/// Document shard names per directory file (the manifest lists directories).
pub const SHARDS_PER_DIRECTORY: usize = 256;

/// One indexed paragraph; text is borrowed from the edition, not copied.
struct Doc<'a> {
    session: u32,
    person: i32,
    speaker: &'a str,
    paragraph: &'a str,
    text: &'a str,
    /// Term → frequency, over the corrected and the captioned reading.
    terms: Vec<(String, u32)>,
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
    let mut docs: Vec<Doc> = edition
        .sessions
        .par_iter()
        .enumerate()
        .flat_map_iter(|(si, s)| {
            let person_index = &person_index;
            s.turns.iter().flat_map(move |t| {
                let (person, speaker): (i32, &str) = match &t.speaker {
                    Speaker::Person { person } | Speaker::Attributed { person, .. } => (
                        *person_index.get(person.as_str()).unwrap_or(&-1),
                        person_names
                            .get(person.as_str())
                            .copied()
                            .unwrap_or(person.as_str()),
                    ),
                    Speaker::Generic { label } | Speaker::Unidentified { label } => {
                        (-1, label.as_str())
                    }
                    Speaker::Anonymous => (-1, ""),
                };
                t.paragraphs
                    .iter()
                    .filter(|p| p.stage.is_none())
                    .map(move |p| {
                        let corrected = tokens(&p.text);
                        let length = corrected.len() as u32;
                        let mut terms: HashMap<String, u32> =
                            HashMap::with_capacity(corrected.len());
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
                        for tok in tokens(speaker) {
                            terms.entry(tok).or_insert(1);
                        }
                        Doc {
                            session: si as u32,
                            person,
                            speaker,
                            paragraph: &p.id,
                            text: &p.text,
                            terms: terms.into_iter().collect(),
                            length,
                        }
                    })
            })
        })
        .collect();

    let n = docs.len().max(1) as f64;
    let avgdl = docs.iter().map(|d| d.length as f64).sum::<f64>() / n;
    let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    for (i, d) in docs.iter_mut().enumerate() {
        for (term, tf) in std::mem::take(&mut d.terms) {
            postings.entry(term).or_default().push((i as u32, tf));
        }
    }
    let mut terms: Vec<(String, Vec<(u32, u32)>)> = postings.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));

    // Impacts (BM25 per term and document), computed in parallel.
    let lengths: Vec<u32> = docs.iter().map(|d| d.length).collect();
    let entries: Vec<(String, Vec<(u32, u32)>)> = terms
        .into_par_iter()
        .map(|(term, list)| {
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let impacts = list
                .into_iter()
                .map(|(doc, tf)| {
                    let dl = lengths[doc as usize] as f64;
                    let tf = tf as f64;
                    let score =
                        idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / avgdl.max(1.0)));
                    (doc, (score * 100.0).round().max(1.0) as u32)
                })
                .collect();
            (term, impacts)
        })
        .collect();

    // Cut the sorted terms into shards of about SHARD_BYTES, then write them in parallel.
    let mut cuts = vec![0];
    let mut size = 0;
    for (i, (term, list)) in entries.iter().enumerate() {
        size += term.len() + 16 + 8 * list.len().min(HEAD);
        if size >= SHARD_BYTES {
            cuts.push(i + 1);
            size = 0;
        }
    }
    if *cuts.last().unwrap_or(&0) != entries.len() {
        cuts.push(entries.len());
    }
    // Each shard yields (its first term, its name) and the files it wrote.
    let shard_files: Vec<((String, String), Vec<(String, Vec<u8>)>)> = cuts
        .par_windows(2)
        .map(|w| {
            let mut files = Vec::new();
            let mut json = String::from("{");
            for (k, (term, impacts)) in entries[w[0]..w[1]].iter().enumerate() {
                if k > 0 {
                    json.push(',');
                }
                json.push_str(&serde_json::to_string(term).unwrap_or_default());
                if impacts.len() <= HEAD {
                    let _ = write!(json, ":{{\"df\":{},\"p\":", impacts.len());
                    push_flat(&mut json, impacts);
                } else {
                    let mut full = String::new();
                    push_flat(&mut full, impacts);
                    let full = emit_raw(&mut files, "p", full);
                    let mut top = impacts.clone();
                    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                    top.truncate(HEAD);
                    top.sort();
                    let _ = write!(
                        json,
                        ":{{\"df\":{},\"full\":\"{full}\",\"p\":",
                        impacts.len()
                    );
                    push_flat(&mut json, &top);
                }
                json.push('}');
            }
            json.push('}');
            let name = emit_raw(&mut files, "t", json);
            ((entries[w[0]].0.clone(), name), files)
        })
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut shards: Vec<(String, String)> = Vec::with_capacity(shard_files.len());
    for (shard, parts) in shard_files {
        shards.push(shard);
        files.extend(parts);
    }

    // Document shards, in parallel.
    let doc_files: Vec<(String, Vec<(String, Vec<u8>)>)> = docs
        .par_chunks(DOCS_PER_SHARD)
        .map(|chunk| {
            let rows: Vec<Value> = chunk
                .iter()
                .map(|d| json!([d.session, d.person, d.speaker, d.paragraph, d.text]))
                .collect();
            let mut files = Vec::new();
            let name = emit(&mut files, "d", &Value::Array(rows));
            (name, files)
        })
        .collect();
    let mut doc_shards = Vec::with_capacity(doc_files.len());
    for (name, parts) in doc_files {
        doc_shards.push(name);
        files.extend(parts);
    }

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

    // Directories of document shard names keep the manifest small at any size.
    let directories: Vec<String> = doc_shards
        .chunks(SHARDS_PER_DIRECTORY)
        .map(|names| emit(&mut files, "x", &json!(names)))
        .collect();
    let manifest = json!({
        "version": 1,
        "docs": docs.len(),
        "per": DOCS_PER_SHARD,
        "dir": SHARDS_PER_DIRECTORY,
        "shards": shards,
        "docdirs": directories,
        "meta": meta_name,
    });
    write_pair(&mut files, "manifest", manifest.to_string());
    files
}

/// Appends `[doc, impact]` pairs as a flat JSON array of doc deltas and impacts.
fn push_flat(out: &mut String, pairs: &[(u32, u32)]) {
    out.push('[');
    let mut last = 0;
    for (i, &(doc, impact)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{},{impact}", doc - last);
        last = doc;
    }
    out.push(']');
}

/// Writes `value` as `<kind>-<hash>.json` and `.js`; returns the name without extension.
fn emit(files: &mut Vec<(String, Vec<u8>)>, kind: &str, value: &Value) -> String {
    emit_raw(files, kind, value.to_string())
}

/// Writes JSON text as `<kind>-<hash>.json` and `.js`, named by its content hash.
fn emit_raw(files: &mut Vec<(String, Vec<u8>)>, kind: &str, json: String) -> String {
    let name = format!(
        "{kind}-{:012x}",
        xxh3_64(json.as_bytes()) & 0xffff_ffff_ffff
    );
    write_pair(files, &name, json);
    name
}

fn write_pair(files: &mut Vec<(String, Vec<u8>)>, name: &str, json: String) {
    files.push((
        format!("search/{name}.js"),
        format!("verbatimSearch.register({name:?},{json});\n").into_bytes(),
    ));
    files.push((format!("search/{name}.json"), json.into_bytes()));
}
