//! Calendar days in UTC: the unit of every window in the support policy,
//! and [`When`], a date as precisely as its sources give it.
//!
//! `rules.md`: "All day counts are whole days in UTC: days(a, b) = date(b) - date(a)".

use std::fmt;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};

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

/// A date as precisely as its sources give it, the one date model of the
/// catalog: one day; one day that is only an estimate (AksHci dates the
/// sources derive from a tag or a build number); or the span of days it lies
/// in, not before `earliest` and not after `latest` (a month: an Azure Local
/// release known by its `YYMM` name, a page that says "April 2026"; or a
/// window two sources bound). A verdict that rests on a span is given only
/// when it holds on every day of it; `~` marks what is not one sourced day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    pub earliest: Day,
    pub latest: Day,
    estimate: bool,
}

/// How precise a [`When`] is, as reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Estimate,
    Month,
    Window,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Estimate => "estimate",
            Precision::Month => "month",
            Precision::Window => "window",
        }
    }
}

/// Where a day stands against a change that happens on a [`When`] (the
/// first day things are different): before it whatever the exact day, on or
/// after it whatever the exact day, or in between (it depends on the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    Between,
    After,
}

/// The last day of a month.
fn month_end(year: i32, month: u32) -> Option<Day> {
    let first = Day::from_ymd_opt(year, month, 1)?;
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
}

impl When {
    /// One sourced day.
    pub fn day(day: Day) -> Self {
        Self {
            earliest: day,
            latest: day,
            estimate: false,
        }
    }

    /// One day that is a best guess.
    pub fn estimate(day: Day) -> Self {
        Self {
            estimate: true,
            ..Self::day(day)
        }
    }

    /// Some day from `a` to `b` (either order); one day when they are equal.
    pub fn between(a: Day, b: Day) -> Self {
        Self {
            earliest: a.min(b),
            latest: a.max(b),
            estimate: false,
        }
    }

    /// Some day of the month of `day`.
    pub fn month_of(day: Day) -> Self {
        Self::month(day.year(), day.month()).unwrap_or(Self::day(day))
    }

    /// Some day of a month; `None` for a month that does not exist.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        Some(Self::between(
            Day::from_ymd_opt(year, month, 1)?,
            month_end(year, month)?,
        ))
    }

    /// More than one day it may be.
    pub fn is_span(&self) -> bool {
        self.earliest != self.latest
    }

    /// Not one sourced day: an estimate or a span (`~`).
    pub fn approximate(&self) -> bool {
        self.estimate || self.is_span()
    }

    /// Exactly the days of one calendar month.
    pub fn is_month(&self) -> bool {
        self.earliest.day() == 1
            && month_end(self.earliest.year(), self.earliest.month()) == Some(self.latest)
    }

    pub fn precision(&self) -> Precision {
        if self.is_month() {
            Precision::Month
        } else if self.is_span() {
            Precision::Window
        } else if self.estimate {
            Precision::Estimate
        } else {
            Precision::Day
        }
    }

    /// The same date moved by `days` (each end).
    pub fn add_days(self, days: i64) -> Self {
        Self {
            earliest: add_days(self.earliest, days),
            latest: add_days(self.latest, days),
            ..self
        }
    }

    /// The same day `months` calendar months later (each end; the 31st
    /// becomes the month's last day); `None` past the calendar.
    pub fn add_months(self, months: u32) -> Option<Self> {
        Some(Self {
            earliest: self.earliest.checked_add_months(Months::new(months))?,
            latest: self.latest.checked_add_months(Months::new(months))?,
            ..self
        })
    }

    /// The same date known not to be after `day`: its days after it dropped
    /// (an estimate of `day` when none is left, or one is).
    pub fn not_after(self, day: Day) -> Self {
        self.clamp(self.earliest.min(day), self.latest.min(day))
    }

    /// The same date known not to be before `day`.
    pub fn not_before(self, day: Day) -> Self {
        self.clamp(self.earliest.max(day), self.latest.max(day))
    }

    fn clamp(self, earliest: Day, latest: Day) -> Self {
        if (earliest, latest) == (self.earliest, self.latest) {
            self
        } else if earliest == latest {
            Self::estimate(earliest)
        } else {
            Self::between(earliest, latest)
        }
    }

    /// Where `day` stands against a change on this date.
    pub fn side(&self, day: Day) -> Side {
        if day < self.earliest {
            Side::Before
        } else if day >= self.latest {
            Side::After
        } else {
            Side::Between
        }
    }
}

