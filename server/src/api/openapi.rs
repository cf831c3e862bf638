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
    paths(super::events::list, super::events::create, crate::health::healthz),
    tags((name = "events", description = "Job fairs, workplace tours, seminars"))
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
