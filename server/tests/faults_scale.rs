//! The engine under faults, at scale, against the real server binary: staff laptops creating,
//! editing (also the same field on two laptops: conflicts), deleting (also in the same push as
//! the create) and writing notes; fair tablets registering walk-ins, checking in and recording
//! interviews (and deleting one now and then) — all through a proxy that loses answers after
//! COMMIT, resets, delays and truncates, while the server is killed with SIGKILL and restarted.
//!
//! Checked at the end: every entry acknowledged, none lost, none applied twice, no HTTP 5xx,
//! every conflict reported to the device that wrote it, and the counter's tables (people,
//! notes, participants, interviews) equal to a recomputation from the synced records.
//!
//! CI runs the smaller setting (≥ 300 faults, 3 kills); `RENKEI_FAULTS=full` runs ≥ 1,000
//! faults and ≥ 10 kills (figures in docs/benchmarks.md).

#[path = "support/backend.rs"]
mod backend;
#[path = "support/records.rs"]
mod records;
#[path = "support/wire.rs"]
mod wire;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use app::sync::hlc::Hlc;
use app::sync::merge::FieldWrite;
use app::sync::outbox::Outbox;
use app::sync::wire::{
    MutationStatus, Op, PROTOCOL_VERSION, PushRequest, PushResponse, RecordKind,
};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use wire::{FaultProxy, ServerProcess, free_addr, login, request};

/// One replica (a laptop or a tablet) and what it knows of its own entries.
struct Replica {
    who: String,
    replica: String,
    node: u64,
    clock: Hlc,
    outbox: Outbox,
    /// The last answer for each of its numbers: (status, conflicts).
    answers: HashMap<u64, (MutationStatus, u32)>,
    /// Records it created, and whether it deleted them.
    created: Vec<(RecordKind, String)>,
    deleted: HashSet<String>,
    server_errors: u32,
    n: usize,
    /// The stamp of this laptop's last edit of the shared person (what it has seen of it).
    last_shared: Option<Hlc>,
}

impl Replica {
    fn new(who: &str, node: u64) -> Self {
        Self {
            who: who.to_owned(),
            replica: uuid::Uuid::now_v7().to_string(),
            node,
            clock: Hlc::ZERO,
            outbox: Outbox::default(),
            answers: HashMap::new(),
            created: Vec::new(),
            deleted: HashSet::new(),
            server_errors: 0,
            n: 0,
            last_shared: None,
        }
    }

    fn tick(&mut self) -> Hlc {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        self.clock = Hlc::tick(self.clock, now, self.node);
        self.clock
    }

    fn put(&mut self, kind: RecordKind, id: &str, values: Vec<(&str, Value)>, base: Option<Hlc>) {
        let stamp = self.tick();
        let fields = values
            .into_iter()
            .map(|(field, value)| FieldWrite {
                field: field.into(),
                value,
                stamp,
                base,
            })
            .collect();
        self.outbox.add(kind, id.to_owned(), Op::Put { fields });
    }

    fn create(&mut self, kind: RecordKind, values: Vec<(&str, Value)>) -> String {
        let id = uuid::Uuid::now_v7().to_string();
        self.put(kind, &id, values, None);
        self.created.push((kind, id.clone()));
        id
    }

    fn delete(&mut self, kind: RecordKind, id: &str) {
        let stamp = self.tick();
        self.outbox.add(kind, id.to_owned(), Op::Delete { stamp });
        self.deleted.insert(id.to_owned());
    }

    /// One push of up to 4 waiting entries through the proxy; false when it got no answer.
    async fn push(&mut self, addr: std::net::SocketAddr) -> bool {
        let batch = self.outbox.batch(4).to_vec();
        if batch.is_empty() {
            return true;
        }
        let body = serde_json::to_string(&PushRequest {
            protocol: PROTOCOL_VERSION,
            replica: self.replica.clone(),
            mutations: batch,
        })
        .unwrap();
        let answer = request(
            addr,
            "POST",
            "/api/v1/sync/push",
            Some(&self.who),
            Some(&body),
        )
        .await;
        let Ok(answer) = answer else { return false };
        if answer.status >= 500 {
            self.server_errors += 1;
            return false;
        }
        let Ok(response) = serde_json::from_str::<PushResponse>(&answer.body) else {
            return false;
        };
        for r in &response.results {
            assert_ne!(
                r.status,
                MutationStatus::Rejected,
                "a valid entry was refused: {r:?}"
            );
            self.answers.insert(r.seq, (r.status, r.conflicts));
        }
        self.outbox.acknowledge(&response);
        true
    }
}

