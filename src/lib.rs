//! verbatim: a static site generator for annotated editions of meeting transcripts.
//!
//! The pipeline reads as its modules: [`ingest`] turns raw captioning into a
//! structured session. See ARCHITECTURE.md for the map.

pub mod annotate;
pub mod calendar;
pub mod config;
pub mod diagnostics;
pub mod edition;
pub mod html;
pub mod ingest;
pub mod link;
pub mod load;
pub mod output;
pub mod search;
pub mod serve;
pub mod site;
pub mod snapshot;
pub mod survey;
pub mod text;
