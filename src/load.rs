//! Load: an edition's inputs (its [`Snapshot`]: content/ and annotations/)
//! parsed, checked and merged into an [`Edition`], with every finding.
//! `check` and `build` share it. Only [`load`] and [`prepare`], the
//! entry points for a whole root, read the snapshot; the rest take values.

use crate::annotate::{self, Layer, Registry, merge_session};
use crate::config::Config;
use crate::diagnostics::{self, Finding, nearest};
use crate::edition::{Edition, Session, SessionId};
use crate::ingest::{self, Profile};
use crate::snapshot::Snapshot;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The result of loading: the merged edition and what was found on the way.
pub struct Loaded {
    pub edition: Edition,
    pub findings: Vec<Finding>,
    /// The edition's configuration (defaults where it has none or a bad one,
    /// which is then among the findings).
    pub config: Config,
}

pub use crate::snapshot::TRANSCRIPT_EXTENSIONS;

/// Every transcript under `content/` (`*.txt`, `*.srt`, `*.vtt`), by session
/// id (file stem). Sorted.
///
/// A file that cannot become a page is an error here, not a failed write
/// later: a name that is not UTF-8 or too long for a page's file name, two
/// names that one case-insensitive host (Windows, macOS, most zips) would
/// store as one file, an unreadable folder. Files that are neither
/// transcripts nor pages are named in a warning, never skipped in silence.
pub fn content_files(
    snapshot: &Snapshot,
    findings: &mut Vec<Finding>,
) -> BTreeMap<SessionId, PathBuf> {
    let mut out: BTreeMap<SessionId, PathBuf> = BTreeMap::new();
    // Folded (lower case, NFC) id → the id that claimed it.
    let mut folded: BTreeMap<String, SessionId> = BTreeMap::new();
    for (path, _) in snapshot.under(Path::new("content")) {
        let rel = path.to_path_buf();
        let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
        match extension.as_deref() {
            Some(e) if TRANSCRIPT_EXTENSIONS.contains(&e) => {}
            Some("md") if rel.parent() == Some(Path::new("content")) => continue,
            _ => {
                findings.push(
                    Finding::warning(&rel, 0, 0, "not published: neither a transcript (.txt, .srt, .vtt) nor a page (.md in content/ itself)")
                        .help("give a transcript one of those extensions, or move the file out of content/"),
                );
                continue;
            }
        }
        if path
            .extension()
            .and_then(|e| e.to_str())
            .is_none_or(|e| !TRANSCRIPT_EXTENSIONS.contains(&e))
        {
            findings.push(
                Finding::error(
                    &rel,
                    0,
                    0,
                    "a transcript's extension must be written in lower case (.txt, .srt, .vtt)",
                )
                .help("rename the file: its page and links are named after it"),
            );
            continue;
        }
        let Some(id) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            findings.push(
                Finding::error(
                    &rel,
                    0,
                    0,
                    format!("the file name `{}` is not valid UTF-8", rel.display()),
                )
                .help("rename the file: its name becomes the session's page name and id"),
            );
            continue;
        };
        if id.len() > crate::edition::MAX_ID_BYTES {
            findings.push(
                Finding::error(&rel, 0, 0, format!(
                    "the file name is {} bytes long; a session's page is named after it, and names of more than {} bytes cannot be written",
                    id.len(), crate::edition::MAX_ID_BYTES
                ))
                .help("shorten the file name"),
            );
            continue;
        }
        if let Some(prev) = out.get(id.as_str()) {
            findings.push(
                Finding::error(
                    &rel,
                    0,
                    0,
                    format!("session id `{id}` is also used by {}", prev.display()),
                )
                .help("rename one of the files: a session id is its file name"),
            );
            continue;
        }
        let fold: String =
            unicode_normalization::UnicodeNormalization::nfc(id.to_lowercase().as_str()).collect();
        if let Some(other) = folded.get(&fold) {
            findings.push(
                Finding::error(
                    &rel,
                    0,
                    0,
                    format!("session id `{id}` differs from `{other}` ({}) only by case or accents' encoding, so their pages are one file on Windows, macOS and in zips", out[other].display()),
                )
                .help("rename one of the files"),
            );
            continue;
        }
        let id = SessionId::new(id);
        folded.insert(fold, id.clone());
        out.insert(id, rel);
    }
    out
}

