//! `/api/v1/events`: register and list the corner's events.

use app::protocol::{CreateEvent, ErrorBody, EventList, EventView};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::error::ApiError;
use super::{ApiJson, ApiLang};
use crate::AppState;
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
