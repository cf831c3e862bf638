//! Tried as an attacker would, on the real router: no personal data without a session,
//! revoked and disabled credentials refused at once, cross-site writes refused, security
//! headers present, devices confined to their event, anonymous refusals kept out of the audit
//! trail, names with hidden characters refused. Sign-in and enrolment: `sign_in.rs`.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::{ADMIN, CITY, HELLO_WORK, TestApp, Who};

#[tokio::test]
async fn nothing_personal_without_a_session() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let person = app.person(&city, "見本").await;
    let event = app.event(&city, "面接会").await;
    for uri in [
        "/api/v1/people".to_owned(),
        format!("/api/v1/people/{person}"),
        format!("/api/v1/events/{event}/participants"),
        "/api/v1/audit".to_owned(),
        "/api/v1/staff".to_owned(),
    ] {
        for who in [
            Who::Anonymous,
            Who::Staff("forged-session".into()),
            Who::Device("forged".into()),
        ] {
            let reply = app.get_as(&who, &uri).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{uri} as {who:?}");
            assert!(!reply.text.contains("見本"), "{uri} leaked a name");
        }
    }
    // Pages send a stranger to the sign-in page.
    let page = app.get("/cases").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.headers["location"], "/login?next=/cases");
}

#[tokio::test]
async fn a_disabled_account_and_a_logged_out_session_are_refused_at_once() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let city = app.login(CITY).await;
    let second_city_session = app.login(CITY).await;
    assert_eq!(
        app.get_as(&city, "/api/v1/people").await.status,
        StatusCode::OK
    );

    // Logout ends exactly that session.
    let out = app
        .send(TestApp::request(&city, "POST", "/api/v1/auth/logout", None))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        app.get_as(&city, "/api/v1/people").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_as(&second_city_session, "/api/v1/people")
            .await
            .status,
        StatusCode::OK
    );

    // Disabling the account ends every session it has, on the next request.
    let staff = app.get_as(&admin, "/api/v1/staff").await.json();
    let city_id = staff["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["login_id"] == CITY.0)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let disabled = app
        .post_as(
            &admin,
            &format!("/api/v1/staff/{city_id}/disable"),
            &json!({}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.text);
    assert_eq!(
        app.get_as(&second_city_session, "/api/v1/people")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // …and it cannot sign in again.
    let again = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "login_id": CITY.0, "password": CITY.1 }),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn session_cookie_is_http_only_same_site_and_fresh_each_login() {
    let app = TestApp::new().await;
    let first = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "login_id": CITY.0, "password": CITY.1 }),
        )
        .await;
    let second = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "login_id": CITY.0, "password": CITY.1 }),
        )
        .await;
    let c1 = first.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    let c2 = second.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    for c in [&c1, &c2] {
        assert!(
            c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"),
            "{c}"
        );
    }
    assert_ne!(
        c1.split(';').next(),
        c2.split(';').next(),
        "a new session id at every login"
    );
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM sessions LIMIT 1")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert!(
        !c1.contains(&stored),
        "the database keeps only a hash of the token"
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::new().await;
    let Who::Staff(session) = app.login(CITY).await else {
        unreachable!()
    };
    let body = json!({ "title": "偽", "kind": "seminar", "date": "2026-12-01", "venue": "x", "target_group": "youth" });
    let post = |extra: Vec<(&'static str, &'static str)>| {
        let mut r = Request::post("/api/v1/events")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::COOKIE, format!("renkei_session={session}"));
        for (k, v) in extra {
            r = r.header(k, v);
        }
        r.body(Body::from(body.to_string())).unwrap()
    };
    let cross = app.send(post(vec![("sec-fetch-site", "cross-site")])).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(cross.json()["error"]["code"], "cross_site");
    let foreign_origin = app
        .send(post(vec![("origin", "https://evil.example")]))
        .await;
    assert_eq!(foreign_origin.status, StatusCode::FORBIDDEN);
    // A cookie-carrying write with neither header is not from a page of ours.
    let bare = app.send(post(vec![])).await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN, "{}", bare.text);
    assert_eq!(bare.json()["error"]["code"], "cross_site");
    assert_eq!(app.count("events").await, 0, "nothing written");
    let same = app
        .send(post(vec![
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://127.0.0.1:3000"),
        ]))
        .await;
    assert_eq!(same.status, StatusCode::CREATED, "{}", same.text);
}

