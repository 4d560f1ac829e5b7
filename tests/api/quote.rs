//! The purchase calculator (`POST /api/v1/dealers/{dealer}/quote`): exactly
//! `shared::quote::quote` with the dealer's 车船税 amounts, the dated relief by listing; every
//! bad input a 422 naming its field, malformed JSON a 400, a body over 64 KiB a 413, and
//! nothing written either way.

use reqwest::StatusCode;
use shared::catalog::EnergyType;
use shared::date::Date;
use shared::quote::{quote, DealerTerms, LoanTerms, Quote, QuoteRequest};
use shared::tax::{Listing, ReliefPeriod, VesselTaxRates};

use crate::helpers::{err, ok};

const PATH: &str = "/api/v1/dealers/demo/quote";

fn known_case() -> QuoteRequest {
    QuoteRequest {
        price: 189_800,
        seats: 5,
        energy_type: EnergyType::Bev,
        displacement_ml: None,
        eaer_km: None,
        listings: vec![listing(ReliefPeriod::From2026To2027, true)],
        purchase_date: Date::new(2026, 11, 23),
        commercial_insurance: None,
        plate_fee: 500,
        vessel_tax_rates: None,
        loan: Some(LoanTerms {
            down_payment_pct: 30,
            term_months: 36,
            annual_rate_bp: 350,
        }),
    }
}

fn listing(period: ReliefPeriod, listed: bool) -> Listing {
    Listing {
        period,
        listed,
        source: Some("测试来源".into()),
    }
}

/// A 100,000-yuan plug-in hybrid with a 1.5 L engine, bought on `date`.
fn phev(date: Date, listings: Vec<Listing>) -> QuoteRequest {
    QuoteRequest {
        price: 100_000,
        seats: 5,
        energy_type: EnergyType::Phev,
        displacement_ml: Some(1_498),
        eaer_km: None,
        listings,
        purchase_date: date,
        commercial_insurance: Some(3_000),
        plate_fee: 0,
        vessel_tax_rates: None,
        loan: None,
    }
}

fn amount(quote: &Quote, key: &str) -> i64 {
    quote
        .lines
        .iter()
        .find(|l| l.key == key)
        .map(|l| l.amount)
        .unwrap_or_else(|| panic!("no {key} line"))
}

both! {
    async fn a_known_quote_is_the_shared_rule_with_the_right_numbers(app) {
        let terms: DealerTerms = app.get_ok("/api/v1/dealers/demo/terms").await;
        let rates = terms.vessel_tax.clone().expect("demo dealer sets 车船税 amounts");
        let request = known_case();
        let got: Quote = ok(app.post_json(PATH, &request).await).await;
        assert_eq!(got, quote(&request, Some(&rates)));
        let amounts: Vec<(&str, i64)> = got.lines.iter().map(|l| (l.key.as_str(), l.amount)).collect();
        assert_eq!(
            amounts,
            [
                ("price", 189_800),
                ("purchase_tax", 8_398),
                ("vessel_tax", 0),
                ("compulsory_insurance", 950),
                ("commercial_insurance", 4_278),
                ("plate_fee", 500),
            ]
        );
        assert!(got.lines.iter().all(|l| !l.note.is_empty()), "every line says its rule");
        assert_eq!(got.total, 203_926);
        let loan = got.loan.expect("loan");
        assert_eq!((loan.down_payment, loan.principal), (56_940, 132_860));
        assert_eq!((loan.monthly_payment, loan.total_interest), (3_893, 7_291));
        assert_eq!(loan.first_payment, 71_066);
    }
}

both! {
    async fn a_phev_listed_or_not_pays_the_tax_of_its_period(app) {
        use ReliefPeriod::*;
        let cases = [
            // date, listings, purchase tax, 车船税 (浙江 1.0–1.6 L: 300 a year, June to December: 175)
            (Date::new(2025, 6, 1), vec![listing(From2024To2025, true)], 0, 0),
            (Date::new(2025, 6, 1), vec![listing(From2024To2025, false)], 8_850, 175),
            (Date::new(2026, 6, 1), vec![listing(From2026To2027, true)], 4_425, 0),
            (Date::new(2026, 6, 1), vec![listing(From2026To2027, false)], 8_850, 175),
            // listed for 2025 only: in 2026 that listing does not count
            (Date::new(2026, 6, 1), vec![listing(From2024To2025, true)], 8_850, 175),
        ];
        for (date, listings, tax, vessel) in cases {
            let request = phev(date, listings.clone());
            let got: Quote = ok(app.post_json(PATH, &request).await).await;
            assert_eq!(amount(&got, "purchase_tax"), tax, "{date} {listings:?}");
            assert_eq!(amount(&got, "vessel_tax"), vessel, "{date} {listings:?}");
            assert_eq!(got.total, 100_000 + tax + vessel + 950 + 3_000);
        }
    }
}

