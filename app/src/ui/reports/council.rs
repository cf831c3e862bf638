//! The report to the steering council (運営協議会), printable on A4 and laid out like the
//! corner's own: 事業 | 事業目標 | 取組状況（…末時点）, placements as 「83人（57人）」, a line per
//! youth fair held (「7月25日 31人 5人」), the fairs still planned, and the previous year's
//! targets and results for reference — all from the same progress report as the dashboard.

use leptos::prelude::*;
use leptos_meta::Title;

use super::super::events::error_text;
use super::super::lang::use_catalog;
use super::lines::{self, fill};
use super::requests::RequestTable;
use super::{ShowForm, use_shown};
use crate::client;
use crate::domain::plan::Program;
use crate::protocol::{CouncilReport, RequestView, StoryLine};

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
            <p><button type="button" class="secondary" on:click=|_| print()>{c.reports.council_print}</button></p>
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
    #[cfg(feature = "browser")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
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
    let counted_to = report.period.counted_until(report.as_of);
    let status_heading = fill(w.status_heading, &[("as_of", c.as_of_words(counted_to))]);
    let rows = Program::ALL
        .into_iter()
        .map(|program| {
            let [goal, status, goal_ref, status_ref] = lines::row(c, &report, program);
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
                <p>{year.clone()} "　" {c.as_of_words(counted_to)}</p>
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
