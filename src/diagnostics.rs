//! Findings about an edition's inputs, and how they are shown to editors.
//!
//! Every finding names a file, line and column, says what is wrong, and (where
//! it can) how to fix it. The same findings print as compiler-style plain lines
//! (`path:line:col: error: …`), as source snippets (miette), or as JSON.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How serious a finding is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in content or annotations.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the edition root where possible.
    pub file: PathBuf,
    /// 1-based line (0 when the finding is about the whole file).
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when we can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The file's text, for snippets (not serialised).
    #[serde(skip)]
    pub source: Option<Arc<str>>,
}

impl Finding {
    /// An error at `file:line:column`.
    pub fn error(file: &Path, line: u64, column: u64, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
            source: None,
        }
    }

    /// A warning at `file:line:column`.
    pub fn warning(file: &Path, line: u64, column: u64, message: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(file, line, column, message)
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the file's text so the finding can be shown with a snippet.
    pub fn with_source(mut self, source: &Arc<str>) -> Self {
        self.source = Some(source.clone());
        self
    }

    /// `path:line:col: error: message` plus an indented `help:` line.
    pub fn plain(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut s = format!(
            "{}:{}:{}: {kind}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        );
        if let Some(help) = &self.help {
            let _ = write!(s, "\n    help: {help}");
        }
        s
    }

    /// The finding as a miette report with the source snippet, when the source is known.
    pub fn snippet(&self) -> String {
        let Some(source) = &self.source else {
            return self.plain();
        };
        let offset = byte_offset(source, self.line, self.column);
        let report = SnippetReport {
            finding: self,
            source: miette::NamedSource::new(self.file.display().to_string(), source.clone()),
            span: (offset, 0).into(),
        };
        let mut out = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        if handler.render_report(&mut out, &report).is_err() {
            return self.plain();
        }
        let first = self.plain();
        let first = first.lines().next().unwrap_or_default();
        format!("{first}\n{out}")
    }
}

/// Byte offset of a 1-based line and character column in `text` (clamped).
fn byte_offset(text: &str, line: u64, column: u64) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let col = line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line_text.len(), |(i, _)| i);
    start + col
}

#[derive(Debug)]
struct SnippetReport<'a> {
    finding: &'a Finding,
    source: miette::NamedSource<Arc<str>>,
    span: miette::SourceSpan,
}

impl std::fmt::Display for SnippetReport<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for SnippetReport<'_> {}

impl miette::Diagnostic for SnippetReport<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".into()), self.span),
        )))
    }
}

/// Sorts findings by file, position, severity and message, so reports are stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// How many of `findings` are errors.
pub fn count_errors(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

/// Up to three candidates closest to `wanted`, for "did you mean" help.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_snippet_forms() {
        let src: Arc<str> = Arc::from("a: 1\nreplce: x\n");
        let f = Finding::error(
            Path::new("annotations/x.yaml"),
            2,
            1,
            "unknown field `replce`",
        )
        .help("did you mean `replace`?")
        .with_source(&src);
        assert_eq!(
            f.plain(),
            "annotations/x.yaml:2:1: error: unknown field `replce`\n    help: did you mean `replace`?"
        );
        let snippet = f.snippet();
        assert!(snippet.contains("replce: x"), "{snippet}");
        assert!(snippet.contains("did you mean"), "{snippet}");
    }

    #[test]
    fn offsets_count_characters() {
        assert_eq!(byte_offset("é: x\nab", 1, 2), 2);
        assert_eq!(byte_offset("é: x\nab", 2, 2), 7);
        assert_eq!(byte_offset("x", 9, 9), 1);
    }

    #[test]
    fn nearest_ids() {
        assert_eq!(
            nearest("avri-dora", ["avri-doria", "vint-cerf"]),
            ["avri-doria"]
        );
    }
}
