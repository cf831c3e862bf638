//! Exports at the counter: the caseload as a spreadsheet file (what the caller may see, in
//! 和暦 or ISO dates) and the disclosure document (本人開示) of everything held about a person,
//! made by the organisation that holds the case — each one in the audit log.

mod support;

use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use support::{CITY, HELLO_WORK, TestApp, Who, new_id, stamp, today};

const JA_HEADER: &str = "id,氏名,フリガナ,生年月日,区分,担当機関,同意,同意書番号";

/// Records the person's signed consent to share (by the owning organisation).
async fn consent(app: &TestApp, who: &Who, person: &str) {
    let reply = app
        .post_as(
            who,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "signed_form", "document_no": "R8-077", "granted_on": "2026-04-01" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}

/// The caseload file as `who`: the whole reply, checked to be a CSV attachment.
async fn caseload(app: &TestApp, who: &Who, query: &str) -> String {
    let reply = app
        .get_as(who, &format!("/api/v1/people/export.csv{query}"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.content_type, "text/csv; charset=utf-8");
    let disposition = reply.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"caseload-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    reply.text
}

/// The row of `person` in a caseload file, if it is there.
fn row_of<'a>(csv: &'a str, person: &str) -> Option<&'a str> {
    csv.lines().find(|line| line.starts_with(person))
}

async fn count_where(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_caseload_file_opens_in_a_spreadsheet_with_wareki_or_iso_dates() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    // Born 平成3年4月12日 (1991-04-12).
    let person = app.person(&city, "輸出").await;

    let csv = caseload(&app, &city, "").await;
    assert_eq!(
        &csv.as_bytes()[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte-order mark"
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0].trim_start_matches('\u{feff}'), JA_HEADER);
    let row = row_of(&csv, &person).expect("the city's person is in the city's caseload");
    assert!(row.contains("輸出 花子"), "{row}");
    assert!(row.contains("平成3年"), "和暦 by default: {row}");
    assert!(!row.contains("1991-04-12"), "{row}");
    assert!(row.contains("なし"), "no consent yet: {row}");

    let iso = caseload(&app, &city, "?dates=iso").await;
    let row = row_of(&iso, &person).unwrap();
    assert!(row.contains("1991-04-12"), "{row}");
    assert!(!row.contains("平成"), "{row}");

    let english = caseload(&app, &city, "?dates=iso&lang=en").await;
    assert!(
        english.lines().next().unwrap().contains("Date of birth"),
        "{english}"
    );

    // Without consent Hello Work's file does not hold the city's person; with it, it does.
    let theirs = caseload(&app, &hw, "").await;
    assert!(row_of(&theirs, &person).is_none(), "{theirs}");
    assert!(!theirs.contains("輸出"), "{theirs}");
    consent(&app, &city, &person).await;
    let theirs = caseload(&app, &hw, "").await;
    let row = row_of(&theirs, &person).expect("shared with consent");
    assert!(
        row.contains("あり") && row.contains("R8-077"),
        "the consent and its form number: {row}"
    );

    // Each file is one export entry in the audit log.
    let exports =
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND subject_kind = 'caseload'";
    assert_eq!(count_where(&app, exports).await, 5);

    // An unknown date form is refused, naming the parameter; nothing is exported.
    let bad = app
        .get_as(&city, "/api/v1/people/export.csv?dates=xyz")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "dates");
    assert_eq!(count_where(&app, exports).await, 5);
}

/// A case note written on the counter's device and pushed.
fn note(id: &str, person: &str, body: &str) -> Value {
    let s = stamp(1_780_000_000_000, 7);
    let w = |field: &str, value: Value| json!({ "field": field, "value": value, "stamp": s, "base": null });
    json!({ "seq": 1, "kind": "note", "id": id, "op": { "type": "put", "fields": [
        w("person_id", json!(person)), w("body", json!(body)), w("written_on", json!(today())),
        w("note_type", json!("interview")), w("organisation", json!("city")), w("author", json!("見本 市職員")),
    ]}})
}

#[tokio::test]
async fn a_disclosure_holds_the_person_their_records_and_who_saw_them() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "開示").await;
    let note_id = new_id();
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![note(&note_id, &person, "面談。履歴書の書き方を確認。")],
        )
        .await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");

    let reply = app
        .get_as(&city, &format!("/api/v1/people/{person}/disclosure"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(reply.content_type.starts_with("application/json"));
    assert_eq!(
        reply.headers[header::CONTENT_DISPOSITION].to_str().unwrap(),
        format!("attachment; filename=\"disclosure-{person}.json\"")
    );
    let doc = reply.json();
    assert_eq!(doc["person"]["id"], person.as_str());
    assert_eq!(doc["person"]["family_name"], "開示");
    let records = doc["records"].as_array().unwrap();
    let written = records
        .iter()
        .find(|r| r["id"] == note_id.as_str())
        .unwrap_or_else(|| panic!("the note is disclosed: {doc:#}"));
    assert_eq!(written["kind"], "note");
    assert_eq!(written["deleted"], false);
    assert_eq!(written["fields"]["body"], "面談。履歴書の書き方を確認。");
    assert!(
        records
            .iter()
            .any(|r| r["kind"] == "person" && r["id"] == person.as_str()),
        "the intake record: {doc:#}"
    );
    let audit = doc["audit"].as_array().unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e["action"] == "disclosure" && e["actor_name"] == "見本 市職員"),
        "the document lists its own making: {doc:#}"
    );
    assert!(
        audit.iter().any(|e| e["action"] == "create"),
        "and the registration: {doc:#}"
    );

    // Hello Work does not hold the case: for it the person does not exist here, even with
    // consent to share — and the attempt is in the log.
    let path = format!("/api/v1/people/{person}/disclosure");
    assert_eq!(app.get_as(&hw, &path).await.status, StatusCode::NOT_FOUND);
    consent(&app, &city, &person).await;
    assert_eq!(app.get_as(&hw, &path).await.status, StatusCode::NOT_FOUND);
    let refused =
        "SELECT COUNT(*) FROM audit_log WHERE action = 'disclosure' AND outcome = 'denied'";
    assert_eq!(count_where(&app, refused).await, 2);
    // Nobody by that id.
    let nobody = format!("/api/v1/people/{}/disclosure", new_id());
    assert_eq!(
        app.get_as(&city, &nobody).await.status,
        StatusCode::NOT_FOUND
    );
}
