//! 協定に基づく要望: the register of requests between the mayor and the director of the labour
//! bureau. Everyone reads it; managers record requests and their answers. Pending requests past
//! their due date are highlighted (colour, a badge and the word, not colour alone).

use leptos::prelude::*;
use leptos_meta::Title;

use super::super::auth::has_role;
use super::super::components::{FormOutcome, SelectField, TextField, field_error, options};
use super::super::events::error_text;
use super::super::lang::use_catalog;
use crate::client::{self, ClientError};
use crate::domain::access::Role;
use crate::domain::council::Status;
use crate::i18n::casework::find as label;
use crate::protocol::{FieldMessage, RequestView, SaveRequest};

#[component]
pub fn RequestsPage() -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        async move { client::get_json::<Vec<RequestView>>("/api/v1/council/requests").await }
    });
    let editing = RwSignal::new(None::<RequestView>);
    let manager = has_role(Role::Manager);
    let on_edit = Callback::new(move |r: RequestView| editing.set(Some(r)));
    view! {
        <Title text=w.requests_title />
        <p class="no-print"><a href="/reports">"← " {c.nav_reports}</a></p>
        <h1>{w.requests_title}</h1>
        <p class="lead">{w.requests_lead}</p>
        {move || manager.get().then(|| view! { <RequestForm editing version /> })}
        <Transition fallback=move || view! { <p class="muted">{c.loading}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{error_text(c, &e)}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{w.requests_none}</p> }.into_any(),
                Ok(list) => {
                    let on_edit = manager.get_untracked().then_some(on_edit);
                    view! { <RequestTable requests=list on_edit /> }.into_any()
                }
            })}
        </Transition>
    }
}

