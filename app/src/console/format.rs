//! How the console writes times, waits and phone numbers, and how it orders today's
//! bookings: pure functions, tested natively.

use shared::console::StaffBooking;

const MINUTE: i64 = 60_000;
const SHANGHAI_OFFSET: i64 = 8 * 60 * MINUTE;

/// Unix milliseconds as Shanghai wall-clock time, `12-01 10:32`.
pub fn short_time(millis: i64) -> String {
    let date = shared::date::Date::shanghai_from_unix_millis(millis);
    let minutes = (millis + SHANGHAI_OFFSET).rem_euclid(24 * 60 * MINUTE) / MINUTE;
    format!(
        "{:02}-{:02} {:02}:{:02}",
        date.month,
        date.day,
        minutes / 60,
        minutes % 60
    )
}

/// The first-response clock of a lead nobody called yet: `已等待 12 分钟`, then hours, then
/// days (a clock that runs backwards, from a skewed device, reads 0).
pub fn waited(since: i64, now: i64) -> String {
    let minutes = ((now - since) / MINUTE).max(0);
    match minutes {
        0..60 => format!("已等待 {minutes} 分钟"),
        60..1440 => format!("已等待 {} 小时 {} 分钟", minutes / 60, minutes % 60),
        _ => format!("已等待 {} 天", minutes / 1440),
    }
}

/// A number shown in full (not masked with `*`, not erased), so it can be called.
pub fn dialable(phone: &str) -> bool {
    !phone.is_empty() && !phone.contains('*')
}

/// Bookings by store (stores in the order they first appear), each store's by start time.
pub fn by_store(bookings: Vec<StaffBooking>) -> Vec<(String, Vec<StaffBooking>)> {
    let mut groups: Vec<(String, Vec<StaffBooking>)> = Vec::new();
    for booking in bookings {
        match groups
            .iter_mut()
            .find(|(store, _)| *store == booking.store_name)
        {
            Some((_, list)) => list.push(booking),
            None => groups.push((booking.store_name.clone(), vec![booking])),
        }
    }
    for (_, list) in &mut groups {
        list.sort_by_key(|b| (b.slot.date, b.slot.start));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::booking::{BookingStatus, Slot};
    use shared::date::Date;
    use shared::slots::TimeOfDay;

    #[test]
    fn times_are_shown_on_the_shanghai_clock() {
        for (millis, shown) in [
            // 2025-12-01T02:32:00Z
            (1_764_556_320_000, "12-01 10:32"),
            // 2025-12-31T16:00:00Z is already New Year's Day in Shanghai.
            (1_767_196_800_000, "01-01 00:00"),
            (0, "01-01 08:00"),
        ] {
            assert_eq!(short_time(millis), shown, "{millis}");
        }
    }

    #[test]
    fn the_wait_counts_minutes_then_hours_then_days() {
        let now = 1_764_556_320_000;
        for (ago, shown) in [
            (0, "已等待 0 分钟"),
            (59_999, "已等待 0 分钟"),
            (12 * MINUTE, "已等待 12 分钟"),
            (59 * MINUTE, "已等待 59 分钟"),
            (60 * MINUTE, "已等待 1 小时 0 分钟"),
            (125 * MINUTE, "已等待 2 小时 5 分钟"),
            (3 * 1440 * MINUTE + 5, "已等待 3 天"),
            (-5 * MINUTE, "已等待 0 分钟"),
        ] {
            assert_eq!(waited(now - ago, now), shown, "{ago}");
        }
    }

    #[test]
    fn only_full_numbers_can_be_dialled() {
        assert!(dialable("13812345678"));
        assert!(!dialable("138****5678"));
        assert!(!dialable(""));
    }

    fn booking(code: &str, store: &str, start: &str) -> StaffBooking {
        let time = |t: &str| TimeOfDay::parse(t).unwrap();
        StaffBooking {
            code: code.into(),
            status: BookingStatus::Booked,
            slot: Slot {
                id: 1,
                store_id: 1,
                date: Date::new(2026, 12, 1),
                start: time(start),
                end: time("23:00"),
                seats_left: 1,
            },
            store_name: store.into(),
            series_name: "秦PLUS".into(),
            trim_name: None,
            name: "张三".into(),
            phone: "138****5678".into(),
            lead_id: None,
            consultant: None,
        }
    }

    #[test]
    fn bookings_are_grouped_by_store_and_ordered_by_time() {
        let groups = by_store(vec![
            booking("a", "城东店", "14:00"),
            booking("b", "城西店", "09:00"),
            booking("c", "城东店", "10:00"),
        ]);
        let shown: Vec<(String, Vec<String>)> = groups
            .into_iter()
            .map(|(store, list)| (store, list.into_iter().map(|b| b.code).collect()))
            .collect();
        assert_eq!(
            shown,
            [
                ("城东店".to_string(), vec!["c".to_string(), "a".to_string()]),
                ("城西店".to_string(), vec!["b".to_string()]),
            ]
        );
    }
}
