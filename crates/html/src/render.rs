//! Rendering pages through the theme: the context every page shares, the
//! template, minification. The full build and `serve`'s fast preview both
//! render through a [`Renderer`].

use super::pages::{self, MarkdownPage};
use super::theme::Theme;
use std::collections::BTreeMap;
use std::path::Path;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Person, PersonId, Session};
use verbatim_input::config::Config;
use verbatim_output::{Step, StepTimes};

/// The theme loaded and compiled, the configuration, the Markdown pages
/// (whose titles make the navigation), and where rendering time goes.
pub struct Renderer {
    pub config: Config,
    /// The edition's releases (`versions/`), oldest first.
    pub releases: Vec<pages::changes::Release>,
    /// The interface's strings in the edition's language.
    pub catalogue: std::sync::Arc<crate::i18n::Catalogue>,
    pub theme: Theme,
    pub markdown_pages: Vec<MarkdownPage>,
    /// CPU time of the build's steps, rendering's included.
    pub steps: StepTimes,
    tera: tera::Tera,
    nav: Vec<BTreeMap<&'static str, String>>,
    minify: bool,
    /// For each of [`COMPACT_PARTS`], whether the theme has its template.
    parts: [bool; COMPACT_PARTS.len()],
}

/// A part of a page that its template writes compact and the build does not
/// minify again: the page template places it as `{{ name | safe }}`, the
/// rest of the page goes through minify-html with `stand_in` where the part
/// goes, and the part is spliced in. minify-html's cost is per element, and
/// these parts hold most of a build's elements; what minifying them would
/// save beyond the templates' own whitespace control is quotes and optional
/// end tags.
struct CompactPart {
    page: &'static str,
    template: &'static str,
    name: &'static str,
    /// An element minify-html leaves as it is, of the part's own kind, so
    /// that the elements around it are minified as beside the part.
    stand_in: &'static str,
}

/// The session's transcript and a person's list of turns.
const COMPACT_PARTS: [CompactPart; 2] = [
    CompactPart {
        page: "session.html",
        template: "record.html",
        name: "record",
        stand_in: "<section data-verbatim-record></section>",
    },
    CompactPart {
        page: "person.html",
        template: "person-turns.html",
        name: "turn_list",
        stand_in: "<div data-verbatim-turn-list></div>",
    },
];

impl Renderer {
    /// Loads the theme named by `config` and the Markdown pages of the edition,
    /// or says what is wrong with them.
    pub fn load(
        snapshot: &verbatim_input::snapshot::Snapshot,
        config: Config,
        minify: bool,
    ) -> Result<Renderer, Vec<Finding>> {
        let theme = Theme::load(snapshot, &config.theme).map_err(|f| vec![f])?;
        let catalogue =
            std::sync::Arc::new(theme.catalogue(&config.language).map_err(|f| vec![f])?);
        let tera = theme.tera(catalogue.clone()).map_err(|f| vec![f])?;
        let markdown_pages = pages::markdown_pages(snapshot)?;
        let releases = pages::changes::releases(snapshot)?;
        let nav = markdown_pages
            .iter()
            .filter(|p| p.slug != "index")
            .map(|p| {
                BTreeMap::from([
                    ("url", pages::url_of(&format!("{}.html", p.slug))),
                    ("title", p.title.clone()),
                ])
            })
            .collect();
        Ok(Renderer {
            releases,
            catalogue,
            config,
            markdown_pages,
            steps: StepTimes::default(),
            tera,
            nav,
            minify,
            parts: COMPACT_PARTS.map(|p| theme.templates.contains_key(p.template)),
            theme,
        })
    }

    /// The context every page starts from: its path (as a URL, for canonical
    /// links), the relative way back to the site's root, its title, the site's
    /// settings and navigation.
    pub fn base(&self, path: &str, title: &str) -> PageContext {
        let mut ctx = PageContext::default();
        let depth = path.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("path", &pages::url_of(path));
        ctx.insert("page_title", title);
        ctx.insert("site", &self.config);
        ctx.insert("nav", &self.nav);
        ctx
    }

