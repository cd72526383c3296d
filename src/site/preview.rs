//! The live preview's fast path: when an editor saves a transcript or a
//! session's annotation layer, `serve` shows that session's new page at once,
//! rendered from the inputs it keeps in memory, while the full build (search
//! index, person pages, listings) catches up behind it. Like Hugo's fast
//! render mode, it trades a moment of staleness elsewhere for an instant page.

use super::Options;
use crate::annotate::{self, Layer};
use crate::diagnostics;
use crate::edition::SessionId;
use crate::html::render::Renderer;
use crate::load::Prepared;
use crate::output::Neighbours;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Re-renders the sessions that `changed` files (absolute paths) touch, after
/// updating `prepared` with the changed layers. `None` when the change is not
/// one the fast path can show alone: a new or removed file, the people
/// registry, the theme or configuration, or anything with an error (the full
/// build reports it). On `None`, `prepared` may be stale: prepare it again.
/// The pages link the neighbours in `places` ([`places`]: the last build's;
/// the build behind the preview places the sessions again if they moved).
pub fn preview(
    root: &Path,
    prepared: &mut Prepared,
    changed: &[PathBuf],
    options: &Options,
    places: &BTreeMap<SessionId, Neighbours>,
) -> Option<Vec<(String, Vec<u8>)>> {
    let mut affected: BTreeSet<SessionId> = BTreeSet::new();
    let mut replaced: Vec<(usize, Layer)> = Vec::new();
    for path in changed {
        let rel = path.strip_prefix(root).ok()?;
        let ext = rel.extension().and_then(|e| e.to_str());
        if rel.starts_with("content")
            && ext.is_some_and(|e| crate::load::TRANSCRIPT_EXTENSIONS.contains(&e))
        {
            let id = rel.file_stem()?.to_str()?;
            let (id, _) = prepared.content.get_key_value(id)?;
            affected.insert(id.clone());
        } else if rel.starts_with("annotations") && matches!(ext, Some("yaml" | "yml")) {
            let at = prepared.layers.iter().position(|l| l.path == rel)?;
            let bytes = std::fs::read(path).ok()?;
            let layer = annotate::layer_from_bytes(&bytes, rel).ok()?;
            let old = &prepared.layers[at];
            if !old.file.people.is_empty() || !layer.file.people.is_empty() {
                return None; // the registry: every page may change
            }
            for l in [old, &layer] {
                let id = l.file.session.as_ref()?.value.as_str();
                let (id, _) = prepared.content.get_key_value(id)?;
                affected.insert(id.clone());
            }
            replaced.push((at, layer));
        } else {
            return None;
        }
    }
    for (at, layer) in replaced {
        let before = prepared.layers[at].file.session.as_ref()?.value.clone();
        let after = layer.file.session.as_ref()?.value.clone();
        prepared.layers[at] = layer;
        if before != after {
            if let Some(list) = prepared.by_session.get_mut(before.as_str()) {
                list.retain(|&i| i != at);
            }
            let list = prepared
                .by_session
                .entry(SessionId::new(after))
                .or_default();
            list.push(at);
            list.sort_unstable();
        }
    }
    // The theme and the Markdown pages are those of the snapshot `prepared`
    // was made from: a change to them is not a preview's (see above).
    let renderer =
        Renderer::load(&prepared.snapshot, prepared.config.clone(), options.minify).ok()?;
    let people = prepared.registry.people.iter().collect();
    let mut pages = Vec::new();
    for id in &affected {
        let rel = prepared.content.get(id)?;
        let bytes = std::fs::read(root.join(rel)).ok()?;
        let (session, findings) = prepared.merge(id, rel, &bytes);
        if diagnostics::has_errors(&findings) {
            return None;
        }
        let place = places.get(id).cloned().unwrap_or_default();
        pages.push(renderer.session_page(&session, &people, &place).ok()?);
    }
    Some(pages)
}

/// Where the last build into `out` placed each session (none before a first
/// build). Read from its cache, which takes tens of milliseconds at 5,000
/// sessions: `serve` reads it after each build, not while an editor waits.
pub fn places(root: &Path, out: &Path) -> BTreeMap<SessionId, Neighbours> {
    super::cache::Cache::for_output(root, out)
        .state()
        .map(|s| super::order::places(s.listings.values()))
        .unwrap_or_default()
}
