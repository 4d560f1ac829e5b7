//! Activities (活动: 试驾会, 车主讲堂, 新车上市): the kinds a dealer runs, how a draft and a
//! sign-up are checked (in the console, on the consumer page and on the server alike), what
//! state an activity is in at a moment (报名中, 已满, 已结束, 已取消), and how its time and
//! seats are said. An activity ends by its end time, never by a job.

use serde::{Deserialize, Serialize};

use crate::booking::{Consultant, ContactForm};
use crate::date::Date;
use crate::error::ApiError;
use crate::slots::TimeOfDay;

pub const TITLE_MAX_CHARS: usize = 30;
pub const PLACE_MAX_CHARS: usize = 60;
pub const DESCRIPTION_MAX_CHARS: usize = 500;
/// The most seats an activity may have: a showroom, not a stadium.
pub const SEATS_MAX: i64 = 500;
/// The most people one sign-up may bring (themselves included).
pub const PARTY_MAX: i64 = 5;

/// What an activity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// 试驾会: a day of test drives.
    TestDriveDay,
    /// 车主讲堂: a class for owners (charging, maintenance, driving assistance).
    OwnerClass,
    /// 新车上市: a new model's launch.
    Launch,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 3] = [
        ActivityKind::TestDriveDay,
        ActivityKind::OwnerClass,
        ActivityKind::Launch,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::TestDriveDay => "test_drive_day",
            ActivityKind::OwnerClass => "owner_class",
            ActivityKind::Launch => "launch",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::TestDriveDay => "试驾会",
            ActivityKind::OwnerClass => "车主讲堂",
            ActivityKind::Launch => "新车上市",
        }
    }
}

/// An activity as a manager writes it: on a day (Beijing time) from `start` to `end`, at a
/// place, with so many seats; about a series and at a store if it names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityDraft {
    pub kind: ActivityKind,
    /// 1–30 characters, one line.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub title: String,
    /// At most 500 characters; line breaks kept.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-20"))]
    pub date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "14:00"))]
    pub start: TimeOfDay,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "16:00"))]
    pub end: TimeOfDay,
    /// 1–60 characters: the store's showroom, a hall, a track.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub place: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    pub seats: i64,
    pub series_id: Option<String>,
    pub store_id: Option<i64>,
}

impl ActivityDraft {
    /// The draft trimmed, or the first field that is wrong with a message a manager can act
    /// on. The day is checked against `today` by the caller when it matters (a new activity
    /// may not be in the past).
    pub fn validate(&self) -> Result<ActivityDraft, ApiError> {
        let title = self.title.trim().to_string();
        let place = self.place.trim().to_string();
        let description = self.description.trim().to_string();
        if title.is_empty() {
            return Err(ApiError::invalid("title", "请填写活动名称"));
        }
        if title.chars().count() > TITLE_MAX_CHARS {
            return Err(ApiError::invalid(
                "title",
                format!("活动名称最多{TITLE_MAX_CHARS}个字"),
            ));
        }
        crate::text::check_line(&title, "title", "活动名称")?;
        if description.chars().count() > DESCRIPTION_MAX_CHARS {
            return Err(ApiError::invalid(
                "description",
                format!("活动介绍最多{DESCRIPTION_MAX_CHARS}个字"),
            ));
        }
        if description.chars().any(|c| {
            crate::text::refused_anywhere(c)
                || (crate::text::unfit_for_a_line(c) && !matches!(c, '\n' | '\r' | '\t'))
        }) {
            return Err(ApiError::invalid(
                "description",
                "活动介绍含有不可见或无法显示的字符",
            ));
        }
        if !(2000..=2099).contains(&self.date.year) {
            return Err(ApiError::invalid("date", "日期须在2000年到2099年之间"));
        }
        if self.end.minutes() <= self.start.minutes() {
            return Err(ApiError::invalid("end", "结束时间须晚于开始时间"));
        }
        if place.is_empty() {
            return Err(ApiError::invalid("place", "请填写活动地点"));
        }
        if place.chars().count() > PLACE_MAX_CHARS {
            return Err(ApiError::invalid(
                "place",
                format!("活动地点最多{PLACE_MAX_CHARS}个字"),
            ));
        }
        crate::text::check_line(&place, "place", "活动地点")?;
        if !(1..=SEATS_MAX).contains(&self.seats) {
            return Err(ApiError::invalid(
                "seats",
                format!("名额须在1到{SEATS_MAX}之间"),
            ));
        }
        Ok(ActivityDraft {
            title,
            place,
            description,
            series_id: self
                .series_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            ..self.clone()
        })
    }
}

