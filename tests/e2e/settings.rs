//! 设置 in the browser: the admin opens 我的 → 设置, uploads a logo and saves a new brand
//! colour (the console takes it at once); an amount outside its national band is refused under
//! the 车船税 fields, then a new rate and term are saved; a buyer's calculator shows the
//! monthly payment of the new terms at once, and the home page the logo. The page is
//! screenshot at each step.

use shared::money::yuan;

use crate::browser::{erase, find, screenshot, tap_on, wait_text, Driver};
use crate::console::sign_in;
use crate::Site;

const TRIM: &str = "xiaomi-su7-std";

#[tokio::test]
async fn an_admin_changes_the_loan_terms_and_the_buyer_sees_the_new_monthly_payment() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let before = site.quote_as_opened(TRIM, true).await;

    let admin = driver.phone().await;
    sign_in(&site, &admin, "demo-admin").await;
    tap_on(&admin, "[data-test=tab-account]").await;
    tap_on(&admin, "[data-test=settings-entry]").await;
    let rate = find(&admin, "[data-test=set-rate]").await;
    wait_text(&admin, "[data-test=set-province]", |_| true).await;
    screenshot(&admin, "console-settings").await;

    // 门店资料: a logo (fitted on the server, shown at once) and a new brand colour.
    let logo = std::env::temp_dir().join(format!("chelink-e2e-logo-{}.png", std::process::id()));
    image::RgbaImage::from_pixel(600, 240, image::Rgba([11, 95, 255, 255]))
        .save(&logo)
        .unwrap();
    find(&admin, "[data-test=set-logo]")
        .await
        .send_keys(logo.to_str().unwrap())
        .await
        .unwrap();
    find(&admin, "[data-test=logo-preview]").await;
    let _ = std::fs::remove_file(&logo);
    let color = find(&admin, "[data-test=set-color]").await;
    erase(&color).await;
    color.send_keys("#0B5FFF").await.unwrap();
    tap_on(&admin, "[data-test=profile-save]").await;
    wait_text(&admin, "[data-test=profile-saved]", |t| {
        t.contains("已保存")
    })
    .await;
    let brand = admin
        .execute(
            "return document.documentElement.style.getPropertyValue('--brand');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        brand.as_str(),
        Some("#0b5fff"),
        "the console follows the brand colour"
    );
    screenshot(&admin, "console-settings-profile-saved").await;

    // 1.0 L and under: 59 yuan is below the national band (60–360).
    let smallest = find(&admin, "[data-test=set-vessel-0]").await;
    erase(&smallest).await;
    smallest.send_keys("59").await.unwrap();
    tap_on(&admin, "[data-test=quote-save]").await;
    wait_text(&admin, "[data-test=set-vessel-error]", |t| {
        t.contains("60到360")
    })
    .await;
    screenshot(&admin, "console-settings-refused").await;
    erase(&smallest).await;
    smallest.send_keys("180").await.unwrap();

    erase(&rate).await;
    rate.send_keys("4.2").await.unwrap();
    find(&admin, "[data-test=set-term]")
        .await
        .select_by_value("24")
        .await
        .unwrap();
    tap_on(&admin, "[data-test=quote-save]").await;
    wait_text(&admin, "[data-test=quote-saved]", |t| t.contains("已保存")).await;
    screenshot(&admin, "console-settings-saved").await;

    // The buyer's calculator prices the loan with the new rate and term.
    let after = site.quote_as_opened(TRIM, true).await;
    let (old, new) = (before.loan.expect("a loan"), after.loan.expect("a loan"));
    assert_ne!(old.monthly_payment, new.monthly_payment);
    assert_eq!(new.term_months, 24);
    let phone = driver.phone().await;
    phone
        .goto(&site.url(&format!("/demo/calculator?trim={TRIM}&pay=loan")))
        .await
        .unwrap();
    let monthly = yuan(new.monthly_payment);
    wait_text(&phone, "[data-test=quote-monthly]", |t| t == monthly).await;
    screenshot(&phone, "calculator-after-settings").await;
    // The home page shows the new logo and colour.
    phone.goto(&site.url("/demo/")).await.unwrap();
    find(&phone, "[data-test=dealer-logo]").await;
    screenshot(&phone, "home-after-settings").await;
    phone.close().await.unwrap();
    admin.close().await.unwrap();
}
