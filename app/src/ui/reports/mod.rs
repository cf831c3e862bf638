//! 実績・報告: the year's progress against the business plan as of a day (figures that say
//! what they count, charts with their numbers in tables), the council report to print, and
//! the plan's targets with their history. Every figure comes from `GET /api/v1/reports/progress`,
//! so a card, its table, the printed report and the CSV always agree.

mod charts;
mod council;
mod lines;
mod meetings;
mod plan;
mod requests;

pub use council::CouncilReportPage;
pub use meetings::{MeetingPage, MeetingsPage};
pub use plan::PlanPage;
pub use requests::RequestsPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::events::error_text;
use super::lang::use_catalog;
use crate::client::{self, ClientError, today};
use crate::domain::date::CivilDate;
use crate::domain::plan::{Metric, Outlook, Program};
use crate::domain::validation::{FieldError, Problem};
use crate::domain::wareki::parse_date_input;
use crate::i18n::Catalog;
use crate::protocol::{EventLine, Progress};

/// The fiscal year and day a report page shows, from its address (`?fiscal_year=&as_of=`):
/// today in Japan and its year by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub fiscal_year: i32,
    pub as_of: CivilDate,
}

impl Shown {
    fn query(self) -> String {
        format!("fiscal_year={}&as_of={}", self.fiscal_year, self.as_of)
    }
}

/// What the address asks to show.
pub(super) fn use_shown() -> Memo<Shown> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            let as_of = q
                .get("as_of")
                .and_then(|s| s.parse::<CivilDate>().ok())
                .unwrap_or_else(today);
            let fiscal_year = q
                .get("fiscal_year")
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| as_of.fiscal_year());
            Shown { fiscal_year, as_of }
        })
    })
}

/// The progress report for what the address shows.
pub(super) fn use_progress(shown: Memo<Shown>) -> LocalResource<Result<Progress, ClientError>> {
    LocalResource::new(move || {
        let query = shown.get().query();
        async move { client::get_json::<Progress>(&format!("/api/v1/reports/progress?{query}")).await }
    })
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let shown = use_shown();
    let report = use_progress(shown);
    view! {
        <Title text=c.nav_reports />
        <h1>{c.nav_reports}</h1>
        <p class="lead">{c.area_reports_desc}</p>
        <ShowForm shown path="/reports" />
        <nav class="report-links no-print" aria-label=c.nav_reports>
            <a href=move || format!("/reports/council?{}", shown.get().query())>{c.reports.council_report}</a>
            <a href=move || format!("/reports/plan?fiscal_year={}", shown.get().fiscal_year)>{c.reports.plan_title}</a>
            <a href="/reports/requests">{c.reports.requests_title}</a>
            <a href="/reports/meetings">{c.reports.meetings_title}</a>
            <a href=move || format!("/api/v1/reports/progress.csv?{}", shown.get().query()) download="">{c.reports.csv}</a>
        </nav>
        <Transition fallback=move || view! { <p class="muted">{c.loading}</p> }>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{error_text(c, &e)}</p> }.into_any(),
                Ok(r) => view! { <Dashboard report=r /> }.into_any(),
            })}
        </Transition>
    }
}

