//! The staff console's queries, every one scoped to the staff member's dealer and, for a
//! consultant, to their own leads (another's is simply not found): lead lists and details
//! with their timeline, notes, calls, status changes, reassignment and 战败 approval,
//! today's tasks and bookings, booking status, and a store's test-drive setup.

use shared::booking::BookingStatus;
use shared::console::{
    LeadDetail, LeadStatus, LeadSummary, Role, StaffBooking, StaffRef, StoreSetup, StoreView, Task,
    TaskKind, TimelineEntry, Today,
};
use shared::contact::{self, phone_as_seen};
use shared::date::Date;
use shared::slots::{SlotKind, TimeOfDay, BOOKING_DAYS};

use crate::bookings::Clock;
use crate::db::{self, Db};
use crate::leads::{By, Event};
use crate::slots;
use crate::staff::Staff;

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

/// Midnight in Shanghai of a day, in Unix milliseconds.
fn day_start(date: Date) -> i64 {
    date.unix_days() * 86_400_000 - 8 * 3_600_000
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
        push(" AND l.created_at >= ?", Bind::Int(day_start(d)), &mut sql);
    }
    if let Some(d) = filter.to.as_deref().and_then(Date::parse) {
        push(
            " AND l.created_at < ?",
            Bind::Int(day_start(d.add_days(1))),
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

/// Marks the lead answered (the first call or status change starts nothing if it already was).
async fn responded(conn: &mut sqlx::AnyConnection, lead_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE leads SET first_response_at = $1 WHERE id = $2 AND first_response_at IS NULL",
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
    if approve {
        sqlx::query("UPDATE leads SET status = 'lost', lost_reason = $1, lost_claim = NULL, updated_at = $2 WHERE id = $3")
            .bind(&reason)
            .bind(clock.millis)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        Event::Status
            .write(
                &mut tx,
                lead_id,
                By::Staff(viewer.id),
                &format!("批准战败：{reason}"),
                clock.millis,
            )
            .await?;
    } else {
        sqlx::query("UPDATE leads SET lost_claim = NULL, updated_at = $1 WHERE id = $2")
            .bind(clock.millis)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        Event::Status
            .write(
                &mut tx,
                lead_id,
                By::Staff(viewer.id),
                &format!("驳回战败申请：{reason}"),
                clock.millis,
            )
            .await?;
    }
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

/// Which bookings a list shows.
pub enum BookingScope {
    /// One lead's.
    Lead(i64),
    /// A day's at the viewer's stores.
    Day(Date),
    /// One booking by code.
    Code(String),
}

#[derive(sqlx::FromRow)]
struct StaffBookingRow {
    code: String,
    status: String,
    slot_id: i64,
    store_id: i64,
    day: String,
    start_min: i64,
    end_min: i64,
    capacity: i64,
    booked: i64,
    store_name: String,
    series_name: String,
    trim_name: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    lead_id: i64,
    consultant_id: Option<i64>,
    consultant_name: Option<String>,
}

/// Bookings the viewer may see: their stores' (a manager: every store of the dealer), with
/// phones masked and leads closed unless the viewer owns the lead or manages.
pub async fn staff_bookings(
    db: &Db,
    viewer: &Staff,
    scope: BookingScope,
) -> sqlx::Result<Vec<StaffBooking>> {
    let base = "SELECT b.code, b.status, sl.id AS slot_id, sl.store_id, sl.day, sl.start_min, sl.end_min, \
         sl.capacity, sl.booked, st.name AS store_name, se.name_zh AS series_name, t.name_zh AS trim_name, \
         b.name, b.phone, b.lead_id, l.consultant_id, sf.name AS consultant_name \
         FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN stores st ON st.id = b.store_id \
         JOIN series se ON se.id = b.series_id LEFT JOIN trims t ON t.id = b.trim_id \
         JOIN leads l ON l.id = b.lead_id LEFT JOIN staff sf ON sf.id = l.consultant_id \
         WHERE b.dealer_id = $1 AND ($2 = 1 OR b.store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = $3) \
         OR l.consultant_id = $3)";
    let (clause, value) = match &scope {
        BookingScope::Lead(id) => (" AND b.lead_id = $4", id.to_string()),
        BookingScope::Day(day) => (" AND sl.day = $4", day.to_string()),
        BookingScope::Code(code) => (" AND b.code = $4", code.clone()),
    };
    let sql = format!("{base}{clause} ORDER BY st.position, sl.day, sl.start_min, b.id");
    let query = sqlx::query_as::<_, StaffBookingRow>(&sql)
        .bind(viewer.dealer_id)
        .bind(i64::from(viewer.manages()))
        .bind(viewer.id);
    let query = match scope {
        BookingScope::Lead(id) => query.bind(id),
        _ => query.bind(value),
    };
    let rows = query.fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let visible = viewer.sees_phone(r.consultant_id);
            let slot = shared::booking::Slot {
                id: r.slot_id,
                store_id: r.store_id,
                date: Date::parse(&r.day)?,
                start: TimeOfDay::from_minutes(r.start_min as u16)?,
                end: TimeOfDay::from_minutes(r.end_min as u16)?,
                seats_left: (r.capacity - r.booked).max(0) as u16,
            };
            Some(StaffBooking {
                code: r.code,
                status: BookingStatus::parse(&r.status)?,
                slot,
                store_name: r.store_name,
                series_name: r.series_name,
                trim_name: r.trim_name,
                name: r.name.unwrap_or_default(),
                phone: r
                    .phone
                    .map(|p| phone_as_seen(p, visible))
                    .unwrap_or_default(),
                lead_id: visible.then_some(r.lead_id),
                consultant: r.consultant_name,
            })
        })
        .collect())
}

