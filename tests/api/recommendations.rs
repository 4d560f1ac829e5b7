//! Smart selection (`POST /api/v1/dealers/{dealer}/recommendations`): exactly
//! `shared::select::rank` over the dealer's trims.

use reqwest::StatusCode;
use shared::select::{rank, Answers, Priority, Recommendation, Usage};

use crate::helpers::{err, ok};

fn answers() -> Answers {
    Answers {
        budget_min: None,
        budget_max: Some(120_000),
        usage: Usage::Commute,
        family_size: 2,
        home_charging: true,
        priority: Priority::Range,
    }
}

both! {
    async fn recommendations_rank_the_dealers_trims_with_reasons(app) {
        let recs: Vec<Recommendation> =
            ok(app.post_json("/api/v1/dealers/leapmotor/recommendations", &answers()).await).await;
        assert!(!recs.is_empty());
        assert!(recs.len() <= shared::select::TOP);
        assert!(recs.iter().all(|r| r.trim.dealer_price.or(r.trim.guide_price).is_some_and(|p| p <= 120_000)));
        assert!(recs.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(recs.iter().all(|r| !r.reasons.is_empty()));
        // the longest range in budget wins; 650激光雷达版 at 11.78万 is within budget too
        assert_eq!(recs[0].trim.id, "leapmotor-b01-2025-650-yuexiang");

        // the same as the shared rule over the same trims
        let dealer = server::catalog::dealer(&app.db, "leapmotor")
            .await
            .expect("dealer")
            .expect("leapmotor");
        let lineup = server::catalog::lineup(&app.db, dealer.id, server::catalog::Scope::All, server::clock::Clock::now().today()).await.expect("lineup");
        assert_eq!(recs, rank(&answers(), &lineup.candidates()));

        // six people: the known six-seater first, no known five-seater at all
        let family = Answers {
            family_size: 6,
            budget_max: Some(400_000),
            usage: Usage::Family,
            priority: Priority::Space,
            ..answers()
        };
        let recs: Vec<Recommendation> =
            ok(app.post_json("/api/v1/dealers/demo/recommendations", &family).await).await;
        let seats = recs[0].trim.seats.expect("a known seat count first");
        assert!(seats >= 6, "{seats} seats");
        assert!(recs[0].reasons.contains(&format!("{seats}座，全家出行坐得下")), "{:?}", recs[0].reasons);
        assert!(recs.iter().all(|r| r.trim.seats.is_none_or(|s| s >= 6)), "no known five-seater");
    }
}

both! {
    async fn bad_answers_are_a_422_naming_the_field(app) {
        for (bad, field) in [
            (Answers { family_size: 0, ..answers() }, "family_size"),
            (Answers { budget_min: Some(300_000), ..answers() }, "budget"),
            (Answers { budget_max: Some(-1), ..answers() }, "budget"),
        ] {
            let body = err(
                app.post_json("/api/v1/dealers/demo/recommendations", &bad).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
            assert_eq!(body.error.field.as_deref(), Some(field));
        }
        let body = err(
            app.post_raw("/api/v1/dealers/demo/recommendations", r#"{"usage":"flying"}"#).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(body.error.code, "invalid");
    }
}
