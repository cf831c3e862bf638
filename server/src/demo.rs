//! Fictional demo data for trying Renkei out: a fiscal-year plan with the targets of the
//! Tokorozawa model (平成24年度, carried to 令和8年度), three fairs (the summer one with the
//! seed report's 31 participants and 5 placements, sample names), a few people whose names
//! say they are samples (見本, 試験, 例題), and one demo account per role with a published
//! password (only ever served on loopback). Idempotent: fixed ids, `ON CONFLICT DO NOTHING`.

use crate::AppState;
use crate::store::demo as rows;
use crate::store::now_ms;

/// (login id, password, display name, organisation, role). Printed by `scripts/run`.
pub const ACCOUNTS: [(&str, &str, &str, &str, &str); 4] = [
    (
        "demo.city",
        "mihon-shi-2026",
        "見本 市職員",
        "city",
        "counter",
    ),
    (
        "demo.hw",
        "mihon-hw-2026",
        "見本 ハローワーク職員",
        "hello_work",
        "counter",
    ),
    (
        "demo.manager",
        "mihon-kacho-2026",
        "見本 管理職",
        "city",
        "manager",
    ),
    (
        "demo.admin",
        "mihon-kanri-2026",
        "見本 システム管理者",
        "city",
        "admin",
    ),
];

/// (id, title, kind, date, venue, target group); the winter fair has no fixed date: it is held
/// three days after the day the demo is first loaded, and moved there again by a later load once
/// it is over, so that it is still to come (tablets can be enrolled for it) whenever someone
/// tries Renkei.
type DemoEvent = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
);

const EVENTS: [DemoEvent; 3] = [
    (
        "01980000-0000-7000-8000-000000000001",
        "若年者就労面接会（夏）",
        "joint_interview",
        Some("2026-07-25"),
        "市役所 本庁舎 1階 多目的ホール",
        "youth",
    ),
    (
        "01980000-0000-7000-8000-000000000002",
        "介護の職場見学会",
        "workplace_tour",
        Some("2026-10-14"),
        "見本市立 ひかり病院",
        "everyone",
    ),
    (
        "01980000-0000-7000-8000-000000000003",
        "若年者就労面接会（冬）",
        "joint_interview",
        None,
        "市民会館 第2展示室",
        "youth",
    ),
];

/// (id, family, given, kana, kana, birth date, category, owner organisation)
type DemoPerson = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const PEOPLE: [DemoPerson; 3] = [
    (
        "01980000-0000-7000-8000-000000000101",
        "見本",
        "花子",
        "ミホン",
        "ハナコ",
        "1991-04-12",
        "single_mothers",
        "city",
    ),
    (
        "01980000-0000-7000-8000-000000000102",
        "試験",
        "太郎",
        "シケン",
        "タロウ",
        "2003-09-30",
        "youth",
        "hello_work",
    ),
    (
        "01980000-0000-7000-8000-000000000103",
        "例題",
        "一郎",
        "レイダイ",
        "イチロウ",
        "1975-01-20",
        "public_assistance",
        "city",
    ),
];

/// 令和8年度 targets, as in the seed's business plan.
const TARGETS: [(i64, &str, i64); 8] = [
    (2026, "placements", 102),
    (2026, "referral_placements", 74),
    (2026, "fairs_held", 3),
    (2026, "fair_participants", 100),
    (2026, "fair_referral_placements", 15),
    (2026, "joint_interviews_held", 3),
    (2026, "workplace_tours_held", 1),
    (2026, "seminars_held", 1),
];

