//! The edition root read once: every input file's path, hash and (except
//! transcripts) bytes. Every stage after it takes values from the snapshot;
//! none reads the edition root again. A transcript's bytes are not held (an
//! archive's transcripts can be gigabytes): its session reads it when it is
//! made ([`Snapshot::transcript`]), and only then.
//!
//! The hashes are what the build's keys are made of, so the no-change test
//! and a session's key come from the one reading that every stage sees.
//!
//! A transcript is read to be hashed unless the last build's snapshot
//! ([`Known`]) hashed it at the same size and modification time, and that
//! time was well before it read it: transcripts are never edited (the
//! edition keeps them as captured), and reading 1.5 GB of them to find
//! them unchanged was a fifth of a one-correction rebuild of 20,000
//! sessions. The rule is `rsync`'s and `make`'s, with git's guard against
//! a file changed within the same tick as it was read.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use verbatim_diagnostics::Finding;

/// Name of the configuration file at the edition root.
pub const CONFIG_FILE: &str = "verbatim.yaml";

/// The extensions of transcripts: text, and the caption files SubRip and WebVTT.
pub const TRANSCRIPT_EXTENSIONS: [&str; 3] = ["txt", "srt", "vtt"];

/// The folder of an edition's media files (recordings), published as they
/// are under the same name.
pub const MEDIA: &str = "media";

/// The parts of an edition root that are inputs, in the order they are read
/// (and the folders `serve` watches).
pub const PARTS: [&str; 10] = [
    "content",
    "annotations",
    "ids",
    "versions",
    "themes",
    "templates",
    "static",
    "i18n",
    MEDIA,
    CONFIG_FILE,
];

/// One input file.
#[derive(Debug, Clone)]
pub struct Input {
    /// xxh3 of the file's bytes.
    pub hash: u64,
    /// The bytes, for every input but transcripts.
    bytes: Option<Arc<[u8]>>,
}

/// What a snapshot knew of the transcripts it hashed: each one's size,
/// modification time and hash, and when it began reading (nanoseconds since
/// the epoch), kept by the build for the next snapshot.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Known {
    pub read_at: u64,
    pub stamps: BTreeMap<PathBuf, Stamp>,
}

/// A transcript as a snapshot found it: size, modification time (ns since
/// the epoch) and the hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified: u64,
    pub hash: u64,
}

/// What reading one input file gave: its input, a transcript's stamp, and
/// whether a transcript was read (not known by its stamp).
type ReadInput = (Input, Option<Stamp>, bool);

/// A file modified this close to a snapshot's reading (or after it) may
/// have changed within the same tick of the clock: it is read again.
const RACY_NS: u64 = 2_000_000_000;

/// Every input file of an edition root, by path relative to the root.
#[derive(Debug, Default)]
pub struct Snapshot {
    root: PathBuf,
    files: BTreeMap<PathBuf, Input>,
    /// The transcripts' stamps, for the next snapshot.
    known: Known,
    /// How many transcripts were read to be hashed (the others' hashes
    /// came from the last snapshot's stamps).
    pub transcripts_read: usize,
    /// Folders and files that could not be read: errors naming each, so that
    /// nothing is silently left out.
    pub findings: Vec<Finding>,
}

/// Whether a file is a media file: never read by the build (a recording can
/// be gigabytes), known by its size and modification time, published by a
/// link.
fn is_media(rel: &Path) -> bool {
    rel.starts_with(MEDIA)
}

/// Whether a file's bytes are left on disk until its session is made.
fn is_transcript(rel: &Path) -> bool {
    rel.starts_with("content")
        && rel
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| TRANSCRIPT_EXTENSIONS.contains(&e.to_lowercase().as_str()))
}

impl Snapshot {
    /// Reads every input file under `root` (in parallel), hashing each and
    /// keeping the bytes of all but transcripts.
    pub fn read(root: &Path) -> Snapshot {
        Snapshot::read_parts(root, &PARTS, &Known::default())
    }

    /// Reads every input file under `root` as [`Snapshot::read`] does, but
    /// a transcript `known` stamped at its size and modification time is
    /// not read again: its hash is the one stamped.
    pub fn read_knowing(root: &Path, known: &Known) -> Snapshot {
        Snapshot::read_parts(root, &PARTS, known)
    }