/// Where an activity stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityState {
    /// 报名中: seats left and not yet ended.
    Open,
    /// 已满: every seat taken.
    Full,
    /// 已结束: past its end.
    Ended,
    /// 已取消.
    Cancelled,
}

impl ActivityState {
    /// Cancelled first, then ended (by `now` against `ends_at`, both ms since the epoch), then
    /// full.
    pub fn of(cancelled: bool, ends_at: i64, seats_left: i64, now: i64) -> Self {
        if cancelled {
            ActivityState::Cancelled
        } else if now >= ends_at {
            ActivityState::Ended
        } else if seats_left <= 0 {
            ActivityState::Full
        } else {
            ActivityState::Open
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityState::Open => "报名中",
            ActivityState::Full => "已满",
            ActivityState::Ended => "已结束",
            ActivityState::Cancelled => "已取消",
        }
    }
}

/// An activity as buyers and staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-20"))]
    pub date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "14:00"))]
    pub start: TimeOfDay,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "16:00"))]
    pub end: TimeOfDay,
    pub place: String,
    pub seats: i64,
    pub seats_left: i64,
    pub series_id: Option<String>,
    pub series_name: Option<String>,
    pub store_id: Option<i64>,
    pub store_name: Option<String>,
    pub state: ActivityState,
}

impl Activity {
    /// `12月20日 周日 14:00-16:00`
    pub fn when(&self) -> String {
        format!(
            "{}月{}日 {} {}-{}",
            self.date.month,
            self.date.day,
            self.date.weekday_zh(),
            self.start,
            self.end
        )
    }

    /// `剩余 8 席`, `已满`, `已结束` or `已取消`.
    pub fn seats_text(&self) -> String {
        match self.state {
            ActivityState::Open => format!("剩余 {} 席", self.seats_left),
            other => other.label().to_string(),
        }
    }

    /// What a share card says under the title: `试驾会 · 12月20日 周日 14:00-16:00 · 本店展厅`.
    pub fn share_text(&self) -> String {
        format!("{} · {} · {}", self.kind.label(), self.when(), self.place)
    }

    /// The origin a sign-up's lead is given: `活动：<title>`.
    pub fn origin(&self) -> String {
        origin_of(&self.title)
    }
}

/// The start of a description for a share card: its first line, at most 40 characters.
pub fn teaser(description: &str) -> String {
    let line = description.lines().next().unwrap_or_default().trim();
    match line.chars().count() > 40 {
        true => format!("{}…", line.chars().take(40).collect::<String>()),
        false => line.to_string(),
    }
}

/// `活动：<title>`, as a sign-up's lead and the console name where it came from.
pub fn origin_of(title: &str) -> String {
    format!("活动：{title}")
}

/// `GET /api/v1/dealers/{dealer}/activities`: the activities still to come or under way, not
/// cancelled, soonest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityList {
    pub activities: Vec<Activity>,
}

/// `GET /api/v1/dealers/{dealer}/activities/{id}`: the activity and the privacy notice a
/// sign-up agrees to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityPage {
    pub activity: Activity,
    pub privacy_version: String,
}

/// `POST /api/v1/dealers/{dealer}/activities/{id}/signups` (an `Idempotency-Key` header
/// makes a retry safe).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupRequest {
    #[serde(flatten)]
    pub contact: ContactForm,
    /// How many people come, the one signing up included: 1–5.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub party_size: i64,
    /// The `?ch=` channel the page was opened with.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub channel: Option<String>,
}

impl SignupRequest {
    /// The first rule broken, in form order (name, phone, consent, party size, channel).
    pub fn check(&self, notice: &str) -> Result<crate::booking::Contact, ApiError> {
        let contact = self.contact.validate(notice)?;
        check_party(self.party_size)?;
        if let Some(channel) = &self.channel {
            crate::booking::Origin {
                page: "activity".into(),
                button: "sign-up".into(),
                channel: Some(channel.clone()),
            }
            .validate()?;
        }
        Ok(contact)
    }
}

