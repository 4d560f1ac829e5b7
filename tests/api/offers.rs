//! A dealer's dated prices and offers: a price holds between its days and each change is
//! logged (who, old → new); an offer shows on the model page, in the comparison and on the
//! offers page while it holds and disappears after its last day, by the date alone; an offer
//! names only what its dealer sells; consultants may not set either.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shared::catalog::SeriesDetail;
use shared::compare::Comparison;
use shared::date::Date;
use shared::offer::{OfferDesk, OfferList, OfferState, PriceBook, StaffOffer, TrimPrice};

use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};

const SU7: &str = "/api/v1/dealers/demo/series/xiaomi-su7";
const COMPARE: &str = "/api/v1/dealers/demo/compare?trims=xiaomi-su7-std,tesla-model-3-rwd";

fn today() -> Date {
    server::clock::Clock::now().today()
}

fn day(offset: i64) -> String {
    today().add_days(offset).to_string()
}

async fn set_price(manager: &Client, app: &TestApp, body: Value) -> reqwest::Response {
    manager
        .put(app.url("/api/v1/console/prices/xiaomi-su7-std"))
        .json(&body)
        .send()
        .await
        .expect("request")
}

async fn su7_price(app: &TestApp) -> Option<i64> {
    let detail: SeriesDetail = app.get_ok(SU7).await;
    detail
        .trims
        .iter()
        .find(|t| t.id == "xiaomi-su7-std")
        .expect("the standard edition")
        .dealer_price
}

fn offer(from: i64, until: i64) -> Value {
    json!({
        "series_id": "xiaomi-su7", "trim_id": null, "kind": "price_cut", "amount_yuan": 5000,
        "detail": "限时直降", "valid_from": day(from), "valid_until": day(until), "store_ids": [],
    })
}

async fn add_offer(manager: &Client, app: &TestApp, body: &Value) -> reqwest::Response {
    manager
        .post(app.url("/api/v1/console/offers"))
        .json(body)
        .send()
        .await
        .expect("request")
}

/// A 201 and the offer it made.
async fn created(response: reqwest::Response) -> StaffOffer {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("an offer")
}

both! {
    async fn a_dated_price_shows_between_its_days_and_each_change_is_logged(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let saved: TrimPrice = ok(set_price(&manager, &app, json!({
            "dealer_price": 199_000, "window": {"from": day(-1), "until": day(10)},
        })).await).await;
        assert_eq!(saved.dealer_price, Some(199_000));
        assert_eq!(su7_price(&app).await, Some(199_000));

        // Not yet begun, then over: the guide price holds, with no job run.
        ok::<TrimPrice>(set_price(&manager, &app, json!({
            "dealer_price": 199_000, "window": {"from": day(1), "until": null},
        })).await).await;
        assert_eq!(su7_price(&app).await, None);
        ok::<TrimPrice>(set_price(&manager, &app, json!({
            "dealer_price": 198_000, "window": {"from": day(-30), "until": day(-1)},
        })).await).await;
        assert_eq!(su7_price(&app).await, None);
        // The same again changes nothing and logs nothing.
        ok::<TrimPrice>(set_price(&manager, &app, json!({
            "dealer_price": 198_000, "window": {"from": day(-30), "until": day(-1)},
        })).await).await;

        let book: PriceBook = ok(manager.get(app.url("/api/v1/console/prices")).send().await.unwrap()).await;
        let su7 = book.trims.iter().find(|t| t.trim_id == "xiaomi-su7-std").expect("listed");
        assert_eq!(su7.dealer_price, Some(198_000));
        assert_eq!(su7.window.until, Some(today().add_days(-1)));
        let changes: Vec<_> = book.changes.iter().filter(|c| c.trim_id == "xiaomi-su7-std").collect();
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(changes[0].old_price, Some(199_000));
        assert_eq!(changes[0].new_price, Some(198_000));
        assert_eq!(changes[0].new_window.from, Some(today().add_days(-30)));
        assert_eq!(changes[2].old_price, None);
        assert_eq!(changes[2].new_price, Some(199_000));
        assert!(changes.iter().all(|c| c.staff_name.as_deref().is_some_and(|n| n.starts_with("陈立"))));

        // Back to the guide price, with no days.
        ok::<TrimPrice>(set_price(&manager, &app, json!({"dealer_price": null})).await).await;
        assert_eq!(su7_price(&app).await, None);
    }
}

