//! 面接会タブレット (`/fair`): a tablet enrolled for one fair, used by volunteers in a noisy
//! hall, often without Wi-Fi. It opens straight into its event with three large tabs —
//! walk-in registration, check-in of pre-registered people, interview outcomes — and every
//! entry goes to the tablet's outbox first (see `offline`), so nothing depends on the network.
//!
//! No staff session here: the tablet's requests carry its token. A revoked tablet is told so
//! at its next sync and erases what it stored.
//!
//! The tablet's page is its own browser entry ([`TabletApp`], mounted by `tablet()` in the
//! crate root and built as `pkg/tablet.<hash>.wasm`): no router, no staff session, no other
//! area's code, so a tablet on a venue's hotspot waits for the fair's screens and engine only
//! (the service worker fetches the rest of the build afterwards, for offline starts).

mod interviews;
mod walk_in;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::{Html, Title, provide_meta_context};
use serde_json::Value;

use super::components::{Brand, TextField};
use super::lang::{LangSwitch, provide_lang, use_catalog, use_lang};
use super::offline::{DeviceEnrolment, SyncBar, SyncState, provide_device_sync, use_sync};
use crate::client::{self, ClientError};
use crate::domain::text::fold_kana;
use crate::protocol::{EmployerView, EnrolRequest, Enrolled, EventDetail};
use crate::sync::kinds::{self, Fields, Registration};
use crate::sync::wire::RecordKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    WalkIn,
    CheckIn,
    Interviews,
}

/// The tablet's whole page: the app's header (name, language), the sync bar and the fair (no
/// menu and no footer: a volunteer's screen holds the fair only).
#[component]
pub fn TabletApp() -> impl IntoView {
    provide_meta_context();
    provide_lang();
    provide_device_sync();
    let lang = use_lang();
    let t = use_catalog();
    view! {
        <Html {..} lang=move || lang.get().tag() />
        <Title formatter=move |page: String| format!("{page} — {}", t.get().app_name) />
        <a class="skip-link" href="#main">{t.get().skip_to_content}</a>
        <header class="app-header">
            <Brand />
            <div class="header-tools">
                <LangSwitch />
            </div>
        </header>
        <SyncBar />
        <main id="main" tabindex="-1">
            <FairPage />
        </main>
    }
}

#[component]
fn FairPage() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let enrolled = Signal::derive(move || sync.device.with(Option::is_some));
    view! {
        <Title text=t.get().fair_title />
        <div class="tablet" data-testid="tablet">
            <Show when=move || enrolled.get() fallback=move || view! { <EnrolForm /> }>
                <TabletHome />
            </Show>
        </div>
    }
}

/// Enrolment: the one-time code from the administrator, exchanged for the tablet's token.
#[component]
fn EnrolForm() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let request = EnrolRequest {
            code: code.get_untracked().trim().to_owned(),
        };
        spawn_local(async move {
            let c = t.get_untracked();
            let answer =
                client::post_json_quiet::<_, Enrolled>("/api/v1/devices/enrol", &request, None)
                    .await;
            busy.set(false);
            let enrolled = match answer {
                Ok(e) => e,
                Err(ClientError::Network) => return problem.set(Some(c.fair_enrol_offline)),
                Err(_) => return problem.set(Some(c.fair_enrol_failed)),
            };
            // The employers come with the event; without them, at the first sync.
            let event = client::get_json_quiet::<EventDetail>(
                "/api/v1/device/event",
                Some(&enrolled.token),
            )
            .await
            .unwrap_or(EventDetail {
                event: enrolled.event,
                employers: Vec::new(),
            });
            let enrolment = DeviceEnrolment {
                device_id: enrolled.device_id.to_string(),
                token: enrolled.token,
                event,
            };
            // The tablet's store is sealed; the code typed here opens it offline.
            let sealed = client::vault::after_sign_in(
                &format!("device.{}", enrolment.device_id),
                &request.code,
                Some(&enrolment.token),
            )
            .await;
            if !sealed {
                return problem.set(Some(c.fair_enrol_offline));
            }
            if let Err(p) = sync.start_device(enrolment) {
                problem.set(Some(p.text(c)));
            }
        });
    };
    // The example code is kept on one line: a break at its hyphens would read as two codes.
    let help = t.get().fair_enrol_help;
    let (help_before, help_after) = help.split_once("{code}").unwrap_or((help, ""));
    view! {
        <section class="panel tablet-enrol" aria-labelledby="enrol-heading">
            <h1 id="enrol-heading">{t.get().fair_enrol_title}</h1>
            <Show when=move || sync.revoked.get()>
                <p class="alert" role="alert" data-testid="tablet-revoked">{t.get().fair_revoked}</p>
            </Show>
            <form on:submit=submit novalidate=true data-testid="enrol-form">
                <p class="lead">{help_before}<span class="phrase">"3491-0198-2765"</span>{help_after}</p>
                <div role="alert">
                    {move || problem.get().map(|m| view! { <p class="alert">{m}</p> })}
                </div>
                <TextField name="code" label=Signal::stored(t.get().field_code) value=code error=Signal::stored(None::<String>) autocomplete="one-time-code" input_mode="numeric" />
                <button type="submit" class="primary big" disabled=move || busy.get()>{t.get().fair_enrol_button}</button>
            </form>
        </section>
    }
}

