//! The API layer's one error type.
//!
//! Policy: every failure answers JSON (`protocol::ErrorBody`) with a stable `code` and a
//! message in the request's language that tells the person what to do. A validation failure
//! lists each field. Internal details (SQL errors, paths) go to the log, never to the client,
//! and the log line never carries request bodies (they hold personal data).

use app::domain::validation::FieldError;
use app::i18n::{Catalog, Lang};
use app::protocol::{ErrorBody, ErrorDetail, FieldMessage};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::service::ServiceError;

#[derive(Debug)]
pub enum ApiErrorKind {
    Validation(Vec<FieldError>),
    BadJson(String),
    /// A query parameter missing or unreadable (its name, if known).
    BadQuery(String),
    MethodNotAllowed,
    UnsupportedMediaType,
    PayloadTooLarge,
    NotFound,
    IdConflict,
    Internal,
    /// The request's body did not arrive in time (408).
    Timeout,
    Unauthenticated,
    Forbidden,
    CrossSite,
    LoginFailed,
    /// Too many attempts: wait this many seconds (`Retry-After`).
    Throttled(u64),
    /// No capacity right now (`Retry-After: 1`).
    Busy,
    LoginIdTaken,
    CodeInvalid,
    OldProtocol,
}

/// An error and the language to explain it in.
#[derive(Debug)]
pub struct ApiError {
    pub lang: Lang,
    pub kind: ApiErrorKind,
}

impl ApiError {
    pub fn new(lang: Lang, kind: ApiErrorKind) -> Self {
        Self { lang, kind }
    }

    /// Maps a service error, logging what the client will not see.
    pub fn from_service(lang: Lang, error: ServiceError) -> Self {
        let kind = match error {
            ServiceError::Invalid(fields) => ApiErrorKind::Validation(fields),
            ServiceError::IdConflict => ApiErrorKind::IdConflict,
            ServiceError::NotFound => ApiErrorKind::NotFound,
            ServiceError::Forbidden => ApiErrorKind::Forbidden,
            ServiceError::LoginIdTaken => ApiErrorKind::LoginIdTaken,
            ServiceError::CodeInvalid => ApiErrorKind::CodeInvalid,
            ServiceError::OldProtocol => ApiErrorKind::OldProtocol,
            ServiceError::Busy => ApiErrorKind::Busy,
            ServiceError::Throttled(s) => ApiErrorKind::Throttled(s),
            ServiceError::Store(e) if crate::store::transient(&e) => {
                tracing::warn!(error = %e, "storage busy; the caller will retry");
                ApiErrorKind::Busy
            }
            ServiceError::Store(e) => {
                tracing::error!(error = %e, "storage failure");
                ApiErrorKind::Internal
            }
        };
        Self { lang, kind }
    }
}

type Parts = (StatusCode, &'static str, String, Vec<FieldMessage>);

fn simple(status: StatusCode, code: &'static str, message: &str) -> Parts {
    (status, code, message.to_owned(), Vec::new())
}

impl ApiErrorKind {
    /// The status, code, message and field messages this error is answered with.
    fn parts(self, lang: Lang) -> Parts {
        let t = lang.catalog();
        match self {
            ApiErrorKind::Validation(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                t.err_validation.to_owned(),
                fields
                    .iter()
                    .map(|f| FieldMessage::from_error(f, lang))
                    .collect(),
            ),
            ApiErrorKind::BadJson(detail) if !detail.is_empty() => simple(
                StatusCode::BAD_REQUEST,
                "bad_request",
                &format!("{} ({detail})", t.err_bad_json),
            ),
            ApiErrorKind::BadJson(_) => {
                simple(StatusCode::BAD_REQUEST, "bad_request", t.err_bad_json)
            }
            ApiErrorKind::BadQuery(parameter) => simple(
                StatusCode::BAD_REQUEST,
                "bad_query",
                &t.err_bad_query.replace("{field}", &parameter),
            ),
            ApiErrorKind::UnsupportedMediaType => simple(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                t.err_not_json,
            ),
            other => other.plain(t),
        }
    }

    /// The errors whose message is one sentence of the catalogue.
    fn plain(self, t: &Catalog) -> Parts {
        let (status, code, message) = match self {
            ApiErrorKind::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                t.err_method_not_allowed,
            ),
            ApiErrorKind::Timeout => (StatusCode::REQUEST_TIMEOUT, "timeout", t.err_timeout),
            ApiErrorKind::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                t.err_too_large,
            ),
            ApiErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found", t.err_not_found),
            ApiErrorKind::IdConflict => (StatusCode::CONFLICT, "conflict", t.err_conflict_id),
            ApiErrorKind::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                t.err_unauthenticated,
            ),
            ApiErrorKind::Forbidden => (StatusCode::FORBIDDEN, "forbidden", t.err_forbidden),
            ApiErrorKind::CrossSite => (StatusCode::FORBIDDEN, "cross_site", t.err_cross_site),
            ApiErrorKind::LoginFailed => {
                (StatusCode::UNAUTHORIZED, "login_failed", t.err_login_failed)
            }
            ApiErrorKind::Throttled(_) => {
                (StatusCode::TOO_MANY_REQUESTS, "throttled", t.err_throttled)
            }
            ApiErrorKind::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", t.err_busy),
            ApiErrorKind::LoginIdTaken => {
                (StatusCode::CONFLICT, "login_id_taken", t.err_login_id_taken)
            }
            ApiErrorKind::CodeInvalid => {
                (StatusCode::BAD_REQUEST, "code_invalid", t.err_code_invalid)
            }
            ApiErrorKind::OldProtocol => {
                (StatusCode::UPGRADE_REQUIRED, "update_app", t.err_update_app)
            }
            // The ones with more than a sentence are answered by `parts` and never come here.
            ApiErrorKind::Internal
            | ApiErrorKind::Validation(_)
            | ApiErrorKind::BadJson(_)
            | ApiErrorKind::BadQuery(_)
            | ApiErrorKind::UnsupportedMediaType => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                t.err_internal,
            ),
        };
        simple(status, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match self.kind {
            ApiErrorKind::Throttled(s) => Some(s.max(1)),
            ApiErrorKind::Busy => Some(1),
            _ => None,
        };
        let (status, code, message, fields) = self.kind.parts(self.lang);
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.to_owned(),
                message,
                fields,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
