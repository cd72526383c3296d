//! The exports as an [`Output`] of the build: a session's files as the
//! session is made (and carried over when it is unchanged), the
//! edition-wide files once.

use crate::{Registry, annotations, json, people, session_file, tei, text};
use serde::{Deserialize, Serialize};
use serde_json::json;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Person, Session, SessionId};
use verbatim_output::{Files, Listing, Output, url_of};

pub use verbatim_output::SESSION_DATA as SESSION_FILES;

/// The published schemas: path under `data/` and text.
const SCHEMAS: [(&str, &str); 3] = [
    (
        "schema/verbatim-tei.rnc",
        include_str!("../schema/verbatim-tei.rnc"),
    ),
    (
        "schema/session.schema.json",
        include_str!("../schema/session.schema.json"),
    ),
    (
        "schema/edition.schema.json",
        include_str!("../schema/edition.schema.json"),
    ),
];

/// What the edition says of itself in `data/edition.json`.
pub struct About<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: Option<&'a str>,
    /// The licence's name and the address of its text.
    pub license: Option<&'a str>,
    pub license_url: Option<&'a str>,
}

/// The data exports of one build.
pub struct Data<'a> {
    registry: Registry<'a>,
    about: About<'a>,
    /// The session files published, as [`SESSION_FILES`] lists them.
    published: Vec<(&'static str, &'static str, &'static str, &'static str)>,
}

impl<'a> Data<'a> {
    /// The exports of an edition whose registry holds `people`, publishing
    /// each session in the formats named in `formats` (names as in
    /// [`SESSION_FILES`]: `tei`, `json`, `text`, `annotations`).
    pub fn new(people: &'a [Person], about: About<'a>, formats: &[&str]) -> Data<'a> {
        Data {
            registry: Registry::new(people),
            about,
            published: SESSION_FILES
                .into_iter()
                .filter(|(name, ..)| formats.contains(name))
                .collect(),
        }
    }

    fn publishes(&self, name: &str) -> bool {
        self.published.iter().any(|(n, ..)| *n == name)
    }
}

/// What `data/edition.json` lists of a session besides its listing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Counts {
    pub turns: usize,
    pub paragraphs: usize,
    pub corrections: usize,
}

