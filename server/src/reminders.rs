//! The reminder scheduler. Each pass makes the reminders that fell due (one per car, kind and
//! due day, whichever instance makes it first), settles those no longer due (the owner booked
//! the service, a newer reading moved the day), and sends the owners who allowed it a WeChat
//! subscription message within the caps of `shared::reminder` and outside the quiet hours. A
//! failed message is retried with backoff; a reminder stays on the owner page and in the
//! advisor's tasks whatever WeChat does. Several instances may run passes on one PostgreSQL
//! database: reminders are made by unique key and an owner is sent to under a short lease.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

use shared::date::Date;
use shared::inspection::{self, InspectionFacts};
use shared::maintenance::{self, MaintenancePlan, Reading};
use shared::reminder::{self, CarFacts, ReminderKind, Sent, ServiceWork};

use crate::db::{self, Db};
use crate::wechat::{self, Notice, WeChat};

/// How long one instance holds an owner while it sends to them (longer than WeChat's timeout).
const LEASE_MS: i64 = 120_000;
/// Rows one statement writes: a first pass over 100,000 cars took 5.1 s at 500 rows a
/// statement, 13.8 s at 2,000 and 1.4-1.6 s at 25-50 (sqlx binds cost more than linearly).
const WRITE_BATCH: usize = 50;
/// Sent reminders older than this cannot bear on the caps (a month and a same-kind gap).
const HISTORY_MS: i64 = 62 * 86_400_000;

/// What a pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub cars: usize,
    pub made: usize,
    pub settled: usize,
    pub sent: usize,
    pub failed: usize,
    /// Held back by the caps or the quiet hours, to go later.
    pub held: usize,
}

/// Runs a pass every `every` until the process ends; a failed pass is logged and the next
/// one tries again.
pub fn run(db: Db, wechat: WeChat, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let now = crate::clock::Clock::now().millis;
            match tick(&db, &wechat, now).await {
                Ok(pass)
                    if pass
                        != Pass {
                            cars: pass.cars,
                            ..Pass::default()
                        } =>
                {
                    tracing::info!(?pass, "reminder pass");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "reminder pass failed"),
            }
        }
    });
}

/// One pass at `now` (Unix ms): make and settle, then send.
pub async fn tick(db: &Db, wechat: &WeChat, now: i64) -> sqlx::Result<Pass> {
    let mut pass = make(db, now).await?;
    send(db, wechat, now, &mut pass).await?;
    Ok(pass)
}

/// A car as a pass reads it (`CAR_FIELDS`, in order).
struct CarRow {
    id: i64,
    dealer_id: i64,
    delivered_on: String,
    registered_on: String,
    insurance_ends_on: Option<String>,
    first_km: Option<i64>,
    first_months: Option<i64>,
    interval_km: Option<i64>,
    interval_months: Option<i64>,
    /// The first and the last reading: a car's readings only go up, day and km alike.
    read_first_day: Option<String>,
    read_first_km: Option<i64>,
    read_last_day: Option<String>,
    read_last_km: Option<i64>,
    /// The manufacture date and staff's marks: whether the annual inspection follows Art. 16.
    inspection: InspectionFacts,
}

/// The columns of a car a pass reads, in `CarRow`'s order: the car, its dealer's plan for the
/// series, and its first and last reading (a car's readings only go up, day and km alike).
const CAR_FIELDS: &[&str] = &[
    "c.id",
    "c.dealer_id",
    "c.delivered_on",
    "c.registered_on",
    "c.insurance_ends_on",
    "c.casualty_accident",
    "p.first_km",
    "p.first_months",
    "p.interval_km",
    "p.interval_months",
    "r.first_day",
    "r.first_km",
    "r.last_day",
    "r.last_km",
    "c.manufactured_on",
    "c.modification_penalty",
];
const CARS_FROM: &str = "cars c LEFT JOIN maintenance_plans p \
     ON p.dealer_id = c.dealer_id AND p.series_id = c.series_id \
     LEFT JOIN (SELECT car_id, MIN(day) AS first_day, MIN(km) AS first_km, \
             MAX(day) AS last_day, MAX(km) AS last_km \
         FROM mileage_readings GROUP BY car_id) r ON r.car_id = c.id";

