//! The figures of the fiscal-year fair report: each fair's participants and placements, and
//! the business plan's targets.

use crate::store::Exec;

#[derive(sqlx::FromRow)]
pub struct FairFigures {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub event_date: String,
    pub participants: i64,
    pub placements: i64,
}

/// Every event dated within `from..=to` with its participants (merged registrations once) and
/// the people hired at it (採用, each once).
pub async fn figures_between(
    db: impl Exec<'_>,
    from: &str,
    to: &str,
) -> Result<Vec<FairFigures>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.title, e.kind, e.event_date,
            (SELECT COUNT(*) FROM participants p
             WHERE p.event_id = e.id AND (p.merged_into IS NULL
                 OR NOT EXISTS (SELECT 1 FROM participants r WHERE r.id = p.merged_into)))
                AS participants,
            (SELECT COUNT(DISTINCT COALESCE(p.merged_into, f.participant_id))
             FROM fair_outcomes f JOIN participants p ON p.id = f.participant_id
             WHERE f.event_id = e.id AND f.outcome = 'hired') AS placements
         FROM events e
         WHERE e.event_date BETWEEN $1 AND $2
         ORDER BY e.event_date, e.created_at_ms",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await
}

/// The business plan's target for one metric of a fiscal year, if set.
pub async fn target(
    db: impl Exec<'_>,
    fiscal_year: i32,
    metric: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT target FROM fiscal_year_targets WHERE fiscal_year = $1 AND metric = $2",
    )
    .bind(fiscal_year)
    .bind(metric)
    .fetch_optional(db)
    .await
}
