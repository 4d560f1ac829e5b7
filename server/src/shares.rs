//! Visitors' own share links ("分享给朋友": one per visitor, page and channel, remembering the
//! staff link their chain started from) and what a staff member's links brought, their
//! visitors' forwards included: clicks, previews, visitors, leads and bookings, by channel and
//! by day.

use std::collections::BTreeMap;

use shared::attribution::{ChannelCounts, DayCounts, LinkStats, STATS_DAYS};
use shared::date::Date;
use shared::link::{self, Channel, Link};

use crate::db::Db;

const DAY_MILLIS: i64 = 86_400_000;
/// Beijing is UTC+8 all year: a Beijing day number is `(millis + 8h) / 1 day`.
const BEIJING_OFFSET: i64 = 8 * 3_600_000;

#[derive(sqlx::FromRow)]
struct VisitorLinkRow {
    code: String,
    target: String,
    channel: String,
    created_at: i64,
    clicks: i64,
    previews: i64,
    visitors: i64,
}

/// The visitor's link to `target` for `channel`, with what it brought so far.
async fn find(
    db: &Db,
    dealer_id: i64,
    visitor: &str,
    target: &str,
    channel: Channel,
) -> sqlx::Result<Option<Link>> {
    let row: Option<VisitorLinkRow> = sqlx::query_as(
        "SELECT l.code, l.target, l.channel, l.created_at, \
         CAST(COALESCE(SUM(CASE WHEN v.counted = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS clicks, \
         CAST(COALESCE(SUM(CASE WHEN v.agent = 'preview' THEN 1 ELSE 0 END), 0) AS BIGINT) AS previews, \
         CAST(COUNT(DISTINCT CASE WHEN v.counted = 1 THEN v.visitor END) AS BIGINT) AS visitors \
         FROM links l LEFT JOIN link_visits v ON v.link_id = l.id \
         WHERE l.dealer_id = $1 AND l.visitor = $2 AND l.target = $3 AND l.channel = $4 \
         GROUP BY l.id, l.code, l.target, l.channel, l.created_at",
    )
    .bind(dealer_id)
    .bind(visitor)
    .bind(target)
    .bind(channel.as_str())
    .fetch_optional(&db.writer)
    .await?;
    Ok(row.map(|r| Link {
        path: link::link_path(&r.code),
        channel: Channel::parse(&r.channel).unwrap_or(channel),
        code: r.code,
        target: r.target,
        campaign: None,
        expires_on: None,
        created_at: r.created_at,
        clicks: r.clicks,
        previews: r.previews,
        visitors: r.visitors,
    }))
}

/// The visitor's own link to a page (already checked to be the dealer's) for a channel: the
/// one made before (`false`), or a new one under a fresh code (`true`) that remembers the
/// staff link at the top of the visitor's chain (their first touch's).
pub async fn visitor_link(
    db: &Db,
    dealer_id: i64,
    visitor: &str,
    target: &str,
    channel: Channel,
    now: i64,
) -> sqlx::Result<(Link, bool)> {
    if let Some(made) = find(db, dealer_id, visitor, target, channel).await? {
        return Ok((made, false));
    }
    let first: Option<(i64, Option<i64>, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT l.id, l.staff_id, l.root_link_id FROM link_visits t \
         JOIN links l ON l.id = t.link_id WHERE t.id = ({})",
        crate::attribution::FIRST_TOUCH
    ))
    .bind(dealer_id)
    .bind(visitor)
    .fetch_optional(&db.pool)
    .await?;
    let root = first.and_then(|(id, staff, root)| root.or(staff.map(|_| id)));
    loop {
        let Some(code) = link::code_from(rand::random::<[u8; 32]>()) else {
            continue;
        };
        // A taken code, or the same link asked for twice at once: nothing is written.
        let inserted = sqlx::query(
            "INSERT INTO links (dealer_id, code, visitor, target, channel, created_at, root_link_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(dealer_id)
        .bind(&code)
        .bind(visitor)
        .bind(target)
        .bind(channel.as_str())
        .bind(now)
        .bind(root)
        .execute(&db.writer)
        .await?
        .rows_affected();
        if let Some(made) = find(db, dealer_id, visitor, target, channel).await? {
            return Ok((made, inserted == 1));
        }
    }
}

#[derive(sqlx::FromRow)]
struct VisitCounts {
    root: i64,
    channel: String,
    forwarded: i64,
    clicks: i64,
    previews: i64,
    visitors: i64,
}

#[derive(sqlx::FromRow)]
struct Brought {
    root: i64,
    channel: String,
    forwarded: i64,
    day: i64,
    n: i64,
}

/// Keeps the links `l` of staff member `$1` and their visitors' forwards of them.
const FAMILY: &str =
    "WHERE COALESCE(l.root_link_id, l.id) IN (SELECT id FROM links WHERE staff_id = $1)";

