//! Fair registration through the sync engine: tablets write only their fair's participants and
//! receive only those; a person checked in on two tablets is counted once; the same person
//! registered twice (or already known at the counter) is flagged for staff, never merged.

mod support;

use serde_json::{Value, json};
use support::{
    ADMIN, CITY, TestApp, check_in, fair_counts, interview, new_id, stamp, statuses, walk_in,
    with_age_band,
};

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
                // The same walk-in registered again on the other tablet (hiragana, full-width
                // phone, an age group instead of the birth date).
                with_age_band(walk_in(
                    1,
                    &b1,
                    &fair,
                    2,
                    ("重複", "太郎", "じゅうふく", "たろう"),
                    "",
                    "０９０-１１１１-２２２２",
                )),
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

    let counts = fair_counts(&app, &city, &fair).await;
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
    let counts = fair_counts(&app, &city, &fair).await;
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

#[tokio::test]
async fn employers_interviews_and_outcomes_are_counted_per_fair_and_employer() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "合同面接会（結果）").await;
    let other = app.event(&city, "別の面接会").await;

    // Employers are set up at the counter; a name is unique within a fair.
    let add = |name: &'static str| {
        let app = &app;
        let city = &city;
        let fair = fair.clone();
        async move {
            app.post_as(
                city,
                &format!("/api/v1/events/{fair}/employers"),
                &json!({ "name": name, "jobs": "介護職（正社員）" }),
            )
            .await
        }
    };
    let care = add("みほん介護サービス").await;
    assert_eq!(care.status, 201, "{}", care.text);
    let care = care.json()["id"].as_str().unwrap().to_owned();
    let food = add("見本食品工業").await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let again = add("みほん介護サービス").await;
    assert_eq!(again.status, 422);
    assert!(again.text.contains("すでに登録"), "{}", again.text);
    let empty = app
        .post_as(
            &city,
            &format!("/api/v1/events/{fair}/employers"),
            &json!({ "name": " " }),
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.text.contains("事業所名"), "{}", empty.text);

    // The tablet sees its event with the employers.
    let (tablet, _) = app.device(&admin, &fair).await;
    let detail = app.get_as(&tablet, "/api/v1/device/event").await.json();
    assert_eq!(detail["employers"].as_array().unwrap().len(), 2, "{detail}");

    let (p1, p2) = (new_id(), new_id());
    let replica = new_id();
    let at = 1_780_000_000_000;
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
                    ("面接", "一郎", "メンセツ", "イチロウ"),
                    "2002-02-02",
                    "",
                ),
                walk_in(
                    2,
                    &p2,
                    &fair,
                    7,
                    ("面接", "二郎", "メンセツ", "ジロウ"),
                    "2003-03-03",
                    "",
                ),
                interview(3, &new_id(), &fair, &p1, &care, "interview", at + 10),
                interview(4, &new_id(), &fair, &p2, &care, "offer", at + 11),
                interview(5, &new_id(), &fair, &p2, &food, "not_hired", at + 12),
                // Refused: an unknown participant, an employer of no fair, a bad outcome.
                interview(6, &new_id(), &fair, &new_id(), &care, "interview", at + 13),
                interview(7, &new_id(), &fair, &p1, &new_id(), "interview", at + 14),
                interview(8, &new_id(), &fair, &p1, &food, "maybe", at + 15),
                // Refused: another fair.
                interview(9, &new_id(), &other, &p1, &care, "interview", at + 16),
            ],
        )
        .await;
    assert_eq!(
        statuses(&answer),
        [
            "applied", "applied", "applied", "applied", "applied", "rejected", "rejected",
            "rejected", "rejected"
        ],
        "{answer}"
    );
    assert!(
        answer["results"][5]["reason"]
            .as_str()
            .unwrap()
            .contains("参加者"),
        "{answer}"
    );
    assert!(
        answer["results"][6]["reason"]
            .as_str()
            .unwrap()
            .contains("事業所"),
        "{answer}"
    );

    // The first interview moves on to 採用 later (an edit of the same record).
    let first = answer["results"][2]["seq"].as_u64().unwrap();
    assert_eq!(first, 3);
    let hire_id = {
        let page = app
            .get_as(&tablet, "/api/v1/sync/pull?protocol=1")
            .await
            .json();
        let records = page["records"].as_array().unwrap();
        assert_eq!(
            records.iter().filter(|r| r["kind"] == "interview").count(),
            3,
            "{page}"
        );
        records
            .iter()
            .find(|r| {
                r["kind"] == "interview"
                    && r["state"]["fields"]["participant_id"]["value"] == p1.as_str()
            })
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let hired = json!({ "seq": 10, "kind": "interview", "id": hire_id, "op": { "type": "put", "fields": [
        { "field": "outcome", "value": "hired", "stamp": stamp(at + 100, 7), "base": null }
    ]}});
    assert_eq!(
        statuses(&app.sync_push(&tablet, &replica, vec![hired]).await),
        ["applied"]
    );

    let counts = fair_counts(&app, &city, &fair).await;
    assert_eq!(counts["interviews"], 3, "{counts}");
    assert_eq!(counts["offers"], 2, "an offer and a hire: {counts}");
    assert_eq!(counts["hires"], 1, "{counts}");
    let by_employer: Vec<(String, u64, u64, u64)> = counts["employers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["interviews"].as_u64().unwrap(),
                e["offers"].as_u64().unwrap(),
                e["hires"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_employer,
        [
            ("みほん介護サービス".to_owned(), 2, 2, 1),
            ("見本食品工業".to_owned(), 1, 0, 0)
        ]
    );
}

#[tokio::test]
async fn a_participant_becomes_a_person_at_the_counter_once_and_only_with_consent_to_share() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hello_work = app.login(support::HELLO_WORK).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "相談につなぐ面接会").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let (agreed, refused) = (new_id(), new_id());
    let mut no_share = walk_in(
        2,
        &refused,
        &fair,
        3,
        ("非共有", "一子", "ヒキョウユウ", "カズコ"),
        "1999-09-09",
        "",
    );
    // The second walk-in did not agree to share with the city.
    no_share["op"]["fields"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "field": "share_ok", "value": false, "stamp": stamp(1_780_000_000_099, 3), "base": null }));
    let answer = app
        .sync_push(
            &tablet,
            &new_id(),
            vec![
                walk_in(
                    1,
                    &agreed,
                    &fair,
                    3,
                    ("相談", "次郎", "ソウダン", "ジロウ"),
                    "2004-04-04",
                    "",
                ),
                no_share,
            ],
        )
        .await;
    assert_eq!(statuses(&answer), ["applied", "applied"]);

    let url = |p: &str| format!("/api/v1/events/{fair}/participants/{p}/person");
    let made = app.post_as(&city, &url(&agreed), &json!({})).await;
    assert_eq!(made.status, 200, "{}", made.text);
    let person = made.json();
    assert_eq!(person["family_name_kana"], "ソウダン");
    assert_eq!(person["category"], "youth");
    assert_eq!(person["owner_org"], "city");
    // Asked again: the same person, not a second one.
    let again = app.post_as(&city, &url(&agreed), &json!({})).await.json();
    assert_eq!(again["id"], person["id"]);
    let listed = app
        .get_as(&city, &format!("/api/v1/events/{fair}/participants"))
        .await
        .json();
    let row = listed["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == agreed.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["person_id"], person["id"]);

    // No consent to share with the city: for the city it does not exist; Hello Work may.
    assert_eq!(
        app.post_as(&city, &url(&refused), &json!({})).await.status,
        404
    );
    let by_hw = app
        .post_as(
            &hello_work,
            &url(&refused),
            &json!({ "category": "other_hardship" }),
        )
        .await;
    assert_eq!(by_hw.status, 200, "{}", by_hw.text);
    assert_eq!(by_hw.json()["owner_org"], "hello_work");
}

