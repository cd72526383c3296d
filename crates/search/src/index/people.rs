//! The registry's people as the index names them: a lookup table, no indexing.

use std::collections::HashMap;
use verbatim_edition::PersonId;

/// The registry's people as
/// [`SessionIndex::build`](super::SessionIndex::build) looks them up: whether
/// someone is registered (only they have a field term, `@` and their id) and
/// their display name.
pub struct PeopleTable<'a> {
    names: HashMap<&'a PersonId, &'a str>,
    stakeholders: HashMap<&'a PersonId, &'a str>,
}

impl<'a> PeopleTable<'a> {
    /// The table of `people`.
    pub fn new(people: &'a [verbatim_edition::Person]) -> PeopleTable<'a> {
        PeopleTable {
            names: people.iter().map(|p| (&p.id, p.name.as_str())).collect(),
            stakeholders: people
                .iter()
                .filter_map(|p| Some((&p.id, p.stakeholder.as_deref()?.trim())))
                .filter(|(_, s)| !s.is_empty())
                .collect(),
        }
    }

    /// A registered person's display name; `None` for someone the registry lacks.
    pub fn registered(&self, id: &PersonId) -> Option<&'a str> {
        self.names.get(id).copied()
    }

    /// A registered person's stakeholder group, as the registry writes it.
    pub fn stakeholder(&self, id: &PersonId) -> Option<&'a str> {
        self.stakeholders.get(id).copied()
    }
}
