//! What a reader's search costs, measured in headless Chromium by the theme's
//! own `search.js` from file://: for each query, on a freshly loaded search
//! page, the index files it loads and their bytes, the time to its first
//! results (cold: the files come from disk) and to the same query again
//! (warm); then the same query narrowed to one year, with the bytes that
//! filter change loads more and its time.
//!
//! The files are counted as `search.js` registers them (every index file is a
//! script that calls `verbatimSearch.register`), so the figures follow the
//! client's loading rules as they are, not a model of them.
//!
//! Run: `cargo run --release --example search-budget -- SITE_DIR "word" "three word query" …`

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;

/// Runs one query in the page and returns what it loaded and how long it took.
const MEASURE: &str = r#"
window.__measure = async function (q, filters) {
  const before = window.__loaded.length;
  const t = performance.now();
  const outcome = await verbatimSearch.search(q, { filters: filters, sort: "relevance", page: 1 });
  const ms = performance.now() - t;
  return JSON.stringify({ ms: ms, files: window.__loaded.slice(before), total: outcome.total, results: outcome.results.length });
};
"#;

/// Counts each index file as it registers.
const RECORD: &str = r#"
(() => {
  window.__loaded = [];
  const register = verbatimSearch.register;
  verbatimSearch.register = function (name, data) { window.__loaded.push(name); return register.call(this, name, data); };
  return "ok";
})()
"#;

#[derive(serde::Deserialize)]
struct Run {
    ms: f64,
    files: Vec<String>,
    total: u64,
    results: u64,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = std::fs::canonicalize(args.next().expect("SITE_DIR")).unwrap();
    let queries: Vec<String> = args.collect();
    let index = site.join("search");
    let bytes = |files: &[String]| -> u64 {
        files
            .iter()
            .map(|f| {
                std::fs::metadata(index.join(format!("{f}.js")))
                    .map(|m| m.len())
                    .unwrap_or_else(|e| panic!("{f}: {e}"))
            })
            .sum()
    };
    let (files, total_bytes) = std::fs::read_dir(&index)
        .unwrap()
        .filter_map(|e| e.ok())
        .fold((0, 0u64), |(n, b), e| {
            (n + 1, b + e.metadata().unwrap().len())
        });
    println!("index: {files} files, {:.1} MB", total_bytes as f64 / 1e6);
    let year = filter_year(&site);
    let browser = common::chromium().expect("Chromium is missing: run .ci/install");
    let tab = browser.new_tab().unwrap();
    let page = format!("file://{}/search.html", site.display());
    for q in queries {
        // A new page for each query: nothing registered, as a reader arriving.
        tab.navigate_to(&page)
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        tab.evaluate(RECORD, false).unwrap();
        tab.evaluate(MEASURE, false).unwrap();
        let run = |filters: &str| -> Run {
            let value = tab
                .evaluate(&format!("window.__measure({q:?}, {filters})"), true)
                .unwrap()
                .value
                .unwrap();
            serde_json::from_str(value.as_str().unwrap()).unwrap()
        };
        let cold = run("{}");
        let warm = run("{}");
        let narrowed = run(&format!("{{year: {year:?}}}"));
        println!(
            "{q:?}: {} files, {:.0} KB loaded; first results {:.0} ms, warm {:.1} ms; {} matches. \
             Year {year}: +{} files, +{:.0} KB, {:.0} ms, {} matches ({} shown)",
            cold.files.len(),
            bytes(&cold.files) as f64 / 1024.0,
            cold.ms,
            warm.ms,
            cold.total,
            narrowed.files.len(),
            bytes(&narrowed.files) as f64 / 1024.0,
            narrowed.ms,
            narrowed.total,
            narrowed.results,
        );
        // By kind of file (the first letter of its name: `t` term shards, `p`
        // full postings, `d` documents, `x` directories, `m` tables).
        let mut kinds = std::collections::BTreeMap::<char, (usize, u64)>::new();
        for f in &cold.files {
            let k = kinds.entry(f.chars().next().unwrap()).or_default();
            k.0 += 1;
            k.1 += bytes(std::slice::from_ref(f));
        }
        let kinds: Vec<String> = kinds
            .iter()
            .map(|(k, (n, b))| format!("{k} {n} ({:.0} KB)", *b as f64 / 1024.0))
            .collect();
        println!("    {}", kinds.join(", "));
        assert!(warm.files.is_empty(), "a warm query loads nothing");
    }
}

/// The last year the search page's year filter offers (a filter value that
/// exists, whatever the corpus).
fn filter_year(site: &Path) -> String {
    let html = std::fs::read_to_string(site.join("search.html")).unwrap();
    let select = &html[html
        .find("id=\"filter-year\"")
        .or_else(|| html.find("id=filter-year"))
        .expect("a year filter")..];
    let select = &select[..select.find("</select>").unwrap()];
    select
        .split("<option")
        .filter_map(|o| {
            let v = o.split("value=").nth(1)?;
            let v = v.trim_start_matches('"');
            let end = v.find(|c: char| !c.is_ascii_digit())?;
            (end == 4).then(|| v[..4].to_string())
        })
        .last()
        .expect("a year in the filter")
}
