//! `verbatim release`: records the edition as it stands under its version
//! (`versions/<version>.json`), which the Changes page and feed compare
//! (see [`crate::html::pages::changes`]).

use crate::diagnostics::{self, Finding};
use crate::html::pages::{Digest, changes};
use std::path::{Path, PathBuf};

/// Writes the record of the edition at `root` under the version its
/// `verbatim.yaml` names, dated `date` (today by default); returns its
/// path. Refuses an edition with errors, without a version, or whose
/// version is released already.
pub fn release(root: &Path, date: Option<String>) -> Result<PathBuf, Vec<Finding>> {
    let loaded = crate::load::load(root);
    if diagnostics::has_errors(&loaded.findings) {
        return Err(loaded.findings);
    }
    let config = Path::new(crate::config::FILE);
    let Some(version) = loaded.config.version.clone() else {
        return Err(vec![
            Finding::error(config, 1, 1, "the edition has no version")
                .help("set `version:` in verbatim.yaml (e.g. version: \"1.0\") and release again"),
        ]);
    };
    let safe = !version.is_empty()
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !safe {
        return Err(vec![Finding::error(
            config,
            1,
            1,
            format!("`{version}` cannot name a release file"),
        )
        .help("write the version with letters, digits, dots, hyphens and underscores, e.g. 1.2 or 2026-spring")]);
    }
    let rel = PathBuf::from(changes::FOLDER).join(format!("{version}.json"));
    if root.join(&rel).exists() {
        return Err(vec![
            Finding::error(&rel, 1, 1, format!("version {version} is released already"))
                .help("raise `version:` in verbatim.yaml for the next release"),
        ]);
    }
    let date = match date {
        Some(d) => {
            crate::calendar::parse_iso(&d).map_err(|why| {
                vec![Finding::error(config, 1, 1, why).help("give the day as YYYY-MM-DD")]
            })?;
            d
        }
        None => crate::calendar::today(),
    };
    let mut digests: Vec<Digest> = loaded.edition.sessions.iter().map(Digest::of).collect();
    digests.sort_by(|a, b| a.order().cmp(&b.order()));
    let refs: Vec<&Digest> = digests.iter().collect();
    let record = changes::Release {
        version,
        date,
        sessions: changes::state(&refs),
    };
    let mut json = serde_json::to_string_pretty(&record).unwrap_or_default();
    json.push('\n');
    let write = |path: &Path| -> std::io::Result<()> {
        std::fs::create_dir_all(path.parent().unwrap_or(root))?;
        std::fs::write(path, json.as_bytes())
    };
    write(&root.join(&rel)).map_err(|e| {
        vec![
            Finding::error(&rel, 0, 0, format!("cannot write: {e}"))
                .help("make versions/ writable"),
        ]
    })?;
    Ok(rel)
}
