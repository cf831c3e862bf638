//! Consent and scope beyond the case itself: duplicate flags, fair registrations the person did
//! not agree to share, what a tablet is sent, and `removed` stubs. Each test tries what a
//! clerk of the other organisation (or a tablet) could do to learn about a person they may not
//! see, and checks that nothing comes back.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{ADMIN, CITY, HELLO_WORK, TestApp, Who, new_id, registration, stamp, walk_in};

const MIHON: (&str, &str, &str, &str) = ("見本", "花子", "みほん", "はなこ");

async fn pull_all(app: &TestApp, who: &Who, after: u64) -> (Vec<Value>, u64) {
    let reply = app
        .get_as(
            who,
            &format!("/api/v1/sync/pull?protocol=1&after={after}&limit=500"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = reply.json();
    (
        body["records"].as_array().unwrap().clone(),
        body["cursor"].as_u64().unwrap(),
    )
}

fn ids(records: &[Value]) -> Vec<&str> {
    records.iter().map(|r| r["id"].as_str().unwrap()).collect()
}

async fn duplicates(app: &TestApp, who: &Who, fair: &str) -> Vec<Value> {
    let reply = app
        .get_as(who, &format!("/api/v1/events/{fair}/duplicates"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()["duplicates"].as_array().unwrap().clone()
}

async fn open_flags(app: &TestApp, who: &Who, fair: &str) -> u64 {
    let reply = app
        .get_as(who, &format!("/api/v1/events/{fair}/counts"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()["possible_duplicates"].as_u64().unwrap()
}

#[tokio::test]
async fn a_flag_against_a_case_is_seen_and_decided_only_by_staff_who_may_see_the_case() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "見本").await; // みほん はなこ, 1991-04-12, city only
    let fair = app.event(&hw, "若年者面接会").await;
    // A Hello Work clerk guesses: the case's reading with its birth date, and a day later.
    let (hit, miss) = (new_id(), new_id());
    let answer = app
        .sync_push(
            &hw,
            &new_id(),
            vec![
                registration(1, &hit, &fair, 7, MIHON, ("1991-04-12", ""), true),
                registration(2, &miss, &fair, 7, MIHON, ("1991-04-13", ""), true),
            ],
        )
        .await;
    assert_eq!(answer["through"], 2, "{answer}");

    // The clerk learns nothing: no flag, no count, no id or name of the case — for the right
    // birth date exactly as for the wrong one.
    let seen = app
        .get_as(&hw, &format!("/api/v1/events/{fair}/duplicates"))
        .await;
    assert!(!seen.text.contains(&person), "{}", seen.text);
    assert!(duplicates(&app, &hw, &fair).await.is_empty());
    assert_eq!(open_flags(&app, &hw, &fair).await, 0);

    // The city, which may see both the case and the shared registration, sees the flag.
    let flags = duplicates(&app, &city, &fair).await;
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["other_id"], person.as_str());
    assert_eq!(flags[0]["record_id"], hit.as_str());
    assert_eq!(open_flags(&app, &city, &fair).await, 1);
    let flag = flags[0]["id"].as_i64().unwrap();

    // The Hello Work clerk cannot merge it: answered like a flag that does not exist.
    let merge = app
        .post_as(
            &hw,
            &format!("/api/v1/duplicates/{flag}/decide"),
            &json!({ "decision": "merge" }),
        )
        .await;
    let nothing = app
        .post_as(
            &hw,
            "/api/v1/duplicates/999999/decide",
            &json!({ "decision": "merge" }),
        )
        .await;
    assert_eq!(merge.status, StatusCode::NOT_FOUND, "{}", merge.text);
    assert_eq!(merge.text, nothing.text);
    let linked: Option<String> =
        sqlx::query_scalar("SELECT person_id FROM participants WHERE id = $1")
            .bind(&hit)
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(linked, None, "nothing was linked");
    // The city decides it.
    let merge = app
        .post_as(
            &city,
            &format!("/api/v1/duplicates/{flag}/decide"),
            &json!({ "decision": "merge" }),
        )
        .await;
    assert_eq!(merge.status, StatusCode::NO_CONTENT, "{}", merge.text);
}

#[tokio::test]
async fn a_registration_not_shared_with_the_city_is_counted_but_never_shown_to_it() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&hw, "若年者面接会").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let (private, shared) = (new_id(), new_id());
    let replica = new_id();
    let answer = app
        .sync_push(
            &tablet,
            &replica,
            vec![
                registration(
                    1,
                    &private,
                    &fair,
                    9,
                    ("秘密", "太郎", "ひみつ", "たろう"),
                    ("2001-02-03", "09012345678"),
                    false,
                ),
                registration(
                    2,
                    &shared,
                    &fair,
                    9,
                    ("共有", "次郎", "きょうゆう", "じろう"),
                    ("2002-03-04", "09087654321"),
                    true,
                ),
            ],
        )
        .await;
    assert_eq!(answer["through"], 2, "{answer}");

    // Counts are for everyone.
    for who in [&city, &hw] {
        let counts = app
            .get_as(who, &format!("/api/v1/events/{fair}/counts"))
            .await
            .json();
        assert_eq!(counts["registered"], 2);
    }
    // Hello Work (which runs the fair) sees both; the city only the shared one.
    let list = |who: Who| {
        let app = &app;
        let fair = fair.clone();
        async move {
            let reply = app
                .get_as(&who, &format!("/api/v1/events/{fair}/participants"))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            reply.text
        }
    };
    let for_hw = list(hw.clone()).await;
    assert!(for_hw.contains("秘密") && for_hw.contains("2001-02-03"));
    let for_city = list(city.clone()).await;
    assert!(for_city.contains("共有"), "{for_city}");
    for secret in [
        "秘密",
        "ひみつ",
        "2001-02-03",
        "09012345678",
        private.as_str(),
    ] {
        assert!(!for_city.contains(secret), "{secret} in {for_city}");
    }
    // Nor in the city's pull, its duplicate view, a conversion to a case or a check-in.
    let (records, _) = pull_all(&app, &city, 0).await;
    assert!(!ids(&records).contains(&private.as_str()));
    assert!(ids(&records).contains(&shared.as_str()));
    let (records, _) = pull_all(&app, &hw, 0).await;
    assert!(ids(&records).contains(&private.as_str()));
    let convert = app
        .post_as(
            &city,
            &format!("/api/v1/events/{fair}/participants/{private}/person"),
            &json!({ "category": "" }),
        )
        .await;
    assert_eq!(convert.status, StatusCode::NOT_FOUND, "{}", convert.text);
    let check_in = app
        .post_as(
            &city,
            &format!("/api/v1/events/{fair}/participants/{private}/check-in"),
            &json!({}),
        )
        .await;
    assert_eq!(check_in.status, StatusCode::NOT_FOUND, "{}", check_in.text);
    // An edit pushed blind is refused as a record the clerk cannot see.
    let edit = json!({ "seq": 1, "kind": "participant", "id": private, "op": { "type": "put",
        "fields": [{ "field": "checked_in", "value": true,
                     "stamp": support::stamp(1_780_000_100_000, 3), "base": null }] } });
    let answer = app.sync_push(&city, &new_id(), vec![edit]).await;
    assert_eq!(answer["results"][0]["status"], "rejected", "{answer}");
    let checked: Option<i64> =
        sqlx::query_scalar("SELECT checked_in_at_ms FROM participants WHERE id = $1")
            .bind(&private)
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(checked, None);
}

#[tokio::test]
async fn a_tablet_is_sent_only_names_and_readings_of_registrations() {
    let app = TestApp::new().await;
    let hw = app.login(HELLO_WORK).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&hw, "若年者面接会").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    // Pre-registered at the counter with a birth date and a phone number.
    let invited = new_id();
    app.sync_push(
        &hw,
        &new_id(),
        vec![registration(
            1,
            &invited,
            &fair,
            4,
            MIHON,
            ("1999-09-09", "08055556666"),
            true,
        )],
    )
    .await;
    let (records, _) = pull_all(&app, &tablet, 0).await;
    let record = records
        .iter()
        .find(|r| r["id"] == invited.as_str())
        .expect("the tablet receives the registration");
    let fields: Vec<&String> = record["state"]["fields"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    for field in &fields {
        assert!(
            <app::sync::kinds::TabletRegistration as app::sync::kinds::Fields>::names()
                .contains(&field.as_str()),
            "the tablet was sent {field}"
        );
    }
    assert!(fields.iter().any(|f| *f == "family_name_kana"));
    let text = serde_json::to_string(&records).unwrap();
    for secret in ["1999-09-09", "08055556666", "youth"] {
        assert!(!text.contains(secret), "{secret} sent to a tablet");
    }
    // The REST check-in answers a tablet with names only, too.
    let reply = app
        .post_as(
            &tablet,
            &format!("/api/v1/events/{fair}/participants/{invited}/check-in"),
            &json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert!(!reply.text.contains("1999-09-09") && !reply.text.contains("08055556666"));
}

#[tokio::test]
async fn removed_stubs_go_only_to_staff_who_were_sent_the_record() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "見本").await;

    // A Hello Work clerk's first pull does not mention the city's case.
    let (records, cursor) = pull_all(&app, &hw, 0).await;
    assert!(!ids(&records).contains(&person.as_str()), "{records:?}");

    // With consent it is sent; after withdrawal it is taken back, once.
    let granted = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "signed_form", "document_no": "R8-1", "granted_on": "2026-04-01" }),
        )
        .await;
    assert_eq!(granted.status, StatusCode::CREATED, "{}", granted.text);
    let (records, cursor) = pull_all(&app, &hw, cursor).await;
    let sent = records.iter().find(|r| r["id"] == person.as_str()).unwrap();
    assert_eq!(sent["removed"], false);
    let consent = granted.json()["consents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let withdrawn = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents/{consent}/withdraw"),
            &json!({ "withdrawn_on": support::today(), "reason": "本人の申し出" }),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text);
    let (records, _) = pull_all(&app, &hw, cursor).await;
    let taken_back = records.iter().find(|r| r["id"] == person.as_str()).unwrap();
    assert_eq!(taken_back["removed"], true);
    assert!(taken_back["state"].is_null());
    // The clerk's other laptop, pulling from the start later, is told too.
    let (other_laptop, _) = pull_all(&app, &hw, 0).await;
    let stub = other_laptop
        .iter()
        .find(|r| r["id"] == person.as_str())
        .unwrap();
    assert_eq!(stub["removed"], true);

    // A second Hello Work clerk who never held it hears nothing of it.
    let request = app::protocol::CreateStaff {
        login_id: "hw.second".into(),
        display_name: "第二 職員".into(),
        organisation: "hello_work".into(),
        role: "counter".into(),
        password: "kakunin-hw-second-2026".into(),
    };
    renkei_server::service::staff::create(&app.state, None, &request)
        .await
        .expect("account");
    let second = app.login(("hw.second", "kakunin-hw-second-2026")).await;
    let (records, _) = pull_all(&app, &second, 0).await;
    assert!(!ids(&records).contains(&person.as_str()), "{records:?}");
}

