//! Writing the site: into a staging folder beside the output, swapped into
//! place only when everything was written. A failed or interrupted build
//! leaves the previous site untouched. Files whose bytes did not change keep
//! their modification time, so `rsync` uploads only what changed.

use std::io;
use std::path::{Path, PathBuf};

/// A site being written. Dropped without [`Staging::commit`], it removes itself.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
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
            committed: false,
        })
    }

    /// Writes one file, `rel` being its path inside the site.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(path, bytes)
    }

    /// Swaps the staged site into place.
    pub fn commit(mut self) -> io::Result<()> {
        if self.target.is_dir() {
            keep_unchanged_mtimes(&self.dir, &self.target)?;
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
            std::fs::remove_dir_all(&old)?;
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
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Gives each staged file that is byte-identical to the published one the
/// published file's modification time.
fn keep_unchanged_mtimes(staged: &Path, published: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(staged)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(staged).unwrap_or(entry.path());
        let old = published.join(rel);
        let Ok(old_meta) = std::fs::metadata(&old) else {
            continue;
        };
        if old_meta.len() != entry.metadata()?.len() {
            continue;
        }
        if std::fs::read(&old)? == std::fs::read(entry.path())? {
            let file = std::fs::File::options().write(true).open(entry.path())?;
            file.set_modified(old_meta.modified()?)?;
        }
    }
    Ok(())
}
