//! The keys that decide what a build may carry over: the global key (what
//! every page depends on) and each session's key (the global key, the
//! session's transcript and layers), from the hashes the snapshot took.

use super::{Options, cache};
use crate::config::Config;
use crate::edition::{PersonId, SessionId};
use crate::html::{pages, theme};
use std::collections::BTreeMap;
use std::path::Path;

/// The key of everything every page depends on: the executable, the options,
/// the configuration, the theme, the Markdown pages, the people registry
/// and the names of the media files.
pub(super) fn global_key(
    options: &Options,
    config: &Config,
    theme: &theme::Theme,
    markdown_pages: &[pages::MarkdownPage],
    prepared: &crate::load::Prepared,
) -> u64 {
    let aliases: BTreeMap<&String, &PersonId> = prepared.registry.aliases.iter().collect();
    let mut key = cache::build_key(options);
    key.json(config);
    key.json(&theme.templates);
    key.json(&theme.assets);
    key.json(&theme.catalogues);
    key.json(markdown_pages);
    key.json(&prepared.registry.people);
    key.json(&aliases);
    // Which media files there are (not their bytes): a recording's file
    // appearing or going changes what its session's layer may name.
    key.json(&prepared.media);
    key.finish()
}

/// Every session layer of the build with the hash of its bytes and its
/// session, for the state: the next build leaves those unchanged unparsed
/// until their session is made again. Layers holding people are not among
/// them (the registry is always read).
pub(super) fn parsed_session_layers(
    prepared: &crate::load::Prepared,
) -> BTreeMap<String, (u64, SessionId)> {
    let read = prepared
        .layers
        .iter()
        .filter(|l| l.file.people.is_empty())
        .filter_map(|l| Some((l.path.as_path(), l.file.session.as_ref()?.value.as_str())));
    let deferred = prepared.deferred.iter().flat_map(|(session, list)| {
        list.iter()
            .map(move |d| (d.path.as_path(), session.as_str()))
    });
    read.chain(deferred)
        .filter_map(|(path, session)| {
            let hash = prepared.snapshot.hash(path)?;
            Some((path.to_str()?.to_string(), (hash, SessionId::new(session))))
        })
        .collect()
}

/// A session's key: the global key, its id, and the hashes of its transcript
/// and its layers (from the snapshot).
pub(super) fn session_key(
    global: u64,
    id: &SessionId,
    transcript: &Path,
    prepared: &crate::load::Prepared,
) -> u64 {
    let hash = |path: &Path| prepared.snapshot.hash(path).unwrap_or_default();
    let mut key = crate::output::KeyWriter::new(global);
    key.part(id.as_str().as_bytes());
    key.part(&hash(transcript).to_le_bytes());
    // The id lock gives the session's ids.
    key.part(&hash(&crate::load::Prepared::lock_path(id)).to_le_bytes());
    for path in prepared.layer_paths_of(id) {
        key.part(path.as_os_str().as_encoded_bytes());
        key.part(&hash(path).to_le_bytes());
    }
    key.finish()
}
