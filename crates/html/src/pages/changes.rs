//! Versions and what each changed. `verbatim release` records the edition
//! as it stands under its version (`versions/<version>.json`: every
//! session's corrections and identified turns); the Changes page and feed
//! compare each release with the one before, and the edition as built with
//! the last release. A record in the edition, not the git history: it is
//! there in a tarball or a clean clone, it names exactly what readers saw
//! under a version, and it changes only when the editors say so.

use super::listing::Digest;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use verbatim_diagnostics::Finding;

/// The folder of releases, at the edition's root.
pub const FOLDER: &str = "versions";

/// What the edition held under one version.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Release {
    pub version: String,
    /// The day it was released (`YYYY-MM-DD`).
    pub date: String,
    pub sessions: BTreeMap<String, SessionState>,
}

/// What a session held: its title, corrections and identified turns.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
pub struct SessionState {
    pub title: String,
    /// `[anchor, captioned, corrected]` of each correction.
    pub corrections: BTreeSet<(String, String, String)>,
    /// `[turn anchor, person id]` of each turn spoken by someone registered.
    pub identified: BTreeSet<(String, String)>,
}

/// The edition's state, from the sessions' digests (what `verbatim
/// release` records and the build compares).
pub fn state(digests: &[&Digest]) -> BTreeMap<String, SessionState> {
    digests
        .iter()
        .map(|d| {
            let anchor = |url: &str| url.split_once('#').map_or(url, |(_, a)| a).to_string();
            let corrections = d
                .edits
                .iter()
                .filter_map(|e| Some((anchor(&e.url), e.captioned.clone()?, e.corrected.clone()?)))
                .collect();
            let identified = d
                .person_turns
                .iter()
                .map(|(person, turn)| (anchor(&turn.turn_url), person.as_str().to_string()))
                .collect();
            (
                d.summary.id.as_str().to_string(),
                SessionState {
                    title: d.summary.title.clone(),
                    corrections,
                    identified,
                },
            )
        })
        .collect()
}

