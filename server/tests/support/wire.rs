//! A real server process, a minimal HTTP/1.1 client and a fault-injecting TCP proxy, all on
//! 127.0.0.1, for tests that must see the sync engine survive a bad network and a crash.

#![allow(dead_code)]

use renkei_server::db::Database;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

/// A server process on a free port with its own database file.
pub struct ServerProcess {
    pub addr: SocketAddr,
    pub database: Database,
    child: Option<Child>,
}

pub fn free_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}

/// The audit key and this server's anchors file, where a PostgreSQL server keeps them (a
/// SQLite server keeps them beside its file).
pub fn audit_files(database: &Database, addr: SocketAddr) -> Option<(PathBuf, PathBuf)> {
    let Database::Postgres(url) = database else {
        return None;
    };
    let name = url.rsplit('/').next().unwrap_or("db");
    let dir = std::env::temp_dir();
    Some((
        dir.join(format!("renkei-{name}.audit-key")),
        dir.join(format!("renkei-{name}-{}.anchors", addr.port())),
    ))
}

impl ServerProcess {
    /// Starts `server --demo-data` and waits until `/healthz` answers.
    pub async fn start(database: &Database, addr: SocketAddr) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        // One key for all servers of a database; one anchors file per server.
        if let Some((key, anchors)) = audit_files(database, addr) {
            command
                .arg("--audit-key")
                .arg(key)
                .arg("--audit-anchors")
                .arg(anchors);
        }
        let child = command
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--database")
            .arg(database.locator())
            .arg("--demo-data")
            .arg("--log")
            .arg("warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server binary");
        let server = Self {
            addr,
            database: database.clone(),
            child: Some(child),
        };
        for _ in 0..600 {
            if let Ok(r) = request(addr, "GET", "/healthz", None, None).await
                && r.status == 200
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not start on {addr}");
    }

    /// The server's peak resident memory so far (VmHWM), in KiB.
    pub fn peak_memory_kib(&self) -> u64 {
        let pid = self.child.as_ref().and_then(Child::id).expect("running");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }

    /// SIGKILL: no shutdown, no flush — as a power cut would.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.start_kill().expect("kill");
            let _ = child.wait().await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.start_kill();
        }
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read to the end.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr).await?;
    let body = body.unwrap_or("");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    match cookie {
        // A fair tablet's token.
        Some(c) if c.starts_with("Bearer ") => {
            head.push_str(&format!("Authorization: {c}\r\n"));
        }
        // As the app's pages send it (cookie-carrying writes need it).
        Some(c) => head.push_str(&format!("Cookie: {c}\r\nSec-Fetch-Site: same-origin\r\n")),
        None => {}
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .map_err(|_| std::io::Error::other("timed out"))??;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> std::io::Result<Answer> {
    let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, "truncated or bad response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(bad)?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| bad())?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body = &raw[split + 4..];
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok());
    if let Some(n) = length
        && body.len() != n
    {
        return Err(bad());
    }
    Ok(Answer {
        status,
        body: String::from_utf8(body.to_vec()).map_err(|_| bad())?,
        headers,
    })
}

/// Signs in and returns the session cookie (`renkei_session=…`).
pub async fn login(addr: SocketAddr, login_id: &str, password: &str) -> String {
    let body = serde_json::json!({ "login_id": login_id, "password": password }).to_string();
    let answer = request(addr, "POST", "/api/v1/auth/login", None, Some(&body))
        .await
        .expect("login");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let cookie = answer.header("set-cookie").expect("session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    /// The server gets the whole request and answers; the answer never reaches the client.
    LoseResponse,
    /// The connection is cut halfway through the request.
    ResetMidRequest,
    /// Slow: 20–120 ms before forwarding.
    Latency,
    /// The client gets only the first part of the answer.
    TruncateResponse,
}

/// A TCP proxy on 127.0.0.1 that injects a fault into connections, chosen by a seeded
/// generator; it stops when dropped.
pub struct FaultProxy {
    pub addr: SocketAddr,
    pub counts: Arc<[AtomicU64; 5]>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn pick(state: &AtomicU64) -> Fault {
    // xorshift: deterministic per seed, shared by all connections.
    let mut x = state.load(Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    state.store(x, Ordering::Relaxed);
    match x % 10 {
        0 | 1 => Fault::LoseResponse,
        2 => Fault::ResetMidRequest,
        3 => Fault::TruncateResponse,
        4 | 5 => Fault::Latency,
        _ => Fault::Pass,
    }
}

impl FaultProxy {
    pub async fn start(upstream: SocketAddr, seed: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().unwrap();
        let rng = Arc::new(AtomicU64::new(seed | 1));
        let counts: Arc<[AtomicU64; 5]> = Arc::new(Default::default());
        let task_counts = counts.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                let fault = pick(&rng);
                task_counts[fault as usize].fetch_add(1, Ordering::Relaxed);
                tokio::spawn(async move {
                    let _ = handle(client, upstream, fault).await;
                });
            }
        });
        Self { addr, counts, task }
    }
}

/// Reads one request (head and `Content-Length` body) from the client.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = client.read(&mut buf).await?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if raw.len() >= split + 4 + length {
                return Ok(raw);
            }
        }
    }
}

async fn handle(mut client: TcpStream, upstream: SocketAddr, fault: Fault) -> std::io::Result<()> {
    let request = read_request(&mut client).await?;
    if fault == Fault::Latency {
        let ms = 20 + (request.len() as u64 * 7919) % 100;
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let mut server = TcpStream::connect(upstream).await?;
    if fault == Fault::ResetMidRequest {
        server.write_all(&request[..request.len() / 2]).await?;
        drop(server);
        client.set_zero_linger()?; // RST, not FIN
        return Ok(());
    }
    server.write_all(&request).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    match fault {
        Fault::LoseResponse => {
            client.set_zero_linger()?;
        }
        Fault::TruncateResponse => {
            client.write_all(&response[..response.len() / 2]).await?;
        }
        _ => client.write_all(&response).await?,
    }
    Ok(())
}
