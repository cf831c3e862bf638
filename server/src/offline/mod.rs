//! What the browser needs to start the app without a network: the service worker script
//! (`/sw.js`, listing this build's files), the offline shell page (`/offline`), which the
//! worker serves in place of any page when the network is down, and the module that starts
//! the app from it (`/boot.js`). All three name the build's own files, so a worker only ever
//! starts the build it cached.
//!
//! The fair tablet's page (`/fair`) is built the same way, online too: an empty page and its
//! boot module (`/tablet.js`) that start the tablet's own module (`pkg/tablet.<hash>.wasm`,
//! no other area's code). The worker keeps both and serves that page for `/fair` offline.

mod assets;

pub use assets::{Assets, Tablet, is_hashed, served};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const WORKER: &str = include_str!("sw.js");

/// The scripts' policies (the worker's governs the worker; the boot scripts' are sent as they
/// always were).
const WORKER_CSP: &str = "default-src 'self'";
const BOOT_CSP: &str = "default-src 'none'";

const NO_CACHE: &str = "no-cache";

const SHELL_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
    object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// This build's files ([`Assets::load`]) and its version: a digest of everything the worker
/// keeps — the files' names and contents, and what this server makes from them (the worker's
/// own script, the offline shell, `/fair`, the boot scripts, their headers) and the favicon.
/// So a release that changes only a page's words or a header still reaches devices offline,
/// and app servers with their own copies of one build give browsers one version.
pub fn load(site_root: &str) -> Assets {
    let mut assets = Assets::load(site_root);
    let favicon = std::path::Path::new(site_root).join("favicon.svg");
    let made = [
        assets.version.clone(),
        WORKER.to_owned(),
        boot_script(&assets),
        assets
            .tablet
            .as_ref()
            .map(tablet_boot_script)
            .unwrap_or_default(),
        shell_html(&assets),
        tablet_html(&assets),
        [SHELL_CSP, WORKER_CSP, BOOT_CSP, NO_CACHE].join("\n"),
    ]
    .map(String::into_bytes);
    let favicon = std::fs::read(favicon).unwrap_or_default();
    let mut digest = Sha256::new();
    for part in made.iter().chain([&favicon]) {
        digest.update(format!("{}\0", part.len()));
        digest.update(part);
    }
    assets.version = hex::encode(&digest.finalize()[..8]);
    assets
}

/// The worker, with this build's version and files.
pub fn worker(assets: &Assets) -> Response {
    let mut files: Vec<&str> = vec!["/offline", "/boot.js", "/favicon.svg"];
    if assets.tablet.is_some() {
        files.extend(["/fair", "/tablet.js"]);
    }
    files.extend(assets.files.iter().map(String::as_str));
    let list = serde_json::to_string(&files).unwrap_or_else(|_| "[]".to_owned());
    let body = WORKER
        .replace("__VERSION__", &assets.version)
        .replace("'__FILES__'", &list);
    script(body, WORKER_CSP)
}

/// Starts the app from the offline shell with this build's module.
pub fn boot(assets: &Assets) -> Response {
    script(boot_script(assets), BOOT_CSP)
}

fn boot_script(assets: &Assets) -> String {
    format!(
        "// Starts the app from the offline shell (served by the service worker without a network).\n\
         // Server-rendered pages start it from their own inline module script instead.\n\
         import init, {{ hydrate }} from '{js}';\n\n\
         await init({{ module_or_path: '{wasm}' }});\n\
         hydrate();\n",
        js = assets.js,
        wasm = assets.wasm
    )
}

/// Starts the fair tablet's module on its page (`/fair`). A module that cannot be fetched (a
/// hotspot dropping the connection mid-download) turns the page's loading line into a notice
/// with a link that loads the page again; once the module runs, its own panic hook does that.
pub fn tablet_boot(assets: &Assets) -> Response {
    match &assets.tablet {
        Some(tablet) => script(tablet_boot_script(tablet), BOOT_CSP),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn tablet_boot_script(tablet: &Tablet) -> String {
    format!(
        "// Starts the fair tablet's own module on its page (/fair), online or offline.\n\
         try {{\n\
         \x20 const {{ default: init, tablet }} = await import('{js}');\n\
         \x20 await init({{ module_or_path: '{wasm}' }});\n\
         \x20 tablet();\n\
         }} catch (error) {{\n\
         \x20 console.error(error);\n\
         \x20 const line = document.getElementById('tablet-loading');\n\
         \x20 if (line) {{\n\
         \x20   line.className = 'app-stopped';\n\
         \x20   line.setAttribute('role', 'alert');\n\
         \x20   line.setAttribute('data-testid', 'tablet-not-loaded');\n\
         \x20   line.textContent = '{text} ';\n\
         \x20   const again = document.createElement('a');\n\
         \x20   again.href = location.href;\n\
         \x20   again.textContent = '{again}';\n\
         \x20   line.append(again);\n\
         \x20 }}\n\
         }}\n",
        js = tablet.js,
        wasm = tablet.wasm,
        text = "画面を読み込めませんでした（通信が途切れた可能性があります）。登録済みの内容はこの端末に\
                残っています。 / The screens could not be loaded (the connection may have dropped); \
                what was saved is kept on this device.",
        again = "再読み込みする / Reload",
    )
}

fn script(body: String, policy: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE)),
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
    html_response(shell_html(assets))
}

