//! The business plan per fiscal year: read with its history, saved by managers (each change
//! kept with who made it and when, and audited).

use app::domain::date::CivilDate;
use app::domain::plan::{self, Metric, Period, PlanDraft};
use app::protocol::{Figure, PlanChange, PlanView, SavePlan};

use super::super::ServiceError;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor};
use crate::store::reports::plans::{self as rows, Change};
use crate::store::{Conn, Pool};

/// A year's plan as the reports count with it: its period and targets (none without a plan).
pub struct Plan {
    pub exists: bool,
    pub period: Period,
    pub targets: Vec<(Metric, u32)>,
}

impl Plan {
    pub fn target(&self, metric: Metric) -> Option<u32> {
        self.targets
            .iter()
            .find_map(|(m, t)| (*m == metric).then_some(*t))
    }
}

pub async fn load(db: &mut Conn, fiscal_year: i32) -> Result<Plan, ServiceError> {
    let corrupt = |what: &str| sqlx::Error::Decode(format!("plans.{what} is invalid").into());
    let Some(row) = rows::plan(db, fiscal_year).await? else {
        return Ok(Plan {
            exists: false,
            period: Period::fiscal_year(fiscal_year),
            targets: Vec::new(),
        });
    };
    let starts_on: CivilDate = row.starts_on.parse().map_err(|_| corrupt("starts_on"))?;
    let mut targets = Vec::new();
    for (code, target) in row.targets {
        let metric = Metric::from_code(&code).ok_or_else(|| corrupt("metric"))?;
        targets.push((
            metric,
            u32::try_from(target).map_err(|_| corrupt("target"))?,
        ));
    }
    Ok(Plan {
        exists: true,
        period: Period::from(fiscal_year, starts_on),
        targets,
    })
}

pub async fn view(db: &Pool, fiscal_year: i32) -> Result<PlanView, ServiceError> {
    super::check_year(fiscal_year)?;
    let mut conn = db.acquire().await?;
    let plan = load(&mut conn, fiscal_year).await?;
    let history = rows::history(&mut conn, fiscal_year)
        .await?
        .into_iter()
        .map(|c| PlanChange {
            at_ms: c.changed_at_ms,
            by: c.display_name,
            field: c.field,
            before: c.before_value,
            after: c.after_value,
        })
        .collect();
    Ok(PlanView {
        fiscal_year,
        period: plan.period,
        exists: plan.exists,
        targets: Metric::ALL
            .into_iter()
            .map(|metric| Figure {
                metric,
                target: plan.target(metric),
                actual: 0,
            })
            .collect(),
        history,
    })
}

/// Saves what a manager typed: the first day and the targets named (others unchanged). Only
/// what changed is written and kept in the history; nothing changed writes nothing.
pub async fn save(
    state: &AppState,
    manager: &StaffActor,
    fiscal_year: i32,
    request: &SavePlan,
) -> Result<PlanView, ServiceError> {
    let new =
        plan::validate(fiscal_year, &PlanDraft::from(request)).map_err(ServiceError::Invalid)?;
    let now = crate::store::now_ms();
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        let old = load(&mut tx, fiscal_year).await?;
        let mut changes = Vec::new();
        if !old.exists || old.period != new.period {
            changes.push(Change {
                field: "starts_on",
                before: old.exists.then(|| old.period.starts_on.to_string()),
                after: Some(new.period.starts_on.to_string()),
            });
        }
        for (metric, target) in &new.targets {
            if old.target(*metric) != *target {
                changes.push(Change {
                    field: metric.code(),
                    before: old.target(*metric).map(|t| t.to_string()),
                    after: target.map(|t| t.to_string()),
                });
            }
        }
        if !changes.is_empty() {
            let starts_on = new.period.starts_on.to_string();
            rows::put_plan(&mut *tx, fiscal_year, &starts_on, now).await?;
            for (metric, target) in &new.targets {
                rows::put_target(&mut tx, fiscal_year, metric.code(), target.map(i64::from))
                    .await?;
            }
            let actor = Actor::Staff(manager.clone());
            let mut entries = Vec::new();
            for change in &changes {
                rows::add_change(&mut tx, fiscal_year, change, &manager.id.to_string(), now)
                    .await?;
                let detail = format!(
                    "{}: {} -> {}",
                    change.field,
                    change.before.as_deref().unwrap_or("-"),
                    change.after.as_deref().unwrap_or("-")
                );
                entries.push(
                    Entry::new(Some(&actor), "plan_update", "plan")
                        .subject(fiscal_year)
                        .detail(detail),
                );
            }
            audit::append(&mut tx, &entries).await?;
            tx.commit().await?;
        }
    }
    view(&state.db, fiscal_year).await
}
