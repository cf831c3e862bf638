//! How the site's own files travel: compressed, and cached no longer than is safe.
//!
//! - `/pkg/*` (the app's wasm, JS and CSS): the brotli or gzip copy written at build time
//!   (`cargo leptos build --release --precompress`), chosen by the browser's
//!   `Accept-Encoding` (tower-http's `ServeDir`), with `Vary: Accept-Encoding` so a cache
//!   never hands a brotli body to a browser that did not ask for one. Their names are not yet
//!   content-hashed, so browsers revalidate them (`no-cache`: a 304 when unchanged) rather
//!   than keep them for a year; the service worker keeps its own copy for offline starts.
//! - JSON API answers above [`API_COMPRESS_ABOVE`] bytes are compressed on the fly (pull
//!   pages are large), at a light level: the server's time matters more than the last byte.

use axum::Router;
use axum::http::{HeaderValue, header};
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
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
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
