//! Maintenance (保养) and warranty: a plan per series (first service and interval, each by
//! distance and time, whichever comes first: 先到为准), the odometer projected from past
//! readings (average km per day; one reading: time alone), readings that never go back, and
//! the warranty left from the series' terms.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::ApiError;

/// What every plan is shown with: the dealer's plan is a guide, the manual decides.
pub const MANUAL_NOTE: &str = "以厂家保养手册为准";

/// The highest odometer reading taken (km).
pub const MAX_KM: i64 = 2_000_000;

/// More than this many km a day between two readings is worth a second look.
pub const PLAUSIBLE_KM_PER_DAY: i64 = 1_000;

/// A series' maintenance plan: the first service and then every interval, each at a
/// distance or after months, whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaintenancePlan {
    pub first_km: i64,
    pub first_months: i32,
    pub interval_km: i64,
    pub interval_months: i32,
}

impl MaintenancePlan {
    pub fn validate(&self) -> Result<(), ApiError> {
        let km = |v: i64, field: &str| {
            if (500..=100_000).contains(&v) {
                Ok(())
            } else {
                Err(ApiError::invalid(field, "保养里程应在500到100000公里之间"))
            }
        };
        let months = |v: i32, field: &str| {
            if (1..=48).contains(&v) {
                Ok(())
            } else {
                Err(ApiError::invalid(field, "保养间隔应在1到48个月之间"))
            }
        };
        km(self.first_km, "first_km")?;
        months(self.first_months, "first_months")?;
        km(self.interval_km, "interval_km")?;
        months(self.interval_months, "interval_months")
    }
}

/// An odometer reading: the day and the km shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reading {
    pub day: Date,
    pub km: i64,
}

/// The error code of a reading below the last one (422, field `km`).
pub const MILEAGE_DECREASED: &str = "mileage_decreased";

/// A reading below the last one, `last_km`: never accepted (a replaced odometer is staff's).
pub fn mileage_decreased(last_km: i64) -> ApiError {
    ApiError {
        code: MILEAGE_DECREASED.into(),
        message: format!("里程不能低于上次记录的{last_km}公里"),
        field: Some("km".into()),
    }
}

/// Checks a new reading against the last one: never lower, never absurd; `Ok(true)` when it
/// is plausible, `Ok(false)` when it implies more than 1,000 km a day (kept, but worth a look).
pub fn check_reading(last: Option<Reading>, new: Reading) -> Result<bool, ApiError> {
    if !(0..=MAX_KM).contains(&new.km) {
        return Err(ApiError::invalid("km", "里程应在0到2000000公里之间"));
    }
    let Some(last) = last else {
        return Ok(true);
    };
    if new.km < last.km {
        return Err(mileage_decreased(last.km));
    }
    if new.day < last.day {
        return Err(ApiError::invalid("day", "读数日期不能早于上次记录"));
    }
    let days = last.day.days_until(new.day).max(1);
    Ok(new.km - last.km <= PLAUSIBLE_KM_PER_DAY * days)
}

/// The average km a day over the readings (first to last), `None` with fewer than two
/// readings on different days.
pub fn km_per_day(readings: &[Reading]) -> Option<(i64, i64)> {
    let (first, last) = (readings.first()?, readings.last()?);
    let days = first.day.days_until(last.day);
    (days > 0).then_some((last.km - first.km, days))
}

/// Why the next service falls when it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueBy {
    Distance,
    Time,
}

/// The next service: at `due_km` or on `due_by_time`, whichever first; `projected` is the day
/// the odometer is expected to reach `due_km`, and `due` the earlier of the two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaintenanceDue {
    pub due_km: i64,
    pub due_by_time: Date,
    pub projected: Option<Date>,
    pub due: Date,
    pub by: DueBy,
}

