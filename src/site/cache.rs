//! The build cache: what the last successful build made of each session, kept
//! beside the output (`.public.cache/` for `public/`, never uploaded with it),
//! so the next build redoes only what its inputs changed.
//!
//! - `sessions/<id>.bin`: a session's input key, digest, share of the search
//!   index and findings: everything the edition-wide pages and the index need
//!   of it, without reading, merging or rendering it again.
//! - `state.bin`, written after each successful swap: the build's global key,
//!   every session's key, and the size and modification time of every output
//!   file. A session whose key is unchanged has its page and document shards
//!   carried over from the output, if the output is still what this build
//!   left; when nothing changed at all, the build has nothing to do.
//!
//! Keys are xxh3 hashes of everything a result depends on: the global key
//! covers the verbatim executable itself, the options, the configuration, the
//! theme, the Markdown pages and the people registry; a session's key adds its
//! transcript and its layers. The cache is only ever an optimisation: a
//! missing, stale or unreadable cache means more work, never a different site.

use super::pages::Digest;
use crate::diagnostics::{Finding, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Bumped whenever what the cache holds changes shape or meaning.
const FORMAT: u32 = 4;

/// A build cache folder.
pub struct Cache {
    dir: PathBuf,
}

/// What the cache keeps of one session.
#[derive(Serialize, Deserialize)]
pub struct SessionRecord {
    /// The session key this was made from.
    pub key: u64,
    pub digest: Digest,
    pub docs: u32,
    pub doc_shards: Vec<String>,
    #[serde(with = "serde_bytes")]
    pub postings: Vec<u8>,
    /// What merging the session found (warnings; a session with errors is never cached).
    pub findings: Vec<CachedFinding>,
}

/// What the last successful build left.
#[derive(Serialize, Deserialize, Default)]
pub struct State {
    pub format: u32,
    /// Hash of every input file's path and bytes (and the executable and
    /// options): equal, and the output untouched, means nothing to do.
    pub inputs: u64,
    pub global: u64,
    /// Session id → key.
    pub sessions: BTreeMap<String, u64>,
    /// Output path → (size, modification time in ns since the epoch).
    pub files: BTreeMap<String, (u64, u64)>,
    /// The build's counts: pages and corrections.
    pub pages: usize,
    pub corrections: usize,
    /// Every warning of the build, to report again when nothing changed.
    pub warnings: Vec<CachedFinding>,
    /// The key of each edition-wide page (home, people, …) by path.
    pub page_keys: BTreeMap<String, u64>,
    /// What each term group of the search index made.
    pub index_groups: BTreeMap<u16, crate::search::index::GroupOutput>,
}

/// A finding without its source text, in a form the binary format can hold.
#[derive(Serialize, Deserialize, Clone)]
pub struct CachedFinding {
    error: bool,
    file: PathBuf,
    line: u64,
    column: u64,
    message: String,
    help: Option<String>,
}

impl From<&Finding> for CachedFinding {
    fn from(f: &Finding) -> Self {
        CachedFinding {
            error: f.severity == Severity::Error,
            file: f.file.clone(),
            line: f.line,
            column: f.column,
            message: f.message.clone(),
            help: f.help.clone(),
        }
    }
}

impl From<&CachedFinding> for Finding {
    fn from(c: &CachedFinding) -> Self {
        let f = if c.error {
            Finding::error(&c.file, c.line, c.column, c.message.clone())
        } else {
            Finding::warning(&c.file, c.line, c.column, c.message.clone())
        };
        match &c.help {
            Some(h) => f.help(h.clone()),
            None => f,
        }
    }
}

impl Cache {
    /// The cache of the output folder `out`: `.<name>.cache` beside it.
    pub fn for_output(out: &Path) -> Cache {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        Cache {
            dir: parent.join(format!(".{name}.cache")),
        }
    }

    /// The last build's state, if there is a readable one of this format.
    pub fn state(&self) -> Option<State> {
        let bytes = std::fs::read(self.dir.join("state.bin")).ok()?;
        postcard::from_bytes::<State>(&bytes)
            .ok()
            .filter(|s| s.format == FORMAT)
    }

    /// Session `id`'s record, if there is one made from `key`.
    pub fn session(&self, id: &str, key: u64) -> Option<SessionRecord> {
        let bytes = std::fs::read(self.session_path(id)).ok()?;
        postcard::from_bytes::<SessionRecord>(&bytes)
            .ok()
            .filter(|r| r.key == key)
    }

    /// Saves a session's record (written aside, then renamed into place).
    pub fn save_session(&self, id: &str, record: &SessionRecord) -> io::Result<()> {
        let bytes = postcard::to_stdvec(record).map_err(io::Error::other)?;
        self.write(&self.session_path(id), &bytes)
    }

    /// Saves the state of a build that just succeeded, and forgets the
    /// records of sessions that no longer exist.
    pub fn save_state(&self, state: &State) -> io::Result<()> {
        let bytes = postcard::to_stdvec(state).map_err(io::Error::other)?;
        self.write(&self.dir.join("state.bin"), &bytes)?;
        if let Ok(entries) = std::fs::read_dir(self.dir.join("sessions")) {
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                let known = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|id| state.sessions.contains_key(id));
                if !known {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
        Ok(())
    }

    fn session_path(&self, id: &str) -> PathBuf {
        self.dir.join("sessions").join(format!("{id}.bin"))
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    }
}

/// Every file under `out` with its size and modification time: what the
/// state records after a build, and what the next build compares with it.
pub fn output_files(out: &Path) -> BTreeMap<String, (u64, u64)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            let modified = meta
                .modified()
                .ok()?
                .duration_since(UNIX_EPOCH)
                .ok()?
                .as_nanos() as u64;
            let rel = e.path().strip_prefix(out).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            Some((rel, (meta.len(), modified)))
        })
        .collect()
}

