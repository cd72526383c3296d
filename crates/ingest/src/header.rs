//! Reading session metadata from the page heading and the captioning disclaimer.
//!
//! Only what the source states is recorded: a `Day 4` with an event range is
//! not turned into a date, because day numbering differs between years.

use super::model::Meta;
use super::profile::Profile;
use regex::Regex;
use std::sync::LazyLock;

static TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:IGF\s*\d{4}\s*[-–—]|(?:FINISHED|RAW|DRAFT|UNEDITED)?\s*[-–—]?\s*\d{4}[ .-]\d{1,2}[ .-]\d{1,2}\s*[-–—]|\d{4}[ .-]\d{1,2}[ .-]\d{1,2}\s+\p{Lu})")
        .expect("valid regex")
});
/// A title line that opens with its numeric date and no dash after it, the
/// captioner's status word at its end (`2015 11 13 Closing Ceremony Main
/// Meeting Hall FINISHED`): read as `date - title`.
static LEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4}[ .-]\d{1,2}[ .-]\d{1,2})\s+(\p{Lu}.*?)(?:\s+(?:FINISHED|RAW|DRAFT|UNEDITED))?$",
    )
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
/// Month names and their common abbreviations, as a regex alternation.
const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";

/// Dates as English headings write them: `30 October 2006`, `SEPTEMBER 16,
/// 2009`, `Sunday, 15 November 2009`, `14 September 10`, `27-30 September
/// 2011`, `November 12-14, 2018`, `2019-11-26`. A range gives a year, not a
/// session's date.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?ix)
        \b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|—|to|and)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTHS})\.?,?\s+(?P<y1>\d{{4}})\b
        | \b(?P<m2>{MONTHS})\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|—|to)\s*(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})\b
        | \b(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m3>{MONTHS})\.?,?\s+(?P<y3>\d{{4}}|\d{{2}}\b(?:$|\s*[|,.\-–]|\s+\d))
        | \b(?P<m4>{MONTHS})\.?\s+(?P<d6>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})\b
        | \b(?P<y5>(?:19|20)\d{{2}})-(?P<m5>\d{{2}})-(?P<d7>\d{{2}})\b
        | \b(?P<m6>{MONTHS})\.?,?\s+(?P<y6>(?:19|20)\d{{2}})\b
        "
    ))
    .expect("valid regex")
});

/// A date or date range found in a heading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Found {
    /// One day.
    Day(i32, u32, u32),
    /// Several days of one year (an event's range).
    Range(i32),
}

/// Every date and range in `text`, in order; impossible dates are skipped.
pub fn dates(text: &str) -> Vec<Found> {
    let month = |m: &str| -> Option<u32> {
        let m = m.to_lowercase();
        MONTHS.split('|').position(|name| name == m).map(|i| {
            [
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12,
            ][i]
        })
    };
    let year = |y: &str| -> Option<i32> {
        let y = y.trim_end_matches(|c: char| !c.is_ascii_digit());
        let y = y.get(..y.len().min(4))?;
        let n: i32 = y.parse().ok()?;
        // Two digits (`14 September 10`): this archive's century.
        Some(if y.len() == 2 { 2000 + n } else { n })
    };
    DATE.captures_iter(text)
        .filter_map(|c| {
            let get = |n: &str| c.name(n).map(|m| m.as_str());
            if let (Some(y), Some(_)) = (get("y1").or(get("y2")), get("d1").or(get("d3"))) {
                return year(y).map(Found::Range);
            }
            // A month of a year (`December 2014`): the year, not a day.
            if let Some(y) = get("y6") {
                return year(y).map(Found::Range);
            }
            let (y, m, d) = if let Some(y) = get("y3") {
                (year(y)?, month(get("m3")?)?, get("d5")?.parse().ok()?)
            } else if let Some(y) = get("y4") {
                (year(y)?, month(get("m4")?)?, get("d6")?.parse().ok()?)
            } else {
                (
                    year(get("y5")?)?,
                    get("m5")?.parse().ok()?,
                    get("d7")?.parse().ok()?,
                )
            };
            verbatim_text::calendar::iso(y, m, d).map(|_| Found::Day(y, m, d))
        })
        .collect()
}

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
/// `IGF 2010` alone on a heading line, or `Plenary 2: Trust in the Network – 2014`.
static EVENT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:IGF|EuroDIG|Internet Governance Forum)\s*((?:19|20)\d{2})\b|[–—-]\s*((?:19|20)\d{2})$")
        .expect("valid regex")
});
/// `IGF 2014`, `IGF 2017 Second Open Consultations` inside a disclaimer.
static EVENT_YEAR_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bIGF\s+((?:19|20)\d{2})\b").expect("valid regex"));

