//! The 员工 API and one-time sign-in links on both databases: a link sets a password once
//! (then 410, the console page too), expires, and is void once superseded or its person is
//! disabled; a reset and a disable end every session at once; a disabled person's sign-in is
//! refused with a clear message while their share links keep working; a manager cannot
//! grant or manage admins and managers (403); the last admin stays; taken logins and names
//! 409, wrong shapes 422, other dealers' stores and staff 404, with nothing written; the
//! audit log reads before → after; and a table of every staff route by role and dealer.

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use shared::console::{Role, StaffMe};
use shared::staff::{AuditAction, AuditEntry, Invitation, SignInLink, StaffAdded, StaffMember};

use crate::console::sign_in;
use crate::helpers::{err, ok, TestApp};

const STAFF: &str = "/api/v1/console/staff";
const NEW_PASSWORD: &str = "my-own-password-1";
const DEMO_PASSWORD: &str = "chelink-demo-2026";

/// The token at the end of a link's URL.
fn token(link: &SignInLink) -> String {
    let (_, token) = link
        .url
        .split_once("/console/welcome/")
        .expect("a welcome link");
    token.to_string()
}

fn consultant(name: &str, login: &str, store_ids: &[i64]) -> Value {
    json!({
        "name": name,
        "login": login,
        "role": "consultant",
        "store_ids": store_ids,
        "phone": "13800138000",
        "wechat": "new_hire_1",
    })
}

async fn send(
    client: &Client,
    app: &TestApp,
    method: Method,
    path: &str,
    body: &Value,
) -> reqwest::Response {
    let request = client.request(method.clone(), app.url(path));
    let request = if method == Method::GET {
        request
    } else {
        request.json(body)
    };
    request.send().await.expect("request")
}

/// The body of a `201 Created`.
async fn created<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn add(app: &TestApp, client: &Client, body: &Value) -> StaffAdded {
    created(send(client, app, Method::POST, STAFF, body).await).await
}

/// A password reset by `client`: the new link.
async fn reset(app: &TestApp, client: &Client, id: i64) -> SignInLink {
    created(
        send(
            client,
            app,
            Method::POST,
            &format!("{STAFF}/{id}/sign-in-link"),
            &json!({}),
        )
        .await,
    )
    .await
}

