//! Markdown pages: `content/*.md`, written beside the edition's own pages.

use crate::markdown;
use serde::Serialize;
use std::collections::BTreeMap;
use verbatim_diagnostics::Finding;

/// A Markdown page from `content/*.md`.
#[derive(Serialize)]
pub struct MarkdownPage {
    pub slug: String,
    pub title: String,
    pub html: String,
}

/// The pages the build writes at the site's top level: a Markdown page of
/// the same name would be overwritten by one of them, or overwrite it.
const RESERVED_PAGES: [&str; 5] = ["404", "events", "people", "search", "sessions"];

/// Reads `content/*.md` as pages; the first `# heading` is the title. A page
/// that cannot be read, is not UTF-8, or would be written over one of the
/// build's own pages (or another page, on a case-insensitive host) is an
/// error naming it, never a page silently left out.
pub fn markdown_pages(
    snapshot: &verbatim_input::snapshot::Snapshot,
) -> Result<Vec<MarkdownPage>, Vec<Finding>> {
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    let content = std::path::Path::new("content");
    // Pages of content/ itself (an unreadable one is among the snapshot's
    // findings, which stop the build before this).
    let paths = snapshot
        .under(content)
        .filter(|(p, _)| p.parent() == Some(content) && p.extension().is_some_and(|e| e == "md"));
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, _) in paths {
        let rel = path.to_path_buf();
        let bytes = snapshot.bytes(path).map_or(&[][..], |b| &b[..]);
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(e) => {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                errors.push(
                    Finding::error(&rel, line, 1, "the page is not valid UTF-8")
                        .help("re-save the file as UTF-8"),
                );
                continue;
            }
        };
        let slug = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let folded = slug.to_lowercase();
        if RESERVED_PAGES.contains(&folded.as_str()) {
            errors.push(
                Finding::error(&rel, 0, 0, format!("a page named `{slug}` would be written over the edition's own {folded}.html"))
                    .help("rename the file"),
            );
            continue;
        }
        if let Some(other) = seen.insert(folded, slug.clone()) {
            errors.push(
                Finding::error(&rel, 0, 0, format!("the pages `{slug}` and `{other}` differ only by case: one file on Windows, macOS and in zips"))
                    .help("rename one of the files"),
            );
            continue;
        }
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(str::trim)
            .map(str::to_string)
            .unwrap_or_else(|| slug.clone());
        pages.push(MarkdownPage {
            slug,
            title,
            html: markdown::to_html(&text),
        });
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}
