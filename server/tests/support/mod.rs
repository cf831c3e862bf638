//! Test harness: the real router on a temporary SQLite file, driven in-process, with the four
//! demo accounts (one per role and organisation) and helpers to act as each.

#![allow(dead_code)]

pub mod backend;
mod mutations;
pub mod records;

// Not every test file sends mutations.
#[allow(unused_imports)]
pub use mutations::*;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use renkei_server::{AppState, db, router};
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub dir: TempDir,
    pub database: db::Database,
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

/// Who sends a request.
#[derive(Clone, Debug)]
pub enum Who {
    Anonymous,
    /// A staff session cookie value.
    Staff(String),
    /// A device bearer token.
    Device(String),
}

pub const CITY: (&str, &str) = ("demo.city", "mihon-shi-2026");
pub const HELLO_WORK: (&str, &str) = ("demo.hw", "mihon-hw-2026");
pub const MANAGER: (&str, &str) = ("demo.manager", "mihon-kacho-2026");
pub const ADMIN: (&str, &str) = ("demo.admin", "mihon-kanri-2026");

/// A site folder as a build leaves it, in short: the main module and stylesheet, and the fair
/// tablet's module, so every page the server answers has its files.
fn site_folder(dir: &std::path::Path) -> String {
    let pkg = dir.join("site/pkg");
    std::fs::create_dir_all(&pkg).expect("site folder");
    for name in [
        "renkei.js",
        "renkei.wasm",
        "renkei.css",
        "tablet.TTTTTTTTTTTTTTTTTTTTTT.js",
        "tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm",
    ] {
        std::fs::write(pkg.join(name), name).expect("site file");
    }
    dir.join("site").to_string_lossy().into_owned()
}

