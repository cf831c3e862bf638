//! `/api/v1/reports/council` and `/api/v1/council/…`: the report the steering council is
//! given, the register of requests under the agreement, and the council's meetings.

use app::protocol::{CouncilReport, ErrorBody, MeetingView, RequestView, SaveMeeting, SaveRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::error::ApiError;
use super::extract::{Path, Query};
use super::reports::ProgressQuery;
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::service::reports::council;

/// What the council is given as of a day: the progress report, the requests made in the year
/// (and older ones still pending) and the success stories approved in it.
#[utoipa::path(get, path = "/api/v1/reports/council", tag = "reports", params(ProgressQuery),
    responses((status = 200, body = CouncilReport), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    lang: ApiLang,
    Query(query): Query<ProgressQuery>,
) -> Result<Json<CouncilReport>, ApiError> {
    let err = |e| ApiError::from_service(lang.0, e);
    let (year, as_of) = query.read().map_err(err)?;
    Ok(Json(
        council::report(&state.db, year, as_of).await.map_err(err)?,
    ))
}

/// Every request under the agreement, newest first; pending ones past their due date marked.
#[utoipa::path(get, path = "/api/v1/council/requests", tag = "reports",
    responses((status = 200, body = Vec<RequestView>)))]
pub async fn requests(
    State(state): State<AppState>,
    lang: ApiLang,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    council::requests(&state.db)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// Record a request (managers).
#[utoipa::path(post, path = "/api/v1/council/requests", tag = "reports", request_body = SaveRequest,
    responses((status = 201, body = RequestView), (status = 422, body = ErrorBody)))]
pub async fn add_request(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    ApiJson(request): ApiJson<SaveRequest>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let saved = council::save_request(&state, &me, None, &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Change a request: its answer, status, due date … (managers).
#[utoipa::path(post, path = "/api/v1/council/requests/{id}", tag = "reports",
    params(("id" = String, Path)), request_body = SaveRequest,
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_request(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<SaveRequest>,
) -> Result<Json<RequestView>, ApiError> {
    let id: uuid::Uuid = lang.path_id(&id)?;
    council::save_request(&state, &me, Some(&id.to_string()), &request)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// The council's meetings, newest first (without their reports).
#[utoipa::path(get, path = "/api/v1/council/meetings", tag = "reports",
    responses((status = 200, body = Vec<MeetingView>)))]
pub async fn meetings(
    State(state): State<AppState>,
    lang: ApiLang,
) -> Result<Json<Vec<MeetingView>>, ApiError> {
    council::meetings(&state.db)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// Record a meeting: a copy of the report as of its day is kept with it (managers).
#[utoipa::path(post, path = "/api/v1/council/meetings", tag = "reports", request_body = SaveMeeting,
    responses((status = 201, body = MeetingView), (status = 422, body = ErrorBody)))]
pub async fn add_meeting(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    ApiJson(request): ApiJson<SaveMeeting>,
) -> Result<(StatusCode, Json<MeetingView>), ApiError> {
    let saved = council::save_meeting(&state, &me, &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// One meeting with the report it was given, as it was then.
#[utoipa::path(get, path = "/api/v1/council/meetings/{id}", tag = "reports",
    params(("id" = String, Path)),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn meeting(
    State(state): State<AppState>,
    lang: ApiLang,
    Path(id): Path<String>,
) -> Result<Json<MeetingView>, ApiError> {
    let id: uuid::Uuid = lang.path_id(&id)?;
    council::meeting(&state.db, &id.to_string())
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}