/// The requests as a table: who asked whom, subject, dates, status, the answer.
#[component]
pub fn RequestTable(
    requests: Vec<RequestView>,
    on_edit: Option<Callback<RequestView>>,
) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let f = |name: &str| w.field(name).unwrap_or("");
    view! {
        <table class="records requests" data-testid="requests">
            <thead><tr>
                <th scope="col">{f("asked_on")}</th>
                <th scope="col">{f("asked_by")} " → " {w.asked_of}</th>
                <th scope="col">{f("subject")}</th>
                <th scope="col">{f("due_on")}</th>
                <th scope="col">{f("status")}</th>
                <th scope="col">{f("answer")}</th>
                {on_edit.is_some().then(|| view! { <th scope="col"><span class="visually-hidden">{w.request_edit}</span></th> })}
            </tr></thead>
            <tbody>
                {requests.into_iter().map(|r| {
                    let edit = r.clone();
                    view! {
                        <tr class:overdue=r.overdue data-overdue=r.overdue.to_string()>
                            <td data-label=f("asked_on")>{c.format_date_short(r.asked_on)}</td>
                            <td data-label=f("asked_by")>{label(w.sides, r.asked_by.code())} " → " {label(w.sides, r.asked_by.other().code())}</td>
                            <th scope="row" data-label=f("subject")>{r.subject.clone()}
                                {(!r.detail.is_empty()).then(|| view! { <p class="request-detail">{r.detail.clone()}</p> })}</th>
                            <td data-label=f("due_on")>{r.due_on.map(|d| c.format_date_short(d))}
                                {r.overdue.then(|| view! { " " <span class="badge bad">{w.overdue}</span> })}</td>
                            <td data-label=f("status")>{label(w.statuses, r.status.code())}</td>
                            <td data-label=f("answer")>{r.answered_on.map(|d| format!("{}：", c.format_date_short(d)))}{r.answer.clone()}</td>
                            {on_edit.map(|cb| view! {
                                <td><button type="button" class="small" on:click=move |_| cb.run(edit.clone())>{w.request_edit}</button></td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The form for a new request, or (after 編集) for changing one: its answer, status ….
#[component]
fn RequestForm(editing: RwSignal<Option<RequestView>>, version: RwSignal<u32>) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let fields = RequestInputs::new();
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let message = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let reset = move || fields.clear();
    reset();
    Effect::new(move |_| {
        if let Some(r) = editing.get() {
            // The form is above the list: take the clerk there, with nothing left over from the
            // last save (its 「保存しました。」 would stand over changes not yet saved).
            super::super::events::focus_by_id("subject");
            message.set(None);
            errors.set(Vec::new());
            fields.fill(r, c);
        }
    });
    let cancel = move |_| {
        editing.set(None);
        message.set(None);
        errors.set(Vec::new());
        reset();
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = fields.typed();
        let url = editing.get_untracked().map_or_else(
            || "/api/v1/council/requests".to_owned(),
            |r| format!("/api/v1/council/requests/{}", r.id),
        );
        leptos::task::spawn_local(async move {
            match client::post_json::<_, RequestView>(&url, &body).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    message.set(Some(Ok(w.request_saved.into())));
                    editing.set(None);
                    reset();
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
        <form class="panel request-form no-print" on:submit=on_submit novalidate>
            <h2>{move || if editing.get().is_some() { w.request_edit_title } else { w.request_new }}</h2>
            <SelectField name="asked_by" label=w.field("asked_by").unwrap_or("") placeholder=c.choose options=options(w.sides, |_| true) value=fields.asked_by error=field_error(errors, "asked_by") />
            <TextField name="subject" label=w.field("subject").unwrap_or("") value=fields.subject error=field_error(errors, "subject") />
            <Area name="detail" value=fields.detail errors />
            <TextField name="asked_on" label=w.field("asked_on").unwrap_or("") hint=c.hint_date value=fields.asked_on error=field_error(errors, "asked_on") />
            <TextField name="due_on" label=w.field("due_on").unwrap_or("") hint=c.hint_date value=fields.due_on error=field_error(errors, "due_on") />
            <SelectField name="status" label=w.field("status").unwrap_or("") placeholder=c.choose options=options(w.statuses, |_| true) value=fields.status error=field_error(errors, "status") />
            <Area name="answer" value=fields.answer errors />
            <TextField name="answered_on" label=w.field("answered_on").unwrap_or("") hint=c.hint_date value=fields.answered_on error=field_error(errors, "answered_on") />
            <FormOutcome message />
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>{w.request_save}</button>
                {move || editing.get().is_some().then(|| view! {
                    <button type="button" class="secondary" on:click=cancel>{w.cancel}</button>
                })}
            </div>
        </form>
    }
}

/// The request form's inputs, one per field of [`SaveRequest`].
#[derive(Clone, Copy)]
struct RequestInputs {
    asked_by: RwSignal<String>,
    subject: RwSignal<String>,
    detail: RwSignal<String>,
    asked_on: RwSignal<String>,
    due_on: RwSignal<String>,
    answer: RwSignal<String>,
    answered_on: RwSignal<String>,
    status: RwSignal<String>,
}

impl RequestInputs {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        RequestInputs {
            asked_by: empty(),
            subject: empty(),
            detail: empty(),
            asked_on: empty(),
            due_on: empty(),
            answer: empty(),
            answered_on: empty(),
            status: empty(),
        }
    }

    fn all(self) -> [RwSignal<String>; 8] {
        let s = self;
        [
            s.asked_by,
            s.subject,
            s.detail,
            s.asked_on,
            s.due_on,
            s.answer,
            s.answered_on,
            s.status,
        ]
    }

    /// An empty form: a new request starts open.
    fn clear(self) {
        for f in self.all() {
            f.set(String::new());
        }
        self.status.set(Status::Open.code().into());
    }

    /// The request as typed.
    fn typed(self) -> SaveRequest {
        let text = |f: RwSignal<String>| f.get_untracked();
        SaveRequest {
            asked_by: text(self.asked_by),
            subject: text(self.subject),
            detail: text(self.detail),
            asked_on: text(self.asked_on),
            due_on: text(self.due_on),
            answer: text(self.answer),
            answered_on: text(self.answered_on),
            status: text(self.status),
        }
    }

    /// The inputs from a request to change (dates as the clerk would type them).
    fn fill(self, r: RequestView, c: &'static crate::i18n::Catalog) {
        let short = |d: Option<crate::domain::date::CivilDate>| {
            d.map(|d| c.format_date_short(d)).unwrap_or_default()
        };
        self.asked_by.set(r.asked_by.code().to_owned());
        self.subject.set(r.subject);
        self.detail.set(r.detail);
        self.asked_on.set(c.format_date_short(r.asked_on));
        self.due_on.set(short(r.due_on));
        self.answer.set(r.answer);
        self.answered_on.set(short(r.answered_on));
        self.status.set(r.status.code().to_owned());
    }
}

/// A few lines of text (the request, the answer), with its error.
#[component]
fn Area(
    name: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<Vec<FieldMessage>>,
) -> impl IntoView {
    let w = use_catalog().get().reports;
    view! {
        <div class="field" class:invalid=move || field_error(errors, name).get().is_some()>
            <label for=name>{w.field(name).unwrap_or("")}</label>
            <textarea id=name rows="3" prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())></textarea>
            <p class="error" role="alert">{move || field_error(errors, name).get()}</p>
        </div>
    }
}
