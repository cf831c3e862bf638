//! Casework at the counter by both organisations: who may change what on the other's case, and
//! the case entries (notes, referrals, placements, follow-ups) — synced, consent-scoped, with
//! rules named in the person's language.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{CITY, HELLO_WORK, TestApp, Who, edit, new_id, stamp};

/// Records the person's consent to share (by the owning organisation).
async fn consent(app: &TestApp, who: &Who, person: &str) -> String {
    let reply = app
        .post_as(
            who,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "signed_form", "document_no": "R8-001", "granted_on": "2026-11-01" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.json()["consents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A case entry created on a device: every field written with one stamp.
pub fn entry(seq: u64, kind: &str, id: &str, fields: &[(&str, Value)]) -> Value {
    let s = stamp(1_780_000_000_000 + seq, 7);
    let writes: Vec<Value> = fields
        .iter()
        .map(|(f, v)| json!({ "field": f, "value": v, "stamp": s, "base": null }))
        .collect();
    json!({ "seq": seq, "kind": kind, "id": id, "op": { "type": "put", "fields": writes } })
}

fn status(answer: &Value, i: usize) -> &str {
    answer["results"][i]["status"].as_str().unwrap()
}

async fn family_name(app: &TestApp, who: &Who, person: &str) -> String {
    let reply = app.get_as(who, &format!("/api/v1/people/{person}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()["family_name"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_other_organisation_adds_entries_to_a_shared_case_but_does_not_rewrite_its_intake() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "窓口").await;
    consent(&app, &city, &person).await;
    let replica = new_id();
    let later = stamp(1_900_000_000_000, 9);
    // Hello Work sees the case (consent) and tries to change the city's intake and delete it.
    let answer = app
        .sync_push(
            &hw,
            &replica,
            vec![
                edit(1, &person, "family_name", "書換", later.clone(), json!(null)),
                json!({ "seq": 2, "kind": "person", "id": person, "op": { "type": "delete", "stamp": later } }),
                entry(
                    3,
                    "note",
                    &new_id(),
                    &[
                        ("person_id", json!(person)),
                        ("body", json!("職業相談。求人票を2件紹介。")),
                        ("written_on", json!("2026-11-20")),
                        ("note_type", json!("job_consultation")),
                        ("organisation", json!("hello_work")),
                        ("author", json!("見本 次郎")),
                        ("job_role", json!("counsellor")),
                    ],
                ),
            ],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    assert!(
        answer["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("ケースを持つ市だけ"),
        "the refusal names who may change it: {answer}"
    );
    assert_eq!(status(&answer, 1), "rejected", "{answer}");
    assert_eq!(
        status(&answer, 2),
        "applied",
        "adding a note is allowed: {answer}"
    );
    assert_eq!(family_name(&app, &city, &person).await, "窓口");
    // The owner changes its own intake.
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![edit(1, &person, "family_name", "窓辺", later, json!(null))],
        )
        .await;
    assert_eq!(status(&answer, 0), "applied", "{answer}");
    assert_eq!(family_name(&app, &hw, &person).await, "窓辺");
}

fn referral(seq: u64, id: &str, person: &str, org: &str, result: &str) -> Value {
    entry(
        seq,
        "referral",
        id,
        &[
            ("person_id", json!(person)),
            ("organisation", json!(org)),
            ("author", json!("見本 次郎")),
            ("referred_on", json!("令和8年11月10日")),
            ("employer", json!("市立みなと病院")),
            ("job_title", json!("看護助手")),
            ("job_no", json!("13010-12345678")),
            ("result", json!(result)),
        ],
    )
}

fn placement(seq: u64, id: &str, person: &str, referral: &str) -> Value {
    entry(
        seq,
        "placement",
        id,
        &[
            ("person_id", json!(person)),
            ("organisation", json!("hello_work")),
            ("author", json!("見本 次郎")),
            ("placed_on", json!("2026-11-20")),
            ("employer", json!("市立みなと病院")),
            ("job_title", json!("看護助手")),
            ("employment_type", json!("regular")),
            ("route", json!("referral")),
            ("referral_id", json!(referral)),
            ("credited_org", json!("hello_work")),
            ("credited_staff", json!("見本 次郎")),
            ("conditions", json!("夜勤免除・院内保育あり")),
        ],
    )
}

fn follow_up(seq: u64, id: &str, person: &str, placement: &str) -> Value {
    entry(
        seq,
        "follow_up",
        id,
        &[
            ("person_id", json!(person)),
            ("organisation", json!("city")),
            ("author", json!("見本 太郎")),
            ("placement_id", json!(placement)),
            ("months", json!("1")),
            ("done_on", json!("2026-11-28")),
            ("result", json!("working")),
        ],
    )
}

async fn count_where(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn referrals_placements_and_follow_ups_belong_to_the_case_and_their_writer() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "窓口").await;
    let (referral_id, placement_id, follow_up_id) = (new_id(), new_id(), new_id());
    // Without consent Hello Work does not see the case: nothing can be added to it.
    let answer = app
        .sync_push(
            &hw,
            &new_id(),
            vec![referral(1, &referral_id, &person, "hello_work", "pending")],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    let consent_id = consent(&app, &city, &person).await;
    let hw_replica = new_id();
    let answer = app
        .sync_push(
            &hw,
            &hw_replica,
            vec![
                referral(1, &referral_id, &person, "hello_work", "hired"),
                placement(2, &placement_id, &person, &referral_id),
                // A placement naming a referral that is not this person's.
                placement(3, &new_id(), &person, &new_id()),
            ],
        )
        .await;
    assert_eq!(
        [status(&answer, 0), status(&answer, 1), status(&answer, 2)],
        ["applied", "applied", "rejected"],
        "{answer}"
    );
    // The city writes a note in Hello Work's name, or records a referral (職業紹介 is Hello
    // Work's): both refused, each saying why.
    let city_replica = new_id();
    let answer = app
        .sync_push(
            &city,
            &city_replica,
            vec![
                entry(
                    1,
                    "note",
                    &new_id(),
                    &[
                        ("person_id", json!(person)),
                        ("body", json!("保育園の一時保育を週4日で調整。")),
                        ("written_on", json!("2026-11-21")),
                        ("note_type", json!("childcare")),
                        ("organisation", json!("hello_work")),
                        ("author", json!("見本 太郎")),
                    ],
                ),
                referral(2, &new_id(), &person, "city", "pending"),
                follow_up(3, &follow_up_id, &person, &placement_id),
                follow_up(4, &new_id(), &person, &new_id()),
                json!({ "seq": 5, "kind": "placement", "id": placement_id, "op": { "type": "put", "fields": [
                    { "field": "employer", "value": "別の病院", "stamp": stamp(1_900_000_000_000, 3), "base": null }
                ]}}),
            ],
        )
        .await;
    let results = &answer["results"];
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    assert!(
        results[0]["reason"]
            .as_str()
            .unwrap()
            .contains("自分の所属機関")
    );
    assert_eq!(status(&answer, 1), "rejected", "{answer}");
    assert!(
        results[1]["reason"]
            .as_str()
            .unwrap()
            .contains("ハローワークの職員が記録"),
        "{answer}"
    );
    assert_eq!(
        status(&answer, 2),
        "applied",
        "the city follows up Hello Work's placement: {answer}"
    );
    assert_eq!(status(&answer, 3), "rejected", "{answer}");
    assert_eq!(status(&answer, 4), "rejected", "{answer}");
    assert!(
        results[4]["reason"]
            .as_str()
            .unwrap()
            .contains("書いたハローワークだけ"),
        "{answer}"
    );
    // The read tables hold what the reports count.
    assert_eq!(
        count_where(&app, "SELECT COUNT(*) FROM placements WHERE route = 'referral' AND employment_type = 'regular' AND deleted_at_ms IS NULL").await,
        1
    );
    assert_eq!(
        count_where(
            &app,
            "SELECT COUNT(*) FROM referrals WHERE result = 'hired'"
        )
        .await,
        1
    );
    assert_eq!(
        count_where(&app, "SELECT COUNT(*) FROM follow_ups WHERE months = 1").await,
        1
    );
    // Hello Work receives the whole case while consent lasts …
    let kinds_seen = |records: &[Value]| -> Vec<(String, bool)> {
        let mut k: Vec<(String, bool)> = records
            .iter()
            .filter(|r| {
                r["id"] == person
                    || r["state"]["fields"]["person_id"]["value"] == person
                    || r["removed"] == true
            })
            .map(|r| (r["kind"].as_str().unwrap().to_owned(), r["removed"] == true))
            .collect();
        k.sort();
        k
    };
    let before = app.pull_all(&hw, 500).await;
    assert_eq!(
        kinds_seen(&before),
        [
            ("follow_up".to_owned(), false),
            ("person".to_owned(), false),
            ("placement".to_owned(), false),
            ("referral".to_owned(), false),
        ]
    );
    // … and after withdrawal it is taken back, entries included; nothing more can be added.
    let reply = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents/{consent_id}/withdraw"),
            &json!({ "withdrawn_on": "2026-11-28", "reason": "本人の申し出（電話）" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let after = app.pull_all(&hw, 500).await;
    let removed: Vec<(String, bool)> = kinds_seen(&after).into_iter().filter(|(_, r)| *r).collect();
    assert_eq!(removed.len(), 4, "{removed:?}");
    let answer = app
        .sync_push(
            &hw,
            &hw_replica,
            vec![referral(3, &new_id(), &person, "hello_work", "pending")],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
}
