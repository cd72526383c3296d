//! Links an editor writes (a person's `links:`, the edition's `base_url`),
//! checked before any reaches a page: only web and mail links are published,
//! so a `javascript:`, `data:` or `vbscript:` URL, in any case and with any
//! whitespace a browser would ignore, is refused with the place it was written.

/// Checks a link for a page: `http`, `https` or `mailto`, or a link relative
/// to the site. Returns what is wrong, in an editor's words.
pub fn check(link: &str) -> Result<(), String> {
    // Browsers drop ASCII whitespace and control characters inside a scheme
    // (`java\tscript:`), so the scheme is read as they read it.
    let seen: String = link
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    if seen.is_empty() {
        return Err("the link is empty".into());
    }
    match url::Url::parse(&seen) {
        Ok(url) => match url.scheme() {
            "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
            "http" | "https" => Err(format!("`{link}` names no host")),
            "mailto" => Ok(()),
            other => Err(format!(
                "`{link}` is a `{other}:` link; only http, https and mailto links are published"
            )),
        },
        // No scheme: a link relative to the site, unless its first segment
        // holds a colon, which a browser would read as a scheme.
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let first = seen.split(['/', '?', '#']).next().unwrap_or("");
            if first.contains(':') {
                Err(format!("`{link}` is not a link a page can use"))
            } else {
                Ok(())
            }
        }
        Err(e) => Err(format!("`{link}` is not a valid link ({e})")),
    }
}

/// Checks the URL a site is published at: absolute, `http` or `https`.
pub fn check_base(link: &str) -> Result<(), String> {
    match url::Url::parse(link.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            if url.query().is_some() || url.fragment().is_some() {
                Err(format!(
                    "`{link}` has a query or fragment; give the folder the site is published at"
                ))
            } else {
                Ok(())
            }
        }
        Ok(url) => Err(format!(
            "`{link}` is a `{}:` URL; the site's address starts with https:// or http://",
            url.scheme()
        )),
        Err(e) => Err(format!(
            "`{link}` is not an absolute URL ({e}), such as https://example.org/igf/"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_links_are_refused_however_written() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "VBScript:msgbox",
            "\u{1}javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        for good in [
            "https://www.intgovforum.org/",
            "http://example.org/a?b#c",
            "mailto:someone@example.org",
            "/people/avri-doria.html",
            "../about.html",
        ] {
            assert_eq!(check(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn a_base_url_is_an_absolute_web_address() {
        assert!(check_base("https://example.org/igf/").is_ok());
        assert!(check_base("javascript:alert(1)//").is_err());
        assert!(check_base("example.org").is_err());
        assert!(check_base("/igf/").is_err());
    }
}
