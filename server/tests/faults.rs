//! Fault tests against the real server binary: a proxy that loses answers after COMMIT, cuts
//! connections mid-request, delays and truncates; and a server killed with SIGKILL mid-sync,
//! then restarted. Many devices × many entries; the assertion is 0 lost and 0 duplicated
//! acknowledged entries, and a database that passes `PRAGMA integrity_check`.

#[path = "support/backend.rs"]
mod backend;
#[path = "support/wire.rs"]
mod wire;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use app::sync::hlc::Hlc;
use app::sync::merge::FieldWrite;
use app::sync::outbox::Outbox;
use app::sync::wire::{Op, PROTOCOL_VERSION, PushRequest, PushResponse, RecordKind};
use serde_json::json;
use tokio::sync::Mutex;
use wire::{FaultProxy, ServerProcess, free_addr, login, request};

/// A device: its replica id, outbox, the entries it has made and those acknowledged.
struct Device {
    replica: String,
    node: u64,
    clock: Hlc,
    outbox: Outbox,
    made: Vec<String>,
    acked: HashSet<String>,
    /// Pushes that got no usable answer.
    failures: u32,
}

impl Device {
    fn new(node: u64) -> Self {
        Self {
            replica: uuid::Uuid::now_v7().to_string(),
            node,
            clock: Hlc::ZERO,
            outbox: Outbox::default(),
            made: Vec::new(),
            acked: HashSet::new(),
            failures: 0,
        }
    }

    /// Registers one new person (what an intake form does).
    fn register(&mut self, n: usize) {
        let id = uuid::Uuid::now_v7().to_string();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        self.clock = Hlc::tick(self.clock, now, self.node);
        let kana = ["ミホン", "レイダイ", "タメシ", "シケン"][n % 4];
        let fields = [
            ("family_name", json!(format!("端末{}", self.node))),
            ("given_name", json!(format!("利用者{n}"))),
            ("family_name_kana", json!(kana)),
            ("given_name_kana", json!("ハナコ")),
            ("birth_date", json!("1995-06-15")),
            ("category", json!("youth")),
        ]
        .into_iter()
        .map(|(field, value)| FieldWrite {
            field: field.into(),
            value,
            stamp: self.clock,
            base: None,
        })
        .collect();
        self.outbox
            .add(RecordKind::Person, id.clone(), Op::Put { fields });
        self.made.push(id);
    }

    /// One push of up to `max` waiting entries through `addr`; false when the network failed.
    async fn push(&mut self, addr: SocketAddr, cookie: &str, max: usize) -> bool {
        let batch = self.outbox.batch(max).to_vec();
        if batch.is_empty() {
            return true;
        }
        let body = serde_json::to_string(&PushRequest {
            protocol: PROTOCOL_VERSION,
            replica: self.replica.clone(),
            mutations: batch.clone(),
        })
        .unwrap();
        let answer = request(addr, "POST", "/api/v1/sync/push", Some(cookie), Some(&body)).await;
        let response = match answer {
            Ok(a) if a.status == 200 => serde_json::from_str::<PushResponse>(&a.body).ok(),
            _ => None,
        };
        let Some(response) = response else {
            self.failures += 1;
            return false;
        };
        for r in &response.results {
            assert_ne!(
                r.status,
                app::sync::wire::MutationStatus::Rejected,
                "valid entries are never refused: {r:?}"
            );
        }
        let before: Vec<(u64, String)> = self
            .outbox
            .pending
            .iter()
            .map(|m| (m.seq, m.id.clone()))
            .collect();
        self.outbox.acknowledge(&response);
        for (seq, id) in before {
            if !self.outbox.pending.iter().any(|m| m.seq == seq) {
                self.acked.insert(id);
            }
        }
        true
    }
}

