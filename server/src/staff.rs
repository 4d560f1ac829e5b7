//! Staff accounts: argon2id password hashes (the `argon2` crate), sign-in with a lockout that
//! backs off after repeated failures, password changes that end every session, and the
//! database store behind `tower-sessions`, so sessions hold on every instance and can be
//! ended server-side.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use async_trait::async_trait;
use shared::catalog::Store;
use shared::console::{Role, StaffMe, StaffRef};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::db::Db;

/// The argon2id hash (PHC string) of a password, with a fresh salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Failures allowed before the account locks.
pub const FREE_FAILURES: i64 = 5;

/// How long an account stays locked after `failures` failures in a row: one minute at the
/// fifth failure, doubling with each one after, at most an hour.
pub fn lockout_millis(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(6) as u32;
    (60_000i64 << doublings).min(3_600_000)
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignedIn {
    Yes(i64),
    /// Wrong login or password (the same answer for both).
    No,
    /// Locked for this many more milliseconds.
    Locked(i64),
}

/// A precomputed hash to verify against for unknown logins, so they take as long as known ones.
static DUMMY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("no such account").unwrap_or_default());

/// Checks a sign-in, counting failures and locking with backoff.
pub async fn sign_in(db: &Db, login: &str, password: &str, now: i64) -> sqlx::Result<SignedIn> {
    let row: Option<(i64, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT id, password_hash, failed_logins, locked_until FROM staff \
         WHERE login = $1 AND active = 1",
    )
    .bind(login)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, hash, failures, locked_until)) = row else {
        let _ = verify(password, &DUMMY);
        return Ok(SignedIn::No);
    };
    if locked_until > now {
        return Ok(SignedIn::Locked(locked_until - now));
    }
    if hash.is_some_and(|h| verify(password, &h)) {
        sqlx::query("UPDATE staff SET failed_logins = 0, locked_until = 0 WHERE id = $1")
            .bind(id)
            .execute(&db.writer)
            .await?;
        return Ok(SignedIn::Yes(id));
    }
    let failures = failures + 1;
    let lock = lockout_millis(failures);
    sqlx::query("UPDATE staff SET failed_logins = $1, locked_until = $2 WHERE id = $3")
        .bind(failures)
        .bind(if lock > 0 { now + lock } else { 0 })
        .bind(id)
        .execute(&db.writer)
        .await?;
    Ok(if lock > 0 {
        SignedIn::Locked(lock)
    } else {
        SignedIn::No
    })
}

/// Sets a new password when the current one is right, and ends every session of the staff
/// member; `false` when the current password is wrong.
pub async fn change_password(
    db: &Db,
    staff_id: i64,
    current: &str,
    new: &str,
) -> anyhow::Result<bool> {
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
        .bind(staff_id)
        .fetch_one(&db.pool)
        .await?;
    if !hash.is_some_and(|h| verify(current, &h)) {
        return Ok(false);
    }
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(hash_password(new)?)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// A signed-in staff member: who, where, what they may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub id: i64,
    pub dealer_id: i64,
    pub name: String,
    pub role: Role,
}

impl Staff {
    pub fn manages(&self) -> bool {
        self.role.manages()
    }
}

pub async fn by_id(db: &Db, staff_id: i64) -> sqlx::Result<Option<Staff>> {
    let row: Option<(i64, i64, String, String)> =
        sqlx::query_as("SELECT id, dealer_id, name, role FROM staff WHERE id = $1 AND active = 1")
            .bind(staff_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(id, dealer_id, name, role)| {
        Some(Staff {
            id,
            dealer_id,
            name,
            role: Role::parse(&role)?,
        })
    }))
}

/// What the console shows about who is signed in: the dealer and the stores they work at
/// (every store for a manager or admin).
pub async fn me(db: &Db, staff: &Staff) -> sqlx::Result<StaffMe> {
    let (slug, name, color): (String, String, String) =
        sqlx::query_as("SELECT slug, name, brand_color FROM dealers WHERE id = $1")
            .bind(staff.dealer_id)
            .fetch_one(&db.pool)
            .await?;
    let stores: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, address, city, phone, opening_hours FROM stores \
         WHERE dealer_id = $1 AND ($2 = 1 OR id IN (SELECT store_id FROM staff_stores WHERE staff_id = $3)) \
         ORDER BY position, id",
    )
    .bind(staff.dealer_id)
    .bind(i64::from(staff.manages()))
    .bind(staff.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(StaffMe {
        staff: StaffRef {
            id: staff.id,
            name: staff.name.clone(),
            role: staff.role,
        },
        dealer_slug: slug,
        dealer_name: name,
        brand_color: color,
        stores: stores
            .into_iter()
            .map(|(id, name, address, city, phone, opening_hours)| Store {
                id,
                name,
                address,
                city,
                phone,
                opening_hours,
            })
            .collect(),
    })
}

/// The dealer's active consultants.
pub async fn consultants(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<StaffRef>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM staff WHERE dealer_id = $1 AND role = 'consultant' AND active = 1 ORDER BY id",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| StaffRef {
            id,
            name,
            role: Role::Consultant,
        })
        .collect())
}

/// The key of the staff id in a session's data.
pub const SESSION_STAFF: &str = "staff_id";

/// The name of the staff session's cookie.
pub const SESSION_COOKIE: &str = "chelink_staff";

/// The dealer of the staff member whose live session `id` is, read straight from the store:
/// for `/s/{code}`, which runs outside the session layer so a click without the cookie
/// costs nothing.
pub async fn dealer_of_session(db: &Db, id: &str, now_secs: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT s.dealer_id FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id \
         WHERE ss.id = $1 AND ss.expires_at > $2 AND s.active = 1",
    )
    .bind(id)
    .bind(now_secs)
    .fetch_optional(&db.pool)
    .await
}

/// `tower-sessions` records in `staff_sessions`, with the staff id in a column of its own so
/// a password change can end every session of one person.
#[derive(Clone, Debug)]
pub struct DbSessions(pub Db);

fn backend(e: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id until one is free (ids are 128 random bits: a collision is a formality).
        loop {
            let taken: Option<String> =
                sqlx::query_scalar("SELECT id FROM staff_sessions WHERE id = $1")
                    .bind(record.id.to_string())
                    .fetch_optional(&self.0.pool)
                    .await
                    .map_err(backend)?;
            if taken.is_none() {
                break;
            }
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let staff_id = record.data.get(SESSION_STAFF).and_then(|v| v.as_i64());
        sqlx::query(
            "INSERT INTO staff_sessions (id, staff_id, data, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET staff_id = excluded.staff_id, data = excluded.data, \
             expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(staff_id)
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .execute(&self.0.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT data, expires_at FROM staff_sessions WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&self.0.pool)
                .await
                .map_err(backend)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if expiry_date <= time::OffsetDateTime::now_utc() {
            self.delete(id).await?;
            return Ok(None);
        }
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM staff_sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.0.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("chelink-demo-2026").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify("chelink-demo-2026", &hash));
        assert!(!verify("chelink-demo-2027", &hash));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn lockout_backs_off_and_caps_at_an_hour() {
        assert_eq!(lockout_millis(4), 0);
        assert_eq!(lockout_millis(5), 60_000);
        assert_eq!(lockout_millis(6), 120_000);
        assert_eq!(lockout_millis(8), 480_000);
        assert_eq!(lockout_millis(30), 3_600_000);
    }
}
