//! The authorisation matrix: every route the application has × every kind of caller, with the
//! expected outcome. A route missing from this table (or a row for a route that no longer
//! exists) fails the test, so a new route cannot ship without its access being decided here.
//!
//! Outcomes: `A` allowed (neither 401 nor 403, nor a redirect to sign in), `U` not signed in
//! (401 for the API, 303 to /login for pages), `F` forbidden (403). The fixture's person is a
//! city case with an active consent, so the consent rows also show the data-scope rule (only
//! the owning organisation records consent); consent sequences are tested in `consent.rs`,
//! devices outside their event in `security.rs`.

mod support;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{ADMIN, CITY, HELLO_WORK, MANAGER, TestApp, Who};

#[derive(Debug, Clone, Copy, PartialEq)]
enum O {
    A,
    U,
    F,
}
use O::*;

/// Callers, in column order.
const CALLERS: [&str; 6] = [
    "anonymous",
    "city counter",
    "hello work counter",
    "manager",
    "admin",
    "device",
];

/// (method, path, [anonymous, city, hello work, manager, admin, device])
const MATRIX: &[(&str, &str, [O; 6])] = &[
    ("GET", "/healthz", [A, A, A, A, A, A]),
    ("GET", "/sw.js", [A, A, A, A, A, A]),
    ("GET", "/offline", [A, A, A, A, A, A]),
    ("GET", "/api/openapi.json", [A, A, A, A, A, A]),
    ("POST", "/api/v1/auth/login", [A, A, A, A, A, A]),
    ("POST", "/api/v1/auth/logout", [U, A, A, A, A, F]),
    ("GET", "/api/v1/auth/me", [U, A, A, A, A, F]),
    ("GET", "/api/v1/events", [U, A, A, A, A, F]),
    ("POST", "/api/v1/events", [U, A, A, A, F, F]),
    ("GET", "/api/v1/events/{id}", [U, A, A, A, A, F]),
    ("GET", "/api/v1/reports/fairs", [U, A, A, A, A, F]),
    ("POST", "/api/v1/events/{id}/employers", [U, A, A, A, F, F]),
    ("GET", "/api/v1/events/{id}/duplicates", [U, A, A, A, F, F]),
    ("POST", "/api/v1/duplicates/{id}/decide", [U, A, A, A, F, F]),
    (
        "GET",
        "/api/v1/events/{id}/participants",
        [U, A, A, A, F, F],
    ),
    (
        "POST",
        "/api/v1/events/{id}/participants",
        [U, A, A, A, F, A],
    ),
    (
        "POST",
        "/api/v1/events/{id}/participants/{participant_id}/check-in",
        [U, A, A, A, F, A],
    ),
    // The fixture's participant did not agree to share with the city: city staff may not make
    // them a city case (the data-scope rule, as with consent below); Hello Work staff may.
    (
        "POST",
        "/api/v1/events/{id}/participants/{participant_id}/person",
        [U, F, A, F, F, F],
    ),
    ("GET", "/api/v1/events/{id}/counts", [U, A, A, A, F, F]),
    ("GET", "/api/v1/people", [U, A, A, A, F, F]),
    ("POST", "/api/v1/people", [U, A, A, A, F, F]),
    ("GET", "/api/v1/people/{id}", [U, A, A, A, F, F]),
    // The person belongs to the city: only the city records or withdraws their consent.
    ("POST", "/api/v1/people/{id}/consents", [U, A, F, A, F, F]),
    (
        "POST",
        "/api/v1/people/{id}/consents/{consent_id}/withdraw",
        [U, A, F, A, F, F],
    ),
    ("GET", "/api/v1/staff", [U, F, F, F, A, F]),
    ("POST", "/api/v1/staff", [U, F, F, F, A, F]),
    ("POST", "/api/v1/staff/{id}/disable", [U, F, F, F, A, F]),
    ("POST", "/api/v1/staff/{id}/enable", [U, F, F, F, A, F]),
    ("POST", "/api/v1/staff/{id}/password", [U, F, F, F, A, F]),
    ("POST", "/api/v1/staff/{id}/role", [U, F, F, F, A, F]),
    ("GET", "/api/v1/devices", [U, F, F, F, A, F]),
    ("POST", "/api/v1/devices", [U, F, F, F, A, F]),
    ("POST", "/api/v1/devices/{id}/revoke", [U, F, F, F, A, F]),
    ("POST", "/api/v1/devices/enrol", [A, A, A, A, A, A]),
    ("GET", "/api/v1/device/event", [U, F, F, F, F, A]),
    // Sync: staff and fair devices push and pull (each sees only its scope; `sync.rs`).
    ("POST", "/api/v1/sync/push", [U, A, A, A, F, A]),
    ("GET", "/api/v1/sync/pull", [U, A, A, A, F, A]),
    ("GET", "/api/v1/sync/conflicts", [U, A, A, A, F, F]),
    (
        "POST",
        "/api/v1/sync/conflicts/{id}/resolve",
        [U, A, A, A, F, F],
    ),
    ("GET", "/api/v1/audit", [U, F, F, F, A, F]),
    ("GET", "/api/v1/audit/verify", [U, F, F, F, A, F]),
    ("GET", "/", [U, A, A, A, A, F]),
    ("GET", "/login", [A, A, A, A, A, A]),
    ("GET", "/cases", [U, A, A, A, F, F]),
    ("GET", "/intake", [U, A, A, A, F, F]),
    ("GET", "/conflicts", [U, A, A, A, F, F]),
    ("GET", "/events", [U, A, A, A, A, F]),
    ("GET", "/events/{id}", [U, A, A, A, A, F]),
    ("GET", "/fair", [A, A, A, A, A, A]),
    ("GET", "/reports", [U, A, A, A, A, F]),
    ("GET", "/admin", [U, F, F, F, A, F]),
];

