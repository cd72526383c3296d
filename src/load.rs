//! Load: an edition root (content/ and annotations/) read, parsed, checked and
//! merged into an [`Edition`], with every finding. `check` and `build` share it.

use crate::annotate::{self, Layer, Registry, merge_session};
use crate::diagnostics::{self, Finding, nearest};
use crate::edition::{Edition, Session};
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

/// An edition's inputs read and checked up to the point where sessions can be
/// merged one at a time: the content files, every annotation layer, and the
/// people registry. `build` streams sessions from here; `load` merges them all.
pub struct Prepared {
    /// Content files by session id, sorted.
    pub content: BTreeMap<String, PathBuf>,
    /// Every layer read now, in application order.
    pub layers: Vec<Layer>,
    /// Session id → indices into `layers` of the layers annotating it.
    pub by_session: BTreeMap<String, Vec<usize>>,
    /// Session layers not read now (see [`prepare_knowing`]), by session id,
    /// each list in application order. Read when their session is merged.
    pub deferred: BTreeMap<String, Vec<Deferred>>,
    pub registry: Registry,
    /// What was found reading content and layers (not yet merging).
    pub findings: Vec<Finding>,
}

/// A session layer whose bytes an earlier build parsed without error: what
/// session it annotates is known without parsing it again.
#[derive(Debug, Clone)]
pub struct Deferred {
    /// Path relative to the edition root.
    pub path: PathBuf,
    /// Where to read it.
    pub full: PathBuf,
}

/// Reads the content list and every layer, builds the registry and groups
/// session layers, reporting layers for sessions that do not exist.
pub fn prepare(root: &Path) -> Prepared {
    prepare_knowing(root, &BTreeMap::new())
}

