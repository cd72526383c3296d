//! The interface's words in the edition's language (`language:` in
//! `verbatim.yaml`): one catalogue per language in the theme,
//! `i18n/<language>.yaml`, every string of the templates, of the views and
//! of the theme's scripts. A key holds a text, or for a counted text its
//! forms by CLDR plural category (`one`, `other`, and `zero`, `two`, `few`,
//! `many` where the language has them); `{name}` is replaced by the
//! argument of that name. A missing key is an error naming it, never an
//! empty string on a page.

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use verbatim_diagnostics::Finding;

/// One entry of a catalogue.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Message {
    Text(String),
    /// Forms by plural category; `other` is required.
    Counted(BTreeMap<String, String>),
}

/// A language's catalogue with its plural rules.
pub struct Catalogue {
    /// The language tag, as configured.
    pub language: String,
    messages: BTreeMap<String, Message>,
    rules: PluralRules,
}

/// The theme's folder of catalogues.
pub const FOLDER: &str = "i18n";

/// The prefix of the keys the theme's scripts read: they are given to the
/// pages that load them (`Catalogue::for_scripts`).
pub const SCRIPT_PREFIX: &str = "script.";

impl Catalogue {
    /// Reads the catalogue `yaml` (the theme's `i18n/<language>.yaml`,
    /// named `path` in errors) for `language`.
    pub fn parse(language: &str, yaml: &[u8], path: &Path) -> Result<Catalogue, Finding> {
        let messages: BTreeMap<String, Message> = serde_saphyr::from_slice(yaml).map_err(|e| {
            Finding::error(path, 0, 0, format!("the catalogue cannot be read: {e}"))
                .help("each key is a text, or its forms by plural category (one, other, …)")
        })?;
        if let Some((key, _)) = messages
            .iter()
            .find(|(_, m)| matches!(m, Message::Counted(forms) if !forms.contains_key("other")))
        {
            return Err(
                Finding::error(path, 0, 0, format!("`{key}` has no `other` form"))
                    .help("every counted text needs `other`, the form for any number"),
            );
        }
        let tag: unic_langid::LanguageIdentifier = language.parse().map_err(|_| {
            Finding::error(
                Path::new(verbatim_input::config::FILE),
                0,
                0,
                format!("`{language}` is not a language tag"),
            )
            .help("write the edition's language as a BCP 47 tag: en, fr, es, pt-BR")
        })?;
        // A language without plural rules of its own counts as English does.
        let rules = PluralRules::create(tag, PluralRuleType::CARDINAL).or_else(|_| {
            PluralRules::create(
                "en".parse::<unic_langid::LanguageIdentifier>()
                    .expect("en is a language tag"),
                PluralRuleType::CARDINAL,
            )
        });
        let rules = rules.map_err(|e| Finding::error(path, 0, 0, e.to_string()))?;
        Ok(Catalogue {
            language: language.to_string(),
            messages,
            rules,
        })
    }

    /// Every key, in order (tests compare catalogues by them).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    /// The text of `key` with `args` in place of `{name}`; for a counted
    /// text, the form for `count`.
    pub fn text(
        &self,
        key: &str,
        count: Option<f64>,
        args: &[(&str, &str)],
    ) -> Result<String, String> {
        let message = self
            .messages
            .get(key)
            .ok_or_else(|| format!("no string `{key}` in the {} catalogue", self.language))?;
        let pattern = match message {
            Message::Text(text) => text,
            Message::Counted(forms) => {
                let n = count.ok_or_else(|| format!("`{key}` is counted: give it `n`"))?;
                let category = self.rules.select(n).unwrap_or(PluralCategory::OTHER);
                let name = match category {
                    PluralCategory::ZERO => "zero",
                    PluralCategory::ONE => "one",
                    PluralCategory::TWO => "two",
                    PluralCategory::FEW => "few",
                    PluralCategory::MANY => "many",
                    PluralCategory::OTHER => "other",
                };
                forms
                    .get(name)
                    .or_else(|| forms.get("other"))
                    .expect("checked on reading")
            }
        };
        Ok(fill(pattern, args))
    }

    /// The same, for a key the build itself names (a view's text): its
    /// absence is the theme's fault, shown on the page as the key.
    pub fn get(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.text(key, None, args)
            .unwrap_or_else(|_| key.to_string())
    }

