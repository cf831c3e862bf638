//! One write path: every registration, check-in, interview and staff decision goes through the
//! sync engine (the server's own writes too), so what the fair's tablets receive equals what
//! the counter counts. Each test failed before: demo registrations and REST registrations were
//! rows the tablets never received, and a merge left tablets listing both registrations.

mod support;

use serde_json::{Value, json};
use support::{
    ADMIN, CITY, HELLO_WORK, TestApp, Who, check_in, fair_counts, new_id, tally, walk_in,
};

/// Everything a tablet (or a clerk) holds after pulling to the end: (live registrations,
/// interviews).
async fn pulled_fair_records(app: &TestApp, who: &Who) -> (Vec<Value>, Vec<Value>) {
    let mut after = 0;
    let mut records: std::collections::BTreeMap<String, Value> = Default::default();
    loop {
        let page = app
            .get_as(who, &format!("/api/v1/sync/pull?protocol=1&after={after}"))
            .await
            .json();
        for r in page["records"].as_array().unwrap() {
            records.insert(r["id"].as_str().unwrap().to_owned(), r.clone());
        }
        after = page["cursor"].as_u64().unwrap();
        if page["remaining"] == 0 {
            break;
        }
    }
    let live = |kind: &str| -> Vec<Value> {
        records
            .values()
            .filter(|r| {
                r["kind"] == kind && r["removed"] != true && r["state"]["deleted"].is_null()
            })
            .cloned()
            .collect()
    };
    // As the tablet lists them (`kinds::listed`): merged ones once, unless their root is gone.
    let registrations = live("participant");
    let ids: Vec<&Value> = registrations.iter().map(|r| &r["id"]).collect();
    let listed = registrations
        .iter()
        .filter(|r| {
            let root = &r["state"]["fields"]["merged_into"]["value"];
            root.is_null() || !ids.contains(&root)
        })
        .cloned()
        .collect();
    (listed, live("interview"))
}

#[tokio::test]
async fn the_demo_summer_fair_is_kept_as_synced_records() {
    // Its registrations and interviews are sync records, not only rows of the read tables: once
    // they were not, and a tablet enrolled for the fair showed 参加者 0. (A tablet can no
    // longer be enrolled for a fair that is over; Hello Work's pull, which held the fair, reads
    // the same records.)
    let app = TestApp::new().await;
    renkei_server::demo::load(&app.state)
        .await
        .expect("demo data");
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let fair = "01980000-0000-7000-8000-000000000001";
    let counts = fair_counts(&app, &city, fair).await;
    assert_eq!(tally(&counts).0, 31, "{counts}");
    assert_eq!(counts["hires"], 5, "{counts}");
    let (registrations, interviews) = pulled_fair_records(&app, &hw).await;
    assert_eq!(registrations.len(), 31, "the pull showed 参加者 0");
    assert_eq!(interviews.len(), 12);
    // Loading the demo data again changes nothing (no record is sent again).
    let before: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM sync_records")
        .fetch_one(app.db())
        .await
        .unwrap();
    renkei_server::demo::load(&app.state)
        .await
        .expect("demo data again");
    let after: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM sync_records")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_registration_at_the_counter_by_rest_reaches_the_tablets_and_is_flagged() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "窓口登録の面接会").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    app.sync_push(
        &tablet,
        &new_id(),
        vec![walk_in(
            1,
            &new_id(),
            &fair,
            3,
            ("窓口", "花子", "マドグチ", "ハナコ"),
            "1999-09-09",
            "",
        )],
    )
    .await;
    let id = new_id();
    let body = json!({ "id": id, "family_name": "窓口", "given_name": "花子",
        "family_name_kana": "マドグチ", "given_name_kana": "ハナコ", "birth_date": "1999-09-09" });
    let made = app
        .post_as(&city, &format!("/api/v1/events/{fair}/participants"), &body)
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    // Checked in at the counter: the same engine, so the tablet sees it.
    let checked = app
        .post_as(
            &city,
            &format!("/api/v1/events/{fair}/participants/{id}/check-in"),
            &json!({}),
        )
        .await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    let (registrations, _) = pulled_fair_records(&app, &tablet).await;
    let mine = registrations
        .iter()
        .find(|r| r["id"] == id.as_str())
        .expect("sent to the tablet");
    assert_eq!(mine["state"]["fields"]["checked_in"]["value"], true);
    let counts = fair_counts(&app, &city, &fair).await;
    assert_eq!(
        tally(&counts),
        (2, 1, 1),
        "flagged as the tablet's registration: {counts}"
    );
}