/// The releases recorded under `versions/`, oldest first (by date, then
/// version); a file that is not a release is an error naming it.
pub fn releases(
    snapshot: &verbatim_input::snapshot::Snapshot,
) -> Result<Vec<Release>, Vec<Finding>> {
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for (path, _) in snapshot.under(Path::new(FOLDER)) {
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let bytes = snapshot.bytes(path).map(|b| b.to_vec()).unwrap_or_default();
        match serde_json::from_slice::<Release>(&bytes) {
            Ok(release) => out.push(release),
            Err(e) => findings.push(
                Finding::error(path, e.line() as u64, e.column() as u64, format!("not a release record: {e}"))
                    .help("`verbatim release` writes these files; restore this one from the edition's history or remove it"),
            ),
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    out.sort_by(|a, b| (&a.date, &a.version).cmp(&(&b.date, &b.version)));
    Ok(out)
}

/// A change of one session between two states.
#[derive(Serialize, Debug)]
pub struct SessionChange {
    pub id: String,
    pub title: String,
    pub url: String,
    /// The session is new in this version.
    pub added: bool,
    pub corrected: Vec<(String, String, String)>,
    /// Corrections taken back (or replaced by another reading).
    pub withdrawn: usize,
    /// How many turns were identified (a count: a first release identifies
    /// every turn of the edition, and the page needs no list of them).
    pub identified: usize,
}

/// What one version changed.
#[derive(Serialize, Debug)]
pub struct VersionChange {
    pub version: Option<String>,
    /// The release's day; none for changes not yet released.
    pub date: Option<String>,
    pub released: bool,
    /// The sessions changed, each with what changed; the new ones only when
    /// there are at most [`NEW_SESSIONS_LISTED`] (else see `added`).
    pub sessions: Vec<SessionChange>,
    pub removed: Vec<String>,
    pub corrections: usize,
    pub identifications: usize,
    /// How many sessions changed, the new ones included.
    pub changed: usize,
    /// How many sessions are new in this version.
    pub added: usize,
    /// Whether the new sessions are in `sessions`: a first release of
    /// 20,000 sessions listed every one (2.8 MB), which the Events page
    /// already does.
    pub added_listed: bool,
}

/// A version's new sessions are listed one by one up to this many.
pub const NEW_SESSIONS_LISTED: usize = 100;

/// The changes from `before` to `after`.
fn compare(
    before: &BTreeMap<String, SessionState>,
    after: &BTreeMap<String, SessionState>,
) -> (Vec<SessionChange>, Vec<String>) {
    let empty = SessionState::default();
    let mut sessions = Vec::new();
    for (id, now) in after {
        let then = before.get(id);
        let was = then.unwrap_or(&empty);
        let corrected: Vec<_> = now
            .corrections
            .difference(&was.corrections)
            .cloned()
            .collect();
        let withdrawn = was.corrections.difference(&now.corrections).count();
        let identified = now.identified.difference(&was.identified).count();
        if then.is_none() || !corrected.is_empty() || withdrawn > 0 || identified > 0 {
            sessions.push(SessionChange {
                id: id.clone(),
                title: now.title.clone(),
                url: super::session_url(&verbatim_edition::SessionId::new(id.as_str())),
                added: then.is_none(),
                corrected,
                withdrawn,
                identified,
            });
        }
    }
    let removed = before
        .iter()
        .filter(|(id, _)| !after.contains_key(*id))
        .map(|(_, s)| s.title.clone())
        .collect();
    (sessions, removed)
}

/// Every version's changes, newest first: what the edition as built holds
/// beyond the last release (under `current`, the configured version, when
/// it is not released yet), then each release against the one before.
pub fn history(
    releases: &[Release],
    now: &BTreeMap<String, SessionState>,
    current: Option<&str>,
) -> Vec<VersionChange> {
    let none = BTreeMap::new();
    let mut out = Vec::new();
    let change = |version: Option<String>,
                  date: Option<String>,
                  released: bool,
                  (mut sessions, removed): (Vec<SessionChange>, Vec<String>)| {
        let corrections = sessions.iter().map(|s| s.corrected.len()).sum();
        let identifications = sessions.iter().map(|s| s.identified).sum();
        let changed = sessions.len();
        let added = sessions.iter().filter(|s| s.added).count();
        let added_listed = added <= NEW_SESSIONS_LISTED;
        if !added_listed {
            sessions.retain(|s| !s.added);
        }
        VersionChange {
            corrections,
            identifications,
            changed,
            added,
            added_listed,
            version,
            date,
            released,
            sessions,
            removed,
        }
    };
    let last = releases.last().map_or(&none, |r| &r.sessions);
    let pending = compare(last, now);
    if !pending.0.is_empty() || !pending.1.is_empty() {
        let version = current
            .filter(|v| releases.iter().all(|r| r.version != *v))
            .map(str::to_string);
        out.push(change(version, None, false, pending));
    }
    for (i, release) in releases.iter().enumerate().rev() {
        let before = if i == 0 {
            &none
        } else {
            &releases[i - 1].sessions
        };
        out.push(change(
            Some(release.version.clone()),
            Some(release.date.clone()),
            true,
            compare(before, &release.sessions),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(corrections: &[(&str, &str, &str)], identified: &[(&str, &str)]) -> SessionState {
        SessionState {
            title: "A session".into(),
            corrections: corrections
                .iter()
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
                .collect(),
            identified: identified
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        }
    }

    #[test]
    fn each_version_is_compared_with_the_one_before() {
        let first = Release {
            version: "1.0".into(),
            date: "2026-01-10".into(),
            sessions: BTreeMap::from([("a".into(), state(&[("p1c1", "teh", "the")], &[]))]),
        };
        let now = BTreeMap::from([
            (
                "a".to_string(),
                state(
                    &[("p1c1", "teh", "the"), ("p2c1", "Abry", "Avri")],
                    &[("t1", "avri-doria")],
                ),
            ),
            ("b".to_string(), state(&[], &[])),
        ]);
        let history = history(&[first], &now, Some("1.1"));
        assert_eq!(history.len(), 2);
        let pending = &history[0];
        assert_eq!(pending.version.as_deref(), Some("1.1"));
        assert!(!pending.released);
        assert_eq!((pending.corrections, pending.identifications), (1, 1));
        assert!(pending.sessions.iter().any(|s| s.id == "b" && s.added));
        let first = &history[1];
        assert_eq!(
            (first.version.as_deref(), first.corrections),
            (Some("1.0"), 1)
        );
        assert!(first.sessions[0].added);
        assert_eq!(
            (first.changed, first.added, first.added_listed),
            (1, 1, true)
        );
    }

    /// A version that adds more sessions than are listed counts them and
    /// lists only the sessions it changed.
    #[test]
    fn many_new_sessions_are_counted_not_listed() {
        let first = Release {
            version: "1.0".into(),
            date: "2026-01-10".into(),
            sessions: BTreeMap::from([("a".into(), state(&[], &[]))]),
        };
        let mut now = BTreeMap::from([("a".to_string(), state(&[("p1c1", "teh", "the")], &[]))]);
        for i in 0..=NEW_SESSIONS_LISTED {
            now.insert(format!("new-{i:03}"), state(&[("p1c1", "x", "y")], &[]));
        }
        let pending = &history(&[first], &now, None)[0];
        assert_eq!(pending.changed, NEW_SESSIONS_LISTED + 2);
        assert_eq!(pending.added, NEW_SESSIONS_LISTED + 1);
        assert!(!pending.added_listed);
        assert_eq!(pending.corrections, NEW_SESSIONS_LISTED + 2);
        let listed: Vec<&str> = pending.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(listed, ["a"]);
    }
}
