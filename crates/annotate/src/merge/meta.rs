//! Session metadata from the layers' `meta:` entries: fields, set once each,
//! and tags; no text involved.

use crate::Layer;
use crate::schema::MetaEntry;
use std::collections::HashMap;
use verbatim_diagnostics::Finding;
use verbatim_ingest as ingest;

pub(super) fn merge_meta(
    layers: &[&Layer],
    mut meta: ingest::Meta,
    findings: &mut Vec<Finding>,
) -> (ingest::Meta, Vec<String>) {
    let mut tags_seen: Vec<String> = Vec::new();
    let mut set_by: HashMap<&'static str, std::path::PathBuf> = HashMap::new();
    for layer in layers {
        let Some(e) = &layer.file.meta else { continue };
        let MetaEntry {
            title,
            date,
            event,
            year,
            city,
            country,
            room,
            session_code,
            tags,
            note: _,
        } = e;
        let mut set = |field: &'static str,
                       slot: &mut Option<String>,
                       value: &Option<String>,
                       findings: &mut Vec<Finding>| {
            if let Some(v) = value {
                if let Some(other) = set_by.get(field)
                    && slot.as_ref() != Some(v)
                {
                    findings.push(
                        Finding::error(
                            &layer.path,
                            1,
                            1,
                            format!("meta `{field}` is also set by {}", other.display()),
                        )
                        .with_source(&layer.source)
                        .help("set each metadata field in one file only"),
                    );
                    return;
                }
                set_by.insert(field, layer.path.clone());
                *slot = Some(v.clone());
            }
        };
        set("title", &mut meta.title, title, findings);
        set("event", &mut meta.event, event, findings);
        set("city", &mut meta.city, city, findings);
        set("country", &mut meta.country, country, findings);
        set("room", &mut meta.room, room, findings);
        set(
            "session_code",
            &mut meta.session_code,
            session_code,
            findings,
        );
        if let Some(d) = date {
            match verbatim_text::calendar::parse_iso(&d.value) {
                Ok(day) => {
                    set("date", &mut meta.date, &Some(d.value.clone()), findings);
                    meta.year = Some(i32::from(day.year()));
                }
                Err(why) => findings.push(
                    layer
                        .error_at(d, why)
                        .help("write dates as YYYY-MM-DD, e.g. 2019-11-29"),
                ),
            }
        }
        if let Some(y) = year {
            meta.year = Some(*y);
        }
        for t in tags {
            if !tags_seen.contains(t) {
                tags_seen.push(t.clone());
            }
        }
    }
    (meta, tags_seen)
}
