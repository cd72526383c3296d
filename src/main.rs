//! The `verbatim` command line.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod outline;

use verbatim::diagnostics::{self, Finding};

/// mimalloc: the build allocates and frees millions of small strings from
/// several threads, where glibc's malloc spent a quarter of the time (perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints findings in the chosen form on stdout.
/// Write errors (a closed pipe, as in `verbatim check | head`) end the output quietly.
fn report(findings: &[Finding], format: Report) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = match format {
        Report::Json => match serde_json::to_string_pretty(findings) {
            Ok(json) => writeln!(out, "{json}"),
            Err(e) => writeln!(std::io::stderr(), "error: cannot encode JSON: {e}"),
        },
        Report::Plain => findings
            .iter()
            .try_for_each(|f| writeln!(out, "{}", f.plain())),
        Report::Human => {
            // Colour only for a person at a terminal who has not opted out
            // (https://no-color.org); a pipe or a file gets plain text.
            let colour = std::io::IsTerminal::is_terminal(&out)
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            findings.iter().try_for_each(|f| {
                let shown = if colour {
                    f.snippet_in_colour()
                } else {
                    f.snippet()
                };
                writeln!(out, "{shown}")
            })
        }
    };
}

/// verbatim publishes raw meeting transcripts as a corrected, searchable static edition.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one raw transcript and print the structured session.
    ///
    /// Shows how verbatim reads a transcript before any annotation: metadata from
    /// the heading, turns with their labels as written, paragraphs with stable ids,
    /// stage notes, and everything set aside as not part of the record.
    ///
    /// Example:
    ///   verbatim parse content/igf-2018-paris-ws40-internet-mega-trends.txt --format json
    #[command(verbatim_doc_comment)]
    Parse {
        /// The transcript file to read.
        file: PathBuf,
        /// The edition whose source profile (verbatim.yaml's `ingest:`) to read it with.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: a readable outline, or JSON for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build the edition into a static site.
    ///
    /// Reads content/ and annotations/, refuses to publish if `check` finds errors,
    /// renders every page through the theme and writes the site into a staging
    /// folder that replaces the output folder only when everything succeeded.
    /// Builds are incremental: `.verbatim/cache/` in the edition root remembers what
    /// each session made, so only what changed is made again.
    ///
    /// Examples:
    ///   verbatim build
    ///   verbatim build --root path/to/edition --out /tmp/site --no-minify
    ///   verbatim build --fresh
    #[command(verbatim_doc_comment)]
    Build {
        /// The edition's root folder (holding content/, annotations/, verbatim.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: public/ under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Keep the HTML readable instead of minifying it (for debugging templates;
        /// a session's transcript and a person's turns, record.html and
        /// person-turns.html, are written compact by the theme).
        #[arg(long)]
        no_minify: bool,
        /// Ignore the build cache and make everything (the cache is written again).
        #[arg(long)]
        fresh: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Also print the time of each stage and every warning's help.
        #[arg(long, short, conflicts_with = "quiet")]
        verbose: bool,
    },
    /// Export the edition's data without the site.
    ///
    /// Writes what a build puts in the site's data/ folder: each session as JSON,
    /// TEI and plain text, its corrections, notes and attributions as Web
    /// Annotations, the people as Popolo JSON and CSV, the edition's manifest
    /// (edition.json), the TEI corpus root and the schemas. Refuses an edition
    /// with errors, as a build does; the output folder is replaced only when
    /// everything was written.
    ///
    /// Example:
    ///   verbatim export --out /tmp/igf-data
    #[command(verbatim_doc_comment)]
    Export {
        /// The edition's root folder (holding content/, annotations/, verbatim.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the data (default: data/ under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Record the ids the edition publishes, so that they never move.
    ///
    /// Writes ids/<session>.tsv for every session: each turn's and paragraph's id
    /// with a fingerprint of its text. Later builds give every id that text back
    /// when the transcript is captured again or read differently (a label fixed, a
    /// paragraph inserted, a duplicate short turn), and keep an id whose text is
    /// gone as an anchor where the text was; `check` reports such ids until an
    /// update records them. Commit ids/ with the edition.
    ///
    /// Example:
    ///   verbatim ids --update
    #[command(verbatim_doc_comment)]
    Ids {
        /// The edition's root folder (holding content/, annotations/, verbatim.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the locks (without it, nothing is written: say what would change).
        #[arg(long)]
        update: bool,
    },
    /// Record the edition as it stands under its version.
    ///
    /// Writes versions/<version>.json (the version of verbatim.yaml): every
    /// session's corrections and identified turns. The Changes page and feed
    /// compare each release with the one before, and the edition as built with
    /// the last release. Commit versions/ with the edition; raise `version:`
    /// before the next release.
    ///
    /// Example:
    ///   verbatim release --date 2026-12-06
    #[command(verbatim_doc_comment)]
    Release {
        /// The edition's root folder (holding content/, annotations/, verbatim.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The release's day, YYYY-MM-DD (today by default).
        #[arg(long)]
        date: Option<String>,
    },
    /// Preview the edition: build, serve on loopback, rebuild on every change.
    ///
    /// Watches content/, annotations/, themes/, templates/, static/ and
    /// verbatim.yaml. A saved transcript or session layer shows in its page at
    /// once; the rest of the site (index, listings, person pages) follows with
    /// an incremental build. The open page reloads after each; a change with
    /// errors keeps the last good site served and shows the errors in the page.
    ///
    /// Examples:
    ///   verbatim serve
    ///   verbatim serve --port 4000 --out /tmp/preview
    #[command(verbatim_doc_comment)]
    Serve {
        /// The edition's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the preview site (default: public/ under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; loopback unless you mean to share the preview.
        /// Requests must name localhost, a loopback address or this address
        /// (with 0.0.0.0 or ::, any IP address) in their Host: other names are
        /// refused, so that no web page can read the preview by DNS rebinding.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
    },
    /// Check content and annotations without writing anything.
    ///
    /// Reads every transcript in content/ and every YAML layer in annotations/,
    /// applies the layers, and reports each problem with file:line:column, what is
    /// wrong and how to fix it. Exits with status 1 when there are errors.
    ///
    /// Examples:
    ///   verbatim check
    ///   verbatim check --root path/to/edition --format json
    #[command(verbatim_doc_comment)]
    /// Survey a folder of transcripts: what ingest makes of each file.
    ///
    /// For an editor starting on a new archive: per file and in total, the
    /// turns, labelled and anonymous turns, metadata found, lines omitted and
    /// why; and what to look at: long unlabelled stretches, label-like lines
    /// kept as speech, furniture kept in the record, files with no labels,
    /// lines recurring at the edges of many files (candidates for
    /// `ingest: chrome_lines:` in verbatim.yaml).
    ///
    /// Examples:
    ///   verbatim survey content
    ///   verbatim survey ~/archive/igf-2008 --format json
    #[command(verbatim_doc_comment)]
    Survey {
        /// The folder to read (every .txt, .srt and .vtt file under it).
        dir: PathBuf,
        /// The edition whose source profile (verbatim.yaml's `ingest:`) to read with.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: a readable report, or JSON for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    Check {
        /// The edition's root folder (holding content/ and annotations/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` shows source snippets, `plain` one `file:line:col: …` line per finding, `json` for tools.
        #[arg(long, value_enum, default_value_t = Report::Human)]
        format: Report,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Report {
    Human,
    Plain,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            root,
            out,
            port,
            bind,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let options = verbatim::site::Options::default();
            match verbatim::serve::serve(
                &root,
                &out,
                std::net::SocketAddr::new(bind, port),
                &options,
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot serve: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build {
            root,
            out,
            no_minify,
            fresh,
            quiet,
            verbose,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let options = verbatim::site::Options {
                minify: !no_minify,
                progress: !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
                fresh,
            };
            match verbatim::site::build(&root, &out, &options) {
                Ok(summary) => {
                    if verbose {
                        report(&summary.warnings, Report::Plain);
                        eprintln!(
                            "stages: prepare {:.0} ms ({} of {} annotation files parsed, {} of {} transcripts read), places {:.0} ms, sessions {:.0} ms, {} placed again {:.0} ms, data {:.0} ms, edition pages {:.0} ms alongside search index {:.0} ms, swap {:.0} ms",
                            summary.prepare_seconds * 1000.0,
                            summary.layers_read,
                            summary.layers,
                            summary.transcripts_read,
                            summary.transcripts,
                            summary.place_seconds * 1000.0,
                            summary.session_seconds * 1000.0,
                            summary.placed_again,
                            summary.placed_again_seconds * 1000.0,
                            summary.data_seconds * 1000.0,
                            summary.pages_seconds * 1000.0,
                            summary.index_seconds * 1000.0,
                            summary.swap_seconds * 1000.0
                        );
                        let steps: Vec<String> = summary
                            .steps
                            .seconds()
                            .iter()
                            .map(|(n, s)| format!("{n} {:.0} ms", s * 1000.0))
                            .collect();
                        eprintln!("session steps (CPU, all threads): {}", steps.join(", "));
                    } else if !quiet && !summary.warnings.is_empty() {
                        eprintln!(
                            "{} warnings (verbatim check lists them)",
                            summary.warnings.len()
                        );
                    }
                    if !quiet {
                        eprintln!(
                            "built {} sessions{}, {} pages, {} corrections applied, {} warnings in {:.2} s → {}",
                            summary.sessions,
                            match (summary.rebuilt, summary.sessions - summary.rebuilt) {
                                (_, 0) => String::new(),
                                (0, _) => " (all unchanged)".to_string(),
                                (made, kept) => format!(" ({made} changed, {kept} unchanged)"),
                            },
                            summary.pages,
                            summary.corrections,
                            summary.warnings.len(),
                            summary.seconds,
                            out.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    report(&failure.findings, Report::Human);
                    let errors = diagnostics::count_errors(&failure.findings);
                    eprintln!(
                        "build failed with {errors} error{}; {} was left as it was",
                        if errors == 1 { "" } else { "s" },
                        out.display()
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Release { root, date } => match verbatim::release::release(&root, date) {
            Ok(path) => {
                eprintln!(
                    "wrote {}: commit it with the edition",
                    root.join(path).display()
                );
                ExitCode::SUCCESS
            }
            Err(findings) => {
                report(&findings, Report::Human);
                eprintln!("nothing was released");
                ExitCode::FAILURE
            }
        },
        Command::Ids { root, update } => match verbatim::ids::update(&root, update) {
            Ok(changed) => {
                let verb = if update { "" } else { "would be " };
                for u in &changed {
                    eprintln!(
                        "ids/{}.tsv: {} ids {verb}added, {} {verb}retired",
                        u.session, u.added, u.retired
                    );
                }
                if changed.is_empty() {
                    eprintln!("every id lock is up to date");
                } else if !update {
                    eprintln!("run `verbatim ids --update` to write them");
                }
                ExitCode::SUCCESS
            }
            Err(findings) => {
                report(&findings, Report::Human);
                eprintln!("no id lock was written");
                ExitCode::FAILURE
            }
        },
        Command::Export { root, out, quiet } => {
            let out = out.unwrap_or_else(|| root.join("data"));
            match verbatim::data::export(&root, &out) {
                Ok(exported) => {
                    if !quiet {
                        eprintln!(
                            "exported {} sessions, {} files, {} warnings (verbatim check lists them) → {}",
                            exported.sessions,
                            exported.files,
                            exported.warnings.len(),
                            out.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(findings) => {
                    report(&findings, Report::Human);
                    let errors = diagnostics::count_errors(&findings);
                    eprintln!(
                        "export failed with {errors} error{}; {} was left as it was",
                        if errors == 1 { "" } else { "s" },
                        out.display()
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Survey { dir, root, format } => {
            let profile = match profile_of(&root) {
                Ok(profile) => profile,
                Err(finding) => {
                    eprintln!("{}", finding.plain());
                    return ExitCode::FAILURE;
                }
            };
            let mut files = Vec::new();
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        eprintln!("error: cannot read {}: {e}", dir.display());
                        return ExitCode::FAILURE;
                    }
                };
                let path = entry.path();
                let known = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    verbatim::load::TRANSCRIPT_EXTENSIONS.contains(&e.to_lowercase().as_str())
                });
                if entry.file_type().is_file() && known {
                    match std::fs::read(path) {
                        Ok(bytes) => files.push((
                            path.strip_prefix(&dir)
                                .unwrap_or(path)
                                .display()
                                .to_string(),
                            bytes,
                        )),
                        Err(e) => eprintln!("warning: cannot read {}: {e}", path.display()),
                    }
                }
            }
            if files.is_empty() {
                eprintln!(
                    "error: no transcripts (.txt, .srt, .vtt) under {}",
                    dir.display()
                );
                return ExitCode::FAILURE;
            }
            let survey = verbatim::survey::survey(&files, &profile);
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = match format {
                Format::Json => serde_json::to_writer_pretty(&mut out, &survey)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out)),
                Format::Text => write!(out, "{}", verbatim::survey::report(&survey)),
            };
            ExitCode::SUCCESS
        }
        Command::Check { root, format } => {
            let loaded = verbatim::site::check(&root);
            report(&loaded.findings, format);
            let errors = diagnostics::count_errors(&loaded.findings);
            eprintln!(
                "checked {} sessions, {} people: {errors} error{}, {} warning{}",
                loaded.edition.sessions.len(),
                loaded.edition.people.len(),
                if errors == 1 { "" } else { "s" },
                loaded.findings.len() - errors,
                if loaded.findings.len() - errors == 1 {
                    ""
                } else {
                    "s"
                },
            );
            if errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Parse { file, root, format } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            let profile = match profile_of(&root) {
                Ok(profile) => profile,
                Err(finding) => {
                    eprintln!("{}", finding.plain());
                    return ExitCode::FAILURE;
                }
            };
            let transcript = verbatim::ingest::parse_with(&bytes, &profile);
            for p in &transcript.problems {
                eprintln!(
                    "{}:{}:{}: warning: {}",
                    file.display(),
                    p.line,
                    p.column,
                    p.message
                );
            }
            match format {
                Format::Json => {
                    // Written as it is encoded: a large transcript's JSON is
                    // never held whole. A closed pipe ends the output quietly.
                    use std::io::Write;
                    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                    let _ = serde_json::to_writer_pretty(&mut out, &transcript)
                        .map_err(std::io::Error::from)
                        .and_then(|()| writeln!(out))
                        .and_then(|()| out.flush());
                }
                Format::Text => {
                    use std::io::Write;
                    let _ = write!(
                        std::io::stdout().lock(),
                        "{}",
                        outline::outline(&transcript)
                    );
                }
            }
            ExitCode::SUCCESS
        }
    }
}

/// The source profile of the edition at `root`: its `verbatim.yaml` read
/// alone (`parse` and `survey` read transcripts outside the edition).
fn profile_of(root: &Path) -> Result<std::sync::Arc<verbatim::ingest::Profile>, Finding> {
    let snapshot = verbatim::snapshot::Snapshot::read_config(root);
    if let Some(unreadable) = snapshot.findings.first() {
        return Err(unreadable.clone());
    }
    verbatim::config::Config::load(&snapshot).and_then(|c| c.profile(&snapshot))
}
