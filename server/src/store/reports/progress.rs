//! The counts behind the progress report, read from the read tables the sync engine keeps
//! equal to the records (deletions included). The rules are in `docs/reports.md`; each query
//! says which it implements. Dates are ISO text, compared as text on both backends.

use crate::store::Exec;

/// The identity of a placement: the person (a merged duplicate as the record it was merged
/// into), the day it started and the employer — the same placement recorded under both
/// records of a merged duplicate is one placement.
const PLACEMENT_KEY: &str =
    "COALESCE(pe.merged_into, p.person_id) || '|' || p.placed_on || '|' || p.employer";

#[derive(sqlx::FromRow)]
pub struct MonthCount {
    /// `YYYY-MM`
    pub month: String,
    pub placements: i64,
    pub referral: i64,
}

/// Placements started within `from..=to` per month: every placement not deleted (a person
/// placed twice counts twice), and of those the ones by referral (a Hello Work referral or a
/// fair, both 職業紹介).
pub async fn placement_months(
    db: impl Exec<'_>,
    from: &str,
    to: &str,
) -> Result<Vec<MonthCount>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT substr(p.placed_on, 1, 7) AS month,
            COUNT(DISTINCT {PLACEMENT_KEY}) AS placements,
            COUNT(DISTINCT CASE WHEN p.route IN ('referral', 'fair') THEN {PLACEMENT_KEY} END)
                AS referral
         FROM placements p JOIN people pe ON pe.id = p.person_id
         WHERE p.deleted_at_ms IS NULL AND pe.deleted_at_ms IS NULL
             AND p.placed_on BETWEEN $1 AND $2
         GROUP BY substr(p.placed_on, 1, 7)
         ORDER BY month"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub target_group: String,
    pub event_date: String,
}

/// The events dated within `from..=to`, in date order.
pub async fn events(db: impl Exec<'_>, from: &str, to: &str) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title, kind, target_group, event_date FROM events
         WHERE event_date BETWEEN $1 AND $2 ORDER BY event_date, created_at_ms",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// A registration counted as the registration it was merged into (as the fair's own counts do).
const ROOT: &str = "COALESCE(p.merged_into, p.id)";

/// People registered and people who attended (checked in), per event of `from..=to`.
pub async fn registrations(
    db: impl Exec<'_>,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT p.event_id, COUNT(DISTINCT {ROOT}),
            COUNT(DISTINCT CASE WHEN p.checked_in_at_ms IS NOT NULL THEN {ROOT} END)
         FROM participants p
         JOIN events e ON e.id = p.event_id
         WHERE e.event_date BETWEEN $1 AND $2
         GROUP BY p.event_id"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
pub struct FunnelRow {
    pub event_id: String,
    pub who: String,
    /// `interviewed`, `offered` (内定 or 採用) or `hired`.
    pub stage: String,
}

/// Who reached which stage at each event of `from..=to`, one row per (person, stage) seen:
/// interviews on the tablets (any outcome: interviewed; 内定 or 採用: offered; 採用: hired) and
/// placements recorded in cases as made at the fair and started by `until` (hired). A person is
/// the counter person a registration was linked to (a merged duplicate as the record it was
/// merged into), else the registration (a merged one as the one it was merged into) — so the
/// same person recorded both ways is one person.
pub async fn funnel(
    db: impl Exec<'_>,
    from: &str,
    to: &str,
    until: &str,
) -> Result<Vec<FunnelRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT f.event_id,
            COALESCE(pe.merged_into, pe.id, 'registration:' || {ROOT}) AS who,
            CASE f.outcome WHEN 'hired' THEN 'hired' WHEN 'offer' THEN 'offered'
                ELSE 'interviewed' END AS stage
         FROM fair_outcomes f
         JOIN events e ON e.id = f.event_id
         JOIN participants p ON p.id = f.participant_id
         LEFT JOIN participants r ON r.id = p.merged_into
         LEFT JOIN people pe ON pe.id = COALESCE(r.person_id, p.person_id)
         WHERE e.event_date BETWEEN $1 AND $2
         UNION ALL
         SELECT p.event_id, COALESCE(pe.merged_into, p.person_id) AS who, 'hired' AS stage
         FROM placements p
         JOIN events e ON e.id = p.event_id
         JOIN people pe ON pe.id = p.person_id
         WHERE p.route = 'fair' AND p.deleted_at_ms IS NULL AND pe.deleted_at_ms IS NULL
             AND p.placed_on <= $3 AND e.event_date BETWEEN $1 AND $2"
    ))
    .bind(from)
    .bind(to)
    .bind(until)
    .fetch_all(db)
    .await
}