/// Whether a line is a time of day alone (`4:30 P.M.`, `10:00 a.m.`).
pub fn is_time(text: &str) -> bool {
    TIME.is_match(text.trim())
}

/// Whether a line is a session heading such as `IGF 2018 - Day 1 - Salle VI- WS40 …`
/// or `FINISHED - 2014 09 03 - WS139 - … - Room 9`.
pub fn is_title_line(text: &str) -> bool {
    TITLE_LINE.is_match(text)
}

/// Collects metadata from the heading lines and the disclaimers (their
/// lines joined), reading the forms `profile` knows (ordinal meetings).
pub fn read_meta(header: &[&str], disclaimers: &[String], profile: &Profile) -> Meta {
    let mut meta = Meta::default();
    let mut loose = Vec::new();
    let mut mentions_igf = false;
    let mut range_year = None;
    // Each step's new values are credited to what it read (`Meta::credit`).
    let mut seen = Meta::default();
    let mut from = String::new();
    for &line in header {
        meta.credit(&seen, &from);
        seen = meta.clone();
        let line = line.trim_start_matches('#').trim();
        from = format!("heading: {line}");
        if line.is_empty() {
            continue;
        }
        let upper = line.to_uppercase();
        if upper.contains("INTERNET GOVERNANCE FORUM") || upper.contains("IGF") {
            mentions_igf = true;
        }
        if let Some((event, year)) = profile.meeting_year(line) {
            meta.year.get_or_insert(year);
            meta.event.get_or_insert(format!("{event} {year}"));
        }
        if is_title_line(line) {
            read_title_line(line, &mut meta);
            continue;
        }
        let found = dates(line);
        for date in &found {
            match *date {
                Found::Day(y, m, d) => {
                    meta.year.get_or_insert(y);
                    if let Some(iso) = verbatim_text::calendar::iso(y, m, d) {
                        meta.date.get_or_insert(iso);
                    }
                }
                Found::Range(y) => {
                    range_year.get_or_insert(y);
                }
            }
        }
        if let Some(c) = TIME.captures(line) {
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
        } else if let Some(c) = EVENT_YEAR.captures(line) {
            let year = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
            if let Ok(year) = year.parse() {
                range_year.get_or_insert(year);
            }
            if c.get(1).is_none() && found.is_empty() {
                loose.push(line);
            }
        } else if found.is_empty() && !upper.contains("INTERNET GOVERNANCE FORUM") {
            loose.push(line);
        }
    }
    meta.credit(&seen, &from);
    seen = meta.clone();
    from = "the captioning disclaimer".to_string();
    for text in disclaimers {
        if text.contains("IGF") || text.contains("Internet Governance Forum") {
            mentions_igf = true;
        }
        if let Some((event, year)) = profile.meeting_year(text) {
            range_year.get_or_insert(year);
            meta.event.get_or_insert(format!("{event} {year}"));
        }
        if let Some(c) = PLACE_MEETINGS.captures(text) {
            range_year.get_or_insert(c[1].parse().unwrap_or(0));
            meta.city.get_or_insert(c[2].to_string());
            meta.country.get_or_insert(c[3].to_string());
        } else if let Some(c) = PLACE_IN.captures(text) {
            meta.city.get_or_insert(c[1].to_string());
            meta.country.get_or_insert(c[2].to_string());
        }
        for date in dates(text) {
            // A disclaimer's dates are the event's, not the session's.
            let (Found::Day(y, ..) | Found::Range(y)) = date;
            range_year.get_or_insert(y);
        }
        if let Some(c) = EVENT_YEAR_IN.captures(text) {
            range_year.get_or_insert(c[1].parse().unwrap_or(0));
        }
    }
    meta.credit(&seen, &from);
    seen = meta.clone();
    if meta.year.is_none() {
        meta.year = range_year;
    }
    meta.credit(&seen, "the event's dates");
    seen = meta.clone();
    // A line that only names the city (`BALI`) is not the title.
    let city = meta.city.as_deref().map(str::to_uppercase);
    loose.retain(|l| Some(l.to_uppercase()) != city);
    if meta.title.is_none() {
        // In the 2013 style, the heading block ends with the session title.
        meta.title = loose.last().map(|s| verbatim_text::squeeze(s));
        if let Some(line) = loose.last() {
            meta.credit(&seen, &format!("heading: {line}"));
            seen = meta.clone();
        }
    }
    if mentions_igf && let Some(year) = meta.year {
        meta.event.get_or_insert(format!("IGF {year}"));
    }
    meta.credit(&seen, "the year, in a heading that names the IGF");
    meta
}