fn shell_html(assets: &Assets) -> String {
    // Fetched with the module it belongs to (its name is not a hash of its content).
    let loader = assets
        .loader
        .as_ref()
        .map(|l| format!("<link rel=\"modulepreload\" href=\"{l}\">\n"))
        .unwrap_or_default();
    page(
        &assets.css,
        &loader,
        "連携",
        "<body data-shell=\"true\">\n<script type=\"module\" src=\"/boot.js\"></script>\n",
    )
}

/// The fair tablet's page: the stylesheet, the tablet's module fetched at once (script and
/// wasm side by side), a line saying it is loading, and the boot module. Without the module
/// (not built), a page that says so, never a page that waits for ever.
pub fn tablet_page(assets: &Assets) -> Response {
    let mut answer = html_response(tablet_html(assets));
    if assets.tablet.is_none() {
        *answer.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    answer
}

fn tablet_html(assets: &Assets) -> String {
    let Some(tablet) = &assets.tablet else {
        return page(
            &assets.css,
            "",
            "面接会タブレット",
            "<body>\n<p class=\"alert\" role=\"alert\">面接会タブレットの画面はこのサーバーに\
             ありません（組み立てられていません）。管理者に連絡してください。 / The fair tablet's \
             screens are not built on this server; please tell the administrator.</p>\n",
        );
    };
    let preload = format!(
        "<link rel=\"modulepreload\" href=\"{js}\">\n\
         <link rel=\"preload\" href=\"{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n",
        js = tablet.js,
        wasm = tablet.wasm
    );
    page(
        &assets.css,
        &preload,
        "面接会タブレット — 連携",
        "<body data-tablet=\"true\">\n<p class=\"muted tablet-loading\" id=\"tablet-loading\">\
         読み込み中です… / Loading…</p>\n<script type=\"module\" src=\"/tablet.js\"></script>\n",
    )
}

/// A page of this build with no server-rendered content: the app mounts into its body.
fn page(css: &str, head: &str, title: &str, body: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#0b5394">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{css}">
{head}<title>{title}</title>
</head>
{body}</body>
</html>
"##
    )
}

fn html_response(html: String) -> Response {
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
            (header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE)),
        ],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site folder with a build's entry files and the given favicon.
    fn site(favicon: &str) -> tempfile::TempDir {
        let dir = assets::tests::site_folder(&[
            "renkei.AAAAAAAAAAAAAAAAAAAAAA.js",
            "renkei.BBBBBBBBBBBBBBBBBBBBBB.wasm",
            "renkei.CCCCCCCCCCCCCCCCCCCCCC.css",
            "tablet.TTTTTTTTTTTTTTTTTTTTTT.js",
            "tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm",
        ]);
        std::fs::write(dir.path().join("favicon.svg"), favicon).unwrap();
        dir
    }

    fn version(site: &tempfile::TempDir) -> String {
        load(site.path().to_str().unwrap()).version
    }

    #[test]
    fn the_version_covers_everything_the_worker_keeps() {
        let (a, b) = (site("<svg/>"), site("<svg/>"));
        assert_eq!(version(&a), version(&b), "one build, two copies");
        // The favicon is kept by the worker beside the build's files.
        assert_ne!(
            version(&a),
            version(&site("<svg><circle/></svg>")),
            "another favicon"
        );
        // The pages and scripts this server makes are folded into the files' digest.
        let files_only = Assets::load(a.path().to_str().unwrap()).version;
        assert_ne!(version(&a), files_only);
        let mut changed = Assets::load(a.path().to_str().unwrap());
        let before = shell_html(&changed);
        changed.css = "/pkg/renkei.DDDDDDDDDDDDDDDDDDDDDD.css".into();
        assert_ne!(
            shell_html(&changed),
            before,
            "the shell names the build's files"
        );
    }
}
