//! `verbatim serve`: the editors' preview. Builds the edition, serves the
//! output on loopback, rebuilds when content, annotations, themes or the
//! configuration change, and reloads the open page. A build with errors keeps
//! the last good site served and shows the errors in the browser; fixing the
//! file recovers by itself.

use crate::site::{self, Options};
use notify_debouncer_full::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the browser polls: the number of the last good build, and the current error.
#[derive(Default, serde::Serialize)]
struct Status {
    build: u64,
    error: Option<String>,
}

/// Script appended to served HTML pages: reloads on a new build, shows errors.
const RELOAD_JS: &str = r#"(function(){var seen=null;function show(e){var d=document.getElementById("verbatim-error");if(!e){if(d){d.remove();}return;}if(!d){d=document.createElement("pre");d.id="verbatim-error";d.setAttribute("role","alert");d.style.cssText="position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#400;color:#fff;font:13px/1.4 monospace;z-index:99;white-space:pre-wrap";document.body.appendChild(d);}d.textContent="verbatim: the last change has errors; showing the last good build.\n\n"+e;}function poll(){fetch("/__verbatim/status").then(function(r){return r.json();}).then(function(s){if(seen!==null&&s.build!==seen){location.reload();return;}seen=s.build;show(s.error);}).catch(function(){}).then(function(){setTimeout(poll,300);});}poll();})();"#;

/// Pages the fast path rendered ahead of the full build (path in the site →
/// bytes); served instead of the output's files until that build is done.
type Overlay = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// Serves the edition at `root`, writing builds to `out`, until Ctrl-C.
pub fn serve(root: &Path, out: &Path, addr: SocketAddr, options: &Options) -> io::Result<()> {
    // Absolute paths: the watcher reports absolute paths, and the fast path
    // finds the changed files' places in the edition by them.
    let root = &root.canonicalize()?;
    let out = &std::path::absolute(out)?;
    let status = Arc::new(Mutex::new(Status::default()));
    let overlay: Overlay = Arc::default();
    rebuild(root, out, options, &status, &overlay);
    // The inputs kept in memory for the fast path (see `site::preview`).
    let mut prepared = Some(crate::load::prepare(root));

    let server = tiny_http::Server::http(addr)
        .map_err(|e| io::Error::new(io::ErrorKind::AddrInUse, e.to_string()))?;
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| io::Error::other("no IP address"))?;
    eprintln!(
        "serving {} at http://{bound}/ (Ctrl-C to stop)",
        out.display()
    );

    // Watch the inputs, never the output (that would rebuild forever).
    let (root_w, out_w, options_w, status_w, overlay_w) = (
        root.to_path_buf(),
        out.to_path_buf(),
        options.clone(),
        status.clone(),
        overlay.clone(),
    );
    let mut debouncer = new_debouncer(
        Duration::from_millis(50),
        None,
        move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            // Reading a file is an event too (the build reads the theme):
            // only changes count, or every build would start another.
            let changed: Vec<PathBuf> = events
                .iter()
                .filter(|e| !e.kind.is_access() && !e.kind.is_other())
                .flat_map(|e| &e.paths)
                .filter(|p| is_input(&root_w, &out_w, p))
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if changed.is_empty() {
                return;
            }
            // First the changed sessions' pages alone, then everything else.
            let started = Instant::now();
            let fast = prepared
                .as_mut()
                .and_then(|p| site::preview::preview(&root_w, p, &changed, &options_w));
            match fast {
                Some(pages) => {
                    let count = pages.len();
                    lock(&overlay_w).extend(pages);
                    let mut s = lock(&status_w);
                    s.build += 1;
                    s.error = None;
                    eprintln!(
                        "previewed {count} session page(s) in {:.0} ms; building the rest",
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                }
                None => prepared = None,
            }
            rebuild(&root_w, &out_w, &options_w, &status_w, &overlay_w);
            if prepared.is_none() {
                prepared = Some(crate::load::prepare(&root_w));
            }
        },
    )
    .map_err(io::Error::other)?;
    for dir in ["content", "annotations", "themes", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(io::Error::other)?;
        }
    }
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(io::Error::other)?;

    let stop = Arc::new(AtomicBool::new(false));
    let stop_handler = stop.clone();
    ctrlc::set_handler(move || stop_handler.store(true, Ordering::SeqCst))
        .map_err(io::Error::other)?;
    while !stop.load(Ordering::SeqCst) {
        match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(request)) => respond(request, out, &status, &overlay),
            Ok(None) => {}
            Err(e) => eprintln!("warning: {e}"),
        }
    }
    eprintln!("stopped");
    Ok(())
}