/// 1–[`PARTY_MAX`] people.
pub fn check_party(party_size: i64) -> Result<(), ApiError> {
    if (1..=PARTY_MAX).contains(&party_size) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "party_size",
            format!("报名人数须在1到{PARTY_MAX}人之间"),
        ))
    }
}

/// A sign-up made: its code, how many, the activity now, and who will call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupDone {
    pub code: String,
    pub party_size: i64,
    pub activity: Activity,
    pub consultant: Option<Consultant>,
}

/// `GET /api/v1/console/activities`: every activity of the dealer, newest day first, and what
/// a new one may name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityDesk {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-07"))]
    pub today: Date,
    pub activities: Vec<Activity>,
    /// `(id, name)` of the series on sale.
    pub series: Vec<(String, String)>,
    /// `(id, name)` of the stores.
    pub stores: Vec<(i64, String)>,
    /// Whether the viewer may add, change and cancel (managers and admins).
    pub can_edit: bool,
}

/// One sign-up as the console lists it; the phone masked for who may not see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSignup {
    pub code: String,
    pub name: String,
    pub phone: String,
    pub party_size: i64,
    pub lead_id: i64,
    pub consultant_name: Option<String>,
    /// Milliseconds since the epoch.
    pub created_at: i64,
}

/// `GET /api/v1/console/activities/{id}/signups`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupList {
    pub activity: Activity,
    pub signups: Vec<StaffSignup>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ActivityDraft {
        ActivityDraft {
            kind: ActivityKind::TestDriveDay,
            title: " 冬季试驾会 ".into(),
            description: "到店试驾\n赠送礼品".into(),
            date: Date::new(2026, 12, 20),
            start: TimeOfDay::parse("14:00").unwrap(),
            end: TimeOfDay::parse("16:00").unwrap(),
            place: " 本店展厅 ".into(),
            seats: 20,
            series_id: Some(" ".into()),
            store_id: None,
        }
    }

    #[test]
    fn a_draft_is_trimmed_and_each_wrong_field_is_named() {
        let good = draft().validate().unwrap();
        assert_eq!(good.title, "冬季试驾会");
        assert_eq!(good.place, "本店展厅");
        assert_eq!(good.series_id, None);
        assert_eq!(good.description, "到店试驾\n赠送礼品");
        let field = |d: ActivityDraft| d.validate().unwrap_err().field.unwrap();
        let cases = [
            (
                ActivityDraft {
                    title: " ".into(),
                    ..draft()
                },
                "title",
            ),
            (
                ActivityDraft {
                    title: "试".repeat(31),
                    ..draft()
                },
                "title",
            ),
            (
                ActivityDraft {
                    title: "试驾\u{200B}会".into(),
                    ..draft()
                },
                "title",
            ),
            (
                ActivityDraft {
                    description: "介".repeat(501),
                    ..draft()
                },
                "description",
            ),
            (
                ActivityDraft {
                    description: "a\u{0}b".into(),
                    ..draft()
                },
                "description",
            ),
            (
                ActivityDraft {
                    date: Date::new(1999, 1, 1),
                    ..draft()
                },
                "date",
            ),
            (
                ActivityDraft {
                    end: TimeOfDay::parse("14:00").unwrap(),
                    ..draft()
                },
                "end",
            ),
            (
                ActivityDraft {
                    place: "".into(),
                    ..draft()
                },
                "place",
            ),
            (
                ActivityDraft {
                    seats: 0,
                    ..draft()
                },
                "seats",
            ),
            (
                ActivityDraft {
                    seats: 501,
                    ..draft()
                },
                "seats",
            ),
        ];
        for (bad, named) in cases {
            assert_eq!(field(bad), named);
        }
    }

    #[test]
    fn the_state_follows_the_clock_and_the_seats() {
        assert_eq!(ActivityState::of(true, 10, 5, 0), ActivityState::Cancelled);
        assert_eq!(ActivityState::of(false, 10, 5, 10), ActivityState::Ended);
        assert_eq!(ActivityState::of(false, 10, 0, 5), ActivityState::Full);
        assert_eq!(ActivityState::of(false, 10, 3, 5), ActivityState::Open);
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_key(kind.key()), Some(kind));
        }
        assert_eq!(origin_of("冬季试驾会"), "活动：冬季试驾会");
        assert!(check_party(0).is_err());
        assert!(check_party(PARTY_MAX).is_ok());
        assert!(check_party(PARTY_MAX + 1).is_err());
    }
}
