//! The Data page's view: every file of the data exports, with its format,
//! what it holds and its size; a session's files counted by kind.

use serde::Serialize;
use verbatim_output::{DataFile, SESSION_DATA, url_of};

/// The Data page.
#[derive(Debug, Serialize)]
pub struct DataPage {
    /// The edition-wide files: the archive, the manifests, people, schemas.
    pub files: Vec<DataRow>,
    /// Each kind of per-session file: format, how many, their size together.
    pub sessions: Vec<KindRow>,
    /// Every file together (the archive aside).
    pub total: String,
}

/// An edition-wide file.
#[derive(Debug, Serialize)]
pub struct DataRow {
    /// Link from the site's root.
    pub url: String,
    /// Its path under `data/`.
    pub name: String,
    pub format: &'static str,
    /// What it holds, in a phrase (the theme's words).
    pub holds: String,
    pub size: String,
}

/// One kind of per-session file.
#[derive(Debug, Serialize)]
pub struct KindRow {
    /// The format's name, in the theme's words.
    pub format: String,
    /// The files' extension (`json`, `xml`, …).
    pub extension: &'static str,
    pub count: usize,
    pub size: String,
}

/// A size as a reader of `strings`' language reads it: bytes, KB or MB
/// (decimal units, one decimal place, the language's decimal separator and
/// unit names: `data.bytes`, `data.kb`, `data.mb`, `number.decimal`).
pub fn size(bytes: u64, strings: &crate::i18n::Catalogue) -> String {
    let decimal =
        |value: f64| format!("{value:.1}").replace('.', &strings.get("number.decimal", &[]));
    match bytes {
        b if b < 1_000 => strings
            .text("data.bytes", Some(b as f64), &[("n", &b.to_string())])
            .unwrap_or_else(|_| format!("{b} bytes")),
        b if b < 1_000_000 => strings.get("data.kb", &[("n", &decimal(b as f64 / 1e3))]),
        b => strings.get("data.mb", &[("n", &decimal(b as f64 / 1e6))]),
    }
}

/// What an edition-wide file is, by its name: its format, and the key of
/// the theme's words for what it holds (`data.about.*`).
fn described(name: &str) -> (&'static str, &'static str) {
    match name {
        "edition.zip" => ("ZIP", "data.about.edition_zip"),
        n if n.starts_with("archives/") && n.ends_with(".zip") => ("ZIP", "data.about.event_zip"),
        "edition.json" => ("JSON", "data.about.edition_json"),
        "edition.xml" => ("TEI", "data.about.edition_xml"),
        "people.json" => ("Popolo JSON", "data.about.people_json"),
        "people.csv" => ("CSV", "data.about.people_csv"),
        "schema/session.schema.json" => ("JSON Schema", "data.about.session_schema"),
        "schema/edition.schema.json" => ("JSON Schema", "data.about.edition_schema"),
        "schema/verbatim-tei.rnc" => ("RELAX NG (compact)", "data.about.tei_schema"),
        _ => ("", ""),
    }
}

/// A session data format's name as readers read it: the theme's words for
/// it (`data.kind.<name>`, as `text`: "Plain text"), in the edition's
/// language.
pub fn format_name(name: &str, strings: &crate::i18n::Catalogue) -> String {
    strings.get(&format!("data.kind.{name}"), &[])
}

/// The Data page's view of the files the exports wrote, in the words of
/// `strings`.
pub fn data_page(files: &[DataFile], strings: &crate::i18n::Catalogue) -> DataPage {
    let mut rows = Vec::new();
    let mut kinds: Vec<KindRow> = Vec::new();
    let mut sizes = vec![0u64; SESSION_DATA.len()];
    let mut counts = vec![0usize; SESSION_DATA.len()];
    let mut total = 0;
    for file in files {
        let name = file.path.strip_prefix("data/").unwrap_or(&file.path);
        if let Some(session_file) = name.strip_prefix("sessions/") {
            // The longest extension first: `annotations.jsonld` before `jsonld`.
            let kind = SESSION_DATA
                .iter()
                .enumerate()
                .filter(|(_, k)| session_file.ends_with(&format!(".{}", k.1)))
                .max_by_key(|(_, k)| k.1.len());
            if let Some((i, _)) = kind {
                sizes[i] += file.bytes;
                counts[i] += 1;
            }
        } else {
            let (format, holds) = described(name);
            rows.push(DataRow {
                url: url_of(&file.path),
                name: name.to_string(),
                format,
                holds: if holds.is_empty() {
                    String::new()
                } else {
                    strings.get(holds, &[])
                },
                size: size(file.bytes, strings),
            });
        }
        if !name.ends_with(".zip") {
            total += file.bytes;
        }
    }
    for (i, (name, extension, ..)) in SESSION_DATA.iter().enumerate() {
        if counts[i] == 0 {
            // Not published (verbatim.yaml, `data: formats`).
            continue;
        }
        kinds.push(KindRow {
            format: format_name(name, strings),
            extension,
            count: counts[i],
            size: size(sizes[i], strings),
        });
    }
    // The archives first: the downloads most re-users want.
    rows.sort_by_key(|r| (!r.name.ends_with(".zip"), r.name.starts_with("schema/")));
    DataPage {
        files: rows,
        sessions: kinds,
        total: size(total, strings),
    }
}
