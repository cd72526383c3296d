//! verbatim: a static site generator for annotated editions of meeting transcripts.
//!
//! The pipeline reads as its modules: [`ingest`] turns raw captioning into a
//! structured session. See ARCHITECTURE.md for the map.

pub mod load;
pub mod serve;
pub mod site;
pub mod survey;

// The stages below the driver are crates of their own, so that a stage
// reaching back up the pipeline does not compile; their old module paths
// (`verbatim::ingest`, …) stay as they were.
pub use verbatim_annotate as annotate;
pub use verbatim_diagnostics as diagnostics;
pub use verbatim_edition as edition;
pub use verbatim_html as html;
pub use verbatim_ingest as ingest;
pub use verbatim_input::{config, snapshot};
pub use verbatim_output as output;
pub use verbatim_search as search;
pub use verbatim_text as text;
pub use verbatim_text::{calendar, link};
