//! Staff accounts: argon2id password hashes (the `argon2` crate), computed on the blocking
//! pool a few at a time; sign-in that counts every failure atomically per login (known or
//! not: an unknown login answers, waits and locks exactly like a known one) and per address,
//! locking with backoff; password changes that end every session; and the database store
//! behind `tower-sessions`, so sessions hold on every instance and can be ended server-side.

use std::net::IpAddr;
use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use async_trait::async_trait;
use shared::catalog::Store;
use shared::console::{Role, StaffMe, StaffRef};
use tokio::sync::Semaphore;
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

/// Runs argon2 on the blocking pool, at most one hash per core at a time: a burst of
/// sign-ins waits its turn there instead of taking the async workers that answer consumers'
/// pages (24 sign-ins at once on the workers took a catalogue read from 1–5 ms to 540–700 ms).
#[derive(Clone, Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
}

impl Hasher {
    /// At most `concurrent` hashes at once (at least one).
    pub fn new(concurrent: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrent.max(1))),
        }
    }

    /// One hash at a time per core.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, usize::from))
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(work).await?)
    }

    /// Whether `password` matches the PHC string `hash`; with no hash, a dummy one is checked
    /// (and fails) in the same time, so an unknown login answers as slowly as a known one.
    pub async fn verify(&self, password: &str, hash: Option<String>) -> anyhow::Result<bool> {
        let password = password.to_string();
        self.run(move || match hash {
            Some(hash) => verify(&password, &hash),
            None => {
                let _ = verify(&password, &DUMMY);
                false
            }
        })
        .await
    }

    /// The argon2id hash of `password`, with a fresh salt.
    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_string();
        self.run(move || hash_password(&password)).await?
    }
}

/// Failures allowed before a login locks.
pub const FREE_FAILURES: i64 = 5;

/// A login's failures are forgotten a day after its last one.
pub const FAILURES_KEPT_MILLIS: i64 = 24 * 3_600_000;

/// Failures one address may send per window before it waits for the window's end: enough
/// for a dealer's office behind one address, too few to spray a password over many logins.
pub const ADDRESS_FAILURES: i64 = 30;
pub const ADDRESS_WINDOW_MILLIS: i64 = 15 * 60_000;

/// The longest login kept as a key; longer ones share the counter of their first characters.
const LOGIN_KEY_CHARS: usize = 64;

/// How long a login stays locked after `failures` failures in a row: one minute at the
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
    /// The login is locked for this many more milliseconds.
    Locked(i64),
    /// The address sent too many failures: it waits this many milliseconds.
    Throttled(i64),
    /// The right password for a disabled account (停用).
    Disabled,
}

/// A precomputed hash to verify against for unknown logins, so they take as long as known ones.
static DUMMY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("no such account").unwrap_or_default());

/// `de***in`: enough of a login for the logs to tell attempts apart, not enough to read it.
pub fn mask(login: &str) -> String {
    let chars: Vec<char> = login.chars().collect();
    match chars.len() {
        0 => String::new(),
        n if n <= 4 => format!("{}***", chars[0]),
        n => format!(
            "{}***{}",
            chars[..2].iter().collect::<String>(),
            chars[n - 2..].iter().collect::<String>()
        ),
    }
}

/// The key an address's failures are counted under: the address itself, or for IPv6 its /64
/// (one household or phone gets a whole /64).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Checks a sign-in from `address`. Every refusal (a wrong password, or any password while
/// the login is locked) is counted in one statement, so parallel guesses each count, for the
/// login as typed, whether or not it exists, and for the address; a login locks with backoff,
/// an address waits for its window to end. The hash is verified on the blocking pool; an
/// unknown login is verified against a dummy hash.
pub async fn sign_in(
    db: &Db,
    hasher: &Hasher,
    login: &str,
    password: &str,
    address: Option<&str>,
    now: i64,
) -> anyhow::Result<SignedIn> {
    if let Some(address) = address {
        let window: Option<(i64, i64)> = sqlx::query_as(
            "SELECT window_start, failures FROM sign_in_addresses WHERE address = $1",
        )
        .bind(address)
        .fetch_optional(&db.pool)
        .await?;
        if let Some((start, failures)) = window {
            let ends = start + ADDRESS_WINDOW_MILLIS;
            if failures >= ADDRESS_FAILURES && ends > now {
                return Ok(SignedIn::Throttled(ends - now));
            }
        }
    }
    let key: String = login.chars().take(LOGIN_KEY_CHARS).collect();
    if locked(db, &key, now).await?.is_some() {
        return refused(db, &key, address, now).await;
    }
    let account: Option<(i64, Option<String>, i64)> =
        sqlx::query_as("SELECT id, password_hash, active FROM staff WHERE login = $1")
            .bind(login)
            .fetch_optional(&db.pool)
            .await?;
    let (id, hash, active) = match account {
        Some((id, Some(hash), active)) => (Some(id), Some(hash), active == 1),
        _ => (None, None, false),
    };
    let right = hasher.verify(password, hash).await?;
    match id {
        // Only the right password learns that the account is disabled.
        Some(_) if right && !active => Ok(SignedIn::Disabled),
        Some(id) if right => {
            sqlx::query("DELETE FROM sign_in_failures WHERE login = $1 AND locked_until <= $2")
                .bind(&key)
                .bind(now)
                .execute(&db.writer)
                .await?;
            // A lock that landed while the password was being checked still holds.
            Ok(match locked(db, &key, now).await? {
                Some(wait) => SignedIn::Locked(wait),
                None => SignedIn::Yes(id),
            })
        }
        _ => refused(db, &key, address, now).await,
    }
}

