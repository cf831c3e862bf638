//! How the site's own files travel: compressed, and cached no longer than is safe.
//!
//! - `/pkg/*` (the app's wasm, JS and CSS): the brotli or gzip copy written at build time
//!   (`cargo leptos build --release --precompress`), chosen by the browser's
//!   `Accept-Encoding` (tower-http's `ServeDir`), with `Vary: Accept-Encoding` so a cache
//!   never hands a brotli body to a browser that did not ask for one. A name with a content
//!   hash (cargo-leptos `hash-files`) is kept by browsers for a year (`immutable`): another
//!   build has other names. A plain name (debug builds) is revalidated (`no-cache`: a 304
//!   when unchanged).
//! - JSON API answers above [`API_COMPRESS_ABOVE`] bytes are compressed on the fly (pull
//!   pages are large), at a light level: the server's time matters more than the last byte.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Answers smaller than this go as they are: compressing them saves less than it costs.
pub const API_COMPRESS_ABOVE: u16 = 1024;

/// The app's built files under `/pkg`, precompressed.
pub fn pkg<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    let dir = std::path::Path::new(site_root).join("pkg");
    Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        )
        .layer(from_fn(cache_for_as_long_as_safe))
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// A year for content-hashed names, revalidation for the others.
async fn cache_for_as_long_as_safe(request: Request, next: Next) -> Response {
    let hashed = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(crate::offline::is_hashed);
    let mut response = next.run(request).await;
    let policy = if hashed && response.status().is_success() {
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
