//! A session as TEI, in the manner of Parla-CLARIN and the ParlaMint
//! corpora: a `teiHeader` (title, publisher, the raw source, the setting,
//! the speakers as a `listPerson`, who corrected what and when), then the
//! record: each turn an `<u>` whose `xml:id` is the page's turn anchor and
//! `who` points to the person as the corpus root's `listPerson` defines
//! them (the session's own `listPerson` names them, `corresp` pointing there), each paragraph a `<seg>` with the
//! paragraph's anchor, corrections as `<choice><sic/><corr/></choice>`,
//! stage notes as `<vocal>`, `<kinesic>`, `<incident>` or `<gap>`, editorial
//! notes as `<note>`. Input set aside (headers, site chrome) is not in it.
//! `schema/verbatim-tei.rnc` is the project's profile, and the tests
//! validate every file against it with jing. The corpus root,
//! `data/edition.xml`, includes the sessions.

use crate::Registry;
use crate::output::About;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use verbatim_edition::{Paragraph, Session, Span, Speaker, StageKind};

/// `text` with XML's special characters escaped (for content and attributes).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A person's `xml:id` in a `listPerson`: their id is lowercase letters,
/// digits and hyphens, which may start with a digit; an NCName may not.
pub fn person_xml_id(id: &str) -> String {
    format!("person.{id}")
}

/// Whether a date is one `@when` can hold (`YYYY-MM-DD`).
fn is_iso_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The element a stage note is in TEI, and its type.
fn stage_element(kind: StageKind) -> (&'static str, &'static str) {
    match kind {
        StageKind::Laughter => ("vocal", "laughter"),
        StageKind::Applause => ("kinesic", "applause"),
        StageKind::Inaudible => ("gap", "inaudible"),
        StageKind::End => ("incident", "end"),
        StageKind::Language => ("incident", "language"),
        StageKind::Other => ("incident", "other"),
    }
}

/// A stage note as its element, with `attributes` (an id) and its spans
/// as captioned and corrected in `<desc>` (a gap's reason is its type).
/// What a `<desc>` cannot hold (a correction's note, an editorial note) goes
/// to `after`, for the element that holds this one.
fn stage(
    out: &mut String,
    kind: StageKind,
    content: &[Span],
    attributes: &str,
    editors: &BTreeMap<&str, String>,
    after: &mut String,
) {
    let (element, kind) = stage_element(kind);
    let kind_attribute = if element == "gap" { "reason" } else { "type" };
    let _ = write!(
        out,
        "<{element}{attributes} {kind_attribute}=\"{kind}\"><desc>"
    );
    write_spans(out, content, editors, Some(after));
    let _ = write!(out, "</desc></{element}>");
}

/// Who corrected: each distinct `by` of the session's corrections, numbered
/// in order of first appearance (`ed.1`, …), for `@resp`.
fn editors(session: &Session) -> BTreeMap<&str, String> {
    let mut editors: BTreeMap<&str, String> = BTreeMap::new();
    let mut order = 0;
    for span in session
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .flat_map(|p| &p.spans)
    {
        if let Span::Correction { by: Some(by), .. } = span
            && !editors.contains_key(by.as_str())
        {
            order += 1;
            editors.insert(by, format!("ed.{order}"));
        }
    }
    editors
}

/// A paragraph of speech as a `<seg>`: its anchors (ids it had before an
/// editor joined it, as `<anchor>`s), its spans.
fn segment(out: &mut String, p: &Paragraph, editors: &BTreeMap<&str, String>, synch: &str) {
    let _ = write!(out, "<seg xml:id=\"{}\"{synch}>", escape(p.id.as_str()));
    for former in &p.former_ids {
        let _ = write!(out, "<anchor xml:id=\"{}\"/>", escape(former.as_str()));
    }
    write_spans(out, &p.spans, editors, None);
    out.push_str("</seg>");
}

