//! Sync benchmarks (`cargo bench -p server --bench sync`), figures for docs/benchmarks.md:
//!
//! 1. Batched ingest: mutations/s through the sync engine (merge, checks, projection, audit
//!    trail, one transaction per batch of 500) beside raw SQLite batched inserts of the same
//!    rows measured in the same run on the same kind of file.
//! 2. Push round trip with 20 devices pushing at once over HTTP on 127.0.0.1: p50 and p99.
//!
//! Everything runs on 127.0.0.1 and on temporary files, and stops by itself.

#[path = "../tests/support/wire.rs"]
mod wire;

use std::time::{Duration, Instant};

use app::domain::access::{Organisation, Role};
use app::domain::ids::StaffId;
use app::i18n::Lang;
use app::sync::hlc::Hlc;
use app::sync::merge::FieldWrite;
use app::sync::wire::{Mutation, Op, PROTOCOL_VERSION, PushRequest, RecordKind};
use renkei_server::auth::{Actor, StaffActor};
use renkei_server::{AppState, db};
use serde_json::json;

const INGEST: usize = 20_000;
const BATCH: usize = 500;

fn person(seq: u64, node: u64) -> Mutation {
    let stamp = Hlc {
        wall_ms: 1_760_000_000_000 + seq,
        counter: 0,
        node,
    };
    let fields = [
        ("family_name", json!("見本")),
        ("given_name", json!(format!("太郎{seq}"))),
        ("family_name_kana", json!("ミホン")),
        ("given_name_kana", json!("タロウ")),
        ("birth_date", json!("1990-04-01")),
        ("category", json!("youth")),
    ]
    .into_iter()
    .map(|(f, value)| FieldWrite {
        field: f.into(),
        value,
        stamp,
        base: None,
    })
    .collect();
    Mutation {
        seq,
        kind: RecordKind::Person,
        id: uuid::Uuid::now_v7().to_string(),
        op: Op::Put { fields },
    }
}

async fn ingest() -> (f64, f64) {
    let dir = tempfile::tempdir().unwrap();
    let pool = db::open(&db::Database::Sqlite(dir.path().join("ingest.sqlite3")))
        .await
        .unwrap();
    let state = AppState::new(pool.clone(), "127.0.0.1:0".parse().unwrap(), "target/site");
    let staff = StaffActor {
        id: StaffId(uuid::Uuid::now_v7()),
        login_id: "bench".into(),
        display_name: "bench".into(),
        organisation: Organisation::City,
        role: Role::Counter,
        session: String::new(),
    };
    let actor = Actor::Staff(staff);
    let replica = uuid::Uuid::now_v7().to_string();
    let all: Vec<Mutation> = (1..=INGEST as u64).map(|s| person(s, 7)).collect();
    let started = Instant::now();
    for chunk in all.chunks(BATCH) {
        let request = PushRequest {
            protocol: PROTOCOL_VERSION,
            replica: replica.clone(),
            mutations: chunk.to_vec(),
        };
        let answer = renkei_server::service::sync::push(&state, &actor, Lang::Ja, &request)
            .await
            .expect("push");
        assert_eq!(answer.results.len(), chunk.len());
    }
    let engine = INGEST as f64 / started.elapsed().as_secs_f64();

    // Raw SQLite: the same rows, batched in transactions of the same size, prepared statements.
    sqlx::query(
        "CREATE TABLE raw_people (id TEXT PRIMARY KEY, family_name TEXT, given_name TEXT,
         family_name_kana TEXT, given_name_kana TEXT, birth_date TEXT, category TEXT)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let started = Instant::now();
    for chunk in all.chunks(BATCH) {
        let mut tx = pool.begin().await.unwrap();
        for (i, m) in chunk.iter().enumerate() {
            sqlx::query("INSERT INTO raw_people VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(&m.id)
                .bind("見本")
                .bind(format!("太郎{i}"))
                .bind("ミホン")
                .bind("タロウ")
                .bind("1990-04-01")
                .bind("youth")
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    let raw = INGEST as f64 / started.elapsed().as_secs_f64();
    pool.close().await;
    (engine, raw)
}

async fn round_trips() -> (Duration, Duration, usize) {
    const DEVICES: usize = 20;
    const PUSHES: usize = 50;
    const PER_PUSH: u64 = 10;
    let dir = tempfile::tempdir().unwrap();
    let addr = wire::free_addr();
    let database = db::Database::Sqlite(dir.path().join("rt.sqlite3"));
    let server = wire::ServerProcess::start(&database, addr).await;
    let cookie = wire::login(addr, "demo.city", "mihon-shi-2026").await;
    let mut tasks = Vec::new();
    for node in 0..DEVICES as u64 {
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let replica = uuid::Uuid::now_v7().to_string();
            let mut times = Vec::with_capacity(PUSHES);
            for p in 0..PUSHES as u64 {
                let mutations = (1..=PER_PUSH)
                    .map(|i| person(p * PER_PUSH + i, node + 1))
                    .collect();
                let body = serde_json::to_string(&PushRequest {
                    protocol: PROTOCOL_VERSION,
                    replica: replica.clone(),
                    mutations,
                })
                .unwrap();
                let started = Instant::now();
                let answer = wire::request(
                    addr,
                    "POST",
                    "/api/v1/sync/push",
                    Some(&cookie),
                    Some(&body),
                )
                .await
                .expect("push");
                times.push(started.elapsed());
                assert_eq!(answer.status, 200, "{}", answer.body);
            }
            times
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    drop(server);
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    (at(0.50), at(0.99), all.len())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo test --benches` runs this file as a test: keep that quick.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let (engine, raw) = ingest().await;
    println!(
        "ingest: {engine:.0} mutations/s through the sync engine (batches of {BATCH}); raw SQLite batched inserts {raw:.0} rows/s; ratio {:.2}x",
        raw / engine
    );
    let (p50, p99, n) = round_trips().await;
    println!(
        "push round trip, 20 devices at once, 10 mutations per push, {n} pushes: p50 {:.1} ms, p99 {:.1} ms",
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0
    );
}
