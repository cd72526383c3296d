//! The `verbatim` command line.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

mod outline;

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
    Parse {
        /// The transcript file to read.
        file: PathBuf,
        /// Output format: a readable outline, or JSON for tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { file, format } => {
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            };
            let transcript = verbatim::ingest::parse(&bytes);
            for p in &transcript.problems {
                eprintln!("{}:{}:{}: warning: {}", file.display(), p.line, p.column, p.message);
            }
            match format {
                Format::Json => match serde_json::to_string_pretty(&transcript) {
                    Ok(json) => println!("{json}"),
                    Err(e) => {
                        eprintln!("error: cannot encode JSON: {e}");
                        return ExitCode::FAILURE;
                    }
                },
                Format::Text => print!("{}", outline::outline(&transcript)),
            }
            ExitCode::SUCCESS
        }
    }
}
