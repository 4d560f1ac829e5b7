//! Running a dealer's staff: the list, adding someone (with a one-time sign-in link), changing
//! a role and stores, a password reset (a new link) and disabling, each in one transaction
//! that also writes the audit log (who, what, when, before → after as JSON). The rules: a
//! manager adds and changes consultants and service advisors only; the dealer keeps at least
//! one active admin; everything is scoped to the caller's dealer.

use std::collections::BTreeMap;

use shared::console::Role;
use shared::staff::{AuditAction, AuditEntry, NewStaff, StaffChange, StaffMember, StaffSnapshot};
use shared::ApiError;
use sqlx::{Any, Transaction};

use crate::db::Db;
use crate::sign_in_links::{self, Issued};
use crate::staff::Staff;

/// Why a change to staff was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// No such staff member or store at the caller's dealer (404).
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// The caller's role may not do this to this role (403).
    #[error("forbidden: {0}")]
    Forbidden(ApiError),
    /// A rule: the last admin, oneself, a disabled colleague (422 with the field).
    #[error("invalid: {0}")]
    Invalid(ApiError),
    /// A login or name already in use (409 with the field).
    #[error("taken: {0}")]
    Taken(ApiError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Who made a change: a signed-in staff member, or the operator on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff(i64),
    Operator,
}

impl Actor {
    fn id(self) -> Option<i64> {
        match self {
            Self::Staff(id) => Some(id),
            Self::Operator => None,
        }
    }
}

/// One line of the audit log, as written.
#[derive(Clone, Debug)]
pub struct Audit {
    pub dealer_id: i64,
    pub staff_id: i64,
    pub actor: Option<i64>,
    pub action: AuditAction,
    pub before: Option<StaffSnapshot>,
    pub after: Option<StaffSnapshot>,
    pub at: i64,
}

/// The one writer of `staff_audit`, inside the change's own transaction.
pub async fn audit(tx: &mut Transaction<'static, Any>, entry: Audit) -> sqlx::Result<()> {
    let json = |s: &Option<StaffSnapshot>| {
        s.as_ref()
            .map(|s| serde_json::to_string(s).unwrap_or_default())
    };
    sqlx::query(
        "INSERT INTO staff_audit (dealer_id, staff_id, actor_id, action, before, after, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.dealer_id)
    .bind(entry.staff_id)
    .bind(entry.actor)
    .bind(entry.action.as_str())
    .bind(json(&entry.before))
    .bind(json(&entry.after))
    .bind(entry.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stores a staff member works at, by id.
async fn store_ids_of(tx: &mut Transaction<'static, Any>, staff_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT store_id FROM staff_stores WHERE staff_id = $1 ORDER BY store_id")
        .bind(staff_id)
        .fetch_all(&mut **tx)
        .await
}

/// A staff member's dealer and how they are now (inside a transaction).
pub async fn snapshot(
    tx: &mut Transaction<'static, Any>,
    staff_id: i64,
) -> sqlx::Result<(i64, StaffSnapshot)> {
    let (dealer_id, name, login, role, active): (i64, String, Option<String>, String, i64) =
        sqlx::query_as("SELECT dealer_id, name, login, role, active FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_one(&mut **tx)
            .await?;
    let store_ids = store_ids_of(tx, staff_id).await?;
    Ok((
        dealer_id,
        StaffSnapshot {
            name,
            login: login.unwrap_or_default(),
            role: Role::parse(&role).unwrap_or(Role::Consultant),
            store_ids,
            active: active == 1,
        },
    ))
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    name: String,
    login: Option<String>,
    role: String,
    phone: String,
    wechat: Option<String>,
    active: i64,
    disabled_at: Option<i64>,
    has_password: i64,
}

const MEMBER_COLUMNS: &str = "id, name, login, role, phone, wechat, active, disabled_at, \
     CAST(CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password";

fn member(row: MemberRow, stores: &mut BTreeMap<i64, Vec<i64>>) -> StaffMember {
    StaffMember {
        id: row.id,
        name: row.name,
        login: row.login.unwrap_or_default(),
        role: Role::parse(&row.role).unwrap_or(Role::Consultant),
        store_ids: stores.remove(&row.id).unwrap_or_default(),
        phone: row.phone,
        wechat: row.wechat,
        active: row.active == 1,
        disabled_at: row.disabled_at,
        has_password: row.has_password == 1,
    }
}

/// Every staff member of the dealer: the active first, then the disabled, each by id.
pub async fn list(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<StaffMember>> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM staff WHERE dealer_id = $1 ORDER BY active DESC, id"
    ))
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let links: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT ss.staff_id, ss.store_id FROM staff_stores ss \
         JOIN staff s ON s.id = ss.staff_id WHERE s.dealer_id = $1 ORDER BY ss.store_id",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let mut stores: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (staff_id, store_id) in links {
        stores.entry(staff_id).or_default().push(store_id);
    }
    Ok(rows.into_iter().map(|r| member(r, &mut stores)).collect())
}

/// One staff member of the dealer, inside a transaction.
async fn member_in(
    tx: &mut Transaction<'static, Any>,
    dealer_id: i64,
    staff_id: i64,
) -> sqlx::Result<Option<StaffMember>> {
    let row: Option<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM staff WHERE id = $1 AND dealer_id = $2"
    ))
    .bind(staff_id)
    .bind(dealer_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut stores = BTreeMap::from([(staff_id, store_ids_of(tx, staff_id).await?)]);
    Ok(Some(member(row, &mut stores)))
}

