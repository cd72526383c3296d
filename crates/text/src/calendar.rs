//! Dates as editors and transcripts write them, checked against the calendar
//! (jiff), so `2018-02-30` or `2026-13-45` never reaches a page as a date.

use jiff::civil::Date;

/// The date `y-m-d` in ISO 8601 (`2019-11-29`), when it exists.
pub fn iso(y: i32, m: u32, d: u32) -> Option<String> {
    let date = Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    Some(date.strftime("%Y-%m-%d").to_string())
}

/// Today's date in UTC, `YYYY-MM-DD` (for records an editor makes, such
/// as a release; never for the build's output, which stays deterministic).
pub fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}

/// Milliseconds as a clock time, `HH:MM:SS` (seconds cut, not rounded: a
/// link to a moment never starts after it).
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Reads an editor's `HH:MM:SS` (or `MM:SS`) in milliseconds, when minutes
/// and seconds are below 60.
pub fn parse_clock(text: &str) -> Option<u64> {
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

/// Reads an editor's `YYYY-MM-DD`: the date, or what is wrong with it in
/// words an editor can act on.
pub fn parse_iso(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(format!("`{s}` is not a date written as YYYY-MM-DD"));
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    if !(1..=12).contains(&m) {
        return Err(format!("`{s}` has no month {m} (months are 01 to 12)"));
    }
    iso(y as i32, m, d)
        .and_then(|iso| iso.parse().ok())
        .ok_or_else(|| format!("`{s}` is not in the calendar: that month has no day {d}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_pass_and_impossible_ones_say_why() {
        assert_eq!(parse_iso("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(parse_iso("2023-02-29").unwrap_err().contains("no day 29"));
        assert!(parse_iso("2018-02-30").unwrap_err().contains("no day 30"));
        assert!(parse_iso("2026-13-45").unwrap_err().contains("no month 13"));
        assert!(parse_iso("yesterday").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_iso("2019-1-5").is_err());
        assert_eq!(iso(2006, 10, 30).as_deref(), Some("2006-10-30"));
        assert_eq!(iso(2009, 2, 30), None);
    }
}
