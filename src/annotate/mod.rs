//! Annotate: YAML layers read, checked and merged onto ingested transcripts.
//!
//! Layers apply in a fixed order, documented in `annotations/README.md`:
//! files in path order; within a session, structure fixes first (they change
//! paragraphs), then corrections and notes (anchored on the restructured text),
//! then speakers and attributions, then metadata.

pub mod merge;
pub mod quote;
pub mod schema;

pub use merge::merge_session;
pub use schema::Confidence;

use crate::diagnostics::{Finding, nearest};
use crate::edition::Person;
use schema::LayerFile;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest annotation file accepted; a bigger one is refused before parsing.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// One parsed annotation file with its text, kept for snippets.
#[derive(Debug)]
pub struct Layer {
    /// Path relative to the edition root, as shown in findings.
    pub path: PathBuf,
    /// The file's text.
    pub source: Arc<str>,
    /// What it says.
    pub file: LayerFile,
}

impl Layer {
    /// An error located at a spanned value of this file.
    pub fn error_at<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> Finding {
        Finding::error(
            &self.path,
            at.referenced.line(),
            at.referenced.column(),
            message,
        )
        .with_source(&self.source)
    }

    /// A warning located at a spanned value of this file.
    pub fn warning_at<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> Finding {
        Finding::warning(
            &self.path,
            at.referenced.line(),
            at.referenced.column(),
            message,
        )
        .with_source(&self.source)
    }
}

/// Reads and parses one annotation file. Hostile input (alias bombs, deep
/// nesting, huge files) is refused by size and by serde-saphyr's budget.
pub fn read_layer(path: &Path, shown_as: &Path) -> Result<Layer, Finding> {
    let bytes = std::fs::read(path)
        .map_err(|e| Finding::error(shown_as, 0, 0, format!("cannot read annotation file: {e}")))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Finding::error(
            shown_as,
            1,
            1,
            format!(
                "annotation file is {} MB, over the {} MB limit",
                bytes.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
        )
        .help("split the layer into several files for the same session"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..offset];
        let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let col = before.iter().rev().take_while(|b| **b != b'\n').count() as u64 + 1;
        Finding::error(shown_as, line, col, "annotation file is not valid UTF-8")
            .help("re-save the file as UTF-8")
    })?;
    parse_layer(shown_as, text)
}

/// Parses annotation YAML given as text (used by `read_layer` and by tests).
pub fn parse_layer(path: &Path, text: String) -> Result<Layer, Finding> {
    let source: Arc<str> = Arc::from(text);
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_aliases: 1000,
            max_anchors: 1000,
        },
    };
    match serde_saphyr::from_str_with_options::<LayerFile>(&source, options) {
        Ok(file) => Ok(Layer {
            path: path.to_path_buf(),
            source,
            file,
        }),
        Err(e) => {
            let (line, col) = e
                .location()
                .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
            let message = yaml_message(&e);
            let help = yaml_help(&message);
            let mut f = Finding::error(path, line, col, message).with_source(&source);
            if let Some(h) = help {
                f = f.help(h);
            }
            Err(f)
        }
    }
}

/// serde-saphyr's message without its own snippet and position (we add ours).
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // Drop a trailing " at line X, column Y" that duplicates our location.
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

fn yaml_help(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected = rest.split("expected ").nth(1).unwrap_or("");
        let names: Vec<&str> = expected
            .split(['`', ',', ' '])
            .filter(|s| !s.is_empty() && *s != "or" && *s != "one" && *s != "of")
            .collect();
        let near = nearest(field, names.iter().copied());
        return Some(match near.first() {
            Some(n) => format!("did you mean `{n}`? Unknown keys are never ignored."),
            None => "remove the key or fix its spelling; see annotations/README.md".into(),
        });
    }
    if message.contains("budget")
        || message.contains("limit")
        || message.contains("depth")
        || message.contains("alias")
    {
        return Some("this YAML expands too much; write the values out plainly instead of nesting or aliasing them".into());
    }
    None
}

/// The people registry: canonical people and the labels that name them.
#[derive(Debug, Default)]
pub struct Registry {
    /// People by id.
    pub people: BTreeMap<String, Person>,
    /// Label as captioned → person id.
    pub aliases: HashMap<String, String>,
}

impl Registry {
    /// Builds the registry from every `people:` list, reporting duplicate ids,
    /// malformed ids and aliases claimed by two people.
    pub fn build(layers: &[Layer], findings: &mut Vec<Finding>) -> Registry {
        let mut reg = Registry::default();
        let mut alias_owner: HashMap<String, (String, u64)> = HashMap::new();
        for layer in layers {
            for p in &layer.file.people {
                let id = p.id.value.clone();
                if !is_valid_id(&id) {
                    findings.push(layer.error_at(&p.id, format!("person id `{id}` must be lower case letters, digits and hyphens"))
                        .help(format!("use `{}`", slug(&id))));
                    continue;
                }
                if reg.people.contains_key(&id) {
                    findings.push(
                        layer
                            .error_at(&p.id, format!("person `{id}` is defined twice"))
                            .help("merge the two entries into one"),
                    );
                    continue;
                }
                for alias in &p.aliases {
                    let key = crate::ingest::normalise(&alias.value);
                    match alias_owner.get(&key) {
                        Some((other, line)) if *other != id => findings.push(
                            layer.error_at(alias, format!("alias `{key}` is claimed by `{id}` and by `{other}` (line {line})"))
                                .help("a label names one person everywhere; map it per session under `speakers:` instead"),
                        ),
                        Some(_) => findings.push(layer.warning_at(alias, format!("alias `{key}` is listed twice for `{id}`"))),
                        None => {
                            alias_owner.insert(key.clone(), (id.clone(), alias.referenced.line()));
                            reg.aliases.insert(key, id.clone());
                        }
                    }
                }
                reg.people.insert(
                    id.clone(),
                    Person {
                        id,
                        name: p.name.clone(),
                        aliases: p.aliases.iter().map(|a| a.value.clone()).collect(),
                        affiliation: p.affiliation.clone(),
                        role: p.role.clone(),
                        country: p.country.clone(),
                        stakeholder: p.stakeholder.clone(),
                        links: p.links.clone(),
                        bio: p.bio.clone(),
                    },
                );
            }
        }
        reg
    }

    /// An "unknown person" error with the nearest ids as help.
    pub fn unknown_person(&self, layer: &Layer, at: &Spanned<String>) -> Finding {
        let near = nearest(&at.value, self.people.keys().map(String::as_str));
        let f = layer.error_at(at, format!("unknown person `{}`", at.value));
        if near.is_empty() {
            f.help("add the person to annotations/people.yaml")
        } else {
            f.help(format!(
                "did you mean {}?",
                near.iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }

    /// People whose name or aliases resemble `label`: same letters after folding
    /// case, diacritics and punctuation, or a small edit distance.
    pub fn suggest_for_label(&self, label: &str) -> Vec<&Person> {
        let want = quote::fold(label);
        let mut out: Vec<&Person> = self
            .people
            .values()
            .filter(|p| {
                std::iter::once(p.name.as_str())
                    .chain(p.aliases.iter().map(String::as_str))
                    .any(|n| {
                        let have = quote::fold(n);
                        have == want
                            || strsim::levenshtein(&have, &want)
                                <= (want.chars().count() / 8).max(2)
                    })
            })
            .collect();
        out.truncate(3);
        out
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// A URL-safe id from a name: `Olivier Crépin-Leblond` → `olivier-crepin-leblond`.
pub fn slug(s: &str) -> String {
    quote::fold(s).replace(' ', "-")
}
