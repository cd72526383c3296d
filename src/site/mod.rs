//! The site: the edition rendered through a tera theme into static files.
//!
//! [`build`] runs the whole pipeline: load (ingest + annotate), render every
//! page, write into a staging folder, swap it into place. Links between pages
//! are relative and name files, so the site works from disk and at any subpath.

pub mod cache;
mod keys;
mod order;
pub mod preview;
mod sessions;
pub mod write;

pub use crate::html::Html;
use crate::html::render;

use crate::diagnostics::{self, Finding};
use crate::edition::SessionId;
use crate::output::Output;
pub use crate::output::{STEPS, Step, StepTimes};
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
    /// Transcripts read to find whether they changed, of `transcripts`:
    /// the others' size and modification time were as the last build
    /// found them.
    pub transcripts_read: usize,
    pub transcripts: usize,
    /// Time spent preparing: listing content, reading the layers that need
    /// it, the registry.
    pub prepare_seconds: f64,
    /// Time from the end of preparing to the end of the session phase (every
    /// session read, merged, rendered, indexed and written).
    pub session_seconds: f64,
    /// Time spent foreseeing each session's place (its neighbours) before
    /// the session phase.
    pub place_seconds: f64,
    /// Sessions made a second time because their place was foreseen wrong,
    /// and the time that took.
    pub placed_again: usize,
    pub placed_again_seconds: f64,
    /// Time spent on the data exports' edition-wide files and the archive.
    pub data_seconds: f64,
    /// Time spent on the edition-wide pages (home, events, people, feeds).
    pub pages_seconds: f64,
    /// Time spent assembling and writing the search index.
    pub index_seconds: f64,
    /// Time spent swapping the output into place.
    pub swap_seconds: f64,
    /// CPU time of the session phase's steps.
    pub steps: StepTimes,
}

impl Summary {
    /// A build that found nothing to do: the inputs and the output are what
    /// the last build (`state`) read and left.
    fn unchanged(
        state: &cache::State,
        snapshot: &crate::snapshot::Snapshot,
        started: Instant,
    ) -> Summary {
        Summary {
            sessions: state.sessions.len(),
            rebuilt: 0,
            pages: state.pages,
            corrections: state.corrections,
            warnings: state.warnings.iter().map(Finding::from).collect(),
            seconds: started.elapsed().as_secs_f64(),
            layers_read: 0,
            layers: crate::load::annotation_files(snapshot).len(),
            transcripts_read: snapshot.transcripts_read,
            transcripts: snapshot.known().stamps.len(),
            prepare_seconds: 0.0,
            session_seconds: 0.0,
            place_seconds: 0.0,
            placed_again: 0,
            placed_again_seconds: 0.0,
            data_seconds: 0.0,
            pages_seconds: 0.0,
            index_seconds: 0.0,
            swap_seconds: 0.0,
            steps: StepTimes::default(),
        }
    }
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
    match attempt(root, out, options) {
        Ok(summary) => Ok(summary),
        Err(Attempt::Failed(failure)) => Err(failure),
        // The cache is an optimisation: a damaged one costs a build from
        // scratch, not a wrong site.
        Err(Attempt::CacheDamaged(_)) if !options.fresh => {
            let fresh = Options {
                fresh: true,
                ..options.clone()
            };
            build(root, out, &fresh)
        }
        Err(Attempt::CacheDamaged(failure)) => Err(failure),
    }
}

/// Why one attempt at a build did not succeed.
enum Attempt {
    Failed(Failure),
    /// What the build cache kept was found damaged while it was used
    /// (after the output was staged from it): building from scratch works.
    CacheDamaged(Failure),
}

impl From<Failure> for Attempt {
    fn from(failure: Failure) -> Attempt {
        Attempt::Failed(failure)
    }
}

