//! The staff console in the browser, on a phone: a consultant signs in, sees today's booking
//! and its lead, marks arrival and completion and files a 战败; a manager approves it and
//! reassigns the lead; the store page lists what a change of hours strands.

use fantoccini::{Client, Locator};
use shared::booking::{Booking, BookingRequest, ContactForm, Origin, SlotList, TestDriveOffer};
use shared::contact::PRIVACY_NOTICE_VERSION;

use crate::browser::{find, screenshot, tap_on, wait_text, wait_url, Driver};
use crate::Site;

pub const PASSWORD: &str = "chelink-demo-2026";

impl Site {
    /// A customer books today's or the next free slot of the demo's first store through the
    /// API; the booking and the login of the consultant the lead went to.
    pub async fn customer_books(&self, name: &str, phone: &str) -> (Booking, String) {
        let offer: TestDriveOffer = self.api("/api/v1/dealers/demo/test-drive").await;
        let store = &offer.stores[0];
        let slots: SlotList = self
            .api(&format!(
                "/api/v1/dealers/demo/stores/{}/slots",
                store.store.id
            ))
            .await;
        // the console's 今日 shows today's bookings: move the first slot to today if it is later
        let slot = &slots.slots[0];
        sqlx::query("UPDATE slots SET day = $1, start_min = 1439, end_min = 1440 WHERE id = $2")
            .bind(offer.today.to_string())
            .bind(slot.id)
            .execute(&self.db.pool)
            .await
            .unwrap();
        let body = BookingRequest {
            series_id: store.series_ids[0].clone(),
            trim_id: None,
            slot_id: slot.id,
            contact: ContactForm {
                name: name.into(),
                phone: phone.into(),
                consent_version: Some(PRIVACY_NOTICE_VERSION.into()),
            },
            licence: None,
            origin: Origin {
                page: "home".into(),
                button: "book-test-drive".into(),
                channel: None,
            },
        };
        self.books_through_api(&body).await
    }

    /// Posts a booking as a customer would and reads the login of the consultant its lead
    /// went to.
    pub async fn books_through_api(&self, body: &BookingRequest) -> (Booking, String) {
        let booking: Booking = reqwest::Client::new()
            .post(self.url("/api/v1/dealers/demo/bookings"))
            .json(body)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        let login: String = sqlx::query_scalar(
            "SELECT s.login FROM leads l JOIN staff s ON s.id = l.consultant_id WHERE l.phone = $1",
        )
        .bind(&body.contact.phone)
        .fetch_one(&self.db.pool)
        .await
        .unwrap();
        (booking, login)
    }
}

/// Signs in on the console's sign-in page, as staff do.
pub async fn sign_in(site: &Site, phone: &Client, login: &str) {
    phone.goto(&site.url("/console/")).await.unwrap();
    let field = find(phone, "[data-test=login]").await;
    field.send_keys(login).await.unwrap();
    find(phone, "[data-test=password]")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    tap_on(phone, "[data-test=sign-in]").await;
    find(phone, "[data-test=tab-today]").await;
}

