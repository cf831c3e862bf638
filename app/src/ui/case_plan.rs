//! The support plan (支援プラン) and the assessment (アセスメント) on the person's page: the
//! current plan version with plan A / plan B and its steps, the earlier versions, a form that
//! makes the next version from the current one; the newest assessment and a form for a new one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use super::case_forms::{FormState, Status, Values, date_value, me, save};
use super::components::options;
use super::components::{SelectField, TextField, organisation_choices};
use super::lang::use_catalog;
use crate::client::today;
use crate::domain::access::Organisation;
use crate::domain::casework::{CommuteMeans, EmploymentType};
use crate::domain::date::CivilDate;
use crate::sync::case_view::{self, Item};
use crate::sync::kinds::assessment::challenges;
use crate::sync::kinds::{AssessmentFields, Fields, PlanFields};
use crate::sync::wire::RecordKind;

#[component]
pub fn PlanPanel(person: String, items: Memo<Vec<Item>>) -> impl IntoView {
    let t = use_catalog();
    let versions = Memo::new(move |_| {
        items.with(|i| {
            case_view::plans(i)
                .into_iter()
                .map(|p| (PlanFields::read(&p.state), p.id.clone()))
                .collect::<Vec<_>>()
        })
    });
    let latest = Memo::new(move |_| versions.with(|v| v.first().map(|(p, _)| p.clone())));
    let open = RwSignal::new(false);
    view! {
        <section class="panel" aria-labelledby="plan-heading" data-testid="plan">
            <h2 id="plan-heading">{move || t.get().case.plan_title}</h2>
            {move || match latest.get() {
                None => view! { <p class="muted">{t.get().case.plan_none}</p> }.into_any(),
                Some(p) => view! { <PlanVersion plan=p current=true /> }.into_any(),
            }}
            <Show when=move || versions.with(|v| v.len() > 1)>
                <details class="plan-older">
                    <summary>{move || t.get().case.plan_older}</summary>
                    {move || versions.get().into_iter().skip(1).map(|(p, _)| view! { <PlanVersion plan=p current=false /> }).collect_view()}
                </details>
            </Show>
            <details prop:open=move || open.get()>
                <summary on:click=move |ev| { ev.prevent_default(); open.update(|o| *o = !*o); }>
                    {move || if latest.with(Option::is_some) { t.get().case.plan_new_version } else { t.get().case.plan_first }}
                </summary>
                // Made again from each new version (its number and text are the next one's start).
                {
                    let person = person.clone();
                    // Made when opened, from the newest version then (a version arriving while
                    // it is typed does not wipe it; the server refuses a number taken meanwhile).
                    move || open.get().then(|| view! { <PlanForm person=person.clone() start=latest.get_untracked() on_saved=move || open.set(false) /> })
                }
            </details>
        </section>
    }
}

