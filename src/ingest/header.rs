//! Reading session metadata from the page heading and the captioning disclaimer.
//!
//! Only what the source states is recorded: a `Day 4` with an event range is
//! not turned into a date, because day numbering differs between years.

use super::model::Meta;
use regex::Regex;
use std::sync::LazyLock;

static TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:IGF\s*\d{4}\s*[-–—]|(?:FINISHED|RAW|DRAFT|UNEDITED)?\s*[-–—]?\s*\d{4}[ .-]\d{1,2}[ .-]\d{1,2}\s*[-–—])")
        .expect("valid regex")
});
static SEGMENT_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[–—]\s*|\s+-\s*|-\s+").expect("valid regex"));
static EVENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^IGF\s*(\d{4})$").expect("valid regex"));
static NUM_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})[ .-](\d{1,2})[ .-](\d{1,2})$").expect("valid regex"));
static DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^day\s*(\d{1,2})$").expect("valid regex"));
static ROOM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(room|salle|raum|sala|hall|main hall|workshop room|conference room|auditorium|plenary|ballroom|venue)\b.{0,30}$")
        .expect("valid regex")
});
static CODE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(WS|OF|LT|BPF|DC|NRI|IRP)\s?#?\s?(\d{1,4})$").expect("valid regex")
});
static CODE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(WS|OF|LT)\s?#?\s?(\d{1,4})\s*:?\s+(.+)$").expect("valid regex")
});
static STATUS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(FINISHED|RAW|DRAFT|UNEDITED)$").expect("valid regex"));
static MONTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{1,2}),?\s+(\d{4})$")
        .expect("valid regex")
});
static DAY_MONTH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,2})\s+(january|february|march|april|may|june|july|august|september|october|november|december),?\s+(\d{4})$")
        .expect("valid regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,2})[:.](\d{2})\s*([ap])\.?\s?m\.?$").expect("valid regex")
});
static PLACE_MEETINGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"IGF (\d{4}) (\p{Lu}[\p{L} ]+?), (\p{Lu}[\p{L} ]+?),? meeting")
        .expect("valid regex")
});
static PLACE_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bin (\p{Lu}[\p{L}]+(?: \p{Lu}[\p{L}]+)?), (\p{Lu}[\p{L}]+(?: \p{Lu}[\p{L}]+)?)(?:,|\.| from)")
        .expect("valid regex")
});
static RANGE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bfrom \d{1,2} to \d{1,2} \p{L}+ (\d{4})").expect("valid regex"));

/// Whether a line is a session heading such as `IGF 2018 - Day 1 - Salle VI- WS40 …`
/// or `FINISHED - 2014 09 03 - WS139 - … - Room 9`.
pub fn is_title_line(text: &str) -> bool {
    TITLE_LINE.is_match(text)
}

/// Collects metadata from the heading lines (before the disclaimer) and the disclaimer.
pub fn read_meta(header: &[&str], disclaimer: Option<&str>) -> Meta {
    let mut meta = Meta::default();
    let mut loose = Vec::new();
    let mut mentions_igf = false;
    for &line in header {
        let line = line.trim_start_matches('#').trim();
        if line.is_empty() {
            continue;
        }
        let upper = line.to_uppercase();
        if upper.contains("INTERNET GOVERNANCE FORUM") || upper.contains("IGF") {
            mentions_igf = true;
        }
        if is_title_line(line) {
            read_title_line(line, &mut meta);
        } else if let Some(date) = month_date(line) {
            meta.year.get_or_insert(date.0);
            if let Some(iso) = crate::calendar::iso(date.0, date.1, date.2) {
                meta.date.get_or_insert(iso);
            }
        } else if let Some(c) = TIME.captures(line) {
            let mut hour: u32 = c[1].parse().unwrap_or(0);
            let pm = c[3].eq_ignore_ascii_case("p");
            if pm && hour < 12 {
                hour += 12;
            } else if !pm && hour == 12 {
                hour = 0;
            }
            meta.time.get_or_insert(format!("{hour:02}:{}", &c[2]));
        } else if let Some(c) = CODE_ONLY.captures(line) {
            meta.session_code
                .get_or_insert(format!("{}{}", &c[1], &c[2]));
        } else if !upper.contains("INTERNET GOVERNANCE FORUM") {
            loose.push(line);
        }
    }
    if let Some(text) = disclaimer {
        if text.contains("IGF") || text.contains("Internet Governance Forum") {
            mentions_igf = true;
        }
        if let Some(c) = PLACE_MEETINGS.captures(text) {
            meta.year.get_or_insert(c[1].parse().unwrap_or(0));
            meta.city.get_or_insert(c[2].to_string());
            meta.country.get_or_insert(c[3].to_string());
        } else if let Some(c) = PLACE_IN.captures(text) {
            meta.city.get_or_insert(c[1].to_string());
            meta.country.get_or_insert(c[2].to_string());
        }
        if let Some(c) = RANGE_YEAR.captures(text) {
            meta.year.get_or_insert(c[1].parse().unwrap_or(0));
        }
    }
    // A line that only names the city (`BALI`) is not the title.
    let city = meta.city.as_deref().map(str::to_uppercase);
    loose.retain(|l| Some(l.to_uppercase()) != city);
    if meta.title.is_none() {
        // In the 2013 style, the heading block ends with the session title.
        meta.title = loose.last().map(|s| super::decode::squeeze(s));
    }
    if mentions_igf && let Some(year) = meta.year {
        meta.event.get_or_insert(format!("IGF {year}"));
    }
    meta
}

