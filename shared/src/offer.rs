//! Offers (优惠) and dated dealer prices: the kinds of offer a dealer runs (购车: 限时优惠,
//! 金融优惠, 置换补贴; 用车: 免费保养, 充电权益), how a draft is checked in the console and on the
//! server, which are current on a day, and how each is said in one line. A dealer price holds
//! between two days too ([`PriceWindow`]); both end by the date, never by a job.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::ApiError;
use crate::filter::PRICE_LIMIT;

/// The longest an offer's text may be: one line on a phone card.
pub const DETAIL_MAX_CHARS: usize = 60;

/// What an offer is. The group (购车 or 用车) follows from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// 限时优惠: off the price.
    PriceCut,
    /// 金融优惠: a cheaper loan (低息, 免息, 低首付).
    Finance,
    /// 置换补贴: for trading in the old car.
    TradeIn,
    /// 免费保养: services after the sale.
    FreeMaintenance,
    /// 充电权益: charging cards, a home charger.
    Charging,
}

impl OfferKind {
    pub const ALL: [OfferKind; 5] = [
        OfferKind::PriceCut,
        OfferKind::Finance,
        OfferKind::TradeIn,
        OfferKind::FreeMaintenance,
        OfferKind::Charging,
    ];

    pub fn key(self) -> &'static str {
        match self {
            OfferKind::PriceCut => "price_cut",
            OfferKind::Finance => "finance",
            OfferKind::TradeIn => "trade_in",
            OfferKind::FreeMaintenance => "free_maintenance",
            OfferKind::Charging => "charging",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            OfferKind::PriceCut => "限时优惠",
            OfferKind::Finance => "金融优惠",
            OfferKind::TradeIn => "置换补贴",
            OfferKind::FreeMaintenance => "免费保养",
            OfferKind::Charging => "充电权益",
        }
    }

    pub fn group(self) -> OfferGroup {
        match self {
            OfferKind::PriceCut | OfferKind::Finance | OfferKind::TradeIn => OfferGroup::Purchase,
            OfferKind::FreeMaintenance | OfferKind::Charging => OfferGroup::Usage,
        }
    }
}

/// 购车 (what buying costs) or 用车 (what owning costs): how buyers filter offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferGroup {
    Purchase,
    Usage,
}

impl OfferGroup {
    pub const ALL: [OfferGroup; 2] = [OfferGroup::Purchase, OfferGroup::Usage];

    pub fn key(self) -> &'static str {
        match self {
            OfferGroup::Purchase => "purchase",
            OfferGroup::Usage => "usage",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            OfferGroup::Purchase => "购车优惠",
            OfferGroup::Usage => "用车权益",
        }
    }
}

/// An offer as a manager writes it: for a series (every trim) or one trim of it, an amount
/// or a text or both, the days it holds (both included), the stores (none: every store).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferDraft {
    pub series_id: String,
    pub trim_id: Option<String>,
    pub kind: OfferKind,
    /// Yuan; `None` when the text says it all (免首保工时费).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000000))]
    pub amount_yuan: Option<i64>,
    /// One line: 首付两成，36期0息 / 赠送家充桩及安装.
    pub detail: String,
    pub valid_from: Date,
    pub valid_until: Date,
    pub store_ids: Vec<i64>,
}

impl OfferDraft {
    /// The draft trimmed, or the first field that is wrong with a message a manager can act on.
    pub fn validate(&self) -> Result<OfferDraft, ApiError> {
        let detail = self.detail.trim().to_string();
        if self.series_id.trim().is_empty() {
            return Err(ApiError::invalid("series_id", "请选择车系"));
        }
        if let Some(amount) = self.amount_yuan {
            if !(1..=PRICE_LIMIT).contains(&amount) {
                return Err(ApiError::invalid(
                    "amount_yuan",
                    "优惠金额须在1元到1000万元之间",
                ));
            }
        }
        if self.amount_yuan.is_none() && detail.is_empty() {
            return Err(ApiError::invalid("detail", "请填写优惠金额或优惠内容"));
        }
        if detail.chars().count() > DETAIL_MAX_CHARS {
            return Err(ApiError::invalid(
                "detail",
                format!("优惠内容最多{DETAIL_MAX_CHARS}个字"),
            ));
        }
        crate::text::check_line(&detail, "detail", "优惠内容")?;
        check_day(self.valid_from, "valid_from")?;
        check_day(self.valid_until, "valid_until")?;
        if self.valid_until < self.valid_from {
            return Err(ApiError::invalid("valid_until", "截止日期不能早于开始日期"));
        }
        let mut store_ids = self.store_ids.clone();
        store_ids.sort_unstable();
        store_ids.dedup();
        Ok(OfferDraft {
            series_id: self.series_id.trim().to_string(),
            trim_id: self
                .trim_id
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            detail,
            store_ids,
            ..self.clone()
        })
    }
}

