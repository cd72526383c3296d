//! The site: the edition rendered through a tera theme into static files.
//!
//! [`build`] runs the whole pipeline: load (ingest + annotate), render every
//! page, write into a staging folder, swap it into place. Links between pages
//! are relative and name files, so the site works from disk and at any subpath.

pub mod config;
pub mod markdown;
pub mod pages;
pub mod theme;
pub mod write;

use crate::diagnostics::{self, Finding};
use config::Config;
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
}

/// What a build did, for the one-line summary.
#[derive(Debug)]
pub struct Summary {
    pub sessions: usize,
    pub pages: usize,
    pub corrections: usize,
    pub warnings: Vec<Finding>,
    pub seconds: f64,
    /// Time spent loading (ingest, annotate, check).
    pub load_seconds: f64,
    /// Time spent rendering pages.
    pub render_seconds: f64,
    /// Time spent building the search index.
    pub index_seconds: f64,
    /// Time spent writing and swapping the output.
    pub write_seconds: f64,
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

/// Builds the edition at `root` into `out`.
pub fn build(root: &Path, out: &Path, options: &Options) -> Result<Summary, Failure> {
    let started = Instant::now();
    let config = Config::load(root)?;
    let loaded = crate::load::load(root);
    if diagnostics::has_errors(&loaded.findings) {
        return Err(Failure {
            findings: loaded.findings,
        });
    }
    let load_seconds = started.elapsed().as_secs_f64();
    let edition = loaded.edition;
    let theme = theme::Theme::load(root, &config.theme)?;
    let tera = theme.tera()?;
    let staging = write::Staging::new(out).map_err(|e| io_failure(out, e))?;
    let markdown_pages = pages::markdown_pages(root);
    let people: BTreeMap<&str, &crate::edition::Person> =
        edition.people.iter().map(|p| (p.id.as_str(), p)).collect();

    let nav: Vec<BTreeMap<&str, String>> = markdown_pages
        .iter()
        .filter(|p| p.slug != "index")
        .map(|p| {
            BTreeMap::from([
                ("url", format!("{}.html", p.slug)),
                ("title", p.title.clone()),
            ])
        })
        .collect();
    let base = |path: &str, title: &str| {
        let mut ctx = tera::Context::new();
        let depth = path.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("path", path);
        ctx.insert("page_title", title);
        ctx.insert("site", &config);
        ctx.insert("nav", &nav);
        ctx
    };
    let render =
        |template: &str, ctx: &tera::Context, path: &str| -> Result<(String, Vec<u8>), Finding> {
            let html = tera.render(template, ctx).map_err(|e| {
                Finding::error(
                    Path::new("templates").join(template).as_path(),
                    0,
                    0,
                    format!("cannot render {path}: {}", error_chain(&e)),
                )
            })?;
            let bytes = if options.minify && path.ends_with(".html") {
                minify_html::minify(
                    html.as_bytes(),
                    &minify_html::Cfg {
                        minify_css: true,
                        minify_js: true,
                        ..minify_html::Cfg::new()
                    },
                )
            } else {
                html.into_bytes()
            };
            Ok((path.to_string(), bytes))
        };

    let mut jobs: Vec<Result<(String, Vec<u8>), Finding>> = Vec::new();
    // Shared by the home, events, search and feed pages; computed once.
    let groups = pages::event_groups(&edition);
    let years = pages::sessions_per_year(&edition);
    // Home, indexes, Markdown pages, 404.
    {
        let mut ctx = base("index.html", &config.title);
        ctx.insert("groups", &groups);
        ctx.insert("totals", &pages::totals(&edition));
        ctx.insert("years", &years);
        ctx.insert(
            "intro",
            &markdown_pages
                .iter()
                .find(|p| p.slug == "index")
                .map(|p| p.html.clone()),
        );
        jobs.push(render("index.html", &ctx, "index.html"));
        let mut ctx = base("events.html", "Events");
        ctx.insert("groups", &groups);
        jobs.push(render("events.html", &ctx, "events.html"));
        let views = pages::person_views(&edition);
        let mut ctx = base("people.html", "People");
        ctx.insert("people", &views);
        jobs.push(render("people.html", &ctx, "people.html"));
        jobs.extend(
            views
                .par_iter()
                .map(|v| {
                    let path = pages::person_path(&v.person.id);
                    let mut ctx = base(&path, &v.person.name);
                    ctx.insert("view", v);
                    render("person.html", &ctx, &path)
                })
                .collect::<Vec<_>>(),
        );
        for page in markdown_pages.iter().filter(|p| p.slug != "index") {
            let path = format!("{}.html", page.slug);
            let mut ctx = base(&path, &page.title);
            ctx.insert("page", page);
            jobs.push(render("page.html", &ctx, &path));
        }
        let mut ctx = base("search.html", "Search");
        ctx.insert("people", &edition.people);
        ctx.insert("years", &years);
        ctx.insert("groups", &groups);
        jobs.push(render("search.html", &ctx, "search.html"));
        let mut ctx = base("404.html", "Page not found");
        ctx.insert("root", &config.base_url.clone().unwrap_or_default());
        jobs.push(render("404.html", &ctx, "404.html"));
    }
    // Sessions, in parallel: the bulk of the work.
    let bar = if options.progress {
        indicatif::ProgressBar::new(edition.sessions.len() as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "rendering [{bar:30}] {pos}/{len} sessions ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    jobs.extend(
        edition
            .sessions
            .par_iter()
            .progress_with(bar.clone())
            .map(|s| {
                let path = pages::session_path(&s.id);
                let mut ctx = base(&path, s.display_title());
                ctx.insert("view", &pages::session_view(s, &people, &config));
                render("session.html", &ctx, &path)
            })
            .collect::<Vec<_>>(),
    );

    // With a base URL: a sitemap of every page and an Atom feed of the sessions.
    if config.base_url.is_some() {
        let mut urls: Vec<String> = jobs
            .iter()
            .filter_map(|j| j.as_ref().ok())
            .map(|(p, _)| p.clone())
            .filter(|p| p != "404.html")
            .collect();
        urls.sort();
        let mut ctx = base("sitemap.xml", "Sitemap");
        ctx.insert("urls", &urls);
        jobs.push(render("sitemap.xml", &ctx, "sitemap.xml"));
        let mut ctx = base("atom.xml", &config.title);
        // The feed's date is the newest session's, so it changes only with the content.
        let updated = edition
            .sessions
            .iter()
            .filter_map(|s| s.meta.date.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01".into());
        ctx.insert("groups", &groups);
        ctx.insert("updated", &updated);
        jobs.push(render("atom.xml", &ctx, "atom.xml"));
    }

    bar.finish_and_clear();
    let render_seconds = started.elapsed().as_secs_f64() - load_seconds;
    let mut findings = Vec::new();
    let mut count = 0;
    for job in jobs {
        match job {
            Ok((path, bytes)) => {
                staging
                    .write(&path, &bytes)
                    .map_err(|e| io_failure(out, e))?;
                count += 1;
            }
            Err(f) => findings.push(f),
        }
    }
    if !findings.is_empty() {
        return Err(Failure { findings });
    }
    let names: BTreeMap<&str, &str> = edition
        .people
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    // Index building is timed apart from writing its files, which is disk-bound.
    let index_started = Instant::now();
    let index_files = crate::search::build(&edition, &names);
    let index_seconds = index_started.elapsed().as_secs_f64();
    for (path, bytes) in index_files {
        staging
            .write(&path, &bytes)
            .map_err(|e| io_failure(out, e))?;
    }
    for (path, bytes) in &theme.assets {
        staging
            .write(&format!("static/{path}"), bytes)
            .map_err(|e| io_failure(out, e))?;
    }
    staging.commit().map_err(|e| io_failure(out, e))?;
    Ok(Summary {
        sessions: edition.sessions.len(),
        pages: count,
        corrections: edition
            .sessions
            .iter()
            .map(crate::edition::Session::corrections)
            .sum(),
        warnings: loaded.findings,
        seconds: started.elapsed().as_secs_f64(),
        load_seconds,
        render_seconds,
        index_seconds,
        write_seconds: started.elapsed().as_secs_f64()
            - load_seconds
            - render_seconds
            - index_seconds,
    })
}

fn io_failure(out: &Path, e: std::io::Error) -> Failure {
    Failure::from(
        Finding::error(out, 0, 0, format!("cannot write the site: {e}"))
            .help("check that the output folder's parent is writable"),
    )
}

/// A tera error with its causes, which hold the useful part (line, variable).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}
