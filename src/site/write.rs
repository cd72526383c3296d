//! Writing the site: into a staging folder beside the output, swapped into
//! place only when everything was written. A failed or interrupted build
//! leaves the previous site untouched. Files whose bytes did not change are
//! hard links to the published ones, so they keep their modification time
//! (`rsync` uploads only what changed) and cost no writing.

use std::io;
use std::path::{Path, PathBuf};

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
}

impl Staging {
    /// Starts a staging folder beside `target` (same file system, so the swap is a rename).
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("public");
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            published: target.is_dir(),
            folders: Default::default(),
            committed: false,
        })
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
        std::fs::write(path, bytes)
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
        let path = self.dir.join(rel);
        self.make_folder_of(&path)?;
        let old = self.target.join(rel);
        match std::fs::hard_link(&old, &path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(_) => {
                std::fs::copy(&old, &path)?;
                let modified = std::fs::metadata(&old)?.modified()?;
                std::fs::File::options()
                    .write(true)
                    .open(&path)?
                    .set_modified(modified)
            }
        }
    }

    /// The published site this staging folder will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swaps the staged site into place. The previous site, moved aside, is
    /// returned to be removed (which takes a while for a large site, and can
    /// overlap other work); dropped, it removes itself.
    pub fn commit(mut self) -> io::Result<Retired> {
        if self.target.is_dir() {
            let old = self.dir.with_file_name(format!(
                ".{}.old-{}",
                self.target
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("public"),
                std::process::id()
            ));
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
