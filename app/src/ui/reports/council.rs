//! The report to the steering council (運営協議会), printable on A4 and laid out like the
//! corner's own: 事業 | 事業目標 | 取組状況（…末時点）, placements as 「83人（57人）」, a line per
//! youth fair held (「7月25日 31人 5人」), the fairs still planned, and the previous year's
//! targets and results for reference — all from the same progress report as the dashboard.

use leptos::prelude::*;
use leptos_meta::Title;

use super::super::events::error_text;
use super::super::lang::use_catalog;
use super::requests::RequestTable;
use super::{ShowForm, use_shown, with_referral};
use crate::client;
use crate::domain::event::{EventKind, TargetGroup};
use crate::domain::plan::{Metric, Program};
use crate::i18n::Catalog;
use crate::protocol::{CouncilReport, EventLine, Progress, RequestView, StoryLine, YearResult};

#[component]
pub fn CouncilReportPage() -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let shown = use_shown();
    let report = LocalResource::new(move || {
        let s = shown.get();
        let url = format!(
            "/api/v1/reports/council?fiscal_year={}&as_of={}",
            s.fiscal_year, s.as_of
        );
        async move { client::get_json::<CouncilReport>(&url).await }
    });
    view! {
        <Title text=c.reports.council_report />
        <div class="no-print">
            <p><a href=move || format!("/reports?fiscal_year={}&as_of={}", shown.get().fiscal_year, shown.get().as_of)>"← " {c.nav_reports}</a></p>
            <ShowForm shown path="/reports/council" />
            <p><button type="button" class="button" on:click=|_| print()>{c.reports.council_print}</button></p>
        </div>
        <Transition fallback=move || view! { <p class="muted">{c.loading}</p> }>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{error_text(c, &e)}</p> }.into_any(),
                Ok(r) => view! { <CouncilDocument report=r /> }.into_any(),
            })}
        </Transition>
    }
}

