//! Outputs: what a build makes of the edition, as peers behind one trait.
//!
//! The HTML site (`verbatim_html::Html`) and the search index
//! (`verbatim_search::Index`) are the outputs today; data exports are more
//! implementations. A build drives every output the same way:
//!
//! 1. **per session**, in parallel, [`Output::session`] writes the session's
//!    files and returns its [`Output::Share`]: what the output's finishing
//!    step needs of the session, small enough to keep for thousands of
//!    sessions and to cache (an unchanged session's share comes from the
//!    cache, its files are carried over from the last build's output);
//! 2. **once**, [`Output::finish`] makes the edition-wide files from every
//!    session's [`Listing`] and share, in edition order, given what it
//!    remembered from the last build ([`Output::Memo`]) so that it can carry
//!    unchanged files over too.
//!
//! An output never reads the edition root and never writes outside the
//! [`Files`] it is given: the driver owns input and output.

use serde::{Deserialize, Serialize};
use std::io;
use std::time::Instant;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Meta, Session, SessionId};

/// Where an output's files go: the staging folder of the build, which becomes
/// the published site in one step when every output has finished.
pub trait Files: Sync {
    /// Writes the file at `path` (relative to the site's root, `/`-separated).
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Finding>;

    /// Carries the file at `path` over from the last build's output,
    /// unchanged; `false` when it cannot (the file is gone or was changed by
    /// hand), and the output must make it again.
    fn carry(&self, path: &str) -> bool;

    /// Parks `bytes` in the build's scratch space until the finishing
    /// step, which takes them back with [`Files::unpark`]: how an output
    /// keeps what its `finish` needs of every session without holding it
    /// all in memory at once. `None` when there is no scratch space (the
    /// output then keeps the bytes itself).
    fn park(&self, bytes: &[u8]) -> Result<Option<Parked>, Finding> {
        let _ = bytes;
        Ok(None)
    }

    /// The bytes at `places` (each a [`Parked`] or a part of one), one
    /// after another in the order given: an output reads back only the
    /// parts its finishing step needs, from wherever they were parked.
    fn unpark(&self, places: &[Parked]) -> Result<Vec<u8>, Finding> {
        let _ = places;
        Ok(Vec::new())
    }
}

/// Where some parked bytes are: a file of the build's parking space (the
/// scratch file, or a file the build cache keeps that the driver adopted),
/// and their range in it. Only meaningful to the `Files` that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parked {
    pub file: u32,
    pub offset: u64,
    pub len: u64,
}

impl Parked {
    /// The `len` bytes at `start` of these parked bytes.
    pub fn part(&self, start: u64, len: u64) -> Parked {
        Parked {
            file: self.file,
            offset: self.offset + start,
            len,
        }
    }
}

/// One output of the edition. See the module's documentation for the order
/// in which a build calls it.
pub trait Output: Sync {
    /// What the finishing step needs of one session, kept (and cached) in
    /// place of the session.
    type Share: Serialize + for<'de> Deserialize<'de> + Send + Sync;
    /// What the finishing step remembers between builds (keys of the
    /// edition-wide files it made), so that the next build can carry over
    /// the files whose inputs did not change.
    type Memo: Serialize + for<'de> Deserialize<'de> + Default + Send + Sync;

    /// Writes one session's files and returns its share.
    fn session(&self, session: &Session, files: &dyn Files) -> Result<Self::Share, Finding>;

    /// Called once a session's share is in the build cache (made afresh or
    /// carried over), before it is held until `finish`: the output may move
    /// what it will need only at `finish` out of memory with
    /// [`Files::park`]. Keeps the share as it is unless an output says
    /// otherwise.
    fn park(&self, share: &mut Self::Share, files: &dyn Files) -> Result<(), Finding> {
        let _ = (share, files);
        Ok(())
    }

    /// The files [`Output::session`] wrote for the session whose share this
    /// is: what is carried over when the session is unchanged.
    fn session_files(&self, id: &SessionId, share: &Self::Share) -> Vec<String>;

    /// Writes the edition-wide files from every session, in edition order
    /// (see [`Listing::order`]), given the memo of the last build (the
    /// default when there is none or it cannot be trusted). Returns how many
    /// files it counts as pages for the build's summary, and the memo for
    /// the next build.
    fn finish(
        &self,
        sessions: &[(&Listing, &Self::Share)],
        previous: &Self::Memo,
        files: &dyn Files,
    ) -> Result<(usize, Self::Memo), Vec<Finding>>;
}

/// What a URL path segment keeps as it is: RFC 3986's unreserved characters.
/// Everything else is percent-encoded, so a session named after its file
/// (`igf 2019 #3.txt`) is linked as `igf%202019%20%233.html`: a `#` or `?`
/// would otherwise end the path, and a `%` begin an escape.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The relative URL of a file of the site: `path` with each segment
/// percent-encoded (a path of plain names is its own URL). Every output
/// links the others' files this way.
pub fn url_of(path: &str) -> String {
    let segments: Vec<String> = path
        .split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    segments.join("/")
}

/// A session's files in the data exports: name in `data/edition.json`,
/// extension, format, media type. The data output writes them, the pages
/// link them.
pub const SESSION_DATA: [(&str, &str, &str, &str); 4] = [
    ("tei", "xml", "TEI", "application/tei+xml"),
    ("json", "json", "JSON", "application/json"),
    ("text", "txt", "Plain text", "text/plain"),
    (
        "annotations",
        "annotations.jsonld",
        "Web Annotation (JSON-LD)",
        "application/ld+json",
    ),
];