fn month_date(line: &str) -> Option<(i32, u32, u32)> {
    let (month, day, year) = if let Some(c) = MONTH_DATE.captures(line) {
        (c[1].to_lowercase(), c[2].parse().ok()?, c[3].parse().ok()?)
    } else {
        let c = DAY_MONTH_DATE.captures(line)?;
        (c[2].to_lowercase(), c[1].parse().ok()?, c[3].parse().ok()?)
    };
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let m = MONTHS.iter().position(|&n| n == month)? as u32 + 1;
    (1..=31).contains(&day).then_some((year, m, day))
}

fn read_title_line(line: &str, meta: &mut Meta) {
    let mut title_parts = Vec::new();
    for seg in SEGMENT_SPLIT
        .split(line)
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if let Some(c) = EVENT.captures(seg) {
            meta.year = c[1].parse().ok();
        } else if STATUS.is_match(seg) {
        } else if let Some(c) = NUM_DATE.captures(seg) {
            let (y, m, d): (i32, u32, u32) = (
                c[1].parse().unwrap_or(0),
                c[2].parse().unwrap_or(0),
                c[3].parse().unwrap_or(0),
            );
            if let Some(iso) = crate::calendar::iso(y, m, d) {
                meta.year = Some(y);
                meta.date = Some(iso);
            } else {
                title_parts.push(seg);
            }
        } else if let Some(c) = DAY.captures(seg) {
            meta.day = c[1].parse().ok();
        } else if ROOM.is_match(seg) && meta.room.is_none() {
            meta.room = Some(seg.to_string());
        } else if let Some(c) = CODE_ONLY.captures(seg) {
            meta.session_code = Some(format!("{}{}", &c[1], &c[2]));
        } else if let Some(c) = CODE_PREFIX.captures(seg).filter(|_| title_parts.is_empty()) {
            meta.session_code = Some(format!("{}{}", &c[1], &c[2]));
            title_parts.push(c.get(3).map_or("", |m| m.as_str()));
        } else {
            title_parts.push(seg);
        }
    }
    if !title_parts.is_empty() {
        meta.title = Some(super::decode::squeeze(&title_parts.join(" - ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn igf_title_line_with_room_and_code() {
        let meta = read_meta(
            &[
                "IGF 2018 - Day 1 - Salle VI- WS40 Internet Mega-Trends' Impact on the Internet’s Architecture",
            ],
            None,
        );
        assert_eq!(meta.year, Some(2018));
        assert_eq!(meta.event.as_deref(), Some("IGF 2018"));
        assert_eq!(meta.day, Some(1));
        assert_eq!(meta.room.as_deref(), Some("Salle VI"));
        assert_eq!(meta.session_code.as_deref(), Some("WS40"));
        assert_eq!(
            meta.title.as_deref(),
            Some("Internet Mega-Trends' Impact on the Internet’s Architecture")
        );
        assert_eq!(meta.date, None, "a day number is not a date");
    }

    #[test]
    fn finished_title_line_with_numeric_date() {
        let meta = read_meta(
            &[
                "FINISHED - 2014 09 03 - WS139 - Evaluating Mechanisms to Address Governance Issues - Room 9",
            ],
            Some(
                "This is the output of the real-time captioning taken during the IGF 2014 Istanbul, Turkey, meetings.",
            ),
        );
        assert_eq!(meta.date.as_deref(), Some("2014-09-03"));
        assert_eq!(meta.session_code.as_deref(), Some("WS139"));
        assert_eq!(meta.room.as_deref(), Some("Room 9"));
        assert_eq!(
            meta.title.as_deref(),
            Some("Evaluating Mechanisms to Address Governance Issues")
        );
        assert_eq!(
            (meta.city.as_deref(), meta.country.as_deref()),
            (Some("Istanbul"), Some("Turkey"))
        );
    }

    #[test]
    fn block_heading_with_month_date_and_time() {
        let meta = read_meta(
            &[
                "## EIGHTH INTERNET GOVERNANCE FORUM",
                "BALI",
                "OCTOBER 24, 2013",
                "4:30 P.M.",
                "UPDATE: INTERNET OF THINGS 2013",
            ],
            Some(
                "The following is the output of the real-time captioning taken during the Eighth Meeting of the IGF, in Bali, Indonesia. Although it is largely accurate",
            ),
        );
        assert_eq!(meta.date.as_deref(), Some("2013-10-24"));
        assert_eq!(meta.time.as_deref(), Some("16:30"));
        assert_eq!(meta.city.as_deref(), Some("Bali"));
        assert_eq!(meta.country.as_deref(), Some("Indonesia"));
        assert_eq!(
            meta.title.as_deref(),
            Some("UPDATE: INTERNET OF THINGS 2013")
        );
        assert_eq!(meta.event.as_deref(), Some("IGF 2013"));
    }

    #[test]
    fn disclaimer_with_event_range() {
        let meta = read_meta(
            &[],
            Some(
                "The following are the outputs of the real-time captioning taken during the Fourteenth Annual Meeting of the Internet Governance Forum (IGF) in Berlin, Germany, from 25 to 29 November 2019. Although it is largely accurate",
            ),
        );
        assert_eq!(meta.year, Some(2019));
        assert_eq!(meta.city.as_deref(), Some("Berlin"));
        assert_eq!(meta.country.as_deref(), Some("Germany"));
        assert_eq!(meta.date, None);
    }
}
