//! Price enquiries (询底价): the lead they create or touch, what a browser may see of its
//! own, and the cars and store hours the enquiry sheet answers with.

use shared::booking::Consultant;

use crate::db::{self, Db};
use crate::leads::{self, Event, Touch};
use crate::proofs::Access;

/// A price enquiry: the lead created or updated, the event on its timeline, its consultant.
pub async fn enquire(db: &Db, touch: &Touch<'_>) -> sqlx::Result<Option<Consultant>> {
    let mut tx = db::begin_write(db).await?;
    let detail = serde_json::json!({
        "series": touch.series_id, "trim": touch.trim_id,
        "page": touch.origin.page, "button": touch.origin.button, "channel": touch.origin.channel,
    });
    let owned = leads::touch(&mut tx, touch, Event::Enquired, &detail.to_string()).await?;
    let consultant = leads::consultant(&mut tx, owned.consultant_id).await?;
    tx.commit().await?;
    Ok(consultant)
}

/// The opening hours (as shown) of the dealer's first store.
pub async fn first_store_hours(db: &Db, dealer_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT opening_hours FROM stores WHERE dealer_id = $1 ORDER BY position, id LIMIT 1",
    )
    .bind(dealer_id)
    .fetch_optional(&db.pool)
    .await
}

/// The price enquiries a browser may see: made by its visitor, or on a proven phone's lead.
pub async fn enquiries_seen(db: &Db, dealer_id: i64, access: &Access) -> sqlx::Result<i64> {
    let (seen, values) = access.condition("x", 2);
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT e.visitor, l.phone FROM lead_events e \
         JOIN leads l ON l.id = e.lead_id WHERE l.dealer_id = $1 AND e.kind = 'enquired') x \
         WHERE {seen}"
    );
    let mut query = sqlx::query_scalar(&sql).bind(dealer_id);
    for value in values {
        query = query.bind(value);
    }
    query.fetch_one(&db.pool).await
}
