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

use schema::LayerFile;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use verbatim_diagnostics::{Finding, nearest, yaml_in_editor_words};
use verbatim_edition::{Person, PersonId};

/// Largest annotation file accepted; a bigger one is refused before parsing.
/// A registry of 500,000 people (about 35 MB of YAML) fits.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Most YAML values (nodes) and parser events a file of `bytes` bytes may
/// hold. Written out, a value takes at least a byte, so a real file is
/// never refused; only aliases (`*name`) replaying other values can pass it,
/// which is how a small file is made to expand into gigabytes.
fn yaml_budget(bytes: usize) -> usize {
    bytes + 10_000
}

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
    /// The warning for a layer with no entries (see [`LayerFile::has_no_entries`]).
    pub fn no_entries_warning(&self) -> Finding {
        Finding::warning(&self.path, 1, 1, "this annotation file holds no entries: nothing in it is applied")
            .with_source(&self.source)
            .help("if its entries were removed by mistake, restore them (from version control); otherwise delete the file")
    }

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
        Finding {
            severity: verbatim_diagnostics::Severity::Warning,
            ..self.error_at(at, message)
        }
    }
}

/// Parses one annotation file's bytes (`shown_as` names it in findings).
/// Hostile input (alias bombs, deep nesting, huge files) is refused by size
/// and by serde-saphyr's budget.
pub fn layer_from_bytes(bytes: &[u8], shown_as: &Path) -> Result<Layer, Finding> {
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
    let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..offset];
        let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let col = before.iter().rev().take_while(|b| **b != b'\n').count() as u64 + 1;
        Finding::error(shown_as, line, col, "annotation file is not valid UTF-8")
            .help("re-save the file as UTF-8")
    })?;
    parse_layer(shown_as, text)
}

/// Parses annotation YAML given as text (used by [`layer_from_bytes`] and by tests).
/// A file with nothing but comments, blank lines and document markers is a
/// layer with no entries, as an empty file is.
pub fn parse_layer(path: &Path, text: String) -> Result<Layer, Finding> {
    let source: Arc<str> = Arc::from(text);
    let blank = source.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    });
    if blank {
        return Ok(Layer {
            path: path.to_path_buf(),
            source,
            file: LayerFile::default(),
        });
    }
    let most = yaml_budget(source.len());
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 32,
            max_aliases: 1000,
            max_anchors: 1000,
            max_nodes: most,
            max_events: 2 * most,
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
            let (message, help) = yaml_in_editor_words(&e);
            let mut f = Finding::error(path, line, col, message).with_source(&source);
            if let Some(h) = help {
                f = f.help(h);
            }
            Err(f)
        }
    }
}

/// The people registry: canonical people and the labels that name them.
#[derive(Debug, Default)]
pub struct Registry {
    /// People by id.
    pub people: BTreeMap<PersonId, Person>,
    /// Label as captioned → person id.
    pub aliases: HashMap<String, PersonId>,
    /// Folded names and aliases with a trigram index, for suggestions; made
    /// on first use.
    names: std::sync::OnceLock<NameIndex>,
}

/// Every person's folded name and aliases, and which of them hold each
/// character trigram: suggestions for a label look only at names sharing
/// enough trigrams with it, not at all ten thousand people.
#[derive(Debug, Default)]
struct NameIndex {
    /// (folded name, its length in chars, index of the person in id order).
    names: Vec<(String, usize, usize)>,
    /// Trigram → indices into `names`.
    grams: HashMap<[char; 3], Vec<u32>>,
    /// Person ids in id order.
    ids: Vec<PersonId>,
}

impl NameIndex {
    fn new(people: &BTreeMap<PersonId, Person>) -> NameIndex {
        let mut index = NameIndex::default();
        for (i, p) in people.values().enumerate() {
            index.ids.push(p.id.clone());
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                let folded = quote::fold_name(name);
                let k = index.names.len() as u32;
                let mut grams = trigrams(&folded);
                grams.sort_unstable();
                grams.dedup();
                for g in grams {
                    index.grams.entry(g).or_default().push(k);
                }
                let len = folded.chars().count();
                index.names.push((folded, len, i));
            }
        }
        index
    }
}