    /// Renders `template` for the page at `path`, minified when asked. A
    /// page with a part of `COMPACT_PARTS` has it rendered first and
    /// spliced, as its template wrote it, into the rest of the page once
    /// that is minified. A page template that does not place the part
    /// exactly once is minified whole, part and all.
    pub fn render_page(
        &self,
        template: &str,
        ctx: PageContext,
        path: &str,
    ) -> Result<Vec<u8>, Finding> {
        let mut ctx = ctx.context;
        let minifying = self.minify && path.ends_with(".html");
        if let Some((part, _)) = COMPACT_PARTS
            .iter()
            .zip(self.parts)
            .find(|(p, present)| p.page == template && *present)
        {
            let html = self.template(part.template, &ctx, path)?;
            if minifying {
                ctx.insert(part.name, part.stand_in);
                let shell = self.template(template, &ctx, path)?;
                let shell = self.steps.time(Step::Minify, || minify(shell.as_bytes()));
                let mut at = memchr::memmem::find_iter(&shell, part.stand_in.as_bytes());
                if let (Some(i), None) = (at.next(), at.next()) {
                    let mut page = Vec::with_capacity(shell.len() + html.len());
                    page.extend_from_slice(&shell[..i]);
                    page.extend_from_slice(html.as_bytes());
                    page.extend_from_slice(&shell[i + part.stand_in.len()..]);
                    return Ok(page);
                }
            }
            ctx.insert(part.name, &html);
        }
        let html = self.template(template, &ctx, path)?;
        Ok(if minifying {
            self.steps.time(Step::Minify, || minify(html.as_bytes()))
        } else {
            html.into_bytes()
        })
    }

    /// A session's page, `place` its neighbours in the edition: its path and
    /// bytes. Its transcript (`record.html`,
    /// nine in ten of the page's elements) is a compact part (see
    /// `COMPACT_PARTS`).
    pub fn session_page(
        &self,
        session: &Session,
        people: &BTreeMap<&PersonId, &Person>,
        place: &verbatim_output::Neighbours,
    ) -> Result<(String, Vec<u8>), Finding> {
        let path = pages::session_path(&session.id);
        let mut ctx = self.base(&path, session.display_title());
        self.steps.time(Step::View, || {
            let view = pages::session_view(session, people, &self.config, &self.catalogue);
            ctx.insert("view", &view);
            ctx.insert("place", &pages::PlaceView::of(place));
        });
        let bytes = self.render_page("session.html", ctx, &path)?;
        Ok((path, bytes))
    }

    /// Renders `template` without minifying it.
    fn template(&self, template: &str, ctx: &tera::Context, path: &str) -> Result<String, Finding> {
        self.steps
            .time(Step::Template, || self.tera.render(template, ctx))
            .map_err(|e| render_error(template, path, &e))
    }
}

/// A page's template context, which remembers the name of every value put
/// in it: a page's cache key is made from all of them ([`PageContext::key`]),
/// so a value added to a page can never be left out of its key (a page
/// carried over from the last build with a stale value would break the
/// cache's promise: it changes time, never output).
#[derive(Default)]
pub struct PageContext {
    context: tera::Context,
    names: Vec<&'static str>,
}

impl PageContext {
    /// Puts `value` in the context as `name`, for the template to read.
    pub fn insert<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.context.insert(name, value);
        if !self.names.contains(&name) {
            self.names.push(name);
        }
    }

    /// Adds every name and value of the context to `key`, in name order.
    pub fn key(&self, key: &mut verbatim_output::KeyWriter) {
        let mut names = self.names.clone();
        names.sort_unstable();
        for name in names {
            key.part(name.as_bytes());
            key.json(&self.context.get(name));
        }
    }
}

/// The settings pages are minified with.
fn minify_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::new()
    }
}

/// Minifies a page with minify-html, as released. Its one-pass variant is
/// faster but drops the space between a quoted attribute value and the next
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

#[cfg(test)]
mod tests {
    use super::PageContext;
    use verbatim_output::KeyWriter;

    fn key_of(ctx: &PageContext) -> u64 {
        let mut key = KeyWriter::new(0);
        ctx.key(&mut key);
        key.finish()
    }

    #[test]
    fn every_value_put_in_a_page_is_in_its_key() {
        let mut a = PageContext::default();
        a.insert("page_title", "People");
        let without = key_of(&a);
        a.insert("anything_new", &[1, 2, 3]);
        assert_ne!(
            key_of(&a),
            without,
            "a value added to a page changes its key"
        );

        let mut b = PageContext::default();
        b.insert("anything_new", &[1, 2, 3]);
        b.insert("page_title", "People");
        assert_eq!(
            key_of(&a),
            key_of(&b),
            "the order of insertion does not matter"
        );
        b.insert("anything_new", &[1, 2, 4]);
        assert_ne!(key_of(&a), key_of(&b));
    }
}
