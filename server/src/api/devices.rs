//! `/api/v1/devices`: fair tablet enrolment and revocation; `/api/v1/device`: the device's own
//! view; `/api/v1/events/{id}/participants`: what a device (or case staff) does at a fair.

use super::extract::Path;
use app::domain::ids::{DeviceId, EventId, ParticipantId};
use app::protocol::{
    CreateDevice, CreateParticipant, DeviceEnrolment, DeviceList, DeviceView, EnrolRequest,
    Enrolled, ErrorBody, EventDetail, ParticipantList, ParticipantView,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::error::ApiError;
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::{CurrentActor, CurrentDevice, CurrentStaff};
use crate::service::devices;

#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", responses((status = 200, body = DeviceList)))]
pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
) -> Result<Json<DeviceList>, ApiError> {
    Ok(Json(DeviceList {
        devices: devices::list(&state)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    }))
}

/// Prepare a device for an event; answers the one-time code (valid 15 minutes) to type on it.
/// Only for an event still to come or today's (`event_over` otherwise).
#[utoipa::path(post, path = "/api/v1/devices", tag = "devices", request_body = CreateDevice,
    responses((status = 201, body = DeviceEnrolment), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    ApiJson(request): ApiJson<CreateDevice>,
) -> Result<(StatusCode, Json<DeviceEnrolment>), ApiError> {
    let e = devices::create(&state, &me, &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Revoke a device: its token is refused from its next request.
#[utoipa::path(post, path = "/api/v1/devices/{id}/revoke", tag = "devices", params(("id" = String, Path)), responses((status = 200, body = DeviceView), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(raw): Path<String>,
) -> Result<Json<DeviceView>, ApiError> {
    let device: DeviceId = lang.path_id(&raw)?;
    Ok(Json(
        devices::revoke(&state, &me, device)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}

/// A device exchanges its enrolment code for a bearer token (given only this once).
#[utoipa::path(post, path = "/api/v1/devices/enrol", tag = "devices", request_body = EnrolRequest,
    responses((status = 200, body = Enrolled), (status = 400, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn enrol(
    State(state): State<AppState>,
    lang: ApiLang,
    super::auth::ClientAddr(address): super::auth::ClientAddr,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<Json<Enrolled>, ApiError> {
    Ok(Json(
        devices::enrol(&state, &request.code, &address)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}

/// The server's key for the calling tablet's sealed store (gone once the tablet is revoked).
#[utoipa::path(get, path = "/api/v1/device/key", tag = "devices",
    responses((status = 200, body = app::protocol::DeviceKey)))]
pub async fn my_key(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentDevice(device): CurrentDevice,
) -> Result<Json<app::protocol::DeviceKey>, ApiError> {
    let id = device.id.to_string();
    crate::service::staff::server_key(&state, crate::store::device_keys::Holder::Tablet(&id))
        .await
        .map(|key| Json(app::protocol::DeviceKey { key }))
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// The calling device's event, with its employers (for interview entries).
#[utoipa::path(get, path = "/api/v1/device/event", tag = "devices", responses((status = 200, body = EventDetail), (status = 401, body = ErrorBody)))]
pub async fn my_event(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentDevice(device): CurrentDevice,
) -> Result<Json<EventDetail>, ApiError> {
    crate::service::events::detail(&state.db, device.event_id)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// An event's participants (case staff).
#[utoipa::path(get, path = "/api/v1/events/{id}/participants", tag = "participants", params(("id" = String, Path)), responses((status = 200, body = ParticipantList)))]
pub async fn participants(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(raw): Path<String>,
) -> Result<Json<ParticipantList>, ApiError> {
    let event: EventId = lang.path_id(&raw)?;
    let participants = devices::participants(&state, &me, event)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok(Json(ParticipantList { participants }))
}

/// Register a participant at an event (its enrolled device, or case staff).
#[utoipa::path(post, path = "/api/v1/events/{id}/participants", tag = "participants", params(("id" = String, Path)), request_body = CreateParticipant,
    responses((status = 201, body = ParticipantView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_participant(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentActor(actor): CurrentActor,
    Path(raw): Path<String>,
    ApiJson(request): ApiJson<CreateParticipant>,
) -> Result<(StatusCode, Json<ParticipantView>), ApiError> {
    let event: EventId = lang.path_id(&raw)?;
    let p = devices::add_participant(&state, &actor, event, &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Check a participant in (idempotent: the first check-in time is kept).
#[utoipa::path(post, path = "/api/v1/events/{id}/participants/{participant_id}/check-in", tag = "participants",
    params(("id" = String, Path), ("participant_id" = String, Path)),
    responses((status = 200, body = ParticipantView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentActor(actor): CurrentActor,
    Path((raw_event, raw_participant)): Path<(String, String)>,
) -> Result<Json<ParticipantView>, ApiError> {
    let event: EventId = lang.path_id(&raw_event)?;
    let participant: ParticipantId = lang.path_id(&raw_participant)?;
    Ok(Json(
        devices::check_in(&state, &actor, event, participant)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}

/// The participant becomes a person at the counter (相談者), linked to the registration.
#[utoipa::path(post, path = "/api/v1/events/{id}/participants/{participant_id}/person", tag = "participants",
    params(("id" = String, Path), ("participant_id" = String, Path)), request_body = app::protocol::ParticipantToPerson,
    responses((status = 200, body = app::protocol::PersonView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_person(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path((raw_event, raw_participant)): Path<(String, String)>,
    ApiJson(request): ApiJson<app::protocol::ParticipantToPerson>,
) -> Result<Json<app::protocol::PersonView>, ApiError> {
    let event: EventId = lang.path_id(&raw_event)?;
    let participant: ParticipantId = lang.path_id(&raw_participant)?;
    devices::make_person(&state, &me, event, participant, &request)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}