    /// What this snapshot knows of the transcripts, for the next one.
    pub fn known(&self) -> &Known {
        &self.known
    }

    /// The configuration alone (`verbatim.yaml`), for the commands that
    /// read transcripts outside an edition (`parse`, `survey`).
    pub fn read_config(root: &Path) -> Snapshot {
        Snapshot::read_parts(root, &[CONFIG_FILE], &Known::default())
    }

    /// Reads the files under `parts` of `root` (folders or files).
    fn read_parts(root: &Path, parts: &[&str], known: &Known) -> Snapshot {
        let read_at = nanos(std::time::SystemTime::now());
        let mut findings = Vec::new();
        let mut paths: Vec<PathBuf> = Vec::new();
        for &part in parts {
            for entry in walkdir::WalkDir::new(root.join(part)).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() => paths.push(e.into_path()),
                    Ok(_) => {}
                    // A missing part is an edition without it.
                    Err(e)
                        if e.depth() == 0
                            && e.io_error()
                                .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {}
                    Err(e) => {
                        let path = e.path().unwrap_or(Path::new(part));
                        let rel = path.strip_prefix(root).unwrap_or(path);
                        let why = e
                            .io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string);
                        findings.push(
                            Finding::error(rel, 0, 0, format!("cannot read: {why}")).help(
                                "make it readable (or remove it) so that nothing in it is left out",
                            ),
                        );
                    }
                }
            }
        }
        let read: Vec<(PathBuf, Result<ReadInput, Finding>)> = paths
            .into_par_iter()
            .map(|path| {
                let rel = path
                    .strip_prefix(root)
                    .map_or(path.clone(), Path::to_path_buf);
                let input = if is_transcript(&rel) {
                    transcript(&path, known.stamps.get(&rel), known.read_at)
                } else if is_media(&rel) {
                    std::fs::metadata(&path).and_then(|m| {
                        let modified = m
                            .modified()?
                            .duration_since(std::time::UNIX_EPOCH)
                            .unwrap_or_default();
                        let mut stamp = m.len().to_le_bytes().to_vec();
                        stamp.extend_from_slice(&modified.as_nanos().to_le_bytes());
                        let input = Input {
                            hash: xxhash_rust::xxh3::xxh3_64(&stamp),
                            bytes: None,
                        };
                        Ok((input, None, false))
                    })
                } else {
                    std::fs::read(&path).map(|bytes| {
                        let input = Input {
                            hash: xxhash_rust::xxh3::xxh3_64(&bytes),
                            bytes: Some(Arc::from(bytes)),
                        };
                        (input, None, false)
                    })
                };
                let input = input.map_err(|e| {
                    Finding::error(&rel, 0, 0, format!("cannot read: {e}"))
                        .help("make it readable (or remove it) so that nothing is left out")
                });
                (rel, input)
            })
            .collect();
        let mut files = BTreeMap::new();
        let mut stamps = BTreeMap::new();
        let mut transcripts_read = 0;
        for (rel, input) in read {
            match input {
                Ok((input, stamp, was_read)) => {
                    if let Some(stamp) = stamp {
                        stamps.insert(rel.clone(), stamp);
                    }
                    transcripts_read += usize::from(was_read);
                    files.insert(rel, input);
                }
                Err(f) => findings.push(f),
            }
        }
        Snapshot {
            root: root.to_path_buf(),
            files,
            known: Known { read_at, stamps },
            transcripts_read,
            findings,
        }
    }

    /// The edition root the snapshot was read from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every file under the folder `dir` (relative to the root), in path order.
    pub fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = (&'a Path, &'a Input)> {
        self.files
            .range(dir.to_path_buf()..)
            .take_while(move |(p, _)| p.starts_with(dir))
            .map(|(p, i)| (p.as_path(), i))
    }

    /// Every input file, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&Path, &Input)> {
        self.files.iter().map(|(p, i)| (p.as_path(), i))
    }

    /// The bytes of the file at `rel`, if it is an input that is not a
    /// transcript.
    pub fn bytes(&self, rel: &Path) -> Option<&Arc<[u8]>> {
        self.files.get(rel)?.bytes.as_ref()
    }

    /// The edition's media files, as paths from the root (`media/…`, with
    /// `/` between folders): the names a `recording: file:` may use and
    /// the site publishes.
    pub fn media(&self) -> std::collections::BTreeSet<String> {
        self.under(Path::new(MEDIA))
            .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
            .collect()
    }

    /// The hash of the file at `rel`, if it is an input.
    pub fn hash(&self, rel: &Path) -> Option<u64> {
        self.files.get(rel).map(|i| i.hash)
    }

    /// The first `most` bytes of the transcript at `rel` (fewer when it is
    /// shorter; none when it cannot be read, which reading it whole
    /// reports): where its heading is, for a build that wants to know what
    /// a session will be called and dated before making it.
    pub fn transcript_opening(&self, rel: &Path, most: usize) -> Vec<u8> {
        if let Some(bytes) = self.bytes(rel) {
            return bytes[..bytes.len().min(most)].to_vec();
        }
        let mut opening = Vec::with_capacity(most);
        let read = std::fs::File::open(self.root.join(rel)).and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, most as u64), &mut opening)
        });
        if read.is_err() {
            opening.clear();
        }
        opening
    }

    /// Reads the transcript at `rel` (the one input read after the
    /// snapshot, when its session is made); an unreadable file is an error
    /// finding.
    pub fn transcript(&self, rel: &Path, findings: &mut Vec<Finding>) -> Vec<u8> {
        if let Some(bytes) = self.bytes(rel) {
            return bytes.to_vec();
        }
        std::fs::read(self.root.join(rel)).unwrap_or_else(|e| {
            findings.push(Finding::error(
                rel,
                0,
                0,
                format!("cannot read transcript: {e}"),
            ));
            Vec::new()
        })
    }
}

