//! Regression tests for defects of the sync engine found by reading it (step 6): each one
//! failed before its fix. The engine's bookkeeping (deletes, projections, exactly-once by
//! content, refusals that stay on their own, cursors with the database's identity) is checked
//! against the real router and a real SQLite file.

mod support;

use serde_json::{Value, json};
use support::{
    ADMIN, CITY, TestApp, Who, edit, new_id, new_person, stamp, statuses, tally, walk_in,
};

fn delete(seq: u64, kind: &str, id: &str, at: u64) -> Value {
    json!({ "seq": seq, "kind": kind, "id": id, "op": { "type": "delete", "stamp": stamp(at, 4) } })
}

fn note(seq: u64, id: &str, person: &str, body: &str) -> Value {
    let s = stamp(1_700_000_100_000 + seq, 4);
    let w = |field: &str, value: Value| json!({ "field": field, "value": value, "stamp": s, "base": null });
    json!({ "seq": seq, "kind": "note", "id": id, "op": { "type": "put", "fields": [
        w("person_id", json!(person)), w("body", json!(body)), w("written_on", json!("2026-11-20")),
        w("note_type", json!("interview")), w("organisation", json!("city")), w("author", json!("見本 市職員")),
    ]}})
}

async fn pull(app: &TestApp, who: &Who, query: &str) -> Value {
    let reply = app
        .get_as(who, &format!("/api/v1/sync/pull?protocol=1&{query}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()
}

/// A fault only a test can cause: the database refuses a person with this family name.
async fn refuse_in_storage(app: &TestApp, family_name: &str) {
    support::backend::refuse_family_name(app.db(), family_name).await;
}

async fn live_people(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE deleted_at_ms IS NULL")
        .fetch_one(app.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_create_and_a_delete_in_one_push_leave_the_record_deleted() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let (r, a) = (new_id(), new_id());
    let answer = app
        .sync_push(
            &city,
            &r,
            vec![
                new_person(1, &a, "見本", 4),
                delete(2, "person", &a, 1_700_000_000_500),
            ],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied", "applied"]);
    assert_eq!(live_people(&app).await, 0, "the delete was lost");
    let page = pull(&app, &city, "after=0").await;
    let record = &page["records"][0];
    assert!(
        record["removed"] == true || record["state"]["deleted"].is_object(),
        "{page}"
    );
}

#[tokio::test]
async fn deleted_registrations_and_interviews_leave_the_counts() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "削除の面接会").await;
    let employer = app.employer(&city, &fair, "見本商事").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let (p1, p2, i1) = (new_id(), new_id(), new_id());
    let s = stamp(1_780_000_000_100, 7);
    let interview = json!({ "seq": 3, "kind": "interview", "id": i1, "op": { "type": "put", "fields": [
        { "field": "event_id", "value": fair, "stamp": s, "base": null },
        { "field": "participant_id", "value": p2, "stamp": s, "base": null },
        { "field": "employer_id", "value": employer, "stamp": s, "base": null },
        { "field": "outcome", "value": "offer", "stamp": s, "base": null },
    ]}});
    let replica = new_id();
    let answer = app
        .sync_push(
            &tablet,
            &replica,
            vec![
                walk_in(
                    1,
                    &p1,
                    &fair,
                    7,
                    ("削除", "一郎", "サクジョ", "イチロウ"),
                    "2001-01-01",
                    "",
                ),
                walk_in(
                    2,
                    &p2,
                    &fair,
                    7,
                    ("残留", "二郎", "ザンリュウ", "ジロウ"),
                    "2002-02-02",
                    "",
                ),
                interview,
            ],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied", "applied", "applied"]);
    let counts = support::fair_counts(&app, &city, &fair).await;
    assert_eq!(tally(&counts).0, 2);
    assert_eq!(counts["offers"], 1);

    // Staff delete the registration at the counter; the tablet deletes its interview.
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![delete(1, "participant", &p1, 1_780_000_000_200)],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied"]);
    let answer = app
        .sync_push(
            &tablet,
            &replica,
            vec![delete(4, "interview", &i1, 1_780_000_000_201)],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied"]);
    let counts = support::fair_counts(&app, &city, &fair).await;
    assert_eq!(
        tally(&counts).0,
        1,
        "the deleted registration is counted: {counts}"
    );
    assert_eq!(counts["interviews"], 0, "{counts}");
    assert_eq!(counts["offers"], 0, "{counts}");
}

#[tokio::test]
async fn a_note_with_a_nul_character_is_refused_on_its_own() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let (r, person) = (new_id(), new_id());
    let answer = app
        .sync_push(
            &city,
            &r,
            vec![
                new_person(1, &person, "見本", 4),
                note(2, &new_id(), &person, "\u{0000}面談しました"),
                note(3, &new_id(), &person, "面談しました。\n次回は来週。"),
            ],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied", "rejected", "applied"]);
    assert_eq!(
        answer["results"][1]["fields"][0]["field"], "body",
        "{answer}"
    );
}

#[tokio::test]
async fn a_mutation_that_fails_in_storage_is_refused_alone_and_fails_no_other_push() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    refuse_in_storage(&app, "故障").await;
    let r = new_id();
    let r = r.as_str();
    let pushes = (0..6).map(|n| {
        let (app, city) = (&app, &city);
        async move {
            let replica = if n == 0 { r.to_owned() } else { new_id() };
            let batch = if n == 0 {
                vec![
                    new_person(1, &new_id(), "一番", 4),
                    new_person(2, &new_id(), "故障", 4),
                    new_person(3, &new_id(), "三番", 4),
                ]
            } else {
                vec![new_person(1, &new_id(), "無関係", 5)]
            };
            let reply = app
                .post_as(
                    city,
                    "/api/v1/sync/push",
                    &json!({ "protocol": 1, "replica": replica, "mutations": batch }),
                )
                .await;
            (n, reply)
        }
    });
    for (n, reply) in futures::future::join_all(pushes).await {
        assert_eq!(reply.status, 200, "push {n}: {}", reply.text);
        let answer = reply.json();
        if n == 0 {
            assert_eq!(
                statuses(&answer),
                ["applied", "rejected", "applied"],
                "{answer}"
            );
            assert_eq!(answer["through"], 3);
        } else {
            assert_eq!(statuses(&answer), ["applied"]);
        }
    }
    assert_eq!(live_people(&app).await, 7);
}

#[tokio::test]
async fn a_new_replicas_first_mutation_refused_by_storage_is_refused_alone() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    refuse_in_storage(&app, "故障").await;
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![
                new_person(1, &new_id(), "故障", 4),
                new_person(2, &new_id(), "二番", 4),
            ],
        )
        .await;
    assert_eq!(statuses(&answer), ["rejected", "applied"], "{answer}");
    assert_eq!(answer["through"], 2);
}

#[tokio::test]
async fn mutation_numbers_start_at_one_and_are_never_reused_for_other_content() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let r = new_id();
    // Number 0 on a fresh replica was answered `duplicate` and dropped.
    let zero = app
        .sync_push(&city, &r, vec![new_person(0, &new_id(), "零", 4)])
        .await;
    assert_eq!(statuses(&zero), ["rejected"], "{zero}");
    assert_eq!(live_people(&app).await, 0);

    // Two different changes under one number in one batch: the second is refused, not lost.
    let (a, b) = (new_id(), new_id());
    let answer = app
        .sync_push(
            &city,
            &r,
            vec![new_person(1, &a, "一", 4), new_person(1, &b, "別", 4)],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied", "rejected"], "{answer}");
    assert!(
        answer["results"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("番号"),
        "{answer}"
    );
    // A later push reusing the number with other content is refused too; the same content is
    // a duplicate.
    let reused = app
        .sync_push(&city, &r, vec![new_person(1, &new_id(), "再", 4)])
        .await;
    assert_eq!(statuses(&reused), ["rejected"], "{reused}");
    let same = app
        .sync_push(&city, &r, vec![new_person(1, &a, "一", 4)])
        .await;
    assert_eq!(statuses(&same), ["duplicate"], "{same}");
    assert_eq!(live_people(&app).await, 1);
}

#[tokio::test]
async fn a_retry_repeats_the_conflicts_the_lost_answer_reported() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let (ra, rb, person) = (new_id(), new_id(), new_id());
    app.sync_push(&city, &ra, vec![new_person(1, &person, "見本", 4)])
        .await;
    let created = stamp(1_700_000_000_001, 4);
    let first = edit(
        2,
        &person,
        "family_name",
        "甲",
        stamp(1_700_000_001_000, 4),
        created.clone(),
    );
    app.sync_push(&city, &ra, vec![first]).await;
    // Another laptop edited the same field offline, from the same starting point.
    let other = edit(
        1,
        &person,
        "family_name",
        "乙",
        stamp(1_700_000_002_000, 5),
        created,
    );
    let answer = app.sync_push(&city, &rb, vec![other.clone()]).await;
    assert_eq!(answer["results"][0]["conflicts"], 1, "{answer}");
    // The answer was lost: the retry must still tell the laptop about its conflict.
    let retry = app.sync_push(&city, &rb, vec![other]).await;
    assert_eq!(statuses(&retry), ["duplicate"]);
    assert_eq!(retry["results"][0]["conflicts"], 1, "{retry}");
}

#[tokio::test]
async fn a_base_from_the_future_does_not_hide_a_concurrent_edit() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let (ra, rb, person) = (new_id(), new_id(), new_id());
    app.sync_push(&city, &ra, vec![new_person(1, &person, "見本", 4)])
        .await;
    let created = stamp(1_700_000_000_001, 4);
    app.sync_push(
        &city,
        &ra,
        vec![edit(
            2,
            &person,
            "family_name",
            "甲",
            stamp(1_700_000_001_000, 4),
            created,
        )],
    )
    .await;
    // A laptop that never saw 甲 claims to have seen a value from the year 2500.
    let bogus = edit(
        1,
        &person,
        "family_name",
        "乙",
        stamp(1_700_000_002_000, 5),
        stamp(16_725_225_600_000, 5),
    );
    let answer = app.sync_push(&city, &rb, vec![bogus]).await;
    assert_eq!(answer["results"][0]["conflicts"], 1, "{answer}");
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_conflicts")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(open, 1);
}