/// Hashes the parts a key is made of, in order, each length-prefixed so that
/// different splits of the same bytes give different keys.
pub fn key(parts: &[&[u8]]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest()
}

/// The folders and file of an edition root that a build reads.
const INPUTS: [&str; 6] = [
    "content",
    "annotations",
    "themes",
    "templates",
    "static",
    super::config::FILE,
];

/// A hash of every input file under `root` (path and bytes, in path order),
/// the executable and the options: read and hashed in parallel, without
/// parsing anything.
pub fn inputs_key(root: &Path, options: &super::Options) -> u64 {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = INPUTS
        .iter()
        .flat_map(|part| {
            walkdir::WalkDir::new(root.join(part))
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
        })
        .collect();
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            key(&[path.as_os_str().as_encoded_bytes(), &bytes])
        })
        .collect();
    let mut parts: Vec<Vec<u8>> = vec![
        executable_hash().to_le_bytes().to_vec(),
        env!("CARGO_PKG_VERSION").as_bytes().to_vec(),
        vec![u8::from(options.minify)],
    ];
    parts.extend(hashes.iter().map(|h| h.to_le_bytes().to_vec()));
    key(&parts.iter().map(Vec::as_slice).collect::<Vec<_>>())
}

/// A key made part by part, values streamed into the hash as JSON (a page's
/// context can be large; it is never held as bytes).
pub struct KeyWriter(xxhash_rust::xxh3::Xxh3);

impl KeyWriter {
    /// Starts a key under the build's global key.
    pub fn new(global: u64) -> KeyWriter {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&global.to_le_bytes());
        KeyWriter(h)
    }

    /// Adds bytes, length-prefixed.
    pub fn part(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// Adds a value as JSON, followed by a separator.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) {
        let _ = serde_json::to_writer(&mut *self, value);
        self.0.update(&[0xff]);
    }

    /// The key.
    pub fn finish(&self) -> u64 {
        self.0.digest()
    }
}

impl io::Write for KeyWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A hash of the running executable, so a rebuilt verbatim never reuses what
/// an older one made (0 when it cannot be read: then the version string has
/// to do).
pub fn executable_hash() -> u64 {
    static HASH: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *HASH.get_or_init(|| {
        std::env::current_exe()
            .and_then(std::fs::read)
            .map(|b| xxhash_rust::xxh3::xxh3_64(&b))
            .unwrap_or(0)
    })
}

/// The current format, for a fresh state.
pub fn format() -> u32 {
    FORMAT
}
