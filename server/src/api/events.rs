//! `/api/v1/events`: register and list the corner's events.

use super::extract::Path;
use app::domain::ids::EventId;
use app::protocol::{
    CreateEmployer, CreateEvent, EmployerView, ErrorBody, EventDetail, EventList, EventView,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::error::ApiError;
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::service::events::{self, Created};

/// List every event, newest date first.
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    responses((status = 200, description = "All events", body = EventList))
)]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
) -> Result<Json<EventList>, ApiError> {
    let events = events::list(&state.db)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok(Json(EventList { events }))
}

/// Register an event. Sending the same event again with the same `id` is answered `200` with the
/// stored event (a safe retry); a different event under an existing `id` is `409`.
#[utoipa::path(
    post,
    path = "/api/v1/events",
    tag = "events",
    request_body = CreateEvent,
    responses(
        (status = 201, description = "Registered", body = EventView),
        (status = 200, description = "Already registered (a retry)", body = EventView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 409, description = "Another event has this id", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not application/json", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiJson(request): ApiJson<CreateEvent>,
) -> Result<(StatusCode, Json<EventView>), ApiError> {
    match events::create(&state.db, &request).await {
        Ok(Created::New(event)) => Ok((StatusCode::CREATED, Json(event))),
        Ok(Created::AlreadyThere(event)) => Ok((StatusCode::OK, Json(event))),
        Err(e) => Err(ApiError::from_service(lang.0, e)),
    }
}

/// One event with its participating employers.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = String, Path)),
    responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    lang: ApiLang,
    Path(raw): Path<String>,
) -> Result<Json<EventDetail>, ApiError> {
    let id: EventId = lang.path_id(&raw)?;
    events::detail(&state.db, id)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// Add a participating employer (name unique within the fair, jobs offered).
#[utoipa::path(post, path = "/api/v1/events/{id}/employers", tag = "events", params(("id" = String, Path)),
    request_body = CreateEmployer,
    responses((status = 201, body = EmployerView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_employer(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(raw): Path<String>,
    ApiJson(request): ApiJson<CreateEmployer>,
) -> Result<(StatusCode, Json<EmployerView>), ApiError> {
    let id: EventId = lang.path_id(&raw)?;
    let added = events::add_employer(&state, &crate::auth::Actor::Staff(me), id, &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(added)))
}