/// What a staff laptop does next: intake, an edit of the shared person (conflicts with the
/// other laptop), a note, a create and delete in one push, or a delete.
fn staff_step(r: &mut Replica, shared: &str, shared_base: Hlc) {
    r.n += 1;
    let n = r.n;
    let person = |family: String| {
        vec![
            ("family_name", json!(family)),
            ("given_name", json!("花子")),
            ("family_name_kana", json!("ミホン")),
            ("given_name_kana", json!("ハナコ")),
            ("birth_date", json!("1990-04-01")),
            ("category", json!("youth")),
        ]
    };
    match n % 5 {
        0 => {
            let id = r.create(RecordKind::Person, person(format!("端末{}の{n}", r.node)));
            let note = vec![
                ("person_id", json!(id)),
                ("body", json!(format!("面談 {n}\n次回は来週"))),
                ("written_on", json!("2026-11-20")),
                ("note_type", json!("interview")),
                ("organisation", json!("city")),
                ("author", json!("見本 市職員")),
            ];
            r.create(RecordKind::Note, note);
        }
        1 => {
            // The shared person's field, edited as this laptop last saw it.
            let base = r.last_shared.unwrap_or(shared_base);
            r.put(
                RecordKind::Person,
                shared,
                vec![("given_name", json!(format!("名{}-{n}", r.node)))],
                Some(base),
            );
            r.last_shared = Some(r.clock);
        }
        2 => {
            let id = r.create(RecordKind::Person, person(format!("取消{}の{n}", r.node)));
            r.delete(RecordKind::Person, &id); // in the same push, most often
        }
        3 => {
            let own: Vec<String> = r
                .created
                .iter()
                .filter(|(k, id)| *k == RecordKind::Person && !r.deleted.contains(id))
                .map(|(_, id)| id.clone())
                .collect();
            if let Some(id) = own.first() {
                r.delete(RecordKind::Person, id);
            }
        }
        _ => {
            r.create(RecordKind::Person, person(format!("端末{}の{n}", r.node)));
        }
    }
}

/// What a fair tablet does next: a walk-in, a check-in, an interview, or deleting one.
fn tablet_step(r: &mut Replica, event: &str, employer: &str) {
    r.n += 1;
    let n = r.n;
    let registrations: Vec<String> = r
        .created
        .iter()
        .filter(|(k, id)| *k == RecordKind::Participant && !r.deleted.contains(id))
        .map(|(_, id)| id.clone())
        .collect();
    match (n % 4, registrations.last()) {
        (1, Some(id)) => {
            let id = id.clone();
            r.put(
                RecordKind::Participant,
                &id,
                vec![("checked_in", json!(true))],
                None,
            );
        }
        (2, Some(id)) => {
            let interview = vec![
                ("event_id", json!(event)),
                ("participant_id", json!(id)),
                ("employer_id", json!(employer)),
                ("outcome", json!(["interview", "offer", "hired"][n % 3])),
            ];
            let made = r.create(RecordKind::Interview, interview);
            if n.is_multiple_of(3) {
                r.delete(RecordKind::Interview, &made);
            }
        }
        _ => {
            let kana = ["アオキ", "イノウエ", "ウエダ", "エンドウ"][n % 4];
            r.create(
                RecordKind::Participant,
                vec![
                    ("event_id", json!(event)),
                    ("family_name", json!(format!("来場{}の{n}", r.node))),
                    ("given_name", json!("太郎")),
                    ("family_name_kana", json!(kana)),
                    ("given_name_kana", json!("タロウ")),
                    (
                        "birth_date",
                        json!(format!("199{}-0{}-1{}", n % 10, 1 + n % 9, n % 10)),
                    ),
                    ("contact_ok", json!(true)),
                    ("share_ok", json!(true)),
                ],
            );
        }
    }
}

struct Scale {
    faults: u64,
    kills: u32,
}

fn scale() -> Scale {
    if std::env::var("RENKEI_FAULTS").as_deref() == Ok("full") {
        Scale {
            faults: 1_000,
            kills: 10,
        }
    } else {
        Scale {
            faults: 300,
            kills: 3,
        }
    }
}

