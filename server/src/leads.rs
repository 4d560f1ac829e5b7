//! Leads in the database: one per dealer and phone, created or updated by every booking and
//! enquiry inside the caller's transaction, given a consultant by the attribution rule
//! (`attribution::consultant_of`; round-robin last), and a timeline of what happened to it,
//! written only by [`Event`]. The console's side, every query scoped to the staff member's
//! dealer and, for a consultant, their own leads (another's is simply not found): the lead
//! list and a lead with its timeline, notes, calls, status changes, reassignment and 战败
//! approval.

use shared::booking::{Consultant, Contact, Origin};
use shared::console::{LeadDetail, LeadStatus, LeadSummary, Role, StaffRef, TimelineEntry};
use shared::contact::{self, phone_as_seen};
use shared::date::Date;

use crate::attribution;
use crate::clock::Clock;
use crate::console::{staff_bookings, BookingScope};
use crate::db::{self, Db};
use crate::staff::Staff;

/// Events on a lead's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Booked,
    Rescheduled,
    Cancelled,
    Enquired,
    Assigned,
    Erased,
    /// A form gave another name with the lead's phone: kept as a line (a note without an
    /// author, blanked with the notes on erasure), never as the lead's name.
    NameGiven,
    /// A staff member's note.
    Note,
    /// A staff member called the customer.
    Call,
    /// The lead's status moved (or a lost claim was made or decided, or the car delivered).
    Status,
    /// An admin handed the lead's departing consultant over to a colleague (离职继承): an
    /// assignment line that says who to whom.
    HandedOver,
    /// The customer signed up for an activity (试驾会, 车主讲堂 …): a line that says which and
    /// for how many, written by their form.
    SignedUp,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Rescheduled => "rescheduled",
            Self::Cancelled => "cancelled",
            Self::Enquired => "enquired",
            Self::Assigned | Self::HandedOver => "assigned",
            Self::Erased => "erased",
            Self::NameGiven | Self::Note | Self::SignedUp => "note",
            Self::Call => "call",
            Self::Status => "status",
        }
    }
}

/// What the new or updated lead is about.
pub struct Touch<'a> {
    pub dealer_id: i64,
    pub contact: &'a Contact,
    pub consent_version: &'a str,
    pub store_id: Option<i64>,
    pub series_id: Option<&'a str>,
    pub trim_id: Option<&'a str>,
    pub origin: &'a Origin,
    /// The visitor's anonymous id (their cookie's), for attribution.
    pub visitor: Option<&'a str>,
    pub now: i64,
}

/// A lead's id, its consultant, and what brought this visit (link, referrer, level).
pub struct Owned {
    pub lead_id: i64,
    pub consultant_id: Option<i64>,
    pub came_by: attribution::Origin,
}

