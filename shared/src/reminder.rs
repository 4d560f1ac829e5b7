//! Reminders as pure rules for the scheduler: what of a car is due today (maintenance within
//! 14 days, the inspection window open, insurance ending within 30 days, a service booked for
//! tomorrow; nothing the owner has already booked), and when a reminder may go out: at most 2
//! a calendar month (Beijing time) per owner, at most one per kind in 30 days, and never
//! between 21:00 and 09:00 Beijing time. A reminder held back is sent later, never dropped.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::inspection::InspectionDue;
use crate::maintenance::MaintenanceDue;

/// Reminders per owner and calendar month.
pub const PER_MONTH: usize = 2;
/// Days between two reminders of one kind to one owner.
pub const SAME_KIND_DAYS: i64 = 30;
/// Quiet hours (Beijing time): nothing from 21:00 to 09:00.
pub const QUIET_FROM_HOUR: i64 = 21;
pub const QUIET_UNTIL_HOUR: i64 = 9;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// Beijing is UTC+8 all year.
const OFFSET: i64 = 8 * HOUR;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    Maintenance,
    Inspection,
    Insurance,
    ServiceBooking,
}

/// A reminder as the owner sees it on their car.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerReminder {
    pub kind: ReminderKind,
    pub due_on: Date,
    pub detail: String,
    /// Also sent as a WeChat message.
    pub sent: bool,
}

/// Whether the owner gets reminders as WeChat messages: `offered` when the dealer's official
/// account has a reminder template, `on` when the owner allowed it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeChatReminders {
    pub offered: bool,
    pub on: bool,
}

/// A reminder the car's service advisor follows up (`GET /api/v1/console/reminders`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderTask {
    pub id: i64,
    pub car_id: i64,
    pub plate: String,
    pub owner_name: Option<String>,
    pub kind: ReminderKind,
    pub due_on: Date,
    pub detail: String,
    /// Sent as a WeChat message (Unix ms).
    pub sent_at: Option<i64>,
    /// Why the last WeChat try failed, while it is retried.
    pub last_error: Option<String>,
    /// Marked followed up (Unix ms): done tasks show on the car only.
    pub followed_up_at: Option<i64>,
}

/// A maintenance reminder is made this many days before the service falls due.
pub const MAINTENANCE_LEAD_DAYS: i64 = 14;
/// An insurance reminder is made this many days before the policy ends.
pub const INSURANCE_LEAD_DAYS: i64 = 30;

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Maintenance => "maintenance",
            Self::Inspection => "inspection",
            Self::Insurance => "insurance",
            Self::ServiceBooking => "service_booking",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Maintenance,
            Self::Inspection,
            Self::Insurance,
            Self::ServiceBooking,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Maintenance => "保养提醒",
            Self::Inspection => "年检提醒",
            Self::Insurance => "保险续保提醒",
            Self::ServiceBooking => "服务预约提醒",
        }
    }
}

/// What the scheduler knows of a car on a day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CarFacts {
    pub maintenance: Option<MaintenanceDue>,
    pub inspection: Option<InspectionDue>,
    pub insurance_ends_on: Option<Date>,
    /// The work of the car's open service bookings: (day, work, what the reminder says).
    pub open_services: Vec<(Date, ServiceWork, String)>,
}

/// The work a service booking is for, as far as reminders care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceWork {
    Maintenance,
    Inspection,
    Other,
}

/// Something of a car that is due: one reminder per car, kind and `due_on`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub kind: ReminderKind,
    pub due_on: Date,
    pub detail: String,
}

/// What of the car is due on `today`. A maintenance reminder is keyed by the day the service
/// falls due by time (a newer reading moves the projected day, not the key); it is made when
/// either day is within 14 days and no maintenance is booked.
pub fn due(car: &CarFacts, today: Date) -> Vec<Due> {
    let booked = |work: ServiceWork| car.open_services.iter().any(|(_, w, _)| *w == work);
    let mut due = Vec::new();
    if let Some(m) = car.maintenance {
        if today.days_until(m.due) <= MAINTENANCE_LEAD_DAYS && !booked(ServiceWork::Maintenance) {
            due.push(Due {
                kind: ReminderKind::Maintenance,
                due_on: m.due_by_time,
                detail: format!(
                    "下次保养：{} 前或 {} 公里，先到为准；预计 {} 到期",
                    m.due_by_time, m.due_km, m.due
                ),
            });
        }
    }
    if let Some(i) = car.inspection {
        if i.window_opens <= today && today <= i.due && !booked(ServiceWork::Inspection) {
            due.push(Due {
                kind: ReminderKind::Inspection,
                due_on: i.due,
                detail: format!(
                    "年检（{}）可办理：{} 至 {}",
                    i.kind.label(),
                    i.window_opens,
                    i.due
                ),
            });
        }
    }
    if let Some(ends) = car.insurance_ends_on {
        let left = today.days_until(ends);
        if (0..=INSURANCE_LEAD_DAYS).contains(&left) {
            due.push(Due {
                kind: ReminderKind::Insurance,
                due_on: ends,
                detail: format!("车险将于 {ends} 到期，还有 {left} 天"),
            });
        }
    }
    let tomorrow = today.add_days(1);
    for (day, _, what) in &car.open_services {
        if *day == tomorrow {
            due.push(Due {
                kind: ReminderKind::ServiceBooking,
                due_on: *day,
                detail: format!("明天（{day}）{what}"),
            });
        }
    }
    due
}