/// "A birth date or an age group" for a walk-in is the server's rule too, not only the form's:
/// a registration a tablet makes without either is refused with the field named (checked in at
/// once or not); a pre-registration by staff without either is accepted and checked in later.
#[tokio::test]
async fn a_walk_in_without_birth_date_or_age_group_is_refused_by_the_server() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "面接会").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let with = |seq: u64, id: &str, extra: &[(&str, Value)]| {
        let mut m = walk_in(
            seq,
            id,
            &fair,
            3,
            ("来場", "一郎", "ライジョウ", "イチロウ"),
            "",
            "",
        );
        for (field, value) in extra {
            m["op"]["fields"].as_array_mut().unwrap().push(json!({
                "field": field, "value": value, "stamp": stamp(1_780_000_000_000 + seq, 3), "base": null
            }));
        }
        m
    };
    let (walked, banded, unchecked, invited) = (new_id(), new_id(), new_id(), new_id());
    // Pre-registered at the counter with neither: staff's registrations may wait for it.
    let staff = app
        .sync_push(&city, &new_id(), vec![with(1, &invited, &[])])
        .await;
    assert_eq!(staff["results"][0]["status"], "applied", "{staff}");
    let answer = app
        .sync_push(
            &tablet,
            &new_id(),
            vec![
                with(1, &walked, &[("checked_in", json!(true))]),
                // Made unchecked and checked in after: still a walk-in made on a tablet.
                with(2, &unchecked, &[]),
                check_in(3, &unchecked, 3, 1_780_000_000_100),
                with(
                    4,
                    &banded,
                    &[("checked_in", json!(true)), ("age_band", json!("20s"))],
                ),
                check_in(5, &invited, 3, 1_780_000_000_200),
            ],
        )
        .await;
    let results = answer["results"].as_array().unwrap();
    for refused in &results[..3] {
        assert_eq!(refused["status"], "rejected", "{answer}");
    }
    assert_eq!(results[0]["fields"][0]["field"], "birth_date");
    assert_eq!(results[0]["fields"][0]["code"], "birth_date_or_age_band");
    assert_eq!(results[1]["fields"][0]["code"], "birth_date_or_age_band");
    assert!(
        results[0]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("年代"),
        "{answer}"
    );
    for r in &results[3..] {
        assert_eq!(r["status"], "applied", "{answer}");
    }
}

