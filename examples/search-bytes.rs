//! Bytes of index data a reader's browser loads for sample queries, following
//! the client's own loading rules (theme `search.js`): the manifest, the term
//! shard of each word, the full postings of the rarest word when its shard
//! holds only the head, and the directory and document shards of the first
//! ten results.
//!
//! Run: `cargo run --release --example search-bytes -- SITE_DIR "word" "three word query" …`

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Decodes postings as `search.js` does: `(document id, impact)`.
fn decode(postings: &Value) -> Vec<(u64, f64)> {
    verbatim::search::index::decode_postings(postings.as_str().unwrap())
        .into_iter()
        .map(|(doc, impact)| (doc, impact as f64))
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = args.next().expect("SITE_DIR");
    let queries: Vec<String> = args.collect();
    let dir = Path::new(&site).join("search");
    let read = |name: &str| -> (usize, Value) {
        let text = std::fs::read_to_string(dir.join(format!("{name}.js")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let json = verbatim::search::index::registered(&text)
            .filter(|(registered, _)| *registered == name)
            .unwrap_or_else(|| panic!("{name} is not a registering script"))
            .1;
        (text.len(), serde_json::from_str(json).unwrap())
    };
    let (manifest_bytes, manifest) = read("manifest");
    let shards: Vec<(String, String)> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s[0].as_str().unwrap().to_string(),
                s[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let span = manifest["span"].as_u64().unwrap();
    let per = manifest["per"].as_u64().unwrap();
    let dir_size = manifest["dir"].as_u64().unwrap();
    let docs = manifest["docs"].as_f64().unwrap();
    let (mut files, mut total_bytes) = (0, 0u64);
    for e in std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()) {
        files += 1;
        total_bytes += e.metadata().unwrap().len();
    }
    println!(
        "index: {} documents, {} term shards, {files} files, {:.1} MB",
        manifest["docs"],
        shards.len(),
        total_bytes as f64 / 1e6
    );
    for q in queries {
        let words = verbatim::search::tokenize::tokens(&q);
        let mut loaded: BTreeSet<String> = BTreeSet::new();
        let mut bytes = manifest_bytes;
        let mut load = |name: &str, bytes: &mut usize| -> Value {
            let (b, v) = read(name);
            if loaded.insert(name.to_string()) {
                *bytes += b;
            }
            v
        };
        // (df, doc → weighted impact, full postings file)
        let mut lists: Vec<(u64, HashMap<u64, f64>, Option<String>)> = Vec::new();
        for w in &words {
            let shard = shards
                .iter()
                .rev()
                .find(|s| s.0.as_str() <= w.as_str())
                .map(|s| s.1.clone())
                .unwrap();
            let v = load(&shard, &mut bytes);
            let Some(entry) = v.get(w.as_str()) else {
                lists.push((0, HashMap::new(), None));
                continue;
            };
            let df = entry["df"].as_u64().unwrap();
            let idf = (1.0 + (docs - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
            let map = decode(&entry["p"])
                .into_iter()
                .map(|(d, i)| (d, i * idf))
                .collect();
            let full = entry
                .get("full")
                .and_then(|f| f.as_str())
                .map(str::to_string);
            lists.push((df, map, full));
        }
        lists.sort_by_key(|l| l.0);
        if let (true, Some((_, _, Some(full)))) = (lists.len() > 1, lists.first()) {
            load(&full.clone(), &mut bytes);
        }
        // Candidates from the rarest word, scored over the others' heads.
        let mut scored: Vec<(f64, u64)> = lists
            .first()
            .map(|l| {
                l.1.iter()
                    .map(|(d, s)| {
                        let others: f64 = lists[1..]
                            .iter()
                            .map(|o| o.1.get(d).copied().unwrap_or(0.0))
                            .sum();
                        (s + others, *d)
                    })
                    .collect()
            })
            .unwrap_or_default();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, doc) in scored.iter().take(10) {
            let (session, para) = (doc / span, doc % span);
            let dir_name = manifest["dirs"][(session / dir_size) as usize]
                .as_str()
                .unwrap()
                .to_string();
            let directory = load(&dir_name, &mut bytes);
            let name = directory[(session % dir_size) as usize][(para / per) as usize]
                .as_str()
                .unwrap()
                .to_string();
            load(&name, &mut bytes);
        }
        println!(
            "{q:?}: {} files, {:.0} KB loaded, {} candidate documents",
            loaded.len() + 1,
            bytes as f64 / 1024.0,
            scored.len()
        );
    }
}