impl TestApp {
    /// A fresh database with the demo accounts and nothing else.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = backend::fresh(dir.path(), "test.sqlite3").await;
        Self::on(dir, database).await
    }

    /// A fresh SQLite file, whichever backend the tests run on.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = db::Database::Sqlite(dir.path().join("test.sqlite3"));
        Self::on(dir, database).await
    }

    /// An app over `database` (new), its audit files in `dir`.
    pub async fn on(dir: TempDir, database: db::Database) -> Self {
        let db = db::open(&database).await.expect("open db");
        let site = site_folder(dir.path());
        let mut state = AppState::new(db, "127.0.0.1:0".parse().unwrap(), &site);
        // The audit anchor where the server would keep it: beside the database.
        let anchor = renkei_server::audit::anchor::Anchor::open(
            &dir.path().join("test.sqlite3.audit-key"),
            &dir.path().join("test.sqlite3.audit-anchors"),
            true,
        )
        .expect("audit anchor");
        state.anchor = Some(std::sync::Arc::new(anchor));
        for (login_id, password, name, org, role) in renkei_server::demo::ACCOUNTS {
            let request = app::protocol::CreateStaff {
                login_id: login_id.into(),
                display_name: name.into(),
                organisation: org.into(),
                role: role.into(),
                password: password.into(),
            };
            renkei_server::service::staff::create(&state, None, &request)
                .await
                .expect("account");
        }
        Self {
            router: router(state.clone()),
            state,
            dir,
            database,
        }
    }

    /// The same app behind these reverse proxies (`--trusted-proxy`).
    pub fn trusting(mut self, proxies: &[&str]) -> Self {
        self.state.trusted_proxies = proxies
            .iter()
            .map(|p| renkei_server::auth::client::parse_proxy(p).expect("a proxy"))
            .collect();
        self.router = router(self.state.clone());
        self
    }

    /// One sign-in attempt from `peer` saying it forwards for `forwarded_for`.
    pub async fn login_forwarded(
        &self,
        peer: &str,
        forwarded_for: &str,
        credentials: (&str, &str),
    ) -> Reply {
        let mut request = Self::login_request_from(peer, credentials);
        request.headers_mut().insert(
            "x-forwarded-for",
            forwarded_for.parse().expect("a header value"),
        );
        self.send(request).await
    }

    /// Writes a checkpoint of the audit chain's head (the server does it every 2 s).
    pub async fn checkpoint(&self) {
        let anchor = self.state.anchor.as_ref().expect("anchor");
        anchor.checkpoint(self.db()).await.expect("checkpoint");
    }

    /// Runs `server verify-audit` on this app's database: (exit code, what it printed).
    pub fn verify_audit_command(&self) -> (Option<i32>, String) {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("--database")
            .arg(self.database.locator())
            .arg("--audit-key")
            .arg(self.dir.path().join("test.sqlite3.audit-key"))
            .arg("--audit-anchors")
            .arg(self.dir.path().join("test.sqlite3.audit-anchors"))
            .arg("verify-audit")
            .output()
            .expect("run verify-audit");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    }

    pub fn db(&self) -> &renkei_server::store::Pool {
        &self.state.db
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        send_to(&self.router, request).await
    }

    pub fn request(who: &Who, method: &str, uri: &str, body: Option<&Value>) -> Request<Body> {
        let mut builder = Request::builder().method(method).uri(uri);
        match who {
            Who::Anonymous => {}
            Who::Staff(cookie) => {
                // As a browser page of the app sends it (the server refuses cookie-carrying
                // writes without it).
                builder = builder
                    .header(header::COOKIE, format!("renkei_session={cookie}"))
                    .header("sec-fetch-site", "same-origin");
            }
            Who::Device(token) => {
                builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
        }
        match body {
            Some(json) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string()))
                .unwrap(),
            None => builder.body(Body::empty()).unwrap(),
        }
    }

    pub async fn get_as(&self, who: &Who, uri: &str) -> Reply {
        self.send(Self::request(who, "GET", uri, None)).await
    }

    pub async fn post_as(&self, who: &Who, uri: &str, body: &Value) -> Reply {
        self.send(Self::request(who, "POST", uri, Some(body))).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.get_as(&Who::Anonymous, uri).await
    }

    pub async fn post_json(&self, uri: &str, body: &Value) -> Reply {
        self.post_as(&Who::Anonymous, uri, body).await
    }

    /// One sign-in attempt as if from `ip` (the throttle keys on the peer's address).
    pub async fn login_from(&self, ip: &str, credentials: (&str, &str)) -> Reply {
        self.send(Self::login_request_from(ip, credentials)).await
    }

    pub fn login_request_from(ip: &str, (login_id, password): (&str, &str)) -> Request<Body> {
        let mut request = Self::request(
            &Who::Anonymous,
            "POST",
            "/api/v1/auth/login",
            Some(&serde_json::json!({ "login_id": login_id, "password": password })),
        );
        let peer: std::net::SocketAddr = format!("{ip}:40000").parse().expect("an IP address");
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        request
    }

    /// Signs in and returns the session.
    pub async fn login(&self, (login_id, password): (&str, &str)) -> Who {
        let reply = self
            .post_json(
                "/api/v1/auth/login",
                &serde_json::json!({ "login_id": login_id, "password": password }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {login_id}: {}",
            reply.text
        );
        let cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .expect("a session cookie");
        let value = cookie
            .strip_prefix("renkei_session=")
            .and_then(|rest| rest.split(';').next())
            .expect("cookie value");
        Who::Staff(value.to_owned())
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.db())
            .await
            .expect("count")
    }

    /// Creates an event three days ahead as city counter staff; returns its id.
    pub async fn event(&self, who: &Who, title: &str) -> String {
        let reply = self
            .post_as(
                who,
                "/api/v1/events",
                &serde_json::json!({
                    "title": title, "kind": "joint_interview", "date": in_days(3),
                    "venue": "市民会館", "target_group": "youth"
                }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.json()["id"].as_str().unwrap().to_owned()
    }

    /// Adds an employer to a fair as `who`; returns its id.
    pub async fn employer(&self, who: &Who, fair: &str, name: &str) -> String {
        let reply = self
            .post_as(
                who,
                &format!("/api/v1/events/{fair}/employers"),
                &serde_json::json!({ "name": name }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.json()["id"].as_str().unwrap().to_owned()
    }

    /// Registers a person as `who`; returns its id.
    pub async fn person(&self, who: &Who, family: &str) -> String {
        let reply = self
            .post_as(
                who,
                "/api/v1/people",
                &serde_json::json!({
                    "family_name": family, "given_name": "花子",
                    "family_name_kana": "みほん", "given_name_kana": "はなこ",
                    "birth_date": "平成3年4月12日", "category": "single_mothers"
                }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.json()["id"].as_str().unwrap().to_owned()
    }

    /// Enrols a device for `event` (as administrator) and returns its bearer token and id.
    pub async fn device(&self, admin: &Who, event: &str) -> (Who, String) {
        let created = self
            .post_as(
                admin,
                "/api/v1/devices",
                &serde_json::json!({ "event_id": event, "label": "タブレット1" }),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let code = created.json()["code"].as_str().unwrap().to_owned();
        let enrolled = self
            .post_json(
                "/api/v1/devices/enrol",
                &serde_json::json!({ "code": code }),
            )
            .await;
        assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.text);
        let body = enrolled.json();
        (
            Who::Device(body["token"].as_str().unwrap().to_owned()),
            body["device_id"].as_str().unwrap().to_owned(),
        )
    }
}

/// Sends one request through `router` and reads the whole answer.
pub async fn send_to(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        content_type,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Today in Japan as the server sees it (ISO), for dates that must not be in the future.
pub fn today() -> String {
    renkei_server::service::today().to_string()
}

/// The day `days` from today in Japan (ISO): a fair still to come whenever the tests run.
pub fn in_days(days: i64) -> String {
    renkei_server::service::today().add_days(days).to_string()
}

/// A fresh UUIDv7 (record ids, replica ids), as devices make them.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A clock stamp for sync field writes.
pub fn stamp(wall_ms: u64, node: u64) -> Value {
    serde_json::json!({ "wall_ms": wall_ms, "counter": 0, "node": node })
}

impl TestApp {
    /// One sync push that must be answered 200; returns the answer.
    /// Every record `who` may pull, page by page (`limit` a page) from the start.
    pub async fn pull_all(&self, who: &Who, limit: u32) -> Vec<Value> {
        let (mut after, mut records) = (0, Vec::new());
        loop {
            let reply = self
                .get_as(
                    who,
                    &format!("/api/v1/sync/pull?protocol=1&after={after}&limit={limit}"),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
            let page = reply.json();
            records.extend(page["records"].as_array().unwrap().iter().cloned());
            after = page["cursor"].as_u64().unwrap();
            if page["remaining"] == 0 {
                return records;
            }
        }
    }

    pub async fn sync_push(&self, who: &Who, replica: &str, mutations: Vec<Value>) -> Value {
        let reply = self
            .post_as(
                who,
                "/api/v1/sync/push",
                &serde_json::json!({ "protocol": 1, "replica": replica, "mutations": mutations }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json()
    }
}

/// A fair's live counts at the counter.
pub async fn fair_counts(app: &TestApp, who: &Who, fair: &str) -> Value {
    app.get_as(who, &format!("/api/v1/events/{fair}/counts"))
        .await
        .json()
}

/// (registered, checked in, possible duplicates)
pub fn tally(counts: &Value) -> (u64, u64, u64) {
    let n = |k: &str| counts[k].as_u64().unwrap();
    (n("registered"), n("checked_in"), n("possible_duplicates"))
}
