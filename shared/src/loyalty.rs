//! Owners' points on the wire: the tiers (defined once here, by the running total), the
//! dealer's milestone points and what points are worth there (the admin's settings, checked
//! here for both sides), an owner's ledger and referral link, and the referrals the console
//! lists with the reason any reward was withheld.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::link::Link;

/// A tier an owner reaches by their running total.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Regular,
    Silver,
    Gold,
    Platinum,
}

/// Each tier and the total it starts at, lowest first.
pub const TIERS: [(Tier, i64); 4] = [
    (Tier::Regular, 0),
    (Tier::Silver, 1_000),
    (Tier::Gold, 5_000),
    (Tier::Platinum, 20_000),
];

impl Tier {
    /// The tier of a running total.
    pub fn of(total: i64) -> Tier {
        TIERS
            .iter()
            .rev()
            .find(|(_, from)| total >= *from)
            .map_or(Tier::Regular, |(tier, _)| *tier)
    }

    /// The next tier above a total and the points still needed, none at the top.
    pub fn next(total: i64) -> Option<NextTier> {
        TIERS
            .iter()
            .find(|(_, from)| total < *from)
            .map(|(tier, from)| NextTier {
                tier: *tier,
                needed: from - total,
            })
    }

    pub fn label(self) -> &'static str {
        match self {
            Tier::Regular => "普通会员",
            Tier::Silver => "银卡会员",
            Tier::Gold => "金卡会员",
            Tier::Platinum => "铂金会员",
        }
    }
}

/// The most points one milestone may give.
pub const MAX_MILESTONE_POINTS: i64 = 100_000;
/// The most characters of the "what points are worth" text.
pub const MAX_WORTH: usize = 200;

/// `GET`/`PUT /api/v1/console/loyalty`: what the dealer gives points for and what they are
/// worth there (admins only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoyaltySettings {
    /// An owner's answered service survey.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub survey_points: i64,
    /// A completed service (awarded by the service advisor).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub service_points: i64,
    /// A referred friend's test drive, completed at the store.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub referral_drive_points: i64,
    /// A referred friend's car delivered.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000))]
    pub referral_deliver_points: i64,
    /// What points are worth at the dealer, shown to owners (e.g. 100积分抵10元保养工时费).
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub worth: String,
}

impl Default for LoyaltySettings {
    /// As migration 0012's column defaults.
    fn default() -> Self {
        Self {
            survey_points: 10,
            service_points: 50,
            referral_drive_points: 200,
            referral_deliver_points: 1000,
            worth: String::new(),
        }
    }
}

impl LoyaltySettings {
    /// Checks every field; the worth text comes back trimmed.
    pub fn validate(&self) -> Result<LoyaltySettings, ApiError> {
        for (field, name, points) in [
            ("survey_points", "评价", self.survey_points),
            ("service_points", "到店保养维修", self.service_points),
            (
                "referral_drive_points",
                "好友完成试驾",
                self.referral_drive_points,
            ),
            (
                "referral_deliver_points",
                "好友提车",
                self.referral_deliver_points,
            ),
        ] {
            if !(0..=MAX_MILESTONE_POINTS).contains(&points) {
                return Err(ApiError::invalid(
                    field,
                    format!("{name}积分须为0到{MAX_MILESTONE_POINTS}之间的整数"),
                ));
            }
        }
        let worth = self.worth.trim();
        if worth.chars().count() > MAX_WORTH {
            return Err(ApiError::invalid(
                "worth",
                format!("积分说明最多{MAX_WORTH}字"),
            ));
        }
        Ok(LoyaltySettings {
            worth: worth.to_string(),
            ..self.clone()
        })
    }
}

/// Why points were earned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PointsReason {
    Survey,
    Service,
    Referral,
}

impl PointsReason {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "survey" => Some(Self::Survey),
            "service" => Some(Self::Service),
            "referral" => Some(Self::Referral),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Survey => "评价",
            Self::Service => "到店保养维修",
            Self::Referral => "推荐好友",
        }
    }
}

/// One entry of an owner's ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointsEntry {
    pub points: i64,
    pub reason: PointsReason,
    /// What earned it, in Chinese.
    pub detail: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// `GET /api/v1/dealers/{dealer}/owner/points`: the owner's ledger (newest first), total and
/// tier, and what the dealer gives points for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerPoints {
    pub total: i64,
    pub tier: Tier,
    /// The next tier and the points still needed; none at the top.
    pub next_tier: Option<NextTier>,
    pub entries: Vec<PointsEntry>,
    pub settings: LoyaltySettings,
    /// The owner's referrals: how many were made, rewarded and withheld.
    pub referrals: ReferralCounts,
}

