//! `verbatim serve` as an editor uses it: edit, see the page change over HTTP,
//! make a mistake and see it reported while the last good page stays, fix it.
//! And as a hostile network or web page would use it: the preview must stay
//! small, answer only to this machine's names, and survive its own bugs.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

/// A raw GET, so paths reach the server exactly as written (clients normalise `..`).
fn get(addr: &str, path: &str) -> (u16, String) {
    get_as(addr, path, addr)
}

/// A raw GET with the given Host header.
fn get_as(addr: &str, path: &str, host: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
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

mod preview;

use preview::Preview as Server;

impl Server {
    /// The number of threads the server process runs.
    fn threads(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/task", self.child.id()))
            .unwrap()
            .count()
    }

    /// The server's resident memory in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    }

    /// The current build number, from the status endpoint.
    fn build_number(&self) -> String {
        let status = get(&self.addr, "/__verbatim/status").1;
        status.split(',').next().unwrap_or("").to_string()
    }
}

/// A small edition (two sessions, the default theme): quick to build.
fn small_edition() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    for name in [
        "igf-2013-bali-dc-internet-of-things.txt",
        "igf-2018-paris-ws40-internet-mega-trends.txt",
    ] {
        std::fs::copy(
            common::bundled().join("content").join(name),
            dir.path().join("content").join(name),
        )
        .unwrap();
    }
    dir
}

