//! Authorisation at the route: every route of the application is declared once, with the
//! [`Access`] it requires, in [`RouteSpec`]s. The router is built from the same declarations
//! (`api::routes`, the page list), so a route cannot exist without an access rule, and the
//! authorisation matrix test walks [`route_table`] to make sure every route is tested.
//!
//! Data scope finer than the route (a person's organisation and consent, a device's event)
//! is checked in the services.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::api::ApiLang;
use crate::api::error::{ApiError, ApiErrorKind};
use crate::audit::{self, Entry};
use crate::auth::{Actor, IdentityUnavailable, MaybeActor};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: sign-in, device enrolment, health, the OpenAPI document.
    Public,
    /// Any signed-in staff member.
    Staff,
    /// Staff who work with cases (counter staff, managers); not administrators.
    CaseStaff,
    /// Managers (管理職) of either organisation: the business plan's targets.
    Manager,
    /// Administrators.
    Admin,
    /// An enrolled device (for its own event) or case staff.
    DeviceOrCaseStaff,
    /// An enrolled device only.
    Device,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// No valid session or token: sign in (401, or a redirect for pages).
    Unauthenticated,
    /// Signed in, but not allowed (403).
    Forbidden,
}

impl Access {
    pub fn decide(self, actor: Option<&Actor>) -> Decision {
        use Decision::*;
        let Some(actor) = actor else {
            return if self == Access::Public {
                Allowed
            } else {
                Unauthenticated
            };
        };
        let allowed = match (self, actor) {
            (Access::Public, _) => true,
            (Access::Staff, Actor::Staff(_)) => true,
            (Access::CaseStaff | Access::DeviceOrCaseStaff, Actor::Staff(s)) => {
                s.role.handles_cases()
            }
            (Access::Admin, Actor::Staff(s)) => s.role == app::domain::access::Role::Admin,
            (Access::Manager, Actor::Staff(s)) => s.role == app::domain::access::Role::Manager,
            (Access::Device | Access::DeviceOrCaseStaff, Actor::Device(_)) => true,
            _ => false,
        };
        if allowed { Allowed } else { Forbidden }
    }
}

/// One route of the application and the access it requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    /// The path as routed, with `{param}` placeholders.
    pub path: String,
    pub access: Access,
}

/// Every route the application serves (API, pages, operations), as the router is built.
pub fn route_table() -> Vec<RouteSpec> {
    let mut table: Vec<RouteSpec> = crate::api::routes()
        .into_iter()
        .map(|r| RouteSpec {
            method: r.method,
            path: format!("/api{}", r.path),
            access: r.access,
        })
        .collect();
    // Health, what a browser needs to start the app offline, and the fair tablet's page and
    // its boot module (no personal data: the tablet's data comes from the API, which checks
    // the device's token).
    for path in [
        "/healthz",
        "/sw.js",
        "/offline",
        "/boot.js",
        "/fair",
        "/tablet.js",
    ] {
        table.push(RouteSpec {
            method: Method::GET,
            path: path.into(),
            access: Access::Public,
        });
    }
    for path in page_paths() {
        let access = page_access(&path);
        table.push(RouteSpec {
            method: Method::GET,
            path,
            access,
        });
    }
    table
}

/// The paths of the app's pages, from the Leptos router itself.
pub fn page_paths() -> Vec<String> {
    leptos_axum::generate_route_list(app::App)
        .into_iter()
        .map(|r| r.path().to_owned())
        .collect()
}

/// The page pattern (`/events/{id}`) a request path belongs to, if it is a page.
fn matching_page<'a>(pages: &'a [String], path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    pages
        .iter()
        .find(|pattern| {
            let parts: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
            parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(p, s)| {
                    p == s || ((p.starts_with('{') || p.starts_with(':')) && !s.is_empty())
                })
        })
        .map(String::as_str)
}

