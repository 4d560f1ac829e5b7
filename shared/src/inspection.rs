//! The annual inspection (年检) of a private, non-operating small passenger car (up to 9
//! seats, not a van) by the rules in force since 2022-10-01 (公安部/市场监管总局《关于深化
//! 机动车检验制度改革优化车检服务工作的意见》): within 10 years of first registration an
//! on-site inspection in years 6 and 10 and only the mark (申领检验标志, online in 交管12123)
//! in years 2, 4 and 8; over 10 years on-site every year; over 15 years every 6 months. The
//! due month is the registration month; the owner may apply in the 3 months before the
//! validity ends. Cars in an accident with casualties, punished for illegal modification, or
//! first registered more than 4 years after manufacture keep the cycle of Art. 16 of the
//! implementing regulations (《道路交通安全法实施条例》): on site every 2 years within 6 years
//! of registration, every year after 6 years, every 6 months after 15 years.

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

/// Why a car keeps the cycle of Art. 16 instead of the 2022 exemption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Exception {
    /// 发生过造成人员伤亡的交通事故.
    CasualtyAccident,
    /// 因非法改装被依法处罚.
    ModificationPenalty,
    /// 出厂超过4年才注册登记.
    LateRegistration,
}

impl Exception {
    pub fn label(self) -> &'static str {
        match self {
            Self::CasualtyAccident => "发生过造成人员伤亡的交通事故",
            Self::ModificationPenalty => "因非法改装被依法处罚",
            Self::LateRegistration => "出厂超过4年才注册登记",
        }
    }
}

/// What the exemption depends on besides the registration date: the manufacture date (出厂日期,
/// recorded at delivery when known) and what staff marked later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionFacts {
    #[serde(default)]
    pub manufactured_on: Option<Date>,
    #[serde(default)]
    pub casualty_accident: bool,
    #[serde(default)]
    pub modification_penalty: bool,
}

impl InspectionFacts {
    /// The reason the car keeps the cycle of Art. 16, if any (the first that applies).
    pub fn exception(&self, registered: Date) -> Option<Exception> {
        if self.casualty_accident {
            return Some(Exception::CasualtyAccident);
        }
        if self.modification_penalty {
            return Some(Exception::ModificationPenalty);
        }
        match self.manufactured_on {
            Some(made) if registered > made.add_months(48) => Some(Exception::LateRegistration),
            _ => None,
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
    /// Why the car follows Art. 16 rather than the 2022 exemption, if it does.
    #[serde(default)]
    pub exception: Option<Exception>,
}

/// The due points, in months after registration, and what each asks; `art16`: the cycle of
/// Art. 16 for the cars the exemption leaves out.
fn due_point(index: u32, art16: bool) -> (i32, InspectionKind) {
    use InspectionKind::{MarkOnly, OnSite};
    if art16 {
        return match index {
            // Years 2, 4 and 6, on site.
            0..=2 => ((index as i32 + 1) * 24, OnSite),
            // Years 7 to 15, every year.
            3..=11 => ((index as i32 + 4) * 12, OnSite),
            // Past 15 years, every 6 months.
            _ => (180 + (index as i32 - 11) * 6, OnSite),
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
/// registered on `registered` with `facts` deciding whether the exemption applies.
pub fn next_inspection(registered: Date, today: Date, facts: &InspectionFacts) -> InspectionDue {
    let exception = facts.exception(registered);
    let mut index = 0;
    loop {
        let (months, kind) = due_point(index, exception.is_some());
        let due = registered.add_months(months).end_of_month();
        // A car older than anyone keeps one: the loop ends within a few hundred steps.
        if due >= today || index > 400 {
            let window_opens = Date::new(due.year, due.month, 1).add_months(-2);
            return InspectionDue {
                kind,
                due,
                window_opens,
                window_open: today >= window_opens,
                exception,
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
            // Art. 16: on site in years 2, 4, 6, then every year, every 6 months past 15.
            (
                "2024-05-15",
                "2024-06-01",
                true,
                OnSite,
                "2026-05-31",
                "2026-03-01",
                false,
            ),
            (
                "2020-05-15",
                "2024-06-01",
                true,
                OnSite,
                "2026-05-31",
                "2026-03-01",
                false,
            ),
            // After year 6 every year: year 7 (the reform's year 8 would be mark only).
            (
                "2019-05-15",
                "2025-06-01",
                true,
                OnSite,
                "2026-05-31",
                "2026-03-01",
                false,
            ),
            (
                "2012-05-15",
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
            let facts = InspectionFacts {
                casualty_accident: old,
                ..InspectionFacts::default()
            };
            assert_eq!(
                next_inspection(d(registered), d(today), &facts),
                InspectionDue {
                    kind,
                    due: d(due),
                    window_opens: d(opens),
                    window_open: open,
                    exception: old.then_some(Exception::CasualtyAccident),
                },
                "{registered} on {today} (Art. 16: {old})"
            );
        }
    }

    #[test]
    fn any_of_three_facts_takes_the_car_out_of_the_exemption() {
        let registered = d("2024-05-15");
        let made = |text| InspectionFacts {
            manufactured_on: Some(d(text)),
            ..InspectionFacts::default()
        };
        let cases = [
            (InspectionFacts::default(), None),
            (made("2024-01-10"), None),
            // Exactly 4 years is not more than 4 years.
            (made("2020-05-15"), None),
            (made("2020-05-14"), Some(Exception::LateRegistration)),
            (made("2019-03-01"), Some(Exception::LateRegistration)),
            (
                InspectionFacts {
                    casualty_accident: true,
                    ..made("2024-01-10")
                },
                Some(Exception::CasualtyAccident),
            ),
            (
                InspectionFacts {
                    modification_penalty: true,
                    ..InspectionFacts::default()
                },
                Some(Exception::ModificationPenalty),
            ),
        ];
        for (facts, exception) in cases {
            assert_eq!(facts.exception(registered), exception, "{facts:?}");
            // Two years on: the reform asks for the mark only, Art. 16 for the station.
            let next = next_inspection(registered, d("2025-06-01"), &facts);
            assert_eq!(next.exception, exception);
            let kind = if exception.is_some() {
                OnSite
            } else {
                MarkOnly
            };
            assert_eq!((next.kind, next.due), (kind, d("2026-05-31")), "{facts:?}");
        }
        // Year 8: mark only under the reform, on site (year 8 of yearly) under Art. 16.
        let late = made("2015-01-01");
        let reform = next_inspection(registered, d("2031-06-01"), &InspectionFacts::default());
        let art16 = next_inspection(registered, d("2031-06-01"), &late);
        assert_eq!((reform.kind, reform.due), (MarkOnly, d("2032-05-31")));
        assert_eq!((art16.kind, art16.due), (OnSite, d("2032-05-31")));
    }
}
