//! The sync protocol against the real router and a real SQLite file: exactly-once pushes,
//! refusals that do not block, gaps, protocol versions, pulls by cursor within the caller's
//! scope, conflicts recorded and resolved by staff.

mod support;

use serde_json::{Value, json};
use support::{CITY, HELLO_WORK, TestApp, edit, new_id, new_person, stamp};

#[tokio::test]
async fn a_retried_push_applies_nothing_twice_and_a_bad_entry_blocks_nothing() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let r = new_id();
    let (a, b, c) = (new_id(), new_id(), new_id());
    let mut bad = new_person(2, &b, "見本", 7);
    bad["op"]["fields"][2]["value"] = json!("mihon"); // not kana
    let batch = vec![
        new_person(1, &a, "見本", 7),
        bad,
        new_person(3, &c, "例題", 7),
    ];
    let first = app.sync_push(&city, &r, batch.clone()).await;
    assert_eq!(first["through"], 3);
    let statuses: Vec<&str> = first["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["applied", "rejected", "applied"]);
    let refusal = &first["results"][1];
    assert_eq!(refusal["fields"][0]["field"], "family_name_kana");
    assert!(
        refusal["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("フリガナ"),
        "{refusal}"
    );
    assert_eq!(app.count("people").await, 2);

    // The answer was lost; the device sends the same batch again.
    let again = app.sync_push(&city, &r, batch).await;
    let statuses: Vec<&str> = again["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["duplicate", "rejected", "duplicate"],
        "the refusal is repeated"
    );
    assert_eq!(app.count("people").await, 2);
    assert_eq!(app.count("sync_records").await, 2);

    // The people the counter sees are the pushed ones.
    let people = app.get_as(&city, "/api/v1/people").await.json();
    assert_eq!(people["people"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_gap_stops_the_batch_and_nothing_after_it_is_applied() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let r = new_id();
    let answer = app
        .sync_push(
            &city,
            &r,
            vec![
                new_person(1, &new_id(), "一", 1),
                new_person(3, &new_id(), "三", 1),
            ],
        )
        .await;
    assert_eq!(answer["through"], 1);
    assert_eq!(answer["results"].as_array().unwrap().len(), 1);
    assert_eq!(app.count("people").await, 1);
}

#[tokio::test]
async fn an_old_app_is_told_to_update_and_a_replica_is_its_owners_alone() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let reply = app
        .post_as(
            &city,
            "/api/v1/sync/push",
            &json!({ "protocol": 0, "replica": new_id(), "mutations": [] }),
        )
        .await;
    assert_eq!(reply.status, 426);
    assert_eq!(reply.json()["error"]["code"], "update_app");
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("更新")
    );
    let reply = app.get_as(&city, "/api/v1/sync/pull?protocol=99").await;
    assert_eq!(reply.status, 426);

    let r = new_id();
    app.sync_push(&city, &r, vec![new_person(1, &new_id(), "一", 1)])
        .await;
    let hw = app.login(HELLO_WORK).await;
    let reply = app
        .post_as(
            &hw,
            "/api/v1/sync/push",
            &json!({ "protocol": 1, "replica": r, "mutations": [new_person(2, &new_id(), "二", 1)] }),
        )
        .await;
    assert_eq!(
        reply.status, 403,
        "another account cannot continue this replica's numbers"
    );
}

#[tokio::test]
async fn pulls_page_by_cursor_and_show_the_other_organisation_only_with_consent() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "見本").await; // created at the counter
    let r = new_id();
    app.sync_push(
        &city,
        &r,
        (1..=4)
            .map(|i| new_person(i, &new_id(), "同期", 3))
            .collect(),
    )
    .await;
    let seen = app.pull_all(&city, 2).await;
    assert_eq!(seen.len(), 5, "the counter's person and the four pushed");
    assert!(seen.iter().any(|r| r["id"] == person.as_str()));
    let seqs: Vec<u64> = seen.iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "commit order: {seqs:?}"
    );

    // Hello Work: the city's cases come as `removed` (ids only) until a consent is recorded.
    let before = app.pull_all(&hw, 2).await;
    assert!(
        before
            .iter()
            .all(|r| r["removed"] == true && r.get("state").is_none())
    );
    let consent = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "verbal", "granted_on": "2026-04-01" }),
        )
        .await
        .json()["consents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let after = app.pull_all(&hw, 2).await;
    let shared: Vec<&Value> = after.iter().filter(|r| r["removed"] == false).collect();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0]["id"], person.as_str());
    assert_eq!(shared[0]["state"]["fields"]["family_name"]["value"], "見本");

    // Withdrawal: the next pull from where Hello Work stopped tells it to drop the record.
    let cursor = app
        .get_as(&hw, "/api/v1/sync/pull?protocol=1&after=0")
        .await
        .json()["cursor"]
        .as_u64()
        .unwrap();
    let withdrawn = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents/{consent}/withdraw"),
            &json!({ "withdrawn_on": support::today(), "reason": "本人の申し出" }),
        )
        .await;
    assert_eq!(
        withdrawn.status,
        axum::http::StatusCode::OK,
        "{}",
        withdrawn.text
    );
    let page = app
        .get_as(&hw, &format!("/api/v1/sync/pull?protocol=1&after={cursor}"))
        .await
        .json();
    let records = page["records"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], person.as_str());
    assert_eq!(records[0]["removed"], true);
}

