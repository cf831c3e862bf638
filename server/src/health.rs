//! `/healthz`: is the server up and its database answering?

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    status: &'static str,
    /// Which database this server uses: `sqlite` or `postgresql` (never where it is).
    database: &'static str,
}

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "Serving", body = Health),
        (status = 503, description = "Database not answering", body = Health),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = match crate::store::pool_backend(&state.db) {
        crate::store::Backend::Sqlite => "sqlite",
        crate::store::Backend::Postgres => "postgresql",
    };
    match crate::store::ping(&state.db).await {
        Ok(_) => (
            StatusCode::OK,
            Json(Health {
                status: "ok",
                database,
            }),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database not answering");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    database,
                }),
            )
        }
    }
}