/// Employers taking part in the fairs (fictional: 見本 / みほん in every name).
const EMPLOYERS: [(&str, &str, &str, &str); 5] = [
    (
        "01980000-0000-7000-8000-000000000304",
        "01980000-0000-7000-8000-000000000001",
        "みほん介護サービス株式会社",
        "介護職員（正社員・未経験可）",
    ),
    (
        "01980000-0000-7000-8000-000000000305",
        "01980000-0000-7000-8000-000000000001",
        "見本市物流センター",
        "倉庫内作業（正社員）",
    ),
    (
        "01980000-0000-7000-8000-000000000301",
        "01980000-0000-7000-8000-000000000003",
        "みほん介護サービス株式会社",
        "介護職員（正社員・未経験可）",
    ),
    (
        "01980000-0000-7000-8000-000000000302",
        "01980000-0000-7000-8000-000000000003",
        "見本食品工業",
        "製造補助（パート）、配送（正社員）",
    ),
    (
        "01980000-0000-7000-8000-000000000303",
        "01980000-0000-7000-8000-000000000003",
        "見本市物流センター",
        "倉庫内作業（正社員）",
    ),
];

pub async fn load(state: &AppState) -> Result<(), sqlx::Error> {
    for (login_id, password, name, org, role) in ACCOUNTS {
        if crate::store::staff::by_login_id(&state.db, login_id)
            .await?
            .is_none()
        {
            let request = app::protocol::CreateStaff {
                login_id: login_id.into(),
                display_name: name.into(),
                organisation: org.into(),
                role: role.into(),
                password: password.into(),
            };
            crate::service::staff::create(state, None, &request)
                .await
                .map_err(|e| sqlx::Error::Protocol(format!("demo account {login_id}: {e}")))?;
        }
    }
    let recorder = rows::staff_id(&state.db, "demo.city").await?;
    let now = now_ms();
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    let today = crate::service::today();
    let to_come = today.add_days(3);
    for (id, title, kind, date, venue, target) in EVENTS {
        let event = app::domain::event::NewEvent {
            title: title.to_owned(),
            kind: app::domain::event::EventKind::from_code(kind).expect("a demo kind"),
            date: date.map_or(to_come, |d| d.parse().expect("a demo date")),
            venue: venue.to_owned(),
            target_group: app::domain::event::TargetGroup::from_code(target).expect("a demo group"),
            capacity: None,
        };
        let id = id.parse().expect("a demo id");
        crate::store::events::insert_if_absent(&mut *tx, id, &event, now).await?;
        if date.is_none() {
            // Still to come on a demo database kept between runs, too.
            crate::store::events::postpone_if_past(&mut *tx, id, to_come, today).await?;
        }
    }
    for (id, event, name, jobs) in EMPLOYERS {
        let employer = app::domain::event::NewEmployer {
            name: name.to_owned(),
            jobs: jobs.to_owned(),
        };
        let event = event.parse().expect("a demo event id");
        crate::store::events::add_employer(&mut *tx, event, id, &employer, now).await?;
    }
    for (id, family, given, family_kana, given_kana, birth, category, owner) in PEOPLE {
        let names = [id, family, given, family_kana, given_kana];
        rows::person(&mut tx, names, birth, [category, owner], now).await?;
    }
    // 見本 花子 signed the consent form: Hello Work staff see her case too.
    rows::signed_consent(&mut tx, &recorder, now).await?;
    let clerk = demo_clerk(state, "demo.hw").await?;
    summer_fair(&mut tx, &clerk).await?;
    for (year, metric, target) in TARGETS {
        rows::target(&mut tx, year, metric, target).await?;
    }
    tx.commit().await
}

