//! The site: the edition rendered through a tera theme into static files.
//!
//! [`build`] runs the whole pipeline: load (ingest + annotate), render every
//! page, write into a staging folder, swap it into place. Links between pages
//! are relative and name files, so the site works from disk and at any subpath.

pub mod cache;
pub mod preview;
pub mod write;

pub use crate::html::Html;
use crate::html::{pages, render, theme};

use crate::config::Config;
use crate::diagnostics::{self, Finding};
use crate::output::{Files, Listing, Output};
pub use crate::output::{STEPS, Step, StepTimes};
use indicatif::ParallelProgressIterator;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Build settings from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// Minify HTML output (on by default; off helps debugging templates).
    pub minify: bool,
    /// Show a progress bar while rendering sessions (for a terminal).
    pub progress: bool,
    /// Ignore the build cache: make everything, as the first build does.
    pub fresh: bool,
}

impl Default for Options {
    /// Minified, quiet, incremental.
    fn default() -> Options {
        Options {
            minify: true,
            progress: false,
            fresh: false,
        }
    }
}

/// What a build did, for the one-line summary.
#[derive(Debug)]
pub struct Summary {
    pub sessions: usize,
    /// Sessions read, merged and rendered afresh (the others were unchanged
    /// and carried over from the last build).
    pub rebuilt: usize,
    pub pages: usize,
    pub corrections: usize,
    pub warnings: Vec<Finding>,
    pub seconds: f64,
    /// Annotation files read and parsed, of `layers`: the registry, those
    /// that changed, and those of the sessions made afresh (a layer whose
    /// bytes the last build parsed is otherwise not read again).
    pub layers_read: usize,
    /// Annotation files of the edition.
    pub layers: usize,
    /// Time spent preparing: listing content, reading the layers that need
    /// it, the registry.
    pub prepare_seconds: f64,
    /// Time from the end of preparing to the end of the session phase (every
    /// session read, merged, rendered, indexed and written).
    pub session_seconds: f64,
    /// Time spent on the edition-wide pages (home, events, people, feeds).
    pub pages_seconds: f64,
    /// Time spent assembling and writing the search index.
    pub index_seconds: f64,
    /// Time spent swapping the output into place.
    pub swap_seconds: f64,
    /// CPU time of the session phase's steps.
    pub steps: StepTimes,
}

/// Why a build failed: findings to show the editor (nothing was written).
#[derive(Debug)]
pub struct Failure {
    pub findings: Vec<Finding>,
}

impl From<Finding> for Failure {
    fn from(f: Finding) -> Self {
        Failure { findings: vec![f] }
    }
}

/// One session after the session phase: what the edition-wide pages and the
/// search index need of it. Its page and document shards are already written.
struct Rendered {
    key: u64,
    listing: Listing,
    /// The HTML site's share.
    html: pages::Digest,
    /// The search index's share.
    index: crate::search::SessionIndex,
    /// Set when the session was made afresh (not carried over from the
    /// cache): its findings, to cache with it.
    fresh: Option<Vec<cache::CachedFinding>>,
}

/// Checks the edition at `root` as a build would, writing nothing: the
/// content and annotations (merged session by session), and also what only a
/// build read before, the configuration and the theme's templates, so that
/// `check` refuses everything `build` would.
pub fn check(root: &Path) -> crate::load::Loaded {
    let snapshot = std::sync::Arc::new(crate::snapshot::Snapshot::read(root));
    let mut loaded = crate::load::load_snapshot(snapshot.clone());
    let theme_findings = render::Renderer::load(&snapshot, loaded.config.clone(), false)
        .err()
        .unwrap_or_default();
    loaded.findings.extend(theme_findings);
    diagnostics::sort(&mut loaded.findings);
    loaded
}