/// The access a page requires. Pages carry no personal data in their HTML (data comes from the
/// API, which checks again), but a person without access should not see the screens either.
pub fn page_access(path: &str) -> Access {
    match path {
        "/login" => Access::Public,
        p if p == "/admin" || p.starts_with("/admin/") => Access::Admin,
        p if p == "/cases" || p.starts_with("/cases/") => Access::CaseStaff,
        p if p.starts_with("/stories/") => Access::CaseStaff,
        "/intake" | "/conflicts" => Access::CaseStaff,
        _ => Access::Staff,
    }
}

/// The guard on one API route.
pub async fn guard_api(
    State((state, access)): State<(AppState, Access)>,
    request: Request,
    next: Next,
) -> Response {
    let actor = request
        .extensions()
        .get::<MaybeActor>()
        .and_then(|m| m.0.clone());
    let decision = access.decide(actor.as_ref());
    if decision == Decision::Allowed {
        return next.run(request).await;
    }
    let lang = ApiLang::from_headers(request.headers()).0;
    record_refusal(
        &state,
        actor.as_ref(),
        request.method(),
        request.uri().path(),
    )
    .await;
    let unavailable = request.extensions().get::<IdentityUnavailable>().is_some();
    let kind = match decision {
        Decision::Unauthenticated if unavailable => ApiErrorKind::Busy,
        Decision::Unauthenticated => ApiErrorKind::Unauthenticated,
        _ => ApiErrorKind::Forbidden,
    };
    ApiError::new(lang, kind).into_response()
}

/// The guard on pages: applies to the app's page paths only (static files and the 404 page
/// are public). Unauthenticated people are sent to the sign-in page and back.
pub async fn guard_pages(
    State((state, pages)): State<(AppState, std::sync::Arc<Vec<String>>)>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let page = match matching_page(&pages, &path) {
        Some(page) if request.method() == Method::GET => page,
        _ => return next.run(request).await,
    };
    let actor = request
        .extensions()
        .get::<MaybeActor>()
        .and_then(|m| m.0.clone());
    match page_access(page).decide(actor.as_ref()) {
        Decision::Allowed => next.run(request).await,
        Decision::Unauthenticated
            if request.extensions().get::<IdentityUnavailable>().is_some() =>
        {
            let lang = ApiLang::from_headers(request.headers()).0.catalog();
            let body = format!(
                "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>503</title>\
                 <link rel=\"stylesheet\" href=\"{}\"></head><body><main id=\"main\">\
                 <h1>{}</h1></main></body></html>",
                state.assets.css, lang.err_busy
            );
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::RETRY_AFTER, "1"),
                ],
                body,
            )
                .into_response()
        }
        Decision::Unauthenticated => {
            let next_path = if path == "/" {
                String::new()
            } else {
                format!("?next={path}")
            };
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, format!("/login{next_path}"))],
            )
                .into_response()
        }
        Decision::Forbidden => {
            record_refusal(&state, actor.as_ref(), &Method::GET, &path).await;
            let lang = ApiLang::from_headers(request.headers()).0.catalog();
            let body = format!(
                "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>403</title>\
                 <link rel=\"stylesheet\" href=\"{}\"></head><body><main id=\"main\">\
                 <h1>{}</h1><p><a href=\"/\">{}</a></p></main></body></html>",
                state.assets.css, lang.err_forbidden, lang.nav_home
            );
            (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                body,
            )
                .into_response()
        }
    }
}

/// A refusal of a known actor goes to the audit log (path capped); one of nobody known is only
/// counted (`refusals`): anonymous traffic must not write durable rows.
async fn record_refusal(state: &AppState, actor: Option<&Actor>, method: &Method, path: &str) {
    let Some(actor) = actor else {
        state.refusals.note("route");
        return;
    };
    let entry = Entry::new(Some(actor), "access", "route")
        .denied()
        .detail(format!("{method} {path}"));
    if let Err(e) = audit::record(state, &[entry]).await {
        tracing::error!(error = %e, "could not record a refused request in the audit log");
    }
}
