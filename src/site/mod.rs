//! The site: the edition rendered through a tera theme into static files.
//!
//! [`build`] runs the whole pipeline: load (ingest + annotate), render every
//! page, write into a staging folder, swap it into place. Links between pages
//! are relative and name files, so the site works from disk and at any subpath.

pub mod cache;
pub mod config;
pub mod markdown;
pub mod pages;
pub mod preview;
pub mod render;
pub mod theme;
pub mod write;

use crate::diagnostics::{self, Finding};
use config::Config;
use indicatif::ParallelProgressIterator;
use rayon::prelude::*;
pub use render::{STEPS, Step, StepTimes};
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
    id: String,
    key: u64,
    digest: pages::Digest,
    share: crate::search::SessionIndex,
    /// Set when the session was made afresh (not carried over from the
    /// cache): its findings, to cache with it.
    fresh: Option<Vec<cache::CachedFinding>>,
}

/// Checks the edition at `root` as a build would, writing nothing: the
/// content and annotations (merged session by session), and also what only a
/// build read before, the configuration and the theme's templates, so that
/// `check` refuses everything `build` would.
pub fn check(root: &Path) -> crate::load::Loaded {
    let mut loaded = crate::load::load(root);
    let theme_findings = render::Renderer::load(root, loaded.config.clone(), false)
        .err()
        .map(|f| f.findings)
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
    let inputs = cache::Inputs::scan(root, options);
    let output_as_left = state
        .as_ref()
        .is_some_and(|s| cache::output_files(out) == s.files);
    if let Some(state) = state
        .as_ref()
        .filter(|s| output_as_left && s.inputs == inputs.key)
    {
        return Ok(Summary {
            sessions: state.sessions.len(),
            rebuilt: 0,
            pages: state.pages,
            corrections: state.corrections,
            warnings: state.warnings.iter().map(Finding::from).collect(),
            seconds: started.elapsed().as_secs_f64(),
            layers_read: 0,
            layers: inputs
                .files
                .keys()
                .filter(|p| p.starts_with("annotations"))
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
                .count(),
            prepare_seconds: 0.0,
            session_seconds: 0.0,
            pages_seconds: 0.0,
            index_seconds: 0.0,
            swap_seconds: 0.0,
            steps: StepTimes::default(),
        });
    }

    let prepared = match &state {
        Some(state) => crate::load::prepare_knowing(root, &state.known_layers(&inputs)),
        None => crate::load::prepare(root),
    };
    if diagnostics::has_errors(&prepared.findings) {
        return Err(Failure {
            findings: prepared.findings,
        });
    }
    let prepare_seconds = started.elapsed().as_secs_f64();
    let renderer = render::Renderer::load(root, prepared.config.clone(), options.minify)?;
    let (config, theme, markdown_pages) =
        (&renderer.config, &renderer.theme, &renderer.markdown_pages);
    let people: Vec<crate::edition::Person> = prepared.registry.people.values().cloned().collect();

    // Whether this build can reuse what the last one made, session by session.
    let global = global_key(options, config, theme, markdown_pages, &prepared);
    let keys: BTreeMap<&str, u64> = prepared
        .content
        .iter()
        .map(|(id, rel)| {
            (
                id.as_str(),
                session_key(global, id, rel, &prepared, root, &inputs),
            )
        })
        .collect();
    let staging = write::Staging::new(out, &lock).map_err(|e| io_failure(out, e))?;
    let writer = Writer {
        renderer: &renderer,
        staging: &staging,
        out,
        global,
        previous: state
            .as_ref()
            .filter(|s| output_as_left && s.global == global),
        page_keys: Default::default(),
    };
    let roster = Roster {
        by_id: people.iter().map(|p| (p.id.as_str(), p)).collect(),
        table: crate::search::index::PeopleTable::new(&people),
    };

    // Sessions, in parallel: the bulk of the work. Each is dropped once its
    // page and document shards are written.
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
            carried_session(&writer, &cache, id, key)
                .unwrap_or_else(|| made_session(&writer, &prepared, root, &roster, (id, rel), key))
        })
        .collect();
    bar.finish_and_clear();
    let session_seconds = started.elapsed().as_secs_f64() - prepare_seconds;

    let layers = parsed_session_layers(&prepared, root, &inputs);
    let deferred_of = |id: &str| prepared.deferred.get(id).map_or(0, Vec::len);
    let layers_read = prepared.layers.len()
        + session_phase
            .iter()
            .filter_map(|(r, _)| r.as_ref().filter(|r| r.fresh.is_some()))
            .map(|r| deferred_of(&r.id))
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
    sessions.sort_by(|a, b| a.digest.order().cmp(&b.digest.order()));
    let digests: Vec<&pages::Digest> = sessions.iter().map(|r| &r.digest).collect();

    // The edition-wide pages and the search index, side by side: both read
    // only the sessions' digests and shares.
    let ((edition, pages_seconds), (index, index_seconds)) = rayon::join(
        || timed(|| edition_pages(&writer, &digests, &people)),
        || timed(|| search_index(&writer, &sessions, &people)),
    );
    let pages_written = edition? + digests.len();
    let assembled = index?;

    let write_started = Instant::now();
    for (path, bytes) in &theme.assets {
        writer.write(&format!("static/{path}"), bytes)?;
    }
    let page_keys = writer.page_keys.into_inner().unwrap_or_default();
    let retired = staging.commit().map_err(|e| io_failure(out, e))?;
    let index_groups = assembled.groups;
    let corrections = digests.iter().map(|d| d.summary.corrections).sum();
    let rebuilt = sessions.iter().filter(|r| r.fresh.is_some()).count();
    let session_count = digests.len();
    drop(digests);
    // The cache is an optimisation: failing to write it costs the next build
    // time, not this one its success.
    let save = || {
        sessions
            .into_par_iter()
            .filter_map(|r| {
                let findings = r.fresh?;
                let record = cache::SessionRecord {
                    key: r.key,
                    digest: r.digest,
                    docs: r.share.docs,
                    doc_shards: r.share.doc_shards,
                    postings: r.share.postings,
                    findings,
                };
                cache.save_session(&r.id, &record).err()
            })
            .collect::<Vec<_>>()
            .into_iter()
            .next()
            .map_or(Ok(()), Err)
            .and_then(|()| {
                cache.save_state(&cache::State {
                    format: cache::format(),
                    inputs: inputs.key,
                    global,
                    sessions: keys.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
                    files: cache::output_files(out),
                    pages: pages_written,
                    corrections,
                    warnings: findings.iter().map(cache::CachedFinding::from).collect(),
                    index_groups,
                    page_keys,
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

/// Where a build's files go, and what the last build left: what the stages
/// after preparing share.
struct Writer<'a> {
    renderer: &'a render::Renderer,
    staging: &'a write::Staging,
    out: &'a Path,
    global: u64,
    /// The last build's state, when the output is as it left it and its global
    /// key is this build's: what unchanged sessions, edition pages and index
    /// term groups are carried over from.
    previous: Option<&'a cache::State>,
    /// Every edition-wide page's key, for the next build.
    page_keys: std::sync::Mutex<BTreeMap<String, u64>>,
}

impl Writer<'_> {
    /// Writes a file into the staging folder. Index files are named by their
    /// content: an equal name is an equal file.
    fn write_io(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.renderer.steps.time(Step::Write, || {
            self.staging
                .write(path, bytes, crate::search::index::is_content_named(path))
        })
    }

    /// [`Writer::write_io`], failing as a finding.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Finding> {
        self.write_io(path, bytes)
            .map_err(|e| io_failure_finding(self.out, e))
    }

    /// An edition-wide page. It is keyed by its template and everything its
    /// context holds; a page whose key is unchanged is carried over, any
    /// other is rendered and written at once (10,000 person pages are not
    /// held in memory together).
    fn page(&self, template: &str, ctx: render::PageContext, path: &str) -> PageJob {
        let mut key = cache::KeyWriter::new(self.global);
        key.part(template.as_bytes());
        key.part(path.as_bytes());
        ctx.key(&mut key);
        let key = key.finish();
        if let Ok(mut keys) = self.page_keys.lock() {
            keys.insert(path.to_string(), key);
        }
        let unchanged = self
            .previous
            .is_some_and(|s| s.page_keys.get(path) == Some(&key))
            && self.staging.link(path).is_ok();
        if unchanged {
            return Ok(());
        }
        self.renderer
            .render_page(template, ctx, path)
            .and_then(|bytes| self.write(path, &bytes))
    }
}

/// The registry's people as sessions look them up: by id (for session pages)
/// and as the search index numbers and names them.
struct Roster<'a> {
    by_id: BTreeMap<&'a str, &'a crate::edition::Person>,
    table: crate::search::index::PeopleTable<'a>,
}

/// An unchanged session, carried over: its page and document shards are
/// linked from the output, its digest and share come from the cache. `None`
/// when the last build made it with another key (or its output cannot be
/// reused), the cache has no record of it, or the output lost a file.
fn carried_session(
    w: &Writer,
    cache: &cache::Cache,
    id: &str,
    key: u64,
) -> Option<(Option<Rendered>, Vec<Finding>)> {
    w.previous.filter(|s| s.sessions.get(id) == Some(&key))?;
    let record = cache.session(id, key)?;
    let files = std::iter::once(pages::session_path(id))
        .chain(record.doc_shards.iter().map(|n| format!("search/{n}.js")));
    let linked = w.renderer.steps.time(Step::Write, || {
        files.into_iter().all(|f| w.staging.link(&f).is_ok())
    });
    if !linked {
        return None;
    }
    let findings = record.findings.iter().map(Finding::from).collect();
    let rendered = Rendered {
        id: id.to_string(),
        key,
        digest: record.digest,
        share: crate::search::SessionIndex {
            docs: record.docs,
            doc_shards: record.doc_shards,
            postings: record.postings,
        },
        fresh: None,
    };
    Some((Some(rendered), findings))
}

/// A session made afresh: read, merged, rendered and written, indexed (its
/// document shards written), leaving its digest and share. `None` with the
/// findings when it has errors.
fn made_session(
    w: &Writer,
    prepared: &crate::load::Prepared,
    root: &Path,
    roster: &Roster,
    (id, rel): (&str, &Path),
    key: u64,
) -> (Option<Rendered>, Vec<Finding>) {
    let steps = &w.renderer.steps;
    let mut findings = Vec::new();
    let (session, found) = steps.time(Step::ReadMerge, || {
        let bytes = crate::load::read_transcript(root, rel, &mut findings);
        prepared.merge(id, rel, &bytes)
    });
    findings.extend(found);
    if diagnostics::has_errors(&findings) {
        return (None, findings);
    }
    let page = w
        .renderer
        .session_page(&session, &roster.by_id)
        .and_then(|(path, page)| w.write(&path, &page));
    let (share, doc_files) = steps.time(Step::Index, || {
        crate::search::SessionIndex::build(&session, &roster.table)
    });
    let docs = doc_files
        .iter()
        .try_for_each(|(path, bytes)| w.write(path, bytes));
    if let Err(f) = page.and(docs) {
        findings.push(f);
        return (None, findings);
    }
    let digest = steps.time(Step::Digest, || pages::Digest::of(&session));
    let fresh = Some(findings.iter().map(cache::CachedFinding::from).collect());
    // A warning's copy of its transcript (for snippets) would keep every
    // transcript in memory until the end of the build; a successful build
    // reports warnings as plain lines.
    for f in &mut findings {
        f.source = None;
    }
    let rendered = Rendered {
        id: id.to_string(),
        key,
        digest,
        share,
        fresh,
    };
    (Some(rendered), findings)
}

/// The edition-wide pages (home, events, people and each person, Markdown
/// pages, search, 404; with a base URL the sitemap and the feed), from the
/// sessions' digests. Returns how many pages the edition has besides the
/// sessions'.
fn edition_pages(
    w: &Writer,
    digests: &[&pages::Digest],
    people: &[crate::edition::Person],
) -> Result<usize, Failure> {
    let (config, markdown_pages) = (&w.renderer.config, &w.renderer.markdown_pages);
    let base = |path: &str, title: &str| w.renderer.base(path, title);
    let mut jobs: Vec<(String, PageJob)> = Vec::new();
    let groups = pages::event_groups(digests);
    let years = pages::sessions_per_year(digests);
    let mut ctx = base("index.html", &config.title);
    ctx.insert("groups", &groups);
    ctx.insert("totals", &pages::totals(digests, people.len()));
    ctx.insert("years", &years);
    ctx.insert(
        "intro",
        &markdown_pages
            .iter()
            .find(|p| p.slug == "index")
            .map(|p| p.html.clone()),
    );
    jobs.push(("index.html".into(), w.page("index.html", ctx, "index.html")));
    let mut ctx = base("events.html", "Events");
    ctx.insert("groups", &groups);
    jobs.push((
        "events.html".into(),
        w.page("events.html", ctx, "events.html"),
    ));
    let views = pages::person_views(digests, people);
    let mut ctx = base("people.html", "People");
    let rows: Vec<pages::PersonRow> = views.iter().map(pages::PersonView::row).collect();
    ctx.insert("people", &rows);
    jobs.push((
        "people.html".into(),
        w.page("people.html", ctx, "people.html"),
    ));
    jobs.par_extend(views.par_iter().map(|v| {
        let path = pages::person_path(&v.person.id);
        let mut ctx = base(&path, &v.person.name);
        ctx.insert("view", v);
        let page = w.page("person.html", ctx, &path);
        (path, page)
    }));
    for markdown in markdown_pages.iter().filter(|p| p.slug != "index") {
        let path = format!("{}.html", markdown.slug);
        let mut ctx = base(&path, &markdown.title);
        ctx.insert("page", markdown);
        let html = w.page("page.html", ctx, &path);
        jobs.push((path, html));
    }
    let mut ctx = base("search.html", "Search");
    ctx.insert("people", &people);
    ctx.insert("years", &years);
    ctx.insert("groups", &groups);
    jobs.push((
        "search.html".into(),
        w.page("search.html", ctx, "search.html"),
    ));
    let mut ctx = base("404.html", "Page not found");
    ctx.insert("root", &config.base_url.clone().unwrap_or_default());
    jobs.push(("404.html".into(), w.page("404.html", ctx, "404.html")));
    // With a base URL: a sitemap of every page and an Atom feed of the sessions.
    if config.base_url.is_some() {
        let mut urls: Vec<String> = jobs
            .iter()
            .map(|(p, _)| p.clone())
            .chain(digests.iter().map(|d| d.summary.url.clone()))
            .filter(|p| p != "404.html")
            .collect();
        urls.sort();
        let mut ctx = base("sitemap.xml", "Sitemap");
        ctx.insert("urls", &urls);
        jobs.push((
            "sitemap.xml".into(),
            w.page("sitemap.xml", ctx, "sitemap.xml"),
        ));
        let mut ctx = base("atom.xml", &config.title);
        // The feed's date is the newest session's, so it changes only with the content.
        let updated = digests
            .iter()
            .filter_map(|d| d.summary.date.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01".into());
        ctx.insert("groups", &groups);
        ctx.insert("updated", &updated);
        jobs.push(("atom.xml".into(), w.page("atom.xml", ctx, "atom.xml")));
    }
    let mut errors = Vec::new();
    let pages_written = jobs.len();
    for (_, job) in jobs {
        if let Err(f) = job {
            errors.push(f);
        }
    }
    if errors.is_empty() {
        Ok(pages_written)
    } else {
        Err(Failure { findings: errors })
    }
}

/// The search index, assembled from every session's share (term groups whose
/// input is unchanged are carried over from the output).
fn search_index(
    w: &Writer,
    sessions: &[Rendered],
    people: &[crate::edition::Person],
) -> Result<crate::search::index::Assembly, Failure> {
    let rows: Vec<(
        &crate::search::SessionIndex,
        crate::search::index::SessionRow,
    )> = sessions
        .iter()
        .map(|r| {
            let s = &r.digest.summary;
            (
                &r.share,
                crate::search::index::SessionRow {
                    id: &s.id,
                    title: &s.title,
                    event: r.digest.event.as_deref(),
                    year: r.digest.year,
                    date: s.date.as_deref(),
                },
            )
        })
        .collect();
    let table: Vec<(&str, &str)> = people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let no_groups = BTreeMap::new();
    let previous = w.previous.map_or(&no_groups, |s| &s.index_groups);
    let sink = |(path, bytes): &crate::search::index::IndexFile| w.write_io(path, bytes);
    crate::search::assemble(&rows, &table, previous, &sink)
        .and_then(|assembly| {
            let carried = assembly.carried.par_iter().all(|path| {
                w.renderer
                    .steps
                    .time(Step::Write, || w.staging.link(path))
                    .is_ok()
            });
            if carried {
                Ok(assembly)
            } else {
                // The output lost files the cache counted on: make them all.
                crate::search::assemble(&rows, &table, &no_groups, &sink)
            }
        })
        .map_err(|e| io_failure(w.out, e))
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
    let mut key = cache::KeyWriter::for_build(options);
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
fn parsed_session_layers(
    prepared: &crate::load::Prepared,
    root: &Path,
    inputs: &cache::Inputs,
) -> BTreeMap<String, (u64, String)> {
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
            let hash = inputs.hash(root, path);
            Some((path.to_str()?.to_string(), (hash, session.to_string())))
        })
        .collect()
}

/// A session's key: the global key, its id, and the hashes of its transcript
/// and its layers (from the scan of the inputs).
fn session_key(
    global: u64,
    id: &str,
    transcript: &Path,
    prepared: &crate::load::Prepared,
    root: &Path,
    inputs: &cache::Inputs,
) -> u64 {
    let mut key = cache::KeyWriter::new(global);
    key.part(id.as_bytes());
    key.part(&inputs.hash(root, transcript).to_le_bytes());
    for path in prepared.layer_paths_of(id) {
        key.part(path.as_os_str().as_encoded_bytes());
        key.part(&inputs.hash(root, path).to_le_bytes());
    }
    key.finish()
}

/// An edition-wide page: written (or carried over unchanged), or why it could
/// not be rendered or written.
type PageJob = Result<(), Finding>;

fn io_failure_finding(out: &Path, e: std::io::Error) -> Finding {
    Finding::error(out, 0, 0, format!("cannot write the site: {e}"))
        .help("check that the output folder's parent is writable")
}

fn io_failure(out: &Path, e: std::io::Error) -> Failure {
    Failure::from(io_failure_finding(out, e))
}
