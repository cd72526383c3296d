//! The preview's HTTP side: hyper's HTTP/1 on a one-thread tokio runtime,
//! within limits that bound what a client can make the server hold, serving
//! the output folder with the fast path's pages laid over it.

use super::{Overlay, Status, lock};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

// The server's limits. The preview is hyper's HTTP/1 on a one-thread tokio
// runtime: a connection is a task, not a thread, and hyper bounds what a
// request may make the server hold.

/// The longest request head (request line and headers) read: hyper answers
/// 431 past it and closes. Browsers send a few KiB; the rest is headroom for
/// the cookies other local tools leave on `localhost`.
const MAX_HEAD: usize = 64 * 1024;
/// Connections served at once. Past it, new ones wait in the listen queue
/// until one closes, so file descriptors stay free for the builds.
const MAX_CONNECTIONS: usize = 256;
/// How long a connection may take to send a request head, which is also how
/// long it may sit idle between requests (hyper's header read timeout).
const IDLE: Duration = Duration::from_secs(10);
/// How long any connection is kept: then it finishes the request in hand and
/// closes (a browser opens another). Bounds what a client that never reads
/// its response can hold, which the idle timeout does not see.
const MAX_AGE: Duration = Duration::from_secs(60);
/// How long a connection past `MAX_AGE` may take to finish before it is dropped.
const GRACE: Duration = Duration::from_secs(10);
/// Threads that read files for responses (the only blocking work).
const FILE_THREADS: usize = 4;

/// Script appended to served HTML pages: reloads on a new build, shows errors.
const RELOAD_JS: &str = r#"(function(){var seen=null;function show(e){var d=document.getElementById("verbatim-error");if(!e){if(d){d.remove();}return;}if(!d){d=document.createElement("pre");d.id="verbatim-error";d.setAttribute("role","alert");d.style.cssText="position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#400;color:#fff;font:13px/1.4 monospace;z-index:99;white-space:pre-wrap";document.body.appendChild(d);}d.textContent="verbatim: the last change has errors; showing the last good build.\n\n"+e;}function poll(){fetch("/__verbatim/status").then(function(r){return r.json();}).then(function(s){if(seen!==null&&s.build!==seen){location.reload();return;}seen=s.build;show(s.error);}).catch(function(){}).then(function(){setTimeout(poll,300);});}poll();})();"#;

/// What the request handlers share.
pub(super) struct Site {
    /// The address listened on, as `--bind` and `--port` chose it.
    pub(super) bound: SocketAddr,
    pub(super) out: PathBuf,
    pub(super) status: Arc<Mutex<Status>>,
    pub(super) overlay: Overlay,
}

/// Serves `listener` until Ctrl-C, within the limits above.
pub(super) fn run(listener: std::net::TcpListener, site: Arc<Site>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(FILE_THREADS)
        .build()?;
    let result = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(IDLE)
            .max_buf_size(MAX_HEAD);
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            // A free slot first, then a connection: past the limit,
            // connections wait in the kernel's queue, costing nothing here.
            let slot = tokio::select! {
                stop = &mut ctrl_c => break stop,
                slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            };
            let stream = tokio::select! {
                stop = &mut ctrl_c => break stop,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors, say: wait rather than spin.
                        eprintln!("warning: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
            };
            let site = site.clone();
            let service = hyper::service::service_fn(move |request| handle(request, site.clone()));
            let connection = http.serve_connection(TokioIo::new(stream), service);
            tokio::spawn(async move {
                let _slot = slot;
                tokio::pin!(connection);
                tokio::select! {
                    _ = connection.as_mut() => return,
                    _ = tokio::time::sleep(MAX_AGE) => {}
                }
                connection.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(GRACE, connection).await;
            });
        }
    });
    // Open connections are dropped; a file read in flight is not waited for.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}
/// The path that reports the build's status to the reload script.
const STATUS_PATH: &str = "/__verbatim/status";

/// Answers one request.
async fn handle(
    request: Request<Incoming>,
    site: Arc<Site>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if !names_this_server(&request, site.bound.ip()) {
        return Ok(plain(StatusCode::FORBIDDEN, &refusal(site.bound)));
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        return Ok(response);
    }
    let path = request.uri().path().to_string();
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|r| r.to_str().ok())
        .map(str::to_string);
    if path == STATUS_PATH {
        let json = serde_json::to_string(&*lock(&site.status)).unwrap_or_default();
        return Ok(reply(StatusCode::OK, "application/json", json));
    }
    // `resolve` and reading touch the disk: off the thread that serves
    // every connection.
    let response = tokio::task::spawn_blocking(move || match range {
        Some(range) => site.part(&path, &range).unwrap_or_else(|| site.file(&path)),
        None => site.file(&path),
    })
    .await
    .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error"));
    Ok(response)
}

