//! `/api/v1/audit`: the audit log for administrators, and its chain check.

use super::extract::Query;
use app::protocol::{AuditEntry, AuditPage, AuditVerification};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;

use super::ApiLang;
use super::error::ApiError;
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Entries before this sequence number (for paging back); newest first.
    pub before: Option<i64>,
    /// At most this many (default 100, at most 500).
    pub limit: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    at_ms: i64,
    actor: String,
    action: String,
    subject_kind: String,
    subject_id: Option<String>,
    outcome: String,
    detail: String,
}

/// The newest entries first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = AuditPage)))]
pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT seq, at_ms, actor, action, subject_kind, subject_id, outcome, detail
         FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?",
    )
    .bind(q.before.unwrap_or(i64::MAX))
    .bind(q.limit.unwrap_or(100).clamp(1, 500))
    .fetch_all(&state.db)
    .await
    .map_err(|e| ApiError::from_service(lang.0, e.into()))?;
    Ok(Json(AuditPage {
        entries: rows
            .into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at_ms: r.at_ms,
                actor: r.actor,
                action: r.action,
                subject_kind: r.subject_kind,
                subject_id: r.subject_id,
                outcome: r.outcome,
                detail: r.detail,
            })
            .collect(),
    }))
}

/// Recompute the hash chain and report the first altered entry, if any.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", responses((status = 200, body = AuditVerification)))]
pub async fn verify(
    State(state): State<AppState>,
    lang: ApiLang,
) -> Result<Json<AuditVerification>, ApiError> {
    let report = crate::audit::check(&state.db, state.anchor.as_deref())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "audit check failed");
            ApiError::new(lang.0, super::error::ApiErrorKind::Internal)
        })?;
    let first = report.first_problem();
    Ok(Json(AuditVerification {
        intact: first.is_none(),
        checked: report.chain.checked,
        first_bad_seq: first,
    }))
}
