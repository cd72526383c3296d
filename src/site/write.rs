//! Writing the site: into a staging folder beside the output, put into
//! place only when everything was written. A failed or interrupted build
//! leaves the previous site untouched. Files whose bytes did not change are
//! never written again, so they keep their modification time (`rsync`
//! uploads only what changed).
//!
//! Two ways into place. A whole build stages the whole site (unchanged
//! files as hard links to the published ones) and exchanges it with the
//! output. A build that carries the last output over
//! ([`Staging::in_place`]) stages only what it wrote and renames each of
//! those files over its old version, then removes what it no longer makes:
//! at N = 20,000 sessions, linking 250,000 unchanged files into a new tree
//! and removing the old one was most of a one-correction rebuild.
//!
//! One build at a time writes an output: a lock file beside it
//! (`.<out>.lock`) is held from the start of staging to the swap, and a
//! second build waits for it, saying so. With the lock held, any other
//! staging or retired folder of this output was left by a killed build and
//! is removed. The swap itself is one atomic exchange of the two folders
//! (Linux `renameat2(RENAME_EXCHANGE)`, macOS `renameatx_np(RENAME_SWAP)`):
//! at every instant the output is the old site or the new one. Elsewhere,
//! or on a file system without the exchange, it is two renames, and a build
//! killed between them leaves the new site in its staging folder.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::PoisonError;

/// A site being written. Dropped without [`Staging::commit`], it removes itself.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// Whether a published site was there when the build began: if not,
    /// there is nothing to link, and no file of it is looked up.
    published: bool,
    /// Folders of the staging site already made: a build writes tens of
    /// thousands of files into a handful of folders, and asking the file
    /// system for each file's folder again (a `mkdir` and a `stat`, under the
    /// folder's lock) cost more than the lookup here.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
    /// Files written again in this build, for their temporary names.
    replaced: std::sync::atomic::AtomicU64,
    /// Set when the build publishes in place ([`Staging::in_place`]).
    in_place: Option<InPlace>,
}

/// What a build publishing in place knows of the files: those the last
/// build published, those this build keeps as they are, and those it
/// wrote into the staging folder to be moved into place.
struct InPlace {
    /// Path → (size, modification time), as the last build's state
    /// recorded and the build checked before it began.
    published: crate::site::cache::OutputFiles,
    kept: std::sync::Mutex<std::collections::HashSet<String>>,
    written: std::sync::Mutex<std::collections::BTreeSet<String>>,
}

impl InPlace {
    // A set of paths is whole whatever a panicking thread was doing, so
    // a poisoned lock is taken as it is.
    fn keep(&self, rel: &str) {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        kept.insert(rel.to_string());
    }

    fn wrote(&self, rel: &str) {
        let mut written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
        written.insert(rel.to_string());
    }

    fn has_written(&self, rel: &str) -> bool {
        self.written
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(rel)
    }
}

