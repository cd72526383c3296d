//! Search: a prebuilt, sharded index of the edition's paragraphs, written as
//! scripts that register their data (`verbatimSearch.register(name, data)`),
//! which a `<script>` element loads over HTTP and from disk (`file://`) alike.
//!
//! Layout under `search/` (names carry a content hash, except the manifest):
//! - `manifest.js`: document count, the first term of each term shard, and the
//!   names of the directory and metadata files;
//! - `t-<hash>`: a range of terms, each with its document frequency and its
//!   postings (document, impact) as a string of base64url digits; an impact
//!   is BM25's term-frequency part for that paragraph, scaled to 1..=63, the
//!   client multiplies it by the term's idf. Terms
//!   in many documents keep only their top postings here and the full list in
//!   `p-<hash>`;
//! - `x-<hash>`: for 16 sessions, the names of their document shards;
//! - `d-<hash>`: 16 paragraphs of one session, for results and snippets;
//! - `m-<hash>`: session and people tables for result labels and filters.
//!
//! A document id is `session ordinal × 2^20 + paragraph ordinal`, so a
//! session's documents and shards are its own (see [`index`]).

pub mod index;
pub mod output;
pub mod tokenize;

pub use index::{SessionIndex, assemble, build};
pub use output::Index;
