//! The dealer's settings (设置) on both databases: 报价设置 shows in the consumer's terms and
//! quote at once (province, 车船税 amounts, default loan) and bumps the catalogue version;
//! amounts outside the national bands and every other bad field are 422 with the field and
//! nothing written; 门店资料 shows on the home page, and a new privacy contact is a new notice
//! version; the logo (PNG fitted to 256 px, served under a versioned address; not an image
//! 422); a manager or consultant gets 403 for every route.

use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::booking::{SlotList, TestDriveOffer};
use shared::catalog::{DealerHome, EnergyType};
use shared::contact::PRIVACY_NOTICE_VERSION;
use shared::date::Date;
use shared::quote::{DealerTerms, Quote, QuoteRequest};
use shared::settings::{DealerSettings, QuoteSettings, StoreProfile};

use crate::console::{get, sign_in};
use crate::helpers::{err, ok, TestApp};

async fn put(
    app: &TestApp,
    staff: &Client,
    path: &str,
    body: &impl serde::Serialize,
) -> reqwest::Response {
    staff.put(app.url(path)).json(body).send().await.unwrap()
}

async fn catalogue_version(app: &TestApp) -> i64 {
    let dealer = app.dealer_id("demo").await;
    sqlx::query_scalar("SELECT version FROM catalogue_versions WHERE dealer_id = $1")
        .bind(dealer)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// A 1.5 L petrol car bought in June 2026: its 车船税 is the 1.0–1.6 L amount for 7 months.
fn petrol() -> QuoteRequest {
    QuoteRequest {
        price: 100_000,
        seats: 5,
        energy_type: EnergyType::Petrol,
        displacement_ml: Some(1_498),
        eaer_km: None,
        listings: vec![],
        purchase_date: Date::new(2026, 6, 1),
        commercial_insurance: Some(3_000),
        plate_fee: 0,
        vessel_tax_rates: None,
        loan: None,
    }
}

fn vessel_tax_line(quote: &Quote) -> (i64, String) {
    let line = quote
        .lines
        .iter()
        .find(|l| l.key == "vessel_tax")
        .expect("a 车船税 line");
    (line.amount, line.note.clone())
}

both! {
    async fn a_changed_province_vessel_tax_and_loan_show_in_the_consumer_quote_at_once(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let before: DealerSettings = get(&admin, &app, "/api/v1/console/settings").await;
        assert_eq!(before.quote.province, "浙江");
        assert_eq!(before.quote.vessel_tax, vec![180, 300, 360, 660, 1500, 3000, 4500]);
        let quoted: Quote = ok(app.post_json("/api/v1/dealers/demo/quote", &petrol()).await).await;
        assert_eq!(vessel_tax_line(&quoted).0, 175);
        let version = catalogue_version(&app).await;

        let new = QuoteSettings {
            province: "江苏".into(),
            vessel_tax: vec![180, 360, 420, 720, 1800, 3000, 4500],
            loan_rate_bp: 420,
            loan_term_months: 24,
            down_payment_pct: 20,
            attribution_days: 15,
        };
        let saved: DealerSettings = ok(put(&app, &admin, "/api/v1/console/settings/quote", &new).await).await;
        assert_eq!(saved.quote, new);
        assert!(catalogue_version(&app).await > version, "cached pages go stale");

        let terms: DealerTerms = app.get_ok("/api/v1/dealers/demo/terms").await;
        assert_eq!((terms.loan_rate_bp, terms.loan_term_months, terms.down_payment_pct), (420, 24, 20));
        let rates = terms.vessel_tax.expect("amounts");
        assert_eq!((rates.province.as_str(), rates.annual.clone()), ("江苏", new.vessel_tax.clone()));
        let quoted: Quote = ok(app.post_json("/api/v1/dealers/demo/quote", &petrol()).await).await;
        let (amount, note) = vessel_tax_line(&quoted);
        assert_eq!(amount, 210, "360 a year, June to December");
        assert!(note.contains("江苏") && !note.contains("演示"), "{note}");
        let window: shared::attribution::AttributionWindow = get(&admin, &app, "/api/v1/console/attribution").await;
        assert_eq!(window.days, 15);
    }
}

both! {
    async fn amounts_outside_the_national_bands_and_bad_fields_are_422_with_the_field_and_change_nothing(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let before: DealerSettings = get(&admin, &app, "/api/v1/console/settings").await;
        let version = catalogue_version(&app).await;
        let good = before.quote.clone();
        let cases = [
            (QuoteSettings { vessel_tax: vec![59, 300, 360, 660, 1500, 3000, 4500], ..good.clone() }, "vessel_tax_rates", "60到360"),
            (QuoteSettings { vessel_tax: vec![180, 300, 360, 660, 1500, 3000, 5401], ..good.clone() }, "vessel_tax_rates", "3600到5400"),
            (QuoteSettings { vessel_tax: vec![180, 300], ..good.clone() }, "vessel_tax_rates", "7档"),
            (QuoteSettings { province: " ".into(), ..good.clone() }, "province", "省份"),
            (QuoteSettings { loan_rate_bp: 3601, ..good.clone() }, "loan_rate_bp", "36%"),
            (QuoteSettings { loan_term_months: 30, ..good.clone() }, "loan_term_months", "整年"),
            (QuoteSettings { down_payment_pct: 95, ..good.clone() }, "down_payment_pct", "首付"),
            (QuoteSettings { attribution_days: 400, ..good.clone() }, "attribution_days", "365"),
        ];
        for (bad, field, says) in cases {
            let refused = err(put(&app, &admin, "/api/v1/console/settings/quote", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some(field), "{bad:?}");
            assert!(refused.error.message.contains(says), "{}", refused.error.message);
        }
        let profile = before.profile.clone();
        for (bad, field) in [
            (StoreProfile { brand_color: "red".into(), ..profile.clone() }, "brand_color"),
            (StoreProfile { name: "车".into(), ..profile.clone() }, "name"),
            (StoreProfile { phone: "请来电".into(), ..profile.clone() }, "phone"),
            (StoreProfile { privacy_contact: "经理".into(), ..profile.clone() }, "privacy_contact"),
        ] {
            let refused = err(put(&app, &admin, "/api/v1/console/settings/profile", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(refused.error.field.as_deref(), Some(field));
        }
        let after: DealerSettings = get(&admin, &app, "/api/v1/console/settings").await;
        assert_eq!(after, before);
        assert_eq!(catalogue_version(&app).await, version);
    }
}

both! {
    async fn the_store_profile_shows_on_the_home_page_and_a_new_privacy_contact_is_a_new_notice_version(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let before: DealerSettings = get(&admin, &app, "/api/v1/console/settings").await;
        assert_eq!(before.privacy_version, PRIVACY_NOTICE_VERSION);
        let profile = StoreProfile {
            name: "车链汽车城·新名".into(),
            short_name: "车链".into(),
            brand_color: "#0b5fff".into(),
            phone: "400-123-4567".into(),
            privacy_contact: "privacy@chelink.example".into(),
        };
        let saved: DealerSettings = ok(put(&app, &admin, "/api/v1/console/settings/profile", &profile).await).await;
        assert_eq!(saved.profile, StoreProfile { brand_color: "#0B5FFF".into(), ..profile.clone() });
        assert_eq!(saved.privacy_version, format!("{PRIVACY_NOTICE_VERSION}.1"));
        let home: DealerHome = app.get_ok("/api/v1/dealers/demo").await;
        assert_eq!((home.dealer.name.as_str(), home.dealer.brand_color.as_str(), home.dealer.phone.as_str()),
            ("车链汽车城·新名", "#0B5FFF", "400-123-4567"));
        assert_eq!(home.dealer.privacy_version, saved.privacy_version);
        assert_eq!(home.dealer.privacy_contact, "privacy@chelink.example");
        // The same contact again: the notice did not change.
        let again: DealerSettings = ok(put(&app, &admin, "/api/v1/console/settings/profile", &profile).await).await;
        assert_eq!(again.privacy_version, format!("{PRIVACY_NOTICE_VERSION}.1"));
        // A booking consents to the new version; consent to the old one is asked again.
        let offer: TestDriveOffer = app.get_ok("/api/v1/dealers/demo/test-drive").await;
        assert_eq!(offer.privacy_version, saved.privacy_version);
        let store = &offer.stores[0];
        let slots: SlotList = app.get_ok(&format!("/api/v1/dealers/demo/stores/{}/slots", store.store.id)).await;
        let booking = |version: &str| json!({
            "series_id": store.series_ids[0], "slot_id": slots.slots[0].id,
            "name": "同意", "phone": "13900002201", "consent_version": version,
            "origin": {"page": "home", "button": "book-test-drive"}
        });
        let old = err(app.post_json("/api/v1/dealers/demo/bookings", &booking(PRIVACY_NOTICE_VERSION)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(old.error.field.as_deref(), Some("consent"));
        let new = app.post_json("/api/v1/dealers/demo/bookings", &booking(&saved.privacy_version)).await;
        assert_eq!(new.status(), StatusCode::CREATED);
    }
}

/// A PNG of `width` × `height`.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 16, 46, 255]));
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

both! {
    async fn a_logo_is_fitted_kept_as_png_and_served_under_a_new_address_each_time(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let upload = |body: Vec<u8>| admin.put(app.url("/api/v1/console/settings/logo"))
            .header("content-type", "image/png").body(body).send();
        let first: DealerSettings = ok(upload(png(1024, 512)).await.unwrap()).await;
        let url = first.logo_url.expect("a logo address");
        assert!(url.starts_with("/api/v1/dealers/demo/logo.png?v="), "{url}");
        let served = app.get(&url).await;
        assert_eq!(served.status(), StatusCode::OK);
        assert_eq!(served.headers()["content-type"], "image/png");
        assert!(served.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let logo = image::load_from_memory(&served.bytes().await.unwrap()).unwrap();
        assert_eq!((logo.width(), logo.height()), (256, 128));
        let second: DealerSettings = ok(upload(png(64, 64)).await.unwrap()).await;
        assert_ne!(second.logo_url.as_deref(), Some(url.as_str()));
        let refused = err(upload(b"GIF89a not a logo".to_vec()).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.error.field.as_deref(), Some("logo"));
        let too_big = err(upload(vec![0; 3 * 1024 * 1024]).await.unwrap(), StatusCode::PAYLOAD_TOO_LARGE).await;
        assert_eq!((too_big.error.code.as_str(), too_big.error.field.as_deref()), ("too_large", Some("logo")));
        assert!(too_big.error.message.contains("2MB"), "{}", too_big.error.message);
        let other = app.get("/api/v1/dealers/leapmotor/logo.png").await;
        assert_eq!(other.status(), StatusCode::NOT_FOUND);
    }
}

both! {
    async fn a_manager_or_consultant_gets_403_from_every_settings_route(app) {
        for login in ["demo-manager", "demo-wang"] {
            let staff = sign_in(&app, login).await;
            let read = staff.get(app.url("/api/v1/console/settings")).send().await.unwrap();
            assert_eq!(read.status(), StatusCode::FORBIDDEN);
            for path in ["/api/v1/console/settings/profile", "/api/v1/console/settings/quote"] {
                err(put(&app, &staff, path, &json!({})).await, StatusCode::FORBIDDEN).await;
            }
            let logo = staff.put(app.url("/api/v1/console/settings/logo")).body(png(8, 8)).send().await.unwrap();
            assert_eq!(logo.status(), StatusCode::FORBIDDEN);
        }
    }
}
