//! `verbatim serve` as an editor uses it: edit, see the page change over HTTP,
//! make a mistake and see it reported while the last good page stays, fix it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A raw GET, so paths reach the server exactly as written (clients normalise `..`).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

#[test]
fn an_editor_edits_breaks_and_fixes_an_annotation_while_serving() {
    let root = common::copy_of_bundled();
    // Run from the edition's folder with the default (relative) root, as an
    // editor does.
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["serve", "--port", "0"])
        .current_dir(root.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split_once(" at http://") {
            break rest
                .1
                .trim_end_matches(|c: char| c != '/')
                .trim_end_matches('/')
                .to_string();
        }
    };
    let addr = addr.split_whitespace().next().unwrap().to_string();
    // Keep draining stderr, keeping what serve says.
    let said = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let log = said.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let mut log = log.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });

    let page = "/sessions/igf-2013-bali-dc-internet-of-things.html";
    let (status, body) = get(&addr, page);
    assert_eq!(status, 200);
    assert!(body.contains("So that Avri and me"));
    assert!(
        body.contains("/__verbatim/status"),
        "pages carry the reload script"
    );

    // An idle server stays idle: building reads the theme, and reading must
    // not count as a change (it once set off one build after another).
    let build_number = |status: String| status.split(',').next().unwrap_or("").to_string();
    let before = build_number(get(&addr, "/__verbatim/status").1);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(build_number(get(&addr, "/__verbatim/status").1), before);

    // An edit shows up in the served page.
    let layer = root
        .path()
        .join("annotations/sessions/igf-2013-bali-dc-internet-of-things.yaml");
    let original = std::fs::read_to_string(&layer).unwrap();
    std::fs::write(
        &layer,
        original.replace(
            "replace: \"So that Avri and me\"",
            "replace: \"So that Avri Doria and me\"",
        ),
    )
    .unwrap();
    wait_for("the edited page", || {
        get(&addr, page).1.contains("So that Avri Doria and me")
    });
    // The page came by the fast path (the session alone, ahead of the full build).
    wait_for("the full build after the preview", || {
        let log = said.lock().unwrap();
        log.split_once("previewed 1 session page(s)")
            .is_some_and(|(_, after)| after.contains("built "))
    });

    // A mistake is reported; the last good page stays.
    std::fs::write(
        &layer,
        original.replace(
            "replace: \"So that Avri and me\"",
            "replce: \"So that Avri and me\"",
        ),
    )
    .unwrap();
    wait_for("the error", || {
        get(&addr, "/__verbatim/status").1.contains("unknown key")
    });
    let status = get(&addr, "/__verbatim/status").1;
    assert!(
        status.contains("igf-2013-bali-dc-internet-of-things.yaml:"),
        "{status}"
    );
    assert!(get(&addr, page).1.contains("So that Avri Doria and me"));

    // Fixing the file recovers without a restart.
    std::fs::write(&layer, &original).unwrap();
    wait_for("the recovery", || {
        get(&addr, "/__verbatim/status")
            .1
            .contains("\"error\":null")
    });
    assert!(get(&addr, page).1.contains("So that Avri and me"));

    // Only the output folder is served.
    std::fs::write(root.path().join("secret.txt"), "secret").unwrap();
    for bad in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/sessions/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/../verbatim.yaml",
        "/static/../../annotations/people.yaml",
    ] {
        let (status, body) = get(&addr, bad);
        assert!(status == 404 || status == 400, "{bad}: {status}");
        assert!(
            !body.contains("secret") && !body.contains("people:"),
            "{bad}"
        );
    }
    let (status, _) = get(&addr, "/static/style.css");
    assert_eq!(status, 200);

    // Ctrl-C stops it cleanly.
    let pid = server.0.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(code) = server.0.try_wait().unwrap() {
            assert!(code.success(), "{code:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    }
}
