//! Where each session stands in the edition, known before it is made.
//!
//! A session's page links to the sessions before and after it, but the
//! edition's order (by date, then id) is known for certain only once every
//! session is made, and sessions are made in parallel and never held whole.
//! So the build places each session first by its expected listing (the last
//! build's: an edit seldom changes a session's title or date; for a new
//! session, the opening of its transcript, where the heading is, with its
//! layers' `meta:`) and, after the session phase, makes anew the few whose
//! neighbours turned out otherwise. The expectation changes only how much
//! is made twice, never the output.

use super::cache;
use crate::edition::SessionId;
use crate::output::{KeyWriter, Listing, Neighbours};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Every session's expected neighbours; `state` is the last build's.
pub(super) fn expected(
    prepared: &crate::load::Prepared,
    state: Option<&cache::State>,
) -> BTreeMap<SessionId, Neighbours> {
    let listings: Vec<Listing> = prepared
        .content
        .par_iter()
        .map(|(id, rel)| {
            state
                .and_then(|s| s.listings.get(id))
                .cloned()
                .unwrap_or_else(|| prepared.likely_listing(id, rel))
        })
        .collect();
    places(listings.iter())
}

/// Each session's neighbours, from every session's listing (in any order).
pub(super) fn places<'a>(
    listings: impl Iterator<Item = &'a Listing>,
) -> BTreeMap<SessionId, Neighbours> {
    let mut ordered: Vec<&Listing> = listings.collect();
    ordered.sort_by(|a, b| a.order().cmp(&b.order()));
    ordered
        .iter()
        .map(|l| l.id.clone())
        .zip(Neighbours::of_ordered(&ordered))
        .collect()
}

/// A session's key: the key of its inputs and its place in the edition
/// (its page links to its neighbours by title and date).
pub(super) fn placed_key(inputs: u64, place: &Neighbours) -> u64 {
    let mut key = KeyWriter::new(inputs);
    key.json(place);
    key.finish()
}