/// An offer as buyers and staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    pub id: i64,
    pub series_id: String,
    pub series_name: String,
    /// `None`: every trim of the series.
    pub trim_id: Option<String>,
    pub trim_name: Option<String>,
    pub kind: OfferKind,
    pub amount_yuan: Option<i64>,
    pub detail: String,
    pub valid_from: Date,
    pub valid_until: Date,
    /// The stores' names; empty: every store.
    pub stores: Vec<String>,
}

impl OfferView {
    /// `限时优惠 ¥5,000` or `免费保养`: the kind and the amount, where there is one.
    pub fn headline(&self) -> String {
        match self.amount_yuan {
            Some(amount) => format!("{} {}", self.kind.label(), crate::money::yuan(amount)),
            None => self.kind.label().to_string(),
        }
    }

    /// What it is for: `全系` or the trim's name.
    pub fn applies_to(&self) -> String {
        match &self.trim_name {
            Some(trim) => format!("{} {trim}", self.series_name),
            None => format!("{} 全系", self.series_name),
        }
    }

    /// `截至12月31日` (this year) or `截至2027年1月31日`, counted from `today`.
    pub fn until_text(&self, today: Date) -> String {
        until_text(self.valid_until, today)
    }

    /// Holds on `day` (both ends included).
    pub fn holds_on(&self, day: Date) -> bool {
        self.valid_from <= day && day <= self.valid_until
    }

    /// Holds for this trim of this series: a series-wide offer holds for each of its trims.
    pub fn holds_for(&self, series_id: &str, trim_id: &str) -> bool {
        self.series_id == series_id && self.trim_id.as_deref().is_none_or(|t| t == trim_id)
    }
}

/// `截至12月31日`, with the year when it is not `today`'s.
pub fn until_text(until: Date, today: Date) -> String {
    if until.year == today.year {
        format!("截至{}月{}日", until.month, until.day)
    } else {
        format!("截至{}年{}月{}日", until.year, until.month, until.day)
    }
}

/// `GET /api/v1/dealers/{dealer}/offers`: the offers that hold today, for the series and
/// group asked (none: all), and every series that has one (for the filter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferList {
    pub today: Date,
    pub offers: Vec<OfferView>,
    /// `(series id, name)` of every series with an offer today, in the dealer's order.
    pub series: Vec<(String, String)>,
}

/// `GET /api/v1/console/offers`: every offer, and what a new one may name: the series the
/// dealer sells with their trims, and its stores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferDesk {
    pub today: Date,
    pub offers: Vec<StaffOffer>,
    pub series: Vec<OfferSeries>,
    /// `(id, name)`.
    pub stores: Vec<(i64, String)>,
}

/// A series on sale and its trims `(id, name)`, for an offer's form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferSeries {
    pub id: String,
    pub name: String,
    pub trims: Vec<(String, String)>,
}

impl OfferSeries {
    /// The series of a price book's trims, in its order.
    pub fn of(trims: &[TrimPrice]) -> Vec<OfferSeries> {
        let mut series: Vec<OfferSeries> = Vec::new();
        for t in trims {
            match series.last_mut() {
                Some(s) if s.id == t.series_id => {
                    s.trims.push((t.trim_id.clone(), t.trim_name.clone()))
                }
                _ => series.push(OfferSeries {
                    id: t.series_id.clone(),
                    name: t.series_name.clone(),
                    trims: vec![(t.trim_id.clone(), t.trim_name.clone())],
                }),
            }
        }
        series
    }
}

/// An offer in the console: whether it holds today, is still to come or is over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffOffer {
    pub offer: OfferView,
    pub store_ids: Vec<i64>,
    pub state: OfferState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    Upcoming,
    Current,
    Over,
}

impl OfferState {
    pub fn of(valid_from: Date, valid_until: Date, today: Date) -> Self {
        if today < valid_from {
            OfferState::Upcoming
        } else if today > valid_until {
            OfferState::Over
        } else {
            OfferState::Current
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OfferState::Upcoming => "未开始",
            OfferState::Current => "进行中",
            OfferState::Over => "已结束",
        }
    }
}