impl CarRow {
    fn unpack(f: &[&str]) -> Option<Self> {
        let int = |i: usize| f.get(i).and_then(|x| x.parse::<i64>().ok());
        let text = |i: usize| f.get(i).filter(|x| !x.is_empty()).map(|x| x.to_string());
        Some(Self {
            id: int(0)?,
            dealer_id: int(1)?,
            delivered_on: text(2)?,
            registered_on: text(3)?,
            insurance_ends_on: text(4),
            first_km: int(6),
            first_months: int(7),
            interval_km: int(8),
            interval_months: int(9),
            read_first_day: text(10),
            read_first_km: int(11),
            read_last_day: text(12),
            read_last_km: int(13),
            inspection: InspectionFacts {
                manufactured_on: text(14).as_deref().and_then(Date::parse),
                casualty_accident: int(5)? == 1,
                modification_penalty: int(15)? == 1,
            },
        })
    }

    /// The first and the last reading, all the pace projection needs.
    fn readings(&self) -> Vec<Reading> {
        let reading = |day: &Option<String>, km: Option<i64>| {
            Some(Reading {
                day: Date::parse(day.as_deref()?)?,
                km: km?,
            })
        };
        let first = reading(&self.read_first_day, self.read_first_km);
        let last = reading(&self.read_last_day, self.read_last_km);
        match (first, last) {
            (Some(first), Some(last)) if first != last => vec![first, last],
            (first, last) => last.or(first).into_iter().collect(),
        }
    }

    fn plan(&self) -> Option<MaintenancePlan> {
        Some(MaintenancePlan {
            first_km: self.first_km?,
            first_months: self.first_months? as i32,
            interval_km: self.interval_km?,
            interval_months: self.interval_months? as i32,
        })
    }
}

/// Every car's open service bookings from `today`: (day, work, what a reminder says).
async fn open_services(
    db: &Db,
    today: Date,
) -> sqlx::Result<HashMap<i64, Vec<(Date, ServiceWork, String)>>> {
    let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT sb.car_id, sl.day, sl.start_min, sb.work, st.name FROM service_bookings sb \
         JOIN service_slots sl ON sl.id = sb.slot_id JOIN stores st ON st.id = sb.store_id \
         WHERE sb.status = 'booked' AND sl.day >= $1",
    )
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await?;
    let mut open: HashMap<i64, Vec<_>> = HashMap::new();
    for (car, day, start, work, store) in rows {
        let Some(day) = Date::parse(&day) else {
            continue;
        };
        let (work, what) = match work.as_str() {
            "maintenance" => (ServiceWork::Maintenance, "保养"),
            "inspection" => (ServiceWork::Inspection, "年检协助"),
            "repair" => (ServiceWork::Other, "维修"),
            _ => (ServiceWork::Other, "服务"),
        };
        let text = format!("{:02}:{:02} 在{store}的{what}预约", start / 60, start % 60);
        open.entry(car).or_default().push((day, work, text));
    }
    Ok(open)
}

/// Cars (or reminders) a packed row carries.
const PACK: i64 = 256;

/// Reads `fields` of `from` (a FROM clause, a WHERE allowed) packed: one text row per 256
/// values of `key`, the fields of a row joined by `|` and the rows by `;`, and hands each
/// row's fields to `row`. sqlx hands rows over one at a time (on SQLite a channel hop each,
/// some microseconds), which made reading a fleet of 100,000 cars and their reminders most
/// of a pass. The fields are numbers, dates and kinds: none holds `|` or `;`.
async fn packed(
    db: &Db,
    fields: &[&str],
    from: &str,
    key: &str,
    mut row: impl FnMut(&[&str]),
) -> sqlx::Result<()> {
    let joined = fields
        .iter()
        .map(|f| format!("COALESCE(CAST({f} AS TEXT), '')"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    let aggregate = match db.backend {
        db::Backend::Sqlite => "group_concat",
        db::Backend::Postgres => "string_agg",
    };
    let packs: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT {aggregate}({joined}, ';') FROM {from} GROUP BY {key} / {PACK}"
    ))
    .fetch_all(&db.pool)
    .await?;
    for (pack,) in &packs {
        for line in pack.split(';') {
            row(&line.split('|').collect::<Vec<_>>());
        }
    }
    Ok(())
}