/// Creates the lead for this dealer and phone, or updates it (consent, latest interest; the
/// origin stays the first one: page, button, channel, link, visitor, referrer), gives it a
/// consultant if it has none (and binds the visitor to the lead's consultant if nothing bound
/// them yet), and puts on its timeline the assignment, if one was made, and `event` with its
/// detail and visitor. A form never renames a lead: a different name typed with the lead's
/// phone is kept as a line on the timeline ("客户填写的姓名：X") for the consultant to judge.
pub async fn touch(
    conn: &mut sqlx::AnyConnection,
    t: &Touch<'_>,
    event: Event,
    detail: &str,
) -> sqlx::Result<Owned> {
    let came_by = attribution::origin(conn, t.dealer_id, t.visitor).await?;
    let known: Option<Option<String>> =
        sqlx::query_scalar("SELECT name FROM leads WHERE dealer_id = $1 AND phone = $2")
            .bind(t.dealer_id)
            .bind(&t.contact.phone)
            .fetch_optional(&mut *conn)
            .await?;
    let (lead_id, consultant_id): (i64, Option<i64>) = sqlx::query_as(
        "INSERT INTO leads (dealer_id, phone, name, store_id, series_id, trim_id, origin_page, \
         origin_button, origin_channel, consent_version, consent_at, created_at, updated_at, \
         origin_link_id, visitor, referrer, referral_level) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11, $12, $13, $14, $15) \
         ON CONFLICT (dealer_id, phone) DO UPDATE SET name = COALESCE(leads.name, excluded.name), \
         consent_version = excluded.consent_version, consent_at = excluded.consent_at, \
         updated_at = excluded.updated_at, store_id = COALESCE(excluded.store_id, leads.store_id), \
         series_id = COALESCE(excluded.series_id, leads.series_id), \
         trim_id = COALESCE(excluded.trim_id, leads.trim_id) \
         RETURNING id, consultant_id",
    )
    .bind(t.dealer_id)
    .bind(&t.contact.phone)
    .bind(&t.contact.name)
    .bind(t.store_id)
    .bind(t.series_id)
    .bind(t.trim_id)
    .bind(&t.origin.page)
    .bind(&t.origin.button)
    .bind(t.origin.channel.as_deref())
    .bind(t.consent_version)
    .bind(t.now)
    .bind(came_by.link_id)
    .bind(t.visitor)
    .bind(came_by.referrer.as_deref())
    .bind(came_by.level)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(Some(name)) = &known {
        if *name != t.contact.name {
            let line = format!("客户填写的姓名：{}", t.contact.name);
            Event::NameGiven
                .write(conn, lead_id, By::Visitor(t.visitor), &line, t.now)
                .await?;
        }
    }
    if let Some(staff_id) = consultant_id {
        if let Some(visitor) = t.visitor {
            attribution::bind(conn, t.dealer_id, visitor, staff_id, lead_id, t.now).await?;
        }
        event
            .write(conn, lead_id, By::Visitor(t.visitor), detail, t.now)
            .await?;
        return Ok(Owned {
            lead_id,
            consultant_id,
            came_by,
        });
    }
    let next = attribution::consultant_of(conn, t.dealer_id, t.visitor, t.store_id, t.now).await?;
    match &next {
        Some(assigned) => {
            sqlx::query("UPDATE leads SET consultant_id = $1, credited_by = $2 WHERE id = $3")
                .bind(assigned.staff_id)
                .bind(assigned.credit.as_str())
                .bind(lead_id)
                .execute(&mut *conn)
                .await?;
            if let Some(visitor) = t.visitor {
                attribution::bind(
                    conn,
                    t.dealer_id,
                    visitor,
                    assigned.staff_id,
                    lead_id,
                    t.now,
                )
                .await?;
            }
            let assigned_text = assigned.credit.assigned_text(&assigned.name);
            write_all(
                conn,
                lead_id,
                t.now,
                &[
                    (Event::Assigned, By::Visitor(None), &assigned_text),
                    (event, By::Visitor(t.visitor), detail),
                ],
            )
            .await?;
        }
        None => {
            event
                .write(conn, lead_id, By::Visitor(t.visitor), detail, t.now)
                .await?;
        }
    }
    Ok(Owned {
        lead_id,
        consultant_id: next.map(|a| a.staff_id),
        came_by,
    })
}

/// Who wrote an event: a visitor's form (their anonymous id, when known) or a staff member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By<'a> {
    Visitor(Option<&'a str>),
    Staff(i64),
}

impl By<'_> {
    fn staff(self) -> Option<i64> {
        match self {
            Self::Staff(id) => Some(id),
            Self::Visitor(_) => None,
        }
    }

    fn visitor(self) -> Option<String> {
        match self {
            Self::Visitor(visitor) => visitor.map(str::to_string),
            Self::Staff(_) => None,
        }
    }
}