/// What each of a staff member's links brought, newest link first, with the forwards of the
/// visitors it brought: totals, by channel (its own, then forwards), and each of the last
/// `STATS_DAYS` Beijing days.
pub async fn stats_of_staff(db: &Db, staff_id: i64, now: i64) -> sqlx::Result<Vec<LinkStats>> {
    let links: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, code FROM links WHERE staff_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(staff_id)
    .fetch_all(&db.pool)
    .await?;
    let family = FAMILY;
    let visits: Vec<VisitCounts> = sqlx::query_as(&format!(
        "SELECT COALESCE(l.root_link_id, l.id) AS root, l.channel, \
         CAST(CASE WHEN l.visitor IS NULL THEN 0 ELSE 1 END AS BIGINT) AS forwarded, \
         CAST(SUM(CASE WHEN v.counted = 1 THEN 1 ELSE 0 END) AS BIGINT) AS clicks, \
         CAST(SUM(CASE WHEN v.agent = 'preview' THEN 1 ELSE 0 END) AS BIGINT) AS previews, \
         CAST(COUNT(DISTINCT CASE WHEN v.counted = 1 THEN v.visitor END) AS BIGINT) AS visitors \
         FROM link_visits v JOIN links l ON l.id = v.link_id {family} \
         GROUP BY COALESCE(l.root_link_id, l.id), l.channel, CASE WHEN l.visitor IS NULL THEN 0 ELSE 1 END"
    ))
    .bind(staff_id)
    .fetch_all(&db.pool)
    .await?;
    let visitors: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT COALESCE(l.root_link_id, l.id) AS root, \
         CAST(COUNT(DISTINCT CASE WHEN v.counted = 1 THEN v.visitor END) AS BIGINT) AS visitors \
         FROM link_visits v JOIN links l ON l.id = v.link_id {family} \
         GROUP BY COALESCE(l.root_link_id, l.id)"
    ))
    .bind(staff_id)
    .fetch_all(&db.pool)
    .await?;
    let today = (now + BEIJING_OFFSET).div_euclid(DAY_MILLIS);
    let first_day = today - (STATS_DAYS - 1);
    let brought = |table: &str, at: &str, link: &str| {
        format!(
            "SELECT COALESCE(l.root_link_id, l.id) AS root, l.channel, \
             CAST(CASE WHEN l.visitor IS NULL THEN 0 ELSE 1 END AS BIGINT) AS forwarded, \
             CAST(({at} + {BEIJING_OFFSET}) / {DAY_MILLIS} AS BIGINT) AS day, \
             CAST(COUNT(*) AS BIGINT) AS n \
             FROM {table} JOIN links l ON l.id = {link} {family} \
             GROUP BY COALESCE(l.root_link_id, l.id), l.channel, \
             CASE WHEN l.visitor IS NULL THEN 0 ELSE 1 END, ({at} + {BEIJING_OFFSET}) / {DAY_MILLIS}"
        )
    };
    let leads: Vec<Brought> =
        sqlx::query_as(&brought("leads le", "le.created_at", "le.origin_link_id"))
            .bind(staff_id)
            .fetch_all(&db.pool)
            .await?;
    let bookings: Vec<Brought> =
        sqlx::query_as(&brought("bookings b", "b.created_at", "b.link_id"))
            .bind(staff_id)
            .fetch_all(&db.pool)
            .await?;
    let clicks_by_day: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT COALESCE(l.root_link_id, l.id) AS root, \
         CAST((v.at + {BEIJING_OFFSET}) / {DAY_MILLIS} AS BIGINT) AS day, CAST(COUNT(*) AS BIGINT) AS n \
         FROM link_visits v JOIN links l ON l.id = v.link_id {family} AND v.counted = 1 AND v.at >= $2 \
         GROUP BY COALESCE(l.root_link_id, l.id), (v.at + {BEIJING_OFFSET}) / {DAY_MILLIS}"
    ))
    .bind(staff_id)
    .bind(first_day * DAY_MILLIS - BEIJING_OFFSET)
    .fetch_all(&db.pool)
    .await?;

    Ok(links
        .into_iter()
        .map(|(id, code)| {
            let mut channels: BTreeMap<(i64, String), ChannelCounts> = BTreeMap::new();
            let mut stats = LinkStats {
                code,
                ..LinkStats::default()
            };
            let mut days: Vec<DayCounts> = (first_day..=today)
                .map(|d| DayCounts {
                    day: Date::from_unix_days(d),
                    clicks: 0,
                    leads: 0,
                })
                .collect();
            for v in visits.iter().filter(|v| v.root == id) {
                stats.clicks += v.clicks;
                stats.previews += v.previews;
                let entry = channel_entry(&mut channels, &v.channel, v.forwarded);
                entry.clicks += v.clicks;
                entry.visitors += v.visitors;
            }
            stats.visitors = visitors
                .iter()
                .find(|(root, _)| *root == id)
                .map_or(0, |(_, n)| *n);
            for l in leads.iter().filter(|l| l.root == id) {
                stats.leads += l.n;
                channel_entry(&mut channels, &l.channel, l.forwarded).leads += l.n;
                if let Some(day) =
                    days.get_mut(usize::try_from(l.day - first_day).unwrap_or(usize::MAX))
                {
                    day.leads += l.n;
                }
            }
            for b in bookings.iter().filter(|b| b.root == id) {
                stats.bookings += b.n;
                channel_entry(&mut channels, &b.channel, b.forwarded).bookings += b.n;
            }
            for (_, day, n) in clicks_by_day.iter().filter(|(root, ..)| *root == id) {
                if let Some(d) =
                    days.get_mut(usize::try_from(day - first_day).unwrap_or(usize::MAX))
                {
                    d.clicks += n;
                }
            }
            stats.by_channel = channels.into_values().collect();
            stats.by_day = days;
            stats
        })
        .collect())
}

/// The counts of one channel of a link family: its own link's (`forwarded` 0) or its visitors'
/// forwards (1), which sort after.
fn channel_entry<'a>(
    channels: &'a mut BTreeMap<(i64, String), ChannelCounts>,
    channel: &str,
    forwarded: i64,
) -> &'a mut ChannelCounts {
    channels
        .entry((forwarded, channel.to_string()))
        .or_insert_with(|| ChannelCounts {
            channel: Channel::parse(channel),
            forwarded: forwarded == 1,
            ..ChannelCounts::default()
        })
}
