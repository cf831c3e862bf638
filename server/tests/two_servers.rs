//! Two app servers over one PostgreSQL database, as a shared centre runs them behind a load
//! balancer without sticky sessions: 20 devices push and pull through both, alternating;
//! small pushes (fast transactions) and large ones (slow) interleave; the way to one server
//! goes through a proxy that loses answers after COMMIT, resets, delays and truncates, and
//! that server is killed with SIGKILL mid-run and restarted. Nothing is lost or applied twice, no pull cursor skips
//! a change that committed late or sends one twice, and the audit chain verifies.
//!
//! Runs in the PostgreSQL stage of `scripts/test` (`RENKEI_TEST_POSTGRES`).

#[path = "support/backend.rs"]
mod backend;
#[path = "support/device.rs"]
mod device;
#[path = "support/wire.rs"]
mod wire;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use app::sync::wire::PullResponse;
use device::{Device, check_database};
use std::sync::atomic::Ordering;
use tokio::sync::Mutex;
use wire::{FaultProxy, ServerProcess, audit_files, free_addr, login, request};

const DEVICES: u64 = 20;
const ENTRIES: usize = 40;

/// A device's pull position and what each record id arrived how often.
#[derive(Default)]
struct Puller {
    cursor: u64,
    epoch: String,
    seen: HashMap<String, u32>,
}

impl Puller {
    /// One page from `addr`; `None` when the server did not answer (killed); `Some(remaining)`.
    async fn pull(&mut self, addr: SocketAddr, cookie: &str) -> Option<u64> {
        let mut path = format!(
            "/api/v1/sync/pull?protocol=1&after={}&limit=200",
            self.cursor
        );
        if !self.epoch.is_empty() {
            path.push_str(&format!("&epoch={}", self.epoch));
        }
        let answer = request(addr, "GET", &path, Some(cookie), None).await.ok()?;
        assert!(
            answer.status < 500,
            "pull: {} {}",
            answer.status,
            answer.body
        );
        // A lost or cut answer (the proxy's doing) is like none: the cursor stays.
        let page: PullResponse = serde_json::from_str(&answer.body).ok()?;
        assert!(
            !page.reset || self.epoch.is_empty(),
            "a cursor of this database was taken for another's"
        );
        for record in &page.records {
            *self.seen.entry(record.id.clone()).or_default() += 1;
        }
        self.cursor = page.cursor;
        self.epoch = page.epoch;
        Some(page.remaining)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_one_killed_lose_skip_and_double_nothing() {
    if !backend::on_postgres() {
        eprintln!("two servers over one database: runs in the PostgreSQL stage of scripts/test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let database = backend::fresh(dir.path(), "two.sqlite3").await;
    let addrs = [free_addr(), free_addr()];
    let first = Arc::new(Mutex::new(ServerProcess::start(&database, addrs[0]).await));
    let second = ServerProcess::start(&database, addrs[1]).await;
    // A session made on one server is good on the other (it lives in the database).
    let cookie = Arc::new(login(addrs[0], "demo.city", "mihon-shi-2026").await);
    // Devices reach the first server through the fault proxy, the second directly.
    let proxy = FaultProxy::start(addrs[0], 0x2_5e7e).await;
    let routes = [proxy.addr, addrs[1]];

    let mut tasks = Vec::new();
    for node in 1..=DEVICES {
        let cookie = cookie.clone();
        tasks.push(tokio::spawn(async move {
            let mut device = Device::new(node);
            let mut puller = Puller::default();
            for n in 0..ENTRIES {
                device.register(n);
            }
            // Odd devices push one entry per transaction, even ones twenty.
            let batch = if node % 2 == 1 { 1 } else { 20 };
            let mut round = node as usize;
            while device.outbox.waiting() > 0 {
                round += 1;
                let (push_to, pull_from) = (routes[round % 2], routes[(round + 1) % 2]);
                if !device.push(push_to, &cookie, batch).await {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                puller.pull(pull_from, &cookie).await;
                assert!(round < 20_000, "device {node} never drained its outbox");
            }
            (device, puller)
        }));
    }
    // Kill one server while devices push and pull through both; restart it on its port.
    tokio::time::sleep(Duration::from_millis(400)).await;
    {
        let mut s = first.lock().await;
        s.kill().await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        *s = ServerProcess::start(&database, addrs[0]).await;
    }
    let mut done = Vec::new();
    for t in tasks {
        done.push(t.await.unwrap());
    }
    // Every device pulls to the end, through either server.
    for (n, (_, puller)) in done.iter_mut().enumerate() {
        let mut pages = 0;
        while puller.pull(addrs[n % 2], &cookie).await != Some(0) {
            pages += 1;
            assert!(pages < 1_000, "a pull never reached the end");
        }
    }
    let interrupted: u32 = done.iter().map(|(d, _)| d.failures).sum();
    let faults: Vec<u64> = proxy
        .counts
        .iter()
        .map(|c| c.load(Ordering::Relaxed))
        .collect();
    drop(proxy);
    let made: Vec<String> = done.iter().flat_map(|(d, _)| d.made.clone()).collect();
    for (device, puller) in &done {
        assert_eq!(device.server_errors, 0, "device {}: HTTP 5xx", device.node);
        for id in &made {
            match puller.seen.get(id) {
                None => panic!("device {}: change {id} skipped by its cursor", device.node),
                Some(1) => {}
                Some(n) => panic!("device {}: change {id} sent {n} times", device.node),
            }
        }
    }
    first.lock().await.kill().await;
    drop(second);
    let devices: Vec<Device> = done.into_iter().map(|(d, _)| d).collect();
    check_database(&database, &devices).await;
    for addr in addrs {
        let (key, anchors) = audit_files(&database, addr).expect("PostgreSQL");
        let verified = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("--database")
            .arg(database.locator())
            .arg("--audit-key")
            .arg(&key)
            .arg("--audit-anchors")
            .arg(&anchors)
            .arg("verify-audit")
            .output()
            .expect("run verify-audit");
        let said = String::from_utf8_lossy(&verified.stdout);
        assert_eq!(verified.status.code(), Some(0), "{said}");
        assert!(said.starts_with("audit log intact"), "{said}");
    }
    eprintln!(
        "two servers: {} entries from {DEVICES} devices; faults [pass, lost answer, reset, slow, truncated]: {faults:?}; pushes interrupted: {interrupted}",
        made.len()
    );
    assert!(
        faults[1..].iter().sum::<u64>() > 0,
        "the proxy injected faults"
    );
    assert!(
        interrupted > 0,
        "the kill happened while devices were pushing"
    );
}