/// Counts a refused sign-in for the login `key` and the address, and locks the login when it
/// has failed too often: `No`, or `Locked` with the wait.
async fn refused(db: &Db, key: &str, address: Option<&str>, now: i64) -> anyhow::Result<SignedIn> {
    let failures: i64 = sqlx::query_scalar(
        "INSERT INTO sign_in_failures (login, failures, last_failed_at, locked_until) \
         VALUES ($1, 1, $2, 0) \
         ON CONFLICT (login) DO UPDATE SET \
         failures = CASE WHEN sign_in_failures.last_failed_at < $3 THEN 1 \
         ELSE sign_in_failures.failures + 1 END, last_failed_at = $2 \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(now - FAILURES_KEPT_MILLIS)
    .fetch_one(&db.writer)
    .await?;
    if let Some(address) = address {
        sqlx::query(
            "INSERT INTO sign_in_addresses (address, window_start, failures) VALUES ($1, $2, 1) \
             ON CONFLICT (address) DO UPDATE SET \
             window_start = CASE WHEN sign_in_addresses.window_start <= $3 THEN $2 \
             ELSE sign_in_addresses.window_start END, \
             failures = CASE WHEN sign_in_addresses.window_start <= $3 THEN 1 \
             ELSE sign_in_addresses.failures + 1 END",
        )
        .bind(address)
        .bind(now)
        .bind(now - ADDRESS_WINDOW_MILLIS)
        .execute(&db.writer)
        .await?;
    }
    let lock = lockout_millis(failures);
    if lock == 0 {
        tracing::warn!(login = %mask(key), failures, address = ?address, "staff sign-in failed");
        return Ok(SignedIn::No);
    }
    // Only the refusal that finds the login unlocked starts a lockout, and logs it; those
    // during it (or racing it) only lengthen it, silently.
    let started = sqlx::query(
        "UPDATE sign_in_failures SET locked_until = $1 WHERE login = $2 AND locked_until <= $3",
    )
    .bind(now + lock)
    .bind(key)
    .bind(now)
    .execute(&db.writer)
    .await?
    .rows_affected()
        == 1;
    if started {
        tracing::warn!(
            login = %mask(key),
            failures,
            address = ?address,
            minutes = lock / 60_000,
            "staff sign-in locked after repeated failures"
        );
    } else {
        sqlx::query(
            "UPDATE sign_in_failures SET locked_until = $1 WHERE login = $2 AND locked_until < $1",
        )
        .bind(now + lock)
        .bind(key)
        .execute(&db.writer)
        .await?;
    }
    Ok(SignedIn::Locked(
        locked(db, key, now).await?.unwrap_or(lock),
    ))
}

/// How much longer the login `key` is locked, if it is.
async fn locked(db: &Db, key: &str, now: i64) -> sqlx::Result<Option<i64>> {
    let until: Option<i64> =
        sqlx::query_scalar("SELECT locked_until FROM sign_in_failures WHERE login = $1")
            .bind(key)
            .fetch_optional(&db.pool)
            .await?;
    Ok(until.filter(|&until| until > now).map(|until| until - now))
}

/// Sets a new password when the current one is right, and ends every session of the staff
/// member; `false` when the current password is wrong.
pub async fn change_password(
    db: &Db,
    hasher: &Hasher,
    staff_id: i64,
    current: &str,
    new: &str,
) -> anyhow::Result<bool> {
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
        .bind(staff_id)
        .fetch_one(&db.pool)
        .await?;
    if !hasher.verify(current, hash).await? {
        return Ok(false);
    }
    let new_hash = hasher.hash(new).await?;
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(new_hash)
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

    /// Whether this staff member sees in full a phone (or VIN) assigned to `assigned`
    /// (`shared::contact::sees_phone`).
    pub fn sees_phone(&self, assigned: Option<i64>) -> bool {
        shared::contact::sees_phone(self.role, self.id, assigned)
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
    fn logs_see_a_masked_login_and_an_ipv6_household() {
        assert_eq!(mask("demo-admin"), "de***in");
        assert_eq!(mask("王小明同学"), "王小***同学");
        assert_eq!(mask("abc"), "a***");
        assert_eq!(mask(""), "");
        assert_eq!(address_key("10.1.2.3".parse().unwrap()), "10.1.2.3");
        assert_eq!(address_key("::ffff:10.1.2.3".parse().unwrap()), "10.1.2.3");
        assert_eq!(
            address_key("2408:8000:1:2:aaaa::1".parse().unwrap()),
            "2408:8000:1:2::/64"
        );
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
