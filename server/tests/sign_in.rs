//! Sign-in and enrolment as an attacker tries them: one answer for an unknown id and a wrong
//! password, guessing throttled without locking the real user out, enrolment codes too long
//! to guess and throttled, guessable passwords refused.

mod support;

use axum::http::{StatusCode, header};
use serde_json::json;
use support::{ADMIN, CITY, TestApp, Who};

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "login_id": CITY.0, "password": "wrong password!" }),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "login_id": "nobody.here", "password": "wrong password!" }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.text, unknown.text);
}

#[tokio::test]
async fn a_hundred_wrong_passwords_are_throttled() {
    let app = TestApp::new().await;
    let mut statuses = Vec::new();
    for i in 0..100 {
        let reply = app
            .login_from("192.0.2.10", (CITY.0, format!("guess number {i}").as_str()))
            .await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(reply.headers.contains_key(header::RETRY_AFTER));
        }
        statuses.push(reply.status);
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    // Five free attempts, then one after each growing delay (1 s, 2 s …): a slow machine may
    // see a delay run out during the loop.
    assert!((5..=7).contains(&checked), "{checked} passwords checked");
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count(),
        100 - checked
    );
    // From that address even the right password waits; nothing of it reaches the audit log
    // beyond the checked failures.
    let right = app.login_from("192.0.2.10", CITY).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(right.json()["error"]["code"], "throttled");
    let failures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed'")
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(failures as usize, checked);
}

#[tokio::test]
async fn the_real_user_signs_in_while_an_attacker_hammers_the_account_from_elsewhere() {
    let app = TestApp::new().await;
    // The clerk's desk signed in yesterday.
    assert_eq!(
        app.login_from("192.0.2.1", CITY).await.status,
        StatusCode::OK
    );
    // An attacker from twenty addresses, 30 wrong passwords each, all at once.
    let mut attacks = tokio::task::JoinSet::new();
    for n in 0..20 {
        let router = app.router.clone();
        attacks.spawn(async move {
            let mut checked = 0;
            for i in 0..30 {
                let request = TestApp::login_request_from(
                    &format!("198.51.100.{n}"),
                    (CITY.0, format!("guess {i}").as_str()),
                );
                let reply = support::send_to(&router, request).await;
                if reply.status == StatusCode::UNAUTHORIZED {
                    checked += 1;
                }
            }
            checked
        });
    }
    // Meanwhile the clerk signs in at the desk.
    let desk = app.login_from("192.0.2.1", CITY).await;
    assert_eq!(desk.status, StatusCode::OK, "{}", desk.text);
    let checked: usize = attacks.join_all().await.into_iter().sum();
    assert!(checked <= 20 * 6, "the attacker got {checked} guesses");
    let desk = app.login_from("192.0.2.1", CITY).await;
    assert_eq!(desk.status, StatusCode::OK, "{}", desk.text);
    // An address never used for this account, while more than ten addresses attack it at
    // once, is slowed (by at most a minute) — the documented price of a per-account limit.
    let laptop = app.login_from("192.0.2.77", CITY).await;
    assert_eq!(
        laptop.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        laptop.text
    );
    let wait: u64 = laptop.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait <= 60, "{wait} s");
}

