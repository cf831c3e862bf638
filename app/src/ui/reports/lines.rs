//! The council report's sentences, row by row, as the corner writes them: 「◇102人以上の就職
//! （うち74人以上が紹介就職）」, 「83人（57人）」, 「◇7月25日　31人　5人」, 「※11月、2月にも開催予定」,
//! and the previous year's targets and results (参考). A line without its figure is left out
//! (no 「—回」).

use super::with_referral;
use crate::domain::event::EventKind;
use crate::domain::plan::{Metric, Program};
use crate::i18n::Catalog;
use crate::protocol::{EventLine, Progress, YearResult};

/// Fills `{n}`, `{r}` and the other placeholders of a template.
pub(super) fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(template.to_owned(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

/// The targets and actuals of one year, by metric.
struct Figures(Vec<(Metric, Option<u32>, u32)>);

impl Figures {
    fn of_progress(p: &Progress) -> Self {
        Self(
            p.outlooks
                .iter()
                .map(|o| (o.metric, o.target, o.actual))
                .collect(),
        )
    }

    fn of_year(y: &YearResult) -> Self {
        Self(
            y.figures
                .iter()
                .map(|f| (f.metric, f.target, f.actual))
                .collect(),
        )
    }

    fn target(&self, m: Metric) -> Option<u32> {
        self.0.iter().find(|f| f.0 == m).and_then(|f| f.1)
    }

    fn actual(&self, m: Metric) -> u32 {
        self.0.iter().find(|f| f.0 == m).map_or(0, |f| f.2)
    }
}

/// One row: [the year's goal, its status, the previous year's goal, its result].
pub(super) fn row(c: &Catalog, report: &Progress, program: Program) -> [Vec<String>; 4] {
    let now = Figures::of_progress(report);
    let (goal_ref, status_ref) = match &report.previous {
        Some(p) => reference(c, p, program),
        None => (Vec::new(), Vec::new()),
    };
    [
        goal(c, &now, program, true),
        status(c, report, &now, program),
        goal_ref,
        status_ref,
    ]
}

fn one(template: &str, n: Option<u32>) -> Option<String> {
    n.map(|n| fill(template, &[("n", n.to_string())]))
}

fn two(template: &str, n: Option<u32>, r: Option<u32>) -> Option<String> {
    n.zip(r)
        .map(|(n, r)| fill(template, &[("n", n.to_string()), ("r", r.to_string())]))
}

/// The targets of a row; `planned` for the year in progress (「…予定」).
fn goal(c: &Catalog, f: &Figures, program: Program, planned: bool) -> Vec<String> {
    let w = c.reports;
    let t = |m| f.target(m);
    match program {
        Program::JobSupport => two(
            w.goal_placements,
            t(Metric::Placements),
            t(Metric::ReferralPlacements),
        )
        .into_iter()
        .collect(),
        Program::YouthFairs if planned => [
            one(w.goal_fairs, t(Metric::YouthFairs)),
            one(w.goal_participants, t(Metric::YouthFairParticipants)),
            one(w.goal_fair_placements, t(Metric::YouthFairPlacements)),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Program::YouthFairs => [
            one(w.result_fairs, t(Metric::YouthFairs)),
            two(
                w.goal_fair_figures,
                t(Metric::YouthFairParticipants),
                t(Metric::YouthFairPlacements),
            ),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Program::Events => events_goal(c, f),
    }
}

const KINDS: [(EventKind, Metric); 3] = [
    (EventKind::JointInterview, Metric::JointInterviews),
    (EventKind::WorkplaceTour, Metric::WorkplaceTours),
    (EventKind::Seminar, Metric::Seminars),
];

/// 「合同面接会、職場見学会、セミナーをそれぞれ1回以上」 when the three targets are the same, else one
/// line per kind with a target.
fn events_goal(c: &Catalog, f: &Figures) -> Vec<String> {
    let w = c.reports;
    let targets: Vec<Option<u32>> = KINDS.iter().map(|(_, m)| f.target(*m)).collect();
    if targets[0].is_some() && targets.iter().all(|t| *t == targets[0]) {
        return one(w.goal_events_each, targets[0]).into_iter().collect();
    }
    KINDS
        .iter()
        .filter_map(|(k, m)| {
            f.target(*m).map(|t| {
                fill(
                    w.goal_event,
                    &[("kind", c.event_kind(*k).into()), ("n", t.to_string())],
                )
            })
        })
        .collect()
}

/// Where the year stands, as of the report's day.
fn status(c: &Catalog, report: &Progress, f: &Figures, program: Program) -> Vec<String> {
    let w = c.reports;
    match program {
        Program::JobSupport => vec![
            format!("◇{}", w.placements_status),
            with_referral(
                c,
                f.actual(Metric::Placements),
                f.actual(Metric::ReferralPlacements),
            ),
        ],
        Program::YouthFairs => {
            let youth: Vec<&EventLine> =
                report.events.iter().filter(|e| e.is_youth_fair()).collect();
            let mut lines = vec![w.fair_status_head.to_owned()];
            lines.extend(youth.iter().filter(|e| e.held).map(|e| {
                format!(
                    "◇{}　{}　{}",
                    c.month_day(e.date),
                    c.count_words(Metric::YouthFairParticipants, e.attended),
                    c.count_words(Metric::YouthFairPlacements, e.hired)
                )
            }));
            lines.extend(planned(c, youth.into_iter().filter(|e| !e.held)));
            lines
        }
        Program::Events => {
            let youth = report
                .events
                .iter()
                .filter(|e| e.held && e.is_youth_fair())
                .count();
            let mut lines: Vec<String> = KINDS
                .iter()
                .map(|(kind, metric)| {
                    let mut line = fill(
                        w.result_event,
                        &[
                            ("kind", c.event_kind(*kind).into()),
                            ("n", f.actual(*metric).to_string()),
                        ],
                    );
                    if *kind == EventKind::JointInterview && youth > 0 {
                        line.push_str(&fill(w.with_youth, &[("n", youth.to_string())]));
                    }
                    line
                })
                .collect();
            lines.extend(planned(c, report.events.iter().filter(|e| !e.held)));
            lines
        }
    }
}

/// 「※11月、2月にも開催予定」 for the events still to come.
fn planned<'a>(c: &Catalog, events: impl Iterator<Item = &'a EventLine>) -> Option<String> {
    let w = c.reports;
    let mut months: Vec<String> = Vec::new();
    for e in events {
        let m = c.month_short(e.date);
        if !months.contains(&m) {
            months.push(m);
        }
    }
    (!months.is_empty()).then(|| fill(w.also_planned_in, &[("months", months.join(w.list_sep))]))
}

/// The previous year's targets and results of one row (参考), headed with its period (a
/// partial first year shows its months).
fn reference(c: &Catalog, p: &YearResult, program: Program) -> (Vec<String>, Vec<String>) {
    let w = c.reports;
    let f = Figures::of_year(p);
    let pairs = [
        ("year", c.fiscal_year_heading(p.fiscal_year)),
        ("period", c.period_words(p.period)),
    ];
    let mut goal_lines = vec![fill(w.reference_goal, &pairs)];
    goal_lines.extend(goal(c, &f, program, false));
    let mut result = vec![fill(w.reference_result, &pairs)];
    match program {
        Program::JobSupport => result.extend(two(
            w.result_placements,
            Some(f.actual(Metric::Placements)),
            Some(f.actual(Metric::ReferralPlacements)),
        )),
        Program::YouthFairs => {
            result.extend(one(w.result_fairs, Some(f.actual(Metric::YouthFairs))));
            result.extend(two(
                w.result_fair_figures,
                Some(f.actual(Metric::YouthFairParticipants)),
                Some(f.actual(Metric::YouthFairPlacements)),
            ));
        }
        Program::Events => result.extend(p.events.iter().map(|t| {
            fill(
                w.tally,
                &[
                    ("group", c.target_group(t.target_group).into()),
                    ("kind", c.event_kind(t.kind).into()),
                    ("n", t.held.to_string()),
                ],
            )
        })),
    }
    (goal_lines, result)
}
