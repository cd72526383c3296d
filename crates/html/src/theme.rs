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
);

/// A resolved theme: templates by name and static files by path.
pub struct Theme {
    /// Template name (`session.html`) → source.
    pub templates: BTreeMap<String, String>,
    /// Path under `static/` → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Loads theme `name` for the edition at `root`, then the site's overrides.
    pub fn load(snapshot: &Snapshot, name: &str) -> Result<Theme, Finding> {
        let mut theme = Theme {
            templates: BTreeMap::new(),
            assets: BTreeMap::new(),
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
        for part in ["templates", "static"] {
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
        }
        Ok(())
    }

    /// Compiles the templates with tera.
    pub fn tera(&self) -> Result<tera::Tera, Finding> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
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
