//! Staff sign-in under attack, on both databases: parallel guesses each count, an unknown
//! login answers, takes as long and locks exactly like a known one, one address spraying
//! many logins is stopped, and a lockout holds even against the right password (every try
//! during it counts and lengthens it).

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use shared::console::StaffMe;
use tokio::task::JoinSet;

use crate::helpers::{err, TestApp};

const PASSWORD: &str = "chelink-demo-2026";
const SESSION: &str = "/api/v1/console/session";

/// What a client sees of a sign-in: the status, the error code and message, and Retry-After.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: StatusCode,
    code: String,
    message: String,
    retry_after: Option<u64>,
}

async fn attempt(client: &reqwest::Client, app: &TestApp, login: &str, password: &str) -> Answer {
    let response = client
        .post(app.url(SESSION))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .expect("request");
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    if status == StatusCode::OK {
        let me: StaffMe = response.json().await.expect("me");
        assert!(!me.staff.name.is_empty());
        return Answer {
            status,
            code: String::new(),
            message: String::new(),
            retry_after,
        };
    }
    let body = err(response, status).await;
    Answer {
        status,
        code: body.error.code,
        message: body.error.message,
        retry_after,
    }
}

/// The failures counted against a login.
async fn failures(app: &TestApp, login: &str) -> i64 {
    sqlx::query_scalar("SELECT failures FROM sign_in_failures WHERE login = $1")
        .bind(login)
        .fetch_optional(&app.db.pool)
        .await
        .unwrap()
        .unwrap_or(0)
}

both! {
    async fn twenty_wrong_passwords_at_once_count_twenty_and_lock_the_login_for_an_hour(app) {
        let mut guesses = JoinSet::new();
        for i in 0..20 {
            let (client, url) = (app.client.clone(), app.url(SESSION));
            guesses.spawn(async move {
                let response = client
                    .post(url)
                    .json(&json!({"login": "demo-li", "password": format!("guess-{i}")}))
                    .send()
                    .await
                    .expect("request");
                response.status()
            });
        }
        let mut refused = 0;
        let mut locked = 0;
        while let Some(status) = guesses.join_next().await {
            match status.unwrap() {
                StatusCode::UNAUTHORIZED => refused += 1,
                StatusCode::TOO_MANY_REQUESTS => locked += 1,
                other => panic!("a guess answered {other}"),
            }
        }
        // Each guess is counted: four are told "wrong", the fifth and every one after locked.
        assert_eq!((refused, locked), (4, 16));
        assert_eq!(failures(&app, "demo-li").await, 20);
        // Twenty failures lock for the longest backoff, an hour; the right password waits too.
        let right = attempt(&app.client, &app, "demo-li", PASSWORD).await;
        assert_eq!((right.status, right.code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "locked"));
        let wait = right.retry_after.expect("Retry-After");
        assert!((3_500..=3_600).contains(&wait), "{wait}");
        // Other logins from the same address still sign in (20 failures is under its limit).
        assert_eq!(attempt(&app.phone(), &app, "demo-wang", PASSWORD).await.status, StatusCode::OK);
    }
}

both! {
    async fn an_unknown_login_answers_waits_and_locks_exactly_like_a_known_one(app) {
        let mut known_took = Duration::ZERO;
        let mut unknown_took = Duration::ZERO;
        for round in 1..=6 {
            let started = Instant::now();
            let known = attempt(&app.client, &app, "demo-li", "wrong-password").await;
            known_took += started.elapsed();
            let started = Instant::now();
            let unknown = attempt(&app.client, &app, "no-such-login", "wrong-password").await;
            unknown_took += started.elapsed();
            assert_eq!(known, unknown, "attempt {round}");
            let expected = match round {
                1..=4 => (StatusCode::UNAUTHORIZED, None),
                5 => (StatusCode::TOO_MANY_REQUESTS, Some(60)),
                _ => (StatusCode::TOO_MANY_REQUESTS, Some(120)),
            };
            assert_eq!((known.status, known.retry_after), expected, "attempt {round}");
        }
        // Both locked at the fifth failure for a minute, the sixth (refused unchecked) for two.
        assert_eq!(failures(&app, "demo-li").await, 6);
        assert_eq!(failures(&app, "no-such-login").await, 6);
        // An unknown login is checked against a dummy hash: as slow as a known one (a lookup
        // alone would take a hundredth of the time).
        assert!(
            unknown_took * 3 >= known_took,
            "unknown {unknown_took:?} against known {known_took:?}"
        );
    }
}

both! {
    async fn one_address_spraying_many_logins_is_stopped_and_others_are_not(app) {
        // Thirty failures over ten logins, three each: no login is locked.
        let logins: Vec<String> = (0..10).map(|i| format!("guess-{i}")).collect();
        for login in &logins {
            for _ in 0..3 {
                let a = attempt(&app.client, &app, login, "123456").await;
                assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{login}");
            }
        }
        // The address waits now, whatever it sends, until its quarter of an hour is over.
        let stopped = attempt(&app.client, &app, "demo-wang", PASSWORD).await;
        assert_eq!((stopped.status, stopped.code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
        let wait = stopped.retry_after.expect("Retry-After");
        assert!((1..=900).contains(&wait), "{wait}");
        // A phone on another address signs in as usual.
        let elsewhere = reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
            .build()
            .unwrap();
        assert_eq!(attempt(&elsewhere, &app, "demo-wang", PASSWORD).await.status, StatusCode::OK);
    }
}

both! {
    async fn the_right_password_is_refused_until_the_lockout_ends_and_then_starts_afresh(app) {
        for _ in 0..4 {
            assert_eq!(attempt(&app.client, &app, "demo-li", "nope").await.status, StatusCode::UNAUTHORIZED);
        }
        let fifth = attempt(&app.client, &app, "demo-li", "nope").await;
        assert_eq!((fifth.status, fifth.code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "locked"));
        assert_eq!(fifth.retry_after, Some(60));
        // Trying again while locked counts too, and waits longer: two minutes, then four.
        for wait in [120, 240] {
            let right = attempt(&app.client, &app, "demo-li", PASSWORD).await;
            assert_eq!((right.status, right.code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "locked"));
            assert_eq!(right.retry_after, Some(wait));
        }
        // The minute passes.
        sqlx::query("UPDATE sign_in_failures SET locked_until = 1 WHERE login = 'demo-li'")
            .execute(&app.db.writer)
            .await
            .unwrap();
        assert_eq!(attempt(&app.phone(), &app, "demo-li", PASSWORD).await.status, StatusCode::OK);
        // A success starts the count afresh: the next mistake is a plain "wrong".
        let next = attempt(&app.client, &app, "demo-li", "nope").await;
        assert_eq!((next.status, next.code.as_str()), (StatusCode::UNAUTHORIZED, "bad_credentials"));
        assert_eq!(failures(&app, "demo-li").await, 1);
    }
}
