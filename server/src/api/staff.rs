//! `/api/v1/staff`: account administration (administrators only).

use super::extract::Path;
use app::domain::ids::StaffId;
use app::protocol::{CreateStaff, ErrorBody, SetPassword, SetRole, StaffList, StaffView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::error::ApiError;
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::service::staff::{self, Change};

#[utoipa::path(get, path = "/api/v1/staff", tag = "staff", responses((status = 200, body = StaffList)))]
pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
) -> Result<Json<StaffList>, ApiError> {
    Ok(Json(StaffList {
        staff: staff::list(&state)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    }))
}

#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", request_body = CreateStaff,
    responses((status = 201, body = StaffView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    ApiJson(request): ApiJson<CreateStaff>,
) -> Result<(StatusCode, Json<StaffView>), ApiError> {
    let view = staff::create(&state, Some(&me), &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn apply(
    state: AppState,
    lang: ApiLang,
    me: crate::auth::StaffActor,
    id: String,
    change: Change,
) -> Result<Json<StaffView>, ApiError> {
    let id: StaffId = lang.path_id(&id)?;
    Ok(Json(
        staff::change(&state, &me, id, change)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}

/// Disable an account: its sessions end at once.
#[utoipa::path(post, path = "/api/v1/staff/{id}/disable", tag = "staff", params(("id" = String, Path)), responses((status = 200, body = StaffView)))]
pub async fn disable(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<StaffView>, ApiError> {
    apply(state, lang, me, id, Change::Disable).await
}

#[utoipa::path(post, path = "/api/v1/staff/{id}/enable", tag = "staff", params(("id" = String, Path)), responses((status = 200, body = StaffView)))]
pub async fn enable(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<StaffView>, ApiError> {
    apply(state, lang, me, id, Change::Enable).await
}

/// Set a new password (the person's sessions end).
#[utoipa::path(post, path = "/api/v1/staff/{id}/password", tag = "staff", params(("id" = String, Path)), request_body = SetPassword, responses((status = 200, body = StaffView), (status = 422, body = ErrorBody)))]
pub async fn set_password(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SetPassword>,
) -> Result<Json<StaffView>, ApiError> {
    apply(state, lang, me, id, Change::Password(body.password)).await
}

#[utoipa::path(post, path = "/api/v1/staff/{id}/role", tag = "staff", params(("id" = String, Path)), request_body = SetRole, responses((status = 200, body = StaffView), (status = 422, body = ErrorBody)))]
pub async fn set_role(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SetRole>,
) -> Result<Json<StaffView>, ApiError> {
    apply(state, lang, me, id, Change::Role(body.role)).await
}
