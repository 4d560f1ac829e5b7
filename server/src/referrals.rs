//! Referral rewards: an owner's referral link (their own share link of the one link system,
//! marked with `links.owner_id`), the referral a friend's test-drive booking through it makes
//! (withheld, with the reason, for the owner's own phone or browser, a phone the dealer knew
//! before, or past five a Beijing day), the points its verifiable milestones earn (the test
//! drive completed at the store, the car delivered), each once, and the console's list.

use std::collections::BTreeMap;

use shared::contact::mask_phone;
use shared::link::{Channel, Link};
use shared::loyalty::{withheld, OwnerReferrals, ReferralRow, ReferralStatus, REFERRALS_PER_DAY};
use sqlx::AnyConnection;

use crate::db::Db;
use crate::points::{self, Award, Reason};

const DAY_MILLIS: i64 = 86_400_000;
/// Beijing is UTC+8 all year.
const BEIJING_OFFSET: i64 = 8 * 3_600_000;

/// The owner's referral link to `target` (already checked to be the dealer's page): their own
/// visitor link for chat, marked as the owner's. The owner's visitor is the one they bound
/// with; an owner bound before that was kept takes the visitor asking now. `true` when new.
pub async fn link(
    db: &Db,
    dealer_id: i64,
    owner_id: i64,
    visitor: &str,
    target: &str,
    now: i64,
) -> sqlx::Result<Option<(Link, bool)>> {
    let known: Option<(Option<String>,)> =
        sqlx::query_as("SELECT visitor FROM owners WHERE id = $1 AND dealer_id = $2")
            .bind(owner_id)
            .bind(dealer_id)
            .fetch_optional(&db.pool)
            .await?;
    let Some((kept,)) = known else {
        return Ok(None);
    };
    let owner_visitor = match kept {
        Some(v) => v,
        None => {
            sqlx::query("UPDATE owners SET visitor = $1 WHERE id = $2 AND visitor IS NULL")
                .bind(visitor)
                .bind(owner_id)
                .execute(&db.writer)
                .await?;
            sqlx::query_scalar("SELECT visitor FROM owners WHERE id = $1")
                .bind(owner_id)
                .fetch_one(&db.writer)
                .await?
        }
    };
    let (made, new) =
        crate::shares::visitor_link(db, dealer_id, &owner_visitor, target, Channel::Chat, now)
            .await?;
    sqlx::query("UPDATE links SET owner_id = $1 WHERE code = $2 AND owner_id IS NULL")
        .bind(owner_id)
        .bind(&made.code)
        .execute(&db.writer)
        .await?;
    Ok(Some((made, new)))
}

/// A test-drive booking just written, as the referral rule needs it.
pub struct Booked<'a> {
    pub dealer_id: i64,
    pub lead_id: i64,
    pub phone: &'a str,
    /// The booking visitor's cookie id.
    pub visitor: Option<&'a str>,
    /// The link the booking came by (the visitor's last touch).
    pub link_id: Option<i64>,
    /// Whether the phone was a lead of the dealer before this booking.
    pub known_before: bool,
    pub now: i64,
}

/// An owner's link that brought a booking: link, owner, the link's visitor, the owner's.
type OwnerLink = (i64, i64, Option<String>, Option<String>);