#[tokio::test]
async fn an_unreadable_or_unknown_mutation_is_refused_alone() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let r = new_id();
    let batch = vec![
        new_person(1, &new_id(), "一", 4),
        json!({ "seq": 2, "kind": "person", "id": new_id(), "op": { "type": "frobnicate" } }),
        json!({ "seq": 3, "kind": "survey", "id": new_id(), "op": { "type": "put", "fields": [] } }),
        new_person(4, &new_id(), "四", 4),
    ];
    let answer = app.sync_push(&city, &r, batch).await;
    assert_eq!(
        statuses(&answer),
        ["applied", "rejected", "rejected", "applied"],
        "{answer}"
    );
    assert_eq!(answer["through"], 4);
    assert_eq!(live_people(&app).await, 2);
}

#[tokio::test]
async fn after_a_restore_a_device_numbering_ahead_of_the_database_goes_on() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let r = new_id();
    app.sync_push(&city, &r, vec![new_person(1, &new_id(), "一", 4)])
        .await;
    // The backup was taken here; the device went on to 5 meanwhile, and its 6 waits.
    let ahead = vec![new_person(6, &new_id(), "六", 4)];
    let stuck = app.sync_push(&city, &r, ahead.clone()).await;
    assert_eq!(stuck["through"], 1, "a gap stops the push");
    let mut conn = app.db().acquire().await.unwrap();
    renkei_server::store::sync::new_epoch(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let answer = app.sync_push(&city, &r, ahead).await;
    assert_eq!(statuses(&answer), ["applied"], "{answer}");
    assert_eq!(answer["through"], 6);
    // From then on the numbering is strict again.
    let gap = app
        .sync_push(&city, &r, vec![new_person(9, &new_id(), "九", 4)])
        .await;
    assert_eq!(gap["through"], 6);
}

