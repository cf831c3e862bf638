//! The JSON API under `/api`: versioned resources under `/api/v1/`, the OpenAPI document at
//! `/api/openapi.json`. One module per resource; handlers extract, call one service, map errors.

pub mod audit;
pub mod auth;
pub mod devices;
pub mod error;
pub mod events;
pub mod extract;
pub mod openapi;
pub mod people;
pub mod staff;
pub mod sync;

use app::i18n::Lang;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::Method;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, get, post};

use crate::access::Access;

use self::error::{ApiError, ApiErrorKind};
use crate::AppState;

/// Largest JSON body the API accepts. An event is well under 2 KiB; a full sync push (500
/// mutations of a few hundred bytes) stays under this.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One API route: method, path (below `/api`), who may use it, and its handler.
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
}

/// Every API route with its access rule: the router is built from this list, and the
/// authorisation matrix test checks it.
pub fn routes() -> Vec<ApiRoute> {
    use Access::*;
    let r = |method: Method,
             path: &'static str,
             access: Access,
             handler: MethodRouter<AppState>| ApiRoute {
        method,
        path,
        access,
        handler,
    };
    vec![
        r(Method::GET, "/openapi.json", Public, get(openapi::document)),
        r(Method::POST, "/v1/auth/login", Public, post(auth::login)),
        r(Method::POST, "/v1/auth/logout", Staff, post(auth::logout)),
        r(Method::GET, "/v1/auth/me", Staff, get(auth::me)),
        r(Method::GET, "/v1/events", Staff, get(events::list)),
        r(Method::POST, "/v1/events", CaseStaff, post(events::create)),
        r(Method::GET, "/v1/events/{id}", Staff, get(events::detail)),
        r(
            Method::GET,
            "/v1/reports/fairs",
            Staff,
            get(events::fair_report),
        ),
        r(
            Method::POST,
            "/v1/events/{id}/employers",
            CaseStaff,
            post(events::add_employer),
        ),
        r(
            Method::GET,
            "/v1/events/{id}/duplicates",
            CaseStaff,
            get(sync::duplicates),
        ),
        r(
            Method::POST,
            "/v1/duplicates/{id}/decide",
            CaseStaff,
            post(sync::decide_duplicate),
        ),
        r(
            Method::GET,
            "/v1/events/{id}/participants",
            CaseStaff,
            get(devices::participants),
        ),
        r(
            Method::POST,
            "/v1/events/{id}/participants",
            DeviceOrCaseStaff,
            post(devices::add_participant),
        ),
        r(
            Method::POST,
            "/v1/events/{id}/participants/{participant_id}/check-in",
            DeviceOrCaseStaff,
            post(devices::check_in),
        ),
        r(
            Method::POST,
            "/v1/events/{id}/participants/{participant_id}/person",
            CaseStaff,
            post(devices::make_person),
        ),
        r(
            Method::GET,
            "/v1/events/{id}/counts",
            CaseStaff,
            get(sync::fair_counts),
        ),
        r(Method::GET, "/v1/people", CaseStaff, get(people::list)),
        r(Method::POST, "/v1/people", CaseStaff, post(people::create)),
        r(Method::GET, "/v1/people/{id}", CaseStaff, get(people::get)),
        r(
            Method::POST,
            "/v1/people/{id}/consents",
            CaseStaff,
            post(people::grant_consent),
        ),
        r(
            Method::POST,
            "/v1/people/{id}/consents/{consent_id}/withdraw",
            CaseStaff,
            post(people::withdraw_consent),
        ),
        r(Method::GET, "/v1/staff", Admin, get(staff::list)),
        r(Method::POST, "/v1/staff", Admin, post(staff::create)),
        r(
            Method::POST,
            "/v1/staff/{id}/disable",
            Admin,
            post(staff::disable),
        ),
        r(
            Method::POST,
            "/v1/staff/{id}/enable",
            Admin,
            post(staff::enable),
        ),
        r(
            Method::POST,
            "/v1/staff/{id}/password",
            Admin,
            post(staff::set_password),
        ),
        r(
            Method::POST,
            "/v1/staff/{id}/role",
            Admin,
            post(staff::set_role),
        ),
        r(Method::GET, "/v1/devices", Admin, get(devices::list)),
        r(Method::POST, "/v1/devices", Admin, post(devices::create)),
        r(
            Method::POST,
            "/v1/devices/{id}/revoke",
            Admin,
            post(devices::revoke),
        ),
        r(
            Method::POST,
            "/v1/devices/enrol",
            Public,
            post(devices::enrol),
        ),
        r(
            Method::GET,
            "/v1/device/event",
            Device,
            get(devices::my_event),
        ),
        r(
            Method::POST,
            "/v1/sync/push",
            DeviceOrCaseStaff,
            post(sync::push),
        ),
        r(
            Method::GET,
            "/v1/sync/pull",
            DeviceOrCaseStaff,
            get(sync::pull),
        ),
        r(
            Method::GET,
            "/v1/sync/conflicts",
            CaseStaff,
            get(sync::conflicts),
        ),
        r(
            Method::POST,
            "/v1/sync/conflicts/{id}/resolve",
            CaseStaff,
            post(sync::resolve),
        ),
        r(Method::GET, "/v1/audit", Admin, get(audit::list)),
        r(Method::GET, "/v1/audit/verify", Admin, get(audit::verify)),
    ]
}

/// The API router: each route behind its access guard; unknown paths answer a JSON 404.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for route in routes() {
        let guard = from_fn_with_state((state.clone(), route.access), crate::access::guard_api);
        router = router.route(route.path, route.handler.route_layer(guard));
    }
    router
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

async fn not_found(lang: ApiLang) -> ApiError {
    ApiError::new(lang.0, ApiErrorKind::NotFound)
}

/// A route that exists, called with another method (axum adds `Allow`).
async fn method_not_allowed(lang: ApiLang) -> ApiError {
    ApiError::new(lang.0, ApiErrorKind::MethodNotAllowed)
}

/// The language for API messages: the person's choice (cookie), else `Accept-Language`, else
/// Japanese.
#[derive(Debug, Clone, Copy)]
pub struct ApiLang(pub Lang);

impl ApiLang {
    /// A path segment as an id; one that does not parse names nothing that exists (404).
    pub fn path_id<T: std::str::FromStr>(self, raw: &str) -> Result<T, ApiError> {
        raw.parse()
            .map_err(|_| ApiError::new(self.0, ApiErrorKind::NotFound))
    }

    pub fn from_headers(headers: &HeaderMap) -> Self {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        let lang = header(COOKIE)
            .and_then(Lang::from_cookie_header)
            .or_else(|| header(ACCEPT_LANGUAGE).and_then(Lang::from_accept_language))
            .unwrap_or_default();
        Self(lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_headers(&parts.headers))
    }
}

/// A JSON body whose rejections are answered in the API's error format and language.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = ApiLang::from_headers(req.headers()).0;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::new(lang, json_rejection(rejection))),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiErrorKind {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiErrorKind::UnsupportedMediaType,
        JsonRejection::BytesRejection(r)
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
        {
            ApiErrorKind::PayloadTooLarge
        }
        // serde's message names the field or position; it goes back only to the sender.
        other => ApiErrorKind::BadJson(other.body_text()),
    }
}
