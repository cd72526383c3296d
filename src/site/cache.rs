//! The build cache: what the last successful build made of each session, kept
//! in the edition root's own hidden folder (`.verbatim/cache/<output>-<hash
//! of the output's path>/`), never beside the output, where a web root would
//! publish it; so the next build redoes only what its inputs changed.
//!
//! - `sessions/<id>.bin`: a session's input key, digest, share of the search
//!   index and findings: everything the edition-wide pages and the index need
//!   of it, without reading, merging or rendering it again;
//! - `sessions/<id>.<key>.postings`: beside it, its share's packed postings
//!   (most of its bytes), which a build reads only for the index bins it
//!   assembles again, in place (they are parked there, not copied).
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

use crate::html::pages::Digest;

/// The edition root's hidden folder for what verbatim keeps between builds.
pub const DIR: &str = ".verbatim";
use crate::diagnostics::{Finding, Severity};
use crate::edition::SessionId;
use crate::output::KeyWriter;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Bumped whenever what the cache holds changes shape or meaning.
const FORMAT: u32 = 16;

/// A build cache folder.
pub struct Cache {
    dir: PathBuf,
    /// The first session record that could not be saved: saving is an
    /// optimisation, so the build goes on and warns at its end.
    failed: std::sync::Mutex<Option<io::Error>>,
}

/// What the cache keeps of one session.
#[derive(Serialize, Deserialize)]
pub struct SessionRecord {
    /// The session key this was made from.
    pub key: u64,
    /// How the session is named, dated and ordered.
    pub listing: crate::output::Listing,
    /// The HTML site's share.
    pub html: Digest,
    /// The search index's share.
    pub index: crate::search::SessionIndex,
    /// The data exports' share.
    pub data: crate::export::output::Counts,
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
    pub sessions: BTreeMap<SessionId, u64>,
    /// Session id → its listing: the next build knows where each session
    /// likely stands before making anything.
    pub listings: BTreeMap<SessionId, crate::output::Listing>,
    /// Output path → (size, modification time in ns since the epoch).
    pub files: OutputFiles,
    /// The build's counts: pages and corrections.
    pub pages: usize,
    pub corrections: usize,
    /// Every warning of the build, to report again when nothing changed.
    pub warnings: Vec<CachedFinding>,
    /// The HTML site's memo: the key of each edition-wide page (home,
    /// people, …) by path.
    pub html: BTreeMap<String, u64>,
    /// The data exports' memo: the key of the edition-wide data files.
    pub data: u64,
    /// The search index's memo: each bin's key, what each term group made.
    pub index: crate::search::index::Memo,
    /// The executable that parsed the layers below (a newer one may read
    /// the same bytes differently).
    pub parsed_by: u64,
    /// The transcripts as the build's snapshot found them (size,
    /// modification time, hash): the next snapshot reads only those that
    /// changed.
    pub transcripts: crate::snapshot::Known,
    /// Session layers that parsed without error: path → (hash of the bytes,
    /// the session they annotate). The next build parses only those that
    /// changed until their session is made again.
    pub layers: BTreeMap<String, (u64, SessionId)>,
}