/// 今日: the viewer's tasks and today's bookings at their stores.
pub async fn today(db: &Db, viewer: &Staff, clock: Clock) -> sqlx::Result<Today> {
    let mut tasks = Vec::new();
    let waiting: Vec<(i64, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT l.id, l.name, se.name_zh, l.created_at FROM leads l LEFT JOIN series se ON se.id = l.series_id \
         WHERE l.dealer_id = $1 AND ($2 = 1 OR l.consultant_id = $3) AND l.status = 'new' \
         AND l.first_response_at IS NULL AND l.erased_at IS NULL ORDER BY l.created_at",
    )
    .bind(viewer.dealer_id)
    .bind(i64::from(viewer.manages()))
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    for (id, name, series, created_at) in waiting {
        tasks.push(Task {
            kind: TaskKind::CallBack,
            lead_id: Some(id),
            booking_code: None,
            // The tag beside it says 待回电: the title is whom, and for which car.
            title: format!(
                "{}{}",
                name.unwrap_or_default(),
                series.map(|s| format!("（{s}）")).unwrap_or_default()
            ),
            since: created_at,
        });
    }
    let tomorrow = clock.today().add_days(1);
    for b in staff_bookings(db, viewer, BookingScope::Day(tomorrow)).await? {
        if b.status == BookingStatus::Booked && b.lead_id.is_some() {
            tasks.push(Task {
                kind: TaskKind::ConfirmBooking,
                lead_id: b.lead_id,
                title: format!("{} {} 试驾{}", b.slot.start, b.name, b.series_name),
                since: day_start(b.slot.date) + i64::from(b.slot.start.minutes()) * 60_000,
                booking_code: Some(b.code),
            });
        }
    }
    if viewer.manages() {
        let claims: Vec<(i64, Option<String>, String, i64)> = sqlx::query_as(
            "SELECT id, name, lost_claim, updated_at FROM leads WHERE dealer_id = $1 AND lost_claim IS NOT NULL \
             ORDER BY updated_at",
        )
        .bind(viewer.dealer_id)
        .fetch_all(&db.pool)
        .await?;
        for (id, name, reason, at) in claims {
            tasks.push(Task {
                kind: TaskKind::ApproveLost,
                lead_id: Some(id),
                booking_code: None,
                title: format!("{}：{reason}", name.unwrap_or_default()),
                since: at,
            });
        }
    }
    let bookings = staff_bookings(db, viewer, BookingScope::Day(clock.today())).await?;
    let follow_ups = if viewer.manages() {
        crate::surveys::follow_ups(db, viewer.dealer_id).await?
    } else {
        Vec::new()
    };
    Ok(Today {
        tasks,
        bookings,
        follow_ups,
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum BookingChanged {
    Done(Box<StaffBooking>),
    NotFound,
    NotAllowed(BookingStatus),
}

/// Works a booking at the store (confirm, arrived, completed, no-show, cancel) on a lead the
/// viewer owns or manages; a cancellation frees the seat, a completed test drive moves the
/// lead to 已试驾.
pub async fn update_booking(
    db: &Db,
    viewer: &Staff,
    code: &str,
    to: BookingStatus,
    clock: Clock,
) -> sqlx::Result<BookingChanged> {
    let found = staff_bookings(db, viewer, BookingScope::Code(code.into())).await?;
    let Some(current) = found.into_iter().next().filter(|b| b.lead_id.is_some()) else {
        return Ok(BookingChanged::NotFound);
    };
    if !shared::console::booking_can_move(current.status, to) {
        return Ok(BookingChanged::NotAllowed(current.status));
    }
    let lead_id = current.lead_id.unwrap_or_default();
    let mut tx = db::begin_write(db).await?;
    let moved = sqlx::query(
        "UPDATE bookings SET status = $1, updated_at = $2 WHERE code = $3 AND status = $4",
    )
    .bind(to.as_str())
    .bind(clock.millis)
    .bind(code)
    .bind(current.status.as_str())
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(BookingChanged::NotAllowed(current.status));
    }
    if to == BookingStatus::Cancelled {
        slots::free_seat(&mut tx, SlotKind::TestDrive, current.slot.id).await?;
    }
    if to == BookingStatus::Completed {
        sqlx::query("UPDATE leads SET status = 'test_driven', updated_at = $1 WHERE id = $2 AND status IN ('new', 'contacted')")
            .bind(clock.millis)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        crate::referrals::reached(
            &mut tx,
            viewer.dealer_id,
            lead_id,
            crate::referrals::Milestone::Drive,
            clock.millis,
        )
        .await?;
    }
    let text = format!("预约 {code}：{} → {}", current.status.label(), to.label());
    Event::Status
        .write(&mut tx, lead_id, By::Staff(viewer.id), &text, clock.millis)
        .await?;
    tx.commit().await?;
    let updated = staff_bookings(db, viewer, BookingScope::Code(code.into())).await?;
    Ok(updated
        .into_iter()
        .next()
        .map_or(BookingChanged::NotFound, |b| {
            BookingChanged::Done(Box::new(b))
        }))
}

/// The dealer's stores with their setups.
pub async fn stores(db: &Db, viewer: &Staff) -> sqlx::Result<Vec<StoreView>> {
    let me = crate::staff::me(db, viewer).await?;
    let mut views = Vec::new();
    for store in me.stores {
        views.push(StoreView {
            setup: slots::store_setup(db, store.id).await?,
            store,
        });
    }
    Ok(views)
}

/// Replaces a store's setup and re-plans its slots: slots the new plan keeps stay with their
/// bookings (capacity never below what is booked), new ones are added, unbooked ones the plan
/// drops are removed, and booked ones the plan drops stay and are returned as stranded
/// bookings for the manager to move or cancel. `None` when the store is not the dealer's.
pub async fn save_store(
    db: &Db,
    viewer: &Staff,
    store_id: i64,
    new: &StoreSetup,
    clock: Clock,
) -> sqlx::Result<Option<(StoreView, Vec<StaffBooking>)>> {
    if !slots::store_of(db, viewer.dealer_id, store_id).await? {
        return Ok(None);
    }
    let sold: Vec<String> =
        sqlx::query_scalar("SELECT series_id FROM dealer_series WHERE dealer_id = $1")
            .bind(viewer.dealer_id)
            .fetch_all(&db.pool)
            .await?;
    let today = clock.today();
    let mut tx = db::begin_write(db).await?;
    for table in [
        "store_hours",
        "store_closures",
        "slot_templates",
        "test_drive_cars",
        "service_templates",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE store_id = $1"))
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
    }
    let setup = StoreSetup {
        series_ids: new
            .series_ids
            .iter()
            .filter(|s| sold.contains(s))
            .cloned()
            .collect(),
        ..new.clone()
    };
    slots::write_store_setup(&mut tx, store_id, &setup).await?;
    let stranded_slots =
        slots::replan(&mut tx, SlotKind::TestDrive, store_id, &setup, today).await?;
    // Service bookings a new plan strands stay with their slots, as test drives do; the
    // advisor sees them in the service list.
    slots::replan(&mut tx, SlotKind::Service, store_id, &setup, today).await?;
    tx.commit().await?;
    let mut stranded = Vec::new();
    for day in 0..i64::from(BOOKING_DAYS) {
        for b in staff_bookings(db, viewer, BookingScope::Day(today.add_days(day))).await? {
            if stranded_slots.contains(&b.slot.id) && b.status.is_open() {
                stranded.push(b);
            }
        }
    }
    let view = StoreView {
        store: crate::staff::me(db, viewer)
            .await?
            .stores
            .into_iter()
            .find(|s| s.id == store_id)
            .expect("the store was just checked"),
        setup: slots::store_setup(db, store_id).await?,
    };
    Ok(Some((view, stranded)))
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
