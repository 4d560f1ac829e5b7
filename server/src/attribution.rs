//! Attribution in the database: the one place a new lead's consultant is chosen
//! (`consultant_of`: the visitor's binding, the owner of their first-touch link inside the
//! dealer's window, their referrer's consultant up the chain, else round-robin; the order is
//! `shared::attribution::credit`), the binding a first credited lead makes, who referred whom
//! (a friend opening a visitor's own link), what brought a lead or booking, and a lead's
//! share tree for the console.

use shared::attribution::{self, Credit, ShareNode, ShareRoot, ShareTree, VisitorFacts};
use shared::link::Channel;
use sqlx::AnyConnection;

use crate::db::Db;
use crate::staff::Staff;

/// The longest chain of referrers followed: far beyond any real forward chain, and a stop for
/// one that loops.
const MAX_CHAIN: usize = 16;
/// The most people of a lead's tree below it that the console is shown.
const MAX_DESCENDANTS: usize = 100;

/// A visitor's first touch at a dealer, as a subquery for the `link_visits` row of their
/// first counted click (`$1` the dealer, `$2` the visitor): touches are read from the clicks
/// (indexed by visitor and time), so a click writes one row and updates none.
pub const FIRST_TOUCH: &str = "SELECT v.id FROM link_visits v JOIN links l ON l.id = v.link_id \
     WHERE v.visitor = $2 AND v.counted = 1 AND l.dealer_id = $1 ORDER BY v.at, v.id LIMIT 1";

/// A visitor's last touch at a dealer, as [`FIRST_TOUCH`] is their first.
pub const LAST_TOUCH: &str = "SELECT v.id FROM link_visits v JOIN links l ON l.id = v.link_id \
     WHERE v.visitor = $2 AND v.counted = 1 AND l.dealer_id = $1 \
     ORDER BY v.at DESC, v.id DESC LIMIT 1";

/// The consultant a new lead is given, and why.
#[derive(Debug)]
pub struct Assigned {
    pub staff_id: i64,
    pub name: String,
    pub credit: Credit,
}

/// What brought a visitor's lead or booking: their last link, who referred them and their
/// level in the chain (1 when nobody did).
#[derive(Debug, Default, Clone)]
pub struct Origin {
    pub link_id: Option<i64>,
    pub referrer: Option<String>,
    pub level: Option<i64>,
}

/// Who referred `visitor`, their level, when, and the channel of the link they opened.
async fn referral(
    conn: &mut AnyConnection,
    dealer_id: i64,
    visitor: &str,
) -> sqlx::Result<Option<(String, i64, i64, String)>> {
    sqlx::query_as(
        "SELECT r.referrer, r.level, r.at, l.channel FROM visitor_referrals r \
         JOIN links l ON l.id = r.link_id WHERE r.dealer_id = $1 AND r.visitor = $2",
    )
    .bind(dealer_id)
    .bind(visitor)
    .fetch_optional(&mut *conn)
    .await
}

/// A visitor's binding and first touch, each only when it names an active consultant (a
/// staff member handed over stands for their successor), and who referred them.
async fn facts(
    conn: &mut AnyConnection,
    dealer_id: i64,
    visitor: &str,
) -> sqlx::Result<(VisitorFacts, Option<String>)> {
    let (bound_to, first_owner, first_at, referrer): (
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<String>,
    ) = sqlx::query_as(&format!(
        "SELECT \
         (SELECT s.id FROM visitor_bindings b JOIN staff o ON o.id = b.staff_id \
          JOIN staff s ON s.id = COALESCE(o.successor_id, o.id) \
          WHERE b.dealer_id = $1 AND b.visitor = $2 AND s.active = 1) AS bound_to, \
         f.staff_id AS first_owner, f.at AS first_at, \
         (SELECT r.referrer FROM visitor_referrals r WHERE r.dealer_id = $1 AND r.visitor = $2) AS referrer \
         FROM (SELECT 1 AS one) one LEFT JOIN \
         (SELECT s.id AS staff_id, t.at FROM link_visits t JOIN links l ON l.id = t.link_id \
          JOIN staff o ON o.id = l.staff_id JOIN staff s ON s.id = COALESCE(o.successor_id, o.id) \
          WHERE t.id = ({FIRST_TOUCH}) AND s.active = 1 AND s.role = 'consultant') f ON 1 = 1"
    ))
    .bind(dealer_id)
    .bind(visitor)
    .fetch_one(&mut *conn)
    .await?;
    let facts = VisitorFacts {
        bound_to,
        first_touch: first_owner.zip(first_at),
    };
    Ok((facts, referrer))
}

