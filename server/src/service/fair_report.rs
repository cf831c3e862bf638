//! The fiscal-year fair report (面接会の実績) for the steering council: the fairs of a 年度 with
//! their participants and the people hired at them, totals over the joint interview fairs held,
//! and the business plan's targets. Read from the fairs' read tables (`participants`,
//! `fair_outcomes`), which the sync engine keeps equal to the records, deletions included.

use crate::store::Pool;
use app::domain::event;
use app::domain::validation::{FieldError, Problem};
use app::protocol::{FairReport, FairReportRow};

use super::ServiceError;
use crate::store;

/// The fairs of a fiscal year for the council report: each event's participants and the people
/// hired at it (placements attributed to the fair), totals over the joint interview fairs held
/// by `today`, and the plan's targets.
pub async fn of_year(
    db: &Pool,
    fiscal_year: i32,
    today: app::domain::date::CivilDate,
) -> Result<FairReport, ServiceError> {
    if !(event::FIRST_YEAR..=event::LAST_YEAR).contains(&fiscal_year) {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "fiscal_year",
            problem: Problem::NumberOutOfRange {
                min: event::FIRST_YEAR.into(),
                max: event::LAST_YEAR.into(),
            },
        }]));
    }
    let from = format!("{fiscal_year:04}-04-01");
    let to = format!("{:04}-03-31", fiscal_year + 1);
    let corrupt = |what: &str| sqlx::Error::Decode(format!("events.{what} is invalid").into());
    let mut fairs = Vec::new();
    for f in store::fair_report::figures_between(db, &from, &to).await? {
        fairs.push(FairReportRow {
            event_id: f.id.parse().map_err(|_| corrupt("id"))?,
            title: f.title,
            kind: event::EventKind::from_code(&f.kind).ok_or_else(|| corrupt("kind"))?,
            date: f.event_date.parse().map_err(|_| corrupt("event_date"))?,
            participants: f.participants as u64,
            placements: f.placements as u64,
        });
    }
    let held: Vec<&FairReportRow> = fairs
        .iter()
        .filter(|f| f.kind == event::EventKind::JointInterview && f.date <= today)
        .collect();
    let target = |metric| store::fair_report::target(db, fiscal_year, metric);
    Ok(FairReport {
        fiscal_year,
        fairs_held: held.len() as u64,
        participants: held.iter().map(|f| f.participants).sum(),
        placements: held.iter().map(|f| f.placements).sum(),
        target_fairs_held: target("fairs_held").await?,
        target_participants: target("fair_participants").await?,
        target_placements: target("fair_referral_placements").await?,
        fairs,
    })
}