/// Where a session's data file of this extension is, relative to the
/// site's root.
pub fn data_file(id: &SessionId, extension: &str) -> String {
    format!("data/sessions/{id}.{extension}")
}

/// A file of the data exports as written: path from the site's root, size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataFile {
    pub path: String,
    pub bytes: u64,
}

/// What every output's finishing step may need of a session besides its own
/// share: how it is named, dated and ordered in the edition.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Listing {
    /// The session's id.
    pub id: SessionId,
    /// The title the edition shows (the session's id when it has none).
    pub title: String,
    /// The session's date (ISO 8601), when known.
    pub date: Option<String>,
    /// The event the session belongs to, when known.
    pub event: Option<String>,
    /// The year of the event, when known.
    pub year: Option<i32>,
}

impl Listing {
    /// A merged session's listing.
    pub fn of(session: &Session) -> Listing {
        Listing::of_meta(&session.id, &session.meta)
    }

    /// The listing of session `id` with metadata `meta` (titled by its id
    /// when it has no title, as [`Session::display_title`]).
    pub fn of_meta(id: &SessionId, meta: &Meta) -> Listing {
        Listing {
            id: id.clone(),
            title: meta.title.clone().unwrap_or_else(|| id.to_string()),
            date: meta.date.clone(),
            event: meta.event.clone(),
            year: meta.year,
        }
    }

    /// The order of sessions in every output: by date (undated last), then
    /// by id.
    pub fn order(&self) -> (bool, Option<&str>, &str) {
        (self.date.is_none(), self.date.as_deref(), self.id.as_str())
    }
}

/// A session's place in the edition: the sessions just before and after it
/// in edition order ([`Listing::order`]), for the links a reader follows
/// from one session to the next. Part of what a session's page depends on,
/// so a build that inserts a session remakes its two neighbours.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Neighbours {
    pub previous: Option<Listing>,
    pub next: Option<Listing>,
}

impl Neighbours {
    /// Every session's neighbours, from the listings of the whole edition
    /// in edition order.
    pub fn of_ordered(listings: &[&Listing]) -> Vec<Neighbours> {
        (0..listings.len())
            .map(|i| Neighbours {
                previous: i.checked_sub(1).map(|p| listings[p].clone()),
                next: listings.get(i + 1).map(|n| (*n).clone()),
            })
            .collect()
    }
}

/// CPU time of the session phase's steps, summed over threads, for `--verbose`
/// and the benchmarks: where a build's time goes.
#[derive(Debug, Default)]
pub struct StepTimes {
    nanos: [std::sync::atomic::AtomicU64; STEPS.len()],
}

/// A step of the build whose time [`StepTimes`] adds up.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// Reading a transcript, ingesting it and merging its layers.
    ReadMerge,
    /// Making a session page's view from the session.
    View,
    /// Rendering templates.
    Template,
    /// Minifying pages.
    Minify,
    /// Making a session's share of the search index.
    Index,
    /// Making a session's digest for the edition-wide pages.
    Digest,
    /// Writing and linking files.
    Write,
}

/// The names of the [`Step`]s, in pipeline order, as reports print them.
pub const STEPS: [&str; 7] = [
    "read+merge",
    "view",
    "template",
    "minify",
    "index",
    "digest",
    "write",
];

impl StepTimes {
    /// Runs `f`, adding its time to `step`.
    pub fn time<T>(&self, step: Step, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.nanos[step as usize].fetch_add(
            t.elapsed().as_nanos() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        out
    }

    /// Seconds per step, in [`STEPS`] order.
    pub fn seconds(&self) -> Vec<(&'static str, f64)> {
        STEPS
            .iter()
            .zip(&self.nanos)
            .map(|(n, v)| {
                (
                    *n,
                    v.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9,
                )
            })
            .collect()
    }
}

/// A key made part by part, values streamed into the hash as JSON (a page's
/// context can be large; it is never held as bytes).
pub struct KeyWriter(xxhash_rust::xxh3::Xxh3);

impl KeyWriter {
    /// Starts a key under another (the build's global key, for a page).
    pub fn new(seed: u64) -> KeyWriter {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&seed.to_le_bytes());
        KeyWriter(h)
    }

    /// Adds bytes, length-prefixed.
    pub fn part(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// Adds a value as JSON, followed by a separator. The JSON reaches the
    /// hasher in blocks: serde_json writes a token at a time, and a streaming
    /// update per token cost more than the hashing (the digest is the same
    /// whatever the blocks).
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) {
        let mut blocks = io::BufWriter::with_capacity(8192, &mut *self);
        let _ = serde_json::to_writer(&mut blocks, value);
        let _ = io::Write::flush(&mut blocks);
        drop(blocks);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A value's key is the hash of its JSON text whole, however serde_json
    /// hands the text over: keys do not change with how they are written.
    #[test]
    fn a_json_part_is_hashed_as_its_whole_text() {
        let value = serde_json::json!({
            "name": "Avri Doria",
            "turns": (0..2000).map(|i| format!("turn {i}")).collect::<Vec<_>>(),
        });
        let mut key = KeyWriter::new(7);
        key.json(&value);
        let mut whole = xxhash_rust::xxh3::Xxh3::new();
        whole.update(&7u64.to_le_bytes());
        whole.update(serde_json::to_string(&value).unwrap().as_bytes());
        whole.update(&[0xff]);
        assert_eq!(key.finish(), whole.digest());
    }
}
