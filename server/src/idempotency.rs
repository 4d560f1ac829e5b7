//! Requests made safe to retry by an `Idempotency-Key`: the key is claimed as the first write
//! of the transaction that does the work, so of any number of retries sent at once exactly one
//! does it and every other one replays its answer, on SQLite and PostgreSQL alike.

use sqlx::AnyConnection;

/// A key sent with a request, and the hash of the request it came with.
#[derive(Clone, Debug)]
pub struct Key<'a> {
    pub key: &'a str,
    pub request_hash: String,
}

/// What claiming a key found.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// Nobody had it: this transaction does the work, and its answer is `code`.
    Fresh,
    /// The same request already did the work: its answer (a booking code).
    Replay(String),
    /// The key was used for another request.
    Reused,
}

/// Claims `key` for the answer `code` inside the caller's transaction (its first write).
///
/// On PostgreSQL the insert of a key another transaction holds waits for that transaction:
/// once it commits the key is there and its answer is replayed; if it rolls back, this one
/// claims the key. On SQLite writers are serialised (`BEGIN IMMEDIATE`), so the insert sees
/// every committed claim. Either way a retry never races the first request into a refusal.
pub async fn claim(
    conn: &mut AnyConnection,
    dealer_id: i64,
    key: &Key<'_>,
    code: &str,
    now: i64,
) -> sqlx::Result<Claim> {
    let inserted = sqlx::query(
        "INSERT INTO idempotent_requests (dealer_id, idem_key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, 201, $4, $5) ON CONFLICT (dealer_id, idem_key) DO NOTHING",
    )
    .bind(dealer_id)
    .bind(key.key)
    .bind(&key.request_hash)
    .bind(code)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Fresh);
    }
    let first: Option<(String, String)> = sqlx::query_as(
        "SELECT request_hash, body FROM idempotent_requests WHERE dealer_id = $1 AND idem_key = $2",
    )
    .bind(dealer_id)
    .bind(key.key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match first {
        Some((hash, code)) if hash == key.request_hash => Claim::Replay(code),
        _ => Claim::Reused,
    })
}

/// What a key was first used for, outside any transaction: the request's hash and its answer.
/// A quick look before the work; [`claim`] is what decides.
pub async fn first_use(
    pool: &sqlx::AnyPool,
    dealer_id: i64,
    key: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT request_hash, body FROM idempotent_requests WHERE dealer_id = $1 AND idem_key = $2",
    )
    .bind(dealer_id)
    .bind(key)
    .fetch_optional(pool)
    .await
}
