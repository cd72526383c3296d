//! A reader's path through the bundled edition in headless Chromium, from disk
//! (file://) and over HTTP at a subpath, plus an axe-core accessibility audit.

mod common;
mod preview;

use headless_chrome::Tab;
use std::sync::Arc;

fn browser() -> Option<headless_chrome::Browser> {
    common::chromium()
}

/// Evaluates a JavaScript expression and returns its value as a string.
fn js(tab: &Tab, expression: &str) -> String {
    let value = tab.evaluate(expression, true).unwrap().value;
    match value {
        Some(serde_json::Value::String(s)) => s,
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

fn open(tab: &Arc<Tab>, url: &str) {
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
}

/// Clicks a link as a reader would and waits for the new page (or fragment).
fn click(tab: &Arc<Tab>, selector: &str) {
    let before = tab.get_url();
    tab.wait_for_element(selector)
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
        .click()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while tab.get_url() == before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tab.wait_until_navigated().unwrap();
    assert_ne!(tab.get_url(), before, "clicking {selector} went nowhere");
}

const SESSION: &str = "sessions/igf-2019-berlin-dc-core-internet-values-part-2.html";

/// How a correction's readings show: the display of its captioned and
/// corrected parts, and the captioned part's line.
fn shown(tab: &Arc<Tab>) -> String {
    js(
        tab,
        "(function () { var c = document.querySelector('.correction'); function s(k) { return getComputedStyle(c.querySelector(k)); } return [s('.reading-captioned').display, s('.reading-corrected').display, s('.reading-captioned').textDecorationLine].join(' '); })()",
    )
}

/// The three readings (by mouse, by the `r` key, by `?reading=`), and a
/// correction's entry of the apparatus opened beside it, inside the window,
/// and closed.
fn readings_and_apparatus(tab: &Arc<Tab>) {
    assert_eq!(shown(tab), "none inline none");
    tab.find_element("label:has(#reading-captioned)")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(shown(tab), "inline none none");
    assert_eq!(
        js(
            tab,
            "document.querySelector('.correction .reading-captioned').textContent"
        ),
        "U.K. chapter ftz Internet Society"
    );
    js(tab, "document.activeElement.blur()");
    tab.press_key("r").unwrap();
    assert_eq!(shown(tab), "inline inline line-through", "r: both");
    tab.press_key("r").unwrap();
    assert_eq!(shown(tab), "none inline none", "r again: corrected");
    // A citation's `?reading=` fixes the reading.
    let here = tab.get_url();
    let page = here.split('#').next().unwrap().split('?').next().unwrap();
    open(tab, &format!("{page}?reading=both"));
    assert_eq!(shown(tab), "inline inline line-through");
    open(tab, &format!("{page}?reading=corrected"));

    // A correction opens its entry: inside the window, closed by Escape.
    tab.find_element(".correction .reading-corrected")
        .unwrap()
        .click()
        .unwrap();
    let pop = js(
        tab,
        "(function () { var p = document.querySelector('.correction-pop'); var r = p.getBoundingClientRect(); return [p.textContent.indexOf('U.K. chapter ftz Internet Society') >= 0, r.left >= 0, r.right <= document.documentElement.clientWidth, document.documentElement.scrollWidth <= document.documentElement.clientWidth].join(' '); })()",
    );
    assert_eq!(pop, "true true true true", "the entry, inside the window");
    tab.press_key("Escape").unwrap();
    assert_eq!(
        js(tab, "String(document.querySelector('.correction-pop'))"),
        "null"
    );
    // Without the script its mark leads to the apparatus.
    assert_eq!(
        js(
            tab,
            "document.querySelector('.correction .correction-ref').getAttribute('href') === '#' + document.querySelector('.apparatus li').id"
        ),
        "true"
    );
}

/// Home → session → person → a turn of theirs → the captioned reading.
fn read_as_a_reader(tab: &Arc<Tab>, home: &str) {
    open(tab, home);
    assert_eq!(
        js(tab, "document.querySelector('h1').textContent"),
        "The IGF Transcripts"
    );
    click(tab, &format!("a[href='{SESSION}']"));
    assert!(tab.get_url().ends_with(SESSION), "{}", tab.get_url());
    assert_eq!(
        js(tab, "document.querySelector('h1').textContent"),
        "DC on Core Internet Values (Part II)"
    );

    click(tab, "a[href='../people/vint-cerf.html']");
    assert_eq!(
        js(tab, "document.querySelector('h1').textContent"),
        "Vint Cerf"
    );
    let turns: usize = js(tab, "document.querySelectorAll('.person-turns li').length")
        .parse()
        .unwrap();
    assert_eq!(turns, 8, "Vint Cerf speaks 8 turns in the Berlin session");

    // Follow a permalink: it lands on the turn, which is the :target.
    click(tab, ".person-turns li a");
    let hash = js(tab, "location.hash");
    assert!(hash.starts_with("#t"), "{hash}");
    assert_eq!(
        js(
            tab,
            "String(document.querySelector(location.hash).matches(':target'))"
        ),
        "true"
    );
    assert_eq!(
        js(
            tab,
            "document.querySelector(location.hash + ' .speaker a').textContent"
        ),
        "Vint Cerf"
    );

    readings_and_apparatus(tab);

    // Citations name the page's own address.
    let cite = js(tab, "document.querySelector('.citation').textContent");
    assert!(
        cite.contains(&js(tab, "location.href.split('#')[0]")),
        "{cite}"
    );
}

#[test]
fn a_reader_browses_the_edition_from_disk() {
    let site = common::built_bundled();
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    read_as_a_reader(
        &tab,
        &format!("file://{}", site.join("index.html").display()),
    );
}

#[test]
fn a_reader_browses_the_edition_over_http_at_a_subpath() {
    let Some(browser) = browser() else { return };
    if !common::tool_present("Python 3 (the static host)", common::runs("python3")) {
        return;
    }
    let host = StaticHost::serving_at_edition(common::built_bundled());
    let tab = browser.new_tab().unwrap();
    let root = format!("http://127.0.0.1:{}/edition/", host.port);
    read_as_a_reader(&tab, &format!("{root}index.html"));
    search_as_a_reader(&tab, &root);
}

/// A real static host (Python's `http.server`) serving a site under the
/// subpath `/edition/`, as a publisher's host would; stopped when dropped.
/// (tiny_http's keep-alive connections left some of Chromium's script
/// loads unanswered on a busy machine: a request per connection avoids it.)
struct StaticHost {
    child: std::process::Child,
    port: u16,
    _root: tempfile::TempDir,
}

impl StaticHost {
    fn serving_at_edition(site: &std::path::Path) -> StaticHost {
        use std::io::BufRead;
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(site, root.path().join("edition")).unwrap();
        let mut child = std::process::Command::new("python3")
            .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1"])
            .current_dir(root.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 runs the static host (install python3)");
        // "Serving HTTP on 127.0.0.1 port 43211 (http://127.0.0.1:43211/) ..."
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split_whitespace()
            .skip_while(|w| *w != "port")
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        StaticHost {
            child,
            port,
            _root: root,
        }
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn no_serious_or_critical_accessibility_violations() {
    let site = common::built_bundled();
    let axe_path = common::bundled().join("node_modules/axe-core/axe.min.js");
    if !common::tool_present("axe-core (npm ci)", axe_path.is_file()) {
        return;
    }
    let axe = std::fs::read_to_string(&axe_path).unwrap();
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    for page in [
        "index.html",
        SESSION,
        "people/avri-doria.html",
        "people.html",
        "method.html",
        "corrections.html",
        "changes.html",
        "search.html?q=internet",
        "data.html",
        "404.html",
    ] {
        open(&tab, &format!("file://{}/{page}", site.display()));
        tab.evaluate(&axe, false).unwrap();
        let violations = js(
            &tab,
            "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))",
        );
        assert_eq!(violations, "[]", "{page}");
    }
}

/// Waits until the search status says something, and returns it.
fn search_status(tab: &Arc<Tab>) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let status = js(tab, "document.getElementById('search-status').textContent");
        if !status.is_empty() || std::time::Instant::now() > deadline {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The number of paragraphs a search status reports, and whether it says
/// "at least".
fn matching(status: &str) -> (usize, bool) {
    if status.starts_with("No paragraph") {
        return (0, false);
    }
    let at_least = status.starts_with("At least ");
    let n = status
        .trim_start_matches("At least ")
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {status:?}"));
    (n, at_least)
}

/// Whether a paragraph holds a word as search means it: in either reading,
/// as a word or a hyphenated compound of the same stem.
fn holds(p: &verbatim::edition::Paragraph, word: &str) -> bool {
    use verbatim::search::tokenize::{stem, terms};
    let want = stem(word);
    [&p.text, &p.original]
        .iter()
        .any(|text| terms(text).iter().any(|t| stem(t) == want))
}

/// The speech paragraphs of the edition, with their speakers.
fn speech(
    edition: &verbatim::edition::Edition,
) -> impl Iterator<Item = (&verbatim::edition::Turn, &verbatim::edition::Paragraph)> {
    edition
        .sessions
        .iter()
        .flat_map(|s| &s.turns)
        .flat_map(|t| t.paragraphs.iter().map(move |p| (t, p)))
        .filter(|(_, p)| p.stage.is_none())
}

/// What a search tool's users expect beyond exact words: stems, compounds,
/// names as fields, both readings, suggestions, counts per filter value,
/// browsing by a filter alone, pages, one result per session, and the Back
/// button; each checked against the edition model.
fn forgiving_and_explained(tab: &Arc<Tab>, site_root: &str, edition: &verbatim::edition::Edition) {
    let count_of = |query: &str| {
        open(tab, &format!("{site_root}search.html?{query}"));
        matching(&search_status(tab))
    };
    let texts = |selector: &str| -> Vec<String> {
        serde_json::from_str(&js(
            tab,
            &format!("JSON.stringify(Array.from(document.querySelectorAll('{selector}')).map(e => e.textContent))"),
        ))
        .unwrap()
    };

    // Stems: `governance` finds every paragraph with a word of its stem,
    // and the word itself ranks first.
    let governance = speech(edition)
        .filter(|(_, p)| holds(p, "governance"))
        .count();
    assert_eq!(count_of("q=governance"), (governance, false));
    assert!(
        texts(".snippet mark")[0]
            .to_lowercase()
            .starts_with("governance"),
        "{:?}",
        texts(".snippet mark")
    );

    // Compounds: both spellings, whichever the reader types.
    let compound = speech(edition)
        .filter(|(_, p)| holds(p, "multistakeholder"))
        .count();
    let spelled_apart = speech(edition)
        .filter(|(_, p)| p.text.to_lowercase().contains("multi-stakeholder"))
        .count();
    assert!(
        compound > spelled_apart && spelled_apart > 0,
        "{compound} {spelled_apart}"
    );
    assert_eq!(count_of("q=multistakeholder"), (compound, false));
    assert_eq!(count_of("q=multi-stakeholder"), (compound, false));

    // A name is a field: `cerf` finds what Vint Cerf said and what others
    // said of him, mentions first, and says why a turn of his matched.
    let cerf = speech(edition)
        .filter(|(t, p)| t.speaker.person().is_some_and(|id| id == "vint-cerf") || holds(p, "cerf"))
        .count();
    assert_eq!(count_of("q=cerf"), (cerf, false));
    assert!(texts(".snippet mark").iter().any(|m| m.contains("Cerf")));
    assert!(
        texts(".snippet")[0].contains("Cerf"),
        "a mention ranks first"
    );
    open(tab, &format!("{site_root}search.html?q=cerf&page=2"));
    search_status(tab);
    assert!(
        texts(".result-why")
            .iter()
            .any(|w| w == "Spoken by Vint Cerf."),
        "{:?}",
        texts(".result-why")
    );

    // Phrases in the captioned reading, the About page's own example: found,
    // and the result says what was captioned and how it was corrected.
    assert_eq!(count_of("q=%22par%20missionless%22"), (1, false));
    let why = texts(".result-why");
    assert!(
        why.iter()
            .any(|w| w.starts_with("Captioned as “par missionless")
                && w.contains("corrected to “permissionless")),
        "{why:?}"
    );

    // A word the index lacks: the nearest it holds is searched instead, and said.
    assert_eq!(count_of("q=goverance"), (governance, false));
    assert!(
        js(tab, "document.getElementById('search-note').textContent")
            .contains("Showing results for “governance”")
    );
    let kleinwachter = count_of("q=kleinwachter");
    assert_eq!(count_of("q=kleinwahcter"), kleinwachter);

    // Counts per filter value: each year's option says what choosing it gives.
    open(tab, &format!("{site_root}search.html?q=internet"));
    search_status(tab);
    let label = js(
        tab,
        "document.querySelector('#filter-year option[value=\"2013\"]').textContent",
    );
    let in_2013 = count_of("q=internet&year=2013").0;
    assert_eq!(label, format!("2013 ({in_2013})"));

    // Browsing by a filter alone: every paragraph Vint Cerf speaks, oldest first.
    let his = speech(edition)
        .filter(|(t, _)| t.speaker.person().is_some_and(|id| id == "vint-cerf"))
        .count();
    assert_eq!(count_of("person=vint-cerf&sort=oldest"), (his, false));
    let session = edition
        .sessions
        .iter()
        .find(|s| s.id.as_str() == "igf-2013-bali-dc-internet-of-things")
        .unwrap();
    let paragraphs = session
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .filter(|p| p.stage.is_none())
        .count();
    assert_eq!(
        count_of("session=igf-2013-bali-dc-internet-of-things"),
        (paragraphs, false)
    );

    // A result says which section of its session it is in.
    let bali = edition
        .sessions
        .iter()
        .find(|s| s.id.as_str() == "igf-2013-bali-dc-internet-of-things")
        .unwrap();
    let at = bali
        .turns
        .iter()
        .position(|t| t.paragraphs.iter().any(|p| holds(p, "bcs")))
        .unwrap();
    let section = bali
        .sections
        .iter()
        .rfind(|s| bali.turns.iter().position(|t| t.id == s.turn).unwrap() <= at)
        .expect("a section before the turn");
    count_of("q=bcs&session=igf-2013-bali-dc-internet-of-things");
    assert!(
        texts(".result-facts")[0].contains(&format!("§ {}", section.title)),
        "{:?}",
        texts(".result-facts")
    );

    // A stakeholder group, as the registry says it: alone, with a word, and
    // as the count beside its option.
    let group_of = |t: &verbatim::edition::Turn| {
        let id = t.speaker.person()?;
        edition
            .people
            .iter()
            .find(|p| p.id == *id)?
            .stakeholder
            .clone()
    };
    let government = speech(edition)
        .filter(|(t, _)| group_of(t).as_deref() == Some("government"))
        .collect::<Vec<_>>();
    assert!(!government.is_empty());
    assert_eq!(
        count_of("stakeholder=government"),
        (government.len(), false)
    );
    let saying = government
        .iter()
        .filter(|(_, p)| holds(p, "internet"))
        .count();
    assert_eq!(
        count_of("q=internet&stakeholder=government"),
        (saying, false)
    );
    open(
        tab,
        &format!("{site_root}search.html?q=internet+governance"),
    );
    search_status(tab);
    let both = government
        .iter()
        .filter(|(_, p)| holds(p, "internet") && holds(p, "governance"))
        .count();
    assert_eq!(
        js(
            tab,
            "document.querySelector('#filter-stakeholder option[value=\"government\"]').textContent"
        ),
        format!("government ({both})")
    );

    // Newest first starts at the latest dated session that says the word.
    let saying_internet: Vec<_> = edition
        .sessions
        .iter()
        .filter(|s| {
            s.turns
                .iter()
                .flat_map(|t| &t.paragraphs)
                .any(|p| p.stage.is_none() && holds(p, "internet"))
        })
        .collect();
    let newest = saying_internet
        .iter()
        .filter_map(|s| s.meta.date.clone())
        .max()
        .expect("a dated session says internet");
    open(
        tab,
        &format!("{site_root}search.html?q=internet&sort=newest"),
    );
    search_status(tab);
    assert!(
        texts(".result-facts")[0].contains(&newest),
        "{newest} {:?}",
        texts(".result-facts")
    );

    // Pages of ten: the second continues the numbering, and its button leads back.
    let (internet, _) = count_of("q=internet");
    assert!(internet > 40);
    let first_page = texts(".result-link + .result-facts + .snippet");
    click_button(tab, "Next page");
    assert!(search_status(tab).contains("Page 2 of"));
    assert_eq!(
        js(tab, "document.getElementById('search-results').start"),
        "11"
    );
    assert!(tab.get_url().contains("page=2"));
    assert_ne!(texts(".snippet"), first_page);

    // One result per session, with how many paragraphs matched in each.
    let sessions_with = saying_internet.len();
    open(
        tab,
        &format!("{site_root}search.html?q=internet&group=session"),
    );
    let status = search_status(tab);
    assert!(
        status.starts_with(&format!("{sessions_with} sessions ({internet} paragraphs)")),
        "{status}"
    );
    let per_session: usize = texts(".result-group")
        .iter()
        .map(|g| {
            g.split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(per_session, internet);

    // Back from a result returns to the same results, scrolled where they were.
    open(tab, &format!("{site_root}search.html?q=internet"));
    search_status(tab);
    js(tab, "window.scrollTo(0, 600)");
    let scrolled = js(tab, "String(Math.round(window.scrollY))");
    assert_ne!(scrolled, "0", "the page is long enough to scroll");
    std::thread::sleep(std::time::Duration::from_millis(300));
    // A script's click, as a reader's would, leaves the scroll where it is.
    js(
        tab,
        "document.querySelector('.search-results li:nth-child(8) .result-link').click()",
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !tab.get_url().contains("sessions/") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    tab.wait_until_navigated().unwrap();
    js(tab, "history.back()");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !tab.get_url().contains("search.html") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(search_status(tab).contains("match"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while js(tab, "String(Math.round(window.scrollY))") != scrolled
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(js(tab, "String(Math.round(window.scrollY))"), scrolled);

    // Searching within a session page and a person's page.
    open(
        tab,
        &format!("{site_root}sessions/igf-2013-bali-dc-internet-of-things.html"),
    );
    js(
        tab,
        "document.getElementById('within-q').value = 'internet'",
    );
    click(tab, ".search-within button");
    let within = matching(&search_status(tab));
    assert_eq!(
        within,
        count_of("q=internet&session=igf-2013-bali-dc-internet-of-things")
    );
    open(tab, &format!("{site_root}people/vint-cerf.html"));
    js(
        tab,
        "document.getElementById('within-q').value = 'internet'",
    );
    click(tab, ".search-within button");
    assert_eq!(
        matching(&search_status(tab)),
        count_of("q=internet&person=vint-cerf")
    );
}

/// Clicks the button with this text (the page stays, its results change).
fn click_button(tab: &Arc<Tab>, text: &str) {
    js(
        tab,
        "document.getElementById('search-status').textContent = ''",
    );
    let clicked = js(
        tab,
        &format!(
            "(() => {{ const b = Array.from(document.querySelectorAll('button')).find(b => b.textContent === {text:?}); if (b) {{ b.click(); }} return String(!!b); }})()"
        ),
    );
    assert_eq!(clicked, "true", "no button {text:?}");
}

/// Queries from the search page's URL, as a shared or bookmarked search would.
fn search_as_a_reader(tab: &Arc<Tab>, site_root: &str) {
    // The shared tokeniser fixtures give the same tokens in the browser.
    open(tab, &format!("{site_root}search.html"));
    let fixtures =
        std::fs::read_to_string(common::bundled().join("tests/fixtures/tokenizer.json")).unwrap();
    let disagreements = js(
        tab,
        &format!(
            "JSON.stringify({fixtures}.filter(f => JSON.stringify(verbatimSearch.tokens(f.input)) !== JSON.stringify(f.tokens)))"
        ),
    );
    assert_eq!(disagreements, "[]");
    let disagreements = js(
        tab,
        &format!(
            "JSON.stringify({fixtures}.filter(f => JSON.stringify(verbatimSearch.compounds(f.input)) !== JSON.stringify(f.compounds || [])))"
        ),
    );
    assert_eq!(disagreements, "[]", "compounds");
    // And the same stems: porter2.js in the browser, rust-stemmers in the index.
    let stems =
        std::fs::read_to_string(common::bundled().join("tests/fixtures/stems.json")).unwrap();
    let disagreements = js(
        tab,
        &format!(
            "JSON.stringify(Object.entries({stems}).filter(([w, s]) => verbatimSearch.stem(w) !== s))"
        ),
    );
    assert_eq!(disagreements, "[]", "stems");

    // The client reads postings as the index writes them: every term of a
    // real term shard, and numbers of several digits.
    let index = common::built_bundled().join("search");
    let mut shards: Vec<_> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("t-"))
        .collect();
    shards.sort();
    let text = std::fs::read_to_string(&shards[0]).unwrap();
    let (_, json) = verbatim::search::index::registered(&text).unwrap();
    let shard: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).unwrap();
    let mut strings: Vec<String> = shard
        .values()
        .map(|e| e["p"].as_str().unwrap().to_string())
        .collect();
    // Session 100, paragraph 5000, impact 63.
    strings.push("AkDo8E_".to_string());
    let rust: Vec<Vec<(u64, u64)>> = strings
        .iter()
        .map(|p| verbatim::search::index::decode_postings(p))
        .collect();
    assert_eq!(rust.last().unwrap(), &[(100 * (1 << 20) + 5000, 63)]);
    let browser = js(
        tab,
        &format!(
            "JSON.stringify({}.map(p => verbatimSearch.decode(p, {})))",
            serde_json::to_string(&strings).unwrap(),
            verbatim::search::index::SESSION_SPAN
        ),
    );
    assert_eq!(browser, serde_json::to_string(&rust).unwrap());

    // A diacritic-folded query finds the session and the paragraph.
    open(tab, &format!("{site_root}search.html?q=kleinwachter"));
    let status = search_status(tab);
    assert!(
        status.contains("match"),
        "status {status:?} at {}; scripts: {}; loaded: {}; results: {}",
        js(tab, "location.href"),
        js(
            tab,
            "Array.from(document.scripts).map(s => s.src.split('/').pop()).join(' ')"
        ),
        js(
            tab,
            "performance.getEntriesByType('resource').map(e => e.name.split('/').pop() + ':' + Math.round(e.duration)).join(' ')"
        ),
        js(
            tab,
            "document.getElementById('search-results').innerHTML.length"
        )
    );
    let first = js(
        tab,
        "document.querySelector('.result-link').getAttribute('href')",
    );
    // His name matches his turns as a field (no word of the text to mark),
    // and the result says so.
    assert!(
        first.starts_with("sessions/igf-2013-bali-dc-internet-of-things.html#t"),
        "{first}"
    );
    assert_eq!(
        js(tab, "document.querySelector('.result-why').textContent"),
        "Spoken by Wolfgang Kleinwächter."
    );
    assert!(first.contains('p'), "results point at paragraphs: {first}");

    // The captioned reading finds the passage it was corrected in.
    open(tab, &format!("{site_root}search.html?q=encore"));
    search_status(tab);
    let hrefs = js(
        tab,
        "Array.from(document.querySelectorAll('.result-link')).map(a => a.getAttribute('href')).join(' ')",
    );
    assert!(
        hrefs.contains("igf-2019-berlin-dc-core-internet-values-part-2.html?h=encore#"),
        "{hrefs}"
    );

    // A phrase query: every result holds the words in that order.
    open(
        tab,
        &format!("{site_root}search.html?q=%22core%20internet%20values%22"),
    );
    search_status(tab);
    let snippets = js(
        tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.snippet')).map(p => p.textContent.toLowerCase()))",
    );
    let snippets: Vec<String> = serde_json::from_str(&snippets).unwrap();
    assert!(!snippets.is_empty());
    assert!(
        snippets.iter().all(|s| s.contains("core internet values")),
        "{snippets:#?}"
    );

    // Session and year filters are exact: the counts of a word within each
    // session add up to its count in the whole edition, none is "at least",
    // and a year with one session counts as that session.
    let count_of = |query: &str| {
        open(tab, &format!("{site_root}search.html?{query}"));
        matching(&search_status(tab))
    };
    let (whole, _) = count_of("q=internet");
    let mut per_session = 0;
    for session in [
        "igf-2013-bali-dc-internet-of-things",
        "igf-2014-istanbul-ws139-evaluating-governance-mechanisms",
        "igf-2016-guadalajara-cldp-pre-conference-seminar",
        "igf-2018-paris-ws40-internet-mega-trends",
        "igf-2019-berlin-dc-core-internet-values-part-2",
    ] {
        let (n, at_least) = count_of(&format!("q=internet&session={session}"));
        assert!(!at_least, "{session}: a session filter's count is exact");
        per_session += n;
    }
    assert_eq!(per_session, whole);
    assert_eq!(
        count_of("q=internet&year=2013"),
        count_of("q=internet&session=igf-2013-bali-dc-internet-of-things")
    );
    assert!(
        count_of("q=internet&year=2013").0 > 10,
        "more than one page of results"
    );

    // The person filter is exact as well: its count is the number of
    // paragraphs the person speaks that hold the word (in either reading),
    // as the edition model says.
    let edition = verbatim::load::load(&common::bundled()).edition;
    let spoken_with = |person: &str, word: &str| {
        edition
            .sessions
            .iter()
            .flat_map(|s| &s.turns)
            .filter(|t| t.speaker.person().is_some_and(|p| p == person))
            .flat_map(|t| &t.paragraphs)
            .filter(|p| p.stage.is_none())
            .filter(|p| holds(p, word))
            .count()
    };
    for person in ["vint-cerf", "joe-gattuso"] {
        let (n, at_least) = count_of(&format!("q=internet&person={person}"));
        assert!(!at_least, "{person}");
        assert_eq!(n, spoken_with(person, "internet"), "{person}");
    }
    // And each speaker's option says how many of the results they speak.
    open(tab, &format!("{site_root}search.html?q=internet"));
    search_status(tab);
    assert_eq!(
        js(
            tab,
            "document.querySelector('#filter-person option[value=\"vint-cerf\"]').textContent"
        ),
        format!("Vint Cerf ({})", spoken_with("vint-cerf", "internet"))
    );

    forgiving_and_explained(tab, site_root, &edition);

    // Filters narrow by speaker; following a result lands on its paragraph.
    open(
        tab,
        &format!("{site_root}search.html?q=internet&person=vint-cerf"),
    );
    search_status(tab);
    let facts = js(
        tab,
        "Array.from(document.querySelectorAll('.result-facts')).map(p => p.textContent).join('|')",
    );
    assert!(
        !facts.is_empty() && facts.split('|').all(|f| f.starts_with("Vint Cerf")),
        "{facts}"
    );
    click(tab, ".result-link");
    let hash = js(tab, "location.hash");
    assert_eq!(
        js(
            tab,
            "String(document.querySelector(location.hash).matches(':target'))"
        ),
        "true",
        "{hash}"
    );
    assert_eq!(
        js(tab, "document.querySelector(location.hash).tagName"),
        "P"
    );
    // Arriving at a result, the word that matched is marked in the paragraph.
    let marked = js(
        tab,
        "Array.from(document.getElementById(location.hash.slice(1)).querySelectorAll('mark.search-hit')).map(m => m.textContent).join(' ')",
    );
    assert!(
        !marked.is_empty()
            && marked
                .split(' ')
                .all(|w| verbatim::search::tokenize::tokens(w) == ["internet"]),
        "{marked:?}"
    );
    // `/` takes the reader to the search box.
    tab.press_key("/").unwrap();
    assert_eq!(js(tab, "document.activeElement.id"), "site-search-q");

    // A complete query means its words as written: `the` marks "the", not
    // "Therefore" or "theory" (only a word being typed is a prefix).
    open(tab, &format!("{site_root}search.html?q=the"));
    search_status(tab);
    let marked = js(
        tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.snippet mark')).map(m => m.textContent))",
    );
    let marked: Vec<String> = serde_json::from_str(&marked).unwrap();
    assert!(!marked.is_empty());
    for word in &marked {
        assert_eq!(
            verbatim::search::tokenize::tokens(word),
            ["the"],
            "{word:?} in {marked:?}"
        );
    }

    // While typing, the exact word ranks above words it only begins: the
    // first result for `internet` holds "internet" itself.
    open(tab, &format!("{site_root}search.html"));
    search_status(tab);
    js(
        tab,
        "(() => { document.getElementById('search-status').textContent = ''; const q = document.getElementById('search-q'); q.value = 'internet'; q.dispatchEvent(new Event('input')); })()",
    );
    search_status(tab);
    let first = js(tab, "document.querySelector('.snippet').textContent");
    assert!(
        verbatim::search::tokenize::tokens(&first)
            .iter()
            .any(|t| t == "internet"),
        "{first}"
    );

    // Search-as-you-type: a prefix finds whole words, and the keyboard reaches the results.
    open(tab, &format!("{site_root}search.html"));
    search_status(tab);
    js(
        tab,
        "(() => { document.getElementById('search-status').textContent = ''; const q = document.getElementById('search-q'); q.value = 'permissionl'; q.dispatchEvent(new Event('input')); })()",
    );
    let status = search_status(tab);
    assert!(status.contains("match"), "{status}");
    js(tab, "document.getElementById('search-q').focus()");
    tab.press_key("ArrowDown").unwrap();
    assert_eq!(js(tab, "document.activeElement.className"), "result-link");
}

/// A reader keeps the search page open while the edition is published
/// again: the manifest the page holds names index files the new build
/// replaced, and the next search still works (it fetches the manifest
/// afresh), from disk as over HTTP.
#[test]
fn a_search_page_left_open_across_a_new_publication_keeps_working() {
    let Some(browser) = browser() else { return };
    let root = common::copy_of_bundled();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let tab = browser.new_tab().unwrap();
    open(
        &tab,
        &format!("file://{}/search.html?q=internet", out.display()),
    );
    assert!(search_status(&tab).contains("match"));

    // A new session whose words change the index's files, published in place.
    std::fs::write(
        root.path()
            .join("content/igf-2021-katowice-new-session.txt"),
        "NEW SESSION\n\n>> ANNA BELL: Kleinwachter spoke of quasiquantum governance here.\n",
    )
    .unwrap();
    common::build(root.path(), &out);

    js(
        &tab,
        "(() => { document.getElementById('search-status').textContent = ''; const q = document.getElementById('search-q'); q.value = 'quasiquantum'; q.dispatchEvent(new Event('input')); })()",
    );
    let status = search_status(&tab);
    assert!(status.starts_with("1 paragraph"), "{status}");
    let href = js(
        &tab,
        "document.querySelector('.result-link').getAttribute('href')",
    );
    assert!(
        href.starts_with("sessions/igf-2021-katowice-new-session.html?h=quasiquantum#"),
        "{href}"
    );
}

#[test]
fn a_reader_searches_the_edition_from_disk() {
    let site = common::built_bundled();
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    search_as_a_reader(&tab, &format!("file://{}/", site.display()));
}

/// A session named after a file whose name holds `#`, `?`, `%` and spaces is
/// found by search and opened from its result, from disk: the search client
/// encodes the name in the link as the pages do.
#[test]
fn a_reader_opens_a_search_result_in_a_session_named_with_url_characters() {
    let root = common::copy_of_bundled();
    std::fs::write(
        root.path().join("content/igf 2019 #3?x%41.txt"),
        "ODD NAME\n\n>> AVRI DORIA: A xylophonic greeting from a file named with URL characters.\n",
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    open(
        &tab,
        &format!("file://{}/search.html?q=xylophonic", out.display()),
    );
    assert_eq!(search_status(&tab), "1 paragraph matches.");
    click(&tab, "a.result-link");
    assert_eq!(
        js(
            &tab,
            "decodeURIComponent(location.pathname.split('/').pop())"
        ),
        "igf 2019 #3?x%41.html"
    );
    let paragraph = js(&tab, "location.hash.slice(1)");
    assert_eq!(
        js(
            &tab,
            &format!("document.getElementById('{paragraph}').textContent")
        ),
        "A xylophonic greeting from a file named with URL characters. ¶"
    );
}

/// A large edition's search page lists no session and no person to filter
/// by (it stays small); a reader arrives from a session's or a person's
/// page with the filter set, sees it, and its option takes the session's
/// title or the person's name from the results.
#[test]
fn a_large_editions_search_page_filters_by_the_session_or_person_a_page_asked_for() {
    let root = tempfile::tempdir().unwrap();
    for d in ["content", "annotations"] {
        std::fs::create_dir_all(root.path().join(d)).unwrap();
    }
    let mut registry = String::from(
        "people:\n  - id: ada-lovelace\n    name: Ada Lovelace\n    aliases: [ADA LOVELACE]\n",
    );
    for i in 0..1000 {
        registry.push_str(&format!("  - id: person-{i}\n    name: Person {i}\n"));
    }
    std::fs::write(root.path().join("annotations/people.yaml"), registry).unwrap();
    for s in 0..501 {
        std::fs::write(
            root.path().join(format!("content/igf-2015-ws{s}.txt")),
            format!(
                "IGF 2015 - Day 1 - Room 4 - WS{s} - Workshop {s}\n\n\
                 >> MODERATOR: Welcome to workshop {s}.\n\n\
                 >> ADA LOVELACE: Thank you for workshop {s}.\n"
            ),
        )
        .unwrap();
    }
    let out = root.path().join("public");
    common::build(root.path(), &out);
    let page = std::fs::read_to_string(out.join("search.html")).unwrap();
    assert!(page.len() < 20_000, "search.html is {} bytes", page.len());
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    let site = format!("file://{}/", out.display());
    let shown = |tab: &Arc<Tab>, f: &str| {
        js(
            tab,
            &format!(
                "(() => {{ const s = document.getElementById('filter-{f}'); return [s.hidden, s.value, s.options[s.selectedIndex].textContent].join('|'); }})()"
            ),
        )
    };
    open(&tab, &format!("{site}search.html?q=welcome"));
    assert_eq!(matching(&search_status(&tab)).0, 501);
    assert_eq!(shown(&tab, "session"), "true||any session");
    assert_eq!(shown(&tab, "person"), "true||anyone");

    open(
        &tab,
        &format!("{site}search.html?q=workshop&session=igf-2015-ws7"),
    );
    let status = search_status(&tab);
    assert_eq!(matching(&status).0, 2, "{status}");
    let session = shown(&tab, "session");
    assert!(session.starts_with("false|igf-2015-ws7|"), "{session}");
    assert!(
        !session.ends_with("|igf-2015-ws7"),
        "named by its title: {session}"
    );

    open(
        &tab,
        &format!("{site}search.html?q=thank&person=ada-lovelace"),
    );
    let status = search_status(&tab);
    assert_eq!(matching(&status).0, 501, "{status}");
    let person = shown(&tab, "person");
    assert!(
        person.starts_with("false|ada-lovelace|Ada Lovelace"),
        "{person}"
    );
}

/// An edition where common words outgrow their heads (the best 1,000
/// paragraphs a term shard keeps) and their full lists span several files:
/// 36 sessions over three years, 500 paragraphs each. Every paragraph says
/// "forum"; the n-th of a session says "alpha" when n is a multiple of 3,
/// "beta" of 5; Ada Lovelace, registered, speaks every 11th.
fn large_edition() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for d in ["content", "annotations"] {
        std::fs::create_dir_all(root.path().join(d)).unwrap();
    }
    std::fs::write(
        root.path().join("annotations/people.yaml"),
        "people:\n  - id: ada-lovelace\n    name: Ada Lovelace\n    aliases: [ADA LOVELACE]\n",
    )
    .unwrap();
    for s in 0..36 {
        let year = 2011 + s / 12;
        let id = format!("forum-{year}-{:02}", s % 12 + 1);
        let mut text = format!("SESSION {s}\n\n");
        for n in 0..500 {
            let speaker = if n % 11 == 0 {
                "ADA LOVELACE"
            } else {
                "BOB SMITH"
            };
            let mut words = vec!["forum"];
            if n % 3 == 0 {
                words.push("alpha");
            }
            if n % 5 == 0 {
                words.push("beta");
            }
            // Lengths differ, so impacts do.
            words.extend(std::iter::repeat_n("words", n % 17));
            text.push_str(&format!(">> {speaker}: {} {n}.\n\n", words.join(" ")));
        }
        std::fs::write(root.path().join(format!("content/{id}.txt")), text).unwrap();
        std::fs::write(
            root.path().join(format!("annotations/{id}.yaml")),
            format!(
                "session: {id}\nmeta:\n  date: {year}-{:02}-15\n",
                s % 12 + 1
            ),
        )
        .unwrap();
    }
    root
}

#[test]
fn counts_stay_exact_past_a_words_best_paragraphs() {
    let root = large_edition();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    // The premise: "forum" keeps a head and its full list is in several files.
    let read = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(out.join(format!("search/{name}.js"))).unwrap();
        let (_, data) = verbatim::search::index::registered(&text).unwrap();
        serde_json::from_str(&verbatim::search::index::unpacked(data).unwrap()).unwrap()
    };
    let manifest = read("manifest");
    let shard = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|s| s[0].as_str().unwrap() <= "forum")
        .unwrap()[1]
        .as_str()
        .unwrap()
        .to_string();
    let forum = &read(&shard)["forum"];
    assert_eq!(forum["df"], 18000);
    assert!(forum["full"].as_array().unwrap().len() > 1, "{forum}");
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    past_heads(&tab, &format!("file://{}/", out.display()), &out);
    // A browser that cannot inflate the packed files says so.
    open(&tab, &format!("file://{}/search.html", out.display()));
    js(
        &tab,
        "(() => { window.DecompressionStream = undefined; document.getElementById('search-status').textContent = ''; const q = document.getElementById('search-q'); q.value = 'forum'; q.dispatchEvent(new Event('input')); return ''; })()",
    );
    let status = search_status(&tab);
    assert!(
        status.starts_with("Search failed: this browser cannot unpack the index"),
        "{status}"
    );
    if common::tool_present("Python 3 (the static host)", common::runs("python3")) {
        let host = StaticHost::serving_at_edition(&out);
        let site = format!("http://127.0.0.1:{}/edition/", host.port);
        past_heads(&tab, &site, &out);
    }
}

/// Searches of [`large_edition`] built into `out` and published at `site`.
fn past_heads(tab: &Arc<Tab>, site: &str, out: &std::path::Path) {
    let tab = tab.clone();
    let count_of = |query: &str| {
        open(&tab, &format!("{site}search.html?{query}"));
        matching(&search_status(&tab))
    };
    let per = |every: usize| (0..500).filter(|n| n % every == 0).count();
    assert_eq!(count_of("q=forum"), (36 * 500, false));
    let full_files = js(
        &tab,
        "String(performance.getEntriesByType('resource').filter(e => /\\/p-/.test(e.name)).length)",
    );
    assert_eq!(full_files, "0", "one word's first page comes from its head");
    // Each year's option says its count, from the term's entry.
    assert_eq!(
        js(
            &tab,
            "document.querySelector('#filter-year option[value=\"2012\"]').textContent"
        ),
        "2012 (6000)"
    );
    // A year loads the full list's files of its own sessions only.
    assert_eq!(count_of("q=forum&year=2012"), (12 * 500, false));
    let loaded = js(
        &tab,
        "String(performance.getEntriesByType('resource').filter(e => /\\/p-/.test(e.name)).length)",
    );
    let all_files = std::fs::read_dir(out.join("search"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("p-")
        })
        .count();
    assert!(
        loaded.parse::<usize>().unwrap() < all_files,
        "{loaded} of {all_files} full-list files"
    );
    // Two common words: exact, from their full lists, without reading text.
    assert_eq!(count_of("q=alpha+beta"), (36 * per(15), false));
    // Its speakers' options count what each speaks of it.
    assert_eq!(
        js(
            &tab,
            "document.querySelector('#filter-person option[value=\"ada-lovelace\"]').textContent"
        ),
        format!("Ada Lovelace ({})", 36 * per(165))
    );
    assert_eq!(count_of("q=alpha+beta&year=2013"), (12 * per(15), false));
    // A person and a common word; her name alone finds what she speaks.
    assert_eq!(
        count_of("q=alpha&person=ada-lovelace"),
        (36 * per(33), false)
    );
    assert_eq!(count_of("q=lovelace"), (36 * per(11), false));
    assert!(
        js(&tab, "document.querySelector('.result-why').textContent")
            .contains("Spoken by Ada Lovelace.")
    );
    // Past the head: page 150 of "alpha" (ten a page) still has results.
    let alpha = 36 * per(3);
    open(&tab, &format!("{site}search.html?q=alpha&page=150"));
    let status = search_status(&tab);
    assert!(
        status.contains(&format!("Page 150 of {}", alpha.div_ceil(10))),
        "{status}"
    );
    assert_eq!(
        js(
            &tab,
            "String(document.querySelectorAll('.result-link').length)"
        ),
        "10"
    );
    // Oldest first reaches the first session, which the head may not hold.
    open(&tab, &format!("{site}search.html?q=forum&sort=oldest"));
    search_status(&tab);
    assert!(
        js(
            &tab,
            "document.querySelector('.result-link').getAttribute('href')"
        )
        .starts_with("sessions/forum-2011-01.html")
    );
}

/// `seconds` of silence as a WAV file (8 kHz, 8-bit mono PCM), a recording
/// every browser plays.
fn silent_wav(seconds: u32) -> Vec<u8> {
    let samples = 8_000 * seconds;
    let mut wav = Vec::with_capacity(44 + samples as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&8_000u32.to_le_bytes());
    wav.extend_from_slice(&8_000u32.to_le_bytes()); // bytes per second
    wav.extend_from_slice(&1u16.to_le_bytes()); // block align
    wav.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&samples.to_le_bytes());
    wav.resize(44 + samples as usize, 128);
    wav
}

/// A session from a caption file whose recording is a file of the edition:
/// its page plays it, from disk and over HTTP. A time link
/// moves the player there; as it plays, the paragraph being said is marked.
#[test]
fn a_session_plays_its_own_recording_and_the_transcript_follows() {
    let Some(browser) = browser() else { return };
    let root = common::captioned_session();
    std::fs::write(root.path().join("media/zoom.wav"), silent_wav(70)).unwrap();
    std::fs::write(
        root.path().join("annotations/zoom.yaml"),
        "session: zoom\nrecording:\n  file: media/zoom.wav\n",
    )
    .unwrap();
    let out = root.path().join("public");
    common::build(root.path(), &out);
    assert_eq!(
        std::fs::read(out.join("media/zoom.wav")).unwrap().len(),
        44 + 8_000 * 70,
        "the recording is published beside the pages"
    );
    let edition = verbatim::load::load(root.path()).edition;
    let timed: Vec<(String, u64)> = edition.sessions[0]
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .filter_map(|p| Some((p.id.to_string(), p.time?[0] / 1000)))
        .collect();
    // A paragraph a few seconds before the next one, so that playing on
    // does not leave it before the test looks.
    let (wanted, at) = timed
        .windows(2)
        .find(|w| w[1].1 >= w[0].1 + 5 && w[0].1 > 10)
        .map(|w| w[0].clone())
        .expect("a paragraph well before the next");
    // Its longest word, to find it by.
    let word = edition.sessions[0]
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .find(|p| p.id.as_str() == wanted)
        .and_then(|p| {
            p.text
                .split(|c: char| !c.is_alphanumeric())
                .max_by_key(|w| w.len())
                .map(str::to_string)
        })
        .unwrap();

    let tab = browser.new_tab().unwrap();
    let mut places = vec![format!(
        "file://{}",
        out.join("sessions/zoom.html").display()
    )];
    // Over HTTP from the preview, which answers byte ranges as static
    // hosts do (seeking needs them; Python's http.server has none).
    let preview = preview::Preview::start(root.path(), &[], &[]);
    places.push(format!("http://{}/sessions/zoom.html", preview.addr));
    for page in places {
        open(&tab, &page);
        assert_eq!(
            js(
                &tab,
                "document.getElementById('player').getAttribute('src')"
            ),
            "../media/zoom.wav"
        );
        // Without the script the link opens the file at the moment.
        let link = format!("#{wanted} a.time");
        assert_eq!(
            js(
                &tab,
                &format!("document.querySelector('{link}').getAttribute('href')")
            ),
            format!("../media/zoom.wav#t={at}")
        );
        tab.find_element(&link).unwrap().click().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let marked = loop {
            let marked = js(
                &tab,
                "(document.querySelector('.record .playing') || {}).id || ''",
            );
            if marked == wanted || std::time::Instant::now() > deadline {
                break marked;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        assert_eq!(marked, wanted, "{page}: the paragraph played is marked");
        let now: f64 = js(&tab, "document.getElementById('player').currentTime")
            .parse()
            .unwrap();
        assert!(
            now >= at as f64 && now < at as f64 + 5.0,
            "{page}: the player is at {now}, not {at}"
        );
        assert_eq!(
            js(
                &tab,
                &format!("document.getElementById('{wanted}').getAttribute('aria-current')")
            ),
            "true"
        );
        // The URL did not change: the page played the moment itself.
        assert!(tab.get_url().ends_with("zoom.html"), "{}", tab.get_url());

        // A search result from the paragraph says when it was said.
        let search = page.replace("sessions/zoom.html", "search.html");
        open(&tab, &format!("{search}?q={}", urlencoding(&word)));
        assert!(!search_status(&tab).is_empty());
        let facts = js(
            &tab,
            &format!(
                "document.querySelector('.result-link[href$=\"#{wanted}\"]').parentNode.querySelector('.result-facts').textContent"
            ),
        );
        assert!(facts.contains(&format!("at 00:00:{at:02}")), "{facts}");
    }
}

/// A word as a query string's value.
fn urlencoding(word: &str) -> String {
    word.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Lays the page out as a screen `width` CSS pixels wide (a phone's when
/// narrow: touch, no hover).
fn at_width(tab: &Arc<Tab>, width: u32) {
    use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
    tab.call_method(SetDeviceMetricsOverride {
        width,
        height: 900,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .unwrap();
}

/// Every correction of every session, opened at a phone's, a tablet's and
/// a desktop's width: its entry shows inside the window, the page never
/// grows wider than the window, and the open entry closes with its button.
#[test]
fn every_corrections_entry_opens_inside_the_window_at_every_width() {
    let Some(browser) = browser() else { return };
    let site = common::built_bundled();
    let edition = verbatim::load::load(&common::bundled()).edition;
    let tab = browser.new_tab().unwrap();
    let mut opened = 0;
    for width in [390, 768, 1280] {
        at_width(&tab, width);
        for session in edition.sessions.iter().filter(|s| s.corrections() > 0) {
            open(
                &tab,
                &format!(
                    "file://{}",
                    site.join(format!("sessions/{}.html", session.id)).display()
                ),
            );
            let faults = js(
                &tab,
                "(function () {
                  var root = document.documentElement, faults = [];
                  var corrections = document.querySelectorAll('.correction');
                  corrections.forEach(function (c, i) {
                    c.scrollIntoView({ block: 'center' });
                    c.querySelector('.reading-corrected').click();
                    var pop = document.querySelector('.correction-pop');
                    if (!pop) { faults.push(i + ': nothing opened'); return; }
                    var r = pop.getBoundingClientRect();
                    if (r.left < 0 || r.right > root.clientWidth) { faults.push(i + ': ' + r.left + '..' + r.right); }
                    if (root.scrollWidth > root.clientWidth) { faults.push(i + ': page ' + root.scrollWidth + ' wide'); }
                    pop.querySelector('.close').click();
                    if (document.querySelector('.correction-pop')) { faults.push(i + ': not closed'); }
                  });
                  return corrections.length + ' ' + faults.join('; ');
                })()",
            );
            let (count, faults) = faults.split_once(' ').unwrap();
            assert_eq!(
                count.parse::<usize>().unwrap(),
                session.corrections(),
                "{}",
                session.id
            );
            assert!(faults.is_empty(), "{} at {width} px: {faults}", session.id);
            opened += session.corrections();
        }
    }
    assert!(opened >= 3 * 50, "{opened}");
}

/// Every page of the edition at a phone's width, and one page of each kind
/// at a tablet's and a desktop's: nothing is wider than the window.
#[test]
fn every_page_fits_at_phone_tablet_and_desktop_widths() {
    let Some(browser) = browser() else { return };
    let site = common::built_bundled();
    let pages: Vec<std::path::PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    assert!(pages.len() > 20);
    let tab = browser.new_tab().unwrap();
    let mut wide = Vec::new();
    // One page of each folder (a kind of page) and every page at the root.
    let mut kinds = std::collections::BTreeSet::new();
    let one_of_each: Vec<&std::path::PathBuf> = pages
        .iter()
        .filter(|p| {
            let folder = p.parent().unwrap().strip_prefix(site).unwrap();
            folder.as_os_str().is_empty() || kinds.insert(folder.to_path_buf())
        })
        .collect();
    for width in [390, 768, 1280] {
        at_width(&tab, width);
        let checked: Vec<&std::path::PathBuf> = if width == 390 {
            pages.iter().collect()
        } else {
            one_of_each.clone()
        };
        for page in checked {
            open(&tab, &format!("file://{}", page.display()));
            let sizes = js(
                &tab,
                "document.documentElement.scrollWidth + ' ' + document.documentElement.clientWidth",
            );
            let (scroll, client) = sizes.split_once(' ').unwrap();
            if scroll.parse::<u32>().unwrap() > client.parse::<u32>().unwrap() {
                wide.push(format!(
                    "{} at {width} px: {scroll} wide",
                    page.strip_prefix(site).unwrap().display()
                ));
            }
        }
    }
    assert!(wide.is_empty(), "{wide:#?}");
}

/// A correction reads "[captioned → corrected]" without CSS (reader modes,
/// text browsers), and on paper both readings print, the captioned struck
/// through, with the apparatus after the record.
#[test]
fn without_css_and_on_paper_both_readings_stay_apart() {
    let Some(browser) = browser() else { return };
    let site = common::built_bundled();
    let tab = browser.new_tab().unwrap();
    open(&tab, &format!("file://{}", site.join(SESSION).display()));
    let plain = js(
        &tab,
        "(function () { for (var s of document.styleSheets) { s.disabled = true; } return document.querySelector('.correction').innerText; })()",
    );
    assert_eq!(
        plain,
        "[U.K. chapter ftz Internet Society → U.K. chapter of the Internet Society]*"
    );
    open(&tab, &format!("file://{}", site.join(SESSION).display()));
    use headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia;
    tab.call_method(SetEmulatedMedia {
        media: Some("print".into()),
        features: None,
    })
    .unwrap();
    assert_eq!(shown(&tab), "inline inline line-through");
    assert_eq!(
        js(
            &tab,
            "getComputedStyle(document.querySelector('.apparatus')).display"
        ),
        "block"
    );
}

/// A host serves `404.html` for a missing address in any folder. Published
/// at a subpath without a base URL, the page finds the site's root itself:
/// styled, and its links lead into the edition.
#[test]
fn the_not_found_page_works_at_a_subpath_in_any_folder() {
    let Some(browser) = browser() else { return };
    if !common::tool_present("Python 3 (the static host)", common::runs("python3")) {
        return;
    }
    // The site, and the page a host would serve for /edition/sessions/gone/missing.html.
    let copy = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(common::built_bundled())
        .arg(copy.path().join("site"))
        .status()
        .unwrap();
    assert!(status.success());
    let site = copy.path().join("site");
    std::fs::create_dir_all(site.join("sessions/gone")).unwrap();
    std::fs::copy(
        site.join("404.html"),
        site.join("sessions/gone/missing.html"),
    )
    .unwrap();
    let host = StaticHost::serving_at_edition(&site);
    let tab = browser.new_tab().unwrap();
    open(
        &tab,
        &format!(
            "http://127.0.0.1:{}/edition/sessions/gone/missing.html",
            host.port
        ),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let home = loop {
        let home = js(&tab, "document.querySelector('main a').href");
        if home.ends_with("/edition/index.html") || std::time::Instant::now() > deadline {
            break home;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(
        home,
        format!("http://127.0.0.1:{}/edition/index.html", host.port)
    );
    // The stylesheet applies: the header lays out as a row.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while js(
        &tab,
        "getComputedStyle(document.querySelector('.site-header')).display",
    ) != "flex"
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        js(
            &tab,
            "getComputedStyle(document.querySelector('.site-header')).display"
        ),
        "flex"
    );
    click(&tab, "main a");
    assert_eq!(
        js(&tab, "document.querySelector('h1').textContent"),
        "The IGF Transcripts"
    );
}

/// A turn's and a paragraph's citations in text, BibTeX, RIS and CSL-JSON:
/// with the edition, its editors and version, the reading chosen, the
/// access date; from disk without a published address they say so, with
/// one they give it.
#[test]
fn a_scholar_cites_a_turn_and_a_paragraph_in_every_format() {
    let Some(browser) = browser() else { return };
    let tab = browser.new_tab().unwrap();
    let page = format!("file://{}", common::built_bundled().join(SESSION).display());
    open(&tab, &format!("{page}?reading=both"));
    tab.find_element(".turn details.cite summary")
        .unwrap()
        .click()
        .unwrap();
    let formats = js(
        &tab,
        "JSON.stringify(Array.from(document.querySelectorAll('.turn details.cite .cite-panel pre')).map(function (p) { return p.textContent; }))",
    );
    let formats: Vec<String> = serde_json::from_str(&formats).unwrap();
    let [text, bibtex, ris, csl] = formats.as_slice() else {
        panic!("{formats:?}")
    };
    let turn = js(&tab, "document.querySelector('.turn').id");
    assert!(
        text.contains("The IGF Transcripts, edited by The verbatim editors, version 1.0."),
        "{text}"
    );
    assert!(text.contains(&format!("?reading=both#{turn}")), "{text}");
    assert!(text.contains("a copy on disk"), "{text}");
    assert!(
        bibtex.starts_with(&format!("@misc{{{turn},")) && bibtex.contains("edition = {1.0}"),
        "{bibtex}"
    );
    assert!(
        ris.starts_with("TY  - GEN\n")
            && ris.contains("\nT2  - The IGF Transcripts\n")
            && ris.ends_with("ER  - "),
        "{ris}"
    );
    let csl: serde_json::Value = serde_json::from_str(csl).unwrap();
    assert_eq!(csl[0]["type"], "speech");
    assert_eq!(csl[0]["container-title"], "The IGF Transcripts");
    assert!(
        csl[0]["URL"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#{turn}"))
    );

    // A paragraph's ¶ opens its citation below it.
    let second = js(
        &tab,
        "(function () { var t = Array.from(document.querySelectorAll('.turn')).find(function (t) { return t.querySelectorAll(':scope > p[id]').length > 1; }); return t.querySelectorAll(':scope > p[id]')[1].id; })()",
    );
    tab.find_element(&format!("#{second} > a.permalink"))
        .unwrap()
        .click()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut text = String::new();
    while text.is_empty() && std::time::Instant::now() < deadline {
        text = js(
            &tab,
            &format!(
                "(function () {{ var p = document.querySelector('#{second} + .cite-panel pre'); return p ? p.textContent : ''; }})()"
            ),
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(text.contains(&format!("paragraph 2 [{second}]")), "{text}");
    assert!(text.contains(&format!("#{second}")), "{text}");
}

/// A permalink to a paragraph lands with the paragraph in view, below the
/// sticky reading bar, at a phone's and a desktop's width.
#[test]
fn a_permalink_lands_below_the_sticky_reading_bar() {
    let Some(browser) = browser() else { return };
    let site = common::built_bundled();
    let tab = browser.new_tab().unwrap();
    for width in [390, 1280] {
        at_width(&tab, width);
        open(&tab, &format!("file://{}", site.join(SESSION).display()));
        let target = js(&tab, "document.querySelectorAll('.turn > p[id]')[40].id");
        // A fresh load, as when a citation is followed.
        open(&tab, "about:blank");
        open(
            &tab,
            &format!("file://{}#{target}", site.join(SESSION).display()),
        );
        let gap = js(
            &tab,
            &format!(
                "document.getElementById('{target}').getBoundingClientRect().top - document.getElementById('readings').getBoundingClientRect().bottom"
            ),
        );
        let gap: f64 = gap.parse().unwrap();
        assert!(
            gap >= 0.0,
            "at {width} px the paragraph is {gap} px under the bar"
        );
    }
}