/// The days a first touch through a staff link credits its owner at the dealer.
pub async fn window_days(conn: &mut AnyConnection, dealer_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT attribution_days FROM dealers WHERE id = $1")
        .bind(dealer_id)
        .fetch_one(&mut *conn)
        .await
}

/// Sets the dealer's window; it applies to leads made from now on.
pub async fn set_window_days(db: &Db, dealer_id: i64, days: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE dealers SET attribution_days = $1 WHERE id = $2")
        .bind(days)
        .bind(dealer_id)
        .execute(&db.writer)
        .await?;
    Ok(())
}

/// The consultant the rule credits `visitor` to, without the round-robin step: their
/// binding, else their first touch's consultant inside the dealer's window, else the same for
/// whoever referred them, up the chain. The lead's consultant and the card a visitor sees on
/// the pages (`GET .../my-consultant`) both come from here, so they always agree.
pub async fn credited_consultant(
    conn: &mut AnyConnection,
    dealer_id: i64,
    visitor: &str,
    now: i64,
) -> sqlx::Result<Option<(Credit, i64)>> {
    let window = window_days(&mut *conn, dealer_id).await?;
    let mut chain = Vec::new();
    let mut next = Some(visitor.to_string());
    let mut seen: Vec<String> = Vec::new();
    while let Some(v) = next.take() {
        if seen.contains(&v) || seen.len() >= MAX_CHAIN {
            break;
        }
        let (found, referrer) = facts(conn, dealer_id, &v).await?;
        chain.push(found);
        // The rule takes the first visitor of the chain who names someone: no need to go on.
        if attribution::credit(&[found], now, window).is_some() {
            break;
        }
        seen.push(v);
        next = referrer;
    }
    Ok(attribution::credit(&chain, now, window))
}

/// The consultant a new lead of `visitor` is credited to, inside the caller's transaction:
/// `shared::attribution::credit` over the visitor and their referrers, else the store's next
/// consultant in turn (marked as given one). `None` when the dealer has no active consultant.
pub async fn consultant_of(
    conn: &mut AnyConnection,
    dealer_id: i64,
    visitor: Option<&str>,
    store_id: Option<i64>,
    now: i64,
) -> sqlx::Result<Option<Assigned>> {
    let credited = match visitor {
        Some(visitor) => credited_consultant(conn, dealer_id, visitor, now).await?,
        None => None,
    };
    let (credit, chosen) = match credited {
        Some((credit, staff_id)) => (credit, staff_id),
        None => match next_consultant(conn, dealer_id, store_id).await? {
            Some(staff_id) => (Credit::RoundRobin, staff_id),
            None => return Ok(None),
        },
    };
    let (staff_id, name) = heir(conn, chosen).await?;
    Ok(Some(Assigned {
        staff_id,
        name,
        credit,
    }))
}

/// Who takes a new lead meant for `staff_id`: their successor once they were handed over,
/// else themselves; their id and name. On PostgreSQL the staff row is read `FOR SHARE`, so a
/// hand-over (which first sets `successor_id`) waits for this lead's transaction and then
/// moves the lead, or this transaction waits for the hand-over and reads the successor: a
/// lead is never left with the departed consultant (SQLite has one writer at a time).
async fn heir(conn: &mut AnyConnection, staff_id: i64) -> sqlx::Result<(i64, String)> {
    let lock = if conn.backend_name() == "PostgreSQL" {
        " FOR SHARE"
    } else {
        ""
    };
    let (successor, name): (Option<i64>, String) = sqlx::query_as(&format!(
        "SELECT successor_id, name FROM staff WHERE id = $1{lock}"
    ))
    .bind(staff_id)
    .fetch_one(&mut *conn)
    .await?;
    match successor {
        Some(successor) => {
            let name: String = sqlx::query_scalar("SELECT name FROM staff WHERE id = $1")
                .bind(successor)
                .fetch_one(&mut *conn)
                .await?;
            Ok((successor, name))
        }
        None => Ok((staff_id, name)),
    }
}

/// Round-robin (the rule's last step): the active consultant of the store (of the dealer, without a store) who was
/// given a lead least recently and was not handed over, marked as given one now, in one
/// statement; their id.
async fn next_consultant(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    store_id: Option<i64>,
) -> sqlx::Result<Option<i64>> {
    const MARK: &str = "UPDATE staff SET last_assigned_at = \
         (SELECT COALESCE(MAX(last_assigned_at), 0) + 1 FROM staff WHERE dealer_id = $1) \
         WHERE id = ";
    let sql = match store_id {
        Some(_) => format!(
            "{MARK}(SELECT s.id FROM staff s JOIN staff_stores ss ON ss.staff_id = s.id \
             WHERE ss.store_id = $2 AND s.role = 'consultant' AND s.active = 1 \
             AND s.successor_id IS NULL ORDER BY s.last_assigned_at, s.id LIMIT 1) RETURNING id"
        ),
        None => format!(
            "{MARK}(SELECT id FROM staff WHERE dealer_id = $1 AND role = 'consultant' \
             AND active = 1 AND successor_id IS NULL ORDER BY last_assigned_at, id LIMIT 1) \
             RETURNING id"
        ),
    };
    let mut pick = sqlx::query_scalar(&sql).bind(dealer_id);
    if let Some(store_id) = store_id {
        pick = pick.bind(store_id);
    }
    pick.fetch_optional(&mut *conn).await
}

