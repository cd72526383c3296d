//! The session's recording (`recording:`), checked: a web address, and an
//! offset written `HH:MM:SS`.

use crate::Layer;
use verbatim_diagnostics::Finding;
use verbatim_edition::Recording;

/// `HH:MM:SS` (or `MM:SS`) in milliseconds.
pub(super) fn clock(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (h, m, s) = match numbers.as_slice() {
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    (m < 60 && s < 60).then_some(((h * 60 + m) * 60 + s) * 1000)
}

/// The session's recording from its layers: the last layer that names one
/// (layers apply in path order); a bad address or offset is an error at it.
pub(super) fn resolve(layers: &[&Layer], findings: &mut Vec<Finding>) -> Option<Recording> {
    let mut out = None;
    for layer in layers {
        let Some(entry) = &layer.file.recording else {
            continue;
        };
        let url = entry.url.value.trim();
        let web = url.starts_with("http://") || url.starts_with("https://");
        if let Err(why) = verbatim_text::link::check(url).and_then(|()| {
            if web {
                Ok(())
            } else {
                Err(format!("`{url}` is not a web address"))
            }
        }) {
            findings.push(
                layer
                    .error_at(&entry.url, why)
                    .help("give the recording's http or https address, e.g. https://www.youtube.com/watch?v=…"),
            );
            continue;
        }
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
            url: url.to_string(),
            offset_ms,
        });
    }
    out
}

/// The editors' times (`times:`), by turn index, in milliseconds: each a
/// turn's (by id or quote) and written `HH:MM:SS`; times must not go back
/// as the turns go on. A bad entry is an error at it.
pub(super) fn times(
    layers: &[&Layer],
    text: &super::quotes::SessionText<'_>,
    findings: &mut Vec<Finding>,
) -> Vec<(usize, u64)> {
    let mut out: Vec<(usize, u64, &Layer, &serde_saphyr::Spanned<String>)> = Vec::new();
    for layer in layers {
        for entry in &layer.file.times {
            let Some(ms) = clock(&entry.at.value) else {
                findings.push(
                    layer
                        .error_at(&entry.at, format!("`{}` is not a time", entry.at.value))
                        .help("write when the turn was said as HH:MM:SS from the recording's start, e.g. 01:23:45"),
                );
                continue;
            };
            let Some(ti) = super::speakers::turn_of(
                layer,
                text,
                entry.turn.as_ref(),
                entry.quote.as_ref(),
                &entry.at,
                "a time",
                findings,
            ) else {
                continue;
            };
            if out.iter().any(|(t, ..)| *t == ti) {
                findings.push(
                    layer
                        .error_at(
                            &entry.at,
                            format!("turn `{}` has a time already", text.turns[ti].id),
                        )
                        .help("give each turn one time"),
                );
                continue;
            }
            out.push((ti, ms, layer, &entry.at));
        }
    }
    out.sort_by_key(|(ti, ..)| *ti);
    let mut kept: Vec<(usize, u64)> = Vec::new();
    for (ti, ms, layer, at) in out {
        if let Some(&(before, earlier)) = kept.last()
            && earlier > ms
        {
            findings.push(
                layer
                    .error_at(
                        at,
                        format!(
                            "`{}` is before the time of an earlier turn (`{}` at {})",
                            at.value,
                            text.turns[before].id,
                            clock_text(earlier)
                        ),
                    )
                    .help("times follow the turns: check this one and the earlier one"),
            );
            continue;
        }
        kept.push((ti, ms));
    }
    kept
}

/// Milliseconds as `HH:MM:SS`.
fn clock_text(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
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
