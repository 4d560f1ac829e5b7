//! The annual inspection (年检) of a private, non-operating small passenger car (up to 9
//! seats, not a van) by the rules in force since 2022-10-01 (公安部/市场监管总局《关于深化
//! 机动车检验制度改革优化车检服务工作的意见》): within 10 years of first registration an
//! on-site inspection in years 6 and 10 and only the mark (申领检验标志, online in 交管12123)
//! in years 2, 4 and 8; over 10 years on-site every year; over 15 years every 6 months. The
//! due month is the registration month; the owner may apply in the 3 months before the
//! validity ends. Cars in an accident with casualties, punished for illegal modification, or
//! first registered more than 4 years after manufacture keep the old annual cycle.

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// What the owner must do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InspectionKind {
    /// 上线检验: take the car to an inspection station.
    OnSite,
    /// 免检申领标志: apply for the mark online, no station.
    MarkOnly,
}

impl InspectionKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::OnSite => "上线检验",
            Self::MarkOnly => "免检，网上申领检验标志",
        }
    }
}

/// The next inspection: what, the last day it is valid until (the end of the due month) and
/// the first day the owner may apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionDue {
    pub kind: InspectionKind,
    /// The validity ends on this day (the last day of the due month).
    pub due: Date,
    /// The owner may apply from this day (3 months before the validity ends).
    pub window_opens: Date,
    /// Today is inside the window.
    pub window_open: bool,
}

/// The due points, in months after registration, and what each asks; `old_cycle`: the
/// pre-reform annual cycle.
fn due_point(index: u32, old_cycle: bool) -> (i32, InspectionKind) {
    use InspectionKind::{MarkOnly, OnSite};
    if old_cycle {
        // Every year up to 15 years, then every 6 months.
        return if index < 15 {
            ((index as i32 + 1) * 12, OnSite)
        } else {
            (180 + (index as i32 - 14) * 6, OnSite)
        };
    }
    match index {
        // Years 2, 4, 6, 8, 10.
        0..=4 => {
            let year = (index as i32 + 1) * 2;
            let kind = if year == 6 || year == 10 {
                OnSite
            } else {
                MarkOnly
            };
            (year * 12, kind)
        }
        // Years 11 to 15, every year.
        5..=9 => ((index as i32 + 6) * 12, OnSite),
        // Past 15 years, every 6 months.
        _ => (180 + (index as i32 - 9) * 6, OnSite),
    }
}

/// The first inspection whose validity has not ended before `today`, for a car first
/// registered on `registered`.
pub fn next_inspection(registered: Date, today: Date, old_cycle: bool) -> InspectionDue {
    let mut index = 0;
    loop {
        let (months, kind) = due_point(index, old_cycle);
        let due = registered.add_months(months).end_of_month();
        // A car older than anyone keeps one: the loop ends within a few hundred steps.
        if due >= today || index > 400 {
            let window_opens = Date::new(due.year, due.month, 1).add_months(-2);
            return InspectionDue {
                kind,
                due,
                window_opens,
                window_open: today >= window_opens,
            };
        }
        index += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::InspectionKind::{MarkOnly, OnSite};
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn inspections_by_registration_date_and_today() {
        // (registered, today, old cycle, kind, due, window opens, window open)
        for (registered, today, old, kind, due, opens, open) in [
            // A new car: year 2, mark only, due at the end of the registration month.
            (
                "2024-05-15",
                "2024-06-01",
                false,
                MarkOnly,
                "2026-05-31",
                "2026-03-01",
                false,
            ),
            (
                "2024-05-15",
                "2026-03-01",
                false,
                MarkOnly,
                "2026-05-31",
                "2026-03-01",
                true,
            ),
            (
                "2024-05-15",
                "2026-05-31",
                false,
                MarkOnly,
                "2026-05-31",
                "2026-03-01",
                true,
            ),
            // The day after: the next one, year 4.
            (
                "2024-05-15",
                "2026-06-01",
                false,
                MarkOnly,
                "2028-05-31",
                "2028-03-01",
                false,
            ),
            // Year 6 on site, year 8 mark only, year 10 on site.
            (
                "2020-05-15",
                "2025-07-01",
                false,
                OnSite,
                "2026-05-31",
                "2026-03-01",
                false,
            ),
            (
                "2018-01-31",
                "2025-07-01",
                false,
                MarkOnly,
                "2026-01-31",
                "2025-11-01",
                false,
            ),
            (
                "2016-02-29",
                "2025-12-01",
                false,
                OnSite,
                "2026-02-28",
                "2025-12-01",
                true,
            ),
            // Past 10 years: every year on site.
            (
                "2014-09-01",
                "2025-10-01",
                false,
                OnSite,
                "2026-09-30",
                "2026-07-01",
                false,
            ),
            (
                "2011-03-10",
                "2025-12-01",
                false,
                OnSite,
                "2026-03-31",
                "2026-01-01",
                false,
            ),
            // Past 15 years: every 6 months.
            (
                "2010-03-10",
                "2025-12-01",
                false,
                OnSite,
                "2026-03-31",
                "2026-01-01",
                false,
            ),
            (
                "2010-03-10",
                "2026-04-01",
                false,
                OnSite,
                "2026-09-30",
                "2026-07-01",
                false,
            ),
            // The old annual cycle.
            (
                "2024-05-15",
                "2024-06-01",
                true,
                OnSite,
                "2025-05-31",
                "2025-03-01",
                false,
            ),
            (
                "2024-05-15",
                "2025-06-01",
                true,
                OnSite,
                "2026-05-31",
                "2026-03-01",
                false,
            ),
            (
                "2008-05-15",
                "2025-06-01",
                true,
                OnSite,
                "2025-11-30",
                "2025-09-01",
                false,
            ),
        ] {
            assert_eq!(
                next_inspection(d(registered), d(today), old),
                InspectionDue {
                    kind,
                    due: d(due),
                    window_opens: d(opens),
                    window_open: open
                },
                "{registered} on {today} (old cycle {old})"
            );
        }
    }
}
