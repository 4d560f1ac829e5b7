//! Buffered share-link visits: `/s/{code}` answers at once and hands its visit to one writer
//! task, which writes what gathered in one transaction at least every `GATHER` (a few
//! multi-row statements, not one transaction per click). A flush (the console before it
//! counts, a booking before it attributes, a clean shutdown) writes what is pending at once,
//! so at most `GATHER` of visits is at risk when the process dies without one.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::db::{self, Backend, Db};

/// How long the writer gathers visits before it writes them.
pub const GATHER: Duration = Duration::from_millis(200);

/// The most visits one write holds; more are written in the next.
const MOST_PER_WRITE: usize = 2_000;

/// Rows per multi-row `INSERT`: 5 binds each keeps well under SQLite's and PostgreSQL's limits.
const ROWS_PER_STATEMENT: usize = 200;

/// One fetch of a share link, as it is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub link_id: i64,
    pub at: i64,
    /// The visitor's anonymous id; none for a preview fetch.
    pub visitor: Option<String>,
    /// `shared::link::Agent::as_str`.
    pub agent: &'static str,
    /// A person's click (not a preview, not the dealer's own staff).
    pub counted: bool,
}

enum Message {
    Visit(Visit),
    /// Write what is pending now, then answer.
    Flush(oneshot::Sender<()>),
}

/// The handle every request holds: cheap to clone, sending to the one writer task.
#[derive(Clone, Debug)]
pub struct Clicks {
    tx: mpsc::UnboundedSender<Message>,
}

impl Clicks {
    /// Starts the writer task for `db`.
    pub fn start(db: Db) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_gathered(db, rx));
        Self { tx }
    }

    /// Keeps a visit; it reaches the database within `GATHER`, or at the next flush.
    pub fn keep(&self, visit: Visit) {
        if self.tx.send(Message::Visit(visit)).is_err() {
            tracing::error!("the click writer has stopped: a visit was not kept");
        }
    }

    /// Returns once every visit kept before the call is in the database.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.tx.send(Message::Flush(done)).is_ok() {
            let _ = written.await;
        }
    }
}

/// The writer task: gathers visits for up to `GATHER` (or until a flush or `MOST_PER_WRITE`),
/// writes them in one transaction, answers the flushes that asked, and repeats until every
/// handle is dropped.
async fn write_gathered(db: Db, mut rx: mpsc::UnboundedReceiver<Message>) {
    let mut failing = false;
    while let Some(first) = rx.recv().await {
        let mut visits = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        let deadline = tokio::time::sleep(GATHER);
        tokio::pin!(deadline);
        loop {
            match next.take() {
                Some(Message::Visit(visit)) => visits.push(visit),
                Some(Message::Flush(done)) => {
                    flushes.push(done);
                    break;
                }
                None => {}
            }
            if visits.len() >= MOST_PER_WRITE {
                break;
            }
            // Whatever is already queued is taken without waiting.
            if let Ok(message) = rx.try_recv() {
                next = Some(message);
                continue;
            }
            tokio::select! {
                message = rx.recv() => match message {
                    Some(message) => next = Some(message),
                    None => break,
                },
                () = &mut deadline => break,
            }
        }
        if !visits.is_empty() {
            match write(&db, &visits).await {
                Ok(()) if failing => {
                    tracing::info!("share-link visits are written again");
                    failing = false;
                }
                Ok(()) => {}
                // Logged once when writing starts to fail, not for every batch after.
                Err(e) if !failing => {
                    tracing::error!(error = %e, lost = visits.len(), "cannot write share-link visits");
                    failing = true;
                }
                Err(_) => {}
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Writes visits in one transaction, as multi-row inserts. A visitor's first and last touch
/// are read from these rows (`attribution::FIRST_TOUCH`, `attribution::LAST_TOUCH`): a click
/// is one row written, nothing updated.
pub async fn write(db: &Db, visits: &[Visit]) -> sqlx::Result<()> {
    let mut tx = db::begin_write(db).await?;
    for chunk in visits.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO link_visits (link_id, at, visitor, agent, counted) VALUES {}",
            placeholders(db.backend, chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for v in chunk {
            query = query
                .bind(v.link_id)
                .bind(v.at)
                .bind(v.visitor.as_deref())
                .bind(v.agent)
                .bind(i64::from(v.counted));
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` binds; on SQLite `(?, ?), (?, ?)`:
/// SQLite finds a numbered parameter's name by walking all of them, which made binding a
/// 1,000-parameter statement cost more than running it.
fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let binds: Vec<String> = (1..=columns)
                .map(|c| match backend {
                    Backend::Sqlite => "?".to_string(),
                    Backend::Postgres => format!("${}", r * columns + c),
                })
                .collect();
            format!("({})", binds.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_bind_once() {
        assert_eq!(placeholders(Backend::Postgres, 1, 2), "($1, $2)");
        assert_eq!(
            placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }
}
