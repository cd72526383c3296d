//! Indexing throughput: every session of an edition loaded and merged once,
//! then indexed (`SessionIndex::build`) ROUNDS times on one thread, in MB/s of
//! paragraph text. Isolates the search index's per-session share from the
//! rest of the build when profiling it.
//!
//! Run: `cargo run --release --example index-throughput -- ROOT [ROUNDS]`

use std::time::Instant;

// The build's allocator, so the numbers are the build's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: index-throughput ROOT [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let started = Instant::now();
    let loaded = verbatim::load::load(std::path::Path::new(&root));
    // Reading, parsing and merging, on rayon's threads (RAYON_NUM_THREADS=1 for one).
    let load_seconds = started.elapsed().as_secs_f64();
    let people = verbatim::search::index::PeopleTable::new(&loaded.edition.people);
    let text: usize = loaded
        .edition
        .sessions
        .iter()
        .flat_map(|s| &s.turns)
        .flat_map(|t| &t.paragraphs)
        .map(|p| p.text.len())
        .sum();
    let mut best = f64::MAX;
    let mut bytes = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        bytes = 0;
        for s in &loaded.edition.sessions {
            let (share, files) = verbatim::search::SessionIndex::build(s, &people);
            bytes += share.postings.len() + files.iter().map(|f| f.1.len()).sum::<usize>();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} sessions, {:.1} MB of text, loaded in {load_seconds:.3} s; indexed: best of {rounds} {:.3} s, {:.1} MB/s ({bytes} bytes of index)",
        loaded.edition.sessions.len(),
        text as f64 / 1e6,
        best,
        text as f64 / 1e6 / best
    );
}
