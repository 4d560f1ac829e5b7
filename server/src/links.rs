//! Share links in the database: made by a staff member for a page of their dealer, found by
//! code when opened, every fetch of them kept (clicks and previews; a visitor's first and last
//! touch are read from their clicks), and the counts their owner sees.

use shared::date::Date;
use shared::link::{self, Channel, Link, NewLink};

use std::sync::Arc;
use std::time::Duration;

use crate::db::Db;

/// A link found by its code: what opening it needs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Opened {
    pub id: i64,
    pub dealer_id: i64,
    pub dealer_slug: String,
    pub staff_id: Option<i64>,
    /// The visitor who owns it, for a visitor's own link ("分享给朋友").
    pub owner_visitor: Option<String>,
    pub target: String,
    pub channel: String,
    expires_on: Option<String>,
}

impl Opened {
    /// Whether the link still opens on `today` (its expiry is its last day).
    pub fn is_open(&self, today: Date) -> bool {
        self.expires_on
            .as_deref()
            .and_then(Date::parse)
            .is_none_or(|last| today <= last)
    }
}

/// Makes a link owned by a staff member, under a fresh unguessable code.
pub async fn create(
    db: &Db,
    dealer_id: i64,
    staff_id: i64,
    new: &NewLink,
    now: i64,
) -> sqlx::Result<String> {
    loop {
        let code = link::code_from(rand::random::<[u8; 32]>()).unwrap_or_default();
        if code.is_empty() {
            continue;
        }
        let inserted = sqlx::query(
            "INSERT INTO links (dealer_id, code, staff_id, target, channel, campaign, \
                 expires_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (code) DO NOTHING",
        )
        .bind(dealer_id)
        .bind(&code)
        .bind(staff_id)
        .bind(&new.target)
        .bind(new.channel.as_str())
        .bind(new.campaign.as_deref())
        .bind(new.expires_on.map(|d| d.to_string()))
        .bind(now)
        .execute(&db.writer)
        .await?
        .rows_affected();
        // A code already taken (about one in 10^17) is simply drawn again.
        if inserted == 1 {
            return Ok(code);
        }
    }
}

/// How long a found link is kept in memory: a link's page and owner never change, and an
/// expiry changed in the database is seen by every instance within this time.
const FOUND_FOR: Duration = Duration::from_secs(10);

/// Links found by code, kept for `FOUND_FOR`, so a link shared to a big group is read once
/// per instance rather than once per click. Unknown codes are not kept: a link made on
/// another instance opens at once.
#[derive(Clone, Debug)]
pub struct Found(moka::sync::Cache<String, Arc<Opened>>);

impl Found {
    pub fn new() -> Self {
        Self(
            moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(FOUND_FOR)
                .build(),
        )
    }

    /// The link a code names, from memory or else the database.
    pub async fn open(&self, db: &Db, code: &str) -> sqlx::Result<Option<Arc<Opened>>> {
        if let Some(found) = self.0.get(code) {
            return Ok(Some(found));
        }
        let Some(found) = open(db, code).await? else {
            return Ok(None);
        };
        let found = Arc::new(found);
        self.0.insert(code.to_string(), found.clone());
        Ok(Some(found))
    }
}

impl Default for Found {
    fn default() -> Self {
        Self::new()
    }
}

/// The link a code names, with its dealer.
pub async fn open(db: &Db, code: &str) -> sqlx::Result<Option<Opened>> {
    sqlx::query_as(
        "SELECT l.id, l.dealer_id, d.slug AS dealer_slug, l.staff_id, l.visitor AS owner_visitor, \
         l.target, l.channel, l.expires_on \
         FROM links l JOIN dealers d ON d.id = l.dealer_id WHERE l.code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    code: String,
    target: String,
    channel: String,
    campaign: Option<String>,
    expires_on: Option<String>,
    created_at: i64,
    clicks: i64,
    previews: i64,
    visitors: i64,
}

/// A staff member's own links, newest first, with their clicks, previews and visitors.
pub async fn of_staff(db: &Db, staff_id: i64) -> sqlx::Result<Vec<Link>> {
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT l.code, l.target, l.channel, l.campaign, l.expires_on, l.created_at, \
         COALESCE(SUM(CASE WHEN v.counted = 1 THEN 1 ELSE 0 END), 0) AS clicks, \
         COALESCE(SUM(CASE WHEN v.agent = 'preview' THEN 1 ELSE 0 END), 0) AS previews, \
         COUNT(DISTINCT CASE WHEN v.counted = 1 THEN v.visitor END) AS visitors \
         FROM links l LEFT JOIN link_visits v ON v.link_id = l.id \
         WHERE l.staff_id = $1 GROUP BY l.id, l.code, l.target, l.channel, l.campaign, \
         l.expires_on, l.created_at ORDER BY l.created_at DESC, l.id DESC",
    )
    .bind(staff_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Link {
                path: link::link_path(&r.code),
                channel: Channel::parse(&r.channel)?,
                expires_on: r.expires_on.as_deref().and_then(Date::parse),
                code: r.code,
                target: r.target,
                campaign: r.campaign,
                created_at: r.created_at,
                clicks: r.clicks,
                previews: r.previews,
                visitors: r.visitors,
            })
        })
        .collect())
}
