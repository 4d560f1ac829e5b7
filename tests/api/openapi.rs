//! The OpenAPI document and API routing: unknown API paths are 404 JSON, never the app shell.

use reqwest::StatusCode;

both! {
    async fn the_openapi_document_lists_every_api_path(app) {
        let response = app.get("/api/v1/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        // the document is an OpenAPI object, read as such
        let doc: utoipa_free::Document = response.json().await.expect("openapi json");
        assert!(doc.openapi.starts_with("3."));
        for path in [
            "/api/v1/dealers/{dealer}",
            "/api/v1/dealers/{dealer}/terms",
            "/api/v1/dealers/{dealer}/series",
            "/api/v1/dealers/{dealer}/series/{series}",
            "/api/v1/dealers/{dealer}/compare",
            "/api/v1/dealers/{dealer}/quote",
            "/api/v1/dealers/{dealer}/recommendations",
            "/api/v1/dealers/{dealer}/me/phone-code",
            "/api/v1/dealers/{dealer}/me/phone-proof",
            "/api/v1/dealers/{dealer}/activities",
            "/api/v1/dealers/{dealer}/activities/{id}",
            "/api/v1/dealers/{dealer}/activities/{id}/signups",
            "/api/v1/console/activities",
            "/api/v1/console/activities/{id}/signups",
        ] {
            assert!(doc.paths.contains_key(path), "{path} missing");
        }
        assert!(doc.paths["/api/v1/dealers/{dealer}/quote"].contains_key("post"));
        assert!(doc.paths["/api/v1/dealers/{dealer}/series"].contains_key("get"));
        // Proving a phone: every refusal the handlers give is documented.
        let raw: serde_json::Value = app.get_ok("/api/v1/openapi.json").await;
        let responses = |path: &str| {
            let answers = &raw["paths"][path]["post"]["responses"];
            answers.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default()
        };
        assert_eq!(responses("/api/v1/dealers/{dealer}/me/phone-code"), ["200", "400", "404", "413", "422", "429", "503"]);
        assert_eq!(responses("/api/v1/dealers/{dealer}/me/phone-proof"), ["200", "400", "404", "410", "413", "422", "429"]);
    }
}

both! {
    async fn the_openapi_document_states_every_bound_the_server_enforces(app) {
        use shared::filter::PRICE_LIMIT;
        use shared::quote::{MAX_DOWN_PAYMENT_PCT, MAX_RATE_BP, MAX_TERM, MIN_PRICE, MIN_TERM};
        use shared::tax::{ReliefPeriod, DISPLACEMENT_ML};

        let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.expect("json");
        // every $ref resolves to a schema of the document
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(!refs.is_empty());
        for r in &refs {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}"));
            assert!(doc["components"]["schemas"][name].is_object(), "{r} does not resolve");
        }
        let schema = |name: &str, field: &str| doc["components"]["schemas"][name]["properties"][field].clone();
        let bounds = |v: &serde_json::Value| (v["minimum"].as_i64(), v["maximum"].as_i64());
        for (name, field, min, max) in [
            ("QuoteRequest", "price", MIN_PRICE, PRICE_LIMIT),
            ("QuoteRequest", "seats", 2, 9),
            ("QuoteRequest", "displacement_ml", DISPLACEMENT_ML.0, DISPLACEMENT_ML.1),
            ("QuoteRequest", "plate_fee", 0, 200_000),
            ("LoanTerms", "term_months", MIN_TERM, MAX_TERM),
            ("LoanTerms", "annual_rate_bp", 0, MAX_RATE_BP),
            ("LoanTerms", "down_payment_pct", 0, MAX_DOWN_PAYMENT_PCT),
            ("Answers", "family_size", 1, 9),
            ("Answers", "budget_min", 0, PRICE_LIMIT),
            ("Answers", "budget_max", 0, PRICE_LIMIT),
            ("DealerTerms", "loan_rate_bp", 0, MAX_RATE_BP),
        ] {
            assert_eq!(bounds(&schema(name, field)), (Some(min), Some(max)), "{name}.{field}");
        }
        let periods: Vec<String> = ReliefPeriod::ALL.iter().map(|p| p.key().to_string()).collect();
        let stated: Vec<String> = serde_json::from_value(doc["components"]["schemas"]["ReliefPeriod"]["enum"].clone()).expect("enum");
        assert_eq!(stated, periods);
        assert_eq!(schema("VesselTaxRates", "annual")["minItems"].as_i64(), Some(7));

        let params = |path: &str| doc["paths"][path]["get"]["parameters"].as_array().cloned().expect("parameters");
        let param = |path: &str, name: &str| {
            params(path).into_iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{path} {name}"))["schema"].clone()
        };
        let series = "/api/v1/dealers/{dealer}/series";
        for (name, min, max) in [("price_min", 0, PRICE_LIMIT), ("price_max", 0, PRICE_LIMIT), ("seats", 2, 9)] {
            assert_eq!(bounds(&param(series, name)), (Some(min), Some(max)), "{name}");
        }
        assert_eq!(param(series, "q")["maxLength"].as_i64(), Some(shared::filter::QUERY_LIMIT as i64));
        let trims = param("/api/v1/dealers/{dealer}/compare", "trims");
        assert!(trims["pattern"].as_str().is_some_and(|p| p.ends_with("{0,3}$")), "{trims}");
    }
}

