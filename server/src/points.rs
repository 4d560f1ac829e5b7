//! Owners' points: the dealer's milestone points (defaults until the admin sets them) and the
//! ledger, where each source (a survey, a service, a referral's milestone) earns once; the
//! admin's settings (milestone points and what points are worth) and an owner's ledger.

use shared::loyalty::{LoyaltySettings, PointsEntry, PointsReason};

use crate::db::Db;

/// What a dealer gives points for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Milestones {
    pub survey_points: i64,
    pub service_points: i64,
    pub referral_drive_points: i64,
    pub referral_deliver_points: i64,
}

impl Default for Milestones {
    /// As migration 0012's column defaults.
    fn default() -> Self {
        Self {
            survey_points: 10,
            service_points: 50,
            referral_drive_points: 200,
            referral_deliver_points: 1000,
        }
    }
}

/// The dealer's milestone points.
pub async fn milestones(db: &Db, dealer_id: i64) -> sqlx::Result<Milestones> {
    let mut conn = db.pool.acquire().await?;
    milestones_on(&mut conn, dealer_id).await
}

/// Why points were earned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Survey,
    Service,
    Referral,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Survey => "survey",
            Reason::Service => "service",
            Reason::Referral => "referral",
        }
    }
}

/// An entry to add to an owner's ledger; `source` names what earned it, once.
pub struct Award<'a> {
    pub dealer_id: i64,
    pub owner_id: i64,
    pub points: i64,
    pub reason: Reason,
    pub detail: &'a str,
    pub source: &'a str,
    pub now: i64,
}

/// Adds the entry inside the caller's transaction; a source already paid changes nothing.
/// Returns whether it was added.
pub async fn award(conn: &mut sqlx::AnyConnection, a: &Award<'_>) -> sqlx::Result<bool> {
    if a.points <= 0 {
        return Ok(false);
    }
    let added = sqlx::query(
        "INSERT INTO points_ledger (dealer_id, owner_id, points, reason, detail, source, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (owner_id, source) DO NOTHING",
    )
    .bind(a.dealer_id)
    .bind(a.owner_id)
    .bind(a.points)
    .bind(a.reason.as_str())
    .bind(a.detail)
    .bind(a.source)
    .bind(a.now)
    .execute(&mut *conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// The dealer's milestone points, read inside the caller's transaction.
pub async fn milestones_on(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
) -> sqlx::Result<Milestones> {
    let row: Option<Milestones> = sqlx::query_as(
        "SELECT survey_points, service_points, referral_drive_points, referral_deliver_points \
         FROM loyalty_settings WHERE dealer_id = $1",
    )
    .bind(dealer_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.unwrap_or_default())
}

/// The dealer's settings as the admin edits them (the defaults until they do).
pub async fn settings(db: &Db, dealer_id: i64) -> sqlx::Result<LoyaltySettings> {
    let row: Option<(i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT survey_points, service_points, referral_drive_points, referral_deliver_points, worth \
         FROM loyalty_settings WHERE dealer_id = $1",
    )
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(
        row.map_or_else(LoyaltySettings::default, |r| LoyaltySettings {
            survey_points: r.0,
            service_points: r.1,
            referral_drive_points: r.2,
            referral_deliver_points: r.3,
            worth: r.4,
        }),
    )
}

/// Saves the admin's settings (already checked); they apply to points earned from now on.
pub async fn save_settings(
    db: &Db,
    dealer_id: i64,
    s: &LoyaltySettings,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO loyalty_settings (dealer_id, survey_points, service_points, \
         referral_drive_points, referral_deliver_points, worth, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dealer_id) DO UPDATE SET \
         survey_points = excluded.survey_points, service_points = excluded.service_points, \
         referral_drive_points = excluded.referral_drive_points, \
         referral_deliver_points = excluded.referral_deliver_points, worth = excluded.worth, \
         updated_at = excluded.updated_at",
    )
    .bind(dealer_id)
    .bind(s.survey_points)
    .bind(s.service_points)
    .bind(s.referral_drive_points)
    .bind(s.referral_deliver_points)
    .bind(&s.worth)
    .bind(now)
    .execute(&db.writer)
    .await?;
    Ok(())
}

/// An owner's ledger, newest first.
pub async fn ledger(db: &Db, dealer_id: i64, owner_id: i64) -> sqlx::Result<Vec<PointsEntry>> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT points, reason, detail, created_at FROM points_ledger \
         WHERE dealer_id = $1 AND owner_id = $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(dealer_id)
    .bind(owner_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(points, reason, detail, created_at)| {
            Some(PointsEntry {
                points,
                reason: PointsReason::parse(&reason)?,
                detail,
                created_at,
            })
        })
        .collect())
}