impl Site {
    /// The response for a URL path: the site's file there, else the site's
    /// own 404 page (the theme's, which also reloads once the page exists).
    fn file(&self, url_path: &str) -> Response<Full<Bytes>> {
        let (status, file, mut bytes) = match self.read(url_path) {
            Some((file, bytes)) => (StatusCode::OK, file, bytes),
            None => match self.read("/404.html") {
                Some((file, bytes)) => (StatusCode::NOT_FOUND, file, at_root(bytes)),
                None => return plain(StatusCode::NOT_FOUND, "not found"),
            },
        };
        let mime = content_type(&file);
        if mime.starts_with("text/html") {
            bytes.extend_from_slice(format!("<script>{RELOAD_JS}</script>").as_bytes());
        }
        reply(status, &mime, bytes)
    }

    /// The part of a file a `Range` header asks for (a recording being
    /// played or sought: only that part is read), or `None` to answer with
    /// the whole file (no such file, a page of the overlay, or a header
    /// this does not take: several ranges, another unit).
    fn part(&self, url_path: &str, range: &str) -> Option<Response<Full<Bytes>>> {
        use std::io::{Read, Seek};
        let file = resolve(&self.out, url_path)?;
        if self.ahead(&file).is_some() {
            return None;
        }
        let mut opened = std::fs::File::open(&file).ok()?;
        let len = opened.metadata().ok()?.len();
        let Ok((start, end)) = byte_range(range, len)? else {
            let mut refused = plain(StatusCode::RANGE_NOT_SATISFIABLE, "range not satisfiable");
            let all = header::HeaderValue::from_str(&format!("bytes */{len}")).ok()?;
            refused.headers_mut().insert(header::CONTENT_RANGE, all);
            return Some(refused);
        };
        opened.seek(io::SeekFrom::Start(start)).ok()?;
        let mut bytes = Vec::with_capacity((end - start) as usize);
        opened.take(end - start).read_to_end(&mut bytes).ok()?;
        let mut response = reply(StatusCode::PARTIAL_CONTENT, &content_type(&file), bytes);
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_RANGE,
            header::HeaderValue::from_str(&format!("bytes {start}-{}/{len}", end - 1)).ok()?,
        );
        headers.insert(
            header::ACCEPT_RANGES,
            header::HeaderValue::from_static("bytes"),
        );
        Some(response)
    }

    /// The fast preview's page for `file`, while it is ahead of the output.
    fn ahead(&self, file: &Path) -> Option<Vec<u8>> {
        // `resolve` gives a canonical path; the overlay is keyed by the path in the site.
        let base = self
            .out
            .canonicalize()
            .unwrap_or_else(|_| self.out.to_path_buf());
        let rel = file.strip_prefix(&base).ok()?;
        // Joined with `/` whatever the platform's separator, and never
        // by rewriting `\`, which a Unix file name may hold.
        let key: Vec<_> = rel.iter().map(|part| part.to_string_lossy()).collect();
        lock(&self.overlay).get(&key.join("/")).cloned()
    }

    /// The file a URL path names and its bytes: from the overlay while the
    /// fast preview is ahead of the output, else from the output.
    fn read(&self, url_path: &str) -> Option<(PathBuf, Vec<u8>)> {
        let file = resolve(&self.out, url_path)?;
        let bytes = self.ahead(&file).or_else(|| std::fs::read(&file).ok())?;
        Some((file, bytes))
    }
}

/// A page written for the site's root, made to work at any address: the
/// 404 page's links are relative to the root, where it lives, but it is
/// served for missing pages in every folder. The preview always serves the
/// site at `/`, so a `<base href="/">` (after the doctype, where the parser
/// takes it into the implied head) makes them resolve as they would there.
fn at_root(page: Vec<u8>) -> Vec<u8> {
    const DOCTYPE: &[u8] = b"<!doctype html>";
    let after =
        if page.len() >= DOCTYPE.len() && page[..DOCTYPE.len()].eq_ignore_ascii_case(DOCTYPE) {
            DOCTYPE.len()
        } else {
            0
        };
    let mut out = Vec::with_capacity(page.len() + 16);
    out.extend_from_slice(&page[..after]);
    out.extend_from_slice(b"<base href=\"/\">");
    out.extend_from_slice(&page[after..]);
    out
}

