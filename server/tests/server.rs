//! The server as a whole: health, OpenAPI, pages rendered in the chosen language, the database
//! settings, demo data, and a real listener on port 0 with graceful shutdown.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use support::{CITY, TestApp};

#[tokio::test]
async fn health_check_answers_ok() {
    let app = TestApp::new().await;
    let reply = app.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
}

#[tokio::test]
async fn openapi_document_describes_every_api_route() {
    let app = TestApp::new().await;
    let doc = app.get("/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    // Every route the API router has (keep in step with api::router and lib::router).
    for (path, method) in [
        ("/api/v1/events", "get"),
        ("/api/v1/events", "post"),
        ("/healthz", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} missing from OpenAPI"
        );
    }
    assert!(doc["components"]["schemas"]["CreateEvent"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}

#[tokio::test]
async fn pages_render_in_japanese_by_default_and_english_by_choice() {
    let app = TestApp::new().await;
    let support::Who::Staff(session) = app.login(CITY).await else {
        unreachable!()
    };
    let ja = app
        .send(
            Request::get("/events")
                .header(header::COOKIE, format!("renkei_session={session}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ja.status, StatusCode::OK);
    assert!(ja.content_type.starts_with("text/html"));
    assert!(
        ja.text.contains("lang=\"ja\""),
        "{}",
        &ja.text[..400.min(ja.text.len())]
    );
    assert!(ja.text.contains("面接会・イベント"));
    assert!(
        ja.text.contains("/pkg/renkei.js"),
        "the page loads the wasm app"
    );

    let en = app
        .send(
            Request::get("/events")
                .header(
                    header::COOKIE,
                    format!("renkei_session={session}; renkei_lang=en"),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(en.text.contains("lang=\"en\""));
    assert!(en.text.contains("Fairs &amp; events"));
}

#[tokio::test]
async fn unknown_pages_are_404_with_a_helpful_page() {
    let app = TestApp::new().await;
    let reply = app.get("/no/such/page").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.text.contains("ページが見つかりません"));
}

#[tokio::test]
async fn database_is_wal_with_full_sync_and_demo_data_loads_once() {
    let app = TestApp::new().await;
    // SQLite's durability is Renkei's settings (PostgreSQL's is the server's configuration).
    if !support::backend::on_postgres() {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(app.db())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(app.db())
            .await
            .unwrap();
        assert_eq!(sync, 2, "FULL");
    }

    renkei_server::demo::load(&app.state).await.unwrap();
    renkei_server::demo::load(&app.state).await.unwrap();
    assert_eq!(app.count("events").await, 3);
    assert_eq!(app.count("people").await, 3);
    assert_eq!(app.count("staff").await, 4);
    assert_eq!(app.count("consents").await, 1);
    assert_eq!(app.count("plan_targets").await, 8);
    let city = app.login(CITY).await;
    let listed = app.get_as(&city, "/api/v1/events").await.json();
    // The winter fair is held three days after the demo is loaded (still to come).
    assert_eq!(
        listed["events"][0]["date"],
        support::in_days(3),
        "newest first"
    );
    // Loaded again on a database kept until after that day, it is moved to come again.
    sqlx::query("UPDATE events SET event_date = '2020-12-03' WHERE id = $1")
        .bind("01980000-0000-7000-8000-000000000003")
        .execute(app.db())
        .await
        .unwrap();
    renkei_server::demo::load(&app.state).await.unwrap();
    let listed = app.get_as(&city, "/api/v1/events").await.json();
    let winter = &listed["events"][0];
    assert_eq!(winter["date"], support::in_days(3), "{winter}");
    // The summer fair as the seed's report tells it: 31 participants, 5 placements.
    let report = app
        .get_as(
            &city,
            "/api/v1/reports/progress?fiscal_year=2026&as_of=2026-09-30",
        )
        .await
        .json();
    let summer = &report["events"][0];
    assert_eq!(summer["date"], "2026-07-25", "{report}");
    assert_eq!(
        (summer["attended"].as_u64(), summer["hired"].as_u64()),
        (Some(31), Some(5))
    );
}

#[tokio::test]
async fn serves_on_a_real_port_and_shuts_down_gracefully() {
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(renkei_server::serve(listener, app.router.clone(), async {
        let _ = stopped.await;
    }));

    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), server)
        .await
        .expect("stops within 5 s")
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "port released"
    );
}

#[tokio::test]
async fn health_names_the_kind_of_database_and_not_where_it_is() {
    let app = TestApp::new().await;
    let reply = app.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    let kind = if support::backend::on_postgres() {
        "postgresql"
    } else {
        "sqlite"
    };
    assert_eq!(
        reply.json(),
        serde_json::json!({ "status": "ok", "database": kind })
    );
}

/// A signed-in clerk whose session cannot be looked up (the database busy or restarting) is
/// told to try again, not sent to the sign-in page (which would lose the form being typed).
#[tokio::test]
async fn a_database_that_cannot_answer_makes_the_server_busy_not_the_clerk_signed_out() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    assert_eq!(
        app.get_as(&city, "/api/v1/auth/me").await.status,
        StatusCode::OK
    );
    app.db().close().await;
    let me = app.get_as(&city, "/api/v1/auth/me").await;
    assert_eq!(me.status, StatusCode::SERVICE_UNAVAILABLE, "{}", me.text);
    assert_eq!(me.json()["error"]["code"], "busy");
    assert_eq!(me.headers.get("retry-after").unwrap(), "1");
    let page = app.get_as(&city, "/").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    // Someone who sent no session is simply not signed in.
    assert_eq!(
        app.get("/api/v1/auth/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// Writes wait their turn for at most `WRITE_WAIT`, then are told to try again: a writer that
/// never finishes (a server frozen mid-transaction) does not make every queued request wait
/// the whole bound in turn. Nothing is written meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_cannot_get_its_turn_is_busy_within_the_bound() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let held = app.state.writes.lock().await; // the stuck writer
    let started = std::time::Instant::now();
    let person = serde_json::json!({
        "family_name": "順番", "given_name": "花子", "family_name_kana": "じゅんばん",
        "given_name_kana": "はなこ", "birth_date": "平成3年4月12日", "category": "youth"
    });
    let (first, second) = tokio::join!(
        app.post_as(&city, "/api/v1/people", &person),
        app.post_as(&city, "/api/v1/people", &person),
    );
    let waited = started.elapsed();
    for reply in [&first, &second] {
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            reply.text
        );
        assert_eq!(reply.headers.get("retry-after").unwrap(), "1");
    }
    assert!(
        waited < renkei_server::WRITE_WAIT * 3 / 2,
        "both answered within one bound: {waited:?}"
    );
    drop(held);
    assert_eq!(app.count("people").await, 0);
}