/// A transcript's input: its hash as `stamp` gave it when the stamp holds
/// its size and modification time and that time was well before the stamp
/// was taken (`stamped_at`), else read and hashed. With its new stamp, and
/// whether it was read.
fn transcript(path: &Path, stamp: Option<&Stamp>, stamped_at: u64) -> std::io::Result<ReadInput> {
    let meta = std::fs::metadata(path)?;
    let modified = meta.modified().map(nanos).unwrap_or(0);
    let len = meta.len();
    let trusted = stamp.filter(|s| {
        s.len == len
            && s.modified == modified
            && modified > 0
            && modified.saturating_add(RACY_NS) < stamped_at
    });
    if let Some(stamp) = trusted {
        let input = Input {
            hash: stamp.hash,
            bytes: None,
        };
        return Ok((input, Some(*stamp), false));
    }
    let hash = xxhash_rust::xxh3::xxh3_64(&std::fs::read(path)?);
    let input = Input { hash, bytes: None };
    Ok((
        input,
        Some(Stamp {
            len,
            modified,
            hash,
        }),
        true,
    ))
}

/// A time as nanoseconds since the epoch (0 before it).
fn nanos(time: std::time::SystemTime) -> u64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

#[cfg(test)]
mod tests {
    use super::Snapshot;
    use std::path::Path;

    #[test]
    fn a_snapshot_holds_every_input_but_transcripts_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("annotations")).unwrap();
        std::fs::write(root.join("content/a.txt"), ">> A: hello\n").unwrap();
        std::fs::write(root.join("content/about.md"), "# About\n").unwrap();
        std::fs::write(root.join("annotations/a.yaml"), "session: a\n").unwrap();
        std::fs::write(root.join("notes.txt"), "not an input").unwrap();
        let snapshot = Snapshot::read(root);
        let paths: Vec<&Path> = snapshot.files().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                Path::new("annotations/a.yaml"),
                Path::new("content/a.txt"),
                Path::new("content/about.md")
            ]
        );
        assert!(snapshot.bytes(Path::new("content/a.txt")).is_none());
        assert_eq!(
            &**snapshot.bytes(Path::new("annotations/a.yaml")).unwrap(),
            b"session: a\n"
        );
        let mut findings = Vec::new();
        let bytes = snapshot.transcript(Path::new("content/a.txt"), &mut findings);
        assert_eq!(bytes, b">> A: hello\n");
        assert!(findings.is_empty());
        let under: Vec<&Path> = snapshot
            .under(Path::new("content"))
            .map(|(p, _)| p)
            .collect();
        assert_eq!(under.len(), 2);
    }
}