/// Whether a request names this server: its Host (and the authority of an
/// absolute URI, which HTTP/1.1 says wins over Host) must be `localhost`, a
/// loopback address, or the address bound, with any port. Against DNS
/// rebinding: a web page whose own name an attacker points at 127.0.0.1 may
/// fetch from the preview, but its requests carry that name.
///
/// Bound to every address (`0.0.0.0`, `::`), any IP address is accepted:
/// the machine is reached by whichever of its addresses the client used,
/// and an address is no name a rebinding attacker can repoint.
fn names_this_server<B>(request: &Request<B>, bound: std::net::IpAddr) -> bool {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return false; // none, or several
    };
    let allowed = |value: &str| {
        let Ok(authority) = value.parse::<hyper::http::uri::Authority>() else {
            return false;
        };
        let name = authority.host();
        if value.contains('@') {
            return false; // user information has no place in a Host
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = name.trim_start_matches('[').trim_end_matches(']');
        ip.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip == bound || bound.is_unspecified())
    };
    host.to_str().is_ok_and(allowed)
        && request
            .uri()
            .authority()
            .is_none_or(|authority| allowed(authority.as_str()))
}

/// Why a request that names another server was refused, and what to do.
fn refusal(bound: SocketAddr) -> String {
    format!(
        "verbatim serve refused this request: its Host header does not name this \
         machine's loopback address (localhost, 127.0.0.1 or [::1]) or the address \
         the preview was started on ({ip}). The preview answers only to those, so \
         that no web page can read it through DNS rebinding. Open it at \
         http://localhost:{port}/ instead{bound_too}.\n",
        ip = bound.ip(),
        port = bound.port(),
        bound_too = if bound.ip().is_loopback() {
            String::new()
        } else if bound.ip().is_unspecified() {
            ", or by one of this machine's IP addresses".to_string()
        } else {
            format!(", or at http://{bound}/")
        },
    )
}

/// The one byte range of a `len`-byte file a `Range` header asks for
/// (`bytes=a-b`, `bytes=a-`, `bytes=-n`), as start and end (exclusive);
/// `Err` when it lies past the file's end; `None` for a header not taken
/// (several ranges, another unit, no numbers), which the whole file answers.
fn byte_range(header: &str, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let number = |s: &str| s.trim().parse::<u64>().ok();
    let (start, end) = match (first.trim().is_empty(), last.trim().is_empty()) {
        // The last n bytes.
        (true, false) => {
            let n = number(last)?;
            (len.saturating_sub(n), len)
        }
        (false, true) => (number(first)?, len),
        (false, false) => {
            let (a, b) = (number(first)?, number(last)?);
            if b < a {
                return None;
            }
            (a, b.saturating_add(1).min(len))
        }
        (true, true) => return None,
    };
    Some(if start < end {
        Ok((start, end))
    } else {
        Err(())
    })
}

/// A response that is never cached: every page may change with the next build.
fn reply(status: StatusCode, mime: &str, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, mime)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::ACCEPT_RANGES, "bytes")
        .body(Full::new(body.into()))
        .expect("valid status and headers")
}

/// A plain-text response, for what is not a page of the site.
fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    reply(status, "text/plain; charset=utf-8", text.to_string())
}

/// The file a URL path names inside `out`, or `None`. Each `/`-separated
/// segment, percent-decoded, must name one entry of its folder: `..`, NUL,
/// and what the platform reads as more than one path component (a backslash
/// or a drive on Windows) are refused. On Unix a backslash is an ordinary
/// character of a file name, and a session's transcript may have one, so
/// `%5C` names it. Anything resolving outside `out` (symbolic links
/// included) is refused; a folder serves its `index.html`, never a listing.
pub fn resolve(out: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') {
        return None;
    }
    let mut file = out.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => {
                let mut parts = Path::new(s).components();
                match (parts.next(), parts.next()) {
                    (Some(Component::Normal(_)), None) => file.push(s),
                    _ => return None,
                }
            }
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().ok()?;
    let base = out.canonicalize().ok()?;
    (real.starts_with(&base) && real.is_file()).then_some(real)
}

