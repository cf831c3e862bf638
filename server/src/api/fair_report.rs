//! `/api/v1/reports/fairs`: the fiscal-year fair report for the steering council.

use app::protocol::{ErrorBody, FairReport};
use axum::Json;
use axum::extract::State;

use super::ApiLang;
use super::error::ApiError;
use crate::AppState;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// The fiscal year (年度) by the calendar year it starts in; the current one when absent.
    pub fiscal_year: Option<i32>,
}

/// The fairs of a fiscal year for the steering council: participants and placements per fair,
/// totals and targets.
#[utoipa::path(get, path = "/api/v1/reports/fairs", tag = "reports", params(ReportQuery),
    responses((status = 200, body = FairReport), (status = 422, body = ErrorBody)))]
pub async fn fair_report(
    State(state): State<AppState>,
    lang: ApiLang,
    super::extract::Query(query): super::extract::Query<ReportQuery>,
) -> Result<Json<FairReport>, ApiError> {
    let today = crate::service::today();
    let year = query.fiscal_year.unwrap_or_else(|| today.fiscal_year());
    crate::service::fair_report::of_year(&state.db, year, today)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}
