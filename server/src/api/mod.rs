//! The JSON API under `/api`: versioned resources under `/api/v1/`, the OpenAPI document at
//! `/api/openapi.json`. One module per resource; handlers extract, call one service, map errors.

pub mod audit;
pub mod auth;
pub mod council;
pub mod devices;
pub mod error;
pub mod events;
pub mod export;
pub mod extract;
pub mod openapi;
pub mod people;
pub mod reports;
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
use axum::routing::MethodRouter;

pub mod access;

use access::Access;

use self::error::{ApiError, ApiErrorKind};
use crate::AppState;

/// Largest JSON body the API accepts. An event is well under 2 KiB; a full sync push (500
/// mutations of a few hundred bytes) stays under this.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One API route: method, path (below `/api`), who may use it, its handler, and its part of
/// the OpenAPI document — all from one declaration: the handler's `#[utoipa::path]` gives the
/// method and path, [`routes`] adds who may call it.
pub struct ApiRoute {
    pub method: Method,
    pub path: String,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
    /// The handler's OpenAPI operation and the schemas it refers to.
    pub paths: utoipa::openapi::path::Paths,
    pub schemas: Vec<(
        String,
        utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
    )>,
}

fn route(
    access: Access,
    (schemas, paths, handler): utoipa_axum::router::UtoipaMethodRouter<AppState>,
) -> ApiRoute {
    let (path, item) = paths
        .paths
        .iter()
        .next()
        .expect("an annotated handler has a path");
    let method = match (&item.get, &item.post) {
        (Some(_), _) => Method::GET,
        (None, Some(_)) => Method::POST,
        _ => unreachable!("API handlers answer GET or POST"),
    };
    let path = path
        .strip_prefix("/api")
        .expect("API paths are annotated under /api")
        .to_owned();
    ApiRoute {
        method,
        path,
        access,
        handler,
        paths,
        schemas,
    }
}

/// Every API route with its access rule: the router, the OpenAPI document and the
/// authorisation matrix test are all built from this list.
pub fn routes() -> Vec<ApiRoute> {
    use Access::*;
    use utoipa_axum::routes;
    vec![
        route(Public, routes!(openapi::document)),
        route(Public, routes!(auth::login)),
        route(Staff, routes!(auth::logout)),
        route(Staff, routes!(auth::me)),
        route(CaseStaff, routes!(auth::device_key)),
        route(Staff, routes!(events::list)),
        route(CaseStaff, routes!(events::create)),
        route(Staff, routes!(events::detail)),
        route(Staff, routes!(reports::progress)),
        route(Staff, routes!(reports::progress_csv)),
        route(Staff, routes!(reports::plan)),
        route(Manager, routes!(reports::save_plan)),
        route(Staff, routes!(council::report)),
        route(Staff, routes!(council::requests)),
        route(Manager, routes!(council::add_request)),
        route(Manager, routes!(council::change_request)),
        route(Staff, routes!(council::meetings)),
        route(Manager, routes!(council::add_meeting)),
        route(Staff, routes!(council::meeting)),
        route(CaseStaff, routes!(events::add_employer)),
        route(CaseStaff, routes!(sync::duplicates)),
        route(CaseStaff, routes!(sync::decide_duplicate)),
        route(CaseStaff, routes!(devices::participants)),
        route(DeviceOrCaseStaff, routes!(devices::add_participant)),
        route(DeviceOrCaseStaff, routes!(devices::check_in)),
        route(CaseStaff, routes!(devices::make_person)),
        route(CaseStaff, routes!(sync::fair_counts)),
        route(CaseStaff, routes!(people::list)),
        route(CaseStaff, routes!(people::create)),
        route(CaseStaff, routes!(people::get)),
        route(CaseStaff, routes!(people::grant_consent)),
        route(CaseStaff, routes!(people::withdraw_consent)),
        route(CaseStaff, routes!(people::merge)),
        route(CaseStaff, routes!(people::unmerge)),
        route(CaseStaff, routes!(export::caseload)),
        route(CaseStaff, routes!(export::disclosure)),
        route(Admin, routes!(staff::list)),
        route(Admin, routes!(staff::create)),
        route(Admin, routes!(staff::disable)),
        route(Admin, routes!(staff::enable)),
        route(Admin, routes!(staff::set_password)),
        route(Admin, routes!(staff::set_role)),
        route(Admin, routes!(devices::list)),
        route(Admin, routes!(devices::create)),
        route(Admin, routes!(devices::revoke)),
        route(Public, routes!(devices::enrol)),
        route(Device, routes!(devices::my_event)),
        route(Device, routes!(devices::my_key)),
        route(DeviceOrCaseStaff, routes!(sync::push)),
        route(DeviceOrCaseStaff, routes!(sync::pull)),
        route(CaseStaff, routes!(sync::conflicts)),
        route(CaseStaff, routes!(sync::resolve)),
        route(Admin, routes!(audit::list)),
        route(Admin, routes!(audit::verify)),
        route(Admin, routes!(audit::export)),
    ]
}

/// The API router: each route behind its access guard; unknown paths answer a JSON 404.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for route in routes() {
        let guard = from_fn_with_state((state.clone(), route.access), access::guard_api);
        router = router.route(&route.path, route.handler.route_layer(guard));
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