/// The days a dealer price holds (both included; `None`: open at that end). A price outside
/// its days is not shown: the guide price holds again, with no job to run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceWindow {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl PriceWindow {
    pub fn holds_on(&self, day: Date) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day <= u)
    }

    /// `2026-12-01 至 2026-12-31`, `2026-12-01 起`, `至 2026-12-31`, or `长期`.
    pub fn text(&self) -> String {
        match (self.from, self.until) {
            (Some(f), Some(u)) => format!("{f} 至 {u}"),
            (Some(f), None) => format!("{f} 起"),
            (None, Some(u)) => format!("至 {u}"),
            (None, None) => "长期".into(),
        }
    }
}

/// A dealer's price of one trim as a manager sets it: the price (`None`: the guide price
/// again, and then no days) and the days it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealerPrice {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000000))]
    pub dealer_price: Option<i64>,
    #[serde(default)]
    pub window: PriceWindow,
}

impl DealerPrice {
    pub fn validate(&self) -> Result<(), ApiError> {
        match self.dealer_price {
            Some(price) if !(1..=PRICE_LIMIT).contains(&price) => {
                return Err(ApiError::invalid(
                    "dealer_price",
                    "报价须在1元到1000万元之间",
                ))
            }
            None if self.window != PriceWindow::default() => {
                return Err(ApiError::invalid(
                    "dealer_price",
                    "恢复指导价时不需要填写日期",
                ))
            }
            _ => {}
        }
        for (day, field) in [(self.window.from, "from"), (self.window.until, "until")] {
            if let Some(day) = day {
                check_day(day, field)?;
            }
        }
        if let (Some(from), Some(until)) = (self.window.from, self.window.until) {
            if until < from {
                return Err(ApiError::invalid("until", "截止日期不能早于开始日期"));
            }
        }
        Ok(())
    }
}

/// A day an offer or price may name: this century (days are kept as `YYYY-MM-DD` text and
/// compared as text, which four-digit years keep in order).
fn check_day(day: Date, field: &str) -> Result<(), ApiError> {
    match (2000..=2099).contains(&day.year) {
        true => Ok(()),
        false => Err(ApiError::invalid(field, "日期须在2000年到2099年之间")),
    }
}

/// A trim on sale as the console's 价格 lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrimPrice {
    pub trim_id: String,
    pub series_id: String,
    pub series_name: String,
    pub trim_name: String,
    pub guide_price: Option<i64>,
    pub dealer_price: Option<i64>,
    pub window: PriceWindow,
}

/// One change of a dealer price: who, when, from what to what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceChange {
    pub trim_id: String,
    pub trim_name: String,
    /// `None`: someone no longer on the staff list.
    pub staff_name: Option<String>,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub old_price: Option<i64>,
    pub old_window: PriceWindow,
    pub new_price: Option<i64>,
    pub new_window: PriceWindow,
}

/// `GET /api/v1/console/prices`: every trim on sale with its price, and the latest changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceBook {
    pub today: Date,
    pub trims: Vec<TrimPrice>,
    /// Newest first, at most [`PRICE_CHANGES_SHOWN`].
    pub changes: Vec<PriceChange>,
}

pub const PRICE_CHANGES_SHOWN: usize = 100;

