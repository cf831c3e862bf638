//! Reports benchmark (`cargo bench -p server --bench reports`), figures for docs/benchmarks.md:
//! 100,000 cases with placements, fairs and participants over five fiscal years (令和4–8年度)
//! in a SQLite file, then
//!
//! 1. the progress computation for one as-of day (`service::reports::progress`): every count
//!    of the year and the previous one, the arithmetic beside them;
//! 2. the council report's data (`GET /api/v1/reports/council`, through the router: session
//!    check, counting, requests, stories, JSON);
//! 3. the council report page's HTML (`GET /reports/council`).
//!
//! The rows are written straight into the read tables (what the sync engine projects records
//! into), as the engine's own ingest is measured in `benches/sync.rs`. Runs on a temporary
//! file and stops by itself.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use app::domain::date::CivilDate;
use support::{CITY, TestApp};

const CASES: u32 = 100_000;
const YEARS: [i32; 5] = [2022, 2023, 2024, 2025, 2026];
const FAIRS_PER_YEAR: u32 = 12;
const PARTICIPANTS_PER_FAIR: u32 = 250;
const RUNS: usize = 30;

fn id(group: u32, n: u32) -> String {
    format!("01990000-0000-7000-8{group:03}-{n:012}")
}

/// The day `n` of a fiscal year's 365.
fn day_of(year: i32, n: u32) -> String {
    CivilDate::new(year, 4, 1)
        .expect("1 April")
        .add_days(i64::from(n % 365))
        .to_string()
}

async fn fill(app: &TestApp) {
    let mut tx = app.db().begin().await.expect("begin");
    let now = 1_760_000_000_000i64;
    for n in 0..CASES {
        sqlx::query(
            "INSERT INTO people (id, family_name, given_name, family_name_kana, given_name_kana,
                 birth_date, category, created_at_ms, owner_org)
             VALUES ($1, '見本', '花子', 'ミホン', 'ハナコ', '1990-04-01', 'public_assistance', $2, $3)",
        )
        .bind(id(2, n))
        .bind(now)
        .bind(if n % 2 == 0 { "city" } else { "hello_work" })
        .execute(&mut *tx)
        .await
        .expect("person");
        // Three cases in five find a job: 60,000 placements, 12,000 a year, two in three by
        // referral.
        if n % 5 < 3 {
            let year = YEARS[(n / 5 % 5) as usize];
            let route = ["referral", "referral", "self_found"][(n / 25 % 3) as usize];
            sqlx::query(
                "INSERT INTO placements (id, person_id, organisation, placed_on, employer,
                     job_title, employment_type, route, credited_org, credited_staff,
                     written_by, updated_at_ms)
                 VALUES ($1, $2, 'hello_work', $3, '見本病院', '看護助手', 'regular', $4,
                     'hello_work', '見本 ハローワーク職員', 'bench', $5)",
            )
            .bind(id(3, n))
            .bind(id(2, n))
            .bind(day_of(year, n / 7))
            .bind(route)
            .bind(now)
            .execute(&mut *tx)
            .await
            .expect("placement");
        }
    }
    for (y, year) in (0u32..).zip(YEARS) {
        for f in 0..FAIRS_PER_YEAR {
            let fair = y * 100 + f;
            sqlx::query(
                "INSERT INTO events (id, title, kind, event_date, venue, target_group, created_at_ms)
                 VALUES ($1, '若年者就労面接会', 'joint_interview', $2, '市役所', $3, $4)",
            )
            .bind(id(1, fair))
            .bind(day_of(year, f * 30 + 10))
            .bind(if f % 3 == 0 { "everyone" } else { "youth" })
            .bind(now)
            .execute(&mut *tx)
            .await
            .expect("event");
            sqlx::query(
                "INSERT INTO event_employers (id, event_id, name, created_at_ms)
                 VALUES ($1, $2, '見本介護', $3)",
            )
            .bind(id(6, fair))
            .bind(id(1, fair))
            .bind(now)
            .execute(&mut *tx)
            .await
            .expect("employer");
            for p in 0..PARTICIPANTS_PER_FAIR {
                let participant = fair * 1000 + p;
                sqlx::query(
                    "INSERT INTO participants (id, event_id, family_name, given_name,
                         family_name_kana, given_name_kana, checked_in_at_ms, created_at_ms)
                     VALUES ($1, $2, '試験', '太郎', 'シケン', 'タロウ', $3, $3)",
                )
                .bind(id(4, participant))
                .bind(id(1, fair))
                .bind(now)
                .execute(&mut *tx)
                .await
                .expect("participant");
                if p % 5 == 0 {
                    let outcome =
                        ["interview", "offer", "hired", "not_hired"][(p / 5 % 4) as usize];
                    sqlx::query(
                        "INSERT INTO fair_outcomes (id, event_id, participant_id, employer_id,
                             outcome, updated_at_ms)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(id(5, participant))
                    .bind(id(1, fair))
                    .bind(id(4, participant))
                    .bind(id(6, fair))
                    .bind(outcome)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .expect("outcome");
                }
            }
        }
        sqlx::query("INSERT INTO plans (fiscal_year, starts_on, updated_at_ms) VALUES ($1, $2, 0)")
            .bind(i64::from(year))
            .bind(format!("{year}-04-01"))
            .execute(&mut *tx)
            .await
            .expect("plan");
        for (metric, target) in [("placements", 12_000), ("referral_placements", 8_000)] {
            sqlx::query(
                "INSERT INTO plan_targets (fiscal_year, metric, target) VALUES ($1, $2, $3)",
            )
            .bind(i64::from(year))
            .bind(metric)
            .bind(target)
            .execute(&mut *tx)
            .await
            .expect("target");
        }
    }
    tx.commit().await.expect("commit");
    sqlx::query("ANALYZE")
        .execute(app.db())
        .await
        .expect("analyze");
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: median {:.1} ms, p95 {:.1} ms, min {:.1} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[0]),
        times.len()
    );
}

#[tokio::main]
async fn main() {
    let app = TestApp::sqlite().await;
    let start = Instant::now();
    fill(&app).await;
    println!(
        "filled {CASES} cases, {} fairs × {PARTICIPANTS_PER_FAIR} participants over {} fiscal years in {:.1} s",
        FAIRS_PER_YEAR as usize * YEARS.len(),
        YEARS.len(),
        start.elapsed().as_secs_f64()
    );
    let as_of: CivilDate = "2026-09-30".parse().expect("a day");
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let report = renkei_server::service::reports::progress::progress(app.db(), 2026, as_of)
            .await
            .expect("progress");
        times.push(t.elapsed());
        last = Some(report);
    }
    let report = last.expect("a report");
    println!(
        "as of {as_of}: placements {} (referral {}), youth fairs held {}, participants {}",
        report.outlooks[0].actual,
        report.outlooks[1].actual,
        report.outlooks[2].actual,
        report.outlooks[3].actual
    );
    summary("progress computation (service)", times);

    let city = app.login(CITY).await;
    for (label, uri) in [
        (
            "council report data (GET /api/v1/reports/council)",
            "/api/v1/reports/council?fiscal_year=2026&as_of=2026-09-30",
        ),
        (
            "council report page (GET /reports/council, HTML)",
            "/reports/council?fiscal_year=2026&as_of=2026-09-30",
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let reply = app.get_as(&city, uri).await;
            times.push(t.elapsed());
            assert_eq!(reply.status, 200, "{uri}: {}", reply.text);
        }
        summary(label, times);
    }
}
