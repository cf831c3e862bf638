//! The OpenAPI document, generated from the handlers' annotations and the shared wire types so
//! it cannot drift from the code.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Renkei API",
        description = "The welfare–employment corner's shared record. JSON over HTTP; errors are \
                       `ErrorBody` with messages in Japanese (or English by cookie / Accept-Language)."
    ),
    paths(
        crate::health::healthz,
        super::auth::login,
        super::auth::logout,
        super::auth::me,
        super::events::list,
        super::events::create,
        super::events::detail,
        super::events::add_employer,
        super::events::fair_report,
        super::sync::duplicates,
        super::sync::decide_duplicate,
        super::devices::participants,
        super::devices::add_participant,
        super::devices::check_in,
        super::devices::make_person,
        super::people::list,
        super::people::create,
        super::people::get,
        super::people::grant_consent,
        super::people::withdraw_consent,
        super::staff::list,
        super::staff::create,
        super::staff::disable,
        super::staff::enable,
        super::staff::set_password,
        super::staff::set_role,
        super::devices::list,
        super::devices::create,
        super::devices::revoke,
        super::devices::enrol,
        super::devices::my_event,
        super::sync::push,
        super::sync::pull,
        super::sync::conflicts,
        super::sync::resolve,
        super::sync::fair_counts,
        super::audit::list,
        super::audit::verify,
    ),
    tags(
        (name = "auth", description = "Staff sign-in (session cookie)"),
        (name = "events", description = "Job fairs, workplace tours, seminars"),
        (name = "people", description = "Cases, visible by organisation and consent"),
        (name = "participants", description = "People registered and checked in at an event"),
        (name = "staff", description = "Account administration"),
        (name = "devices", description = "Fair tablets: enrolment, token, revocation"),
        (name = "sync", description = "Offline sync: push mutations, pull changes, conflicts"),
        (name = "audit", description = "Who read or changed which person's data"),
    )
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