#[tokio::test]
async fn two_offline_edits_of_one_field_make_a_conflict_staff_resolve() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let manager = app.login(support::MANAGER).await;
    let person = new_id();
    let (laptop, tablet) = (new_id(), new_id());
    app.sync_push(&city, &laptop, vec![new_person(1, &person, "見本", 1)])
        .await;
    let base = stamp(1_700_000_000_001, 1);
    // Both devices saw the same value and changed it offline; different fields merge.
    app.sync_push(
        &city,
        &laptop,
        vec![edit(
            2,
            &person,
            "given_name",
            "春子",
            stamp(1_700_000_100_000, 1),
            base.clone(),
        )],
    )
    .await;
    let answer = app
        .sync_push(
            &manager,
            &tablet,
            vec![
                edit(
                    1,
                    &person,
                    "given_name",
                    "夏子",
                    stamp(1_700_000_200_000, 2),
                    base.clone(),
                ),
                edit(
                    2,
                    &person,
                    "birth_date",
                    "1991-05-05",
                    stamp(1_700_000_200_001, 2),
                    base.clone(),
                ),
            ],
        )
        .await;
    assert_eq!(answer["results"][0]["conflicts"], 1);
    assert_eq!(answer["results"][1]["conflicts"], 0);

    let shown = app
        .get_as(&city, &format!("/api/v1/people/{person}"))
        .await
        .json();
    assert_eq!(
        shown["given_name"], "夏子",
        "the later edit wins provisionally"
    );
    assert_eq!(shown["birth_date"], "1991-05-05", "the other field merged");

    let list = app.get_as(&city, "/api/v1/sync/conflicts").await.json();
    let conflicts = list["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0]["kept"], "夏子");
    assert_eq!(conflicts[0]["other"], "春子");
    assert_eq!(conflicts[0]["field"], "given_name");
    // Hello Work may not see the city's case, nor its conflicts.
    let hw = app.login(HELLO_WORK).await;
    assert!(
        app.get_as(&hw, "/api/v1/sync/conflicts").await.json()["conflicts"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let conflict = conflicts[0]["id"].as_i64().unwrap();
    let reply = app
        .post_as(
            &city,
            &format!("/api/v1/sync/conflicts/{conflict}/resolve"),
            &json!({ "choice": "other" }),
        )
        .await;
    assert_eq!(reply.status, 204, "{}", reply.text);
    let shown = app
        .get_as(&city, &format!("/api/v1/people/{person}"))
        .await
        .json();
    assert_eq!(shown["given_name"], "春子");
    assert!(
        app.get_as(&city, "/api/v1/sync/conflicts").await.json()["conflicts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'conflict_resolve'")
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // The resolution reaches every replica as a newer stamp on the field.
    let records = app.pull_all(&city, 2).await;
    let mine = records.iter().find(|r| r["id"] == person.as_str()).unwrap();
    assert_eq!(mine["state"]["fields"]["given_name"]["value"], "春子");
}

/// Who made each side of a conflict, on which device and when — the pusher's side from the
/// push itself, so a device stamping its edits with another device's node cannot pass them off
/// as that device's.
#[tokio::test]
async fn a_conflict_says_who_made_each_side_on_which_device_and_when() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let manager = app.login(support::MANAGER).await;
    let name = |who| {
        let app = &app;
        async move { app.get_as(who, "/api/v1/auth/me").await.json()["display_name"].clone() }
    };
    let (city_name, manager_name) = (name(&city).await, name(&manager).await);
    let person = new_id();
    let (laptop, browser) = (new_id(), new_id());
    app.sync_push(&city, &laptop, vec![new_person(1, &person, "見本", 7)])
        .await;
    let base = stamp(1_700_000_000_001, 7);
    app.sync_push(
        &city,
        &laptop,
        vec![edit(
            2,
            &person,
            "given_name",
            "春子",
            stamp(1_700_000_100_000, 7),
            base.clone(),
        )],
    )
    .await;
    // The manager's browser stamps its edit with the laptop's node 7.
    app.sync_push(
        &manager,
        &browser,
        vec![edit(
            1,
            &person,
            "given_name",
            "夏子",
            stamp(1_700_000_200_000, 7),
            base,
        )],
    )
    .await;
    let list = app.get_as(&city, "/api/v1/sync/conflicts").await.json();
    let c = &list["conflicts"][0];
    assert_eq!(c["kept"], "夏子");
    let kept = &c["kept_by"];
    assert_eq!(
        kept["who"], manager_name,
        "the pusher made the kept side: {c}"
    );
    assert_eq!(kept["organisation"], "city");
    assert_eq!(kept["tablet"], false);
    assert_eq!(kept["device"], browser[browser.len() - 8..]);
    assert_eq!(kept["at_ms"], 1_700_000_200_000_i64);
    let other = &c["other_by"];
    assert_eq!(other["who"], city_name, "{c}");
    assert_eq!(other["device"], laptop[laptop.len() - 8..]);
    assert_ne!(kept["device"], other["device"]);
    assert_eq!(other["at_ms"], 1_700_000_100_000_i64);
    assert_ne!(city_name, manager_name);
}

#[tokio::test]
async fn notes_are_append_only_and_deletes_are_tombstones() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let r = new_id();
    let person = new_id();
    let note = new_id();
    let s = stamp(1_700_000_000_500, 4);
    let note_put = |seq: u64, body: &str| {
        json!({ "seq": seq, "kind": "note", "id": note, "op": { "type": "put", "fields": [
            { "field": "person_id", "value": person, "stamp": s, "base": null },
            { "field": "body", "value": body, "stamp": s, "base": null },
            { "field": "written_on", "value": "2026-11-27", "stamp": s, "base": null },
            { "field": "note_type", "value": "interview", "stamp": s, "base": null },
            { "field": "organisation", "value": "city", "stamp": s, "base": null },
            { "field": "author", "value": "見本 市職員", "stamp": s, "base": null },
        ]}})
    };
    let answer = app
        .sync_push(
            &city,
            &r,
            vec![new_person(1, &person, "見本", 4), note_put(2, "初回面談。")],
        )
        .await;
    assert_eq!(answer["results"][1]["status"], "applied", "{answer}");
    assert_eq!(app.count("notes").await, 1);
    let changed = app
        .sync_push(&city, &r, vec![note_put(3, "書き換え")])
        .await;
    assert_eq!(changed["results"][0]["status"], "rejected");
    assert!(
        changed["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("書き換えられません")
    );

    let delete = json!({ "seq": 4, "kind": "person", "id": person, "op": { "type": "delete", "stamp": stamp(1_700_000_000_900, 4) } });
    assert_eq!(
        app.sync_push(&city, &r, vec![delete]).await["results"][0]["status"],
        "applied"
    );
    assert_eq!(
        app.get_as(&city, &format!("/api/v1/people/{person}"))
            .await
            .status,
        404
    );
    // A late edit of the deleted person does not bring it back.
    app.sync_push(
        &city,
        &r,
        vec![edit(
            5,
            &person,
            "given_name",
            "復活",
            stamp(1_700_000_001_000, 4),
            Value::Null,
        )],
    )
    .await;
    assert_eq!(
        app.get_as(&city, &format!("/api/v1/people/{person}"))
            .await
            .status,
        404
    );
    let records = app.pull_all(&city, 2).await;
    let tomb = records.iter().find(|r| r["id"] == person.as_str()).unwrap();
    assert!(tomb["state"]["deleted"].is_object());
    assert!(
        tomb["state"]["fields"].as_object().unwrap().is_empty(),
        "a tombstone keeps no personal data"
    );
}

#[tokio::test]
async fn a_fair_device_cannot_write_cases_or_read_them() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(support::ADMIN).await;
    app.person(&city, "見本").await;
    let event = app.event(&city, "面接会").await;
    let (device, _) = app.device(&admin, &event).await;
    let answer = app
        .sync_push(
            &device,
            &new_id(),
            vec![new_person(1, &new_id(), "端末", 9)],
        )
        .await;
    assert_eq!(answer["results"][0]["status"], "rejected");
    assert_eq!(app.count("people").await, 1);
    let page = app
        .get_as(&device, "/api/v1/sync/pull?protocol=1")
        .await
        .json();
    assert!(page["records"].as_array().unwrap().is_empty(), "{page}");
}

#[tokio::test]
async fn people_recorded_before_sync_are_adopted_once_and_pulled() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let old = new_id();
    sqlx::query(
        "INSERT INTO people (id, family_name, given_name, family_name_kana, given_name_kana,
                             birth_date, category, owner_org, created_at_ms)
         VALUES ($1, '古参', '一郎', 'コサン', 'イチロウ', '1970-01-02', 'youth', 'city', 1)",
    )
    .bind(&old)
    .execute(app.db())
    .await
    .unwrap();
    assert!(
        app.pull_all(&city, 2).await.is_empty(),
        "not yet a synced record"
    );
    let mut conn = app.db().acquire().await.unwrap();
    assert_eq!(
        renkei_server::store::adopt::adopt_unsynced_people(&mut conn)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        renkei_server::store::adopt::adopt_unsynced_people(&mut conn)
            .await
            .unwrap(),
        0,
        "once"
    );
    drop(conn);
    let pulled = app.pull_all(&city, 2).await;
    assert_eq!(pulled.len(), 1);
    assert_eq!(pulled[0]["state"]["fields"]["family_name"]["value"], "古参");
    assert_eq!(
        pulled[0]["state"]["fields"]["birth_date"]["value"],
        "1970-01-02"
    );
    // And it can be edited like any other.
    let base = pulled[0]["state"]["fields"]["given_name"]["stamp"].clone();
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![edit(
                1,
                &old,
                "given_name",
                "二郎",
                stamp(1_800_000_000_000, 5),
                base,
            )],
        )
        .await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    assert_eq!(
        app.get_as(&city, &format!("/api/v1/people/{old}"))
            .await
            .json()["given_name"],
        "二郎"
    );
}