/// The summer fair as the seed's report tells it (7月25日: 31 participants, 5 placements), with
/// sample names: 31 registrations, all checked in, 12 interviews, 5 hired — entered through
/// the sync engine by a Hello Work clerk, so the fair's tablets receive what the counter counts.
async fn summer_fair(
    tx: &mut crate::store::Conn,
    clerk: &crate::auth::Actor,
) -> Result<(), sqlx::Error> {
    use app::sync::wire::RecordKind;
    use serde_json::Value;
    const EVENT: &str = "01980000-0000-7000-8000-000000000001";
    const FAMILIES: [(&str, &str); 3] =
        [("見本", "ミホン"), ("試験", "シケン"), ("例題", "レイダイ")];
    const GIVEN: [(&str, &str); 11] = [
        ("一郎", "イチロウ"),
        ("二郎", "ジロウ"),
        ("三郎", "サブロウ"),
        ("花子", "ハナコ"),
        ("葉子", "ヨウコ"),
        ("健", "ケン"),
        ("翔", "ショウ"),
        ("美咲", "ミサキ"),
        ("大輔", "ダイスケ"),
        ("愛", "アイ"),
        ("蓮", "レン"),
    ];
    for n in 0..31u32 {
        let (family, family_kana) = FAMILIES[(n % 3) as usize];
        let (given, given_kana) = GIVEN[(n / 3) as usize % GIVEN.len()];
        let id = format!("01980000-0000-7000-8000-0000000004{n:02}");
        let registration = vec![
            ("event_id", Value::from(EVENT)),
            ("family_name", Value::from(family)),
            ("given_name", Value::from(given)),
            ("family_name_kana", Value::from(family_kana)),
            ("given_name_kana", Value::from(given_kana)),
            ("category", Value::from("youth")),
            ("contact_ok", Value::from(true)),
            ("share_ok", Value::from(true)),
            // Walk-ins give an age group (or a birth date): mostly young job seekers.
            (
                "age_band",
                Value::from(["20s", "under_20", "30s"][(n % 3) as usize]),
            ),
            ("checked_in", Value::from(true)),
        ];
        demo_write(tx, clerk, RecordKind::Participant, &id, registration).await?;
        if n < 12 {
            let outcome = match n {
                0..5 => "hired",
                5..7 => "offer",
                7..9 => "not_hired",
                _ => "interview",
            };
            let employer = if n % 2 == 0 {
                "000000000304"
            } else {
                "000000000305"
            };
            let interview = vec![
                ("event_id", Value::from(EVENT)),
                ("participant_id", Value::from(id.clone())),
                (
                    "employer_id",
                    Value::from(format!("01980000-0000-7000-8000-{employer}")),
                ),
                ("outcome", Value::from(outcome)),
            ];
            let interview_id = format!("01980000-0000-7000-8000-0000000005{n:02}");
            demo_write(tx, clerk, RecordKind::Interview, &interview_id, interview).await?;
        }
    }
    Ok(())
}

/// Writes a demo record through the sync engine as `clerk`, once (`demo_history` too).
pub(crate) async fn demo_write(
    tx: &mut crate::store::Conn,
    clerk: &crate::auth::Actor,
    kind: app::sync::wire::RecordKind,
    id: &str,
    values: Vec<(&'static str, serde_json::Value)>,
) -> Result<(), sqlx::Error> {
    // Made once: edits made since (at the counter, on a tablet) are never reverted.
    if crate::store::sync::record(tx, id).await?.is_some() {
        return Ok(());
    }
    crate::service::sync::write_as_server(tx, clerk, app::i18n::Lang::Ja, kind, id, values)
        .await
        .map(|_| ())
        .map_err(|e| sqlx::Error::Protocol(format!("demo record {id}: {e}")))
}

/// A demo account as the actor of the demo data it "entered".
async fn demo_clerk(state: &AppState, login_id: &str) -> Result<crate::auth::Actor, sqlx::Error> {
    demo_staff(state, login_id)
        .await
        .map(crate::auth::Actor::Staff)
}

/// A demo account as the staff member who "entered" demo data.
pub(crate) async fn demo_staff(
    state: &AppState,
    login_id: &str,
) -> Result<crate::auth::StaffActor, sqlx::Error> {
    let row = crate::store::staff::by_login_id(&state.db, login_id)
        .await?
        .ok_or_else(|| sqlx::Error::Protocol(format!("demo account {login_id} missing")))?;
    let view = row.view()?;
    Ok(crate::auth::StaffActor {
        id: view.id,
        login_id: view.login_id,
        display_name: view.display_name,
        organisation: view.organisation,
        role: view.role,
        session: String::new(),
    })
}
