//! The real server binary under abuse, on 127.0.0.1: a connection that stops half-way is let
//! go, and a flood of parallel sign-ins neither gets more password checks than the throttle
//! allows nor lets memory grow with it (Argon2 takes 19 MiB per hash in flight).

#[path = "support/backend.rs"]
mod backend;
#[path = "support/wire.rs"]
mod wire;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wire::{ServerProcess, free_addr, request};

/// Reads until the server closes the connection (or `limit` passes); what it sent.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut got = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut got)).await {
        Ok(_) => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_that_stop_half_way_are_let_go() {
    let dir = tempfile::tempdir().unwrap();
    let server =
        ServerProcess::start(&backend::fresh(dir.path(), "t.sqlite3").await, free_addr()).await;
    let addr = server.addr;
    let headers = async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let started = Instant::now();
        let answer = read_until_closed(&mut s, Duration::from_secs(25)).await;
        (answer, started.elapsed())
    };
    let body = async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"login_id\":",
        )
        .await
        .unwrap();
        let started = Instant::now();
        let answer = read_until_closed(&mut s, Duration::from_secs(40)).await;
        (answer, started.elapsed())
    };
    let ((h_answer, h_took), (b_answer, b_took)) = tokio::join!(headers, body);
    let h_answer = h_answer.expect("a connection stalled in its headers is closed");
    assert!(h_took < Duration::from_secs(15), "held {h_took:?}");
    assert!(!h_answer.contains("200 OK"), "{h_answer}");
    let b_answer = b_answer.expect("a connection stalled in its body is answered and closed");
    assert!(b_took < Duration::from_secs(30), "held {b_took:?}");
    assert!(b_answer.starts_with("HTTP/1.1 408"), "{b_answer}");
    assert!(b_answer.contains("\"timeout\""), "{b_answer}");
    // The server still answers.
    let ok = request(addr, "GET", "/healthz", None, None).await.unwrap();
    assert_eq!(ok.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_parallel_sign_ins_get_few_checks_and_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let server =
        ServerProcess::start(&backend::fresh(dir.path(), "t.sqlite3").await, free_addr()).await;
    let addr = server.addr;
    // Warm up: one sign-in, so the first hash's allocations are in the baseline.
    let _ = request(
        addr,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(r#"{"login_id":"demo.city","password":"warm up wrong"}"#),
    )
    .await
    .unwrap();
    let before = server.peak_memory_kib();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..100 {
        tasks.spawn(async move {
            let body = format!(r#"{{"login_id":"someone{i}","password":"guess {i}"}}"#);
            request(addr, "POST", "/api/v1/auth/login", None, Some(&body))
                .await
                .unwrap()
                .status
        });
    }
    let statuses = tasks.join_all().await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| matches!(**s, 429 | 503)).count();
    assert_eq!(checked + refused, 100, "{statuses:?}");
    // One address: at most its free attempts (20) are checked, however parallel.
    assert!(checked <= 20, "{checked} passwords checked");
    let grown_mib = (server.peak_memory_kib() - before) / 1024;
    // Unbounded, 20 hashes at once would take 380 MiB; a few slots take a few tens.
    assert!(grown_mib < 120, "peak memory grew by {grown_mib} MiB");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_hold_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let server =
        ServerProcess::start(&backend::fresh(dir.path(), "t.sqlite3").await, free_addr()).await;
    let addr = server.addr;
    // Open (and leave idle) as many connections as one address may hold, and one more.
    let mut held = Vec::new();
    for _ in 0..256 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut extra = TcpStream::connect(addr).await.unwrap();
    let answer = read_until_closed(&mut extra, Duration::from_secs(5)).await;
    assert_eq!(
        answer.as_deref(),
        Some(""),
        "the extra connection is closed at once"
    );
    // Once they go, the address is served again.
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ok = request(addr, "GET", "/healthz", None, None).await.unwrap();
    assert_eq!(ok.status, 200);
}
