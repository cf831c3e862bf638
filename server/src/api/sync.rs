//! `/api/v1/sync`: the offline sync protocol (push, pull) and the conflicts it records.

use super::extract::{Path, Query};
use app::sync::wire::{
    ConflictList, MAX_PULL, PullResponse, PushRequest, PushResponse, ResolveConflict,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::error::ApiError;
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::{CurrentActor, CurrentStaff};
use crate::service::sync;

/// Send a batch of a device's mutations, oldest first. Each mutation number is dealt with once;
/// the answer comes after COMMIT. Answers 426 when the app's protocol is not supported.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 426, body = app::protocol::ErrorBody),
              (status = 422, body = app::protocol::ErrorBody), (status = 401, body = app::protocol::ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentActor(actor): CurrentActor,
    ApiJson(body): ApiJson<PushBody>,
) -> Result<Json<PushResponse>, ApiError> {
    let answer = async {
        let batch = sync::Batch::from_json(body.protocol, body.replica, &body.mutations)?;
        sync::push_batch(&state, &actor, lang.0, batch).await
    };
    answer
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// A push as sent ([`PushRequest`]), its mutations read one by one: one this server cannot
/// read is refused on its own instead of failing the whole batch.
#[derive(Debug, Deserialize)]
pub struct PushBody {
    pub protocol: u32,
    pub replica: String,
    pub mutations: Vec<Box<serde_json::value::RawValue>>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PullQuery {
    /// The sync protocol version the app speaks.
    pub protocol: u32,
    /// The cursor from the previous pull (0 for the first).
    #[serde(default)]
    pub after: u64,
    /// The epoch the cursor came with (from the previous pull's answer).
    pub epoch: Option<String>,
    /// Records per page (at most 1000).
    pub limit: Option<u32>,
}

/// Changes after a cursor, in commit order, limited to what the caller may see.
#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "sync", params(PullQuery),
    responses((status = 200, body = PullResponse), (status = 426, body = app::protocol::ErrorBody)))]
pub async fn pull(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentActor(actor): CurrentActor,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let limit = query.limit.unwrap_or(MAX_PULL);
    let from = crate::service::pull::Position {
        after: query.after,
        epoch: query.epoch,
    };
    crate::service::pull::pull(&state, &actor, query.protocol, from, limit)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// Concurrent edits waiting for staff to choose a value.
#[utoipa::path(get, path = "/api/v1/sync/conflicts", tag = "sync",
    responses((status = 200, body = ConflictList)))]
pub async fn conflicts(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
) -> Result<Json<ConflictList>, ApiError> {
    sync::conflicts(&state, &me)
        .await
        .map(|conflicts| Json(ConflictList { conflicts }))
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// Keep one of the two values (`kept` or `other`); the conflict is closed and audited.
#[utoipa::path(post, path = "/api/v1/sync/conflicts/{id}/resolve", tag = "sync",
    params(("id" = i64, Path)), request_body = ResolveConflict,
    responses((status = 204), (status = 404, body = app::protocol::ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ResolveConflict>,
) -> Result<StatusCode, ApiError> {
    let id: i64 = lang.path_id(&id)?;
    sync::resolve(&state, &me, lang.0, id, &request.choice)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// A fair's live counts (registered, checked in, possible duplicates).
#[utoipa::path(get, path = "/api/v1/events/{id}/counts", tag = "participants",
    params(("id" = String, Path)),
    responses((status = 200, body = app::sync::wire::FairCounts), (status = 404, body = app::protocol::ErrorBody)))]
pub async fn fair_counts(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<app::sync::wire::FairCounts>, ApiError> {
    let id: app::domain::ids::EventId = lang.path_id(&id)?;
    crate::service::fairs::fair_counts(&state, &me, id)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// A fair's possible duplicates, undecided first, with both names and the reason.
#[utoipa::path(get, path = "/api/v1/events/{id}/duplicates", tag = "participants",
    params(("id" = String, Path)),
    responses((status = 200, body = app::protocol::DuplicateList), (status = 404, body = app::protocol::ErrorBody)))]
pub async fn duplicates(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<app::protocol::DuplicateList>, ApiError> {
    let id: app::domain::ids::EventId = lang.path_id(&id)?;
    crate::service::fairs::duplicates(&state, &me, id)
        .await
        .map(|duplicates| Json(app::protocol::DuplicateList { duplicates }))
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// Staff decide a possible duplicate: `merge` (counted once, linked to the other record) or
/// `keep_apart`. Audited.
#[utoipa::path(post, path = "/api/v1/duplicates/{id}/decide", tag = "participants",
    params(("id" = i64, Path)), request_body = app::protocol::DecideDuplicate,
    responses((status = 204), (status = 404, body = app::protocol::ErrorBody), (status = 422, body = app::protocol::ErrorBody)))]
pub async fn decide_duplicate(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<app::protocol::DecideDuplicate>,
) -> Result<StatusCode, ApiError> {
    let id: i64 = lang.path_id(&id)?;
    crate::service::fairs::decide_duplicate(&state, &me, id, &request.decision)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|e| ApiError::from_service(lang.0, e))
}
