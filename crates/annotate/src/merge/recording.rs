//! The session's recording (`recording:`), checked: a web address or a
//! media file of the edition, and an offset written `HH:MM:SS`; the
//! editors' times (`times:`) and the moments entries name (`at:`).

use crate::Layer;
use serde_saphyr::Spanned;
use std::collections::BTreeSet;
use verbatim_diagnostics::Finding;
use verbatim_edition::{Player, Recording};

pub(super) use verbatim_text::calendar::parse_clock as clock;

/// A moment an entry names (`at:` on a correction or an attribution), in
/// milliseconds; a bad one is an error at it.
pub(super) fn moment(
    layer: &Layer,
    at: Option<&Spanned<String>>,
    findings: &mut Vec<Finding>,
) -> Option<u64> {
    let at = at?;
    let ms = clock(&at.value);
    if ms.is_none() {
        findings.push(
            layer
                .error_at(at, format!("`{}` is not a time", at.value))
                .help("write the moment as HH:MM:SS of the transcript's time, e.g. 01:23:45"),
        );
    }
    ms
}

/// The session's recording from its layers: the last layer that names one
/// (layers apply in path order); a bad address, file or offset is an error
/// at it. `media` lists the edition's media files.
pub(super) fn resolve(
    layers: &[&Layer],
    media: &BTreeSet<String>,
    findings: &mut Vec<Finding>,
) -> Option<Recording> {
    let mut out = None;
    for layer in layers {
        let Some(entry) = &layer.file.recording else {
            continue;
        };
        let (url, player) = match (&entry.url, &entry.file) {
            (Some(url), None) => match hosted(&url.value) {
                Ok(address) => (address, None),
                Err(why) => {
                    findings.push(layer.error_at(url, why).help(
                        "give the recording's http or https address, e.g. https://www.youtube.com/watch?v=…, or a media file of the edition as `file: media/…`",
                    ));
                    continue;
                }
            },
            (None, Some(file)) => match local(&file.value, media) {
                Ok(found) => found,
                Err((why, help)) => {
                    findings.push(layer.error_at(file, why).help(help));
                    continue;
                }
            },
            (Some(url), Some(_)) => {
                findings.push(
                    layer
                        .error_at(url, "the recording has both a `url:` and a `file:`")
                        .help("keep the one the page should play"),
                );
                continue;
            }
            (None, None) => {
                let at = entry.offset.as_ref().map_or_else(
                    || {
                        Finding::error(
                            layer.path.as_path(),
                            1,
                            1,
                            "the recording names neither a `url:` nor a `file:`",
                        )
                    },
                    |o| layer.error_at(o, "the recording names neither a `url:` nor a `file:`"),
                );
                findings.push(at.help("add `url: https://…` for a hosted recording or `file: media/…` for one published with the edition"));
                continue;
            }
        };
        let offset_ms = match &entry.offset {
            None => 0,
            Some(offset) => match clock(&offset.value) {
                Some(ms) => ms,
                None => {
                    findings.push(
                        layer
                            .error_at(offset, format!("`{}` is not a time", offset.value))
                            .help("write the offset as HH:MM:SS, e.g. 00:01:30"),
                    );
                    continue;
                }
            },
        };
        out = Some(Recording {
            url,
            offset_ms,
            player,
        });
    }
    out
}

/// A hosted recording's address, checked.
fn hosted(url: &str) -> Result<String, String> {
    let url = url.trim();
    verbatim_text::link::check(url)?;
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.to_string())
    } else {
        Err(format!("`{url}` is not a web address"))
    }
}

/// A media file of the edition: its path and its player, or what is wrong
/// and what to do.
fn local(
    file: &str,
    media: &BTreeSet<String>,
) -> Result<(String, Option<Player>), (String, String)> {
    let path = file.trim().trim_start_matches("./");
    if !path.starts_with("media/") {
        return Err((
            format!("`{file}` is not in the edition's media folder"),
            "put the file under media/ at the edition's root and write `file: media/NAME`".into(),
        ));
    }
    if !media.contains(path) {
        let near = verbatim_diagnostics::nearest(path, media.iter().map(String::as_str));
        let help = match near.first() {
            Some(n) => format!("did you mean `{n}`?"),
            None => "copy the recording into media/ at the edition's root".into(),
        };
        return Err((format!("no media file `{path}` in the edition"), help));
    }
    match Player::for_file(path) {
        Some(player) => Ok((path.to_string(), Some(player))),
        None => Err((
            format!("`{path}` is not a kind of media file browsers play"),
            "use an audio (mp3, m4a, ogg, opus, wav, flac) or video (mp4, webm, ogv) file".into(),
        )),
    }
}

