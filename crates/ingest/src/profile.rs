//! Source profiles: what ingest knows of an archive's forms, as data. The
//! default is the IGF's (`profiles/igf.yaml`, compiled in); an edition's
//! `verbatim.yaml` may add lines, patterns and phrases of its own under
//! `ingest:` (see [`Extension`]).

use regex::Regex;
use serde::Deserialize;
use std::sync::{Arc, LazyLock};

/// A profile as written in YAML.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    /// The profile's name (`igf`).
    pub name: String,
    /// Groups of phrases: a paragraph holding one phrase of every group is
    /// the captioning disclaimer.
    #[serde(default)]
    pub disclaimer: Vec<Vec<String>>,
    /// Whole lines of site furniture, set aside outside the spoken record.
    #[serde(default)]
    pub chrome_lines: Vec<String>,
    /// Regular expressions for lines of furniture, set aside anywhere.
    #[serde(default)]
    pub chrome_patterns: Vec<String>,
    /// Single words accepted as mixed-case labels.
    #[serde(default)]
    pub role_words: Vec<String>,
    /// Meeting series whose meetings are named by ordinal.
    #[serde(default)]
    pub meetings: Vec<MeetingSeries>,
}

/// A series of meetings named by ordinal: the n-th meeting is held in
/// `first_year + n - 1`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingSeries {
    /// The names the series goes by (`IGF`, `Internet Governance Forum`).
    pub names: Vec<String>,
    /// The event name recorded for a session (`IGF`, giving `IGF 2013`).
    pub event: String,
    /// The year of the first meeting.
    pub first_year: i32,
}

/// What an edition adds to its profile in `verbatim.yaml` (`ingest:`).
#[derive(Debug, Clone, Deserialize, Default, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// The profile to start from (only `igf` is built in).
    #[serde(default)]
    pub profile: Option<String>,
    /// More phrase groups for the disclaimer.
    #[serde(default)]
    pub disclaimer: Vec<Vec<String>>,
    /// More lines of site furniture.
    #[serde(default)]
    pub chrome_lines: Vec<String>,
    /// More patterns of furniture.
    #[serde(default)]
    pub chrome_patterns: Vec<String>,
    /// More role words.
    #[serde(default)]
    pub role_words: Vec<String>,
}

/// A profile ready to use: phrases lower-cased, patterns compiled.
#[derive(Debug)]
pub struct Profile {
    pub name: String,
    disclaimer: Vec<Vec<String>>,
    /// The last group's phrases as written, in upper case and capitalised,
    /// found in one pass (SIMD-accelerated, as case-insensitive search is
    /// not): nearly every line of every transcript is asked whether it is
    /// the disclaimer, and nearly none holds any of them.
    disclaimer_hint: Option<aho_corasick::AhoCorasick>,
    chrome_lines: std::collections::HashSet<String>,
    /// Every furniture pattern in one set: every line is asked, once.
    chrome_patterns: regex::RegexSet,
    role_words: Vec<String>,
    meetings: Vec<(Regex, String, i32)>,
}

const IGF: &str = include_str!("profiles/igf.yaml");

/// Longest text taken for a disclaimer alone.
const MAX_DISCLAIMER_BYTES: usize = 800;

static DEFAULT: LazyLock<Arc<Profile>> = LazyLock::new(|| {
    let file: ProfileFile =
        serde_saphyr::from_str(IGF).expect("the built-in profile is valid YAML");
    Arc::new(Profile::new(file).expect("the built-in profile's patterns are valid"))
});

/// Ordinal words and the numbers they stand for, as meeting names use them.
const ORDINALS: [&str; 25] = [
    "first|inaugural|1st",
    "second|2nd",
    "third|3rd",
    "fourth|4th",
    "fifth|5th",
    "sixth|6th",
    "seventh|7th",
    "eighth|eigth|8th",
    "ninth|9th",
    "tenth|10th",
    "eleventh|11th",
    "twelfth|12th",
    "thirteenth|13th",
    "fourteenth|14th",
    "fifteenth|15th",
    "sixteenth|16th",
    "seventeenth|17th",
    "eighteenth|18th",
    "nineteenth|19th",
    "twentieth|20th",
    "twenty-first|21st",
    "twenty-second|22nd",
    "twenty-third|23rd",
    "twenty-fourth|24th",
    "twenty-fifth|25th",
];

