//! How the site's own files travel: compressed, and cached no longer than is safe.
//!
//! - `/pkg/*` (the app's wasm, JS and CSS): the brotli or gzip copy written at build time
//!   (`cargo leptos build --release --precompress`), chosen by the browser's
//!   `Accept-Encoding` (tower-http's `ServeDir`), with `Vary: Accept-Encoding` so a cache
//!   never hands a brotli body to a browser that did not ask for one. A name with a content
//!   hash (cargo-leptos `hash-files`) is kept by browsers for a year (`immutable`): another
//!   build has other names. A plain name (debug builds) is revalidated (`no-cache`: a 304
//!   when unchanged).
//! - Only plain file names are looked up (letters, digits, `.`, `_`, `-`; at most 200): a
//!   longer or odder name is a 404 before the file system is asked (a name over the file
//!   system's limit was a 500). No directory answers, no byte ranges (nothing needs them, and
//!   ranges of a compressed copy are easy to get wrong).
//! - `/favicon.svg`, the one other file the pages load, goes the same way (precompressed,
//!   `Vary`, revalidated).
//! - JSON API answers above [`API_COMPRESS_ABOVE`] bytes are compressed on the fly (pull
//!   pages are large), at a light level: the server's time matters more than the last byte.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Answers smaller than this go as they are: compressing them saves less than it costs.
pub const API_COMPRESS_ABOVE: u16 = 1024;

/// The app's built files under `/pkg` and the icon, precompressed.
pub fn pkg<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let root = std::path::Path::new(site_root);
    Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip()
                .append_index_html_on_directories(false),
        )
        .route_service(
            "/favicon.svg",
            ServeFile::new(root.join("favicon.svg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(from_fn(plain_names_cached_as_long_as_safe))
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// Whether a file name is one the build could have written.
fn plain_name(name: &str) -> bool {
    (1..=200).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !name.starts_with('.')
}

/// Odd names and the build's files that are not for browsers (compressed copies by their own
/// names, type declarations, the split manifest) refused, ranges ignored; a year for
/// content-hashed names (a 304 keeps it), revalidation for the others.
async fn plain_names_cached_as_long_as_safe(mut request: Request, next: Next) -> Response {
    let name = request.uri().path().rsplit('/').next().unwrap_or_default();
    if !plain_name(name) || !crate::offline::served(name) {
        let mut refused = StatusCode::NOT_FOUND.into_response();
        refused
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return refused;
    }
    let hashed = crate::offline::is_hashed(name);
    request.headers_mut().remove(header::RANGE);
    request.headers_mut().remove(header::IF_RANGE);
    let mut response = next.run(request).await;
    let kept = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let policy = if hashed && kept {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Compression of the JSON API's answers (brotli or gzip, as the caller accepts).
pub fn api_compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        .quality(CompressionLevel::Precise(4))
        .compress_when(
            SizeAbove::new(API_COMPRESS_ABOVE)
                .and(NotForContentType::IMAGES)
                .and(NotForContentType::const_new("text/event-stream")),
        )
}