#[tokio::test]
async fn withdrawing_the_agreement_to_share_takes_the_registration_and_its_interviews_back() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&hw, "若年者面接会").await;
    let employer = app
        .post_as(
            &hw,
            &format!("/api/v1/events/{fair}/employers"),
            &json!({ "name": "見本介護", "jobs": "介護職" }),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (tablet, _) = app.device(&admin, &fair).await;
    let (person, interview, replica) = (new_id(), new_id(), new_id());
    let s = support::stamp(1_780_000_000_100, 9);
    app.sync_push(
        &tablet,
        &replica,
        vec![
            registration(1, &person, &fair, 9, MIHON, ("2001-01-01", ""), true),
            json!({ "seq": 2, "kind": "interview", "id": interview, "op": { "type": "put", "fields": [
                { "field": "event_id", "value": fair, "stamp": s, "base": null },
                { "field": "participant_id", "value": person, "stamp": s, "base": null },
                { "field": "employer_id", "value": employer, "stamp": s, "base": null },
                { "field": "outcome", "value": "interview", "stamp": s, "base": null },
            ]}}),
        ],
    )
    .await;
    let (records, cursor) = pull_all(&app, &city, 0).await;
    assert!(
        ids(&records).contains(&person.as_str()) && ids(&records).contains(&interview.as_str())
    );
    // The person changes their mind at the desk: Hello Work records it.
    let unshare = json!({ "seq": 1, "kind": "participant", "id": person, "op": { "type": "put",
        "fields": [{ "field": "share_ok", "value": false,
                     "stamp": support::stamp(1_780_000_900_000, 3), "base": null }] } });
    let answer = app.sync_push(&hw, &new_id(), vec![unshare]).await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let (records, _) = pull_all(&app, &city, cursor).await;
    for id in [&person, &interview] {
        let r = records
            .iter()
            .find(|r| r["id"] == id.as_str())
            .expect("sent again");
        assert_eq!(r["removed"], true, "{r}");
    }
}

