//! The two migration folders are one schema in two dialects: the same tables with the same
//! columns and the same NOT NULLs on SQLite and on PostgreSQL.

use server::db::Backend;

use crate::helpers::{run, TestApp};

/// (table, column, required) for every column of the application's tables, sorted.
async fn columns(app: &TestApp) -> Vec<(String, String, bool)> {
    let sql = match app.backend {
        // An INTEGER PRIMARY KEY is required too, though SQLite does not say NOT NULL.
        Backend::Sqlite => {
            "SELECT m.name, p.name, CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 1 ELSE 0 END \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), \
             CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'"
        }
    };
    let rows: Vec<(String, String, i64)> = sqlx::query_as(sql)
        .fetch_all(&app.db.pool)
        .await
        .expect("columns");
    let mut columns: Vec<_> = rows.into_iter().map(|(t, c, r)| (t, c, r == 1)).collect();
    columns.sort();
    columns
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_folders_give_the_same_tables_and_columns() {
    run(Backend::Sqlite, |sqlite| async move {
        let on_sqlite = columns(&sqlite).await;
        assert!(on_sqlite
            .iter()
            .any(|(t, c, _)| t == "trim_listings" && c == "period"));
        run(Backend::Postgres, |postgres| async move {
            assert_eq!(columns(&postgres).await, on_sqlite);
        })
        .await;
    })
    .await;
}
