//! The HTML site as an [`Output`]: a page per session, then the edition-wide
//! pages (home, events, people and each person, Markdown pages, search, 404;
//! with a base URL the sitemap and the feed) from the sessions' digests.

pub mod i18n;
pub mod markdown;
pub mod pages;
pub mod render;
pub mod theme;

use pages::Digest;
use rayon::prelude::*;
use render::{PageContext, Renderer};
use std::collections::BTreeMap;
use std::sync::Mutex;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Person, PersonId, Session, SessionId};
use verbatim_output::{DataFile, Files, Listing, Neighbours, Output, Step};

/// The HTML site of one build: the renderer, the registry's people, and the
/// key of everything every page depends on.
pub struct Html<'a> {
    renderer: &'a Renderer,
    people: &'a [Person],
    by_id: BTreeMap<&'a PersonId, &'a Person>,
    global: u64,
    /// The data exports' files, for the Data page (set by the build once
    /// they are written; no Data page without them).
    data: std::sync::OnceLock<Vec<DataFile>>,
    /// Each session's neighbours in the edition, as the build places it
    /// before making it (see [`Html::place`]).
    places: std::sync::RwLock<BTreeMap<SessionId, Neighbours>>,
}

impl<'a> Html<'a> {
    /// The site rendered by `renderer` for `people`; `global` is the key of
    /// everything every page depends on (the executable, the options, the
    /// configuration, the theme, the Markdown pages, the registry).
    pub fn new(renderer: &'a Renderer, people: &'a [Person], global: u64) -> Html<'a> {
        Html {
            renderer,
            people,
            by_id: people.iter().map(|p| (&p.id, p)).collect(),
            global,
            data: std::sync::OnceLock::new(),
            places: std::sync::RwLock::default(),
        }
    }

    /// Places sessions in the edition: each page made from now on links to
    /// the neighbours given here (none for a session never placed). The
    /// build places every session before the session phase, by what it
    /// expects their listings to be, and places again the few it expected
    /// wrong before making them anew.
    pub fn place(&self, places: impl IntoIterator<Item = (SessionId, Neighbours)>) {
        if let Ok(mut map) = self.places.write() {
            map.extend(places);
        }
    }

    /// The data exports' files, for the Data page.
    pub fn with_data(&self, files: Vec<DataFile>) {
        let _ = self.data.set(files);
    }
}

impl Output for Html<'_> {
    /// What the edition-wide pages need of a session.
    type Share = Digest;
    /// Each edition-wide page's key, by path.
    type Memo = BTreeMap<String, u64>;

    fn session(&self, session: &Session, files: &dyn Files) -> Result<Digest, Finding> {
        let place = self
            .places
            .read()
            .ok()
            .and_then(|map| map.get(&session.id).cloned())
            .unwrap_or_default();
        let (path, page) = self.renderer.session_page(session, &self.by_id, &place)?;
        files.write(&path, &page)?;
        Ok(self
            .renderer
            .steps
            .time(Step::Digest, || Digest::of(session)))
    }

    fn session_files(&self, id: &SessionId, _: &Digest) -> Vec<String> {
        vec![pages::session_path(id)]
    }

    fn finish(
        &self,
        sessions: &[(&Listing, &Digest)],
        previous: &Self::Memo,
        files: &dyn Files,
    ) -> Result<(usize, Self::Memo), Vec<Finding>> {
        let digests: Vec<&Digest> = sessions.iter().map(|(_, d)| *d).collect();
        let pages = EditionPages {
            html: self,
            files,
            previous,
            keys: Mutex::default(),
        };
        let written = pages.write(&digests)?;
        for (path, bytes) in &self.renderer.theme.assets {
            files
                .write(&format!("static/{path}"), bytes)
                .map_err(|f| vec![f])?;
        }
        let keys = pages.keys.into_inner().unwrap_or_default();
        Ok((written + digests.len(), keys))
    }
}

/// The edition-wide pages of one build, each keyed by its template, its path
/// and everything its context holds; a page whose key is the last build's is
/// carried over.
/// The most addresses one sitemap may list (sitemaps.org's limit).
const SITEMAP_URLS: usize = 50_000;

/// The sitemap's files: `sitemap.xml` when every address fits in one,
/// else `sitemap-1.xml`, `sitemap-2.xml`, … of at most `limit` addresses
/// each (and `sitemap.xml` is their index, [`sitemap_index`]).
fn sitemap_parts(urls: &[String], limit: usize) -> Vec<(String, &[String])> {
    if urls.len() <= limit {
        return vec![("sitemap.xml".to_string(), urls)];
    }
    urls.chunks(limit)
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap-{}.xml", i + 1), chunk))
        .collect()
}