/// The right to write an output folder, held for a whole build (reading the
/// last build's cache, staging, swapping, saving the cache again).
pub struct OutputLock(#[allow(dead_code)] std::fs::File);

/// Takes the lock of output `target`, waiting (and saying so on stderr)
/// while another build holds it. The lock ends with the process, so a
/// killed build never leaves it taken.
pub fn lock_output(target: &Path) -> io::Result<OutputLock> {
    let (parent, name) = parent_and_name(target);
    std::fs::create_dir_all(parent)?;
    let path = parent.join(format!(".{name}.lock"));
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(OutputLock(file)),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "another verbatim build is writing {}; waiting for it to finish",
                target.display()
            );
            file.lock()?;
            Ok(OutputLock(file))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// The folder an output lives in, and its name.
fn parent_and_name(target: &Path) -> (&Path, &str) {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("public");
    (parent, name)
}

/// Removes the staging, retired and parking folders of output `name` that killed
/// builds left in `parent` (called with the output's lock held, so none is
/// in use).
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.staging-"),
        format!(".{name}.old-"),
        format!(".{name}.parked-"),
    ];
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Staging {
    /// Starts a staging folder beside `target` (same file system, so the
    /// swap is a rename). The output's lock, which the caller holds, says no
    /// other build is staging: other staging folders are leftovers.
    pub fn new(target: &Path, _: &OutputLock) -> io::Result<Staging> {
        let (parent, name) = parent_and_name(target);
        std::fs::create_dir_all(parent)?;
        remove_leftovers(parent, name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            published: target.is_dir(),
            folders: Default::default(),
            committed: false,
            replaced: Default::default(),
            in_place: None,
        })
    }

    /// Starts a build that publishes in place: `published` is every file
    /// the output holds, with its size and modification time (the last
    /// build's, as it left them, which the caller checked). Files this
    /// build keeps are not touched; the ones it writes are staged and, at
    /// [`Staging::commit`], each renamed over its old version, then the
    /// files it no longer makes are removed. Each file changes in one step,
    /// but not the site: for a build that changes a few files of a large
    /// site, where linking every unchanged file into a new tree and
    /// removing the old one cost most of the build.
    pub fn in_place(
        target: &Path,
        lock: &OutputLock,
        published: crate::site::cache::OutputFiles,
    ) -> io::Result<Staging> {
        let mut staging = Staging::new(target, lock)?;
        staging.in_place = Some(InPlace {
            published,
            kept: Default::default(),
            written: Default::default(),
        });
        Ok(staging)
    }

    /// Writes one file, `rel` being its path inside the site. When the
    /// published site holds the same bytes there, that file is linked instead:
    /// nothing is rewritten and its modification time stays, so `rsync`
    /// uploads only what changed. `content_named` says the name carries a hash
    /// of the bytes (search index files), so a file of that name and size is
    /// the same file without reading it.
    pub fn write(&self, rel: &str, bytes: &[u8], content_named: bool) -> io::Result<()> {
        let path = self.dir.join(rel);
        self.make_folder_of(&path)?;
        let old = self.target.join(rel);
        if self.published
            && let Ok(meta) = std::fs::metadata(&old)
            && meta.len() == bytes.len() as u64
            && (content_named || std::fs::read(&old).is_ok_and(|b| b == bytes))
            && self.link(rel).is_ok()
        {
            return Ok(());
        }
        if let Some(in_place) = &self.in_place {
            in_place.wrote(rel);
        }
        match std::fs::File::create_new(&path) {
            Ok(mut file) => io::Write::write_all(&mut file, bytes),
            // Sessions with the same text write the same index file, maybe at
            // the same moment: the one there already is this one.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && content_named => Ok(()),
            // A file this build already staged may be a hard link to the
            // published one (a session carried over, then placed again): it
            // is replaced whole, never written through.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let n = self
                    .replaced
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let fresh = self.dir.join(format!(".replacing-{n}"));
                std::fs::write(&fresh, bytes)?;
                std::fs::rename(&fresh, &path)
            }
            Err(e) => Err(e),
        }
    }

    /// Makes the folder `path` goes in, unless this build already made it.
    fn make_folder_of(&self, path: &Path) -> io::Result<()> {
        let Some(folder) = path.parent() else {
            return Ok(());
        };
        if !self.folders.lock().is_ok_and(|made| made.contains(folder)) {
            std::fs::create_dir_all(folder)?;
            if let Ok(mut folders) = self.folders.lock() {
                folders.insert(folder.to_path_buf());
            }
        }
        Ok(())
    }

    /// Carries the published file `rel` over unchanged (a hard link, or a copy
    /// with its modification time where links are not possible).
    pub fn link(&self, rel: &str) -> io::Result<()> {
        if let Some(in_place) = &self.in_place {
            // Kept where it is, if it is there (the output was checked
            // against the list before the build began).
            if !in_place.published.contains_key(rel) {
                return Err(io::ErrorKind::NotFound.into());
            }
            in_place.keep(rel);
            return Ok(());
        }
        self.link_from(&self.target.join(rel), rel)
    }

    /// Records that the caller made the file at [`Staging::path`]`(rel)`
    /// itself (an archive written by a library), so that it is published.
    pub fn made(&self, rel: &str) {
        if let Some(in_place) = &self.in_place {
            in_place.wrote(rel);
        }
    }

    /// Where the file this build publishes at `rel` is now: in the staging
    /// folder when this build wrote it, else the published one it keeps.
    pub fn source(&self, rel: &str) -> PathBuf {
        match &self.in_place {
            Some(in_place) if !in_place.has_written(rel) => self.target.join(rel),
            _ => self.dir.join(rel),
        }
    }

    /// Every file this build publishes under `data/`, with its size, in a
    /// listing's order ([`crate::data::listing`]).
    pub fn data_files(&self) -> io::Result<Vec<crate::output::DataFile>> {
        let Some(in_place) = &self.in_place else {
            return crate::data::listing(&self.dir.join("data"));
        };
        let kept = in_place.kept.lock().unwrap_or_else(PoisonError::into_inner);
        let written = in_place
            .written
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let rels: std::collections::BTreeSet<&String> = kept
            .iter()
            .chain(written.iter())
            .filter(|r| r.starts_with("data/"))
            .collect();
        let mut files = Vec::with_capacity(rels.len());
        for rel in rels {
            // A kept file's size is the published one's; only what this
            // build wrote is asked of the file system.
            let bytes = match in_place.published.get(rel.as_str()) {
                Some((bytes, _)) if !written.contains(rel.as_str()) => *bytes,
                _ => std::fs::metadata(self.dir.join(rel))?.len(),
            };
            files.push(crate::output::DataFile {
                path: rel.clone(),
                bytes,
            });
        }
        crate::data::in_listing_order(&mut files);
        Ok(files)
    }

    /// Publishes the file at `source` (outside the site: an edition's media
    /// file) as `rel`, without reading it: a hard link, or a copy with its
    /// modification time.
    pub fn link_from(&self, old: &Path, rel: &str) -> io::Result<()> {
        if let Some(in_place) = &self.in_place {
            // The published file is this one already: kept.
            if same_file(old, &self.target.join(rel)) {
                in_place.keep(rel);
                return Ok(());
            }
            in_place.wrote(rel);
        }
        let path = self.dir.join(rel);
        self.make_folder_of(&path)?;
        match std::fs::hard_link(old, &path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(_) => {
                std::fs::copy(old, &path)?;
                let modified = std::fs::metadata(old)?.modified()?;
                std::fs::File::options()
                    .write(true)
                    .open(&path)?
                    .set_modified(modified)
            }
        }
    }

    /// Where a file of the site being staged is (written or carried over).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// The published site this staging folder will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swaps the staged site into place. The previous site, moved aside, is
    /// returned to be removed (which takes a while for a large site, and can
    /// overlap other work); dropped, it removes itself. Published in place,
    /// the output's files are known without walking it, and returned too.
    pub fn commit(mut self) -> io::Result<(Retired, Option<crate::site::cache::OutputFiles>)> {
        if let Some(in_place) = self.in_place.take() {
            let files = self.commit_in_place(in_place)?;
            self.committed = true;
            let _ = std::fs::remove_dir_all(&self.dir);
            return Ok((Retired(None), Some(files)));
        }
        self.swap().map(|retired| (retired, None))
    }

    fn swap(&mut self) -> io::Result<Retired> {
        if self.target.is_dir() {
            let old = self.dir.with_file_name(format!(
                ".{}.old-{}",
                self.target
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("public"),
                std::process::id()
            ));
            if exchange(&self.dir, &self.target).is_ok() {
                // The staging folder's name now holds the previous site.
                std::fs::rename(&self.dir, &old)?;
                self.committed = true;
                return Ok(Retired(Some(old)));
            }
            std::fs::rename(&self.target, &old)?;
            if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&old, &self.target);
                return Err(e);
            }
            self.committed = true;
            return Ok(Retired(Some(old)));
        } else {
            if self.target.exists() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a folder", self.target.display()),
                ));
            }
            std::fs::rename(&self.dir, &self.target)?;
        }
        self.committed = true;
        Ok(Retired(None))
    }
}

