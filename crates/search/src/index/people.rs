//! The registry's people as the index numbers and names them: a lookup table, no indexing.

use std::collections::HashMap;
use verbatim_edition::PersonId;

/// The registry's people as
/// [`SessionIndex::build`](super::SessionIndex::build) looks them up: each
/// one's number in the index's people table (their order in `people`) and
/// display name.
pub struct PeopleTable<'a> {
    numbers: HashMap<&'a PersonId, i32>,
    names: HashMap<&'a PersonId, &'a str>,
}

impl<'a> PeopleTable<'a> {
    /// Numbers `people` in their order.
    pub fn new(people: &'a [verbatim_edition::Person]) -> PeopleTable<'a> {
        PeopleTable {
            numbers: people
                .iter()
                .enumerate()
                .map(|(i, p)| (&p.id, i as i32))
                .collect(),
            names: people.iter().map(|p| (&p.id, p.name.as_str())).collect(),
        }
    }

    /// A person's number in the people table; -1 for someone not in the registry.
    pub fn number(&self, id: &PersonId) -> i32 {
        self.numbers.get(id).copied().unwrap_or(-1)
    }

    /// A person's display name; the id itself for someone not in the registry.
    pub fn name_of<'s>(&'s self, id: &'s PersonId) -> &'s str {
        self.names.get(id).copied().unwrap_or(id.as_str())
    }
}