/// The tier above and the points still needed to reach it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextTier {
    pub tier: Tier,
    pub needed: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralCounts {
    pub booked: i64,
    pub test_driven: i64,
    pub delivered: i64,
    pub withheld: i64,
}

/// `POST /api/v1/dealers/{dealer}/owner/referral-link`: the owner's referral link to one of
/// the dealer's pages (the home page when none is named).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReferralLink {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub target: Option<String>,
}

/// The owner's referral link and its QR code's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralLink {
    pub link: Link,
    /// `/s/{code}/qr.svg`.
    pub qr_svg: String,
}

/// Where a referral stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Booked,
    TestDriven,
    Delivered,
    Withheld,
}

impl ReferralStatus {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "booked" => Some(Self::Booked),
            "test_driven" => Some(Self::TestDriven),
            "delivered" => Some(Self::Delivered),
            "withheld" => Some(Self::Withheld),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "已预约试驾",
            Self::TestDriven => "已完成试驾",
            Self::Delivered => "已提车",
            Self::Withheld => "不发放奖励",
        }
    }
}

/// Why a referral earns nothing (kept in Chinese with the referral).
pub mod withheld {
    /// The friend's phone is the owner's own (the phone of a car bound to them).
    pub const OWN_PHONE: &str = "好友手机号是车主本人的手机号";
    /// The booking came from the owner's own browser.
    pub const SAME_VISITOR: &str = "预约来自车主本人的浏览器";
    /// The phone was a customer or owner of the dealer before the referral.
    pub const KNOWN_PHONE: &str = "该手机号在推荐前已是本店客户或车主";
    /// The owner already made [`super::REFERRALS_PER_DAY`] referrals that Beijing day.
    pub const DAILY_CAP: &str = "车主当天推荐已达5人上限";
}

/// The referrals one owner may make in a Beijing day.
pub const REFERRALS_PER_DAY: i64 = 5;

/// One referral as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralRow {
    pub id: i64,
    /// The friend's name and masked phone.
    pub friend: String,
    pub status: ReferralStatus,
    pub withheld_reason: Option<String>,
    /// Points it earned the owner so far.
    pub points: i64,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// `GET /api/v1/console/referrals`: each owner with referrals, their cars' plates and every
/// referral (admins and managers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerReferrals {
    pub owner_id: i64,
    /// The owner's name (their car's lead) and plates.
    pub owner: String,
    pub total_points: i64,
    pub referrals: Vec<ReferralRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_the_running_total() {
        for (total, tier, next) in [
            (0, Tier::Regular, Some((Tier::Silver, 1_000))),
            (999, Tier::Regular, Some((Tier::Silver, 1))),
            (1_000, Tier::Silver, Some((Tier::Gold, 4_000))),
            (4_999, Tier::Silver, Some((Tier::Gold, 1))),
            (5_000, Tier::Gold, Some((Tier::Platinum, 15_000))),
            (19_999, Tier::Gold, Some((Tier::Platinum, 1))),
            (20_000, Tier::Platinum, None),
            (1_000_000, Tier::Platinum, None),
        ] {
            let next = next.map(|(tier, needed)| NextTier { tier, needed });
            assert_eq!(
                (Tier::of(total), Tier::next(total)),
                (tier, next),
                "{total}"
            );
        }
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let good = LoyaltySettings {
            worth: "  100积分抵10元工时费 ".into(),
            ..LoyaltySettings::default()
        };
        assert_eq!(good.validate().unwrap().worth, "100积分抵10元工时费");
        let with = |f: &dyn Fn(&mut LoyaltySettings)| {
            let mut s = LoyaltySettings::default();
            f(&mut s);
            s
        };
        for (case, field) in [
            (with(&|s| s.survey_points = -1), Some("survey_points")),
            (
                with(&|s| s.service_points = 100_001),
                Some("service_points"),
            ),
            (
                with(&|s| s.referral_drive_points = -5),
                Some("referral_drive_points"),
            ),
            (
                with(&|s| s.referral_deliver_points = i64::MAX),
                Some("referral_deliver_points"),
            ),
            (
                with(&|s| s.worth = "积".repeat(MAX_WORTH + 1)),
                Some("worth"),
            ),
            (with(&|s| s.worth = "积".repeat(MAX_WORTH)), None),
            (with(&|s| s.referral_deliver_points = 100_000), None),
            (with(&|s| s.survey_points = 0), None),
        ] {
            let got = case.validate();
            assert_eq!(
                got.as_ref().err().and_then(|e| e.field.as_deref()),
                field,
                "{case:?}"
            );
        }
    }
}