/// Every annotation file under `annotations/`, in application order (path order).
pub fn annotation_files(snapshot: &Snapshot) -> Vec<&Path> {
    snapshot
        .under(Path::new("annotations"))
        .map(|(p, _)| p)
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect()
}

/// An edition's inputs read and checked up to the point where sessions can be
/// merged one at a time: the content files, every annotation layer, and the
/// people registry. `build` streams sessions from here; `load` merges them all.
pub struct Prepared {
    /// Content files by session id, sorted.
    pub content: BTreeMap<SessionId, PathBuf>,
    /// Every layer read now, in application order.
    pub layers: Vec<Layer>,
    /// Session id → indices into `layers` of the layers annotating it.
    pub by_session: BTreeMap<SessionId, Vec<usize>>,
    /// Session layers not read now (see `prepare_knowing`), by session id,
    /// each list in application order. Read when their session is merged.
    pub deferred: BTreeMap<SessionId, Vec<Deferred>>,
    pub registry: Registry,
    /// What was found reading content and layers (not yet merging).
    pub findings: Vec<Finding>,
    /// Sessions named by a layer that could not be read: merging them would
    /// warn of what that layer would have settled (labels not mapped, turns
    /// not attributed), so their warnings wait until it is fixed. Names as
    /// the broken layer writes them, which need not be sessions of content/.
    pub broken: BTreeSet<String>,
    /// The edition's configuration, read once for every stage.
    pub config: Config,
    /// The source profile transcripts are read with.
    pub profile: Arc<Profile>,
    /// The edition's media files (`media/…`), which recordings may name and
    /// the site publishes.
    pub media: BTreeSet<String>,
    /// The inputs this was prepared from: deferred layers are parsed from
    /// it, transcripts read through it, the theme loaded from it.
    pub snapshot: Arc<Snapshot>,
}

/// A layer's error, saying plainly that the whole file is left out until
/// it is fixed (YAML is parsed whole).
fn skipped(f: Finding) -> Finding {
    let help = match &f.help {
        Some(h) => format!("{h}; until then nothing in this file is applied"),
        None => "fix it: until then nothing in this file is applied".to_string(),
    };
    f.help(help)
}