#[tokio::test]
async fn enrolment_codes_are_throttled_and_hard_to_guess() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let city = app.login(CITY).await;
    let fair = app.event(&city, "面接会").await;
    let created = app
        .post_as(
            &admin,
            "/api/v1/devices",
            &json!({ "event_id": fair, "label": "受付A" }),
        )
        .await;
    let code = created.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(
        code.chars().filter(char::is_ascii_digit).count(),
        12,
        "{code}"
    );
    let audit_before = app.count("audit_log").await;
    let guess = |ip: &'static str, code: String| {
        let mut request = TestApp::request(
            &Who::Anonymous,
            "POST",
            "/api/v1/devices/enrol",
            Some(&json!({ "code": code })),
        );
        let peer: std::net::SocketAddr = format!("{ip}:5000").parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        request
    };
    let mut wrong = 0;
    let mut throttled = 0;
    for i in 0..300u64 {
        let reply = app
            .send(guess("203.0.113.5", format!("{:012}", 100_000_000_000 + i)))
            .await;
        match reply.status {
            StatusCode::BAD_REQUEST => wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    assert!(wrong <= 12, "{wrong} codes looked up");
    assert_eq!(wrong + throttled, 300);
    // Each looked-up code is an audited outcome; the throttled ones are only counted.
    assert_eq!(app.count("audit_log").await - audit_before, wrong as i64);
    // The right code from the venue's tablet still works.
    let reply = app.send(guess("198.51.100.40", code)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn guessable_passwords_are_refused() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    for weak in [
        "aaaaaaaaaaaa",
        "123456789012",
        "password1234",
        "            ",
    ] {
        let reply = app
            .post_as(
                &admin,
                "/api/v1/staff",
                &json!({ "login_id": "yamada.k", "display_name": "山田 一郎",
                          "organisation": "city", "role": "counter", "password": weak }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{weak:?}: {}",
            reply.text
        );
        let field = &reply.json()["error"]["fields"][0];
        assert_eq!(field["field"], "password");
        assert!(
            ["guessable_password", "weak_password", "required"]
                .contains(&field["code"].as_str().unwrap()),
            "{weak:?}: {field}"
        );
    }
    let ok = app
        .post_as(
            &admin,
            "/api/v1/staff",
            &json!({ "login_id": "yamada.k", "display_name": "山田 一郎",
                      "organisation": "city", "role": "counter", "password": "hinode-sakamichi-kaze" }),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.text);
    let id = ok.json()["id"].as_str().unwrap().to_owned();
    let reset = app
        .post_as(
            &admin,
            &format!("/api/v1/staff/{id}/password"),
            &json!({ "password": "password1234" }),
        )
        .await;
    assert_eq!(
        reset.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reset.text
    );
    assert_eq!(
        reset.json()["error"]["fields"][0]["code"],
        "guessable_password"
    );
}

/// Behind a reverse proxy every client arrives from the proxy's address. Only from a proxy the
/// operator named is `X-Forwarded-For` believed: then an attacker's failures slow down the
/// attacker's address, not the clerk's; without it, a header an attacker writes changes
/// nothing (the guesses still count against the connection's address).
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_throttled_by_its_own_address() {
    let app = TestApp::new().await.trusting(&["10.0.0.0/8"]);
    let proxy = "10.0.0.5";
    for i in 0..12 {
        let guess = format!("guess number {i}");
        app.login_forwarded(proxy, "203.0.113.66", (CITY.0, guess.as_str()))
            .await;
    }
    let attacker = app.login_forwarded(proxy, "203.0.113.66", CITY).await;
    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    // The clerk's desk, through the same proxy.
    let clerk = app.login_forwarded(proxy, "198.51.100.20", CITY).await;
    assert_eq!(clerk.status, StatusCode::OK, "{}", clerk.text);

    // Served directly (no proxy named): a forged header per guess does not spread them out.
    let direct = TestApp::new().await;
    for i in 0..12 {
        let guess = format!("guess number {i}");
        let forged = format!("198.51.100.{i}");
        direct
            .login_forwarded("203.0.113.77", &forged, (CITY.0, guess.as_str()))
            .await;
    }
    let forged = direct
        .login_forwarded("203.0.113.77", "198.51.100.99", CITY)
        .await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Several servers over one database (a load balancer sends each request anywhere): guesses
/// spread over them count all the same, and so does an address trusted on one of them.
#[tokio::test]
async fn guesses_spread_over_servers_of_one_database_count_together() {
    let app = TestApp::new().await;
    // A second server: the same database, its own memory.
    let mut other = app.state.clone();
    other.throttle = std::sync::Arc::default();
    let other = renkei_server::router(other);
    let ip = "203.0.113.50";
    for i in 0..5 {
        let guess = format!("guess number {i}");
        let request = TestApp::login_request_from(ip, (CITY.0, guess.as_str()));
        let on = if i % 2 == 0 { &app.router } else { &other };
        let reply = support::send_to(on, request).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    }
    // The sixth guess, on either server, waits.
    for on in [&app.router, &other] {
        let reply = support::send_to(on, TestApp::login_request_from(ip, CITY)).await;
        assert_eq!(
            reply.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            reply.text
        );
    }
    // A server restarted (memory empty) still knows.
    let mut restarted = app.state.clone();
    restarted.throttle = std::sync::Arc::default();
    let reply = support::send_to(
        &renkei_server::router(restarted),
        TestApp::login_request_from(ip, CITY),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.text
    );
}
