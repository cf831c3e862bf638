//! 運営協議会: the council's meetings — day, members present, and the report submitted, kept
//! as a copy of the figures as of its day so later corrections do not rewrite history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::super::auth::has_role;
use super::super::components::{FormOutcome, TextField, field_error};
use super::super::events::error_text;
use super::super::lang::use_catalog;
use super::council::CouncilDocument;
use crate::client::{self, ClientError};
use crate::domain::access::Role;
use crate::protocol::{FieldMessage, MeetingView, SaveMeeting};

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        async move { client::get_json::<Vec<MeetingView>>("/api/v1/council/meetings").await }
    });
    let manager = has_role(Role::Manager);
    let f = |name: &str| w.field(name).unwrap_or("");
    view! {
        <Title text=w.meetings_title />
        <p class="no-print"><a href="/reports">"← " {c.nav_reports}</a></p>
        <h1>{w.meetings_title}</h1>
        <p class="lead">{w.meetings_lead}</p>
        {move || manager.get().then(|| view! { <MeetingForm version /> })}
        <Transition fallback=move || view! { <p class="muted">{c.loading}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{error_text(c, &e)}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{w.meetings_none}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="records" data-testid="meetings">
                        <thead><tr>
                            <th scope="col">{f("held_on")}</th>
                            <th scope="col">{w.council_report}</th>
                            <th scope="col">{f("members")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|m| view! {
                                <tr>
                                    <th scope="row" data-label=f("held_on")>{c.format_date_short(m.held_on)}</th>
                                    <td data-label=w.council_report>
                                        <a href=format!("/reports/meetings/{}", m.id)>{c.fiscal_year_heading(m.fiscal_year)} " " {c.as_of_words(m.as_of)}</a>
                                    </td>
                                    <td data-label=f("members") class="pre-line">{m.members}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn MeetingForm(version: RwSignal<u32>) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let (held_on, members, as_of) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = SaveMeeting {
            held_on: held_on.get_untracked(),
            members: members.get_untracked(),
            as_of: as_of.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match client::post_json::<_, MeetingView>("/api/v1/council/meetings", &body).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    message.set(Some(Ok(w.meeting_saved.into())));
                    for s in [held_on, members, as_of] {
                        s.set(String::new());
                    }
                    version.update(|v| *v += 1);
                }
                Err(ClientError::Validation(list)) => {
                    message.set(Some(Err(c.form_has_errors.into())));
                    errors.set(list);
                }
                Err(e) => message.set(Some(Err(error_text(c, &e)))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="panel no-print" on:submit=on_submit novalidate>
            <h2>{w.meeting_new}</h2>
            <TextField name="held_on" label=w.field("held_on").unwrap_or("") hint=c.hint_date value=held_on error=field_error(errors, "held_on") />
            <div class="field" class:invalid=move || field_error(errors, "members").get().is_some()>
                <label for="members">{w.field("members").unwrap_or("")}</label>
                <textarea id="members" rows="4" prop:value=move || members.get()
                    on:input:target=move |ev| members.set(ev.target().value())></textarea>
                <p class="error" role="alert">{move || field_error(errors, "members").get()}</p>
            </div>
            <TextField name="as_of" label=w.as_of hint=w.as_of_default value=as_of error=field_error(errors, "as_of") />
            <FormOutcome message />
            <button type="submit" class="primary" disabled=move || busy.get()>{w.meeting_save}</button>
        </form>
    }
}

/// One meeting and the report it was given, as it was then.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let params = use_params_map();
    let meeting = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        async move { client::get_json::<MeetingView>(&format!("/api/v1/council/meetings/{id}")).await }
    });
    view! {
        <Title text=w.meetings_title />
        <p class="no-print"><a href="/reports/meetings">"← " {w.meetings_title}</a></p>
        <Transition fallback=move || view! { <p class="muted">{c.loading}</p> }>
            {move || meeting.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{error_text(c, &e)}</p> }.into_any(),
                Ok(m) => view! {
                    <p class="lead"><strong>{w.meetings_title} " " {c.format_date_short(m.held_on)}</strong></p>
                    <p class="pre-line"><strong>{w.field("members").unwrap_or("")} "："</strong> {m.members}</p>
                    <p class="notice no-print" role="note">{w.meeting_frozen}</p>
                    <p class="no-print"><button type="button" class="secondary" on:click=|_| super::council::print()>{w.council_print}</button></p>
                    {m.report.map(|r| view! { <CouncilDocument report=r /> })}
                }.into_any(),
            })}
        </Transition>
    }
}