#[component]
fn TabletHome() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let tab = RwSignal::new(Tab::WalkIn);
    let event = Memo::new(move |_| sync.device.with(|d| d.as_ref().map(|d| d.event.clone())));
    // Title, day and venue each kept whole where the line allows (never 「市役/所」).
    let heading = move || {
        event.get().map(|e| {
            let date = t.get().format_date(e.event.date);
            view! {
                <span class="phrase">{e.event.title.clone()}</span>"　"
                <span class="phrase">{date}</span>"　"
                <span class="phrase">{e.event.venue.clone()}</span>
            }
        })
    };
    let tab_button = move |which: Tab, label: &'static str, testid: &'static str| {
        view! {
            <button type="button" role="tab" class="tab" data-testid=testid
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>
                {label}
            </button>
        }
    };
    let participants = Memo::new(move |_| participants_of(sync));
    view! {
        <header class="tablet-head">
            <p class="tablet-kicker">{t.get().fair_title}</p>
            <h1 data-testid="tablet-event">{heading}</h1>
            <p class="tablet-count">
                {t.get().fair_count_here} " "
                <strong data-testid="tablet-participants">{move || participants.with(Vec::len)}</strong>
                {move || event.get().and_then(|e| e.event.capacity).map(|c| format!(" / {} {c}", t.get().field_capacity))}
            </p>
        </header>
        <div class="tabs" role="tablist">
            {tab_button(Tab::WalkIn, t.get().fair_tab_walkin, "tab-walkin")}
            {tab_button(Tab::CheckIn, t.get().fair_tab_checkin, "tab-checkin")}
            {tab_button(Tab::Interviews, t.get().fair_tab_interviews, "tab-interviews")}
        </div>
        <div class="tab-panel" role="tabpanel">
            {move || match tab.get() {
                Tab::WalkIn => view! { <walk_in::WalkIn /> }.into_any(),
                Tab::CheckIn => view! { <CheckIn participants /> }.into_any(),
                Tab::Interviews => view! { <interviews::Interviews participants /> }.into_any(),
            }}
        </div>
        <super::intake::FailedList />
    }
}

/// A participant as the tablet lists them.
#[derive(Debug, Clone, PartialEq)]
struct Person {
    id: String,
    name: String,
    kana: String,
    /// The reading folded for search (katakana, half-width, no spaces).
    key: String,
    checked_in: bool,
}

fn participants_of(sync: SyncState) -> Vec<Person> {
    let registrations = sync.records(RecordKind::Participant);
    let mut list: Vec<Person> = kinds::listed(registrations)
        .into_iter()
        .map(|(id, state, _)| {
            let r = Registration::read(&state);
            let kana = format!("{} {}", &*r.family_name_kana, &*r.given_name_kana);
            Person {
                key: search_key(&kana),
                name: format!("{} {}", &*r.family_name, &*r.given_name),
                kana,
                checked_in: r.checked_in.0,
                id,
            }
        })
        .collect();
    list.sort_by(|a, b| a.key.cmp(&b.key).then(a.id.cmp(&b.id)));
    list
}

