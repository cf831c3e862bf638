//! # Renkei server
//!
//! The axum + SQLite server behind the corner: it holds the shared record, serves the JSON API
//! (`api`), renders the Leptos app on the server and serves the browser bundle.
//!
//! Layers, each with its own error type: `api` (HTTP: extract, call one service, map the error)
//! → `service` (the rules) → `store` (SQL). `main.rs` only parses flags and calls [`run`]; tests
//! build the same router with [`router`] or serve it on a port-0 listener with [`serve`].

// Leptos view types nest deeply; computing their layout needs more than the default 128.
#![recursion_limit = "256"]

pub mod api;
pub mod audit;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_history;
pub mod health;
pub mod migrate_to;
pub mod offline;
pub mod refusals;
pub mod security;
pub mod serve;
pub mod service;
pub mod static_files;
pub mod store;

use crate::store::Pool;
use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::http::Uri;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

pub use config::Config;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Pool,
    pub leptos: LeptosOptions,
    /// Serialises write transactions (SQLite has one writer; this also keeps the audit
    /// chain linear and avoids busy-upgrade failures of deferred transactions).
    pub writes: Arc<tokio::sync::Mutex<()>>,
    pub throttle: Arc<auth::throttle::Throttle>,
    /// Password hashing, at most a few at once.
    pub hasher: Arc<auth::password::Hasher>,
    /// Refusals of unknown callers, counted and logged in aggregate.
    pub refusals: Arc<refusals::Refusals>,
    /// Sync pushes waiting for the write lock (applied together: group commit).
    pub push_queue: Arc<service::sync::PushQueue>,
    /// Checkpoints of the audit chain outside the database (absent in some tests).
    pub anchor: Option<Arc<audit::anchor::Anchor>>,
    /// Add `Secure` to the session cookie (when served over HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`auth::client`).
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// The browser app's files in the site folder (names, version for the service worker).
    pub assets: Arc<offline::Assets>,
}

/// How long a request waits for its turn to write before it is answered "busy, try again"
/// (the database's own wait for the write lock is bounded the same: `lock_timeout` on
/// PostgreSQL, the busy timeout on SQLite). Without it, requests queued behind a writer that
/// is stuck (a server frozen mid-transaction) would each wait the whole bound in turn.
pub const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl AppState {
    /// This server's turn to write (writes are one at a time, see `store::begin_write`), or
    /// a timeout after [`WRITE_WAIT`] — a storage error that passes by itself (503).
    pub async fn write_lock(&self) -> Result<tokio::sync::MutexGuard<'_, ()>, sqlx::Error> {
        tokio::time::timeout(WRITE_WAIT, self.writes.lock())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)
    }

    pub fn new(db: Pool, addr: std::net::SocketAddr, site_root: &str) -> Self {
        let assets = offline::load(site_root);
        let mut leptos = LeptosOptions::builder()
            .output_name("renkei")
            .site_root(site_root)
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        // Content-hashed names: Leptos reads them from cargo-leptos's hash file.
        if let Some(hash_file) = &assets.hash_file {
            leptos.hash_files = true;
            leptos.hash_file = hash_file.to_string_lossy().into();
        }
        Self {
            db,
            leptos,
            writes: Arc::default(),
            throttle: Arc::default(),
            hasher: Arc::default(),
            refusals: Arc::default(),
            anchor: None,
            push_queue: Arc::default(),
            secure_cookies: false,
            trusted_proxies: Arc::from([]),
            assets: Arc::new(assets),
        }
    }
}

/// The whole application: health check, JSON API, server-rendered pages, static files, each
/// behind authentication, its access guard, CSRF refusal and security headers.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let leptos = state.leptos.clone();
    let pages = Arc::new(api::access::page_paths());
    let not_found = leptos_axum::file_and_error_handler::<AppState, _>(shell);
    // The worker, the offline shell and the tablet's page: answers made from this build's files.
    let assets = state.assets.clone();
    let from_build = move |answer: fn(&offline::Assets) -> axum::response::Response| {
        let assets = assets.clone();
        get(move || std::future::ready(answer(&assets)))
    };
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/sw.js", from_build(offline::worker))
        .route("/offline", from_build(offline::shell))
        .route("/boot.js", from_build(offline::boot))
        // The fair tablet's page is its own browser entry (no server rendering, no router).
        .route("/fair", from_build(offline::tablet_page))
        .route("/tablet.js", from_build(offline::tablet_boot))
        .nest(
            "/api",
            api::router(&state).layer(static_files::api_compression()),
        )
        .merge(static_files::pkg(&state.leptos.site_root))
        .leptos_routes(&state, routes, move || shell(leptos.clone()))
        // Any other path: the app's own page for it (its 404, in the person's language). Every
        // file the site serves has its own route above, so nothing else in the site folder is
        // served (not the hash file, nor compressed copies by their own names): Leptos's
        // handler serves a file at the `Uri` it is given if there is one, else renders the
        // page from the request, so it is given a hidden name the build never writes.
        .fallback(move |state, request| {
            not_found(Uri::from_static("/.no-such-file"), state, request)
        })
        // Layers run bottom-up on the way in: headers → log → CSRF → who → body → page guard.
        .layer(from_fn_with_state(
            (state.clone(), pages),
            api::access::guard_pages,
        ))
        // Bodies are read once the caller is known: someone unknown may send only a small one.
        .layer(from_fn(serve::read_body_in_time))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        .layer(from_fn(security::refuse_cross_site))
        // Logs method, path, status and latency; never headers, queries or bodies (personal
        // data). The span is at INFO so a failed request names its path in the log.
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            },
        ))
        .layer(from_fn(security::headers))
        .with_state(state)
}

