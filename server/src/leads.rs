//! Leads in the database: one per dealer and phone, created or updated by every booking and
//! enquiry inside the caller's transaction, given a consultant by the attribution rule
//! (`attribution::consultant_of`; round-robin last), and a timeline of what happened to it.

use shared::booking::{Consultant, Contact, Origin};

use crate::attribution;

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
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Rescheduled => "rescheduled",
            Self::Cancelled => "cancelled",
            Self::Enquired => "enquired",
            Self::Assigned => "assigned",
            Self::Erased => "erased",
            Self::NameGiven => "note",
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
            written(conn, lead_id, Event::NameGiven, t.now, &line, t.visitor).await?;
        }
    }
    if let Some(staff_id) = consultant_id {
        if let Some(visitor) = t.visitor {
            attribution::bind(conn, t.dealer_id, visitor, staff_id, lead_id, t.now).await?;
        }
        written(conn, lead_id, event, t.now, detail, t.visitor).await?;
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
            sqlx::query(
                "INSERT INTO lead_events (lead_id, at, kind, detail, visitor) \
                 VALUES ($1, $2, $3, $4, NULL), ($1, $2, $5, $6, $7)",
            )
            .bind(lead_id)
            .bind(t.now)
            .bind(Event::Assigned.as_str())
            .bind(assigned.credit.assigned_text(&assigned.name))
            .bind(event.as_str())
            .bind(detail)
            .bind(t.visitor)
            .execute(&mut *conn)
            .await?;
        }
        None => written(conn, lead_id, event, t.now, detail, t.visitor).await?,
    }
    Ok(Owned {
        lead_id,
        consultant_id: next.map(|a| a.staff_id),
        came_by,
    })
}

/// Round-robin (the rule's last step): the active consultant of the store (of the dealer, without a store) who was
/// given a lead least recently, marked as given one now, in one statement; their id and name.
pub(crate) async fn next_consultant(
    conn: &mut sqlx::AnyConnection,
    dealer_id: i64,
    store_id: Option<i64>,
) -> sqlx::Result<Option<(i64, String)>> {
    const MARK: &str = "UPDATE staff SET last_assigned_at = \
         (SELECT COALESCE(MAX(last_assigned_at), 0) + 1 FROM staff WHERE dealer_id = $1) \
         WHERE id = ";
    let sql = match store_id {
        Some(_) => format!(
            "{MARK}(SELECT s.id FROM staff s JOIN staff_stores ss ON ss.staff_id = s.id \
             WHERE ss.store_id = $2 AND s.role = 'consultant' AND s.active = 1 \
             ORDER BY s.last_assigned_at, s.id LIMIT 1) RETURNING id, name"
        ),
        None => format!(
            "{MARK}(SELECT id FROM staff WHERE dealer_id = $1 AND role = 'consultant' \
             AND active = 1 ORDER BY last_assigned_at, id LIMIT 1) RETURNING id, name"
        ),
    };
    let mut pick = sqlx::query_as(&sql).bind(dealer_id);
    if let Some(store_id) = store_id {
        pick = pick.bind(store_id);
    }
    pick.fetch_optional(&mut *conn).await
}

/// Adds an event to a lead's timeline.
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    lead_id: i64,
    event: Event,
    now: i64,
    detail: &str,
) -> sqlx::Result<()> {
    written(conn, lead_id, event, now, detail, None).await
}

/// Adds an event a visitor's form wrote to a lead's timeline.
async fn written(
    conn: &mut sqlx::AnyConnection,
    lead_id: i64,
    event: Event,
    now: i64,
    detail: &str,
    visitor: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO lead_events (lead_id, at, kind, detail, visitor) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(lead_id)
    .bind(now)
    .bind(event.as_str())
    .bind(detail)
    .bind(visitor)
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
