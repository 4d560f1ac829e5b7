//! A dealer's activities (试驾会, 车主讲堂, 新车上市) in the database: those still to come for
//! buyers, every one for the console, adding, changing and cancelling one, and signing up:
//! the seats taken by one conditional update (as a test-drive slot's seat is), the lead made
//! or touched by `leads::touch` (so its consultant is credited by the one attribution rule)
//! and the sign-up written, in one transaction with its `Idempotency-Key`.

use shared::activity::{Activity, ActivityDraft, ActivityKind, ActivityState, StaffSignup};
use shared::booking::Origin;
use shared::date::Date;
use shared::slots::TimeOfDay;

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::idempotency::{self, Claim, Key};
use crate::leads::{self, Event, Touch};
use crate::staff::Staff;

/// Which part of a draft names something the dealer does not sell or have, or cannot be.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// A series it does not sell.
    Series,
    /// A store not its own.
    Store,
    /// Fewer seats than are already taken (the number taken).
    Seats(i64),
    /// A new activity on a day or at a time already past.
    Past,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    title: String,
    description: String,
    day: String,
    starts_at: i64,
    ends_at: i64,
    place: String,
    seats: i64,
    taken: i64,
    series_id: Option<String>,
    series_name: Option<String>,
    store_id: Option<i64>,
    store_name: Option<String>,
    cancelled: i64,
}

const SELECT: &str = "SELECT a.id, a.kind, a.title, a.description, a.day, a.starts_at, a.ends_at, \
     a.place, a.seats, a.taken, a.series_id, s.name_zh AS series_name, a.store_id, \
     st.name AS store_name, a.cancelled \
     FROM activities a LEFT JOIN series s ON s.id = a.series_id \
     LEFT JOIN stores st ON st.id = a.store_id";

fn corrupt(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

/// Minutes after midnight in Beijing of a moment on `day`.
fn time_of(day: Date, at: i64) -> Option<TimeOfDay> {
    let minutes = (at - Clock::midnight(day)) / 60_000;
    TimeOfDay::from_minutes(u16::try_from(minutes).ok()?)
}

impl Row {
    fn activity(self, now: i64) -> sqlx::Result<Activity> {
        let id = self.id;
        let date = Date::parse(&self.day).ok_or_else(|| corrupt(format!("activity {id}: day")))?;
        let seats_left = (self.seats - self.taken).max(0);
        Ok(Activity {
            kind: ActivityKind::from_key(&self.kind)
                .ok_or_else(|| corrupt(format!("activity {id}: kind {}", self.kind)))?,
            start: time_of(date, self.starts_at)
                .ok_or_else(|| corrupt(format!("activity {id}: start")))?,
            end: time_of(date, self.ends_at)
                .ok_or_else(|| corrupt(format!("activity {id}: end")))?,
            state: ActivityState::of(self.cancelled != 0, self.ends_at, seats_left, now),
            id,
            title: self.title,
            description: self.description,
            date,
            place: self.place,
            seats: self.seats,
            seats_left,
            series_id: self.series_id,
            series_name: self.series_name,
            store_id: self.store_id,
            store_name: self.store_name,
        })
    }
}

fn activities(rows: Vec<Row>, now: i64) -> sqlx::Result<Vec<Activity>> {
    rows.into_iter().map(|r| r.activity(now)).collect()
}

/// The dealer's activities not cancelled and not yet ended at `now`, soonest first.
pub async fn upcoming(db: &Db, dealer_id: i64, now: i64) -> sqlx::Result<Vec<Activity>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE a.dealer_id = $1 AND a.cancelled = 0 AND a.ends_at > $2 \
         ORDER BY a.starts_at, a.id"
    ))
    .bind(dealer_id)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    activities(rows, now)
}

/// Every activity of the dealer for the console: those not yet ended soonest first, then
/// those ended, the latest first.
pub async fn all(db: &Db, dealer_id: i64, now: i64) -> sqlx::Result<Vec<Activity>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE a.dealer_id = $1 \
         ORDER BY CASE WHEN a.ends_at > $2 THEN 0 ELSE 1 END, \
         CASE WHEN a.ends_at > $2 THEN a.starts_at ELSE -a.starts_at END, a.id DESC LIMIT 200"
    ))
    .bind(dealer_id)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    activities(rows, now)
}