#[test]
fn an_editor_edits_breaks_and_fixes_an_annotation_while_serving() {
    let root = common::copy_of_bundled();
    let mut server = Server::start(root.path(), &[], &[]);
    let addr = server.addr.clone();

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
    let before = server.build_number();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(server.build_number(), before);

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
        server
            .said()
            .split_once("previewed 1 session page(s)")
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
    let pid = server.child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(code) = server.child.try_wait().unwrap() {
            assert!(code.success(), "{code:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends `head`, then `filler` over and over (up to 64 MiB) without ever
/// ending the request; returns how much the server took before it stopped
/// reading, and what it answered (nothing when it reset the connection).
fn flood(addr: &str, head: &str, filler: &[u8]) -> (usize, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = filler.repeat(64 * 1024 / filler.len());
    let mut sent = head.len();
    while sent < 64 << 20 {
        match stream.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break,
        }
    }
    let mut answer = Vec::new();
    if let Err(e) = stream.read_to_end(&mut answer) {
        assert_ne!(e.kind(), ErrorKind::WouldBlock, "no answer, no close");
        assert_ne!(e.kind(), ErrorKind::TimedOut, "no answer, no close");
    }
    (sent, String::from_utf8_lossy(&answer).into())
}

#[test]
fn an_oversized_request_line_or_header_is_refused_quickly_in_bounded_memory() {
    let root = small_edition();
    let server = Server::start(root.path(), &[], &[]);
    let addr = &server.addr;
    assert_eq!(get(addr, "/").0, 200);
    let before = server.rss_kib();
    let cases: [(&str, String, &[u8]); 3] = [
        ("a long request line", "GET /".into(), b"a"),
        (
            "a long header",
            format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Filler: "),
            b"a",
        ),
        (
            "many headers",
            format!("GET / HTTP/1.1\r\nHost: {addr}\r\n"),
            b"X-A: b\r\n",
        ),
    ];
    for (what, head, filler) in cases {
        let started = Instant::now();
        let (sent, answer) = flood(addr, &head, filler);
        // What the server did not read waits in the sockets' buffers
        // (a few MiB on loopback), not in the server.
        assert!(sent < 16 << 20, "{what}: the server read {sent} bytes");
        assert!(
            answer.is_empty()
                || answer.starts_with("HTTP/1.1 431")
                || answer.starts_with("HTTP/1.1 414"),
            "{what}: {answer}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what}: took {:?}",
            started.elapsed()
        );
    }
    let after = server.rss_kib();
    assert!(
        after < before + 32 * 1024,
        "resident memory grew from {before} KiB to {after} KiB"
    );
    assert_eq!(get(addr, "/").0, 200, "the server still answers");
}

#[test]
fn idle_connections_share_a_few_threads_and_are_closed_after_a_timeout() {
    let root = small_edition();
    let server = Server::start(root.path(), &[], &[]);
    assert_eq!(get(&server.addr, "/").0, 200);
    let before = server.threads();
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let during = server.threads();
    assert!(
        during < before + 16,
        "{before} threads before, {during} with 300 idle connections"
    );
    // The server closes an idle connection by itself.
    let started = Instant::now();
    let mut first = &idle[0];
    first
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut buf = [0; 64];
    match first.read(&mut buf) {
        Ok(0) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        other => panic!("an idle connection got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(45),
        "closed only after {:?}",
        started.elapsed()
    );
    wait_for("an answer beside the idle connections", || {
        get(&server.addr, "/").0 == 200
    });
    drop(idle);
}

#[test]
fn only_requests_that_name_this_machine_are_answered() {
    let root = small_edition();
    let server = Server::start(root.path(), &[], &[]);
    let addr = &server.addr;
    let port = addr.rsplit(':').next().unwrap();
    for host in [
        format!("localhost:{port}"),
        "localhost".into(),
        "LocalHost".into(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get_as(addr, "/", &host).0, 200, "{host}");
        assert_eq!(get_as(addr, "/__verbatim/status", &host).0, 200, "{host}");
    }
    // DNS rebinding: a web page's own name pointed at 127.0.0.1.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "192.0.2.7".into(),
        String::new(),
    ] {
        for path in ["/", "/__verbatim/status"] {
            let (status, body) = get_as(addr, path, &host);
            assert!(status == 403 || status == 421, "{host}{path}: {status}");
            assert!(body.contains("Host"), "{host}{path}: {body}");
            assert!(!body.contains("\"build\""), "{host}{path}: {body}");
        }
    }
}

#[test]
fn binding_to_every_address_warns_that_the_preview_is_reachable_from_the_network() {
    let root = small_edition();
    let public = Server::start(root.path(), &["--bind", "0.0.0.0"], &[]);
    wait_for("the warning", || {
        public.said().contains("reachable from the network")
    });
    let said = public.said();
    assert!(
        said.contains("warning:") && said.contains("local use"),
        "{said}"
    );
    // Loopback names still work; so does the machine's address (any, here).
    let port = public.addr.rsplit(':').next().unwrap();
    assert_eq!(
        get_as(&public.addr, "/", &format!("localhost:{port}")).0,
        200
    );
    assert_eq!(
        get_as(&public.addr, "/", &format!("127.0.0.1:{port}")).0,
        200
    );
    assert_eq!(get_as(&public.addr, "/", "evil.example").0, 403);
    drop(public);

    let root = small_edition();
    let local = Server::start(root.path(), &[], &[]);
    assert_eq!(get(&local.addr, "/").0, 200);
    assert!(!local.said().contains("reachable from the network"));
}

#[test]
fn an_unknown_address_gets_the_themes_404_page() {
    let root = small_edition();
    let server = Server::start(root.path(), &[], &[]);
    for path in [
        "/no-such-page.html",
        "/sessions/no-such-session.html",
        "/static/",
        "/../secret.txt",
    ] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("Page not found"), "{path}: {body}");
        assert!(
            body.contains("/__verbatim/status"),
            "the 404 page reloads when the page appears"
        );
        // Its links are relative to the root, and it is served in any folder.
        assert!(
            body.starts_with("<!doctype html><base href=\"/\">"),
            "{path}: {body}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_session_whose_file_name_holds_a_backslash_is_served() {
    let root = small_edition();
    let content = root.path().join("content");
    std::fs::rename(
        content.join("igf-2013-bali-dc-internet-of-things.txt"),
        content.join("igf\\2013.txt"),
    )
    .unwrap();
    std::fs::write(root.path().join("secret.txt"), "secret").unwrap();
    let server = Server::start(root.path(), &[], &[]);
    let (_, home) = get(&server.addr, "/");
    assert!(home.contains("sessions/igf%5C2013.html"), "{home}");
    let (status, body) = get(&server.addr, "/sessions/igf%5C2013.html");
    assert_eq!(status, 200);
    assert!(body.contains("So that Abry and me"));
    // A backslash is no separator here, and `..` stays refused around it.
    for bad in [
        "/..%5Csecret.txt",
        "/sessions/..%5C..%5Csecret.txt",
        "/sessions/%5C..%5C..%5Csecret.txt",
    ] {
        let (status, body) = get(&server.addr, bad);
        assert_eq!(status, 404, "{bad}");
        assert!(!body.contains("secret"), "{bad}");
    }
}

#[test]
fn a_panic_while_building_is_reported_and_a_later_fix_recovers() {
    let root = small_edition();
    // The test hook makes parsing a transcript of this name panic, as a
    // parser bug would (debug builds only).
    let server = Server::start(root.path(), &[], &[("VERBATIM_TEST_PANIC_ON", "boom.txt")]);
    let addr = &server.addr;
    let page = "/sessions/igf-2013-bali-dc-internet-of-things.html";
    assert_eq!(get(addr, page).0, 200);
    let good = server.build_number();

    // A new session: the full build panics.
    let boom = root.path().join("content/boom.txt");
    let transcript = std::fs::read_to_string(
        root.path()
            .join("content/igf-2018-paris-ws40-internet-mega-trends.txt"),
    )
    .unwrap();
    std::fs::write(&boom, &transcript).unwrap();
    wait_for("the panic in the status", || {
        get(addr, "/__verbatim/status").1.contains("internal error")
    });
    let status = get(addr, "/__verbatim/status").1;
    assert!(
        status.contains("verbatim hit an internal error while building: ")
            && status.contains("VERBATIM_TEST_PANIC_ON")
            && status.contains("please report it"),
        "{status}"
    );
    // The last good site is still served.
    let (code, body) = get(addr, page);
    assert_eq!(code, 200);
    assert!(body.contains("So that Abry and me"));

    // The watcher lives on: an edit of that session goes by the fast
    // preview, which panics too, and is reported the same way.
    std::fs::write(&boom, format!("{transcript}\n>> CHAIR: One more thing.\n")).unwrap();
    wait_for("the preview's panic", || {
        server
            .said()
            .contains("verbatim hit an internal error while previewing")
    });

    // Removing the file that set it off recovers without a restart.
    std::fs::remove_file(&boom).unwrap();
    wait_for("the recovery", || {
        get(addr, "/__verbatim/status").1.contains("\"error\":null")
    });
    assert_ne!(server.build_number(), good);
    assert_eq!(get(addr, page).0, 200);
}
