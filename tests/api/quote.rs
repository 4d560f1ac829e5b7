//! The purchase calculator (`POST /api/v1/dealers/{dealer}/quote`): exactly
//! `shared::quote::quote`, every bad input a 422 naming its field, malformed JSON a 400, a
//! body over 64 KiB a 413, and nothing written either way.

use reqwest::StatusCode;
use shared::date::Date;
use shared::quote::{quote, LoanTerms, Quote, QuoteRequest};

use crate::helpers::{err, ok};

const PATH: &str = "/api/v1/dealers/demo/quote";

fn known_case() -> QuoteRequest {
    QuoteRequest {
        price: 189_800,
        seats: 5,
        new_energy: true,
        purchase_date: Date::new(2026, 11, 23),
        commercial_insurance: None,
        plate_fee: 500,
        loan: Some(LoanTerms {
            down_payment_pct: 30,
            term_months: 36,
            annual_rate_bp: 350,
        }),
    }
}

both! {
    async fn a_known_quote_is_the_shared_rule_with_the_right_numbers(app) {
        let request = known_case();
        let got: Quote = ok(app.post_json(PATH, &request).await).await;
        assert_eq!(got, quote(&request));
        let amounts: Vec<(&str, i64)> = got.lines.iter().map(|l| (l.key.as_str(), l.amount)).collect();
        assert_eq!(
            amounts,
            [
                ("price", 189_800),
                ("purchase_tax", 8_398),
                ("compulsory_insurance", 950),
                ("commercial_insurance", 4_278),
                ("plate_fee", 500),
            ]
        );
        assert_eq!(got.total, 203_926);
        let loan = got.loan.expect("loan");
        assert_eq!((loan.down_payment, loan.principal), (56_940, 132_860));
        assert_eq!((loan.monthly_payment, loan.total_interest), (3_893, 7_291));
        assert_eq!(loan.first_payment, 71_066);

        // full payment, petrol, six seats, own insurance figure
        let cash = QuoteRequest {
            price: 113_000,
            seats: 7,
            new_energy: false,
            purchase_date: Date::new(2025, 1, 1),
            commercial_insurance: Some(3_000),
            plate_fee: 0,
            loan: None,
        };
        let got: Quote = ok(app.post_json(PATH, &cash).await).await;
        assert_eq!(got, quote(&cash));
        assert_eq!(got.total, 113_000 + 10_000 + 1_100 + 3_000);
        assert_eq!(got.loan, None);
    }
}

both! {
    async fn each_bad_calculator_input_is_a_422_naming_its_field(app) {
        let good = known_case();
        let loan = good.loan.expect("loan");
        let cases: Vec<(QuoteRequest, &str)> = vec![
            (QuoteRequest { price: -5, ..good.clone() }, "price"),
            (QuoteRequest { price: 999_999_999, ..good.clone() }, "price"),
            (QuoteRequest { seats: 0, ..good.clone() }, "seats"),
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
        }
        // wrong JSON types and missing fields are 422s too, naming the field
        for (raw, field) in [
            (r#"{"price":"lots","seats":5,"new_energy":true,"purchase_date":"2026-01-01","commercial_insurance":null,"plate_fee":500,"loan":null}"#, "price"),
            (r#"{"price":100000,"new_energy":true,"purchase_date":"2026-01-01","commercial_insurance":null,"plate_fee":500,"loan":null}"#, "seats"),
            (r#"{"price":100000,"seats":5,"new_energy":true,"purchase_date":"2026-02-30","commercial_insurance":null,"plate_fee":500,"loan":null}"#, "purchase_date"),
        ] {
            let body = err(app.post_raw(PATH, raw).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(body.error.field.as_deref(), Some(field), "{raw}");
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
