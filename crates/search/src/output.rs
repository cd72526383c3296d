//! The search index as an [`Output`]: each session's share (its document
//! shards written at once, its postings kept packed), then the index
//! assembled from every share, term group by term group.

use super::index::{self, Memo, PeopleTable, SessionIndex, SessionRow};
use rayon::prelude::*;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Person, Session, SessionId};
use verbatim_output::{Files, Listing, Output, Step, StepTimes};

/// The search index of one build: the registry's people as the index names
/// them (ids for fields, names for their words).
pub struct Index<'a> {
    table: PeopleTable<'a>,
    people: Vec<super::index::Registered<'a>>,
    steps: &'a StepTimes,
    /// Whether assembly found parked postings that do not match their
    /// digest (a damaged build cache).
    damaged: std::sync::atomic::AtomicBool,
}

impl<'a> Index<'a> {
    /// The index of an edition whose registry holds `people`; `steps`
    /// receives the time spent indexing.
    pub fn new(people: &'a [Person], steps: &'a StepTimes) -> Index<'a> {
        Index {
            table: PeopleTable::new(people),
            people: people
                .iter()
                .map(|p| (&p.id, p.name.as_str(), p.stakeholder.as_deref()))
                .collect(),
            steps,
            damaged: Default::default(),
        }
    }

    /// Whether the last [`Output::finish`] failed because postings kept
    /// from an earlier build were damaged: a build from scratch, which
    /// keeps them anew, would succeed.
    pub fn found_damaged_postings(&self) -> bool {
        self.damaged.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Output for Index<'_> {
    type Share = SessionIndex;
    /// Each bin's key and what each term group made.
    type Memo = Memo;

    fn session(&self, session: &Session, files: &dyn Files) -> Result<SessionIndex, Finding> {
        let (share, doc_files) = self
            .steps
            .time(Step::Index, || SessionIndex::build(session, &self.table));
        doc_files
            .iter()
            .try_for_each(|(path, bytes)| files.write(path, bytes))?;
        Ok(share)
    }

    /// The postings wait for assembly in the parking space, not in memory:
    /// they are most of a share (37 KB a session of the generated corpus,
    /// 0.75 GB at 20,000 sessions).
    fn park(&self, share: &mut SessionIndex, files: &dyn Files) -> Result<(), Finding> {
        share.park(files)
    }

    fn session_files(&self, _: &SessionId, share: &SessionIndex) -> Vec<String> {
        share
            .doc_shards
            .iter()
            .map(|n| format!("search/{n}.js"))
            .collect()
    }

    fn finish(
        &self,
        sessions: &[(&Listing, &SessionIndex)],
        previous: &Self::Memo,
        files: &dyn Files,
    ) -> Result<(usize, Self::Memo), Vec<Finding>> {
        let rows: Vec<(&SessionIndex, SessionRow)> = sessions
            .iter()
            .map(|(listing, share)| {
                let row = SessionRow {
                    id: &listing.id,
                    title: &listing.title,
                    event: listing.event.as_deref(),
                    year: listing.year,
                    date: listing.date.as_deref(),
                };
                (*share, row)
            })
            .collect();
        // A file that cannot be written or a bin that cannot be read stops
        // the assembly with the first finding; the assembly speaks
        // io::Error, so the finding waits here.
        let failed: std::sync::Mutex<Option<Finding>> = Default::default();
        let kept = |f: Finding| {
            let message = f.message.clone();
            if let Ok(mut first) = failed.lock() {
                first.get_or_insert(f);
            }
            std::io::Error::other(message)
        };
        let sink = |(path, bytes): &index::IndexFile| files.write(path, bytes).map_err(kept);
        let published = |path: &str| files.carry(path);
        let unpark = |places: &[verbatim_output::Parked]| files.unpark(places).map_err(kept);
        let assembled = super::assemble(&rows, &self.people, previous, &unpark, &sink, &published)
            .and_then(|a| {
                if a.carried.par_iter().all(|path| files.carry(path)) {
                    Ok(a)
                } else {
                    // The output lost files the memo counted on: make them all.
                    super::assemble(
                        &rows,
                        &self.people,
                        &Memo::default(),
                        &unpark,
                        &sink,
                        &published,
                    )
                }
            });
        match assembled {
            Ok(a) => Ok((0, a.memo)),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                self.damaged
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                Err(vec![
                    Finding::error(
                        std::path::Path::new(".verbatim/cache"),
                        0,
                        0,
                        format!("the build cache is damaged: {e}"),
                    )
                    .help("build again with `--fresh`, which ignores the cache"),
                ])
            }
            Err(e) => Err(vec![failed.into_inner().ok().flatten().unwrap_or_else(
                || {
                    Finding::error(
                        std::path::Path::new("search"),
                        0,
                        0,
                        format!("cannot write the search index: {e}"),
                    )
                },
            )]),
        }
    }
}