/// Checks the database after the server has stopped: every entry of every device once, each
/// applied by exactly one push, and the file intact.
async fn check_database(database: &renkei_server::db::Database, devices: &[Device]) {
    let pool = renkei_server::db::open(database).await.expect("open");
    backend::assert_intact(&pool).await;
    let mut total = 0;
    for d in devices {
        assert_eq!(
            d.acked.len(),
            d.made.len(),
            "every entry acknowledged in the end"
        );
        for id in &d.made {
            let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(people, 1, "entry {id} lost");
            // Applied once: one creation in the audit trail, never an update.
            let applied: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action IN ('sync_create', 'sync_update')",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(applied, 1, "entry {id} applied {applied} times");
            total += 1;
        }
        let last: i64 = sqlx::query_scalar("SELECT last_seq FROM sync_replicas WHERE id = $1")
            .bind(&d.replica)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(last as usize, d.made.len());
    }
    let synced: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_records WHERE kind = 'person' AND id IN (SELECT subject_id FROM audit_log WHERE action = 'sync_create')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(synced, total);
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_resets_delays_and_truncations_lose_and_double_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = backend::fresh(dir.path(), "faults.sqlite3").await;
    let server = ServerProcess::start(&database, free_addr()).await;
    let proxy = FaultProxy::start(server.addr, 0x5eed_1234).await;
    let cookie = Arc::new(login(server.addr, "demo.city", "mihon-shi-2026").await);
    const DEVICES: usize = 8;
    const ENTRIES: usize = 60;
    let mut tasks = Vec::new();
    for node in 1..=DEVICES as u64 {
        let cookie = cookie.clone();
        let addr = proxy.addr;
        tasks.push(tokio::spawn(async move {
            let mut device = Device::new(node);
            let mut attempts = 0;
            while device.made.len() < ENTRIES || device.outbox.waiting() > 0 {
                // Keep working while sending: a few new entries between pushes.
                for _ in 0..3 {
                    if device.made.len() < ENTRIES {
                        let n = device.made.len();
                        device.register(n);
                    }
                }
                if !device.push(addr, &cookie, 7).await {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                attempts += 1;
                assert!(attempts < 5_000, "device {node} never drained its outbox");
            }
            device
        }));
    }
    let mut devices = Vec::new();
    for t in tasks {
        devices.push(t.await.unwrap());
    }
    let counts: Vec<u64> = proxy
        .counts
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .collect();
    // Every kind of fault happened, several times.
    assert!(
        counts.iter().all(|&c| c >= 5),
        "faults injected [pass, lost, reset, slow, truncated]: {counts:?}"
    );
    drop(proxy);
    drop(server); // stop before checking the file
    tokio::time::sleep(Duration::from_millis(200)).await;
    check_database(&database, &devices).await;
    eprintln!("faults injected [pass, lost answer, reset, slow, truncated]: {counts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_sync_keeps_every_acknowledged_entry_once() {
    let dir = tempfile::tempdir().unwrap();
    let database = backend::fresh(dir.path(), "kill.sqlite3").await;
    let addr = free_addr();
    let server = Arc::new(Mutex::new(ServerProcess::start(&database, addr).await));
    let cookie = Arc::new(login(addr, "demo.city", "mihon-shi-2026").await);
    const DEVICES: usize = 6;
    const ENTRIES: usize = 200;
    let mut tasks = Vec::new();
    for node in 1..=DEVICES as u64 {
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut device = Device::new(node);
            for n in 0..ENTRIES {
                device.register(n);
            }
            let mut attempts = 0;
            while device.outbox.waiting() > 0 {
                if !device.push(addr, &cookie, 2).await {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                attempts += 1;
                assert!(attempts < 20_000, "device {node} never drained its outbox");
            }
            device
        }));
    }
    // Kill the server twice while devices push, each time restarting it on the same file.
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let mut s = server.lock().await;
        s.kill().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        *s = ServerProcess::start(&database, addr).await;
    }
    let mut devices = Vec::new();
    for t in tasks {
        devices.push(t.await.unwrap());
    }
    server.lock().await.kill().await;
    let interrupted: u32 = devices.iter().map(|d| d.failures).sum();
    assert!(
        interrupted > 0,
        "the kills happened while devices were pushing"
    );
    check_database(&database, &devices).await;
    eprintln!("pushes interrupted by the kills: {interrupted}");
}