/// The next service of a car delivered on `delivered`, last serviced at `last_service` (none
/// yet: the first service), with its odometer `readings` in order.
pub fn next_maintenance(
    plan: &MaintenancePlan,
    delivered: Date,
    last_service: Option<Reading>,
    readings: &[Reading],
) -> MaintenanceDue {
    let (due_km, due_by_time) = match last_service {
        None => (plan.first_km, delivered.add_months(plan.first_months)),
        Some(s) => (
            s.km + plan.interval_km,
            s.day.add_months(plan.interval_months),
        ),
    };
    let last = readings.last();
    let projected = match (last, km_per_day(readings)) {
        (Some(last), _) if last.km >= due_km => Some(last.day),
        (Some(last), Some((km, days))) if km > 0 => {
            // Days to cover the rest at the average pace, rounded up.
            let rest = due_km - last.km;
            Some(last.day.add_days((rest * days + km - 1) / km))
        }
        _ => None,
    };
    let (due, by) = match projected {
        Some(p) if p < due_by_time => (p, DueBy::Distance),
        _ => (due_by_time, DueBy::Time),
    };
    MaintenanceDue {
        due_km,
        due_by_time,
        projected,
        due,
        by,
    }
}

/// A series' warranty: years and km from delivery, whichever first (`km` `None`: no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyTerms {
    pub years: i32,
    pub km: Option<i64>,
}

/// What is left of a warranty on `today` at `odometer` km.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyLeft {
    pub until: Date,
    pub days_left: i64,
    pub km_left: Option<i64>,
    pub expired: bool,
}

