//! Attribution and the share tree on both databases: the whole order of the rule (a binding
//! wins; the owner of the first-touch link inside the dealer's window; outside it falls
//! through; the referrer's consultant up the chain; round-robin; the first credited lead
//! binds), a visitor's own link (`POST .../links`: the same link back, bad and foreign targets
//! refused with nothing written, bursts 429), referrer levels without loops, what leads and
//! bookings keep, the console's share tree (scoped) and link stats.

use reqwest::{header, Client, StatusCode};
use serde_json::json;
use server::attribution::FIRST_TOUCH;
use shared::attribution::{AttributionWindow, Credit, LinkStats, ShareTree};
use shared::booking::{Booking, EnquiryReceipt, SlotList, TestDriveOffer};
use shared::contact::PRIVACY_NOTICE_VERSION;
use shared::link::{Channel, Link};

use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};

const WECHAT: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/4G";
const DAY: i64 = 86_400_000;
const LI: &str = "李娜（演示）";
const WANG: &str = "王磊（演示）";

/// A staff member's link to the Qin PLUS page.
pub async fn staff_link(app: &TestApp, staff: &Client, channel: &str) -> Link {
    let response = staff
        .post(app.url("/api/v1/console/links"))
        .json(&json!({"target": "/demo/models/byd-qin-plus", "channel": channel}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// A person opens a link in WeChat.
pub async fn click(app: &TestApp, phone: &Client, link: &Link) {
    let opened = phone
        .get(app.url(&link.path))
        .header(header::USER_AGENT, WECHAT)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::FOUND);
    // Clicks reach the database in the background (`server::clicks`); the tests read it.
    app.clicks.flush().await;
}

/// `POST /api/v1/dealers/demo/links` from a visitor's phone.
async fn share(app: &TestApp, phone: &Client, body: serde_json::Value) -> reqwest::Response {
    phone
        .post(app.url("/api/v1/dealers/demo/links"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The visitor's own link to the Qin PLUS page for chat.
async fn own_link(app: &TestApp, phone: &Client) -> Link {
    let response = share(
        app,
        phone,
        json!({"target": "/demo/models/byd-qin-plus", "channel": "chat"}),
    )
    .await;
    assert!(
        [StatusCode::CREATED, StatusCode::OK].contains(&response.status()),
        "{}",
        response.status()
    );
    response.json().await.unwrap()
}

/// 询底价 from a phone; the consultant's name it was given.
async fn enquire(app: &TestApp, phone: &Client, name: &str, number: &str) -> String {
    let response = phone
        .post(app.url("/api/v1/dealers/demo/enquiries"))
        .json(&json!({
            "series_id": "byd-qin-plus",
            "name": name, "phone": number, "consent_version": PRIVACY_NOTICE_VERSION,
            "origin": {"page": "model", "button": "ask-price", "channel": "chat"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: EnquiryReceipt = response.json().await.unwrap();
    receipt.consultant.expect("a consultant").name
}

/// What a lead keeps of how it came: consultant, credit, link code, visitor, referrer, level.
#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
struct LeadOrigin {
    id: i64,
    consultant: String,
    credited_by: Option<String>,
    link_code: Option<String>,
    visitor: Option<String>,
    referrer: Option<String>,
    referral_level: Option<i64>,
}

/// What a booking keeps of how it came.
#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
struct BookingOrigin {
    link_code: Option<String>,
    channel: Option<String>,
    page: Option<String>,
    button: Option<String>,
    visitor: Option<String>,
    referrer: Option<String>,
    referral_level: Option<i64>,
}

async fn lead_of(app: &TestApp, number: &str) -> LeadOrigin {
    sqlx::query_as(
        "SELECT le.id, s.name AS consultant, le.credited_by, l.code AS link_code, le.visitor, \
         le.referrer, le.referral_level FROM leads le JOIN staff s ON s.id = le.consultant_id \
         LEFT JOIN links l ON l.id = le.origin_link_id WHERE le.phone = $1",
    )
    .bind(number)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// The visitor who last clicked a link.
async fn clicker(app: &TestApp, link: &Link) -> String {
    sqlx::query_scalar(
        "SELECT v.visitor FROM link_visits v JOIN links l ON l.id = v.link_id \
         WHERE l.code = $1 AND v.counted = 1 ORDER BY v.id DESC LIMIT 1",
    )
    .bind(&link.code)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn timeline_has(app: &TestApp, lead_id: i64, text: &str) -> bool {
    let details: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM lead_events WHERE lead_id = $1 AND kind = 'assigned'",
    )
    .bind(lead_id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    details.iter().any(|d| d == text)
}

both! {
    async fn a_consultants_link_inside_the_window_credits_them_and_the_first_lead_binds_the_visitor(app) {
        // Round-robin would give the first lead to 王磊: 李娜's link takes it instead.
        let li = sign_in(&app, "demo-li").await;
        let link = staff_link(&app, &li, "moments").await;
        let friend = app.phone();
        click(&app, &friend, &link).await;
        // 29 days later the first touch still counts.
        sqlx::query("UPDATE link_visits SET at = at - $1").bind(29 * DAY).execute(&app.db.pool).await.unwrap();
        assert_eq!(enquire(&app, &friend, "张三", "13900000101").await, LI);
        let lead = lead_of(&app, "13900000101").await;
        let visitor = clicker(&app, &link).await;
        assert_eq!(lead, LeadOrigin {
            id: lead.id,
            consultant: LI.into(),
            credited_by: Some("link".into()),
            link_code: Some(link.code.clone()),
            visitor: Some(visitor.clone()),
            referrer: None,
            referral_level: Some(1),
        });
        assert!(timeline_has(&app, lead.id, &format!("由{LI}的分享链接带来，归属{LI}")).await);
        let bound: (String, i64) = sqlx::query_as(
            "SELECT s.name, b.lead_id FROM visitor_bindings b JOIN staff s ON s.id = b.staff_id WHERE b.visitor = $1",
        ).bind(&visitor).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(bound, (LI.to_string(), lead.id));

        // A binding wins over the first touch: someone who came on their own is given 王磊 in
        // turn and bound to him; a later click of 李娜's link does not move their next lead.
        let walk_in = app.phone();
        assert_eq!(enquire(&app, &walk_in, "李四", "13900000102").await, WANG);
        assert_eq!(lead_of(&app, "13900000102").await.credited_by.as_deref(), Some("round_robin"));
        click(&app, &walk_in, &link).await;
        let first: String = sqlx::query_scalar(&format!("SELECT l.code FROM link_visits t JOIN links l ON l.id = t.link_id WHERE t.id = ({FIRST_TOUCH})"))
            .bind(app.dealer_id("demo").await).bind(clicker(&app, &link).await).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(first, link.code, "李娜's link is now their first touch");
        assert_eq!(enquire(&app, &walk_in, "李四", "13900000103").await, WANG);
        let second = lead_of(&app, "13900000103").await;
        assert_eq!((second.credited_by.as_deref(), second.link_code.as_deref()), (Some("bound"), Some(link.code.as_str())));
        assert!(timeline_has(&app, second.id, &format!("客户已绑定{WANG}，归属{WANG}")).await);
        // A phone that already has a lead keeps its consultant whoever asks again.
        let stranger = app.phone();
        click(&app, &stranger, &link).await;
        assert_eq!(enquire(&app, &stranger, "李四", "13900000102").await, WANG);
        // ... and that lead binds the new visitor to 王磊 too, not to the link's owner.
        let stranger_id = clicker(&app, &link).await;
        let bound_to: String = sqlx::query_scalar("SELECT s.name FROM visitor_bindings b JOIN staff s ON s.id = b.staff_id WHERE b.visitor = $1")
            .bind(&stranger_id).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(bound_to, WANG);
    }
}

both! {
    async fn outside_the_dealers_window_a_first_touch_falls_through_to_round_robin(app) {
        let li = sign_in(&app, "demo-li").await;
        let link = staff_link(&app, &li, "poster").await;
        let late = app.phone();
        click(&app, &late, &link).await;
        sqlx::query("UPDATE link_visits SET at = at - $1").bind(30 * DAY + 60_000).execute(&app.db.pool).await.unwrap();
        assert_eq!(enquire(&app, &late, "王五", "13900000201").await, WANG);
        let lead = lead_of(&app, "13900000201").await;
        assert_eq!((lead.credited_by.as_deref(), lead.link_code.as_deref()), (Some("round_robin"), Some(link.code.as_str())));
        assert!(timeline_has(&app, lead.id, &format!("轮流分配给{WANG}")).await);

        // The admin sets a 60-day window in the console: the same age of touch credits the link.
        let admin = sign_in(&app, "demo-admin").await;
        let window = |days: i64| admin.put(app.url("/api/v1/console/attribution")).json(&json!({"days": days})).send();
        for days in [0, 366] {
            let e = err(window(days).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!((e.error.field.as_deref(), e.error.message.as_str()), (Some("days"), "归属期须为 1 到 365 天"));
        }
        let consultant = li.put(app.url("/api/v1/console/attribution")).json(&json!({"days": 60})).send().await.unwrap();
        assert_eq!(err(consultant, StatusCode::FORBIDDEN).await.error.code, "forbidden");
        let manager = sign_in(&app, "demo-manager").await;
        let managers = manager.put(app.url("/api/v1/console/attribution")).json(&json!({"days": 60})).send().await.unwrap();
        assert_eq!(err(managers, StatusCode::FORBIDDEN).await.error.code, "forbidden", "the window is the admin's alone");
        let unchanged: AttributionWindow = ok(admin.get(app.url("/api/v1/console/attribution")).send().await.unwrap()).await;
        assert_eq!(unchanged.days, 30);
        let saved: AttributionWindow = ok(window(60).await.unwrap()).await;
        assert_eq!(saved.days, 60);
        let patient = app.phone();
        click(&app, &patient, &link).await;
        sqlx::query("UPDATE link_visits SET at = at - $1 WHERE visitor = $2")
            .bind(45 * DAY).bind(clicker(&app, &link).await).execute(&app.db.pool).await.unwrap();
        assert_eq!(enquire(&app, &patient, "赵六", "13900000202").await, LI);
        // The window is held inside its bounds by the database.
        for days in [0, 366] {
            let refused = sqlx::query("UPDATE dealers SET attribution_days = $1 WHERE slug = 'demo'").bind(days).execute(&app.db.pool).await;
            assert!(refused.is_err(), "{days}");
        }
        // A manager's or admin's link (the official-account menu) credits nobody: round-robin.
        let menu = staff_link(&app, &admin, "menu").await;
        let reader = app.phone();
        click(&app, &reader, &menu).await;
        enquire(&app, &reader, "钱七", "13900000203").await;
        assert_eq!(lead_of(&app, "13900000203").await.credited_by.as_deref(), Some("round_robin"));
    }
}

both! {
    async fn a_visitors_own_link_is_made_once_per_page_and_channel_and_bad_targets_change_nothing(app) {
        let visitor = app.phone();
        let response = share(&app, &visitor, json!({"target": "/demo/models/byd-qin-plus", "channel": "chat"})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        // The visitor had no cookie: one is made for them with the link.
        assert!(response.headers().get(header::SET_COOKIE).is_some());
        let made: Link = response.json().await.unwrap();
        assert!(shared::link::is_code(&made.code));
        assert_eq!((made.path.clone(), made.target.as_str(), made.channel), (format!("/s/{}", made.code), "/demo/models/byd-qin-plus", Channel::Chat));
        let again = share(&app, &visitor, json!({"target": "/demo/models/byd-qin-plus", "channel": "chat"})).await;
        let again: Link = ok(again).await;
        assert_eq!(again.code, made.code);
        // Another channel or page is another link; another visitor has their own.
        let moments: Link = share(&app, &visitor, json!({"target": "/demo/models/byd-qin-plus", "channel": "moments"})).await.json().await.unwrap();
        assert_ne!(moments.code, made.code);
        let other = app.phone();
        let theirs: Link = share(&app, &other, json!({"target": "/demo/models/byd-qin-plus", "channel": "chat"})).await.json().await.unwrap();
        assert_ne!(theirs.code, made.code);
        // It opens the page with its channel, and counts a friend's click.
        let friend = app.phone();
        let opened = friend.get(app.url(&made.path)).header(header::USER_AGENT, WECHAT).send().await.unwrap();
        assert_eq!(opened.headers()[header::LOCATION], "/demo/models/byd-qin-plus?ch=chat");
        let again: Link = ok(share(&app, &visitor, json!({"target": "/demo/models/byd-qin-plus", "channel": "chat"})).await).await;
        assert_eq!((again.clicks, again.visitors), (1, 1));

        let before = app.row_counts().await;
        for (body, status) in [
            (json!({"target": "https://evil.example/", "channel": "chat"}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"target": "//evil.example/demo/", "channel": "chat"}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"target": "/leapmotor/models", "channel": "chat"}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"target": "/demo/nope", "channel": "chat"}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"target": "/demo/?a=<script>", "channel": "chat"}), StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let refused = err(share(&app, &visitor, body.clone()).await, status).await;
            assert_eq!(refused.error.field.as_deref(), Some("target"), "{body}");
        }
        let bad_channel = share(&app, &visitor, json!({"target": "/demo/", "channel": "tv"})).await;
        assert!(bad_channel.status().is_client_error());
        let raw = visitor.post(app.url("/api/v1/dealers/demo/links")).header("content-type", "application/json").body("{\"target\":").send().await.unwrap();
        assert_eq!(err(raw, StatusCode::BAD_REQUEST).await.error.code, "bad_json");
        let nowhere = visitor.post(app.url("/api/v1/dealers/nowhere/links")).json(&json!({"target": "/nowhere/", "channel": "chat"})).send().await.unwrap();
        err(nowhere, StatusCode::NOT_FOUND).await;
        assert_eq!(app.row_counts().await, before);
    }
}

both! {
    async fn bursts_of_visitor_links_get_429_and_write_nothing_more(app) {
        let limited = app.instance(&app.dist, 2).await;
        let visitor = app.phone();
        let make = |channel: &'static str| visitor
            .post(format!("{limited}/api/v1/dealers/demo/links"))
            .json(&json!({"target": "/demo/", "channel": channel}))
            .send();
        assert_eq!(make("chat").await.unwrap().status(), StatusCode::CREATED);
        assert_eq!(make("moments").await.unwrap().status(), StatusCode::CREATED);
        let refused = make("poster").await.unwrap();
        assert!(refused.headers().get("retry-after").is_some());
        assert_eq!(err(refused, StatusCode::TOO_MANY_REQUESTS).await.error.code, "rate_limited");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM links").await, 2);
    }
}

both! {
    async fn friends_of_friends_go_to_the_first_consultant_with_the_chain_and_its_levels_kept(app) {
        let li = sign_in(&app, "demo-li").await;
        let link = staff_link(&app, &li, "moments").await;
        // A opens 李娜's link and asks; A forwards the page; B opens A's link; B forwards; C opens.
        let a = app.phone();
        click(&app, &a, &link).await;
        let a_id = clicker(&app, &link).await;
        assert_eq!(enquire(&app, &a, "甲", "13900000301").await, LI);
        let a_link = own_link(&app, &a).await;
        let b = app.phone();
        // A chat app building the card of A's link refers nobody.
        let preview = b.head(app.url(&a_link.path)).header(header::USER_AGENT, WECHAT).send().await.unwrap();
        assert_eq!(preview.status(), StatusCode::FOUND);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visitor_referrals").await, 0);
        click(&app, &b, &a_link).await;
        let b_id = clicker(&app, &a_link).await;
        let b_link = own_link(&app, &b).await;
        let c = app.phone();
        click(&app, &c, &b_link).await;
        let c_id = clicker(&app, &b_link).await;
        let levels: Vec<(String, String, i64)> = sqlx::query_as("SELECT visitor, referrer, level FROM visitor_referrals ORDER BY level")
            .fetch_all(&app.db.pool).await.unwrap();
        assert_eq!(levels, vec![(b_id.clone(), a_id.clone(), 2), (c_id.clone(), b_id.clone(), 3)]);
        // No loops, no self-referral, and the first referrer stays.
        click(&app, &a, &b_link).await;
        click(&app, &b, &b_link).await;
        click(&app, &c, &a_link).await;
        assert_eq!(count(&app, "SELECT COUNT(*) FROM visitor_referrals").await, 2);

        // B's and C's leads go to 李娜 through the chain, however round-robin stands.
        assert_eq!(enquire(&app, &c, "丙", "13900000303").await, LI);
        assert_eq!(enquire(&app, &b, "乙", "13900000302").await, LI);
        let c_lead = lead_of(&app, "13900000303").await;
        assert_eq!(c_lead.credited_by.as_deref(), Some("referrer"));
        assert_eq!((c_lead.referrer.as_deref(), c_lead.referral_level), (Some(b_id.as_str()), Some(3)));
        // C's last click was A's link: the link kept is the last that brought them.
        assert_eq!(c_lead.link_code.as_deref(), Some(a_link.code.as_str()));
        let b_lead = lead_of(&app, "13900000302").await;
        assert_eq!((b_lead.referrer.as_deref(), b_lead.referral_level, b_lead.link_code.as_deref()), (Some(a_id.as_str()), Some(2), Some(b_link.code.as_str())));
        assert!(timeline_has(&app, b_lead.id, &format!("朋友转发而来（{LI}的客户），归属{LI}")).await);

        // An unbound referrer's own first touch counts too; a referrer with none falls to round-robin.
        let d = app.phone();
        click(&app, &d, &link).await;
        let d_link = own_link(&app, &d).await;
        let e = app.phone();
        click(&app, &e, &d_link).await;
        assert_eq!(enquire(&app, &e, "戊", "13900000305").await, LI);
        let f = app.phone();
        let f_link = own_link(&app, &f).await;
        let g = app.phone();
        click(&app, &g, &f_link).await;
        enquire(&app, &g, "庚", "13900000307").await;
        let g_lead = lead_of(&app, "13900000307").await;
        assert_eq!((g_lead.credited_by.as_deref(), g_lead.referral_level), (Some("round_robin"), Some(2)));

        // The console: 李娜 sees B's tree from her link down to C; 王磊 cannot open it; a manager can.
        let tree: ShareTree = ok(li.get(app.url(&format!("/api/v1/console/leads/{}/share-tree", b_lead.id))).send().await.unwrap()).await;
        let root = tree.root.clone().expect("the staff link at the top");
        assert_eq!((root.staff_name.as_str(), root.channel, root.code.as_str()), (LI, Channel::Moments, link.code.as_str()));
        assert_eq!(tree.credit, Some(Credit::Referrer));
        let nodes: Vec<(i64, &str, bool, Option<Channel>)> = tree.nodes.iter().map(|n| (n.level, n.label.as_str(), n.is_this_lead, n.channel)).collect();
        assert_eq!(nodes, vec![
            (1, "甲", false, Some(Channel::Moments)),
            (2, "乙", true, Some(Channel::Chat)),
            (3, "丙", false, Some(Channel::Chat)),
        ]);
        assert!(tree.nodes.iter().all(|n| n.at.is_some()));
        let wang = sign_in(&app, "demo-wang").await;
        err(wang.get(app.url(&format!("/api/v1/console/leads/{}/share-tree", b_lead.id))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        let manager = sign_in(&app, "demo-manager").await;
        let seen: ShareTree = ok(manager.get(app.url(&format!("/api/v1/console/leads/{}/share-tree", b_lead.id))).send().await.unwrap()).await;
        assert_eq!(seen.nodes.len(), 3);
        let leap = sign_in(&app, "leap-admin").await;
        err(leap.get(app.url(&format!("/api/v1/console/leads/{}/share-tree", b_lead.id))).send().await.unwrap(), StatusCode::NOT_FOUND).await;
        assert_eq!(app.client.get(app.url(&format!("/api/v1/console/leads/{}/share-tree", b_lead.id))).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
        // G's tree has no staff link at the top; G's visitor came through F, a nameless visitor.
        let g_tree: ShareTree = ok(manager.get(app.url(&format!("/api/v1/console/leads/{}/share-tree", g_lead.id))).send().await.unwrap()).await;
        assert!(g_tree.root.is_none());
        assert_eq!(g_tree.nodes.iter().map(|n| (n.level, n.label.starts_with("访客"))).collect::<Vec<_>>(), vec![(1, true), (2, false)]);
    }
}

both! {
    async fn bookings_and_leads_keep_link_channel_referrer_and_button_and_links_count_what_they_brought(app) {
        let wang = sign_in(&app, "demo-wang").await;
        let link = staff_link(&app, &wang, "moments").await;
        let a = app.phone();
        click(&app, &a, &link).await;
        let a_id = clicker(&app, &link).await;
        let a_link = own_link(&app, &a).await;
        let b = app.phone();
        click(&app, &b, &a_link).await;
        let b_id = clicker(&app, &a_link).await;
        // B books from the model page's button, with the channel of A's link.
        let offer: TestDriveOffer = app.get_ok("/api/v1/dealers/demo/test-drive").await;
        let store = offer.stores.iter().find(|s| s.series_ids.iter().any(|id| id == "byd-qin-plus")).expect("a store");
        let slots: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/stores/{}/slots?series=byd-qin-plus", store.store.id)).await;
        let slot = slots.slots.iter().find(|s| s.seats_left > 0).expect("a free slot");
        let booked = b.post(app.url("/api/v1/dealers/demo/bookings")).json(&json!({
            "series_id": "byd-qin-plus", "slot_id": slot.id,
            "name": "乙", "phone": "13900000402", "consent_version": PRIVACY_NOTICE_VERSION,
            "origin": {"page": "model", "button": "book-test-drive", "channel": "chat"}
        })).send().await.unwrap();
        assert_eq!(booked.status(), StatusCode::CREATED);
        let booking: Booking = booked.json().await.unwrap();
        assert_eq!(booking.consultant.as_ref().map(|c| c.name.as_str()), Some(WANG));
        let kept: BookingOrigin = sqlx::query_as(
            "SELECT l.code AS link_code, b.channel, b.page, b.button, b.visitor, b.referrer, b.referral_level \
             FROM bookings b LEFT JOIN links l ON l.id = b.link_id WHERE b.code = $1",
        ).bind(&booking.code).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(kept, BookingOrigin {
            link_code: Some(a_link.code.clone()), channel: Some("chat".into()), page: Some("model".into()),
            button: Some("book-test-drive".into()), visitor: Some(b_id.clone()), referrer: Some(a_id.clone()),
            referral_level: Some(2),
        });
        let lead = lead_of(&app, "13900000402").await;
        assert_eq!((lead.link_code.as_deref(), lead.referrer.as_deref(), lead.referral_level), (Some(a_link.code.as_str()), Some(a_id.as_str()), Some(2)));
        let origin: (String, String, Option<String>) = sqlx::query_as("SELECT origin_page, origin_button, origin_channel FROM leads WHERE id = $1")
            .bind(lead.id).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(origin, ("model".into(), "book-test-drive".into(), Some("chat".into())));
        // A asks for the price straight from 王磊's link.
        enquire(&app, &a, "甲", "13900000401").await;
        // Previews of both links are counted as previews only.
        app.client.head(app.url(&link.path)).send().await.unwrap();
        app.client.get(app.url(&a_link.path)).header(header::USER_AGENT, "WhatsApp/2.23.20 A").send().await.unwrap();

        // 王磊's link: its own click and A's forward, the two leads and B's booking.
        let stats: Vec<LinkStats> = ok(wang.get(app.url("/api/v1/console/links/stats")).send().await.unwrap()).await;
        assert_eq!(stats.len(), 1);
        let s = &stats[0];
        assert_eq!(s.code, link.code);
        assert_eq!((s.previews, s.clicks, s.visitors, s.leads, s.bookings), (2, 2, 2, 2, 1));
        let channels: Vec<(Option<Channel>, bool, i64, i64, i64, i64)> = s.by_channel.iter()
            .map(|c| (c.channel, c.forwarded, c.clicks, c.visitors, c.leads, c.bookings)).collect();
        assert_eq!(channels, vec![
            (Some(Channel::Moments), false, 1, 1, 1, 0),
            (Some(Channel::Chat), true, 1, 1, 1, 1),
        ]);
        assert_eq!(s.by_day.len(), shared::attribution::STATS_DAYS as usize);
        let today = s.by_day.last().unwrap();
        assert_eq!((today.clicks, today.leads), (2, 2));
        assert!(s.by_day[..s.by_day.len() - 1].iter().all(|d| d.clicks == 0 && d.leads == 0));
        // Nobody else's links count there, and the stats need a session.
        let li = sign_in(&app, "demo-li").await;
        let none: Vec<LinkStats> = ok(li.get(app.url("/api/v1/console/links/stats")).send().await.unwrap()).await;
        assert!(none.is_empty());
        assert_eq!(app.client.get(app.url("/api/v1/console/links/stats")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
}
