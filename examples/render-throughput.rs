//! Session page throughput: every session of an edition loaded and merged
//! once, then its page rendered ROUNDS times on one thread, with the time of
//! each rendering step (view, template, minify) as `verbatim build --verbose`
//! counts them. Isolates page rendering from reading, indexing and writing
//! when profiling it.
//!
//! Run: `cargo run --release --example render-throughput -- ROOT [ROUNDS]`

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

// The build's allocator, so the numbers are the build's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: render-throughput ROOT [ROUNDS]");
        std::process::exit(2);
    };
    let root = Path::new(&root);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let snapshot = std::sync::Arc::new(verbatim::snapshot::Snapshot::read(root));
    let loaded = verbatim::load::load_snapshot(snapshot.clone());
    let people: BTreeMap<&verbatim::edition::PersonId, &verbatim::edition::Person> =
        loaded.edition.people.iter().map(|p| (&p.id, p)).collect();
    let fail = |what: &str| -> ! {
        eprintln!("render-throughput: {what}");
        std::process::exit(1);
    };
    let renderer = verbatim::html::render::Renderer::load(&snapshot, loaded.config.clone(), true)
        .unwrap_or_else(|_| fail("the theme does not load"));
    // Pages without neighbour links: the links are a few hundred bytes and
    // the same work for every page.
    let place = verbatim::output::Neighbours::default();
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..rounds {
        for s in &loaded.edition.sessions {
            let (_, page) = renderer
                .session_page(s, &people, &place)
                .unwrap_or_else(|f| fail(&f.message));
            bytes += page.len();
        }
    }
    let total = start.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    print!(
        "{} sessions x {rounds}: {mb:.1} MB of pages in {total:.3} s ({:.1} MB/s);",
        loaded.edition.sessions.len(),
        mb / total
    );
    for (step, secs) in renderer.steps.seconds() {
        if secs > 0.0 {
            print!(" {step} {secs:.3} s");
        }
    }
    println!();
}
