//! Every error the API gives is its JSON error in the asked language: malformed query strings
//! and path parameters, unsupported methods (405 with `Allow`).

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::{ADMIN, CITY, TestApp, Who};

fn english(mut request: Request<Body>) -> Request<Body> {
    request
        .headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "en".parse().unwrap());
    request
}

#[tokio::test]
async fn malformed_queries_name_the_parameter_in_json() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    for (uri, parameter) in [
        (
            "/api/v1/reports/progress?fiscal_year=2147483648",
            "fiscal_year",
        ),
        ("/api/v1/reports/progress?fiscal_year=令和8", "fiscal_year"),
        ("/api/v1/sync/pull?after=0", "protocol"),
        ("/api/v1/sync/pull?protocol=1&after=-1", "after"),
    ] {
        let reply = app.get_as(&city, uri).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            reply.text
        );
        assert_eq!(reply.content_type, "application/json", "{uri}");
        let error = &reply.json()["error"];
        assert_eq!(error["code"], "bad_query", "{uri}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(parameter) && message.contains("URL"),
            "{uri}: {message}"
        );
        let en = app
            .send(english(TestApp::request(&city, "GET", uri, None)))
            .await;
        let message = en.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(
            message.starts_with("The address") && message.contains(parameter),
            "{message}"
        );
    }
}

#[tokio::test]
async fn unreadable_path_parameters_are_a_json_404() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    for uri in [
        "/api/v1/people/%ff",
        "/api/v1/people/%C0%AF",
        "/api/v1/events/%ff/counts",
    ] {
        let reply = app.get_as(&city, uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}: {}", reply.text);
        assert_eq!(reply.content_type, "application/json", "{uri}");
        assert_eq!(reply.json()["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn unsupported_methods_are_a_json_405_with_allow() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    for (method, uri, allowed) in [
        ("DELETE", "/api/v1/events", "GET,HEAD,POST"),
        (
            "PUT",
            "/api/v1/people/0192d000-0000-7000-8000-000000000000",
            "GET,HEAD",
        ),
        ("GET", "/api/v1/auth/login", "POST"),
    ] {
        for who in [Who::Anonymous, city.clone()] {
            let reply = app.send(TestApp::request(&who, method, uri, None)).await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}"
            );
            assert_eq!(reply.content_type, "application/json");
            assert_eq!(reply.json()["error"]["code"], "method_not_allowed");
            let allow = reply.headers[header::ALLOW]
                .to_str()
                .unwrap()
                .replace(' ', "");
            assert_eq!(allow, allowed, "{method} {uri}");
        }
    }
}

/// A NUL or another control character where the database would refuse it (PostgreSQL cannot
/// store U+0000 in text) is a validation message naming the field, or a failed sign-in —
/// never a 500, on either backend.
#[tokio::test]
async fn control_characters_are_named_not_a_server_error() {
    let app = TestApp::new().await;
    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "login_id": "demo\u{0}city", "password": "mihon-shi-2026" }),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "{}", login.text);

    let city = app.login(CITY).await;
    let fair = app.event(&city, "制御文字").await;
    let employer = app
        .post_as(
            &city,
            &format!("/api/v1/events/{fair}/employers"),
            &json!({ "name": "見本商事", "jobs": "事務\u{0}" }),
        )
        .await;
    assert_eq!(
        employer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        employer.text
    );
    assert_eq!(employer.json()["error"]["fields"][0]["field"], "jobs");

    let person = app.person(&city, "制御").await;
    let consent = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "signed_form", "document_no": "R8\u{0}1", "granted_on": "2026-04-01" }),
        )
        .await;
    assert_eq!(
        consent.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        consent.text
    );
    assert_eq!(consent.json()["error"]["fields"][0]["field"], "document_no");

    let admin = app.login(ADMIN).await;
    let audit = app.get_as(&admin, "/api/v1/audit?actor=%00").await;
    assert_eq!(
        audit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        audit.text
    );
    assert_eq!(audit.json()["error"]["fields"][0]["field"], "actor");
}

/// A refused push or audit filter names its field in words and says what is wrong with it
/// (they were all 「?を入力してください。」: a device id of 100,000 characters is not missing).
#[tokio::test]
async fn refused_pushes_and_filters_name_the_field_and_the_real_problem() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let replica = support::new_id();
    let long = "a".repeat(100_000);
    let one = |seq: Value| json!([{ "seq": seq, "kind": "note", "id": support::new_id(), "op": { "type": "delete", "stamp": support::stamp(1, 1) } }]);
    for (who, uri, body, field, code, words) in [
        (
            &city,
            "/api/v1/sync/push",
            Some(json!({ "protocol": 1, "replica": "", "mutations": [] })),
            "replica",
            "required",
            "識別子",
        ),
        (
            &city,
            "/api/v1/sync/push",
            Some(json!({ "protocol": 1, "replica": long, "mutations": [] })),
            "replica",
            "bad_value",
            "識別子",
        ),
        (
            &city,
            "/api/v1/sync/push",
            Some(json!({ "protocol": 1, "replica": replica, "mutations": one(json!(-1)) })),
            "mutations",
            "bad_value",
            "送られた変更",
        ),
        (
            &admin,
            "/api/v1/audit?from=abc",
            None,
            "from",
            "not_a_date",
            "開始日",
        ),
        (
            &admin,
            "/api/v1/audit?to=2026-13-01",
            None,
            "to",
            "not_a_date",
            "終了日",
        ),
    ] {
        let reply = match &body {
            Some(body) => app.post_as(who, uri, body).await,
            None => app.get_as(who, uri).await,
        };
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            reply.text
        );
        let error = &reply.json()["error"]["fields"][0];
        assert_eq!(
            (error["field"].as_str(), error["code"].as_str()),
            (Some(field), Some(code)),
            "{error}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(words) && !message.contains('?'),
            "{message}"
        );
    }
}