impl Event {
    /// Adds this event to a lead's timeline, inside the caller's transaction.
    pub async fn write(
        self,
        conn: &mut sqlx::AnyConnection,
        lead_id: i64,
        by: By<'_>,
        detail: &str,
        now: i64,
    ) -> sqlx::Result<()> {
        write_all(conn, lead_id, now, &[(self, by, detail)]).await
    }
}

/// Adds events to a lead's timeline in one statement, inside the caller's transaction: the one
/// writer of `lead_events`.
pub async fn write_all(
    conn: &mut sqlx::AnyConnection,
    lead_id: i64,
    now: i64,
    events: &[(Event, By<'_>, &str)],
) -> sqlx::Result<()> {
    let rows: Vec<String> = (0..events.len())
        .map(|i| {
            let n = 3 + 4 * i;
            format!("($1, $2, ${n}, ${}, ${}, ${})", n + 1, n + 2, n + 3)
        })
        .collect();
    let sql = format!(
        "INSERT INTO lead_events (lead_id, at, kind, staff_id, detail, visitor) VALUES {}",
        rows.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(lead_id).bind(now);
    for (event, by, detail) in events {
        query = query
            .bind(event.as_str())
            .bind(by.staff())
            .bind(detail.to_string())
            .bind(by.visitor());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Blanks the staff's notes and the names forms gave (`note` events) on a lead's timeline,
/// inside the caller's transaction: a person's data erased.
pub async fn blank_notes(conn: &mut sqlx::AnyConnection, lead_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE lead_events SET detail = '' WHERE lead_id = $1 AND kind = $2")
        .bind(lead_id)
        .bind(Event::Note.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A staff member's card, as the customer sees it.
pub async fn consultant(
    conn: &mut sqlx::AnyConnection,
    staff_id: Option<i64>,
) -> sqlx::Result<Option<Consultant>> {
    let Some(staff_id) = staff_id else {
        return Ok(None);
    };
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, phone FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(name, phone)| Consultant { name, phone }))
}

/// Filters of the lead list (all optional).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct LeadFilter {
    /// new | contacted | test_driven | ordered | delivered | lost
    pub status: Option<String>,
    /// 顾问编号（经理可用）
    pub consultant: Option<i64>,
    /// 来源页面，如 model、compare
    pub origin: Option<String>,
    /// 创建日期起（含），YYYY-MM-DD
    pub from: Option<String>,
    /// 创建日期止（含），YYYY-MM-DD
    pub to: Option<String>,
    /// 姓名或手机号
    pub q: Option<String>,
}

enum Bind {
    Int(i64),
    Text(String),
}

#[derive(sqlx::FromRow)]
struct LeadRow {
    id: i64,
    name: Option<String>,
    phone: Option<String>,
    status: String,
    lost_claim: Option<String>,
    consultant_id: Option<i64>,
    consultant_name: Option<String>,
    series_name: Option<String>,
    origin_page: String,
    origin_button: String,
    origin_channel: Option<String>,
    created_at: i64,
    first_response_at: Option<i64>,
}

const LEAD_QUERY: &str = "SELECT l.id, l.name, l.phone, l.status, l.lost_claim, l.consultant_id, \
     sf.name AS consultant_name, se.name_zh AS series_name, l.origin_page, l.origin_button, \
     l.origin_channel, l.created_at, l.first_response_at \
     FROM leads l LEFT JOIN staff sf ON sf.id = l.consultant_id LEFT JOIN series se ON se.id = l.series_id";

impl LeadRow {
    fn summary(self, viewer: &Staff) -> LeadSummary {
        let phone = self
            .phone
            .map(|p| phone_as_seen(p, viewer.sees_phone(self.consultant_id)))
            .unwrap_or_default();
        LeadSummary {
            id: self.id,
            name: self.name.unwrap_or_default(),
            phone,
            status: LeadStatus::parse(&self.status).unwrap_or(LeadStatus::New),
            lost_claim: self.lost_claim,
            consultant: match (self.consultant_id, self.consultant_name) {
                (Some(id), Some(name)) => Some(StaffRef {
                    id,
                    name,
                    role: Role::Consultant,
                }),
                _ => None,
            },
            series_name: self.series_name,
            origin_page: self.origin_page,
            origin_button: self.origin_button,
            origin_channel: self.origin_channel,
            created_at: self.created_at,
            first_response_at: self.first_response_at,
        }
    }
}

/// The viewer's leads, newest first, filtered.
pub async fn leads(db: &Db, viewer: &Staff, filter: &LeadFilter) -> sqlx::Result<Vec<LeadSummary>> {
    let mut sql = format!("{LEAD_QUERY} WHERE l.dealer_id = $1");
    let mut binds = vec![Bind::Int(viewer.dealer_id)];
    let mut push = |clause: &str, bind: Bind, sql: &mut String| {
        binds.push(bind);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if !viewer.manages() {
        push(" AND l.consultant_id = ?", Bind::Int(viewer.id), &mut sql);
    } else if let Some(c) = filter.consultant {
        push(" AND l.consultant_id = ?", Bind::Int(c), &mut sql);
    }
    if let Some(s) = filter.status.as_deref().and_then(LeadStatus::parse) {
        push(" AND l.status = ?", Bind::Text(s.as_str().into()), &mut sql);
    }
    if let Some(o) = filter.origin.as_deref().filter(|o| !o.is_empty()) {
        push(" AND l.origin_page = ?", Bind::Text(o.into()), &mut sql);
    }
    if let Some(d) = filter.from.as_deref().and_then(Date::parse) {
        push(
            " AND l.created_at >= ?",
            Bind::Int(Clock::midnight(d)),
            &mut sql,
        );
    }
    if let Some(d) = filter.to.as_deref().and_then(Date::parse) {
        push(
            " AND l.created_at < ?",
            Bind::Int(Clock::midnight(d.add_days(1))),
            &mut sql,
        );
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        binds.push(Bind::Text(like));
        let n = binds.len();
        sql.push_str(&format!(" AND (l.name LIKE ${n} OR l.phone LIKE ${n})"));
    }
    sql.push_str(" ORDER BY l.created_at DESC, l.id DESC LIMIT 200");
    let mut query = sqlx::query_as::<_, LeadRow>(&sql);
    for bind in binds {
        query = match bind {
            Bind::Int(i) => query.bind(i),
            Bind::Text(t) => query.bind(t),
        };
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|r| r.summary(viewer)).collect())
}

/// One lead the viewer may open.
async fn lead_row(db: &Db, viewer: &Staff, lead_id: i64) -> sqlx::Result<Option<LeadRow>> {
    let row: Option<LeadRow> = sqlx::query_as(&format!(
        "{LEAD_QUERY} WHERE l.id = $1 AND l.dealer_id = $2 AND ($3 = 1 OR l.consultant_id = $4)"
    ))
    .bind(lead_id)
    .bind(viewer.dealer_id)
    .bind(i64::from(viewer.manages()))
    .bind(viewer.id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row)
}

/// A lead with its timeline (newest first) and bookings, or `None` when it is not the viewer's.
pub async fn lead(db: &Db, viewer: &Staff, lead_id: i64) -> sqlx::Result<Option<LeadDetail>> {
    let Some(row) = lead_row(db, viewer, lead_id).await? else {
        return Ok(None);
    };
    let events: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
        "SELECT e.at, e.kind, sf.name, e.detail FROM lead_events e LEFT JOIN staff sf ON sf.id = e.staff_id \
         WHERE e.lead_id = $1 ORDER BY e.at DESC, e.id DESC",
    )
    .bind(lead_id)
    .fetch_all(&db.pool)
    .await?;
    let timeline = events
        .into_iter()
        .map(|(at, kind, staff, detail)| TimelineEntry {
            text: event_text(&kind, &detail),
            at,
            kind,
            staff,
        })
        .collect();
    let bookings = staff_bookings(db, viewer, BookingScope::Lead(lead_id)).await?;
    Ok(Some(LeadDetail {
        phone_risk: row.phone.as_deref().and_then(contact::phone_risk_note),
        lead: row.summary(viewer),
        timeline,
        bookings,
    }))
}

/// A timeline event in Chinese: the machine details of bookings and enquiries (kept for
/// attribution) read out, the staff's own entries as written.
pub fn event_text(kind: &str, detail: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
    let field = |k: &str| {
        json.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let origin = || {
        let channel = field("channel");
        let said = shared::booking::origin_label(
            &field("page"),
            &field("button"),
            Some(channel.as_str()).filter(|c| !c.is_empty()),
        );
        if said.is_empty() {
            String::new()
        } else {
            format!("（来源 {said}）")
        }
    };
    match kind {
        "booked" => format!("预约试驾，预约码 {}{}", field("code"), origin()),
        "rescheduled" => format!("改期，预约码 {}", field("code")),
        "cancelled" => format!("取消预约，预约码 {}", field("code")),
        "enquired" => format!("询底价{}", origin()),
        "erased" => "客户删除了个人信息".into(),
        _ => detail.to_string(),
    }
}

/// Marks the lead answered (the first call or status change starts nothing if it already was);
/// a lead handed over leaves its new consultant's 今日 with their first response.
async fn responded(conn: &mut sqlx::AnyConnection, lead_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE leads SET first_response_at = COALESCE(first_response_at, $1), \
         handed_over_at = NULL WHERE id = $2",
    )
    .bind(now)
    .bind(lead_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Adds a note; `false` when the lead is not the viewer's.
pub async fn note(
    db: &Db,
    viewer: &Staff,
    lead_id: i64,
    text: &str,
    clock: Clock,
) -> sqlx::Result<bool> {
    if lead_row(db, viewer, lead_id).await?.is_none() {
        return Ok(false);
    }
    let mut tx = db::begin_write(db).await?;
    Event::Note
        .write(&mut tx, lead_id, By::Staff(viewer.id), text, clock.millis)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Records a call; `false` when the lead is not the viewer's.
pub async fn call(db: &Db, viewer: &Staff, lead_id: i64, clock: Clock) -> sqlx::Result<bool> {
    if lead_row(db, viewer, lead_id).await?.is_none() {
        return Ok(false);
    }
    let mut tx = db::begin_write(db).await?;
    Event::Call
        .write(
            &mut tx,
            lead_id,
            By::Staff(viewer.id),
            &format!("{}拨打了客户电话", viewer.name),
            clock.millis,
        )
        .await?;
    responded(&mut tx, lead_id, clock.millis).await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Changed {
    Done,
    NotFound,
    NotAllowed(LeadStatus),
}

/// Moves a lead along the pipeline. A consultant's 战败 becomes a claim for a manager to
/// approve; a manager's is final.
pub async fn change_status(
    db: &Db,
    viewer: &Staff,
    lead_id: i64,
    to: LeadStatus,
    lost_reason: Option<&str>,
    clock: Clock,
) -> sqlx::Result<Changed> {
    let Some(row) = lead_row(db, viewer, lead_id).await? else {
        return Ok(Changed::NotFound);
    };
    let from = LeadStatus::parse(&row.status).unwrap_or(LeadStatus::New);
    if !from.can_move_to(to) {
        return Ok(Changed::NotAllowed(from));
    }
    let reason = lost_reason.unwrap_or("").trim();
    let mut tx = db::begin_write(db).await?;
    if to == LeadStatus::Lost && !viewer.manages() {
        sqlx::query("UPDATE leads SET lost_claim = $1, updated_at = $2 WHERE id = $3")
            .bind(reason)
            .bind(clock.millis)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        Event::Status
            .write(
                &mut tx,
                lead_id,
                By::Staff(viewer.id),
                &format!("申请战败：{reason}（待经理审批）"),
                clock.millis,
            )
            .await?;
    } else {
        sqlx::query(
            "UPDATE leads SET status = $1, lost_reason = $2, lost_claim = NULL, updated_at = $3 WHERE id = $4",
        )
        .bind(to.as_str())
        .bind((to == LeadStatus::Lost).then_some(reason))
        .bind(clock.millis)
        .bind(lead_id)
        .execute(&mut *tx)
        .await?;
        let text = if to == LeadStatus::Lost {
            format!("{} → 战败：{reason}", from.label())
        } else {
            format!("{} → {}", from.label(), to.label())
        };
        Event::Status
            .write(&mut tx, lead_id, By::Staff(viewer.id), &text, clock.millis)
            .await?;
    }
    responded(&mut tx, lead_id, clock.millis).await?;
    tx.commit().await?;
    Ok(Changed::Done)
}

/// A manager approves a consultant's 战败 claim (the lead is lost) or sends it back; `false`
/// when there is no claim on a lead of the dealer.
pub async fn decide_lost(
    db: &Db,
    viewer: &Staff,
    lead_id: i64,
    approve: bool,
    clock: Clock,
) -> sqlx::Result<bool> {
    let Some(row) = lead_row(db, viewer, lead_id).await? else {
        return Ok(false);
    };
    let Some(reason) = row.lost_claim else {
        return Ok(false);
    };
    let mut tx = db::begin_write(db).await?;
    let text = if approve {
        sqlx::query("UPDATE leads SET status = 'lost', lost_reason = $1, lost_claim = NULL, updated_at = $2 WHERE id = $3")
            .bind(&reason)
            .bind(clock.millis)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        format!("批准战败：{reason}")
    } else {
        sqlx::query("UPDATE leads SET lost_claim = NULL, updated_at = $1 WHERE id = $2")
            .bind(clock.millis)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        format!("驳回战败申请：{reason}")
    };
    Event::Status
        .write(&mut tx, lead_id, By::Staff(viewer.id), &text, clock.millis)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// A manager gives the lead to another consultant of the dealer; `false` when the lead or
/// the consultant is not the dealer's.
pub async fn reassign(
    db: &Db,
    viewer: &Staff,
    lead_id: i64,
    consultant_id: i64,
    clock: Clock,
) -> sqlx::Result<bool> {
    if lead_row(db, viewer, lead_id).await?.is_none() {
        return Ok(false);
    }
    let name: Option<String> = sqlx::query_scalar(
        "SELECT name FROM staff WHERE id = $1 AND dealer_id = $2 AND role = 'consultant' AND active = 1",
    )
    .bind(consultant_id)
    .bind(viewer.dealer_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(name) = name else {
        return Ok(false);
    };
    let mut tx = db::begin_write(db).await?;
    sqlx::query("UPDATE leads SET consultant_id = $1, updated_at = $2 WHERE id = $3")
        .bind(consultant_id)
        .bind(clock.millis)
        .bind(lead_id)
        .execute(&mut *tx)
        .await?;
    Event::Assigned
        .write(
            &mut tx,
            lead_id,
            By::Staff(viewer.id),
            &format!("改派给{name}"),
            clock.millis,
        )
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_events_read_in_chinese() {
        let booked =
            r#"{"code":"K7P2Q9XM","page":"model","button":"book-test-drive","channel":"朋友圈"}"#;
        assert_eq!(
            event_text("booked", booked),
            "预约试驾，预约码 K7P2Q9XM（来源 车型页 / 预约试驾 / 朋友圈）"
        );
        assert_eq!(event_text("note", "客户周末来店"), "客户周末来店");
        assert_eq!(
            event_text("enquired", r#"{"page":"compare","button":"ask-price"}"#),
            "询底价（来源 车型对比 / 询底价）"
        );
    }
}
