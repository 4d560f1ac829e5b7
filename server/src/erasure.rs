//! What the dealer keeps about a phone (a person's own view under 我的), and its erasure at
//! the person's request: open bookings cancelled, name and phone gone, the lead an
//! anonymous count.

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::leads::{self, By, Event};
use crate::slots::{self, SlotKind};

/// What the dealer keeps about a phone: the lead's name, consent and number of enquiries.
pub async fn lead_of_phone(
    db: &Db,
    dealer_id: i64,
    phone: &str,
) -> sqlx::Result<Option<(Option<String>, Option<String>, i64)>> {
    sqlx::query_as(
        "SELECT l.name, l.consent_version, \
         (SELECT COUNT(*) FROM lead_events e WHERE e.lead_id = l.id AND e.kind = 'enquired') \
         FROM leads l WHERE l.dealer_id = $1 AND l.phone = $2",
    )
    .bind(dealer_id)
    .bind(phone)
    .fetch_optional(&db.pool)
    .await
}

/// Deletes a person's data at the dealer, at once: future open bookings are cancelled and
/// their seats freed, name and phone are erased from the lead and every booking, staff notes
/// are blanked; the lead stays as an anonymous count.
pub async fn erase(db: &Db, dealer_id: i64, phone: &str, clock: Clock) -> sqlx::Result<()> {
    let mut tx = db::begin_write(db).await?;
    let open: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT b.id, b.slot_id, sl.day, sl.start_min FROM bookings b JOIN slots sl ON sl.id = b.slot_id \
         WHERE b.dealer_id = $1 AND b.phone = $2 AND b.status IN ('booked', 'confirmed')",
    )
    .bind(dealer_id)
    .bind(phone)
    .fetch_all(&mut *tx)
    .await?;
    let today = clock.today().to_string();
    for (id, slot_id, day, start) in open {
        let future = day > today || (day == today && start > i64::from(clock.minute()));
        if !future {
            continue;
        }
        slots::cancel_seat(&mut tx, SlotKind::TestDrive, id, slot_id, clock.millis).await?;
    }
    sqlx::query(
        "UPDATE bookings SET name = NULL, phone = NULL, updated_at = $1 WHERE dealer_id = $2 AND phone = $3",
    )
    .bind(clock.millis)
    .bind(dealer_id)
    .bind(phone)
    .execute(&mut *tx)
    .await?;
    let lead: Option<i64> =
        sqlx::query_scalar("SELECT id FROM leads WHERE dealer_id = $1 AND phone = $2")
            .bind(dealer_id)
            .bind(phone)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(lead_id) = lead {
        sqlx::query(
            "UPDATE leads SET name = NULL, phone = NULL, erased_at = $1, updated_at = $1 WHERE id = $2",
        )
        .bind(clock.millis)
        .bind(lead_id)
        .execute(&mut *tx)
        .await?;
        leads::blank_notes(&mut tx, lead_id).await?;
        Event::Erased
            .write(&mut tx, lead_id, By::Visitor(None), "", clock.millis)
            .await?;
    }
    crate::activities::erase(&mut tx, dealer_id, phone, clock.millis).await?;
    sqlx::query("DELETE FROM phone_codes WHERE dealer_id = $1 AND phone = $2")
        .bind(dealer_id)
        .bind(phone)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}
