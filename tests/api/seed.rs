//! Loading the demo data is idempotent: seeding again changes no row count and no answer.

use shared::catalog::SeriesList;

both! {
    async fn seeding_twice_changes_no_row_counts(app) {
        let before = app.row_counts().await;
        let count = |table: &str| before.iter().find(|(t, _)| *t == table).map(|(_, n)| *n);
        assert_eq!(count("dealers"), Some(2));
        assert_eq!(count("stores"), Some(3));
        assert_eq!(count("brands"), Some(15));
        assert_eq!(count("series"), Some(35));
        assert_eq!(count("dealer_series"), Some(24 + 13));
        let list_before: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;

        server::seed::load_demo(&app.db).await.expect("seed again");
        server::seed::load_demo(&app.db).await.expect("and again");
        server::db::migrate(&app.db).await.expect("migrate again");

        assert_eq!(app.row_counts().await, before);
        let list_after: SeriesList = app.get_ok("/api/v1/dealers/demo/series").await;
        assert_eq!(list_after, list_before);
    }
}

both! {
    async fn the_database_enforces_foreign_keys(app) {
        let orphan = sqlx::query("INSERT INTO dealer_trims (dealer_id, trim_id) VALUES ($1, $2)")
            .bind(999_999_i64)
            .bind("no-such-trim")
            .execute(&app.db.pool)
            .await;
        assert!(orphan.is_err(), "{:?} accepted an orphan row", app.backend);
    }
}
