//! A transcript and its layers merged in memory, as `load::Prepared::merge`
//! does, without the file system. The input is split at NUL bytes:
//!
//!     transcript bytes \0 session layer YAML [\0 people layer YAML]
//!
//! The session layer gets `session: s` prepended when it has no `session:`
//! line. Whatever the parts hold, merging never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::Arc;
use verbatim::annotate::{Registry, merge::SessionInput, merge_session, parse_layer};
use verbatim::edition::SessionId;
use verbatim::ingest;

fuzz_target!(|bytes: &[u8]| {
    let mut parts = bytes.splitn(3, |b| *b == 0);
    let transcript_bytes = parts.next().unwrap_or_default();
    let session_yaml = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let people_yaml = parts.next().map(String::from_utf8_lossy);

    let session_yaml = if session_yaml.lines().any(|l| l.starts_with("session:")) {
        session_yaml.into_owned()
    } else {
        format!("session: s\n{session_yaml}")
    };
    let mut layers = Vec::new();
    let mut findings = Vec::new();
    // Path order, as load reads them: the people file before the session's.
    if let Some(y) = people_yaml {
        match parse_layer(Path::new("annotations/people.yaml"), y.into_owned()) {
            Ok(l) => layers.push(l),
            Err(f) => findings.push(f),
        }
    }
    match parse_layer(Path::new("annotations/s.yaml"), session_yaml) {
        Ok(l) => layers.push(l),
        Err(f) => findings.push(f),
    }
    let registry = Registry::build(&layers, &mut findings);

    let transcript = ingest::parse(transcript_bytes);
    let text: Arc<str> = Arc::from(ingest::decode(transcript_bytes).0.as_ref());
    // Only the layers that annotate session `s`, as `Prepared::layers_of`.
    let session_layers: Vec<_> = layers
        .iter()
        .filter(|l| l.file.session.as_ref().is_some_and(|s| s.value == "s"))
        .collect();
    for layer in session_layers.iter().filter(|l| l.file.has_no_entries()) {
        findings.push(layer.no_entries_warning());
    }
    let id = SessionId::new("s");
    let input = SessionInput {
        id: &id,
        source_path: Path::new("content/s.txt"),
        source_text: text,
        transcript,
        layers: session_layers,
    };
    let session = merge_session(input, &registry, &mut findings);
    std::hint::black_box((session, findings));
});
