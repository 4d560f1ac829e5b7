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
    /// A staff member's note.
    Note,
    /// A staff member called the customer.
    Call,
    /// The lead's status moved (or a lost claim was made or decided, or the car delivered).
    Status,
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
            Self::NameGiven | Self::Note => "note",
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
