//! Arbitrary bytes (read as UTF-8, lossily) as an annotation layer: parsing
//! returns a layer or a finding, never panics; a finding's help and message
//! are formed without panicking too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use verbatim::annotate::parse_layer;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes).into_owned();
    match parse_layer(Path::new("annotations/s.yaml"), text) {
        Ok(layer) => {
            if layer.file.has_no_entries() {
                let _ = layer.no_entries_warning();
            }
        }
        Err(finding) => {
            let _ = format!("{finding:?}");
        }
    }
});
