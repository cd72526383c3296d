//! Load: an edition root (content/ and annotations/) read, parsed, checked and
//! merged into an [`Edition`], with every finding. `check` and `build` share it.

use crate::annotate::{self, Layer, Registry, merge_session};
use crate::diagnostics::{self, Finding, nearest};
use crate::edition::Edition;
use crate::ingest;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The result of loading: the merged edition and what was found on the way.
pub struct Loaded {
    pub edition: Edition,
    pub findings: Vec<Finding>,
}

/// Every `*.txt` under `content/`, by session id (file stem). Sorted.
pub fn content_files(root: &Path, findings: &mut Vec<Finding>) -> BTreeMap<String, PathBuf> {
    let mut out: BTreeMap<String, PathBuf> = BTreeMap::new();
    let dir = root.join("content");
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().and_then(|e| e.to_str()) != Some("txt")
        {
            continue;
        }
        let Some(id) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        if let Some(prev) = out.get(&id) {
            findings.push(
                Finding::error(
                    &rel,
                    0,
                    0,
                    format!("session id `{id}` is also used by {}", prev.display()),
                )
                .help("rename one of the files: a session id is its file name"),
            );
            continue;
        }
        out.insert(id, rel);
    }
    out
}

/// Every annotation file under `annotations/`, in application order (path order).
pub fn annotation_files(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("annotations");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    files
}

/// Loads and merges the edition at `root`.
pub fn load(root: &Path) -> Loaded {
    let mut findings = Vec::new();
    let content = content_files(root, &mut findings);

    let layers: Vec<Layer> = annotation_files(root)
        .par_iter()
        .map(|path| annotate::read_layer(path, path.strip_prefix(root).unwrap_or(path)))
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|r| r.map_err(|f| findings.push(f)).ok())
        .collect();
    let registry = Registry::build(&layers, &mut findings);

    // Group session layers; report layers for sessions that do not exist.
    let mut by_session: BTreeMap<&str, Vec<&Layer>> = BTreeMap::new();
    for layer in &layers {
        let f = &layer.file;
        let has_session_keys = f.meta.is_some()
            || !f.speakers.is_empty()
            || !f.attributions.is_empty()
            || !f.corrections.is_empty()
            || !f.notes.is_empty()
            || !f.structure.is_empty();
        match &f.session {
            Some(s) if content.contains_key(&s.value) => {
                by_session.entry(s.value.as_str()).or_default().push(layer)
            }
            Some(s) => {
                let near = nearest(&s.value, content.keys().map(String::as_str));
                let e = layer.error_at(s, format!("no session `{}` in content/", s.value));
                findings.push(match near.first() {
                    Some(n) => e.help(format!(
                        "did you mean `{n}`? A session id is its content file name without .txt"
                    )),
                    None => e.help("a session id is the name of a content/*.txt file without .txt"),
                });
            }
            None if has_session_keys => findings.push(
                Finding::error(
                    &layer.path,
                    1,
                    1,
                    "session layers need a `session:` key naming the session they annotate",
                )
                .with_source(&layer.source)
                .help("add `session: <content file name without .txt>` at the top"),
            ),
            None => {}
        }
    }

    let merged: Vec<(crate::edition::Session, Vec<Finding>)> = content
        .par_iter()
        .map(|(id, rel)| {
            let mut local = Vec::new();
            let bytes = match std::fs::read(root.join(rel)) {
                Ok(b) => b,
                Err(e) => {
                    local.push(Finding::error(
                        rel,
                        0,
                        0,
                        format!("cannot read transcript: {e}"),
                    ));
                    Vec::new()
                }
            };
            let transcript = ingest::parse(&bytes);
            let text: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).as_ref());
            for p in &transcript.problems {
                local.push(
                    Finding::warning(rel, p.line as u64, p.column as u64, p.message.clone())
                        .with_source(&text),
                );
            }
            let input = annotate::merge::SessionInput {
                id,
                source_path: rel,
                source_text: text,
                transcript,
                layers: by_session.get(id.as_str()).cloned().unwrap_or_default(),
            };
            let session = merge_session(input, &registry, &mut local);
            (session, local)
        })
        .collect();

    let mut sessions = Vec::with_capacity(merged.len());
    for (s, f) in merged {
        sessions.push(s);
        findings.extend(f);
    }
    sessions.sort_by(|a, b| {
        (a.meta.date.is_none(), &a.meta.date, &a.id).cmp(&(
            b.meta.date.is_none(),
            &b.meta.date,
            &b.id,
        ))
    });
    diagnostics::sort(&mut findings);
    Loaded {
        edition: Edition {
            sessions,
            people: registry.people.into_values().collect(),
        },
        findings,
    }
}