/// A write transaction that holds the dealer's row: staff changes of one dealer run one at a
/// time, so two admins disabling each other cannot both pass the last-admin check.
async fn begin_for_dealer(db: &Db, dealer_id: i64) -> sqlx::Result<Transaction<'static, Any>> {
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("UPDATE dealers SET slug = slug WHERE id = $1")
        .bind(dealer_id)
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// The refusal when `by` may not act on someone with `role`.
fn may_grant(by: Role, role: Role) -> Result<(), Refused> {
    if by.may_grant(role) {
        return Ok(());
    }
    Err(Refused::Forbidden(ApiError {
        code: "forbidden".into(),
        message: format!(
            "{}只能管理销售顾问和服务顾问，不能设置或管理{}",
            by.label(),
            role.label()
        ),
        field: Some("role".into()),
    }))
}

/// Every store id belongs to the dealer, else 404.
async fn check_stores(
    tx: &mut Transaction<'static, Any>,
    dealer_id: i64,
    store_ids: &[i64],
) -> Result<(), Refused> {
    for &store_id in store_ids {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM stores WHERE id = $1 AND dealer_id = $2")
                .bind(store_id)
                .bind(dealer_id)
                .fetch_optional(&mut **tx)
                .await?;
        if found.is_none() {
            return Err(Refused::NotFound("未找到该门店"));
        }
    }
    Ok(())
}

