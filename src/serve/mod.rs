//! `verbatim serve`: the editors' preview. Builds the edition, serves the
//! output on loopback, rebuilds when content, annotations, themes or the
//! configuration change, and reloads the open page. A build with errors keeps
//! the last good site served and shows the errors in the browser; fixing the
//! file recovers by itself.

mod http;

use crate::site::{self, Options};
use http::{Site, run};
use notify_debouncer_full::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use http::resolve;

/// What the browser polls: the number of the last good build, and the current error.
#[derive(Default, serde::Serialize)]
struct Status {
    build: u64,
    error: Option<String>,
}

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
    // The inputs kept in memory for the fast path (see `site::preview`), and
    // where the last build placed the sessions.
    let mut prepared = prepare(root);
    let mut places = site::preview::places(root, out);

    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    eprintln!(
        "serving {} at http://{bound}/ (Ctrl-C to stop)",
        out.display()
    );
    if !bound.ip().is_loopback() {
        eprintln!(
            "warning: the preview is bound to {}, so it is reachable from the network: \
             anyone who can reach this machine can read the edition, unpublished \
             changes and errors included. `verbatim serve` is meant for local use; \
             leave out --bind to serve on 127.0.0.1 only.",
            bound.ip()
        );
    }

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
            let fast = prepared.as_mut().and_then(|p| {
                guarded("previewing", || {
                    site::preview::preview(&root_w, p, &changed, &options_w, &places)
                })
                // The full build below runs anyway and reports its own
                // result; `prepared` may be half updated, so it is made anew.
                .unwrap_or_else(|internal| {
                    eprintln!("error: {internal}");
                    None
                })
            });
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
            places = site::preview::places(&root_w, &out_w);
            if prepared.is_none() {
                prepared = prepare(&root_w);
            }
        },
    )
    .map_err(io::Error::other)?;
    // Every input folder; the configuration file is watched with the root.
    for dir in crate::snapshot::PARTS {
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

    let site = Arc::new(Site {
        bound,
        out: out.to_path_buf(),
        status,
        overlay,
    });
    run(listener, site)?;
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
        Some(parent) if parent == root => name == crate::config::FILE,
        _ => true,
    }
}

/// Locks, even after a panic elsewhere (the data stays usable).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs one step of the preview (`doing`: "building", …), turning a panic
/// into an error for the editor. A bug in the pipeline (a parser's, say)
/// must not end the watcher's thread: the preview would freeze while its
/// status still said all was well. Whatever the step had half done is
/// dropped with it (the staging folder removes itself), so the last good
/// site stays served.
fn guarded<T>(doing: &str, step: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        format!("verbatim hit an internal error while {doing}: {message}; please report it")
    })
}

/// The inputs the fast path keeps, or `None` (then the fast path waits for
/// the next change, and the full build reports what went wrong).
fn prepare(root: &Path) -> Option<crate::load::Prepared> {
    guarded("reading the edition", || crate::load::prepare(root))
        .map_err(|internal| eprintln!("error: {internal}"))
        .ok()
}

fn rebuild(root: &Path, out: &Path, options: &Options, status: &Mutex<Status>, overlay: &Overlay) {
    let result = guarded("building", || site::build(root, out, options));
    let mut s = lock(status);
    match result {
        Err(internal) => {
            eprintln!("error: {internal}");
            s.error = Some(internal);
        }
        Ok(Ok(summary)) => {
            lock(overlay).clear();
            s.build += 1;
            s.error = None;
            eprintln!(
                "built {} pages in {:.0} ms",
                summary.pages,
                summary.seconds * 1000.0
            );
        }
        Ok(Err(failure)) => {
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
