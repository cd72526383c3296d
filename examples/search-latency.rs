//! Time from loaded shards to results, in headless Chromium: each query runs
//! once cold (loading its shards from disk) and once warm; the warm run is the
//! time the reader waits once the shards are there.
//!
//! Run: `cargo run --release --example search-latency -- SITE_DIR "word" "two words" …`

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = std::fs::canonicalize(args.next().expect("SITE_DIR")).unwrap();
    let queries: Vec<String> = args.collect();
    let browser = common::chromium().expect("Chromium is missing: run .ci/install");
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("file://{}/search.html", site.display()))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    for q in queries {
        let script = format!(
            "(async () => {{ const f = {{person: '', year: '', session: ''}}; let t = performance.now(); const cold = await verbatimSearch.search({q:?}, f); const c = performance.now() - t; t = performance.now(); await verbatimSearch.search({q:?}, f); return JSON.stringify([c, performance.now() - t, cold.total]); }})()"
        );
        let value = tab.evaluate(&script, true).unwrap().value.unwrap();
        let [cold, warm, total]: [f64; 3] = serde_json::from_str(value.as_str().unwrap()).unwrap();
        println!(
            "{q:?}: cold {cold:.0} ms (loading from disk), warm {warm:.1} ms, {total} results"
        );
    }
}
