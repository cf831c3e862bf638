//! The JSON API under `/api`: versioned resources under `/api/v1/`, the OpenAPI document at
//! `/api/openapi.json`. One module per resource; handlers extract, call one service, map errors.

pub mod error;
pub mod events;
pub mod openapi;

use app::i18n::Lang;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::request::Parts;
use axum::routing::get;

use self::error::{ApiError, ApiErrorKind};
use crate::AppState;

/// Largest JSON body the API accepts. An event is well under 2 KiB; sync batches (later) are
/// sent in pages well under this.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/events", get(events::list).post(events::create))
        .route("/openapi.json", get(openapi::document))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

async fn not_found(lang: ApiLang) -> ApiError {
    ApiError::new(lang.0, ApiErrorKind::NotFound)
}

/// The language for API messages: the person's choice (cookie), else `Accept-Language`, else
/// Japanese.
#[derive(Debug, Clone, Copy)]
pub struct ApiLang(pub Lang);

impl ApiLang {
    fn from_headers(headers: &HeaderMap) -> Self {
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
