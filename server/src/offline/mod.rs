//! What the browser needs to start the app without a network: the service worker script
//! (`/sw.js`, listing this build's files), the offline shell page (`/offline`), which the
//! worker serves in place of any page when the network is down, and the module that starts
//! the app from it (`/boot.js`). All three name the build's own files, so a worker only ever
//! starts the build it cached.

mod assets;

pub use assets::{Assets, is_hashed};

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const WORKER: &str = include_str!("sw.js");

const SHELL_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The worker, with this build's version and files.
pub fn worker(assets: &Assets) -> Response {
    let mut files: Vec<&str> = vec!["/offline", "/boot.js", "/favicon.svg"];
    files.extend(assets.files.iter().map(String::as_str));
    let list = serde_json::to_string(&files).unwrap_or_else(|_| "[]".to_owned());
    let body = WORKER
        .replace("__VERSION__", &assets.version)
        .replace("'__FILES__'", &list);
    script(body, "default-src 'self'")
}

/// Starts the app from the offline shell with this build's module.
pub fn boot(assets: &Assets) -> Response {
    let body = format!(
        "// Starts the app from the offline shell (served by the service worker without a network).\n\
         // Server-rendered pages start it from their own inline module script instead.\n\
         import init, {{ hydrate }} from '{js}';\n\n\
         await init({{ module_or_path: '{wasm}' }});\n\
         hydrate();\n",
        js = assets.js,
        wasm = assets.wasm
    );
    script(body, "default-src 'none'")
}

fn script(body: String, policy: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(policy),
            ),
        ],
        body,
    )
        .into_response()
}

/// The offline shell: the stylesheet, the boot module and an empty body the app mounts into.
pub fn shell(assets: &Assets) -> Response {
    let body = format!(
        r##"<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0b5394">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{css}">
{loader}<title>連携</title>
</head>
<body data-shell="true">
<script type="module" src="/boot.js"></script>
</body>
</html>
"##,
        css = assets.css,
        // Fetched with the module it belongs to (its name is not a hash of its content).
        loader = assets
            .loader
            .as_ref()
            .map(|l| format!("<link rel=\"modulepreload\" href=\"{l}\">\n"))
            .unwrap_or_default()
    );
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
        body,
    )
        .into_response()
}
