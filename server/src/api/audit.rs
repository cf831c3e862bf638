//! `/api/v1/audit`: the audit log for administrators, and its chain check.

use super::extract::Query;
use app::protocol::{AuditPage, AuditVerification};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::ApiLang;
use super::error::ApiError;
use crate::AppState;
use crate::service::audit_log::{self, FilterInput};
use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Entries before this sequence number (the previous page's `next_before`).
    pub before: Option<i64>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<i64>,
}

/// Matching entries, newest first, with the acting staff member's or device's name.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery, FilterInput),
    responses((status = 200, body = AuditPage), (status = 400, body = app::protocol::ErrorBody),
        (status = 422, body = app::protocol::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
    Query(q): Query<AuditQuery>,
    Query(filter): Query<FilterInput>,
) -> Result<Json<AuditPage>, ApiError> {
    audit_log::page(&state, &filter, q.before, q.limit)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// The same view as a CSV file (UTF-8 with BOM), labelled in the asked language.
#[utoipa::path(get, path = "/api/v1/audit/export", tag = "audit", params(FilterInput),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, body = app::protocol::ErrorBody), (status = 422, body = app::protocol::ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    lang: ApiLang,
    Query(filter): Query<FilterInput>,
) -> Result<Response, ApiError> {
    let csv = audit_log::export(&state, &filter, lang.0)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    let name = format!(
        "renkei-audit-{}.csv",
        app::domain::date::CivilDate::in_japan_from_unix_millis(crate::store::now_ms())
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        csv,
    )
        .into_response())
}

/// Recompute the hash chain and report the first altered entry, if any.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = AuditVerification)))]
pub async fn verify(
    State(state): State<AppState>,
    lang: ApiLang,
) -> Result<Json<AuditVerification>, ApiError> {
    let report = crate::audit::check(&state.db, state.anchor.as_deref())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "audit check failed");
            ApiError::new(lang.0, super::error::ApiErrorKind::Internal)
        })?;
    let first = report.first_problem();
    let unanchored = report.unanchored();
    Ok(Json(AuditVerification {
        intact: first.is_none() && !unanchored,
        checked: report.chain.checked,
        first_bad_seq: first,
        unanchored,
    }))
}
