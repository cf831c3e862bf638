//! 重複の統合 on the person's page: the records with a similar name or reading, with what
//! staff need to judge (birth date, phone, categories, when each was taken in), merged into
//! this one by the organisation holding the case, with the reason; the records merged into this
//! one, and on a merged record a banner pointing to the one that stays. Merging and undoing go
//! to the server (online only); the records and their entries are never deleted.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::lang::use_catalog;
use super::offline::use_sync;
use crate::client::{self, ClientError};
use crate::domain::person::{SupportCategory, likely_same};
use crate::protocol::{MergePerson, PersonView};
use crate::sync::kinds::{Fields, PersonFields};
use crate::sync::merge::RecordState;
use crate::sync::wire::RecordKind;

/// One other person record on this device.
#[derive(Clone, PartialEq)]
struct Other {
    id: String,
    p: PersonFields,
    /// When the record was first written (its earliest stamp), Japan time.
    taken_in_ms: Option<u64>,
}

fn other(id: String, state: &RecordState) -> Other {
    Other {
        id,
        p: PersonFields::read(state),
        taken_in_ms: state.fields.values().map(|f| f.stamp.wall_ms).min(),
    }
}

fn full_name(p: &PersonFields) -> String {
    format!("{} {}", &*p.family_name, &*p.given_name)
}

/// The people on this device other than `person`.
fn others(sync: super::offline::SyncState, person: &str) -> Vec<Other> {
    sync.records(RecordKind::Person)
        .into_iter()
        .filter(|(id, state, _)| id != person && state.deleted.is_none())
        .map(|(id, state, _)| other(id, &state))
        .collect()
}

/// After a merge or its undoing, the device fetches the change at once.
async fn send(url: String, body: Option<MergePerson>) -> Result<(), ClientError> {
    let body = body.unwrap_or_default();
    client::post_json::<_, PersonView>(&url, &body).await?;
    Ok(())
}

/// Undoes the merge of `dup`; says how it went in `status` and fetches the change.
fn unmerge(
    dup: String,
    status: RwSignal<Option<Result<(), String>>>,
    t: super::lang::PageCatalog,
    sync: super::offline::SyncState,
) {
    spawn_local(async move {
        match send(format!("/api/v1/people/{dup}/unmerge"), None).await {
            Ok(()) => {
                status.set(Some(Ok(())));
                sync.sync_now();
            }
            Err(e) => status.set(Some(Err(super::events::error_text(t.get_untracked(), &e)))),
        }
    });
}

/// On a merged record: which record stays, and the undo.
#[component]
pub fn MergedBanner(person: String) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let id = StoredValue::new(person);
    // Tracked: a merge or its undoing pulled from the server shows at once.
    let into = Memo::new(move |_| {
        let people = sync.records(RecordKind::Person);
        let find = |id: &str| {
            people
                .iter()
                .find(|(r, _, _)| r == id)
                .map(|(_, s, _)| PersonFields::read(s))
        };
        let into = find(&id.get_value())?.merged_into.0;
        let name = find(&into).map(|p| full_name(&p))?;
        Some((into, name))
    });
    let status = RwSignal::new(None::<Result<(), String>>);
    let undo = move |_| unmerge(id.get_value(), status, t, sync);
    view! {
        {move || into.get().map(|(into, name)| view! {
            <section class="notice merged-banner" data-testid="merged-banner" role="status">
                {
                    let (before, after) = t.get().intake.merged_banner.split_once("{name}").unwrap_or(("", ""));
                    view! { <p>{before}<a href=format!("/cases/{into}")>{name}</a>{after}</p> }
                }
                <button type="button" class="secondary" on:click=undo>{t.get().intake.unmerge}</button>
            </section>
        })}
        <Outcome status />
    }
}

#[component]
fn Outcome(status: RwSignal<Option<Result<(), String>>>) -> impl IntoView {
    let t = use_catalog();
    move || match status.get() {
        Some(Ok(())) => {
            Some(view! { <p class="ok" role="status">{t.get().case.saved_sent}</p> }.into_any())
        }
        Some(Err(m)) => Some(view! { <p class="alert" role="alert">{m}</p> }.into_any()),
        None => None,
    }
}

/// Whether the signed-in staff member's organisation holds the case (the server says; it is
/// the one that corrects the intake and merges, online).
pub fn held_here(id: String) -> Signal<bool> {
    let me = expect_context::<super::auth::CurrentUser>().0;
    let held = LocalResource::new(move || {
        let url = format!("/api/v1/people/{id}");
        async move { client::get_json_quiet::<PersonView>(&url, None).await.ok() }
    });
    Signal::derive(move || {
        let owner = held.get().flatten().map(|p| p.owner_org);
        owner.is_some() && owner == me.get().flatten().map(|m| m.organisation)
    })
}