/// An unsettled reminder's key: car, kind, due day.
type Key = (i64, &'static str, String);

/// Makes what fell due and settles what no longer is. Writes only the difference, so a pass
/// with nothing new writes nothing.
async fn make(db: &Db, now: i64) -> sqlx::Result<Pass> {
    let today = Date::shanghai_from_unix_millis(now);
    let mut cars = Vec::new();
    packed(db, CAR_FIELDS, CARS_FROM, "c.id", |f| {
        cars.extend(CarRow::unpack(f));
    })
    .await?;
    let serviced = crate::service::last_maintenance(db, 0).await?;
    let mut open = open_services(db, today).await?;
    let mut due: HashMap<Key, (i64, String)> = HashMap::new();
    for car in &cars {
        let (Some(delivered), Some(registered)) = (
            Date::parse(&car.delivered_on),
            Date::parse(&car.registered_on),
        ) else {
            continue;
        };
        let car_readings = car.readings();
        let facts = CarFacts {
            maintenance: car.plan().map(|plan| {
                maintenance::next_maintenance(
                    &plan,
                    delivered,
                    serviced.get(&car.id).copied(),
                    &car_readings,
                )
            }),
            inspection: Some(inspection::next_inspection(
                registered,
                today,
                &car.inspection,
            )),
            insurance_ends_on: car.insurance_ends_on.as_deref().and_then(Date::parse),
            open_services: open.remove(&car.id).unwrap_or_default(),
        };
        for d in reminder::due(&facts, today) {
            due.insert(
                (car.id, d.kind.as_str(), d.due_on.to_string()),
                (car.dealer_id, d.detail),
            );
        }
    }
    let mut unsettled: Vec<(i64, i64, String, String)> = Vec::new();
    let fields = ["id", "car_id", "kind", "due_on"];
    packed(
        db,
        &fields,
        "reminders WHERE settled_at IS NULL",
        "car_id",
        |f| {
            if let [id, car, kind, due_on] = f {
                if let (Ok(id), Ok(car)) = (id.parse(), car.parse()) {
                    unsettled.push((id, car, kind.to_string(), due_on.to_string()));
                }
            }
        },
    )
    .await?;
    let mut known = HashSet::with_capacity(unsettled.len());
    let mut settle = Vec::new();
    for (id, car, kind, due_on) in unsettled {
        let key = ReminderKind::parse(&kind).map(|k| (car, k.as_str(), due_on));
        match key {
            Some(key) if due.contains_key(&key) => {
                known.insert(key);
            }
            _ => settle.push(id),
        }
    }
    settle.sort_unstable();
    // In key order, so two instances making the same reminders lock them in the same order.
    let mut new: Vec<_> = due.iter().filter(|(k, _)| !known.contains(*k)).collect();
    new.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut pass = Pass {
        cars: cars.len(),
        ..Pass::default()
    };
    if new.is_empty() && settle.is_empty() {
        return Ok(pass);
    }
    let mut tx = db::begin_write(db).await?;
    // Many rows a statement: a first pass over a large fleet makes tens of thousands.
    for chunk in new.chunks(WRITE_BATCH) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6
                )
            })
            .collect();
        // Made once per key; one settled earlier and due again is opened again.
        let sql = format!(
            "INSERT INTO reminders (dealer_id, car_id, kind, due_on, detail, made_at) VALUES {} \
             ON CONFLICT (car_id, kind, due_on) DO UPDATE SET settled_at = NULL, \
             detail = excluded.detail WHERE reminders.settled_at IS NOT NULL",
            rows.join(", ")
        );
        let mut insert = sqlx::query(&sql);
        for ((car, kind, due_on), (dealer, detail)) in chunk {
            insert = insert
                .bind(*dealer)
                .bind(*car)
                .bind(*kind)
                .bind(due_on.as_str())
                .bind(detail.as_str())
                .bind(now);
        }
        pass.made += insert.execute(&mut *tx).await?.rows_affected() as usize;
    }
    for chunk in settle.chunks(WRITE_BATCH) {
        let ids: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "UPDATE reminders SET settled_at = $1 WHERE settled_at IS NULL AND id IN ({})",
            ids.join(", ")
        );
        let mut update = sqlx::query(&sql).bind(now);
        for id in chunk {
            update = update.bind(*id);
        }
        pass.settled += update.execute(&mut *tx).await?.rows_affected() as usize;
    }
    tx.commit().await?;
    Ok(pass)
}