/// Binds a visitor to the consultant of their lead, unless an earlier lead bound them.
pub async fn bind(
    conn: &mut AnyConnection,
    dealer_id: i64,
    visitor: &str,
    staff_id: i64,
    lead_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO visitor_bindings (dealer_id, visitor, staff_id, lead_id, bound_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dealer_id, visitor) DO NOTHING",
    )
    .bind(dealer_id)
    .bind(visitor)
    .bind(staff_id)
    .bind(lead_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What brought this visitor, for the lead or booking being written.
pub async fn origin(
    conn: &mut AnyConnection,
    dealer_id: i64,
    visitor: Option<&str>,
) -> sqlx::Result<Origin> {
    let Some(visitor) = visitor else {
        return Ok(Origin::default());
    };
    let link_id: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT t.link_id FROM link_visits t WHERE t.id = ({LAST_TOUCH})"
    ))
    .bind(dealer_id)
    .bind(visitor)
    .fetch_optional(&mut *conn)
    .await?;
    let referred = referral(conn, dealer_id, visitor).await?;
    Ok(Origin {
        link_id,
        level: Some(referred.as_ref().map_or(1, |r| r.1)),
        referrer: referred.map(|r| r.0),
    })
}

/// Keeps that `visitor` came through `owner`'s own link (a click, not a preview), unless
/// someone referred them before, it is their own link, or `owner` was referred, at any
/// distance, by `visitor` (a loop). The visitor's level is the owner's plus one.
pub async fn record_referral(
    db: &Db,
    dealer_id: i64,
    link_id: i64,
    owner: &str,
    visitor: &str,
    now: i64,
) -> sqlx::Result<()> {
    if owner == visitor {
        return Ok(());
    }
    let mut conn = db.pool.acquire().await?;
    let mut owner_level = None;
    let mut up = owner.to_string();
    for _ in 0..MAX_CHAIN {
        let Some((referrer, level, _, _)) = referral(&mut conn, dealer_id, &up).await? else {
            break;
        };
        owner_level.get_or_insert(level);
        if referrer == visitor {
            return Ok(());
        }
        up = referrer;
    }
    drop(conn);
    sqlx::query(
        "INSERT INTO visitor_referrals (dealer_id, visitor, referrer, link_id, level, at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dealer_id, visitor) DO NOTHING",
    )
    .bind(dealer_id)
    .bind(visitor)
    .bind(owner)
    .bind(link_id)
    .bind(owner_level.unwrap_or(1) + 1)
    .bind(now)
    .execute(&db.writer)
    .await?;
    Ok(())
}

/// The link of a visitor's first touch, and its staff owner's name if a staff member owns it.
#[derive(sqlx::FromRow)]
struct FirstTouch {
    first_at: i64,
    channel: String,
    staff_name: Option<String>,
    code: String,
    campaign: Option<String>,
}

/// A visitor of a tree: their id, level, when they came and the channel they came by.
type Row = (String, i64, Option<i64>, Option<String>);

/// Whom a visitor forwarded to (the friends who opened their links), oldest first.
async fn children(
    conn: &mut AnyConnection,
    dealer_id: i64,
    referrer: &str,
) -> sqlx::Result<Vec<Row>> {
    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT r.visitor, r.level, r.at, l.channel FROM visitor_referrals r \
         JOIN links l ON l.id = r.link_id WHERE r.dealer_id = $1 AND r.referrer = $2 \
         ORDER BY r.at, r.visitor",
    )
    .bind(dealer_id)
    .bind(referrer)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(v, level, at, channel)| (v, level, Some(at), Some(channel)))
        .collect())
}

/// A person's click on a link: when it is a visitor's own link, they were referred by its owner.
pub async fn referred_by_link(
    db: &Db,
    link: &crate::links::Opened,
    visitor: &str,
    now: i64,
) -> sqlx::Result<()> {
    match &link.owner_visitor {
        Some(owner) => record_referral(db, link.dealer_id, link.id, owner, visitor, now).await,
        None => Ok(()),
    }
}

