//! Merging duplicate intakes at the counter: the organisation holding both records merges one
//! into the other with a reason; nothing is deleted, every device learns it, it is audited under
//! both people, and it can be undone. Devices cannot write the merge themselves.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{CITY, HELLO_WORK, TestApp, Who, new_id, stamp};

async fn person(app: &TestApp, who: &Who, family: &str) -> String {
    let reply = app
        .post_as(
            who,
            "/api/v1/people",
            &json!({ "family_name": family, "given_name": "花子", "family_name_kana": "みほん",
                     "given_name_kana": "はなこ", "birth_date": "1990-04-01", "category": "single_mothers" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

async fn merged_into(app: &TestApp, who: &Who, id: &str) -> Value {
    let records = app.pull_all(who, 100).await;
    let record = records.iter().find(|r| r["id"] == id).expect("pulled");
    record["state"]["fields"]["merged_into"]["value"].clone()
}

#[tokio::test]
async fn a_duplicate_is_merged_by_the_holding_organisation_and_the_merge_is_undone() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let (keep, dup) = (
        person(&app, &city, "見本").await,
        person(&app, &city, "見夲").await,
    );
    for id in [&keep, &dup] {
        app.post_as(
            &city,
            &format!("/api/v1/people/{id}/consents"),
            &json!({ "method": "verbal", "granted_on": "2026-04-01" }),
        )
        .await;
    }
    let merge = |who, dup: String, into: String, reason: &'static str| {
        let app = &app;
        async move {
            app.post_as(
                who,
                &format!("/api/v1/people/{dup}/merge"),
                &json!({ "into": into, "reason": reason }),
            )
            .await
        }
    };
    // Hello Work sees both (consent) but does not hold them: not there to merge.
    let reply = merge(&hw, dup.clone(), keep.clone(), "同一人物").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text);
    // A reason is required, and a record is not merged into itself.
    let reply = merge(&city, dup.clone(), keep.clone(), "").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json()["error"]["fields"][0]["field"],
        "reason",
        "{}",
        reply.text
    );
    let reply = merge(&city, dup.clone(), dup.clone(), "同一人物").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"]["fields"][0]["code"], "cannot_merge");

    let reply = merge(&city, dup.clone(), keep.clone(), "生年月日と電話番号が一致").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.json()["id"], keep.as_str());
    // Every device learns it through the engine; the duplicate keeps its own fields.
    assert_eq!(merged_into(&app, &city, &dup).await, keep.as_str());
    assert_eq!(merged_into(&app, &hw, &dup).await, keep.as_str());
    let shown = app.get_as(&city, &format!("/api/v1/people/{dup}")).await;
    assert_eq!(shown.json()["family_name"], "見夲");
    // Neither a second merge of it, nor a merge of the survivor into it, nor into a merged one.
    let third = person(&app, &city, "三人目").await;
    for (d, into, field) in [
        (dup.clone(), third.clone(), "merged_into"),
        (keep.clone(), dup.clone(), "into"),
        (third.clone(), dup.clone(), "into"),
    ] {
        let reply = merge(&city, d, into, "同一人物").await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text
        );
        assert_eq!(
            reply.json()["error"]["fields"][0]["field"],
            field,
            "{}",
            reply.text
        );
    }
    // A device cannot write the merge itself.
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![json!({ "seq": 1, "kind": "person", "id": third, "op": { "type": "put", "fields": [
                { "field": "merged_into", "value": keep, "stamp": stamp(1_900_000_000_000, 9), "base": null }
            ]}})],
        )
        .await;
    assert_eq!(answer["results"][0]["status"], "rejected", "{answer}");

    // Audited under both people, with the reason.
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT subject_id, detail FROM audit_log WHERE action = 'person_merge' ORDER BY seq",
    )
    .fetch_all(app.db())
    .await
    .unwrap();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert!(
        audited
            .iter()
            .any(|(s, d)| *s == dup && d.contains("生年月日と電話番号が一致"))
    );
    assert!(audited.iter().any(|(s, d)| *s == keep && d.contains(&dup)));

    // Undone: its own record again; undoing twice is refused.
    let undo = app
        .post_as(&city, &format!("/api/v1/people/{dup}/unmerge"), &json!({}))
        .await;
    assert_eq!(undo.status, StatusCode::OK, "{}", undo.text);
    assert_eq!(merged_into(&app, &city, &dup).await, "");
    let again = app
        .post_as(&city, &format!("/api/v1/people/{dup}/unmerge"), &json!({}))
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    // And it can be merged again (the other way round, even).
    let reply = merge(&city, keep.clone(), dup.clone(), "やはり同一人物").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}
