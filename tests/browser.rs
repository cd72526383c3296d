//! A reader's path through the bundled edition in headless Chromium, from disk
//! (file://) and over HTTP at a subpath, plus an axe-core accessibility audit.

mod common;

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

    // Switch to the captioned reading, by mouse and by keyboard.
    let first = "document.querySelector('.correction')";
    assert_eq!(
        js(
            tab,
            &format!("getComputedStyle({first}.querySelector('.reading-captioned')).display")
        ),
        "none"
    );
    assert_eq!(
        js(
            tab,
            "String(document.getElementById('reading-switch').hidden)"
        ),
        "false"
    );
    tab.find_element("#reading-switch")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(
        js(
            tab,
            "document.getElementById('reading-switch').getAttribute('aria-pressed')"
        ),
        "true"
    );
    assert_eq!(
        js(
            tab,
            &format!("getComputedStyle({first}.querySelector('.reading-captioned')).display")
        ),
        "inline"
    );
    assert_eq!(
        js(
            tab,
            &format!("getComputedStyle({first}.querySelector('.reading-corrected')).display")
        ),
        "none"
    );
    assert_eq!(
        js(
            tab,
            &format!("{first}.querySelector('.reading-captioned').textContent")
        ),
        "U.K. chapter ftz Internet Society"
    );
    js(tab, "document.getElementById('reading-switch').focus()");
    tab.press_key("Enter").unwrap();
    assert_eq!(
        js(
            tab,
            "document.getElementById('reading-switch').getAttribute('aria-pressed')"
        ),
        "false"
    );
    assert_eq!(
        js(
            tab,
            &format!("getComputedStyle({first}.querySelector('.reading-corrected')).display")
        ),
        "inline"
    );

    // A correction's note shows on keyboard focus.
    js(tab, &format!("{first}.focus()"));
    assert_eq!(
        js(
            tab,
            &format!("getComputedStyle({first}.querySelector('.correction-note')).display")
        ),
        "block"
    );

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
    assert!(
        first.starts_with("sessions/igf-2013-bali-dc-internet-of-things.html?h=kleinwachter#t"),
        "{first}"
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
            .filter(|p| {
                let has = |text: &str| {
                    verbatim::search::tokenize::tokens(text)
                        .iter()
                        .any(|t| t == word)
                };
                has(&p.text) || has(&p.original)
            })
            .count()
    };
    for person in ["vint-cerf", "joe-gattuso"] {
        let (n, at_least) = count_of(&format!("q=internet&person={person}"));
        assert!(!at_least, "{person}");
        assert_eq!(n, spoken_with(person, "internet"), "{person}");
    }

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