/// A sitemap index of the sitemap files at `paths` under `base_url`: what
/// search engines read when an edition has more pages than one sitemap
/// may list.
fn sitemap_index(base_url: &str, paths: &[&str]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let loc = format!("{base_url}{path}")
            .replace('&', "&amp;")
            .replace('<', "&lt;");
        xml.push_str(&format!("  <sitemap><loc>{loc}</loc></sitemap>\n"));
    }
    xml.push_str("</sitemapindex>\n");
    xml
}

/// Entries in the Atom feed: the newest sessions.
const FEED_ENTRIES: usize = 50;

/// A session's entry in the Atom feed.
#[derive(serde::Serialize)]
struct FeedEntry<'a> {
    /// The entry's id: its page's address with a base URL, else a URN.
    id: String,
    event: Option<&'a str>,
    session: &'a pages::SessionSummary,
}

struct EditionPages<'a> {
    html: &'a Html<'a>,
    files: &'a dyn Files,
    previous: &'a BTreeMap<String, u64>,
    keys: Mutex<BTreeMap<String, u64>>,
}

/// An edition-wide page: written (or carried over unchanged), or why it could
/// not be rendered or written.
type PageJob = Result<(), Finding>;

impl EditionPages<'_> {
    /// A page whose key is unchanged is carried over, any other is rendered
    /// and written at once (10,000 person pages are not held in memory
    /// together).
    fn page(&self, template: &str, ctx: PageContext, path: &str) -> PageJob {
        let key = self.key(template, path, |key| ctx.key(key));
        if self.carried(path, key) {
            return Ok(());
        }
        self.render(template, ctx, path)
    }

    /// A page keyed without its context: `key_of` adds to the key what the
    /// page holds beyond the edition's settings and its path (which the
    /// build's global key and `path` cover, as they cover everything
    /// [`render::Renderer::base`] puts in a context), and `context` is made
    /// only when the page must be rendered. For pages made by the
    /// thousand (a person's), whose context would otherwise be built as
    /// a value tree and serialized again only to find it unchanged.
    fn keyed_page(
        &self,
        template: &str,
        path: &str,
        key_of: impl FnOnce(&mut verbatim_output::KeyWriter),
        context: impl FnOnce() -> PageContext,
    ) -> PageJob {
        let key = self.key(template, path, key_of);
        if self.carried(path, key) {
            return Ok(());
        }
        self.render(template, context(), path)
    }

    /// The key of the page at `path` made with `template`, under the
    /// build's global key, with what `add` puts in.
    fn key(
        &self,
        template: &str,
        path: &str,
        add: impl FnOnce(&mut verbatim_output::KeyWriter),
    ) -> u64 {
        let mut key = verbatim_output::KeyWriter::new(self.html.global);
        key.part(template.as_bytes());
        key.part(path.as_bytes());
        add(&mut key);
        key.finish()
    }

    /// Remembers the page's key for the next build; whether the page was
    /// carried over from the last one (same key, file still there).
    fn carried(&self, path: &str, key: u64) -> bool {
        if let Ok(mut keys) = self.keys.lock() {
            keys.insert(path.to_string(), key);
        }
        self.previous.get(path) == Some(&key) && self.files.carry(path)
    }

    fn render(&self, template: &str, ctx: PageContext, path: &str) -> PageJob {
        self.html
            .renderer
            .render_page(template, ctx, path)
            .and_then(|bytes| self.files.write(path, &bytes))
    }

    /// Writes every edition-wide page; returns how many there are.
    fn write(&self, digests: &[&Digest]) -> Result<usize, Vec<Finding>> {
        let renderer = self.html.renderer;
        let people = self.html.people;
        let (config, markdown_pages) = (&renderer.config, &renderer.markdown_pages);
        let base = |path: &str, title: &str| renderer.base(path, title);
        let mut jobs: Vec<(String, PageJob)> = Vec::new();
        let mut groups = pages::event_groups(digests);
        pages::event_pages(&mut groups);
        let years = pages::sessions_per_year(digests);
        let views = pages::person_views(digests, people);
        // The home page's short lists: the newest dated sessions and the
        // people heard most (by turns).
        let mut recent: Vec<&pages::SessionSummary> = digests
            .iter()
            .map(|d| &d.summary)
            .filter(|s| s.date.is_some())
            .collect();
        recent.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
        recent.truncate(8);
        let mut heard: Vec<pages::PersonRow> = views
            .iter()
            .filter(|v| v.turn_count > 0)
            .map(pages::PersonView::row)
            .collect();
        heard.sort_by(|a, b| {
            b.turn_count
                .cmp(&a.turn_count)
                .then(a.person.id.cmp(&b.person.id))
        });
        heard.truncate(10);
        let mut ctx = base("index.html", &config.title);
        ctx.insert("groups", &groups);
        ctx.insert("totals", &pages::totals(digests, people.len()));
        ctx.insert("years", &years);
        ctx.insert("recent", &recent);
        ctx.insert("heard", &heard);
        ctx.insert(
            "intro",
            &markdown_pages
                .iter()
                .find(|p| p.slug == "index")
                .map(|p| p.html.clone()),
        );
        jobs.push((
            "index.html".into(),
            self.page("index.html", ctx, "index.html"),
        ));
        let mut ctx = base("events.html", &renderer.catalogue.get("events.title", &[]));
        ctx.insert("groups", &groups);
        jobs.push((
            "events.html".into(),
            self.page("events.html", ctx, "events.html"),
        ));
        // A large edition's events, each on its own page.
        for group in &groups {
            let Some(path) = &group.page else { continue };
            let title = match &group.event {
                Some(event) => event.clone(),
                None => renderer.catalogue.get("events.other", &[]),
            };
            let mut ctx = base(path, &title);
            ctx.insert("event", group);
            ctx.insert("groups", std::slice::from_ref(group));
            jobs.push((path.clone(), self.page("events.html", ctx, path)));
        }
        let mut ctx = base("people.html", &renderer.catalogue.get("people.title", &[]));
        // By name as a reader looks one up: folded, so `Çağrı` sorts
        // among the C's; the id breaks ties.
        let mut rows: Vec<pages::PersonRow> = views.iter().map(pages::PersonView::row).collect();
        rows.sort_by_cached_key(|r| (verbatim_text::fold(&r.person.name), r.person.id.clone()));
        let letters = pages::name_letters(&rows);
        if letters.is_empty() {
            ctx.insert("people", &rows);
        } else {
            ctx.insert("letters", &letters);
        }
        jobs.push((
            "people.html".into(),
            self.page("people.html", ctx, "people.html"),
        ));
        // A large registry's index of names, a page per initial.
        for letter in &letters {
            let title = renderer.catalogue.get("people.title", &[]);
            let mut ctx = base(&letter.page, &format!("{title}: {}", letter.label));
            ctx.insert("letters", &letters);
            ctx.insert("letter", letter);
            let of_letter: Vec<&pages::PersonRow> = letter
                .rows
                .iter()
                .flat_map(|run| &rows[run.clone()])
                .collect();
            ctx.insert("people", &of_letter);
            jobs.push((
                letter.page.clone(),
                self.page("people.html", ctx, &letter.page),
            ));
        }
        jobs.par_extend(views.par_iter().map(|v| {
            let path = pages::person_path(&v.person.id);
            // The person and the hash of their turns: the view itself is
            // built of both, and serializing ten thousand people's turns
            // to find them unchanged took most of a rebuild's pages.
            let page = self.keyed_page(
                "person.html",
                &path,
                |key| {
                    key.json(v.person);
                    key.part(&v.turns_key.to_le_bytes());
                },
                || {
                    let mut ctx = base(&path, &v.person.name);
                    ctx.insert("view", v);
                    ctx
                },
            );
            (path, page)
        }));
        for markdown in markdown_pages.iter().filter(|p| p.slug != "index") {
            let path = format!("{}.html", markdown.slug);
            let mut ctx = base(&path, &markdown.title);
            ctx.insert("page", markdown);
            let html = self.page("page.html", ctx, &path);
            jobs.push((path, html));
        }
        let mut ctx = base("search.html", &renderer.catalogue.get("search.title", &[]));
        // Each named event once, newest first (the groups' order; an
        // event's sessions may span years).
        let mut events: Vec<&str> = Vec::new();
        for event in groups.iter().filter_map(|g| g.event.as_deref()) {
            if !events.contains(&event) {
                events.push(event);
            }
        }
        ctx.insert("events", &events);
        ctx.insert("people", &people);
        // The registry's stakeholder groups, for the stakeholder filter.
        let stakeholders: std::collections::BTreeSet<&str> = people
            .iter()
            .filter_map(|p| p.stakeholder.as_deref().map(str::trim))
            .filter(|g| !g.is_empty())
            .collect();
        ctx.insert("stakeholders", &stakeholders);
        // The search script's words, which only this page carries.
        ctx.insert("script_strings", &renderer.catalogue.for_scripts());
        ctx.insert("years", &years);
        ctx.insert("groups", &groups);
        // Whether the page lists every session and every person to filter
        // by: past the sizes at which events and names get pages of their
        // own, a list of them all would be most of the page (1.8 MB at
        // 20,000 sessions and 12,000 people). Readers then filter from a
        // session's or a person's page, whose search forms say which.
        ctx.insert(
            "choose_session",
            &(digests.len() <= pages::SESSIONS_ON_THE_EVENTS_PAGE),
        );
        ctx.insert(
            "choose_person",
            &(people.len() <= pages::PEOPLE_ON_THE_PEOPLE_PAGE),
        );
        jobs.push((
            "search.html".into(),
            self.page("search.html", ctx, "search.html"),
        ));
        // A theme without a Data page (older custom themes) publishes the
        // data without one.
        if let Some(data) = self.html.data.get()
            && renderer.theme.templates.contains_key("data.html")
        {
            let mut ctx = base("data.html", &renderer.catalogue.get("data.title", &[]));
            ctx.insert("data", &pages::data_page(data, &renderer.catalogue));
            jobs.push(("data.html".into(), self.page("data.html", ctx, "data.html")));
        }
        // Ids for feeds without a base URL: URNs from the edition's title.
        let urn = |what: &str| {
            let hash =
                xxhash_rust::xxh3::xxh3_128(format!("{}\u{0}{what}", config.title).as_bytes());
            let hex = format!("{hash:032x}");
            format!(
                "urn:uuid:{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            )
        };
        // Versions and what each changed, as a page and a feed.
        if renderer.theme.templates.contains_key("changes.html") {
            let history = pages::changes::history(
                &renderer.releases,
                &pages::changes::state(digests),
                config.version.as_deref(),
            );
            let mut ctx = base(
                "changes.html",
                &renderer.catalogue.get("changes.title", &[]),
            );
            ctx.insert("history", &history);
            jobs.push((
                "changes.html".into(),
                self.page("changes.html", ctx, "changes.html"),
            ));
            if renderer.theme.templates.contains_key("changes.xml") {
                let released: Vec<&pages::changes::VersionChange> =
                    history.iter().filter(|v| v.released).collect();
                let mut ctx = base("changes.xml", &renderer.catalogue.get("changes.title", &[]));
                ctx.insert("versions", &released);
                ctx.insert("feed_base", &config.base_url.clone().unwrap_or_default());
                ctx.insert(
                    "feed_id",
                    &config
                        .base_url
                        .as_ref()
                        .map_or_else(|| urn("changes"), |b| format!("{b}changes.html")),
                );
                ctx.insert(
                    "updated",
                    &released
                        .first()
                        .and_then(|v| v.date.clone())
                        .unwrap_or_else(|| "1970-01-01".into()),
                );
                jobs.push((
                    "changes.xml".into(),
                    self.page("changes.xml", ctx, "changes.xml"),
                ));
            }
        }
        // The edition's apparatus (a theme without its template has none).
        if renderer.theme.templates.contains_key("corrections.html") {
            let mut ctx = base(
                "corrections.html",
                &renderer.catalogue.get("apparatus.title", &[]),
            );
            let apparatus = pages::Apparatus::of(digests, pages::EDITS_PER_PART);
            ctx.insert("apparatus", &apparatus.first_page(people));
            jobs.push((
                "corrections.html".into(),
                self.page("corrections.html", ctx, "corrections.html"),
            ));
            // A large apparatus in parts, each rendered and written alone.
            if apparatus.parts.len() > 1 {
                let title = renderer.catalogue.get("apparatus.title", &[]);
                let of = apparatus.parts.len().to_string();
                jobs.par_extend((1..=apparatus.parts.len()).into_par_iter().map(|n| {
                    let path = apparatus.path(n);
                    let number = n.to_string();
                    let part_title = renderer.catalogue.get(
                        "apparatus.part_title",
                        &[("title", &title), ("n", &number), ("of", &of)],
                    );
                    let page = self.keyed_page(
                        "corrections.html",
                        &path,
                        |key| {
                            key.part(part_title.as_bytes());
                            apparatus.part_key(n, key);
                        },
                        || {
                            let mut ctx = base(&path, &part_title);
                            ctx.insert("apparatus", &apparatus.part_page(n, people));
                            ctx
                        },
                    );
                    (path, page)
                }));
            }
        }
        let mut ctx = base("404.html", &renderer.catalogue.get("notfound.title", &[]));
        ctx.insert("root", &config.base_url.clone().unwrap_or_default());
        jobs.push(("404.html".into(), self.page("404.html", ctx, "404.html")));
        // With a base URL, a sitemap of every page (its addresses must be
        // absolute). The Atom feed of the sessions always: without a base URL
        // its links are relative to it and its ids are URNs from the
        // edition's title and the session's id.
        if config.base_url.is_some() {
            let mut urls: Vec<String> = jobs
                .iter()
                .map(|(p, _)| p.clone())
                .chain(digests.iter().map(|d| d.summary.url.clone()))
                .filter(|p| p != "404.html")
                .collect();
            urls.sort();
            let parts = sitemap_parts(&urls, SITEMAP_URLS);
            for (path, urls) in &parts {
                let mut ctx = base(path, "Sitemap");
                ctx.insert("urls", urls);
                jobs.push((path.clone(), self.page("sitemap.xml", ctx, path)));
            }
            if parts.len() > 1 {
                let base_url = config.base_url.as_deref().unwrap_or_default();
                let paths: Vec<&str> = parts.iter().map(|(p, _)| p.as_str()).collect();
                let index = sitemap_index(base_url, &paths);
                jobs.push((
                    "sitemap.xml".into(),
                    self.files.write("sitemap.xml", index.as_bytes()),
                ));
            }
        }
        let mut ctx = base("atom.xml", &config.title);
        // The feed's date is the newest session's, so it changes only with
        // the content; an undated session's entry takes it too.
        let updated = digests
            .iter()
            .filter_map(|d| d.summary.date.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01".into());
        let feed_base = config.base_url.clone().unwrap_or_default();
        // The newest sessions only, newest first: a feed reader wants what
        // is new, and an entry for every session made the feed of a
        // 20,000-session edition 6 MB, fetched again at every poll.
        let mut newest: Vec<(Option<&str>, &pages::SessionSummary)> = groups
            .iter()
            .flat_map(|g| g.sessions.iter().map(move |s| (g.event.as_deref(), s)))
            .collect();
        newest.sort_by(|(_, a), (_, b)| {
            let (a_date, b_date) = (
                a.date.as_deref().unwrap_or(&updated),
                b.date.as_deref().unwrap_or(&updated),
            );
            (b_date, b.id.as_str()).cmp(&(a_date, a.id.as_str()))
        });
        let entries: Vec<FeedEntry> = newest
            .into_iter()
            .take(FEED_ENTRIES)
            .map(|(event, session)| FeedEntry {
                id: match &config.base_url {
                    Some(base) => format!("{base}{}", session.url),
                    None => urn(session.id.as_str()),
                },
                event,
                session,
            })
            .collect();
        let feed_id = match &config.base_url {
            Some(base) => base.clone(),
            None => urn(""),
        };
        ctx.insert("entries", &entries);
        ctx.insert("updated", &updated);
        ctx.insert("feed_base", &feed_base);
        ctx.insert("feed_id", &feed_id);
        jobs.push(("atom.xml".into(), self.page("atom.xml", ctx, "atom.xml")));
        // Crawlers may read everything; the sitemap is named where there is one.
        let robots = match &config.base_url {
            Some(base) => format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"),
            None => "User-agent: *\nAllow: /\n".to_string(),
        };
        jobs.push((
            "robots.txt".into(),
            self.files.write("robots.txt", robots.as_bytes()),
        ));
        let pages_written = jobs.len();
        let errors: Vec<Finding> = jobs.into_iter().filter_map(|(_, job)| job.err()).collect();
        if errors.is_empty() {
            Ok(pages_written)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past the limit, the sitemap is an index of parts that together list
    /// every address once, in order.
    #[test]
    fn a_sitemap_over_the_limit_is_an_index_of_parts() {
        let urls: Vec<String> = (0..5).map(|i| format!("sessions/s{i}.html")).collect();
        assert_eq!(
            sitemap_parts(&urls, 5),
            vec![("sitemap.xml".to_string(), &urls[..])]
        );
        let parts = sitemap_parts(&urls, 2);
        let names: Vec<&str> = parts.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]);
        assert_eq!(
            parts.iter().flat_map(|(_, u)| u.iter()).collect::<Vec<_>>(),
            urls.iter().collect::<Vec<_>>()
        );
        let index = sitemap_index("https://example.org/igf&co/", &names);
        let doc = roxmltree::Document::parse(&index).unwrap();
        let locs: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(locs[0], "https://example.org/igf&co/sitemap-1.xml");
        assert_eq!(locs.len(), 3);
    }
}
