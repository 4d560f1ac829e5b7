//! Attribution: which consultant a new lead is credited to (the order of the rule, pure, as a
//! rule table), the visitor's own share link request, and what the console shows of it: a
//! lead's share tree and what each link brought.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::ApiError;
use crate::link::Channel;

/// Days a first touch through a staff member's link credits its owner, unless the dealer
/// sets its own (1 to 365).
pub const DEFAULT_WINDOW_DAYS: i64 = 30;
pub const MAX_WINDOW_DAYS: i64 = 365;

const DAY_MILLIS: i64 = 86_400_000;

/// How many days a first touch credits its link's owner at one dealer, as its admin sets it
/// in the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributionWindow {
    pub days: i64,
}

impl AttributionWindow {
    pub fn validate(&self) -> Result<(), ApiError> {
        if (1..=MAX_WINDOW_DAYS).contains(&self.days) {
            Ok(())
        } else {
            Err(ApiError::invalid(
                "days",
                format!("归属期须为 1 到 {MAX_WINDOW_DAYS} 天"),
            ))
        }
    }
}

/// How a lead's consultant was chosen, in the order the rule tries them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Credit {
    /// The visitor was already bound to a consultant by an earlier lead.
    Bound,
    /// The staff member whose link first brought the visitor, inside the window.
    Link,
    /// The consultant of the visitor who forwarded the page to them (up the chain).
    Referrer,
    /// Nobody above: the store's consultants in turn.
    RoundRobin,
}

impl Credit {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bound => "bound",
            Self::Link => "link",
            Self::Referrer => "referrer",
            Self::RoundRobin => "round_robin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Bound, Self::Link, Self::Referrer, Self::RoundRobin]
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    /// The timeline's line for the assignment to `name`.
    pub fn assigned_text(self, name: &str) -> String {
        match self {
            Self::Bound => format!("客户已绑定{name}，归属{name}"),
            Self::Link => format!("由{name}的分享链接带来，归属{name}"),
            Self::Referrer => format!("朋友转发而来（{name}的客户），归属{name}"),
            Self::RoundRobin => format!("轮流分配给{name}"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Bound => "已绑定顾问",
            Self::Link => "顾问的分享链接",
            Self::Referrer => "朋友转发",
            Self::RoundRobin => "轮流分配",
        }
    }
}

/// What the server knows of one visitor of the chain (the visitor, then who referred them,
/// then who referred that one, ...): only active consultants are named.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VisitorFacts {
    /// The consultant an earlier lead bound them to.
    pub bound_to: Option<i64>,
    /// The consultant who owns the link of their first touch, and when it was.
    pub first_touch: Option<(i64, i64)>,
}

/// Whether a first touch at `first_at` still credits at `now` (both Unix milliseconds).
pub fn within_window(first_at: i64, now: i64, window_days: i64) -> bool {
    now.saturating_sub(first_at) <= window_days.saturating_mul(DAY_MILLIS)
}

/// The rule: the visitor's binding wins; else the owner of their first-touch link inside the
/// window; else the consultant of whoever referred them, found by the same two steps up the
/// chain. `None`: round-robin (the caller's, as it depends on the store's staff).
pub fn credit(chain: &[VisitorFacts], now: i64, window_days: i64) -> Option<(Credit, i64)> {
    chain.iter().enumerate().find_map(|(i, facts)| {
        let found = facts.bound_to.map(|id| (Credit::Bound, id)).or_else(|| {
            facts
                .first_touch
                .filter(|(_, at)| within_window(*at, now, window_days))
                .map(|(id, _)| (Credit::Link, id))
        });
        // Anything found above the visitor themselves is their referrer's consultant.
        found.map(|(how, id)| {
            if i == 0 {
                (how, id)
            } else {
                (Credit::Referrer, id)
            }
        })
    })
}

/// `POST /api/v1/dealers/{dealer}/links`: a visitor's own link to the page they are on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewVisitorLink {
    /// The page, a path of the dealer's own (`/demo/models/byd-qin-plus`).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub target: String,
    pub channel: Channel,
}

/// Someone in a lead's share tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareNode {
    /// 1: came through a staff link (or on their own); 2: through a level-1 visitor's link ...
    pub level: i64,
    /// The lead's name when the viewer may open that lead, else `访客` and a short id.
    pub label: String,
    /// Their lead, when the viewer may open it.
    pub lead_id: Option<i64>,
    /// When they came (Unix milliseconds): the first click of a link that brought them.
    pub at: Option<i64>,
    /// The channel of the link they came through.
    pub channel: Option<Channel>,
    /// This lead's own visitor.
    pub is_this_lead: bool,
}

/// The staff link at the top of a share tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareRoot {
    pub staff_name: String,
    pub channel: Channel,
    pub code: String,
    pub campaign: Option<String>,
}

/// Who forwarded to whom around a lead: the staff link at the top, then the chain down to the
/// lead's visitor and the people they forwarded to, in tree order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareTree {
    pub root: Option<ShareRoot>,
    /// How the lead's consultant was chosen (none for leads older than attribution).
    pub credit: Option<Credit>,
    pub nodes: Vec<ShareNode>,
}

