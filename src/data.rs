//! `verbatim export`: the edition's data without the site, for re-users who
//! want only the data. The same files as `data/` in a built site (the
//! [`crate::export::Data`] output, driven here alone), written into a
//! staging folder that replaces the output folder only when all is written.

use crate::diagnostics::{self, Finding};
use crate::export::output::About;
use crate::output::DataFile;
use crate::output::{Files, Listing, Output};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The data archive's path, beside the manifest.
pub const ARCHIVE: &str = "data/edition.zip";

/// Every file under `folder` (the data exports), sorted, with its size;
/// paths from the site's root (`data/…`).
pub fn listing(folder: &Path) -> std::io::Result<Vec<DataFile>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(folder).unwrap_or(entry.path());
            // Joined by `/` whatever the platform's separator (on Unix a `\\`
            // is part of a name).
            let rel: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            let rel = rel.join("/");
            files.push(DataFile {
                path: format!("data/{rel}"),
                bytes: entry.metadata().map_err(std::io::Error::other)?.len(),
            });
        }
    }
    Ok(files)
}

/// `files` (a [`listing`]) with the archives of them (path, size) at their
/// places, as a new listing would put them: the Data page lists them all
/// without reading the folder again.
pub fn with_archives(mut files: Vec<DataFile>, archives: &[(String, u64)]) -> Vec<DataFile> {
    files.retain(|f| !is_archive(&f.path));
    files.extend(archives.iter().map(|(path, bytes)| DataFile {
        path: path.clone(),
        bytes: *bytes,
    }));
    in_listing_order(&mut files);
    files
}

/// Sorts data files as [`listing`] lists them: by path, name by name, so a
/// folder's files come where the folder's name sorts.
pub fn in_listing_order(files: &mut [DataFile]) {
    files.sort_by(|a, b| a.path.split('/').cmp(b.path.split('/')));
}

/// Whether the data file at `path` (from the site's root) is an archive.
fn is_archive(path: &str) -> bool {
    path == ARCHIVE || (path.starts_with(EVENT_ARCHIVES) && path.ends_with(".zip"))
}

/// Where a large edition's archives are, one per event.
pub const EVENT_ARCHIVES: &str = "data/archives/";

/// One archive to make: its path from the site's root, the data files it
/// holds (paths from the site's root) and the sessions whose files those
/// are.
#[derive(Debug, PartialEq)]
pub struct Archive {
    pub path: String,
    pub files: Vec<DataFile>,
    pub sessions: std::collections::BTreeSet<String>,
}

/// The session a data file is of, from its path (`data/sessions/<id>.<extension>`).
pub fn session_of(path: &str) -> Option<&str> {
    let name = path.strip_prefix("data/sessions/")?;
    crate::output::SESSION_DATA
        .iter()
        .filter_map(|(_, extension, ..)| name.strip_suffix(&format!(".{extension}")))
        .min_by_key(|id| id.len())
}

/// The archives of the data files `files` of an edition whose sessions are
/// `listings`: one of them all (`data/edition.zip`) while the edition is
/// small enough for one Events page; past that, one per event
/// (`data/archives/<event>.zip`, named as the event's page), each of its
/// sessions' files, so that a re-user takes the events they want and an
/// edit rewrites one archive, not all the data (1.9 GB at 20,000 sessions).
/// The edition-wide files (manifest, people, schemas) are then downloaded
/// on their own.
pub fn archives(listings: &[&Listing], files: &[DataFile]) -> Vec<Archive> {
    let files: Vec<&DataFile> = files.iter().filter(|f| !is_archive(&f.path)).collect();
    if listings.len() <= crate::html::pages::SESSIONS_ON_THE_EVENTS_PAGE {
        return vec![Archive {
            path: ARCHIVE.to_string(),
            files: files.into_iter().cloned().collect(),
            sessions: listings.iter().map(|l| l.id.to_string()).collect(),
        }];
    }
    use crate::html::pages::{event_names, event_order};
    let mut events: std::collections::BTreeMap<(i32, bool, Option<String>), usize> =
        Default::default();
    for l in listings {
        *events
            .entry(event_order(l.event.as_deref(), l.year))
            .or_default() += 1;
    }
    let names = event_names(events.iter().map(|((year, _, event), count)| {
        (event.as_deref(), (*year != 0).then_some(-year), *count)
    }));
    let name_of: std::collections::BTreeMap<&(i32, bool, Option<String>), &String> =
        events.keys().zip(&names).collect();
    let mut by_name: std::collections::BTreeMap<&str, Archive> = Default::default();
    let mut archive_of: std::collections::HashMap<&str, &str> = Default::default();
    for l in listings {
        let name = name_of[&event_order(l.event.as_deref(), l.year)].as_str();
        archive_of.insert(l.id.as_str(), name);
        by_name
            .entry(name)
            .or_insert_with(|| Archive {
                path: format!("{EVENT_ARCHIVES}{name}.zip"),
                files: Vec::new(),
                sessions: Default::default(),
            })
            .sessions
            .insert(l.id.to_string());
    }
    for f in files {
        if let Some(name) = session_of(&f.path).and_then(|id| archive_of.get(id))
            && let Some(archive) = by_name.get_mut(name)
        {
            archive.files.push(f.clone());
        }
    }
    by_name.into_values().collect()
}

