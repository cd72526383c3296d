//! Themes: tera templates and static assets, with per-site overrides.
//!
//! A theme lives in `themes/<name>/templates/` and `themes/<name>/static/`.
//! The default theme is also compiled into the binary, so a folder holding only
//! `content/*.txt` builds. A site overrides any single template or asset by
//! putting a file of the same name in its own `templates/` or `static/`.

use std::collections::BTreeMap;
use std::path::Path;
use verbatim_diagnostics::Finding;
use verbatim_input::snapshot::Snapshot;

/// Embeds files of `themes/default/` as `(path inside the theme, bytes)`.
macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../../themes/default/", $path)))),*]
    };
}

/// The default theme, compiled in (a unit test keeps this list equal to the folder).
const DEFAULT_THEME: &[(&str, &[u8])] = theme_files!(
    "templates/404.html",
    "templates/atom.xml",
    "templates/base.html",
    "templates/changes.html",
    "templates/changes.xml",
    "templates/corrections.html",
    "templates/data.html",
    "templates/events.html",
    "templates/index.html",
    "templates/page.html",
    "templates/people.html",
    "templates/person-turns.html",
    "templates/person.html",
    "templates/record.html",
    "templates/search.html",
    "templates/session.html",
    "templates/sessions-list.html",
    "templates/sitemap.xml",
    "static/favicon.svg",
    "static/porter2.js",
    "static/search.js",
    "static/style.css",
    "static/verbatim.js",
    "i18n/en.yaml",
    "i18n/es.yaml",
    "i18n/fr.yaml",
);

/// A resolved theme: templates by name, static files by path, catalogues
/// by language.
pub struct Theme {
    /// Template name (`session.html`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path under `static/` → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Language tag → the catalogue's bytes (`i18n/<language>.yaml`).
    pub catalogues: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads theme `name` for the edition at `root`, then the site's overrides.
    pub fn load(snapshot: &Snapshot, name: &str) -> Result<Theme, Finding> {
        let mut theme = Theme {
            templates: BTreeMap::new(),
            assets: BTreeMap::new(),
            catalogues: BTreeMap::new(),
        };
        let dir = Path::new("themes").join(name);
        if snapshot.under(&dir).next().is_some() {
            theme.overlay(snapshot, &dir)?;
        } else if name == "default" {
            for (path, bytes) in DEFAULT_THEME {
                theme.add(path, bytes.to_vec(), Path::new(path))?;
            }
        } else {
            return Err(Finding::error(
                Path::new(verbatim_input::config::FILE),
                0,
                0,
                format!("theme `{name}` not found in themes/"),
            )
            .help("set `theme: default` or add the theme's folder under themes/"));
        }
        theme.overlay(snapshot, Path::new(""))?;
        Ok(theme)
    }

    /// Adds the templates and assets under `dir`'s `templates/` and
    /// `static/` (the root's own, for a site's overrides), replacing those
    /// of the same name.
    fn overlay(&mut self, snapshot: &Snapshot, dir: &Path) -> Result<(), Finding> {
        for part in ["templates", "static", crate::i18n::FOLDER] {
            let base = dir.join(part);
            for (path, _) in snapshot.under(&base) {
                let rel = path.strip_prefix(&base).unwrap_or(path);
                let rel = rel.to_string_lossy().replace('\\', "/");
                let bytes = snapshot.bytes(path).map_or(Vec::new(), |b| b.to_vec());
                self.add(&format!("{part}/{rel}"), bytes, path)?;
            }
        }
        Ok(())
    }

    fn add(&mut self, path: &str, bytes: Vec<u8>, shown: &Path) -> Result<(), Finding> {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8(bytes)
                .map_err(|_| Finding::error(shown, 0, 0, "template is not valid UTF-8"))?;
            self.templates.insert(name.to_string(), text);
        } else if let Some(name) = path.strip_prefix("static/") {
            self.assets.insert(name.to_string(), bytes);
        } else if let Some(language) = path
            .strip_prefix("i18n/")
            .and_then(|name| name.strip_suffix(".yaml"))
        {
            self.catalogues.insert(language.to_string(), bytes);
        }
        Ok(())
    }

    /// The catalogue of `language` (see [`crate::i18n`]).
    pub fn catalogue(&self, language: &str) -> Result<crate::i18n::Catalogue, Finding> {
        let path = format!("{}/{language}.yaml", crate::i18n::FOLDER);
        let Some(bytes) = self.catalogues.get(language) else {
            let have: Vec<&str> = self.catalogues.keys().map(String::as_str).collect();
            return Err(Finding::error(
                Path::new(verbatim_input::config::FILE),
                0,
                0,
                format!("the theme has no interface strings for language `{language}`"),
            )
            .help(format!(
                "set `language:` to one it has ({}), or add {path} to the theme, translated from i18n/en.yaml",
                have.join(", ")
            )));
        };
        crate::i18n::Catalogue::parse(language, bytes, Path::new(&path))
    }

    /// Compiles the templates with tera, with `t` (a string of the
    /// catalogue: `t(k="key", n=3, name="…")`) and the `long_date` filter.
    pub fn tera(
        &self,
        catalogue: std::sync::Arc<crate::i18n::Catalogue>,
    ) -> Result<tera::Tera, Finding> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let strings = catalogue.clone();
        tera.register_function("t", move |kwargs: tera::Kwargs, _: &tera::State| {
            let key: String = kwargs.must_get::<&str>("k")?.to_string();
            let count: Option<f64> = match kwargs.get::<tera::Value>("n")? {
                Some(n) => n.as_number().map(|n| n.as_float()),
                None => None,
            };
            let args: Vec<(String, String)> = kwargs
                .iter()
                .filter(|(k, _)| k.as_str() != Some("k"))
                .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.to_string()))
                .collect();
            let args: Vec<(&str, &str)> =
                args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            strings
                .text(&key, count, &args)
                .map_err(tera::Error::message)
        });
        tera.register_filter(
            "long_date",
            move |date: &str, _: tera::Kwargs, _: &tera::State| catalogue.date(date),
        );
        // `text` and `attr`: kept for themes written for earlier versions,
        // whose compact parts had to be written as minify-html writes HTML.
        // Text is escaped as Tera escapes it; an attribute value is quoted.
        tera.register_filter("text", |text: &str, _: tera::Kwargs, _: &tera::State| {
            tera::Value::safe_string(&super::markdown::escape(text))
        });
        tera.register_filter("attr", |value: &str, _: tera::Kwargs, _: &tera::State| {
            tera::Value::safe_string(&format!("\"{}\"", super::markdown::escape(value)))
        });
        tera.add_raw_templates(self.templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| {
                Finding::error(Path::new("templates"), 0, 0, format!("template error: {e}"))
                    .help("fix the template named in the message")
            })?;
        Ok(tera)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_compiled_in_theme_is_the_whole_default_theme_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = super::DEFAULT_THEME
            .iter()
            .map(|(p, _)| p.to_string())
            .collect();
        embedded.sort();
        assert_eq!(embedded, on_disk);
    }
}
