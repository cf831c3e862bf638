//! Fault tests against the real server binary: a proxy that loses answers after COMMIT, cuts
//! connections mid-request, delays and truncates; and a server killed with SIGKILL mid-sync,
//! then restarted. Many devices × many entries; the assertion is 0 lost and 0 duplicated
//! acknowledged entries, and a database that passes `PRAGMA integrity_check`.

#[path = "support/backend.rs"]
mod backend;
#[path = "support/device.rs"]
mod device;
#[path = "support/wire.rs"]
mod wire;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use device::{Device, check_database};
use tokio::sync::Mutex;
use wire::{FaultProxy, ServerProcess, free_addr, login};

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