/// Builds the edition at `root` into `out`.
///
/// The pipeline: prepare (content list, layers, registry); then each session,
/// in parallel, is read, merged, rendered and written, leaving only its digest
/// and its share of the search index; then the edition-wide pages and the index
/// are made from those; then the staging folder is swapped into place.
pub fn build(root: &Path, out: &Path, options: &Options) -> Result<Summary, Failure> {
    let started = Instant::now();
    // What the last build left. Before anything is parsed: when no input file
    // changed by a byte and the output is what that build left, there is
    // nothing to do.
    let lock = write::lock_output(out).map_err(|e| io_failure(out, e))?;
    let cache = cache::Cache::for_output(root, out);
    let state = cache.state().filter(|_| !options.fresh);
    let snapshot = std::sync::Arc::new(crate::snapshot::Snapshot::read(root));
    let inputs = cache::inputs_key(&snapshot, options);
    let output_as_left = state
        .as_ref()
        .is_some_and(|s| cache::output_files(out) == s.files);
    if let Some(state) = state
        .as_ref()
        .filter(|s| output_as_left && s.inputs == inputs && snapshot.findings.is_empty())
    {
        return Ok(Summary {
            sessions: state.sessions.len(),
            rebuilt: 0,
            pages: state.pages,
            corrections: state.corrections,
            warnings: state.warnings.iter().map(Finding::from).collect(),
            seconds: started.elapsed().as_secs_f64(),
            layers_read: 0,
            layers: crate::load::annotation_files(&snapshot).len(),
            prepare_seconds: 0.0,
            session_seconds: 0.0,
            pages_seconds: 0.0,
            index_seconds: 0.0,
            swap_seconds: 0.0,
            steps: StepTimes::default(),
        });
    }

    let known = state
        .as_ref()
        .map(|s| s.known_layers(&snapshot))
        .unwrap_or_default();
    let prepared = crate::load::prepare_snapshot(snapshot.clone(), &known);
    if diagnostics::has_errors(&prepared.findings) {
        return Err(Failure {
            findings: prepared.findings,
        });
    }
    let prepare_seconds = started.elapsed().as_secs_f64();
    let renderer = render::Renderer::load(&snapshot, prepared.config.clone(), options.minify)
        .map_err(|findings| Failure { findings })?;
    let (config, theme, markdown_pages) =
        (&renderer.config, &renderer.theme, &renderer.markdown_pages);
    let people: Vec<crate::edition::Person> = prepared.registry.people.values().cloned().collect();

    // Whether this build can reuse what the last one made, session by session.
    let global = global_key(options, config, theme, markdown_pages, &prepared);
    let keys: BTreeMap<&str, u64> = prepared
        .content
        .iter()
        .map(|(id, rel)| (id.as_str(), session_key(global, id, rel, &prepared)))
        .collect();
    let staging = write::Staging::new(out, &lock).map_err(|e| io_failure(out, e))?;
    let previous = state
        .as_ref()
        .filter(|s| output_as_left && s.global == global);
    let files = Staged {
        staging: &staging,
        out,
        steps: &renderer.steps,
        carry: previous.is_some(),
    };
    let outputs = Outputs {
        html: Html::new(&renderer, &people, global),
        index: crate::search::Index::new(&people, &renderer.steps),
    };

    // Sessions, in parallel: the bulk of the work. Each is dropped once every
    // output has written its files and taken its share.
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
    let session_phase: Vec<(Option<Rendered>, Vec<Finding>)> = prepared
        .content
        .par_iter()
        .progress_with(bar.clone())
        .map(|(id, rel)| {
            let key = keys[id.as_str()];
            previous
                .filter(|s| s.sessions.get(id.as_str()) == Some(&key))
                .and_then(|_| carried_session(&outputs, &files, &cache, id, key))
                .unwrap_or_else(|| made_session(&outputs, &files, &prepared, (id, rel), key))
        })
        .collect();
    bar.finish_and_clear();
    let session_seconds = started.elapsed().as_secs_f64() - prepare_seconds;

    let layers = parsed_session_layers(&prepared);
    let deferred_of = |id: &str| prepared.deferred.get(id).map_or(0, Vec::len);
    let layers_read = prepared.layers.len()
        + session_phase
            .iter()
            .filter_map(|(r, _)| r.as_ref().filter(|r| r.fresh.is_some()))
            .map(|r| deferred_of(&r.listing.id))
            .sum::<usize>();
    let layer_count =
        prepared.layers.len() + prepared.deferred.values().map(Vec::len).sum::<usize>();
    let mut findings = prepared.findings;
    let mut sessions = Vec::with_capacity(session_phase.len());
    for (rendered, found) in session_phase {
        findings.extend(found);
        sessions.extend(rendered);
    }
    diagnostics::sort(&mut findings);
    if diagnostics::has_errors(&findings) {
        return Err(Failure { findings });
    }
    sessions.sort_by(|a, b| a.listing.order().cmp(&b.listing.order()));

    // The outputs' edition-wide files, side by side: each reads only the
    // sessions' listings and its own shares.
    let no_state = cache::State::default();
    let memo = previous.unwrap_or(&no_state);
    let ((html, pages_seconds), (index, index_seconds)) = rayon::join(
        || {
            timed(|| {
                let shares: Vec<_> = sessions.iter().map(|r| (&r.listing, &r.html)).collect();
                outputs.html.finish(&shares, &memo.html, &files)
            })
        },
        || {
            timed(|| {
                let shares: Vec<_> = sessions.iter().map(|r| (&r.listing, &r.index)).collect();
                outputs.index.finish(&shares, &memo.index, &files)
            })
        },
    );
    let (pages_written, html_memo) = html.map_err(|findings| Failure { findings })?;
    let (_, index_memo) = index.map_err(|findings| Failure { findings })?;

    let write_started = Instant::now();
    let retired = staging.commit().map_err(|e| io_failure(out, e))?;
    let corrections = sessions.iter().map(|r| r.html.summary.corrections).sum();
    let rebuilt = sessions.iter().filter(|r| r.fresh.is_some()).count();
    let session_count = sessions.len();
    // The cache is an optimisation: failing to write it costs the next build
    // time, not this one its success.
    let save = || {
        sessions
            .into_par_iter()
            .filter_map(|r| {
                let findings = r.fresh?;
                let id = r.listing.id.clone();
                let record = cache::SessionRecord {
                    key: r.key,
                    listing: r.listing,
                    html: r.html,
                    index: r.index,
                    findings,
                };
                cache.save_session(&id, &record).err()
            })
            .collect::<Vec<_>>()
            .into_iter()
            .next()
            .map_or(Ok(()), Err)
            .and_then(|()| {
                cache.save_state(&cache::State {
                    format: cache::format(),
                    inputs,
                    global,
                    sessions: keys.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
                    files: cache::output_files(out),
                    pages: pages_written,
                    corrections,
                    warnings: findings.iter().map(cache::CachedFinding::from).collect(),
                    html: html_memo,
                    index: index_memo,
                    parsed_by: cache::executable_hash(),
                    layers,
                })
            })
    };
    let (removed, saved) = rayon::join(|| retired.remove(), save);
    if let Err(e) = removed {
        findings.push(
            Finding::warning(out, 0, 0, format!("cannot remove the previous site: {e}"))
                .help("remove the `.public.old-*` folder beside the output by hand"),
        );
    }
    if let Err(e) = saved {
        findings.push(
            Finding::warning(out, 0, 0, format!("cannot save the build cache: {e}"))
                .help("the next build will redo everything; check that the output folder's parent is writable"),
        );
    }
    Ok(Summary {
        sessions: session_count,
        rebuilt,
        pages: pages_written,
        corrections,
        warnings: findings,
        seconds: started.elapsed().as_secs_f64(),
        layers_read,
        layers: layer_count,
        prepare_seconds,
        session_seconds,
        pages_seconds,
        index_seconds,
        swap_seconds: write_started.elapsed().as_secs_f64(),
        steps: renderer.steps,
    })
}

