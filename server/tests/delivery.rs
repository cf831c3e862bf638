//! How the app's files and the API's answers travel (issue #14): precompressed static files
//! chosen by `Accept-Encoding`, with `Vary` and a revalidating cache; large JSON answers
//! compressed, small ones not.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use renkei_server::{AppState, db, router};
use support::TestApp;
use tower::ServiceExt;

/// A site folder as `cargo leptos build --release --precompress` leaves it, with bodies that
/// tell the three copies apart.
fn site(dir: &std::path::Path) -> String {
    let pkg = dir.join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("renkei.wasm"), b"\0asm raw").unwrap();
    std::fs::write(pkg.join("renkei.wasm.br"), b"brotli copy").unwrap();
    std::fs::write(pkg.join("renkei.wasm.gz"), b"gzip copy").unwrap();
    std::fs::write(pkg.join("renkei.css"), b"body{}").unwrap();
    std::fs::write(pkg.join("renkei.d.ts"), b"export {};").unwrap();
    std::fs::write(pkg.join("__wasm_split_manifest.json"), b"{}").unwrap();
    dir.join("site").to_string_lossy().into_owned()
}

/// The app over a fresh database in `dir`, serving the site folder `root`.
async fn app_over(dir: &std::path::Path, root: &str) -> axum::Router {
    let pool = db::open(&db::Database::Sqlite(dir.join("d.sqlite3")))
        .await
        .unwrap();
    router(AppState::new(pool, "127.0.0.1:0".parse().unwrap(), root))
}

async fn fetch(
    app: &axum::Router,
    uri: &str,
    accept: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let headers: Vec<(header::HeaderName, &str)> = accept
        .map(|a| (header::ACCEPT_ENCODING, a))
        .into_iter()
        .collect();
    fetch_with(app, uri, &headers).await
}

async fn fetch_with(
    app: &axum::Router,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().uri(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

fn header_of(headers: &axum::http::HeaderMap, name: header::HeaderName) -> Vec<&str> {
    headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_app_files_go_as_the_browser_accepts_them_with_vary_and_revalidation() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path());
    let app = app_over(dir.path(), &root).await;

    for (accept, body, encoding) in [
        (Some("gzip, deflate, br"), &b"brotli copy"[..], Some("br")),
        (Some("gzip"), &b"gzip copy"[..], Some("gzip")),
        (None, &b"\0asm raw"[..], None),
        (Some("identity"), &b"\0asm raw"[..], None),
    ] {
        let (status, headers, bytes) = fetch(&app, "/pkg/renkei.wasm", accept).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert_eq!(bytes, body, "{accept:?}");
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept:?}"
        );
        assert_eq!(
            header_of(&headers, header::CONTENT_TYPE),
            ["application/wasm"]
        );
        assert!(
            header_of(&headers, header::VARY)
                .iter()
                .any(|v| v.eq_ignore_ascii_case("accept-encoding")),
            "{accept:?}: {headers:?}"
        );
        assert_eq!(header_of(&headers, header::CACHE_CONTROL), ["no-cache"]);
        assert!(
            headers.contains_key(header::LAST_MODIFIED),
            "revalidation needs a date"
        );
    }
    // A file without compressed copies goes as it is; a missing one is a 404, not a page.
    let (status, headers, bytes) = fetch(&app, "/pkg/renkei.css", Some("br")).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, &b"body{}"[..]));
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    let (status, _, _) = fetch(&app, "/pkg/nothing.wasm", Some("br")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Names no build writes are not looked up: over the file system's limit (was a 500),
    // odd characters, directories (no redirect).
    let long = format!("/pkg/{}", "a".repeat(253));
    let longer = format!("/pkg/{}", "a".repeat(300));
    for uri in [
        long.as_str(),
        longer.as_str(),
        "/pkg/.",
        "/pkg/%2e",
        "/pkg/",
        "/pkg/a%20b.js",
        // The build's files that are not for browsers: a compressed copy by its own name (it
        // goes in place of its original), type declarations, the split manifest.
        "/pkg/renkei.wasm.br",
        "/pkg/renkei.wasm.gz",
        "/pkg/renkei.d.ts",
        "/pkg/__wasm_split_manifest.json",
    ] {
        let (status, headers, _) = fetch(&app, uri, Some("br, gzip")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(headers.get(header::LOCATION).is_none(), "{uri}");
    }
    // No byte ranges: the whole file, whatever was asked.
    for range in ["bytes=0-1", "bytes=0-1,4-5", "garbage"] {
        let (status, _, bytes) = fetch_with(
            &app,
            "/pkg/renkei.wasm",
            &[(header::ACCEPT_ENCODING, "br"), (header::RANGE, range)],
        )
        .await;
        assert_eq!(
            (status, bytes.as_slice()),
            (StatusCode::OK, &b"brotli copy"[..]),
            "{range}"
        );
    }
    // The icon goes precompressed with Vary too.
    std::fs::write(format!("{root}/favicon.svg"), "<svg/>").unwrap();
    std::fs::write(format!("{root}/favicon.svg.br"), "svg brotli").unwrap();
    let (status, headers, bytes) = fetch(&app, "/favicon.svg", Some("br")).await;
    assert_eq!(
        (status, bytes.as_slice()),
        (StatusCode::OK, &b"svg brotli"[..])
    );
    assert_eq!(header_of(&headers, header::CONTENT_ENCODING), ["br"]);
    assert!(
        header_of(&headers, header::VARY)
            .iter()
            .any(|v| v.eq_ignore_ascii_case("accept-encoding"))
    );
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), ["no-cache"]);
}

