//! Test-drive slots from a store's rules: opening hours, closures and slot templates, and
//! the dated slots they plan for the booking window.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::ApiError;

/// How many days ahead, from today, a consumer can book.
pub const BOOKING_DAYS: u16 = 14;

/// A wall-clock time in Asia/Shanghai, in minutes after midnight (`24:00` closes a day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// Parses `HH:MM` from `00:00` to `24:00`.
    pub fn parse(text: &str) -> Option<Self> {
        let (hours, minutes) = text.trim().split_once(':')?;
        let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        if !two_digits(hours) || !two_digits(minutes) {
            return None;
        }
        let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
        if minutes >= 60 {
            return None;
        }
        Self::from_minutes(hours * 60 + minutes)
    }

    pub fn minutes(self) -> u16 {
        self.0
    }

    /// `None` past `24:00` (1440 minutes).
    pub fn from_minutes(minutes: u16) -> Option<Self> {
        (minutes <= 24 * 60).then_some(Self(minutes))
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl TryFrom<String> for TimeOfDay {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("时间格式应为 HH:MM：{text}"))
    }
}

impl From<TimeOfDay> for String {
    fn from(time: TimeOfDay) -> Self {
        time.to_string()
    }
}

/// Which slots: test drives (试驾) or service visits (保养/维修). Each has its own templates,
/// capacity and dated slots; the planning rules are the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    TestDrive,
    Service,
}

impl SlotKind {
    /// What the console calls a kind's slots.
    pub fn label(self) -> &'static str {
        match self {
            Self::TestDrive => "试驾时段",
            Self::Service => "保养维修时段",
        }
    }
}

/// When a store is open on one weekday (1 = Monday … 7 = Sunday). A weekday without an
/// entry is closed; two entries on one weekday make a midday break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpeningHours {
    pub weekday: u8,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00"))]
    pub open: TimeOfDay,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "18:00"))]
    pub close: TimeOfDay,
}

/// A day the store is shut although its hours say open (a holiday, a stock-take).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closure {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2027-02-17"))]
    pub date: Date,
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub reason: String,
}

/// The longest reason a closure gives, in characters.
pub const CLOSURE_REASON_MAX_CHARS: usize = 40;

/// A repeating pattern of test-drive slots: on these weekdays, back-to-back slots of
/// `slot_minutes` from `start` until `end`, each for `capacity` bookings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotTemplate {
    pub weekdays: Vec<u8>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:30"))]
    pub start: TimeOfDay,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "17:30"))]
    pub end: TimeOfDay,
    pub slot_minutes: u16,
    pub capacity: u16,
}

/// One dated slot the rules produce, before it becomes a bookable row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedSlot {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-11-24"))]
    pub date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:30"))]
    pub start: TimeOfDay,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10:30"))]
    pub end: TimeOfDay,
    pub capacity: u16,
}

/// The slots for the `days` dates from `from`, sorted by date then start. Closed weekdays
/// and closures have none; a slot lies wholly inside one opening period; when two templates
/// start a slot at the same time, the larger capacity wins.
pub fn plan_slots(
    from: Date,
    days: u16,
    hours: &[OpeningHours],
    closures: &[Closure],
    templates: &[SlotTemplate],
) -> Vec<PlannedSlot> {
    let mut slots = Vec::new();
    for offset in 0..i64::from(days) {
        let date = from.add_days(offset);
        let weekday = date.weekday();
        if closures.iter().any(|c| c.date == date) {
            continue;
        }
        let open: Vec<&OpeningHours> = hours.iter().filter(|h| h.weekday == weekday).collect();
        let within_hours = |start: TimeOfDay, end: TimeOfDay| {
            open.iter().any(|h| h.open <= start && end <= h.close)
        };
        for t in templates.iter().filter(|t| t.weekdays.contains(&weekday)) {
            // A zero length would never reach the end; validate_template refuses it.
            if t.slot_minutes == 0 {
                continue;
            }
            let mut start = t.start;
            while let Some(end) = start
                .minutes()
                .checked_add(t.slot_minutes)
                .and_then(TimeOfDay::from_minutes)
                .filter(|&end| end <= t.end)
            {
                if within_hours(start, end) {
                    slots.push(PlannedSlot {
                        date,
                        start,
                        end,
                        capacity: t.capacity,
                    });
                }
                start = end;
            }
        }
    }
    slots.sort_by_key(|s| (s.date, s.start, std::cmp::Reverse(s.capacity)));
    slots.dedup_by_key(|s| (s.date, s.start));
    slots
}

