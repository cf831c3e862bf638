//! Fair registration through the sync engine: tablets write only their fair's participants and
//! receive only those; a person checked in on two tablets is counted once; the same person
//! registered twice (or already known at the counter) is flagged for staff, never merged.

mod support;

use serde_json::{Value, json};
use support::{ADMIN, CITY, TestApp, new_id, stamp};

/// A walk-in registration as a tablet sends it.
fn walk_in(
    seq: u64,
    id: &str,
    event: &str,
    node: u64,
    who: (&str, &str, &str, &str),
    birth: &str,
    phone: &str,
) -> Value {
    let s = stamp(1_780_000_000_000 + seq, node);
    let w = |field: &str, value: Value| json!({ "field": field, "value": value, "stamp": s, "base": null });
    json!({ "seq": seq, "kind": "participant", "id": id, "op": { "type": "put", "fields": [
        w("event_id", json!(event)),
        w("family_name", json!(who.0)), w("given_name", json!(who.1)),
        w("family_name_kana", json!(who.2)), w("given_name_kana", json!(who.3)),
        w("birth_date", json!(birth)), w("phone", json!(phone)),
        w("category", json!("youth")), w("contact_ok", json!(true)), w("share_ok", json!(true)),
    ]}})
}

fn check_in(seq: u64, id: &str, node: u64, at: u64) -> Value {
    json!({ "seq": seq, "kind": "participant", "id": id, "op": { "type": "put", "fields": [
        { "field": "checked_in", "value": true, "stamp": stamp(at, node), "base": null }
    ]}})
}

fn statuses(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn two_tablets_register_check_in_and_the_counter_counts_each_person_once() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "若年者合同面接会").await;
    let other_fair = app.event(&city, "別の面接会").await;
    let known = app.person(&city, "見本").await; // 見本 花子 ミホン ハナコ, see support
    let known_view = app
        .get_as(&city, &format!("/api/v1/people/{known}"))
        .await
        .json();
    let (tablet_a, _) = app.device(&admin, &fair).await;
    let (tablet_b, _) = app.device(&admin, &fair).await;
    let (ra, rb) = (new_id(), new_id());

    // Pre-registered at the counter (staff push), then checked in on both tablets offline.
    let invited = new_id();
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![walk_in(
                1,
                &invited,
                &fair,
                9,
                ("招待", "一郎", "ショウタイ", "イチロウ"),
                "2001-01-01",
                "",
            )],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied"]);

    let same_walk_in = ("重複", "太郎", "ジュウフク", "タロウ");
    let (a1, b1) = (new_id(), new_id());
    let a = app
        .sync_push(
            &tablet_a,
            &ra,
            vec![
                walk_in(
                    1,
                    &a1,
                    &fair,
                    1,
                    same_walk_in,
                    "2003-05-05",
                    "090-1111-2222",
                ),
                check_in(2, &invited, 1, 1_780_000_100_000),
                // A tablet cannot register someone at another fair.
                walk_in(
                    3,
                    &new_id(),
                    &other_fair,
                    1,
                    ("他所", "花子", "タショ", "ハナコ"),
                    "",
                    "",
                ),
            ],
        )
        .await;
    assert_eq!(statuses(&a), ["applied", "applied", "rejected"]);
    assert!(
        a["results"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("面接会")
    );
    let b = app
        .sync_push(
            &tablet_b,
            &rb,
            vec![
                // The same walk-in registered again on the other tablet (hiragana, full-width phone).
                walk_in(
                    1,
                    &b1,
                    &fair,
                    2,
                    ("重複", "太郎", "じゅうふく", "たろう"),
                    "",
                    "０９０-１１１１-２２２２",
                ),
                check_in(2, &invited, 2, 1_780_000_200_000),
                // Someone already known at the counter.
                walk_in(
                    3,
                    &new_id(),
                    &fair,
                    2,
                    (
                        known_view["family_name"].as_str().unwrap(),
                        known_view["given_name"].as_str().unwrap(),
                        known_view["family_name_kana"].as_str().unwrap(),
                        known_view["given_name_kana"].as_str().unwrap(),
                    ),
                    known_view["birth_date"].as_str().unwrap_or(""),
                    "",
                ),
            ],
        )
        .await;
    assert_eq!(statuses(&b), ["applied", "applied", "applied"]);
    assert_eq!(
        b["results"][1]["conflicts"], 0,
        "two check-ins are the same value, not a conflict"
    );

    let counts = app
        .get_as(&city, &format!("/api/v1/events/{fair}/counts"))
        .await
        .json();
    assert_eq!(counts["registered"], 4, "{counts}");
    assert_eq!(
        counts["checked_in"], 1,
        "one person checked in twice counts once: {counts}"
    );
    let flags: Vec<(String, String, String)> =
        sqlx::query_as("SELECT record_id, other_id, reason FROM duplicate_flags ORDER BY id")
            .fetch_all(app.db())
            .await
            .unwrap();
    let known_birth = known_view["birth_date"].is_string();
    assert!(
        flags
            .iter()
            .any(|(r, o, why)| r == &b1 && o == &a1 && why == "kana_phone"),
        "{flags:?}"
    );
    if known_birth {
        assert!(
            flags
                .iter()
                .any(|(_, o, why)| o == &known && why == "kana_birth_date"),
            "{flags:?}"
        );
    }
    assert_eq!(counts["possible_duplicates"], flags.len() as u64);
    assert!(flags.len() <= 2, "no pair flagged twice: {flags:?}");

    // Each tablet receives its fair's registrations only, and no cases.
    let page = app
        .get_as(&tablet_a, "/api/v1/sync/pull?protocol=1")
        .await
        .json();
    let kinds: Vec<&str> = page["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 4, "{page}");
    assert!(kinds.iter().all(|k| *k == "participant"));
    // Staff of the counter see them too.
    let staff_page = app
        .get_as(&city, "/api/v1/sync/pull?protocol=1")
        .await
        .json();
    let participants = staff_page["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "participant")
        .count();
    assert_eq!(participants, 4);
}

#[tokio::test]
async fn a_tablet_of_another_fair_cannot_touch_these_registrations() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "面接会A").await;
    let other = app.event(&city, "面接会B").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let (stranger, _) = app.device(&admin, &other).await;
    let p = new_id();
    app.sync_push(
        &tablet,
        &new_id(),
        vec![walk_in(
            1,
            &p,
            &fair,
            1,
            ("見本", "次郎", "ミホン", "ジロウ"),
            "",
            "",
        )],
    )
    .await;
    let answer = app
        .sync_push(
            &stranger,
            &new_id(),
            vec![check_in(1, &p, 5, 1_780_000_300_000)],
        )
        .await;
    assert_eq!(statuses(&answer), ["rejected"]);
    let page = app
        .get_as(&stranger, "/api/v1/sync/pull?protocol=1")
        .await
        .json();
    assert!(page["records"].as_array().unwrap().is_empty(), "{page}");
    let counts = app
        .get_as(&city, &format!("/api/v1/events/{fair}/counts"))
        .await
        .json();
    assert_eq!(counts["checked_in"], 0);
    // A tablet cannot write cases either.
    let person = json!({ "seq": 2, "kind": "person", "id": new_id(), "op": { "type": "put", "fields": [] } });
    let answer = app.sync_push(&tablet,
        &new_id(),
        vec![
            json!({ "seq": 1, "kind": "note", "id": new_id(), "op": { "type": "put", "fields": [] } }),
            person,
        ],
    )
    .await;
    assert_eq!(statuses(&answer), ["rejected", "rejected"]);
}