/// One activity of the dealer, in whatever state.
pub async fn one(db: &Db, dealer_id: i64, id: i64, now: i64) -> sqlx::Result<Option<Activity>> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE a.dealer_id = $1 AND a.id = $2"))
            .bind(dealer_id)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|r| r.activity(now)).transpose()
}

/// Whether the draft names a series the dealer sells and one of its stores.
async fn check(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    draft: &ActivityDraft,
) -> sqlx::Result<Result<(), Refused>> {
    if let Some(series) = &draft.series_id {
        let sold: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM dealer_series WHERE dealer_id = $1 AND series_id = $2",
        )
        .bind(dealer_id)
        .bind(series)
        .fetch_optional(&mut *conn)
        .await?;
        if sold.is_none() {
            return Ok(Err(Refused::Series));
        }
    }
    if let Some(store) = draft.store_id {
        let own: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM stores WHERE dealer_id = $1 AND id = $2")
                .bind(dealer_id)
                .bind(store)
                .fetch_optional(&mut *conn)
                .await?;
        if own.is_none() {
            return Ok(Err(Refused::Store));
        }
    }
    Ok(Ok(()))
}

/// Its start and end in ms since the epoch.
fn times(draft: &ActivityDraft) -> (i64, i64) {
    let midnight = Clock::midnight(draft.date);
    (
        midnight + i64::from(draft.start.minutes()) * 60_000,
        midnight + i64::from(draft.end.minutes()) * 60_000,
    )
}