/// What a link and the visitors' links forwarded from it brought, for one channel.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelCounts {
    pub channel: Option<Channel>,
    /// Counts of visitors' links forwarded from this one, not of the link itself.
    pub forwarded: bool,
    pub clicks: i64,
    pub visitors: i64,
    pub leads: i64,
    pub bookings: i64,
}

/// One day's clicks and leads of a link (Beijing days).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCounts {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-02"))]
    pub day: Date,
    pub clicks: i64,
    pub leads: i64,
}

/// What one of my links brought, its visitors' forwards included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkStats {
    pub code: String,
    pub previews: i64,
    pub clicks: i64,
    /// Distinct visitors among the clicks.
    pub visitors: i64,
    pub leads: i64,
    pub bookings: i64,
    pub by_channel: Vec<ChannelCounts>,
    /// The last 14 days with a click or a lead, oldest first.
    pub by_day: Vec<DayCounts>,
}

/// Days the per-day breakdown covers.
pub const STATS_DAYS: i64 = 14;

/// How a visitor without a name in the tree is shown: `访客` and the end of their id.
pub fn visitor_label(visitor: &str) -> String {
    // The last four: a visitor id starts with the time it was made (alike for visitors of the
    // same day) and ends with random characters.
    let count = visitor.chars().count();
    let short: String = visitor.chars().skip(count.saturating_sub(4)).collect();
    format!("访客{short}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_MILLIS;
    const NOW: i64 = 100 * DAY;

    #[test]
    fn a_window_is_one_day_to_a_year() {
        for (days, ok) in [
            (0, false),
            (1, true),
            (30, true),
            (365, true),
            (366, false),
            (-5, false),
        ] {
            let checked = AttributionWindow { days }.validate();
            assert_eq!(checked.is_ok(), ok, "{days}");
            if let Err(e) = checked {
                assert_eq!(e.field.as_deref(), Some("days"));
                assert_eq!(e.message, "归属期须为 1 到 365 天");
            }
        }
    }

    fn facts(bound_to: Option<i64>, first_touch: Option<(i64, i64)>) -> VisitorFacts {
        VisitorFacts {
            bound_to,
            first_touch,
        }
    }

    #[test]
    fn the_rule_credits_binding_then_first_touch_in_window_then_the_referrers_consultant() {
        let inside = Some((7, NOW - 30 * DAY));
        let outside = Some((7, NOW - 30 * DAY - 1));
        let none = facts(None, None);
        // (visitor, then their referrers up the chain) → credit
        type Row = (Vec<VisitorFacts>, Option<(Credit, i64)>);
        let table: Vec<Row> = vec![
            // A binding wins over the first touch and over any referrer.
            (
                vec![facts(Some(3), inside), facts(Some(9), None)],
                Some((Credit::Bound, 3)),
            ),
            // The first touch's owner, on the window's last millisecond too.
            (
                vec![facts(None, inside), facts(Some(9), None)],
                Some((Credit::Link, 7)),
            ),
            // Outside the window it falls through to the referrer's binding ...
            (
                vec![facts(None, outside), facts(Some(9), None)],
                Some((Credit::Referrer, 9)),
            ),
            // ... or the referrer's own first touch, or their referrer's, up the chain.
            (
                vec![none, facts(None, Some((5, NOW - DAY)))],
                Some((Credit::Referrer, 5)),
            ),
            (
                vec![none, none, facts(Some(4), None)],
                Some((Credit::Referrer, 4)),
            ),
            (
                vec![none, facts(None, outside), facts(None, inside)],
                Some((Credit::Referrer, 7)),
            ),
            // Nobody: round-robin.
            (vec![facts(None, outside)], None),
            (vec![none, none], None),
            (vec![], None),
        ];
        for (chain, expected) in table {
            assert_eq!(
                credit(&chain, NOW, DEFAULT_WINDOW_DAYS),
                expected,
                "{chain:?}"
            );
        }
        // The dealer's own window.
        let week_old = [facts(None, Some((7, NOW - 7 * DAY)))];
        assert_eq!(credit(&week_old, NOW, 6), None);
        assert_eq!(credit(&week_old, NOW, 7), Some((Credit::Link, 7)));
    }

    #[test]
    fn credits_round_trip_and_read_in_chinese() {
        for how in [
            Credit::Bound,
            Credit::Link,
            Credit::Referrer,
            Credit::RoundRobin,
        ] {
            assert_eq!(Credit::parse(how.as_str()), Some(how));
            assert!(how.assigned_text("王磊").contains("王磊"));
        }
        // The round-robin line is the one the timeline has always shown.
        assert_eq!(Credit::RoundRobin.assigned_text("李娜"), "轮流分配给李娜");
        assert_eq!(visitor_label("AB3xyz"), "访客3xyz");
        assert_eq!(visitor_label("xyz"), "访客xyz");
    }
}
