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
            severity: crate::diagnostics::Severity::Warning,
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
            let (message, help) = editor_words(&yaml_message(&e));
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

/// The YAML library's message in an editor's words, with what to do next.
/// Its own phrasing speaks of Rust types and its API (`invalid u64`, `use
/// Option<String>`, `set DuplicateKeyPolicy`), which an editor cannot act on.
pub fn editor_words(message: &str) -> (String, Option<String>) {
    let say = |m: &str, h: &str| (m.to_string(), Some(h.to_string()));
    let word = |m: &str| {
        m.split(['`', ',', ' '])
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_string()
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected = rest.split("expected ").nth(1).unwrap_or("");
        let names: Vec<&str> = expected
            .split(['`', ',', ' '])
            .filter(|s| !s.is_empty() && *s != "or" && *s != "one" && *s != "of")
            .collect();
        let near = nearest(field, names.iter().copied());
        let help = match near.first() {
            Some(n) => format!("did you mean `{n}`? Unknown keys are never ignored."),
            None => format!(
                "remove the key or fix its spelling; the keys here are {}",
                names.join(", ")
            ),
        };
        return (format!("unknown key `{field}`"), Some(help));
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = word(rest);
        return say(
            &format!("the key `{key}` is written twice in the same entry"),
            "keep one of them; to add another entry, start it on a new line with `- `",
        );
    }
    if message.starts_with("multiple YAML documents") {
        return say(
            "the file holds several YAML documents (separated by `---`); an annotation file holds one",
            "remove the `---` line, or move the second part into a file of its own",
        );
    }
    if message.starts_with("cannot deserialize null") {
        return say(
            "this key has no value",
            "write the value after the colon, or remove the key",
        );
    }
    if let Some(kind) = message.strip_prefix("invalid ") {
        return match kind.trim() {
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => say(
                "expected a whole number here, written in digits",
                "write the number in digits, e.g. `occurrence: 2`",
            ),
            "boolean" | "bool" => say("expected `true` or `false` here", "write `true` or `false`"),
            _ => (
                format!("this is not valid YAML: {message}"),
                Some(
                    "check the quotes, colons and indentation on this line and the ones above it"
                        .to_string(),
                ),
            ),
        };
    }
    if message.starts_with("expected string") {
        return say(
            "expected text here, not a list or a set of keys",
            "write the text after the colon, in double quotes if it holds `:`, `#`, `[` or `{`",
        );
    }
    if message.starts_with("expected sequence") {
        return say(
            "expected a list here",
            "write each entry on its own line, starting with `- `, as in annotations/README.md",
        );
    }
    if message.starts_with("expected mapping") || message.starts_with("expected struct") {
        return say(
            "expected keys and values here (`key: value`, one per line)",
            SEE_README,
        );
    }
    if message.contains("unknown anchor") {
        return say(
            "`*name` refers to an anchor `&name` that is not defined before it",
            "define the anchor first, or write the value out instead of `*name`",
        );
    }
    if message.contains("budget") || message.contains("alias") || message.contains("depth") {
        return say(
            "this YAML nests or repeats (through aliases `*name`) far more than an annotation file needs",
            "write the values out plainly instead of aliasing or nesting them",
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        return say(
            &format!("this entry has no `{key}:`"),
            &format!("add `{key}:` with its value; annotations/README.md shows each kind of entry"),
        );
    }
    if message.starts_with("unknown variant") {
        return (message.replace("unknown variant", "unknown value"), None);
    }
    (
        format!("this is not valid YAML: {message}"),
        Some(
            "check the quotes, colons and indentation on this line and the ones above it"
                .to_string(),
        ),
    )
}

/// Where an editor learns the format.
const SEE_README: &str = "annotations/README.md shows each kind of entry with an example";

/// The people registry: canonical people and the labels that name them.
#[derive(Debug, Default)]
pub struct Registry {
    /// People by id.
    pub people: BTreeMap<String, Person>,
    /// Label as captioned → person id.
    pub aliases: HashMap<String, String>,
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
    ids: Vec<String>,
}

impl NameIndex {
    fn new(people: &BTreeMap<String, Person>) -> NameIndex {
        let mut index = NameIndex::default();
        for (i, p) in people.values().enumerate() {
            index.ids.push(p.id.clone());
            for name in std::iter::once(&p.name).chain(&p.aliases) {
                let folded = quote::fold(name);
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
        let mut alias_owner: HashMap<String, (String, u64)> = HashMap::new();
        // Where each person was first defined, to name both places of a duplicate.
        let mut defined_at: HashMap<String, (&Path, u64)> = HashMap::new();
        for layer in layers {
            for p in &layer.file.people {
                let id = p.id.value.clone();
                if !is_valid_id(&id) {
                    findings.push(layer.error_at(&p.id, format!("person id `{id}` must be lower case letters, digits and hyphens"))
                        .help(format!("use `{}`", slug(&id))));
                    continue;
                }
                if id.len() > crate::edition::MAX_ID_BYTES {
                    findings.push(layer.error_at(&p.id, format!(
                        "person id is {} bytes long; a person's page is named after it, and names of more than {} bytes cannot be written",
                        id.len(), crate::edition::MAX_ID_BYTES
                    )).help("use a shorter id, such as the person's name in lower case with hyphens"));
                    continue;
                }
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
                    let key = crate::text::normalise(&alias.value).into_owned();
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
                            .filter_map(|link| match crate::link::check(&link.value) {
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
        let index = self.names.get_or_init(|| NameIndex::new(&self.people));
        let want = quote::fold(label);
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
    quote::fold(s).replace(' ', "-")
}