/// A tablet sees every registration of its fair (to check people in) but may only check them
/// in: turning on someone's agreement to share, changing their phone or deleting a
/// registration is refused with the reason; staff at the counter still can (found by a probe:
/// a tablet switched on share_ok and the other organisation saw the phone).
#[tokio::test]
async fn a_tablet_only_checks_in_registrations_that_exist() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let admin = app.login(ADMIN).await;
    let fair = app.event(&city, "端末の権限").await;
    let (tablet, _) = app.device(&admin, &fair).await;
    let invited = new_id();
    let who = ("招待", "秘子", "ショウタイ", "ヒコ");
    let made = app
        .sync_push(
            &city,
            &new_id(),
            vec![support::registration(
                1,
                &invited,
                &fair,
                9,
                who,
                ("2000-01-01", ""),
                false,
            )],
        )
        .await;
    assert_eq!(made["results"][0]["status"], "applied", "{made}");
    let field = |seq: u64, name: &str, value: Value| {
        json!({ "seq": seq, "kind": "participant", "id": invited, "op": { "type": "put", "fields": [
            { "field": name, "value": value, "stamp": stamp(1_780_000_500_000 + seq, 3), "base": null }]}})
    };
    let delete = json!({ "seq": 4, "kind": "participant", "id": invited,
                         "op": { "type": "delete", "stamp": stamp(1_780_000_600_000, 3) } });
    let answer = app
        .sync_push(
            &tablet,
            &new_id(),
            vec![
                field(1, "share_ok", json!(true)),
                field(2, "phone", json!("080-9999-0000")),
                check_in(3, &invited, 3, 1_780_000_500_100),
                delete,
            ],
        )
        .await;
    assert_eq!(
        statuses(&answer),
        ["rejected", "rejected", "applied", "rejected"]
    );
    assert!(
        answer["results"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("来場の記録だけ"),
        "{answer}"
    );
    // Staff change it at the counter.
    let staff = app
        .sync_push(&city, &new_id(), vec![field(1, "share_ok", json!(true))])
        .await;
    assert_eq!(staff["results"][0]["status"], "applied", "{staff}");
}
