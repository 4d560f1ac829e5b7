//! When a reminder to an owner may go out, as a pure rule for the scheduler: at most 2 a
//! calendar month (Beijing time) per owner, at most one per kind in 30 days, and never
//! between 21:00 and 09:00 Beijing time. A reminder held back is sent later, never dropped.

use serde::{Deserialize, Serialize};

use crate::date::Date;

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