/// Spans as TEI: text, stage notes inside speech, corrections as
/// `<choice>` (with a `<note>` for the editor's reason and date), editorial
/// notes. Inside a stage note's `<desc>` (`notes` given), a stage span is its
/// text and notes go to `notes` instead.
fn write_spans(
    out: &mut String,
    spans: &[Span],
    editors: &BTreeMap<&str, String>,
    mut notes: Option<&mut String>,
) {
    for span in spans {
        match span {
            Span::Text { text } => out.push_str(&escape(text)),
            Span::Stage { text, .. } if notes.is_some() => out.push_str(&escape(text)),
            Span::Stage { kind, text } => {
                let mut none = String::new();
                stage(
                    out,
                    *kind,
                    &[Span::Text { text: text.clone() }],
                    "",
                    editors,
                    &mut none,
                );
            }
            Span::Correction {
                original,
                text,
                note,
                by,
                date,
                ..
            } => {
                let resp = by
                    .as_deref()
                    .and_then(|b| editors.get(b))
                    .map(|id| format!(" resp=\"#{id}\""))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<choice><sic>{}</sic><corr{resp}>{}</corr></choice>",
                    escape(original),
                    escape(text)
                );
                if note.is_some() || date.is_some() {
                    let when = date
                        .as_deref()
                        .filter(|d| is_iso_date(d))
                        .map(|d| format!("<date when=\"{d}\"/>"))
                        .unwrap_or_default();
                    let element = format!(
                        "<note type=\"correction\"{resp}>{}{when}</note>",
                        escape(note.as_deref().unwrap_or(""))
                    );
                    match notes.as_deref_mut() {
                        Some(after) => after.push_str(&element),
                        None => out.push_str(&element),
                    }
                }
            }
            Span::Note { number, text } => {
                let element = format!(
                    "<note type=\"editorial\" n=\"{number}\">{}</note>",
                    escape(text)
                );
                match notes.as_deref_mut() {
                    Some(after) => after.push_str(&element),
                    None => out.push_str(&element),
                }
            }
        }
    }
}

/// The licence, as a `publicationStmt` says it.
fn availability(about: &About) -> String {
    match about.license {
        Some(name) => {
            let target = about
                .license_url
                .map(|u| format!(" target=\"{}\"", escape(u)))
                .unwrap_or_default();
            format!(
                "<availability><licence{target}>{}</licence></availability>\n",
                escape(name)
            )
        }
        None => String::new(),
    }
}