/// A price and its days as the change log says it: `¥129,800（2026-12-01 至 2026-12-31）`, or
/// `指导价` for none.
pub fn price_text(price: Option<i64>, window: &PriceWindow) -> String {
    match price {
        Some(p) if *window == PriceWindow::default() => crate::money::yuan(p),
        Some(p) => format!("{}（{}）", crate::money::yuan(p), window.text()),
        None => "指导价".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn draft() -> OfferDraft {
        OfferDraft {
            series_id: " byd-qin-plus ".into(),
            trim_id: Some("  ".into()),
            kind: OfferKind::PriceCut,
            amount_yuan: Some(5_000),
            detail: " 限时直降 ".into(),
            valid_from: day("2026-12-01"),
            valid_until: day("2026-12-31"),
            store_ids: vec![3, 1, 3],
        }
    }

    #[test]
    fn a_draft_is_trimmed_and_each_wrong_field_is_named() {
        let good = draft().validate().unwrap();
        assert_eq!(good.series_id, "byd-qin-plus");
        assert_eq!(good.trim_id, None);
        assert_eq!(good.detail, "限时直降");
        assert_eq!(good.store_ids, vec![1, 3]);
        let field = |d: OfferDraft| d.validate().unwrap_err().field;
        let only_text = OfferDraft {
            amount_yuan: None,
            ..draft()
        };
        assert!(only_text.validate().is_ok());
        let nothing = OfferDraft {
            amount_yuan: None,
            detail: " ".into(),
            ..draft()
        };
        assert_eq!(field(nothing).as_deref(), Some("detail"));
        let zero = OfferDraft {
            amount_yuan: Some(0),
            ..draft()
        };
        assert_eq!(field(zero).as_deref(), Some("amount_yuan"));
        let backwards = OfferDraft {
            valid_until: day("2026-11-30"),
            ..draft()
        };
        assert_eq!(field(backwards).as_deref(), Some("valid_until"));
        let long = OfferDraft {
            detail: "赠".repeat(DETAIL_MAX_CHARS + 1),
            ..draft()
        };
        assert_eq!(field(long).as_deref(), Some("detail"));
        let hidden = OfferDraft {
            detail: "赠送\u{200B}充电桩".into(),
            ..draft()
        };
        assert_eq!(field(hidden).as_deref(), Some("detail"));
    }

    #[test]
    fn an_offer_holds_on_its_days_and_for_its_trims() {
        let offer = OfferView {
            id: 1,
            series_id: "s".into(),
            series_name: "秦PLUS".into(),
            trim_id: None,
            trim_name: None,
            kind: OfferKind::TradeIn,
            amount_yuan: Some(8_000),
            detail: String::new(),
            valid_from: day("2026-12-01"),
            valid_until: day("2026-12-31"),
            stores: vec![],
        };
        assert!(offer.holds_on(day("2026-12-01")));
        assert!(offer.holds_on(day("2026-12-31")));
        assert!(!offer.holds_on(day("2027-01-01")));
        assert!(!offer.holds_on(day("2026-11-30")));
        assert!(offer.holds_for("s", "any-trim"));
        assert!(!offer.holds_for("other", "any-trim"));
        let one = OfferView {
            trim_id: Some("t".into()),
            ..offer.clone()
        };
        assert!(one.holds_for("s", "t"));
        assert!(!one.holds_for("s", "u"));
        assert_eq!(offer.headline(), "置换补贴 ¥8,000");
        assert_eq!(offer.applies_to(), "秦PLUS 全系");
        assert_eq!(offer.until_text(day("2026-12-07")), "截至12月31日");
        assert_eq!(offer.until_text(day("2025-12-07")), "截至2026年12月31日");
        assert_eq!(OfferKind::Charging.group(), OfferGroup::Usage);
        assert_eq!(OfferKind::Finance.group(), OfferGroup::Purchase);
        for kind in OfferKind::ALL {
            assert_eq!(OfferKind::from_key(kind.key()), Some(kind));
        }
    }

    #[test]
    fn a_price_holds_between_its_days_and_a_guide_price_has_none() {
        let window = PriceWindow {
            from: Some(day("2026-12-01")),
            until: Some(day("2026-12-31")),
        };
        assert!(window.holds_on(day("2026-12-15")));
        assert!(!window.holds_on(day("2027-01-01")));
        assert!(PriceWindow::default().holds_on(day("2030-01-01")));
        let price = |p, window| DealerPrice {
            dealer_price: p,
            window,
        };
        assert!(price(None, PriceWindow::default()).validate().is_ok());
        assert!(price(Some(1), window).validate().is_ok());
        assert!(price(Some(10_000_000), PriceWindow::default())
            .validate()
            .is_ok());
        assert!(price(Some(0), window).validate().is_err());
        assert!(price(Some(10_000_001), window).validate().is_err());
        assert_eq!(
            price(None, window).validate().unwrap_err().field.as_deref(),
            Some("dealer_price")
        );
        let backwards = PriceWindow {
            from: window.until,
            until: window.from,
        };
        assert_eq!(
            price(Some(100), backwards)
                .validate()
                .unwrap_err()
                .field
                .as_deref(),
            Some("until")
        );
        assert_eq!(
            price_text(Some(129_800), &window),
            "¥129,800（2026-12-01 至 2026-12-31）"
        );
        assert_eq!(price_text(None, &PriceWindow::default()), "指导价");
    }
}
