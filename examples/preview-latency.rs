//! How long serve's fast path takes to show a saved session layer's page:
//! prepares the edition once (as `serve` does at start), then times
//! `site::preview` for each given layer as if it had just been saved (the
//! neighbours' links from the last build into `ROOT/public`, when there is one).
//!
//! Run: `cargo run --release --example preview-latency -- ROOT annotations/sessions/x.yaml …`

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("ROOT"));
    let layers: Vec<PathBuf> = args.map(|a| root.join(a)).collect();
    let options = verbatim::site::Options::default();
    let started = Instant::now();
    let mut prepared = verbatim::load::prepare(&root);
    println!(
        "prepared {} sessions, {} layers in {:.0} ms (once, when serve starts)",
        prepared.content.len(),
        prepared.layers.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let places = verbatim::site::preview::places(&root, &root.join("public"));
    for layer in layers {
        let started = Instant::now();
        let pages = verbatim::site::preview::preview(
            &root,
            &mut prepared,
            std::slice::from_ref(&layer),
            &options,
            &places,
        )
        .unwrap_or_else(|| panic!("{} cannot be previewed alone", layer.display()));
        println!(
            "{}: {} page(s), {} KB, in {:.1} ms",
            layer.display(),
            pages.len(),
            pages.iter().map(|p| p.1.len()).sum::<usize>() / 1024,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}