#[tokio::test]
async fn a_link_to_a_case_the_clerk_may_not_see_is_not_shown() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let fair = app.event(&hw, "若年者面接会").await;
    let shared = new_id();
    app.sync_push(
        &hw,
        &new_id(),
        vec![registration(
            1,
            &shared,
            &fair,
            4,
            ("共有", "花", "きょうゆう", "はな"),
            ("2000-02-02", ""),
            true,
        )],
    )
    .await;
    // The city makes the registration its case (no consent for Hello Work to see it).
    let url = format!("/api/v1/events/{fair}/participants/{shared}/person");
    let made = app
        .post_as(&city, &url, &json!({ "category": "youth" }))
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text);
    let case = made.json()["id"].as_str().unwrap().to_owned();
    // Hello Work sees the registration, not the link to the city's case…
    let listed = app
        .get_as(&hw, &format!("/api/v1/events/{fair}/participants"))
        .await;
    assert!(
        listed.text.contains("共有") && !listed.text.contains(&case),
        "{}",
        listed.text
    );
    // …and making it a case records a Hello Work case, as a fresh one would be.
    let own = app
        .post_as(&hw, &url, &json!({ "category": "youth" }))
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert_ne!(own.json()["id"], case.as_str());
    assert_eq!(own.json()["owner_org"], "hello_work");
}