/// The outputs of a build, driven alike (see [`crate::output`]).
struct Outputs<'a> {
    html: Html<'a>,
    index: crate::search::Index<'a>,
}

/// The staging folder as the outputs' [`Files`]: writes go into it, files
/// carried over are hard links to the published ones.
struct Staged<'a> {
    staging: &'a write::Staging,
    out: &'a Path,
    steps: &'a StepTimes,
    /// Whether the published output is what the last build left, so that
    /// its files may be carried over.
    carry: bool,
}

impl Files for Staged<'_> {
    /// Index files are named by their content: an equal name is an equal file.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Finding> {
        self.steps
            .time(Step::Write, || {
                self.staging
                    .write(path, bytes, crate::search::index::is_content_named(path))
            })
            .map_err(|e| io_failure_finding(self.out, e))
    }

    fn carry(&self, path: &str) -> bool {
        self.carry
            && self
                .steps
                .time(Step::Write, || self.staging.link(path).is_ok())
    }
}

/// An unchanged session, carried over: every output's files for it are
/// linked from the published output, its shares come from the cache. `None`
/// when the cache has no record of it with this key, or the output lost a
/// file.
fn carried_session(
    outputs: &Outputs,
    files: &Staged,
    cache: &cache::Cache,
    id: &str,
    key: u64,
) -> Option<(Option<Rendered>, Vec<Finding>)> {
    let record = cache.session(id, key)?;
    let carried = outputs
        .html
        .session_files(id, &record.html)
        .into_iter()
        .chain(outputs.index.session_files(id, &record.index))
        .all(|f| files.carry(&f));
    if !carried {
        return None;
    }
    let findings = record.findings.iter().map(Finding::from).collect();
    let rendered = Rendered {
        key,
        listing: record.listing,
        html: record.html,
        index: record.index,
        fresh: None,
    };
    Some((Some(rendered), findings))
}

