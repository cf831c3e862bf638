//! The OpenAPI document, generated from the handlers' annotations and the shared wire types so
//! it cannot drift from the code. What every route answers because of *how it is served* —
//! 401/403 from its access rule, 404 for a path naming a record, 400/408/413/415 for a JSON
//! body, and its security scheme — is added from the route table (`api::routes`), so each
//! operation lists every status it can answer (`tests/authz_matrix.rs` checks each status it
//! sees against this document).

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Renkei API",
        description = "The welfare–employment corner's shared record. JSON over HTTP; errors are \
                       `ErrorBody` with messages in Japanese (or English by cookie / Accept-Language)."
    ),
    // The API's operations come from `api::routes()` (see `generated`); only the health
    // check, outside `/api`, is listed here.
    paths(crate::health::healthz),
    tags(
        (name = "auth", description = "Staff sign-in (session cookie)"),
        (name = "events", description = "Job fairs, workplace tours, seminars"),
        (name = "people", description = "Cases, visible by organisation and consent"),
        (name = "participants", description = "People registered and checked in at an event"),
        (name = "staff", description = "Account administration"),
        (name = "devices", description = "Fair tablets: enrolment, token, revocation"),
        (name = "sync", description = "Offline sync: push mutations, pull changes, conflicts"),
        (name = "audit", description = "Who read or changed which person's data"),
        (name = "reports", description = "Figures for managers and the steering council"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document of this API")))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(generated())
}

/// The annotated document, completed from the route table.
pub fn generated() -> utoipa::openapi::OpenApi {
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
    let mut doc = ApiDoc::openapi();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
            crate::auth::SESSION_COOKIE,
        ))),
    );
    components.add_security_scheme(
        DEVICE,
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    for route in super::routes() {
        let mut paths = route.paths;
        for item in paths.paths.values_mut() {
            for operation in [item.get.as_mut(), item.post.as_mut()]
                .into_iter()
                .flatten()
            {
                complete(operation, route.access, route.path.contains('{'));
            }
        }
        doc.paths.merge(paths);
        let components = doc.components.get_or_insert_with(Default::default);
        components.schemas.extend(route.schemas);
    }
    doc
}

const SESSION: &str = "session";
const DEVICE: &str = "device";

fn complete(
    operation: &mut utoipa::openapi::path::Operation,
    access: crate::api::access::Access,
    names_a_record: bool,
) {
    use crate::api::access::Access;
    use utoipa::openapi::security::SecurityRequirement;
    let mut statuses: Vec<(&str, &str)> = Vec::new();
    let schemes: &[&str] = match access {
        Access::Public => &[],
        Access::Device => &[DEVICE],
        Access::DeviceOrCaseStaff => &[SESSION, DEVICE],
        Access::Staff | Access::CaseStaff | Access::Manager | Access::Admin => &[SESSION],
    };
    if !schemes.is_empty() {
        statuses.push((
            "401",
            "Not signed in, or the session or device token has ended",
        ));
        statuses.push(("403", "Signed in, but this role or device may not do this"));
        operation.security = Some(
            schemes
                .iter()
                .map(|s| SecurityRequirement::new(*s, Vec::<String>::new()))
                .collect(),
        );
    }
    if names_a_record {
        statuses.push(("404", "No such record, or none this caller may see"));
    }
    if operation.request_body.is_some() {
        statuses.push(("400", "The body is not valid JSON for this operation"));
        statuses.push(("408", "The body did not arrive in time"));
        statuses.push(("413", "The body is larger than 1 MiB"));
        statuses.push(("415", "The body is not `application/json`"));
    }
    for (status, description) in statuses {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(description));
    }
}

fn error_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}