#[tokio::test]
async fn a_device_reaches_only_its_own_event_and_revocation_is_immediate() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let city = app.login(CITY).await;
    let own = app.event(&city, "自分の面接会").await;
    let other = app.event(&city, "別の面接会").await;
    let (device, device_id) = app.device(&admin, &own).await;
    let walk_in = json!({ "family_name": "試験", "given_name": "次郎", "family_name_kana": "しけん",
                          "given_name_kana": "じろう", "birth_date": "", "phone": "",
                          "age_band": "30s" });

    assert_eq!(
        app.get_as(&device, "/api/v1/device/event").await.json()["event"]["id"],
        own.as_str()
    );
    let added = app
        .post_as(
            &device,
            &format!("/api/v1/events/{own}/participants"),
            &walk_in,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    let participant = added.json()["id"].as_str().unwrap().to_owned();
    let checked = app
        .post_as(
            &device,
            &format!("/api/v1/events/{own}/participants/{participant}/check-in"),
            &json!({}),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK);
    assert!(checked.json()["checked_in_at_ms"].is_i64());

    // Another event, the caseload, the participant list: refused.
    let elsewhere = app
        .post_as(
            &device,
            &format!("/api/v1/events/{other}/participants"),
            &walk_in,
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_as(&device, "/api/v1/people").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(&device, &format!("/api/v1/events/{own}/participants"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // An enrolment code works once.
    let created = app
        .post_as(
            &admin,
            "/api/v1/devices",
            &json!({ "event_id": own, "label": "2台目" }),
        )
        .await
        .json();
    let code = created["code"].as_str().unwrap();
    assert_eq!(
        app.post_json("/api/v1/devices/enrol", &json!({ "code": code }))
            .await
            .status,
        StatusCode::OK
    );
    let reused = app
        .post_json("/api/v1/devices/enrol", &json!({ "code": code }))
        .await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert_eq!(reused.json()["error"]["code"], "code_invalid");

    // Revoked: refused from the very next request.
    let revoked = app
        .post_as(
            &admin,
            &format!("/api/v1/devices/{device_id}/revoke"),
            &json!({}),
        )
        .await;
    assert_eq!(revoked.json()["status"], "revoked");
    assert_eq!(
        app.get_as(&device, "/api/v1/device/event").await.status,
        StatusCode::UNAUTHORIZED
    );
    let after = app
        .post_as(
            &device,
            &format!("/api/v1/events/{own}/participants"),
            &walk_in,
        )
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let page = app.get_as(&city, "/events").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'nonce-") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        page.text.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    let api = app.get_as(&city, "/api/v1/events").await;
    for h in [
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-security-policy",
    ] {
        assert!(
            page.headers.contains_key(h) && api.headers.contains_key(h),
            "{h}"
        );
    }
    assert_eq!(api.headers["cache-control"], "no-store");
    // A signed-in page (it names the person's role) is never kept by a shared cache.
    assert_eq!(page.headers["cache-control"], "private, no-cache");
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old() {
    let app = TestApp::new().await;
    let idle = app.login(CITY).await;
    let old = app.login(CITY).await;
    let fresh = app.login(CITY).await;
    let hash = |who: &Who| match who {
        Who::Staff(token) => {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(token.as_bytes()))
        }
        _ => unreachable!(),
    };
    let now = renkei_server::store::now_ms();
    let minute = 60_000;
    sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
        .bind(now - 31 * minute)
        .bind(hash(&idle))
        .execute(app.db())
        .await
        .unwrap();
    sqlx::query("UPDATE sessions SET created_at_ms = $1, last_seen_ms = $2 WHERE token_hash = $3")
        .bind(now - 12 * 60 * minute - minute)
        .bind(now - minute)
        .bind(hash(&old))
        .execute(app.db())
        .await
        .unwrap();
    assert_eq!(
        app.get_as(&idle, "/api/v1/auth/me").await.status,
        StatusCode::UNAUTHORIZED,
        "idle 31 min"
    );
    assert_eq!(
        app.get_as(&old, "/api/v1/auth/me").await.status,
        StatusCode::UNAUTHORIZED,
        "older than 12 h"
    );
    assert_eq!(
        app.get_as(&fresh, "/api/v1/auth/me").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn anonymous_refusals_write_nothing_durable_and_entries_are_capped() {
    let app = TestApp::new().await;
    let before = app.count("audit_log").await;
    for _ in 0..300 {
        assert_eq!(
            app.get("/api/v1/people").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let long = format!("/api/v1/people/{}", "x".repeat(60_000));
    assert_eq!(app.get(&long).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.count("audit_log").await,
        before,
        "no rows for anonymous refusals"
    );
    assert!(app.state.refusals.pending("route") >= 301);
    // A known clerk's refusal is audited, with the path cut short.
    let hw = app.login(HELLO_WORK).await;
    let refused = app
        .get_as(&hw, &format!("/api/v1/staff{}", "y".repeat(60_000)))
        .await;
    assert!(refused.status.is_client_error());
    let forbidden = app.get_as(&hw, "/api/v1/staff").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let longest: i64 = sqlx::query_scalar("SELECT MAX(length(detail)) FROM audit_log")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert!(longest <= 201, "an entry kept {longest} characters");
}

#[tokio::test]
async fn names_with_control_or_direction_characters_are_refused_by_the_api() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    for (name, code) in [
        ("見\u{0}本", "bad_characters"),
        ("\u{1b}見本", "bad_characters"),
        ("見本\u{7}", "bad_characters"),
        ("\u{202e}本見", "bad_characters"),
        ("\u{200b}", "nothing_visible"),
    ] {
        let reply = app
            .post_as(
                &city,
                "/api/v1/people",
                &json!({ "family_name": name, "given_name": "花子", "family_name_kana": "みほん",
                          "given_name_kana": "はなこ", "birth_date": "", "category": "youth" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        let field = &reply.json()["error"]["fields"][0];
        assert_eq!(field["field"], "family_name");
        assert_eq!(field["code"], code, "{name:?}");
        assert!(field["message"].as_str().unwrap().contains("氏"), "{field}");
    }
    assert_eq!(app.count("people").await, 0);
}

#[tokio::test]
async fn the_device_key_opens_a_laptop_only_until_the_password_is_reset() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let first = app.get_as(&city, "/api/v1/auth/device-key").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let key = first.json()["key"].as_str().unwrap().to_owned();
    assert_eq!(key.len(), 44, "32 bytes, base64");
    let again = app.get_as(&city, "/api/v1/auth/device-key").await.json();
    assert_eq!(
        again["key"],
        key.as_str(),
        "the same key while nothing changes"
    );
    // Administrators keep no store; a tablet has no staff key.
    assert_eq!(
        app.get_as(&admin, "/api/v1/auth/device-key").await.status,
        StatusCode::FORBIDDEN
    );
    // The password is reset (a lost laptop): the old key is gone, a new one is given.
    let me = app.get_as(&city, "/api/v1/auth/me").await.json();
    let id = me["staff_id"].as_str().unwrap();
    let reset = app
        .post_as(
            &admin,
            &format!("/api/v1/staff/{id}/password"),
            &json!({ "password": "yuuyake koyake akatonbo" }),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.text);
    let city = app.login((CITY.0, "yuuyake koyake akatonbo")).await;
    let next = app.get_as(&city, "/api/v1/auth/device-key").await.json();
    assert_ne!(next["key"], key.as_str());
}

#[tokio::test]
async fn a_tablets_key_is_its_own_and_gone_when_it_is_revoked() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "面接会").await;
    let (tablet, id) = app.device(&admin, &fair).await;
    let (other, _) = app.device(&admin, &fair).await;
    let key = app.get_as(&tablet, "/api/v1/device/key").await;
    assert_eq!(key.status, StatusCode::OK, "{}", key.text);
    let key = key.json()["key"].as_str().unwrap().to_owned();
    let others = app.get_as(&other, "/api/v1/device/key").await.json();
    assert_ne!(others["key"], key.as_str(), "each tablet its own");
    assert_eq!(
        app.get_as(&city, "/api/v1/device/key").await.status,
        StatusCode::FORBIDDEN
    );
    let revoked = app
        .post_as(&admin, &format!("/api/v1/devices/{id}/revoke"), &json!({}))
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert_eq!(
        app.get_as(&tablet, "/api/v1/device/key").await.status,
        StatusCode::UNAUTHORIZED
    );
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tablet_keys WHERE device_id = $1")
        .bind(&id)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(kept, 0, "the server forgot the revoked tablet's key");
}

/// An enrolment code is consumed in the statement that finds it: typed on two tablets at the
/// same moment, one gets the token and the other is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_enrolment_code_typed_twice_at_once_enrols_one_tablet() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let admin = app.login(ADMIN).await;
    let city = app.login(CITY).await;
    let event = app.event(&city, "同時登録").await;
    // Three rounds: each leaves three failed guesses at this address, and a fourth round could
    // meet the enrolment throttle (ten free failures) depending on timing.
    for _ in 0..3 {
        let created = app
            .post_as(
                &admin,
                "/api/v1/devices",
                &json!({ "event_id": event, "label": "受付" }),
            )
            .await;
        let code = created.json()["code"].as_str().unwrap().to_owned();
        let tries = (0..4).map(|_| {
            let (app, code) = (app.clone(), code.clone());
            tokio::spawn(async move {
                app.post_json("/api/v1/devices/enrol", &json!({ "code": code }))
                    .await
                    .status
            })
        });
        let statuses: Vec<StatusCode> = futures::future::join_all(tries)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let enrolled = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(enrolled, 1, "{statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| s.is_success() || s.is_client_error()),
            "{statuses:?}"
        );
    }
}

/// A person registered under the id of a record already kept (a case note of the other
/// organisation, here) is refused, and the record stays what it was: the id is taken, whatever
/// its kind or owner. (The registration once overwrote the note's contents with the person's.)
#[tokio::test]
async fn registering_a_person_under_a_kept_records_id_takes_nothing_over() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&hw, "職業").await;
    let note = support::new_id();
    let answer = app
        .sync_push(
            &hw,
            &support::new_id(),
            vec![support::hello_work_note(1, &note, &person)],
        )
        .await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    for who in [&city, &hw] {
        let reply = app
            .post_as(
                who,
                "/api/v1/people",
                &json!({
                    "id": note, "family_name": "上書", "given_name": "太郎",
                    "family_name_kana": "うわがき", "given_name_kana": "たろう",
                    "birth_date": "1990-01-01", "category": "youth"
                }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
    }
    let kept = app.pull_all(&hw, 500).await;
    let kept = kept.iter().find(|r| r["id"] == note.as_str()).unwrap();
    assert_eq!(kept["kind"], "note", "{kept}");
    let fields = &kept["state"]["fields"];
    assert_eq!(
        fields["body"]["value"], "職業相談。求人票を2件紹介。",
        "{kept}"
    );
    assert_eq!(fields["person_id"]["value"], person.as_str(), "{kept}");
    assert!(fields["family_name"].is_null(), "{kept}");
    assert_eq!(app.count("people").await, 1);
}

/// A tablet can be enrolled for a fair still to come or today's, never for one that is over:
/// its token would read that fair's people's names for ever (an administrator sees no case).
#[tokio::test]
async fn no_tablet_for_a_fair_that_is_over() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let mut made = Vec::new();
    for days in [-1, 0] {
        let reply = app
            .post_as(
                &city,
                "/api/v1/events",
                &json!({ "title": format!("面接会{days}"), "kind": "joint_interview",
                         "date": support::in_days(days), "venue": "市民会館", "target_group": "youth" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        made.push(reply.json()["id"].as_str().unwrap().to_owned());
    }
    let enrol = |event: &str| json!({ "event_id": event, "label": "受付" });
    let reply = app
        .post_as(&admin, "/api/v1/devices", &enrol(&made[0]))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text
    );
    let field = &reply.json()["error"]["fields"][0];
    assert_eq!(
        (field["field"].as_str(), field["code"].as_str()),
        (Some("event_id"), Some("event_over")),
        "{field}"
    );
    assert!(
        field["message"]
            .as_str()
            .unwrap()
            .contains("すでに終わっています"),
        "{field}"
    );
    let reply = app
        .post_as(&admin, "/api/v1/devices", &enrol(&made[1]))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}
