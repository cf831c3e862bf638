//! The progress report computed from the records: the seed's figures reproduced exactly from
//! records entered as staff and tablets enter them, and the counting rules (a person placed
//! twice, a merged duplicate, a deleted placement, routes, 延べ participants, day and
//! fiscal-year boundaries) as case tables. The plan's targets: managers only, with history.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{CITY, HELLO_WORK, MANAGER, TestApp, Who, new_id, stamp};

const HW_NAME: &str = "見本 ハローワーク職員";

/// A put of `fields` on a record of `kind`, as a device sends it.
fn put(seq: u64, kind: &str, id: &str, fields: &[(&str, Value)]) -> Value {
    let s = stamp(1_700_000_000_000 + seq, 7);
    let fields: Vec<Value> = fields
        .iter()
        .map(|(f, v)| json!({ "field": f, "value": v, "stamp": s, "base": null }))
        .collect();
    json!({ "seq": seq, "kind": kind, "id": id, "op": { "type": "put", "fields": fields } })
}

/// Records entered by one Hello Work laptop, pushed in pages.
struct Laptop<'a> {
    app: &'a TestApp,
    who: &'a Who,
    replica: String,
    seq: u64,
    queue: Vec<Value>,
}

impl<'a> Laptop<'a> {
    fn new(app: &'a TestApp, who: &'a Who) -> Self {
        Self {
            app,
            who,
            replica: new_id(),
            seq: 0,
            queue: Vec::new(),
        }
    }

    fn write(&mut self, kind: &str, id: &str, fields: &[(&str, Value)]) {
        self.seq += 1;
        self.queue.push(put(self.seq, kind, id, fields));
    }

    fn person(&mut self) -> String {
        let id = new_id();
        let n = self.seq;
        self.write(
            "person",
            &id,
            &[
                ("family_name", json!(format!("見本{n}"))),
                ("given_name", json!("花子")),
                ("family_name_kana", json!("ミホン")),
                ("given_name_kana", json!("ハナコ")),
                ("birth_date", json!("1990-04-01")),
                ("category", json!("public_assistance")),
            ],
        );
        id
    }

    /// A placement of `person` started on `day` by `route` (`fair` with the fair's id).
    fn placement(&mut self, person: &str, day: &str, route: &str, fair: Option<&str>) -> String {
        let id = new_id();
        let mut fields = vec![
            ("person_id", json!(person)),
            ("organisation", json!("hello_work")),
            ("author", json!(HW_NAME)),
            ("placed_on", json!(day)),
            ("employer", json!("見本病院")),
            ("job_title", json!("看護助手")),
            ("employment_type", json!("regular")),
            ("route", json!(route)),
            ("credited_org", json!("hello_work")),
            ("credited_staff", json!(HW_NAME)),
        ];
        if let Some(fair) = fair {
            fields.push(("event_id", json!(fair)));
        }
        self.write("placement", &id, &fields);
        id
    }

    /// `people` placed in the period, `referral` of them by referral, on days from `first`.
    fn placements(&mut self, all: u32, referral: u32, days: &[&str]) {
        for n in 0..all {
            let person = self.person();
            let route = if n < referral {
                "referral"
            } else {
                "self_found"
            };
            let day = days[n as usize % days.len()];
            self.placement(&person, day, route, None);
        }
    }

    /// A fair's `attended` walk-ins (checked in), `hired` of them hired by `employer`.
    fn fair(&mut self, fair: &str, employer: &str, attended: u32, hired: u32) -> Vec<String> {
        let mut ids = Vec::new();
        for n in 0..attended {
            let id = new_id();
            self.write(
                "participant",
                &id,
                &[
                    ("event_id", json!(fair)),
                    ("family_name", json!(format!("試験{n}"))),
                    ("given_name", json!("太郎")),
                    ("family_name_kana", json!("シケン")),
                    ("given_name_kana", json!("タロウ")),
                    ("age_band", json!("20s")),
                    ("category", json!("youth")),
                    ("contact_ok", json!(true)),
                    ("share_ok", json!(true)),
                    ("checked_in", json!(true)),
                ],
            );
            if n < hired {
                self.outcome(fair, &id, employer, "hired");
            }
            ids.push(id);
        }
        ids
    }

