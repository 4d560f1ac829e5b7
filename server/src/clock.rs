//! The `Clock`: now, in Unix milliseconds, and what it is in Shanghai (today, the minute, the
//! booking window), which every module reads instead of the system time.

use shared::booking::Slot;
use shared::date::Date;
use shared::slots::BOOKING_DAYS;

/// Now, in Unix milliseconds, and what it is in Shanghai.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    pub millis: i64,
}

impl Clock {
    pub fn now() -> Self {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        Self { millis }
    }

    pub fn today(self) -> Date {
        Date::shanghai_from_unix_millis(self.millis)
    }

    /// Minutes after midnight in Shanghai.
    pub fn minute(self) -> u16 {
        ((self.millis + 8 * 3_600_000).rem_euclid(86_400_000) / 60_000) as u16
    }

    /// Midnight in Shanghai of a day, in Unix milliseconds.
    pub fn midnight(date: Date) -> i64 {
        date.unix_days() * 86_400_000 - 8 * 3_600_000
    }

    /// The last day of the booking window.
    pub fn last_day(self) -> Date {
        self.today().add_days(i64::from(BOOKING_DAYS) - 1)
    }

    /// A slot that has not started yet and lies inside the booking window.
    pub fn is_bookable(self, slot: &Slot) -> bool {
        let today = self.today();
        slot.date <= self.last_day()
            && (slot.date > today || (slot.date == today && slot.start.minutes() > self.minute()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::slots::TimeOfDay;

    #[test]
    fn the_clock_knows_shanghai_and_the_booking_window() {
        // 2026-12-01T02:30:00Z is 10:30 in Shanghai.
        let clock = Clock {
            millis: 1_796_092_200_000,
        };
        assert_eq!(clock.today(), Date::new(2026, 12, 1));
        assert_eq!(clock.minute(), 10 * 60 + 30);
        assert_eq!(clock.last_day(), Date::new(2026, 12, 14));
        let slot = |date: Date, start: &str| Slot {
            id: 1,
            store_id: 1,
            date,
            start: TimeOfDay::parse(start).unwrap(),
            end: TimeOfDay::parse("23:00").unwrap(),
            seats_left: 1,
        };
        assert!(!clock.is_bookable(&slot(Date::new(2026, 12, 1), "10:00")));
        assert!(clock.is_bookable(&slot(Date::new(2026, 12, 1), "11:00")));
        assert!(clock.is_bookable(&slot(Date::new(2026, 12, 14), "09:00")));
        assert!(!clock.is_bookable(&slot(Date::new(2026, 12, 15), "09:00")));
        assert!(!clock.is_bookable(&slot(Date::new(2026, 11, 30), "23:00")));
    }
}
