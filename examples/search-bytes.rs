//! Bytes of index data a reader's browser loads for sample queries, following
//! the client's own loading rules (theme `search.js`): the manifest, the term
//! shard of each word, the full postings of the rarest word when its shard
//! holds only the head, and the document shards of the first ten results.
//!
//! Run: `cargo run --release --example search-bytes -- SITE_DIR "word" "three word query" …`

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = args.next().expect("SITE_DIR");
    let queries: Vec<String> = args.collect();
    let dir = Path::new(&site).join("search");
    let read = |name: &str| -> (usize, Value) {
        let bytes = std::fs::read(dir.join(format!("{name}.json")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        (bytes.len(), serde_json::from_slice(&bytes).unwrap())
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
    let per = manifest["per"].as_u64().unwrap() as usize;
    let total_bytes: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    println!(
        "index: {} documents, {} term shards, {:.1} MB of JSON (the .js copies double it)",
        manifest["docs"],
        shards.len(),
        total_bytes as f64 / 1e6
    );
    for q in queries {
        let words = verbatim::search::tokenize::tokens(&q);
        let mut loaded: BTreeSet<String> = BTreeSet::new();
        let mut bytes = manifest_bytes;
        let mut lists: Vec<(usize, HashMap<usize, u64>, Option<String>)> = Vec::new();
        for w in &words {
            let shard = shards
                .iter()
                .rev()
                .find(|s| s.0.as_str() <= w.as_str())
                .map(|s| s.1.clone())
                .unwrap();
            let (b, v) = read(&shard);
            if loaded.insert(shard) {
                bytes += b;
            }
            let Some(entry) = v.get(w.as_str()) else {
                lists.push((0, HashMap::new(), None));
                continue;
            };
            let flat: Vec<u64> = entry["p"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect();
            let mut doc = 0;
            let map = flat
                .chunks(2)
                .map(|c| {
                    doc += c[0] as usize;
                    (doc, c[1])
                })
                .collect();
            lists.push((
                entry["df"].as_u64().unwrap() as usize,
                map,
                entry
                    .get("full")
                    .and_then(|f| f.as_str())
                    .map(str::to_string),
            ));
        }
        lists.sort_by_key(|l| l.0);
        if let (true, Some((_, _, Some(full)))) = (lists.len() > 1, lists.first()) {
            let (b, _) = read(full);
            if loaded.insert(full.clone()) {
                bytes += b;
            }
        }
        // Candidates from the rarest word, scored over the others' heads.
        let mut scored: Vec<(u64, usize)> = lists
            .first()
            .map(|l| {
                l.1.iter()
                    .map(|(d, s)| {
                        (
                            *s + lists[1..]
                                .iter()
                                .map(|o| o.1.get(d).copied().unwrap_or(0))
                                .sum::<u64>(),
                            *d,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let dir_size = manifest["dir"].as_u64().unwrap() as usize;
        let doc_shards: BTreeSet<usize> = scored.iter().take(10).map(|(_, d)| d / per).collect();
        for s in doc_shards {
            let dir_name = manifest["docdirs"][s / dir_size]
                .as_str()
                .unwrap()
                .to_string();
            let (b, dir) = read(&dir_name);
            if loaded.insert(dir_name) {
                bytes += b;
            }
            let name = dir[s % dir_size].as_str().unwrap().to_string();
            let (b, _) = read(&name);
            if loaded.insert(name) {
                bytes += b;
            }
        }
        println!(
            "{q:?}: {} files, {:.0} KB loaded, {} candidate documents",
            loaded.len() + 1,
            bytes as f64 / 1024.0,
            scored.len()
        );
    }
}
