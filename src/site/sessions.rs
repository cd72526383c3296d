//! The session phase of a build: every session, in parallel, carried over
//! from the last build when its key is unchanged or made afresh, each
//! output writing its files and keeping its share. Apart from the driver
//! (`mod.rs`) because it is the one place sessions meet the outputs and the
//! cache.

use super::{Html, Options, Step, StepTimes, cache, io_failure_finding, write};
use crate::diagnostics::{self, Finding};
use crate::edition::SessionId;
use crate::html::pages;
use crate::output::{Files, Listing, Output, Parked};
use indicatif::ParallelProgressIterator;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// One session after the session phase: what the edition-wide pages and the
/// search index need of it. Its page and document shards are already written.
pub(super) struct Rendered {
    pub(super) key: u64,
    pub(super) listing: Listing,
    /// The HTML site's share.
    pub(super) html: pages::Digest,
    /// The search index's share.
    pub(super) index: crate::search::SessionIndex,
    /// The data exports' share.
    pub(super) data: crate::export::output::Counts,
    /// Whether the session was made afresh (not carried over from the
    /// cache).
    pub(super) fresh: bool,
}

/// The outputs of a build, driven alike (see [`crate::output`]).
pub(super) struct Outputs<'a> {
    pub(super) html: Html<'a>,
    pub(super) index: crate::search::Index<'a>,
    pub(super) data: crate::export::Data<'a>,
}

/// The staging folder as the outputs' [`Files`]: writes go into it, files
/// carried over are hard links to the published ones.
pub(super) struct Staged<'a> {
    pub(super) staging: &'a write::Staging,
    pub(super) out: &'a Path,
    pub(super) steps: &'a StepTimes,
    /// Whether the published output is what the last build left, so that
    /// its files may be carried over.
    pub(super) carry: bool,
    /// Where the outputs park what only their finishing step needs.
    pub(super) parking: &'a write::Parking,
}

impl Files for Staged<'_> {
    /// Index files are named by their content: an equal name is an equal file.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Finding> {
        self.steps
            .time(Step::Write, || {
                self.staging
                    .write(path, bytes, crate::search::index::is_content_named(path))
            })
            .map_err(|e| {
                io_failure_finding(
                    self.out,
                    std::io::Error::new(e.kind(), format!("{path}: {e}")),
                )
            })
    }

    fn carry(&self, path: &str) -> bool {
        self.carry
            && self
                .steps
                .time(Step::Write, || self.staging.link(path).is_ok())
    }

    fn park(&self, bytes: &[u8]) -> Result<Option<Parked>, Finding> {
        self.steps
            .time(Step::Write, || self.parking.park(bytes))
            .map(Some)
            .map_err(|e| self.parking_failure(e))
    }

    fn unpark(&self, places: &[Parked]) -> Result<Vec<u8>, Finding> {
        self.parking
            .unpark(places)
            .map_err(|e| self.parking_failure(e))
    }
}

impl Staged<'_> {
    /// Parks the postings of `share` where the cache keeps them (`kept`,
    /// if it does), else in the scratch file.
    fn park_index(
        &self,
        outputs: &Outputs,
        share: &mut crate::search::SessionIndex,
        kept: Option<std::path::PathBuf>,
    ) -> Result<(), Finding> {
        match kept {
            Some(path) => {
                let place = self
                    .parking
                    .adopt(path, share.postings_len())
                    .map_err(|e| self.parking_failure(e))?;
                share.parked_at(place);
                Ok(())
            }
            None => outputs.index.park(share, self),
        }
    }

    fn parking_failure(&self, e: std::io::Error) -> Finding {
        io_failure_finding(
            self.out,
            std::io::Error::new(e.kind(), format!("the build's scratch space: {e}")),
        )
    }
}

