//! 面接会タブレット (`/fair`): a tablet enrolled for one fair, used by volunteers in a noisy
//! hall, often without Wi-Fi. It opens straight into its event with three large tabs —
//! walk-in registration, check-in of pre-registered people, interview outcomes — and every
//! entry goes to the tablet's outbox first (see `offline`), so nothing depends on the network.
//!
//! No staff session here: the tablet's requests carry its token. A revoked tablet is told so
//! at its next sync and erases what it stored.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use serde_json::Value;

use super::components::{TextField, field_error};
use super::lang::{use_catalog, use_lang};
use super::offline::{DeviceEnrolment, SyncState, use_sync};
use super::person_fields::{PersonFields, PersonInputs};
use crate::client::{self, ClientError};
use crate::domain::date::CivilDate;
use crate::domain::event::FairOutcome;
use crate::domain::person::AgeBand;
use crate::domain::text::fold_kana;
use crate::protocol::{EmployerView, EnrolRequest, Enrolled, EventDetail, FieldMessage};
use crate::sync::kinds::{
    self, ANSWERS, Fields, InterviewFields, Registration, check_walk_in, participant_values,
    state_of, validate_fair_participant,
};
use crate::sync::merge::RecordState;
use crate::sync::wire::RecordKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    WalkIn,
    CheckIn,
    Interviews,
}

