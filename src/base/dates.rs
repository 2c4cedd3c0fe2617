//! Calendar days in UTC: the unit of every window in the support policy.
//!
//! `rules.md`: "All day counts are whole days in UTC: days(a, b) = date(b) - date(a)".

use chrono::{DateTime, Duration, NaiveDate, Utc};

pub use chrono::NaiveDate as Day;

/// Parses `YYYY-MM-DD` or an RFC 3339 timestamp into its UTC calendar day.
pub fn parse_day(text: &str) -> Result<Day, String> {
    let bytes = text.as_bytes();
    let looks_like_date = bytes.len() == 10
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if looks_like_date {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("`{text}` is not a calendar date"));
    }
    if text.len() > 10 {
        if let Ok(timestamp) = DateTime::parse_from_rfc3339(text) {
            return Ok(timestamp.with_timezone(&Utc).date_naive());
        }
    }
    if let Some(day) = parse_ms_ajax_date(text) {
        return day;
    }
    Err(format!(
        "`{text}` is not a date: expected YYYY-MM-DD or an RFC 3339 timestamp"
    ))
}

/// `/Date(...)/` as a day (see [`parse_dotnet_date`]); `None` when `text`
/// does not have that shape, an error when it has it but is no instant.
fn parse_ms_ajax_date(text: &str) -> Option<Result<Day, String>> {
    text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    Some(
        parse_dotnet_date(text)
            .map(|t| t.date_naive())
            .ok_or_else(|| {
                format!("`{text}` is not a PowerShell date: expected /Date(milliseconds)/")
            }),
    )
}

/// `days(a, b)`: whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(from: Day, to: Day) -> i64 {
    (to - from).num_days()
}

/// The day `days` days after `day`, saturating at chrono's calendar limits.
pub fn add_days(day: Day, days: i64) -> Day {
    Duration::try_days(days)
        .and_then(|d| day.checked_add_signed(d))
        .unwrap_or(if days < 0 { Day::MIN } else { Day::MAX })
}

/// A .NET `DateTime` as Windows PowerShell 5.1's `ConvertTo-Json` writes it:
/// `"\/Date(1790726400000)\/"`, which JSON decodes to `/Date(1790726400000)/`
/// (milliseconds since 1970-01-01 UTC, sometimes followed by the writer's UTC
/// offset, `+0100`, which does not change the instant). `None` for any other text.
pub fn parse_dotnet_date(text: &str) -> Option<DateTime<Utc>> {
    let inner = text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map_or(inner.len(), |(i, _)| i);
    let (millis, offset) = inner.split_at(digits_end);
    let offset_ok = offset.is_empty()
        || (offset.len() == 5
            && offset.starts_with(['+', '-'])
            && offset.bytes().skip(1).all(|b| b.is_ascii_digit()));
    if !offset_ok {
        return None;
    }
    DateTime::from_timestamp_millis(millis.parse().ok()?)
}

/// Today in UTC: the default `--as-of`. Only the CLI calls this; rules never do.
pub fn today_utc() -> Day {
    Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_windows_powershell_writes_for_a_date() {
        // 2023-11-14T22:13:20Z
        assert_eq!(parse_day("/Date(1700000000000)/"), Ok(day("2023-11-14")));
        assert_eq!(
            parse_day("/Date(1700000000000+0100)/"),
            Ok(day("2023-11-14"))
        );
        assert_eq!(parse_day("/Date(-86400000)/"), Ok(day("1969-12-31")));
        assert!(parse_day("/Date(soon)/")
            .unwrap_err()
            .contains("PowerShell date"));
        assert!(parse_day("/Date(99999999999999999999)/").is_err());
    }

    fn day(s: &str) -> Day {
        parse_day(s).unwrap()
    }

    #[test]
    fn parses_both_forms() {
        assert_eq!(
            day("2026-08-01"),
            NaiveDate::from_ymd_opt(2026, 8, 1).unwrap()
        );
        assert_eq!(day("2026-08-01T12:00:00Z"), day("2026-08-01"));
        // 23:30 at UTC-2 is already the next day in UTC.
        assert_eq!(day("2026-08-01T23:30:00-02:00"), day("2026-08-02"));
    }

    #[test]
    fn rejects_impossible_and_sloppy_dates() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "",
            "2026-2-3",
            "26-02-03",
            "2026/02/03",
            "2026-02-03x",
            "2026-02-03T25:00:00Z",
        ] {
            assert!(parse_day(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn reads_powershell_dates() {
        let at = parse_dotnet_date("/Date(1790726400000)/").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-09-30T00:00:00+00:00");
        assert_eq!(parse_dotnet_date("/Date(1790726400000+0100)/"), Some(at));
        assert_eq!(
            parse_dotnet_date("/Date(-86400000)/").unwrap().date_naive(),
            day("1969-12-31")
        );
        for bad in [
            "/Date()/",
            "/Date(12ab)/",
            "/Date(1+01)/",
            "Date(1)",
            "/Date(99999999999999999999)/",
            "2026-09-30",
        ] {
            assert_eq!(parse_dotnet_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_counts() {
        assert_eq!(days_between(day("2026-01-01"), day("2026-01-31")), 30);
        assert_eq!(days_between(day("2026-01-31"), day("2026-01-01")), -30);
        assert_eq!(add_days(day("2024-02-28"), 1), day("2024-02-29"));
        assert_eq!(add_days(Day::MAX, 10), Day::MAX);
    }
}
