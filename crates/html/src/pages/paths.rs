//! Where pages are written and how they are linked: every internal link is
//! relative and names a file, so the site works from disk and at any subpath.

use verbatim_edition::{PersonId, SessionId};

/// Relative path of a session page: the file it is written to.
pub fn session_path(id: &SessionId) -> String {
    format!("sessions/{id}.html")
}

/// What a URL path segment keeps as it is: RFC 3986's unreserved characters.
/// Everything else is percent-encoded, so a session named after its file
/// (`igf 2019 #3.txt`) is linked as `igf%202019%20%233.html`: a `#` or `?`
/// would otherwise end the path, and a `%` begin an escape.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The relative URL of a file of the site: `path` with each segment
/// percent-encoded (a path of plain names is its own URL).
pub fn url_of(path: &str) -> String {
    let segments: Vec<String> = path
        .split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect();
    segments.join("/")
}

/// Relative URL of a session page (its [`session_path`], encoded).
pub fn session_url(id: &SessionId) -> String {
    url_of(&session_path(id))
}

/// Relative path of a person page.
pub fn person_path(id: &PersonId) -> String {
    format!("people/{id}.html")
}