/// Adds a checked draft (`ActivityDraft::validate`) as `staff`'s dealer's activity; its id.
/// An activity that would already have begun is refused.
pub async fn add(
    db: &Db,
    staff: &Staff,
    draft: &ActivityDraft,
    now: i64,
) -> sqlx::Result<Result<i64, Refused>> {
    let (starts_at, ends_at) = times(draft);
    if starts_at <= now {
        return Ok(Err(Refused::Past));
    }
    let mut tx = db::begin_write(db).await?;
    if let Err(refused) = check(&mut tx, staff.dealer_id, draft).await? {
        return Ok(Err(refused));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO activities (dealer_id, store_id, kind, title, description, day, starts_at, \
         ends_at, place, seats, series_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(staff.dealer_id)
    .bind(draft.store_id)
    .bind(draft.kind.key())
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(draft.date.to_string())
    .bind(starts_at)
    .bind(ends_at)
    .bind(&draft.place)
    .bind(draft.seats)
    .bind(draft.series_id.as_deref())
    .bind(staff.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    crate::catalog::changed(&mut tx, staff.dealer_id).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Replaces activity `id` of `staff`'s dealer with a checked draft; `None` when it has no such
/// activity. The seats may not drop below those taken: one conditional update decides, so a
/// sign-up racing the change is never left without its seat.
pub async fn update(
    db: &Db,
    staff: &Staff,
    id: i64,
    draft: &ActivityDraft,
    now: i64,
) -> sqlx::Result<Option<Result<(), Refused>>> {
    let (starts_at, ends_at) = times(draft);
    let mut tx = db::begin_write(db).await?;
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT taken FROM activities WHERE id = $1 AND dealer_id = $2")
            .bind(id)
            .bind(staff.dealer_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(taken) = taken else {
        return Ok(None);
    };
    if let Err(refused) = check(&mut tx, staff.dealer_id, draft).await? {
        return Ok(Some(Err(refused)));
    }
    let updated = sqlx::query(
        "UPDATE activities SET store_id = $1, kind = $2, title = $3, description = $4, day = $5, \
         starts_at = $6, ends_at = $7, place = $8, seats = $9, series_id = $10, updated_at = $11 \
         WHERE id = $12 AND dealer_id = $13 AND taken <= $9",
    )
    .bind(draft.store_id)
    .bind(draft.kind.key())
    .bind(&draft.title)
    .bind(&draft.description)
    .bind(draft.date.to_string())
    .bind(starts_at)
    .bind(ends_at)
    .bind(&draft.place)
    .bind(draft.seats)
    .bind(draft.series_id.as_deref())
    .bind(now)
    .bind(id)
    .bind(staff.dealer_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(Some(Err(Refused::Seats(taken))));
    }
    crate::catalog::changed(&mut tx, staff.dealer_id).await?;
    tx.commit().await?;
    Ok(Some(Ok(())))
}

/// Cancels activity `id` of `staff`'s dealer: no more sign-ups, and buyers no longer see it.
/// `false` when it has no such activity.
pub async fn cancel(db: &Db, staff: &Staff, id: i64, now: i64) -> sqlx::Result<bool> {
    let mut tx = db::begin_write(db).await?;
    let done = sqlx::query(
        "UPDATE activities SET cancelled = 1, updated_at = $1 WHERE id = $2 AND dealer_id = $3",
    )
    .bind(now)
    .bind(id)
    .bind(staff.dealer_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Ok(false);
    }
    crate::catalog::changed(&mut tx, staff.dealer_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// A sign-up to write.
pub struct NewSignup<'a> {
    pub touch: Touch<'a>,
    pub activity_id: i64,
    pub title: &'a str,
    pub party_size: i64,
    /// The `Idempotency-Key` the request came with: claimed first, its answer replayed.
    pub idempotency: Option<Key<'a>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Signed {
    Done(String),
    /// Not enough seats left for the party.
    Full,
    /// This phone has signed up already.
    Duplicate,
    /// Cancelled or ended.
    Closed,
    /// A retry: the code the first request with the same key made.
    Replayed(String),
    /// The key was first used for another request.
    KeyReused,
}

/// Takes the party's seats and writes the sign-up, its lead and its timeline in one
/// transaction; a full, closed or repeated sign-up changes nothing.
pub async fn sign_up(db: &Db, s: &NewSignup<'_>) -> sqlx::Result<Signed> {
    let mut tx = db::begin_write(db).await?;
    let code = crate::bookings::new_code();
    let dealer_id = s.touch.dealer_id;
    if let Some(key) = &s.idempotency {
        match idempotency::claim(&mut tx, dealer_id, key, &code, s.touch.now).await? {
            Claim::Fresh => {}
            Claim::Replay(code) => return Ok(Signed::Replayed(code)),
            Claim::Reused => return Ok(Signed::KeyReused),
        }
    }
    let phone = &s.touch.contact.phone;
    // The one statement that takes the seats: never past `seats`, never for a phone twice,
    // never once cancelled or ended (as `slots::take_seat` takes a slot's).
    let taken = sqlx::query(
        "UPDATE activities SET taken = taken + $1 WHERE id = $2 AND dealer_id = $3 \
         AND cancelled = 0 AND ends_at > $4 AND taken + $1 <= seats \
         AND NOT EXISTS (SELECT 1 FROM activity_signups WHERE activity_id = $2 AND phone = $5)",
    )
    .bind(s.party_size)
    .bind(s.activity_id)
    .bind(dealer_id)
    .bind(s.touch.now)
    .bind(phone)
    .execute(&mut *tx)
    .await?;
    if taken.rows_affected() != 1 {
        let twice: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM activity_signups WHERE activity_id = $1 AND phone = $2",
        )
        .bind(s.activity_id)
        .bind(phone)
        .fetch_optional(&mut *tx)
        .await?;
        if twice.is_some() {
            return Ok(Signed::Duplicate);
        }
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM activities WHERE id = $1 AND cancelled = 0 AND ends_at > $2",
        )
        .bind(s.activity_id)
        .bind(s.touch.now)
        .fetch_optional(&mut *tx)
        .await?;
        return Ok(if open.is_some() {
            Signed::Full
        } else {
            Signed::Closed
        });
    }
    let line = format!(
        "报名{}，{}人",
        shared::activity::origin_of(s.title),
        s.party_size
    );
    let owned = leads::touch(&mut tx, &s.touch, Event::SignedUp, &line).await?;
    sqlx::query(
        "INSERT INTO activity_signups (code, activity_id, dealer_id, name, phone, party_size, \
         lead_id, visitor, consultant_id, link_id, channel, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&code)
    .bind(s.activity_id)
    .bind(dealer_id)
    .bind(&s.touch.contact.name)
    .bind(phone)
    .bind(s.party_size)
    .bind(owned.lead_id)
    .bind(s.touch.visitor)
    .bind(owned.consultant_id)
    .bind(owned.came_by.link_id)
    .bind(s.touch.origin.channel.as_deref())
    .bind(s.touch.now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Signed::Done(code))
}

/// The origin a sign-up's lead is given: page `activity`, and `活动：<title>` where a button
/// would be (cut to what an origin keeps).
pub fn origin(title: &str, channel: Option<String>) -> Origin {
    Origin {
        page: "activity".into(),
        button: shared::activity::origin_of(title)
            .chars()
            .take(shared::booking::ORIGIN_MAX_CHARS)
            .collect(),
        channel,
    }
}

/// A sign-up by its code: the party size and the lead's consultant.
pub async fn signup(
    db: &Db,
    dealer_id: i64,
    code: &str,
) -> sqlx::Result<Option<(i64, i64, Option<i64>)>> {
    sqlx::query_as(
        "SELECT g.activity_id, g.party_size, l.consultant_id FROM activity_signups g \
         JOIN leads l ON l.id = g.lead_id WHERE g.dealer_id = $1 AND g.code = $2",
    )
    .bind(dealer_id)
    .bind(code)
    .fetch_optional(&db.pool)
    .await
}

#[derive(sqlx::FromRow)]
struct SignupRow {
    code: String,
    name: Option<String>,
    phone: Option<String>,
    party_size: i64,
    lead_id: i64,
    lead_consultant: Option<i64>,
    consultant_name: Option<String>,
    created_at: i64,
}

/// An activity's sign-ups, oldest first, each phone as `viewer` may see it (in full for
/// managers and the lead's consultant, as the lead list shows it).
pub async fn signups(db: &Db, viewer: &Staff, activity_id: i64) -> sqlx::Result<Vec<StaffSignup>> {
    let rows: Vec<SignupRow> = sqlx::query_as(
        "SELECT g.code, g.name, g.phone, g.party_size, g.lead_id, \
         l.consultant_id AS lead_consultant, sf.name AS consultant_name, g.created_at \
         FROM activity_signups g JOIN leads l ON l.id = g.lead_id \
         LEFT JOIN staff sf ON sf.id = l.consultant_id \
         WHERE g.activity_id = $1 AND g.dealer_id = $2 ORDER BY g.created_at, g.id",
    )
    .bind(activity_id)
    .bind(viewer.dealer_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StaffSignup {
            code: r.code,
            name: r.name.unwrap_or_default(),
            phone: r
                .phone
                .map(|p| shared::contact::phone_as_seen(p, viewer.sees_phone(r.lead_consultant)))
                .unwrap_or_default(),
            party_size: r.party_size,
            lead_id: r.lead_id,
            consultant_name: r.consultant_name,
            created_at: r.created_at,
        })
        .collect())
}

/// A person's sign-ups erased (inside the erasure's transaction): the seats of those still to
/// come given back and the rows deleted; name and phone of those past blanked.
pub async fn erase(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    phone: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE activities SET taken = taken - (SELECT CAST(COALESCE(SUM(g.party_size), 0) AS BIGINT) \
         FROM activity_signups g WHERE g.activity_id = activities.id AND g.phone = $2) \
         WHERE dealer_id = $1 AND ends_at > $3 AND EXISTS (SELECT 1 FROM activity_signups g \
         WHERE g.activity_id = activities.id AND g.phone = $2)",
    )
    .bind(dealer_id)
    .bind(phone)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM activity_signups WHERE dealer_id = $1 AND phone = $2 AND activity_id IN \
         (SELECT id FROM activities WHERE dealer_id = $1 AND ends_at > $3)",
    )
    .bind(dealer_id)
    .bind(phone)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE activity_signups SET name = NULL, phone = NULL WHERE dealer_id = $1 AND phone = $2",
    )
    .bind(dealer_id)
    .bind(phone)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
