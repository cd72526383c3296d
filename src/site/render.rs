//! Rendering pages through the theme: the context every page shares, the
//! template, minification. The full build and `serve`'s fast preview both
//! render through a [`Renderer`].

use super::Failure;
use super::config::Config;
use super::pages::{self, MarkdownPage};
use super::theme::Theme;
use crate::diagnostics::Finding;
use crate::edition::{Person, Session};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// The theme loaded and compiled, the configuration, the Markdown pages
/// (whose titles make the navigation), and where rendering time goes.
pub struct Renderer {
    pub config: Config,
    pub theme: Theme,
    pub markdown_pages: Vec<MarkdownPage>,
    /// CPU time of the build's steps, rendering's included.
    pub steps: StepTimes,
    tera: tera::Tera,
    nav: Vec<BTreeMap<&'static str, String>>,
    minify: bool,
    /// `record.html` is the default theme's, written minified.
    record_is_minified: bool,
}

impl Renderer {
    /// Loads the theme named by `config` and the Markdown pages of `root`.
    pub fn load(root: &Path, config: Config, minify: bool) -> Result<Renderer, Failure> {
        let theme = Theme::load(root, &config.theme)?;
        let tera = theme.tera()?;
        let markdown_pages = pages::markdown_pages(root);
        let nav = markdown_pages
            .iter()
            .filter(|p| p.slug != "index")
            .map(|p| {
                BTreeMap::from([
                    ("url", format!("{}.html", p.slug)),
                    ("title", p.title.clone()),
                ])
            })
            .collect();
        Ok(Renderer {
            config,
            markdown_pages,
            steps: StepTimes::default(),
            tera,
            nav,
            minify,
            record_is_minified: theme.is_default_template("record.html"),
            theme,
        })
    }

    /// The context every page starts from: its path, the relative way back to
    /// the site's root, its title, the site's settings and navigation.
    pub fn base(&self, path: &str, title: &str) -> tera::Context {
        let mut ctx = tera::Context::new();
        let depth = path.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("path", path);
        ctx.insert("page_title", title);
        ctx.insert("site", &self.config);
        ctx.insert("nav", &self.nav);
        ctx
    }

    /// Renders `template` for the page at `path`, minified when asked.
    pub fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        path: &str,
    ) -> Result<Vec<u8>, Finding> {
        let html = self.template(template, ctx, path)?;
        Ok(if self.minify && path.ends_with(".html") {
            self.steps.time(3, || minify(html.as_bytes()))
        } else {
            html.into_bytes()
        })
    }

    /// A session's page: its path and bytes.
    ///
    /// The transcript (`record.html`, nine in ten of the page's elements) is
    /// rendered on its own and placed by `session.html` as `{{ record }}`. The
    /// default theme's `record.html` is written as minify-html writes it (a
    /// test holds every page to minifying the whole), so only the rest of the
    /// page goes through minify-html, with a stand-in where the record goes:
    /// minify-html's cost is per element, and it was a quarter of a build.
    /// A record holding an editor's note with markup (unminified HTML from
    /// Markdown), a record template of the site's own, or a `session.html`
    /// that does not place the record exactly once: the whole page is
    /// minified, as any other page.
    pub fn session_page(
        &self,
        session: &Session,
        people: &BTreeMap<&str, &Person>,
    ) -> Result<(String, Vec<u8>), Finding> {
        let path = pages::session_path(&session.id);
        let mut ctx = self.base(&path, session.display_title());
        let markup_in_record = self.steps.time(1, || {
            let view = pages::session_view(session, people, &self.config);
            ctx.insert("view", &view);
            view.record_has_markup()
        });
        let record = self.template("record.html", &ctx, &path)?;
        if self.minify && self.record_is_minified && !markup_in_record {
            ctx.insert("record", RECORD_STAND_IN);
            let shell = self.template("session.html", &ctx, &path)?;
            let shell = self.steps.time(3, || minify(shell.as_bytes()));
            let mut at = memchr::memmem::find_iter(&shell, RECORD_STAND_IN.as_bytes());
            if let (Some(i), None) = (at.next(), at.next()) {
                let mut page = Vec::with_capacity(shell.len() + record.len());
                page.extend_from_slice(&shell[..i]);
                page.extend_from_slice(record.as_bytes());
                page.extend_from_slice(&shell[i + RECORD_STAND_IN.len()..]);
                return Ok((path, page));
            }
        }
        ctx.insert("record", &record);
        let bytes = self.render("session.html", &ctx, &path)?;
        Ok((path, bytes))
    }

    /// Renders `template` without minifying it.
    fn template(&self, template: &str, ctx: &tera::Context, path: &str) -> Result<String, Finding> {
        self.steps
            .time(2, || self.tera.render(template, ctx))
            .map_err(|e| render_error(template, path, &e))
    }
}

/// What stands for the record while the rest of a session page is minified:
/// an element minify-html leaves as it is, and a `section` like the turns, so
/// that the elements around it are minified as beside the turns.
const RECORD_STAND_IN: &str = "<section data-verbatim-record></section>";

/// The settings pages are minified with (and the `text` filter encodes with).
pub(super) fn minify_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::new()
    }
}

/// Minifies a page with minify-html (the vendored copy, whose output is
/// crates.io's byte for byte, only sooner). Its one-pass variant is faster
/// still but drops the space between a quoted attribute value and the next
/// attribute and the `;` of character references, which the HTML standard
/// calls parse errors.
pub fn minify(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &minify_cfg())
}

fn render_error(template: &str, path: &str, e: &tera::Error) -> Finding {
    Finding::error(
        Path::new("templates").join(template).as_path(),
        0,
        0,
        format!("cannot render {path}: {}", error_chain(e)),
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

/// CPU time of the session phase's steps, summed over threads, for `--verbose`
/// and the benchmarks: where a build's time goes.
#[derive(Debug, Default)]
pub struct StepTimes {
    nanos: [std::sync::atomic::AtomicU64; STEPS.len()],
}

/// The steps [`StepTimes`] measures, in pipeline order.
pub const STEPS: [&str; 7] = [
    "read+merge",
    "view",
    "template",
    "minify",
    "index",
    "digest",
    "write",
];

impl StepTimes {
    /// Runs `f`, adding its time to step `i`.
    pub(super) fn time<T>(&self, i: usize, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.nanos[i].fetch_add(
            t.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        out
    }

    /// Seconds per step, in [`STEPS`] order.
    pub fn seconds(&self) -> Vec<(&'static str, f64)> {
        STEPS
            .iter()
            .zip(&self.nanos)
            .map(|(n, v)| {
                (
                    *n,
                    v.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9,
                )
            })
            .collect()
    }
}
