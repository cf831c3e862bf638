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
pub mod config;
pub mod db;
pub mod demo;
pub mod health;
pub mod service;
pub mod store;

use std::future::Future;

use app::{App, shell};
use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

pub use config::Config;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: SqlitePool,
    pub leptos: LeptosOptions,
}

impl AppState {
    pub fn new(db: SqlitePool, addr: std::net::SocketAddr, site_root: &str) -> Self {
        let leptos = LeptosOptions::builder()
            .output_name("renkei")
            .site_root(site_root)
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .build();
        Self { db, leptos }
    }
}

/// The whole application: health check, JSON API, server-rendered pages, static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let leptos = state.leptos.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
        .nest("/api", api::router())
        .leptos_routes(&state, routes, move || shell(leptos.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Logs method, path, status and latency; never headers or bodies (personal data).
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` completes, finishing requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot load the demo data: {0}")]
    Demo(sqlx::Error),
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
    let pool = db::open(&config.database).await?;
    if config.demo_data {
        demo::load(&pool).await.map_err(RunError::Demo)?;
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| RunError::Listen {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(RunError::Serve)?;
    let state = AppState::new(pool.clone(), addr, &config.site_root);
    tracing::info!(%addr, database = %config.database.display(), "serving");
    println!("Renkei: http://{addr}/  (Ctrl-C to stop)");
    serve(listener, router(state), shutdown_signal())
        .await
        .map_err(RunError::Serve)?;
    pool.close().await;
    tracing::info!("stopped");
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