#[tokio::test]
async fn after_staff_merge_two_registrations_the_tablets_list_the_person_once() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "統合の面接会").await;
    let (tablet_a, _) = app.device(&admin, &fair).await;
    let (tablet_b, _) = app.device(&admin, &fair).await;
    let (a, b) = (new_id(), new_id());
    let same = ("統合", "次郎", "トウゴウ", "ジロウ");
    app.sync_push(
        &tablet_a,
        &new_id(),
        vec![walk_in(1, &a, &fair, 1, same, "2000-02-02", "")],
    )
    .await;
    app.sync_push(
        &tablet_b,
        &new_id(),
        vec![
            walk_in(1, &b, &fair, 2, same, "2000-02-02", ""),
            check_in(2, &b, 2, 1_780_000_100_000),
        ],
    )
    .await;
    assert_eq!(pulled_fair_records(&app, &tablet_a).await.0.len(), 2);
    let list = app
        .get_as(&hw, &format!("/api/v1/events/{fair}/duplicates"))
        .await
        .json();
    let flag = list["duplicates"][0]["id"].as_i64().expect("a flag");
    let decided = app
        .post_as(
            &hw,
            &format!("/api/v1/duplicates/{flag}/decide"),
            &json!({ "decision": "merge" }),
        )
        .await;
    assert_eq!(decided.status, 204, "{}", decided.text);
    let counts = fair_counts(&app, &city, &fair).await;
    assert_eq!(tally(&counts).0, 1, "{counts}");
    for tablet in [&tablet_a, &tablet_b] {
        let (listed, _) = pulled_fair_records(&app, tablet).await;
        assert_eq!(listed.len(), 1, "the tablets still listed both");
    }
    // The registration it was merged into is deleted (at the counter): the other stands on its own again, at
    // the counter and on the tablets alike.
    let root = json!({ "seq": 2, "kind": "participant", "id": a, "op": { "type": "delete",
        "stamp": support::stamp(1_790_000_000_001, 1) } });
    let deleted = app
        .sync_push(
            &city,
            &new_id(),
            vec![json!({ "seq": 1, "kind": "participant", "id": a, "op": root["op"] })],
        )
        .await;
    assert_eq!(deleted["results"][0]["status"], "applied", "{deleted}");
    assert_eq!(tally(&fair_counts(&app, &city, &fair).await).0, 1);
    assert_eq!(pulled_fair_records(&app, &tablet_b).await.0.len(), 1);

    // A tablet cannot undo or make a merge itself.
    let forged = json!({ "seq": 1, "kind": "participant", "id": b, "op": { "type": "put", "fields": [
        { "field": "merged_into", "value": null, "stamp": support::stamp(1_790_000_000_000, 2), "base": null }
    ]}});
    let answer = app.sync_push(&tablet_b, &new_id(), vec![forged]).await;
    assert_eq!(answer["results"][0]["status"], "rejected", "{answer}");
}

/// Rows an older version wrote straight into the read tables (a person, a registration, an
/// interview) become records at start: each passes its kind's rules as it is, the counter's
/// staff and the fair's tablet pull them, and adopting again adopts nothing.
#[tokio::test]
async fn rows_written_before_the_engine_become_records_once() {
    use renkei_server::store::adopt::{adopt_unsynced_fair_work, adopt_unsynced_people};
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "旧版の面接会").await;
    let employer = app.employer(&city, &fair, "見本商事").await;
    let (person, registration, interview) = (new_id(), new_id(), new_id());
    let at = 1_780_000_000_000_i64;
    for sql in [
        format!(
            "INSERT INTO people (id, family_name, given_name, family_name_kana, given_name_kana,
                 birth_date, category, created_at_ms, owner_org)
             VALUES ('{person}', '旧版', '一郎', 'キュウハン', 'イチロウ', '1990-04-01', 'youth', {at}, 'city')"
        ),
        format!(
            "INSERT INTO participants (id, event_id, family_name, given_name, family_name_kana,
                 given_name_kana, birth_date, phone, checked_in_at_ms, created_at_ms, category,
                 interests, contact_ok, share_ok, age_band, owner_org)
             VALUES ('{registration}', '{fair}', '旧版', '花子', 'キュウハン', 'ハナコ', NULL,
                 '09012345678', {at}, {at}, 'youth', '事務', 1, 1, '20s', 'hello_work')"
        ),
        format!(
            "INSERT INTO fair_outcomes (id, event_id, participant_id, employer_id, outcome, updated_at_ms)
             VALUES ('{interview}', '{fair}', '{registration}', '{employer}', 'offer', {at})"
        ),
    ] {
        sqlx::query(&sql).execute(app.db()).await.unwrap();
    }
    let mut conn = app.db().acquire().await.unwrap();
    assert_eq!(adopt_unsynced_people(&mut conn).await.unwrap(), 1);
    assert_eq!(adopt_unsynced_fair_work(&mut conn).await.unwrap(), 2);
    assert_eq!(adopt_unsynced_people(&mut conn).await.unwrap(), 0);
    assert_eq!(adopt_unsynced_fair_work(&mut conn).await.unwrap(), 0);

    let records = renkei_server::store::sync::records(
        &mut conn,
        &[person.as_str(), registration.as_str(), interview.as_str()],
    )
    .await
    .unwrap();
    drop(conn);
    let today = app::domain::date::CivilDate::new(2026, 11, 29).unwrap();
    let kinds = app::sync::kinds::check;
    use app::sync::wire::RecordKind;
    assert_eq!(
        kinds(RecordKind::Person, &records[&person].state, today),
        Ok(())
    );
    let p =
        app::sync::kinds::validate_fair_participant(&records[&registration].state, today).unwrap();
    assert!(p.checked_in && p.share_ok && p.contact_ok);
    assert_eq!(p.person.phone.as_deref(), Some("09012345678"));
    assert_eq!(p.interests, "事務");
    let i = app::sync::kinds::validate_interview(&records[&interview].state).unwrap();
    assert_eq!(i.participant_id.to_string(), registration);

    let pulled = app
        .get_as(&city, "/api/v1/sync/pull?protocol=1&after=0")
        .await
        .json()
        .to_string();
    for id in [&person, &registration, &interview] {
        assert!(pulled.contains(id.as_str()), "staff pull lacks {id}");
    }
    let (tablet, _) = app.device(&admin, &fair).await;
    let on_tablet = app
        .get_as(&tablet, "/api/v1/sync/pull?protocol=1&after=0")
        .await
        .json()
        .to_string();
    assert!(on_tablet.contains(registration.as_str()) && on_tablet.contains(interview.as_str()));
    assert!(
        !on_tablet.contains("09012345678"),
        "a tablet keeps no phone number"
    );
}