/// The editors' times (`times:`), by turn and paragraph index, in
/// milliseconds: each a paragraph's (a turn's id names its first, a quote
/// the one it is in) and written `HH:MM:SS`; times must not go back as the
/// record goes on. A bad entry is an error at it.
pub(super) fn times(
    layers: &[&Layer],
    text: &super::quotes::SessionText<'_>,
    findings: &mut Vec<Finding>,
) -> Vec<((usize, usize), u64)> {
    // Each time: its paragraph (turn, position), its milliseconds, and
    // where it is written.
    type Written<'a> = ((usize, usize), u64, &'a Layer, &'a Spanned<String>);
    let mut out: Vec<Written> = Vec::new();
    for layer in layers {
        for entry in &layer.file.times {
            let Some(ms) = clock(&entry.at.value) else {
                findings.push(
                    layer
                        .error_at(&entry.at, format!("`{}` is not a time", entry.at.value))
                        .help("write when it was said as HH:MM:SS of the transcript's time, e.g. 01:23:45"),
                );
                continue;
            };
            let Some(at) = paragraph_of(layer, text, entry, findings) else {
                continue;
            };
            if out.iter().any(|(p, ..)| *p == at) {
                let id = &text.turns[at.0].paragraphs[at.1].id;
                findings.push(
                    layer
                        .error_at(&entry.at, format!("paragraph `{id}` has a time already"))
                        .help("give each paragraph one time"),
                );
                continue;
            }
            out.push((at, ms, layer, &entry.at));
        }
    }
    out.sort_by_key(|(p, ..)| *p);
    let mut kept: Vec<((usize, usize), u64)> = Vec::new();
    for (p, ms, layer, at) in out {
        if let Some(&((ti, pi), earlier)) = kept.last()
            && earlier > ms
        {
            findings.push(
                layer
                    .error_at(
                        at,
                        format!(
                            "`{}` is before the time of an earlier paragraph (`{}` at {})",
                            at.value,
                            text.turns[ti].paragraphs[pi].id,
                            verbatim_text::calendar::clock(earlier)
                        ),
                    )
                    .help("times follow the record: check this one and the earlier one"),
            );
            continue;
        }
        kept.push((p, ms));
    }
    kept
}

/// The paragraph a time entry names: by a turn's id (its first paragraph),
/// a paragraph's id, or a quote found in exactly one paragraph.
fn paragraph_of(
    layer: &Layer,
    text: &super::quotes::SessionText<'_>,
    entry: &crate::schema::TimeEntry,
    findings: &mut Vec<Finding>,
) -> Option<(usize, usize)> {
    match (&entry.turn, &entry.quote) {
        (Some(id), None) => {
            if let Some(&ti) = text.index.turns.get(id.value.as_str()) {
                return Some((ti, 0));
            }
            let found = text.index.paragraph(&id.value);
            if found.is_none() {
                findings.push(text.index.unknown(layer, id));
            }
            found
        }
        (None, Some(q)) => {
            let mut hits: Vec<(usize, usize)> = text
                .quotes
                .hits(&q.value)
                .iter()
                .map(|h| (h.0, h.1))
                .collect();
            hits.dedup();
            match hits.as_slice() {
                [one] => Some(*one),
                [] => {
                    findings.push(
                        layer
                            .error_at(q, format!("no paragraph contains `{}`", q.value))
                            .help("quote the text exactly as captioned"),
                    );
                    None
                }
                many => {
                    let ids: Vec<&str> = many
                        .iter()
                        .map(|&(ti, pi)| text.turns[ti].paragraphs[pi].id.as_str())
                        .collect();
                    findings.push(
                        layer
                            .error_at(
                                q,
                                format!(
                                    "{} paragraphs contain `{}`: {}",
                                    many.len(),
                                    q.value,
                                    ids.join(", ")
                                ),
                            )
                            .help("use `turn:` with one of these ids"),
                    );
                    None
                }
            }
        }
        (turn, quote) => {
            let msg = "a time needs exactly one of `turn:` or `quote:`";
            findings
                .push(layer.error_at(turn.as_ref().or(quote.as_ref()).unwrap_or(&entry.at), msg));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_times() {
        assert_eq!(super::clock("01:02:03"), Some(3_723_000));
        assert_eq!(super::clock("02:03"), Some(123_000));
        for bad in ["1:60:00", "12", "a:b:c", "1::2", "-1:00"] {
            assert_eq!(super::clock(bad), None, "{bad}");
        }
    }
}
