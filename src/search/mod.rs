//! Search: a prebuilt, sharded index of the edition's paragraphs, written as
//! JSON for `fetch` and as `.js` files that register themselves for `file://`.
//!
//! Layout under `search/` (names carry a content hash, except the manifest):
//! - `manifest.{json,js}`: document count, the first term of each term shard,
//!   and the names of the document and metadata shards;
//! - `t-<hash>`: a range of terms with their postings `[doc delta, impact]…`,
//!   impacts being each term's BM25 contribution to the document (×100), so the
//!   client ranks by summing; terms in many documents keep only their top
//!   postings here and the full list in `p-<hash>`;
//! - `d-<hash>`: documents (paragraphs) for results and snippets, by id range;
//! - `m-<hash>`: session and people tables for result labels and filters.

pub mod index;
pub mod tokenize;

pub use index::build;
