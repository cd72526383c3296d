//! Where pages are written and how they are linked: every internal link is
//! relative and names a file, so the site works from disk and at any subpath.

use verbatim_edition::{PersonId, SessionId};

/// Relative path of a session page: the file it is written to.
pub fn session_path(id: &SessionId) -> String {
    format!("sessions/{id}.html")
}

pub use verbatim_output::url_of;

/// Relative URL of a session page (its [`session_path`], encoded).
pub fn session_url(id: &SessionId) -> String {
    url_of(&session_path(id))
}

/// Relative path of a person page.
pub fn person_path(id: &PersonId) -> String {
    format!("people/{id}.html")
}