/// One build, as [`build`] describes; the lock on the output is held until
/// it returns.
fn attempt(root: &Path, out: &Path, options: &Options) -> Result<Summary, Attempt> {
    let started = Instant::now();
    // What the last build left. Before anything is parsed: when no input file
    // changed by a byte and the output is what that build left, there is
    // nothing to do.
    let lock = write::lock_output(out).map_err(|e| io_failure(out, e))?;
    let cache = cache::Cache::for_output(root, out);
    let mut state = cache.state().filter(|_| !options.fresh);
    // The output is listed (to check it is as the last build left it)
    // while the inputs are read and prepared: both mostly wait on the file
    // system, and the answer is needed only once the build knows what it
    // can carry over, or that there is nothing to do.
    let mut listing = state.as_ref().map(|_| {
        let out = out.to_path_buf();
        std::thread::spawn(move || cache::output_files(&out))
    });
    let mut listed: Option<bool> = None;
    let mut output_as_left = |state: &Option<cache::State>| -> bool {
        *listed.get_or_insert_with(|| {
            let files = listing.take().and_then(|l| l.join().ok());
            state
                .as_ref()
                .zip(files)
                .is_some_and(|(s, files)| files == s.files)
        })
    };
    let known = state.as_ref().map(|s| &s.transcripts);
    let snapshot = std::sync::Arc::new(crate::snapshot::Snapshot::read_knowing(
        root,
        known.unwrap_or(&Default::default()),
    ));
    let inputs = cache::inputs_key(&snapshot, options);
    if let Some(state) = state
        .as_ref()
        .filter(|s| s.inputs == inputs && snapshot.findings.is_empty())
        .filter(|_| output_as_left(&state))
    {
        return Ok(Summary::unchanged(state, &snapshot, started));
    }

    let known = state
        .as_ref()
        .map(|s| s.known_layers(&snapshot))
        .unwrap_or_default();
    let mut prepared = crate::load::prepare_snapshot(snapshot.clone(), &known);
    if diagnostics::has_errors(&prepared.findings) {
        return Err(Failure {
            findings: prepared.findings,
        }
        .into());
    }
    let prepare_seconds = started.elapsed().as_secs_f64();
    let renderer = render::Renderer::load(&snapshot, prepared.config.clone(), options.minify)
        .map_err(|findings| Failure { findings })?;
    let (config, theme, markdown_pages) =
        (&renderer.config, &renderer.theme, &renderer.markdown_pages);
    let people: Vec<crate::edition::Person> = prepared.registry.people.values().cloned().collect();

    // Whether this build can reuse what the last one made, session by session.
    let global = keys::global_key(options, config, theme, markdown_pages, &prepared);
    let (expected, place_seconds) = timed(|| order::expected(&prepared, state.as_ref()));
    // The layers' meta has placed the sessions; each session's layers are
    // read again when it is made.
    prepared.defer_session_layers();
    let inputs_of: BTreeMap<&SessionId, u64> = prepared
        .content
        .iter()
        .map(|(id, rel)| (id, keys::session_key(global, id, rel, &prepared)))
        .collect();
    let mut keys: BTreeMap<&SessionId, u64> = inputs_of
        .iter()
        .map(|(id, inputs)| (*id, order::placed_key(*inputs, &expected[*id])))
        .collect();
    let carry = state.as_ref().is_some_and(|s| s.global == global) && output_as_left(&state);
    // A build that can carry the last output over publishes in place (only
    // the files it writes are moved into place, from the list of the
    // output's files, which moves to the staging); any other writes a
    // whole new site and exchanges it with the old one in one step.
    let published = state
        .as_mut()
        .filter(|_| carry)
        .map(|s| std::mem::take(&mut s.files));
    let previous = state.as_ref().filter(|_| carry);
    let staging = match published {
        Some(files) => write::Staging::in_place(out, &lock, files),
        None => write::Staging::new(out, &lock),
    }
    .map_err(|e| io_failure(out, e))?;
    let parking = write::Parking::new(out, &lock).map_err(|e| io_failure(out, e))?;
    let files = sessions::Staged {
        staging: &staging,
        out,
        steps: &renderer.steps,
        carry: previous.is_some(),
        parking: &parking,
    };
    let outputs = sessions::Outputs {
        html: Html::new(&renderer, &people, global),
        index: crate::search::Index::new(&people, &renderer.steps),
        data: crate::export::Data::new(
            &people,
            crate::data::about(config),
            &crate::data::formats(config),
        ),
    };
    outputs.html.place(expected.clone());

    // Sessions, in parallel: the bulk of the work.
    let session_phase = sessions::session_phase(
        &outputs, &files, &cache, &prepared, &keys, previous, options,
    );
    let session_seconds = started.elapsed().as_secs_f64() - prepare_seconds - place_seconds;

    let layers = keys::parsed_session_layers(&prepared);
    let deferred_of = |id: &SessionId| prepared.deferred.get(id).map_or(0, Vec::len);
    let layers_read = prepared.layers.len()
        + session_phase
            .iter()
            .filter_map(|(r, _)| r.as_ref().filter(|r| r.fresh))
            .map(|r| deferred_of(&r.listing.id))
            .sum::<usize>();
    let layer_count =
        prepared.layers.len() + prepared.deferred.values().map(Vec::len).sum::<usize>();
    let mut findings = std::mem::take(&mut prepared.findings);
    let mut sessions = Vec::with_capacity(session_phase.len());
    for (rendered, found) in session_phase {
        findings.extend(found);
        sessions.extend(rendered);
    }
    diagnostics::sort(&mut findings);
    if diagnostics::has_errors(&findings) {
        return Err(Failure { findings }.into());
    }
    sessions.sort_by(|a, b| a.listing.order().cmp(&b.listing.order()));

    // The sessions placed wrong (a new one between two others, a date
    // changed) are made again, with their true neighbours.
    let actual = order::places(sessions.iter().map(|r| &r.listing));
    let misplaced: Vec<usize> = (0..sessions.len())
        .filter(|&i| expected.get(&sessions[i].listing.id) != actual.get(&sessions[i].listing.id))
        .collect();
    outputs.html.place(
        misplaced
            .iter()
            .map(|&i| &sessions[i].listing.id)
            .map(|id| (id.clone(), actual[id].clone())),
    );
    let placing_again = Instant::now();
    let remade: Vec<_> = misplaced
        .par_iter()
        .filter_map(|&i| {
            let (id, rel) = prepared.content.get_key_value(&sessions[i].listing.id)?;
            let key = order::placed_key(inputs_of[id], &actual[id]);
            let made = sessions::made_session(&outputs, &files, &cache, &prepared, (id, rel), key);
            Some((i, id, made))
        })
        .collect();
    for (i, id, (rendered, found)) in remade {
        match rendered {
            Some(rendered) => {
                keys.insert(id, rendered.key);
                sessions[i] = rendered;
            }
            // Made once already without error: only a file that changed
            // since can fail now.
            None => findings.extend(found),
        }
    }
    let placed_again_seconds = placing_again.elapsed().as_secs_f64();
    if diagnostics::has_errors(&findings) {
        diagnostics::sort(&mut findings);
        return Err(Failure { findings }.into());
    }

    // The data exports first: the Data page lists what they wrote (the
    // archive of them all included), with sizes.
    let data_started = Instant::now();
    let data_shares: Vec<_> = sessions.iter().map(|r| (&r.listing, &r.data)).collect();
    let (_, data_memo) = outputs
        .data
        .finish(&data_shares, &previous.map_or(0, |s| s.data), &files)
        .map_err(|findings| Failure { findings })?;
    // A session carried over has the files the last archives hold: they
    // are copied from them as they are; the rest is compressed anew.
    let fresh: std::collections::HashSet<&str> = sessions
        .iter()
        .filter(|r| r.fresh)
        .map(|r| r.listing.id.as_str())
        .collect();
    let unchanged = |rel: &str| {
        crate::data::session_of(&format!("data/{rel}")).is_some_and(|id| !fresh.contains(id))
    };
    let data_files = staging.data_files().map_err(|e| io_failure(out, e))?;
    let source = |path: &str| staging.source(path);
    let data_files = if config.data.archive {
        let listings: Vec<&crate::output::Listing> = sessions.iter().map(|r| &r.listing).collect();
        let mut made = Vec::new();
        for planned in crate::data::archives(&listings, &data_files) {
            let last = out.join(&planned.path);
            let dest = staging.path(&planned.path);
            // An archive of sessions all carried over, holding the same
            // files, is carried over whole.
            let same = previous.is_some()
                && planned
                    .sessions
                    .iter()
                    .all(|id| !fresh.contains(id.as_str()))
                && crate::data::holds_just(&last, &planned.files)
                && staging.link(&planned.path).is_ok();
            if !same {
                crate::data::archive(
                    &source,
                    &planned.files,
                    previous.is_some().then_some(last.as_path()),
                    &unchanged,
                    &dest,
                )
                .map_err(|e| io_failure(out, e))?;
                staging.made(&planned.path);
            }
            let bytes = std::fs::metadata(staging.source(&planned.path))
                .map_err(|e| io_failure(out, e))?
                .len();
            made.push((planned.path, bytes));
        }
        crate::data::with_archives(data_files, &made)
    } else {
        data_files
    };
    outputs.html.with_data(data_files);
    let data_seconds = data_started.elapsed().as_secs_f64();

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
    let (_, index_memo) = index.map_err(|findings| {
        if outputs.index.found_damaged_postings() {
            Attempt::CacheDamaged(Failure { findings })
        } else {
            Attempt::Failed(Failure { findings })
        }
    })?;

    // The media files, published as they are: linked, never read.
    for media in &prepared.media {
        staging
            .link_from(&root.join(media), media)
            .map_err(|e| io_failure(out, e))?;
    }

    let write_started = Instant::now();
    let (retired, files_now) = staging.commit().map_err(|e| io_failure(out, e))?;
    let corrections = sessions.iter().map(|r| r.html.summary.corrections).sum();
    let rebuilt = sessions.iter().filter(|r| r.fresh).count();
    let session_count = sessions.len();
    let state = cache::State {
        format: cache::format(),
        inputs,
        global,
        sessions: keys.iter().map(|(k, v)| ((*k).clone(), *v)).collect(),
        listings: sessions
            .iter()
            .map(|r| (r.listing.id.clone(), r.listing.clone()))
            .collect(),
        files: files_now.unwrap_or_else(|| cache::output_files(out)),
        pages: pages_written,
        corrections,
        warnings: findings.iter().map(cache::CachedFinding::from).collect(),
        html: html_memo,
        data: data_memo,
        index: index_memo,
        parsed_by: cache::executable_hash(),
        transcripts: snapshot.known().clone(),
        layers,
    };
    // The cache is an optimisation: failing to write it costs the next build
    // time, not this one its success.
    let save = || cache.save_state(&state);
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
        transcripts_read: snapshot.transcripts_read,
        transcripts: snapshot.known().stamps.len(),
        prepare_seconds,
        session_seconds,
        place_seconds,
        placed_again: misplaced.len(),
        placed_again_seconds,
        data_seconds,
        pages_seconds,
        index_seconds,
        swap_seconds: write_started.elapsed().as_secs_f64(),
        steps: renderer.steps,
    })
}

fn io_failure_finding(out: &Path, e: std::io::Error) -> Finding {
    Finding::error(out, 0, 0, format!("cannot write the site: {e}"))
        .help("check that the output folder's parent is writable")
}

fn io_failure(out: &Path, e: std::io::Error) -> Failure {
    Failure::from(io_failure_finding(out, e))
}

/// Runs `f`, with the seconds it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed().as_secs_f64())
}