fn is_input(root: &Path, out: &Path, path: &Path) -> bool {
    if path.starts_with(out) {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return false; // editors' temporary files and our own staging folders
    }
    match path.parent() {
        Some(parent) if parent == root => name == site::config::FILE,
        _ => true,
    }
}

/// Locks, even after a panic elsewhere (the data stays usable).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn rebuild(root: &Path, out: &Path, options: &Options, status: &Mutex<Status>, overlay: &Overlay) {
    let result = site::build(root, out, options);
    let mut s = lock(status);
    match result {
        Ok(summary) => {
            lock(overlay).clear();
            s.build += 1;
            s.error = None;
            eprintln!(
                "built {} pages in {:.0} ms",
                summary.pages,
                summary.seconds * 1000.0
            );
        }
        Err(failure) => {
            let text: Vec<String> = failure
                .findings
                .iter()
                .filter(|f| f.severity == crate::diagnostics::Severity::Error)
                .map(|f| f.plain())
                .collect();
            eprintln!("{}", text.join("\n"));
            s.error = Some(text.join("\n"));
        }
    }
}

fn respond(request: tiny_http::Request, out: &Path, status: &Mutex<Status>, overlay: &Overlay) {
    let url = request.url().to_string();
    if request.method() != &tiny_http::Method::Get && request.method() != &tiny_http::Method::Head {
        let _ = request
            .respond(tiny_http::Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == "/__verbatim/status" {
        let json = {
            let s = lock(status);
            serde_json::to_string(&*s).unwrap_or_default()
        };
        let _ = request.respond(
            with_type(tiny_http::Response::from_string(json), "application/json")
                .with_header(header("Cache-Control", "no-store")),
        );
        return;
    }
    let Some(file) = resolve(out, path) else {
        let _ =
            request.respond(tiny_http::Response::from_string("not found").with_status_code(404));
        return;
    };
    // `resolve` gives a canonical path; the overlay is keyed by the path in the site.
    let base = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let ahead = file.strip_prefix(&base).ok().and_then(|rel| {
        lock(overlay)
            .get(&rel.to_string_lossy().replace('\\', "/"))
            .cloned()
    });
    let Some(mut bytes) = ahead.or_else(|| std::fs::read(&file).ok()) else {
        let _ =
            request.respond(tiny_http::Response::from_string("not found").with_status_code(404));
        return;
    };
    let mime = content_type(&file);
    if mime.starts_with("text/html") {
        bytes.extend_from_slice(format!("<script>{RELOAD_JS}</script>").as_bytes());
    }
    let _ = request.respond(
        with_type(tiny_http::Response::from_data(bytes), mime)
            .with_header(header("Cache-Control", "no-store")),
    );
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn with_type<R: io::Read>(r: tiny_http::Response<R>, mime: &str) -> tiny_http::Response<R> {
    r.with_header(header("Content-Type", mime))
}

/// The file a URL path names inside `out`, or `None`. Refuses `..` (also
/// percent-encoded), backslashes, NUL and anything resolving outside `out`
/// (symbolic links included); a folder serves its `index.html`, never a listing.
pub fn resolve(out: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(url_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut file = out.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => {
                if Path::new(s)
                    .components()
                    .any(|c| !matches!(c, Component::Normal(_)))
                {
                    return None;
                }
                file.push(s);
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

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/sessions/..%2f..%2fsecret.txt",
            "/sessions/%2E%2E/%2E%2E/secret.txt",
            "/..\\secret.txt",
            "/%00",
            "/%zz",
            "//etc/passwd",
            "/etc/passwd",
        ] {
            assert_eq!(resolve(&out, bad), None, "{bad}");
        }
    }
}