#[tokio::test]
async fn every_route_is_in_the_matrix_and_behaves_as_listed() {
    // The matrix and the router's own route table must list the same routes.
    let routed: BTreeSet<(String, String)> = renkei_server::access::route_table()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect();
    let listed: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = routed.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&routed).collect();
    assert!(
        missing.is_empty(),
        "routes with no row in the authorisation matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix rows for routes that do not exist: {stale:?}"
    );

    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let city = app.login(CITY).await;
    let event = app.event(&city, "マトリクス確認面接会").await;
    let person = app.person(&city, "見本").await;
    let consent = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "verbal", "granted_on": "2026-04-01" }),
        )
        .await
        .json()["consents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let participant = app
        .post_as(
            &city,
            &format!("/api/v1/events/{event}/participants"),
            &participant_body(),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let target_staff = app
        .post_as(
            &admin,
            "/api/v1/staff",
            &json!({ "login_id": "matrix.target", "display_name": "対象 職員", "organisation": "city",
                     "role": "counter", "password": "matrix target password" }),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (device, _) = app.device(&admin, &event).await;
    let (_, spare_device) = app.device(&admin, &event).await;

    let mut callers = vec![
        Who::Anonymous,
        city,
        app.login(HELLO_WORK).await,
        app.login(MANAGER).await,
        admin,
        device,
    ];
    let credentials = [
        None,
        Some(CITY),
        Some(HELLO_WORK),
        Some(MANAGER),
        Some(ADMIN),
        None,
    ];

    let mut failures = Vec::new();
    for (method, template, expected) in MATRIX {
        let path = template
            .replace("/events/{id}", &format!("/events/{event}"))
            .replace("{participant_id}", &participant)
            .replace("/people/{id}", &format!("/people/{person}"))
            .replace("{consent_id}", &consent)
            .replace("/staff/{id}", &format!("/staff/{target_staff}"))
            .replace("/devices/{id}", &format!("/devices/{spare_device}"))
            .replace("/sync/pull", "/sync/pull?protocol=1")
            .replace("/conflicts/{id}", "/conflicts/0");
        for (i, who) in callers.clone().iter().enumerate() {
            let body = body_for(template);
            let request =
                TestApp::request(who, method, &path, (*method == "POST").then_some(&body));
            let reply = app.send(request).await;
            let got = classify(template, reply.status, &reply.headers);
            if got != expected[i] {
                failures.push(format!(
                    "{method} {template} as {}: expected {:?}, got {:?} ({} {})",
                    CALLERS[i],
                    expected[i],
                    got,
                    reply.status,
                    reply.text.chars().take(120).collect::<String>()
                ));
            }
            // Signing out ends the caller's session: sign in again for the next rows.
            if *template == "/api/v1/auth/logout" && got == A {
                callers[i] = app.login(credentials[i].expect("staff")).await;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation matrix mismatches:\n{}",
        failures.join("\n")
    );
}

fn classify(template: &str, status: StatusCode, headers: &axum::http::HeaderMap) -> O {
    let is_page = !template.starts_with("/api/") && template != "/healthz";
    match status {
        StatusCode::UNAUTHORIZED if !is_page || template != "/api/v1/auth/login" => U,
        StatusCode::SEE_OTHER
            if is_page
                && headers
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|l| l.starts_with("/login")) =>
        {
            U
        }
        StatusCode::FORBIDDEN => F,
        _ => A,
    }
}

fn participant_body() -> Value {
    json!({ "family_name": "試験", "given_name": "太郎", "family_name_kana": "しけん",
            "given_name_kana": "たろう", "birth_date": "", "phone": "090-1234-5678" })
}

/// A plausible body for each POST route, so an allowed caller gets past validation.
fn body_for(template: &str) -> Value {
    match template {
        "/api/v1/auth/login" => json!({ "login_id": CITY.0, "password": CITY.1 }),
        "/api/v1/events" => json!({ "title": "行列", "kind": "seminar", "date": "2026-12-24",
                                     "venue": "会議室", "target_group": "everyone" }),
        "/api/v1/events/{id}/participants" => participant_body(),
        "/api/v1/people" => json!({ "family_name": "例題", "given_name": "一郎",
                                     "family_name_kana": "れいだい", "given_name_kana": "いちろう",
                                     "birth_date": "", "category": "youth" }),
        "/api/v1/people/{id}/consents" => json!({ "method": "verbal", "granted_on": "2026-04-01" }),
        "/api/v1/staff" => json!({ "login_id": format!("new.{}", uuid::Uuid::now_v7().simple()),
                                    "display_name": "新人", "organisation": "hello_work",
                                    "role": "counter", "password": "a long enough password" }),
        "/api/v1/staff/{id}/password" => json!({ "password": "another long password" }),
        "/api/v1/staff/{id}/role" => json!({ "role": "manager" }),
        "/api/v1/devices" => {
            json!({ "event_id": "00000000-0000-0000-0000-000000000000", "label": "予備" })
        }
        "/api/v1/devices/enrol" => json!({ "code": "0000-0000" }),
        "/api/v1/sync/push" => json!({ "protocol": 1, "replica": uuid::Uuid::now_v7().to_string(),
                                       "mutations": [] }),
        "/api/v1/sync/conflicts/{id}/resolve" => json!({ "choice": "kept" }),
        _ => json!({}),
    }
}