/// The parking space of one build: where outputs park what their finishing
/// step needs of every session (`Files::park`) instead of holding it in
/// memory. Bytes are parked in a scratch file beside the output
/// (`.<out>.parked-<pid>/scratch`, removed when dropped; a killed build's
/// is removed by the next one), or left where the build cache keeps them
/// ([`Parking::adopt`]): a session carried over has its postings read
/// back only where assembly needs them, and never copied.
pub struct Parking {
    dir: PathBuf,
    scratch: std::sync::Mutex<Option<(io::BufWriter<std::fs::File>, u64)>>,
    /// Files adopted from the build cache: file `n + 1` of a
    /// [`Parked`](crate::output::Parked) is the `n`th (file 0 is the scratch file).
    adopted: std::sync::Mutex<Vec<PathBuf>>,
}

impl Parking {
    /// Starts the parking folder of output `target`, whose lock the caller
    /// holds (so it is the only one, and [`Staging::new`] removed leftovers).
    pub fn new(target: &Path, _: &OutputLock) -> io::Result<Parking> {
        let (parent, name) = parent_and_name(target);
        let dir = parent.join(format!(".{name}.parked-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Parking {
            dir,
            scratch: Default::default(),
            adopted: Default::default(),
        })
    }

    /// Appends `bytes` to the scratch file; returns where they are in it.
    pub fn park(&self, bytes: &[u8]) -> io::Result<crate::output::Parked> {
        let mut scratch = self.scratch.lock().map_err(|_| poisoned())?;
        let (file, end) = match &mut *scratch {
            Some(open) => open,
            None => {
                let file = std::fs::File::create_new(self.scratch_path())?;
                scratch.insert((io::BufWriter::with_capacity(1 << 16, file), 0))
            }
        };
        io::Write::write_all(file, bytes)?;
        let parked = crate::output::Parked {
            file: 0,
            offset: *end,
            len: bytes.len() as u64,
        };
        *end += bytes.len() as u64;
        Ok(parked)
    }

    /// Parks the `len` bytes of the file at `path` where they are: a file
    /// the build cache keeps, which nothing changes until the build ends.
    pub fn adopt(&self, path: PathBuf, len: u64) -> io::Result<crate::output::Parked> {
        let mut adopted = self.adopted.lock().map_err(|_| poisoned())?;
        adopted.push(path);
        Ok(crate::output::Parked {
            file: adopted.len() as u32,
            offset: 0,
            len,
        })
    }

