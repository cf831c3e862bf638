//! Path and query extractors whose rejections are the API's JSON error in the asked language
//! (axum's own answer `text/plain` in English).
//!
//! - A path segment that cannot be read (not UTF-8, `/people/%ff`) names nothing: 404.
//! - A query parameter that is missing or cannot be read (`?fiscal_year=2147483648`): 400,
//!   naming the parameter.

use axum::extract::FromRequestParts;
use axum::extract::rejection::QueryRejection;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiLang;
use super::error::{ApiError, ApiErrorKind};

/// `axum::extract::Path`, answering 404 in the API's format.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = ApiLang::from_headers(&parts.headers).0;
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|_| ApiError::new(lang, ApiErrorKind::NotFound))
    }
}

/// `axum::extract::Query`, answering 400 in the API's format with the parameter's name.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = ApiLang::from_headers(&parts.headers).0;
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection| {
                ApiError::new(lang, ApiErrorKind::BadQuery(parameter_of(&rejection)))
            })
    }
}

/// The parameter a query rejection is about, from serde's message (`missing field `x``, or
/// `x: invalid digit found in string`); empty when it names none.
fn parameter_of(rejection: &QueryRejection) -> String {
    let text = rejection.body_text();
    let detail = text
        .strip_prefix("Failed to deserialize query string: ")
        .unwrap_or(&text);
    if let Some(rest) = detail.split("missing field `").nth(1) {
        return rest.split('`').next().unwrap_or("").to_owned();
    }
    match detail.split_once(": ") {
        Some((field, _)) if field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            field.to_owned()
        }
        _ => String::new(),
    }
}
