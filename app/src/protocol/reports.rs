//! Wire types of the business plan, the progress report and the steering council.

use serde::{Deserialize, Serialize};

use crate::domain::date::CivilDate;
use crate::domain::event::{EventKind, TargetGroup};
use crate::domain::ids::EventId;
use crate::domain::plan::{Metric, Outlook, Period};

/// `GET /api/v1/reports/progress?fiscal_year=2012&as_of=2012-09-30`: the plan's figures as of
/// the end of a day in Japan, computed from the records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Progress {
    pub fiscal_year: i32,
    pub period: Period,
    /// A plan has been entered for the year (else targets are absent and the period is April
    /// to March).
    pub planned: bool,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub as_of: CivilDate,
    /// One per metric, in the report's order.
    pub outlooks: Vec<Outlook>,
    /// The events of the period, held (on or before `as_of`) and still planned.
    pub events: Vec<EventLine>,
    /// Placements per month of the period, up to `as_of`.
    pub months: Vec<MonthLine>,
    /// The previous fiscal year's targets and results (参考), when it had a plan.
    pub previous: Option<YearResult>,
}

/// One event with its funnel: each figure counts people (merged registrations once), and each
/// stage includes the later ones (a person hired was also interviewed and offered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventLine {
    pub event_id: EventId,
    pub title: String,
    pub kind: EventKind,
    pub target_group: TargetGroup,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub date: CivilDate,
    /// Held on or before the report's day (else planned).
    pub held: bool,
    /// Registered (申込・受付).
    pub registered: u32,
    /// Attended (参加: checked in at the fair).
    pub attended: u32,
    /// Interviewed by at least one employer.
    pub interviewed: u32,
    /// Offered a job (内定), hired ones included.
    pub offered: u32,
    /// Hired (採用): at the fair on a tablet or recorded in a case as a placement at this fair,
    /// each person once.
    pub hired: u32,
}

impl EventLine {
    /// A joint interview fair for young people (若年者面接会): the youth row counts these.
    pub fn is_youth_fair(&self) -> bool {
        self.kind == EventKind::JointInterview && self.target_group == TargetGroup::Youth
    }
}

/// Placements started in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthLine {
    pub year: i32,
    pub month: u8,
    pub placements: u32,
    /// Of those, by referral (紹介就職).
    pub referral: u32,
}

/// A whole year's targets and results, for the 参考 block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct YearResult {
    pub fiscal_year: i32,
    pub period: Period,
    pub figures: Vec<Figure>,
    /// Events held that year by kind and group, for 「若年者就労面接会 計3回開催」.
    pub events: Vec<EventTally>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figure {
    pub metric: Metric,
    pub target: Option<u32>,
    pub actual: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventTally {
    pub kind: EventKind,
    pub target_group: TargetGroup,
    pub held: u32,
}

/// `GET /api/v1/plans/{fiscal_year}`: the year's plan and every change made to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanView {
    pub fiscal_year: i32,
    pub period: Period,
    /// A plan has been entered for the year.
    pub exists: bool,
    /// Every metric, with its target when one is set.
    pub targets: Vec<Figure>,
    /// Newest first.
    pub history: Vec<PlanChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanChange {
    pub at_ms: i64,
    pub by: String,
    /// A metric code or `starts_on`.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// `POST /api/v1/plans/{fiscal_year}`: the plan as typed (targets as text so a wrong one comes
/// back naming its metric). Metrics left out keep their target; an empty one removes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SavePlan {
    /// 1 April when empty; the opening day of a partial first year (和暦 or western).
    pub starts_on: String,
    pub targets: Vec<TargetInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TargetInput {
    pub metric: String,
    pub target: String,
}

impl From<&SavePlan> for crate::domain::plan::PlanDraft {
    fn from(p: &SavePlan) -> Self {
        Self {
            starts_on: p.starts_on.clone(),
            targets: p
                .targets
                .iter()
                .map(|t| (t.metric.clone(), t.target.clone()))
                .collect(),
        }
    }
}