#[tokio::test]
async fn large_api_answers_are_compressed_and_small_ones_are_not() {
    let app = TestApp::new().await;
    // The OpenAPI document is tens of kilobytes of JSON.
    let (status, headers, bytes) = fetch(&app.router, "/api/openapi.json", Some("gzip, br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header_of(&headers, header::CONTENT_ENCODING), ["br"]);
    assert!(
        header_of(&headers, header::VARY)
            .iter()
            .any(|v| v.eq_ignore_ascii_case("accept-encoding"))
    );
    let (_, _, plain) = fetch(&app.router, "/api/openapi.json", None).await;
    assert!(plain.len() > 10_000, "{}", plain.len());
    assert!(
        bytes.len() * 4 < plain.len(),
        "{} of {}",
        bytes.len(),
        plain.len()
    );
    let mut unpacked = Vec::new();
    std::io::copy(&mut brotli_decoder(&bytes), &mut unpacked).unwrap();
    assert_eq!(unpacked, plain, "the same document");
    // A short answer (an error naming what is wrong) is sent as it is.
    let (status, headers, _) = fetch(&app.router, "/api/v1/auth/me", Some("gzip, br")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
}

fn brotli_decoder(bytes: &[u8]) -> impl std::io::Read + '_ {
    brotli::Decompressor::new(bytes, 4096)
}

/// A split build with content-hashed names, as `cargo leptos build --release --split` (with
/// `hash-files`) leaves it, and the hash file the scripts copy beside it.
fn hashed_site(dir: &std::path::Path) -> String {
    let pkg = dir.join("hashed/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for name in [
        "renkei.JJJJJJJJJJJJJJJJJJJJJJ.js",
        "renkei.WWWWWWWWWWWWWWWWWWWWWW.wasm",
        "renkei.CCCCCCCCCCCCCCCCCCCCCC.css",
        "__wasm_split.LLLLLLLLLLLLLLLLLLLLLL.js",
        "chunk_1.AAAAAAAAAAAAAAAAAAAAAA.wasm",
        "chunk_2.BBBBBBBBBBBBBBBBBBBBBB.wasm",
        "tablet.TTTTTTTTTTTTTTTTTTTTTT.js",
        "tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm",
    ] {
        std::fs::write(pkg.join(name), name).unwrap();
    }
    std::fs::write(
        pkg.join("__wasm_split_manifest.MMMMMMMMMMMMMMMMMMMMMM.json"),
        r#"{"__events_area_1": ["chunk_1.AAAAAAAAAAAAAAAAAAAAAA"]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("hashed/hash.txt"),
        "js: JJJJJJJJJJJJJJJJJJJJJJ\nwasm: WWWWWWWWWWWWWWWWWWWWWW\ncss: CCCCCCCCCCCCCCCCCCCCCC\n\
         manifest: MMMMMMMMMMMMMMMMMMMMMM\nsplit: LLLLLLLLLLLLLLLLLLLLLL\n",
    )
    .unwrap();
    dir.join("hashed").to_string_lossy().into_owned()
}

/// Every file the site serves has its own route (`/pkg`, `/favicon.svg`, the worker's); the
/// build's other files in the site folder — the hash file, compressed copies by their own
/// names — are not served: an unknown path is the app's own 404 page.
#[tokio::test]
async fn the_site_folder_serves_only_what_pages_load() {
    let dir = tempfile::tempdir().unwrap();
    let root = hashed_site(dir.path());
    std::fs::write(format!("{root}/favicon.svg"), "<svg/>").unwrap();
    std::fs::write(format!("{root}/favicon.svg.br"), "svg brotli").unwrap();
    std::fs::write(format!("{root}/favicon.svg.gz"), "svg gzip").unwrap();
    let app = app_over(dir.path(), &root).await;
    for path in [
        "/hash.txt",
        "/favicon.svg.br",
        "/favicon.svg.gz",
        "/no-such-page",
    ] {
        let (status, headers, bytes) = fetch(&app, path, None).await;
        let body = String::from_utf8_lossy(&bytes);
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert!(
            header_of(&headers, header::CONTENT_TYPE)[0].starts_with("text/html"),
            "{path}"
        );
        assert!(
            !body.contains("JJJJJJJJJJJJJJJJJJJJJJ\nwasm"),
            "{path}: {body}"
        );
        assert!(
            !body.contains("svg brotli") && !body.contains("svg gzip"),
            "{path}"
        );
        // The app's not-found page, in the person's language (Japanese first).
        assert!(body.contains("<html lang=\"ja\""), "{path}: {body}");
    }
    let (status, _, bytes) = fetch(&app, "/favicon.svg", None).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, &b"<svg/>"[..]));
}

