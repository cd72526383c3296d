//! The site configuration is read with the edition's other inputs; see
//! [`crate::config`]. Kept here so that themes' and tools' paths still name it.

pub use crate::config::*;
