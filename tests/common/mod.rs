//! Shared by the integration tests: building editions into temporary folders.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The bundled edition (this repository's root).
pub fn bundled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the bundled edition's inputs into a fresh temporary root.
pub fn copy_of_bundled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "annotations", "ids", "themes", "versions"] {
        copy_dir(&bundled().join(part), &dir.path().join(part));
    }
    std::fs::copy(
        bundled().join("verbatim.yaml"),
        dir.path().join("verbatim.yaml"),
    )
    .unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// An edition of one session read from a caption file (`content/zoom.vtt`,
/// timed paragraphs), with empty `annotations/` and `media/` folders.
pub fn captioned_session() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for dir in ["content", "annotations", "media"] {
        std::fs::create_dir_all(root.path().join(dir)).unwrap();
    }
    std::fs::copy(
        "tests/fixtures/archive/vtt-zoom-name-colon.vtt",
        root.path().join("content/zoom.vtt"),
    )
    .unwrap();
    root
}

/// Builds `root` into `out`, panicking with the findings on failure.
pub fn build(root: &Path, out: &Path) {
    let options = verbatim::site::Options::default();
    if let Err(failure) = verbatim::site::build(root, out, &options) {
        let shown: Vec<String> = failure.findings.iter().map(|f| f.plain()).collect();
        panic!("build failed:\n{}", shown.join("\n"));
    }
}

/// The bundled edition built once per test binary, into a temporary folder.
pub fn built_bundled() -> &'static Path {
    static SITE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        build(&bundled(), &dir.path().join("public"));
        dir
    })
    .path()
    .join("public")
    .leak()
}

/// Every file under `dir`, relative path → bytes, sorted.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Whether an outside tool a test needs (Chromium, Java, the Nu checker,
/// axe-core, Python) is here. On a bare machine a test without its tool is
/// skipped and says so on stderr; `.ci/run` sets `VERBATIM_REQUIRE_TOOLS`,
/// and there a missing tool fails the test instead.
pub fn tool_present(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("VERBATIM_REQUIRE_TOOLS").is_some() {
        panic!("{what} is missing: run .ci/install");
    }
    eprintln!("skipped: {what} is missing (.ci/install installs it; .ci/run requires it)");
    false
}

/// Whether a program answers `--version` (or `-version`, Java's spelling).
pub fn runs(program: &str) -> bool {
    ["--version", "-version"].iter().any(|flag| {
        std::process::Command::new(program)
            .arg(flag)
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Debian's Chromium, headless, with the flags this machine's closed network
/// needs (without them it keeps trying to reach Google's services); `None`
/// (the test skipped) where it is not installed, see [`tool_present`].
pub fn chromium() -> Option<headless_chrome::Browser> {
    let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if !tool_present("Chromium", path.is_some()) {
        return None;
    }
    let path = path.expect("just checked");
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = headless_chrome::LaunchOptions::default_builder()
        .path(Some(path.into()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1200, 900)))
        .args(args)
        .idle_browser_timeout(std::time::Duration::from_secs(300))
        .build()
        .expect("valid launch options");
    Some(headless_chrome::Browser::new(options).expect("Chromium starts"))
}