async fn staff_id(app: &TestApp, login: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff WHERE login = $1")
        .bind(login)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn store_ids(app: &TestApp, slug: &str) -> Vec<i64> {
    sqlx::query_scalar("SELECT s.id FROM stores s JOIN dealers d ON d.id = s.dealer_id WHERE d.slug = $1 ORDER BY s.id")
        .bind(slug)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

/// Redeems a link from a fresh phone: the answer, and the phone (signed in when it worked).
async fn redeem(app: &TestApp, token: &str, password: &str) -> (reqwest::Response, Client) {
    let phone = app.phone();
    let response = phone
        .post(app.url(&format!("/api/v1/console/sign-in-links/{token}")))
        .json(&json!({"password": password}))
        .send()
        .await
        .unwrap();
    (response, phone)
}

async fn sign_in_status(app: &TestApp, login: &str, password: &str) -> (StatusCode, Value) {
    let response = app
        .post_json(
            "/api/v1/console/session",
            &json!({"login": login, "password": password}),
        )
        .await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn me_status(app: &TestApp, client: &Client) -> StatusCode {
    client
        .get(app.url("/api/v1/console/me"))
        .send()
        .await
        .unwrap()
        .status()
}

both! {
    async fn an_admin_adds_a_consultant_whose_link_sets_a_password_once(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let stores = store_ids(&app, "demo").await;
        let added = add(&app, &admin, &consultant(" 新同事 ", "New.Hire", &stores[..1])).await;
        assert_eq!(added.member.name, "新同事");
        assert_eq!(added.member.login, "new.hire");
        assert_eq!(added.member.role, Role::Consultant);
        assert_eq!(added.member.store_ids, stores[..1].to_vec());
        assert!(added.member.active && !added.member.has_password);
        assert!(added.link.url.starts_with(&app.address), "{}", added.link.url);
        assert!(added.link.qr_svg.contains("<svg"));
        let hours = (added.link.expires_at - server::clock::Clock::now().millis) as f64 / 3_600_000.0;
        assert!((23.9..=24.0).contains(&hours), "{hours}");
        let token = token(&added.link);
        // only the digest is stored
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_links WHERE token_hash = $1")
            .bind(&token)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(stored, 0);

        let invitation: Invitation = app.get_ok(&format!("/api/v1/console/sign-in-links/{token}")).await;
        assert_eq!((invitation.name.as_str(), invitation.login.as_str()), ("新同事", "new.hire"));
        assert_eq!(app.get(&format!("/console/welcome/{token}")).await.status(), StatusCode::OK);
        // no password yet: nobody can sign in as them
        assert_eq!(sign_in_status(&app, "new.hire", NEW_PASSWORD).await.0, StatusCode::UNAUTHORIZED);

        let (short, _) = redeem(&app, &token, "short").await;
        assert_eq!(err(short, StatusCode::UNPROCESSABLE_ENTITY).await.error.field.as_deref(), Some("password"));
        let (set, phone) = redeem(&app, &token, NEW_PASSWORD).await;
        let me: StaffMe = ok(set).await;
        assert_eq!(me.staff.name, "新同事");
        assert_eq!(me_status(&app, &phone).await, StatusCode::OK);
        assert_eq!(sign_in_status(&app, "new.hire", NEW_PASSWORD).await.0, StatusCode::OK);

        // used once: the API and the console page both answer 410
        let (again, _) = redeem(&app, &token, "another-password-2").await;
        assert_eq!(err(again, StatusCode::GONE).await.error.code, "link_gone");
        app.get_err(&format!("/api/v1/console/sign-in-links/{token}"), StatusCode::GONE).await;
        let page = app.get(&format!("/console/welcome/{token}")).await;
        assert_eq!(page.status(), StatusCode::GONE);
        assert!(page.text().await.unwrap().contains("console.js"), "the console shell shows the page");
        assert_eq!(sign_in_status(&app, "new.hire", "another-password-2").await.0, StatusCode::UNAUTHORIZED);

        // a token no link ever had
        let unknown = "A".repeat(43);
        app.get_err(&format!("/api/v1/console/sign-in-links/{unknown}"), StatusCode::NOT_FOUND).await;
        assert_eq!(app.get(&format!("/console/welcome/{unknown}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get("/console/welcome/not-a-token").await.status(), StatusCode::NOT_FOUND);
    }
}

both! {
    async fn an_expired_or_superseded_link_is_gone(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let added = add(&app, &admin, &consultant("过期", "expired-one", &[])).await;
        let now = server::clock::Clock::now().millis;
        sqlx::query("UPDATE sign_in_links SET created_at = $1, expires_at = $2")
            .bind(now - 25 * 3_600_000)
            .bind(now - 3_600_000)
            .execute(&app.db.writer)
            .await
            .unwrap();
        let (late, _) = redeem(&app, &token(&added.link), NEW_PASSWORD).await;
        assert_eq!(err(late, StatusCode::GONE).await.error.code, "link_gone");
        assert_eq!(app.get(&format!("/console/welcome/{}", token(&added.link))).await.status(), StatusCode::GONE);

        // a new link supersedes the one before it
        let first = reset(&app, &admin, added.member.id).await;
        let second = reset(&app, &admin, added.member.id).await;
        let (old, _) = redeem(&app, &token(&first), NEW_PASSWORD).await;
        assert_eq!(old.status(), StatusCode::GONE);
        let (new, _) = redeem(&app, &token(&second), NEW_PASSWORD).await;
        assert_eq!(new.status(), StatusCode::OK);
    }
}

both! {
    async fn a_reset_ends_every_session_and_the_old_password(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let wang = sign_in(&app, "demo-wang").await;
        let wang_elsewhere = sign_in(&app, "demo-wang").await;
        let id = staff_id(&app, "demo-wang").await;
        let link: SignInLink = reset(&app, &admin, id).await;
        assert_eq!(me_status(&app, &wang).await, StatusCode::UNAUTHORIZED);
        assert_eq!(me_status(&app, &wang_elsewhere).await, StatusCode::UNAUTHORIZED);
        assert_eq!(sign_in_status(&app, "demo-wang", DEMO_PASSWORD).await.0, StatusCode::UNAUTHORIZED);
        let list: Vec<StaffMember> = ok(send(&admin, &app, Method::GET, STAFF, &Value::Null).await).await;
        let listed = list.iter().find(|m| m.id == id).unwrap();
        assert!(listed.active && !listed.has_password);
        let (set, _) = redeem(&app, &token(&link), NEW_PASSWORD).await;
        assert_eq!(set.status(), StatusCode::OK);
        assert_eq!(sign_in_status(&app, "demo-wang", NEW_PASSWORD).await.0, StatusCode::OK);
        // a manager resets a consultant too, and is told who may not be reset
        let manager = sign_in(&app, "demo-manager").await;
        let _: SignInLink = reset(&app, &manager, id).await;
        assert_eq!(sign_in_status(&app, "demo-wang", NEW_PASSWORD).await.0, StatusCode::UNAUTHORIZED);
    }
}

both! {
    async fn disabling_ends_sessions_at_once_and_refuses_sign_in_clearly_while_links_keep_working(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let li = sign_in(&app, "demo-li").await;
        let li_elsewhere = sign_in(&app, "demo-li").await;
        let link: shared::link::Link = created(send(&li, &app, Method::POST, "/api/v1/console/links", &json!({"target": "/demo/", "channel": "chat"})).await).await;
        let id = staff_id(&app, "demo-li").await;

        let disabled: StaffMember = ok(send(&admin, &app, Method::POST, &format!("{STAFF}/{id}/disable"), &json!({})).await).await;
        assert!(!disabled.active && disabled.disabled_at.is_some());
        assert_eq!(me_status(&app, &li).await, StatusCode::UNAUTHORIZED, "the session ended at once");
        assert_eq!(me_status(&app, &li_elsewhere).await, StatusCode::UNAUTHORIZED);
        let (status, body) = sign_in_status(&app, "demo-li", DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "disabled");
        assert!(body["error"]["message"].as_str().unwrap().contains("停用"));
        // a wrong password learns nothing
        assert_eq!(sign_in_status(&app, "demo-li", "wrong-password").await.0, StatusCode::UNAUTHORIZED);
        // disabling again changes nothing; their share link still answers
        let again: StaffMember = ok(send(&admin, &app, Method::POST, &format!("{STAFF}/{id}/disable"), &json!({})).await).await;
        assert_eq!(again.disabled_at, disabled.disabled_at);
        let click = app.get(&link.path).await;
        assert!(click.status().is_redirection(), "{}", click.status());
        // a reset of a disabled person is refused; the list shows them disabled, last
        let e = err(send(&admin, &app, Method::POST, &format!("{STAFF}/{id}/sign-in-link"), &json!({})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("active"));
        let list: Vec<StaffMember> = ok(send(&admin, &app, Method::GET, STAFF, &Value::Null).await).await;
        assert_eq!(list.last().map(|m| m.id), Some(id));
        let disables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_audit WHERE staff_id = $1 AND action = 'disabled'")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(disables, 1);

        // someone disabled before opening their link: the link is over
        let added = add(&app, &admin, &consultant("未到岗", "never-came", &[])).await;
        let _: StaffMember = ok(send(&admin, &app, Method::POST, &format!("{STAFF}/{}/disable", added.member.id), &json!({})).await).await;
        let (late, _) = redeem(&app, &token(&added.link), NEW_PASSWORD).await;
        assert_eq!(late.status(), StatusCode::GONE);
    }
}

both! {
    async fn the_last_admin_can_be_neither_disabled_nor_demoted(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let me = staff_id(&app, "demo-admin").await;
        let demote = json!({"role": "manager", "store_ids": []});
        let e = err(send(&admin, &app, Method::PUT, &format!("{STAFF}/{me}"), &demote).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("role"));
        assert!(e.error.message.contains("唯一的管理员"), "{}", e.error.message);
        let e = err(send(&admin, &app, Method::POST, &format!("{STAFF}/{me}/disable"), &json!({})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("active"));
        assert!(e.error.message.contains("唯一的管理员"), "{}", e.error.message);

        // with a second admin, the first may step down, and then the second is the last
        let mut second = consultant("第二管理员", "second-admin", &[]);
        second["role"] = json!("admin");
        let added = add(&app, &admin, &second).await;
        let (set, second_admin) = redeem(&app, &token(&added.link), NEW_PASSWORD).await;
        assert_eq!(set.status(), StatusCode::OK);
        let stepped: StaffMember = ok(send(&admin, &app, Method::PUT, &format!("{STAFF}/{me}"), &demote).await).await;
        assert_eq!(stepped.role, Role::Manager);
        let e = err(send(&second_admin, &app, Method::POST, &format!("{STAFF}/{}/disable", added.member.id), &json!({})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(e.error.field.as_deref(), Some("active"));
        let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff s JOIN dealers d ON d.id = s.dealer_id WHERE d.slug = 'demo' AND s.role = 'admin' AND s.active = 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(admins, 1);
    }
}

both! {
    async fn a_manager_adds_and_changes_only_consultants_and_service_advisors(app) {
        let manager = sign_in(&app, "demo-manager").await;
        let stores = store_ids(&app, "demo").await;
        let added = add(&app, &manager, &consultant("经理招的", "by-manager", &stores)).await;
        let id = added.member.id;
        let advisor: StaffMember = ok(send(&manager, &app, Method::PUT, &format!("{STAFF}/{id}"), &json!({"role": "service_advisor", "store_ids": [stores[0]]})).await).await;
        assert_eq!((advisor.role, advisor.store_ids.clone()), (Role::ServiceAdvisor, vec![stores[0]]));
        for role in ["admin", "manager"] {
            let mut body = consultant("越权", &format!("too-high-{role}"), &[]);
            body["role"] = json!(role);
            let e = err(send(&manager, &app, Method::POST, STAFF, &body).await, StatusCode::FORBIDDEN).await;
            assert_eq!(e.error.code, "forbidden");
            err(send(&manager, &app, Method::PUT, &format!("{STAFF}/{id}"), &json!({"role": role, "store_ids": []})).await, StatusCode::FORBIDDEN).await;
        }
        let admin_id = staff_id(&app, "demo-admin").await;
        err(send(&manager, &app, Method::PUT, &format!("{STAFF}/{admin_id}"), &json!({"role": "admin", "store_ids": []})).await, StatusCode::FORBIDDEN).await;
        err(send(&manager, &app, Method::POST, &format!("{STAFF}/{admin_id}/sign-in-link"), &json!({})).await, StatusCode::FORBIDDEN).await;
        err(send(&manager, &app, Method::POST, &format!("{STAFF}/{admin_id}/disable"), &json!({})).await, StatusCode::FORBIDDEN).await;
        let roles: Vec<String> = sqlx::query_scalar("SELECT role FROM staff WHERE login IN ('demo-admin', 'by-manager') ORDER BY login")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(roles, vec!["service_advisor", "admin"]);
        assert!(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM staff WHERE login LIKE 'too-high-%'").fetch_one(&app.db.pool).await.unwrap() == 0);
    }
}

both! {
    async fn taken_wrong_and_foreign_values_are_refused_with_nothing_written(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let before = app.row_counts().await;
        let e = err(send(&admin, &app, Method::POST, STAFF, &consultant("重名不同号", "demo-wang", &[])).await, StatusCode::CONFLICT).await;
        assert_eq!((e.error.code.as_str(), e.error.field.as_deref()), ("taken", Some("login")));
        let leap_login = consultant("别家账号", "leap-liu", &[]);
        assert_eq!(err(send(&admin, &app, Method::POST, STAFF, &leap_login).await, StatusCode::CONFLICT).await.error.field.as_deref(), Some("login"));
        let e = err(send(&admin, &app, Method::POST, STAFF, &consultant("王磊（演示）", "another-wang", &[])).await, StatusCode::CONFLICT).await;
        assert_eq!(e.error.field.as_deref(), Some("name"));
        for (field, body) in [
            ("login", consultant("甲", "A B", &[])),
            ("name", consultant("", "empty-name", &[])),
            ("phone", { let mut b = consultant("乙", "bad-phone", &[]); b["phone"] = json!("12345"); b }),
            ("wechat", { let mut b = consultant("丙", "bad-wechat", &[]); b["wechat"] = json!("1x"); b }),
        ] {
            let e = err(send(&admin, &app, Method::POST, STAFF, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
            assert_eq!(e.error.field.as_deref(), Some(field), "{body}");
        }
        let leap_store = store_ids(&app, "leapmotor").await[0];
        err(send(&admin, &app, Method::POST, STAFF, &consultant("丁", "foreign-store", &[leap_store])).await, StatusCode::NOT_FOUND).await;
        let wang = staff_id(&app, "demo-wang").await;
        err(send(&admin, &app, Method::PUT, &format!("{STAFF}/{wang}"), &json!({"role": "consultant", "store_ids": [leap_store]})).await, StatusCode::NOT_FOUND).await;
        assert_eq!(app.row_counts().await, before, "nothing was written");
    }
}

both! {
    async fn the_audit_log_reads_who_did_what_and_before_and_after(app) {
        let admin = sign_in(&app, "demo-admin").await;
        let stores = store_ids(&app, "demo").await;
        let added = add(&app, &admin, &consultant("审计对象", "audited", &stores[..1])).await;
        let id = added.member.id;
        let (set, _) = redeem(&app, &token(&added.link), NEW_PASSWORD).await;
        assert_eq!(set.status(), StatusCode::OK);
        let _: StaffMember = ok(send(&admin, &app, Method::PUT, &format!("{STAFF}/{id}"), &json!({"role": "service_advisor", "store_ids": stores})).await).await;
        let _: SignInLink = reset(&app, &admin, id).await;
        let _: StaffMember = ok(send(&admin, &app, Method::POST, &format!("{STAFF}/{id}/disable"), &json!({})).await).await;

        let log: Vec<AuditEntry> = ok(send(&admin, &app, Method::GET, &format!("{STAFF}/audit"), &Value::Null).await).await;
        let mine: Vec<&AuditEntry> = log.iter().filter(|e| e.staff_id == id).collect();
        let actions: Vec<AuditAction> = mine.iter().map(|e| e.action).collect();
        use AuditAction::*;
        assert_eq!(actions, vec![Disabled, LinkIssued, Changed, PasswordSet, Added], "newest first");
        let actors: Vec<Option<&str>> = mine.iter().map(|e| e.actor.as_deref()).collect();
        assert_eq!(actors, vec![Some("周敏（演示）"), Some("周敏（演示）"), Some("周敏（演示）"), Some("审计对象"), Some("周敏（演示）")]);
        let added_entry = mine[4];
        assert!(added_entry.before.is_none());
        let after = added_entry.after.as_ref().unwrap();
        assert_eq!((after.role, after.store_ids.clone(), after.login.as_str()), (Role::Consultant, stores[..1].to_vec(), "audited"));
        let changed = mine[2];
        assert_eq!(changed.before.as_ref().unwrap().role, Role::Consultant);
        assert_eq!(changed.after.as_ref().unwrap().role, Role::ServiceAdvisor);
        assert_eq!(changed.after.as_ref().unwrap().store_ids, stores);
        let disabled = mine[0];
        assert!(disabled.before.as_ref().unwrap().active);
        assert!(!disabled.after.as_ref().unwrap().active);
        assert!(mine.windows(2).all(|w| w[0].at >= w[1].at));
        // the database keeps the same as JSON
        let stored: String = sqlx::query_scalar("SELECT after FROM staff_audit WHERE staff_id = $1 AND action = 'changed'")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let json: Value = serde_json::from_str(&stored).unwrap();
        assert_eq!(json["role"], "service_advisor");
        // another dealer's admin sees none of it
        let leap: Vec<AuditEntry> = ok(send(&sign_in(&app, "leap-admin").await, &app, Method::GET, &format!("{STAFF}/audit"), &Value::Null).await).await;
        assert!(leap.iter().all(|e| e.staff_id != id));
    }
}

/// Who may call a staff route: `Manager` routes admit managers and admins, `Admin` only admins.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Needs {
    Manager,
    Admin,
}

both! {
    async fn every_staff_route_answers_404_for_another_dealers_ids_and_403_for_a_role_that_may_not(app) {
        let foreign = staff_id(&app, "leap-liu").await;
        let ours = staff_id(&app, "demo-wang").await;
        let change = json!({"role": "consultant", "store_ids": []});
        let routes = |id: i64| -> Vec<(Method, String, Value, Needs)> {
            vec![
                (Method::GET, STAFF.into(), Value::Null, Needs::Manager),
                (Method::POST, STAFF.into(), consultant("表格", &format!("table-{id}"), &[]), Needs::Manager),
                (Method::PUT, format!("{STAFF}/{id}"), change.clone(), Needs::Manager),
                (Method::POST, format!("{STAFF}/{id}/sign-in-link"), json!({}), Needs::Manager),
                (Method::POST, format!("{STAFF}/{id}/disable"), json!({}), Needs::Manager),
                (Method::GET, format!("{STAFF}/audit"), Value::Null, Needs::Admin),
            ]
        };
        let admin = sign_in(&app, "demo-admin").await;
        // another dealer's staff id: 404 on every route that names one, nothing changed
        for (method, path, body, _) in routes(foreign).into_iter().filter(|r| r.1.contains(&foreign.to_string())) {
            let e = err(send(&admin, &app, method.clone(), &path, &body).await, StatusCode::NOT_FOUND).await;
            assert_eq!(e.error.code, "not_found", "{method} {path}");
        }
        let leap_liu: (String, i64) = sqlx::query_as("SELECT role, active FROM staff WHERE id = $1").bind(foreign).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(leap_liu, ("consultant".into(), 1));
        // by role: consultants and service advisors may call none, managers all but the log
        for (login, role) in [("demo-wang", Role::Consultant), ("demo-zhang", Role::ServiceAdvisor), ("demo-manager", Role::Manager)] {
            let client = sign_in(&app, login).await;
            for (method, path, body, needs) in routes(ours) {
                let allowed = match needs {
                    Needs::Manager => role.manages(),
                    Needs::Admin => role == Role::Admin,
                };
                if allowed {
                    continue;
                }
                let e = err(send(&client, &app, method.clone(), &path, &body).await, StatusCode::FORBIDDEN).await;
                assert_eq!(e.error.code, "forbidden", "{login} {method} {path}");
            }
        }
        // no session: 401 everywhere
        for (method, path, body, _) in routes(ours) {
            err(send(&app.client, &app, method.clone(), &path, &body).await, StatusCode::UNAUTHORIZED).await;
        }
        assert_eq!(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM staff WHERE login LIKE 'table-%'").fetch_one(&app.db.pool).await.unwrap(), 0);
    }
}
