//! Search: a prebuilt, sharded index of the edition's paragraphs, written as
//! scripts that register their data (`verbatimSearch.register(name, data)`),
//! which a `<script>` element loads over HTTP and from disk (`file://`) alike.
//!
//! Layout under `search/` (names carry a content hash, except the manifest):
//! - `manifest.js`: document count, the first term of each term shard, and the
//!   names of the directory and session-table files;
//! - `t-<hash>`: a range of terms, each with its document frequency and its
//!   postings (document, impact) as a string of base64url digits; an impact
//!   is BM25's term-frequency part for that paragraph, scaled to 1..=63, the
//!   client multiplies it by the term's idf. Terms in many documents keep only
//!   their top postings here, with their counts per year, and their full list
//!   (documents only) in `p-<hash>` files by session range. A word of a
//!   registered person's name says who bears it (`who`): the client adds their
//!   field term (`@` and the id), every paragraph they speak; a stakeholder
//!   group's field is `#` and the group;
//! - `x-<hash>`: for 16 sessions, their ids, titles and document shards;
//! - `d-<hash>`: 16 paragraphs of one session, for results and snippets;
//! - `s-<hash>`: beside each directory, who speaks each paragraph, for
//!   counts per person;
//! - `m-<hash>`: the session table (ids, events, years, dates, paragraph
//!   counts) for filters, counts and date order.
//!
//! Files read whole (`p`, `x`, `d`, `s`, `m`, the manifest) are packed: deflated JSON in base64,
//! which the browser inflates (`DecompressionStream`).
//!
//! A document id is `session ordinal × 2^20 + paragraph ordinal`, so a
//! session's documents and shards are its own (see [`index`]).

pub mod index;
pub mod output;
pub mod tokenize;

pub use index::{SessionIndex, assemble, build};
pub use output::Index;