/// `2026-03-18`; `~2025-10-08` (an estimate); `2026-07` (a month);
/// `2026-03-28..2026-05-13` (a window).
impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision() {
            Precision::Day => write!(f, "{}", self.earliest),
            Precision::Estimate => write!(f, "~{}", self.earliest),
            Precision::Month => write!(f, "{}", self.earliest.format("%Y-%m")),
            Precision::Window => write!(f, "{}..{}", self.earliest, self.latest),
        }
    }
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
    fn a_date_is_a_day_an_estimate_or_a_span() {
        let july = When::month(2026, 7).unwrap();
        assert_eq!(
            (july.earliest, july.latest),
            (day("2026-07-01"), day("2026-07-31"))
        );
        assert_eq!(july.to_string(), "2026-07");
        assert_eq!(july.precision(), Precision::Month);
        assert_eq!(When::month_of(day("2024-02-10")).latest, day("2024-02-29"));
        assert_eq!(When::day(day("2026-03-18")).to_string(), "2026-03-18");
        assert!(!When::day(day("2026-03-18")).approximate());
        assert_eq!(When::estimate(day("2025-10-08")).to_string(), "~2025-10-08");
        let window = When::between(day("2026-05-13"), day("2026-03-28"));
        assert_eq!(window.to_string(), "2026-03-28..2026-05-13");
        assert_eq!(window.precision(), Precision::Window);
        // Six months and a day after July 2026: the first day out of support
        // is a day from 2027-01-02 to 2027-02-01.
        let change = july.add_months(6).unwrap().add_days(1);
        assert_eq!(change.to_string(), "2027-01-02..2027-02-01");
        // The 31st becomes the month's last day.
        let august = When::month(2026, 8).unwrap().add_months(6).unwrap();
        assert_eq!(august.latest, day("2027-02-28"));
        // What other facts rule out narrows a span; one day left is an estimate.
        assert_eq!(
            july.not_after(day("2026-07-20")).to_string(),
            "2026-07-01..2026-07-20"
        );
        assert_eq!(july.not_after(day("2026-06-20")).to_string(), "~2026-06-20");
        assert_eq!(
            july.not_before(day("2026-07-31")).to_string(),
            "~2026-07-31"
        );
        assert_eq!(july.not_before(day("2026-06-01")), july);
        assert!(When::month(2026, 13).is_none());
    }

    #[test]
    fn a_day_is_before_after_or_between_a_change() {
        let change = When::between(day("2027-01-02"), day("2027-02-01"));
        assert_eq!(change.side(day("2027-01-01")), Side::Before);
        assert_eq!(change.side(day("2027-01-02")), Side::Between);
        assert_eq!(change.side(day("2027-01-31")), Side::Between);
        assert_eq!(change.side(day("2027-02-01")), Side::After);
        let one = When::day(day("2026-09-19"));
        assert_eq!(one.side(day("2026-09-18")), Side::Before);
        assert_eq!(one.side(day("2026-09-19")), Side::After);
    }

    #[test]
    fn day_counts() {
        assert_eq!(days_between(day("2026-01-01"), day("2026-01-31")), 30);
        assert_eq!(days_between(day("2026-01-31"), day("2026-01-01")), -30);
        assert_eq!(add_days(day("2024-02-28"), 1), day("2024-02-29"));
        assert_eq!(add_days(Day::MAX, 10), Day::MAX);
    }
}