/// The join from a reminder to the owner its car is bound to now.
const TO_OWNER: &str = "reminders r JOIN car_bindings b ON b.car_id = r.car_id \
     AND b.bound_at IS NOT NULL AND b.ended_at IS NULL JOIN owners o ON o.id = b.owner_id";

#[derive(sqlx::FromRow)]
struct Waiting {
    id: i64,
    kind: String,
    due_on: String,
    detail: String,
    attempts: i64,
    plate: String,
}

/// Sends what may go now to each owner who allowed WeChat messages, one owner at a time
/// under a lease, so two instances never send one owner's reminders twice or past the caps.
async fn send(db: &Db, wechat: &WeChat, now: i64, pass: &mut Pass) -> sqlx::Result<()> {
    let owners: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT DISTINCT o.id, o.dealer_id, o.wechat_openid FROM {TO_OWNER} \
         WHERE r.settled_at IS NULL AND r.sent_at IS NULL AND r.next_try_at <= $1 \
         AND o.notify = 1 AND o.wechat_openid IS NOT NULL AND o.lease_until <= $1"
    ))
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    // Per dealer: `reminder_account`.
    let mut accounts: HashMap<i64, Option<(wechat::Settings, String)>> = HashMap::new();
    for (owner, dealer, openid) in owners {
        if let Entry::Vacant(entry) = accounts.entry(dealer) {
            entry.insert(reminder_account(db, dealer).await?);
        }
        let Some(Some(account)) = accounts.get(&dealer) else {
            continue;
        };
        let leased =
            sqlx::query("UPDATE owners SET lease_until = $1 WHERE id = $2 AND lease_until <= $3")
                .bind(now + LEASE_MS)
                .bind(owner)
                .bind(now)
                .execute(&db.writer)
                .await?;
        if leased.rows_affected() == 0 {
            continue;
        }
        let sent = send_owner(db, wechat, account, (owner, &openid), now, pass).await;
        sqlx::query("UPDATE owners SET lease_until = 0 WHERE id = $1")
            .bind(owner)
            .execute(&db.writer)
            .await?;
        sent?;
    }
    Ok(())
}

/// The dealer's official account when reminders can go out (a template set), and the owner
/// page a message opens.
async fn reminder_account(
    db: &Db,
    dealer: i64,
) -> sqlx::Result<Option<(wechat::Settings, String)>> {
    let slug: Option<String> = sqlx::query_scalar("SELECT slug FROM dealers WHERE id = $1")
        .bind(dealer)
        .fetch_optional(&db.pool)
        .await?;
    Ok(wechat::settings(db, dealer)
        .await?
        .filter(wechat::Settings::sends_reminders)
        .zip(slug)
        .map(|(s, slug)| {
            let page = format!("https://{}/{slug}/owner", s.domain);
            (s, page)
        }))
}