/// The merge panel of a person the signed-in staff member's organisation holds.
#[component]
pub fn MergePanel(person: String) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let me = expect_context::<super::auth::CurrentUser>().0;
    let id = StoredValue::new(person);
    // Who holds the case is the server's to say (merging is online only anyway).
    let held = LocalResource::new(move || {
        let url = format!("/api/v1/people/{}", id.get_value());
        async move { client::get_json_quiet::<PersonView>(&url, None).await.ok() }
    });
    let ours = move || {
        let owner = held.get().flatten().map(|p| p.owner_org);
        owner.is_some() && owner == me.get().flatten().map(|m| m.organisation)
    };
    let this = Memo::new(move |_| {
        sync.view(RecordKind::Person, &id.get_value())
            .map(|s| PersonFields::read(&s))
    });
    let candidates = Memo::new(move |_| {
        let Some(this) = this.get() else {
            return Vec::new();
        };
        if !this.merged_into.is_empty() {
            return Vec::new();
        }
        let names = (
            &*this.family_name,
            &*this.given_name,
            &*this.family_name_kana,
            &*this.given_name_kana,
        );
        others(sync, &id.get_value())
            .into_iter()
            .filter(|o| o.p.merged_into.is_empty())
            .filter(|o| {
                likely_same(
                    names,
                    (
                        &o.p.family_name,
                        &o.p.given_name,
                        &o.p.family_name_kana,
                        &o.p.given_name_kana,
                    ),
                )
            })
            .take(5)
            .collect::<Vec<_>>()
    });
    let merged_here = Memo::new(move |_| {
        others(sync, &id.get_value())
            .into_iter()
            .filter(|o| o.p.merged_into.0 == id.get_value())
            .collect::<Vec<_>>()
    });
    view! {
        <Show when=ours>
            <section class="panel" aria-labelledby="merge-heading" data-testid="merge-panel">
                <h2 id="merge-heading">{move || t.get().intake.merge_title}</h2>
                <Show when=move || !merged_here.with(Vec::is_empty)>
                    <h3>{move || t.get().intake.merged_here}</h3>
                    <ul data-testid="merged-here">
                        <For each=move || merged_here.get() key=|o| o.id.clone() let:o>
                            <MergedHere o />
                        </For>
                    </ul>
                </Show>
                <p class="muted small">{move || t.get().intake.merge_lead}</p>
                <Show when=move || !candidates.with(Vec::is_empty)
                    fallback=move || view! { <p class="muted">{move || t.get().intake.merge_none}</p> }>
                    <ul class="merge-candidates" data-testid="merge-candidates">
                        <For each=move || candidates.get() key=|o| o.id.clone() let:o>
                            <Candidate o into=id.get_value() />
                        </For>
                    </ul>
                </Show>
            </section>
        </Show>
    }
}

/// What staff need to judge whether two records are one person.
#[component]
fn Facts(o: Other) -> impl IntoView {
    let t = use_catalog();
    let birth =
        o.p.birth_date
            .parse::<crate::domain::date::CivilDate>()
            .ok();
    let mut categories: Vec<SupportCategory> = SupportCategory::from_code(&o.p.category)
        .into_iter()
        .collect();
    categories.extend(
        o.p.other_categories
            .split(',')
            .filter_map(|c| SupportCategory::from_code(c.trim())),
    );
    let taken_in = o
        .taken_in_ms
        .map(|ms| crate::domain::date::CivilDate::in_japan_from_unix_millis(ms as i64));
    let phone = o.p.phone.0.clone();
    view! {
        <a href=format!("/cases/{}", o.id) class="name">{full_name(&o.p)}</a>
        " " <span class="kana">{format!("{} {}", &*o.p.family_name_kana, &*o.p.given_name_kana)}</span>
        <dl class="answers compact">
            <dt>{move || t.get().field_birth_date}</dt>
            <dd>{move || birth.map(|d| t.get().format_date(d)).unwrap_or_else(|| "—".into())}</dd>
            <dt>{move || t.get().field_phone}</dt>
            <dd>{if phone.is_empty() { "—".to_owned() } else { phone.clone() }}</dd>
            <dt>{move || t.get().field_category}</dt>
            <dd>{move || categories.iter().map(|c| t.get().support_category(*c)).collect::<Vec<_>>().join("・")}</dd>
            <dt>{move || t.get().intake.registered}</dt>
            <dd>{move || taken_in.map(|d| t.get().format_date(d)).unwrap_or_default()}</dd>
        </dl>
    }
}

#[component]
fn Candidate(o: Other, into: String) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<crate::protocol::FieldMessage>::new());
    let status = RwSignal::new(None::<Result<(), String>>);
    let dup = StoredValue::new(o.id.clone());
    let into = StoredValue::new(into);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = MergePerson {
            into: into.get_value(),
            reason: reason.get_untracked(),
        };
        let url = format!("/api/v1/people/{}/merge", dup.get_value());
        spawn_local(async move {
            match send(url, Some(body)).await {
                Ok(()) => {
                    status.set(Some(Ok(())));
                    open.set(false);
                    sync.sync_now();
                }
                Err(ClientError::Validation(f)) => errors.set(f),
                Err(e) => status.set(Some(Err(super::events::error_text(t.get_untracked(), &e)))),
            }
        });
    };
    view! {
        <li data-candidate=o.id.clone()>
            <Facts o=o.clone() />
            <button type="button" class="secondary" on:click=move |_| open.update(|v| *v = !*v)>
                {move || t.get().intake.merge_this}
            </button>
            <Show when=move || open.get()>
                <form on:submit=confirm novalidate=true data-testid="merge-form">
                    <super::components::TextField name="merge_reason" label=Signal::derive(move || t.get().intake.merge_reason)
                        value=reason error=super::components::field_error(errors, "reason") />
                    {move || errors.with(|e| e.iter().filter(|m| m.field != "reason").map(|m| m.message.clone()).collect::<Vec<_>>().join(" "))}
                    <button type="submit" class="primary">{move || t.get().intake.merge_confirm}</button>
                </form>
            </Show>
            <Outcome status />
        </li>
    }
}

#[component]
fn MergedHere(o: Other) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let status = RwSignal::new(None::<Result<(), String>>);
    let dup = StoredValue::new(o.id.clone());
    let undo = move |_| unmerge(dup.get_value(), status, t, sync);
    view! {
        <li data-merged=o.id.clone()>
            <Facts o=o.clone() />
            <button type="button" class="secondary" on:click=undo>{move || t.get().intake.unmerge}</button>
            <Outcome status />
        </li>
    }
}
