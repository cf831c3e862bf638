//! 競合: values two people changed at the same time (offline, on two devices), for staff to
//! settle by choosing one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use serde_json::Value;

use super::lang::use_catalog;
use super::offline::use_sync;
use crate::client;
use crate::domain::date::CivilDate;
use crate::sync::wire::{ConflictList, ConflictSide, ResolveConflict};

/// Who made one side of a conflict, on which device, when (Japan time, with the day).
#[component]
fn SideLine(side: Option<ConflictSide>) -> impl IntoView {
    let t = use_catalog();
    let Some(side) = side else {
        return view! { <span class="muted small">{move || t.get().conflict_unknown}</span> }
            .into_any();
    };
    let day = CivilDate::in_japan_from_unix_millis(side.at_ms);
    let minutes = ((side.at_ms + 9 * 3_600_000) / 60_000).rem_euclid(24 * 60);
    let when = move || {
        format!(
            "{} {:02}:{:02}",
            t.get().format_date(day),
            minutes / 60,
            minutes % 60
        )
    };
    let device = move || {
        if side.tablet {
            t.get().conflict_tablet.replace("{event}", &side.device)
        } else {
            t.get().conflict_browser.replace("{id}", &side.device)
        }
    };
    let who = side.who.clone();
    let org = side.organisation;
    view! {
        <span class="conflict-side small" data-testid="conflict-side">
            <span class="who">{who}</span>
            {move || org.map(|o| format!("（{}）", t.get().organisation(o)))}
            " · " {device} " · " {when}
        </span>
    }
    .into_any()
}

/// Conflicts from concurrent offline edits, for staff to settle.
#[component]
pub fn ConflictsPage() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        async move {
            let list = client::get_json::<ConflictList>("/api/v1/sync/conflicts").await;
            // The count in the menu and the status bar follows what this page shows.
            if let Ok(l) = &list {
                sync.conflicts.set(l.conflicts.len() as u32);
            }
            list
        }
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
                                            <SideLine side=c.kept_by.clone() />" "
                                            <button type="button" class="secondary" on:click=move |_| choose(id, "kept")>{t.get().conflict_choose}</button>
                                        </td>
                                        <td data-label=t.get().conflict_other>
                                            <span class="value">{show(&c.other)}</span>" "
                                            <SideLine side=c.other_by.clone() />" "
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