/// The session as a TEI document, published by the edition `about`.
pub fn session(session: &Session, registry: &Registry, about: &About) -> String {
    let (publisher, language) = (about.title, about.language);
    let editors = editors(session);
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:lang=\"{}\">\n<teiHeader>\n<fileDesc>\n<titleStmt>\n<title>{}</title>\n",
        escape(language),
        escape(session.display_title())
    );
    for (name, id) in &editors {
        let _ = writeln!(
            out,
            "<respStmt xml:id=\"{id}\"><resp>correction</resp><name>{}</name></respStmt>",
            escape(name)
        );
    }
    let _ = write!(
        out,
        "</titleStmt>\n<publicationStmt>\n<publisher>{}</publisher>\n{}<idno type=\"session\">{}</idno>\n</publicationStmt>\n<sourceDesc>\n<bibl><title>{}</title><idno type=\"file\">{}</idno>",
        escape(publisher),
        availability(about),
        escape(session.id.as_str()),
        escape(session.meta.title.as_deref().unwrap_or(session.id.as_str())),
        escape(&crate::source_path(session)),
    );
    if let Some(date) = session.meta.date.as_deref().filter(|d| is_iso_date(d)) {
        let _ = write!(out, "<date when=\"{date}\"/>");
    }
    out.push_str("</bibl>\n");
    if let Some(r) = &session.recording {
        let kind = match r.player {
            Some(verbatim_edition::Player::Video) | None => "video",
            Some(verbatim_edition::Player::Audio) => "audio",
        };
        // A file of the edition is linked from this file's folder
        // (`data/sessions/`), or absolutely where the edition has an address.
        let target = match (r.player, about.base_url) {
            (None, _) => r.url.clone(),
            (Some(_), Some(base)) => format!("{}/{}", base.trim_end_matches('/'), r.url),
            (Some(_), None) => format!("../../{}", r.url),
        };
        let _ = writeln!(
            out,
            "<recordingStmt><recording type=\"{kind}\"><p><ref target=\"{}\">{}</ref></p></recording></recordingStmt>",
            escape(&target),
            escape(&r.url)
        );
    }
    out.push_str("</sourceDesc>\n</fileDesc>\n<profileDesc>\n");
    let meta = &session.meta;
    if meta.event.is_some() || meta.city.is_some() || meta.date.is_some() {
        out.push_str("<settingDesc><setting>");
        if let Some(event) = &meta.event {
            let _ = write!(out, "<name type=\"event\">{}</name>", escape(event));
        }
        let place: Vec<&str> = [meta.city.as_deref(), meta.country.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !place.is_empty() {
            let _ = write!(out, "<placeName>{}</placeName>", escape(&place.join(", ")));
        }
        if let Some(date) = meta.date.as_deref().filter(|d| is_iso_date(d)) {
            let _ = write!(out, "<date when=\"{date}\"/>");
        }
        out.push_str("</setting></settingDesc>\n");
    }
    // The session's speakers, once each, in order of first turn.
    let mut speakers: Vec<&str> = Vec::new();
    for turn in &session.turns {
        if let Some(id) = turn.speaker.person()
            && !speakers.contains(&id.as_str())
        {
            speakers.push(id.as_str());
        }
    }
    if !speakers.is_empty() {
        out.push_str("<particDesc><listPerson>\n");
        for id in &speakers {
            // The corpus root defines each person once (`xml:id`); a session
            // names them and points there, so that including every session
            // in the root gives no id twice.
            let _ = writeln!(
                out,
                "<person corresp=\"#{}\"><persName>{}</persName></person>",
                person_xml_id(id),
                escape(registry.name_of(id))
            );
        }
        out.push_str("</listPerson></particDesc>\n");
    }
    out.push_str("</profileDesc>\n");
    // Corrections by date and editor, as the revision history.
    let mut changes: BTreeMap<(&str, Option<&String>), usize> = BTreeMap::new();
    for span in session
        .turns
        .iter()
        .flat_map(|t| &t.paragraphs)
        .flat_map(|p| &p.spans)
    {
        if let Span::Correction {
            by,
            date: Some(date),
            ..
        } = span
            && is_iso_date(date)
        {
            *changes
                .entry((
                    date.as_str(),
                    by.as_ref().and_then(|b| editors.get(b.as_str())),
                ))
                .or_default() += 1;
        }
    }
    if !changes.is_empty() {
        out.push_str("<revisionDesc>\n");
        for ((when, who), n) in &changes {
            let who = who.map(|w| format!(" who=\"#{w}\"")).unwrap_or_default();
            let _ = writeln!(
                out,
                "<change when=\"{when}\"{who}>{n} correction{}</change>",
                if *n == 1 { "" } else { "s" }
            );
        }
        out.push_str("</revisionDesc>\n");
    }
    out.push_str("</teiHeader>\n<text>\n<body>\n");
    // The paragraphs' times as points of a timeline from the recording's
    // start, which each timed paragraph points at (`synch`).
    let timeline = |p: &Paragraph| format!("{}-at", p.id);
    let timed = session.recording.as_ref().map(|r| {
        session
            .turns
            .iter()
            .flat_map(|t| &t.paragraphs)
            .filter_map(|p| Some((p, p.time?[0] + r.offset_ms)))
            .collect::<Vec<_>>()
    });
    if let Some(timed) = timed.as_ref().filter(|t| !t.is_empty()) {
        let origin = format!("{}-recording-start", session.id);
        let _ = write!(
            out,
            "<timeline unit=\"ms\" origin=\"#{0}\"><when xml:id=\"{0}\"/>",
            escape(&origin)
        );
        for (p, ms) in timed {
            let _ = write!(
                out,
                "<when xml:id=\"{}\" interval=\"{ms}\" since=\"#{}\"/>",
                escape(&timeline(p)),
                escape(&origin)
            );
        }
        out.push_str("</timeline>\n");
    }
    let synch = |p: &Paragraph| match (&session.recording, p.time) {
        (Some(_), Some(_)) => format!(" synch=\"#{}\"", escape(&timeline(p))),
        _ => String::new(),
    };
    let mut in_section = false;
    for turn in &session.turns {
        // A section is a <div> from its turn to the next section's.
        if let Some(section) = session.section_at(&turn.id) {
            if in_section {
                out.push_str("</div>\n");
            }
            in_section = true;
            let _ = write!(
                out,
                "<div type=\"section\" xml:id=\"{}\"><head>{}</head>",
                escape(&section.id),
                escape(&section.title)
            );
            if let Some(synopsis) = &section.synopsis {
                let _ = write!(out, "<note type=\"synopsis\">{}</note>", escape(synopsis));
            }
            if !section.keywords.is_empty() {
                let _ = write!(
                    out,
                    "<note type=\"keywords\">{}</note>",
                    escape(&section.keywords.join(", "))
                );
            }
            out.push('\n');
        }
        let _ = write!(out, "<u xml:id=\"{}\"", escape(turn.id.as_str()));
        match &turn.speaker {
            Speaker::Person { person } => {
                let _ = write!(out, " who=\"#{}\"", person_xml_id(person.as_str()));
            }
            Speaker::Attributed {
                person, confidence, ..
            } => {
                let _ = write!(
                    out,
                    " who=\"#{}\" cert=\"{}\"",
                    person_xml_id(person.as_str()),
                    crate::json::confidence_name(*confidence)
                );
            }
            Speaker::Generic { label } | Speaker::Unidentified { label } => {
                let _ = write!(out, " n=\"{}\"", escape(label));
            }
            Speaker::Anonymous => {}
        }
        out.push('>');
        if let Speaker::Attributed { evidence, .. } = &turn.speaker {
            let _ = write!(
                out,
                "<note type=\"attribution\">{}</note>",
                escape(evidence)
            );
        }
        for p in &turn.paragraphs {
            match p.stage {
                Some(kind) => {
                    let mut after = String::new();
                    let id = format!(" xml:id=\"{}\"{}", escape(p.id.as_str()), synch(p));
                    stage(&mut out, kind, &p.spans, &id, &editors, &mut after);
                    out.push_str(&after);
                }
                None => segment(&mut out, p, &editors, &synch(p)),
            }
        }
        out.push_str("</u>\n");
    }
    if in_section {
        out.push_str("</div>\n");
    }
    out.push_str("</body>\n</text>\n</TEI>\n");
    out
}

