//! A session as plain text: the corrected reading, one turn a paragraph,
//! each opening with its speaker's name as the registry gives it (or the
//! label as captioned); stage notes as written. For reading, grepping and
//! corpus tools that want words, not markup.

use crate::Registry;
use verbatim_edition::{Session, Speaker};

/// The session as text: its title, what and when, then its turns.
pub fn session(session: &Session, registry: &Registry) -> String {
    let mut out = String::new();
    out.push_str(session.display_title());
    out.push('\n');
    let facts: Vec<&str> = [
        session.meta.event.as_deref(),
        session.meta.date.as_deref(),
        session.meta.city.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !facts.is_empty() {
        out.push_str(&facts.join(" · "));
        out.push('\n');
    }
    for turn in &session.turns {
        out.push('\n');
        let who = match &turn.speaker {
            Speaker::Person { person } | Speaker::Attributed { person, .. } => {
                Some(registry.name_of(person.as_str()))
            }
            Speaker::Generic { label } | Speaker::Unidentified { label } => Some(label.as_str()),
            Speaker::Anonymous => None,
        };
        if let Some(who) = who {
            out.push_str(who);
            out.push_str(": ");
        }
        let texts: Vec<&str> = turn.paragraphs.iter().map(|p| p.text.as_str()).collect();
        out.push_str(&texts.join(" "));
        out.push('\n');
    }
    out
}