both! {
    async fn a_price_is_refused_with_the_field_to_correct_and_consultants_may_not_set_it(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let backwards = err(set_price(&manager, &app, json!({
            "dealer_price": 199_000, "window": {"from": day(5), "until": day(1)},
        })).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(backwards.error.field.as_deref(), Some("until"));
        let dated_guide = err(set_price(&manager, &app, json!({
            "dealer_price": null, "window": {"from": day(1), "until": null},
        })).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(dated_guide.error.field.as_deref(), Some("dealer_price"));
        let unknown = manager
            .put(app.url("/api/v1/console/prices/no-such-trim"))
            .json(&json!({"dealer_price": 100}))
            .send()
            .await
            .unwrap();
        err(unknown, StatusCode::NOT_FOUND).await;
        // A trim only another dealer sells is not this dealer's to price, and that dealer's
        // manager changes nothing of this one's.
        let not_sold = manager
            .put(app.url("/api/v1/console/prices/leapmotor-t03-2025-bev-319kwh"))
            .json(&json!({"dealer_price": 55_000}))
            .send()
            .await
            .unwrap();
        err(not_sold, StatusCode::NOT_FOUND).await;
        let leap = sign_in(&app, "leap-manager").await;
        let status = set_price(&leap, &app, json!({"dealer_price": 100})).await.status();
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::OK, "{status}");
        let book: PriceBook = ok(manager.get(app.url("/api/v1/console/prices")).send().await.unwrap()).await;
        assert!(book.changes.is_empty(), "{:?}", book.changes);
        assert!(!book.trims.iter().any(|t| t.trim_id.starts_with("leapmotor-t03")));
        let consultant = sign_in(&app, "demo-wang").await;
        err(set_price(&consultant, &app, json!({"dealer_price": 100})).await, StatusCode::FORBIDDEN).await;
        let book = consultant.get(app.url("/api/v1/console/prices")).send().await.unwrap();
        err(book, StatusCode::FORBIDDEN).await;
        assert_eq!(su7_price(&app).await, None);
    }
}

both! {
    async fn an_offer_shows_while_it_holds_and_disappears_after_its_last_day(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let added = created(add_offer(&manager, &app, &offer(-1, 30)).await).await;
        assert_eq!(added.state, OfferState::Current);
        assert_eq!(added.offer.headline(), "限时优惠 ¥5,000");
        let id = added.offer.id;

        let detail: SeriesDetail = app.get_ok(SU7).await;
        assert_eq!(detail.offers.len(), 1);
        let comparison: Comparison = app.get_ok(COMPARE).await;
        assert_eq!(comparison.offers.len(), 1, "for the SU7 only");
        assert!(comparison.offers[0].holds_for("xiaomi-su7", "xiaomi-su7-std"));
        let list: OfferList = app.get_ok("/api/v1/dealers/demo/offers").await;
        assert_eq!(list.offers.len(), 1);
        assert_eq!(list.series, vec![("xiaomi-su7".to_string(), detail.series.name_zh.clone())]);
        let usage: OfferList = app.get_ok("/api/v1/dealers/demo/offers?group=usage").await;
        assert!(usage.offers.is_empty());
        let purchase: OfferList = app.get_ok("/api/v1/dealers/demo/offers?group=purchase&series=xiaomi-su7").await;
        assert_eq!(purchase.offers.len(), 1);
        let other: OfferList = app.get_ok("/api/v1/dealers/demo/offers?series=tesla-model-3").await;
        assert!(other.offers.is_empty());
        let other_dealer: OfferList = app.get_ok("/api/v1/dealers/leapmotor/offers").await;
        assert!(other_dealer.offers.is_empty());

        // Dated in the past: gone from every page at once, kept in the console as over.
        let moved: StaffOffer = ok(manager
            .put(app.url(&format!("/api/v1/console/offers/{id}")))
            .json(&offer(-10, -1))
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(moved.state, OfferState::Over);
        let detail: SeriesDetail = app.get_ok(SU7).await;
        assert!(detail.offers.is_empty());
        let comparison: Comparison = app.get_ok(COMPARE).await;
        assert!(comparison.offers.is_empty());
        let list: OfferList = app.get_ok("/api/v1/dealers/demo/offers").await;
        assert!(list.offers.is_empty() && list.series.is_empty());
        let desk: OfferDesk = ok(manager.get(app.url("/api/v1/console/offers")).send().await.unwrap()).await;
        assert_eq!(desk.offers.len(), 1);
        assert_eq!(desk.offers[0].state, OfferState::Over);
        assert!(desk.series.iter().any(|s| s.id == "xiaomi-su7" && !s.trims.is_empty()));
        assert!(!desk.stores.is_empty());

        // Upcoming: not shown yet.
        ok::<StaffOffer>(manager
            .put(app.url(&format!("/api/v1/console/offers/{id}")))
            .json(&offer(1, 5))
            .send()
            .await
            .unwrap())
        .await;
        assert!(app.get_ok::<SeriesDetail>(SU7).await.offers.is_empty());

        let removed = manager.delete(app.url(&format!("/api/v1/console/offers/{id}"))).send().await.unwrap();
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        let again = manager.delete(app.url(&format!("/api/v1/console/offers/{id}"))).send().await.unwrap();
        err(again, StatusCode::NOT_FOUND).await;
    }
}

both! {
    async fn an_offer_names_only_what_its_dealer_sells_at_its_own_stores(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let desk: OfferDesk = ok(manager.get(app.url("/api/v1/console/offers")).send().await.unwrap()).await;
        let store = desk.stores[0].0;
        let leap = sign_in(&app, "leap-manager").await;
        let leap_desk: OfferDesk = ok(leap.get(app.url("/api/v1/console/offers")).send().await.unwrap()).await;
        let leap_store = leap_desk.stores[0].0;
        let leap_series = leap_desk.series[0].id.clone();
        let leap_trim = leap_desk.series[0].trims[0].0.clone();

        let with = |change: Value| {
            let mut body = offer(0, 10);
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };
        for (change, field) in [
            (json!({"series_id": leap_series}), "series_id"),
            (json!({"trim_id": leap_trim}), "trim_id"),
            (json!({"trim_id": "tesla-model-3-rwd"}), "trim_id"),
            (json!({"store_ids": [leap_store]}), "store_ids"),
            (json!({"amount_yuan": 0}), "amount_yuan"),
            (json!({"amount_yuan": null, "detail": "  "}), "detail"),
            (json!({"valid_from": day(3), "valid_until": day(2)}), "valid_until"),
        ] {
            let refused = err(add_offer(&manager, &app, &with(change.clone())).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some(field), "{change}");
        }
        let desk_after: OfferDesk = ok(manager.get(app.url("/api/v1/console/offers")).send().await.unwrap()).await;
        assert!(desk_after.offers.is_empty(), "nothing half-written");

        // At one store, for one trim: named on the offer.
        let added = created(add_offer(&manager, &app, &with(json!({
            "trim_id": "xiaomi-su7-std", "store_ids": [store], "kind": "charging",
            "amount_yuan": null, "detail": "赠送家充桩及安装",
        }))).await).await;
        assert_eq!(added.store_ids, vec![store]);
        assert_eq!(added.offer.stores, vec![desk.stores[0].1.clone()]);
        assert_eq!(added.offer.trim_id.as_deref(), Some("xiaomi-su7-std"));
        let comparison: Comparison = app.get_ok(COMPARE).await;
        assert_eq!(comparison.offers.len(), 1);

        // Another dealer's manager can neither change nor remove it; a consultant cannot add.
        let id = added.offer.id;
        let theirs = leap.put(app.url(&format!("/api/v1/console/offers/{id}"))).json(&offer(0, 1)).send().await.unwrap();
        assert!(matches!(theirs.status(), StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY));
        let theirs = leap.delete(app.url(&format!("/api/v1/console/offers/{id}"))).send().await.unwrap();
        err(theirs, StatusCode::NOT_FOUND).await;
        let consultant = sign_in(&app, "demo-wang").await;
        err(add_offer(&consultant, &app, &offer(0, 1)).await, StatusCode::FORBIDDEN).await;
    }
}
