//! The theme's API: what each page shows, as serialisable views for the
//! templates (every field documented; a theme reads them by these names).
//! All presentation lives in the theme; these modules only select and count.
//!
//! - [`paths`]: where pages are written and how they are linked;
//! - [`listing`]: what the edition-wide pages need of a session ([`Digest`])
//!   and the groups and counts made of it;
//! - [`session`]: a session page's view;
//! - [`person`]: the people pages' views;
//! - [`page`]: Markdown pages from `content/*.md`;
//! - [`data`]: the Data page, listing the data exports.

pub mod apparatus;
pub mod changes;
pub mod data;
pub mod listing;
pub mod page;
pub mod paths;
pub mod person;
pub mod session;

pub use apparatus::{Apparatus, ApparatusPage, EDITS_PER_PART};
pub use data::{DataPage, data_page};
pub use listing::{
    Bar, Digest, EventGroup, SESSIONS_ON_THE_EVENTS_PAGE, SessionSummary, Totals, event_groups,
    event_names, event_order, event_pages, sessions_per_year, totals,
};
pub use page::{MarkdownPage, markdown_pages};
pub use paths::{person_path, session_path, session_url, url_of};
pub use person::{
    Letter, PEOPLE_ON_THE_PEOPLE_PAGE, PersonRow, PersonTurn, PersonView, name_letters,
    person_views,
};
pub use session::{
    NeighbourView, NoteView, ParagraphView, PlaceView, SessionView, SpanView, TurnView,
    session_view,
};