both! {
    async fn a_short_range_phev_cannot_be_quoted_as_listed_from_2026(app) {
        let date = Date::new(2026, 12, 7);
        let assumed = Listing { period: ReliefPeriod::From2026To2027, listed: true, source: None };
        let short = QuoteRequest { eaer_km: Some(55), ..phev(date, vec![assumed.clone()]) };
        let refused = err(app.post_json(PATH, &short).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refused.error.code, "invalid");
        assert_eq!(refused.error.field.as_deref(), Some("listings"));
        assert!(refused.error.message.contains("等效全电里程55km"), "{}", refused.error.message);
        assert!(refused.error.message.contains("100km"), "{}", refused.error.message);
        // Not listed it is the full tax and the 车船税 (浙江 300 a year, December: 25).
        let full = QuoteRequest { listings: vec![listing(ReliefPeriod::From2026To2027, false)], ..short.clone() };
        let got: Quote = ok(app.post_json(PATH, &full).await).await;
        assert_eq!((amount(&got, "purchase_tax"), amount(&got, "vessel_tax")), (8_850, 25));
        // A range of 100 km and more may be assumed listed: halved, no 车船税.
        let long = QuoteRequest { eaer_km: Some(100), ..short };
        let got: Quote = ok(app.post_json(PATH, &long).await).await;
        assert_eq!((amount(&got, "purchase_tax"), amount(&got, "vessel_tax")), (4_425, 0));
    }
}

both! {
    async fn a_fuel_cell_car_is_quoted_as_new_energy_outside_the_vessel_tax(app) {
        let listed = listing(ReliefPeriod::From2026To2027, true);
        let request = QuoteRequest {
            energy_type: EnergyType::Fcev,
            displacement_ml: None,
            price: 300_000,
            ..phev(Date::new(2026, 6, 1), vec![listed])
        };
        let body = serde_json::to_value(&request).unwrap();
        assert_eq!(body["energy_type"], "fcev");
        let got: Quote = ok(app.post_json(PATH, &body).await).await;
        // 26,548.67 halved (the reduction under the 15,000 cap); no 车船税 at all.
        assert_eq!((amount(&got, "purchase_tax"), amount(&got, "vessel_tax")), (13_274, 0));
        assert!(got.missing.is_empty(), "{:?}", got.missing);
        // The catalogue's filter takes it too (the demo sells none).
        let list: serde_json::Value = app.get_ok("/api/v1/dealers/demo/series?energy=fcev").await;
        assert!(list.is_object(), "{list}");
    }
}

both! {
    async fn the_dealers_province_amounts_price_the_vessel_tax(app) {
        let terms: DealerTerms = app.get_ok("/api/v1/dealers/demo/terms").await;
        let rates = terms.vessel_tax.clone().expect("amounts");
        assert_eq!(rates.province, "浙江");
        assert_eq!(rates.annual.len(), 7);
        assert_eq!(terms.loan_rate_bp, 350);
        let missing = app.get_err("/api/v1/dealers/nobody/terms", StatusCode::NOT_FOUND).await;
        assert_eq!(missing.error.code, "not_found");
        let petrol = QuoteRequest {
            energy_type: EnergyType::Petrol,
            displacement_ml: Some(1_984),
            listings: Vec::new(),
            purchase_date: Date::new(2026, 11, 24),
            ..phev(Date::new(2026, 11, 24), Vec::new())
        };
        let got: Quote = ok(app.post_json(PATH, &petrol).await).await;
        // two months of the 1.6–2.0 L amount
        assert_eq!(amount(&got, "vessel_tax"), rates.annual[2] * 2 / 12);
        assert!(got.missing.is_empty());
        // the buyer's own registration province wins
        let shanghai = QuoteRequest {
            vessel_tax_rates: Some(VesselTaxRates {
                province: "上海".into(),
                annual: vec![180, 360, 450, 720, 1_500, 3_000, 4_500],
                source: None,
            }),
            ..petrol.clone()
        };
        let got: Quote = ok(app.post_json(PATH, &shanghai).await).await;
        assert_eq!(amount(&got, "vessel_tax"), 75);
        // an unknown displacement is left out and asked for
        let unknown = QuoteRequest { displacement_ml: None, ..petrol };
        let got: Quote = ok(app.post_json(PATH, &unknown).await).await;
        assert_eq!(amount(&got, "vessel_tax"), 0);
        assert_eq!(got.missing, ["displacement_ml"]);
    }
}

