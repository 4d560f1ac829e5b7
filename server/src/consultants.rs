//! Staff cards in the database: a staff member's own profile (read and saved, the handle
//! unique within the dealer), the public card behind a showcase handle (a departed
//! consultant's shows their successor's), and which consultant a visitor came through.

use shared::contact::normalize_phone;
use shared::profile::{ConsultantCard, Profile};

use crate::db::Db;

#[derive(sqlx::FromRow)]
struct ProfileRow {
    login: Option<String>,
    name: String,
    title: Option<String>,
    phone: String,
    wechat: Option<String>,
    handle: Option<String>,
}

/// A staff member's profile as they edit it, and their sign-in name (which the handle may
/// not be); empty fields for what they have not filled in yet.
pub async fn profile(db: &Db, staff_id: i64) -> sqlx::Result<(Profile, String)> {
    let row: ProfileRow =
        sqlx::query_as("SELECT login, name, title, phone, wechat, handle FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_one(&db.pool)
            .await?;
    let profile = Profile {
        name: row.name,
        title: row.title.unwrap_or_default(),
        phone: row.phone,
        wechat: row.wechat,
        handle: row.handle.unwrap_or_default(),
    };
    Ok((profile, row.login.unwrap_or_default()))
}

/// Whether a colleague of the dealer (anyone but `staff_id`) has the handle already.
pub async fn handle_taken(
    db: &Db,
    dealer_id: i64,
    staff_id: i64,
    handle: &str,
) -> sqlx::Result<bool> {
    let other: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM staff WHERE dealer_id = $1 AND handle = $2 AND id <> $3",
    )
    .bind(dealer_id)
    .bind(handle)
    .bind(staff_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(other.is_some())
}

/// Saves a validated profile and marks the dealer's catalogue changed (the showcase's shell
/// names the consultant), in one transaction; the database's unique keys
/// (`staff_dealer_handle_key`, `staff_dealer_name_key`) refuse a taken handle or name that
/// a colleague saved at the same moment.
pub async fn save(db: &Db, dealer_id: i64, staff_id: i64, profile: &Profile) -> sqlx::Result<()> {
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query(
        "UPDATE staff SET name = $1, title = $2, phone = $3, wechat = $4, handle = $5 WHERE id = $6",
    )
    .bind(&profile.name)
    .bind(&profile.title)
    .bind(&profile.phone)
    .bind(profile.wechat.as_deref())
    .bind(&profile.handle)
    .bind(staff_id)
    .execute(&mut *tx)
    .await?;
    crate::catalog::changed(&mut tx, dealer_id).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CardRow {
    handle: String,
    name: String,
    title: Option<String>,
    phone: String,
    wechat: Option<String>,
}

impl From<CardRow> for ConsultantCard {
    fn from(row: CardRow) -> Self {
        Self {
            handle: row.handle,
            name: row.name,
            title: row.title.unwrap_or_default(),
            // Seeded numbers keep their spaces and dashes; the card carries digits.
            phone: normalize_phone(&row.phone),
            wechat: row.wechat,
        }
    }
}

const CARD_COLUMNS: &str = "s.handle, s.name, s.title, s.phone, s.wechat";

/// The card behind a showcase handle of the dealer: its staff member's, or once they were
/// handed over (离职继承) their successor's; only an active one's.
pub async fn card(db: &Db, dealer_id: i64, handle: &str) -> sqlx::Result<Option<ConsultantCard>> {
    let row: Option<CardRow> = sqlx::query_as(
        "SELECT COALESCE(s.handle, o.handle) AS handle, s.name, s.title, s.phone, s.wechat \
         FROM staff o JOIN staff s ON s.id = COALESCE(o.successor_id, o.id) \
         WHERE o.dealer_id = $1 AND o.handle = $2 AND s.active = 1",
    )
    .bind(dealer_id)
    .bind(handle)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(Into::into))
}

/// The card of a staff member, when they have one (a handle) and are still active.
pub async fn card_of_staff(db: &Db, staff_id: i64) -> sqlx::Result<Option<ConsultantCard>> {
    let row: Option<CardRow> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM staff s \
         WHERE s.id = $1 AND s.active = 1 AND s.handle IS NOT NULL"
    ))
    .bind(staff_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(Into::into))
}

/// The staff member a visitor of the dealer came through, by the attribution rule without its
/// round-robin step (`attribution::credited_consultant`): the card a visitor sees is the
/// consultant their lead would go to.
pub async fn consultant_of_visitor(
    db: &Db,
    dealer_id: i64,
    visitor: &str,
    now: i64,
) -> sqlx::Result<Option<i64>> {
    let mut conn = db.pool.acquire().await?;
    Ok(
        crate::attribution::credited_consultant(&mut conn, dealer_id, visitor, now)
            .await?
            .map(|(_, staff_id)| staff_id),
    )
}
