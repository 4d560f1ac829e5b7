//! The staff console on the wire: sign-in, the signed-in staff member and their role, the
//! lead pipeline and its timeline, today's tasks and bookings, and a store's test-drive
//! setup, and a trim's dealer price. Every answer is already scoped to the staff member's dealer (and a consultant's
//! own leads) and masked by the server.

use serde::{Deserialize, Serialize};

use crate::booking::{BookingStatus, Slot};
use crate::catalog::Store;
use crate::error::ApiError;
use crate::slots::{Closure, OpeningHours, SlotTemplate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 服务顾问: looks after owners and their cars after delivery; no leads of their own.
    ServiceAdvisor,
    Consultant,
    Manager,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ServiceAdvisor => "service_advisor",
            Self::Consultant => "consultant",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::ServiceAdvisor,
            Self::Consultant,
            Self::Manager,
            Self::Admin,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ServiceAdvisor => "服务顾问",
            Self::Consultant => "销售顾问",
            Self::Manager => "销售经理",
            Self::Admin => "管理员",
        }
    }

    /// Managers and admins run the dealer: every lead, reassignment, approvals, stores.
    pub fn manages(self) -> bool {
        self >= Self::Manager
    }
}

/// `POST /api/v1/console/session`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    pub login: String,
    pub password: String,
}

/// The shortest password a staff member may set.
pub const PASSWORD_MIN_CHARS: usize = 10;

/// `PUT /api/v1/console/password`: every session of the staff member ends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current: String,
    /// 10 to 128 characters, not the current password (else 422 on `new`).
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub new: String,
}

impl PasswordChange {
    pub fn validate(&self) -> Result<(), ApiError> {
        crate::staff::check_password(&self.new, "new")?;
        if self.new == self.current {
            return Err(ApiError::invalid("new", "新密码不能与当前密码相同"));
        }
        Ok(())
    }
}

/// A staff member as others see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRef {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// `GET /api/v1/console/me`: who is signed in, at which dealer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMe {
    pub staff: StaffRef,
    pub dealer_slug: String,
    pub dealer_name: String,
    pub brand_color: String,
    pub stores: Vec<Store>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    New,
    Contacted,
    TestDriven,
    Ordered,
    Delivered,
    Lost,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 6] = [
        Self::New,
        Self::Contacted,
        Self::TestDriven,
        Self::Ordered,
        Self::Delivered,
        Self::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Contacted => "contacted",
            Self::TestDriven => "test_driven",
            Self::Ordered => "ordered",
            Self::Delivered => "delivered",
            Self::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::New => "新线索",
            Self::Contacted => "已联系",
            Self::TestDriven => "已试驾",
            Self::Ordered => "已下订",
            Self::Delivered => "已交车",
            Self::Lost => "战败",
        }
    }

    /// The pipeline moves forward one or more steps (new → contacted → test-driven →
    /// ordered → delivered); any open lead can be lost; a delivered or lost lead is closed.
    pub fn can_move_to(self, next: LeadStatus) -> bool {
        let rank = |s: LeadStatus| Self::ALL.iter().position(|x| *x == s).unwrap_or(0);
        match (self, next) {
            (Self::Delivered | Self::Lost, _) => false,
            (_, Self::Lost) => true,
            _ => rank(next) > rank(self),
        }
    }
}

/// The longest note or lost reason kept.
pub const NOTE_MAX_CHARS: usize = 500;

/// `PUT /api/v1/console/leads/{id}/status`: a consultant's 战败 (lost) waits for a manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: LeadStatus,
    /// Asked for `lost`: 1–500 characters once trimmed.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub lost_reason: Option<String>,
}

impl StatusChange {
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.status == LeadStatus::Lost {
            let reason = self.lost_reason.as_deref().unwrap_or("").trim();
            if reason.is_empty() {
                return Err(ApiError::invalid("lost_reason", "请填写战败原因"));
            }
            if reason.chars().count() > NOTE_MAX_CHARS {
                return Err(ApiError::invalid("lost_reason", "战败原因最多500字"));
            }
        }
        Ok(())
    }
}