both! {
    async fn each_bad_calculator_input_is_a_422_naming_its_field(app) {
        let good = known_case();
        let loan = good.loan.expect("loan");
        let twice = vec![listing(ReliefPeriod::From2026To2027, true), listing(ReliefPeriod::From2026To2027, false)];
        let out_of_band = VesselTaxRates { province: "浙江".into(), annual: vec![180, 360, 420, 720, 1_800, 3_000, 9_999], source: None };
        let cases: Vec<(QuoteRequest, &str)> = vec![
            (QuoteRequest { price: -5, ..good.clone() }, "price"),
            (QuoteRequest { price: 999_999_999, ..good.clone() }, "price"),
            (QuoteRequest { seats: 0, ..good.clone() }, "seats"),
            (QuoteRequest { displacement_ml: Some(50), ..good.clone() }, "displacement_ml"),
            (QuoteRequest { displacement_ml: Some(12_000), ..good.clone() }, "displacement_ml"),
            (QuoteRequest { listings: twice, ..good.clone() }, "listings"),
            (QuoteRequest { purchase_date: Date::new(2013, 12, 31), ..good.clone() }, "purchase_date"),
            (QuoteRequest { purchase_date: Date::new(2031, 1, 1), ..good.clone() }, "purchase_date"),
            (QuoteRequest { vessel_tax_rates: Some(out_of_band), ..good.clone() }, "vessel_tax_rates"),
            (QuoteRequest { commercial_insurance: Some(-1), ..good.clone() }, "commercial_insurance"),
            (QuoteRequest { plate_fee: -1, ..good.clone() }, "plate_fee"),
            (QuoteRequest { loan: Some(LoanTerms { term_months: 6, ..loan }), ..good.clone() }, "term_months"),
            (QuoteRequest { loan: Some(LoanTerms { term_months: 72, ..loan }), ..good.clone() }, "term_months"),
            (QuoteRequest { loan: Some(LoanTerms { annual_rate_bp: 3_700, ..loan }), ..good.clone() }, "annual_rate_bp"),
            (QuoteRequest { loan: Some(LoanTerms { down_payment_pct: 95, ..loan }), ..good.clone() }, "down_payment_pct"),
        ];
        let before = app.row_counts().await;
        for (request, field) in cases {
            let body = err(app.post_json(PATH, &request).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(body.error.code, "invalid", "{field}");
            assert_eq!(body.error.field.as_deref(), Some(field));
            assert!(!body.error.message.is_ascii(), "a Chinese message for {field}");
        }
        // wrong JSON types, missing fields and unknown periods are 422s too, naming the field
        let base = r#""seats":5,"energy_type":"phev","displacement_ml":1498,"commercial_insurance":null,"plate_fee":500,"loan":null"#;
        for (raw, field, words) in [
            (format!(r#"{{"price":"lots",{base},"purchase_date":"2026-01-01"}}"#), "price", "price"),
            (r#"{"price":100000,"energy_type":"phev","purchase_date":"2026-01-01","plate_fee":500}"#.to_string(), "seats", "seats"),
            (format!(r#"{{"price":100000,{base},"purchase_date":"2026-02-30"}}"#), "purchase_date", "日期格式应为"),
            (r#"{"price":100000,"seats":5,"energy_type":"diesel","purchase_date":"2026-01-01","plate_fee":500}"#.to_string(), "energy_type", "energy_type"),
            (
                format!(r#"{{"price":100000,{base},"purchase_date":"2026-01-01","listings":[{{"period":"2030-2031","listed":true,"source":null}}]}}"#),
                "period",
                "没有“2030-2031”这一减免时段",
            ),
        ] {
            let body = err(app.post_raw(PATH, raw.clone()).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(body.error.field.as_deref(), Some(field), "{raw}");
            assert!(body.error.message.contains(words), "{}", body.error.message);
        }
        assert_eq!(app.row_counts().await, before);
    }
}

both! {
    async fn malformed_json_is_a_400_bad_json(app) {
        for raw in ["{\"price\":", "not json", ""] {
            let body = err(app.post_raw(PATH, raw).await, StatusCode::BAD_REQUEST).await;
            assert_eq!(body.error.code, "bad_json", "{raw:?}");
        }
        // JSON without the JSON content type is refused the same way
        let response = app
            .client
            .post(app.url(PATH))
            .body(serde_json::to_string(&known_case()).expect("json"))
            .send()
            .await
            .expect("request");
        assert_eq!(err(response, StatusCode::BAD_REQUEST).await.error.code, "bad_json");
    }
}

both! {
    async fn a_body_over_64_kib_is_a_413_and_writes_nothing(app) {
        let before = app.row_counts().await;
        let padding = "x".repeat(70 * 1024);
        let raw = format!(r#"{{"price":100000,"note":"{padding}"}}"#);
        let body = err(app.post_raw(PATH, raw.clone()).await, StatusCode::PAYLOAD_TOO_LARGE).await;
        assert_eq!(body.error.code, "too_large");
        let body = err(
            app.post_raw("/api/v1/dealers/demo/recommendations", raw).await,
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
        assert_eq!(body.error.code, "too_large");
        assert_eq!(app.row_counts().await, before);
    }
}