/// The session a layer that does not parse names on its `session:` line, if
/// it can be read off that line alone.
fn session_named_in(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    text.lines().find_map(|l| {
        let value = l.strip_prefix("session:")?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// A session layer whose bytes an earlier build parsed without error: what
/// session it annotates is known without parsing it again.
#[derive(Debug, Clone)]
pub struct Deferred {
    /// Path relative to the edition root.
    pub path: PathBuf,
}

/// Reads the edition at `root` ([`Snapshot::read`]) and prepares it
/// ([`prepare_snapshot`]).
pub fn prepare(root: &Path) -> Prepared {
    prepare_snapshot(Arc::new(Snapshot::read(root)), &BTreeMap::new())
}

/// Lists the content, parses every layer, builds the registry and groups
/// session layers, reporting layers for sessions that do not exist; but
/// the session layers in `known` (path relative to the
/// root → the session it annotates, for layers whose bytes a build parsed
/// without error) are not parsed now, only when their session is merged: a
/// build that reuses most sessions parses only the layers of the sessions it
/// makes again. (Parsing every layer was most of a one-correction rebuild's
/// preparation.) A known layer whose session is no longer in content/ is
/// parsed, so that the error points into it.
pub fn prepare_snapshot(snapshot: Arc<Snapshot>, known: &BTreeMap<PathBuf, SessionId>) -> Prepared {
    let mut findings = snapshot.findings.clone();
    let config = Config::load(&snapshot).unwrap_or_else(|f| {
        findings.push(f);
        Config::default()
    });
    let profile = config.profile(&snapshot).unwrap_or_else(|f| {
        findings.push(f);
        Profile::default_profile()
    });
    let content = content_files(&snapshot, &mut findings);
    let mut deferred: BTreeMap<SessionId, Vec<Deferred>> = BTreeMap::new();
    let mut parse = Vec::new();
    for rel in annotation_files(&snapshot) {
        match known.get(rel).filter(|s| content.contains_key(*s)) {
            Some(session) => deferred.entry(session.clone()).or_default().push(Deferred {
                path: rel.to_path_buf(),
            }),
            None => parse.push(rel),
        }
    }
    let mut broken = BTreeSet::new();
    let bytes_of = |rel: &Path| snapshot.bytes(rel).map_or(&[][..], |b| &b[..]);
    let parsed: Vec<Result<Layer, Finding>> = parse
        .par_iter()
        .map(|rel| annotate::layer_from_bytes(bytes_of(rel), rel))
        .collect();
    let mut layers = Vec::with_capacity(parsed.len());
    for (rel, layer) in parse.iter().zip(parsed) {
        match layer {
            Ok(layer) => layers.push(layer),
            Err(f) => {
                broken.extend(session_named_in(bytes_of(rel)));
                findings.push(skipped(f));
            }
        }
    }
    let registry = Registry::build(&layers, &mut findings);

    let mut by_session: BTreeMap<SessionId, Vec<usize>> = BTreeMap::new();
    for (i, layer) in layers.iter().enumerate() {
        let f = &layer.file;
        let has_session_keys = f.meta.is_some()
            || !f.speakers.is_empty()
            || !f.attributions.is_empty()
            || !f.corrections.is_empty()
            || !f.notes.is_empty()
            || !f.structure.is_empty();
        match &f.session {
            Some(s) if content.contains_key(s.value.as_str()) => by_session
                .entry(SessionId::new(s.value.as_str()))
                .or_default()
                .push(i),
            Some(s) => {
                let near = nearest(&s.value, content.keys().map(SessionId::as_str));
                let e = layer.error_at(s, format!("no session `{}` in content/", s.value));
                findings.push(match near.first() {
                    Some(n) => e.help(format!(
                        "did you mean `{n}`? A session id is its content file name without .txt"
                    )),
                    None => e.help("a session id is the name of a content/*.txt file without .txt"),
                });
            }
            None if f.has_no_entries() => findings.push(layer.no_entries_warning()),
            None if has_session_keys => findings.push(
                Finding::error(
                    &layer.path,
                    1,
                    1,
                    "session layers need a `session:` key naming the session they annotate",
                )
                .with_source(&layer.source)
                .help("add `session: <content file name without .txt>` at the top"),
            ),
            None => {}
        }
    }
    Prepared {
        content,
        layers,
        by_session,
        deferred,
        registry,
        findings,
        broken,
        config,
        profile,
        media: snapshot.media(),
        snapshot,
    }
}

impl Prepared {
    /// The layers annotating session `id` that were read, in application order.
    pub fn layers_of(&self, id: &SessionId) -> Vec<&Layer> {
        self.by_session
            .get(id)
            .map(|ix| ix.iter().map(|&i| &self.layers[i]).collect())
            .unwrap_or_default()
    }

    /// The paths of every layer annotating session `id`, read or deferred,
    /// in application order.
    pub fn layer_paths_of(&self, id: &SessionId) -> Vec<&Path> {
        let read = self.layers_of(id).into_iter().map(|l| l.path.as_path());
        let deferred = self.deferred.get(id).into_iter().flatten();
        let mut paths: Vec<&Path> = read.chain(deferred.map(|d| d.path.as_path())).collect();
        paths.sort();
        paths
    }

    /// The id lock of session `id` (`ids/<id>.tsv`), when the edition has one.
    pub fn lock_path(id: &SessionId) -> PathBuf {
        Path::new(LOCKS).join(format!("{id}.tsv"))
    }

    /// Gives the transcript's turns and paragraphs the ids the session has
    /// published (its id lock), and returns the published ids whose text is
    /// gone, each with the paragraph it now leads to. A newly gone id is a
    /// warning; a lock that cannot be read, an error.
    pub fn keep_published_ids(
        &self,
        id: &SessionId,
        transcript: &mut ingest::Transcript,
        findings: &mut Vec<Finding>,
    ) -> Vec<ingest::lock::Retired> {
        let path = Prepared::lock_path(id);
        let Some(bytes) = self.snapshot.bytes(&path) else {
            return Vec::new();
        };
        let text = String::from_utf8_lossy(bytes);
        let lock = match ingest::lock::parse(&text) {
            Ok(lock) => lock,
            Err((line, why)) => {
                findings.push(
                    Finding::error(
                        &path,
                        line as u64,
                        1,
                        format!("the id lock cannot be read: {why}"),
                    )
                    .help("`verbatim ids --update` writes it again from the transcript as it is"),
                );
                return Vec::new();
            }
        };
        let applied = ingest::lock::apply(&mut transcript.turns, &lock);
        let line_of = |id: &str| {
            text.lines()
                .position(|l| l.split('\t').nth(1) == Some(id))
                .map_or(1, |i| i as u64 + 1)
        };
        for id in &applied.changed {
            findings.push(
                Finding::warning(
                    &path,
                    line_of(id),
                    1,
                    format!("the text of published id `{id}` changed in the transcript; the id stays on it"),
                )
                .help("check that citations of it still hold; `verbatim ids --update` records the new text"),
            );
        }
        let retired = applied.retired;
        for r in retired.iter().filter(|r| !r.known) {
            findings.push(
                Finding::warning(
                    &path,
                    line_of(&r.id),
                    1,
                    format!(
                        "published id `{}` no longer matches any text of the transcript (it changed there); links to it now lead to `{}`",
                        r.id, r.at
                    ),
                )
                .help("if that is right, `verbatim ids --update` records it as retired; if the transcript's text came back, the id follows it"),
            );
        }
        retired
    }

    /// The deferred layers of session `id`, parsed now (from the snapshot's
    /// bytes). One that does not parse is an error finding.
    fn read_deferred(&self, id: &SessionId, findings: &mut Vec<Finding>) -> Vec<Layer> {
        let deferred = self.deferred.get(id).into_iter().flatten();
        deferred
            .filter_map(|d| {
                let bytes = self.snapshot.bytes(&d.path).map_or(&[][..], |b| &b[..]);
                annotate::layer_from_bytes(bytes, &d.path)
                    .map_err(|f| findings.push(skipped(f)))
                    .ok()
            })
            .collect()
    }

    /// Lets go of the parsed session layers (those naming a session of
    /// content/ and no people), which are parsed again when their session is
    /// made, as a warm build does with the layers it knows. Held from here
    /// to the end of the session phase, the parsed layers of 20,000
    /// generated sessions took about 0.6 GB; parsing them twice costs about
    /// a second of CPU at 5,000.
    pub fn defer_session_layers(&mut self) {
        let layers = std::mem::take(&mut self.layers);
        let mut session_of: BTreeMap<usize, &SessionId> = BTreeMap::new();
        for (id, indices) in &self.by_session {
            for &i in indices {
                session_of.insert(i, id);
            }
        }
        let mut kept = Vec::new();
        let mut kept_by_session: BTreeMap<SessionId, Vec<usize>> = BTreeMap::new();
        for (i, layer) in layers.into_iter().enumerate() {
            match session_of.get(&i) {
                Some(id) if layer.file.people.is_empty() => self
                    .deferred
                    .entry((*id).clone())
                    .or_default()
                    .push(Deferred { path: layer.path }),
                Some(id) => {
                    kept_by_session
                        .entry((*id).clone())
                        .or_default()
                        .push(kept.len());
                    kept.push(layer);
                }
                None => kept.push(layer),
            }
        }
        for list in self.deferred.values_mut() {
            list.sort_by(|a, b| a.path.cmp(&b.path));
        }
        self.layers = kept;
        self.by_session = kept_by_session;
    }

    /// How session `id` will likely be listed (titled and dated), known
    /// cheaply: the heading and meta lines in the opening of its transcript,
    /// with its layers' `meta:` (those this build has read). The build places
    /// sessions in the edition by it before making them and places again
    /// those it got wrong.
    pub fn likely_listing(&self, id: &SessionId, rel: &Path) -> crate::output::Listing {
        let opening = self.snapshot.transcript_opening(rel, OPENING);
        // Up to the last whole line, so that no line is read cut.
        let whole = opening
            .iter()
            .rposition(|&b| b == b'\n')
            .filter(|_| opening.len() == OPENING)
            .map_or(opening.len(), |end| end + 1);
        let transcript = ingest::parse_with(&opening[..whole], &self.profile);
        let meta = annotate::merge::merge_session_meta(&self.layers_of(id), transcript.meta);
        crate::output::Listing::of_meta(id, &meta)
    }

    /// Reads, parses and merges one session from its transcript bytes, with
    /// what was found on the way.
    pub fn merge(&self, id: &SessionId, rel: &Path, bytes: &[u8]) -> (Session, Vec<Finding>) {
        test_panic_hook(rel);
        let mut local = Vec::new();
        let mut transcript = ingest::parse_with(bytes, &self.profile);
        let retired = self.keep_published_ids(id, &mut transcript, &mut local);
        // The text as ingest decoded it (a legacy or UTF-16 file too), so
        // snippets show what the findings' lines and columns count.
        let text: Arc<str> = Arc::from(ingest::decode(bytes).0.as_ref());
        for p in &transcript.problems {
            local.push(
                Finding::warning(rel, p.line as u64, p.column as u64, p.message.clone())
                    .with_source(&text),
            );
        }
        let unread = local.len();
        let read_now = self.read_deferred(id, &mut local);
        let layer_failed = local.len() > unread;
        let mut layers = self.layers_of(id);
        if !read_now.is_empty() {
            layers.extend(&read_now);
            layers.sort_by(|a, b| a.path.cmp(&b.path));
        }
        for layer in layers.iter().filter(|l| l.file.has_no_entries()) {
            local.push(layer.no_entries_warning());
        }
        let input = annotate::merge::SessionInput {
            id,
            source_path: rel,
            source_text: text,
            transcript,
            layers,
            media: &self.media,
        };
        let mut session = merge_session(input, &self.registry, &mut local);
        anchor_retired(&mut session, retired);
        if self.broken.contains(id.as_str()) || layer_failed {
            // Errors stand; warnings of what the broken layer would settle wait.
            local.retain(|f| f.severity == diagnostics::Severity::Error || f.file != rel);
        }
        (session, local)
    }
}

/// Where the id locks are, under the edition root.
pub const LOCKS: &str = "ids";

/// How much of a transcript's opening [`Prepared::likely_listing`] reads:
/// room for the longest heading and disclaimer of the archive's styles.
const OPENING: usize = 8 * 1024;

/// Keeps each retired id as an anchor on the paragraph it leads to (or on
/// the paragraph an editor joined that one into).
fn anchor_retired(session: &mut Session, retired: Vec<ingest::lock::Retired>) {
    for r in retired {
        let paragraphs = session.turns.iter_mut().flat_map(|t| &mut t.paragraphs);
        let mut target = None;
        for p in paragraphs {
            if p.id == r.at || p.former_ids.contains(&r.at) {
                target = Some(p);
                break;
            }
        }
        if let Some(p) = target {
            p.former_ids.push(crate::edition::ParagraphId::new(r.id));
        }
    }
}

/// Test hook, in debug builds only: `VERBATIM_TEST_PANIC_ON=<file name>`
/// makes making the session of a transcript of that name panic, where a
/// parser bug would. `tests/serve.rs` uses it to check that `serve` survives
/// and reports a panic in a build or a preview; no real input reliably
/// panics (each one found is a bug to fix). Release builds hold no trace of it.
fn test_panic_hook(rel: &Path) {
    #[cfg(debug_assertions)]
    if let Some(name) = std::env::var_os("VERBATIM_TEST_PANIC_ON")
        && rel.file_name() == Some(name.as_os_str())
    {
        panic!("VERBATIM_TEST_PANIC_ON: {}", rel.display());
    }
    #[cfg(not(debug_assertions))]
    let _ = rel;
}

/// Loads and merges the edition at `root`.
pub fn load(root: &Path) -> Loaded {
    load_snapshot(Arc::new(Snapshot::read(root)))
}

/// Loads and merges the edition whose inputs are `snapshot`.
pub fn load_snapshot(snapshot: Arc<Snapshot>) -> Loaded {
    let prepared = prepare_snapshot(snapshot, &BTreeMap::new());
    let merged: Vec<(Session, Vec<Finding>)> = prepared
        .content
        .par_iter()
        .map(|(id, rel)| {
            let mut local = Vec::new();
            let bytes = prepared.snapshot.transcript(rel, &mut local);
            let (session, found) = prepared.merge(id, rel, &bytes);
            local.extend(found);
            (session, local)
        })
        .collect();
    let mut findings = prepared.findings;
    let mut sessions = Vec::with_capacity(merged.len());
    for (s, f) in merged {
        sessions.push(s);
        findings.extend(f);
    }
    sessions.sort_by(|a, b| {
        (a.meta.date.is_none(), &a.meta.date, &a.id).cmp(&(
            b.meta.date.is_none(),
            &b.meta.date,
            &b.id,
        ))
    });
    diagnostics::sort(&mut findings);
    Loaded {
        edition: Edition {
            sessions,
            people: prepared.registry.people.into_values().collect(),
        },
        findings,
        config: prepared.config,
    }
}