/// How long a failed WeChat message waits before the next try: 1, 5, 30 minutes, then 2 and
/// 12 hours, then 12 hours again.
pub fn retry_after(attempts: i64) -> i64 {
    const MINUTE: i64 = 60_000;
    match attempts {
        ..=1 => MINUTE,
        2 => 5 * MINUTE,
        3 => 30 * MINUTE,
        4 => 2 * HOUR,
        _ => 12 * HOUR,
    }
}

/// A reminder already sent to the owner: its kind and when (Unix ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    pub kind: ReminderKind,
    pub at: i64,
}

/// The Unix ms of 00:00 Beijing time on the first day of the month after `at`.
fn next_month_start(at: i64) -> i64 {
    let day = Date::shanghai_from_unix_millis(at);
    let next = Date::new(day.year, day.month, 1).add_months(1);
    next.unix_days() * DAY - OFFSET
}

/// `at`, or the next 09:00 Beijing time when `at` falls in the quiet hours.
pub fn outside_quiet_hours(at: i64) -> i64 {
    let local = at + OFFSET;
    let hour = local.rem_euclid(DAY) / HOUR;
    let midnight = local - local.rem_euclid(DAY);
    if hour >= QUIET_FROM_HOUR {
        midnight + DAY + QUIET_UNTIL_HOUR * HOUR - OFFSET
    } else if hour < QUIET_UNTIL_HOUR {
        midnight + QUIET_UNTIL_HOUR * HOUR - OFFSET
    } else {
        at
    }
}

