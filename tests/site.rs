//! The built site: links resolve, HTML validates, output is deterministic,
//! failed builds leave the published site alone, and user text cannot inject script.

mod common;

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `(attribute, value)` pairs for id/href/src, quoted or not (minified HTML drops quotes).
fn attributes(html: &str) -> Vec<(String, String)> {
    let re = Regex::new(r#"\s(id|href|src)=("[^"]*"|'[^']*'|[^\s>]+)"#).unwrap();
    re.captures_iter(html)
        .map(|c| {
            (
                c[1].to_string(),
                c[2].trim_matches(|q| q == '"' || q == '\'')
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

/// Every internal href/src names an existing file (never a bare folder), and
/// every #fragment names an element id of its target page.
fn check_links(site: &Path) -> Vec<String> {
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(PathBuf, String)> = Vec::new();
    for entry in walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let page = entry.path().to_path_buf();
        for (attr, value) in attributes(&html) {
            match attr.as_str() {
                "id" => {
                    ids.entry(page.clone()).or_default().insert(value);
                }
                _ => links.push((page.clone(), value)),
            }
        }
    }
    let mut broken = Vec::new();
    for (page, link) in links {
        if link.starts_with("http://")
            || link.starts_with("https://")
            || link.starts_with("mailto:")
        {
            continue;
        }
        // As a browser reads a link: the fragment from the first `#`, the
        // query from the first `?`, then percent-escapes decoded.
        let (path, fragment) = link
            .split_once('#')
            .map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|d| d.into_owned())
                .unwrap_or_else(|_| s.to_string())
        };
        let (path, fragment) = (decode(path), fragment.map(decode));
        let target = if path.is_empty() {
            page.clone()
        } else {
            page.parent().unwrap().join(path)
        };
        let target = normalise(&target);
        if !target.starts_with(site) || !target.is_file() {
            broken.push(format!(
                "{}: {link} does not name a file of the site",
                page.display()
            ));
            continue;
        }
        if let Some(f) = fragment
            && !ids.get(&target).is_some_and(|set| set.contains(&f))
        {
            broken.push(format!(
                "{}: {link}: no element with id `{f}`",
                page.display()
            ));
        }
    }
    broken
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let site = common::built_bundled();
    assert!(site.join("index.html").is_file());
    assert!(
        site.join("sessions/igf-2013-bali-dc-internet-of-things.html")
            .is_file()
    );
    assert!(site.join("people/avri-doria.html").is_file());
    let broken = check_links(site);
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn the_link_checker_finds_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.html"), "<a href=b.html>x</a><a href=a.html#nope>y</a><a href=sub/>z</a><p id=ok></p><a href=#ok>w</a>").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    // A `#` in a file name must be written `%23`: raw, it begins the fragment.
    std::fs::write(
        dir.path().join("c #1.html"),
        "<a href=c%20%231.html>ok</a><a href=\"c #1.html\">broken</a>",
    )
    .unwrap();
    let broken = check_links(dir.path());
    assert_eq!(broken.len(), 4, "{broken:#?}");
}

#[test]
fn every_page_validates_with_the_nu_html_checker() {
    nu_check(common::built_bundled());
}

/// Every HTML page under `site` passes the Nu HTML checker (skipped, and
/// said, where the checker or Java is missing; see `common::tool_present`).
fn nu_check(site: &Path) {
    let jar = common::bundled().join("node_modules/vnu-jar/build/dist/vnu.jar");
    if !common::tool_present("the Nu HTML checker (npm ci)", jar.is_file())
        || !common::tool_present("Java", common::runs("java"))
    {
        return;
    }
    let out = std::process::Command::new("java")
        .args([
            "-jar",
            jar.to_str().unwrap(),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "text",
        ])
        .arg(site)
        .output()
        .expect("java runs (installed by .ci/install)");
    let report =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    let clean = report.trim().is_empty()
        || report.trim() == "Document checking completed. No errors found.";
    assert!(
        out.status.success() && clean,
        "vnu found errors in {}:\n{report}",
        site.display()
    );
}

#[test]
fn pages_show_both_readings_speakers_and_notes() {
    let site = common::built_bundled();
    let html = std::fs::read_to_string(
        site.join("sessions/igf-2019-berlin-dc-core-internet-values-part-2.html"),
    )
    .unwrap();
    assert!(html.contains("permissionless innovation"));
    assert!(
        html.contains("par missionless innovation"),
        "the captioned reading is kept"
    );
    assert!(html.contains("Olivier Crépin-Leblond"));
    assert!(html.contains("The UN Commission on Science and Technology for Development."));
    assert!(html.contains("<svg"), "speakers' share chart");
    let person = std::fs::read_to_string(site.join("people/avri-doria.html")).unwrap();
    assert!(
        person.contains("igf-2013-bali-dc-internet-of-things.html#"),
        "a person's turns link to the session"
    );
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("Sessions per year"));
    let method = std::fs::read_to_string(site.join("method.html")).unwrap();
    assert!(
        method.contains("class=hl") || method.contains("class=\"hl\""),
        "YAML examples are highlighted"
    );
    assert!(
        !method.contains("style="),
        "highlighting uses classes, not inline styles"
    );
}

#[test]
fn no_request_leaves_the_site() {
    let site = common::built_bundled();
    let external = Regex::new(r#"\s(src|href)=["']?(https?:)?//"#).unwrap();
    for (path, bytes) in common::snapshot(site) {
        let text = String::from_utf8_lossy(&bytes);
        if path.extension().is_some_and(|e| e == "html") {
            for m in external.find_iter(&text) {
                let tail = &text[m.start()..(m.end() + 60).min(text.len())];
                // Outbound links in content (a person's links) are links, not requests.
                assert!(tail.contains("href"), "{}: {tail}", path.display());
            }
        }
        assert!(
            !text.contains("fonts.googleapis") && !text.contains("cdn."),
            "{}",
            path.display()
        );
    }
}

/// The charts' coordinates are printed to a tenth, not with the float noise
/// of arithmetic in a template (`width=220.00000000000003`).
#[test]
fn chart_coordinates_are_tidy() {
    let site = common::built_bundled();
    let coordinate = Regex::new(r#"\s(x|y|width|height)=["']?(-?[0-9.]+)"#).unwrap();
    let mut seen = 0;
    for (path, bytes) in common::snapshot(site) {
        let text = String::from_utf8_lossy(&bytes);
        for c in coordinate.captures_iter(&text) {
            let decimals = c[2].split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 1, "{}: {}", path.display(), &c[0]);
            seen += 1;
        }
    }
    assert!(seen > 0, "no chart in the bundled edition");
}

#[test]
fn builds_are_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (a, b) = (a.path().join("public"), b.path().join("public"));
    common::build(&common::bundled(), &a);
    common::build(&common::bundled(), &b);
    let (sa, sb) = (common::snapshot(&a), common::snapshot(&b));
    assert_eq!(sa.len(), sb.len());
    for ((pa, ba), (pb, bb)) in sa.iter().zip(&sb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} differs between two builds", pa.display());
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_byte_for_byte() {
    let root = common::copy_of_bundled();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let before = common::snapshot(&out);
    std::fs::write(root.path().join("annotations/broken.yaml"), "session: igf-2013-bali-dc-internet-of-things\ncorrections:\n  - find: \"not in the text at all\"\n    replace: x\n").unwrap();
    let result = verbatim::site::build(root.path(), &out, &verbatim::site::Options::default());
    let failure = result.expect_err("the build must refuse an edition with errors");
    assert!(
        failure.findings[0]
            .plain()
            .starts_with("annotations/broken.yaml:3:11: error:"),
        "{}",
        failure.findings[0].plain()
    );
    assert_eq!(common::snapshot(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.starts_with(".public") && name != ".public.lock"
        })
        .collect();
    assert!(leftovers.is_empty(), "no staging folder is left behind");
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let root = common::copy_of_bundled();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let page = out.join("people/avri-doria.html");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(old)
        .unwrap();
    common::build(root.path(), &out);
    assert_eq!(std::fs::metadata(&page).unwrap().modified().unwrap(), old);
}

#[test]
fn a_folder_with_only_transcripts_builds_with_defaults() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("content")).unwrap();
    std::fs::copy(
        common::bundled().join("content/igf-2018-paris-ws40-internet-mega-trends.txt"),
        root.path().join("content/ws40.txt"),
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    assert!(out.join("sessions/ws40.html").is_file());
    assert!(out.join("static/style.css").is_file());
    assert!(check_links(&out).is_empty());
}

/// Builds `root` twice, minified and `--no-minify`, into `minified/` and
/// `readable/` inside it.
fn built_minified_and_readable(root: &Path) -> (PathBuf, PathBuf) {
    let minified = root.join("minified");
    let readable = root.join("readable");
    common::build(root, &minified);
    let options = verbatim::site::Options {
        minify: false,
        ..verbatim::site::Options::default()
    };
    verbatim::site::build(root, &readable, &options).unwrap();
    (minified, readable)
}

/// A site's own `record.html` is placed in its session pages as it writes
/// it; the rest of the page is minified around it.
#[test]
fn a_sites_own_record_template_is_placed_as_written() {
    let root = common::copy_of_bundled();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::write(
        root.path().join("templates/record.html"),
        "{% for turn in view.turns %}\n  <section class=\"turn\" id=\"{{ turn.id }}\">\n    \
         <h3>{{ turn.name }}</h3>\n    <p>  {{ turn.cite }}  </p>\n  </section>\n{% endfor %}\n",
    )
    .unwrap();
    let (minified, readable) = built_minified_and_readable(root.path());
    let page = "sessions/igf-2013-bali-dc-internet-of-things.html";
    let built = String::from_utf8(std::fs::read(minified.join(page)).unwrap()).unwrap();
    let whole = String::from_utf8(std::fs::read(readable.join(page)).unwrap()).unwrap();
    let first = "\n  <section class=\"turn\" id=\"";
    assert!(built.contains(first) && whole.contains(first));
    assert!(
        built.len() < whole.len(),
        "the rest of the page is minified"
    );
}

#[test]
fn a_session_whose_source_names_no_event_place_or_date_is_cited_without_empty_parentheses() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("content")).unwrap();
    std::fs::write(
        root.path().join("content/bare.txt"),
        ">> ANNA BELL: Good morning.\n",
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let page = std::fs::read_to_string(out.join("sessions/bare.html")).unwrap();
    assert!(
        page.contains("ANNA BELL, in “bare”, turn 1 ["),
        "{}",
        &page[page.find("class=citation").unwrap()..][..120]
    );
}

