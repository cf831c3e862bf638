//! The authorisation matrix: every route the application has × every kind of caller, with the
//! expected outcome. A route missing from this table (or a row for a route that no longer
//! exists) fails the test, so a new route cannot ship without its access being decided here.
//!
//! Outcomes: `A` allowed — the handler ran on real records (every `{id}` is a real one, made
//! fresh where a call uses it up: a duplicate flag, a conflict, an enrolment code, a consent)
//! and answered the route's success status; `U` not signed in (401 for the API, 303 to
//! /login for pages); `F` forbidden (403); `N` out of the caller's data scope, answered as a
//! record that does not exist (404). Anything else — a 404 where success was expected, a
//! 422, any 5xx — is a mismatch. The fixture's person is a city case with an active consent,
//! so the consent rows also show the data-scope rule (only the owning organisation records
//! consent); consent sequences are tested in `consent.rs`, devices outside their event in
//! `security.rs`, what each caller sees of fair work in `scope.rs`.
//!
//! Every status seen here must also be documented for its operation in the OpenAPI
//! document (checked at the end).

#[path = "authz_matrix/bodies.rs"]
mod bodies;
mod support;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use bodies::{body_for, council_body, participant_body};
use serde_json::json;
use support::{ADMIN, CITY, HELLO_WORK, MANAGER, TestApp, Who, edit, new_id, new_person};

#[derive(Debug, Clone, Copy, PartialEq)]
enum O {
    A,
    U,
    F,
    N,
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
    ("GET", "/boot.js", [A, A, A, A, A, A]),
    // The fair tablet's page and its boot module: no data (the API checks the device token).
    ("GET", "/fair", [A, A, A, A, A, A]),
    ("GET", "/tablet.js", [A, A, A, A, A, A]),
    ("GET", "/api/openapi.json", [A, A, A, A, A, A]),
    ("POST", "/api/v1/auth/login", [A, A, A, A, A, A]),
    ("POST", "/api/v1/auth/logout", [U, A, A, A, A, F]),
    ("GET", "/api/v1/auth/me", [U, A, A, A, A, F]),
    ("GET", "/api/v1/auth/device-key", [U, A, A, A, F, F]),
    ("GET", "/api/v1/events", [U, A, A, A, A, F]),
    ("POST", "/api/v1/events", [U, A, A, A, F, F]),
    ("GET", "/api/v1/events/{id}", [U, A, A, A, A, F]),
    ("GET", "/api/v1/reports/progress", [U, A, A, A, A, F]),
    ("GET", "/api/v1/reports/progress.csv", [U, A, A, A, A, F]),
    ("GET", "/api/v1/plans/{fiscal_year}", [U, A, A, A, A, F]),
    // Managers of either organisation set the plan's targets; nobody else.
    ("POST", "/api/v1/plans/{fiscal_year}", [U, F, F, A, F, F]),
    ("GET", "/api/v1/reports/council", [U, A, A, A, A, F]),
    // The register of requests and the council's meetings: everyone on staff reads them,
    // managers record them.
    ("GET", "/api/v1/council/requests", [U, A, A, A, A, F]),
    ("POST", "/api/v1/council/requests", [U, F, F, A, F, F]),
    ("POST", "/api/v1/council/requests/{id}", [U, F, F, A, F, F]),
    ("GET", "/api/v1/council/meetings", [U, A, A, A, A, F]),
    ("POST", "/api/v1/council/meetings", [U, F, F, A, F, F]),
    ("GET", "/api/v1/council/meetings/{id}", [U, A, A, A, A, F]),
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
        [U, A, N, A, F, A],
    ),
    // The fixture's participant was registered by the city and did not agree to share with
    // Hello Work: for Hello Work it does not exist (the data-scope rule, `scope.rs`).
    (
        "POST",
        "/api/v1/events/{id}/participants/{participant_id}/person",
        [U, A, N, A, F, F],
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
    // The caseload file holds exactly what `GET /api/v1/people` shows the caller.
    ("GET", "/api/v1/people/export.csv", [U, A, A, A, F, F]),
    // A disclosure (本人開示) is made by the organisation that holds the case only: for Hello
    // Work the city's person does not exist here, consent or not.
    ("GET", "/api/v1/people/{id}/disclosure", [U, A, N, A, F, F]),
    // Merging duplicates is the holding organisation's: for Hello Work (with consent) the
    // city's people are not there to merge.
    ("POST", "/api/v1/people/{id}/merge", [U, A, N, A, F, F]),
    ("POST", "/api/v1/people/{id}/unmerge", [U, A, N, A, F, F]),
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
    ("GET", "/api/v1/device/key", [U, F, F, F, F, A]),
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
    ("GET", "/api/v1/audit/export", [U, F, F, F, A, F]),
    ("GET", "/", [U, A, A, A, A, F]),
    ("GET", "/login", [A, A, A, A, A, A]),
    ("GET", "/cases", [U, A, A, A, F, F]),
    ("GET", "/cases/{id}", [U, A, A, A, F, F]),
    ("GET", "/stories/{id}", [U, A, A, A, F, F]),
    ("GET", "/intake", [U, A, A, A, F, F]),
    ("GET", "/conflicts", [U, A, A, A, F, F]),
    ("GET", "/events", [U, A, A, A, A, F]),
    ("GET", "/events/{id}", [U, A, A, A, A, F]),
    ("GET", "/reports", [U, A, A, A, A, F]),
    ("GET", "/reports/council", [U, A, A, A, A, F]),
    ("GET", "/reports/plan", [U, A, A, A, A, F]),
    ("GET", "/reports/requests", [U, A, A, A, A, F]),
    ("GET", "/reports/meetings", [U, A, A, A, A, F]),
    ("GET", "/reports/meetings/{id}", [U, A, A, A, A, F]),
    ("GET", "/admin", [U, F, F, F, A, F]),
];

