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
    let person = app.person(&city, "監査対象").await;
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
        !page.text.contains("監査対象"),
        "the audit log holds ids, not the names of the people it is about"
    );

    // Entries with no checkpoint outside the database yet: nothing vouches for the newest.
    let verify = app.get_as(&admin, "/api/v1/audit/verify").await.json();
    assert_eq!(verify["intact"], false, "{verify}");
    assert_eq!(verify["unanchored"], true);
    app.checkpoint().await;
    let verify = app.get_as(&admin, "/api/v1/audit/verify").await.json();
    assert_eq!(verify["intact"], true, "{verify}");

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
    support::backend::drop_trigger(app.db(), "audit_log_no_update", "audit_log").await;
    let bad_seq: i64 =
        sqlx::query_scalar("SELECT seq FROM audit_log WHERE outcome = 'denied' LIMIT 1")
            .fetch_one(app.db())
            .await
            .unwrap();
    sqlx::query("UPDATE audit_log SET outcome = 'ok' WHERE seq = $1")
        .bind(bad_seq)
        .execute(app.db())
        .await
        .unwrap();
    let verify = app.get_as(&admin, "/api/v1/audit/verify").await.json();
    assert_eq!(verify["intact"], false);
    assert_eq!(verify["first_bad_seq"], bad_seq);

    // The command-line check says the same and exits non-zero.
    let (code, stdout) = app.verify_audit_command();
    assert_eq!(code, Some(2), "{stdout}");
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
    app.checkpoint().await;
    let (code, stdout) = app.verify_audit_command();
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.starts_with("audit log intact"), "{stdout}");
}

/// What the chain alone says (the check a database writer can fool).
async fn chain_alone_is_intact(app: &TestApp) -> bool {
    renkei_server::audit::verify(app.db())
        .await
        .unwrap()
        .first_bad_seq
        .is_none()
}

/// Some activity, anchored; then the guards against DELETE and UPDATE are dropped, as
/// someone with the database file would.
async fn anchored_log_with_guards_removed(app: &TestApp) -> i64 {
    let city = app.login(CITY).await;
    for name in ["一", "二", "三"] {
        app.person(&city, name).await;
    }
    app.checkpoint().await;
    for trigger in ["audit_log_no_update", "audit_log_no_delete"] {
        support::backend::drop_trigger(app.db(), trigger, "audit_log").await;
    }
    sqlx::query_scalar("SELECT MAX(seq) FROM audit_log")
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn cutting_off_the_newest_entries_is_found() {
    let app = TestApp::new().await;
    let head = anchored_log_with_guards_removed(&app).await;
    sqlx::query("DELETE FROM audit_log WHERE seq > $1")
        .bind(head - 2)
        .execute(app.db())
        .await
        .unwrap();
    assert!(chain_alone_is_intact(&app).await, "the chain cannot see it");
    let (code, stdout) = app.verify_audit_command();
    assert_eq!(code, Some(2), "{stdout}");
    assert!(
        stdout.contains(&format!("entry {head}")) && stdout.contains("missing"),
        "{stdout}"
    );
    let admin = app.login(ADMIN).await;
    let verify = app.get_as(&admin, "/api/v1/audit/verify").await.json();
    assert_eq!(verify["intact"], false, "{verify}");
}

#[tokio::test]
async fn rewriting_an_entry_and_recomputing_the_chain_is_found() {
    use sha2::{Digest, Sha256};
    let app = TestApp::new().await;
    anchored_log_with_guards_removed(&app).await;
    // Turn a creation into something else and recompute every hash from there, exactly as the
    // server computes them (the algorithm is no secret; the checkpoints' key is).
    let target: i64 = sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE action = 'create'")
        .fetch_one(app.db())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET action = 'read' WHERE seq = $1")
        .bind(target)
        .execute(app.db())
        .await
        .unwrap();
    type Row = (
        i64,
        i64,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, at_ms, actor, device_id, action, subject_kind, subject_id, outcome, detail,
                prev_hash FROM audit_log WHERE seq >= $1 ORDER BY seq",
    )
    .bind(target)
    .fetch_all(app.db())
    .await
    .unwrap();
    let mut prev = rows[0].9.clone();
    for (seq, at_ms, actor, device, action, kind, subject, outcome, detail, _) in rows {
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update([0x1f]);
        h.update(at_ms.to_string().as_bytes());
        for part in [
            &actor,
            &device.unwrap_or_default(),
            &action,
            &kind,
            &subject.unwrap_or_default(),
            &outcome,
            &detail,
        ] {
            h.update([0x1f]);
            h.update(part.as_bytes());
        }
        let hash = hex::encode(h.finalize());
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(app.db())
            .await
            .unwrap();
        prev = hash;
    }
    assert!(
        chain_alone_is_intact(&app).await,
        "the recomputed chain verifies"
    );
    let (code, stdout) = app.verify_audit_command();
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("differs from its checkpoint"), "{stdout}");
}

#[tokio::test]
async fn a_forged_checkpoint_is_refused() {
    let app = TestApp::new().await;
    anchored_log_with_guards_removed(&app).await;
    let anchors = app.dir.path().join("test.sqlite3.audit-anchors");
    let mut text = std::fs::read_to_string(&anchors).unwrap();
    text.push_str(&format!("999999 {} {}\n", "0".repeat(64), "f".repeat(64)));
    std::fs::write(&anchors, text).unwrap();
    let (code, stdout) = app.verify_audit_command();
    assert_ne!(code, Some(0), "{stdout}");
}