    fn outcome(&mut self, fair: &str, participant: &str, employer: &str, outcome: &str) {
        self.write(
            "interview",
            &new_id(),
            &[
                ("event_id", json!(fair)),
                ("participant_id", json!(participant)),
                ("employer_id", json!(employer)),
                ("outcome", json!(outcome)),
            ],
        );
    }

    async fn send(&mut self) {
        for page in std::mem::take(&mut self.queue).chunks(400) {
            let answer = self
                .app
                .sync_push(self.who, &self.replica, page.to_vec())
                .await;
            for result in answer["results"].as_array().unwrap() {
                assert_eq!(result["status"], "applied", "{result}");
            }
        }
    }
}

async fn event(app: &TestApp, who: &Who, title: &str, date: &str, group: &str) -> String {
    let reply = app
        .post_as(
            who,
            "/api/v1/events",
            &json!({ "title": title, "kind": "joint_interview", "date": date,
                     "venue": "市役所", "target_group": group }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_owned()
}

async fn plan(app: &TestApp, who: &Who, year: i32, starts_on: &str, targets: &[(&str, &str)]) {
    let targets: Vec<Value> = targets
        .iter()
        .map(|(m, t)| json!({ "metric": m, "target": t }))
        .collect();
    let reply = app
        .post_as(
            who,
            &format!("/api/v1/plans/{year}"),
            &json!({ "starts_on": starts_on, "targets": targets }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

fn outlook(report: &Value, metric: &str) -> (Option<u64>, u64) {
    let o = report["outlooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["metric"] == metric)
        .unwrap_or_else(|| panic!("{metric} in {report}"));
    (o["target"].as_u64(), o["actual"].as_u64().unwrap())
}

fn previous(report: &Value, metric: &str) -> (Option<u64>, u64) {
    let f = report["previous"]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["metric"] == metric)
        .unwrap();
    (f["target"].as_u64(), f["actual"].as_u64().unwrap())
}

#[tokio::test]
async fn the_seed_report_as_of_the_end_of_september_2012_comes_out_of_the_records() {
    let app = TestApp::new().await;
    let (manager, hw) = (app.login(MANAGER).await, app.login(HELLO_WORK).await);
    plan(
        &app,
        &manager,
        2011,
        "平成23年9月1日",
        &[
            ("placements", "36"),
            ("referral_placements", "24"),
            ("fairs_held", "3"),
            ("fair_participants", "100"),
            ("fair_referral_placements", "20"),
            ("joint_interviews_held", "1"),
            ("workplace_tours_held", "1"),
            ("seminars_held", "1"),
        ],
    )
    .await;
    plan(
        &app,
        &manager,
        2012,
        "",
        &[
            ("placements", "１０２人"),
            ("referral_placements", "74"),
            ("fairs_held", "3"),
            ("fair_participants", "100"),
            ("fair_referral_placements", "15"),
            ("joint_interviews_held", "3"),
        ],
    )
    .await;
    // 平成23年度: three youth fairs (106 attended, 9 hired), two care fairs held with two of
    // them (同時開催).
    let mut laptop = Laptop::new(&app, &hw);
    for (date, attended, hired) in [
        ("2011-10-20", 40, 3),
        ("2011-12-15", 36, 3),
        ("2012-02-16", 30, 3),
    ] {
        let fair = event(&app, &hw, "若年者就労面接会", date, "youth").await;
        let employer = app.employer(&hw, &fair, "見本介護").await;
        laptop.fair(&fair, &employer, attended, hired);
    }
    for date in ["2011-12-15", "2012-02-16"] {
        event(&app, &hw, "介護就職面接会", date, "everyone").await;
    }
    // 75 placements, 54 by referral; the last on 31 March (still 平成23年度).
    laptop.placements(75, 54, &["2011-09-01", "2011-11-30", "2012-03-31"]);
    // 平成24年度 to 30 September: 83 placements, 57 by referral, counted as the rules say.
    let summer = event(&app, &hw, "若年者就労面接会（夏）", "2012-07-25", "youth").await;
    let employer = app.employer(&hw, &summer, "見本物流").await;
    for date in ["2012-11-21", "2013-02-20"] {
        event(&app, &hw, "若年者就労面接会", date, "youth").await;
    }
    let at_fair = laptop.fair(&summer, &employer, 31, 5);
    // Two who attended were interviewed but not hired; one was offered a job.
    laptop.outcome(&summer, &at_fair[10], &employer, "not_hired");
    laptop.outcome(&summer, &at_fair[11], &employer, "offer");
    // 80 people placed once (54 by referral, the last ones on 30 September, Japan's day) …
    laptop.placements(80, 54, &["2012-04-01", "2012-06-15", "2012-09-30"]);
    // … a person placed twice counts twice (both by referral) …
    let twice = laptop.person();
    laptop.placement(&twice, "2012-05-01", "referral", None);
    laptop.placement(&twice, "2012-08-01", "referral", None);
    // … a placement deleted, and one from 1 October, do not count as of 30 September.
    let gone = laptop.person();
    let deleted = laptop.placement(&gone, "2012-07-01", "self_found", None);
    let october = laptop.person();
    laptop.placement(&october, "2012-10-01", "referral", None);
    laptop.send().await;
    // … a placement at the fair counts as by referral (職業紹介): one hired at the fair is
    // made a counter person and their placement recorded in the case, credited to the fair
    // — still one of the fair's five, and one placement.
    let linked = app
        .post_as(
            &hw,
            &format!("/api/v1/events/{summer}/participants/{}/person", at_fair[0]),
            &json!({ "category": "youth" }),
        )
        .await;
    assert_eq!(linked.status, StatusCode::OK, "{}", linked.text);
    let hired_at_fair = linked.json()["id"].as_str().unwrap().to_owned();
    laptop.placement(&hired_at_fair, "2012-08-01", "fair", Some(&summer));
    laptop.send().await;
    let delete = json!({ "seq": 1, "kind": "placement", "id": deleted, "op": { "type": "delete",
        "stamp": stamp(1_800_000_000_000, 7) } });
    let answer = app.sync_push(&hw, &new_id(), vec![delete]).await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");

    let city = app.login(CITY).await;
    let reply = app
        .get_as(
            &city,
            "/api/v1/reports/progress?fiscal_year=2012&as_of=平成24年9月30日",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let report = reply.json();
    assert_eq!(report["period"]["starts_on"], "2012-04-01");
    // 就職者数 83人（57人）against 102 (74).
    assert_eq!(outlook(&report, "placements"), (Some(102), 83), "{report}");
    assert_eq!(outlook(&report, "referral_placements"), (Some(74), 57));
    // One youth fair held (7月25日: 31 attended, 5 hired), two planned.
    assert_eq!(outlook(&report, "fairs_held"), (Some(3), 1));
    assert_eq!(outlook(&report, "fair_participants"), (Some(100), 31));
    assert_eq!(outlook(&report, "fair_referral_placements"), (Some(15), 5));
    let summer_line = &report["events"][0];
    assert_eq!(
        ["registered", "attended", "interviewed", "offered", "hired"]
            .map(|k| summer_line[k].as_u64().unwrap()),
        [31, 31, 7, 6, 5],
        "{summer_line}"
    );
    let placements = &report["outlooks"][0];
    assert_eq!(
        (
            placements["rate_permille"].as_u64(),
            placements["needed_per_month_tenths"].as_u64(),
            placements["forecast"].as_u64()
        ),
        (Some(814), Some(32), Some(166))
    );
    // 参考: 平成23年度 (from 平成23年9月1日) target 36 (24), actual 75 (54); three youth
    // fairs, 106 participants, 9 placements; five joint interview fairs in all.
    assert_eq!(report["previous"]["period"]["starts_on"], "2011-09-01");
    assert_eq!(previous(&report, "placements"), (Some(36), 75));
    assert_eq!(previous(&report, "referral_placements"), (Some(24), 54));
    assert_eq!(previous(&report, "fairs_held"), (Some(3), 3));
    assert_eq!(previous(&report, "fair_participants"), (Some(100), 106));
    assert_eq!(previous(&report, "fair_referral_placements"), (Some(20), 9));
    assert_eq!(previous(&report, "joint_interviews_held"), (Some(1), 5));
    // The months: April to September, the cumulative reaching 83.
    let months = report["months"].as_array().unwrap();
    assert_eq!(months.len(), 6);
    let total: u64 = months
        .iter()
        .map(|m| m["placements"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 83);

    // The day after, 1 October's placement counts too; the year's end counts everything.
    let next_day = app
        .get_as(&city, "/api/v1/reports/progress?as_of=2012-10-01")
        .await
        .json();
    assert_eq!(next_day["fiscal_year"], 2012);
    assert_eq!(outlook(&next_day, "placements"), (Some(102), 84));
    // 31 March 2012 is still 平成23年度: as of that day the year shows its 75.
    let h23 = app
        .get_as(&city, "/api/v1/reports/progress?as_of=2012-03-31")
        .await
        .json();
    assert_eq!(h23["fiscal_year"], 2011);
    assert_eq!(outlook(&h23, "placements"), (Some(36), 75));

    // The CSV has the same figures, for Excel.
    let csv = app
        .get_as(
            &city,
            "/api/v1/reports/progress.csv?fiscal_year=2012&as_of=2012-09-30",
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text.starts_with('\u{feff}'), "BOM");
    assert!(
        csv.text
            .contains("生活困窮者に対する就職支援,就職者数,102,83,81.4%,3.2,166,36,75"),
        "{}",
        csv.text
    );
}

#[tokio::test]
async fn a_merged_duplicate_counts_its_placement_once_until_the_merge_is_undone() {
    let app = TestApp::new().await;
    let hw = app.login(HELLO_WORK).await;
    let mut laptop = Laptop::new(&app, &hw);
    let (keep, dup) = (laptop.person(), laptop.person());
    // The same placement recorded under both intakes of one person.
    laptop.placement(&keep, "2026-05-01", "referral", None);
    laptop.placement(&dup, "2026-05-01", "referral", None);
    // A different placement of the duplicate (another day) is a second placement.
    laptop.placement(&dup, "2026-06-01", "self_found", None);
    laptop.send().await;
    let count = || async {
        let r = app
            .get_as(&hw, "/api/v1/reports/progress?as_of=2026-09-30")
            .await
            .json();
        (
            outlook(&r, "placements").1,
            outlook(&r, "referral_placements").1,
        )
    };
    assert_eq!(count().await, (3, 2));
    let merged = app
        .post_as(
            &hw,
            &format!("/api/v1/people/{dup}/merge"),
            &json!({ "into": keep, "reason": "同一人物の二重受付" }),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
    assert_eq!(count().await, (2, 1));
    let undone = app
        .post_as(&hw, &format!("/api/v1/people/{dup}/unmerge"), &json!({}))
        .await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.text);
    assert_eq!(count().await, (3, 2));
}

#[tokio::test]
async fn only_managers_set_targets_every_change_is_kept_and_bad_input_is_named() {
    let app = TestApp::new().await;
    let (manager, city) = (app.login(MANAGER).await, app.login(CITY).await);
    let body = json!({ "targets": [{ "metric": "placements", "target": "102" }] });
    let refused = app.post_as(&city, "/api/v1/plans/2026", &body).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    plan(&app, &manager, 2026, "", &[("placements", "100")]).await;
    plan(
        &app,
        &manager,
        2026,
        "",
        &[("placements", "102"), ("seminars_held", "")],
    )
    .await;
    // Saving the same again changes nothing and adds nothing to the history.
    plan(&app, &manager, 2026, "", &[("placements", "102")]).await;
    let view = app.get_as(&city, "/api/v1/plans/2026").await.json();
    let history: Vec<(String, Value, Value)> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            assert_eq!(h["by"], "見本 管理職");
            (
                h["field"].as_str().unwrap().to_owned(),
                h["before"].clone(),
                h["after"].clone(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("placements".into(), json!("100"), json!("102")),
            ("placements".into(), json!(null), json!("100")),
            ("starts_on".into(), json!(null), json!("2026-04-01")),
        ]
    );
    let bad = app
        .post_as(
            &manager,
            "/api/v1/plans/2026",
            &json!({ "starts_on": "2026-03-31", "targets": [
                { "metric": "placements", "target": "百" },
                { "metric": "visits", "target": "3" }] }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    let fields: Vec<&str> = bad.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned().leak() as &str)
        .collect();
    assert_eq!(fields, ["starts_on", "placements", "targets"]);
    // Nothing already saved was lost.
    let view = app.get_as(&city, "/api/v1/plans/2026").await.json();
    assert_eq!(view["targets"][0]["target"], 102);
    let bad_day = app
        .get_as(&city, "/api/v1/reports/progress?as_of=9月31日")
        .await;
    assert_eq!(bad_day.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_day.json()["error"]["fields"][0]["field"], "as_of");
    // Figures are counted to the end of a day that is over: tomorrow is refused, by name.
    let tomorrow = renkei_server::service::today().add_days(1);
    let future = app
        .get_as(&city, &format!("/api/v1/reports/progress?as_of={tomorrow}"))
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &future.json()["error"]["fields"][0];
    assert_eq!(
        (error["field"].as_str(), error["code"].as_str()),
        (Some("as_of"), Some("in_future"))
    );
}

#[tokio::test]
async fn the_demo_history_shows_the_seed_report() {
    let app = TestApp::new().await;
    for _ in 0..2 {
        renkei_server::demo::load(&app.state).await.unwrap();
        renkei_server::demo_history::load(&app.state).await.unwrap();
    }
    let city = app.login(CITY).await;
    let report = app
        .get_as(
            &city,
            "/api/v1/reports/council?fiscal_year=2012&as_of=2012-09-30",
        )
        .await
        .json();
    let progress = &report["progress"];
    assert_eq!(outlook(progress, "placements"), (Some(102), 83));
    assert_eq!(outlook(progress, "referral_placements"), (Some(74), 57));
    assert_eq!(outlook(progress, "fair_participants"), (Some(100), 31));
    assert_eq!(outlook(progress, "fair_referral_placements"), (Some(15), 5));
    assert_eq!(previous(progress, "placements"), (Some(36), 75));
    assert_eq!(previous(progress, "referral_placements"), (Some(24), 54));
    assert_eq!(previous(progress, "fairs_held"), (Some(3), 3));
    assert_eq!(previous(progress, "fair_participants"), (Some(100), 106));
    assert_eq!(
        previous(progress, "fair_referral_placements"),
        (Some(20), 9)
    );
    assert_eq!(previous(progress, "joint_interviews_held"), (Some(1), 5));
    // The requests: one answered, one pending past its due date on 30 September.
    let requests = report["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "{report}");
    assert_eq!(
        requests
            .iter()
            .map(|r| r["overdue"].as_bool().unwrap())
            .collect::<Vec<_>>(),
        [false, true]
    );
    // Loaded twice, made once; no possible duplicates among the fairs' people.
    assert_eq!(app.count("plan_changes").await, 16);
    assert_eq!(app.count("duplicate_flags").await, 0);
}
