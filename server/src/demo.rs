//! Fictional demo data for trying Renkei out: a fiscal-year plan with the targets of the
//! Tokorozawa model (平成24年度, carried to 令和8年度), three fairs and a few people whose names
//! say they are samples (見本, 試験). Idempotent: fixed ids, `ON CONFLICT DO NOTHING`.

use sqlx::SqlitePool;

use crate::store::now_ms;

const EVENTS: [(&str, &str, &str, &str, &str, &str); 3] = [
    (
        "01980000-0000-7000-8000-000000000001",
        "若年者就労面接会（夏）",
        "joint_interview",
        "2026-07-25",
        "市役所 本庁舎 1階 多目的ホール",
        "youth",
    ),
    (
        "01980000-0000-7000-8000-000000000002",
        "介護の職場見学会",
        "workplace_tour",
        "2026-10-14",
        "見本市立 ひかり病院",
        "everyone",
    ),
    (
        "01980000-0000-7000-8000-000000000003",
        "若年者就労面接会（冬）",
        "joint_interview",
        "2026-12-03",
        "市民会館 第2展示室",
        "youth",
    ),
];

const PEOPLE: [(&str, &str, &str, &str, &str, &str, &str); 3] = [
    (
        "01980000-0000-7000-8000-000000000101",
        "見本",
        "花子",
        "ミホン",
        "ハナコ",
        "1991-04-12",
        "single_mothers",
    ),
    (
        "01980000-0000-7000-8000-000000000102",
        "試験",
        "太郎",
        "シケン",
        "タロウ",
        "2003-09-30",
        "youth",
    ),
    (
        "01980000-0000-7000-8000-000000000103",
        "例題",
        "一郎",
        "レイダイ",
        "イチロウ",
        "1975-01-20",
        "public_assistance",
    ),
];

/// 令和8年度 targets, as in the seed's business plan.
const TARGETS: [(i64, &str, i64); 5] = [
    (2026, "placements", 102),
    (2026, "referral_placements", 74),
    (2026, "fairs_held", 3),
    (2026, "fair_participants", 100),
    (2026, "fair_referral_placements", 15),
];

pub async fn load(db: &SqlitePool) -> Result<(), sqlx::Error> {
    let now = now_ms();
    let mut tx = db.begin().await?;
    for (id, title, kind, date, venue, target) in EVENTS {
        sqlx::query(
            "INSERT INTO events (id, title, kind, event_date, venue, target_group, created_at_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(title)
        .bind(kind)
        .bind(date)
        .bind(venue)
        .bind(target)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for (id, family, given, family_kana, given_kana, birth, category) in PEOPLE {
        sqlx::query(
            "INSERT INTO people (id, family_name, given_name, family_name_kana, given_name_kana,
                                 birth_date, category, created_at_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(family)
        .bind(given)
        .bind(family_kana)
        .bind(given_kana)
        .bind(birth)
        .bind(category)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for (year, metric, target) in TARGETS {
        sqlx::query(
            "INSERT INTO fiscal_year_targets (fiscal_year, metric, target) VALUES (?, ?, ?)
             ON CONFLICT (fiscal_year, metric) DO NOTHING",
        )
        .bind(year)
        .bind(metric)
        .bind(target)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
