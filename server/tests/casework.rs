//! Casework at the counter by both organisations: who may change what on the other's case, and
//! the case entries (notes, referrals, placements, follow-ups) — synced, consent-scoped, with
//! rules named in the person's language.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{
    CITY, HELLO_WORK, TestApp, Who, edit, entry, follow_up, hello_work_note, new_id, placement,
    referral, stamp,
};

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
                hello_work_note(3, &new_id(), &person),
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
                        ("author", json!("見本 市職員")),
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

#[tokio::test]
async fn entries_name_their_real_author_follow_ups_come_once_and_a_writers_copy_is_taken_back() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "窓口").await;
    let consent_id = consent(&app, &city, &person).await;
    let (referral_id, placement_id) = (new_id(), new_id());
    let hw_replica = new_id();
    // Hello Work writes into the city's case and never pulls afterwards.
    let forged = entry(
        3,
        "note",
        &new_id(),
        &[
            ("person_id", json!(person)),
            ("body", json!("面談。")),
            ("written_on", json!("2026-11-20")),
            ("note_type", json!("interview")),
            ("organisation", json!("hello_work")),
            ("author", json!("見本 市職員")),
        ],
    );
    let answer = app
        .sync_push(
            &hw,
            &hw_replica,
            vec![
                referral(1, &referral_id, &person, "hello_work", "hired"),
                placement(2, &placement_id, &person, &referral_id),
                forged,
            ],
        )
        .await;
    assert_eq!(status(&answer, 1), "applied", "{answer}");
    assert_eq!(
        status(&answer, 2),
        "rejected",
        "someone else's name: {answer}"
    );
    assert!(
        answer["results"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("担当者名")
    );
    // The city's follow-up: once per placement and month, not before the start.
    let mut early = follow_up(1, &new_id(), &person, &placement_id);
    early["op"]["fields"][5]["value"] = json!("2026-11-19");
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![
                early,
                follow_up(2, &new_id(), &person, &placement_id),
                follow_up(3, &new_id(), &person, &placement_id),
            ],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    assert_eq!(
        answer["results"][0]["fields"][0]["field"], "done_on",
        "{answer}"
    );
    assert_eq!(status(&answer, 1), "applied", "{answer}");
    assert_eq!(status(&answer, 2), "rejected", "{answer}");
    assert!(
        answer["results"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("すでに記録")
    );
    // Withdrawn before Hello Work's device pulled: what it wrote is taken back all the same.
    let reply = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents/{consent_id}/withdraw"),
            &json!({ "withdrawn_on": support::today(), "reason": "本人の申し出" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let pulled = app.pull_all(&hw, 500).await;
    for id in [&referral_id, &placement_id] {
        let stub = pulled
            .iter()
            .find(|r| r["id"] == id.as_str())
            .expect("a stub");
        assert_eq!(stub["removed"], true, "{stub}");
    }
    // Deleting what is deleted changes nothing (and is not the city's to do anyway).
    let gone = json!({ "seq": 1, "kind": "referral", "id": referral_id, "op": { "type": "delete", "stamp": stamp(1_900_000_000_000, 9) } });
    let answer = app.sync_push(&city, &new_id(), vec![gone]).await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
}

#[tokio::test]
async fn a_plan_changes_by_new_versions_and_an_assessment_only_by_its_writer() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "窓口").await;
    consent(&app, &city, &person).await;
    let (plan_v1, assessment) = (new_id(), new_id());
    let plan = |seq: u64, id: &str, version: u64, plan_b: &str| {
        entry(
            seq,
            "plan",
            id,
            &[
                ("person_id", json!(person)),
                ("organisation", json!("city")),
                ("author", json!("見本 市職員")),
                ("version", json!(version)),
                ("made_on", json!("2026-11-06")),
                ("goal", json!("夜勤のない仕事で生活を安定させる")),
                ("plan_a", json!("看護助手（資格不要）")),
                ("plan_b", json!(plan_b)),
                ("following", json!("a")),
                (
                    "steps",
                    json!([{ "text": "一時保育の調整", "owner": "city", "due_on": "2026-11-15" }]),
                ),
            ],
        )
    };
    let city_replica = new_id();
    let answer = app
        .sync_push(
            &city,
            &city_replica,
            vec![
                plan(1, &plan_v1, 1, "ホームヘルパー2級の職業訓練"),
                entry(
                    2,
                    "assessment",
                    &assessment,
                    &[
                        ("person_id", json!(person)),
                        ("organisation", json!("city")),
                        ("author", json!("見本 市職員")),
                        ("assessed_on", json!("2026-11-05")),
                        ("challenges", json!("childcare,other")),
                        ("no_night_shift", json!(true)),
                    ],
                ),
            ],
        )
        .await;
    assert_eq!(
        [status(&answer, 0), status(&answer, 1)],
        ["applied", "applied"],
        "{answer}"
    );
    // Rewriting a version is refused with the reason; a new version is the way.
    let answer = app
        .sync_push(
            &city,
            &city_replica,
            vec![
                json!({ "seq": 3, "kind": "plan", "id": plan_v1, "op": { "type": "put", "fields": [
                    { "field": "plan_b", "value": "書換", "stamp": stamp(1_900_000_000_000, 3), "base": null }
                ]}}),
                plan(4, &new_id(), 2, "職業訓練（4月開講）"),
            ],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    assert!(
        answer["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("新しい版"),
        "{answer}"
    );
    assert_eq!(status(&answer, 1), "applied", "{answer}");
    // A second "version 2" (made on another device meanwhile) is refused, naming the number.
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![plan(1, &new_id(), 2, "別の端末の案")],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    assert!(
        answer["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("第3版"),
        "{answer}"
    );
    // Hello Work sees both, and cannot change the city's assessment.
    let pulled = app.pull_all(&hw, 500).await;
    let plans = pulled.iter().filter(|r| r["kind"] == "plan").count();
    assert_eq!(plans, 2);
    let answer = app
        .sync_push(
            &hw,
            &new_id(),
            vec![json!({ "seq": 1, "kind": "assessment", "id": assessment, "op": { "type": "put", "fields": [
                { "field": "no_night_shift", "value": false, "stamp": stamp(1_900_000_000_000, 4), "base": null }
            ]}})],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    assert!(
        answer["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("書いた市だけ"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_story_naming_the_person_is_refused_and_only_a_manager_approves_it() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let manager = app.login(support::MANAGER).await;
    let person = app.person(&city, "窓口").await;
    let story_id = new_id();
    let story = |seq: u64, challenges: &str| {
        entry(
            seq,
            "story",
            &story_id,
            &[
                ("person_id", json!(person)),
                ("organisation", json!("city")),
                ("author", json!("見本 市職員")),
                ("drafted_on", json!("2026-11-29")),
                ("sex", json!("female")),
                ("age_band", json!("30")),
                ("household", json!("子ども2人（13歳・3歳）")),
                ("challenges", json!(challenges)),
                (
                    "support",
                    json!("プランA: 看護助手。プランB: ホームヘルパー2級の訓練。"),
                ),
                ("result", json!("正社員の看護助手として採用（夜勤免除）。")),
            ],
        )
    };
    let replica = new_id();
    // The person registered by `app.person` reads ミホン ハナコ: in half-width it is still found.
    let answer = app
        .sync_push(
            &city,
            &replica,
            vec![story(1, "ﾐﾎﾝさんは保育先がなく就職活動が難しい。")],
        )
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    let field = &answer["results"][0]["fields"][0];
    assert_eq!(field["field"], "challenges", "{answer}");
    assert_eq!(field["code"], "identifying", "{answer}");
    let answer = app
        .sync_push(
            &city,
            &replica,
            vec![story(2, "子育て中で保育先がなく、就職活動が難しい。")],
        )
        .await;
    assert_eq!(status(&answer, 0), "applied", "{answer}");
    let approve = |seq: u64, by: &str| {
        json!({ "seq": seq, "kind": "story", "id": story_id, "op": { "type": "put", "fields": [
            { "field": "approved_on", "value": support::today(), "stamp": stamp(1_900_000_000_000 + seq, 5), "base": null },
            { "field": "approved_by", "value": by, "stamp": stamp(1_900_000_000_000 + seq, 5), "base": null },
        ]}})
    };
    let answer = app
        .sync_push(&city, &replica, vec![approve(3, "見本 市職員")])
        .await;
    assert_eq!(
        status(&answer, 0),
        "rejected",
        "a clerk does not approve: {answer}"
    );
    let manager_replica = new_id();
    let answer = app
        .sync_push(&manager, &manager_replica, vec![approve(1, "見本 市職員")])
        .await;
    assert_eq!(
        status(&answer, 0),
        "rejected",
        "in someone else's name: {answer}"
    );
    let answer = app
        .sync_push(&manager, &manager_replica, vec![approve(2, "見本 管理職")])
        .await;
    assert_eq!(status(&answer, 0), "applied", "{answer}");
    // A clerk cannot take the approval back to rewrite it, nor delete it.
    let undo = json!({ "seq": 4, "kind": "story", "id": story_id, "op": { "type": "put", "fields": [
        { "field": "approved_on", "value": "", "stamp": stamp(1_900_000_000_100, 5), "base": null },
        { "field": "result", "value": "書き換え", "stamp": stamp(1_900_000_000_100, 5), "base": null },
    ]}});
    let gone = json!({ "seq": 5, "kind": "story", "id": story_id, "op": { "type": "delete", "stamp": stamp(1_900_000_000_200, 5) } });
    let answer = app.sync_push(&city, &replica, vec![undo, gone]).await;
    assert_eq!(
        [status(&answer, 0), status(&answer, 1)],
        ["rejected", "rejected"],
        "{answer}"
    );
    // Approved, it is the manager's to change.
    let answer = app
        .sync_push(&city, &replica, vec![story(6, "書き換え")])
        .await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
}

#[tokio::test]
async fn a_fair_tablet_neither_writes_nor_receives_case_entries() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(support::ADMIN).await;
    let person = app.person(&city, "窓口").await;
    let note = |seq: u64| {
        entry(
            seq,
            "note",
            &new_id(),
            &[
                ("person_id", json!(person)),
                ("body", json!("面談。")),
                ("written_on", json!("2026-11-20")),
                ("note_type", json!("interview")),
                ("organisation", json!("city")),
                ("author", json!("見本 市職員")),
            ],
        )
    };
    let answer = app.sync_push(&city, &new_id(), vec![note(1)]).await;
    assert_eq!(status(&answer, 0), "applied", "{answer}");
    let fair = app.event(&city, "合同面接会").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let answer = app.sync_push(&tablet, &new_id(), vec![note(1)]).await;
    assert_eq!(status(&answer, 0), "rejected", "{answer}");
    let pulled = app.pull_all(&tablet, 500).await;
    assert!(
        pulled
            .iter()
            .all(|r| r["kind"] != "note" && r["kind"] != "person"),
        "{pulled:?}"
    );
}