fn read_title_line(line: &str, meta: &mut Meta) {
    let dashed;
    let line = match LEADING_DATE.captures(line) {
        Some(c) => {
            dashed = format!("{} - {}", &c[1], &c[2]);
            dashed.as_str()
        }
        None => line,
    };
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
            if let Some(iso) = verbatim_text::calendar::iso(y, m, d) {
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
        meta.title = Some(verbatim_text::squeeze(&title_parts.join(" - ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(header: &[&str], disclaimer: Option<&str>) -> Meta {
        let disclaimers: Vec<String> = disclaimer.into_iter().map(str::to_string).collect();
        read_meta(header, &disclaimers, &Profile::default_profile())
    }

    #[test]
    fn english_date_forms_of_every_generation() {
        for (line, want) in [
            (
                "30 October 2006 - A Main Session on Other in Athens, Greece",
                "2006-10-30",
            ),
            ("SEPTEMBER 16, 2009", "2009-09-16"),
            ("Sunday, 15 November 2009", "2009-11-15"),
            ("15 September 10", "2010-09-15"),
            ("12 June 2014 | 11:30-13:00", "2014-06-12"),
            ("6 SEPTEMBER 2017 10:00", "2017-09-06"),
            ("19 February 2014.", "2014-02-19"),
            ("Sept. 3rd, 2014", "2014-09-03"),
            ("2019-11-26", "2019-11-26"),
        ] {
            assert_eq!(meta_of(&[line], None).date.as_deref(), Some(want), "{line}");
        }
        for (line, year) in [
            ("27-30 September 2011", 2011),
            ("November 12-14, 2018", 2018),
            ("6-9 November 2012, Baku, Azerbaijan", 2012),
        ] {
            let m = meta_of(&[line], None);
            assert_eq!((m.date, m.year), (None, Some(year)), "{line}");
        }
        assert_eq!(meta_of(&["30 February 2009"], None).date, None);
    }

    #[test]
    fn each_value_says_where_it_was_read() {
        let m = meta_of(
            &[
                "Opening Session",
                "30 October 2006 - A Main Session in Athens, Greece",
            ],
            Some(
                "made during the Inaugural Meeting of the IGF, in Athens, Greece. Though it is largely accurate",
            ),
        );
        assert_eq!(
            m.sources["date"],
            "heading: 30 October 2006 - A Main Session in Athens, Greece"
        );
        assert_eq!(m.sources["year"], m.sources["date"]);
        assert_eq!(m.sources["city"], "the captioning disclaimer");
        assert_eq!(m.sources["title"], "heading: Opening Session");
    }

    #[test]
    fn ordinal_meetings_give_the_year() {
        let m = meta_of(
            &[],
            Some(
                "What follows is the output of the real-time captioning made during the Third Meeting of the IGF, in Hyderabad, India. Though it is largely accurate",
            ),
        );
        assert_eq!(m.year, Some(2008));
        assert_eq!(m.event.as_deref(), Some("IGF 2008"));
    }

    #[test]
    fn igf_title_line_with_room_and_code() {
        let meta = meta_of(
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

    /// The 2015 site's form: the date first with no dash after it, the
    /// status word last.
    #[test]
    fn title_line_opening_with_its_date_and_no_dash() {
        let meta = meta_of(&["2015 11 12 Opening Session Main Hall FINISHED"], None);
        assert_eq!(meta.date.as_deref(), Some("2015-11-12"));
        assert_eq!(meta.year, Some(2015));
        assert_eq!(meta.title.as_deref(), Some("Opening Session Main Hall"));
    }

    #[test]
    fn finished_title_line_with_numeric_date() {
        let meta = meta_of(
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
        let meta = meta_of(
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
        let meta = meta_of(
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