/// The fair's employers as this tablet knows them (refreshed at every sync).
fn employers_of(sync: SyncState) -> Memo<Vec<EmployerView>> {
    Memo::new(move |_| {
        sync.device
            .with(|d| d.as_ref().map(|d| d.event.employers.clone()))
            .unwrap_or_default()
    })
}

/// The id of the tablet's fair.
fn event_id_of(sync: SyncState) -> Option<String> {
    sync.device
        .with_untracked(|d| d.as_ref().map(|d| d.event.event.id.to_string()))
}

/// The participants whose reading contains what is typed in `query` (at most `limit`); with
/// nothing typed, everyone or no one.
fn matching(
    participants: Memo<Vec<Person>>,
    query: RwSignal<String>,
    all_when_empty: bool,
    limit: usize,
) -> Memo<Vec<Person>> {
    Memo::new(move |_| {
        let key = search_key(&query.get());
        participants.with(|list| {
            list.iter()
                .filter(|p| {
                    if key.is_empty() {
                        all_when_empty
                    } else {
                        p.key.contains(&key)
                    }
                })
                .take(limit)
                .cloned()
                .collect()
        })
    })
}

/// What a reading is compared by: hiragana or katakana, full- or half-width, spaces ignored.
fn search_key(text: &str) -> String {
    fold_kana(text).replace([' ', '　'], "")
}

/// The search by reading (check-in and interviews): a large field, its hint read with it.
#[component]
fn ReadingSearch(id: &'static str, hint: &'static str, query: RwSignal<String>) -> impl IntoView {
    let t = use_catalog();
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{t.get().fair_search_label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input type="search" id=id class="big-input" autocomplete="off"
                aria-describedby=hint_id
                prop:value=move || query.get()
                on:input:target=move |ev| query.set(ev.target().value()) />
        </div>
    }
}

/// Check-in of pre-registered people: search by reading, one large button per person.
#[component]
fn CheckIn(participants: Memo<Vec<Person>>) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let query = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    // Everyone until a reading is typed: the list is who is expected.
    let matches = matching(participants, query, true, 50);
    let check_in = move |id: String, name: String| {
        let c = t.get_untracked();
        spawn_local(async move {
            let checked_in = vec![("checked_in", Value::from(true))];
            match sync.put(RecordKind::Participant, &id, checked_in).await {
                Ok(()) => notice.set(Some(c.fair_check_in_done.replace("{name}", &name))),
                Err(p) => notice.set(Some(p.text(c).to_owned())),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="checkin-heading">
            <h2 id="checkin-heading">{t.get().fair_tab_checkin}</h2>
            <ReadingSearch id="checkin-search" hint=t.get().fair_search_hint query />
            <p class="ok" role="status" data-testid="checkin-notice">{move || notice.get()}</p>
            <Show when=move || !matches.with(Vec::is_empty)
                fallback=move || view! {
                    <p class="muted">{move || if participants.with(Vec::is_empty) { t.get().fair_search_empty } else { t.get().fair_no_match }}</p>
                }>
                <ul class="people-list" data-testid="checkin-list">
                    <For each=move || matches.get() key=|p| (p.id.clone(), p.checked_in) let:p>
                        {
                            let (id, name) = (p.id.clone(), p.name.clone());
                            view! {
                                <li data-record-id=p.id.clone() data-checked-in=p.checked_in.to_string()>
                                    <span class="who">
                                        <span class="name">{p.name.clone()}</span>
                                        <span class="kana">{p.kana.clone()}</span>
                                    </span>
                                    {if p.checked_in {
                                        view! { <span class="badge ok">{t.get().fair_checked_in}</span> }.into_any()
                                    } else {
                                        view! {
                                            <button type="button" class="primary big" on:click=move |_| check_in(id.clone(), name.clone())>
                                                {t.get().fair_check_in}
                                            </button>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}
