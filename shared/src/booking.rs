//! Test drives and price enquiries on the wire: the slots a store offers, a booking request
//! and the booking it makes, an enquiry and its receipt, the visitor's own data (`/me`), and
//! the one check of a request both the page (as the user types) and the server apply.

use serde::{Deserialize, Serialize};

use crate::catalog::Store;
use crate::contact::{self, Licence};
use crate::date::Date;
use crate::error::ApiError;
use crate::slots::TimeOfDay;

/// One bookable slot of a store, with the seats still free.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    pub id: i64,
    pub store_id: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-02"))]
    pub date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10:00"))]
    pub start: TimeOfDay,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "11:00"))]
    pub end: TimeOfDay,
    pub seats_left: u16,
}

impl Slot {
    /// `12月2日 周三 10:00-11:00`
    pub fn label(&self) -> String {
        format!(
            "{}月{}日 {} {}-{}",
            self.date.month,
            self.date.day,
            self.date.weekday_zh(),
            self.start,
            self.end
        )
    }
}

/// A store where test drives can be booked, and the series it has a test-drive car of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestDriveStore {
    pub store: Store,
    pub series_ids: Vec<String>,
}

/// `GET /api/v1/dealers/{dealer}/test-drive`: the stores, the privacy notice to agree to,
/// and today's date in Shanghai (the first bookable day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestDriveOffer {
    pub stores: Vec<TestDriveStore>,
    pub privacy_version: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub today: Date,
}

/// `GET .../stores/{store}/slots`: the store's slots in the booking window, free or full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotList {
    pub slots: Vec<Slot>,
}

/// Where a lead came from: the page, the button on it, and the `?ch=` channel of the link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin {
    /// e.g. `model`, `compare`, `calculator`, `home`, `test-drive`
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = "^[a-z0-9_-]+$")
    )]
    pub page: String,
    /// e.g. `book-test-drive`, `ask-price`
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = "^[a-z0-9_-]+$")
    )]
    pub button: String,
    /// Letters (朋友圈 too), digits, `-` and `_`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub channel: Option<String>,
}

/// The longest origin field kept.
pub const ORIGIN_MAX_CHARS: usize = 64;

impl Origin {
    /// Lower-case letters, digits, `-` and `_`, at most 64 characters each (a channel may also
    /// be Chinese, as 朋友圈 is).
    pub fn validate(&self) -> Result<(), ApiError> {
        let plain = |s: &str| {
            !s.is_empty()
                && s.chars().count() <= ORIGIN_MAX_CHARS
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        };
        if !plain(&self.page) || !plain(&self.button) {
            return Err(ApiError::invalid("origin", "来源页面或按钮无效"));
        }
        if let Some(channel) = &self.channel {
            let ok = !channel.is_empty()
                && channel.chars().count() <= ORIGIN_MAX_CHARS
                && channel
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(ApiError::invalid("origin", "来源渠道无效"));
            }
        }
        Ok(())
    }
}

/// An origin's page as staff read it: `车型页` for `model`; a page no one named is shown as
/// it was sent.
pub fn origin_page_label(page: &str) -> String {
    crate::page::Page::of_origin(page).map_or_else(|| page.to_string(), |p| p.name().to_string())
}

/// Where a lead came from as staff read it: `车型页 / 预约试驾 / 朋友圈` for `model`,
/// `book-test-drive` and `moments`; a button that says what its page says is named once.
pub fn origin_label(page: &str, button: &str, channel: Option<&str>) -> String {
    // An activity's sign-up names the activity itself (`活动：冬季试驾会`) as its button.
    if page == "activity" {
        let channel = channel.map(|c| {
            crate::link::Channel::parse(c).map_or_else(|| c.to_string(), |c| c.label().to_string())
        });
        return std::iter::once(button.to_string())
            .chain(channel)
            .collect::<Vec<_>>()
            .join(" / ");
    }
    let page = origin_page_label(page);
    let button = match button {
        "book-test-drive" => "预约试驾".to_string(),
        "ask-price" => "询底价".to_string(),
        other => other.to_string(),
    };
    let channel = channel.map(|c| {
        crate::link::Channel::parse(c).map_or_else(|| c.to_string(), |c| c.label().to_string())
    });
    let mut parts = vec![page];
    if !parts.contains(&button) {
        parts.push(button);
    }
    parts.extend(channel);
    parts.retain(|p| !p.is_empty());
    parts.join(" / ")
}

