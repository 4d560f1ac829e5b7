//! 员工 in the browser, on a phone: the first admin of a dealer just added (as `dealer add`
//! adds it) opens their one-time link, sets a password and lands on 今日; adds a consultant
//! from 我的 → 员工 and gets the link to copy; the consultant's link signs them in once, and
//! opened again shows the Chinese page of a used link, served with HTTP 410.

use reqwest::StatusCode;

use crate::browser::{find, screenshot, tap_on, wait_text, wait_url, Driver};
use crate::Site;

/// Sets a password on the welcome page and waits for 今日.
pub async fn set_password(phone: &fantoccini::Client, password: &str) {
    find(phone, "[data-test=set-password]")
        .await
        .send_keys(password)
        .await
        .unwrap();
    find(phone, "[data-test=set-password-again]")
        .await
        .send_keys(password)
        .await
        .unwrap();
    tap_on(phone, "[data-test=save-password]").await;
    wait_url(phone, |u| u.ends_with("/console/")).await;
    find(phone, "[data-test=tab-today]").await;
}

#[tokio::test]
async fn a_new_admin_signs_in_through_the_link_and_adds_a_consultant_whose_link_works_once() {
    let site = Site::start().await;
    let added = server::dealers::add(
        &site.db,
        &server::dealers::NewDealer {
            slug: "xin-auto".into(),
            name: "新车行（测试）".into(),
            province: "江苏".into(),
            admin_login: "xin-admin".into(),
            admin_name: "吴管理".into(),
        },
        server::clock::Clock::now().millis,
    )
    .await
    .unwrap();
    let driver = Driver::start().await;

    // The admin opens the link the operator sent.
    let admin = driver.phone().await;
    admin.goto(&site.url(&added.link.path())).await.unwrap();
    wait_text(&admin, "[data-test=welcome]", |t| {
        t.contains("吴管理") && t.contains("新车行")
    })
    .await;
    wait_text(&admin, "[data-test=welcome-login]", |t| t == "xin-admin").await;
    screenshot(&admin, "60-staff-welcome").await;
    // too short: the page says so before asking the server
    find(&admin, "[data-test=set-password]")
        .await
        .send_keys("short")
        .await
        .unwrap();
    tap_on(&admin, "[data-test=save-password]").await;
    wait_text(&admin, "[data-test=set-password-error]", |t| {
        t.contains("10到128个字符")
    })
    .await;
    crate::browser::erase(&find(&admin, "[data-test=set-password]").await).await;
    set_password(&admin, "xin-admin-password").await;

    // 我的 → 员工: only the admin so far.
    tap_on(&admin, "[data-test=tab-account]").await;
    tap_on(&admin, "[data-test=staff-entry]").await;
    wait_url(&admin, |u| u.ends_with("/console/staff")).await;
    wait_text(&admin, "[data-test=staff-list]", |t| t.contains("吴管理")).await;
    wait_text(&admin, "[data-test=audit-log]", |t| {
        t.contains("通过链接设置密码")
    })
    .await;
    screenshot(&admin, "61-staff-list").await;

    // Add a consultant: a bad phone (the page's own check) and a taken login (the server's
    // 409), each named under its field.
    tap_on(&admin, "[data-test=add-staff]").await;
    for (field, text) in [("name", "钱新"), ("login", "xin-admin"), ("phone", "123")] {
        find(&admin, &format!("[data-test=new-{field}]"))
            .await
            .send_keys(text)
            .await
            .unwrap();
    }
    tap_on(&admin, "[data-test=save-staff]").await;
    wait_text(&admin, "[data-test=new-phone-error]", |t| {
        t.contains("电话")
    })
    .await;
    screenshot(&admin, "62-staff-add-form").await;
    let phone_field = find(&admin, "[data-test=new-phone]").await;
    crate::browser::erase(&phone_field).await;
    phone_field.send_keys("13900139000").await.unwrap();
    tap_on(&admin, "[data-test=save-staff]").await;
    wait_text(&admin, "[data-test=new-login-error]", |t| {
        t.contains("已被使用")
    })
    .await;
    let login_field = find(&admin, "[data-test=new-login]").await;
    crate::browser::erase(&login_field).await;
    login_field.send_keys("xin-qian").await.unwrap();
    tap_on(&admin, "[data-test=save-staff]").await;
    wait_text(&admin, "[data-test=issued-link]", |t| t.contains("钱新")).await;
    let url = find(&admin, "[data-test=issued-url]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        url.starts_with(&site.base) && url.contains("/console/welcome/"),
        "{url}"
    );
    wait_text(&admin, "[data-test=staff-list]", |t| {
        t.contains("钱新") && t.contains("待设置密码")
    })
    .await;
    screenshot(&admin, "63-staff-link").await;

    // The consultant opens it on their own phone: once.
    let consultant = driver.phone().await;
    consultant.goto(&url).await.unwrap();
    wait_text(&consultant, "[data-test=welcome]", |t| t.contains("钱新")).await;
    set_password(&consultant, "xin-qian-password").await;
    consultant.goto(&url).await.unwrap();
    wait_text(&consultant, "[data-test=link-closed]", |t| {
        t.contains("链接已失效") && t.contains("管理员")
    })
    .await;
    screenshot(&consultant, "64-staff-link-gone").await;
    assert_eq!(
        reqwest::get(&url).await.unwrap().status(),
        StatusCode::GONE,
        "the page itself is served with 410"
    );

    // The admin's list shows the consultant with a password now.
    admin.refresh().await.unwrap();
    wait_text(&admin, "[data-test=staff-list]", |t| {
        t.contains("钱新") && !t.contains("待设置密码")
    })
    .await;
    driver
        .assert_no_csp_violations(&admin, "the staff page")
        .await;
}