/// Whether the archive at `path` holds exactly `files` (by name and
/// uncompressed size), read from its central directory alone: a previous
/// archive that does may be published again as it is.
pub fn holds_just(path: &Path, files: &[DataFile]) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    if zip.len() != files.len() {
        return false;
    }
    let mut wanted: std::collections::HashMap<&str, u64> = files
        .iter()
        .map(|f| (f.path.strip_prefix("data/").unwrap_or(&f.path), f.bytes))
        .collect();
    (0..zip.len()).all(|i| {
        zip.by_index_raw(i)
            .is_ok_and(|entry| wanted.remove(entry.name()) == Some(entry.size()))
    })
}

/// An archive of the data, written to `dest`: every file of `files`
/// (paths from the site's root, read where `source` says) but archives, sorted, each with the same fixed time and mode, so that
/// the same data gives the same archive, byte for byte. Files are
/// compressed in parallel, in parts written beside `dest` and joined in
/// order (the archive is never held in memory); a file `unchanged` says is
/// the same as in the `previous` archive is copied from it as compressed
/// there, so that a rebuild compresses only what it changed.
pub fn archive(
    source: &(dyn Fn(&str) -> PathBuf + Sync),
    files: &[DataFile],
    previous: Option<&Path>,
    unchanged: &(dyn Fn(&str) -> bool + Sync),
    dest: &Path,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let files: Vec<(String, PathBuf)> = files
        .iter()
        .filter(|f| !is_archive(&f.path))
        .map(|f| {
            let rel = f.path.strip_prefix("data/").unwrap_or(&f.path).to_string();
            (rel, source(&f.path))
        })
        .collect();
    // Level 3, as the search index packs: within 5 % of the default's size
    // in less of its time (BENCHMARKS.md, "Data exports").
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(3))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let part_size = files
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1);
    let name = dest
        .file_name()
        .map_or("archive".into(), |n| n.to_string_lossy().into_owned());
    let parts: Vec<PathBuf> = files
        .par_chunks(part_size)
        .enumerate()
        .map(|(k, part)| -> std::io::Result<PathBuf> {
            let mut old = previous
                .and_then(|p| std::fs::File::open(p).ok())
                .and_then(|f| zip::ZipArchive::new(std::io::BufReader::new(f)).ok());
            let path = dest.with_file_name(format!(".{name}.part{k}"));
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&path)?);
            for (rel, path) in part {
                if unchanged(rel)
                    && let Some(entry) = old.as_mut().and_then(|o| o.by_name(rel).ok())
                {
                    zip.raw_copy_file(entry).map_err(std::io::Error::other)?;
                    continue;
                }
                zip.start_file(rel.as_str(), options)
                    .map_err(std::io::Error::other)?;
                zip.write_all(&std::fs::read(path)?)?;
            }
            zip.finish().map_err(std::io::Error::other)?;
            Ok(path)
        })
        .collect::<std::io::Result<_>>()?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(dest)?));
    for part in &parts {
        let reader = std::io::BufReader::new(std::fs::File::open(part)?);
        let archive = zip::ZipArchive::new(reader).map_err(std::io::Error::other)?;
        zip.merge_archive(archive).map_err(std::io::Error::other)?;
        std::fs::remove_file(part)?;
    }
    // Flushing the buffer is the last write.
    zip.finish()
        .map_err(std::io::Error::other)?
        .into_inner()
        .map_err(|e| e.into_error())?;
    Ok(())
}