/// A list, an object or yes/no where a field holds text is refused, naming the field: it would
/// otherwise be stored as sent and reach every device while every rule read it as empty (an
/// attacker's probe found `phone: {"x": 1}` applied). Through a conflict's resolution too.
#[tokio::test]
async fn a_value_of_the_wrong_shape_is_refused_naming_its_field() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let person = new_id();
    let laptop = new_id();
    app.sync_push(&city, &laptop, vec![new_person(1, &person, "見本", 1)])
        .await;
    let shaped = |seq: u64, field: &str, value: serde_json::Value| {
        json!({ "seq": seq, "kind": "person", "id": person, "op": { "type": "put", "fields": [
            { "field": field, "value": value, "stamp": stamp(1_700_000_100_000 + seq, 1),
              "base": null }
        ]}})
    };
    let answer = app
        .sync_push(
            &city,
            &laptop,
            vec![
                shaped(2, "phone", json!({ "x": 1 })),
                shaped(3, "address", json!(["並木"])),
                shaped(4, "birth_date", json!(true)),
                // Text as a number still reads as its digits.
                shaped(5, "household_size", json!(3)),
            ],
        )
        .await;
    for (i, field) in [(0, "phone"), (1, "address"), (2, "birth_date")] {
        let result = &answer["results"][i];
        assert_eq!(result["status"], "rejected", "{answer}");
        assert_eq!(result["fields"][0]["field"], field, "{answer}");
        assert_eq!(result["fields"][0]["code"], "bad_value", "{answer}");
    }
    assert_eq!(answer["results"][3]["status"], "applied", "{answer}");
    let records = app.pull_all(&city, 100).await;
    let mine = records.iter().find(|r| r["id"] == person.as_str()).unwrap();
    assert!(mine["state"]["fields"].get("phone").is_none(), "{mine}");
}
