//! 离职继承 in the browser: a customer books and their consultant leaves (disabled by SQL
//! until the staff page lands); the admin opens 我的 → 离职继承, picks them, sees what they
//! hold, picks the colleague and confirms; the colleague's 今日 lists the customer as 交接客户.
//! Each step of the page is screenshot.

use crate::browser::{find, screenshot, tap_on, wait_count, wait_text, Driver};
use crate::console::sign_in;
use crate::Site;

async fn staff_id(site: &Site, login: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff WHERE login = $1")
        .bind(login)
        .fetch_one(&site.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_hands_a_departed_consultant_over_and_the_successor_sees_the_customer_today() {
    let site = Site::start().await;
    let (_, credited) = site.customer_books("郑交接", "13900002101").await;
    let (departed, successor) = if credited == "demo-wang" {
        ("demo-wang", "demo-li")
    } else {
        ("demo-li", "demo-wang")
    };
    let (from, to) = (
        staff_id(&site, departed).await,
        staff_id(&site, successor).await,
    );
    sqlx::query("UPDATE staff SET active = 0 WHERE id = $1")
        .bind(from)
        .execute(&site.db.pool)
        .await
        .unwrap();
    let driver = Driver::start().await;

    let admin = driver.phone().await;
    sign_in(&site, &admin, "demo-admin").await;
    tap_on(&admin, "[data-test=tab-account]").await;
    tap_on(&admin, "[data-test=hand-over-entry]").await;
    find(&admin, "[data-test=hand-over-from]")
        .await
        .select_by_value(&from.to_string())
        .await
        .unwrap();
    wait_text(&admin, "[data-test=holds-leads]", |t| t == "1").await;
    wait_text(&admin, "[data-test=holds-bookings]", |t| t == "1").await;
    screenshot(&admin, "console-hand-over").await;
    // Only an active consultant is offered.
    wait_count(&admin, "[data-test=hand-over-to] option", |n| n == 2).await;
    find(&admin, "[data-test=hand-over-to]")
        .await
        .select_by_value(&to.to_string())
        .await
        .unwrap();
    tap_on(&admin, "[data-test=hand-over-ask]").await;
    wait_text(&admin, "[data-test=hand-over-confirm]", |t| {
        t.contains("1 条跟进中的线索")
    })
    .await;
    screenshot(&admin, "console-hand-over-confirm").await;
    tap_on(&admin, "[data-test=hand-over-go]").await;
    wait_text(&admin, "[data-test=hand-over-done]", |t| {
        t.contains("已将") && t.contains("1 条跟进中的线索")
    })
    .await;
    wait_text(&admin, "[data-test=holds-leads]", |t| t == "0").await;
    screenshot(&admin, "console-hand-over-done").await;

    let colleague = driver.phone().await;
    sign_in(&site, &colleague, successor).await;
    wait_text(&colleague, "[data-test=task]", |t| {
        t.contains("交接客户") && t.contains("郑交接")
    })
    .await;
    screenshot(&colleague, "console-today-handed-over").await;
    colleague.close().await.unwrap();
    admin.close().await.unwrap();
}