impl State {
    /// The session layers this state's build parsed whose bytes, as
    /// `snapshot` read them, are still the same (path → session), for
    /// `load::prepare_snapshot`: none, if a different executable parsed them.
    pub fn known_layers(
        &self,
        snapshot: &crate::snapshot::Snapshot,
    ) -> BTreeMap<PathBuf, SessionId> {
        if self.parsed_by != executable_hash() {
            return BTreeMap::new();
        }
        self.layers
            .iter()
            .filter(|(path, (hash, _))| snapshot.hash(Path::new(path.as_str())) == Some(*hash))
            .map(|(path, (_, session))| (PathBuf::from(path), session.clone()))
            .collect()
    }
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
    pub fn for_output(root: &Path, out: &Path) -> Cache {
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        // One cache per output folder: the same edition built into two
        // places keeps two.
        let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        let hash = xxhash_rust::xxh3::xxh3_64(absolute.as_os_str().as_encoded_bytes());
        Cache {
            dir: root
                .join(DIR)
                .join("cache")
                .join(format!("{name}-{:08x}", hash as u32)),
            failed: Default::default(),
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
    pub fn session(&self, id: &SessionId, key: u64) -> Option<SessionRecord> {
        let bytes = std::fs::read(self.session_path(id)).ok()?;
        postcard::from_bytes::<SessionRecord>(&bytes)
            .ok()
            .filter(|r| r.key == key)
    }

    /// Saves a session's record and, beside it, its postings (each written
    /// aside, then renamed into place), as soon as it is made. Returns
    /// where the postings were kept, if they were; a failure is kept for
    /// [`Cache::save_state`] to report.
    pub fn save_session(&self, id: &SessionId, record: &SessionRecord) -> Option<PathBuf> {
        let postings = self.postings_path(id, record.key);
        let saved = self
            .write(&postings, &record.index.postings)
            .and_then(|()| {
                let bytes = postcard::to_stdvec(record).map_err(io::Error::other)?;
                self.write(&self.session_path(id), &bytes)
            });
        match saved {
            Ok(()) => Some(postings),
            Err(e) => {
                if let Ok(mut first) = self.failed.lock() {
                    first.get_or_insert(e);
                }
                None
            }
        }
    }

    /// Where session `id`'s postings made from `key` are kept, if they are
    /// there, `len` bytes long.
    pub fn postings(&self, id: &SessionId, key: u64, len: u64) -> Option<PathBuf> {
        let path = self.postings_path(id, key);
        let kept = std::fs::metadata(&path).ok()?;
        (kept.is_file() && kept.len() == len).then_some(path)
    }

    /// Saves the state of a build that just succeeded, and forgets the
    /// records of sessions that no longer exist. Fails with the first
    /// session record that could not be saved, if any.
    pub fn save_state(&self, state: &State) -> io::Result<()> {
        if let Some(e) = self.failed.lock().ok().and_then(|mut f| f.take()) {
            return Err(e);
        }
        let bytes = postcard::to_stdvec(state).map_err(io::Error::other)?;
        self.write(&self.dir.join("state.bin"), &bytes)?;
        if let Ok(entries) = std::fs::read_dir(self.dir.join("sessions")) {
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                // A record is kept while its session exists, postings while
                // they are those of its key.
                let known = match name.strip_suffix(".postings") {
                    Some(stem) => stem.rsplit_once('.').is_some_and(|(id, key)| {
                        state
                            .sessions
                            .get(id)
                            .map(|k| format!("{k:016x}"))
                            .as_deref()
                            == Some(key)
                    }),
                    None => name
                        .strip_suffix(".bin")
                        .is_some_and(|id| state.sessions.contains_key(id)),
                };
                if !known {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(())
    }

    fn session_path(&self, id: &SessionId) -> PathBuf {
        self.dir.join("sessions").join(format!("{id}.bin"))
    }

    fn postings_path(&self, id: &SessionId, key: u64) -> PathBuf {
        self.dir
            .join("sessions")
            .join(format!("{id}.{key:016x}.postings"))
    }

    /// Writes `path` whole or not at all: a killed build leaves the old
    /// record or the new one, never half of one, and no stray temporary
    /// file (tempfile removes its file unless it was persisted).
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let dir = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(dir)?;
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        io::Write::write_all(&mut file, bytes)?;
        file.persist(path).map(drop).map_err(|e| e.error)
    }
}

/// An output's files: path (relative, `/`-separated) → (size, modification
/// time in ns since the epoch).
pub type OutputFiles = BTreeMap<String, (u64, u64)>;

/// Every file under `out` with its size and modification time: what the
/// state records after a build, and what the next build compares with it.
/// Listed by one walk (no file is opened), then looked up in parallel: the
/// lookups are most of the time, 77,000 of them for 5,000 sessions.
pub fn output_files(out: &Path) -> OutputFiles {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files
        .par_iter()
        .filter_map(|path| {
            let listed = output_file(path)?;
            let rel = path.strip_prefix(out).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            Some((rel, listed))
        })
        .collect()
}

/// A file's size and modification time, as [`output_files`] lists them.
pub fn output_file(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos() as u64;
    Some((meta.len(), modified))
}

/// The key of every input: the tool (see [`build_key`]) and
/// every file's path and hash. Equal to the last build's, with the output
/// untouched, means there is nothing to do.
pub fn inputs_key(snapshot: &crate::snapshot::Snapshot, options: &super::Options) -> u64 {
    let mut key = build_key(options);
    for (path, input) in snapshot.files() {
        key.part(path.as_os_str().as_encoded_bytes());
        key.part(&input.hash.to_le_bytes());
    }
    key.finish()
}

/// Starts a key with what every output depends on whatever the inputs:
/// the executable (a rebuilt verbatim never reuses what an older one
/// made), its version and the options.
pub fn build_key(options: &super::Options) -> KeyWriter {
    let mut key = KeyWriter::new(executable_hash());
    key.part(env!("CARGO_PKG_VERSION").as_bytes());
    key.part(&[u8::from(options.minify)]);
    key
}

/// A hash of the running executable (0 when it cannot be read: then the
/// version string has to do).
pub(super) fn executable_hash() -> u64 {
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
