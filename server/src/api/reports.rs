//! `/api/v1/reports/…` and `/api/v1/plans/…`: the progress report (JSON and CSV) and the
//! business plan with its history.

use app::domain::date::CivilDate;
use app::domain::validation::{FieldError, Problem};
use app::domain::wareki::parse_date_input;
use app::protocol::{ErrorBody, PlanView, Progress, SavePlan};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::extract::{Path, Query};
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::service::ServiceError;
use crate::service::reports::{csv, plans, progress};

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ProgressQuery {
    /// The fiscal year (年度) by the calendar year it starts in; by default the one `as_of` is in.
    pub fiscal_year: Option<i32>,
    /// The day the figures are counted to, to its end in Japan (`2012-09-30`, `平成24年9月30日`);
    /// today in Japan by default.
    pub as_of: Option<String>,
}

impl ProgressQuery {
    pub(super) fn read(&self) -> Result<(i32, CivilDate), ServiceError> {
        let as_of = match self.as_of.as_deref().map(str::trim) {
            None | Some("") => crate::service::today(),
            Some(typed) => parse_date_input(typed).map_err(|e| {
                ServiceError::Invalid(vec![FieldError {
                    field: "as_of",
                    problem: Problem::NotADate(e),
                }])
            })?,
        };
        if as_of > crate::service::today() {
            return Err(ServiceError::Invalid(vec![FieldError {
                field: "as_of",
                problem: Problem::InFuture,
            }]));
        }
        Ok((
            self.fiscal_year.unwrap_or_else(|| as_of.fiscal_year()),
            as_of,
        ))
    }
}

/// The plan's figures as of a day: actual against target, rate, the pace needed, a forecast,
/// each event's funnel, placements by month and the previous year (参考) — counted from the
/// records.
#[utoipa::path(get, path = "/api/v1/reports/progress", tag = "reports", params(ProgressQuery),
    responses((status = 200, body = Progress), (status = 422, body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    lang: ApiLang,
    Query(query): Query<ProgressQuery>,
) -> Result<Json<Progress>, ApiError> {
    let err = |e| ApiError::from_service(lang.0, e);
    let (year, as_of) = query.read().map_err(err)?;
    Ok(Json(
        progress::progress(&state.db, year, as_of)
            .await
            .map_err(err)?,
    ))
}

/// The same figures as CSV for Excel (UTF-8 with BOM), headed in the request's language.
#[utoipa::path(get, path = "/api/v1/reports/progress.csv", tag = "reports", params(ProgressQuery),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn progress_csv(
    State(state): State<AppState>,
    lang: ApiLang,
    Query(query): Query<ProgressQuery>,
) -> Result<Response, ApiError> {
    let err = |e| ApiError::from_service(lang.0, e);
    let (year, as_of) = query.read().map_err(err)?;
    let report = progress::progress(&state.db, year, as_of)
        .await
        .map_err(err)?;
    let body = csv::progress_csv(&report, lang.0).map_err(err)?;
    let name = format!("progress-{year}-as-of-{as_of}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// A fiscal year's plan: its first day, every target, and every change made (newest first).
#[utoipa::path(get, path = "/api/v1/plans/{fiscal_year}", tag = "reports",
    params(("fiscal_year" = i32, Path)),
    responses((status = 200, body = PlanView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn plan(
    State(state): State<AppState>,
    lang: ApiLang,
    Path(year): Path<String>,
) -> Result<Json<PlanView>, ApiError> {
    let year: i32 = lang.path_id(&year)?;
    plans::view(&state.db, year)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// Managers set the year's first day and targets; each change is kept with who and when.
#[utoipa::path(post, path = "/api/v1/plans/{fiscal_year}", tag = "reports",
    params(("fiscal_year" = i32, Path)), request_body = SavePlan,
    responses((status = 200, body = PlanView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_plan(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(year): Path<String>,
    ApiJson(request): ApiJson<SavePlan>,
) -> Result<Json<PlanView>, ApiError> {
    let year: i32 = lang.path_id(&year)?;
    plans::save(&state, &me, year, &request)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}
