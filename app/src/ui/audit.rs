//! 監査ログ on the administrator's page: who read or changed what, with names and Japanese
//! labels, filtered (staff member or device, person, action, outcome, dates), in pages, and
//! exported as CSV — what a disclosure request asks ("who read this person's record").

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::components::{SelectField, TextField};
use super::lang::{use_catalog, use_lang};
use crate::client;
use crate::domain::date::japan_date_time;
use crate::i18n::audit as labels;
use crate::protocol::{AuditEntry, AuditPage, AuditVerification, DeviceList, StaffList};

/// A query string value, percent-encoded (everything but unreserved ASCII).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Clone, Copy)]
struct Filter {
    actor: RwSignal<String>,
    subject: RwSignal<String>,
    action: RwSignal<String>,
    outcome: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl Filter {
    fn new() -> Self {
        Self {
            actor: RwSignal::new(String::new()),
            subject: RwSignal::new(String::new()),
            action: RwSignal::new(String::new()),
            outcome: RwSignal::new(String::new()),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
        }
    }

    /// The filter as a query string (only what is set).
    fn query(self) -> String {
        [
            ("actor", self.actor),
            ("subject", self.subject),
            ("action", self.action),
            ("outcome", self.outcome),
            ("from", self.from),
            ("to", self.to),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            let v = value.get_untracked();
            let v = v.trim();
            (!v.is_empty()).then(|| format!("{name}={}", encode(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

#[component]
pub fn AuditSection() -> impl IntoView {
    let t = use_catalog();
    let filter = Filter::new();
    let applied = RwSignal::new(String::new());
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next_before = RwSignal::new(None::<i64>);
    let problem = RwSignal::new(None::<String>);
    let load = move |before: Option<i64>| {
        let query = applied.get_untracked();
        spawn_local(async move {
            let mut url = format!("/api/v1/audit?limit=100&{query}");
            if let Some(b) = before {
                url.push_str(&format!("&before={b}"));
            }
            match client::get_json::<AuditPage>(&url).await {
                Ok(page) => {
                    problem.set(None);
                    entries.update(|list| {
                        if before.is_none() {
                            list.clear();
                        }
                        list.extend(page.entries);
                    });
                    next_before.set(page.next_before);
                }
                Err(e) => problem.set(Some(super::events::error_text(t.get(), &e))),
            }
        });
    };
    Effect::new(move |_| load(None));
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(filter.query());
        load(None);
    };
    view! {
        <section class="panel admin-section" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{t.get().audit_title}</h2>
            <Verification />
            <form class="audit-filter" on:submit=search novalidate=true data-testid="audit-filter">
                <h3>{t.get().audit_filter}</h3>
                <FilterFields filter />
                <button type="submit" class="primary">{t.get().audit_search}</button>
                <a class="button secondary" data-testid="audit-export" download=""
                    href=move || format!("/api/v1/audit/export?{}", applied.get())>
                    {t.get().audit_export}
                </a>
            </form>
            <div role="alert">{move || problem.get().map(|m| view! { <p class="alert">{m}</p> })}</div>
            <EntryTable entries />
            <Show when=move || next_before.get().is_some()>
                <button type="button" class="secondary" data-testid="audit-older"
                    on:click=move |_| load(next_before.get_untracked())>
                    {t.get().audit_older}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn Verification() -> impl IntoView {
    let t = use_catalog();
    let verification = RwSignal::new(None::<AuditVerification>);
    let verify = move |_| {
        spawn_local(async move {
            if let Ok(v) = client::get_json::<AuditVerification>("/api/v1/audit/verify").await {
                verification.set(Some(v));
            }
        });
    };
    view! {
        <button type="button" class="secondary" on:click=verify>{t.get().audit_verify}</button>
        <p role="status" data-testid="audit-verification">
            {move || verification.get().map(|v| match (v.first_bad_seq, v.unanchored) {
                (Some(seq), _) => format!("{} #{seq}", t.get().audit_broken),
                (None, true) => t.get().audit_unanchored.to_owned(),
                (None, false) => format!("{}（{}）", t.get().audit_ok, v.checked),
            })}
        </p>
    }
}

#[component]
fn FilterFields(filter: Filter) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let actors = LocalResource::new(|| async {
        let mut options = Vec::new();
        if let Ok(list) = client::get_json::<StaffList>("/api/v1/staff").await {
            options.extend(list.staff.into_iter().map(|s| {
                (
                    format!("staff:{}", s.id),
                    format!("{}（{}）", s.display_name, s.login_id),
                )
            }));
        }
        if let Ok(list) = client::get_json::<DeviceList>("/api/v1/devices").await {
            options.extend(list.devices.into_iter().map(|d| {
                (
                    format!("device:{}", d.id),
                    format!("{}（{}）", d.label, d.event_title),
                )
            }));
        }
        options
    });
    let actor_options = Signal::derive(move || actors.get().unwrap_or_default());
    let action_options = Signal::derive(move || {
        labels::actions(lang.get())
            .into_iter()
            .map(|(code, label)| (code.to_owned(), label.to_owned()))
            .collect::<Vec<_>>()
    });
    let outcome_options = Signal::derive(move || {
        vec![
            ("ok".to_owned(), t.get().outcome_ok.to_owned()),
            ("denied".to_owned(), t.get().outcome_denied.to_owned()),
        ]
    });
    let none = Signal::stored(None::<String>);
    view! {
        <div class="filter-grid">
            <SelectField name="actor" label=Signal::stored(t.get().col_actor) placeholder=Signal::stored(t.get().audit_actor_any)
                options=actor_options value=filter.actor error=none />
            <TextField name="subject" label=Signal::stored(t.get().col_subject) hint=Signal::stored(t.get().audit_subject_hint)
                value=filter.subject error=none />
            <SelectField name="action" label=Signal::stored(t.get().col_action) placeholder=Signal::stored(t.get().audit_action_any)
                options=action_options value=filter.action error=none />
            <SelectField name="outcome" label=Signal::stored(t.get().col_outcome) placeholder=Signal::stored(t.get().audit_outcome_any)
                options=outcome_options value=filter.outcome error=none />
            <TextField name="from" label=Signal::stored(t.get().audit_from) value=filter.from error=none />
            <TextField name="to" label=Signal::stored(t.get().audit_to) value=filter.to error=none />
        </div>
    }
}

#[component]
fn EntryTable(entries: RwSignal<Vec<AuditEntry>>) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    view! {
        <Show when=move || !entries.with(Vec::is_empty)
            fallback=move || view! { <p class="muted">{t.get().audit_none}</p> }>
            <table class="records" data-testid="audit-table">
                <thead><tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{t.get().col_at}</th>
                    <th scope="col">{t.get().col_actor}</th>
                    <th scope="col">{t.get().col_action}</th>
                    <th scope="col">{t.get().col_subject}</th>
                    <th scope="col">{t.get().col_outcome}</th>
                </tr></thead>
                <tbody>
                    // Keyed by what a row shows that a filter can change: a pull page's
                    // entry names the person looked for as its subject.
                    <For each=move || entries.get() key=|e| (e.seq, e.subject_id.clone()) let:e>
                        {
                            let ok = e.outcome == "ok";
                            let who = if e.actor_name.is_empty() { e.actor.clone() } else { e.actor_name.clone() };
                            let subject = format!("{} {}", labels::subject(lang.get_untracked(), &e.subject_kind),
                                e.subject_id.clone().unwrap_or_default());
                            view! {
                                <tr class:denied=!ok>
                                    <td data-label="#">{e.seq}</td>
                                    <td data-label=t.get().col_at>{japan_date_time(e.at_ms)}</td>
                                    <td data-label=t.get().col_actor title=e.actor.clone()>{who}</td>
                                    <td data-label=t.get().col_action>{labels::action(lang.get_untracked(), &e.action)}</td>
                                    <td data-label=t.get().col_subject class="mono">{subject}</td>
                                    <td data-label=t.get().col_outcome>{if ok { t.get().outcome_ok } else { t.get().outcome_denied }}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </Show>
    }
}
