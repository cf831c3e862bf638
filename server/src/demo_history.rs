//! The seed's first two years as fictional records (`--demo-history`, with `--demo-data`):
//! the corner opened on 平成23年9月1日; 平成23年度 (partial) had 75 placements (54 by
//! referral), three youth fairs with 106 participants and 9 hires, two care fairs held with
//! them; 平成24年度 to 30 September had 83 placements (57 by referral) and the 7月25日 fair with
//! 31 participants and 5 hires, with fairs planned in November and February. The plans are the
//! seed's targets. Entered as staff enter them (plans by the demo manager, records through the
//! sync engine by the demo Hello Work clerk), so `/reports?fiscal_year=2012&as_of=2012-09-30`
//! and the council report show the seed's figures. Idempotent: fixed ids, made once.

use app::domain::event::{EventKind, NewEmployer, NewEvent, TargetGroup};
use app::protocol::{SavePlan, TargetInput};
use app::sync::wire::RecordKind;
use serde_json::Value;

use crate::AppState;
use crate::auth::Actor;

const CLERK_NAME: &str = "見本 ハローワーク職員";

fn id(group: u32, n: u32) -> String {
    format!("01980000-0000-7000-8{group:03}-{n:012}")
}

/// (fiscal year, first day, targets)
type Plan = (i32, &'static str, &'static [(&'static str, &'static str)]);
const PLANS: [Plan; 2] = [
    (
        2011,
        "2011-09-01",
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
    ),
    (
        2012,
        "",
        &[
            ("placements", "102"),
            ("referral_placements", "74"),
            ("fairs_held", "3"),
            ("fair_participants", "100"),
            ("fair_referral_placements", "15"),
            ("joint_interviews_held", "3"),
        ],
    ),
];

/// (title, day, group, attended, hired)
const FAIRS: [(&str, &str, &str, u32, u32); 8] = [
    ("若年者就労面接会", "2011-10-20", "youth", 40, 3),
    ("若年者就労面接会", "2011-12-15", "youth", 36, 3),
    (
        "介護就職面接会（若年者面接会と同時開催）",
        "2011-12-15",
        "everyone",
        0,
        0,
    ),
    ("若年者就労面接会", "2012-02-16", "youth", 30, 3),
    (
        "介護就職面接会（若年者面接会と同時開催）",
        "2012-02-16",
        "everyone",
        0,
        0,
    ),
    ("若年者就労面接会（夏）", "2012-07-25", "youth", 31, 5),
    ("若年者就労面接会（秋）", "2012-11-21", "youth", 0, 0),
    ("若年者就労面接会（冬）", "2013-02-20", "youth", 0, 0),
];

/// (placements, of which by referral, the days they started on)
const PLACEMENTS: [(u32, u32, &[&str]); 2] = [
    (
        75,
        54,
        &["2011-09-30", "2011-11-15", "2012-01-20", "2012-03-15"],
    ),
    (
        83,
        57,
        &[
            "2012-04-20",
            "2012-05-25",
            "2012-06-22",
            "2012-07-27",
            "2012-08-24",
            "2012-09-28",
        ],
    ),
];

const FAMILIES: [(&str, &str); 7] = [
    ("見本", "ミホン"),
    ("試験", "シケン"),
    ("例題", "レイダイ"),
    ("模擬", "モギ"),
    ("仮名", "カメイ"),
    ("試作", "シサク"),
    ("見本田", "ミホンダ"),
];

const GIVEN: [(&str, &str); 6] = [
    ("一郎", "イチロウ"),
    ("花子", "ハナコ"),
    ("健", "ケン"),
    ("美咲", "ミサキ"),
    ("翔", "ショウ"),
    ("葉子", "ヨウコ"),
];

pub async fn load(state: &AppState) -> Result<(), sqlx::Error> {
    let manager = crate::demo::demo_staff(state, "demo.manager").await?;
    for (year, starts_on, targets) in PLANS {
        if crate::service::reports::plans::view(&state.db, year)
            .await
            .map_err(protocol)?
            .exists
        {
            continue;
        }
        let request = SavePlan {
            starts_on: starts_on.into(),
            targets: targets
                .iter()
                .map(|(m, t)| TargetInput {
                    metric: (*m).into(),
                    target: (*t).into(),
                })
                .collect(),
        };
        crate::service::reports::plans::save(state, &manager, year, &request)
            .await
            .map_err(protocol)?;
    }
    let clerk = Actor::Staff(crate::demo::demo_staff(state, "demo.hw").await?);
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    fairs(&mut tx, &clerk).await?;
    placements(&mut tx, &clerk).await?;
    requests(&mut tx, &manager).await?;
    tx.commit().await
}

fn protocol(e: crate::service::ServiceError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("demo history: {e}"))
}