#[tokio::test]
async fn a_cursor_from_elsewhere_or_beyond_the_end_starts_a_full_pull() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let r = new_id();
    app.sync_push(
        &city,
        &r,
        vec![
            new_person(1, &new_id(), "一", 4),
            new_person(2, &new_id(), "二", 4),
        ],
    )
    .await;
    let first = pull(&app, &city, "after=0").await;
    let epoch = first["epoch"].as_str().expect("an epoch").to_owned();
    let cursor = first["cursor"].as_u64().unwrap();
    assert_eq!(first["records"].as_array().unwrap().len(), 2);
    assert_eq!(first["reset"], false);

    // Up to date with this database: nothing new, no reset.
    let same = pull(&app, &city, &format!("after={cursor}&epoch={epoch}")).await;
    assert_eq!(same["records"].as_array().unwrap().len(), 0);
    assert_eq!(same["reset"], false);

    // A cursor this database never gave out (restored from a backup), one from another
    // database, and one ≥ 2^63 (read as negative before): each starts again from the
    // beginning and says so.
    for query in [
        format!("after={}&epoch={epoch}", cursor + 1000),
        format!("after={cursor}&epoch=0123456789abcdef0123456789abcdef"),
        format!("after={}", (1u64 << 63) + 5),
        format!("after={}", u64::MAX),
    ] {
        let page = pull(&app, &city, &query).await;
        assert_eq!(page["reset"], true, "{query}: {page}");
        assert_eq!(page["records"].as_array().unwrap().len(), 2, "{query}");
        assert_eq!(page["epoch"], epoch.as_str());
    }
}

