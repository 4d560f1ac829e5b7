//! The two migration folders are one schema in two dialects: the same tables with the same
//! columns and the same NOT NULLs on SQLite and on PostgreSQL, without the columns nothing
//! uses; and a SQLite database made before 0016 keeps its cars and what hangs off them.

use server::db::Backend;
use sqlx::migrate::Migrator;

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

/// Columns nothing reads or writes any more (migration 0016).
const DEAD: [(&str, &str); 3] = [
    ("staff", "failed_logins"),
    ("staff", "locked_until"),
    ("cars", "old_inspection_cycle"),
];

both! {
    async fn the_columns_nothing_uses_are_gone(app) {
        let columns = columns(&app).await;
        assert!(columns.iter().any(|(t, c, _)| t == "cars" && c == "modification_penalty"));
        for (table, column) in DEAD {
            assert!(
                !columns.iter().any(|(t, c, _)| t == table && c == column),
                "{table}.{column} is still there"
            );
        }
    }
}

/// A SQLite database migrated up to 0015 (as one made before 0016 was), holding a car with a
/// binding code and a reading, then brought up to date by `server::db::migrate`: the car,
/// its code and its reading are still there, `cars.old_inspection_cycle` is gone, and the
/// bindings and readings still point at the cars table (deleting the car takes them along).
#[tokio::test]
async fn a_sqlite_database_from_before_0016_keeps_its_cars_and_their_rows() {
    let dir = std::env::temp_dir().join(format!("chelink-before-0016-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let before = dir.join("migrations");
    std::fs::create_dir_all(&before).unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/migrations/sqlite");
    for entry in std::fs::read_dir(&all).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "0016" {
            std::fs::copy(&path, before.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}?mode=rwc", dir.join("old.db").display());
    let db = server::db::connect(&url).await.unwrap();
    Migrator::new(before.as_path())
        .await
        .unwrap()
        .run(&db.pool)
        .await
        .unwrap();
    for statement in [
        "INSERT INTO dealers (id, slug, name, brand_color, phone) VALUES (1, 'old', '老店', '#07C160', '02000000000')",
        "INSERT INTO brands (id, name_zh, name_en) VALUES ('byd', '比亚迪', 'BYD')",
        "INSERT INTO series (id, brand_id, name_zh, name_en, body_type, energy_types, status) \
         VALUES ('byd-qin', 'byd', '秦', 'Qin', 'sedan', 'phev', 'on_sale')",
        "INSERT INTO trims (id, series_id, name_zh) VALUES ('byd-qin-1', 'byd-qin', '领先型')",
        "INSERT INTO staff (id, dealer_id, role, name, phone, failed_logins, locked_until) \
         VALUES (1, 1, 'consultant', '王磊', '13800000000', 2, 0)",
        "INSERT INTO cars (id, dealer_id, series_id, trim_id, vin, plate, delivered_on, registered_on, \
         odometer_km, old_inspection_cycle, created_at, modification_penalty) \
         VALUES (7, 1, 'byd-qin', 'byd-qin-1', 'LVSFCFME37F107967', '粤BD12345', '2026-01-02', \
         '2026-01-02', 12, 0, 1, 1)",
        "INSERT INTO car_bindings (car_id, code, issued_at, expires_at) VALUES (7, 'ABCD2345', 1, 2)",
        "INSERT INTO mileage_readings (car_id, day, km, created_at) VALUES (7, '2026-02-01', 900, 3)",
    ] {
        sqlx::query(statement).execute(&db.writer).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }

    server::db::migrate(&db).await.unwrap();
    server::db::migrate(&db).await.unwrap();

    let car: (String, i64, i64) =
        sqlx::query_as("SELECT plate, odometer_km, modification_penalty FROM cars WHERE id = 7")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(car, ("粤BD12345".to_string(), 12, 1));
    let hanging = |table: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table} WHERE car_id = 7"))
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        (
            hanging("car_bindings").await,
            hanging("mileage_readings").await
        ),
        (1, 1)
    );
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name IN ('staff', 'cars')",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for (table, column) in DEAD {
        assert!(
            !columns.iter().any(|(t, c)| t == table && c == column),
            "{table}.{column}"
        );
    }
    // The old CHECKs of the kept columns still hold, and the foreign keys still cascade.
    let bad = sqlx::query("UPDATE cars SET casualty_accident = 2 WHERE id = 7")
        .execute(&db.writer)
        .await;
    assert!(bad.is_err(), "the casualty check is gone");
    sqlx::query("DELETE FROM cars WHERE id = 7")
        .execute(&db.writer)
        .await
        .unwrap();
    assert_eq!(
        (
            hanging("car_bindings").await,
            hanging("mileage_readings").await
        ),
        (0, 0)
    );

    db.pool.close().await;
    db.writer.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