#[tokio::test]
async fn every_route_is_in_the_matrix_and_behaves_as_listed() {
    // The matrix and the router's own route table must list the same routes.
    let routed: BTreeSet<(String, String)> = renkei_server::api::access::route_table()
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

    let f = Fixture::new().await;
    // The callers' own sessions (the logout row ends them; the fixture keeps its own).
    let mut callers = vec![
        Who::Anonymous,
        f.app.login(CITY).await,
        f.app.login(HELLO_WORK).await,
        f.app.login(MANAGER).await,
        f.app.login(ADMIN).await,
        f.device.clone(),
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
    let mut seen: BTreeSet<(String, String, u16)> = BTreeSet::new();
    for (method, template, expected) in MATRIX {
        for (i, who) in callers.clone().iter().enumerate() {
            let path = f.path_for(template, &callers[i]).await;
            let body = body_for(&f, template).await;
            let request =
                TestApp::request(who, method, &path, (*method == "POST").then_some(&body));
            let reply = f.app.send(request).await;
            seen.insert((
                method.to_string(),
                template.to_string(),
                reply.status.as_u16(),
            ));
            let got = classify(method, template, reply.status, &reply.headers);
            if got != Some(expected[i]) {
                failures.push(format!(
                    "{method} {template} as {}: expected {:?}, got {} {}",
                    CALLERS[i],
                    expected[i],
                    reply.status,
                    reply.text.chars().take(160).collect::<String>()
                ));
            }
            // Signing out ends the caller's session: sign in again for the next rows.
            if *template == "/api/v1/auth/logout" && got == Some(A) {
                callers[i] = f.app.login(credentials[i].expect("staff")).await;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation matrix mismatches:\n{}",
        failures.join("\n")
    );
    every_status_seen_is_documented(&f.app, &seen).await;
}

/// The outcome a reply shows, or `None` when it is none of the four (a 422, a 5xx, a 404
/// on a page, a 2xx other than the route's own).
fn classify(
    method: &str,
    template: &str,
    status: StatusCode,
    headers: &axum::http::HeaderMap,
) -> Option<O> {
    let is_page = !template.starts_with("/api/") && template != "/healthz";
    let to_login = headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|l| l.starts_with("/login"));
    match status {
        s if s == success(method, template) => Some(A),
        StatusCode::UNAUTHORIZED if !is_page => Some(U),
        StatusCode::SEE_OTHER if is_page && to_login => Some(U),
        StatusCode::FORBIDDEN => Some(F),
        StatusCode::NOT_FOUND if !is_page => Some(N),
        _ => None,
    }
}

/// The status a route answers when it does what it is for.
fn success(method: &str, template: &str) -> StatusCode {
    match (method, template) {
        ("POST", "/api/v1/auth/logout")
        | ("POST", "/api/v1/duplicates/{id}/decide")
        | ("POST", "/api/v1/sync/conflicts/{id}/resolve") => StatusCode::NO_CONTENT,
        ("POST", "/api/v1/events")
        | ("POST", "/api/v1/events/{id}/employers")
        | ("POST", "/api/v1/events/{id}/participants")
        | ("POST", "/api/v1/people")
        | ("POST", "/api/v1/people/{id}/consents")
        | ("POST", "/api/v1/staff")
        | ("POST", "/api/v1/devices")
        | ("POST", "/api/v1/council/requests")
        | ("POST", "/api/v1/council/meetings") => StatusCode::CREATED,
        _ => StatusCode::OK,
    }
}

/// The records the matrix works on. Calls that use a record up (deciding a flag, resolving a
/// conflict, enrolling with a code, withdrawing a consent, revoking a device) get a fresh one.
struct Fixture {
    app: TestApp,
    admin: Who,
    city: Who,
    device: Who,
    event: String,
    person: String,
    participant: String,
    target_staff: String,
}

impl Fixture {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let admin = app.login(ADMIN).await;
        let city = app.login(CITY).await;
        let event = app.event(&city, "マトリクス確認面接会").await;
        let person = app.person(&city, "見本").await;
        let granted = app
            .post_as(
                &city,
                &format!("/api/v1/people/{person}/consents"),
                &json!({ "method": "verbal", "granted_on": "2026-04-01" }),
            )
            .await;
        assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
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
        Self {
            app,
            admin,
            city,
            device,
            event,
            person,
            participant,
            target_staff,
        }
    }

    /// The path to call for `template` as `who`, with real ids.
    async fn path_for(&self, template: &str, who: &Who) -> String {
        let fresh = match template {
            "/api/v1/duplicates/{id}/decide" => {
                format!("/api/v1/duplicates/{}/decide", self.flag().await)
            }
            "/api/v1/sync/conflicts/{id}/resolve" => {
                format!(
                    "/api/v1/sync/conflicts/{}/resolve",
                    self.conflict(who).await
                )
            }
            "/api/v1/people/{id}/consents/{consent_id}/withdraw" => format!(
                "/api/v1/people/{}/consents/{}/withdraw",
                self.person,
                self.consent().await
            ),
            "/api/v1/people/{id}/merge" => {
                format!("/api/v1/people/{}/merge", self.fresh_person().await)
            }
            "/api/v1/people/{id}/unmerge" => {
                let dup = self.fresh_person().await;
                let merged = self
                    .app
                    .post_as(
                        &self.city,
                        &format!("/api/v1/people/{dup}/merge"),
                        &json!({ "into": self.person, "reason": "同一人物" }),
                    )
                    .await;
                assert_eq!(merged.status, 200, "{}", merged.text);
                format!("/api/v1/people/{dup}/unmerge")
            }
            "/api/v1/devices/{id}/revoke" => {
                format!(
                    "/api/v1/devices/{}/revoke",
                    self.app.device(&self.admin, &self.event).await.1
                )
            }
            "/api/v1/council/requests/{id}" => {
                format!(
                    "/api/v1/council/requests/{}",
                    self.council("requests").await
                )
            }
            "/api/v1/council/meetings/{id}" | "/reports/meetings/{id}" => {
                let id = self.council("meetings").await;
                template.replace("{id}", &id)
            }
            _ => String::new(),
        };
        if !fresh.is_empty() {
            return fresh;
        }
        template
            .replace("/events/{id}", &format!("/events/{}", self.event))
            .replace("{participant_id}", &self.participant)
            .replace("/people/{id}", &format!("/people/{}", self.person))
            .replace("/cases/{id}", &format!("/cases/{}", self.person))
            .replace(
                "/stories/{id}",
                &format!("/stories/{}", uuid::Uuid::now_v7()),
            )
            .replace("/staff/{id}", &format!("/staff/{}", self.target_staff))
            .replace("/sync/pull", "/sync/pull?protocol=1")
            .replace("{fiscal_year}", "2026")
    }

    /// A request or a meeting (`what`) recorded by a manager: its id.
    async fn council(&self, what: &str) -> String {
        let manager = self.app.login(MANAGER).await;
        let reply = self
            .app
            .post_as(
                &manager,
                &format!("/api/v1/council/{what}"),
                &council_body(what),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.json()["id"].as_str().unwrap().to_owned()
    }

    /// A fresh undecided flag every case worker may see: two registrations shared by the
    /// people, same reading and birth date.
    async fn flag(&self) -> i64 {
        let (a, b) = (new_id(), new_id());
        let who = ("行列", "一", "ぎょうれつ", "いち");
        self.app
            .sync_push(
                &self.city,
                &new_id(),
                vec![
                    support::registration(1, &a, &self.event, 5, who, ("2000-01-01", ""), true),
                    support::registration(2, &b, &self.event, 5, who, ("2000-01-01", ""), true),
                ],
            )
            .await;
        let list = self
            .app
            .get_as(
                &self.city,
                &format!("/api/v1/events/{}/duplicates", self.event),
            )
            .await
            .json();
        list["duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["record_id"] == b.as_str() || d["other_id"] == b.as_str())
            .expect("a fresh flag")["id"]
            .as_i64()
            .unwrap()
    }

    /// A fresh open conflict on a person of `who`'s own organisation (any id for others).
    async fn conflict(&self, who: &Who) -> i64 {
        let Who::Staff(_) = who else { return 1 };
        let me = self.app.get_as(who, "/api/v1/auth/me").await;
        if me.status != StatusCode::OK || me.json()["role"] == "admin" {
            return 1;
        }
        let (person, one, two) = (new_id(), new_id(), new_id());
        self.app
            .sync_push(who, &one, vec![new_person(1, &person, "競合", 1)])
            .await;
        let base = support::stamp(1_700_000_000_001, 1);
        self.app
            .sync_push(
                who,
                &one,
                vec![edit(
                    2,
                    &person,
                    "given_name",
                    "春子",
                    support::stamp(1_700_000_100_000, 1),
                    base.clone(),
                )],
            )
            .await;
        self.app
            .sync_push(
                who,
                &two,
                vec![edit(
                    1,
                    &person,
                    "given_name",
                    "夏子",
                    support::stamp(1_700_000_200_000, 2),
                    base,
                )],
            )
            .await;
        let list = self.app.get_as(who, "/api/v1/sync/conflicts").await.json();
        list["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["record_id"] == person.as_str())
            .expect("a fresh conflict")["id"]
            .as_i64()
            .unwrap()
    }

    /// A fresh active consent of the fixture's person.
    async fn consent(&self) -> String {
        let granted = self
            .app
            .post_as(
                &self.city,
                &format!("/api/v1/people/{}/consents", self.person),
                &json!({ "method": "verbal", "granted_on": "2026-04-01" }),
            )
            .await
            .json();
        granted["consents"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|c| c["withdrawn_on"].is_null())
            .expect("an active consent")["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A fresh city person with an active consent (Hello Work sees them).
    async fn fresh_person(&self) -> String {
        let created = self
            .app
            .post_as(
                &self.city,
                "/api/v1/people",
                &json!({ "family_name": "重複", "given_name": "一郎", "family_name_kana": "ちょうふく",
                         "given_name_kana": "いちろう", "birth_date": "", "category": "youth" }),
            )
            .await
            .json();
        let id = created["id"].as_str().unwrap().to_owned();
        self.app
            .post_as(
                &self.city,
                &format!("/api/v1/people/{id}/consents"),
                &json!({ "method": "verbal", "granted_on": "2026-04-01" }),
            )
            .await;
        id
    }

    /// A fresh enrolment code.
    async fn code(&self) -> String {
        let created = self
            .app
            .post_as(
                &self.admin,
                "/api/v1/devices",
                &json!({ "event_id": self.event, "label": "予備" }),
            )
            .await;
        created.json()["code"].as_str().unwrap().to_owned()
    }
}

/// Every status the matrix saw for an API operation is documented for it in the OpenAPI
/// document.
async fn every_status_seen_is_documented(app: &TestApp, seen: &BTreeSet<(String, String, u16)>) {
    let doc = app.get("/api/openapi.json").await.json();
    let mut undocumented = Vec::new();
    for (method, template, status) in seen {
        let Some(path) = template.strip_prefix("/api") else {
            continue;
        };
        if !path.starts_with("/v1/") {
            continue;
        }
        let operation = &doc["paths"][format!("/api{path}")][method.to_lowercase()];
        if operation.is_null() {
            undocumented.push(format!("{method} {template}: no operation"));
        } else if operation["responses"][status.to_string()].is_null() {
            undocumented.push(format!("{method} {template}: {status}"));
        }
    }
    assert!(
        undocumented.is_empty(),
        "statuses the API answers but its OpenAPI document does not list:\n{}",
        undocumented.join("\n")
    );
}
