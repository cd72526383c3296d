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
