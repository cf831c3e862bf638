//! 実績・報告: the fiscal year's fairs and events with participants and the placements
//! attributed to each fair, against the business plan's targets. The other parts of the
//! council report arrive in later steps; the page says so plainly.

use leptos::prelude::*;
use leptos_meta::Title;

use super::events::error_text;
use super::lang::use_catalog;
use crate::client;
use crate::domain::date::CivilDate;
use crate::protocol::FairReport;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let t = use_catalog();
    let this_year = CivilDate::in_japan_from_unix_millis(client::now_unix_millis()).fiscal_year();
    let year = RwSignal::new(this_year);
    let report = LocalResource::new(move || {
        let y = year.get();
        async move {
            client::get_json::<FairReport>(&format!("/api/v1/reports/fairs?fiscal_year={y}")).await
        }
    });
    let years = move || {
        (this_year - 4..=this_year + 1)
            .rev()
            .map(|y| {
                view! { <option value=y.to_string() selected=move || year.get() == y>{t.get().fiscal_year(y)}</option> }
            })
            .collect_view()
    };
    view! {
        <Title text=t.get().nav_reports />
        <h1>{t.get().nav_reports}</h1>
        <p class="lead">{t.get().area_reports_desc}</p>
        <section class="panel" aria-labelledby="fair-report-heading">
            <h2 id="fair-report-heading">{t.get().rep_fairs_title}</h2>
            <div class="field inline-field no-print">
                <label for="fiscal_year">{t.get().rep_fiscal_year}</label>
                <select id="fiscal_year" on:change:target=move |ev| {
                    if let Ok(y) = ev.target().value().parse() { year.set(y) }
                }>{years}</select>
            </div>
            <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
                {move || report.get().map(|r| match r {
                    Err(e) => view! { <p class="alert" role="alert">{error_text(t.get(), &e)}</p> }.into_any(),
                    Ok(r) => view! { <FairReportView report=r /> }.into_any(),
                })}
            </Transition>
        </section>
        <p class="notice" role="note">{t.get().rep_other_later}</p>
    }
}

#[component]
fn FairReportView(report: FairReport) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let of_target = |actual: u64, target: Option<i64>| match target {
        Some(target) => format!("{actual} / {target}"),
        None => actual.to_string(),
    };
    view! {
        <h3>{c.fiscal_year(report.fiscal_year)}</h3>
        <dl class="figures" data-testid="fair-report-totals">
            <div class="figure"><dt>{c.rep_fairs_held} " (" {c.rep_target} ")"</dt><dd>{of_target(report.fairs_held, report.target_fairs_held)}</dd></div>
            <div class="figure"><dt>{c.rep_col_participants} " (" {c.rep_target} ")"</dt><dd>{of_target(report.participants, report.target_participants)}</dd></div>
            <div class="figure"><dt>{c.rep_col_placements} " (" {c.rep_target} ")"</dt><dd>{of_target(report.placements, report.target_placements)}</dd></div>
        </dl>
        <p class="hint">{c.rep_total}</p>
        {if report.fairs.is_empty() {
            view! { <p class="muted">{c.rep_none}</p> }.into_any()
        } else {
            view! {
                <table class="records" data-testid="fair-report">
                    <thead><tr>
                        <th scope="col">{c.field_date}</th>
                        <th scope="col">{c.field_title}</th>
                        <th scope="col">{c.field_kind}</th>
                        <th scope="col" class="num">{c.rep_col_participants}</th>
                        <th scope="col" class="num">{c.rep_col_placements}</th>
                    </tr></thead>
                    <tbody>
                        {report.fairs.into_iter().map(|f| view! {
                            <tr>
                                <td data-label=c.field_date>{c.format_date(f.date)}</td>
                                <td data-label=c.field_title><a href=format!("/events/{}", f.event_id)>{f.title}</a></td>
                                <td data-label=c.field_kind>{c.event_kind(f.kind)}</td>
                                <td class="num" data-label=c.rep_col_participants>{f.participants}</td>
                                <td class="num" data-label=c.rep_col_placements>{f.placements}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