pub fn warranty_left(
    terms: &WarrantyTerms,
    delivered: Date,
    today: Date,
    odometer: i64,
) -> WarrantyLeft {
    let until = delivered.add_months(terms.years * 12);
    let days_left = today.days_until(until).max(0);
    let km_left = terms.km.map(|km| (km - odometer).max(0));
    WarrantyLeft {
        until,
        days_left,
        km_left,
        expired: days_left == 0 || km_left == Some(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn r(day: &str, km: i64) -> Reading {
        Reading { day: d(day), km }
    }

    const PLAN: MaintenancePlan = MaintenancePlan {
        first_km: 5_000,
        first_months: 6,
        interval_km: 10_000,
        interval_months: 12,
    };

    #[test]
    #[allow(clippy::type_complexity)] // a rule table: one tuple per row reads best
    fn next_service_by_distance_or_time_whichever_first() {
        // (last service, readings, due km, due by time, projected, due, by)
        let cases: [(
            Option<Reading>,
            Vec<Reading>,
            i64,
            &str,
            Option<&str>,
            &str,
            DueBy,
        ); 7] = [
            // One reading: time alone.
            (
                None,
                vec![r("2026-01-10", 10)],
                5_000,
                "2026-07-10",
                None,
                "2026-07-10",
                DueBy::Time,
            ),
            // 50 km a day: 5,000 km in 100 days, before the 6 months.
            (
                None,
                vec![r("2026-01-10", 10), r("2026-01-30", 1_010)],
                5_000,
                "2026-07-10",
                Some("2026-04-20"),
                "2026-04-20",
                DueBy::Distance,
            ),
            // 10 km a day: the 6 months come first.
            (
                None,
                vec![r("2026-01-10", 0), r("2026-02-09", 300)],
                5_000,
                "2026-07-10",
                Some("2027-05-25"),
                "2026-07-10",
                DueBy::Time,
            ),
            // Already past the distance: due on the day of the reading.
            (
                None,
                vec![r("2026-01-10", 0), r("2026-03-01", 5_200)],
                5_000,
                "2026-07-10",
                Some("2026-03-01"),
                "2026-03-01",
                DueBy::Distance,
            ),
            // Readings on one day give no pace.
            (
                None,
                vec![r("2026-01-10", 0), r("2026-01-10", 40)],
                5_000,
                "2026-07-10",
                None,
                "2026-07-10",
                DueBy::Time,
            ),
            // After a service: the interval from it.
            (
                Some(r("2026-07-01", 5_100)),
                vec![
                    r("2026-01-10", 0),
                    r("2026-07-01", 5_100),
                    r("2026-08-01", 6_650),
                ],
                15_100,
                "2027-07-01",
                Some("2027-04-16"),
                "2027-04-16",
                DueBy::Distance,
            ),
            // No readings at all: time alone.
            (
                None,
                vec![],
                5_000,
                "2026-07-10",
                None,
                "2026-07-10",
                DueBy::Time,
            ),
        ];
        for (last, readings, due_km, by_time, projected, due, by) in cases {
            assert_eq!(
                next_maintenance(&PLAN, d("2026-01-10"), last, &readings),
                MaintenanceDue {
                    due_km,
                    due_by_time: d(by_time),
                    projected: projected.map(d),
                    due: d(due),
                    by
                },
                "{readings:?}"
            );
        }
    }

    #[test]
    fn readings_never_go_back() {
        assert_eq!(check_reading(None, r("2026-01-10", 12)), Ok(true));
        assert_eq!(
            check_reading(Some(r("2026-01-10", 12)), r("2026-01-11", 12)),
            Ok(true)
        );
        assert_eq!(
            check_reading(Some(r("2026-01-10", 12)), r("2026-01-11", 900)),
            Ok(true)
        );
        // More than 1,000 km a day: kept, flagged.
        assert_eq!(
            check_reading(Some(r("2026-01-10", 12)), r("2026-01-11", 1_100)),
            Ok(false)
        );
        assert_eq!(
            check_reading(Some(r("2026-01-10", 12)), r("2026-01-10", 1_100)),
            Ok(false)
        );
        for (last, new, message) in [
            (
                Some(r("2026-01-10", 5_000)),
                r("2026-02-10", 4_999),
                "里程不能低于上次记录的5000公里",
            ),
            (None, r("2026-02-10", -1), "里程应在0到2000000公里之间"),
            (
                None,
                r("2026-02-10", 2_000_001),
                "里程应在0到2000000公里之间",
            ),
            (
                Some(r("2026-01-10", 5_000)),
                r("2026-01-09", 5_000),
                "读数日期不能早于上次记录",
            ),
        ] {
            assert_eq!(
                check_reading(last, new).unwrap_err().message,
                message,
                "{new:?}"
            );
        }
        // A lower reading has its own code; the others are plain invalid input.
        let lower = check_reading(Some(r("2026-01-10", 5_000)), r("2026-02-10", 4_999));
        assert_eq!(lower.unwrap_err().code, MILEAGE_DECREASED);
        let absurd = check_reading(None, r("2026-02-10", -1));
        assert_eq!(absurd.unwrap_err().code, "invalid");
    }

    #[test]
    fn warranty_left_in_years_and_km() {
        let terms = WarrantyTerms {
            years: 3,
            km: Some(100_000),
        };
        for (today, odometer, until, days, km, expired) in [
            ("2026-01-10", 0, "2029-01-10", 1096, Some(100_000), false),
            ("2028-01-10", 40_000, "2029-01-10", 366, Some(60_000), false),
            ("2029-01-10", 40_000, "2029-01-10", 0, Some(60_000), true),
            ("2027-01-10", 120_000, "2029-01-10", 731, Some(0), true),
        ] {
            assert_eq!(
                warranty_left(&terms, d("2026-01-10"), d(today), odometer),
                WarrantyLeft {
                    until: d(until),
                    days_left: days,
                    km_left: km,
                    expired
                },
                "{today} {odometer}"
            );
        }
        let unlimited = WarrantyTerms { years: 8, km: None };
        assert_eq!(
            warranty_left(&unlimited, d("2026-01-10"), d("2026-01-10"), 500_000).km_left,
            None
        );
    }

    #[test]
    fn plans_are_checked() {
        assert_eq!(PLAN.validate(), Ok(()));
        let bad = MaintenancePlan {
            first_km: 100,
            ..PLAN
        };
        assert_eq!(
            bad.validate().unwrap_err().field.as_deref(),
            Some("first_km")
        );
        let bad = MaintenancePlan {
            interval_months: 0,
            ..PLAN
        };
        assert_eq!(
            bad.validate().unwrap_err().field.as_deref(),
            Some("interval_months")
        );
    }
}
