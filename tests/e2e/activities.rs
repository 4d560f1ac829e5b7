//! 活动 in the browser: a manager adds an activity in the console (a wrong time refused in
//! Chinese first); a buyer on a phone in WeChat finds it from the home page, opens it, signs up
//! and sees the confirmation; the console shows the sign-up under the activity, and its seats
//! taken. Screenshots at each step.

use crate::browser::{fill, find, screenshot, set_input, tap_on, wait_text, Driver};
use crate::console::sign_in;
use crate::Site;

#[tokio::test]
async fn a_manager_adds_an_activity_a_buyer_signs_up_and_the_console_shows_it() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let today = server::clock::Clock::now().today();

    let manager = driver.phone().await;
    sign_in(&site, &manager, "demo-manager").await;
    tap_on(&manager, "[data-test=tab-account]").await;
    tap_on(&manager, "[data-test=activities-entry]").await;
    tap_on(&manager, "[data-test=add-activity]").await;
    fill(&manager, "[data-test=activity-title]", "元旦新车品鉴会").await;
    find(&manager, "[data-test=activity-description]")
        .await
        .send_keys("新车静态展示与试驾，现场有购车礼。")
        .await
        .unwrap();
    set_input(
        &manager,
        "[data-test=activity-date]",
        &today.add_days(4).to_string(),
    )
    .await;
    set_input(&manager, "[data-test=activity-start]", "15:00").await;
    set_input(&manager, "[data-test=activity-end]", "14:00").await;
    fill(&manager, "[data-test=activity-place]", "本店一楼展厅").await;
    fill(&manager, "[data-test=activity-seats]", "12").await;
    find(&manager, "[data-test=activity-series]")
        .await
        .select_by_value("xiaomi-su7")
        .await
        .unwrap();
    tap_on(&manager, "[data-test=save-activity]").await;
    wait_text(&manager, "[data-test=activity-error]", |t| {
        t.contains("结束时间须晚于开始时间")
    })
    .await;
    screenshot(&manager, "console-activity-refused").await;
    set_input(&manager, "[data-test=activity-end]", "17:00").await;
    tap_on(&manager, "[data-test=save-activity]").await;
    wait_text(&manager, "[data-test=activity][data-state=open]", |t| {
        t.contains("元旦新车品鉴会") && t.contains("已报名 0 / 12 人")
    })
    .await;
    screenshot(&manager, "console-activities").await;

    // The buyer, on a phone in WeChat: the home page's entry, the list, the activity.
    let buyer = driver.phone().await;
    buyer.goto(&site.url("/demo/")).await.unwrap();
    find(&buyer, "[data-test=entry-activities]").await;
    screenshot(&buyer, "home-activities-entry").await;
    tap_on(&buyer, "[data-test=entry-activities]").await;
    wait_text(&buyer, "[data-test=activities]", |t| {
        t.contains("元旦新车品鉴会") && t.contains("剩余 12 席")
    })
    .await;
    screenshot(&buyer, "activities").await;
    let cards = buyer
        .find_all(fantoccini::Locator::Css("[data-test=activity-card]"))
        .await
        .unwrap();
    let mut opened = false;
    for card in cards {
        if card.text().await.unwrap().contains("元旦新车品鉴会") {
            crate::browser::tap(&buyer, &card).await;
            opened = true;
            break;
        }
    }
    assert!(opened, "the new activity is listed");
    wait_text(&buyer, "[data-test=activity-detail]", |t| {
        t.contains("元旦新车品鉴会") && t.contains("本店一楼展厅") && t.contains("15:00-17:00")
    })
    .await;
    let title = buyer.title().await.unwrap();
    assert_eq!(title, "元旦新车品鉴会");
    // The share card is the shell's: the activity's title and its kind, time and place.
    let page = buyer.current_url().await.unwrap();
    let shell = reqwest::get(page.as_str())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        shell.contains("<meta property=\"og:title\" content=\"元旦新车品鉴会 - "),
        "{shell}"
    );
    assert!(shell.contains("试驾会 · "), "{shell}");

    tap_on(&buyer, "[data-test=sign-up]").await;
    wait_text(&buyer, "#error-phone", |t| !t.is_empty()).await;
    fill(&buyer, "[data-test=name]", "周先生").await;
    fill(&buyer, "[data-test=phone]", "13900007788").await;
    tap_on(&buyer, "[data-test=consent]").await;
    find(&buyer, "[data-test=party]")
        .await
        .select_by_value("2")
        .await
        .unwrap();
    screenshot(&buyer, "activity-form").await;
    tap_on(&buyer, "[data-test=sign-up]").await;
    wait_text(&buyer, "[data-test=signup-done]", |t| {
        t.contains("报名成功") && t.contains("元旦新车品鉴会 · 2人") && t.contains("顾问")
    })
    .await;
    screenshot(&buyer, "activity-done").await;

    // The console: the sign-up under the activity, with the seats it took.
    manager.refresh().await.unwrap();
    wait_text(&manager, "[data-test=activity][data-state=open]", |t| {
        t.contains("已报名 2 / 12 人")
    })
    .await;
    tap_on(
        &manager,
        "[data-test=activity][data-state=open] [data-test=show-signups]",
    )
    .await;
    wait_text(&manager, "[data-test=signup]", |t| {
        t.contains("周先生") && t.contains("13900007788") && t.contains("2人")
    })
    .await;
    screenshot(&manager, "console-activity-signups").await;

    // The manager's own link to it, with its QR code and poster to save.
    tap_on(
        &manager,
        "[data-test=activity][data-state=open] [data-test=share-activity]",
    )
    .await;
    wait_text(&manager, "[data-test=activity-link]", |t| t.contains("/s/")).await;
    tap_on(
        &manager,
        "[data-test=activity][data-state=open] [data-test=show-poster]",
    )
    .await;
    find(&manager, "[data-test=link-poster]").await;
    screenshot(&manager, "console-activity-poster").await;
}
