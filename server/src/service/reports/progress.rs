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

fn is_youth_fair(e: &EventLine) -> bool {
    e.kind == EventKind::JointInterview && e.target_group == TargetGroup::Youth
}

/// The events a metric counts: youth fairs for the youth row (and its participants and hires),
/// events of one kind for the 合同面接会・職場見学会・セミナー row — so a youth fair counts in both
/// rows (同時開催).
fn counts_event(metric: Metric, e: &EventLine) -> bool {
    match metric {
        Metric::YouthFairs | Metric::YouthFairParticipants | Metric::YouthFairPlacements => {
            is_youth_fair(e)
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
    let corrupt = |what: &str| sqlx::Error::Decode(format!("events.{what} is invalid").into());
    let (from, to) = (period.starts_on.to_string(), period.ends_on.to_string());
    let until = period.counted_until(as_of);
    let by_event = |rows: Vec<(String, i64, i64)>| {
        move |id: &str| {
            rows.iter()
                .find(|r| r.0 == id)
                .map_or((0, 0), |r| (r.1 as u32, r.2 as u32))
        }
    };
    let registered = by_event(count::registrations(&mut *conn, &from, &to).await?);
    let interviewed = by_event(count::interviews(&mut *conn, &from, &to).await?);
    let hires = count::hires(&mut *conn, &from, &to).await?;
    let mut events = Vec::new();
    for e in count::events(&mut *conn, &from, &to).await? {
        let date: CivilDate = e.event_date.parse().map_err(|_| corrupt("event_date"))?;
        let (registered, attended) = registered(&e.id);
        let (interviewed, offered) = interviewed(&e.id);
        let hired = hires
            .iter()
            .find(|h| h.event_id == e.id)
            .map_or(0, |h| h.n as u32);
        events.push(EventLine {
            event_id: e.id.parse().map_err(|_| corrupt("id"))?,
            title: e.title,
            kind: EventKind::from_code(&e.kind).ok_or_else(|| corrupt("kind"))?,
            target_group: TargetGroup::from_code(&e.target_group)
                .ok_or_else(|| corrupt("target_group"))?,
            date,
            held: date <= until,
            registered,
            attended,
            interviewed,
            offered,
            hired,
        });
    }
    let counts = count::placement_months(&mut *conn, &from, &until.to_string()).await?;
    let months = months_of(period, until)
        .into_iter()
        .map(|(year, month)| {
            let key = format!("{year:04}-{month:02}");
            let found = counts.iter().find(|c| c.month == key);
            MonthLine {
                year,
                month,
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

/// The months of `period` from its start to `until`'s month (none before it starts).
fn months_of(period: Period, until: CivilDate) -> Vec<(i32, u8)> {
    let mut out = Vec::new();
    let (mut y, mut m) = (period.starts_on.year(), period.starts_on.month());
    while until >= period.starts_on && (y, m) <= (until.year(), until.month()) {
        out.push((y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}