/// The person's name, phone and consent, as every form that stores them asks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactForm {
    /// 1–20 characters once trimmed (`contact::NAME_MAX_CHARS`), nothing invisible.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub phone: String,
    /// The version of the privacy notice agreed to; `None` when not agreed.
    pub consent_version: Option<String>,
}

/// A contact that passed the rules: the trimmed name and the normalised phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
}

impl ContactForm {
    /// Every field's error, in form order (name, phone, consent to the dealer's `notice`);
    /// empty when all are good.
    pub fn errors(&self, notice: &str) -> Vec<ApiError> {
        [
            contact::validate_name(&self.name).err(),
            contact::validate_phone(&self.phone).err(),
            contact::check_consent(self.consent_version.as_deref(), notice).err(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The contact to store, or the first rule broken (consent is to the dealer's `notice`).
    pub fn validate(&self, notice: &str) -> Result<Contact, ApiError> {
        let name = contact::validate_name(&self.name)?;
        let phone = contact::validate_phone(&self.phone)?;
        contact::check_consent(self.consent_version.as_deref(), notice)?;
        Ok(Contact { name, phone })
    }
}

/// `POST /api/v1/dealers/{dealer}/bookings` (an `Idempotency-Key` header makes a retry safe).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRequest {
    pub series_id: String,
    pub trim_id: Option<String>,
    pub slot_id: i64,
    #[serde(flatten)]
    pub contact: ContactForm,
    pub licence: Option<Licence>,
    pub origin: Origin,
}

/// `POST .../enquiries`: 询底价, ask for the best price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnquiryRequest {
    pub series_id: Option<String>,
    pub trim_id: Option<String>,
    #[serde(flatten)]
    pub contact: ContactForm,
    pub origin: Origin,
}

/// The consultant who owns a lead, as the customer sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consultant {
    pub name: String,
    pub phone: String,
}

/// What an enquiry answers: who will call back and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnquiryReceipt {
    pub consultant: Option<Consultant>,
    /// e.g. `销售顾问王磊将在30分钟内致电您（营业时间 09:00-18:00）`
    pub callback: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Confirmed,
    Arrived,
    Completed,
    NoShow,
    Cancelled,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 6] = [
        Self::Booked,
        Self::Confirmed,
        Self::Arrived,
        Self::Completed,
        Self::NoShow,
        Self::Cancelled,
    ];

    /// The name stored in the database and sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Confirmed => "confirmed",
            Self::Arrived => "arrived",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "已预约",
            Self::Confirmed => "已确认",
            Self::Arrived => "已到店",
            Self::Completed => "已完成",
            Self::NoShow => "未到店",
            Self::Cancelled => "已取消",
        }
    }

    /// A booking the customer can still cancel or move.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Booked | Self::Confirmed)
    }
}

/// A test-drive booking as its customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booking {
    /// The booking code, shown at the store (8 characters, not guessable).
    pub code: String,
    pub status: BookingStatus,
    pub store: Store,
    pub slot: Slot,
    pub series_id: String,
    pub series_name: String,
    pub trim_id: Option<String>,
    pub trim_name: Option<String>,
    /// In full for the browser that made the booking or proved its phone; masked (`王**`)
    /// for anyone else holding the code.
    pub name: String,
    /// Masked (`138****5678`).
    pub phone: String,
    pub licence: Option<Licence>,
    pub consultant: Option<Consultant>,
}

/// `PUT .../me/bookings/{code}`: move a booking to another slot of its store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reschedule {
    pub slot_id: i64,
}