/// Sends one leased owner what may go now, oldest due first.
async fn send_owner(
    db: &Db,
    wechat: &WeChat,
    (settings, page): &(wechat::Settings, String),
    (owner, openid): (i64, &str),
    now: i64,
    pass: &mut Pass,
) -> sqlx::Result<()> {
    let history: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, sent_at FROM reminders WHERE sent_to = $1 AND sent_at > $2")
            .bind(owner)
            .bind(now - HISTORY_MS)
            .fetch_all(&db.pool)
            .await?;
    let mut sent: Vec<Sent> = history
        .into_iter()
        .filter_map(|(kind, at)| {
            Some(Sent {
                kind: ReminderKind::parse(&kind)?,
                at,
            })
        })
        .collect();
    let waiting: Vec<Waiting> = sqlx::query_as(&format!(
        "SELECT r.id, r.kind, r.due_on, r.detail, r.attempts, c.plate FROM {TO_OWNER} \
         JOIN cars c ON c.id = r.car_id \
         WHERE o.id = $1 AND r.settled_at IS NULL AND r.sent_at IS NULL AND r.next_try_at <= $2 \
         ORDER BY r.due_on, r.id"
    ))
    .bind(owner)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    for w in waiting {
        let Some(kind) = ReminderKind::parse(&w.kind) else {
            continue;
        };
        let at = reminder::send_at(&sent, kind, now);
        if at > now {
            sqlx::query("UPDATE reminders SET next_try_at = $1 WHERE id = $2")
                .bind(at)
                .bind(w.id)
                .execute(&db.writer)
                .await?;
            pass.held += 1;
            continue;
        }
        let notice = Notice {
            touser: openid,
            template_id: &settings.reminder_template,
            page,
            data: serde_json::json!({
                "thing1": { "value": kind.label() },
                "car_number2": { "value": w.plate },
                "time3": { "value": w.due_on },
                "thing4": { "value": w.detail.chars().take(20).collect::<String>() },
            }),
        };
        match wechat
            .notify(&settings.app_id, &settings.app_secret, &notice)
            .await
        {
            Ok(()) => {
                sqlx::query(
                    "UPDATE reminders SET sent_at = $1, sent_to = $2, last_error = NULL \
                     WHERE id = $3 AND sent_at IS NULL",
                )
                .bind(now)
                .bind(owner)
                .bind(w.id)
                .execute(&db.writer)
                .await?;
                sent.push(Sent { kind, at: now });
                pass.sent += 1;
            }
            Err(failure) => {
                let attempts = w.attempts + 1;
                sqlx::query(
                    "UPDATE reminders SET attempts = $1, next_try_at = $2, last_error = $3 \
                     WHERE id = $4",
                )
                .bind(attempts)
                .bind(now + reminder::retry_after(attempts))
                .bind(failure.to_string())
                .bind(w.id)
                .execute(&db.writer)
                .await?;
                pass.failed += 1;
            }
        }
    }
    Ok(())
}

/// The reminders of the cars bound to the owner now, soonest first, by car.
pub async fn of_owner(
    db: &Db,
    owner_id: i64,
) -> sqlx::Result<HashMap<i64, Vec<shared::reminder::OwnerReminder>>> {
    let rows: Vec<(i64, String, String, String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT r.car_id, r.kind, r.due_on, r.detail, r.sent_at FROM {TO_OWNER} \
         WHERE o.id = $1 AND r.settled_at IS NULL ORDER BY r.due_on, r.id"
    ))
    .bind(owner_id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_car: HashMap<i64, Vec<_>> = HashMap::new();
    for (car, kind, due_on, detail, sent_at) in rows {
        let (Some(kind), Some(due_on)) = (ReminderKind::parse(&kind), Date::parse(&due_on)) else {
            continue;
        };
        by_car
            .entry(car)
            .or_default()
            .push(shared::reminder::OwnerReminder {
                kind,
                due_on,
                detail,
                sent: sent_at.is_some(),
            });
    }
    Ok(by_car)
}

/// Whether the dealer offers WeChat reminders and the owner allowed them.
pub async fn wechat_state(
    db: &Db,
    dealer_id: i64,
    owner_id: Option<i64>,
) -> sqlx::Result<shared::reminder::WeChatReminders> {
    let offered = wechat::settings(db, dealer_id)
        .await?
        .is_some_and(|s| s.sends_reminders());
    let on = match owner_id {
        Some(owner) => sqlx::query_scalar::<_, i64>(
            "SELECT notify FROM owners WHERE id = $1 AND dealer_id = $2 \
             AND wechat_openid IS NOT NULL",
        )
        .bind(owner)
        .bind(dealer_id)
        .fetch_optional(&db.pool)
        .await?
        .is_some_and(|n| n == 1),
        None => false,
    };
    Ok(shared::reminder::WeChatReminders {
        offered,
        on: offered && on,
    })
}

