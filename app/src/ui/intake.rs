//! 相談受付: the one intake form, for a new person or a correction, online and offline alike.
//! Every entry goes to this device's outbox first (see `offline`) and from there to the server
//! at once while online; the form says where the entry is. While a new name is typed it shows
//! the people this device already knows under a similar name or reading (search before create).
//! Also the list of entries the server refused, with its reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::case_rows::CaseRow;
use super::intake_fields::IntakeDetailsFields;
use super::lang::{use_catalog, use_lang};
use super::offline::use_sync;
use super::person_fields::{PersonFields, PersonInputs};
use crate::client;
use crate::domain::person::likely_same;
use crate::protocol::FieldMessage;
use crate::sync::kinds::{person_draft, person_values};
use crate::sync::wire::RecordKind;

/// Entries the server refused, with its reason, until the person sets them aside.
#[component]
pub fn FailedList() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let failed = Memo::new(move |_| {
        sync.local.with(|l| {
            l.as_ref()
                .map(|l| l.outbox.failed.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <Show when=move || !failed.get().is_empty()>
            <div id="failed" class="alert" role="alert" data-testid="sync-failed">
                <h3>{t.get().sync_failed_title}</h3>
                <ul>
                    {move || failed.get().into_iter().map(|f| {
                        let detail = f.fields.iter().map(|m| m.message.clone()).collect::<Vec<_>>().join(" ");
                        view! {
                            <li>
                                {f.reason.clone()} " " {detail} " "
                                <button type="button" class="link-button" on:click=move |_| sync.dismiss(f.clone())>
                                    {t.get().sync_dismiss}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// New person (`record_id` none) or a correction of one, saved to this device's outbox. A new
/// person's form lists the likely existing people among `known` as the name is typed.
#[component]
pub fn PersonForm(
    record_id: Option<String>,
    #[prop(optional)] known: Option<Signal<Vec<CaseRow>>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let sync = use_sync();
    let existing = record_id
        .as_ref()
        .and_then(|id| sync.view(RecordKind::Person, id));
    let inputs = PersonInputs::new(existing.as_ref().map(person_draft).unwrap_or_default());
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let status = RwSignal::new(None::<Result<(), String>>);
    let editing = record_id.is_some();
    let record_id = StoredValue::new(record_id);
    // While an entry is being written to this device's store (a moment, under the lock other
    // tabs share), the form waits: nothing typed meanwhile is cleared with it.
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        status.set(None);
        let Some((_, person)) = inputs.check(errors, lang.get_untracked()) else {
            status.set(Some(Err(t.get_untracked().form_has_errors.to_owned())));
            return;
        };
        let Some(id) = record_id.get_value().or_else(client::new_record_id) else {
            status.set(Some(Err(t.get_untracked().sync_storage_full.to_owned())));
            return;
        };
        let values: Vec<(&'static str, Value)> = person_values(&person).into_iter().collect();
        saving.set(true);
        spawn_local(async move {
            let saved = sync.put(RecordKind::Person, &id, values).await;
            saving.set(false);
            match saved {
                Ok(()) => {
                    if !editing {
                        inputs.clear();
                    }
                    status.set(Some(Ok(())));
                    on_done();
                }
                Err(p) => status.set(Some(Err(p.text(t.get_untracked()).to_owned()))),
            }
        });
    };
    let testid = if editing { "edit-form" } else { "intake-form" };
    view! {
        <form on:submit=submit novalidate=true data-testid=testid>
            <div class="form-status" role="status" aria-live="polite">
                {move || matches!(status.get(), Some(Ok(()))).then(|| view! { <p class="ok">{t.get().case.saved_here}</p> })}
            </div>
            <div role="alert">
                {move || match status.get() { Some(Err(m)) => Some(view! { <p class="alert">{m}</p> }), _ => None }}
            </div>
            <PersonFields inputs errors />
            {known.map(|known| view! { <LikelyExisting inputs known /> })}
            <IntakeDetailsFields inputs=inputs.details errors />
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{t.get().save}</button>
                {editing.then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| on_done()>{t.get().cancel}</button>
                })}
            </div>
        </form>
    }
}

/// Search before create: the people whose name or reading begins as typed (any kana, width
/// or variant form), with what tells them apart, each a link to their page.
#[component]
fn LikelyExisting(inputs: PersonInputs, known: Signal<Vec<CaseRow>>) -> impl IntoView {
    let t = use_catalog();
    let likely = Memo::new(move |_| {
        let typed = (
            inputs.family.get(),
            inputs.given.get(),
            inputs.family_kana.get(),
            inputs.given_kana.get(),
        );
        let typed = (
            typed.0.as_str(),
            typed.1.as_str(),
            typed.2.as_str(),
            typed.3.as_str(),
        );
        known.with(|all| {
            all.iter()
                .filter(|p| likely_same(typed, p.names()))
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || !likely.with(Vec::is_empty)>
            <section class="likely notice" aria-live="polite" data-testid="likely-existing">
                <h3>{t.get().case.likely_title}</h3>
                <ul>
                    <For each=move || likely.get() key=|p| p.id.clone() let:p>
                        <li>
                            <a href=format!("/cases/{}", p.id)>
                                <span class="name">{format!("{} {}", p.family_name, p.given_name)}</span>
                            </a>
                            " " <span class="kana">{format!("{} {}", p.family_name_kana, p.given_name_kana)}</span>
                            " " {p.birth_date.map(|d| t.get().format_date(d))}
                            " " {p.owner.map(|o| view! { <span class="badge">{t.get().organisation(o)}</span> })}
                        </li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}