fn trigrams(s: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

impl Registry {
    /// Builds the registry from every `people:` list, reporting duplicate ids,
    /// malformed ids and aliases claimed by two people.
    pub fn build(layers: &[Layer], findings: &mut Vec<Finding>) -> Registry {
        let mut reg = Registry::default();
        let mut alias_owner: HashMap<String, (PersonId, u64)> = HashMap::new();
        // Where each person was first defined, to name both places of a duplicate.
        let mut defined_at: HashMap<PersonId, (&Path, u64)> = HashMap::new();
        for layer in layers {
            for p in &layer.file.people {
                let id = p.id.value.clone();
                if !is_valid_id(&id) {
                    findings.push(layer.error_at(&p.id, format!("person id `{id}` must be lower case letters, digits and hyphens"))
                        .help(format!("use `{}`", slug(&id))));
                    continue;
                }
                if id.len() > verbatim_edition::MAX_ID_BYTES {
                    findings.push(layer.error_at(&p.id, format!(
                        "person id is {} bytes long; a person's page is named after it, and names of more than {} bytes cannot be written",
                        id.len(), verbatim_edition::MAX_ID_BYTES
                    )).help("use a shorter id, such as the person's name in lower case with hyphens"));
                    continue;
                }
                let id = PersonId::new(id);
                if let Some((path, line)) = defined_at.get(&id) {
                    findings.push(
                        layer
                            .error_at(
                                &p.id,
                                format!(
                                    "person `{id}` is defined twice: also at {}:{line}",
                                    path.display()
                                ),
                            )
                            .help("merge the two entries into one"),
                    );
                    continue;
                }
                defined_at.insert(id.clone(), (&layer.path, p.id.referenced.line()));
                for alias in &p.aliases {
                    let key = verbatim_text::normalise(&alias.value).into_owned();
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
                        links: p
                            .links
                            .iter()
                            .filter_map(|link| match verbatim_text::link::check(&link.value) {
                                Ok(()) => Some(link.value.clone()),
                                Err(why) => {
                                    findings.push(layer.error_at(link, why).help(
                                        "write the page's full address, starting with https://",
                                    ));
                                    None
                                }
                            })
                            .collect(),
                        bio: p.bio.clone(),
                    },
                );
            }
        }
        reg
    }

    /// An "unknown person" error with the nearest ids as help.
    pub fn unknown_person(&self, layer: &Layer, at: &Spanned<String>) -> Finding {
        let near = nearest(&at.value, self.people.keys().map(PersonId::as_str));
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
        let index = self.names.get_or_init(|| NameIndex::new(&self.people));
        let want = quote::fold_name(label);
        let len = want.chars().count();
        let most = (len / 8).max(2);
        let close = |(have, have_len, _): &(String, usize, usize)| {
            *have == want
                || (have_len.abs_diff(len) <= most && strsim::levenshtein(have, &want) <= most)
        };
        // One edit destroys at most three trigrams: a name within `most`
        // edits shares all but 3 × most of the label's distinct trigrams.
        let mut grams = trigrams(&want);
        grams.sort_unstable();
        grams.dedup();
        let needed = grams.len().saturating_sub(3 * most);
        let mut matched: Vec<usize> = if needed == 0 {
            index
                .names
                .iter()
                .filter(|n| close(n))
                .map(|n| n.2)
                .collect()
        } else {
            let mut shared: HashMap<u32, usize> = HashMap::new();
            for g in &grams {
                for &k in index.grams.get(g).map_or(&[][..], Vec::as_slice) {
                    *shared.entry(k).or_default() += 1;
                }
            }
            shared
                .into_iter()
                .filter(|&(k, n)| n >= needed && close(&index.names[k as usize]))
                .map(|(k, _)| index.names[k as usize].2)
                .collect()
        };
        matched.sort_unstable();
        matched.dedup();
        matched
            .into_iter()
            .take(3)
            .filter_map(|i| self.people.get(&index.ids[i]))
            .collect()
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
    quote::fold_name(s).replace(' ', "-")
}
