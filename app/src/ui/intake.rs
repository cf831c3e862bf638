//! 受付（オフライン対応）: intake that works without a network. Entries go to this device's
//! outbox first (see `offline`), the list shows each record's state (waiting, sent, refused
//! with the reason), and a record can be corrected here, offline too. Also the conflicts page,
//! where staff choose between two values edited at the same time.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use serde_json::Value;

use super::components::{PersonFields, PersonInputs};
use super::lang::{use_catalog, use_lang};
use super::offline::use_sync;
use crate::client;
use crate::domain::date::CivilDate;
use crate::protocol::FieldMessage;
use crate::sync::kinds::{Fields, PersonFields, person_draft, person_values};
use crate::sync::merge::RecordState;
use crate::sync::wire::{ConflictList, RecordKind, ResolveConflict};

/// The most rows the local list renders.
const LIST_MAX: usize = 200;

/// One person in the list: id, how the device sees it, and where it stands.
#[derive(Clone, PartialEq)]
struct Row {
    id: String,
    state: RecordState,
    waiting: bool,
    /// Changes whenever the record does, so the list re-renders that row.
    fingerprint: String,
}

#[component]
pub fn IntakePage() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let editing = RwSignal::new(None::<String>);
    let rows = Memo::new(move |_| {
        let mut rows: Vec<Row> = sync
            .records(RecordKind::Person)
            .into_iter()
            .map(|(id, state, waiting)| Row {
                waiting,
                fingerprint: serde_json::to_string(&state).unwrap_or_default(),
                id,
                state,
            })
            .collect();
        // Waiting entries first (what this device still owes the server), then by reading.
        rows.sort_by_cached_key(|r| {
            let p = PersonFields::read(&r.state);
            (!r.waiting, p.family_name_kana, p.given_name_kana)
        });
        // A city's caseload can be thousands: the list shows the first screenfuls.
        rows.truncate(LIST_MAX);
        rows
    });
    view! {
        <Title text=t.get().intake_title />
        <h1>{t.get().intake_title}</h1>
        <p class="lead">{t.get().intake_lead}</p>
        <div class="two-col">
            <section class="panel" aria-labelledby="offline-intake-heading">
                <h2 id="offline-intake-heading">{t.get().people_new}</h2>
                <PersonForm record_id=None on_done=move || () />
            </section>
            <section class="panel" aria-labelledby="local-list-heading">
                <h2 id="local-list-heading">{t.get().intake_list}</h2>
                <FailedList />
                <Show when=move || !rows.get().is_empty()
                    fallback=move || view! { <p class="muted">{t.get().intake_empty}</p> }>
                    <table class="records" data-testid="local-people">
                        <thead><tr>
                            <th scope="col">{t.get().col_name}</th>
                            <th scope="col">{t.get().field_birth_date}</th>
                            <th scope="col">{t.get().col_status}</th>
                            <th scope="col">{t.get().col_actions}</th>
                        </tr></thead>
                        <tbody>
                            <For each=move || rows.get() key=|r| (r.id.clone(), r.fingerprint.clone(), r.waiting) let:row>
                                <LocalRow row=row editing />
                            </For>
                        </tbody>
                    </table>
                </Show>
            </section>
        </div>
    }
}

