//! Serving connections: axum's router behind hyper, with the limits a public server needs and
//! `axum::serve` does not offer.
//!
//! - A client must send a request's headers within [`HEADER_READ_TIMEOUT`] (also the time an
//!   idle keep-alive connection is held) and its body within [`BODY_READ_TIMEOUT`]; a
//!   connection that stops half-way is closed, not held.
//! - At most [`MAX_CONNECTIONS`] connections are served at once; further ones wait in the
//!   listen backlog until one closes. One address holds at most [`MAX_PER_ADDRESS`] of them
//!   (a fair's tablets behind one hotspot share an address; browsers open six per host), so
//!   one client cannot take them all.
//! - Graceful shutdown: stop accepting, finish requests in flight.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

use crate::api::ApiLang;
use crate::api::error::{ApiError, ApiErrorKind};

pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(20);
pub const MAX_CONNECTIONS: usize = 1024;
pub const MAX_PER_ADDRESS: usize = 256;
/// Largest request body read (the API's own limit, 1 MiB, is checked again by its extractor).
pub const MAX_BODY_BYTES: usize = crate::api::MAX_BODY_BYTES;
/// Largest body from someone not signed in (a sign-in or an enrolment is well under 1 KiB).
pub const MAX_ANONYMOUS_BODY_BYTES: usize = 16 * 1024;
/// How long shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` completes, finishing requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let per_address = Arc::new(PerAddress::default());
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(held) = per_address.take(remote.ip()) else {
            // This address holds its share already: closed at once (the slot goes back).
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            router.clone().call(request)
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(held);
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period: closed");
    }
    Ok(())
}

/// Connections held per address.
#[derive(Default)]
struct PerAddress(std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>);

/// One connection of an address; gives its place back when dropped.
struct Held(Arc<PerAddress>, std::net::IpAddr);

impl PerAddress {
    fn take(self: &Arc<Self>, ip: std::net::IpAddr) -> Option<Held> {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(ip).or_default();
        if *n >= MAX_PER_ADDRESS {
            return None;
        }
        *n += 1;
        Some(Held(Arc::clone(self), ip))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut map = self
            .0
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.1);
            }
        }
    }
}

/// Middleware: reads a request's whole body within [`BODY_READ_TIMEOUT`] (and at most
/// [`MAX_BODY_BYTES`], or [`MAX_ANONYMOUS_BODY_BYTES`] from someone not signed in), so a
/// client that stops sending is answered 408 and let go. Runs after authentication.
pub async fn read_body_in_time(request: Request, next: Next) -> Response {
    use http_body_util::Limited;
    let (parts, body) = request.into_parts();
    if hyper::body::Body::is_end_stream(&body) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let lang = ApiLang::from_headers(&parts.headers).0;
    let known = parts
        .extensions
        .get::<crate::auth::MaybeActor>()
        .is_some_and(|m| m.0.is_some());
    let max = if known {
        MAX_BODY_BYTES
    } else {
        MAX_ANONYMOUS_BODY_BYTES
    };
    let limited = Limited::new(body, max);
    match tokio::time::timeout(BODY_READ_TIMEOUT, limited.collect()).await {
        Ok(Ok(collected)) => {
            let body = Body::from(collected.to_bytes());
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            ApiError::new(lang, ApiErrorKind::PayloadTooLarge).into_response()
        }
        Ok(Err(_)) => ApiError::new(lang, ApiErrorKind::BadJson(String::new())).into_response(),
        Err(_) => ApiError::new(lang, ApiErrorKind::Timeout).into_response(),
    }
}
