//! Web hardening on every response and request: security headers, and refusal of cross-site
//! state-changing requests (CSRF).
//!
//! CSRF policy (as browsers allow it today, cf. Go's `CrossOriginProtection`): a POST/PUT/
//! PATCH/DELETE that carries cookies is refused when the browser says it comes from another
//! site (`Sec-Fetch-Site: cross-site` or `same-site`), or, for browsers that do not send that
//! header, when `Origin` names another host. A write that carries the session cookie but
//! neither header is refused too. Device requests use a bearer token, which a foreign page
//! cannot attach.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::ApiLang;
use crate::api::error::{ApiError, ApiErrorKind};

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        let lang = ApiLang::from_headers(request.headers()).0;
        return ApiError::new(lang, ApiErrorKind::CrossSite).into_response();
    }
    next.run(request).await
}

fn is_cross_site_write(request: &Request) -> bool {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return false;
    }
    let headers = request.headers();
    if headers.contains_key(header::AUTHORIZATION) && !headers.contains_key(header::COOKIE) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            origin_host != host
        }
        (Some(_), None) => true,
        // Every browser sends `Origin` or `Sec-Fetch-Site` with a write; a cookie-carrying
        // write with neither is not from a page of ours (a plain form post from an old
        // browser, a tool replaying a stolen cookie): refused.
        (None, _) => crate::auth::session_cookie(headers).is_some(),
    }
}

/// Headers every response gets. Pages set their own CSP (with the nonce); everything else gets
/// one that allows nothing to run.
pub async fn headers(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        if !h.contains_key(name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "no-referrer");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(self), microphone=(), geolocation=()",
    );
    set(
        h,
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    );
    if is_api {
        set(h, "cache-control", "no-store");
    } else {
        // Pages (a signed-in one names the person's role) and errors: never kept by a shared
        // cache, always revalidated. Files that may be kept say so themselves.
        set(h, "cache-control", "private, no-cache");
    }
    response
}