/// A template the store can save.
pub fn validate_template(t: &SlotTemplate) -> Result<(), ApiError> {
    if t.weekdays.is_empty() {
        return Err(ApiError::invalid("weekdays", "请至少选择一天"));
    }
    if !t.weekdays.iter().all(|d| (1..=7).contains(d)) {
        return Err(ApiError::invalid(
            "weekdays",
            "星期须为1（周一）到7（周日）",
        ));
    }
    if t.start >= t.end {
        return Err(ApiError::invalid("end", "结束时间须晚于开始时间"));
    }
    if !(15..=240).contains(&t.slot_minutes) {
        return Err(ApiError::invalid(
            "slot_minutes",
            "每场时长须在15到240分钟之间",
        ));
    }
    if !(1..=50).contains(&t.capacity) {
        return Err(ApiError::invalid("capacity", "每场可约人数须在1到50之间"));
    }
    Ok(())
}

/// Opening hours the store can save.
pub fn validate_hours(h: &OpeningHours) -> Result<(), ApiError> {
    if !(1..=7).contains(&h.weekday) {
        return Err(ApiError::invalid("hours", "星期须为1（周一）到7（周日）"));
    }
    if h.open >= h.close {
        return Err(ApiError::invalid("hours", "营业结束时间须晚于开始时间"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> TimeOfDay {
        TimeOfDay::parse(text).unwrap()
    }

    fn hours(weekday: u8, open: &str, close: &str) -> OpeningHours {
        OpeningHours {
            weekday,
            open: t(open),
            close: t(close),
        }
    }

    fn template(
        weekdays: &[u8],
        start: &str,
        end: &str,
        slot_minutes: u16,
        capacity: u16,
    ) -> SlotTemplate {
        SlotTemplate {
            weekdays: weekdays.to_vec(),
            start: t(start),
            end: t(end),
            slot_minutes,
            capacity,
        }
    }

    /// Slots as `(date, start, end, capacity)` strings, for readable tables.
    fn shown(slots: &[PlannedSlot]) -> Vec<(String, String, String, u16)> {
        slots
            .iter()
            .map(|s| {
                (
                    s.date.to_string(),
                    s.start.to_string(),
                    s.end.to_string(),
                    s.capacity,
                )
            })
            .collect()
    }

    #[test]
    fn times_of_day_parse_show_and_travel_as_hh_mm() {
        for (text, minutes) in [
            ("00:00", Some(0)),
            ("09:30", Some(570)),
            (" 18:05 ", Some(1085)),
            ("23:59", Some(1439)),
            ("24:00", Some(1440)),
            ("24:01", None),
            ("25:00", None),
            ("12:60", None),
            ("9:30", None),
            ("09:3", None),
            ("0930", None),
            ("09:30:00", None),
            ("+9:30", None),
            ("", None),
        ] {
            let parsed = TimeOfDay::parse(text);
            assert_eq!(parsed.map(TimeOfDay::minutes), minutes, "{text:?}");
            if let Some(time) = parsed {
                assert_eq!(time.to_string(), text.trim());
                let json = serde_json::to_string(&time).unwrap();
                assert_eq!(json, format!("\"{}\"", text.trim()));
                assert_eq!(serde_json::from_str::<TimeOfDay>(&json).unwrap(), time);
            }
        }
        assert!(serde_json::from_str::<TimeOfDay>("\"25:00\"").is_err());
        for (minutes, shown) in [
            (0, Some("00:00")),
            (75, Some("01:15")),
            (1440, Some("24:00")),
            (1441, None),
        ] {
            assert_eq!(
                TimeOfDay::from_minutes(minutes)
                    .map(|time| time.to_string())
                    .as_deref(),
                shown,
                "{minutes}"
            );
        }
    }

    #[test]
    fn slots_follow_templates_inside_opening_hours() {
        // 2026-11-23 is a Monday.
        let monday = Date::new(2026, 11, 23);
        let weekdays = [
            hours(1, "09:00", "18:00"),
            hours(2, "09:00", "18:00"),
            hours(3, "09:00", "12:00"),
            hours(3, "13:30", "18:00"),
            hours(6, "10:00", "11:00"),
        ];
        let cases = [
            (
                "back-to-back hour slots until the template ends",
                vec![template(&[1], "09:00", "12:00", 60, 2)],
                1,
                vec![
                    ("2026-11-23", "09:00", "10:00", 2),
                    ("2026-11-23", "10:00", "11:00", 2),
                    ("2026-11-23", "11:00", "12:00", 2),
                ],
            ),
            (
                "a slot that would run past the template's end is dropped",
                vec![template(&[1], "09:00", "11:30", 60, 1)],
                1,
                vec![
                    ("2026-11-23", "09:00", "10:00", 1),
                    ("2026-11-23", "10:00", "11:00", 1),
                ],
            ),
            (
                "slots are clipped to opening hours and the midday break",
                vec![template(&[3, 6], "08:00", "17:00", 90, 3)],
                7,
                vec![
                    ("2026-11-25", "09:30", "11:00", 3),
                    ("2026-11-25", "14:00", "15:30", 3),
                    ("2026-11-25", "15:30", "17:00", 3),
                ],
            ),
            (
                "closed weekdays have no slots even if a template names them",
                vec![template(&[4, 5, 7], "09:00", "18:00", 60, 1)],
                7,
                vec![],
            ),
            (
                "the same start from two templates keeps the larger capacity",
                vec![
                    template(&[2], "09:00", "11:00", 60, 2),
                    template(&[2], "10:00", "12:00", 60, 5),
                    template(&[2], "09:00", "10:00", 60, 1),
                ],
                2,
                vec![
                    ("2026-11-24", "09:00", "10:00", 2),
                    ("2026-11-24", "10:00", "11:00", 5),
                    ("2026-11-24", "11:00", "12:00", 5),
                ],
            ),
            (
                "dates are sorted and the window is from plus days, exclusive",
                vec![
                    template(&[2], "17:00", "18:00", 60, 1),
                    template(&[1], "17:00", "18:00", 60, 1),
                    template(&[1, 2], "09:00", "10:00", 60, 1),
                ],
                8,
                vec![
                    ("2026-11-23", "09:00", "10:00", 1),
                    ("2026-11-23", "17:00", "18:00", 1),
                    ("2026-11-24", "09:00", "10:00", 1),
                    ("2026-11-24", "17:00", "18:00", 1),
                    ("2026-11-30", "09:00", "10:00", 1),
                    ("2026-11-30", "17:00", "18:00", 1),
                ],
            ),
            (
                "a slot may end at 24:00 when the store is open until midnight",
                vec![template(&[2], "22:00", "24:00", 60, 1)],
                2,
                vec![
                    ("2026-11-24", "22:00", "23:00", 1),
                    ("2026-11-24", "23:00", "24:00", 1),
                ],
            ),
            (
                "an empty window plans nothing",
                vec![template(&[1], "09:00", "18:00", 60, 1)],
                0,
                vec![],
            ),
        ];
        let weekdays = [&weekdays[..], &[hours(2, "20:00", "24:00")]].concat();
        for (case, templates, days, expected) in cases {
            let expected: Vec<_> = expected
                .into_iter()
                .map(|(d, s, e, c)| (d.to_owned(), s.to_owned(), e.to_owned(), c))
                .collect();
            assert_eq!(
                shown(&plan_slots(monday, days, &weekdays, &[], &templates)),
                expected,
                "{case}"
            );
        }
    }

    #[test]
    fn closures_skip_whole_days_across_the_year_end() {
        let every_day: Vec<OpeningHours> = (1..=7).map(|d| hours(d, "09:00", "18:00")).collect();
        let templates = [template(&[1, 2, 3, 4, 5, 6, 7], "10:00", "11:00", 60, 4)];
        let closures = [
            Closure {
                date: Date::new(2026, 12, 31),
                reason: "盘点".into(),
            },
            Closure {
                date: Date::new(2027, 1, 1),
                reason: "元旦".into(),
            },
        ];
        let dates: Vec<String> = plan_slots(
            Date::new(2026, 12, 29),
            5,
            &every_day,
            &closures,
            &templates,
        )
        .iter()
        .map(|s| s.date.to_string())
        .collect();
        assert_eq!(dates, ["2026-12-29", "2026-12-30", "2027-01-02"]);
        let window = plan_slots(
            Date::new(2026, 12, 29),
            BOOKING_DAYS,
            &every_day,
            &[],
            &templates,
        );
        assert_eq!(window.len(), 14);
        assert_eq!(window.last().map(|s| s.date), Some(Date::new(2027, 1, 11)));
    }

    #[test]
    fn templates_are_checked_field_by_field() {
        let good = template(&[1, 2, 3, 4, 5], "09:00", "17:00", 60, 2);
        assert_eq!(validate_template(&good), Ok(()));
        let cases: [(SlotTemplate, Option<(&str, &str)>); 12] = [
            (template(&[6, 7], "09:00", "09:15", 15, 1), None),
            (template(&[1], "00:00", "24:00", 240, 50), None),
            (
                template(&[], "09:00", "17:00", 60, 2),
                Some(("weekdays", "请至少选择一天")),
            ),
            (
                template(&[0], "09:00", "17:00", 60, 2),
                Some(("weekdays", "星期须为1（周一）到7（周日）")),
            ),
            (
                template(&[1, 8], "09:00", "17:00", 60, 2),
                Some(("weekdays", "星期须为1（周一）到7（周日）")),
            ),
            (
                template(&[1], "17:00", "17:00", 60, 2),
                Some(("end", "结束时间须晚于开始时间")),
            ),
            (
                template(&[1], "17:00", "09:00", 60, 2),
                Some(("end", "结束时间须晚于开始时间")),
            ),
            (
                template(&[1], "09:00", "17:00", 14, 2),
                Some(("slot_minutes", "每场时长须在15到240分钟之间")),
            ),
            (
                template(&[1], "09:00", "17:00", 241, 2),
                Some(("slot_minutes", "每场时长须在15到240分钟之间")),
            ),
            (
                template(&[1], "09:00", "17:00", 0, 2),
                Some(("slot_minutes", "每场时长须在15到240分钟之间")),
            ),
            (
                template(&[1], "09:00", "17:00", 60, 0),
                Some(("capacity", "每场可约人数须在1到50之间")),
            ),
            (
                template(&[1], "09:00", "17:00", 60, 51),
                Some(("capacity", "每场可约人数须在1到50之间")),
            ),
        ];
        for (t, error) in cases {
            let expected = error.map_or(Ok(()), |(field, message)| {
                Err(ApiError::invalid(field, message))
            });
            assert_eq!(validate_template(&t), expected, "{t:?}");
        }
    }

    #[test]
    fn opening_hours_must_close_after_they_open() {
        for (h, error) in [
            (hours(1, "09:00", "18:00"), None),
            (hours(7, "00:00", "24:00"), None),
            (
                hours(0, "09:00", "18:00"),
                Some("星期须为1（周一）到7（周日）"),
            ),
            (
                hours(8, "09:00", "18:00"),
                Some("星期须为1（周一）到7（周日）"),
            ),
            (
                hours(3, "18:00", "18:00"),
                Some("营业结束时间须晚于开始时间"),
            ),
            (
                hours(3, "18:00", "09:00"),
                Some("营业结束时间须晚于开始时间"),
            ),
        ] {
            let expected = error.map_or(Ok(()), |message| Err(ApiError::invalid("hours", message)));
            assert_eq!(validate_hours(&h), expected, "{h:?}");
        }
    }

    #[test]
    fn a_zero_length_template_plans_nothing_instead_of_looping() {
        let slots = plan_slots(
            Date::new(2026, 11, 23),
            1,
            &[hours(1, "09:00", "18:00")],
            &[],
            &[template(&[1], "09:00", "18:00", 0, 1)],
        );
        assert_eq!(slots, []);
    }
}
