//! What the browser needs to start the app without a network: the service worker script
//! (`/sw.js`, versioned by the build it belongs to) and the offline shell page (`/offline`),
//! which the worker serves in place of any page when the network is down.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const WORKER: &str = include_str!("sw.js");

/// The offline shell: the stylesheet, the boot module and an empty body the app mounts into.
const SHELL: &str = r##"<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0b5394">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/pkg/renkei.css">
<title>連携</title>
</head>
<body data-shell="true">
<script type="module" src="/boot.js"></script>
</body>
</html>
"##;

const SHELL_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// A version string for the worker: changes whenever the app's wasm changes, so browsers
/// install the new worker (and cache) after an update.
pub fn build_version(site_root: &str) -> String {
    let wasm = std::path::Path::new(site_root).join("pkg/renkei.wasm");
    match std::fs::metadata(&wasm) {
        Ok(m) => {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_millis());
            format!("{}-{}-{modified}", env!("CARGO_PKG_VERSION"), m.len())
        }
        Err(_) => env!("CARGO_PKG_VERSION").to_owned(),
    }
}

pub fn worker(version: &str) -> Response {
    let body = WORKER.replace("__VERSION__", version);
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            // The worker's own policy: it fetches and caches this site's files, nothing else.
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'self'"),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn shell() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(SHELL_CSP),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        SHELL,
    )
        .into_response()
}
