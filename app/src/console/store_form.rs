//! A store's setup (hours, closures, test-drive and service slots, test-drive cars) as the
//! form holds it while a manager edits: text as typed,
//! turned back into a `StoreSetup` with the same checks the server makes
//! (`validate_hours`, `validate_template`), one message per row. Pure, tested natively.

use shared::console::StoreSetup;
use shared::date::Date;
use shared::slots::TimeOfDay;
use shared::slots::{
    validate_hours, validate_template, Closure, OpeningHours, SlotKind, SlotTemplate,
};
use shared::ApiError;

/// 周一 … 周日, for weekdays 1 … 7.
pub const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// The longest closure reason the server keeps.
pub const REASON_MAX_CHARS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub open: String,
    pub close: String,
}

impl Period {
    fn new(open: &str, close: &str) -> Self {
        Self {
            open: open.into(),
            close: close.into(),
        }
    }
}

/// One weekday: closed, or open in one or more periods (two make a midday break).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    pub closed: bool,
    pub periods: Vec<Period>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosureDraft {
    /// `YYYY-MM-DD`, as a date input gives it.
    pub date: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateDraft {
    pub weekdays: Vec<u8>,
    pub start: String,
    pub end: String,
    pub slot_minutes: String,
    pub capacity: String,
}

impl Default for TemplateDraft {
    fn default() -> Self {
        Self {
            weekdays: (1..=7).collect(),
            start: "09:00".into(),
            end: "17:00".into(),
            slot_minutes: "60".into(),
            capacity: "1".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreDraft {
    /// Monday first.
    pub days: Vec<Day>,
    pub closures: Vec<ClosureDraft>,
    pub templates: Vec<TemplateDraft>,
    pub series_ids: Vec<String>,
    /// The service slots' templates, with their own capacity.
    pub service_templates: Vec<TemplateDraft>,
}

impl StoreDraft {
    fn usual(series_ids: Vec<String>) -> Self {
        let open = Day {
            closed: false,
            periods: vec![Period::new("09:00", "18:00")],
        };
        Self {
            days: vec![open; 7],
            closures: Vec::new(),
            templates: vec![TemplateDraft::default()],
            series_ids,
            service_templates: Vec::new(),
        }
    }
}

impl TemplateDraft {
    fn from_template(t: &SlotTemplate) -> Self {
        Self {
            weekdays: t.weekdays.clone(),
            start: t.start.to_string(),
            end: t.end.to_string(),
            slot_minutes: t.slot_minutes.to_string(),
            capacity: t.capacity.to_string(),
        }
    }
}

impl StoreDraft {
    /// The form for a store's setup; a store never set up (no hours) starts from the usual
    /// one, every day 09:00–18:00 with hourly test drives, to check and save.
    pub fn from_setup(setup: &StoreSetup) -> Self {
        if setup.hours.is_empty() && setup.templates.is_empty() {
            return Self::usual(setup.series_ids.clone());
        }
        let days = (1..=7)
            .map(|weekday| {
                let mut hours: Vec<&OpeningHours> = setup
                    .hours
                    .iter()
                    .filter(|h| h.weekday == weekday)
                    .collect();
                hours.sort_by_key(|h| h.open);
                Day {
                    closed: hours.is_empty(),
                    periods: hours
                        .into_iter()
                        .map(|h| Period::new(&h.open.to_string(), &h.close.to_string()))
                        .collect(),
                }
            })
            .collect();
        Self {
            days,
            closures: setup
                .closures
                .iter()
                .map(|c| ClosureDraft {
                    date: c.date.to_string(),
                    reason: c.reason.clone(),
                })
                .collect(),
            templates: setup
                .templates
                .iter()
                .map(TemplateDraft::from_template)
                .collect(),
            series_ids: setup.series_ids.clone(),
            service_templates: setup
                .service_templates
                .iter()
                .map(TemplateDraft::from_template)
                .collect(),
        }
    }

    /// The templates of a kind of slot.
    pub fn templates(&self, kind: SlotKind) -> &Vec<TemplateDraft> {
        match kind {
            SlotKind::TestDrive => &self.templates,
            SlotKind::Service => &self.service_templates,
        }
    }

    pub fn templates_mut(&mut self, kind: SlotKind) -> &mut Vec<TemplateDraft> {
        match kind {
            SlotKind::TestDrive => &mut self.templates,
            SlotKind::Service => &mut self.service_templates,
        }
    }

    /// Opens or closes a weekday; a day opened with no periods gets office hours.
    pub fn set_closed(&mut self, day: usize, closed: bool) {
        if let Some(d) = self.days.get_mut(day) {
            d.closed = closed;
            if !closed && d.periods.is_empty() {
                d.periods.push(Period::new("09:00", "18:00"));
            }
        }
    }

    /// A second period after the last one (the afternoon after a midday break).
    pub fn add_period(&mut self, day: usize) {
        if let Some(d) = self.days.get_mut(day) {
            let after = d.periods.last().map_or("13:00", |p| p.close.as_str());
            d.periods.push(Period::new(after, "18:00"));
        }
    }

    fn hours(&self, day: usize) -> Result<Vec<OpeningHours>, ApiError> {
        let Some(d) = self.days.get(day).filter(|d| !d.closed) else {
            return Ok(Vec::new());
        };
        let weekday = day as u8 + 1;
        let mut hours = Vec::new();
        for p in &d.periods {
            let (Some(open), Some(close)) = (TimeOfDay::parse(&p.open), TimeOfDay::parse(&p.close))
            else {
                return Err(ApiError::invalid("hours", "请填写营业时间"));
            };
            let h = OpeningHours {
                weekday,
                open,
                close,
            };
            validate_hours(&h)?;
            hours.push(h);
        }
        hours.sort_by_key(|h| h.open);
        if hours.windows(2).any(|w| w[1].open < w[0].close) {
            return Err(ApiError::invalid("hours", "同一天的营业时段不能重叠"));
        }
        if hours.is_empty() {
            return Err(ApiError::invalid("hours", "请填写营业时间，或勾选休息"));
        }
        Ok(hours)
    }

    fn closure(&self, i: usize) -> Result<Closure, ApiError> {
        let c = &self.closures[i];
        let date = Date::parse(&c.date).ok_or_else(|| ApiError::invalid("date", "请选择日期"))?;
        if self.closures[..i]
            .iter()
            .any(|o| Date::parse(&o.date) == Some(date))
        {
            return Err(ApiError::invalid("date", "这一天已添加"));
        }
        let reason = c.reason.trim();
        if reason.chars().count() > REASON_MAX_CHARS {
            return Err(ApiError::invalid("reason", "休息日说明最多40字"));
        }
        Ok(Closure {
            date,
            reason: reason.into(),
        })
    }

    fn template(&self, kind: SlotKind, i: usize) -> Result<SlotTemplate, ApiError> {
        let t = &self.templates(kind)[i];
        let time = |text: &str, field: &str, message: &str| {
            TimeOfDay::parse(text).ok_or_else(|| ApiError::invalid(field, message))
        };
        let number = |text: &str, field: &str, message: &str| {
            text.trim()
                .parse::<u16>()
                .map_err(|_| ApiError::invalid(field, message))
        };
        let mut weekdays = t.weekdays.clone();
        weekdays.sort_unstable();
        weekdays.dedup();
        let template = SlotTemplate {
            weekdays,
            start: time(&t.start, "start", "请填写开始时间")?,
            end: time(&t.end, "end", "请填写结束时间")?,
            slot_minutes: number(&t.slot_minutes, "slot_minutes", "请填写每场时长（分钟）")?,
            capacity: number(&t.capacity, "capacity", "请填写每场可约人数")?,
        };
        validate_template(&template)?;
        Ok(template)
    }

    /// What is wrong with a weekday's hours, as the manager types.
    pub fn day_error(&self, day: usize) -> Option<String> {
        self.hours(day).err().map(|e| e.message)
    }

    pub fn closure_error(&self, i: usize) -> Option<ApiError> {
        (i < self.closures.len())
            .then(|| self.closure(i).err())
            .flatten()
    }

    pub fn template_error(&self, kind: SlotKind, i: usize) -> Option<ApiError> {
        (i < self.templates(kind).len())
            .then(|| self.template(kind, i).err())
            .flatten()
    }

    /// The setup to save, or the first thing to fix.
    pub fn to_setup(&self) -> Result<StoreSetup, ApiError> {
        let mut hours = Vec::new();
        for day in 0..self.days.len() {
            hours.extend(self.hours(day)?);
        }
        let closures = (0..self.closures.len())
            .map(|i| self.closure(i))
            .collect::<Result<_, _>>()?;
        let of = |kind| {
            (0..self.templates(kind).len())
                .map(|i| self.template(kind, i))
                .collect::<Result<Vec<_>, _>>()
        };
        let setup = StoreSetup {
            hours,
            closures,
            templates: of(SlotKind::TestDrive)?,
            series_ids: self.series_ids.clone(),
            service_templates: of(SlotKind::Service)?,
        };
        setup.validate()?;
        Ok(setup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> TimeOfDay {
        TimeOfDay::parse(text).unwrap()
    }

    fn setup() -> StoreSetup {
        let hours = |weekday, open, close| OpeningHours {
            weekday,
            open: t(open),
            close: t(close),
        };
        StoreSetup {
            hours: vec![
                hours(1, "09:00", "18:00"),
                hours(3, "13:30", "18:00"),
                hours(3, "09:00", "12:00"),
            ],
            closures: vec![Closure {
                date: Date::new(2027, 2, 17),
                reason: "春节".into(),
            }],
            templates: vec![SlotTemplate {
                weekdays: vec![1, 3],
                start: t("09:30"),
                end: t("17:30"),
                slot_minutes: 60,
                capacity: 2,
            }],
            series_ids: vec!["qin-plus".into()],
            service_templates: vec![SlotTemplate {
                weekdays: vec![1, 2, 3, 4, 5],
                start: t("09:00"),
                end: t("17:00"),
                slot_minutes: 60,
                capacity: 4,
            }],
        }
    }

    #[test]
    fn a_setup_comes_back_from_its_form_unchanged() {
        let draft = StoreDraft::from_setup(&setup());
        assert!(draft.days[1].closed && !draft.days[0].closed);
        assert_eq!(
            draft.days[2].periods,
            [Period::new("09:00", "12:00"), Period::new("13:30", "18:00")]
        );
        let mut expected = setup();
        expected.hours.sort_by_key(|h| (h.weekday, h.open));
        assert_eq!(draft.to_setup(), Ok(expected));
    }

    #[test]
    fn each_row_says_what_to_fix() {
        let mut draft = StoreDraft::from_setup(&setup());
        draft.days[0].periods[0].close = "08:00".into();
        assert_eq!(
            draft.day_error(0).as_deref(),
            Some("营业结束时间须晚于开始时间")
        );
        draft.days[0].periods[0].close = String::new();
        assert_eq!(draft.day_error(0).as_deref(), Some("请填写营业时间"));
        draft.days[0].closed = true;
        assert_eq!(draft.day_error(0), None);
        draft.set_closed(1, false);
        assert_eq!(draft.days[1].periods, [Period::new("09:00", "18:00")]);
        draft.add_period(1);
        assert_eq!(
            draft.day_error(1).as_deref(),
            Some("营业结束时间须晚于开始时间")
        );
        draft.days[1].periods[1].open = "17:00".into();
        draft.days[1].periods[1].close = "20:00".into();
        assert_eq!(
            draft.day_error(1).as_deref(),
            Some("同一天的营业时段不能重叠")
        );

        draft.closures.push(ClosureDraft {
            date: "2027-02-17".into(),
            reason: String::new(),
        });
        let field = |e: Option<ApiError>| e.and_then(|e| e.field);
        assert_eq!(field(draft.closure_error(1)).as_deref(), Some("date"));
        draft.closures[1].date = String::new();
        assert_eq!(
            draft.closure_error(1).map(|e| e.message).as_deref(),
            Some("请选择日期")
        );

        for (edit, field_name) in [
            (
                TemplateDraft {
                    weekdays: vec![],
                    ..TemplateDraft::default()
                },
                "weekdays",
            ),
            (
                TemplateDraft {
                    end: "08:00".into(),
                    ..TemplateDraft::default()
                },
                "end",
            ),
            (
                TemplateDraft {
                    start: "9点".into(),
                    ..TemplateDraft::default()
                },
                "start",
            ),
            (
                TemplateDraft {
                    slot_minutes: "5".into(),
                    ..TemplateDraft::default()
                },
                "slot_minutes",
            ),
            (
                TemplateDraft {
                    capacity: "".into(),
                    ..TemplateDraft::default()
                },
                "capacity",
            ),
        ] {
            for kind in [SlotKind::TestDrive, SlotKind::Service] {
                *draft.templates_mut(kind) = vec![edit.clone()];
                assert_eq!(
                    field(draft.template_error(kind, 0)).as_deref(),
                    Some(field_name)
                );
            }
        }
        draft.templates = vec![TemplateDraft::default()];
        assert_eq!(draft.template_error(SlotKind::TestDrive, 0), None);
        assert_eq!(draft.template_error(SlotKind::TestDrive, 5), None);
        // A service template is checked on its own: test-drive rows are fine, it is not.
        assert_eq!(
            draft
                .template_error(SlotKind::Service, 0)
                .map(|e| e.message)
                .as_deref(),
            Some("请填写每场可约人数")
        );
        assert_eq!(
            draft.to_setup().map_err(|e| e.message),
            Err("同一天的营业时段不能重叠".to_string())
        );
    }
}