async fn api(addr: std::net::SocketAddr, who: &str, path: &str, body: Value) -> Value {
    let answer = request(addr, "POST", path, Some(who), Some(&body.to_string()))
        .await
        .expect("setup request");
    assert!(
        answer.status < 300,
        "{path}: {} {}",
        answer.status,
        answer.body
    );
    serde_json::from_str(&answer.body).unwrap_or(Value::Null)
}

/// A fair with one employer and two enrolled tablets (their bearer tokens).
async fn fair(addr: std::net::SocketAddr, city: &str) -> (String, String, Vec<String>) {
    let event = api(addr, city, "/api/v1/events", json!({ "title": "障害試験の面接会",
        "kind": "joint_interview", "date": renkei_server::service::today().add_days(3).to_string(), "venue": "市民会館", "target_group": "youth" }))
        .await["id"].as_str().unwrap().to_owned();
    let employer = api(
        addr,
        city,
        &format!("/api/v1/events/{event}/employers"),
        json!({ "name": "見本商事" }),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = login(addr, "demo.admin", "mihon-kanri-2026").await;
    let mut tablets = Vec::new();
    for label in ["受付A", "受付B"] {
        let code = api(
            addr,
            &admin,
            "/api/v1/devices",
            json!({ "event_id": event, "label": label }),
        )
        .await["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let enrolled = request(
            addr,
            "POST",
            "/api/v1/devices/enrol",
            None,
            Some(&json!({ "code": code }).to_string()),
        )
        .await
        .unwrap();
        let token: Value = serde_json::from_str(&enrolled.body).unwrap();
        tablets.push(format!("Bearer {}", token["token"].as_str().unwrap()));
    }
    (event, employer, tablets)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_scale_under_faults_and_kills_nothing_is_lost_doubled_or_unreported() {
    let scale = scale();
    let dir = tempfile::tempdir().unwrap();
    let database = backend::fresh(dir.path(), "scale.sqlite3").await;
    let addr = free_addr();
    let server = Arc::new(Mutex::new(ServerProcess::start(&database, addr).await));
    let city = login(addr, "demo.city", "mihon-shi-2026").await;
    let (event, employer, tablets) = fair(addr, &city).await;
    // The person both laptops edit, created at the counter before the fair.
    let shared = api(addr, &city, "/api/v1/people", json!({ "family_name": "共有", "given_name": "花子",
        "family_name_kana": "キョウユウ", "given_name_kana": "ハナコ", "birth_date": "", "category": "youth" }))
        .await["id"].as_str().unwrap().to_owned();
    let shared_base: Hlc = {
        let page = request(
            addr,
            "GET",
            "/api/v1/sync/pull?protocol=1&after=0",
            Some(&city),
            None,
        )
        .await
        .unwrap();
        let page: Value = serde_json::from_str(&page.body).unwrap();
        let record = page["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == shared.as_str())
            .unwrap()
            .clone();
        serde_json::from_value(record["state"]["fields"]["given_name"]["stamp"].clone()).unwrap()
    };
    let proxy = FaultProxy::start(addr, 0x5ca1_e000).await;
    let faults = |p: &FaultProxy| {
        p.counts
            .iter()
            .skip(1)
            .map(|c| c.load(Ordering::Relaxed))
            .sum::<u64>()
    };
    let enough = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicU32::new(0));

    let mut tasks = Vec::new();
    let replicas: Vec<(String, bool)> = vec![
        (city.clone(), true),
        (city.clone(), true),
        (tablets[0].clone(), false),
        (tablets[1].clone(), false),
    ];
    for (node, (who, staff)) in replicas.into_iter().enumerate() {
        let (enough, target, shared, event, employer) = (
            enough.clone(),
            proxy.addr,
            shared.clone(),
            event.clone(),
            employer.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut r = Replica::new(&who, node as u64 + 1);
            let mut rounds = 0u32;
            while !enough.load(Ordering::Relaxed) || r.outbox.waiting() > 0 {
                if !enough.load(Ordering::Relaxed) {
                    for _ in 0..2 {
                        if staff {
                            staff_step(&mut r, &shared, shared_base)
                        } else {
                            tablet_step(&mut r, &event, &employer)
                        }
                    }
                }
                if !r.push(target).await {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                rounds += 1;
                assert!(rounds < 200_000, "replica {node} never drained its outbox");
            }
            r
        }));
    }
    // Kill and restart the server now and then until enough faults and kills have happened.
    let killer = {
        let (server, kills, database) = (server.clone(), kills.clone(), database.clone());
        tokio::spawn(async move {
            for _ in 0..scale.kills {
                tokio::time::sleep(Duration::from_millis(700)).await;
                let mut s = server.lock().await;
                s.kill().await;
                tokio::time::sleep(Duration::from_millis(50)).await;
                *s = ServerProcess::start(&database, addr).await;
                kills.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let started = std::time::Instant::now();
    while faults(&proxy) < scale.faults || kills.load(Ordering::Relaxed) < scale.kills {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the run did not reach its faults"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    enough.store(true, Ordering::Relaxed);
    killer.await.unwrap();
    let mut done = Vec::new();
    for t in tasks {
        done.push(t.await.unwrap());
    }
    let injected: Vec<u64> = proxy
        .counts
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .collect();
    drop(proxy);
    server.lock().await.kill().await;
    let made: usize = done.iter().map(|r| r.answers.len()).sum();
    eprintln!(
        "faults injected [pass, lost answer, reset, slow, truncated]: {injected:?}; kills: {}; mutations: {made}; {:.1} s",
        kills.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    check(&database, &done).await;
}

/// The end state: all entries once, no 5xx, conflicts all reported, projections recomputed.
async fn check(database: &renkei_server::db::Database, replicas: &[Replica]) {
    let pool = renkei_server::db::open(database).await.unwrap();
    let one = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    backend::assert_intact(&pool).await;
    for r in replicas {
        assert_eq!(r.server_errors, 0, "HTTP 5xx answers");
        assert_eq!(r.outbox.waiting(), 0);
        assert_eq!(
            r.answers.len() as u64,
            r.outbox.next_seq - 1,
            "every entry answered"
        );
        for (kind, id) in &r.created {
            let found: Option<(String, Vec<u8>)> =
                sqlx::query_as("SELECT kind, state FROM sync_records WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&pool)
                    .await
                    .unwrap();
            let (stored_kind, state) = found.unwrap_or_else(|| panic!("{kind:?} {id} lost"));
            assert_eq!(stored_kind, kind.code());
            let deleted = renkei_server::store::sync::decode_state(&state)
                .unwrap()
                .deleted
                .is_some();
            assert_eq!(
                deleted,
                r.deleted.contains(id),
                "{kind:?} {id}: delete lost or invented"
            );
            let creations: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'sync_create' AND CASE WHEN $2 = 'person'
                   THEN subject_id = $1 AND COALESCE(detail, '') NOT LIKE '%note=%'
                   ELSE detail LIKE $2 || '=' || $1 || '%' END",
            )
            .bind(id)
            .bind(kind.code())
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(creations, 1, "{kind:?} {id} created {creations} times");
        }
    }
    let reported: u64 = replicas
        .iter()
        .flat_map(|r| r.answers.values())
        .map(|(_, c)| u64::from(*c))
        .sum();
    let recorded = one("SELECT COUNT(*) FROM sync_conflicts").await as u64;
    assert!(
        recorded > 0,
        "the laptops' edits of one field made conflicts"
    );
    assert_eq!(
        reported, recorded,
        "conflicts recorded but not reported to the device"
    );
    // The counter's tables equal a recomputation from the records.
    records::records_as_json(&pool).await;
    let pairs = [
        (
            "SELECT COUNT(*) FROM people WHERE deleted_at_ms IS NULL",
            "SELECT COUNT(*) FROM records_as_json WHERE kind = 'person' AND deleted = 0",
        ),
        (
            "SELECT COUNT(*) FROM notes",
            "SELECT COUNT(*) FROM records_as_json WHERE kind = 'note'",
        ),
        (
            "SELECT COUNT(*) FROM participants",
            "SELECT COUNT(*) FROM records_as_json WHERE kind = 'participant' AND deleted = 0",
        ),
        (
            "SELECT COUNT(*) FROM fair_outcomes",
            "SELECT COUNT(*) FROM records_as_json WHERE kind = 'interview' AND deleted = 0",
        ),
        (
            "SELECT COUNT(*) FROM participants WHERE checked_in_at_ms IS NOT NULL",
            "SELECT COUNT(*) FROM records_as_json WHERE kind = 'participant' AND deleted = 0
            AND checked_in = 1",
        ),
    ];
    for (table, records) in pairs {
        assert_eq!(
            one(table).await,
            one(records).await,
            "{table} differs from the records"
        );
    }
    pool.close().await;
}
