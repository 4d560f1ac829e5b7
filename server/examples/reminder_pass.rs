//! Times the reminder scheduler over many cars (`cargo xtask bench scheduler` runs it): a
//! fresh SQLite database with the demo dealers, `N` synthetic cars delivered over four years
//! (two readings each, insurance ending within a year, a third bound to an owner), then the
//! first pass (which makes every reminder) and a second one (which finds nothing new).
//! Usage: `reminder_pass <database file> <cars>`; prints one JSON line.

use std::time::Instant;

use chelink_server::clock::Clock;
use chelink_server::{db, reminders, seed, wechat};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(cars)) = (args.get(1), args.get(2).and_then(|n| n.parse::<i64>().ok()))
    else {
        anyhow::bail!("usage: reminder_pass <database file> <cars>");
    };
    let _ = std::fs::remove_file(file);
    let db = db::connect(&format!("sqlite://{file}?mode=rwc")).await?;
    db::migrate(&db).await?;
    seed::load_demo(&db).await?;
    let today = Clock::now().today().to_string();
    let filled = Instant::now();
    let fill = [
        // Cars: delivered 1 to 1,460 days ago, insurance ending within a year.
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
         INSERT INTO cars (dealer_id, series_id, trim_id, vin, plate, delivered_on, registered_on, \
             insurance_ends_on, odometer_km, advisor_id, created_at) \
         SELECT d.id, t.series_id, t.id, printf('BENCH%012d', i), printf('粤B%05d', i % 100000), \
             date($2, '-' || (1 + i % 1460) || ' days'), date($2, '-' || (1 + i % 1460) || ' days'), \
             date($2, '+' || (i % 365) || ' days'), 12 + (i % 1460) * 40, \
             (SELECT id FROM staff WHERE dealer_id = d.id AND role = 'service_advisor' LIMIT 1), 0 \
         FROM n, dealers d JOIN dealer_trims dt ON dt.dealer_id = d.id JOIN trims t ON t.id = dt.trim_id \
         WHERE d.slug = 'demo' AND t.id = (SELECT MIN(trim_id) FROM dealer_trims WHERE dealer_id = d.id)",
        // Two readings each: at delivery and a recent one.
        "INSERT INTO mileage_readings (car_id, day, km, created_at) \
         SELECT id, delivered_on, 12, 0 FROM cars WHERE vin LIKE 'BENCH%'",
        "INSERT INTO mileage_readings (car_id, day, km, created_at) \
         SELECT id, date($2, '-3 days'), odometer_km, 0 FROM cars WHERE vin LIKE 'BENCH%'",
        // A third of the cars bound to an owner of their own.
        "INSERT INTO owners (id, dealer_id, created_at) \
         SELECT id + 1000000, dealer_id, 0 FROM cars WHERE vin LIKE 'BENCH%' AND id % 3 = 0",
        "INSERT INTO car_bindings (car_id, code, issued_at, expires_at, owner_id, bound_at) \
         SELECT id, 'B' || id, 0, 0, id + 1000000, 0 FROM cars WHERE vin LIKE 'BENCH%' AND id % 3 = 0",
    ];
    for sql in fill {
        sqlx::query(sql)
            .bind(cars)
            .bind(&today)
            .execute(&db.writer)
            .await?;
    }
    let fill_ms = filled.elapsed().as_millis();
    let wechat = wechat::WeChat::new(
        wechat::DEFAULT_API,
        wechat::DEFAULT_OAUTH,
        shared::wechat::JS_SDK_URL,
    );
    let now = Clock::now().millis;
    let started = Instant::now();
    let first = reminders::tick(&db, &wechat, now).await?;
    let first_ms = started.elapsed().as_millis();
    let started = Instant::now();
    let second = reminders::tick(&db, &wechat, now).await?;
    let second_ms = started.elapsed().as_millis();
    println!(
        "{}",
        serde_json::json!({
            "cars": first.cars, "fill_ms": fill_ms,
            "first_ms": first_ms, "made": first.made,
            "second_ms": second_ms, "made_again": second.made, "settled_again": second.settled,
        })
    );
    Ok(())
}