#[component]
fn PlanVersion(plan: PlanFields, current: bool) -> impl IntoView {
    let t = use_catalog();
    let made = plan.made_on.parse::<CivilDate>().ok();
    let following = plan.following.0.clone();
    let version = plan.version.0.clone();
    let badge = move |which: &str| {
        (following == which).then(
            || view! { " " <span class="badge ok-badge">{t.get().case.plan_following}</span> },
        )
    };
    view! {
        <article class="plan-version" data-current=current.to_string() data-version=version.clone()>
            <h3>
                {t.get().case.plan_version.replace("{version}", &version)}
                " " {made.map(|d| t.get().format_date(d))} " " <span class="author">{plan.author.0.clone()}</span>
                {plan.closed.0.then(|| view! { " " <span class="badge">{t.get().case.status(crate::domain::casework::CaseStatus::Closed)}</span> })}
            </h3>
            <p class="entry-title">{plan.goal.0.clone()}</p>
            <dl class="answers">
                <dt>"A"{badge("a")}</dt><dd class="entry-body">{plan.plan_a.0.clone()}</dd>
                {(!plan.plan_b.is_empty()).then(|| view! { <dt>"B"{badge("b")}</dt><dd class="entry-body">{plan.plan_b.0.clone()}</dd> })}
            </dl>
            {(!plan.steps.0.is_empty()).then(|| view! {
                <table class="records steps">
                    <thead><tr>
                        <th scope="col">{t.get().case.step_text}</th>
                        <th scope="col">{t.get().case.step_owner}</th>
                        <th scope="col">{t.get().case.step_due}</th>
                    </tr></thead>
                    <tbody>
                        {plan.steps.0.iter().map(|s| {
                            let owner = Organisation::from_code(&s.owner);
                            let due = s.due_on.parse::<CivilDate>().ok();
                            view! { <tr>
                                <td>{s.text.0.clone()}</td>
                                <td>{owner.map(|o| t.get().organisation(o))}</td>
                                <td>{due.map(|d| t.get().format_date(d))}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </article>
    }
}

/// One step row being typed.
#[derive(Clone, Copy)]
struct StepRow {
    text: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
}

impl StepRow {
    fn new(text: &str, owner: &str, due: &str) -> Self {
        Self {
            text: RwSignal::new(text.to_owned()),
            owner: RwSignal::new(owner.to_owned()),
            due: RwSignal::new(due.to_owned()),
        }
    }
}

#[component]
fn PlanForm(
    person: String,
    start: Option<PlanFields>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let form = FormState::new();
    let start = start.unwrap_or_default();
    let version = start.version.trim().parse::<u32>().unwrap_or(0) + 1;
    let goal = RwSignal::new(start.goal.0.clone());
    let plan_a = RwSignal::new(start.plan_a.0.clone());
    let plan_b = RwSignal::new(start.plan_b.0.clone());
    let following = RwSignal::new(if start.following.is_empty() {
        "a".to_owned()
    } else {
        start.following.0.clone()
    });
    let made_on = RwSignal::new(today().to_string());
    let closed = RwSignal::new(false);
    let mut first: Vec<StepRow> = start
        .steps
        .0
        .iter()
        .map(|s| StepRow::new(&s.text, &s.owner, &s.due_on))
        .collect();
    first.push(StepRow::new("", "", ""));
    let steps = RwSignal::new(first);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((org, author)) = me() else { return };
        let Some(id) = crate::client::new_record_id() else {
            return;
        };
        let values: Values = vec![
            ("person_id", Value::from(person.clone())),
            ("organisation", Value::from(org.code())),
            ("author", Value::from(author)),
            ("version", Value::from(version)),
            ("made_on", date_value(&made_on.get_untracked())),
            ("goal", Value::from(goal.get_untracked())),
            ("plan_a", Value::from(plan_a.get_untracked())),
            ("plan_b", Value::from(plan_b.get_untracked())),
            ("following", Value::from(following.get_untracked())),
            ("steps", steps_value(steps)),
            ("closed", Value::from(closed.get_untracked())),
        ];
        spawn_local(async move {
            if save(RecordKind::Plan, id, values, form).await {
                on_saved();
            }
        });
    };
    let label = move |f: &'static str| Signal::stored(t.get().case.field(f).unwrap_or_default());
    let ab = Signal::stored(vec![
        ("a".to_owned(), "A".to_owned()),
        ("b".to_owned(), "B".to_owned()),
    ]);
    view! {
        <form on:submit=submit novalidate=true data-testid="plan-form">
            <Status form />
            <p class="muted">{t.get().case.plan_version.replace("{version}", &version.to_string())}</p>
            <TextField name="goal" label=label("goal") value=goal error=form.error("goal") />
            <PlanArea name="plan_a" value=plan_a form />
            <PlanArea name="plan_b" value=plan_b form />
            <SelectField name="following" label=label("following") placeholder=Signal::stored(t.get().choose)
                options=ab value=following error=form.error("following") />
            <StepsEdit steps form />
            <TextField name="made_on" label=label("made_on") hint=Signal::stored(t.get().hint_date) value=made_on error=form.error("made_on") />
            <label class="consent">
                <input type="checkbox" name="closed" prop:checked=move || closed.get()
                    on:change:target=move |ev| closed.set(ev.target().checked()) />
                <span>{t.get().case.plan_closed}</span>
            </label>
            <button type="submit" class="primary">{t.get().case.save}</button>
        </form>
    }
}

/// A number as digits (２０ → 20), so every device and the server hold the same text.
fn digits(v: RwSignal<String>) -> Value {
    Value::from(crate::domain::text::fold_width(v.get_untracked().trim()))
}

/// The person's challenges (any number) and a note about them.
#[component]
fn ChallengeChoices(
    chosen: RwSignal<Vec<crate::domain::casework::Challenge>>,
    notes: RwSignal<String>,
) -> impl IntoView {
    let t = use_catalog();
    view! {
        <fieldset class="choices">
            <legend>{t.get().case.field("challenges")}</legend>
            {crate::domain::casework::Challenge::ALL.iter().map(|c| {
                let c = *c;
                view! {
                    <label class="choice">
                        <input type="checkbox" name="challenges" value=c.code()
                            prop:checked=move || chosen.with(|v| v.contains(&c))
                            on:change=move |_| chosen.update(|v| if let Some(i) = v.iter().position(|x| *x == c) { v.remove(i); } else { v.push(c); }) />
                        <span>{t.get().case.challenge(c)}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <div class="field">
            <label for="challenge_notes">{t.get().case.field("challenge_notes")}</label>
            <textarea id="challenge_notes" rows="3" prop:value=move || notes.get()
                on:input:target=move |ev| notes.set(ev.target().value())></textarea>
        </div>
    }
}

/// The plan's steps as stored: the typed rows with text, dates read.
fn steps_value(steps: RwSignal<Vec<StepRow>>) -> Value {
    let rows: Vec<Value> = steps
        .get_untracked()
        .iter()
        .filter(|s| !s.text.get_untracked().trim().is_empty())
        .map(|s| {
            let due = date_value(&s.due.get_untracked());
            json!({ "text": s.text.get_untracked().trim(), "owner": s.owner.get_untracked(), "due_on": due })
        })
        .collect();
    Value::from(rows)
}

/// A few lines of the plan (plan A, plan B), with its error.
#[component]
fn PlanArea(name: &'static str, value: RwSignal<String>, form: FormState) -> impl IntoView {
    let t = use_catalog();
    view! {
        <div class="field" class:invalid=move || form.error(name).get().is_some()>
            <label for=name>{t.get().case.field(name)}</label>
            <textarea id=name name=name rows="3" prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())></textarea>
            {move || form.error(name).get().map(|m| view! { <p class="field-error" id=format!("{name}-error")>{m}</p> })}
        </div>
    }
}

/// The plan's steps, one row each (what, who, by when), and a button for one more.
#[component]
fn StepsEdit(steps: RwSignal<Vec<StepRow>>, form: FormState) -> impl IntoView {
    let t = use_catalog();
    let orgs = organisation_choices();
    view! {
        <fieldset class="steps-edit">
            <legend>{t.get().case.field("steps")}</legend>
            {move || steps.get().into_iter().enumerate().map(|(i, s)| view! {
                <div class="step-row">
                    <label>{t.get().case.step_text}" "{i + 1}
                        <input type="text" name=format!("step_text_{i}") prop:value=move || s.text.get()
                            on:input:target=move |ev| s.text.set(ev.target().value()) />
                    </label>
                    <label>{t.get().case.step_owner}
                        <select name=format!("step_owner_{i}") prop:value=move || s.owner.get()
                            on:change:target=move |ev| s.owner.set(ev.target().value())>
                            <option value="">{t.get().choose}</option>
                            {orgs.get().into_iter().map(|(c, l)| { let c2 = c.clone(); view! { <option value=c selected=move || s.owner.get() == c2>{l}</option> } }).collect_view()}
                        </select>
                    </label>
                    <label>{t.get().case.step_due}
                        <input type="text" name=format!("step_due_{i}") prop:value=move || s.due.get()
                            on:input:target=move |ev| s.due.set(ev.target().value()) />
                    </label>
                </div>
            }).collect_view()}
            {move || form.error("steps").get().map(|m| view! { <p class="field-error">{m}</p> })}
            <button type="button" class="secondary small" on:click=move |_| steps.update(|v| v.push(StepRow::new("", "", "")))>
                {t.get().case.step_add}
            </button>
        </fieldset>
    }
}

#[component]
pub fn AssessmentPanel(person: String, items: Memo<Vec<Item>>) -> impl IntoView {
    let t = use_catalog();
    let latest = Memo::new(move |_| {
        items.with(|i| {
            i.iter()
                .rev()
                .find(|i| i.kind == RecordKind::Assessment)
                .map(|a| AssessmentFields::read(&a.state))
        })
    });
    let open = RwSignal::new(false);
    view! {
        <section class="panel" aria-labelledby="assessment-heading" data-testid="assessment">
            <h2 id="assessment-heading">{move || t.get().case.assessment_title}</h2>
            {move || match latest.get() {
                None => view! { <p class="muted">{t.get().case.assessment_none}</p> }.into_any(),
                Some(a) => view! { <AssessmentSummary a /> }.into_any(),
            }}
            <details prop:open=move || open.get()>
                <summary on:click=move |ev| { ev.prevent_default(); open.update(|o| *o = !*o); }>
                    {move || t.get().case.assessment_new}
                </summary>
                {
                    let person = person.clone();
                    move || open.get().then(|| view! { <AssessmentForm person=person.clone() start=latest.get_untracked().unwrap_or_default() on_saved=move || open.set(false) /> })
                }
            </details>
        </section>
    }
}

#[component]
fn AssessmentSummary(a: AssessmentFields) -> impl IntoView {
    let t = use_catalog();
    let c = t.get().case;
    let named: Vec<&str> = challenges(&a.challenges)
        .into_iter()
        .map(|x| c.challenge(x))
        .collect();
    let mut conditions: Vec<String> = Vec::new();
    if a.no_night_shift.0 {
        conditions.push(c.no_night_shift.to_owned());
    }
    if let Some(m) = CommuteMeans::from_code(&a.commute_means) {
        conditions.push(c.commute(m).to_owned());
    }
    if !a.commute_minutes.is_empty() {
        conditions.push(c.minutes.replace("{n}", &a.commute_minutes));
    }
    if !a.hours.is_empty() {
        conditions.push(a.hours.0.clone());
    }
    if !a.income_needed.is_empty() {
        conditions.push(c.yen_month.replace("{n}", &a.income_needed));
    }
    let last = EmploymentType::from_code(&a.last_employment_type).map(|e| {
        let months = (!a.last_job_months.is_empty())
            .then(|| c.months_worked.replace("{n}", &a.last_job_months));
        format!(
            "{}{}",
            c.employment_type(e),
            months.map(|m| format!("・{m}")).unwrap_or_default()
        )
    });
    let row = |field: &'static str, value: String| {
        (!value.is_empty())
            .then(|| view! { <dt>{c.field(field)}</dt><dd class="entry-body">{value}</dd> })
    };
    view! {
        <dl class="answers">
            {row("challenges", named.join("・"))}
            {row("challenge_notes", a.challenge_notes.0.clone())}
            {row("desired_jobs", a.desired_jobs.0.clone())}
            {row("hours", conditions.join("・"))}
            {row("last_employment_type", last.unwrap_or_default())}
            {row("qualifications", a.qualifications.0.clone())}
        </dl>
    }
}

#[component]
fn AssessmentForm(
    person: String,
    start: AssessmentFields,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let form = FormState::new();
    let s = |v: &str| RwSignal::new(v.to_owned());
    let chosen = RwSignal::new(challenges(&start.challenges));
    let (notes, jobs, hours, means, minutes, income, last_type, last_months, quals) = (
        s(&start.challenge_notes),
        s(&start.desired_jobs),
        s(&start.hours),
        s(&start.commute_means),
        s(&start.commute_minutes),
        s(&start.income_needed),
        s(&start.last_employment_type),
        s(&start.last_job_months),
        s(&start.qualifications),
    );
    let no_night = RwSignal::new(start.no_night_shift.0);
    let assessed_on = RwSignal::new(today().to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((org, author)) = me() else { return };
        let Some(id) = crate::client::new_record_id() else {
            return;
        };
        let codes: Vec<&str> = chosen.get_untracked().iter().map(|c| c.code()).collect();
        let text = |v: RwSignal<String>| Value::from(v.get_untracked());
        let values: Values = vec![
            ("person_id", Value::from(person.clone())),
            ("organisation", Value::from(org.code())),
            ("author", Value::from(author)),
            ("assessed_on", date_value(&assessed_on.get_untracked())),
            ("challenges", Value::from(codes.join(","))),
            ("challenge_notes", text(notes)),
            ("desired_jobs", text(jobs)),
            ("hours", text(hours)),
            ("no_night_shift", Value::from(no_night.get_untracked())),
            ("commute_means", text(means)),
            ("commute_minutes", digits(minutes)),
            ("income_needed", digits(income)),
            ("last_employment_type", text(last_type)),
            ("last_job_months", digits(last_months)),
            ("qualifications", text(quals)),
        ];
        spawn_local(async move {
            if save(RecordKind::Assessment, id, values, form).await {
                on_saved();
            }
        });
    };
    let label = move |f: &'static str| Signal::stored(t.get().case.field(f).unwrap_or_default());
    view! {
        <form on:submit=submit novalidate=true data-testid="assessment-form">
            <Status form />
            <ChallengeChoices chosen notes />
            <TextField name="desired_jobs" label=label("desired_jobs") value=jobs error=form.error("desired_jobs") />
            <TextField name="hours" label=label("hours") value=hours error=form.error("hours") />
            <label class="consent">
                <input type="checkbox" name="no_night_shift" prop:checked=move || no_night.get()
                    on:change:target=move |ev| no_night.set(ev.target().checked()) />
                <span>{t.get().case.no_night_shift}</span>
            </label>
            <SelectField name="commute_means" label=label("commute_means") placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.commute_means, |_| true) value=means error=form.error("commute_means") />
            <TextField name="commute_minutes" label=label("commute_minutes") value=minutes error=form.error("commute_minutes") input_mode="numeric" />
            <TextField name="income_needed" label=label("income_needed") value=income error=form.error("income_needed") input_mode="numeric" />
            <SelectField name="last_employment_type" label=label("last_employment_type") placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.employment_types, |_| true) value=last_type error=form.error("last_employment_type") />
            <TextField name="last_job_months" label=label("last_job_months") value=last_months error=form.error("last_job_months") input_mode="numeric" />
            <TextField name="qualifications" label=label("qualifications") value=quals error=form.error("qualifications") />
            <TextField name="assessed_on" label=label("assessed_on") hint=Signal::stored(t.get().hint_date) value=assessed_on error=form.error("assessed_on") />
            <button type="submit" class="primary">{t.get().case.save}</button>
        </form>
    }
}