/// `POST /api/v1/console/leads/{id}/notes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub text: String,
}

impl Note {
    pub fn validate(&self) -> Result<String, ApiError> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(ApiError::invalid("text", "请填写跟进记录"));
        }
        if text.chars().count() > NOTE_MAX_CHARS {
            return Err(ApiError::invalid("text", "跟进记录最多500字"));
        }
        Ok(text.to_string())
    }
}

/// `PUT /api/v1/console/leads/{id}/consultant` (managers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reassign {
    pub consultant_id: i64,
}

/// `PUT /api/v1/console/leads/{id}/lost-claim` (managers): approve the 战败 or send it back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LostDecision {
    pub approve: bool,
}

/// A lead in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadSummary {
    pub id: i64,
    /// Empty once the person deleted their data.
    pub name: String,
    /// In full for the owning consultant, managers and admins; masked otherwise; empty once
    /// erased.
    pub phone: String,
    pub status: LeadStatus,
    /// A consultant's 战败 waiting for a manager, with its reason.
    pub lost_claim: Option<String>,
    pub consultant: Option<StaffRef>,
    pub series_name: Option<String>,
    pub origin_page: String,
    pub origin_button: String,
    pub origin_channel: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    /// When someone first called or changed the status; `None` while the lead waits.
    pub first_response_at: Option<i64>,
}

/// One entry of a lead's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub at: i64,
    /// booked, rescheduled, cancelled, enquired, assigned, status, note, call, erased
    pub kind: String,
    pub staff: Option<String>,
    /// What happened, in Chinese.
    pub text: String,
}

/// A booking as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffBooking {
    pub code: String,
    pub status: BookingStatus,
    pub slot: Slot,
    pub store_name: String,
    pub series_name: String,
    pub trim_name: Option<String>,
    pub name: String,
    /// Masked unless the viewer owns the lead or manages.
    pub phone: String,
    /// The lead, when the viewer may open it.
    pub lead_id: Option<i64>,
    pub consultant: Option<String>,
}

/// `GET /api/v1/console/leads/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadDetail {
    pub lead: LeadSummary,
    pub timeline: Vec<TimelineEntry>,
    pub bookings: Vec<StaffBooking>,
    /// Why the phone number deserves a second look (`contact::phone_risk`: a virtual-operator
    /// or data-card range, a reward-fraud signal), as the chip says it; never a refusal.
    #[serde(default)]
    pub phone_risk: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A new lead nobody has called yet.
    CallBack,
    /// Tomorrow's booking to confirm (N-1).
    ConfirmBooking,
    /// A consultant's 战败 waiting for approval (managers).
    ApproveLost,
    /// An open lead handed over to the viewer (离职继承), until they first respond.
    HandedOver,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Task {
    pub kind: TaskKind,
    pub lead_id: Option<i64>,
    pub booking_code: Option<String>,
    pub title: String,
    /// Unix milliseconds the clock runs from (the lead's arrival, the booking's slot).
    pub since: i64,
}

/// `GET /api/v1/console/today`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Today {
    pub tasks: Vec<Task>,
    /// Today's bookings at the viewer's stores, by store and time.
    pub bookings: Vec<StaffBooking>,
    /// Low survey scores not yet followed up (managers and admins only), oldest first.
    #[serde(default)]
    pub follow_ups: Vec<crate::survey::SurveyFollowUp>,
    /// What a new dealer's admin has still to do (admins only, until all is done).
    #[serde(default)]
    pub first_steps: Option<FirstSteps>,
}

/// A dealer's set-up so far, counted: 今日 walks its admin through what is left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstSteps {
    pub stores: u32,
    /// Active staff other than admins (consultants, service advisors, managers).
    pub colleagues: u32,
    pub series_on_sale: u32,
    /// Whether the WeChat official account is connected.
    pub wechat: bool,
}

