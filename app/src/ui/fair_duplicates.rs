//! A fair's possible duplicates on the event page: for each, both sides with what staff need to
//! judge — birth date or age group, phone, where and when each was registered — which record
//! stays if they are merged, the decision, and its undoing.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::lang::use_catalog;
use crate::client;
use crate::domain::date::CivilDate;
use crate::domain::person::AgeBand;
use crate::protocol::{DecideDuplicate, DuplicateFacts, DuplicateList, DuplicateView};

#[component]
pub fn Duplicates(event_id: Memo<String>, version: RwSignal<u32>) -> impl IntoView {
    let t = use_catalog();
    let list = LocalResource::new(move || {
        let id = event_id.get();
        version.track();
        async move {
            client::get_json::<DuplicateList>(&format!("/api/v1/events/{id}/duplicates")).await
        }
    });
    let problem = RwSignal::new(None::<String>);
    let decide = move |id: i64, decision: &'static str| {
        spawn_local(async move {
            let body = DecideDuplicate {
                decision: decision.to_owned(),
            };
            match client::post_json_no_content(&format!("/api/v1/duplicates/{id}/decide"), &body)
                .await
            {
                Ok(()) => {
                    problem.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => problem.set(Some(super::events::error_text(t.get_untracked(), &e))),
            }
        });
    };
    view! {
        <section class="panel no-print" aria-labelledby="duplicates-heading">
            <h2 id="duplicates-heading">{t.get().ev_duplicates}</h2>
            {move || problem.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <Transition fallback=|| ()>
                {move || list.get().and_then(Result::ok).map(|l| {
                    if l.duplicates.is_empty() {
                        return view! { <p class="muted" data-testid="no-duplicates">{t.get().ev_duplicates_empty}</p> }.into_any();
                    }
                    view! {
                        <table class="records" data-testid="duplicates">
                            <thead><tr>
                                <th scope="col">{t.get().col_name}</th>
                                <th scope="col">{t.get().ev_duplicates}</th>
                                <th scope="col">{t.get().col_status}</th>
                            </tr></thead>
                            <tbody>
                                {l.duplicates.into_iter().map(|d| view! { <FlagRow d decide /> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FlagRow(
    d: DuplicateView,
    decide: impl Fn(i64, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let other_kind = if d.other_kind == "person" {
        t.get().dup_other_person
    } else {
        t.get().dup_other_participant
    };
    let id = d.id;
    view! {
        <tr data-duplicate-id=d.id.to_string() data-resolution=d.resolution.clone().unwrap_or_default()>
            <td data-label=t.get().col_name>
                <span class="name">{d.record_name.clone()}</span>
                <Facts facts=d.record_facts.clone() />
            </td>
            <td data-label=t.get().ev_duplicates>
                <span class="name">{d.other_name.clone()}</span> "（" {other_kind} "）"
                " " <span class="badge">{t.get().dup_survives}</span>
                <Facts facts=d.other_facts.clone() />
                <span class="muted">{t.get().same_reason(&d.reason)}</span>
            </td>
            <td data-label=t.get().col_status>
                {match d.resolution.as_deref() {
                    Some(done) => view! {
                        <span class="badge">{if done == "merged" { t.get().dup_merged } else { t.get().dup_kept_apart }}</span>
                        " "
                        <button type="button" class="link-button" on:click=move |_| decide(id, "undo")>{t.get().dup_undo}</button>
                    }.into_any(),
                    None => view! {
                        <div class="row-actions">
                            <button type="button" class="primary" on:click=move |_| decide(id, "merge")>{t.get().dup_merge}</button>
                            <button type="button" class="secondary" on:click=move |_| decide(id, "keep_apart")>{t.get().dup_keep_apart}</button>
                        </div>
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// Birth date (or age group), phone, and where and when the record was registered.
#[component]
fn Facts(facts: DuplicateFacts) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let born = match (
        facts.birth_date,
        facts.age_band.as_deref().and_then(AgeBand::from_code),
    ) {
        (Some(d), _) => c.format_date(d),
        (None, Some(band)) => c.age_band(band).to_owned(),
        _ => "—".to_owned(),
    };
    let by = facts.registered_by.clone().unwrap_or_default();
    let place = if facts.by_tablet {
        c.dup_by_tablet.replace("{label}", &by)
    } else {
        c.dup_at_counter.replace("{name}", &by)
    };
    let when = facts
        .registered_at_ms
        .map(|ms| c.format_date(CivilDate::in_japan_from_unix_millis(ms)))
        .unwrap_or_default();
    view! {
        <dl class="answers compact" data-testid="duplicate-facts">
            <dt>{c.field_birth_date}</dt><dd>{born}</dd>
            <dt>{c.field_phone}</dt><dd>{facts.phone.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{c.dup_registered}</dt><dd>{place} " " {when}</dd>
        </dl>
    }
}