#[tokio::test]
async fn a_hashed_build_is_kept_a_year_and_every_part_is_in_the_workers_list() {
    let dir = tempfile::tempdir().unwrap();
    let root = hashed_site(dir.path());
    let app = app_over(dir.path(), &root).await;

    // Hashed names: a year; a missing one is not cached at all.
    let (status, headers, _) = fetch(&app, "/pkg/chunk_2.BBBBBBBBBBBBBBBBBBBBBB.wasm", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        header_of(&headers, header::CACHE_CONTROL),
        ["public, max-age=31536000, immutable"]
    );
    // The split loader's name is not a hash of its final content: revalidated.
    let (status, headers, _) =
        fetch(&app, "/pkg/__wasm_split.LLLLLLLLLLLLLLLLLLLLLL.js", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), ["no-cache"]);
    // Revalidated, it stays kept for a year (a 304's headers replace the stored ones).
    let (_, headers, _) = fetch(&app, "/pkg/chunk_2.BBBBBBBBBBBBBBBBBBBBBB.wasm", None).await;
    let modified = header_of(&headers, header::LAST_MODIFIED)[0].to_owned();
    let (status, headers, _) = fetch_with(
        &app,
        "/pkg/chunk_2.BBBBBBBBBBBBBBBBBBBBBB.wasm",
        &[(header::IF_MODIFIED_SINCE, modified.as_str())],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        header_of(&headers, header::CACHE_CONTROL),
        ["public, max-age=31536000, immutable"]
    );
    let (status, headers, _) = fetch(&app, "/pkg/chunk_9.ZZZZZZZZZZZZZZZZZZZZZZ.wasm", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), ["no-cache"]);

    // The worker lists every part (not the manifest), under a version of this build.
    let (_, _, worker) = fetch(&app, "/sw.js", None).await;
    let worker = String::from_utf8(worker).unwrap();
    for file in [
        "/offline",
        "/boot.js",
        "/pkg/renkei.JJJJJJJJJJJJJJJJJJJJJJ.js",
        "/pkg/renkei.WWWWWWWWWWWWWWWWWWWWWW.wasm",
        "/pkg/renkei.CCCCCCCCCCCCCCCCCCCCCC.css",
        "/pkg/__wasm_split.LLLLLLLLLLLLLLLLLLLLLL.js",
        "/pkg/chunk_1.AAAAAAAAAAAAAAAAAAAAAA.wasm",
        "/pkg/chunk_2.BBBBBBBBBBBBBBBBBBBBBB.wasm",
        "/fair",
        "/tablet.js",
        "/pkg/tablet.TTTTTTTTTTTTTTTTTTTTTT.js",
        "/pkg/tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm",
    ] {
        assert!(
            worker.contains(&format!("\"{file}\"")),
            "{file} in {worker}"
        );
    }
    assert!(!worker.contains("manifest"), "{worker}");
    assert!(!worker.contains("__VERSION__") && !worker.contains("__FILES__"));

    // The shell and its boot module start this build, by its names.
    let (_, _, boot) = fetch(&app, "/boot.js", None).await;
    let boot = String::from_utf8(boot).unwrap();
    assert!(
        boot.contains("from '/pkg/renkei.JJJJJJJJJJJJJJJJJJJJJJ.js'"),
        "{boot}"
    );
    assert!(
        boot.contains("'/pkg/renkei.WWWWWWWWWWWWWWWWWWWWWW.wasm'"),
        "{boot}"
    );
    let (_, headers, shell) = fetch(&app, "/offline", None).await;
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), ["no-cache"]);
    let shell = String::from_utf8(shell).unwrap();
    assert!(
        shell.contains("href=\"/pkg/renkei.CCCCCCCCCCCCCCCCCCCCCC.css\""),
        "{shell}"
    );

    // A server-rendered page names the hashed module and stylesheet.
    let (status, _, page) = fetch(&app, "/login", None).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).unwrap();
    for name in [
        "/pkg/renkei.JJJJJJJJJJJJJJJJJJJJJJ.js",
        "/pkg/renkei.WWWWWWWWWWWWWWWWWWWWWW.wasm",
        "/pkg/renkei.CCCCCCCCCCCCCCCCCCCCCC.css",
        // The loader comes with the main module on every page.
        "/pkg/__wasm_split.LLLLLLLLLLLLLLLLLLLLLL.js",
    ] {
        assert!(page.contains(name), "{name} in the page");
    }
    assert!(
        !page.contains("/pkg/tablet."),
        "no tablet module on another page"
    );
    assert!(!page.contains("/pkg/renkei.css"), "no plain name left");
}

