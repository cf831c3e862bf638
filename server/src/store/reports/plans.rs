//! Rows of the business plan: `plans` (a fiscal year's first day), `plan_targets` and the
//! history of changes, `plan_changes`.

use crate::store::{Conn, Exec};

/// A year's plan as stored: its first day and its targets (metric code, target).
pub struct PlanRow {
    pub starts_on: String,
    pub targets: Vec<(String, i64)>,
}

pub async fn plan(db: &mut Conn, fiscal_year: i32) -> Result<Option<PlanRow>, sqlx::Error> {
    let starts_on: Option<String> =
        sqlx::query_scalar("SELECT starts_on FROM plans WHERE fiscal_year = $1")
            .bind(i64::from(fiscal_year))
            .fetch_optional(&mut *db)
            .await?;
    let Some(starts_on) = starts_on else {
        return Ok(None);
    };
    let targets = sqlx::query_as(
        "SELECT metric, target FROM plan_targets WHERE fiscal_year = $1 ORDER BY metric",
    )
    .bind(i64::from(fiscal_year))
    .fetch_all(&mut *db)
    .await?;
    Ok(Some(PlanRow { starts_on, targets }))
}

/// Creates the year's plan row or moves its first day.
pub async fn put_plan(
    db: impl Exec<'_>,
    fiscal_year: i32,
    starts_on: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plans (fiscal_year, starts_on, updated_at_ms) VALUES ($1, $2, $3)
         ON CONFLICT (fiscal_year) DO UPDATE
             SET starts_on = excluded.starts_on, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(i64::from(fiscal_year))
    .bind(starts_on)
    .bind(now_ms)
    .execute(db)
    .await
    .map(|_| ())
}

/// Sets (or, with `None`, removes) one target.
pub async fn put_target(
    db: &mut Conn,
    fiscal_year: i32,
    metric: &str,
    target: Option<i64>,
) -> Result<(), sqlx::Error> {
    match target {
        Some(target) => sqlx::query(
            "INSERT INTO plan_targets (fiscal_year, metric, target) VALUES ($1, $2, $3)
             ON CONFLICT (fiscal_year, metric) DO UPDATE SET target = excluded.target",
        )
        .bind(i64::from(fiscal_year))
        .bind(metric)
        .bind(target),
        None => sqlx::query("DELETE FROM plan_targets WHERE fiscal_year = $1 AND metric = $2")
            .bind(i64::from(fiscal_year))
            .bind(metric),
    }
    .execute(&mut *db)
    .await
    .map(|_| ())
}

/// One change to a plan, as kept.
pub struct Change<'a> {
    pub field: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub async fn add_change(
    db: &mut Conn,
    fiscal_year: i32,
    change: &Change<'_>,
    by_staff: &str,
    at_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plan_changes
             (fiscal_year, field, before_value, after_value, changed_by, changed_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(i64::from(fiscal_year))
    .bind(change.field)
    .bind(change.before.as_deref())
    .bind(change.after.as_deref())
    .bind(by_staff)
    .bind(at_ms)
    .execute(&mut *db)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub struct ChangeRow {
    pub changed_at_ms: i64,
    pub display_name: String,
    pub field: String,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
}

/// The year's changes, newest first, with the name of who made each.
pub async fn history(db: &mut Conn, fiscal_year: i32) -> Result<Vec<ChangeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.changed_at_ms, s.display_name, c.field, c.before_value, c.after_value
         FROM plan_changes c JOIN staff s ON s.id = c.changed_by
         WHERE c.fiscal_year = $1 ORDER BY c.seq DESC",
    )
    .bind(i64::from(fiscal_year))
    .fetch_all(&mut *db)
    .await
}
