//! `/api/v1/people`: cases, visible by organisation and consent.

use super::extract::Path;
use app::domain::ids::{ConsentId, PersonId};
use app::protocol::{
    CreateConsent, CreatePerson, ErrorBody, MergePerson, PersonList, PersonView, WithdrawConsent,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use super::error::ApiError;
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::CurrentStaff;
use crate::service::{people, person_merge};

/// The cases the caller may see: their organisation's, and the other organisation's while
/// consent is active.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", responses((status = 200, body = PersonList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
) -> Result<Json<PersonList>, ApiError> {
    let people = people::list(&state, &me)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok(Json(PersonList { people }))
}

/// Register a person (intake). The record belongs to the caller's organisation. An `id` any
/// record already has (of whatever kind) is refused with 409.
#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = CreatePerson,
    responses((status = 201, body = PersonView), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    ApiJson(request): ApiJson<CreatePerson>,
) -> Result<(StatusCode, Json<PersonView>), ApiError> {
    let person = people::create(&state, &me, &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(person)))
}

/// One person; 404 when it does not exist or the caller may not see it.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = String, Path)),
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    let id: PersonId = lang.path_id(&id)?;
    Ok(Json(
        people::get(&state, &me, id)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}

/// Record the person's consent to share between the city and Hello Work.
#[utoipa::path(post, path = "/api/v1/people/{id}/consents", tag = "people", params(("id" = String, Path)), request_body = CreateConsent,
    responses((status = 201, body = PersonView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grant_consent(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CreateConsent>,
) -> Result<(StatusCode, Json<PersonView>), ApiError> {
    let id: PersonId = lang.path_id(&id)?;
    let person = people::grant_consent(&state, &me, id, &request)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((StatusCode::CREATED, Json(person)))
}

/// Withdraw a consent, with the day the person withdrew and why; effective from the next
/// request. The consent stays in the person's history.
#[utoipa::path(post, path = "/api/v1/people/{id}/consents/{consent_id}/withdraw", tag = "people",
    params(("id" = String, Path), ("consent_id" = String, Path)), request_body = WithdrawConsent,
    responses((status = 200, body = PersonView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path((id, consent_id)): Path<(String, String)>,
    ApiJson(request): ApiJson<WithdrawConsent>,
) -> Result<Json<PersonView>, ApiError> {
    let id: PersonId = lang.path_id(&id)?;
    let consent_id: ConsentId = lang.path_id(&consent_id)?;
    Ok(Json(
        people::withdraw_consent(&state, &me, id, consent_id, &request)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}

/// Merge a duplicate intake (`{id}`) into the record that stays (`into`), with the reason. Only
/// the organisation holding both may; nothing is deleted, and the merge can be undone.
#[utoipa::path(post, path = "/api/v1/people/{id}/merge", tag = "people", params(("id" = String, Path)), request_body = MergePerson,
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<MergePerson>,
) -> Result<Json<PersonView>, ApiError> {
    let id: PersonId = lang.path_id(&id)?;
    Ok(Json(
        person_merge::merge(&state, &me, lang.0, id, &request)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}

/// Undo the merge of `{id}`: it is its own record again.
#[utoipa::path(post, path = "/api/v1/people/{id}/unmerge", tag = "people", params(("id" = String, Path)),
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn unmerge(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
    Path(id): Path<String>,
) -> Result<Json<PersonView>, ApiError> {
    let id: PersonId = lang.path_id(&id)?;
    Ok(Json(
        person_merge::unmerge(&state, &me, lang.0, id)
            .await
            .map_err(|e| ApiError::from_service(lang.0, e))?,
    ))
}
