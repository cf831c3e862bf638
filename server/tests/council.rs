//! The steering council: the register of requests (managers record, everyone reads, overdue
//! ones marked, bad input named), meetings keeping a frozen copy of the report (a later
//! correction changes the live report, not the one given to the meeting), and the council
//! report listing the year's requests and approved stories.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{CITY, HELLO_WORK, MANAGER, TestApp, new_id, stamp};

fn placement(seq: u64, person: &str, day: &str) -> Value {
    let s = stamp(1_700_000_000_000 + seq, 3);
    let fields: Vec<Value> = [
        ("person_id", json!(person)),
        ("organisation", json!("hello_work")),
        ("author", json!("見本 ハローワーク職員")),
        ("placed_on", json!(day)),
        ("employer", json!("見本病院")),
        ("job_title", json!("看護助手")),
        ("employment_type", json!("regular")),
        ("route", json!("referral")),
        ("credited_org", json!("hello_work")),
        ("credited_staff", json!("見本 ハローワーク職員")),
    ]
    .into_iter()
    .map(|(f, v)| json!({ "field": f, "value": v, "stamp": s, "base": null }))
    .collect();
    json!({ "seq": seq, "kind": "placement", "id": new_id(), "op": { "type": "put", "fields": fields } })
}

#[tokio::test]
async fn requests_are_recorded_by_managers_answered_and_overdue_ones_marked() {
    let app = TestApp::new().await;
    let (manager, city) = (app.login(MANAGER).await, app.login(CITY).await);
    let body = json!({ "asked_by": "labour_bureau", "subject": "求人情報端末の増設",
        "detail": "窓口の混雑に対応するため", "asked_on": "令和8年10月1日", "due_on": "2026-10-31",
        "status": "in_progress" });
    assert_eq!(
        app.post_as(&city, "/api/v1/council/requests", &body)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let created = app
        .post_as(&manager, "/api/v1/council/requests", &body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    // Pending past 31 October (today is later): overdue, for everyone who reads the register.
    let list = app.get_as(&city, "/api/v1/council/requests").await.json();
    assert_eq!(list[0]["overdue"], true, "{list}");
    assert_eq!(list[0]["asked_on"], "2026-10-01");
    // 回答済 needs the answer and its day; both given, it is no longer overdue.
    let mut answered = body.clone();
    answered["status"] = json!("answered");
    let refused = app
        .post_as(
            &manager,
            &format!("/api/v1/council/requests/{id}"),
            &answered,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = refused.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["answer", "answered_on"]);
    answered["answer"] = json!("12月に1台増設します。");
    answered["answered_on"] = json!("2026-11-10");
    let changed = app
        .post_as(
            &manager,
            &format!("/api/v1/council/requests/{id}"),
            &answered,
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.json()["overdue"], false);
    let unknown = app
        .post_as(
            &manager,
            &format!("/api/v1/council/requests/{}", new_id()),
            &answered,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let list = app.get_as(&city, "/api/v1/council/requests").await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["answer"], "12月に1台増設します。");
    // A report as of a day before the answer shows the request as it stood then.
    let before = app
        .get_as(&city, "/api/v1/reports/council?as_of=2026-10-31")
        .await
        .json();
    let r = &before["requests"][0];
    assert_eq!(
        (r["status"].as_str(), r["answer"].as_str()),
        (Some("in_progress"), Some(""))
    );
    let after = app
        .get_as(&city, "/api/v1/reports/council?as_of=2026-11-10")
        .await
        .json();
    assert_eq!(after["requests"][0]["status"], "answered");
    // A withdrawn request stays withdrawn in a report of any day (an attacker's probe had it
    // shown as pending before its answer's day).
    let mut withdrawn = answered.clone();
    withdrawn["status"] = json!("withdrawn");
    let changed = app
        .post_as(
            &manager,
            &format!("/api/v1/council/requests/{id}"),
            &withdrawn,
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    let before = app
        .get_as(&city, "/api/v1/reports/council?as_of=2026-10-31")
        .await
        .json();
    assert_eq!(before["requests"][0]["status"], "withdrawn");
}

#[tokio::test]
async fn a_meeting_keeps_the_report_it_was_given_whatever_is_corrected_later() {
    let app = TestApp::new().await;
    let (manager, hw) = (app.login(MANAGER).await, app.login(HELLO_WORK).await);
    let person = app.person(&hw, "見本").await;
    let replica = new_id();
    let answer = app
        .sync_push(&hw, &replica, vec![placement(1, &person, "2026-09-10")])
        .await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let request = json!({ "asked_by": "city", "subject": "面接会の会場確保", "asked_on": "2026-09-01",
        "status": "open" });
    let r = app
        .post_as(&manager, "/api/v1/council/requests", &request)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // A meeting on 20 October reports as of the end of September by default.
    let meeting = app
        .post_as(
            &manager,
            "/api/v1/council/meetings",
            &json!({ "held_on": "令和8年10月20日", "members": "市長（会長）\n労働局長\n労使団体代表" }),
        )
        .await;
    assert_eq!(meeting.status, StatusCode::CREATED, "{}", meeting.text);
    let m = meeting.json();
    assert_eq!(m["as_of"], "2026-09-30");
    let id = m["id"].as_str().unwrap();
    let placements = |report: &Value| report["progress"]["outlooks"][0]["actual"].clone();
    assert_eq!(placements(&m["report"]), 1, "{m}");
    assert_eq!(m["report"]["requests"][0]["subject"], "面接会の会場確保");
    // A placement from September recorded late: the live report counts it …
    app.sync_push(&hw, &replica, vec![placement(2, &person, "2026-09-20")])
        .await;
    let live = app
        .get_as(&hw, "/api/v1/reports/council?as_of=2026-09-30")
        .await
        .json();
    assert_eq!(placements(&live), 2);
    // … the meeting's copy does not.
    let kept = app
        .get_as(&hw, &format!("/api/v1/council/meetings/{id}"))
        .await
        .json();
    assert_eq!(placements(&kept["report"]), 1);
    let list = app.get_as(&hw, "/api/v1/council/meetings").await.json();
    assert_eq!(
        list[0]["report"],
        Value::Null,
        "the list carries no reports"
    );
    // A report's day after the meeting is refused, naming the field.
    let late = app
        .post_as(
            &manager,
            "/api/v1/council/meetings",
            &json!({ "held_on": "2026-10-20", "members": "市長", "as_of": "2026-10-31" }),
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.json()["error"]["fields"][0]["field"], "as_of");
}

#[tokio::test]
async fn the_council_report_lists_approved_stories_only_and_never_who_they_are_about() {
    let app = TestApp::new().await;
    let (city, manager, hw) = (
        app.login(CITY).await,
        app.login(MANAGER).await,
        app.login(HELLO_WORK).await,
    );
    let person = app.person(&city, "窓口").await;
    let (approved, draft) = (new_id(), new_id());
    let s = |seq: u64| stamp(1_900_000_000_000 + seq, 5);
    let story = |seq: u64, id: &str| {
        let fields: Vec<Value> = [
            ("person_id", json!(person)),
            ("organisation", json!("city")),
            ("author", json!("見本 市職員")),
            ("drafted_on", json!(support::today())),
            ("sex", json!("female")),
            ("age_band", json!("30")),
            ("household", json!("子ども2人（13歳・3歳）")),
            (
                "challenges",
                json!("子育て中で保育先がなく、就職活動が難しい。"),
            ),
            ("support", json!("看護助手を第一志望に、一時保育を確保。")),
            ("result", json!("正社員の看護助手として採用（夜勤免除）。")),
        ]
        .into_iter()
        .map(|(f, v)| json!({ "field": f, "value": v, "stamp": s(seq), "base": null }))
        .collect();
        json!({ "seq": seq, "kind": "story", "id": id, "op": { "type": "put", "fields": fields } })
    };
    let answer = app
        .sync_push(
            &city,
            &new_id(),
            vec![story(1, &approved), story(2, &draft)],
        )
        .await;
    assert_eq!(answer["results"][1]["status"], "applied", "{answer}");
    let approve = json!({ "seq": 1, "kind": "story", "id": approved, "op": { "type": "put", "fields": [
        { "field": "approved_on", "value": support::today(), "stamp": s(3), "base": null },
        { "field": "approved_by", "value": "見本 管理職", "stamp": s(3), "base": null },
    ]}});
    let answer = app.sync_push(&manager, &new_id(), vec![approve]).await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    // Hello Work's clerk (no consent for this city case) reads the council report: the
    // approved story, anonymised, with nothing that points to the person; not the draft.
    let report = app.get_as(&hw, "/api/v1/reports/council").await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text);
    let stories = report.json()["stories"].clone();
    assert_eq!(stories.as_array().unwrap().len(), 1, "{stories}");
    assert_eq!(stories[0]["household"], "子ども2人（13歳・3歳）");
    assert!(!report.text.contains(&person), "no person id in the report");
    assert!(!report.text.contains("窓口"), "no name in the report");
}
