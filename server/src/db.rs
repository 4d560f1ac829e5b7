//! The database: one sqlx `Any` pool on SQLite (default, WAL, foreign keys, busy timeout,
//! checked at start-up) or PostgreSQL, and the migrations of each backend.

use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::AnyConnection;
use sqlx::AnyPool;

/// How long a SQLite writer waits for a lock before giving up, in milliseconds.
pub const SQLITE_BUSY_TIMEOUT_MS: i64 = 5_000;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a URL names: `postgres://` / `postgresql://` or `sqlite:`.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://")
        }
    }
}

/// A connection pool and the backend behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// Connects to `url`. On SQLite every connection gets WAL, foreign keys and a busy timeout,
/// and one connection is checked before the pool is handed out: a pragma not in force is an
/// error, never a silent default.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url)?;
    let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
    let pool = match backend {
        Backend::Postgres => options.max_connections(10),
        Backend::Sqlite => options
            .max_connections(8)
            .after_connect(|conn, _meta| Box::pin(sqlite_pragmas(conn))),
    }
    .connect(url)
    .await
    .with_context(|| format!("cannot open the database {}", redact(url)))?;
    let db = Db { pool, backend };
    if backend == Backend::Sqlite {
        check_sqlite(&db).await?;
    }
    Ok(db)
}

async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    conn.execute(format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}").as_str())
        .await?;
    conn.execute("PRAGMA synchronous = NORMAL").await?;
    Ok(())
}

/// Reads the pragmas back on a pooled connection and fails loudly if any is not in force.
pub async fn check_sqlite(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.pool.acquire().await?;
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?;
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await?;
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await?;
    anyhow::ensure!(
        journal.eq_ignore_ascii_case("wal"),
        "SQLite journal_mode is {journal:?}, expected WAL (an in-memory database cannot use WAL)"
    );
    anyhow::ensure!(foreign_keys == 1, "SQLite foreign_keys is off");
    anyhow::ensure!(
        busy == SQLITE_BUSY_TIMEOUT_MS,
        "SQLite busy_timeout is {busy} ms, expected {SQLITE_BUSY_TIMEOUT_MS}"
    );
    Ok(())
}

/// A transaction for writes. On SQLite it begins IMMEDIATE, taking the write lock at once, so
/// a read-then-write inside it can never be overtaken (a deferred one would fail with "busy"
/// when two writers race); on PostgreSQL rows are locked by the statements themselves.
pub async fn begin_write(db: &Db) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    match db.backend {
        Backend::Sqlite => db.pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => db.pool.begin().await,
    }
}

/// Brings the schema up to date (the migrations of the pool's backend).
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    let migrator = match db.backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator
        .run(&db.pool)
        .await
        .context("database migration failed")?;
    Ok(())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_backend_and_hides_passwords() {
        assert_eq!(
            Backend::of_url("sqlite://x.db?mode=rwc").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::of_url("postgres://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::of_url("mysql://u@h/d").is_err());
        assert_eq!(redact("postgres://u:secret@h/d"), "postgres://u:***@h/d");
        assert_eq!(redact("postgres://u@h/d"), "postgres://u@h/d");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[tokio::test]
    async fn sqlite_pragmas_are_in_force_and_memory_databases_are_refused() {
        let path = std::env::temp_dir().join(format!("chelink-db-unit-{}.db", std::process::id()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = connect(&url).await.unwrap();
        check_sqlite(&db).await.unwrap();
        migrate(&db).await.unwrap();
        migrate(&db).await.unwrap();
        db.pool.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        assert!(connect("sqlite::memory:").await.is_err());
    }
}
