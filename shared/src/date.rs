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

    /// Days since 1970-01-01 (Howard Hinnant's days-from-civil), the inverse of
    /// [`Date::from_unix_days`].
    pub fn unix_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (i64::from(self.month) + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` later (earlier when negative).
    pub fn add_days(self, days: i64) -> Self {
        Self::from_unix_days(self.unix_days() + days)
    }

    /// The same day `months` later (earlier when negative), clamped to the month's last day
    /// (2024-01-31 + 1 month = 2024-02-29).
    pub fn add_months(self, months: i32) -> Self {
        let index = self.year * 12 + self.month as i32 - 1 + months;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        Self::new(year, month, self.day.min(days_in_month(year, month)))
    }

    /// The last day of the date's month.
    pub fn end_of_month(self) -> Self {
        Self::new(self.year, self.month, days_in_month(self.year, self.month))
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.unix_days() - self.unix_days()
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        ((self.unix_days() + 3).rem_euclid(7) + 1) as u8
    }

    /// The weekday as shown on a booking page: 周一 … 周日.
    pub fn weekday_zh(self) -> &'static str {
        const NAMES: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
        NAMES[usize::from(self.weekday() - 1)]
    }
}

/// On the wire a date is its `YYYY-MM-DD` string.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

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

    #[test]
    fn unix_days_is_the_inverse_of_from_unix_days() {
        for (date, days) in [
            (Date::new(1970, 1, 1), 0),
            (Date::new(1969, 12, 31), -1),
            (Date::new(2000, 2, 29), 11_016),
            (Date::new(2000, 3, 1), 11_017),
            (Date::new(2025, 11, 23), 20_415),
            (Date::new(2026, 1, 1), 20_454),
            (Date::new(1900, 3, 1), -25_508),
            (Date::new(1600, 1, 1), -135_140),
        ] {
            assert_eq!(date.unix_days(), days, "{date}");
            assert_eq!(Date::from_unix_days(days), date, "{days}");
        }
        for days in -800_000..800_000 {
            assert_eq!(Date::from_unix_days(days).unix_days(), days);
        }
    }

    #[test]
    fn add_days_crosses_month_year_and_leap_day() {
        for (from, days, to) in [
            (Date::new(2026, 11, 23), 0, Date::new(2026, 11, 23)),
            (Date::new(2026, 11, 23), 14, Date::new(2026, 12, 7)),
            (Date::new(2026, 1, 31), 1, Date::new(2026, 2, 1)),
            (Date::new(2026, 12, 31), 1, Date::new(2027, 1, 1)),
            (Date::new(2027, 1, 1), -1, Date::new(2026, 12, 31)),
            (Date::new(2028, 2, 28), 1, Date::new(2028, 2, 29)),
            (Date::new(2028, 2, 29), 1, Date::new(2028, 3, 1)),
            (Date::new(2027, 2, 28), 1, Date::new(2027, 3, 1)),
            (Date::new(2100, 2, 28), 1, Date::new(2100, 3, 1)),
            (Date::new(2028, 3, 1), -1, Date::new(2028, 2, 29)),
            (Date::new(2026, 1, 1), 365, Date::new(2027, 1, 1)),
            (Date::new(2028, 1, 1), 365, Date::new(2028, 12, 31)),
        ] {
            assert_eq!(from.add_days(days), to, "{from} + {days}");
        }
    }

    #[test]
    fn add_months_clamps_to_the_month_end() {
        for (from, months, to) in [
            (Date::new(2024, 1, 31), 1, Date::new(2024, 2, 29)),
            (Date::new(2025, 1, 31), 1, Date::new(2025, 2, 28)),
            (Date::new(2025, 11, 15), 3, Date::new(2026, 2, 15)),
            (Date::new(2025, 3, 31), -1, Date::new(2025, 2, 28)),
            (Date::new(2025, 1, 10), -1, Date::new(2024, 12, 10)),
            (Date::new(2020, 5, 15), 120, Date::new(2030, 5, 15)),
        ] {
            assert_eq!(from.add_months(months), to, "{from} + {months}");
        }
        assert_eq!(Date::new(2024, 2, 3).end_of_month(), Date::new(2024, 2, 29));
        assert_eq!(
            Date::new(2026, 1, 1).days_until(Date::new(2026, 12, 31)),
            364
        );
    }

    #[test]
    fn weekday_counts_monday_as_one() {
        for (date, weekday, zh) in [
            (Date::new(1970, 1, 1), 4, "周四"),
            (Date::new(2026, 11, 23), 1, "周一"),
            (Date::new(2026, 11, 24), 2, "周二"),
            (Date::new(2026, 11, 25), 3, "周三"),
            (Date::new(2026, 11, 27), 5, "周五"),
            (Date::new(2026, 11, 28), 6, "周六"),
            (Date::new(2026, 11, 29), 7, "周日"),
            (Date::new(2026, 12, 31), 4, "周四"),
            (Date::new(2027, 1, 1), 5, "周五"),
            (Date::new(2028, 2, 29), 2, "周二"),
            (Date::new(1969, 12, 28), 7, "周日"),
        ] {
            assert_eq!(date.weekday(), weekday, "{date}");
            assert_eq!(date.weekday_zh(), zh, "{date}");
        }
    }
}