impl FirstSteps {
    /// A store, a colleague and a series on sale: the dealer can take bookings. WeChat is
    /// shown as a step but not waited for (not every dealer has an official account).
    pub fn done(&self) -> bool {
        self.stores > 0 && self.colleagues > 0 && self.series_on_sale > 0
    }
}

/// `PUT /api/v1/console/bookings/{code}/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingUpdate {
    pub status: BookingStatus,
}

/// Which booking status may follow which: booked → confirmed → arrived → completed, no-show
/// instead of arrival, cancel while open.
pub fn booking_can_move(from: BookingStatus, to: BookingStatus) -> bool {
    use BookingStatus::*;
    matches!(
        (from, to),
        (Booked, Confirmed | Arrived | NoShow | Cancelled)
            | (Confirmed, Arrived | NoShow | Cancelled)
            | (Arrived, Completed)
    )
}

/// `POST /api/v1/console/stores` (admins): a new store's details as customers see them; its
/// hours and slots are set on its card afterwards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStore {
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 30))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 10))]
    pub city: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 80))]
    pub address: String,
    /// A mobile, a landline with its area code, or a 400/800 number.
    pub phone: String,
    /// As shown to customers, e.g. `09:00-18:00`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub opening_hours: String,
}

impl NewStore {
    /// The store as it is written (trimmed, the phone as digits), or the first field wrong.
    pub fn validate(&self) -> Result<NewStore, ApiError> {
        let line = |text: &str, field: &str, label: &str, (min, max): (usize, usize)| {
            let text = text.trim();
            let chars = text.chars().count();
            if chars < min || chars > max {
                return Err(ApiError::invalid(
                    field,
                    format!("{label}须为{min}到{max}个字"),
                ));
            }
            crate::text::check_line(text, field, label)?;
            Ok(text.to_owned())
        };
        Ok(NewStore {
            name: line(&self.name, "name", "门店名称", (2, 30))?,
            city: line(&self.city, "city", "城市", (2, 10))?,
            address: line(&self.address, "address", "地址", (5, 80))?,
            phone: crate::profile::validate_work_phone(&self.phone)?,
            opening_hours: line(&self.opening_hours, "opening_hours", "营业时间", (1, 30))?,
        })
    }
}

/// A store's setup, as a manager edits it: hours, closures, test-drive and service slots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreSetup {
    pub hours: Vec<OpeningHours>,
    pub closures: Vec<Closure>,
    pub templates: Vec<SlotTemplate>,
    pub series_ids: Vec<String>,
    /// How the store's service slots (保养/维修) are cut, with their own capacity; none: the
    /// store takes no service bookings.
    #[serde(default)]
    pub service_templates: Vec<SlotTemplate>,
}

/// `GET /api/v1/console/stores`: each store with its setup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreView {
    pub store: Store,
    pub setup: StoreSetup,
}

/// `PUT /api/v1/console/stores/{id}`: the saved setup and the bookings it strands (outside
/// the new hours or on a new closure), kept for the manager to move or cancel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreSaved {
    pub view: StoreView,
    pub stranded: Vec<StaffBooking>,
}

impl StoreSetup {
    pub fn validate(&self) -> Result<(), ApiError> {
        for h in &self.hours {
            crate::slots::validate_hours(h)?;
        }
        for t in &self.templates {
            crate::slots::validate_template(t)?;
        }
        for t in &self.service_templates {
            crate::slots::validate_template(t).map_err(|e| {
                ApiError::invalid("service_templates", format!("保养维修时段：{}", e.message))
            })?;
        }
        if self
            .closures
            .iter()
            .any(|c| c.reason.chars().count() > crate::slots::CLOSURE_REASON_MAX_CHARS)
        {
            return Err(ApiError::invalid("closures", "休息日说明最多40字"));
        }
        for c in &self.closures {
            crate::text::check_line(&c.reason, "closures", "休息日说明")?;
        }
        Ok(())
    }
}

