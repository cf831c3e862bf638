//! `/api/v1/events` through the real router and a real SQLite file.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::{CITY, TestApp, Who};

fn fair() -> Value {
    json!({
        "id": "01980000-0000-7000-8000-00000000aa01",
        "title": "若年者就労面接会",
        "kind": "joint_interview",
        "date": "2026-12-03",
        "venue": "市役所 本庁舎 1階 多目的ホール",
        "target_group": "youth"
    })
}

#[tokio::test]
async fn registers_an_event_and_lists_it() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let reply = app.post_as(&city, "/api/v1/events", &fair()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let created = reply.json();
    assert_eq!(created["date"], "2026-12-03");
    assert_eq!(created["kind"], "joint_interview");

    let list = app.get_as(&city, "/api/v1/events").await;
    assert_eq!(list.status, StatusCode::OK);
    let events = list.json()["events"].as_array().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["title"], "若年者就労面接会");
    assert_eq!(events[0]["id"], "01980000-0000-7000-8000-00000000aa01");
}

#[tokio::test]
async fn reads_era_dates_and_full_width_digits() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let mut body = fair();
    body["date"] = json!("令和８年１２月３日");
    body["venue"] = json!("　市民会館　第2展示室　");
    let reply = app.post_as(&city, "/api/v1/events", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.json()["date"], "2026-12-03");
    assert_eq!(reply.json()["venue"], "市民会館 第2展示室");
}

#[tokio::test]
async fn a_retry_with_the_same_id_is_answered_without_a_second_event() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    assert_eq!(
        app.post_as(&city, "/api/v1/events", &fair()).await.status,
        StatusCode::CREATED
    );
    let again = app.post_as(&city, "/api/v1/events", &fair()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(app.count("events").await, 1);

    let mut other = fair();
    other["title"] = json!("別のイベント");
    let clash = app.post_as(&city, "/api/v1/events", &other).await;
    assert_eq!(clash.status, StatusCode::CONFLICT);
    assert_eq!(clash.json()["error"]["code"], "conflict");
    assert_eq!(app.count("events").await, 1);
}

#[tokio::test]
async fn the_server_chooses_an_id_when_the_client_sends_none() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let mut body = fair();
    body.as_object_mut().unwrap().remove("id");
    let reply = app.post_as(&city, "/api/v1/events", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 7);
}

#[tokio::test]
async fn bad_fields_are_named_in_japanese_and_nothing_is_written() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let cases = [
        ("title", json!(""), "required", "名称を入力してください。"),
        (
            "venue",
            json!("   "),
            "required",
            "会場を入力してください。",
        ),
        (
            "kind",
            json!("party"),
            "unknown_choice",
            "種類を一覧から選んでください。",
        ),
        (
            "target_group",
            json!("x"),
            "unknown_choice",
            "対象者を一覧から選んでください。",
        ),
        (
            "date",
            json!("2026-02-30"),
            "not_a_date",
            "開催日: その日付は存在しません。",
        ),
        (
            "date",
            json!("平成32年1月1日"),
            "not_a_date",
            "開催日: 和暦の年がその元号の期間に含まれません。",
        ),
        (
            "date",
            json!("来週"),
            "not_a_date",
            "開催日を日付として読み取れません（例: 令和8年12月3日、2026-12-03）。",
        ),
        (
            "date",
            json!("1999-01-01"),
            "date_out_of_range",
            "開催日は2000年から2100年までの日付にしてください。",
        ),
        (
            "title",
            json!("あ".repeat(101)),
            "too_long",
            "名称は100文字以内で入力してください。",
        ),
    ];
    for (field, value, code, message) in cases {
        let mut body = fair();
        body[field] = value;
        let reply = app.post_as(&city, "/api/v1/events", &body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            reply.text
        );
        let error = &reply.json()["error"];
        assert_eq!(error["code"], "validation");
        assert_eq!(
            error["fields"],
            json!([{ "field": field, "code": code, "message": message }]),
            "{field}"
        );
    }
    assert_eq!(app.count("events").await, 0);
}

#[tokio::test]
async fn an_empty_object_names_every_required_field() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let reply = app.post_as(&city, "/api/v1/events", &json!({})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = reply.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["title", "kind", "date", "venue", "target_group"]);
}

#[tokio::test]
async fn english_messages_on_request() {
    let app = TestApp::new().await;
    let Who::Staff(session) = app.login(CITY).await else {
        unreachable!()
    };
    let mut body = fair();
    body["venue"] = json!("");
    for (name, value) in [
        ("accept-language", "en-US,en;q=0.9".to_owned()),
        (
            "cookie",
            format!("renkei_session={session}; renkei_lang=en"),
        ),
    ] {
        let mut request = Request::post("/api/v1/events")
            .header(header::CONTENT_TYPE, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header(name, value.as_str());
        if name != "cookie" {
            request = request.header(header::COOKIE, format!("renkei_session={session}"));
        }
        let reply = app
            .send(request.body(Body::from(body.to_string())).unwrap())
            .await;
        assert_eq!(
            reply.json()["error"]["fields"][0]["message"],
            "Venue is required.",
            "{name}"
        );
    }
}

#[tokio::test]
async fn malformed_requests_get_clear_json_errors() {
    let app = TestApp::new().await;
    let Who::Staff(session) = app.login(CITY).await else {
        unreachable!()
    };
    let raw = |content_type: &'static str, body: String| {
        Request::post("/api/v1/events")
            .header(header::CONTENT_TYPE, content_type)
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, format!("renkei_session={session}"))
            .body(Body::from(body))
            .unwrap()
    };

    let broken = app
        .send(raw("application/json", "{\"title\": ".into()))
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.json()["error"]["code"], "bad_request");

    let wrong_type = app
        .send(raw("application/json", "{\"title\": 5}".into()))
        .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
    assert!(
        wrong_type.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("title")
    );

    let unknown_field = app
        .send(raw("application/json", "{\"mynumber\": \"1\"}".into()))
        .await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);

    let form = app.send(raw("text/plain", fair().to_string())).await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.json()["error"]["code"], "unsupported_media_type");
    // It says what to send, not that the JSON is malformed (it was not read at all).
    let message = form.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("JSON で送って") && message.contains("Content-Type"),
        "{message}"
    );

    let huge = format!(
        "{{\"title\": \"{}\"}}",
        "x".repeat(renkei_server::api::MAX_BODY_BYTES + 1)
    );
    let too_large = app.send(raw("application/json", huge)).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.json()["error"]["code"], "payload_too_large");

    assert_eq!(app.count("events").await, 0);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let reply = app.get_as(&city, "/api/v1/nothing-here").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.content_type.starts_with("application/json"));
    assert_eq!(reply.json()["error"]["code"], "not_found");
}
