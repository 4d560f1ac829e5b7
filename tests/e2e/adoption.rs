//! A dealer group adopts Chelink on its own, in the browser: the operator adds the dealer
//! with `chelink-server dealer add`; its admin signs in through the printed link, sets the
//! loan terms, puts a series on sale, adds a store and two consultants; a consultant signs
//! in through their link and shares the test-drive page; a visitor books through it; the
//! admin disables the consultant and hands their customers over; the next booking through
//! the same link is credited to the successor.

use std::process::Command;

use fantoccini::Client;
use shared::booking::{SlotList, TestDriveOffer};
use shared::catalog::DealerHome;
use shared::quote::DealerTerms;

use crate::booking::fill;
use crate::browser::{erase, find, screenshot, tap_on, wait_text, wait_url, Driver};
use crate::staff::set_password;
use crate::Site;

const DEALER: &str = "jr-auto";
const SERIES: &str = "xiaomi-su7";

/// Adds a consultant of the one store on 员工; their one-time link.
async fn add_consultant(admin: &Client, name: &str, login: &str, phone: &str) -> String {
    tap_on(admin, "[data-test=add-staff]").await;
    for (field, text) in [("name", name), ("login", login), ("phone", phone)] {
        find(admin, &format!("[data-test=new-{field}]"))
            .await
            .send_keys(text)
            .await
            .unwrap();
    }
    tap_on(admin, "[data-test=add-staff-form] [data-test=staff-store]").await;
    tap_on(admin, "[data-test=save-staff]").await;
    wait_text(admin, "[data-test=issued-link]", |t| t.contains(name)).await;
    find(admin, "[data-test=issued-url]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// A fresh phone opens the share link and books the first free slot; the login of the
/// consultant the lead is credited to.
async fn book_through(
    site: &Site,
    driver: &Driver,
    link: &str,
    name: &str,
    number: &str,
) -> String {
    let friend = driver.phone().await;
    friend.goto(link).await.unwrap();
    wait_url(&friend, |u| u.contains(&format!("/{DEALER}/test-drive"))).await;
    let offer: TestDriveOffer = site
        .api(&format!("/api/v1/dealers/{DEALER}/test-drive"))
        .await;
    let store = offer.stores[0].store.id;
    let slots: SlotList = site
        .api(&format!("/api/v1/dealers/{DEALER}/stores/{store}/slots"))
        .await;
    let slot = slots
        .slots
        .iter()
        .find(|s| s.seats_left > 0)
        .unwrap_or_else(|| panic!("no free slot for {name}: {offer:?} {slots:?}"));
    tap_on(
        &friend,
        &format!("[data-test=series-option][data-id='{SERIES}']"),
    )
    .await;
    fill(
        &friend,
        store,
        &slot.date.to_string(),
        slot.id,
        name,
        number,
    )
    .await;
    tap_on(&friend, "[data-test=submit]").await;
    wait_text(&friend, "[data-test=booking-code]", |t| t.len() >= 8).await;
    friend.close().await.unwrap();
    sqlx::query_scalar(
        "SELECT s.login FROM leads l JOIN staff s ON s.id = l.consultant_id WHERE l.phone = $1",
    )
    .bind(number)
    .fetch_one(&site.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_dealer_added_from_the_command_line_runs_itself_to_a_hand_over() {
    let site = Site::start().await;

    // The operator adds the dealer; the output names the admin's one-time link.
    let added = Command::new(chelink_tests::server_binary())
        .args([
            "dealer",
            "add",
            "--slug",
            DEALER,
            "--name",
            "锦润汽车",
            "--province",
            "浙江",
        ])
        .args(["--admin-login", "jr-admin", "--admin-name", "周锦"])
        .env("DATABASE_URL", site.database_url())
        .env("CHELINK_PUBLIC_ORIGIN", &site.base)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&added.stdout);
    assert!(
        added.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let link = stdout
        .split_whitespace()
        .find(|w| w.starts_with(&site.url("/console/welcome/")))
        .unwrap_or_else(|| panic!("no link in {stdout}"))
        .to_owned();

    // The new dealer's pages answer, empty.
    let home: DealerHome = site.api(&format!("/api/v1/dealers/{DEALER}")).await;
    assert_eq!((home.series_on_sale, home.stores.len()), (0, 0));

    let driver = Driver::start().await;
    let admin = driver.phone().await;
    admin.goto(&link).await.unwrap();
    wait_text(&admin, "[data-test=welcome]", |t| t.contains("周锦")).await;
    set_password(&admin, "jr-admin-password").await;
    wait_text(&admin, "[data-test=first-steps]", |t| {
        t.contains("添加门店") && t.contains("上架车型") && t.contains("添加员工")
    })
    .await;
    screenshot(&admin, "70-adoption-first-steps").await;

    // 设置 → 报价设置: the loan rate (the 车船税 amounts as prefilled).
    admin.goto(&site.url("/console/settings")).await.unwrap();
    let rate = find(&admin, "[data-test=set-rate]").await;
    erase(&rate).await;
    rate.send_keys("2.8").await.unwrap();
    tap_on(&admin, "[data-test=quote-save]").await;
    wait_text(&admin, "[data-test=quote-saved]", |t| t.contains("已保存")).await;
    let terms: DealerTerms = site.api(&format!("/api/v1/dealers/{DEALER}/terms")).await;
    assert_eq!(terms.loan_rate_bp, 280);

    // 车型: one series on sale.
    admin.goto(&site.url("/console/catalog")).await.unwrap();
    tap_on(
        &admin,
        &format!("[data-test=catalog-series][data-id={SERIES}] [data-test=on-sale]"),
    )
    .await;
    for _ in 0..50 {
        let home: DealerHome = site.api(&format!("/api/v1/dealers/{DEALER}")).await;
        if home.series_on_sale == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    screenshot(&admin, "71-adoption-catalog").await;

    // 门店: a store, then its hours and test-drive slots (as prefilled) with the series' car.
    admin.goto(&site.url("/console/stores")).await.unwrap();
    find(&admin, "[data-test=no-stores]").await;
    tap_on(&admin, "[data-test=add-store]").await;
    for (field, text) in [
        ("name", "城西店"),
        ("city", "杭州"),
        ("address", "西湖区文三路100号"),
        ("phone", "0571-88886666"),
    ] {
        find(&admin, &format!("[data-test=new-store-{field}]"))
            .await
            .send_keys(text)
            .await
            .unwrap();
    }
    tap_on(&admin, "[data-test=save-new-store]").await;
    wait_text(&admin, "[data-test=store-card]", |t| t.contains("城西店")).await;
    tap_on(
        &admin,
        &format!("[data-test=store-card] [data-test=series][value={SERIES}]"),
    )
    .await;
    tap_on(&admin, "[data-test=store-card] [data-test=save-store]").await;
    wait_text(&admin, "[data-test=store-saved]", |t| !t.is_empty()).await;
    screenshot(&admin, "72-adoption-store").await;

    // 员工: two consultants, each with a one-time link.
    admin.goto(&site.url("/console/staff")).await.unwrap();
    let leaving = add_consultant(&admin, "钱新", "jr-qian", "13900139000").await;
    admin.refresh().await.unwrap();
    let _successor = add_consultant(&admin, "孙接", "jr-sun", "13900139001").await;
    screenshot(&admin, "73-adoption-staff").await;

    // The consultant signs in through the link and shares the test-drive page.
    let consultant = driver.phone().await;
    consultant.goto(&leaving).await.unwrap();
    set_password(&consultant, "jr-qian-password").await;
    tap_on(&consultant, "[data-test=tab-links]").await;
    find(&consultant, "[data-test=link-target]")
        .await
        .select_by_value(&format!("/{DEALER}/test-drive"))
        .await
        .unwrap();
    tap_on(&consultant, "[data-test=make-link]").await;
    let share = find(&consultant, "[data-test=link-card] [data-test=link-url]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(share.starts_with(&site.url("/s/")), "{share}");

    // A visitor books through it: credited to the consultant.
    let credited = book_through(&site, &driver, &share, "第一位访客", "13900000081").await;
    assert_eq!(credited, "jr-qian");

    // The consultant leaves: disabled (their session ends), then handed over to 孙接.
    admin.goto(&site.url("/console/staff")).await.unwrap();
    let card = "[data-test=staff-member][data-login=jr-qian]";
    tap_on(&admin, &format!("{card} [data-test=disable-member]")).await;
    tap_on(&admin, &format!("{card} [data-test=confirm-disable]")).await;
    wait_text(&admin, &format!("{card} [data-test=member-state]"), |t| {
        t == "已停用"
    })
    .await;
    tap_on(&admin, &format!("{card} [data-test=hand-over-member]")).await;
    wait_url(&admin, |u| u.ends_with("/hand-over")).await;
    let successor: i64 = sqlx::query_scalar("SELECT id FROM staff WHERE login = 'jr-sun'")
        .fetch_one(&site.db.pool)
        .await
        .unwrap();
    find(&admin, "[data-test=hand-over-to]")
        .await
        .select_by_value(&successor.to_string())
        .await
        .unwrap();
    tap_on(&admin, "[data-test=hand-over-ask]").await;
    tap_on(&admin, "[data-test=hand-over-go]").await;
    wait_text(&admin, "[data-test=hand-over-done]", |t| t.contains("孙接")).await;
    screenshot(&admin, "74-adoption-handed-over").await;
    let first_lead: String = sqlx::query_scalar(
        "SELECT s.login FROM leads l JOIN staff s ON s.id = l.consultant_id WHERE l.phone = '13900000081'",
    )
    .fetch_one(&site.db.pool)
    .await
    .unwrap();
    assert_eq!(first_lead, "jr-sun", "the open lead moved");

    // The link in the visitor's chat keeps working, and now credits the successor.
    let credited = book_through(&site, &driver, &share, "第二位访客", "13900000082").await;
    assert_eq!(credited, "jr-sun");
    driver
        .assert_no_csp_violations(&admin, "the adoption journey")
        .await;
}