#[test]
fn a_site_overrides_one_template_or_asset_of_its_theme() {
    let root = common::copy_of_bundled();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::create_dir_all(root.path().join("static")).unwrap();
    std::fs::write(root.path().join("templates/404.html"), "{% extends \"base.html\" %}{% block content %}<h1>Lost in the archive</h1>{% endblock content %}").unwrap();
    std::fs::write(root.path().join("static/style.css"), "body{color:teal}").unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    assert!(
        std::fs::read_to_string(out.join("404.html"))
            .unwrap()
            .contains("Lost in the archive")
    );
    assert_eq!(
        std::fs::read_to_string(out.join("static/style.css")).unwrap(),
        "body{color:teal}"
    );
    assert!(
        std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("Sessions per year"),
        "other templates still come from the theme"
    );
}

#[test]
fn a_theme_may_print_any_span_field_without_guarding_it() {
    // Every span has every field, `none` where it does not apply (Tera prints
    // none as nothing, but rejects a field that is not there).
    let root = common::copy_of_bundled();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::write(
        root.path().join("templates/session.html"),
        "{% for t in view.turns %}{% for p in t.paragraphs %}{% for s in p.spans %}\
         <i>{{ s.type }}|{{ s.original }}|{{ s.note_html }}|{{ s.by }}|{{ s.date }}|\
         {{ s.stage }}|{{ s.number }}|{{ s.id }}</i>{% endfor %}{% endfor %}{% endfor %}",
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let page =
        std::fs::read_to_string(out.join("sessions/igf-2013-bali-dc-internet-of-things.html"))
            .unwrap();
    assert!(
        page.contains("<i>text|||||||</i>"),
        "plain text spans print their seven absent fields as nothing"
    );
    assert!(
        page.contains("<i>correction|"),
        "the session's corrections are there too"
    );
}

#[test]
fn text_from_annotations_cannot_inject_script() {
    let root = common::copy_of_bundled();
    std::fs::write(
        root.path().join("annotations/zz-hostile.yaml"),
        "people:\n  - id: mallory\n    name: \"<script>alert(1)</script>Mallory\"\n    bio: \"[click](javascript:alert(2)) <img src=x onerror=alert(3)>\"\nsession: igf-2013-bali-dc-internet-of-things\nnotes:\n  - quote: \"Sometimes called a misfeature.\"\n    text: \"<script>alert(4)</script><a href=\\\"#\\\" onclick=\\\"alert(5)\\\">x</a>\"\n",
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    // <title> is raw text: a literal "<script>" inside it is inert, so it is cut
    // out (up to the first </title>, as a browser parses it) before looking.
    // So is a quoted attribute value, such as a page's description.
    let title = Regex::new(r#"(?s)<title>.*?</title>|<meta content="[^"]*""#).unwrap();
    let script_tag = Regex::new(r"<script[^>]*>").unwrap();
    let handler = Regex::new(r"(?i)\son[a-z]+=").unwrap();
    for (path, bytes) in common::snapshot(&out) {
        if path.extension().is_some_and(|e| e == "html") {
            let text = String::from_utf8_lossy(&bytes);
            let body = title.replace_all(&text, "");
            for tag in script_tag.find_iter(&body) {
                assert!(
                    [
                        "static/verbatim.js",
                        "static/search.js",
                        "static/porter2.js"
                    ]
                    .iter()
                    .any(|theirs| tag.as_str().contains(theirs))
                        // The not-found page's own script, which finds the
                        // site's root (it holds no text of the edition).
                        || (path == Path::new("404.html") && tag.as_str() == "<script>")
                        // A session's schema.org data: JSON with `<` escaped.
                        || tag.as_str() == "<script type=application/ld+json>",
                    "{}: {}",
                    path.display(),
                    tag.as_str()
                );
            }
            assert!(!body.contains("javascript:"), "{}", path.display());
            assert!(
                !handler.is_match(&body),
                "{}: {:?}",
                path.display(),
                handler.find(&body)
            );
        }
    }
    assert!(
        std::fs::read_to_string(out.join("people/mallory.html"))
            .unwrap()
            .contains("Mallory")
    );
}

/// A copy of the bundled edition whose `verbatim.yaml` says where it is published.
fn bundled_published_at(base_url: &str) -> tempfile::TempDir {
    let root = common::copy_of_bundled();
    let config = std::fs::read_to_string(root.path().join("verbatim.yaml")).unwrap();
    std::fs::write(
        root.path().join("verbatim.yaml"),
        format!("{config}base_url: {base_url}\n"),
    )
    .unwrap();
    root
}

#[test]
fn a_base_url_adds_canonical_links_a_sitemap_and_a_feed() {
    let root = bundled_published_at("https://example.org/igf");
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains(
            "<loc>https://example.org/igf/sessions/igf-2013-bali-dc-internet-of-things.html</loc>"
        ),
        "{sitemap}"
    );
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert_eq!(feed.matches("<entry>").count(), 5);
    let page = std::fs::read_to_string(out.join("people.html")).unwrap();
    assert!(
        page.contains("https://example.org/igf/people.html"),
        "canonical link"
    );
    assert!(check_links(&out).is_empty(), "internal links stay relative");
    assert_eq!(
        std::fs::read_to_string(out.join("robots.txt")).unwrap(),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/igf/sitemap.xml\n"
    );
    let ids = a_valid_feed(&feed);
    assert!(
        ids.iter()
            .all(|id| id.starts_with("https://example.org/igf/sessions/")),
        "{ids:?}"
    );

    // Without a base URL: no sitemap (its addresses must be absolute), but
    // a feed whose links are relative and whose ids are URNs, and the same
    // robots.txt without the sitemap.
    let without = common::built_bundled();
    assert!(
        !without.join("sitemap.xml").exists(),
        "no sitemap without a base URL"
    );
    let feed = std::fs::read_to_string(without.join("atom.xml")).unwrap();
    let ids = a_valid_feed(&feed);
    assert!(
        ids.iter()
            .all(|id| id.starts_with("urn:uuid:") && id.len() == 45),
        "{ids:?}"
    );
    assert!(feed.contains(
        "<link href=\"sessions/igf-2013-bali-dc-internet-of-things.html\" rel=\"alternate\"/>"
    ));
    assert_eq!(
        std::fs::read_to_string(without.join("robots.txt")).unwrap(),
        "User-agent: *\nAllow: /\n"
    );
}

/// Checks what Atom (RFC 4287) asks of a feed and returns its entries'
/// ids: the feed and every entry have an id, a title and an `updated` that
/// is an RFC 3339 date-time; the feed has an author; entries' ids are
/// distinct; the feed is as new as its newest entry.
fn a_valid_feed(feed: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(feed).unwrap();
    let atom = "http://www.w3.org/2005/Atom";
    let root = doc.root_element();
    assert!(root.has_tag_name((atom, "feed")));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .and_then(|c| c.text().map(str::to_string))
            .unwrap_or_else(|| panic!("no <{name}> in {:?}", n.tag_name()))
    };
    // `YYYY-MM-DDTHH:MM:SSZ`, a day of the calendar.
    let is_instant = |t: &str| {
        let shape = t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            19 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
        t.len() == 20 && shape && verbatim::calendar::parse_iso(&t[..10]).is_ok()
    };
    let updated = child(root, "updated");
    assert!(is_instant(&updated), "{updated}");
    assert!(!child(root, "id").is_empty());
    let author = root
        .children()
        .find(|c| c.has_tag_name((atom, "author")))
        .expect("an author");
    assert!(!child(author, "name").is_empty());
    let mut ids = Vec::new();
    for entry in root.children().filter(|c| c.has_tag_name((atom, "entry"))) {
        let at = child(entry, "updated");
        assert!(is_instant(&at) && at <= updated, "{at} (feed: {updated})");
        assert!(!child(entry, "title").is_empty());
        ids.push(child(entry, "id"));
    }
    let distinct: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len());
    assert!(!ids.is_empty());
    ids
}