/// 希望の働き方, a free-text answer of a walk-in: kept for the counter, shown to staff under the
/// name, never sent to tablets; too long is refused with the field named.
#[tokio::test]
async fn the_desired_way_of_working_reaches_the_counter_and_not_the_tablets() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "面接会").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let answer_of = |seq: u64, id: &str, text: &str| {
        let mut m = walk_in(
            seq,
            id,
            &fair,
            3,
            ("希望", "花子", "キボウ", "ハナコ"),
            "1990-04-01",
            "",
        );
        m["op"]["fields"].as_array_mut().unwrap().push(json!({
            "field": "desired_work", "value": text, "stamp": stamp(1_780_000_000_000 + seq, 3), "base": null
        }));
        m
    };
    let (said, long) = (new_id(), new_id());
    let answer = app
        .sync_push(
            &tablet,
            &new_id(),
            vec![
                answer_of(1, &said, "  午前のみ・週3日 "),
                answer_of(2, &long, &"あ".repeat(201)),
            ],
        )
        .await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "applied", "{answer}");
    assert_eq!(results[1]["status"], "rejected", "{answer}");
    assert_eq!(results[1]["fields"][0]["field"], "desired_work");
    assert!(
        results[1]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("希望の働き方"),
        "{answer}"
    );

    let list = app
        .get_as(&city, &format!("/api/v1/events/{fair}/participants"))
        .await
        .json();
    let row = list["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == said.as_str())
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(
        row["answers"],
        json!([{ "field": "desired_work", "text": "午前のみ・週3日" }])
    );
    let pulled = app
        .get_as(&tablet, "/api/v1/sync/pull?protocol=1&after=0")
        .await
        .json();
    let on_tablet = pulled["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == said.as_str())
        .unwrap_or_else(|| panic!("{pulled}"));
    assert!(
        on_tablet["state"]["fields"].get("desired_work").is_none(),
        "{on_tablet}"
    );
    assert!(!pulled.to_string().contains("午前のみ"));
}