impl Profile {
    /// The built-in IGF profile.
    pub fn default_profile() -> Arc<Profile> {
        DEFAULT.clone()
    }

    /// Compiles a profile; a pattern that is not a valid regular expression
    /// is an error naming it.
    pub fn new(file: ProfileFile) -> Result<Profile, String> {
        for p in &file.chrome_patterns {
            Regex::new(p).map_err(|e| {
                format!("chrome pattern `{p}` is not a valid regular expression: {e}")
            })?;
        }
        let chrome_patterns =
            regex::RegexSet::new(&file.chrome_patterns).map_err(|e| e.to_string())?;
        let meetings = file
            .meetings
            .iter()
            .map(|m| {
                let names: Vec<String> = m.names.iter().map(|n| regex::escape(n)).collect();
                let ordinals = ORDINALS.join("|");
                let re = Regex::new(&format!(
                    r"(?i)\b({ordinals})\s+(?:annual\s+)?meeting\s+of\s+the\s+(?:{})\b",
                    names.join("|")
                ))
                .map_err(|e| e.to_string())?;
                Ok((re, m.event.clone(), m.first_year))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let disclaimer_hint = match file.disclaimer.last() {
            Some(group) => {
                let mut forms: Vec<String> = Vec::new();
                for phrase in group {
                    let lower = phrase.to_lowercase();
                    let mut capitalised = lower.clone();
                    if let Some(first) = capitalised.get_mut(..1) {
                        first.make_ascii_uppercase();
                    }
                    forms.extend([phrase.to_uppercase(), capitalised, lower]);
                }
                Some(
                    aho_corasick::AhoCorasick::new(&forms)
                        .map_err(|e| format!("a disclaimer phrase cannot be searched for: {e}"))?,
                )
            }
            None => None,
        };
        Ok(Profile {
            name: file.name,
            disclaimer_hint,
            disclaimer: file
                .disclaimer
                .iter()
                .map(|g| g.iter().map(|p| p.to_lowercase()).collect())
                .collect(),
            chrome_lines: file
                .chrome_lines
                .iter()
                .map(|l| l.trim().to_lowercase())
                .collect(),
            chrome_patterns,
            role_words: file.role_words.iter().map(|w| w.to_lowercase()).collect(),
            meetings,
        })
    }

    /// The built-in profile an extension names, with the extension's additions.
    pub fn extended(extension: &Extension) -> Result<Profile, String> {
        let mut file: ProfileFile = match extension.profile.as_deref() {
            None | Some("igf") => serde_saphyr::from_str(IGF).map_err(|e| e.to_string())?,
            Some(other) => {
                return Err(format!(
                    "there is no built-in profile `{other}`; the built-in profile is `igf`"
                ));
            }
        };
        file.disclaimer.extend(extension.disclaimer.iter().cloned());
        file.chrome_lines
            .extend(extension.chrome_lines.iter().cloned());
        file.chrome_patterns
            .extend(extension.chrome_patterns.iter().cloned());
        file.role_words.extend(extension.role_words.iter().cloned());
        Profile::new(file)
    }

    /// Whether `text` (a paragraph, its lines joined) is the captioning
    /// disclaimer. Real ones are a few hundred characters: a longer line
    /// that holds one holds speech too (a transcript run together on one
    /// line), and is kept whole rather than lose its words.
    pub fn is_disclaimer(&self, text: &str) -> bool {
        if text.len() >= MAX_DISCLAIMER_BYTES
            || self
                .disclaimer_hint
                .as_ref()
                .is_none_or(|hint| !hint.is_match(text))
        {
            return false;
        }
        let t = text.to_lowercase();
        // Each group needs a phrase of its own: "live transcription" holds
        // "transcription", and one phrase must not stand for two groups (a
        // speaker mentioning the live transcription is not the notice).
        let spans: Vec<Vec<(usize, usize)>> = self
            .disclaimer
            .iter()
            .map(|group| {
                group
                    .iter()
                    .flat_map(|phrase| {
                        t.match_indices(phrase.as_str())
                            .map(|(at, _)| (at, at + phrase.len()))
                    })
                    .collect()
            })
            .collect();
        if !disjoint_choice(&spans, &mut Vec::new()) {
            return false;
        }
        let first = spans.iter().flatten().map(|s| s.0).min().unwrap_or(0);
        let last = spans.iter().flatten().map(|s| s.1).max().unwrap_or(0);
        // The notice must be most of the text: speech run into the same
        // line before or after it is not to be taken with it.
        let around = first + (t.len() - last);
        around * 10 <= t.len() * 4 || around <= 120
    }

    /// Where in `text` the disclaimer's hint phrases start (byte offsets, in
    /// order): one pass over a whole transcript, so that only the lines
    /// holding one are asked [`Profile::is_disclaimer`].
    pub fn disclaimer_hints(&self, text: &str) -> Vec<usize> {
        self.disclaimer_hint
            .as_ref()
            .map(|hint| hint.find_iter(text).map(|m| m.start()).collect())
            .unwrap_or_default()
    }

    /// Whether a whole line is site furniture (outside the record).
    pub fn is_chrome_line(&self, line: &str) -> bool {
        line.len() < 200 && self.chrome_lines.contains(&line.trim().to_lowercase())
    }

    /// Whether a line matches one of the furniture patterns (anywhere).
    pub fn is_chrome_pattern(&self, line: &str) -> bool {
        self.chrome_patterns.is_match(line)
    }

    /// Whether a single word is a role that labels a turn.
    pub fn is_role_word(&self, word: &str) -> bool {
        let w = word.trim_end_matches('.').to_lowercase();
        self.role_words.contains(&w)
    }

    /// The event and year of an ordinal meeting named in `text`.
    pub fn meeting_year(&self, text: &str) -> Option<(String, i32)> {
        self.meetings.iter().find_map(|(re, event, first)| {
            let c = re.captures(text)?;
            let word = c[1].to_lowercase();
            let n = ORDINALS
                .iter()
                .position(|o| o.split('|').any(|w| w == word))?;
            Some((event.clone(), first + n as i32))
        })
    }
}

/// Whether one span can be chosen from each group with no two overlapping
/// (`chosen` holds the choices so far). Groups and matches are few: a
/// disclaimer has two or three groups, each matched a handful of times.
fn disjoint_choice(groups: &[Vec<(usize, usize)>], chosen: &mut Vec<(usize, usize)>) -> bool {
    let Some((group, rest)) = groups.split_first() else {
        return true;
    };
    for &span in group {
        if chosen.iter().all(|c| span.1 <= c.0 || c.1 <= span.0) {
            chosen.push(span);
            let found = disjoint_choice(rest, chosen);
            chosen.pop();
            if found {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_igf_profile_reads_its_archive_forms() {
        let p = Profile::default_profile();
        assert!(p.is_disclaimer("This text is supplied in a rough draft format. Communication Access Realtime Translation (CART) is offered to make the proceedings accessible and may not be a fully verbatim record of them."));
        assert!(!p.is_disclaimer("The captioning is wonderful today."));
        // One phrase answers both groups ("live transcription" holds
        // "transcription"): a speaker describing the service, not the notice.
        assert!(!p.is_disclaimer(
            "the live transcription goes out on the website so people at home can follow"
        ));
        assert!(p.is_disclaimer(
            "Note: this live transcription, produced by captioning, is not an authoritative record."
        ));
        assert_eq!(
            p.meeting_year("made during the Eighth Meeting of the IGF, in Bali"),
            Some(("IGF".into(), 2013))
        );
        assert_eq!(
            p.meeting_year("The Inaugural Meeting of the IGF, in Athens"),
            Some(("IGF".into(), 2006))
        );
        assert_eq!(
            p.meeting_year("the Twelfth Annual Meeting of the Internet Governance Forum (IGF)"),
            Some(("IGF".into(), 2017))
        );
        assert!(p.is_chrome_line("Also available in:"));
        assert!(p.is_role_word("Moderator"));
    }

    #[test]
    fn an_edition_adds_its_own_forms_and_a_bad_pattern_is_named() {
        let extension = Extension {
            chrome_lines: vec!["Council Chambers".into()],
            ..Extension::default()
        };
        assert!(
            Profile::extended(&extension)
                .unwrap()
                .is_chrome_line("council chambers")
        );
        let bad = Extension {
            chrome_patterns: vec!["(".into()],
            ..Extension::default()
        };
        assert!(Profile::extended(&bad).unwrap_err().contains("`(`"));
    }
}