    /// The catalogue's scripts' part, as JSON: keys under `script.`
    /// without it, texts and counted forms as they are.
    pub fn for_scripts(&self) -> String {
        let part: BTreeMap<&str, &Message> = self
            .messages
            .iter()
            .filter_map(|(k, m)| Some((k.strip_prefix(SCRIPT_PREFIX)?, m)))
            .collect();
        serde_json::to_string(
            &part
                .iter()
                .map(|(k, m)| {
                    (
                        *k,
                        match m {
                            Message::Text(t) => serde_json::Value::String(t.clone()),
                            Message::Counted(forms) => {
                                serde_json::to_value(forms).unwrap_or_default()
                            }
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        )
        .unwrap_or_default()
    }

    /// An ISO date (`2019-11-29`) as the language writes it in full
    /// (`29 November 2019`), with the catalogue's month names and pattern;
    /// anything else as it is.
    pub fn date(&self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let [year, month, day] = parts.as_slice() else {
            return iso.to_string();
        };
        let Ok(m) = month.parse::<u8>() else {
            return iso.to_string();
        };
        if !(1..=12).contains(&m) {
            return iso.to_string();
        }
        let month = self.get(&format!("month.{m}"), &[]);
        let day = day.trim_start_matches('0');
        self.get(
            "date.long",
            &[("day", day), ("month", &month), ("year", year)],
        )
    }
}

/// `pattern` with `{name}` replaced by its argument (unknown names stay).
fn fill(pattern: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::Catalogue;
    use std::path::Path;

    #[test]
    fn counted_texts_take_the_languages_plural_rules() {
        let yaml = b"turns: {one: '{n} turn', other: '{n} turns'}\nhello: 'Hello, {name}'\n";
        let en = Catalogue::parse("en", yaml, Path::new("en.yaml")).unwrap();
        assert_eq!(
            en.text("turns", Some(1.0), &[("n", "1")]).unwrap(),
            "1 turn"
        );
        assert_eq!(
            en.text("turns", Some(0.0), &[("n", "0")]).unwrap(),
            "0 turns"
        );
        assert_eq!(
            en.text("hello", None, &[("name", "Ana")]).unwrap(),
            "Hello, Ana"
        );
        // French counts 0 and 1 alike.
        let fr = Catalogue::parse(
            "fr",
            b"tours: {one: '{n} tour', other: '{n} tours'}\n",
            Path::new("fr.yaml"),
        )
        .unwrap();
        assert_eq!(
            fr.text("tours", Some(0.0), &[("n", "0")]).unwrap(),
            "0 tour"
        );
        assert!(
            en.text("missing", None, &[])
                .unwrap_err()
                .contains("no string `missing`")
        );
        assert!(Catalogue::parse("en", b"x: {one: a}\n", Path::new("en.yaml")).is_err());
    }
}

#[cfg(test)]
mod catalogue_tests {
    use super::{Catalogue, Message};
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn theme() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/default")
    }

    fn catalogue(language: &str) -> Catalogue {
        let path = theme().join(format!("i18n/{language}.yaml"));
        Catalogue::parse(language, &std::fs::read(&path).unwrap(), &path).unwrap()
    }

    /// The `{name}`s of a message, all forms together.
    fn placeholders(m: &Message) -> BTreeSet<String> {
        let texts: Vec<&String> = match m {
            Message::Text(t) => vec![t],
            Message::Counted(forms) => forms.values().collect(),
        };
        let mut out = BTreeSet::new();
        for text in texts {
            let mut rest = text.as_str();
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}') else {
                    break;
                };
                out.insert(rest[open + 1..open + close].to_string());
                rest = &rest[open + close + 1..];
            }
        }
        out
    }

    /// Every key the theme and the views use, with where.
    fn used() -> Vec<(String, String)> {
        let mut keys = Vec::new();
        let key_call = |text: &str,
                        start: &str,
                        prefix: &str,
                        file: &str,
                        keys: &mut Vec<(String, String)>| {
            for (at, _) in text.match_indices(start) {
                let rest = &text[at + start.len()..];
                if let Some(end) = rest.find('"') {
                    keys.push((format!("{prefix}{}", &rest[..end]), file.to_string()));
                }
            }
        };
        for entry in std::fs::read_dir(theme().join("templates")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let file = path.display().to_string();
            key_call(&text, "t(k=\"", "", &file, &mut keys);
        }
        let search = std::fs::read_to_string(theme().join("static/search.js")).unwrap();
        key_call(
            &search,
            "tr(\"",
            super::SCRIPT_PREFIX,
            "search.js",
            &mut keys,
        );
        for source in ["src/pages/session.rs", "src/lib.rs"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
            let text = std::fs::read_to_string(&path).unwrap();
            key_call(&text, ".get(\"", "", source, &mut keys);
        }
        keys
    }

    /// English, French and Spanish hold the same keys with the same
    /// placeholders, and every key the templates, the search script and
    /// the views use is in them: a string missing anywhere fails here.
    #[test]
    fn every_language_has_every_string_the_theme_uses() {
        let en = catalogue("en");
        let english: BTreeSet<&str> = en.keys().collect();
        let used = used();
        assert!(used.len() > 150, "{}", used.len());
        let missing: Vec<&(String, String)> = used
            .iter()
            .filter(|(k, _)| !english.contains(k.as_str()) && !k.starts_with("record.confidence_"))
            .collect();
        assert!(missing.is_empty(), "{missing:#?}");
        for language in ["fr", "es"] {
            let other = catalogue(language);
            let theirs: BTreeSet<&str> = other.keys().collect();
            assert_eq!(
                english.symmetric_difference(&theirs).collect::<Vec<_>>(),
                Vec::<&&str>::new(),
                "{language}"
            );
            for key in &english {
                assert_eq!(
                    placeholders(&en.messages[*key]),
                    placeholders(&other.messages[*key]),
                    "{language}: {key}"
                );
            }
        }
        // The month names and the date pattern make full dates.
        assert_eq!(catalogue("fr").date("2019-11-29"), "29 novembre 2019");
        assert_eq!(catalogue("es").date("2019-11-05"), "5 de noviembre de 2019");
    }
}
