//! The status bar every page shows (connection, waiting entries, last sync, progress,
//! problems) and the form that opens a sealed store offline.

use leptos::prelude::*;
use serde_json::Value;

use super::{local_key, use_sync};
use crate::client::{self, local};
use crate::ui::lang::use_catalog;

/// The status bar: connection, entries waiting, last sync, progress, problems, a sync button.
#[component]
pub fn SyncBar() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let waiting = Signal::derive(move || sync.waiting());
    let failed = Signal::derive(move || {
        sync.local
            .with(|l| l.as_ref().map_or(0, |l| l.outbox.failed.len()))
    });
    let last = move || {
        sync.cache
            .with(|c| c.last_sync_ms)
            .map_or_else(|| t.get().sync_never.to_owned(), sync_time)
    };
    view! {
        <Show when=move || sync.locked.get().is_some()>
            <UnlockForm />
        </Show>
        <Show when=move || sync.staff.get().is_some()>
            <div class="sync-bar" data-testid="sync-status"
                data-online=move || sync.online.get().to_string()
                data-waiting=move || waiting.get().to_string()
                data-running=move || sync.running.get().to_string()
                data-records=move || sync.cache.with(|c| c.records.len()).to_string()
                data-last-pull-ms=move || sync.last_pull_ms.get().map(|ms| ms.to_string())>
                <span class="sync-conn" class:offline=move || !sync.online.get()>
                    <span class="dot" aria-hidden="true"></span>
                    {move || if sync.online.get() { t.get().sync_online } else { t.get().sync_offline }}
                </span>
                <span class="sync-waiting">
                    {t.get().sync_waiting} " "
                    <strong data-testid="sync-waiting">{move || waiting.get()}</strong>
                </span>
                <span class="sync-last">{t.get().sync_last} " " {last}</span>
                <Show when=move || { sync.conflicts.get() > 0 && sync.device.with(Option::is_none) }>
                    <a href="/conflicts" class="alert-link" data-testid="sync-conflicts">
                        {move || format!("{} {}", t.get().nav_conflicts, t.get().conflicts_count.replace("{n}", &sync.conflicts.get().to_string()))}
                    </a>
                </Show>
                {move || sync.progress.get().map(|(done, total, receiving)| view! {
                    <span class="sync-progress">
                        {if receiving { t.get().sync_receiving } else { t.get().sync_sending }}
                        " " <progress max=total value=done></progress>
                        {format!(" {done}/{total}")}
                    </span>
                })}
                <button type="button" class="secondary sync-now" on:click=move |_| sync.sync_now()
                    disabled=move || sync.running.get()>
                    {move || if sync.running.get() { t.get().sync_running } else { t.get().sync_now }}
                </button>
                <SyncProblems failed />
            </div>
        </Show>
    }
}

/// When the last sync was, in Japan time with the day: a laptop back from two days offline
/// says so.
fn sync_time(ms: i64) -> String {
    let local_ms = ms + 9 * 3_600_000;
    let day = crate::domain::date::CivilDate::from_unix_millis(local_ms);
    let minutes = (local_ms / 60_000).rem_euclid(24 * 60);
    format!(
        "{}/{} {:02}:{:02}",
        day.month(),
        day.day(),
        minutes / 60,
        minutes % 60
    )
}

/// What keeps the sync from being whole: the last problem, entries kept aside, a restart from
/// the beginning, refusals waiting to be read.
#[component]
fn SyncProblems(failed: Signal<usize>) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    view! {
        <span class="sync-problem" aria-live="polite">
            {move || sync.problem.get().map(|p| p.text(t.get()))}
            // Entries kept aside stay reported until someone deals with them.
            {move || sync.staff.get().filter(|s| {
                local::load::<Value>(&local::Aside::Unreadable.key(&local_key(s))).is_some()
            }).map(|_| t.get().vault_set_aside)}
            {move || sync.staff.get().filter(|s| {
                local::load::<Value>(&local::Aside::Newer.key(&local_key(s))).is_some()
            }).map(|_| t.get().sync_set_aside)}
            {move || sync.resynced.get().then(|| t.get().sync_resynced)}
            {move || (failed.get() > 0).then(|| view! {
                <a href=move || if sync.device.with(Option::is_some) { "/fair#failed" } else { "/cases#failed" } class="alert-link">
                    {move || format!("{}: {}", t.get().sync_failed_title, failed.get())}
                </a>
            })}
        </span>
    }
}

/// Offline start of a sealed store: the staff member's password opens it here.
#[component]
fn UnlockForm() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let password = RwSignal::new(String::new());
    let message = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = password.get_untracked();
        password.set(String::new());
        match sync.unlock(&typed) {
            Ok(()) => message.set(None),
            Err(client::vault::Locked::Wiped) => message.set(Some(t.get().vault_wiped)),
            Err(client::vault::Locked::SignInOnce) => message.set(Some(t.get().vault_sign_in_once)),
            Err(_) => message.set(Some(t.get().vault_wrong)),
        }
    };
    view! {
        <form class="sync-bar unlock" on:submit=submit novalidate=true data-testid="unlock-form">
            <label for="unlock-password">
                {move || if sync.device.with(Option::is_some) { t.get().vault_locked_tablet } else { t.get().vault_locked }}
            </label>
            <input id="unlock-password" type="password" autocomplete="current-password"
                prop:value=move || password.get()
                on:input:target=move |ev| password.set(ev.target().value()) />
            <button type="submit" class="secondary">{t.get().vault_unlock}</button>
            <span class="sync-problem" role="alert">{move || message.get()}</span>
        </form>
    }
}