/// An unchanged session, carried over: every output's files for it are
/// linked from the published output, its shares come from the cache. `None`
/// when the cache has no record of it with this key, or the output lost a
/// file.
pub(super) fn carried_session(
    outputs: &Outputs,
    files: &Staged,
    cache: &cache::Cache,
    id: &SessionId,
    key: u64,
) -> Option<(Option<Rendered>, Vec<Finding>)> {
    let record = cache.session(id, key)?;
    // The postings stay where the cache keeps them until assembly.
    let kept = cache.postings(id, key, record.index.postings_len())?;
    let carried = outputs
        .html
        .session_files(id, &record.html)
        .into_iter()
        .chain(outputs.index.session_files(id, &record.index))
        .chain(outputs.data.session_files(id, &record.data))
        .all(|f| files.carry(&f));
    if !carried {
        return None;
    }
    let mut findings: Vec<Finding> = record.findings.iter().map(Finding::from).collect();
    let mut index = record.index;
    if let Err(f) = files.park_index(outputs, &mut index, Some(kept)) {
        findings.push(f);
        return Some((None, findings));
    }
    let rendered = Rendered {
        key,
        listing: record.listing,
        html: record.html,
        index,
        data: record.data,
        fresh: false,
    };
    Some((Some(rendered), findings))
}

/// A session made afresh: read and merged, then every output writes its
/// files and takes its share. `None` with the findings when it has errors.
pub(super) fn made_session(
    outputs: &Outputs,
    files: &Staged,
    cache: &cache::Cache,
    prepared: &crate::load::Prepared,
    (id, rel): (&SessionId, &Path),
    key: u64,
) -> (Option<Rendered>, Vec<Finding>) {
    let mut findings = Vec::new();
    let (session, found) = files.steps.time(Step::ReadMerge, || {
        let bytes = prepared.snapshot.transcript(rel, &mut findings);
        prepared.merge(id, rel, &bytes)
    });
    findings.extend(found);
    if diagnostics::has_errors(&findings) {
        return (None, findings);
    }
    let html = outputs.html.session(&session, files);
    let index = outputs.index.session(&session, files);
    let data = outputs.data.session(&session, files);
    let (html, index, data) = match (html, index, data) {
        (Ok(html), Ok(index), Ok(data)) => (html, index, data),
        (html, index, data) => {
            findings.extend(html.err());
            findings.extend(index.err());
            findings.extend(data.err());
            return (None, findings);
        }
    };
    // The record is cached now, while the share is whole: the outputs may
    // then park parts of it until their finish. The cache is an
    // optimisation, so failing to write it costs the next build time and
    // this one a warning.
    let mut record = cache::SessionRecord {
        key,
        listing: Listing::of(&session),
        html,
        index,
        data,
        findings: findings.iter().map(cache::CachedFinding::from).collect(),
    };
    drop(session);
    let kept = cache.save_session(id, &record);
    if let Err(f) = files.park_index(outputs, &mut record.index, kept) {
        findings.push(f);
        return (None, findings);
    }
    // A warning's copy of its transcript (for snippets) would keep every
    // transcript in memory until the end of the build; a successful build
    // reports warnings as plain lines.
    for f in &mut findings {
        f.source = None;
    }
    let rendered = Rendered {
        key,
        listing: record.listing,
        html: record.html,
        index: record.index,
        data: record.data,
        fresh: true,
    };
    (Some(rendered), findings)
}

/// Every session of `prepared`, in parallel: carried over when `previous`
/// (the last build's state, when its output can be carried over) holds its
/// key, made afresh otherwise. Each session is dropped once every output has
/// written its files and taken its share.
pub(super) fn session_phase(
    outputs: &Outputs,
    files: &Staged,
    cache: &cache::Cache,
    prepared: &crate::load::Prepared,
    keys: &BTreeMap<&SessionId, u64>,
    previous: Option<&cache::State>,
    options: &Options,
) -> Vec<(Option<Rendered>, Vec<Finding>)> {
    let bar = if options.progress {
        indicatif::ProgressBar::new(prepared.content.len() as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "building [{bar:30}] {pos}/{len} sessions ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let phase = prepared
        .content
        .par_iter()
        .progress_with(bar.clone())
        .map(|(id, rel)| {
            let key = keys[id];
            previous
                .filter(|s| s.sessions.get(id) == Some(&key))
                .and_then(|_| carried_session(outputs, files, cache, id, key))
                .unwrap_or_else(|| made_session(outputs, files, cache, prepared, (id, rel), key))
        })
        .collect();
    bar.finish_and_clear();
    phase
}