/// The corpus root: the edition's header (title, publisher, everyone in the
/// registry), then each session's file by XInclude, in the edition's order.
pub fn corpus(about: &About, registry: &Registry, sessions: &[String]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\" xml:lang=\"{}\">\n<teiHeader>\n<fileDesc>\n<titleStmt><title>{}</title></titleStmt>\n<publicationStmt><publisher>{}</publisher>{}</publicationStmt>\n<sourceDesc><p>{}</p></sourceDesc>\n</fileDesc>\n",
        escape(about.language),
        escape(about.title),
        escape(about.title),
        availability(about),
        escape(about.description)
    );
    let people = registry.people();
    if !people.is_empty() {
        out.push_str("<profileDesc><particDesc><listPerson>\n");
        for p in people {
            let _ = write!(
                out,
                "<person xml:id=\"{}\"><persName>{}</persName>",
                person_xml_id(p.id.as_str()),
                escape(&p.name)
            );
            for alias in &p.aliases {
                let _ = write!(out, "<persName type=\"alias\">{}</persName>", escape(alias));
            }
            if let Some(a) = &p.affiliation {
                let role = p
                    .role
                    .as_deref()
                    .map(|r| format!(" role=\"{}\"", escape(r)))
                    .unwrap_or_default();
                let _ = write!(out, "<affiliation{role}>{}</affiliation>", escape(a));
            }
            if let Some(g) = &p.stakeholder {
                let _ = write!(
                    out,
                    "<affiliation type=\"stakeholder\">{}</affiliation>",
                    escape(g)
                );
            }
            if let Some(c) = &p.country {
                let _ = write!(out, "<nationality>{}</nationality>", escape(c));
            }
            out.push_str("</person>\n");
        }
        out.push_str("</listPerson></particDesc></profileDesc>\n");
    }
    out.push_str("</teiHeader>\n");
    for href in sessions {
        let _ = writeln!(out, "<xi:include href=\"{}\"/>", escape(href));
    }
    out.push_str("</teiCorpus>\n");
    out
}
