//! The registry's people for re-users: as Popolo JSON (the open standard
//! for people and organisations in parliamentary and civic data, which
//! TheyWorkForYou and EveryPolitician publish) and as a CSV table.

use serde_json::{Value, json};
use std::collections::BTreeSet;
use verbatim_edition::Person;

/// An affiliation's organisation id in the Popolo export.
fn affiliation_id(name: &str) -> String {
    format!("affiliation:{name}")
}

/// A stakeholder group's organisation id in the Popolo export.
fn group_id(name: &str) -> String {
    format!("stakeholder-group:{name}")
}

/// The people as Popolo JSON: `persons` (aliases as `other_names`, country as
/// `national_identity`, links, biography), `organizations` (affiliations, and
/// stakeholder groups classified so), and the `memberships` joining them.
pub fn popolo(people: &[Person]) -> String {
    let persons: Vec<Value> = people
        .iter()
        .map(|p| {
            let mut person = json!({
                "id": p.id.as_str(),
                "name": p.name,
                "other_names": p.aliases.iter().map(|a| json!({ "name": a, "note": "label as captioned" })).collect::<Vec<_>>(),
                "links": p.links.iter().map(|l| json!({ "url": l })).collect::<Vec<_>>(),
            });
            if let Some(country) = &p.country {
                person["national_identity"] = json!(country);
            }
            if let Some(bio) = &p.bio {
                person["biography"] = json!(bio);
            }
            person
        })
        .collect();
    let affiliations: BTreeSet<&str> = people
        .iter()
        .filter_map(|p| p.affiliation.as_deref())
        .collect();
    let groups: BTreeSet<&str> = people
        .iter()
        .filter_map(|p| p.stakeholder.as_deref())
        .collect();
    let organizations: Vec<Value> = affiliations
        .iter()
        .map(|a| json!({ "id": affiliation_id(a), "name": a }))
        .chain(groups.iter().map(
            |g| json!({ "id": group_id(g), "name": g, "classification": "stakeholder group" }),
        ))
        .collect();
    let memberships: Vec<Value> = people
        .iter()
        .flat_map(|p| {
            let affiliation = p.affiliation.as_deref().map(|a| {
                let mut m =
                    json!({ "person_id": p.id.as_str(), "organization_id": affiliation_id(a) });
                if let Some(role) = &p.role {
                    m["role"] = json!(role);
                }
                m
            });
            let group = p
                .stakeholder
                .as_deref()
                .map(|g| json!({ "person_id": p.id.as_str(), "organization_id": group_id(g) }));
            affiliation.into_iter().chain(group)
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&json!({
        "persons": persons,
        "organizations": organizations,
        "memberships": memberships,
    }))
    .unwrap_or_default();
    out.push('\n');
    out
}

/// The people as CSV (RFC 4180): one row a person, aliases and links each
/// joined by `; `.
pub fn csv(people: &[Person]) -> String {
    let mut out = String::from("id,name,aliases,affiliation,role,country,stakeholder,links\r\n");
    for p in people {
        let cells = [
            p.id.as_str().to_string(),
            p.name.clone(),
            p.aliases.join("; "),
            p.affiliation.clone().unwrap_or_default(),
            p.role.clone().unwrap_or_default(),
            p.country.clone().unwrap_or_default(),
            p.stakeholder.clone().unwrap_or_default(),
            p.links.join("; "),
        ];
        let row: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break, its
/// quotes doubled.
fn cell(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}