/// Record state is stored compactly; rows written as JSON (older databases, the SQL that adopts
/// rows made before sync) still read the same.
#[tokio::test]
async fn record_state_is_stored_compactly_and_old_json_rows_still_read() {
    use renkei_server::store::sync::{decode_state, encode_state};
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let id = new_id();
    app.sync_push(&city, &new_id(), vec![new_person(1, &id, "見本", 7)])
        .await;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT state FROM sync_records WHERE id = $1")
        .bind(&id)
        .fetch_one(app.db())
        .await
        .unwrap();
    let state = decode_state(&stored).unwrap();
    let json = serde_json::to_vec(&state).unwrap();
    assert_eq!(state.fields["family_name"].value, json!("見本"));
    assert!(
        stored.len() * 10 < json.len() * 4, // under 40 %
        "{} bytes stored, {} as JSON",
        stored.len(),
        json.len()
    );
    assert_eq!(decode_state(&json).unwrap(), state);
    assert_eq!(encode_state(&state).unwrap(), stored);
    assert!(decode_state(b"\xc1 not a state").is_err());

    // The stored form is positional (structs as arrays): these bytes, written by this version,
    // must keep reading the same — reordering the members of `Hlc`, `FieldState` or
    // `RecordState` would read stored stamps wrongly without an error.
    let pinned = state_with_one_field();
    assert_eq!(hex(&encode_state(&pinned).unwrap()), PINNED);
    assert_eq!(decode_state(&unhex(PINNED)).unwrap(), pinned);
}

/// `{"fields": {"body": {"value": "x", "stamp": {wall_ms: 1, counter: 2, node: 3}, "base":
/// {wall_ms: 4, counter: 5, node: 6}}}, "deleted": {wall_ms: 7, counter: 8, node: 9}}`
const PINNED: &str = "9281a4626f647993a178930102039304050693070809";

fn state_with_one_field() -> app::sync::merge::RecordState {
    use app::sync::hlc::Hlc;
    use app::sync::merge::{FieldState, RecordState};
    let hlc = |wall_ms, counter, node| Hlc {
        wall_ms,
        counter,
        node,
    };
    RecordState {
        fields: [(
            "body".to_owned(),
            FieldState {
                value: json!("x"),
                stamp: hlc(1, 2, 3),
                base: Some(hlc(4, 5, 6)),
            },
        )]
        .into(),
        deleted: Some(hlc(7, 8, 9)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// Sessions note when they were last seen (once a minute). That write went outside the write
/// queue: at the minute marks it collided with push transactions, and "database is locked"
/// failed whole groups of pushes with a 500. Here every session is due for its note while
/// they all push and read at once, round after round: no answer but 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_noting_when_they_were_last_seen_never_fail_pushes() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let mut sessions = Vec::new();
    for _ in 0..10 {
        sessions.push((app.login(CITY).await, new_id()));
    }
    let mut statuses = std::collections::BTreeMap::<u16, u32>::new();
    for round in 0..8u64 {
        sqlx::query("UPDATE sessions SET last_seen_ms = last_seen_ms - 120000")
            .execute(app.db())
            .await
            .unwrap();
        let work = sessions.iter().enumerate().map(|(n, (who, replica))| {
            let app = app.clone();
            let (who, replica) = (who.clone(), replica.clone());
            tokio::spawn(async move {
                let batch: Vec<Value> = (1..=5)
                    .map(|i| new_person(round * 5 + i, &new_id(), "見本", 100 + n as u64))
                    .collect();
                let body = json!({ "protocol": 1, "replica": replica, "mutations": batch });
                let pushed = app.post_as(&who, "/api/v1/sync/push", &body).await.status;
                let read = app.get_as(&who, "/api/v1/people").await.status;
                [pushed.as_u16(), read.as_u16()]
            })
        });
        for answer in futures::future::join_all(work).await {
            for status in answer.unwrap() {
                *statuses.entry(status).or_default() += 1;
            }
        }
    }
    assert_eq!(statuses.keys().collect::<Vec<_>>(), [&200], "{statuses:?}");
}
