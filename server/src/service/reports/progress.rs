//! The progress report: the plan's figures as of the end of a day in Japan, counted from the
//! records (placements, events, registrations, interviews) — never typed in. The rules are in
//! `docs/reports.md`; the arithmetic beside each figure is `app::domain::plan::Outlook`.

use app::domain::date::CivilDate;
use app::domain::event::{EventKind, TargetGroup};
use app::domain::plan::{FairCount, Metric, Outlook, Period};
use app::protocol::{EventLine, EventTally, Figure, MonthLine, Progress, YearResult};

use super::super::ServiceError;
use super::plans::{self, Plan};
use crate::store::reports::progress as count;
use crate::store::{Conn, Pool};

/// The report of `fiscal_year` as of the end of `as_of` (a day in Japan).
pub async fn progress(
    db: &Pool,
    fiscal_year: i32,
    as_of: CivilDate,
) -> Result<Progress, ServiceError> {
    super::check_year(fiscal_year)?;
    let mut conn = db.acquire().await?;
    let plan = plans::load(&mut conn, fiscal_year).await?;
    let year = counted(&mut conn, plan.period, as_of).await?;
    let outlooks = Metric::ALL
        .into_iter()
        .map(|m| {
            let fairs = year.fairs_of(m);
            Outlook::of(m, plan.target(m), year.actual(m), fairs, plan.period, as_of)
        })
        .collect();
    let previous = plans::load(&mut conn, fiscal_year - 1).await?;
    let previous = if previous.exists {
        let end = previous.period.ends_on;
        let last = counted(&mut conn, previous.period, end).await?;
        Some(last.result(fiscal_year - 1, &previous))
    } else {
        None
    };
    Ok(Progress {
        fiscal_year,
        period: plan.period,
        planned: plan.exists,
        as_of,
        outlooks,
        events: year.events,
        months: year.months,
        previous,
    })
}

/// What the records say about a period up to a day.
struct Counted {
    period: Period,
    events: Vec<EventLine>,
    months: Vec<MonthLine>,
}

/// The events a metric counts: youth fairs for the youth row (and its participants and hires),
/// events of one kind for the 合同面接会・職場見学会・セミナー row — so a youth fair counts in both
/// rows (同時開催).
fn counts_event(metric: Metric, e: &EventLine) -> bool {
    match metric {
        Metric::YouthFairs | Metric::YouthFairParticipants | Metric::YouthFairPlacements => {
            e.is_youth_fair()
        }
        Metric::JointInterviews => e.kind == EventKind::JointInterview,
        Metric::WorkplaceTours => e.kind == EventKind::WorkplaceTour,
        Metric::Seminars => e.kind == EventKind::Seminar,
        Metric::Placements | Metric::ReferralPlacements => false,
    }
}

impl Counted {
    fn fairs_of(&self, metric: Metric) -> FairCount {
        let of = |held: bool| {
            self.events
                .iter()
                .filter(|e| e.held == held && counts_event(metric, e))
                .count() as u32
        };
        FairCount {
            held: of(true),
            planned: of(false),
        }
    }

    fn actual(&self, metric: Metric) -> u32 {
        let held = self
            .events
            .iter()
            .filter(|e| e.held && counts_event(metric, e));
        match metric {
            Metric::Placements => self.months.iter().map(|m| m.placements).sum(),
            Metric::ReferralPlacements => self.months.iter().map(|m| m.referral).sum(),
            Metric::YouthFairParticipants => held.map(|e| e.attended).sum(),
            Metric::YouthFairPlacements => held.map(|e| e.hired).sum(),
            Metric::YouthFairs
            | Metric::JointInterviews
            | Metric::WorkplaceTours
            | Metric::Seminars => held.count() as u32,
        }
    }

    fn result(&self, fiscal_year: i32, plan: &Plan) -> YearResult {
        let mut events: Vec<EventTally> = Vec::new();
        for e in self.events.iter().filter(|e| e.held) {
            match events
                .iter_mut()
                .find(|t| t.kind == e.kind && t.target_group == e.target_group)
            {
                Some(t) => t.held += 1,
                None => events.push(EventTally {
                    kind: e.kind,
                    target_group: e.target_group,
                    held: 1,
                }),
            }
        }
        YearResult {
            fiscal_year,
            period: self.period,
            figures: Metric::ALL
                .into_iter()
                .map(|metric| Figure {
                    metric,
                    target: plan.target(metric),
                    actual: self.actual(metric),
                })
                .collect(),
            events,
        }
    }
}

async fn counted(
    conn: &mut Conn,
    period: Period,
    as_of: CivilDate,
) -> Result<Counted, ServiceError> {
    let (from, to) = (period.starts_on.to_string(), period.ends_on.to_string());
    let until = period.counted_until(as_of);
    let registered = count::registrations(&mut *conn, &from, &to).await?;
    let funnel = count::funnel(&mut *conn, &from, &to, &until.to_string()).await?;
    let today = super::super::today();
    let mut events = Vec::new();
    for e in count::events(&mut *conn, &from, &to).await? {
        let (registered, attended) = registered
            .iter()
            .find(|r| r.0 == e.id)
            .map_or((0, 0), |r| (r.1 as u32, r.2 as u32));
        let stage = |stages: &[&str]| {
            let mut who: Vec<&str> = funnel
                .iter()
                .filter(|f| f.event_id == e.id && stages.contains(&f.stage.as_str()))
                .map(|f| f.who.as_str())
                .collect();
            who.sort_unstable();
            who.dedup();
            who.len() as u32
        };
        let date = e.event_date.parse().map_err(|_| corrupt("event_date"))?;
        events.push(EventLine {
            event_id: e.id.parse().map_err(|_| corrupt("id"))?,
            kind: EventKind::from_code(&e.kind).ok_or_else(|| corrupt("kind"))?,
            target_group: TargetGroup::from_code(&e.target_group)
                .ok_or_else(|| corrupt("target_group"))?,
            title: e.title,
            date,
            // A fair on the report's day counts as held once people are there (today, before
            // it opens, it is still to come).
            held: date < until || (date == until && (until < today || attended > 0)),
            registered,
            attended,
            interviewed: stage(&["interviewed", "offered", "hired"]),
            offered: stage(&["offered", "hired"]),
            hired: stage(&["hired"]),
        });
    }
    let counts = count::placement_months(&mut *conn, &from, &until.to_string()).await?;
    let months = period
        .months()
        .into_iter()
        .filter(|m| until >= period.starts_on && *m <= until)
        .map(|m| {
            let key = format!("{:04}-{:02}", m.year(), m.month());
            let found = counts.iter().find(|c| c.month == key);
            MonthLine {
                year: m.year(),
                month: m.month(),
                placements: found.map_or(0, |c| c.placements as u32),
                referral: found.map_or(0, |c| c.referral as u32),
            }
        })
        .collect();
    Ok(Counted {
        period,
        events,
        months,
    })
}

fn corrupt(what: &str) -> ServiceError {
    ServiceError::Store(sqlx::Error::Decode(
        format!("events.{what} is invalid").into(),
    ))
}