impl Output for Data<'_> {
    type Share = Counts;
    /// The key of what the edition-wide data files were made from: when
    /// it is unchanged, they are carried over without being made again
    /// (`data/edition.json` lists every session: 10 MB at 20,000).
    type Memo = u64;

    fn session(&self, session: &Session, files: &dyn Files) -> Result<Counts, Finding> {
        let counts = Counts {
            turns: session.turns.len(),
            paragraphs: session.turns.iter().map(|t| t.paragraphs.len()).sum(),
            corrections: session.corrections(),
        };
        if self.publishes("json") {
            files.write(
                &session_file(&session.id, "json"),
                json::session(session, &self.registry).as_bytes(),
            )?;
        }
        if self.publishes("tei") {
            files.write(
                &session_file(&session.id, "xml"),
                tei::session(session, &self.registry, &self.about).as_bytes(),
            )?;
        }
        if self.publishes("text") {
            files.write(
                &session_file(&session.id, "txt"),
                text::session(session, &self.registry).as_bytes(),
            )?;
        }
        if !self.publishes("annotations") {
            return Ok(counts);
        }
        // Links from the collection: absolute with a base URL, else
        // relative to the collection's file (`data/sessions/`).
        let site = match self.about.base_url {
            Some(base) => format!("{}/", base.trim_end_matches('/')),
            None => "../../".to_string(),
        };
        let page = format!("{site}{}", url_of(&format!("sessions/{}.html", session.id)));
        let person = |id: &str| format!("{site}{}", url_of(&format!("people/{id}.html")));
        let recording = session.recording.as_ref().map(|r| match r.player {
            Some(_) => format!("{site}{}", url_of(&r.url)),
            None => r.url.clone(),
        });
        let links = annotations::Links {
            page: &page,
            person: &person,
            recording: recording.as_deref(),
        };
        files.write(
            &session_file(&session.id, "annotations.jsonld"),
            annotations::session(session, &links).as_bytes(),
        )?;
        Ok(counts)
    }

    fn session_files(&self, id: &SessionId, _: &Counts) -> Vec<String> {
        self.published
            .iter()
            .map(|(_, extension, ..)| session_file(id, extension))
            .collect()
    }

    fn finish(
        &self,
        sessions: &[(&Listing, &Counts)],
        previous: &u64,
        files: &dyn Files,
    ) -> Result<(usize, u64), Vec<Finding>> {
        let key = self.edition_key(sessions);
        if *previous == key && self.edition_files().iter().all(|path| files.carry(path)) {
            return Ok((0, key));
        }
        let people = self.registry.people();
        let write =
            |path: &str, text: &str| files.write(path, text.as_bytes()).map_err(|f| vec![f]);
        write("data/people.json", &people::popolo(people))?;
        write("data/people.csv", &people::csv(people))?;
        for (path, text) in SCHEMAS {
            write(&format!("data/{path}"), text)?;
        }
        let listed: Vec<_> = sessions
            .iter()
            .map(|(l, c)| {
                let mut entry = json!({
                    "id": l.id.as_str(),
                    "title": l.title,
                    "date": l.date,
                    "event": l.event,
                    "year": l.year,
                    "turns": c.turns,
                    "paragraphs": c.paragraphs,
                    "corrections": c.corrections,
                    "page": format!("../{}", url_of(&format!("sessions/{}.html", l.id))),
                });
                for (key, extension, ..) in &self.published {
                    entry[key] = json!(url_of(&format!("sessions/{}.{extension}", l.id)));
                }
                entry
            })
            .collect();
        let edition = json!({
            "format": "verbatim-edition/1",
            "title": self.about.title,
            "description": self.about.description,
            "language": self.about.language,
            "base_url": self.about.base_url,
            "license": { "name": self.about.license, "url": self.about.license_url },
            "sessions": listed,
            "people": {
                "count": people.len(),
                "popolo": "people.json",
                "csv": "people.csv",
            },
            "tei": self.publishes("tei").then_some("edition.xml"),
            "schemas": {
                "session": "schema/session.schema.json",
                "edition": "schema/edition.schema.json",
                "tei": "schema/verbatim-tei.rnc",
            },
        });
        let includes: Vec<String> = sessions
            .iter()
            .map(|(l, _)| url_of(&format!("sessions/{}.xml", l.id)))
            .collect();
        if self.publishes("tei") {
            write(
                "data/edition.xml",
                &tei::corpus(&self.about, &self.registry, &includes),
            )?;
        }
        let mut text = serde_json::to_string_pretty(&edition).unwrap_or_default();
        text.push('\n');
        write("data/edition.json", &text)?;
        Ok((0, key))
    }
}

impl Data<'_> {
    /// A hash of everything the edition-wide data files are made from: the
    /// edition's description, the formats published, the people and every
    /// session's listing and counts.
    fn edition_key(&self, sessions: &[(&Listing, &Counts)]) -> u64 {
        let mut key = verbatim_output::KeyWriter::new(0);
        let about = &self.about;
        for part in [
            Some(about.title),
            Some(about.description),
            Some(about.language),
            about.base_url,
            about.license,
            about.license_url,
        ] {
            key.json(&part);
        }
        key.json(&self.published);
        key.json(self.registry.people());
        for (listing, counts) in sessions {
            key.json(listing);
            key.json(counts);
        }
        key.finish()
    }

    /// The edition-wide data files [`Output::finish`] writes.
    fn edition_files(&self) -> Vec<String> {
        let mut paths: Vec<String> = ["people.json", "people.csv", "edition.json"]
            .iter()
            .chain(SCHEMAS.iter().map(|(path, _)| path))
            .map(|path| format!("data/{path}"))
            .collect();
        if self.publishes("tei") {
            paths.push("data/edition.xml".to_string());
        }
        paths
    }
}