/// As [`prepare`], but the session layers in `known` (path relative to the
/// root → the session it annotates, for layers whose bytes a build parsed
/// without error) are not parsed now, only when their session is merged: a
/// build that reuses most sessions parses only the layers of the sessions it
/// makes again. (Parsing every layer was most of a one-correction rebuild's
/// preparation.) A known layer whose session is no longer in content/ is
/// parsed, so that the error points into it.
pub fn prepare_knowing(root: &Path, known: &BTreeMap<PathBuf, String>) -> Prepared {
    let mut findings = Vec::new();
    let content = content_files(root, &mut findings);
    let mut deferred: BTreeMap<String, Vec<Deferred>> = BTreeMap::new();
    let mut parse = Vec::new();
    for full in annotation_files(root) {
        let rel = full.strip_prefix(root).unwrap_or(&full).to_path_buf();
        match known.get(&rel).filter(|s| content.contains_key(*s)) {
            Some(session) => deferred
                .entry(session.clone())
                .or_default()
                .push(Deferred { path: rel, full }),
            None => parse.push((full, rel)),
        }
    }
    let layers: Vec<Layer> = parse
        .par_iter()
        .map(|(full, rel)| annotate::read_layer(full, rel))
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|r| r.map_err(|f| findings.push(f)).ok())
        .collect();
    let registry = Registry::build(&layers, &mut findings);

    let mut by_session: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, layer) in layers.iter().enumerate() {
        let f = &layer.file;
        let has_session_keys = f.meta.is_some()
            || !f.speakers.is_empty()
            || !f.attributions.is_empty()
            || !f.corrections.is_empty()
            || !f.notes.is_empty()
            || !f.structure.is_empty();
        match &f.session {
            Some(s) if content.contains_key(&s.value) => {
                by_session.entry(s.value.clone()).or_default().push(i)
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
    Prepared {
        content,
        layers,
        by_session,
        deferred,
        registry,
        findings,
    }
}

impl Prepared {
    /// The layers annotating session `id` that were read, in application order.
    pub fn layers_of(&self, id: &str) -> Vec<&Layer> {
        self.by_session
            .get(id)
            .map(|ix| ix.iter().map(|&i| &self.layers[i]).collect())
            .unwrap_or_default()
    }

    /// The paths of every layer annotating session `id`, read or deferred,
    /// in application order.
    pub fn layer_paths_of(&self, id: &str) -> Vec<&Path> {
        let read = self.layers_of(id).into_iter().map(|l| l.path.as_path());
        let deferred = self.deferred.get(id).into_iter().flatten();
        let mut paths: Vec<&Path> = read.chain(deferred.map(|d| d.path.as_path())).collect();
        paths.sort();
        paths
    }

    /// The deferred layers of session `id`, read and parsed now. One that
    /// no longer parses (changed since the inputs were scanned) is an error
    /// finding.
    fn read_deferred(&self, id: &str, findings: &mut Vec<Finding>) -> Vec<Layer> {
        let deferred = self.deferred.get(id).into_iter().flatten();
        deferred
            .filter_map(|d| {
                annotate::read_layer(&d.full, &d.path)
                    .map_err(|f| findings.push(f))
                    .ok()
            })
            .collect()
    }

    /// Reads, parses and merges one session from its transcript bytes, with
    /// what was found on the way.
    pub fn merge(&self, id: &str, rel: &Path, bytes: &[u8]) -> (Session, Vec<Finding>) {
        test_panic_hook(rel);
        let mut local = Vec::new();
        let transcript = ingest::parse(bytes);
        // (Validating first is much faster than the lossy decoder's walk.)
        let text: Arc<str> = match std::str::from_utf8(bytes) {
            Ok(valid) => Arc::from(valid),
            Err(_) => Arc::from(String::from_utf8_lossy(bytes).as_ref()),
        };
        for p in &transcript.problems {
            local.push(
                Finding::warning(rel, p.line as u64, p.column as u64, p.message.clone())
                    .with_source(&text),
            );
        }
        let read_now = self.read_deferred(id, &mut local);
        let mut layers = self.layers_of(id);
        if !read_now.is_empty() {
            layers.extend(&read_now);
            layers.sort_by(|a, b| a.path.cmp(&b.path));
        }
        let input = annotate::merge::SessionInput {
            id,
            source_path: rel,
            source_text: text,
            transcript,
            layers,
        };
        let session = merge_session(input, &self.registry, &mut local);
        (session, local)
    }
}

/// Test hook, in debug builds only: `VERBATIM_TEST_PANIC_ON=<file name>`
/// makes making the session of a transcript of that name panic, where a
/// parser bug would. `tests/serve.rs` uses it to check that `serve` survives
/// and reports a panic in a build or a preview; no real input reliably
/// panics (each one found is a bug to fix). Release builds hold no trace of it.
fn test_panic_hook(rel: &Path) {
    #[cfg(debug_assertions)]
    if let Some(name) = std::env::var_os("VERBATIM_TEST_PANIC_ON")
        && rel.file_name() == Some(name.as_os_str())
    {
        panic!("VERBATIM_TEST_PANIC_ON: {}", rel.display());
    }
    #[cfg(not(debug_assertions))]
    let _ = rel;
}

/// Reads a session's transcript; an unreadable file is an error finding.
pub fn read_transcript(root: &Path, rel: &Path, findings: &mut Vec<Finding>) -> Vec<u8> {
    std::fs::read(root.join(rel)).unwrap_or_else(|e| {
        findings.push(Finding::error(
            rel,
            0,
            0,
            format!("cannot read transcript: {e}"),
        ));
        Vec::new()
    })
}

/// Loads and merges the edition at `root`.
pub fn load(root: &Path) -> Loaded {
    let prepared = prepare(root);
    let merged: Vec<(Session, Vec<Finding>)> = prepared
        .content
        .par_iter()
        .map(|(id, rel)| {
            let mut local = Vec::new();
            let bytes = read_transcript(root, rel, &mut local);
            let (session, found) = prepared.merge(id, rel, &bytes);
            local.extend(found);
            (session, local)
        })
        .collect();
    let mut findings = prepared.findings;
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
            people: prepared.registry.people.into_values().collect(),
        },
        findings,
    }
}