#[component]
pub fn FairPage() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    // The server renders a neutral page; the browser decides once it has read its storage.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let enrolled = Signal::derive(move || sync.device.with(Option::is_some));
    view! {
        <Title text=t.get().fair_title />
        <div class="tablet" data-testid="tablet">
            <Show when=move || ready.get() fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
                <Show when=move || enrolled.get() fallback=move || view! { <EnrolForm /> }>
                    <TabletHome />
                </Show>
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
    view! {
        <section class="panel tablet-enrol" aria-labelledby="enrol-heading">
            <h1 id="enrol-heading">{t.get().fair_enrol_title}</h1>
            <Show when=move || sync.revoked.get()>
                <p class="alert" role="alert" data-testid="tablet-revoked">{t.get().fair_revoked}</p>
            </Show>
            <form on:submit=submit novalidate=true data-testid="enrol-form">
                <p class="lead">{t.get().fair_enrol_help}</p>
                <div role="alert">
                    {move || problem.get().map(|m| view! { <p class="alert">{m}</p> })}
                </div>
                <TextField name="code" label=Signal::stored(t.get().field_code) value=code error=Signal::stored(None::<String>) autocomplete="one-time-code" />
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
    let heading = move || {
        event.get().map(|e| {
            format!(
                "{}　{}　{}",
                e.event.title,
                t.get().format_date(e.event.date),
                e.event.venue
            )
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
                Tab::WalkIn => view! { <WalkIn /> }.into_any(),
                Tab::CheckIn => view! { <CheckIn participants /> }.into_any(),
                Tab::Interviews => view! { <Interviews participants /> }.into_any(),
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

fn today() -> CivilDate {
    CivilDate::in_japan_from_unix_millis(client::now_unix_millis())
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Editing,
    Confirm(Vec<(&'static str, Value)>),
    Done(String),
}

/// Walk-in registration: the form, a confirmation screen, then "next person".
#[component]
fn WalkIn() -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let sync = use_sync();
    let inputs = PersonInputs::new(Default::default());
    let phone = RwSignal::new(String::new());
    let age_band = RwSignal::new(String::new());
    let interests = RwSignal::new(String::new());
    // The free-text questions the registration kind declares, each with its input.
    let answers: StoredValue<Vec<(&'static str, RwSignal<String>)>> = StoredValue::new(
        ANSWERS
            .iter()
            .map(|(field, _)| (*field, RwSignal::new(String::new())))
            .collect(),
    );
    let wanted = RwSignal::new(Vec::<String>::new());
    let contact_ok = RwSignal::new(false);
    let share_ok = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let step = RwSignal::new(Step::Editing);
    let problem = RwSignal::new(None::<String>);
    let employers = employers_of(sync);
    let error_for = move |field: &'static str| field_error(errors, field);

    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(event_id) = event_id_of(sync) else {
            return;
        };
        let draft = inputs.draft();
        let mut wanted_text: Vec<String> = wanted.get_untracked();
        let typed = interests.get_untracked().trim().to_owned();
        if !typed.is_empty() {
            wanted_text.push(typed);
        }
        let typed: Vec<(&str, Value)> = [
            ("event_id", Value::from(event_id)),
            ("family_name", Value::from(draft.name.family_name)),
            ("given_name", Value::from(draft.name.given_name)),
            ("family_name_kana", Value::from(draft.name.family_name_kana)),
            ("given_name_kana", Value::from(draft.name.given_name_kana)),
            ("birth_date", Value::from(draft.birth_date.clone())),
            ("phone", Value::from(phone.get_untracked())),
            ("category", Value::from(draft.category)),
            ("age_band", Value::from(age_band.get_untracked())),
            ("interests", Value::from(wanted_text.join("、"))),
            ("contact_ok", Value::from(contact_ok.get_untracked())),
            ("share_ok", Value::from(share_ok.get_untracked())),
            // A walk-in is here: registered and checked in at once.
            ("checked_in", Value::from(true)),
        ]
        .into_iter()
        .chain(answers.with_value(|a| {
            a.iter()
                .map(|(field, value)| (*field, Value::from(value.get_untracked())))
                .collect::<Vec<_>>()
        }))
        .collect();
        let lang = lang.get_untracked();
        let c = t.get_untracked();
        let mut found: Vec<FieldMessage> =
            match validate_fair_participant(&state_of(&typed), today()) {
                Ok(p) => {
                    if let Err(list) = check_walk_in(&p) {
                        list.iter()
                            .map(|e| FieldMessage::from_error(e, lang))
                            .collect()
                    } else {
                        errors.set(Vec::new());
                        problem.set(None);
                        step.set(Step::Confirm(participant_values(&p).into_iter().collect()));
                        scroll_to_top();
                        return;
                    }
                }
                Err(list) => list
                    .iter()
                    .map(|e| FieldMessage::from_error(e, lang))
                    .collect(),
            };
        found.dedup_by(|a, b| a.field == b.field);
        errors.set(found);
        problem.set(Some(c.form_has_errors.to_owned()));
    };

    let register = move |_| {
        let Step::Confirm(values) = step.get_untracked() else {
            return;
        };
        let c = t.get_untracked();
        let Some(id) = client::new_record_id() else {
            problem.set(Some(c.sync_storage_full.to_owned()));
            return;
        };
        let entered = Registration::read(&state_of(&values));
        let name = format!("{} {}", &*entered.family_name, &*entered.given_name);
        spawn_local(async move {
            match sync.put(RecordKind::Participant, &id, values).await {
                Ok(()) => {
                    step.set(Step::Done(name));
                    problem.set(None);
                }
                Err(p) => problem.set(Some(p.text(c).to_owned())),
            }
        });
    };

    let next_person = move |_| {
        inputs.clear();
        for s in [phone, age_band, interests] {
            s.set(String::new());
        }
        answers.with_value(|a| a.iter().for_each(|(_, s)| s.set(String::new())));
        wanted.set(Vec::new());
        contact_ok.set(false);
        share_ok.set(false);
        step.set(Step::Editing);
        scroll_to_top();
    };

    view! {
        <section class="panel" aria-labelledby="walkin-heading">
            <h2 id="walkin-heading">{t.get().fair_walkin_heading}</h2>
            <div role="alert">
                {move || problem.get().map(|m| view! { <p class="alert">{m}</p> })}
            </div>
            {move || match step.get() {
                Step::Editing => view! {
                    <form on:submit=review novalidate=true data-testid="walkin-form" class="tablet-form">
                        <PersonFields inputs errors />
                        <fieldset class="choices" class:invalid=move || error_for("age_band").get().is_some()>
                            <legend>{t.get().field_age_band}</legend>
                            {AgeBand::ALL.into_iter().map(|b| view! {
                                <label class="choice">
                                    <input type="radio" name="age_band" value=b.code()
                                        prop:checked=move || age_band.get() == b.code()
                                        on:change=move |_| age_band.set(b.code().to_owned()) />
                                    <span>{t.get().age_band(b)}</span>
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <TextField name="phone" label=Signal::stored(t.get().field_phone) value=phone error=error_for("phone") input_mode="tel" autocomplete="tel" />
                        <Show when=move || !employers.with(Vec::is_empty)>
                            <fieldset class="choices">
                                <legend>{t.get().field_interests}</legend>
                                <For each=move || employers.get() key=|e| e.id.clone() let:e>
                                    {
                                        let name = e.name.clone();
                                        let toggled = name.clone();
                                        view! {
                                            <label class="choice">
                                                <input type="checkbox"
                                                    prop:checked=move || wanted.with(|w| w.contains(&name))
                                                    on:change=move |_| wanted.update(|w| {
                                                        if let Some(i) = w.iter().position(|x| *x == toggled) {
                                                            w.remove(i);
                                                        } else {
                                                            w.push(toggled.clone());
                                                        }
                                                    }) />
                                                <span>{e.name.clone()}</span>
                                            </label>
                                        }
                                    }
                                </For>
                            </fieldset>
                        </Show>
                        <TextField name="interests" label=Signal::stored(t.get().fair_interests_other) value=interests error=error_for("interests") />
                        {answers.get_value().into_iter().map(|(field, value)| view! {
                            <TextField name=field label=Signal::stored(t.get().field_label(field)) value=value error=error_for(field) />
                        }).collect_view()}
                        <label class="consent">
                            <input type="checkbox" name="contact_ok" prop:checked=move || contact_ok.get()
                                on:change:target=move |ev| contact_ok.set(ev.target().checked()) />
                            <span>{t.get().fair_contact_ok}</span>
                        </label>
                        <label class="consent">
                            <input type="checkbox" name="share_ok" prop:checked=move || share_ok.get()
                                on:change:target=move |ev| share_ok.set(ev.target().checked()) />
                            <span>{t.get().fair_share_ok}</span>
                        </label>
                        <button type="submit" class="primary big">{t.get().fair_next}</button>
                    </form>
                }.into_any(),
                Step::Confirm(values) => view! {
                    <div class="confirm" data-testid="walkin-confirm">
                        <h3>{t.get().fair_confirm_heading}</h3>
                        <p class="muted">{t.get().fair_confirm_help}</p>
                        <dl class="confirm-list">
                            {confirm_rows(t.get(), &values)}
                        </dl>
                        <div class="form-actions">
                            <button type="button" class="secondary big" on:click=move |_| step.set(Step::Editing)>{t.get().fair_back}</button>
                            <button type="button" class="primary big" data-testid="walkin-register" on:click=register>{t.get().fair_register}</button>
                        </div>
                    </div>
                }.into_any(),
                Step::Done(name) => view! {
                    <div class="done" role="status" data-testid="walkin-done">
                        <p class="ok big-text">{name} " — " {t.get().fair_registered}</p>
                        <button type="button" class="primary big" data-testid="walkin-next" on:click=next_person>{t.get().fair_next_person}</button>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// The confirmation screen's rows, in the words the participant reads.
fn confirm_rows(
    t: &'static crate::i18n::Catalog,
    values: &[(&'static str, Value)],
) -> impl IntoView {
    let state = state_of(values);
    let r = Registration::read(&state);
    let yes_no = |f: kinds::Flag| if f.0 { t.yes } else { t.no };
    // A birth date when given, else the age group, each under its own name.
    let birth = match r.birth_date.parse::<CivilDate>() {
        Ok(d) => (t.field_birth_date, t.format_date(d)),
        Err(_) => (
            t.field_age_band,
            AgeBand::from_code(&r.age_band)
                .map(|b| t.age_band(b).to_owned())
                .unwrap_or_default(),
        ),
    };
    let category = crate::domain::person::SupportCategory::from_code(&r.category)
        .map(|c| t.support_category(c))
        .unwrap_or("—");
    let rows: Vec<(&'static str, String)> = [
        (
            t.col_name,
            format!("{} {}", &*r.family_name, &*r.given_name),
        ),
        (
            t.col_reading,
            format!("{} {}", &*r.family_name_kana, &*r.given_name_kana),
        ),
        birth,
        (t.field_phone, r.phone.0.clone()),
        (t.field_category, category.to_owned()),
        (t.field_interests, r.interests.0.clone()),
        (t.fair_contact_ok, yes_no(r.contact_ok).to_owned()),
        (t.fair_share_ok, yes_no(r.share_ok).to_owned()),
    ]
    .into_iter()
    .chain(
        ANSWERS
            .iter()
            .map(|(field, _)| (t.field_label(field), kinds::text(&state, field))),
    )
    .collect();
    rows.into_iter()
        .map(|(label, value)| {
            let value = if value.is_empty() {
                "—".to_owned()
            } else {
                value
            };
            view! { <dt>{label}</dt><dd>{value}</dd> }
        })
        .collect_view()
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
            <div class="field">
                <label for="checkin-search">{t.get().fair_search_label}</label>
                <p class="hint" id="checkin-search-hint">{t.get().fair_search_hint}</p>
                <input type="search" id="checkin-search" class="big-input" autocomplete="off"
                    aria-describedby="checkin-search-hint"
                    prop:value=move || query.get()
                    on:input:target=move |ev| query.set(ev.target().value()) />
            </div>
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

/// An interview as the tablet lists it.
#[derive(Debug, Clone, PartialEq)]
struct InterviewRow {
    id: String,
    participant_id: String,
    employer_id: String,
    outcome: Option<FairOutcome>,
}

fn interviews_of(sync: SyncState) -> Vec<InterviewRow> {
    sync.records(RecordKind::Interview)
        .into_iter()
        .map(|(id, state, _): (String, RecordState, bool)| {
            let i = InterviewFields::read(&state);
            InterviewRow {
                outcome: FairOutcome::from_code(&i.outcome),
                participant_id: i.participant_id.0,
                employer_id: i.employer_id.0,
                id,
            }
        })
        .collect()
}

/// Interview and outcome entries: a participant, an employer, where it stands.
#[component]
fn Interviews(participants: Memo<Vec<Person>>) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<Person>);
    let employer = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    let employers = employers_of(sync);
    let interviews = Memo::new(move |_| interviews_of(sync));
    let matches = matching(participants, query, false, 8);
    let record = move |_| {
        let c = t.get_untracked();
        let (Some(person), Some(outcome_code)) = (
            chosen.get_untracked(),
            FairOutcome::from_code(&outcome.get_untracked()),
        ) else {
            notice.set(Some(Err(c.form_has_errors.to_owned())));
            return;
        };
        let employer_id = employer.get_untracked();
        if employer_id.is_empty() {
            notice.set(Some(Err(c.form_has_errors.to_owned())));
            return;
        }
        let Some(event_id) = event_id_of(sync) else {
            return;
        };
        // One record per participant and employer: a later stage updates it.
        let existing = interviews.with_untracked(|list| {
            list.iter()
                .find(|i| i.participant_id == person.id && i.employer_id == employer_id)
                .map(|i| i.id.clone())
        });
        let Some(id) = existing.or_else(client::new_record_id) else {
            notice.set(Some(Err(c.sync_storage_full.to_owned())));
            return;
        };
        let values = vec![
            ("event_id", Value::from(event_id)),
            ("participant_id", Value::from(person.id.clone())),
            ("employer_id", Value::from(employer_id)),
            ("outcome", Value::from(outcome_code.code())),
        ];
        spawn_local(async move {
            match sync.put(RecordKind::Interview, &id, values).await {
                Ok(()) => {
                    notice.set(Some(Ok(c.fair_outcome_saved.to_owned())));
                    outcome.set(String::new());
                }
                Err(p) => notice.set(Some(Err(p.text(c).to_owned()))),
            }
        });
    };
    let name_of = move |id: &str| {
        participants.with(|l| {
            l.iter()
                .find(|p| p.id == id)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    let employer_name = move |id: &str| {
        employers.with(|l| {
            l.iter()
                .find(|e| e.id == id)
                .map(|e| e.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="panel" aria-labelledby="interviews-heading">
            <h2 id="interviews-heading">{t.get().fair_interview_heading}</h2>
            <Show when=move || !employers.with(Vec::is_empty)
                fallback=move || view! { <p class="muted" data-testid="no-employers">{t.get().fair_no_employers}</p> }>
                <div class="field">
                    <label for="interview-search">{t.get().fair_search_label}</label>
                    <p class="hint" id="interview-search-hint">{t.get().fair_interview_search_hint}</p>
                    <input type="search" id="interview-search" class="big-input" autocomplete="off"
                        aria-describedby="interview-search-hint"
                        prop:value=move || query.get()
                        on:input:target=move |ev| query.set(ev.target().value()) />
                </div>
                <ul class="people-list compact" data-testid="interview-people">
                    <For each=move || matches.get() key=|p| p.id.clone() let:p>
                        {
                            let id = p.id.clone();
                            let pick = p.clone();
                            view! {
                                <li>
                                    <button type="button" class="choice-button"
                                        aria-pressed=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id)).to_string()
                                        on:click=move |_| chosen.set(Some(pick.clone()))>
                                        <span class="name">{p.name.clone()}</span>
                                        <span class="kana">{p.kana.clone()}</span>
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <p class="chosen" data-testid="interview-chosen">
                    {t.get().field_participant} ": "
                    <strong>{move || chosen.get().map(|p| p.name).unwrap_or_else(|| "—".to_owned())}</strong>
                </p>
                <fieldset class="choices">
                    <legend>{t.get().field_employer_name}</legend>
                    <For each=move || employers.get() key=|e| e.id.clone() let:e>
                        {
                            let id = e.id.clone();
                            let set = e.id.clone();
                            view! {
                                <label class="choice">
                                    <input type="radio" name="employer" value=e.id.clone()
                                        prop:checked=move || employer.get() == id
                                        on:change=move |_| employer.set(set.clone()) />
                                    <span>{e.name.clone()}</span>
                                </label>
                            }
                        }
                    </For>
                </fieldset>
                <fieldset class="choices">
                    <legend>{t.get().field_outcome}</legend>
                    {FairOutcome::ALL.into_iter().map(|o| view! {
                        <label class="choice">
                            <input type="radio" name="outcome" value=o.code()
                                prop:checked=move || outcome.get() == o.code()
                                on:change=move |_| outcome.set(o.code().to_owned()) />
                            <span>{t.get().outcome(o)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <div role="status" data-testid="interview-notice">
                    {move || notice.get().map(|n| match n {
                        Ok(m) => view! { <p class="ok">{m}</p> }.into_any(),
                        Err(m) => view! { <p class="alert">{m}</p> }.into_any(),
                    })}
                </div>
                <button type="button" class="primary big" data-testid="interview-record" on:click=record>{t.get().fair_record_outcome}</button>
                <h3>{t.get().fair_outcomes_title}</h3>
                <ul class="outcomes" data-testid="interview-list">
                    <For each=move || interviews.get() key=|i| (i.id.clone(), i.outcome) let:i>
                        <li>
                            {name_of(&i.participant_id)} " — " {employer_name(&i.employer_id)} " — "
                            <strong>{i.outcome.map(|o| t.get().outcome(o)).unwrap_or("—")}</strong>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

fn scroll_to_top() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