/// A series of the platform catalogue as the console's 车型 lists it: whether this dealer
/// sells it (every trim of it) and features it on its home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogSeries {
    pub id: String,
    pub brand: String,
    pub name: String,
    pub trims: u32,
    pub on_sale: bool,
    pub featured: bool,
    /// The dealer's own series (自有, `catalog_edit`); else the platform's.
    #[serde(default)]
    pub own: bool,
}

/// `PUT /api/v1/console/catalog/series/{series}` (managers): sell a series (all its trims) or
/// stop; feature it on the home page. Only a series on sale can be featured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesOnSale {
    pub on_sale: bool,
    pub featured: bool,
}

impl SeriesOnSale {
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.featured && !self.on_sale {
            return Err(ApiError::invalid("featured", "先上架该车系，才能设为主推"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_is_trimmed_and_each_field_is_named_when_wrong() {
        let good = NewStore {
            name: " 城西店 ".into(),
            city: "杭州".into(),
            address: "西湖区文三路 100 号".into(),
            phone: "0571-8888 6666".into(),
            opening_hours: "09:00-18:00".into(),
        };
        let saved = good.validate().unwrap();
        assert_eq!(
            (saved.name.as_str(), saved.phone.as_str()),
            ("城西店", "057188886666")
        );
        for (change, field) in [
            (
                NewStore {
                    name: "店".into(),
                    ..good.clone()
                },
                "name",
            ),
            (
                NewStore {
                    city: "".into(),
                    ..good.clone()
                },
                "city",
            ),
            (
                NewStore {
                    address: "文三路".into(),
                    ..good.clone()
                },
                "address",
            ),
            (
                NewStore {
                    phone: "12345".into(),
                    ..good.clone()
                },
                "phone",
            ),
            (
                NewStore {
                    opening_hours: " ".into(),
                    ..good.clone()
                },
                "opening_hours",
            ),
            (
                NewStore {
                    name: "城西\n店".into(),
                    ..good.clone()
                },
                "name",
            ),
        ] {
            assert_eq!(change.validate().unwrap_err().field.as_deref(), Some(field));
        }
    }

    #[test]
    fn the_pipeline_moves_forward_and_closes() {
        use LeadStatus::*;
        assert!(New.can_move_to(Contacted));
        assert!(New.can_move_to(TestDriven));
        assert!(Contacted.can_move_to(Lost));
        assert!(!Contacted.can_move_to(New));
        assert!(!Delivered.can_move_to(Lost));
        assert!(!Lost.can_move_to(Contacted));
        for s in LeadStatus::ALL {
            assert_eq!(LeadStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn bookings_move_as_a_store_works_them() {
        use BookingStatus::*;
        assert!(booking_can_move(Booked, Confirmed));
        assert!(booking_can_move(Confirmed, Arrived));
        assert!(booking_can_move(Arrived, Completed));
        assert!(booking_can_move(Booked, NoShow));
        assert!(!booking_can_move(Completed, Cancelled));
        assert!(!booking_can_move(Cancelled, Booked));
        assert!(!booking_can_move(Booked, Completed));
    }

    #[test]
    fn roles_rank_and_lost_needs_a_reason() {
        assert!(Role::Admin.manages() && Role::Manager.manages() && !Role::Consultant.manages());
        let lost = |reason: Option<&str>| StatusChange {
            status: LeadStatus::Lost,
            lost_reason: reason.map(Into::into),
        };
        assert!(lost(None).validate().is_err());
        assert!(lost(Some("  ")).validate().is_err());
        assert!(lost(Some("已在别家购车")).validate().is_ok());
        assert!(Note { text: " ".into() }.validate().is_err());
        let change = PasswordChange {
            current: "a".into(),
            new: "short".into(),
        };
        assert_eq!(change.validate().unwrap_err().field.as_deref(), Some("new"));
    }
}
