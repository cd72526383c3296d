//! Parse throughput on the bundled seeds, in MB/s.
//!
//! Run: `cargo run --release --example parse-throughput [ROUNDS]`

use std::time::Instant;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("content/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::read(p).expect("readable seed"))
        .collect();
    files.sort();
    let bytes: usize = files.iter().map(Vec::len).sum();
    let start = Instant::now();
    let mut turns = 0;
    for _ in 0..rounds {
        for f in &files {
            turns += verbatim::ingest::parse(f).turns.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "parsed {} files x {rounds} rounds = {mb:.1} MB ({turns} turns) in {secs:.2} s: {:.1} MB/s",
        files.len(),
        mb / secs
    );
}