/// The fiscal year and the day to show, changed together: choosing a past year shows it to
/// its end (or to today in the current year).
#[component]
pub(super) fn ShowForm(shown: Memo<Shown>, path: &'static str) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let navigate = use_navigate();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| typed.set(c.format_date_short(shown.get().as_of)));
    let this_year = today().fiscal_year();
    let go = move |s: Shown| navigate(&format!("{path}?{}", s.query()), Default::default());
    // Choosing a year fills in its last day (or today in the current year); 表示する shows it,
    // so moving through the list with the keyboard does not reload anything.
    let on_year = move |ev: leptos::ev::Event| {
        let Ok(year) = event_target_value(&ev).parse::<i32>() else {
            return;
        };
        let end = crate::domain::plan::Period::fiscal_year(year).ends_on;
        typed.set(c.format_date_short(end.min(today())));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match parse_date_input(&typed.get_untracked()) {
            Ok(as_of) => {
                error.set(None);
                go(Shown {
                    fiscal_year: as_of.fiscal_year(),
                    as_of,
                });
            }
            Err(e) => error.set(Some(c.field_message(&FieldError {
                field: "as_of",
                problem: Problem::NotADate(e),
            }))),
        }
    };
    view! {
        <form class="report-controls no-print" on:submit=on_submit>
            <div class="field">
                <label for="fiscal_year">{c.reports.fiscal_year}</label>
                <select id="fiscal_year" on:change=on_year>
                    {(2000..=this_year + 1).rev().map(|y| view! {
                        <option value=y.to_string() selected=move || shown.get().fiscal_year == y>{c.fiscal_year(y)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:invalid=move || error.get().is_some()>
                <label for="as_of">{c.reports.as_of}</label>
                <p class="hint" id="as_of-hint">{c.reports.as_of_hint}</p>
                <input type="text" id="as_of" name="as_of" autocomplete="off"
                    aria-describedby="as_of-hint as_of-error"
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    prop:value=move || typed.get()
                    on:input:target=move |ev| typed.set(ev.target().value()) />
                <p class="error" id="as_of-error" role="alert">{move || error.get()}</p>
            </div>
            <button type="submit" class="secondary">{c.reports.show}</button>
        </form>
    }
}

#[component]
fn Dashboard(report: Progress) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let heading = format!(
        "{} {}",
        c.fiscal_year(report.fiscal_year),
        c.as_of_words(report.period.counted_until(report.as_of))
    );
    let cards = Program::ALL
        .into_iter()
        .map(|program| {
            let outlooks: Vec<Outlook> = report
                .outlooks
                .iter()
                .filter(|o| o.metric.program() == program)
                .cloned()
                .collect();
            let previous = report.previous.clone();
            let previous_period = previous.as_ref().map(|p| c.period_words(p.period));
            view! {
                <section class="panel program" data-program=program.code()>
                    <h3>{c.reports.program(program)}</h3>
                    <div class="outlooks">
                        {outlooks.into_iter().map(|o| {
                            let before = previous.as_ref().and_then(|p| p.figures.iter().find(|f| f.metric == o.metric).cloned());
                            let before = before.zip(previous_period.clone());
                            view! { <OutlookCard o before /> }
                        }).collect_view()}
                    </div>
                </section>
            }
        })
        .collect_view();
    // The funnel is a fair's: registration to hire (tours and seminars have no hires).
    let held: Vec<EventLine> = report
        .events
        .iter()
        .filter(|e| e.held && e.kind == crate::domain::event::EventKind::JointInterview)
        .cloned()
        .collect();
    view! {
        <h2 data-testid="report-heading">{heading}</h2>
        <p class="muted">{c.period_words(report.period)}</p>
        {(!report.planned).then(|| view! { <p class="notice" role="note">{c.reports.no_plan}</p> })}
        {cards}
        <charts::Cumulative report=report.clone() />
        <charts::ReferralShare report=report.clone() />
        <section class="panel" aria-labelledby="events-heading">
            <h3 id="events-heading">{c.reports.funnel}</h3>
            <p class="hint">{c.reports.funnel_desc}</p>
            {held.into_iter().map(|e| view! { <charts::Funnel event=e /> }).collect_view()}
            <EventTable events=report.events.clone() />
        </section>
    }
}

/// One figure: what it counts, actual against target, rate, the pace needed, the forecast.
#[component]
fn OutlookCard(o: Outlook, before: Option<(crate::protocol::Figure, String)>) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let m = o.metric;
    let count = move |n: u32| c.count_words(m, n);
    view! {
        <article class="outlook" data-metric=m.code()>
            <h4>{w.metric(m)}</h4>
            <p class="outlook-main">
                <span class="outlook-actual" data-testid="actual">{count(o.actual)}</span>
                {o.target.map(|target| view! { <span class="outlook-target">" / " {w.target} " " {count(target)}</span> })}
            </p>
            <dl class="outlook-figures">
                {o.rate_permille.map(|r| view! { <div><dt>{w.rate}</dt><dd data-testid="rate">{Catalog::permille_words(r)}</dd></div> })}
                {o.needed_per_month_tenths.map(|n| view! { <div><dt>{w.needed}</dt><dd data-testid="needed">{format!("{}.{}{}", n / 10, n % 10, w.unit(m))}</dd></div> })}
                {o.forecast.map(|f| view! { <div><dt>{w.forecast}</dt><dd data-testid="forecast">{count(f)}</dd></div> })}
                {(o.planned > 0 && !m.counts_people()).then(|| view! { <div><dt>{w.planned_more}</dt><dd>{count(o.planned)}</dd></div> })}
                {before.map(|(b, period)| view! {
                    <div>
                        <dt>{w.previous}</dt>
                        <dd data-testid="previous">{count(b.actual)}{b.target.map(|t| format!("（{} {}）", w.target, count(t)))}</dd>
                    </div>
                    <div><dt></dt><dd class="muted previous-period">{period}</dd></div>
                })}
            </dl>
            <p class="hint">{w.what(m)}</p>
        </article>
    }
}

#[component]
fn EventTable(events: Vec<EventLine>) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    if events.is_empty() {
        return view! { <p class="muted">{w.events_none}</p> }.into_any();
    }
    view! {
        <table class="records" data-testid="event-funnel">
            <caption>{w.events_title}</caption>
            <thead><tr>
                <th scope="col">{c.field_date}</th>
                <th scope="col">{c.field_title}</th>
                <th scope="col">{c.field_kind}</th>
                <th scope="col" class="num">{w.stage_registered}</th>
                <th scope="col" class="num">{w.stage_attended}</th>
                <th scope="col" class="num">{w.stage_interviewed}</th>
                <th scope="col" class="num">{w.stage_offered}</th>
                <th scope="col" class="num">{w.stage_hired}</th>
            </tr></thead>
            <tbody>
                {events.into_iter().map(|e| view! {
                    <tr class:planned=!e.held>
                        <td data-label=c.field_date>{c.format_date_short(e.date)} {(!e.held).then(|| view! { " " <span class="badge">{w.planned}</span> })}</td>
                        <th scope="row" data-label=c.field_title><a href=format!("/events/{}", e.event_id)>{e.title}</a></th>
                        <td data-label=c.field_kind>{c.event_kind(e.kind)} "・" {c.target_group(e.target_group)}</td>
                        <td class="num" data-label=w.stage_registered>{e.registered}</td>
                        <td class="num" data-label=w.stage_attended>{e.attended}</td>
                        <td class="num" data-label=w.stage_interviewed>{e.interviewed}</td>
                        <td class="num" data-label=w.stage_offered>{e.offered}</td>
                        <td class="num" data-label=w.stage_hired>{e.hired}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// 「83人（57人）」: all, and in brackets those by referral.
pub(super) fn with_referral(c: &Catalog, all: u32, referral: u32) -> String {
    format!(
        "{}（{}）",
        c.count_words(Metric::Placements, all),
        c.count_words(Metric::ReferralPlacements, referral)
    )
}