/// The owner allowed WeChat reminders to `openid` (`Some`) or stopped them (`None`).
pub async fn set_wechat(
    db: &Db,
    dealer_id: i64,
    owner_id: i64,
    openid: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE owners SET notify = $1, wechat_openid = COALESCE($2, wechat_openid) \
         WHERE id = $3 AND dealer_id = $4",
    )
    .bind(i64::from(openid.is_some()))
    .bind(openid)
    .bind(owner_id)
    .bind(dealer_id)
    .execute(&db.writer)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: i64,
    car_id: i64,
    plate: String,
    owner_name: Option<String>,
    kind: String,
    due_on: String,
    detail: String,
    sent_at: Option<i64>,
    last_error: Option<String>,
    followed_up_at: Option<i64>,
}

impl TaskRow {
    fn task(self) -> Option<shared::reminder::ReminderTask> {
        Some(shared::reminder::ReminderTask {
            id: self.id,
            car_id: self.car_id,
            plate: self.plate,
            owner_name: self.owner_name,
            kind: ReminderKind::parse(&self.kind)?,
            due_on: Date::parse(&self.due_on)?,
            detail: self.detail,
            sent_at: self.sent_at,
            last_error: self.last_error,
            followed_up_at: self.followed_up_at,
        })
    }
}

/// Reminders joined to their car and its lead, as staff read them (`TaskRow`).
const TASKS: &str = "SELECT r.id, r.car_id, c.plate, l.name AS owner_name, r.kind, r.due_on, \
         r.detail, r.sent_at, r.last_error, r.followed_up_at \
     FROM reminders r JOIN cars c ON c.id = r.car_id LEFT JOIN leads l ON l.id = c.lead_id";

/// The viewer's open tasks: reminders still due and not followed up, soonest first; managers
/// see every car's, an advisor their own cars'.
pub async fn tasks(
    db: &Db,
    viewer: &crate::staff::Staff,
) -> sqlx::Result<Vec<shared::reminder::ReminderTask>> {
    let rows: Vec<TaskRow> = sqlx::query_as(&format!(
        "{TASKS} WHERE r.dealer_id = $1 AND ($2 = 1 OR c.advisor_id = $3) \
         AND r.settled_at IS NULL AND r.followed_up_at IS NULL ORDER BY r.due_on, r.id LIMIT 200"
    ))
    .bind(viewer.dealer_id)
    .bind(i64::from(viewer.manages()))
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(TaskRow::task).collect())
}

/// Every reminder of a car the caller may see, newest first.
pub async fn of_car(db: &Db, car_id: i64) -> sqlx::Result<Vec<shared::reminder::ReminderTask>> {
    let rows: Vec<TaskRow> = sqlx::query_as(&format!(
        "{TASKS} WHERE r.car_id = $1 ORDER BY r.made_at DESC, r.id DESC"
    ))
    .bind(car_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().filter_map(TaskRow::task).collect())
}

/// Marks a task followed up; false when the viewer may not see it.
pub async fn follow_up(
    db: &Db,
    viewer: &crate::staff::Staff,
    id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE reminders SET followed_up_at = COALESCE(followed_up_at, $1), \
             followed_up_by = COALESCE(followed_up_by, $2) \
         WHERE id = $3 AND dealer_id = $4 AND ($5 = 1 OR car_id IN \
             (SELECT id FROM cars WHERE advisor_id = $2))",
    )
    .bind(now)
    .bind(viewer.id)
    .bind(id)
    .bind(viewer.dealer_id)
    .bind(i64::from(viewer.manages()))
    .execute(&db.writer)
    .await?;
    Ok(done.rows_affected() == 1)
}
