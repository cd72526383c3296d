//! Recognising what the scraped page wrapped around the transcript: PHP
//! warnings, separators, the captioning disclaimer, the site's furniture and
//! the contact footer. What is specific to an archive (its disclaimer's
//! words, its menus and widgets) comes from the source profile.
//!
//! Every rule here omits text from the record, so each is narrow: a line that
//! merely resembles chrome stays in the record (kept junk is better than a lost word).

use super::model::OmissionReason;
use super::profile::Profile;
use regex::Regex;
use std::sync::LazyLock;

static PHP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(Deprecated|Warning|Notice|Strict Standards|Fatal error|Parse error|Catchable fatal error): .* on line \d+$")
        .expect("valid regex")
});
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(-{3,}|\*{3,}|_{3,}|={3,}|~{3,}|(\*+ ){2,}\*+|\.)$").expect("valid regex")
});
/// A time stamp alone on its line (`[00:03:41]`, `00:03:41`), as council
/// caption pages and exported transcripts interleave them.
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[?\(?\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?\)?\]?$").expect("valid regex")
});

/// Reason to omit a line wherever it appears, or `None` to keep it.
/// `hinted` says the line holds one of the disclaimer's hint phrases
/// ([`Profile::disclaimer_hints`]); no other line can be the disclaimer.
pub fn junk_line(text: &str, hinted: bool, profile: &Profile) -> Option<OmissionReason> {
    if PHP.is_match(text) {
        Some(OmissionReason::PhpWarning)
    } else if SEPARATOR.is_match(text) {
        Some(OmissionReason::Separator)
    } else if TIMESTAMP.is_match(text) {
        Some(OmissionReason::CueTiming)
    } else if hinted && profile.is_disclaimer(text) {
        Some(OmissionReason::Disclaimer)
    } else if profile.is_chrome_pattern(text) {
        Some(OmissionReason::SiteChrome)
    } else {
        None
    }
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

    fn junk(text: &str) -> Option<OmissionReason> {
        junk_line(text, true, &Profile::default_profile())
    }

    #[test]
    fn php_warnings_separators_and_chrome() {
        let php = "Deprecated: Array and string offset access syntax with curly braces is deprecated in /home/x/driver.php on line 1946";
        assert_eq!(junk(php), Some(OmissionReason::PhpWarning));
        assert_eq!(
            junk("Warning: foo() failed in /a.php on line 2"),
            Some(OmissionReason::PhpWarning)
        );
        assert_eq!(junk("***"), Some(OmissionReason::Separator));
        assert_eq!(junk("* * ** * *"), Some(OmissionReason::Separator));
        assert_eq!(junk("---"), Some(OmissionReason::Separator));
        assert_eq!(junk("[00:03:41]"), Some(OmissionReason::CueTiming));
        assert_eq!(
            junk("Parent Category: [IGF 2013](#)"),
            Some(OmissionReason::SiteChrome)
        );
        assert_eq!(
            junk("<http://www.intgovforum.org/cms/2013-bali/igf-2013-transcripts/1423>"),
            Some(OmissionReason::SiteChrome)
        );
    }

    #[test]
    fn speech_that_resembles_chrome_is_kept() {
        assert_eq!(junk("Warning: this is going to be long."), None);
        assert_eq!(junk("See https://example.org/report"), None);
        assert_eq!(junk("You are here because you care."), None);
        assert_eq!(junk("I like captioning a lot."), None);
        assert_eq!(junk("It is 10:30:00 now."), None);
    }

    #[test]
    fn disclaimer_variants() {
        for text in [
            "The following is the output of the real-time captioning taken during the Eighth Meeting of the IGF, in Bali, Indonesia. Although it is largely accurate, in some cases it may be incomplete.",
            "This is the output of the real-time captioning taken during the IGF 2014 Istanbul, Turkey, meetings. It should not be treated as an authoritative record.",
        ] {
            assert_eq!(junk(text), Some(OmissionReason::Disclaimer), "{text}");
        }
    }
}