async fn fairs(tx: &mut crate::store::Conn, clerk: &Actor) -> Result<(), sqlx::Error> {
    let now = crate::store::now_ms();
    for (n, (title, day, group, attended, hired)) in (0u32..).zip(FAIRS) {
        let event = NewEvent {
            title: title.into(),
            kind: EventKind::JointInterview,
            date: day.parse().expect("a demo day"),
            venue: "市役所 本庁舎 1階 多目的ホール".into(),
            target_group: TargetGroup::from_code(group).expect("a demo group"),
            capacity: None,
        };
        let event_id = id(1, n);
        crate::store::events::insert_if_absent(
            &mut *tx,
            event_id.parse().expect("an id"),
            &event,
            now,
        )
        .await?;
        let employer = id(6, n);
        let named = NewEmployer {
            name: "みほん介護サービス株式会社".into(),
            jobs: "介護職員（正社員・未経験可）".into(),
        };
        crate::store::events::add_employer(
            &mut *tx,
            event_id.parse().expect("an id"),
            &employer,
            &named,
            now,
        )
        .await?;
        for p in 0..attended {
            let participant = id(4, n * 100 + p);
            // A different name for each of a fair's people (no possible duplicates).
            let (family, family_kana) = FAMILIES[(p % 7) as usize];
            let (given, kana) = GIVEN[(p / 7 % 6) as usize];
            let values = vec![
                ("event_id", Value::from(event_id.clone())),
                ("family_name", Value::from(family)),
                ("given_name", Value::from(given)),
                ("family_name_kana", Value::from(family_kana)),
                ("given_name_kana", Value::from(kana)),
                (
                    "age_band",
                    Value::from(["20s", "under_20", "30s"][(p % 3) as usize]),
                ),
                ("category", Value::from("youth")),
                ("contact_ok", Value::from(true)),
                ("share_ok", Value::from(false)),
                ("checked_in", Value::from(true)),
            ];
            crate::demo::demo_write(tx, clerk, RecordKind::Participant, &participant, values)
                .await?;
            // Hired, then offers still open, not hired, interviews without a result yet.
            let outcome = match p.checked_sub(hired) {
                None => "hired",
                Some(0..2) => "offer",
                Some(2..4) => "not_hired",
                Some(4..7) => "interview",
                Some(_) => continue,
            };
            let values = vec![
                ("event_id", Value::from(event_id.clone())),
                ("participant_id", Value::from(participant)),
                ("employer_id", Value::from(employer.clone())),
                ("outcome", Value::from(outcome)),
            ];
            crate::demo::demo_write(
                tx,
                clerk,
                RecordKind::Interview,
                &id(5, n * 100 + p),
                values,
            )
            .await?;
        }
    }
    Ok(())
}

async fn placements(tx: &mut crate::store::Conn, clerk: &Actor) -> Result<(), sqlx::Error> {
    let mut n = 0u32;
    for (all, referral, days) in PLACEMENTS {
        for k in 0..all {
            n += 1;
            let person = id(2, n);
            let (given, kana) = GIVEN[(n % 6) as usize];
            let values = vec![
                ("family_name", Value::from("見本")),
                ("given_name", Value::from(given)),
                ("family_name_kana", Value::from("ミホン")),
                ("given_name_kana", Value::from(kana)),
                (
                    "birth_date",
                    Value::from(format!("19{}-04-{:02}", 70 + n % 25, 1 + n % 28)),
                ),
                (
                    "category",
                    Value::from(
                        ["public_assistance", "single_mothers", "housing_allowance"]
                            [(n % 3) as usize],
                    ),
                ),
            ];
            crate::demo::demo_write(tx, clerk, RecordKind::Person, &person, values).await?;
            let route = if k < referral {
                "referral"
            } else {
                "self_found"
            };
            let values = vec![
                ("person_id", Value::from(person)),
                ("organisation", Value::from("hello_work")),
                ("author", Value::from(CLERK_NAME)),
                ("placed_on", Value::from(days[(k as usize) % days.len()])),
                ("employer", Value::from("見本市立 ひかり病院")),
                ("job_title", Value::from("看護助手")),
                (
                    "employment_type",
                    Value::from(["regular", "part_time", "contract"][(n % 3) as usize]),
                ),
                ("route", Value::from(route)),
                ("credited_org", Value::from("hello_work")),
                ("credited_staff", Value::from(CLERK_NAME)),
            ];
            crate::demo::demo_write(tx, clerk, RecordKind::Placement, &id(3, n), values).await?;
        }
    }
    Ok(())
}

/// Two requests under the agreement: one answered, one pending past its due date.
async fn requests(
    tx: &mut crate::store::Conn,
    manager: &crate::auth::StaffActor,
) -> Result<(), sqlx::Error> {
    use app::domain::council::{RequestDraft, validate_request};
    let today = crate::service::today();
    for (n, (by, subject, asked, due, answer, answered, status)) in (0u32..).zip(REQUESTS) {
        let draft = RequestDraft {
            asked_by: by.into(),
            subject: subject.into(),
            detail: String::new(),
            asked_on: asked.into(),
            due_on: due.into(),
            answer: answer.into(),
            answered_on: answered.into(),
            status: status.into(),
        };
        let request = validate_request(&draft, today)
            .map_err(|e| sqlx::Error::Protocol(format!("demo request: {e:?}")))?;
        let id = id(7, n);
        if crate::store::reports::council::request(&mut *tx, &id)
            .await?
            .is_none()
        {
            let by_staff = manager.id.to_string();
            crate::store::reports::council::put_request(&mut *tx, &id, &request, &by_staff, 0)
                .await?;
        }
    }
    Ok(())
}

/// (asked by, subject, asked on, due on, answer, answered on, status)
type Request = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const REQUESTS: [Request; 2] = [
    (
        "labour_bureau",
        "求人情報提供端末の増設（窓口の待ち時間短縮のため）",
        "2012-06-01",
        "2012-07-31",
        "平成24年8月に1台増設する。",
        "2012-07-20",
        "answered",
    ),
    (
        "city",
        "若年者面接会の参加事業所の拡大",
        "2012-08-20",
        "2012-09-14",
        "",
        "",
        "in_progress",
    ),
];
