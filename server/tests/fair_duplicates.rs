//! Possible duplicates at a fair, decided by staff: merged registrations count once (also
//! when merges go round in a circle), kept-apart ones stay two people.

mod support;

use serde_json::json;
use support::{ADMIN, CITY, TestApp, check_in, fair_counts, new_id, tally, walk_in};

#[tokio::test]
async fn staff_merge_or_keep_apart_a_possible_duplicate_and_the_counts_follow() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "重複確認の面接会").await;
    let (tablet_a, _) = app.device(&admin, &fair).await;
    let (tablet_b, _) = app.device(&admin, &fair).await;
    let (a1, b1, a2, b2) = (new_id(), new_id(), new_id(), new_id());
    let same = ("同一", "太郎", "ドウイツ", "タロウ");
    let twin = ("双子", "一", "フタゴ", "ハジメ");
    app.sync_push(
        &tablet_a,
        &new_id(),
        vec![
            walk_in(1, &a1, &fair, 1, same, "2000-01-01", ""),
            walk_in(2, &a2, &fair, 1, twin, "2001-01-01", ""),
            check_in(3, &a1, 1, 1_780_000_100_000),
        ],
    )
    .await;
    app.sync_push(
        &tablet_b,
        &new_id(),
        vec![
            walk_in(1, &b1, &fair, 2, same, "2000-01-01", ""),
            walk_in(2, &b2, &fair, 2, twin, "2001-01-01", ""),
            check_in(3, &b1, 2, 1_780_000_100_001),
        ],
    )
    .await;
    let counts = fair_counts(&app, &city, &fair).await;
    assert_eq!(tally(&counts), (4, 2, 2), "{counts}");

    let list = app
        .get_as(&city, &format!("/api/v1/events/{fair}/duplicates"))
        .await
        .json();
    let list = list["duplicates"].as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    let flag = |record: &str| {
        list.iter().find(|d| d["record_id"] == record).unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(list[0]["record_name"], "同一 太郎");
    assert_eq!(list[0]["other_name"], "同一 太郎");
    assert_eq!(list[0]["reason"], "kana_birth_date");

    let decide = |flag: i64, decision: &'static str| {
        let (app, city) = (&app, &city);
        async move {
            app.post_as(
                city,
                &format!("/api/v1/duplicates/{flag}/decide"),
                &json!({ "decision": decision }),
            )
            .await
        }
    };
    // The same person registered on both tablets: merged. Twins: kept apart.
    let merge = decide(flag(&b1), "merge").await;
    assert_eq!(merge.status, 204, "{}", merge.text);
    let apart = decide(flag(&b2), "keep_apart").await;
    assert_eq!(apart.status, 204, "{}", apart.text);
    // Decided once; a wrong decision is named.
    assert_eq!(decide(flag(&b1), "merge").await.status, 404);
    assert_eq!(decide(flag(&b1), "both").await.status, 422);

    let counts = fair_counts(&app, &city, &fair).await;
    assert_eq!(tally(&counts), (3, 1, 0), "merged counts once: {counts}");
    let decided: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'duplicate_decided' ORDER BY seq",
    )
    .fetch_all(app.db())
    .await
    .unwrap();
    assert_eq!(decided.len(), 2, "{decided:?}");
    assert!(
        decided[0].starts_with("merged other=participant:"),
        "{decided:?}"
    );
    assert!(decided[1].starts_with("kept_apart"), "{decided:?}");
}

#[tokio::test]
async fn merging_in_a_circle_still_counts_each_person_once() {
    let app = TestApp::new().await;
    let hw = app.login(support::HELLO_WORK).await;
    let fair = app.event(&hw, "三重登録の面接会").await;
    let (a, b, c) = (new_id(), new_id(), new_id());
    let same = ("三重", "登録", "サンジュウ", "トウロク");
    app.sync_push(
        &hw,
        &new_id(),
        vec![
            walk_in(1, &a, &fair, 1, same, "2000-01-01", ""),
            walk_in(2, &b, &fair, 1, same, "2000-01-01", ""),
            walk_in(3, &c, &fair, 1, same, "2000-01-01", ""),
        ],
    )
    .await;
    let flags = app
        .get_as(&hw, &format!("/api/v1/events/{fair}/duplicates"))
        .await
        .json()["duplicates"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(flags.len(), 3, "{flags:?}");
    // Every flag merged, whatever the order: the three are one person.
    for flag in &flags {
        let id = flag["id"].as_i64().unwrap();
        let reply = app
            .post_as(
                &hw,
                &format!("/api/v1/duplicates/{id}/decide"),
                &json!({ "decision": "merge" }),
            )
            .await;
        assert_eq!(reply.status, 204, "{}", reply.text);
    }
    let (registered, _, open) = tally(&fair_counts(&app, &hw, &fair).await);
    assert_eq!((registered, open), (1, 0));
    let roots: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM participants p WHERE event_id = $1 AND merged_into IS NOT NULL
           AND EXISTS (SELECT 1 FROM participants q WHERE q.id = p.merged_into
                       AND q.merged_into IS NOT NULL)",
    )
    .bind(&fair)
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!(
        roots, 0,
        "every merged registration points at one that is not merged"
    );
}

