//! Arbitrary bytes as a transcript: ingest never panics, never loses a
//! non-blank line (the invariant of tests/ingest_properties.rs), and reads
//! the same bytes the same way twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verbatim::ingest::{decode, parse, raw_lines};
use verbatim::text::normalise;

fuzz_target!(|bytes: &[u8]| {
    let t = parse(bytes);
    let covered = t.covered_lines();
    let (text, _) = decode(bytes);
    for (i, line) in raw_lines(&text).enumerate() {
        if !normalise(line).is_empty() {
            assert!(covered.contains(&(i + 1)), "line {} lost: {line:?}", i + 1);
        }
    }
    assert!(t == parse(bytes), "parsing the same bytes twice differs");
});
