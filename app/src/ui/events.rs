//! 面接会・イベント: register an event and list the registered ones.
//!
//! The form checks every field with the shared rules (`domain::event::validate`) before it
//! sends, so a clerk sees all problems at once; the server checks again and its answer wins.
//! The event id is chosen here and kept until the server confirms, so pressing the button
//! again after a lost answer cannot register the event twice.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::components::{SelectField, TextField, field_error};
use super::lang::{use_catalog, use_lang};
use crate::client::{self, ClientError};
use crate::domain::event::{self, EventKind, TargetGroup};
use crate::domain::ids::EventId;
use crate::domain::wareki::parse_date_input;
use crate::protocol::{CreateEvent, EventView, FieldMessage};

#[component]
pub fn EventsPage() -> impl IntoView {
    let t = use_catalog();
    let version = RwSignal::new(0u32);
    let events = LocalResource::new(move || {
        version.track();
        client::list_events()
    });
    let cases = super::auth::handles_cases();
    view! {
        <Title text=t.get().events_title />
        <h1>{t.get().events_title}</h1>
        <div class="two-col">
            // Creating events is case work; administrators see the list.
            <Show when=move || cases.get()>
                <EventForm on_saved=move || version.update(|v| *v += 1) />
            </Show>
            <section class="panel" aria-labelledby="events-list-heading">
                <h2 id="events-list-heading">{t.get().events_list}</h2>
                <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
                    {move || {
                        events
                            .get()
                            .map(|result| match result {
                                Ok(list) => view! { <EventTable events=list /> }.into_any(),
                                Err(error) => {
                                    view! {
                                        <div class="alert" role="alert">
                                            <p>{move || error_text(t.get(), &error)}</p>
                                            <button type="button" class="secondary" on:click=move |_| version.update(|v| *v += 1)>
                                                {t.get().retry}
                                            </button>
                                        </div>
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Transition>
            </section>
        </div>
    }
}

#[component]
fn EventTable(events: Vec<EventView>) -> impl IntoView {
    let t = use_catalog();
    if events.is_empty() {
        return view! { <p class="muted" data-testid="events-empty">{t.get().events_empty}</p> }
            .into_any();
    }
    view! {
        <table class="records" data-testid="events-table">
            <thead>
                <tr>
                    <th scope="col">{t.get().field_date}</th>
                    <th scope="col">{t.get().field_title}</th>
                    <th scope="col">{t.get().field_kind}</th>
                    <th scope="col">{t.get().field_venue}</th>
                    <th scope="col">{t.get().field_target_group}</th>
                </tr>
            </thead>
            <tbody>
                {events
                    .into_iter()
                    .map(|ev| {
                        let date = ev.date;
                        view! {
                            <tr>
                                <td data-label=t.get().field_date>
                                    <time datetime=date.to_string()>{t.get().format_date(date)}</time>
                                </td>
                                <td data-label=t.get().field_title>
                                    <a href=format!("/events/{}", ev.id)>{ev.title}</a>
                                </td>
                                <td class="nowrap" data-label=t.get().field_kind>{t.get().event_kind(ev.kind)}</td>
                                <td data-label=t.get().field_venue>{ev.venue}</td>
                                <td data-label=t.get().field_target_group>
                                    {t.get().target_group(ev.target_group)}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[derive(Debug, Clone, PartialEq)]
enum FormState {
    Editing,
    Saving,
    Saved,
    Invalid,
    Failed(ClientError),
}

/// What the event form holds while it is typed.
#[derive(Clone, Copy)]
struct EventInputs {
    title: RwSignal<String>,
    kind: RwSignal<String>,
    date: RwSignal<String>,
    venue: RwSignal<String>,
    target: RwSignal<String>,
    capacity: RwSignal<String>,
}

impl EventInputs {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            title: empty(),
            kind: empty(),
            date: empty(),
            venue: empty(),
            target: empty(),
            capacity: empty(),
        }
    }

    /// The request as typed, under the id `id` (kept across retries).
    fn request(&self, id: Option<EventId>) -> CreateEvent {
        CreateEvent {
            id,
            title: self.title.get_untracked(),
            kind: self.kind.get_untracked(),
            date: self.date.get_untracked(),
            venue: self.venue.get_untracked(),
            target_group: self.target.get_untracked(),
            capacity: self.capacity.get_untracked(),
        }
    }

    fn clear(&self) {
        for field in [
            self.title,
            self.kind,
            self.date,
            self.venue,
            self.target,
            self.capacity,
        ] {
            field.set(String::new());
        }
    }
}

#[component]
fn EventForm(on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let inputs = EventInputs::new();
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let state = RwSignal::new(FormState::Editing);
    // The id of the event being registered, kept across retries until the server confirms.
    let pending_id = RwSignal::new(None::<EventId>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == FormState::Saving {
            return;
        }
        let id = pending_id.get_untracked().or_else(client::new_event_id);
        pending_id.set(id);
        let request = inputs.request(id);
        if let Err(found) = event::validate(&request.draft()) {
            let lang = lang.get_untracked();
            errors.set(
                found
                    .iter()
                    .map(|e| FieldMessage::from_error(e, lang))
                    .collect(),
            );
            state.set(FormState::Invalid);
            focus_first_invalid(found.first().map(|e| e.field));
            return;
        }
        errors.set(Vec::new());
        state.set(FormState::Saving);
        spawn_local(async move {
            match client::create_event(&request).await {
                Ok(_) => {
                    inputs.clear();
                    pending_id.set(None);
                    state.set(FormState::Saved);
                    on_saved();
                }
                Err(ClientError::Validation(fields)) => {
                    let first = fields.first().map(|f| f.field.clone());
                    errors.set(fields);
                    state.set(FormState::Invalid);
                    if let Some(first) = first {
                        focus_by_id(&first);
                    }
                }
                Err(other) => state.set(FormState::Failed(other)),
            }
        });
    };

    view! {
        <section class="panel" aria-labelledby="event-form-heading">
            <h2 id="event-form-heading">{t.get().events_new}</h2>
            <form on:submit=submit novalidate=true data-testid="event-form">
                <FormStatus state />
                <EventFields inputs errors />
                <button type="submit" class="primary" disabled=move || state.get() == FormState::Saving>
                    {t.get().submit_event}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// Saved or saving (announced politely); what went wrong (an alert).
#[component]
fn FormStatus(state: RwSignal<FormState>) -> impl IntoView {
    let t = use_catalog();
    view! {
        <div class="form-status" role="status" aria-live="polite">
            {move || match state.get() {
                FormState::Saved => Some(view! { <p class="ok">{t.get().saved_event}</p> }.into_any()),
                FormState::Saving => Some(view! { <p class="muted">{t.get().saving}</p> }.into_any()),
                _ => None,
            }}
        </div>
        <div role="alert">
            {move || match state.get() {
                FormState::Invalid => Some(view! { <p class="alert">{t.get().form_has_errors}</p> }.into_any()),
                FormState::Failed(error) => Some(view! { <p class="alert">{error_text(t.get(), &error)}</p> }.into_any()),
                _ => None,
            }}
        </div>
    }
}

/// The event's fields: name, kind, date (with how it was read), venue, who it is for, places.
#[component]
fn EventFields(inputs: EventInputs, errors: RwSignal<Vec<FieldMessage>>) -> impl IntoView {
    let t = use_catalog();
    let error_for = move |field: &'static str| field_error(errors, field);
    let date_reads_as = move || {
        parse_date_input(&inputs.date.get())
            .ok()
            .map(|d| t.get().format_date(d))
    };
    let kinds = Signal::derive(move || {
        let c = t.get();
        EventKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), c.event_kind(*k).to_owned()))
            .collect::<Vec<_>>()
    });
    let targets = Signal::derive(move || {
        let c = t.get();
        TargetGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), c.target_group(*g).to_owned()))
            .collect::<Vec<_>>()
    });
    view! {
        <TextField name="title" label=Signal::stored(t.get().field_title) hint=Signal::stored(t.get().hint_title)
            value=inputs.title error=error_for("title") />
        <SelectField name="kind" label=Signal::stored(t.get().field_kind) placeholder=Signal::stored(t.get().choose)
            options=kinds value=inputs.kind error=error_for("kind") />
        <TextField name="date" label=Signal::stored(t.get().field_date) hint=Signal::stored(t.get().hint_date)
            value=inputs.date error=error_for("date")>
            <p class="reads-as" data-testid="date-reads-as">
                {move || date_reads_as().map(|text| format!("{} {text}", t.get().date_reads_as))}
            </p>
        </TextField>
        <TextField name="venue" label=Signal::stored(t.get().field_venue) hint=Signal::stored(t.get().hint_venue)
            value=inputs.venue error=error_for("venue") />
        <SelectField name="target_group" label=Signal::stored(t.get().field_target_group) placeholder=Signal::stored(t.get().choose)
            options=targets value=inputs.target error=error_for("target_group") />
        <TextField name="capacity" label=Signal::stored(t.get().field_capacity) hint=Signal::stored(t.get().hint_capacity)
            value=inputs.capacity error=error_for("capacity") input_mode="numeric" />
    }
}

pub(super) fn error_text(t: &crate::i18n::Catalog, error: &ClientError) -> String {
    match error {
        ClientError::Network | ClientError::Unavailable => t.err_network.to_owned(),
        ClientError::SignedOut => t.err_unauthenticated.to_owned(),
        ClientError::Validation(_) => t.form_has_errors.to_owned(),
        ClientError::Server {
            message: Some(m), ..
        } => m.clone(),
        ClientError::Server { message: None, .. } => t.err_server.to_owned(),
    }
}

fn focus_first_invalid(field: Option<&'static str>) {
    if let Some(field) = field {
        focus_by_id(field);
    }
}

pub(super) fn focus_by_id(id: &str) {
    #[cfg(feature = "browser")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "browser"))]
    let _ = id;
}