#[tokio::test]
async fn the_administrator_finds_who_read_a_person_and_exports_it() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let admin = app.login(ADMIN).await;
    let person = app.person(&city, "見本").await;
    let other = app.person(&city, "別人").await;
    for _ in 0..3 {
        app.get_as(&city, &format!("/api/v1/people/{person}")).await;
    }
    app.get_as(&hw, &format!("/api/v1/people/{person}")).await; // refused
    app.get_as(&city, &format!("/api/v1/people/{other}")).await;

    // Who read this person's record: names, not ids; only this person.
    let page = app
        .get_as(
            &admin,
            &format!("/api/v1/audit?subject={person}&action=read"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let entries = page.json()["entries"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert!(entries.iter().all(|e| e["subject_id"] == person.as_str()));
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["actor_name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"見本 市職員") && names.contains(&"見本 ハローワーク職員"),
        "{names:?}"
    );
    let refused = app
        .get_as(
            &admin,
            &format!("/api/v1/audit?subject={person}&outcome=denied"),
        )
        .await
        .json();
    assert_eq!(refused["entries"].as_array().unwrap().len(), 1);

    // Pages of two, newest first, until the last.
    let mut seen = Vec::new();
    let mut before = String::new();
    loop {
        let page = app
            .get_as(
                &admin,
                &format!("/api/v1/audit?subject={person}&limit=2{before}"),
            )
            .await
            .json();
        seen.extend(
            page["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["seq"].as_i64().unwrap()),
        );
        match page["next_before"].as_i64() {
            Some(next) => before = format!("&before={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "create + 4 reads: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats"
    );

    // Dates in 和暦 or western form; a wrong date is named.
    let today =
        app::domain::date::CivilDate::in_japan_from_unix_millis(renkei_server::store::now_ms());
    let by_date = app
        .get_as(
            &admin,
            &format!("/api/v1/audit?subject={person}&from={today}&to={today}"),
        )
        .await
        .json();
    assert_eq!(by_date["entries"].as_array().unwrap().len(), 5);
    let tomorrow = today.add_days(1);
    let none = app
        .get_as(
            &admin,
            &format!("/api/v1/audit?subject={person}&from={tomorrow}"),
        )
        .await
        .json();
    assert!(none["entries"].as_array().unwrap().is_empty());
    let bad = app.get_as(&admin, "/api/v1/audit?from=2026-02-30").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "from");
    let far = app.get_as(&admin, "/api/v1/audit?to=9999-12-31").await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", far.text);
    assert_eq!(far.json()["error"]["fields"][0]["field"], "to");

    // The same view as CSV, labelled in Japanese, with a BOM for spreadsheets.
    let csv = app
        .get_as(
            &admin,
            &format!("/api/v1/audit/export?subject={person}&action=read"),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.text.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines.len(), 5, "a heading and four reads: {lines:?}");
    assert!(
        lines[1].contains("閲覧") && lines[1].contains("相談者"),
        "{}",
        lines[1]
    );
    assert!(
        csv.text.contains("拒否") || csv.text.contains("denied"),
        "{}",
        csv.text
    );
    // Other organisations' staff cannot have it.
    assert_eq!(
        app.get_as(&city, "/api/v1/audit/export").await.status,
        StatusCode::FORBIDDEN
    );
}

/// A pull page is one audit entry naming the records it sent (a full pull of thousands of
/// records wrote one row each): the administrator still finds who received a person by sync,
/// and an edited list is found by the check.
#[tokio::test]
async fn a_pull_page_is_one_entry_that_still_answers_who_received_a_person() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let people: Vec<String> =
        futures::future::join_all(["一", "二", "三", "四", "五"].map(|n| app.person(&city, n)))
            .await;
    let before: i64 = app.count("audit_log").await;
    let mut after = 0;
    let mut pages = 0;
    loop {
        let page = app
            .get_as(
                &city,
                &format!("/api/v1/sync/pull?protocol=1&after={after}&limit=2"),
            )
            .await
            .json();
        if page["records"].as_array().unwrap().is_empty() {
            break;
        }
        pages += 1;
        after = page["cursor"].as_u64().unwrap();
    }
    assert!(pages >= 3, "{pages}");
    assert_eq!(
        app.count("audit_log").await - before,
        pages,
        "one entry per page"
    );
    assert_eq!(app.count("audit_reads").await, people.len() as i64);
    for person in &people {
        let found = app
            .get_as(
                &admin,
                &format!("/api/v1/audit?subject={person}&action=sync_pull"),
            )
            .await
            .json();
        let entries = found["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{found}");
        assert!(
            entries[0]["detail"]
                .as_str()
                .unwrap()
                .starts_with("records=")
        );
        // Shown as being about the person looked for.
        assert_eq!(entries[0]["subject_id"], person.as_str(), "{found}");
    }
    assert!(chain_alone_is_intact(&app).await);

    // Someone with the database file removes a person from a page's list: the check finds it.
    support::backend::drop_trigger(app.db(), "audit_reads_no_delete", "audit_reads").await;
    sqlx::query("DELETE FROM audit_reads WHERE subject_id = $1")
        .bind(&people[0])
        .execute(app.db())
        .await
        .unwrap();
    assert!(
        !chain_alone_is_intact(&app).await,
        "an edited list of reads"
    );
}