#[tokio::test]
async fn the_tablets_page_starts_its_own_module_never_the_main_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = hashed_site(dir.path());
    let app = app_over(dir.path(), &root).await;
    let (status, headers, page) = fetch(&app, "/fair", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), ["no-cache"]);
    let policy = header_of(&headers, header::CONTENT_SECURITY_POLICY)[0].to_owned();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{policy}"
    );
    let page = String::from_utf8(page).unwrap();
    for name in [
        "/pkg/tablet.TTTTTTTTTTTTTTTTTTTTTT.js",
        "/pkg/tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm",
        "/pkg/renkei.CCCCCCCCCCCCCCCCCCCCCC.css",
        "src=\"/tablet.js\"",
    ] {
        assert!(page.contains(name), "{name} in {page}");
    }
    assert!(
        !page.contains("renkei.JJJJ") && !page.contains("renkei.WWWW"),
        "{page}"
    );
    let (status, headers, boot) = fetch(&app, "/tablet.js", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header_of(&headers, header::CACHE_CONTROL), ["no-cache"]);
    assert_eq!(
        header_of(&headers, header::CONTENT_SECURITY_POLICY),
        ["default-src 'none'"]
    );
    let boot = String::from_utf8(boot).unwrap();
    assert!(
        boot.contains("await import('/pkg/tablet.TTTTTTTTTTTTTTTTTTTTTT.js')"),
        "{boot}"
    );
    assert!(
        boot.contains("module_or_path: '/pkg/tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm'"),
        "{boot}"
    );
}

#[tokio::test]
async fn without_the_tablets_module_its_page_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path());
    let app = app_over(dir.path(), &root).await;
    let (status, headers, page) = fetch(&app, "/fair", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let policy = header_of(&headers, header::CONTENT_SECURITY_POLICY)[0].to_owned();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{policy}"
    );
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("面接会タブレットの画面はこのサーバーにありません"),
        "{page}"
    );
    assert!(!page.contains("/tablet.js"), "{page}");
    let (status, _, _) = fetch(&app, "/tablet.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, worker) = fetch(&app, "/sw.js", None).await;
    assert!(!String::from_utf8(worker).unwrap().contains("\"/fair\""));
}
