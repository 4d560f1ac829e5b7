//! Calendar dates without a time zone library: enough for dated tax rules and "today in
//! Shanghai" on both the server and the browser.

use serde::{Deserialize, Serialize};

/// A civil date (proleptic Gregorian), ordered by time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub const fn new(year: i32, month: u32, day: u32) -> Self {
        Self { year, month, day }
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible days such as `2025-02-30`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Self::new(year, month, day))
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_unix_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self::new(year, month, day)
    }

    /// Today in Asia/Shanghai (UTC+8, no daylight saving) from Unix milliseconds.
    pub fn shanghai_from_unix_millis(millis: i64) -> Self {
        Self::from_unix_days((millis + 8 * 3_600_000).div_euclid(86_400_000))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("日期格式应为 YYYY-MM-DD：{text}"))
    }
}

impl From<Date> for String {
    fn from(date: Date) -> Self {
        date.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_days_and_rejects_impossible_ones() {
        assert_eq!(Date::parse("2026-11-23"), Some(Date::new(2026, 11, 23)));
        assert_eq!(Date::parse("2024-02-29"), Some(Date::new(2024, 2, 29)));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-04-31",
            "2025-1",
            "abc",
            "2025-00-10",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn converts_unix_days_and_shanghai_midnight() {
        assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1));
        assert_eq!(Date::from_unix_days(20_415), Date::new(2025, 11, 23));
        // 2025-12-31T16:00:00Z is already New Year's Day in Shanghai.
        assert_eq!(
            Date::shanghai_from_unix_millis(1_767_196_800_000),
            Date::new(2026, 1, 1)
        );
    }
}