#[component]
fn LocalRow(row: Row, editing: RwSignal<Option<String>>) -> impl IntoView {
    let t = use_catalog();
    let p = PersonFields::read(&row.state);
    let name = format!("{} {}", &*p.family_name, &*p.given_name);
    let kana = format!("{} {}", &*p.family_name_kana, &*p.given_name_kana);
    let birth = p.birth_date.parse::<CivilDate>().ok();
    let waiting = row.waiting;
    let id = row.id.clone();
    let open = {
        let id = id.clone();
        move || editing.get().as_deref() == Some(id.as_str())
    };
    let toggle = {
        let id = id.clone();
        move |_| {
            editing.update(|e| {
                *e = if e.as_deref() == Some(id.as_str()) {
                    None
                } else {
                    Some(id.clone())
                }
            })
        }
    };
    view! {
        <tr data-record-id=id.clone() data-state=if waiting { "waiting" } else { "synced" }>
            <td data-label=t.get().col_name>
                <span class="name">{name}</span><br /><span class="kana">{kana}</span>
            </td>
            <td data-label=t.get().field_birth_date>
                {move || birth.map(|d| t.get().format_date(d)).unwrap_or_default()}
            </td>
            <td data-label=t.get().col_status>
                <span class="badge" class:ok-badge=!waiting>
                    {move || if waiting { t.get().state_pending } else { t.get().state_synced }}
                </span>
            </td>
            <td data-label=t.get().col_actions>
                <button type="button" class="link-button" on:click=toggle>{t.get().edit}</button>
            </td>
        </tr>
        <Show when=open.clone()>
            <tr class="edit-row"><td colspan="4">
                <PersonForm record_id=Some(id.clone()) on_done=move || editing.set(None) />
            </td></tr>
        </Show>
    }
}

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

/// New person (`record_id` none) or a correction of one, saved to this device's outbox.
#[component]
fn PersonForm(
    record_id: Option<String>,
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
    let testid = if editing {
        "edit-form"
    } else {
        "offline-intake-form"
    };
    view! {
        <form on:submit=submit novalidate=true data-testid=testid>
            <div class="form-status" role="status" aria-live="polite">
                {move || matches!(status.get(), Some(Ok(()))).then(|| view! { <p class="ok">{t.get().intake_saved}</p> })}
            </div>
            <div role="alert">
                {move || match status.get() { Some(Err(m)) => Some(view! { <p class="alert">{m}</p> }), _ => None }}
            </div>
            <PersonFields inputs errors />
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || saving.get()>{t.get().save}</button>
                {editing.then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| on_done()>{t.get().cancel}</button>
                })}
            </div>
        </form>
    }
}

/// Conflicts from concurrent offline edits, for staff to settle.
#[component]
pub fn ConflictsPage() -> impl IntoView {
    let t = use_catalog();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        client::get_json::<ConflictList>("/api/v1/sync/conflicts")
    });
    let choose = move |id: i64, choice: &'static str| {
        spawn_local(async move {
            let body = ResolveConflict {
                choice: choice.to_owned(),
            };
            let url = format!("/api/v1/sync/conflicts/{id}/resolve");
            if client::post_json_no_content(&url, &body).await.is_ok() {
                version.update(|v| *v += 1);
            }
        });
    };
    let show = move |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    };
    view! {
        <Title text=t.get().nav_conflicts />
        <h1>{t.get().nav_conflicts}</h1>
        <p class="lead">{t.get().conflicts_lead}</p>
        <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
            {move || list.get().map(|result| match result {
                Ok(list) if list.conflicts.is_empty() => view! { <p class="muted" data-testid="no-conflicts">{t.get().conflicts_none}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="records" data-testid="conflicts">
                        <thead><tr>
                            <th scope="col">{t.get().col_record}</th>
                            <th scope="col">{t.get().col_field}</th>
                            <th scope="col">{t.get().conflict_kept}</th>
                            <th scope="col">{t.get().conflict_other}</th>
                        </tr></thead>
                        <tbody>
                            {list.conflicts.into_iter().map(|c| {
                                let id = c.id;
                                let field = c.field.clone();
                                view! {
                                    <tr data-conflict-id=id.to_string()>
                                        <td data-label=t.get().col_record>{c.record_label.clone()}</td>
                                        <td data-label=t.get().col_field>{t.get().field_label(&field)}</td>
                                        <td data-label=t.get().conflict_kept>
                                            <span class="value">{show(&c.kept)}</span>" "
                                            <button type="button" class="secondary" on:click=move |_| choose(id, "kept")>{t.get().conflict_choose}</button>
                                        </td>
                                        <td data-label=t.get().conflict_other>
                                            <span class="value">{show(&c.other)}</span>" "
                                            <button type="button" class="secondary" on:click=move |_| choose(id, "other")>{t.get().conflict_choose}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => view! { <p class="alert" role="alert">{super::events::error_text(t.get(), &e)}</p> }.into_any(),
            })}
        </Transition>
    }
}