/// `GET /api/v1/dealers/{dealer}/me`: what this dealer keeps about the visitor (from the
/// visitor's own HttpOnly cookie): what this browser made and typed, and, once it proved the
/// phone, everything tied to that phone, in full, because it is theirs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub name: Option<String>,
    pub phone: Option<String>,
    /// When they agreed to the privacy notice, and which version.
    pub consent_version: Option<String>,
    pub bookings: Vec<Booking>,
    /// Price enquiries made.
    pub enquiries: u32,
    /// What this browser proved: without a proven phone, only what this browser made is
    /// here (and the name it typed); with one, everything tied to that phone.
    #[serde(default)]
    pub proof: crate::proof::Proof,
}

/// The extra a `409 slot_full` answer carries: the nearest free slots of the same store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotFull {
    pub error: ApiError,
    pub free_slots: Vec<Slot>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_form_reports_every_field_and_validates_to_clean_values() {
        let bad = ContactForm {
            name: " ".into(),
            phone: "12345".into(),
            consent_version: None,
        };
        let fields: Vec<_> = bad
            .errors(contact::PRIVACY_NOTICE_VERSION)
            .into_iter()
            .filter_map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "phone", "consent"]);
        let good = ContactForm {
            name: " 买买提·艾力 ".into(),
            phone: "+86 138 1234 5678".into(),
            consent_version: Some(contact::PRIVACY_NOTICE_VERSION.into()),
        };
        assert!(good.errors(contact::PRIVACY_NOTICE_VERSION).is_empty());
        assert_eq!(
            good.validate(contact::PRIVACY_NOTICE_VERSION),
            Ok(Contact {
                name: "买买提·艾力".into(),
                phone: "13812345678".into()
            })
        );
    }

    #[test]
    fn origins_read_as_their_chinese_names() {
        for (page, button, channel, shown) in [
            ("model", "book-test-drive", None, "车型页 / 预约试驾"),
            (
                "compare",
                "ask-price",
                Some("moments"),
                "车型对比 / 询底价 / 朋友圈",
            ),
            (
                "test-drive",
                "book-test-drive",
                Some("朋友圈"),
                "预约试驾 / 朋友圈",
            ),
            (
                "showcase",
                "ask-price",
                Some("menu"),
                "顾问名片 / 询底价 / 公众号菜单",
            ),
            ("home", "book-test-drive", None, "首页 / 预约试驾"),
            (
                "calculator",
                "book-test-drive",
                None,
                "购车计算器 / 预约试驾",
            ),
            (
                "campaign-x",
                "banner",
                Some("live"),
                "campaign-x / banner / 直播",
            ),
            ("", "", None, ""),
        ] {
            assert_eq!(
                origin_label(page, button, channel),
                shown,
                "{page} {button}"
            );
        }
        assert_eq!(origin_page_label("model"), "车型页");
        assert_eq!(origin_page_label("unknown"), "unknown");
    }

    #[test]
    fn origins_are_plain_words() {
        let origin = |page: &str, button: &str, channel: Option<&str>| Origin {
            page: page.into(),
            button: button.into(),
            channel: channel.map(Into::into),
        };
        assert!(origin("model", "book-test-drive", None).validate().is_ok());
        assert!(origin("compare", "ask-price", Some("朋友圈"))
            .validate()
            .is_ok());
        for bad in [
            origin("", "x", None),
            origin("Model", "x", None),
            origin("model", "<script>", None),
            origin("model", "x", Some("a b")),
            origin("model", "x", Some("")),
            origin(&"a".repeat(65), "x", None),
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn statuses_round_trip_and_label_in_chinese() {
        for status in BookingStatus::ALL {
            assert_eq!(BookingStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.as_str())
            );
            assert!(!status.label().is_empty());
        }
        assert!(BookingStatus::Booked.is_open());
        assert!(!BookingStatus::Cancelled.is_open());
    }

    #[test]
    fn a_slot_reads_as_a_chinese_date_and_time() {
        let slot = Slot {
            id: 1,
            store_id: 1,
            date: Date::new(2026, 12, 2),
            start: TimeOfDay::parse("10:00").unwrap(),
            end: TimeOfDay::parse("11:00").unwrap(),
            seats_left: 2,
        };
        assert_eq!(slot.label(), "12月2日 周三 10:00-11:00");
    }
}
