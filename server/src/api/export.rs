//! `/api/v1/people/export.csv` and `/api/v1/people/{id}/disclosure`: the caseload as a
//! spreadsheet file, and everything held about one person (本人開示) as a JSON document.

use app::domain::ids::PersonId;
use app::protocol::ErrorBody;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::ApiLang;
use super::error::{ApiError, ApiErrorKind};
use super::extract::{Path, Query};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::service::export::{self, CaseloadQuery};

/// The caller's caseload (exactly the people `GET /api/v1/people` shows them) as a CSV file,
/// UTF-8 with BOM, headed in the asked language; birth dates in 和暦 unless `dates=iso`.
#[utoipa::path(get, path = "/api/v1/people/export.csv", tag = "people", params(CaseloadQuery),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn caseload(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Query(query): Query<CaseloadQuery>,
) -> Result<Response, ApiError> {
    let csv = export::caseload(&state, &me, &query, lang.0)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    let name = format!("caseload-{}.csv", crate::service::today());
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

/// Everything held about one person, for their subject access request: the person with every
/// consent, every shared record about them, and every audit-log entry about them (this export
/// included). Only the organisation that holds the case; 404 for anyone else.
#[utoipa::path(get, path = "/api/v1/people/{id}/disclosure", tag = "people", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/json", body = Object),
        (status = 404, body = ErrorBody)))]
pub async fn disclosure(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: PersonId = lang.path_id(&id)?;
    let document = export::disclosure(&state, &me, id, lang.0)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    let body = serde_json::to_string_pretty(&document).map_err(|e| {
        tracing::error!(error = %e, "could not write a disclosure document");
        ApiError::new(lang.0, ApiErrorKind::Internal)
    })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"disclosure-{id}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}