    /// The bytes at `places`, one after another, read in parallel; places
    /// next to each other in the same file are read from one opening of it.
    pub fn unpark(&self, places: &[crate::output::Parked]) -> io::Result<Vec<u8>> {
        use io::{Read, Seek};
        use rayon::prelude::*;
        if let Some((file, _)) = &mut *self.scratch.lock().map_err(|_| poisoned())? {
            io::Write::flush(file)?;
        }
        let adopted = self.adopted.lock().map_err(|_| poisoned())?;
        let scratch = self.scratch_path();
        let total: u64 = places.iter().map(|p| p.len).sum();
        let mut bytes = vec![0u8; usize::try_from(total).map_err(io::Error::other)?];
        // Runs of places in one file (by number), each place's offset with
        // its part of the buffer.
        type Run<'a> = (u32, Vec<(u64, &'a mut [u8])>);
        let mut runs: Vec<Run> = Vec::new();
        let mut rest = bytes.as_mut_slice();
        for place in places {
            let (part, tail) = rest.split_at_mut(place.len as usize);
            rest = tail;
            match runs.last_mut() {
                Some((file, parts)) if *file == place.file => parts.push((place.offset, part)),
                _ => runs.push((place.file, vec![(place.offset, part)])),
            }
        }
        runs.into_par_iter()
            .with_min_len(16)
            .try_for_each(|(file, parts)| {
                let path = match file {
                    0 => &scratch,
                    n => adopted
                        .get(n as usize - 1)
                        .ok_or_else(|| io::Error::other("parked in a file never adopted"))?,
                };
                let mut file = std::fs::File::open(path)?;
                for (offset, part) in parts {
                    file.seek(io::SeekFrom::Start(offset))?;
                    file.read_exact(part)?;
                }
                Ok::<(), io::Error>(())
            })?;
        Ok(bytes)
    }

    fn scratch_path(&self) -> PathBuf {
        self.dir.join("scratch")
    }
}

fn poisoned() -> io::Error {
    io::Error::other("a thread failed while parking")
}

impl Drop for Parking {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Staging {
    /// Moves the written files over their old versions, then removes the
    /// files this build no longer makes (and folders left empty): the new
    /// files are all in place before anything is taken away. Returns the
    /// output's files: the kept ones as they were, the written ones as they
    /// are now.
    fn commit_in_place(&self, in_place: InPlace) -> io::Result<crate::site::cache::OutputFiles> {
        let written = in_place
            .written
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let kept = in_place
            .kept
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut files = crate::site::cache::OutputFiles::new();
        for rel in &written {
            let to = self.target.join(rel);
            if let Some(folder) = to.parent() {
                std::fs::create_dir_all(folder)?;
            }
            std::fs::rename(self.dir.join(rel), &to)?;
            if let Some(listed) = crate::site::cache::output_file(&to) {
                files.insert(rel.clone(), listed);
            }
        }
        for (rel, listed) in &in_place.published {
            if kept.contains(rel) && !written.contains(rel) {
                files.insert(rel.clone(), *listed);
            }
        }
        for rel in in_place
            .published
            .keys()
            .filter(|r| !written.contains(*r) && !kept.contains(*r))
        {
            match std::fs::remove_file(self.target.join(rel)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            // Folders emptied by the removal go too (a folder still holding
            // files refuses, which ends the climb).
            let mut folder = self.target.join(rel);
            while folder.pop() && folder != self.target && std::fs::remove_dir(&folder).is_ok() {}
        }
        Ok(files)
    }
}

/// Whether two paths name the same file (the same device and inode).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere a media file is published again each build.
#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Exchanges two folders in one step, where the system can.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// No atomic exchange here: the caller falls back to two renames.
#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// A previous site swapped out of place, to remove.
pub struct Retired(Option<PathBuf>);

impl Retired {
    /// Removes the previous site.
    pub fn remove(mut self) -> io::Result<()> {
        match self.0.take() {
            Some(dir) => std::fs::remove_dir_all(dir),
            None => Ok(()),
        }
    }
}

impl Drop for Retired {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(any(target_os = "linux", target_vendor = "apple"))]
    #[test]
    fn two_folders_are_exchanged_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        for (folder, text) in [(&a, "old site"), (&b, "new site")] {
            std::fs::create_dir(folder).unwrap();
            std::fs::write(folder.join("index.html"), text).unwrap();
        }
        exchange(&b, &a).unwrap();
        assert_eq!(
            std::fs::read_to_string(a.join("index.html")).unwrap(),
            "new site"
        );
        assert_eq!(
            std::fs::read_to_string(b.join("index.html")).unwrap(),
            "old site"
        );
    }
}