async fn write_stores(
    tx: &mut Transaction<'static, Any>,
    staff_id: i64,
    store_ids: &[i64],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM staff_stores WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut **tx)
        .await?;
    for &store_id in store_ids {
        sqlx::query("INSERT INTO staff_stores (staff_id, store_id) VALUES ($1, $2)")
            .bind(staff_id)
            .bind(store_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Adds a staff member to `dealer_id` inside `tx` (the dealer's first admin from the command
/// line, or a colleague from the console): the login unique everywhere and the name within
/// the dealer (409 on the field), the stores the dealer's own; audited, with a one-time link.
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    dealer_id: i64,
    new: &NewStaff,
    actor: Actor,
    now: i64,
) -> Result<(i64, Issued), Refused> {
    let login_taken: Option<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE login = $1")
        .bind(&new.login)
        .fetch_optional(&mut **tx)
        .await?;
    if login_taken.is_some() {
        return Err(Refused::Taken(ApiError::invalid(
            "login",
            format!("登录账号“{}”已被使用，请换一个", new.login),
        )));
    }
    let name_taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM staff WHERE dealer_id = $1 AND name = $2")
            .bind(dealer_id)
            .bind(&new.name)
            .fetch_optional(&mut **tx)
            .await?;
    if name_taken.is_some() {
        return Err(Refused::Taken(ApiError::invalid(
            "name",
            format!("本店已有名为“{}”的员工，请加以区分", new.name),
        )));
    }
    check_stores(tx, dealer_id, &new.store_ids).await?;
    let staff_id: i64 = sqlx::query_scalar(
        "INSERT INTO staff (dealer_id, role, name, phone, login, title, wechat) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(dealer_id)
    .bind(new.role.as_str())
    .bind(&new.name)
    .bind(&new.phone)
    .bind(&new.login)
    .bind(new.role.label())
    .bind(new.wechat.as_deref())
    .fetch_one(&mut **tx)
    .await?;
    write_stores(tx, staff_id, &new.store_ids).await?;
    let (_, after) = snapshot(tx, staff_id).await?;
    audit(
        tx,
        Audit {
            dealer_id,
            staff_id,
            actor: actor.id(),
            action: AuditAction::Added,
            before: None,
            after: Some(after),
            at: now,
        },
    )
    .await?;
    let link = sign_in_links::issue(tx, staff_id, now).await?;
    Ok((staff_id, link))
}

/// Adds a colleague of `by`'s dealer (`new` already validated): a manager may add only
/// consultants and service advisors.
pub async fn add(
    db: &Db,
    by: &Staff,
    new: &NewStaff,
    now: i64,
) -> Result<(StaffMember, Issued), Refused> {
    may_grant(by.role, new.role)?;
    let mut tx = begin_for_dealer(db, by.dealer_id).await?;
    let (staff_id, link) = insert(&mut tx, by.dealer_id, new, Actor::Staff(by.id), now).await?;
    let member = member_in(&mut tx, by.dealer_id, staff_id)
        .await?
        .ok_or(Refused::NotFound("未找到该员工"))?;
    tx.commit().await?;
    Ok((member, link))
}

/// The colleague `staff_id` of `by`'s dealer whom `by` may manage, inside `tx`.
async fn target(
    tx: &mut Transaction<'static, Any>,
    by: &Staff,
    staff_id: i64,
) -> Result<StaffMember, Refused> {
    let member = member_in(tx, by.dealer_id, staff_id)
        .await?
        .ok_or(Refused::NotFound("未找到该员工"))?;
    may_grant(by.role, member.role)?;
    Ok(member)
}

/// Whether `staff_id` is the dealer's only active admin.
async fn last_admin(
    tx: &mut Transaction<'static, Any>,
    dealer_id: i64,
    staff_id: i64,
) -> sqlx::Result<bool> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff WHERE dealer_id = $1 AND role = 'admin' AND active = 1 \
         AND id <> $2",
    )
    .bind(dealer_id)
    .bind(staff_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(others == 0)
}

/// Changes a colleague's role and stores; audited when anything changed.
pub async fn change(
    db: &Db,
    by: &Staff,
    staff_id: i64,
    change: &StaffChange,
    now: i64,
) -> Result<StaffMember, Refused> {
    let change = change.cleaned();
    let mut tx = begin_for_dealer(db, by.dealer_id).await?;
    let member = target(&mut tx, by, staff_id).await?;
    may_grant(by.role, change.role)?;
    if member.role == Role::Admin
        && change.role != Role::Admin
        && member.active
        && last_admin(&mut tx, by.dealer_id, staff_id).await?
    {
        return Err(Refused::Invalid(ApiError::invalid(
            "role",
            "这是本店唯一的管理员，不能改为其他角色：请先设置另一位管理员",
        )));
    }
    check_stores(&mut tx, by.dealer_id, &change.store_ids).await?;
    let (dealer_id, before) = snapshot(&mut tx, staff_id).await?;
    sqlx::query("UPDATE staff SET role = $1 WHERE id = $2")
        .bind(change.role.as_str())
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    write_stores(&mut tx, staff_id, &change.store_ids).await?;
    finish(
        tx,
        by,
        staff_id,
        AuditAction::Changed,
        (dealer_id, before),
        now,
    )
    .await
}

/// Ends `by`'s change to `staff_id`: the audit entry from `before` to how they are now (none
/// when nothing changed), then commits; their row as the page lists it.
async fn finish(
    mut tx: Transaction<'static, Any>,
    by: &Staff,
    staff_id: i64,
    action: AuditAction,
    (dealer_id, before): (i64, StaffSnapshot),
    now: i64,
) -> Result<StaffMember, Refused> {
    let (_, after) = snapshot(&mut tx, staff_id).await?;
    if after != before {
        audit(
            &mut tx,
            Audit {
                dealer_id,
                staff_id,
                actor: Some(by.id),
                action,
                before: Some(before),
                after: Some(after),
                at: now,
            },
        )
        .await?;
    }
    let member = member_in(&mut tx, by.dealer_id, staff_id)
        .await?
        .ok_or(Refused::NotFound("未找到该员工"))?;
    tx.commit().await?;
    Ok(member)
}

/// Disables a colleague at once: sign-in refused, every session and unused link ended; their
/// showcase and share links stay (the dealer hands their customers over). Disabling someone
/// already disabled changes nothing.
pub async fn disable(db: &Db, by: &Staff, staff_id: i64, now: i64) -> Result<StaffMember, Refused> {
    let mut tx = begin_for_dealer(db, by.dealer_id).await?;
    let member = target(&mut tx, by, staff_id).await?;
    if !member.active {
        return Ok(member);
    }
    if member.role == Role::Admin && last_admin(&mut tx, by.dealer_id, staff_id).await? {
        return Err(Refused::Invalid(ApiError::invalid(
            "active",
            "这是本店唯一的管理员，不能停用：请先设置另一位管理员",
        )));
    }
    if staff_id == by.id {
        return Err(Refused::Invalid(ApiError::invalid(
            "active",
            "不能停用自己的账号",
        )));
    }
    let (dealer_id, before) = snapshot(&mut tx, staff_id).await?;
    sqlx::query("UPDATE staff SET active = 0, disabled_at = $1 WHERE id = $2")
        .bind(now)
        .bind(staff_id)
        .execute(&mut *tx)
        .await?;
    sign_in_links::end_sessions(&mut tx, staff_id).await?;
    sign_in_links::revoke_all(&mut tx, staff_id, now).await?;
    finish(
        tx,
        by,
        staff_id,
        AuditAction::Disabled,
        (dealer_id, before),
        now,
    )
    .await
}

/// A password reset inside `tx`: a new one-time link (the old password and every session
/// end), audited.
pub async fn reset_in(
    tx: &mut Transaction<'static, Any>,
    staff_id: i64,
    actor: Actor,
    now: i64,
) -> sqlx::Result<Issued> {
    let (dealer_id, _) = snapshot(tx, staff_id).await?;
    let link = sign_in_links::issue(tx, staff_id, now).await?;
    audit(
        tx,
        Audit {
            dealer_id,
            staff_id,
            actor: actor.id(),
            action: AuditAction::LinkIssued,
            before: None,
            after: None,
            at: now,
        },
    )
    .await?;
    Ok(link)
}

/// Resets a colleague's password from the console: a new one-time link.
pub async fn reset(db: &Db, by: &Staff, staff_id: i64, now: i64) -> Result<Issued, Refused> {
    let mut tx = begin_for_dealer(db, by.dealer_id).await?;
    let member = target(&mut tx, by, staff_id).await?;
    if !member.active {
        return Err(Refused::Invalid(ApiError::invalid(
            "active",
            "该员工已停用，不能重置密码",
        )));
    }
    let link = reset_in(&mut tx, staff_id, Actor::Staff(by.id), now).await?;
    tx.commit().await?;
    Ok(link)
}

/// The dealer's audit log, newest first (at most the last 500 entries).
pub async fn audit_log(db: &Db, dealer_id: i64) -> sqlx::Result<Vec<AuditEntry>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        at: i64,
        actor: Option<String>,
        staff_id: i64,
        staff_name: String,
        action: String,
        before: Option<String>,
        after: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.at, actor.name AS actor, a.staff_id, s.name AS staff_name, a.action, \
         a.before, a.after FROM staff_audit a JOIN staff s ON s.id = a.staff_id \
         LEFT JOIN staff actor ON actor.id = a.actor_id \
         WHERE a.dealer_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT 500",
    )
    .bind(dealer_id)
    .fetch_all(&db.pool)
    .await?;
    let snapshot = |json: Option<String>| json.and_then(|j| serde_json::from_str(&j).ok());
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AuditEntry {
                id: r.id,
                at: r.at,
                actor: r.actor,
                staff_id: r.staff_id,
                staff_name: r.staff_name,
                action: AuditAction::parse(&r.action)?,
                before: snapshot(r.before),
                after: snapshot(r.after),
            })
        })
        .collect())
}
