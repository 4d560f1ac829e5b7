//! Owners' points: the dealer's milestone points (defaults until the admin sets them) and the
//! ledger, where each source (a survey, a service, a referral's milestone) earns once.

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
    let row: Option<Milestones> = sqlx::query_as(
        "SELECT survey_points, service_points, referral_drive_points, referral_deliver_points \
         FROM loyalty_settings WHERE dealer_id = $1",
    )
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.unwrap_or_default())
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
