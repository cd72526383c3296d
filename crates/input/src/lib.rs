//! The edition's inputs: the edition root read once ([`snapshot`]) and its
//! configuration ([`config`], `verbatim.yaml`), which every later stage takes
//! as values. This is the only crate below the build driver that touches the
//! file system, and only to read.

pub mod config;
pub mod snapshot;
