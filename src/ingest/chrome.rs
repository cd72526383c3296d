//! Recognising what the scraped page wrapped around the transcript: PHP
//! warnings, navigation, the captioning disclaimer, the contact footer.
//!
//! Every rule here omits text from the record, so each is narrow: a line that
//! merely resembles chrome stays in the record (kept junk is better than a lost word).

use super::model::OmissionReason;
use regex::Regex;
use std::sync::LazyLock;

static PHP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Deprecated|Warning|Notice|Strict Standards|Fatal error|Parse error|Catchable fatal error): .* on line \d+$")
        .expect("valid regex")
});
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(-{3,}|\*{3,}|_{3,}|={3,}|(\* ){2,}\*)$").expect("valid regex"));
static SITE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^<?https?://(www\.)?(intgovforum\.org|igf\.un\.org|un\.org)\S*?>?$")
        .expect("valid regex")
});
static CATEGORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Parent Category|Category|Published|Hits|Written by|Last Updated):\s")
        .expect("valid regex")
});

/// Reason to omit a line wherever it appears, or `None` to keep it.
pub fn junk_line(text: &str) -> Option<OmissionReason> {
    if PHP.is_match(text) {
        Some(OmissionReason::PhpWarning)
    } else if SEPARATOR.is_match(text) {
        Some(OmissionReason::Separator)
    } else if is_disclaimer(text) {
        Some(OmissionReason::Disclaimer)
    } else if text == "You are here"
        || text == "**Details**"
        || text.starts_with("Welcome to the United Nations")
        || SITE_URL.is_match(text)
        || CATEGORY.is_match(text)
    {
        Some(OmissionReason::SiteChrome)
    } else {
        None
    }
}

/// The standard notice that the text is real-time captioning, not an authoritative record.
pub fn is_disclaimer(text: &str) -> bool {
    // Cheap test first: this runs on every line of every transcript.
    if text.len() >= 1000 || !(text.contains("aptioning") || text.contains("APTIONING")) {
        return false;
    }
    let t = text.to_lowercase();
    t.contains("captioning")
        && (t.contains("authoritative record") || t.contains("largely accurate"))
        && t.len() < 1000
}

/// The first line of the secretariat's contact block that ends the page.
pub fn is_contact_heading(text: &str) -> bool {
    text.eq_ignore_ascii_case("Contact Information") || text.eq_ignore_ascii_case("Contact us")
}

/// Whether the lines after a contact heading look like an address block
/// (short lines, none of them a turn) rather than speech.
pub fn is_contact_block(rest: &[&str]) -> bool {
    rest.len() <= 20
        && rest
            .iter()
            .all(|l| l.chars().count() <= 80 && !l.starts_with('>'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_warnings_separators_and_chrome() {
        let php = "Deprecated: Array and string offset access syntax with curly braces is deprecated in /home/x/driver.php on line 1946";
        assert_eq!(junk_line(php), Some(OmissionReason::PhpWarning));
        assert_eq!(
            junk_line("Warning: foo() failed in /a.php on line 2"),
            Some(OmissionReason::PhpWarning)
        );
        assert_eq!(junk_line("***"), Some(OmissionReason::Separator));
        assert_eq!(junk_line("---"), Some(OmissionReason::Separator));
        assert_eq!(junk_line("You are here"), Some(OmissionReason::SiteChrome));
        assert_eq!(junk_line("**Details**"), Some(OmissionReason::SiteChrome));
        assert_eq!(
            junk_line("Parent Category: [IGF 2013](#)"),
            Some(OmissionReason::SiteChrome)
        );
        assert_eq!(
            junk_line("<http://www.intgovforum.org/cms/2013-bali/igf-2013-transcripts/1423>"),
            Some(OmissionReason::SiteChrome)
        );
    }

    #[test]
    fn speech_that_resembles_chrome_is_kept() {
        assert_eq!(junk_line("Warning: this is going to be long."), None);
        assert_eq!(junk_line("See https://example.org/report"), None);
        assert_eq!(junk_line("You are here because you care."), None);
        assert_eq!(junk_line("I like captioning a lot."), None);
    }

    #[test]
    fn disclaimer_variants() {
        assert!(is_disclaimer(
            "The following is the output of the real-time captioning taken during the Eighth Meeting of the IGF, in Bali, Indonesia. Although it is largely accurate, in some cases it may be incomplete."
        ));
        assert!(is_disclaimer(
            "This is the output of the real-time captioning taken during the IGF 2014 Istanbul, Turkey, meetings. It should not be treated as an authoritative record."
        ));
    }
}