pub use serve::serve;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot load the demo data: {0}")]
    Demo(sqlx::Error),
    #[error("cannot make existing people synced records: {0}")]
    Adopt(sqlx::Error),
    #[error(
        "demo data (with its published passwords) is only served on a loopback address, not {0}"
    )]
    DemoNotLoopback(std::net::SocketAddr),
    #[error("cannot open the audit anchor: {0}")]
    Anchor(#[from] audit::anchor::AnchorError),
    #[error("cannot create the first administrator: {0}")]
    Admin(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Opens the database, loads demo data if asked, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), RunError> {
    if config.demo_data && !config.addr.ip().is_loopback() {
        return Err(RunError::DemoNotLoopback(config.addr));
    }
    auth::password::release_large_allocations();
    let pool = db::open(&config.database).await?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| RunError::Listen {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(RunError::Serve)?;
    let mut state = AppState::new(pool.clone(), addr, &config.site_root);
    state.secure_cookies = config.secure_cookies;
    state.trusted_proxies = config.trusted_proxies.clone().into();
    let anchor = Arc::new(config.anchor(true)?);
    state.anchor = Some(Arc::clone(&anchor));
    if config.demo_data {
        demo::load(&state).await.map_err(RunError::Demo)?;
        if config.demo_history {
            demo_history::load(&state).await.map_err(RunError::Demo)?;
        }
    }
    // People recorded before sync existed (or loaded as demo data) become synced records.
    {
        let (people, adopted) = store::adopt::adopt_all(&pool)
            .await
            .map_err(RunError::Adopt)?;
        if people > 0 {
            tracing::info!(adopted = people, "people made synced records");
        }
        if adopted > 0 {
            tracing::info!(
                adopted,
                "fair registrations and interviews made synced records"
            );
        }
    }
    if let Some(login_id) = &config.admin_login {
        bootstrap_admin(&state, login_id).await?;
    }
    let anchoring = tokio::spawn(audit::anchor::keep_anchoring(
        Arc::clone(&anchor),
        pool.clone(),
    ));
    tracing::info!(%addr, database = %config.database, "serving");
    println!("Renkei: http://{addr}/  (Ctrl-C to stop)");
    serve(listener, router(state), shutdown_signal())
        .await
        .map_err(RunError::Serve)?;
    anchoring.abort();
    // The last entries (sign-outs, the final requests) are anchored too.
    anchor.checkpoint(&pool).await?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Creates the first administrator if there is none: with `RENKEI_ADMIN_PASSWORD`, or a
/// random password printed once on the console (never logged).
async fn bootstrap_admin(state: &AppState, login_id: &str) -> Result<(), RunError> {
    let admins = store::staff::count_admins(&state.db)
        .await
        .map_err(|e| RunError::Admin(e.to_string()))?;
    if admins > 0 {
        return Ok(());
    }
    let (password, generated) = match std::env::var("RENKEI_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (auth::token::new_secret()[..20].to_owned(), true),
    };
    let request = app::protocol::CreateStaff {
        login_id: login_id.to_owned(),
        display_name: "管理者".to_owned(),
        organisation: "city".to_owned(),
        role: "admin".to_owned(),
        password: password.clone(),
    };
    service::staff::create(state, None, &request)
        .await
        .map_err(|e| RunError::Admin(format!("{e:?}")))?;
    if generated {
        println!("First administrator created: login id {login_id}, password {password}");
        println!("(shown once; change it under 管理 → 職員アカウント)");
    } else {
        println!(
            "First administrator created: login id {login_id} (password from RENKEI_ADMIN_PASSWORD)"
        );
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