/// Every page says what it is to search engines and link previews: a
/// session its title, event and size; a person their name; the rest the
/// edition. The People index is sorted by name, as a reader looks one up.
#[test]
fn pages_describe_themselves_and_people_are_listed_by_name() {
    let site = common::built_bundled();
    let description = |page: &str| {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        // minify-html writes `<meta content="…" name=description>`.
        let end = html
            .find("\" name=description>")
            .unwrap_or_else(|| panic!("{page}"));
        let start = html[..end].rfind("<meta content=\"").unwrap() + "<meta content=\"".len();
        html[start..end].to_string()
    };
    let session = description("sessions/igf-2019-berlin-dc-core-internet-values-part-2.html");
    // Reference managers read the citation_* tags and the schema.org data.
    let html = std::fs::read_to_string(
        site.join("sessions/igf-2019-berlin-dc-core-internet-values-part-2.html"),
    )
    .unwrap();
    assert!(
        html.contains(
            "<meta content=\"DC on Core Internet Values (Part II)\" name=citation_title>"
        )
    );
    assert!(html.contains("<meta content=\"Vint Cerf\" name=citation_author>"));
    let start = html.find("<script type=application/ld+json>").unwrap()
        + "<script type=application/ld+json>".len();
    let end = start + html[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
    assert_eq!(data["@type"], "CreativeWork");
    assert_eq!(data["isPartOf"]["version"], "1.0");
    assert!(
        session.starts_with("Transcript of “DC on Core Internet Values (Part II)”"),
        "{session}"
    );
    assert!(description("people/vint-cerf.html").starts_with("Vint Cerf"));
    assert!(description("index.html").starts_with("An annotated edition"));
    assert!(
        std::fs::read_to_string(site.join("index.html"))
            .unwrap()
            .contains("static/favicon.svg")
    );
    assert!(site.join("static/favicon.svg").exists());

    let edition = verbatim::load::load(&common::bundled()).edition;
    let people = std::fs::read_to_string(site.join("people.html")).unwrap();
    let mut named: Vec<(usize, &str)> = edition
        .people
        .iter()
        .filter_map(|p| {
            Some((
                people.find(&format!("people/{}.html", p.id))?,
                p.name.as_str(),
            ))
        })
        .collect();
    named.sort();
    let order: Vec<String> = named.iter().map(|(_, n)| verbatim::text::fold(n)).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(order.len() > 10);
}

/// A session is named after its transcript's file, whatever the file is
/// called; its links, canonical link, citations and sitemap entry name it
/// percent-encoded, so a `#`, `?`, `%` or space in the name does not break them.
#[test]
fn a_session_named_with_url_characters_is_linked_percent_encoded() {
    let root = bundled_published_at("https://example.org/igf");
    std::fs::write(
        root.path().join("content/igf 2019 #3?x%41.txt"),
        "ODD NAME\n\n>> AVRI DORIA: Hello from a file named with URL characters.\n",
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    assert!(out.join("sessions/igf 2019 #3?x%41.html").is_file());
    let encoded = "sessions/igf%202019%20%233%3Fx%2541.html";
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(&format!("href={encoded}")), "{home}");
    let avri = std::fs::read_to_string(out.join("people/avri-doria.html")).unwrap();
    assert!(avri.contains(&format!("href=\"../{encoded}#t")), "{avri}");
    let page = std::fs::read_to_string(out.join("sessions/igf 2019 #3?x%41.html")).unwrap();
    let url = format!("https://example.org/igf/{encoded}");
    assert!(
        page.contains(&format!("<link href={url} rel=canonical>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("{url}#t")),
        "the citation's address: {page}"
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{sitemap}");
    let broken = check_links(&out);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Pages hold what editors and captioners write, escaped wherever it goes
/// (`&`, `<`, quotes, runs of spaces, non-ASCII, template syntax, an
/// attribution's evidence, editors' notes with markup, a session id that
/// links need encoded), and stay valid HTML, minified or not: every page
/// passes the Nu checker, and the transcript, written compact and never
/// minified again, is the same in both builds.
#[test]
fn awkward_text_is_escaped_and_every_page_stays_valid() {
    let root = common::copy_of_bundled();
    std::fs::write(
        root.path().join("content/igf-2020-awkward-text.txt"),
        "AWKWARD TEXT\n\n>> ANNA BELL:  Q&A with AT&T and R&D; &amp; is literal, so is &copy and &#39;.\n\n\
         If a < b and b > c, then <b>not bold</b> and \"quoted\" or 'single' words stay.\n\n\
         >> THE CHAIR: Café, naïve, ≫ and ⫋︀ — “curly” — and {{ braces }} {% tags %} {# marks #}.\n\n\
         The tab\there and  two  spaces   three.\n\n\
         >> My name is Bob & I speak for R&D.\n",
    )
    .unwrap();
    std::fs::write(
        root.path().join("annotations/sessions/igf-2020-awkward-text.yaml"),
        "session: igf-2020-awkward-text\n\
         attributions:\n  - quote: \"My name is Bob\"\n    person: avri-doria\n    evidence: 'Says \"My name is Bob & I\" <sic>'\n    confidence: low\n\
         corrections:\n  - find: \"Q&A with AT&T\"\n    replace: \"Q&A with AT&T <Inc>\"\n    note: 'An \"&\" kept; R&D too.'\n    by: \"A. Editor & Co\"\n    date: 2026-11-22\n\
         \x20 - find: \"Café, naïve\"\n    replace: \"Café, naïve (sic)\"\n\
         notes:\n  - quote: \"two spaces\"\n    text: \"See [the list](https://example.org/?a=1&b=2) *here*.\"\n",
    )
    .unwrap();
    // A correction's note with markup: this page is minified whole.
    std::fs::write(
        root.path().join("content/igf-2020-awkward-note.txt"),
        "AWKWARD NOTE\n\n>> ANNA BELL: The list is here.\n",
    )
    .unwrap();
    std::fs::write(
        root.path().join("annotations/sessions/igf-2020-awkward-note.yaml"),
        "session: igf-2020-awkward-note\n\
         corrections:\n  - find: \"The list\"\n    replace: \"The lists\"\n    note: \"See [the list](https://example.org/?a=1&b=2) *here*.\"\n",
    )
    .unwrap();
    // A person's turn in a session whose id is no plain URL segment: linked
    // percent-encoded, which needs no quotes.
    std::fs::write(
        root.path().join("content/igf-2020 odd=name.txt"),
        "ODD NAME\n\n>> AVRI DORIA: Hello from a file named oddly & more.\n",
    )
    .unwrap();
    let (minified, readable) = built_minified_and_readable(root.path());
    let page = "sessions/igf-2020-awkward-text.html";
    let built = String::from_utf8(std::fs::read(minified.join(page)).unwrap()).unwrap();
    let whole = String::from_utf8(std::fs::read(readable.join(page)).unwrap()).unwrap();
    for escaped in [
        "and R&amp;D; &amp;amp; is literal, so is &amp;copy and &amp;#39;.",
        "If a &lt; b and b &gt; c, then &lt;b&gt;not bold&lt;/b&gt;",
        "{{ braces }} {% tags %} {# marks #}",
        "My name is Bob &amp; I speak for R&amp;D.",
    ] {
        assert!(built.contains(escaped), "{escaped} in {page}");
    }
    // The transcript as its template wrote it, in both builds: in the
    // readable build it ends where session.html closes the record.
    let start = whole.find("<section class=\"turn").unwrap();
    let end = whole.find("</section>\n</section>").unwrap() + "</section>".len();
    assert!(built.contains(&whole[start..end]));
    assert!(check_links(&minified).is_empty());
    assert!(check_links(&readable).is_empty());
    for site in [&minified, &readable] {
        nu_check(site);
    }
    let avri =
        String::from_utf8(std::fs::read(minified.join("people/avri-doria.html")).unwrap()).unwrap();
    assert!(
        avri.contains("href=\"../sessions/igf-2020%20odd%3Dname.html#"),
        "{avri}"
    );
}

/// Sections on the session's page (a table of contents, a heading with a
/// permalink at each) and on a speaker's page (the section of each turn).
#[test]
fn sections_show_where_the_editors_put_them() {
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    let bali = edition
        .sessions
        .iter()
        .find(|s| s.id.as_str() == "igf-2013-bali-dc-internet-of-things")
        .unwrap();
    let page = std::fs::read_to_string(site.join(format!("sessions/{}.html", bali.id))).unwrap();
    for section in &bali.sections {
        assert!(
            page.contains(&format!("<a href=#{}>", section.id)),
            "{} in the contents",
            section.id
        );
        // The heading comes right before the section's first turn.
        let head = page.find(&format!("id=\"{}\"", section.id)).unwrap();
        let turn = page.find(&format!("id=\"{}\"", section.turn)).unwrap();
        assert!(head < turn, "{}", section.id);
        assert_eq!(
            page[head..turn].matches("<section class=\"turn").count(),
            1,
            "{}",
            section.id
        );
    }
    // Each turn of a registered speaker links that speaker's next turn.
    for (i, turn) in bali.turns.iter().enumerate() {
        let next = turn.speaker.person().and_then(|who| {
            bali.turns[i + 1..]
                .iter()
                .find(|t| t.speaker.person() == Some(who))
        });
        let at = page.find(&format!("id=\"{}\"", turn.id)).unwrap();
        let end = page[at..].find("</section>").unwrap() + at;
        let link = page[at..end].find("class=\"next-by-speaker\" href=\"#");
        match next {
            Some(t) => assert!(
                page[at..end].contains(&format!("class=\"next-by-speaker\" href=\"#{}\"", t.id)),
                "{}",
                turn.id
            ),
            None => assert!(link.is_none(), "{}", turn.id),
        }
    }
    let floor = bali.sections.last().unwrap();
    let ian = std::fs::read_to_string(site.join("people/ian-fish.html")).unwrap();
    assert!(ian.contains(&format!("§ {}", floor.title)), "{ian}");
}

/// A session from a caption file, with its recording named: each timed
/// paragraph links the recording at its moment (the offset added); bad
/// addresses and offsets are errors at their place.
#[test]
fn timed_paragraphs_link_into_the_recording() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    std::fs::create_dir_all(root.path().join("annotations")).unwrap();
    std::fs::copy(
        "tests/fixtures/archive/vtt-zoom-name-colon.vtt",
        root.path().join("content/zoom.vtt"),
    )
    .unwrap();
    let layer = |recording: &str| format!("session: zoom\nrecording:\n{recording}");
    std::fs::write(
        root.path().join("annotations/zoom.yaml"),
        layer("  url: https://www.youtube.com/watch?v=abc123\n  offset: 00:01:00\n"),
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let edition = verbatim::load::load(root.path()).edition;
    let session = &edition.sessions[0];
    let first = session
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .find(|p| p.time.is_some())
        .expect("a timed paragraph");
    let seconds = first.time.unwrap()[0] / 1000 + 60;
    let page = std::fs::read_to_string(out.join("sessions/zoom.html")).unwrap();
    let link = format!("href=\"https://www.youtube.com/watch?v=abc123&amp;t={seconds}s\"");
    let at = page.find(&format!("id=\"{}\"", first.id)).unwrap();
    assert!(page[at..].starts_with(&format!("id=\"{}\">", first.id)));
    assert!(
        page[at..at + 400].contains(&link),
        "{}",
        &page[at..at + 400]
    );
    // The turn's citation gives its moment.
    let turn = session
        .turns
        .iter()
        .find(|t| t.paragraphs[0].id == first.id)
        .unwrap();
    let cite_at = page
        .find(&format!("data-fragment=\"{}\"", turn.id))
        .unwrap();
    let clock = format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    let citation = &page[page[..cite_at].rfind("<p class=\"citation\">").unwrap()..cite_at];
    assert!(
        citation.contains(&format!("at {clock} of the recording")),
        "{citation}"
    );
    // The JSON export says where the recording is.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/sessions/zoom.json")).unwrap())
            .unwrap();
    assert_eq!(json["recording"]["offset_ms"], 60_000);
    // A media file's address takes a media fragment.
    let recording = session.recording.clone().unwrap();
    let file = verbatim::edition::Recording {
        url: "https://example.org/s.mp3".into(),
        ..recording
    };
    assert_eq!(file.at(5_500), "https://example.org/s.mp3#t=65");

    for (bad, message) in [
        (
            "  url: javascript:alert(1)\n",
            "only http, https and mailto",
        ),
        ("  url: mailto:a@b.c\n", "is not a web address"),
        (
            "  url: https://example.org/v\n  offset: 1:75\n",
            "`1:75` is not a time",
        ),
    ] {
        std::fs::write(root.path().join("annotations/zoom.yaml"), layer(bad)).unwrap();
        let loaded = verbatim::load::load(root.path());
        let errors: Vec<String> = loaded
            .findings
            .iter()
            .filter(|f| f.severity == verbatim::diagnostics::Severity::Error)
            .map(|f| f.plain())
            .collect();
        assert!(
            errors.len() == 1 && errors[0].contains(message) && errors[0].contains("zoom.yaml:"),
            "{errors:#?}"
        );
    }
}

/// `language:` switches the whole interface: the pages, dates and the
/// search script's words come from the theme's catalogue of that language;
/// a catalogue that lacks a string the theme uses fails the build, naming
/// the string.
#[test]
fn the_interface_speaks_the_editions_language() {
    let english_size = regex::Regex::new(r"[0-9]\.[0-9] (KB|MB)").unwrap();
    for (language, transcript, search, date, other) in [
        (
            "fr",
            "Transcription",
            "Rechercher",
            "3 septembre 2014",
            "Autres sessions",
        ),
        (
            "es",
            "Transcripción",
            "Buscar",
            "3 de septiembre de 2014",
            "Otras sesiones",
        ),
    ] {
        let root = common::copy_of_bundled();
        // A session of no known event, which the lists group under a name
        // in the edition's language.
        std::fs::write(
            root.path().join("content/notes-from-a-meeting.txt"),
            ">> MODERATOR: Welcome, everyone.\n",
        )
        .unwrap();
        let config = std::fs::read_to_string(root.path().join("verbatim.yaml")).unwrap();
        std::fs::write(
            root.path().join("verbatim.yaml"),
            config.replace("language: en", &format!("language: {language}")),
        )
        .unwrap();
        let out = root.path().join("public");
        common::build(root.path(), &out);
        let page = std::fs::read_to_string(
            out.join("sessions/igf-2019-berlin-dc-core-internet-values-part-2.html"),
        )
        .unwrap();
        assert!(
            page.contains(&format!("<html lang={language}>")),
            "{language}"
        );
        assert!(page.contains(&format!(">{transcript}</h2>")), "{language}");
        assert!(page.contains(&format!(">{search}</button>")), "{language}");
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        // No English left on the home page's own words.
        for english in [
            "Skip to content",
            "Search the edition",
            "Sessions per year",
            " turns · ",
        ] {
            assert!(!index.contains(english), "{language}: {english}");
        }
        // Nor on the Data page's, nor in a session's links to its data.
        let data = std::fs::read_to_string(out.join("data.html")).unwrap();
        for english in ["Plain text", "the people as a table", "in one archive"] {
            assert!(!data.contains(english), "{language}: {english}");
            assert!(!page.contains(english), "{language}: {english}");
        }
        let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
        assert!(!feed.contains(" turns, "), "{language}: {feed}");
        // Sizes with the language's decimal comma (and its units).
        let size = if language == "fr" {
            r"[0-9]+,[0-9] (ko|Mo)"
        } else {
            r"[0-9]+,[0-9] (KB|MB)"
        };
        assert!(
            regex::Regex::new(size).unwrap().is_match(&data),
            "{language}: {data}"
        );
        assert!(!english_size.is_match(&data), "{language}");
        let events = std::fs::read_to_string(out.join("events.html")).unwrap();
        assert!(
            events.contains(&format!(">{other}</h2>")),
            "{language}: {events}"
        );
        assert!(!events.contains("Other sessions"), "{language}");
        let berlin = edition_date(&out, date);
        assert!(berlin, "{language}: {date}");
        let search_page = std::fs::read_to_string(out.join("search.html")).unwrap();
        assert!(
            search_page.contains("data-strings="),
            "the search script's words"
        );
        assert!(
            !search_page.contains("\"prompt\":\"Type words"),
            "{language}"
        );
    }

    // A site's own catalogue without a string the theme uses.
    let root = common::copy_of_bundled();
    std::fs::create_dir_all(root.path().join("i18n")).unwrap();
    let english = std::fs::read_to_string("themes/default/i18n/en.yaml").unwrap();
    let without: String = english
        .lines()
        .filter(|l| !l.starts_with("session.transcript:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(root.path().join("i18n/en.yaml"), without).unwrap();
    let Err(failure) = verbatim::site::build(
        root.path(),
        &root.path().join("public"),
        &verbatim::site::Options::default(),
    ) else {
        panic!("a missing string fails the build");
    };
    let said: Vec<String> = failure.findings.iter().map(|f| f.plain()).collect();
    assert!(
        said.iter()
            .any(|f| f.contains("no string `session.transcript` in the en catalogue")),
        "{said:#?}"
    );
    assert!(!root.path().join("public").exists(), "nothing half-built");
}

/// Whether some page of the site at `out` shows `date`.
fn edition_date(out: &Path, date: &str) -> bool {
    common::snapshot(out).iter().any(|(p, bytes)| {
        p.extension().is_some_and(|e| e == "html") && String::from_utf8_lossy(bytes).contains(date)
    })
}

/// The edition's apparatus lists every correction and attribution of every
/// session, each linked to its place (the link checker resolves them).
#[test]
fn the_apparatus_page_lists_every_editorial_decision() {
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    let page = std::fs::read_to_string(site.join("corrections.html")).unwrap();
    let corrections: usize = edition.sessions.iter().map(|s| s.corrections()).sum();
    let attributions = edition
        .sessions
        .iter()
        .flat_map(|s| &s.turns)
        .filter(|t| matches!(t.speaker, verbatim::edition::Speaker::Attributed { .. }))
        .count();
    assert!(corrections > 50 && attributions > 3);
    assert_eq!(page.matches("<del>").count(), corrections);
    assert_eq!(
        page.matches("attributed to <a href=people/").count(),
        attributions
    );
    assert!(page.contains(&format!(
        "{corrections} corrections of captioning errors and {attributions} attributions"
    )));
    assert!(page.contains("<del>par missionless innovation</del>"));
    assert!(check_links(site).is_empty(), "{:?}", check_links(site));
}

/// An edition of `count` one-turn workshops in the 2015–2016 headings'
/// style, the first `in_2015` of them at IGF 2015 (João Pessoa), the rest
/// at IGF 2016 (Guadalajara).
fn igf_workshops(count: usize, in_2015: usize) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    for s in 0..count {
        let (year, city) = if s < in_2015 {
            (2015, "Joao Pessoa")
        } else {
            (2016, "Guadalajara")
        };
        std::fs::write(
            root.path().join(format!("content/igf-{year}-ws{s}.txt")),
            format!(
                "IGF {year} - Day 1 - Room 4 - WS{s} - Workshop {s}\n\n\
                 The following are the outputs of the real-time captioning taken during the \
                 Internet Governance Forum (IGF) in {city}.\n\n\
                 >> MODERATOR: Welcome to workshop {s}.\n"
            ),
        )
        .unwrap();
    }
    root
}

/// A large edition's home page names its events, with how many sessions
/// each has, and leaves the list of every session to the Events page.
#[test]
fn a_large_editions_home_page_names_its_events_not_every_session() {
    let root = igf_workshops(101, 60);
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let events = std::fs::read_to_string(out.join("events.html")).unwrap();
    assert!(!home.contains("sessions/igf-2015-ws0.html"), "{home}");
    assert!(events.contains("sessions/igf-2015-ws0.html"));
    assert!(events.contains("sessions/igf-2016-ws100.html"));
    assert!(
        home.contains(">IGF 2016</a>") && home.contains("41 sessions"),
        "{home}"
    );
    assert!(
        home.contains(">IGF 2015</a>") && home.contains("60 sessions"),
        "{home}"
    );
    assert!(home.contains("href=events.html#event-1>"));
    assert!(check_links(&out).is_empty(), "{:?}", check_links(&out));
}

/// Past 500 sessions, every event has its own page, named after it, and
/// the Events page and the home page link those: no page lists every
/// session of a large edition.
#[test]
fn a_large_editions_events_each_have_their_own_page() {
    let root = igf_workshops(501, 300);
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let events = std::fs::read_to_string(out.join("events.html")).unwrap();
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!events.contains("sessions/igf-2015-ws0.html"), "{events}");
    for page in [&events, &home] {
        assert!(
            page.contains("href=events/igf-2015.html>IGF 2015</a>"),
            "{page}"
        );
        assert!(
            page.contains("href=events/igf-2016.html>IGF 2016</a>"),
            "{page}"
        );
    }
    let event = std::fs::read_to_string(out.join("events/igf-2015.html")).unwrap();
    assert!(event.contains("<h1>IGF 2015"), "{event}");
    assert!(event.contains("300 sessions"), "{event}");
    assert!(event.contains("href=../sessions/igf-2015-ws0.html>"));
    assert!(!event.contains("igf-2016-ws300.html"));
    let other = std::fs::read_to_string(out.join("events/igf-2016.html")).unwrap();
    assert!(other.contains("href=../sessions/igf-2016-ws500.html>"));
    // Nor does the Changes page list every new session.
    let changes = std::fs::read_to_string(out.join("changes.html")).unwrap();
    assert!(
        changes.contains("501 sessions changed")
            && changes.contains(
                "501 new sessions, listed by event on the <a href=events.html>Events</a> page"
            ),
        "{changes}"
    );
    assert!(!changes.contains("igf-2015-ws0.html"));
    // The data: an archive per event, of its sessions' files.
    assert!(!out.join("data/edition.zip").exists());
    let names = |event: &str| -> Vec<String> {
        let zip = std::fs::File::open(out.join(format!("data/archives/{event}.zip"))).unwrap();
        let mut names: Vec<String> = zip::ZipArchive::new(zip)
            .unwrap()
            .file_names()
            .map(str::to_string)
            .collect();
        names.sort();
        names
    };
    let of_2015 = names("igf-2015");
    assert_eq!(of_2015.len(), 300 * 4);
    assert!(
        of_2015
            .iter()
            .all(|n| n.starts_with("sessions/igf-2015-ws")),
        "{of_2015:?}"
    );
    assert_eq!(names("igf-2016").len(), 201 * 4);
    let data = std::fs::read_to_string(out.join("data.html")).unwrap();
    assert!(
        data.contains("href=data/archives/igf-2016.zip>archives/igf-2016.zip</a>"),
        "{data}"
    );

    // An edit to one event's session rewrites that event's archive only,
    // and the site is the one a cold build makes.
    use std::os::unix::fs::MetadataExt;
    let inode = |event: &str| {
        std::fs::metadata(out.join(format!("data/archives/{event}.zip")))
            .unwrap()
            .ino()
    };
    let (before_2015, before_2016) = (inode("igf-2015"), inode("igf-2016"));
    std::fs::create_dir_all(root.path().join("annotations")).unwrap();
    std::fs::write(
        root.path().join("annotations/igf-2016-ws400.yaml"),
        "session: igf-2016-ws400\nmeta:\n  title: The four hundredth workshop\n",
    )
    .unwrap();
    common::build(root.path(), &out);
    assert_eq!(inode("igf-2015"), before_2015, "carried over");
    assert_ne!(inode("igf-2016"), before_2016, "made again");
    let cold = root.path().join("cold");
    let fresh = verbatim::site::Options {
        fresh: true,
        ..Default::default()
    };
    verbatim::site::build(root.path(), &cold, &fresh).unwrap();
    assert!(
        common::snapshot(&out) == common::snapshot(&cold),
        "warm and cold differ"
    );
    assert!(check_links(&out).is_empty(), "{:?}", check_links(&out));
}

/// Past 1,000 people, the People page is an index of initials and each
/// initial's names are on their own page, sorted as on the People page.
#[test]
fn a_large_registrys_names_are_indexed_by_initial() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    std::fs::create_dir_all(root.path().join("annotations")).unwrap();
    std::fs::write(
        root.path().join("content/igf-2015-ws1.txt"),
        "IGF 2015 - Day 1 - Room 4 - WS1 - Workshop 1\n\n>> AVRI DORIA: Welcome.\n",
    )
    .unwrap();
    let mut registry = String::from("people:\n");
    for (i, first) in ["Avri", "Bertrand", "Çağrı", "Zed", "1Net"]
        .iter()
        .cycle()
        .take(1001)
        .enumerate()
    {
        registry.push_str(&format!(
            "  - id: person-{i}\n    name: {first} Person{i:04}\n"
        ));
    }
    registry.push_str("  - id: avri-doria\n    name: Avri Doria\n    aliases: [AVRI DORIA]\n");
    std::fs::write(root.path().join("annotations/people.yaml"), registry).unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let people = std::fs::read_to_string(out.join("people.html")).unwrap();
    assert!(
        !people.contains("people/person-0.html"),
        "no name on the index"
    );
    for (label, page) in [
        ("#", "other"),
        ("A", "a"),
        ("B", "b"),
        ("C", "c"),
        ("Z", "z"),
    ] {
        assert!(
            people.contains(&format!("href=names/{page}.html>{label}</a>")),
            "{people}"
        );
    }
    let a = std::fs::read_to_string(out.join("names/a.html")).unwrap();
    assert!(
        a.contains("href=../people/avri-doria.html>Avri Doria</a>"),
        "{a}"
    );
    assert!(a.contains("href=../people/person-0.html>Avri Person0000</a>"));
    assert!(!a.contains("Bertrand"));
    let c = std::fs::read_to_string(out.join("names/c.html")).unwrap();
    assert!(c.contains("Çağrı Person0002"), "{c}");
    let other = std::fs::read_to_string(out.join("names/other.html")).unwrap();
    assert!(other.contains("1Net Person0004"));
    assert!(check_links(&out).is_empty(), "{:?}", check_links(&out));
}

/// A feed reader polls the feed for what is new: it holds the fifty
/// newest sessions, newest first, whatever the edition's size.
#[test]
fn the_feed_holds_the_newest_sessions_newest_first() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    // 60 sessions, one a day from 1 to 30 November 2013, two a day.
    for s in 0..60 {
        let day = s / 2 + 1;
        std::fs::write(
            root.path().join(format!("content/igf-2013-s{s:02}.txt")),
            format!(
                "## EIGHTH INTERNET GOVERNANCE FORUM\n\nBALI\n\nNOVEMBER {day}, 2013\n\n\
                 9:00 A.M.\n\nSESSION {s} ON TOPIC {s}\n\n---\n\n\
                 >> MODERATOR: Welcome to session {s}.\n"
            ),
        )
        .unwrap();
    }
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let feed = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let ids = a_valid_feed(&feed);
    assert_eq!(ids.len(), 50);
    let links: Vec<&str> = feed
        .match_indices("<link href=\"sessions/")
        .map(|(i, m)| {
            let rest = &feed[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(links.first(), Some(&"igf-2013-s59.html"), "{feed}");
    assert_eq!(links.last(), Some(&"igf-2013-s10.html"), "{feed}");
    assert!(feed.contains("<updated>2013-11-30T00:00:00Z</updated>"));
    assert!(!feed.contains("igf-2013-s09.html"));
}

/// A large apparatus is cut into parts of whole sessions, each its own
/// page: the first page lists them, each part links the next, and every
/// decision is on exactly one part.
#[test]
fn a_large_apparatus_is_in_parts_that_hold_every_decision_once() {
    let root = tempfile::tempdir().unwrap();
    for d in ["content", "annotations/sessions"] {
        std::fs::create_dir_all(root.path().join(d)).unwrap();
    }
    // Three sessions of 800 corrections each: the first two share a part
    // (1,600 of at most 2,000), the third has its own.
    for s in 1..=3 {
        let id = format!("forum-2015-0{s}");
        let mut text = format!("SESSION {s}\n\n");
        let mut layer = format!("session: {id}\nmeta:\n  date: 2015-0{s}-01\ncorrections:\n");
        for n in 0..800 {
            text.push_str(&format!(">> SPEAKER: We discussed topik{n} at length.\n\n"));
            layer.push_str(&format!(
                "  - find: topik{n} at\n    replace: topic{n} at\n"
            ));
        }
        std::fs::write(root.path().join(format!("content/{id}.txt")), text).unwrap();
        std::fs::write(
            root.path().join(format!("annotations/sessions/{id}.yaml")),
            layer,
        )
        .unwrap();
    }
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let first = std::fs::read_to_string(out.join("corrections.html")).unwrap();
    assert!(
        first.contains("2400 corrections of captioning errors"),
        "{first}"
    );
    assert!(first.contains("It is in 2 parts"));
    assert!(first.contains("<a href=corrections/1.html>Part 1</a>"));
    assert!(first.contains("<a href=corrections/2.html>Part 2</a>"));
    assert_eq!(
        first.matches("<del>").count(),
        0,
        "the first page lists parts"
    );
    let one = std::fs::read_to_string(out.join("corrections/1.html")).unwrap();
    let two = std::fs::read_to_string(out.join("corrections/2.html")).unwrap();
    assert_eq!(one.matches("<del>").count(), 1600);
    assert_eq!(two.matches("<del>").count(), 800);
    assert!(one.contains("<del>topik799 at</del>") && two.contains("<ins>topic0 at</ins>"));
    assert!(one.contains("href=../corrections/2.html rel=next"));
    assert!(two.contains("href=../corrections/1.html rel=prev"));
    assert!(!two.contains("rel=next"));
    assert!(check_links(&out).is_empty(), "{:?}", check_links(&out));
    // A correction edited in the third session changes its part only.
    let layer = root.path().join("annotations/sessions/forum-2015-03.yaml");
    let text = std::fs::read_to_string(&layer).unwrap();
    std::fs::write(
        &layer,
        text.replace("replace: topic5 at", "replace: topic five at"),
    )
    .unwrap();
    common::build(root.path(), &out);
    let two = std::fs::read_to_string(out.join("corrections/2.html")).unwrap();
    assert!(two.contains("<ins>topic five at</ins>"));
    assert_eq!(
        std::fs::read_to_string(out.join("corrections/1.html")).unwrap(),
        one
    );
}

/// An editor corrects a passage and raises the version: the Changes page
/// shows it as not yet released; `verbatim release` records it, and the
/// page and the feed date it. The bundled edition's 1.0 is its first release.
#[test]
fn each_version_says_what_it_corrected_and_identified() {
    let root = common::copy_of_bundled();
    let out = root.path().join("public");
    let layer = root
        .path()
        .join("annotations/sessions/igf-2018-paris-ws40-internet-mega-trends.yaml");
    let edition = verbatim::load::load(root.path()).edition;
    let paris = edition
        .sessions
        .iter()
        .find(|s| s.id.as_str() == "igf-2018-paris-ws40-internet-mega-trends")
        .unwrap();
    // Three words of a paragraph no correction touches.
    let quote = paris
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .filter(|p| p.stage.is_none() && p.original == p.text)
        .map(|p| {
            p.text
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|q| q.split(' ').count() == 3 && q.chars().all(|c| c.is_alphanumeric() || c == ' '))
        .unwrap();
    let text = std::fs::read_to_string(&layer).unwrap();
    let text = text.replacen(
        "corrections:\n",
        &format!("corrections:\n  - find: \"{quote}\"\n    replace: \"{quote} (sic)\"\n"),
        1,
    );
    std::fs::write(&layer, text).unwrap();
    let config = std::fs::read_to_string(root.path().join("verbatim.yaml")).unwrap();
    std::fs::write(
        root.path().join("verbatim.yaml"),
        config.replace("version: \"1.0\"", "version: \"1.1\""),
    )
    .unwrap();
    common::build(root.path(), &out);
    let page = std::fs::read_to_string(out.join("changes.html")).unwrap();
    let pending = &page[page.find("id=v1.1").expect("1.1")..page.find("id=v1.0").expect("1.0")];
    assert!(pending.contains("not yet released"), "{pending}");
    assert!(
        pending.contains("1 session changed: 1 correction, 0 turns identified."),
        "{pending}"
    );
    assert!(
        pending.contains(&format!("<del>{quote}</del> → <ins>{quote} (sic)</ins>")),
        "{pending}"
    );
    assert!(page.contains("Version 1.0 <span class=place>6 December 2026</span>"));

    let written = verbatim::release::release(root.path(), Some("2026-12-24".into())).unwrap();
    assert_eq!(written, Path::new("versions/1.1.json"));
    assert!(
        verbatim::release::release(root.path(), None).is_err(),
        "released already"
    );
    common::build(root.path(), &out);
    let page = std::fs::read_to_string(out.join("changes.html")).unwrap();
    assert!(page.contains("Version 1.1 <span class=place>24 December 2026</span>"));
    assert!(!page.contains("not yet released"));
    let feed = std::fs::read_to_string(out.join("changes.xml")).unwrap();
    assert_eq!(a_valid_feed(&feed).len(), 2);
}