/// How a visitor shows in the viewer's tree: their lead's name and id when the viewer may open
/// that lead, else `访客` and a short id.
async fn label(
    conn: &mut AnyConnection,
    viewer: &Staff,
    visitor: &str,
) -> sqlx::Result<(String, Option<i64>)> {
    let lead: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, name FROM leads WHERE dealer_id = $1 AND visitor = $2 \
         AND ($3 = 1 OR consultant_id = $4) ORDER BY id LIMIT 1",
    )
    .bind(viewer.dealer_id)
    .bind(visitor)
    .bind(i64::from(viewer.manages()))
    .bind(viewer.id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match lead {
        Some((id, Some(name))) => (name, Some(id)),
        Some((id, None)) => (attribution::visitor_label(visitor), Some(id)),
        None => (attribution::visitor_label(visitor), None),
    })
}

/// A lead's share tree as the viewer may see it: the staff link at the top of its visitor's
/// chain, everyone from there down to the visitor, then the people the visitor forwarded to
/// (and theirs), in tree order. `None` when the lead is not the viewer's to open.
pub async fn share_tree(db: &Db, viewer: &Staff, lead_id: i64) -> sqlx::Result<Option<ShareTree>> {
    let mut conn = db.pool.acquire().await?;
    let lead: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT visitor, credited_by FROM leads WHERE id = $1 AND dealer_id = $2 \
         AND ($3 = 1 OR consultant_id = $4)",
    )
    .bind(lead_id)
    .bind(viewer.dealer_id)
    .bind(i64::from(viewer.manages()))
    .bind(viewer.id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((visitor, credited_by)) = lead else {
        return Ok(None);
    };
    let mut tree = ShareTree {
        credit: credited_by.as_deref().and_then(Credit::parse),
        ..ShareTree::default()
    };
    let Some(visitor) = visitor else {
        return Ok(Some(tree));
    };
    let dealer_id = viewer.dealer_id;

    // Up: the visitor, their referrer, ... to the first of the chain and the link that brought them.
    let mut up: Vec<Row> = Vec::new();
    let mut current = visitor.clone();
    loop {
        let referred = if up.len() >= MAX_CHAIN || up.iter().any(|(v, ..)| *v == current) {
            None
        } else {
            referral(&mut conn, dealer_id, &current).await?
        };
        match referred {
            Some((referrer, level, at, channel)) => {
                up.push((current, level, Some(at), Some(channel)));
                current = referrer;
            }
            None => {
                let first: Option<FirstTouch> = sqlx::query_as(&format!(
                    "SELECT t.at AS first_at, l.channel, s.name AS staff_name, l.code, \
                     l.campaign FROM link_visits t JOIN links l ON l.id = t.link_id \
                     LEFT JOIN staff s ON s.id = l.staff_id WHERE t.id = ({FIRST_TOUCH})"
                ))
                .bind(dealer_id)
                .bind(&current)
                .fetch_optional(&mut *conn)
                .await?;
                if let Some(FirstTouch {
                    channel,
                    staff_name: Some(staff_name),
                    code,
                    campaign,
                    ..
                }) = &first
                {
                    tree.root = Channel::parse(channel).map(|channel| ShareRoot {
                        staff_name: staff_name.clone(),
                        channel,
                        code: code.clone(),
                        campaign: campaign.clone(),
                    });
                }
                let (at, channel) = first.map(|f| (f.first_at, f.channel)).unzip();
                if !up.iter().any(|(v, ..)| *v == current) {
                    up.push((current, 1, at, channel));
                }
                break;
            }
        }
    }
    up.reverse();

    // Down: whom the visitor forwarded to, depth first, each right after who referred them.
    let mut down: Vec<Row> = Vec::new();
    let mut stack: Vec<Row> = children(&mut conn, dealer_id, &visitor).await?;
    stack.reverse();
    while let Some(row) = stack.pop() {
        if down.len() >= MAX_DESCENDANTS {
            break;
        }
        if row.0 == visitor || up.iter().chain(&down).any(|(v, ..)| *v == row.0) {
            continue;
        }
        let mut below = children(&mut conn, dealer_id, &row.0).await?;
        below.reverse();
        down.push(row);
        stack.extend(below);
    }

    for (v, level, at, channel) in up.into_iter().chain(down) {
        let (label, lead) = label(&mut conn, viewer, &v).await?;
        tree.nodes.push(ShareNode {
            level,
            label,
            lead_id: lead,
            at,
            channel: channel.as_deref().and_then(Channel::parse),
            is_this_lead: v == visitor,
        });
    }
    Ok(Some(tree))
}
