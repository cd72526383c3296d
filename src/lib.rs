//! verbatim: a static site generator for annotated editions of meeting transcripts.
//!
//! The pipeline's stages are crates of their own, re-exported here under
//! their names: [`ingest`] turns raw captioning into a transcript,
//! [`annotate`] merges the editors' layers into an [`edition`] session, and
//! the outputs ([`html`], [`search`]) render it; this crate drives them
//! ([`load`], [`site`], [`serve`]). See ARCHITECTURE.md for the map.

pub mod data;
pub mod ids;
pub mod load;
pub mod release;
pub mod serve;
pub mod site;
pub mod survey;

// The stages below the driver are crates of their own, so that a stage
// reaching back up the pipeline does not compile; their old module paths
// (`verbatim::ingest`, …) stay as they were.
pub use verbatim_annotate as annotate;
pub use verbatim_diagnostics as diagnostics;
pub use verbatim_edition as edition;
pub use verbatim_export as export;
pub use verbatim_html as html;
pub use verbatim_ingest as ingest;
pub use verbatim_input::{config, snapshot};
pub use verbatim_output as output;
pub use verbatim_search as search;
pub use verbatim_text as text;
pub use verbatim_text::{calendar, link};