/// The earliest time from `now` a reminder of `kind` may go to an owner who was sent `sent`.
pub fn send_at(sent: &[Sent], kind: ReminderKind, now: i64) -> i64 {
    let mut at = now;
    // Each step only moves later, and each rule settles after one move: a few rounds suffice.
    for _ in 0..8 {
        let before = at;
        if let Some(last) = sent.iter().filter(|s| s.kind == kind).map(|s| s.at).max() {
            at = at.max(last + SAME_KIND_DAYS * DAY);
        }
        let month = Date::shanghai_from_unix_millis(at);
        let this_month = sent
            .iter()
            .filter(|s| {
                let d = Date::shanghai_from_unix_millis(s.at);
                (d.year, d.month) == (month.year, month.month)
            })
            .count();
        if this_month >= PER_MONTH {
            at = next_month_start(at);
        }
        at = outside_quiet_hours(at);
        if at == before {
            break;
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::ReminderKind::{Inspection, Insurance, Maintenance};
    use super::*;
    use crate::inspection::InspectionKind;
    use crate::maintenance::DueBy;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn what_is_due_and_what_the_owner_already_booked() {
        let maintenance = MaintenanceDue {
            due_km: 5000,
            due_by_time: d("2026-06-01"),
            projected: Some(d("2026-03-20")),
            due: d("2026-03-20"),
            by: DueBy::Distance,
        };
        let inspection = InspectionDue {
            kind: InspectionKind::MarkOnly,
            due: d("2026-05-31"),
            window_opens: d("2026-03-01"),
            window_open: true,
            exception: None,
        };
        let car = CarFacts {
            maintenance: Some(maintenance),
            inspection: Some(inspection),
            insurance_ends_on: Some(d("2026-04-01")),
            open_services: vec![],
        };
        let kinds = |car: &CarFacts, today: &str| -> Vec<(ReminderKind, Date)> {
            due(car, d(today))
                .into_iter()
                .map(|x| (x.kind, x.due_on))
                .collect()
        };
        // (today, what is due): maintenance keyed by its time-based day.
        let cases: [(&str, Vec<(ReminderKind, Date)>); 5] = [
            ("2026-02-01", vec![]),
            ("2026-03-01", vec![(Inspection, d("2026-05-31"))]),
            (
                "2026-03-06",
                vec![
                    (Maintenance, d("2026-06-01")),
                    (Inspection, d("2026-05-31")),
                    (Insurance, d("2026-04-01")),
                ],
            ),
            (
                "2026-04-02",
                vec![
                    (Maintenance, d("2026-06-01")),
                    (Inspection, d("2026-05-31")),
                ],
            ),
            ("2026-06-01", vec![(Maintenance, d("2026-06-01"))]),
        ];
        for (today, want) in cases {
            assert_eq!(kinds(&car, today), want, "{today}");
        }
        // A maintenance and an inspection booked: neither is reminded; the booking is, the day before.
        let booked = CarFacts {
            open_services: vec![
                (d("2026-03-07"), ServiceWork::Maintenance, "保养".into()),
                (d("2026-03-20"), ServiceWork::Inspection, "年检".into()),
            ],
            ..car.clone()
        };
        assert_eq!(
            kinds(&booked, "2026-03-06"),
            vec![
                (Insurance, d("2026-04-01")),
                (ReminderKind::ServiceBooking, d("2026-03-07"))
            ]
        );
    }

    #[test]
    fn retries_back_off() {
        let waits: Vec<i64> = (1..=7).map(retry_after).collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(waits[0], 60_000);
        assert_eq!(waits[6], 12 * HOUR);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [
            Maintenance,
            Inspection,
            Insurance,
            ReminderKind::ServiceBooking,
        ] {
            assert_eq!(ReminderKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ReminderKind::parse("spam"), None);
    }

    /// Unix ms of a Beijing date and hour:minute.
    fn bj(day: &str, hour: i64, minute: i64) -> i64 {
        Date::parse(day).unwrap().unix_days() * DAY - OFFSET + hour * HOUR + minute * 60_000
    }

    #[test]
    fn quiet_hours_move_to_nine_in_the_morning() {
        for (at, to) in [
            (bj("2026-03-10", 9, 0), bj("2026-03-10", 9, 0)),
            (bj("2026-03-10", 20, 59), bj("2026-03-10", 20, 59)),
            (bj("2026-03-10", 21, 0), bj("2026-03-11", 9, 0)),
            (bj("2026-03-10", 23, 30), bj("2026-03-11", 9, 0)),
            (bj("2026-03-11", 0, 10), bj("2026-03-11", 9, 0)),
            (bj("2026-03-11", 8, 59), bj("2026-03-11", 9, 0)),
            (bj("2026-03-31", 22, 0), bj("2026-04-01", 9, 0)),
        ] {
            assert_eq!(outside_quiet_hours(at), to, "{at}");
        }
    }

    #[test]
    fn caps_per_month_and_kind() {
        let now = bj("2026-03-20", 10, 0);
        // (already sent, kind, earliest)
        let cases: [(Vec<Sent>, ReminderKind, i64); 5] = [
            (vec![], Maintenance, now),
            // One this month of another kind: fine.
            (
                vec![Sent {
                    kind: Inspection,
                    at: bj("2026-03-02", 10, 0),
                }],
                Maintenance,
                now,
            ),
            // Two this month: the first of next month, at nine.
            (
                vec![
                    Sent {
                        kind: Inspection,
                        at: bj("2026-03-02", 10, 0),
                    },
                    Sent {
                        kind: Insurance,
                        at: bj("2026-03-05", 10, 0),
                    },
                ],
                Maintenance,
                bj("2026-04-01", 9, 0),
            ),
            // The same kind 10 days ago: 30 days after it.
            (
                vec![Sent {
                    kind: Maintenance,
                    at: bj("2026-03-10", 15, 0),
                }],
                Maintenance,
                bj("2026-04-09", 15, 0),
            ),
            // The same kind late in the evening: 30 days later falls in the quiet hours.
            (
                vec![Sent {
                    kind: Maintenance,
                    at: bj("2026-03-10", 21, 30),
                }],
                Maintenance,
                bj("2026-04-10", 9, 0),
            ),
        ];
        for (sent, kind, at) in cases {
            assert_eq!(send_at(&sent, kind, now), at, "{sent:?}");
        }
        // Quiet now, and the month full: the next month at nine, not 09:00 tomorrow.
        let late = bj("2026-03-31", 22, 0);
        let full = [
            Sent {
                kind: Inspection,
                at: bj("2026-04-01", 9, 0),
            },
            Sent {
                kind: Insurance,
                at: bj("2026-04-01", 9, 5),
            },
        ];
        assert_eq!(send_at(&full, Maintenance, late), bj("2026-05-01", 9, 0));
    }
}
