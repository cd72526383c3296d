//! The optional edition configuration, `verbatim.yaml` at the edition root:
//! the site's title and address, its theme, and what ingest should know of
//! the archive beyond its source profile (`ingest:`). A folder with only
//! `content/*.txt` builds with these defaults.

use crate::snapshot::Snapshot;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;
use verbatim_diagnostics::Finding;
use verbatim_ingest::Profile;

/// Name of the configuration file at the edition root.
pub use crate::snapshot::CONFIG_FILE as FILE;

/// Site-wide settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Shown in every page's header and title.
    pub title: String,
    /// One or two sentences about the edition, for the home page and metadata.
    pub description: String,
    /// Language of the edition (BCP 47), for `<html lang>`.
    pub language: String,
    /// Theme folder under `themes/`.
    pub theme: String,
    /// Absolute URL the site is published at, used only for canonical links,
    /// citations, sitemap.xml and the Atom feed. Internal links stay relative.
    pub base_url: Option<String>,
    /// Under what terms the edition's data may be reused, as shown to
    /// re-users (`CC BY 4.0`), on the Data page and in the exports.
    pub license: Option<String>,
    /// Where the licence's text is (`https://creativecommons.org/licenses/by/4.0/`).
    pub license_url: Option<String>,
    /// The edition's version (`1.2`), shown on every page and in citations;
    /// `verbatim release` records the edition as it stands under it.
    pub version: Option<String>,
    /// The edition's editors, named in citations and the exports' headers.
    pub editors: Vec<String>,
    /// The source profile and the edition's additions to it.
    #[serde(skip_serializing_if = "is_default")]
    pub ingest: verbatim_ingest::profile::Extension,
    /// What the site publishes as open data under `data/`.
    pub data: DataConfig,
}

/// The `data:` section: which files each session is published as for
/// re-users, and whether one archive holds them all. Every format and the
/// archive by default; a large edition's publisher may drop what its
/// re-users do not need (at 20,000 sessions the exports are most of the
/// site's files and bytes, and the archive repeats them all).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// The formats of each session's data files, by the names
    /// `data/edition.json` gives them: `tei`, `json`, `text`,
    /// `annotations`. An empty list publishes none (the people and the
    /// edition's manifest are still published).
    pub formats: Vec<DataFormat>,
    /// Whether `data/edition.zip` holds every data file.
    pub archive: bool,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            formats: vec![
                DataFormat::Tei,
                DataFormat::Json,
                DataFormat::Text,
                DataFormat::Annotations,
            ],
            archive: true,
        }
    }
}

impl DataConfig {
    /// Whether sessions are published in the format named `name`.
    pub fn publishes(&self, name: &str) -> bool {
        self.formats.iter().any(|f| f.name() == name)
    }
}

/// A format a session's data can be published in.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DataFormat {
    /// TEI XML, with the project's profile.
    Tei,
    /// JSON, with its JSON Schema.
    Json,
    /// Plain text, the corrected reading.
    Text,
    /// The editorial layers as Web Annotations (JSON-LD).
    Annotations,
}

impl DataFormat {
    /// The format's name in the configuration and in `data/edition.json`.
    pub fn name(self) -> &'static str {
        match self {
            DataFormat::Tei => "tei",
            DataFormat::Json => "json",
            DataFormat::Text => "text",
            DataFormat::Annotations => "annotations",
        }
    }
}

fn is_default(extension: &verbatim_ingest::profile::Extension) -> bool {
    *extension == verbatim_ingest::profile::Extension::default()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Transcripts".into(),
            description: "An annotated edition of meeting transcripts.".into(),
            language: "en".into(),
            theme: "default".into(),
            base_url: None,
            license: None,
            license_url: None,
            version: None,
            editors: Vec::new(),
            ingest: Default::default(),
            data: DataConfig::default(),
        }
    }
}

impl Config {
    /// Reads `verbatim.yaml` when present; defaults otherwise.
    pub fn load(snapshot: &Snapshot) -> Result<Config, Finding> {
        // An unreadable file is among the snapshot's findings.
        let Some(bytes) = snapshot.bytes(Path::new(FILE)) else {
            return Ok(Config::default());
        };
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
            Finding::error(
                Path::new(FILE),
                1,
                1,
                "the configuration is not valid UTF-8",
            )
            .help("re-save verbatim.yaml as UTF-8")
        })?;
        let mut config: Config = serde_saphyr::from_str(&text).map_err(|e| {
            let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let raw = e.without_snippet().to_string();
            let raw = raw.lines().next().unwrap_or("invalid configuration");
            let raw = raw.strip_prefix("error: ").unwrap_or(raw);
            let raw = raw.find(" at line ").map_or(raw, |i| &raw[..i]);
            let (message, _) = verbatim_diagnostics::editor_words(raw);
            Finding::error(Path::new(FILE), line.max(1), col.max(1), message)
                .with_source(&std::sync::Arc::from(text.as_str()))
                .help("the keys are title, description, language, theme, base_url, license, license_url, version, editors, ingest and data (formats: tei, json, text, annotations; archive: true or false)")
        })?;
        if let Some(url) = &mut config.base_url {
            if let Err(why) = verbatim_text::link::check_base(url) {
                // The line that sets it, for the editor's cursor.
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with("base_url"))
                    .map_or(1, |i| i as u64 + 1);
                return Err(Finding::error(Path::new(FILE), line, 1, why)
                    .with_source(&std::sync::Arc::from(text.as_str()))
                    .help("base_url is the site's published address, e.g. https://example.org/igf/; leave it out to publish with relative links only"));
            }
            if !url.ends_with('/') {
                url.push('/');
            }
        }
        Ok(config)
    }

    /// The source profile this edition's transcripts are read with: the
    /// built-in one, with what `ingest:` adds. A bad pattern is an error
    /// at the `ingest:` key.
    pub fn profile(&self, snapshot: &Snapshot) -> Result<Arc<Profile>, Finding> {
        if self.ingest == verbatim_ingest::profile::Extension::default() {
            return Ok(Profile::default_profile());
        }
        Profile::extended(&self.ingest)
            .map(Arc::new)
            .map_err(|why| {
                let text = snapshot
                    .bytes(Path::new(FILE))
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default();
                let line = text
                    .lines()
                    .position(|l| l.trim_start().starts_with("ingest"))
                    .map_or(1, |i| i as u64 + 1);
                Finding::error(Path::new(FILE), line, 1, why)
                    .with_source(&Arc::from(text.as_str()))
                    .help("see \"Source profiles\" in annotations/README.md")
            })
    }
}