/// Inside the booking's transaction: when the booking came by an owner's referral link (its
/// own link, else the link that referred the visitor first), the referral, once per lead,
/// booked or withheld with its reason.
pub async fn on_booking(conn: &mut AnyConnection, b: &Booked<'_>) -> sqlx::Result<()> {
    let found: Option<OwnerLink> = sqlx::query_as(
        "SELECT l.id, l.owner_id, l.visitor, o.visitor FROM links l \
         JOIN owners o ON o.id = l.owner_id AND o.dealer_id = l.dealer_id \
         WHERE l.dealer_id = $1 AND (l.id = $2 OR l.id = \
         (SELECT r.link_id FROM visitor_referrals r WHERE r.dealer_id = $1 AND r.visitor = $3)) \
         ORDER BY CASE WHEN l.id = $2 THEN 0 ELSE 1 END LIMIT 1",
    )
    .bind(b.dealer_id)
    .bind(b.link_id)
    .bind(b.visitor)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((link_id, owner_id, link_visitor, owner_visitor)) = found else {
        return Ok(());
    };
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM referrals WHERE lead_id = $1")
        .bind(b.lead_id)
        .fetch_optional(&mut *conn)
        .await?;
    if taken.is_some() {
        return Ok(());
    }
    let own_phone: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM car_bindings cb JOIN cars c ON c.id = cb.car_id \
         JOIN leads le ON le.id = c.lead_id WHERE cb.owner_id = $1 AND cb.bound_at IS NOT NULL \
         AND cb.ended_at IS NULL AND le.phone = $2",
    )
    .bind(owner_id)
    .bind(b.phone)
    .fetch_one(&mut *conn)
    .await?;
    let same_visitor = b
        .visitor
        .is_some_and(|v| Some(v) == owner_visitor.as_deref() || Some(v) == link_visitor.as_deref());
    let day_start = b.now - (b.now + BEIJING_OFFSET).rem_euclid(DAY_MILLIS);
    let today: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM referrals WHERE owner_id = $1 AND created_at >= $2",
    )
    .bind(owner_id)
    .bind(day_start)
    .fetch_one(&mut *conn)
    .await?;
    let reason = if own_phone > 0 {
        Some(withheld::OWN_PHONE)
    } else if same_visitor {
        Some(withheld::SAME_VISITOR)
    } else if b.known_before {
        Some(withheld::KNOWN_PHONE)
    } else if today >= REFERRALS_PER_DAY {
        Some(withheld::DAILY_CAP)
    } else {
        None
    };
    sqlx::query(
        "INSERT INTO referrals (dealer_id, owner_id, link_id, lead_id, status, withheld_reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (lead_id) DO NOTHING",
    )
    .bind(b.dealer_id)
    .bind(owner_id)
    .bind(link_id)
    .bind(b.lead_id)
    .bind(if reason.is_some() { "withheld" } else { "booked" })
    .bind(reason)
    .bind(b.now)
    .execute(&mut *conn)
    .await?;
    if let Some(reason) = reason {
        tracing::info!(
            owner = owner_id,
            lead = b.lead_id,
            reason,
            "referral withheld"
        );
    }
    Ok(())
}

/// A milestone of the referred friend, verified by the dealer's staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Milestone {
    /// Their test drive was marked completed.
    Drive,
    /// Their car was delivered.
    Deliver,
}

/// Inside the staff member's transaction: the lead reached a milestone. A referral of the
/// lead that is not withheld moves on and earns its owner the milestone's points, once.
pub async fn reached(
    conn: &mut AnyConnection,
    dealer_id: i64,
    lead_id: i64,
    milestone: Milestone,
    now: i64,
) -> sqlx::Result<()> {
    let row: Option<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT r.id, r.owner_id, r.status, le.phone FROM referrals r \
         JOIN leads le ON le.id = r.lead_id WHERE r.lead_id = $1 AND r.dealer_id = $2",
    )
    .bind(lead_id)
    .bind(dealer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, owner_id, status, phone)) = row else {
        return Ok(());
    };
    if status == "withheld" {
        return Ok(());
    }
    let (to, from, key, what) = match milestone {
        Milestone::Drive => ("test_driven", "'booked'", "drive", "完成试驾"),
        Milestone::Deliver => ("delivered", "'booked', 'test_driven'", "deliver", "提车"),
    };
    sqlx::query(&format!(
        "UPDATE referrals SET status = $1 WHERE id = $2 AND status IN ({from})"
    ))
    .bind(to)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let m = points::milestones_on(conn, dealer_id).await?;
    let points = match milestone {
        Milestone::Drive => m.referral_drive_points,
        Milestone::Deliver => m.referral_deliver_points,
    };
    let detail = format!("推荐的好友（{}）{what}", mask_phone(&phone));
    let source = format!("referral:{id}:{key}");
    points::award(
        conn,
        &Award {
            dealer_id,
            owner_id,
            points,
            reason: Reason::Referral,
            detail: &detail,
            source: &source,
            now,
        },
    )
    .await?;
    Ok(())
}