/// A session made afresh: read and merged, then every output writes its
/// files and takes its share. `None` with the findings when it has errors.
fn made_session(
    outputs: &Outputs,
    files: &Staged,
    prepared: &crate::load::Prepared,
    (id, rel): (&str, &Path),
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
    let (html, index) = match (html, index) {
        (Ok(html), Ok(index)) => (html, index),
        (html, index) => {
            findings.extend(html.err());
            findings.extend(index.err());
            return (None, findings);
        }
    };
    let fresh = Some(findings.iter().map(cache::CachedFinding::from).collect());
    // A warning's copy of its transcript (for snippets) would keep every
    // transcript in memory until the end of the build; a successful build
    // reports warnings as plain lines.
    for f in &mut findings {
        f.source = None;
    }
    let rendered = Rendered {
        key,
        listing: Listing::of(&session),
        html,
        index,
        fresh,
    };
    (Some(rendered), findings)
}

/// Runs `f`, with the seconds it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed().as_secs_f64())
}

/// The key of everything every page depends on: the executable, the options,
/// the configuration, the theme, the Markdown pages and the people registry.
fn global_key(
    options: &Options,
    config: &Config,
    theme: &theme::Theme,
    markdown_pages: &[pages::MarkdownPage],
    prepared: &crate::load::Prepared,
) -> u64 {
    let aliases: BTreeMap<&String, &String> = prepared.registry.aliases.iter().collect();
    let mut key = cache::build_key(options);
    key.json(config);
    key.json(&theme.templates);
    key.json(&theme.assets);
    key.json(markdown_pages);
    key.json(&prepared.registry.people);
    key.json(&aliases);
    key.finish()
}

/// Every session layer of the build with the hash of its bytes and its
/// session, for the state: the next build leaves those unchanged unparsed
/// until their session is made again. Layers holding people are not among
/// them (the registry is always read).
fn parsed_session_layers(prepared: &crate::load::Prepared) -> BTreeMap<String, (u64, String)> {
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
            Some((path.to_str()?.to_string(), (hash, session.to_string())))
        })
        .collect()
}

/// A session's key: the global key, its id, and the hashes of its transcript
/// and its layers (from the snapshot).
fn session_key(global: u64, id: &str, transcript: &Path, prepared: &crate::load::Prepared) -> u64 {
    let hash = |path: &Path| prepared.snapshot.hash(path).unwrap_or_default();
    let mut key = crate::output::KeyWriter::new(global);
    key.part(id.as_bytes());
    key.part(&hash(transcript).to_le_bytes());
    for path in prepared.layer_paths_of(id) {
        key.part(path.as_os_str().as_encoded_bytes());
        key.part(&hash(path).to_le_bytes());
    }
    key.finish()
}

fn io_failure_finding(out: &Path, e: std::io::Error) -> Finding {
    Finding::error(out, 0, 0, format!("cannot write the site: {e}"))
        .help("check that the output folder's parent is writable")
}

fn io_failure(out: &Path, e: std::io::Error) -> Failure {
    Failure::from(io_failure_finding(out, e))
}