both! {
    async fn every_text_field_the_server_bounds_states_its_length(app) {
        use shared::{activity, booking, console, contact, link, loyalty, profile, service, slots, survey, wechat};

        let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.expect("json");
        let length = |v: &serde_json::Value| (v["minLength"].as_u64(), v["maxLength"].as_u64());
        let property = |name: &str, field: &str| {
            let found = doc["components"]["schemas"][name]["properties"][field].clone();
            assert!(found.is_object(), "{name}.{field} is not in the document");
            found
        };
        // (schema, field, the shortest the server keeps when empty is refused, the longest),
        // each from the constant `shared` checks it with.
        let some = Some;
        for (name, field, min, max) in [
            ("ContactForm", "name", some(1), contact::NAME_MAX_CHARS),
            ("ActivityDraft", "title", some(1), activity::TITLE_MAX_CHARS),
            ("ActivityDraft", "description", None, activity::DESCRIPTION_MAX_CHARS),
            ("ActivityDraft", "place", some(1), activity::PLACE_MAX_CHARS),
            ("Origin", "page", some(1), booking::ORIGIN_MAX_CHARS),
            ("Origin", "button", some(1), booking::ORIGIN_MAX_CHARS),
            ("Origin", "channel", some(1), booking::ORIGIN_MAX_CHARS),
            ("NewLink", "target", some(1), link::MAX_TARGET),
            ("NewLink", "campaign", None, link::MAX_CAMPAIGN),
            ("NewVisitorLink", "target", some(1), link::MAX_TARGET),
            ("NewReferralLink", "target", some(1), link::MAX_TARGET),
            ("Note", "text", some(1), console::NOTE_MAX_CHARS),
            ("StatusChange", "lost_reason", None, console::NOTE_MAX_CHARS),
            ("Closure", "reason", None, slots::CLOSURE_REASON_MAX_CHARS),
            ("PasswordChange", "new", some(console::PASSWORD_MIN_CHARS), 128),
            ("Profile", "name", some(1), contact::NAME_MAX_CHARS),
            ("Profile", "title", some(1), profile::TITLE_MAX_CHARS),
            ("Profile", "handle", some(profile::HANDLE_MIN), profile::HANDLE_MAX),
            ("Profile", "wechat", None, profile::WECHAT_MAX),
            ("BookService", "note", None, service::NOTE_MAX_CHARS),
            ("SurveyAnswer", "comment", None, survey::MAX_COMMENT),
            ("LoyaltySettings", "worth", None, loyalty::MAX_WORTH),
            ("SaveWeChat", "app_id", some(wechat::APP_ID_LEN), wechat::APP_ID_LEN),
            ("SaveWeChat", "app_secret", None, wechat::SECRET_LEN),
            ("SaveWeChat", "domain", some(1), wechat::DOMAIN_MAX),
            ("SaveWeChat", "reminder_template", None, wechat::TEMPLATE_MAX),
            ("VerifyFile", "name", some("MP_verify_x.txt".len()), "MP_verify_.txt".len() + wechat::VERIFY_RANDOM_MAX),
            ("VerifyFile", "content", some(1), wechat::VERIFY_CONTENT_MAX),
        ] {
            let stated = length(&property(name, field));
            assert_eq!(stated, (min.map(|m| m as u64), Some(max as u64)), "{name}.{field}");
        }
        // Where only emptiness is refused (the rest is normalised first: spaces, full-width
        // digits), the document says at least one character.
        for (name, field) in [
            ("ContactForm", "phone"),
            ("PhoneCodeRequest", "phone"),
            ("PhoneProofRequest", "phone"),
            ("PhoneProofRequest", "code"),
            ("Deliver", "trim_id"),
            ("Deliver", "vin"),
            ("Deliver", "plate"),
            ("Deliver", "delivered_on"),
            ("Deliver", "registered_on"),
        ] {
            assert_eq!(length(&property(name, field)).0, Some(1), "{name}.{field}");
        }
        let origin = property("Origin", "page");
        assert_eq!(origin["pattern"], "^[a-z0-9_-]+$");
        let url = doc["paths"]["/api/v1/dealers/{dealer}/wechat/js-config"]["get"]["parameters"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == "url").cloned())
            .expect("the url parameter");
        assert_eq!(length(&url["schema"]), (Some(1), Some(server::http::wechat::MAX_URL as u64)));
    }
}

fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => out.push(r.to_string()),
                    _ => collect_refs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

both! {
    async fn unknown_api_paths_are_404_json_never_the_shell(app) {
        for path in ["/api/nope", "/api/v1/nope", "/api", "/api/v1/dealers/demo/series/x/y"] {
            let body = app.get_err(path, StatusCode::NOT_FOUND).await;
            assert_eq!(body.error.code, "not_found", "{path}");
        }
        let response = app.client.delete(app.url("/api/v1/dealers/demo")).send().await.expect("request");
        let body = crate::helpers::err(response, StatusCode::METHOD_NOT_ALLOWED).await;
        assert_eq!(body.error.code, "method_not_allowed");
    }
}

/// Just enough of an OpenAPI document to check its paths.
mod utoipa_free {
    use std::collections::BTreeMap;

    #[derive(serde::Deserialize)]
    pub struct Document {
        pub openapi: String,
        pub paths: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    }
}
