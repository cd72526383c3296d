//! `verbatim ids --update`: records the ids the edition publishes in its id
//! locks (`ids/<session>.tsv`, see [`crate::ingest::lock`]), so that later
//! builds keep every published id leading to its text.

use crate::diagnostics::{self, Finding};
use std::path::Path;

/// What an update changed in one session's lock.
pub struct Updated {
    pub session: String,
    /// Ids the lock did not hold.
    pub added: usize,
    /// Published ids whose text is gone, now recorded as retired anchors.
    pub retired: usize,
}

/// The id lock of every session of the edition at `root` as its transcript
/// is now (the ids the lock already holds kept), written when `write` says
/// so; returns the sessions whose lock changes. Refuses an edition whose
/// transcripts or locks have errors.
pub fn update(root: &Path, write: bool) -> Result<Vec<Updated>, Vec<Finding>> {
    let prepared = crate::load::prepare(root);
    let mut findings = prepared.findings.clone();
    let mut locks = Vec::new();
    for (id, rel) in &prepared.content {
        let bytes = prepared.snapshot.transcript(rel, &mut findings);
        let mut transcript = crate::ingest::parse_with(&bytes, &prepared.profile);
        let before: std::collections::HashSet<String> = prepared
            .snapshot
            .bytes(&crate::load::Prepared::lock_path(id))
            .and_then(|b| crate::ingest::lock::parse(&String::from_utf8_lossy(b)).ok())
            .map(|l| l.entries.into_iter().map(|e| e.id).collect())
            .unwrap_or_default();
        let mut local = Vec::new();
        let retired = prepared.keep_published_ids(id, &mut transcript, &mut local);
        findings.extend(local);
        let text = crate::ingest::lock::write(&transcript.turns, &retired);
        let now: std::collections::HashSet<String> = crate::ingest::lock::parse(&text)
            .map(|l| l.entries.into_iter().map(|e| e.id).collect())
            .unwrap_or_default();
        let updated = Updated {
            session: id.as_str().to_string(),
            added: now.difference(&before).count(),
            retired: retired.iter().filter(|r| !r.known).count(),
        };
        locks.push((crate::load::Prepared::lock_path(id), text, updated));
    }
    if diagnostics::has_errors(&findings) {
        return Err(findings);
    }
    let mut changed = Vec::new();
    for (path, text, updated) in locks {
        let path = root.join(path);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            continue;
        }
        if !write {
            changed.push(updated);
            continue;
        }
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &text));
        written.map_err(|e| {
            vec![
                Finding::error(&path, 0, 0, format!("cannot write the id lock: {e}"))
                    .help("check that the edition's ids/ folder is writable"),
            ]
        })?;
        changed.push(updated);
    }
    Ok(changed)
}
