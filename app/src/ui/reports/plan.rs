//! 事業計画（目標）: a fiscal year's first day and targets, entered and changed by managers,
//! with every change listed (who, when, from what to what). Others read it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::super::auth::has_role;
use super::super::components::{FormOutcome, TextField, field_error};
use super::super::events::error_text;
use super::super::lang::use_catalog;
use crate::client::{self, ClientError};
use crate::domain::access::Role;
use crate::domain::date::japan_date_time;
use crate::domain::plan::{Metric, Program};
use crate::protocol::{FieldMessage, PlanChange, PlanView, SavePlan, TargetInput};

#[component]
pub fn PlanPage() -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let query = use_query_map();
    let this_year = client::today().fiscal_year();
    let year = Memo::new(move |_| {
        query.with(|q| {
            q.get("fiscal_year")
                .and_then(|y| y.parse().ok())
                .unwrap_or(this_year)
        })
    });
    let plan = LocalResource::new(move || {
        let y = year.get();
        async move { client::get_json::<PlanView>(&format!("/api/v1/plans/{y}")).await }
    });
    view! {
        <Title text=c.reports.plan_title />
        <p class="no-print"><a href=move || format!("/reports?fiscal_year={}", year.get())>"← " {c.nav_reports}</a></p>
        <h1>{c.reports.plan_title} " " {move || c.fiscal_year(year.get())}</h1>
        <p class="lead">{c.reports.plan_lead}</p>
        <nav class="report-links" aria-label=c.reports.fiscal_year>
            <a href=move || format!("/reports/plan?fiscal_year={}", year.get() - 1)>{move || c.fiscal_year(year.get() - 1)}</a>
            <a href=move || format!("/reports/plan?fiscal_year={}", year.get() + 1)>{move || c.fiscal_year(year.get() + 1)}</a>
        </nav>
        <Transition fallback=move || view! { <p class="muted">{c.loading}</p> }>
            {move || plan.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{error_text(c, &e)}</p> }.into_any(),
                Ok(p) => {
                    // The history follows each save; the form stays as typed, with its message.
                    let history = RwSignal::new(p.history.clone());
                    view! { <PlanForm plan=p history /> <History history /> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn PlanForm(plan: PlanView, history: RwSignal<Vec<PlanChange>>) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let manager = has_role(Role::Manager);
    let year = plan.fiscal_year;
    let starts_on = RwSignal::new(if plan.exists {
        c.format_date_short(plan.period.starts_on)
    } else {
        String::new()
    });
    let values: Vec<(Metric, RwSignal<String>)> = plan
        .targets
        .iter()
        .map(|f| {
            (
                f.metric,
                RwSignal::new(f.target.map(|t| t.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let to_send = values.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = plan_typed(starts_on, &to_send);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/plans/{year}");
            match client::post_json::<_, PlanView>(&url, &request).await {
                Ok(p) => {
                    errors.set(Vec::new());
                    let changed = p.history.len() > history.with_untracked(Vec::len);
                    status.set(Some(Ok(if changed {
                        w.plan_saved
                    } else {
                        w.plan_unchanged
                    }
                    .to_owned())));
                    history.set(p.history);
                }
                Err(ClientError::Validation(fields)) => {
                    status.set(Some(Err(c.form_has_errors.to_owned())));
                    errors.set(fields);
                }
                Err(e) => status.set(Some(Err(error_text(c, &e)))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="panel plan-form" on:submit=on_submit novalidate>
            {(!plan.exists).then(|| view! { <p class="notice" role="note">{w.no_plan}</p> })}
            // Others read the plan: the fields are shown, not editable.
            <fieldset class="plain" disabled=move || !manager.get()>
                <TextField name="starts_on" label=w.starts_on hint=w.starts_on_hint value=starts_on
                    error=field_error(errors, "starts_on") />
                <TargetGroups values=values.clone() errors />
            </fieldset>
            <FormOutcome message=status />
            {move || if manager.get() {
                view! { <button type="submit" class="primary" disabled=move || busy.get()>{w.save_plan}</button> }.into_any()
            } else {
                view! { <p class="muted">{w.only_managers}</p> }.into_any()
            }}
        </form>
    }
}

/// The plan as typed: when the year starts and each metric's target.
fn plan_typed(starts_on: RwSignal<String>, values: &[(Metric, RwSignal<String>)]) -> SavePlan {
    SavePlan {
        starts_on: starts_on.get_untracked(),
        targets: values
            .iter()
            .map(|(m, v)| TargetInput {
                metric: m.code().to_owned(),
                target: v.get_untracked(),
            })
            .collect(),
    }
}

/// The targets by programme, one numeric field per metric with what it counts.
#[component]
fn TargetGroups(
    values: Vec<(Metric, RwSignal<String>)>,
    errors: RwSignal<Vec<FieldMessage>>,
) -> impl IntoView {
    let w = use_catalog().get().reports;
    Program::ALL
        .into_iter()
        .map(|program| {
            let fields = values
                .iter()
                .filter(|(m, _)| m.program() == program)
                .map(|(m, v)| {
                    view! {
                        <TextField name=m.code() label=w.metric(*m) hint=w.what(*m) value=*v
                            error=field_error(errors, m.code()) input_mode="numeric" />
                    }
                })
                .collect_view();
            view! { <fieldset><legend>{w.program(program)}</legend>{fields}</fieldset> }
        })
        .collect_view()
}

#[component]
fn History(history: RwSignal<Vec<PlanChange>>) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    view! {
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">{w.history}</h2>
            {move || if history.with(Vec::is_empty) {
                view! { <p class="muted">{w.history_none}</p> }.into_any()
            } else {
                view! {
                    <table class="records" data-testid="plan-history">
                        <thead><tr>
                            <th scope="col">{c.col_at}</th>
                            <th scope="col">{c.col_actor}</th>
                            <th scope="col">{w.col_goal}</th>
                            <th scope="col" class="num">"→"</th>
                        </tr></thead>
                        <tbody>
                            {history.get().into_iter().map(|h| view! {
                                <tr>
                                    <td data-label=c.col_at>{japan_date_time(h.at_ms)}</td>
                                    <td data-label=c.col_actor>{h.by}</td>
                                    <th scope="row" data-label=w.col_goal>{w.changed_field(&h.field)}</th>
                                    <td class="num">{h.before.unwrap_or_else(|| "—".into())} " → " {h.after.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
