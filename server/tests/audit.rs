//! The audit log: reads, changes and refusals are recorded; the log cannot be updated or
//! deleted through SQL; an edited row is detected by the verify check and the `verify-audit`
//! command.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{ADMIN, CITY, HELLO_WORK, TestApp};

#[tokio::test]
async fn records_reads_changes_and_refusals_and_detects_an_edit() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let admin = app.login(ADMIN).await;
    let person = app.person(&city, "見本").await;
    app.get_as(&city, &format!("/api/v1/people/{person}")).await;
    app.get_as(&hw, &format!("/api/v1/people/{person}")).await; // refused: no consent

    let page = app.get_as(&admin, "/api/v1/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    let entries = page.json()["entries"].as_array().unwrap().clone();
    let about_person: Vec<(String, String)> = entries
        .iter()
        .filter(|e| e["subject_id"] == person.as_str())
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Newest first: Hello Work's refused read, the city's read, the creation.
    assert_eq!(
        about_person,
        [
            ("read".into(), "denied".into()),
            ("read".into(), "ok".into()),
            ("create".into(), "ok".into())
        ]
    );
    assert!(
        !page.text.contains("見本"),
        "the audit log holds ids, not names"
    );

    let verify = app.get_as(&admin, "/api/v1/audit/verify").await.json();
    assert_eq!(verify["intact"], true);

    // The log refuses UPDATE and DELETE…
    let update = sqlx::query("UPDATE audit_log SET outcome = 'ok' WHERE outcome = 'denied'")
        .execute(app.db())
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(app.db())
            .await
            .is_err()
    );

    // …and someone who removes the guard to edit a row is found out.
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(app.db())
        .await
        .unwrap();
    let bad_seq: i64 =
        sqlx::query_scalar("SELECT seq FROM audit_log WHERE outcome = 'denied' LIMIT 1")
            .fetch_one(app.db())
            .await
            .unwrap();
    sqlx::query("UPDATE audit_log SET outcome = 'ok' WHERE seq = ?")
        .bind(bad_seq)
        .execute(app.db())
        .await
        .unwrap();
    let verify = app.get_as(&admin, "/api/v1/audit/verify").await.json();
    assert_eq!(verify["intact"], false);
    assert_eq!(verify["first_bad_seq"], bad_seq);

    // The command-line check says the same and exits non-zero.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--database")
        .arg(app.dir.path().join("test.sqlite3"))
        .arg("verify-audit")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains(&format!("entry {bad_seq}")), "{stdout}");
}

#[tokio::test]
async fn the_verify_command_passes_an_intact_log() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    app.person(&city, "見本").await;
    let _ = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "login_id": "x.y", "password": "nope nope nope" }),
        )
        .await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--database")
        .arg(app.dir.path().join("test.sqlite3"))
        .arg("verify-audit")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.starts_with("audit log intact"), "{stdout}");
}