pub(super) fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Fills `{n}`, `{r}` and the other placeholders of a template.
fn fill(template: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(template.to_owned(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

fn n(v: Option<u32>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

/// The report as the council reads it: the plan's rows, then the requests, then the stories.
#[component]
pub fn CouncilDocument(report: CouncilReport) -> impl IntoView {
    let CouncilReport {
        progress: report,
        requests,
        stories,
    } = report;
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let year = c.fiscal_year_heading(report.fiscal_year);
    let goal_heading = fill(w.goal_heading, &[("year", year.clone())]);
    let status_heading = fill(w.status_heading, &[("as_of", c.as_of_words(report.as_of))]);
    let rows = Program::ALL
        .into_iter()
        .map(|program| {
            let (goal, status) = lines(c, &report, program);
            let (goal_ref, status_ref) = reference(c, report.previous.as_ref(), program);
            view! {
                <tr data-program=program.code()>
                    <th scope="row">{w.program(program)}</th>
                    <td>{paragraphs(goal)}{paragraphs(goal_ref)}</td>
                    <td>{paragraphs(status)}{paragraphs(status_ref)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="council-report" data-testid="council-report">
            <header>
                <h1>{w.report_title}</h1>
                <p>{year.clone()} "　" {c.as_of_words(report.as_of)}</p>
            </header>
            <table class="council">
                <colgroup><col class="c-program" /><col class="c-goal" /><col class="c-status" /></colgroup>
                <thead><tr>
                    <th scope="col">{w.col_program}</th>
                    <th scope="col">{goal_heading}</th>
                    <th scope="col">{status_heading}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <Requests requests />
            <Stories stories />
        </article>
    }
}

/// Lines as paragraphs; a line starting with 「（参考）」 or "For reference" is set apart.
fn paragraphs(lines: Vec<String>) -> impl IntoView {
    lines
        .into_iter()
        .map(|l| view! { <p>{l}</p> })
        .collect_view()
}

fn target_of(report: &Progress, m: Metric) -> Option<u32> {
    report
        .outlooks
        .iter()
        .find(|o| o.metric == m)
        .and_then(|o| o.target)
}

fn actual_of(report: &Progress, m: Metric) -> u32 {
    report
        .outlooks
        .iter()
        .find(|o| o.metric == m)
        .map_or(0, |o| o.actual)
}

fn is_youth(e: &EventLine) -> bool {
    e.kind == EventKind::JointInterview && e.target_group == TargetGroup::Youth
}

/// The year's goal and status lines of one row.
fn lines(c: &Catalog, report: &Progress, program: Program) -> (Vec<String>, Vec<String>) {
    let w = c.reports;
    let target = |m| target_of(report, m);
    let actual = |m| actual_of(report, m);
    match program {
        Program::JobSupport => (
            vec![fill(
                w.goal_placements,
                &[
                    ("n", n(target(Metric::Placements))),
                    ("r", n(target(Metric::ReferralPlacements))),
                ],
            )],
            vec![
                format!("◇{}", w.placements_status),
                with_referral(
                    c,
                    actual(Metric::Placements),
                    actual(Metric::ReferralPlacements),
                ),
            ],
        ),
        Program::YouthFairs => {
            let mut goal = vec![fill(w.goal_fairs, &[("n", n(target(Metric::YouthFairs)))])];
            goal.push(fill(
                w.goal_participants,
                &[("n", n(target(Metric::YouthFairParticipants)))],
            ));
            goal.push(fill(
                w.goal_fair_placements,
                &[("n", n(target(Metric::YouthFairPlacements)))],
            ));
            let mut status = vec![w.fair_status_head.to_owned()];
            let youth = report.events.iter().filter(|e| is_youth(e));
            for e in youth.clone().filter(|e| e.held) {
                status.push(format!(
                    "◇{}　{}　{}",
                    c.month_day(e.date),
                    c.count_words(Metric::YouthFairParticipants, e.attended),
                    c.count_words(Metric::YouthFairPlacements, e.hired)
                ));
            }
            status.extend(planned_line(c, youth.filter(|e| !e.held).collect()));
            (goal, status)
        }
        Program::Events => {
            let kinds = [
                (EventKind::JointInterview, Metric::JointInterviews),
                (EventKind::WorkplaceTour, Metric::WorkplaceTours),
                (EventKind::Seminar, Metric::Seminars),
            ];
            let targets: Vec<Option<u32>> = kinds.iter().map(|(_, m)| target(*m)).collect();
            let goal = if targets.iter().all(|t| t.is_some() && *t == targets[0]) {
                vec![fill(w.goal_events_each, &[("n", n(targets[0]))])]
            } else {
                kinds
                    .iter()
                    .filter_map(|(k, m)| {
                        target(*m).map(|t| {
                            fill(
                                w.goal_event,
                                &[("kind", c.event_kind(*k).into()), ("n", t.to_string())],
                            )
                        })
                    })
                    .collect()
            };
            let mut status = Vec::new();
            for (kind, metric) in kinds {
                let mut line = fill(
                    w.result_event,
                    &[
                        ("kind", c.event_kind(kind).into()),
                        ("n", actual(metric).to_string()),
                    ],
                );
                let joint = report
                    .events
                    .iter()
                    .filter(|e| e.held && is_youth(e))
                    .count();
                if kind == EventKind::JointInterview && joint > 0 {
                    line.push_str(&fill(w.with_youth, &[("n", joint.to_string())]));
                }
                status.push(line);
            }
            let planned = report
                .events
                .iter()
                .filter(|e| !e.held && !is_youth(e))
                .collect();
            status.extend(planned_line(c, planned));
            (goal, status)
        }
    }
}

/// 「※11月、2月にも開催予定」 for the events still to come.
fn planned_line(c: &Catalog, planned: Vec<&EventLine>) -> Option<String> {
    let w = c.reports;
    let mut months: Vec<String> = Vec::new();
    for e in planned {
        let m = c.month_short(e.date);
        if !months.contains(&m) {
            months.push(m);
        }
    }
    (!months.is_empty()).then(|| fill(w.also_planned_in, &[("months", months.join(w.list_sep))]))
}

/// The previous year's targets and results of one row (参考).
fn reference(
    c: &Catalog,
    previous: Option<&YearResult>,
    program: Program,
) -> (Vec<String>, Vec<String>) {
    let w = c.reports;
    let Some(p) = previous else {
        return (Vec::new(), Vec::new());
    };
    let pairs = [
        ("year", c.fiscal_year_heading(p.fiscal_year)),
        ("period", c.period_words(p.period)),
    ];
    let target = |m: Metric| {
        p.figures
            .iter()
            .find(|f| f.metric == m)
            .and_then(|f| f.target)
    };
    let actual = |m: Metric| {
        p.figures
            .iter()
            .find(|f| f.metric == m)
            .map_or(0, |f| f.actual)
    };
    let mut goal = vec![fill(w.reference_goal, &pairs)];
    let mut status = vec![fill(w.reference_result, &pairs)];
    match program {
        Program::JobSupport => {
            goal.push(fill(
                w.goal_placements,
                &[
                    ("n", n(target(Metric::Placements))),
                    ("r", n(target(Metric::ReferralPlacements))),
                ],
            ));
            status.push(fill(
                w.result_placements,
                &[
                    ("n", actual(Metric::Placements).to_string()),
                    ("r", actual(Metric::ReferralPlacements).to_string()),
                ],
            ));
        }
        Program::YouthFairs => {
            goal.push(fill(
                w.result_fairs,
                &[("n", n(target(Metric::YouthFairs)))],
            ));
            goal.push(
                fill(
                    w.goal_participants,
                    &[("n", n(target(Metric::YouthFairParticipants)))],
                ) + &fill(
                    w.goal_fair_placements,
                    &[("n", n(target(Metric::YouthFairPlacements)))],
                ),
            );
            status.push(fill(
                w.result_fairs,
                &[("n", actual(Metric::YouthFairs).to_string())],
            ));
            status.push(fill(
                w.result_fair_figures,
                &[
                    ("n", actual(Metric::YouthFairParticipants).to_string()),
                    ("r", actual(Metric::YouthFairPlacements).to_string()),
                ],
            ));
        }
        Program::Events => {
            let each = target(Metric::JointInterviews);
            goal.push(fill(w.goal_events_each, &[("n", n(each))]));
            for t in &p.events {
                status.push(fill(
                    w.tally,
                    &[
                        ("group", c.target_group(t.target_group).into()),
                        ("kind", c.event_kind(t.kind).into()),
                        ("n", t.held.to_string()),
                    ],
                ));
            }
        }
    }
    (goal, status)
}

/// The requests under the agreement, overdue ones marked.
#[component]
fn Requests(requests: Vec<RequestView>) -> impl IntoView {
    let t = use_catalog();
    let w = t.get().reports;
    view! {
        <section class="council-section" aria-labelledby="council-requests">
            <h2 id="council-requests">{w.requests_title}</h2>
            {if requests.is_empty() {
                view! { <p class="muted">{w.requests_none}</p> }.into_any()
            } else {
                view! { <RequestTable requests on_edit=None /> }.into_any()
            }}
        </section>
    }
}

/// The approved success stories, anonymised (sex, age band, household; no names or places).
#[component]
fn Stories(stories: Vec<StoryLine>) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let s = c.story;
    view! {
        <section class="council-section" aria-labelledby="council-stories">
            <h2 id="council-stories">{c.reports.stories_title}</h2>
            {if stories.is_empty() {
                view! { <p class="muted">{c.reports.stories_none}</p> }.into_any()
            } else {
                stories.into_iter().map(|story| {
                    let age = s.age_band_value.replace("{n}", &story.age_band);
                    let profile = [s.sex(&story.sex).to_owned(), age, story.household.clone()]
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join("・");
                    view! {
                        <article class="council-story">
                            <h3>{profile}</h3>
                            <dl>
                                <dt>{s.challenges}</dt><dd>{story.challenges}</dd>
                                <dt>{s.support}</dt><dd>{story.support}</dd>
                                <dt>{s.result}</dt><dd>{story.result}</dd>
                                {(!story.remarks.is_empty()).then(|| view! { <dt>{s.remarks}</dt><dd>{story.remarks}</dd> })}
                            </dl>
                        </article>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}