/// A pair is one flag whichever way round it is found: the database holds that (a unique
/// index on the unordered pair), not a check made before the insert.
#[tokio::test]
async fn a_pair_flagged_both_ways_is_one_flag() {
    use renkei_server::store::fairs::flag_duplicate;
    let app = TestApp::new().await;
    let city = app.login(support::CITY).await;
    let fair = app.event(&city, "重複の順序").await;
    let (a, b) = (new_id(), new_id());
    let mut conn = app.db().acquire().await.unwrap();
    for (x, y) in [(&a, &b), (&b, &a), (&a, &b)] {
        flag_duplicate(&mut conn, x, y, "participant", &fair, "kana_phone", 1)
            .await
            .unwrap();
    }
    drop(conn);
    assert_eq!(app.count("duplicate_flags").await, 1);
}

/// Staff judge a possible duplicate from what tells people apart — birth date or age group,
/// phone, which tablet registered each and when — and may take the decision back: an undone
/// merge counts the two registrations apart again, and the flag waits for a new decision.
#[tokio::test]
async fn a_duplicate_shows_what_staff_judge_by_and_a_merge_is_undone() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "取り消しの面接会").await;
    let (tablet_a, _) = app.device(&admin, &fair).await;
    let (tablet_b, _) = app.device(&admin, &fair).await;
    let (a, b) = (new_id(), new_id());
    let same = ("同一", "花子", "ドウイツ", "ハナコ");
    app.sync_push(
        &tablet_a,
        &new_id(),
        vec![walk_in(1, &a, &fair, 1, same, "2000-01-01", "")],
    )
    .await;
    app.sync_push(
        &tablet_b,
        &new_id(),
        vec![walk_in(1, &b, &fair, 2, same, "2000-01-01", "")],
    )
    .await;
    let list = app
        .get_as(&city, &format!("/api/v1/events/{fair}/duplicates"))
        .await
        .json();
    let d = &list["duplicates"][0];
    for side in ["record_facts", "other_facts"] {
        let facts = &d[side];
        assert_eq!(facts["birth_date"], "2000-01-01", "{d}");
        assert_eq!(facts["by_tablet"], true, "{d}");
        assert!(
            facts["registered_by"]
                .as_str()
                .is_some_and(|l| !l.is_empty()),
            "{d}"
        );
        assert!(facts["registered_at_ms"].as_i64().is_some(), "{d}");
    }
    let flag = d["id"].as_i64().unwrap();
    let decide = |decision: &'static str| {
        let (app, city) = (&app, &city);
        async move {
            app.post_as(
                city,
                &format!("/api/v1/duplicates/{flag}/decide"),
                &json!({ "decision": decision }),
            )
            .await
        }
    };
    // Nothing to undo yet.
    assert_eq!(decide("undo").await.status, 422);
    assert_eq!(decide("merge").await.status, 204);
    assert_eq!(tally(&fair_counts(&app, &city, &fair).await).0, 1);
    let undo = decide("undo").await;
    assert_eq!(undo.status, 204, "{}", undo.text);
    // Two registrations again, on the counter and on the tablets (through the engine).
    assert_eq!(tally(&fair_counts(&app, &city, &fair).await).0, 2);
    let pulled = app.pull_all(&tablet_a, 100).await;
    let merged: Vec<&serde_json::Value> = pulled
        .iter()
        .filter(|r| r["kind"] == "participant")
        .map(|r| &r["state"]["fields"]["merged_into"]["value"])
        .collect();
    assert!(
        merged.iter().all(|m| m.as_str().is_none_or(str::is_empty)),
        "{merged:?}"
    );
    let list = app
        .get_as(&city, &format!("/api/v1/events/{fair}/duplicates"))
        .await
        .json();
    assert!(list["duplicates"][0]["resolution"].is_null(), "{list}");
    // Decided again, apart this time; audited both ways.
    assert_eq!(decide("keep_apart").await.status, 204);
    let undone: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'duplicate_undone'")
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(undone, 1);
}