/// A file's media type, by its extension, from `mime_guess`'s table: a
/// site's own `static/` may hold fonts, icons, PDFs or WebP images, which
/// should arrive as what they are, not as bytes to download. Text is
/// declared UTF-8, which everything verbatim writes is.
fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream");
    if mime.starts_with("text/") || mime == "application/javascript" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(uri: &str, hosts: &[&str]) -> Request<()> {
        let mut builder = Request::builder().uri(uri);
        for host in hosts {
            builder = builder.header(header::HOST, *host);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn only_requests_naming_this_server_are_answered() {
        let loopback: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let lan: std::net::IpAddr = "192.0.2.10".parse().unwrap();
        let every: std::net::IpAddr = "0.0.0.0".parse().unwrap();
        for host in [
            "localhost",
            "LOCALHOST:8000",
            "127.0.0.1:8000",
            "127.1.2.3",
            "[::1]:80",
        ] {
            assert!(
                names_this_server(&request("/", &[host]), loopback),
                "{host}"
            );
            assert!(names_this_server(&request("/", &[host]), lan), "{host}");
        }
        assert!(names_this_server(&request("/", &["192.0.2.10:8000"]), lan));
        assert!(!names_this_server(
            &request("/", &["192.0.2.10:8000"]),
            loopback
        ));
        assert!(names_this_server(&request("/", &["192.0.2.99"]), every));
        assert!(!names_this_server(&request("/", &["192.0.2.99"]), lan));
        for host in [
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "evil@localhost",
            "",
        ] {
            assert!(!names_this_server(&request("/", &[host]), every), "{host}");
        }
        assert!(!names_this_server(&request("/", &[]), loopback), "no Host");
        assert!(
            !names_this_server(&request("/", &["localhost", "evil.example"]), loopback),
            "two Hosts"
        );
        // An absolute URI's authority is the one that counts (RFC 9112, 3.2.2).
        assert!(!names_this_server(
            &request("http://evil.example/", &["localhost"]),
            loopback
        ));
        assert!(names_this_server(
            &request("http://localhost:8000/", &["localhost"]),
            loopback
        ));
    }

    #[test]
    fn media_types_come_from_the_extension() {
        for (name, mime) in [
            ("index.html", "text/html; charset=utf-8"),
            ("static/style.css", "text/css; charset=utf-8"),
            ("static/search.js", "text/javascript; charset=utf-8"),
            ("atom.xml", "text/xml; charset=utf-8"),
            ("static/logo.svg", "image/svg+xml"),
            ("static/font.woff2", "font/woff2"),
            ("static/report.pdf", "application/pdf"),
            ("static/no-extension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), mime, "{name}");
        }
    }

    #[test]
    fn a_byte_range_is_read_as_browsers_ask_for_it() {
        assert_eq!(byte_range("bytes=0-", 10), Some(Ok((0, 10))));
        assert_eq!(byte_range("bytes=2-4", 10), Some(Ok((2, 5))));
        assert_eq!(byte_range("bytes=8-20", 10), Some(Ok((8, 10))));
        assert_eq!(byte_range("bytes=-3", 10), Some(Ok((7, 10))));
        assert_eq!(byte_range("bytes=10-", 10), Some(Err(())));
        for whole in [
            "bytes=0-1,4-5",
            "items=0-1",
            "bytes=a-b",
            "bytes=-",
            "bytes=5-2",
        ] {
            assert_eq!(byte_range(whole, 10), None, "{whole}");
        }
    }

    #[test]
    fn traversal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("sessions")).unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        std::fs::write(out.join("sessions/a.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert_eq!(
            resolve(&out, "/"),
            Some(out.join("index.html").canonicalize().unwrap())
        );
        assert!(resolve(&out, "/sessions/a.html").is_some());
        // A session named after its file is linked percent-encoded.
        std::fs::write(out.join("sessions/igf 2019 #3.html"), "3").unwrap();
        assert_eq!(
            resolve(&out, "/sessions/igf%202019%20%233.html"),
            Some(
                out.join("sessions/igf 2019 #3.html")
                    .canonicalize()
                    .unwrap()
            )
        );
        assert!(
            resolve(&out, "/sessions/").is_none(),
            "a folder without index.html is not listed"
        );
        // A backslash is part of a file name on Unix (a session's, say).
        #[cfg(unix)]
        {
            std::fs::write(out.join("sessions/igf\\2019.html"), "b").unwrap();
            let named = Some(out.join("sessions/igf\\2019.html").canonicalize().unwrap());
            assert_eq!(resolve(&out, "/sessions/igf%5C2019.html"), named);
            assert_eq!(resolve(&out, "/sessions/igf%5c2019.html"), named);
            assert_eq!(resolve(&out, "/sessions/igf\\2019.html"), named);
        }
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/sessions/..%2f..%2fsecret.txt",
            "/sessions/%2E%2E/%2E%2E/secret.txt",
            "/..\\secret.txt",
            "/..%5Csecret.txt",
            "/sessions/..%5C..%5Csecret.txt",
            "/sessions/%5C..%5C..%5Csecret.txt",
            "/C:%5Csecret.txt",
            "/%5C%5C.%5Cpipe%5Csecret",
            "/%00",
            "/%zz",
            "//etc/passwd",
            "/etc/passwd",
        ] {
            assert_eq!(resolve(&out, bad), None, "{bad}");
        }
    }
}