#[tokio::test]
async fn a_consultant_works_a_booking_and_a_manager_approves_the_lost_claim_and_reassigns() {
    let site = Site::start().await;
    // A virtual-operator number (170): accepted, and the lead warns staff to check it.
    let (booking, login) = site.customer_books("林小雨", "17000000061").await;
    let driver = Driver::start().await;

    // The consultant on their phone: a wrong password first, then in.
    let phone = driver.phone().await;
    phone.goto(&site.url("/console/")).await.unwrap();
    find(&phone, "[data-test=login]")
        .await
        .send_keys(&login)
        .await
        .unwrap();
    find(&phone, "[data-test=password]")
        .await
        .send_keys("wrong-password")
        .await
        .unwrap();
    screenshot(&phone, "20-console-sign-in").await;
    tap_on(&phone, "[data-test=sign-in]").await;
    wait_text(&phone, "[data-test=sign-in-error]", |t| {
        t.contains("账号或密码错误")
    })
    .await;
    sign_in(&site, &phone, &login).await;

    // 今日: the new lead to call back and today's booking; arrived, then completed.
    let row = format!("[data-test=booking-row][data-code='{}']", booking.code);
    find(&phone, &row).await;
    wait_text(&phone, "[data-test=task]", |t| t.contains("林小雨")).await;
    tap_on(&phone, &format!("{row} [data-test=booking-arrived]")).await;
    wait_text(&phone, &format!("{row} [data-test=booking-status]"), |t| {
        t.contains("已到店")
    })
    .await;
    tap_on(&phone, &format!("{row} [data-test=booking-completed]")).await;
    wait_text(&phone, &format!("{row} [data-test=booking-status]"), |t| {
        t.contains("已完成")
    })
    .await;
    screenshot(&phone, "21-console-today").await;

    // The lead: test-driven now; the consultant files a 战败 that waits for the manager.
    tap_on(&phone, "[data-test=tab-leads]").await;
    tap_on(&phone, "[data-test=lead-row]").await;
    wait_text(&phone, "[data-test=lead-name]", |t| t.contains("林小雨")).await;
    wait_text(&phone, "[data-test=lead-phone]", |t| {
        t.contains("17000000061")
    })
    .await;
    wait_text(&phone, "[data-test=phone-risk]", |t| {
        t == "虚拟运营商号段，注意核实"
    })
    .await;
    wait_text(&phone, "[data-test=lead-status]", |t| t.contains("已试驾")).await;
    let lead_url = phone.current_url().await.unwrap().to_string();
    tap_on(&phone, "[data-test=status-lost]").await;
    find(&phone, "[data-test=lost-reason]")
        .await
        .send_keys("已在别家下订")
        .await
        .unwrap();
    tap_on(&phone, "[data-test=submit-lost]").await;
    wait_text(&phone, "[data-test=lost-claim]", |t| {
        t.contains("待经理审批")
    })
    .await;
    wait_text(&phone, "[data-test=lead-status]", |t| t.contains("已试驾")).await;
    screenshot(&phone, "22-console-lead").await;

    // The manager approves it and gives the lead to the other consultant.
    let boss = driver.phone().await;
    sign_in(&site, &boss, "demo-manager").await;
    find(&boss, "[data-test=tab-stores]").await;
    wait_text(&boss, "[data-test=task]", |t| t.contains("已在别家下订")).await;
    boss.goto(&lead_url).await.unwrap();
    tap_on(&boss, "[data-test=approve-lost]").await;
    wait_text(&boss, "[data-test=lead-status]", |t| t.contains("战败")).await;
    let other = if login == "demo-wang" {
        "李娜"
    } else {
        "王磊"
    };
    let select = find(&boss, "[data-test=reassign]").await;
    let option = select
        .find(Locator::XPath(&format!(
            ".//option[contains(., '{other}')]"
        )))
        .await
        .unwrap();
    option.click().await.unwrap();
    wait_text(&boss, "[data-test=lead-consultant]", |t| t.contains(other)).await;
    wait_text(&boss, "[data-test=timeline-entry]", |t| t.contains("改派")).await;
    screenshot(&boss, "23-console-manager-lead").await;

    // The first consultant no longer has the lead.
    phone.goto(&lead_url).await.unwrap();
    wait_text(&phone, "[data-test=load-error]", |t| {
        t.contains("未找到该线索")
    })
    .await;

    // The manager's stores page.
    tap_on(&boss, "[data-test=tab-stores]").await;
    find(&boss, "[data-test=store-card]").await;
    screenshot(&boss, "24-console-stores").await;
    let _ = wait_url(&boss, |u| u.ends_with("/console/stores")).await;
    phone.close().await.unwrap();
    boss.close().await.unwrap();
}

/// The boxes of the elements `css` matches, as `[left, right, top, bottom]` in CSS pixels.
async fn boxes(phone: &Client, css: &str) -> Vec<[f64; 4]> {
    let found = phone
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => {
               const r = e.getBoundingClientRect();
               return [r.left, r.right, r.top, r.bottom];
             });",
            vec![css.into()],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test]
async fn every_status_filter_is_in_view_on_a_phone_with_nothing_to_scroll_sideways() {
    let site = Site::start().await;
    site.customer_books("周小满", "13900000093").await;
    let driver = Driver::start().await;
    let phone = driver.phone().await;
    sign_in(&site, &phone, "demo-manager").await;
    tap_on(&phone, "[data-test=tab-leads]").await;
    find(&phone, "[data-test=lead-row]").await;

    let width = phone
        .execute("return document.documentElement.clientWidth;", vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    let row = boxes(&phone, "[data-test=status-chips]").await;
    let chips = boxes(&phone, "[data-test=status-chips] button").await;
    assert_eq!(chips.len(), 1 + shared::console::LeadStatus::ALL.len());
    // Every chip lies inside the row and the screen: none is cut off at the edge or hidden
    // past it, and the row itself has nothing to scroll.
    for [left, right, ..] in &chips {
        assert!(
            *left >= row[0][0] - 0.5 && *right <= row[0][1] + 0.5,
            "{chips:?} in {row:?}"
        );
        assert!(*left >= 0.0 && *right <= width, "{chips:?} past {width}");
    }
    let scrolls = phone
        .execute(
            "const row = document.querySelector('[data-test=status-chips]');
             return row.scrollWidth > row.clientWidth
               || document.documentElement.scrollWidth > document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        scrolls,
        serde_json::json!(false),
        "something scrolls sideways"
    );
    // Each is still a whole touch target, and they do not overlap.
    for (i, a) in chips.iter().enumerate() {
        assert!(
            a[3] - a[2] >= 44.0 - 0.5,
            "chip {i} is {} px high",
            a[3] - a[2]
        );
        for b in &chips[i + 1..] {
            let apart = a[1] <= b[0] || b[1] <= a[0] || a[3] <= b[2] || b[3] <= a[2];
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
    tap_on(&phone, "[data-test=filter-status-lost]").await;
    wait_url(&phone, |u| u.contains("status=lost")).await;
    find(&phone, "[data-test=leads-empty]").await;
    screenshot(&phone, "45-console-status-chips").await;
    phone.close().await.unwrap();
}
