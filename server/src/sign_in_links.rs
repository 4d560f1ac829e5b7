//! One-time sign-in links: a random token for one staff member, of which only the SHA-256 is
//! kept, valid 24 hours and opened once. Issuing one voids the person's older links, forgets
//! their password and ends their sessions (a reset); redeeming it sets the password they chose,
//! ends every other session and is written to the staff audit log, all in one transaction.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::staff::{AuditAction, Invitation};
use sqlx::{Any, Transaction};

use crate::db::Db;
use crate::staff_admin;

/// How long a link opens: 24 hours.
pub const VALID_MILLIS: i64 = 24 * 3_600_000;

/// Where a link leads, under the console: `/console/welcome/{token}`.
pub const PATH_PREFIX: &str = "/console/welcome/";

/// A link just issued: the token (never stored) and when it stops opening.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub token: String,
    pub expires_at: i64,
}

impl Issued {
    /// The link's path on the server (`/console/welcome/{token}`).
    pub fn path(&self) -> String {
        format!("{PATH_PREFIX}{}", self.token)
    }
}

/// What a token is worth now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Unused and in time: whom it is for.
    Open(Invitation),
    /// It was a link, and is over: used, expired, superseded or its person disabled.
    Gone,
    /// No link ever had this token.
    Unknown,
}

/// The hex SHA-256 of a token, as stored.
fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh token: 32 random bytes from the OS, URL-safe base64 (43 characters).
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether `token` could be a token at all (43 URL-safe characters): anything else is
/// answered as unknown without asking the database.
fn is_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Issues a link for `staff_id` inside `tx`: their older unused links are voided, their
/// password is forgotten and every session of theirs ends, so only the new link signs them
/// in. The caller writes the audit entry (it knows why).
pub async fn issue(
    tx: &mut Transaction<'static, Any>,
    staff_id: i64,
    now: i64,
) -> sqlx::Result<Issued> {
    revoke_all(tx, staff_id, now).await?;
    sqlx::query("UPDATE staff SET password_hash = NULL WHERE id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    end_sessions(tx, staff_id).await?;
    let issued = Issued {
        token: new_token(),
        expires_at: now + VALID_MILLIS,
    };
    sqlx::query(
        "INSERT INTO sign_in_links (staff_id, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(staff_id)
    .bind(digest(&issued.token))
    .bind(now)
    .bind(issued.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(issued)
}

/// Voids every unused link of `staff_id` (a newer one is issued, or they were disabled).
pub async fn revoke_all(
    tx: &mut Transaction<'static, Any>,
    staff_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sign_in_links SET revoked_at = $1 \
         WHERE staff_id = $2 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(staff_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends every session of `staff_id` on every instance.
pub async fn end_sessions(tx: &mut Transaction<'static, Any>, staff_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM staff_sessions WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether `token` opens now, and for whom.
pub async fn look_up(db: &Db, token: &str, now: i64) -> sqlx::Result<LinkState> {
    if !is_token(token) {
        return Ok(LinkState::Unknown);
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        expires_at: i64,
        used_at: Option<i64>,
        revoked_at: Option<i64>,
        active: i64,
        name: String,
        login: String,
        dealer_name: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT l.expires_at, l.used_at, l.revoked_at, s.active, s.name, s.login, \
         d.name AS dealer_name FROM sign_in_links l JOIN staff s ON s.id = l.staff_id \
         JOIN dealers d ON d.id = s.dealer_id WHERE l.token_hash = $1",
    )
    .bind(digest(token))
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        None => LinkState::Unknown,
        Some(r)
            if r.used_at.is_none()
                && r.revoked_at.is_none()
                && r.active == 1
                && r.expires_at > now =>
        {
            LinkState::Open(Invitation {
                name: r.name,
                login: r.login,
                dealer_name: r.dealer_name,
                expires_at: r.expires_at,
            })
        }
        Some(_) => LinkState::Gone,
    })
}

/// Redeems `token` with the hash of the password its person chose: the link is used up (only
/// one of two racing redemptions wins), the password set, every session of theirs ended and
/// the change audited, in one transaction. The staff id to sign in, or why not.
pub async fn redeem(
    db: &Db,
    token: &str,
    password_hash: &str,
    now: i64,
) -> sqlx::Result<Result<i64, LinkState>> {
    if !is_token(token) {
        return Ok(Err(LinkState::Unknown));
    }
    let mut tx = crate::db::begin_write(db).await?;
    let used: Option<i64> = sqlx::query_scalar(
        "UPDATE sign_in_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND revoked_at IS NULL AND expires_at > $1 \
         AND staff_id IN (SELECT id FROM staff WHERE active = 1) RETURNING staff_id",
    )
    .bind(now)
    .bind(digest(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(staff_id) = used else {
        drop(tx);
        let state = match look_up(db, token, now).await? {
            LinkState::Unknown => LinkState::Unknown,
            _ => LinkState::Gone,
        };
        return Ok(Err(state));
    };
    sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    end_sessions(&mut tx, staff_id).await?;
    let snapshot = staff_admin::snapshot(&mut tx, staff_id).await?;
    staff_admin::audit(
        &mut tx,
        staff_admin::Audit {
            dealer_id: snapshot.0,
            staff_id,
            actor: Some(staff_id),
            action: AuditAction::PasswordSet,
            before: None,
            after: None,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(staff_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_their_digest() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(is_token(&a) && is_token(&b), "{a}");
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
        for not in ["", "abc", &format!("{a}x"), &format!("{}/", &a[..42])] {
            assert!(!is_token(not), "{not}");
        }
    }
}