/// What the edition says of itself in its data, from its configuration.
pub fn about(config: &crate::config::Config) -> About<'_> {
    About {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url: config.base_url.as_deref(),
        license: config.license.as_deref(),
        license_url: config.license_url.as_deref(),
    }
}

/// The formats the configuration publishes each session in, by name.
pub fn formats(config: &crate::config::Config) -> Vec<&'static str> {
    config.data.formats.iter().map(|f| f.name()).collect()
}

/// What an export wrote.
pub struct Exported {
    /// Sessions exported.
    pub sessions: usize,
    /// Files written.
    pub files: usize,
    /// Warnings the edition has (an export, like a build, refuses errors).
    pub warnings: Vec<Finding>,
}

/// A folder as the output's [`Files`]: `data/…` paths are written under it
/// without their `data/` (the folder is the data).
struct Folder {
    root: PathBuf,
    written: std::sync::atomic::AtomicUsize,
}

impl Files for Folder {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Finding> {
        let target = self.root.join(path.strip_prefix("data/").unwrap_or(path));
        let made = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, bytes));
        made.map_err(|e| {
            Finding::error(&target, 0, 0, format!("cannot write the export: {e}"))
                .help("check that the output folder's parent is writable")
        })?;
        self.written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn carry(&self, _: &str) -> bool {
        false
    }
}

/// Exports the edition at `root` into `out`: every session's JSON, TEI, text
/// and annotations, the people, the manifest and the schemas. `out` is
/// replaced only when everything was written; an edition with errors is not
/// exported (the findings say why).
pub fn export(root: &Path, out: &Path) -> Result<Exported, Vec<Finding>> {
    let loaded = crate::load::load(root);
    if diagnostics::has_errors(&loaded.findings) {
        return Err(loaded.findings);
    }
    let name = out
        .file_name()
        .map_or("export".into(), |n| n.to_string_lossy().into_owned());
    let staging = out.with_file_name(format!(".{name}.export-{}", std::process::id()));
    let failed = |e: std::io::Error| {
        vec![
            Finding::error(out, 0, 0, format!("cannot write the export: {e}"))
                .help("check that the output folder's parent is writable"),
        ]
    };
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(failed)?;
    let folder = Folder {
        root: staging.clone(),
        written: Default::default(),
    };
    let data = crate::export::Data::new(
        &loaded.edition.people,
        about(&loaded.config),
        &formats(&loaded.config),
    );
    let written = (|| {
        let mut shares = Vec::new();
        for session in &loaded.edition.sessions {
            shares.push((
                Listing::of(session),
                data.session(session, &folder).map_err(|f| vec![f])?,
            ));
        }
        let listed: Vec<_> = shares.iter().map(|(l, c)| (l, c)).collect();
        data.finish(&listed, &0, &folder)?;
        if loaded.config.data.archive {
            let files = listing(&staging).map_err(failed)?;
            let listings: Vec<&Listing> = shares.iter().map(|(l, _)| l).collect();
            let source = |path: &str| staging.join(path.strip_prefix("data/").unwrap_or(path));
            for planned in archives(&listings, &files) {
                let rel = planned.path.strip_prefix("data/").unwrap_or(&planned.path);
                archive(
                    &source,
                    &planned.files,
                    None,
                    &|_| false,
                    &staging.join(rel),
                )
                .map_err(failed)?;
                folder
                    .written
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        Ok(())
    })();
    if let Err(findings) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(findings);
    }
    // Replace the output: the old one aside, the new one in, the old one gone.
    let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
    let had = out.exists();
    if had {
        std::fs::rename(out, &old).map_err(failed)?;
    }
    std::fs::rename(&staging, out).map_err(failed)?;
    if had {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(Exported {
        sessions: loaded.edition.sessions.len(),
        files: folder.written.into_inner(),
        warnings: loaded.findings,
    })
}