/// How many of an owner's referrals are in each state.
pub async fn counts(db: &Db, owner_id: i64) -> sqlx::Result<shared::loyalty::ReferralCounts> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, CAST(COUNT(*) AS BIGINT) FROM referrals WHERE owner_id = $1 GROUP BY status",
    )
    .bind(owner_id)
    .fetch_all(&db.pool)
    .await?;
    let mut counts = shared::loyalty::ReferralCounts::default();
    for (status, n) in rows {
        match ReferralStatus::parse(&status) {
            Some(ReferralStatus::Booked) => counts.booked = n,
            Some(ReferralStatus::TestDriven) => counts.test_driven = n,
            Some(ReferralStatus::Delivered) => counts.delivered = n,
            Some(ReferralStatus::Withheld) => counts.withheld = n,
            None => {}
        }
    }
    Ok(counts)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    owner_id: i64,
    status: String,
    withheld_reason: Option<String>,
    created_at: i64,
    name: Option<String>,
    phone: String,
}

/// Every referral of the dealer, by owner (newest owner activity first), with the points each
/// earned and each owner's total.
pub async fn of_dealer(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<OwnerReferrals>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.id, r.owner_id, r.status, r.withheld_reason, r.created_at, le.name, le.phone \
         FROM referrals r JOIN leads le ON le.id = r.lead_id WHERE r.dealer_id = $1 \
         ORDER BY r.created_at DESC, r.id DESC",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let earned: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT owner_id, source, points FROM points_ledger WHERE dealer_id = $1")
            .bind(dealer_id)
            .fetch_all(&db.pool)
            .await?;
    let owners: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT cb.owner_id, le.name, c.plate FROM car_bindings cb JOIN cars c ON c.id = cb.car_id \
         LEFT JOIN leads le ON le.id = c.lead_id WHERE c.dealer_id = $1 AND cb.bound_at IS NOT NULL \
         AND cb.ended_at IS NULL AND cb.owner_id IS NOT NULL ORDER BY c.id",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<OwnerReferrals> = Vec::new();
    let mut index: BTreeMap<i64, usize> = BTreeMap::new();
    for row in rows {
        let Some(status) = ReferralStatus::parse(&row.status) else {
            continue;
        };
        let prefix = format!("referral:{}:", row.id);
        let points = earned
            .iter()
            .filter(|(o, source, _)| *o == row.owner_id && source.starts_with(&prefix))
            .map(|(_, _, p)| p)
            .sum();
        let at = *index.entry(row.owner_id).or_insert_with(|| {
            let names: Vec<String> = owners
                .iter()
                .filter(|(o, ..)| *o == row.owner_id)
                .map(|(_, name, plate)| match name {
                    Some(name) => format!("{name} {plate}"),
                    None => plate.clone(),
                })
                .collect();
            out.push(OwnerReferrals {
                owner_id: row.owner_id,
                owner: if names.is_empty() {
                    format!("车主 #{}", row.owner_id)
                } else {
                    names.join("、")
                },
                total_points: earned
                    .iter()
                    .filter(|(o, ..)| *o == row.owner_id)
                    .map(|(.., p)| p)
                    .sum(),
                referrals: Vec::new(),
            });
            out.len() - 1
        });
        if let Some(entry) = out.get_mut(at) {
            entry.referrals.push(ReferralRow {
                id: row.id,
                friend: format!(
                    "{} {}",
                    row.name.unwrap_or_default(),
                    mask_phone(&row.phone)
                )
                .trim()
                .to_string(),
                status,
                withheld_reason: row.withheld_reason,
                points,
                created_at: row.created_at,
            });
        }
    }
    Ok(out)
}
