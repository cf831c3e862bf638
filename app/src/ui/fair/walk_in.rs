//! Walk-in registration on the fair tablet: the form, a confirmation screen, then the next person.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::{employers_of, event_id_of};
use crate::client;
use crate::client::today;
use crate::domain::date::CivilDate;
use crate::domain::person::AgeBand;
use crate::protocol::FieldMessage;
use crate::sync::kinds::{
    self, ANSWERS, Fields, Registration, check_walk_in_entry, participant_values, state_of,
};
use crate::sync::wire::RecordKind;
use crate::ui::components::{ErrorSummary, TextField, field_error, reveal_after_render};
use crate::ui::lang::{use_catalog, use_lang};
use crate::ui::offline::use_sync;
use crate::ui::person_fields::{PersonFields, PersonInputs};

/// The id of the walk-in form's list of problems.
const SUMMARY_ID: &str = "walkin-errors";

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Editing,
    Confirm(Vec<(&'static str, Value)>),
    Done(String),
}

/// What the walk-in form holds while it is typed: the person's fields and the fair's own.
#[derive(Clone, Copy)]
struct WalkInInputs {
    person: PersonInputs,
    phone: RwSignal<String>,
    age_band: RwSignal<String>,
    /// What else the person would like to do, typed.
    interests: RwSignal<String>,
    /// The free-text questions the registration kind declares, each with its input.
    answers: StoredValue<Vec<(&'static str, RwSignal<String>)>>,
    /// The fair's employers the person would like to meet.
    wanted: RwSignal<Vec<String>>,
    contact_ok: RwSignal<bool>,
    share_ok: RwSignal<bool>,
}

impl WalkInInputs {
    fn new() -> Self {
        Self {
            person: PersonInputs::new(Default::default()),
            phone: RwSignal::new(String::new()),
            age_band: RwSignal::new(String::new()),
            interests: RwSignal::new(String::new()),
            answers: StoredValue::new(
                ANSWERS
                    .iter()
                    .map(|(field, _)| (*field, RwSignal::new(String::new())))
                    .collect(),
            ),
            wanted: RwSignal::new(Vec::new()),
            contact_ok: RwSignal::new(false),
            share_ok: RwSignal::new(false),
        }
    }

    /// The registration as typed, for the fair `event_id`.
    fn values(&self, event_id: String) -> Vec<(&'static str, Value)> {
        let draft = self.person.draft();
        let mut wanted = self.wanted.get_untracked();
        let typed = self.interests.get_untracked().trim().to_owned();
        if !typed.is_empty() {
            wanted.push(typed);
        }
        [
            ("event_id", Value::from(event_id)),
            ("family_name", Value::from(draft.name.family_name)),
            ("given_name", Value::from(draft.name.given_name)),
            ("family_name_kana", Value::from(draft.name.family_name_kana)),
            ("given_name_kana", Value::from(draft.name.given_name_kana)),
            ("birth_date", Value::from(draft.birth_date)),
            ("phone", Value::from(self.phone.get_untracked())),
            ("category", Value::from(draft.category)),
            ("age_band", Value::from(self.age_band.get_untracked())),
            ("interests", Value::from(wanted.join("、"))),
            ("contact_ok", Value::from(self.contact_ok.get_untracked())),
            ("share_ok", Value::from(self.share_ok.get_untracked())),
            // A walk-in is here: registered and checked in at once.
            ("checked_in", Value::from(true)),
        ]
        .into_iter()
        .chain(self.answers.with_value(|a| {
            a.iter()
                .map(|(field, value)| (*field, Value::from(value.get_untracked())))
                .collect::<Vec<_>>()
        }))
        .collect()
    }

    /// Empty again, for the next person.
    fn clear(&self) {
        self.person.clear();
        for s in [self.phone, self.age_band, self.interests] {
            s.set(String::new());
        }
        self.answers
            .with_value(|a| a.iter().for_each(|(_, s)| s.set(String::new())));
        self.wanted.set(Vec::new());
        self.contact_ok.set(false);
        self.share_ok.set(false);
    }
}

/// Walk-in registration: the form, a confirmation screen, then "next person".
#[component]
pub(super) fn WalkIn() -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let sync = use_sync();
    let inputs = WalkInInputs::new();
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let step = RwSignal::new(Step::Editing);
    let problem = RwSignal::new(None::<String>);

    let review = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(event_id) = event_id_of(sync) else {
            return;
        };
        problem.set(None);
        match checked(inputs.values(event_id), lang.get_untracked()) {
            Ok(values) => {
                errors.set(Vec::new());
                step.set(Step::Confirm(values));
                scroll_to_top();
            }
            Err(found) => {
                errors.set(found);
                // The summary is above the fold on a landscape tablet: take the eye and the
                // screen reader there.
                reveal_after_render(SUMMARY_ID);
            }
        }
    };

    let register = move |values: Vec<(&'static str, Value)>| {
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

    let next_person = move || {
        inputs.clear();
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
                    <ErrorSummary id=SUMMARY_ID errors testid="walkin-errors" />
                    <WalkInForm inputs errors on_submit=review />
                }.into_any(),
                Step::Confirm(values) => view! {
                    <Confirm values on_back=move || step.set(Step::Editing) on_register=register />
                }.into_any(),
                Step::Done(name) => view! {
                    <div class="done" role="status" data-testid="walkin-done">
                        <p class="ok big-text">{name} " — " {t.get().fair_registered}</p>
                        <button type="button" class="primary big" data-testid="walkin-next"
                            on:click=move |_| next_person()>{t.get().fair_next_person}</button>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// The registration as the rules read it (what the confirmation shows and the outbox gets),
/// or one message per field that is wrong.
fn checked(
    typed: Vec<(&'static str, Value)>,
    lang: crate::i18n::Lang,
) -> Result<Vec<(&'static str, Value)>, Vec<FieldMessage>> {
    match check_walk_in_entry(&state_of(&typed), today()) {
        Ok(p) => Ok(participant_values(&p).into_iter().collect()),
        Err(list) => {
            let mut found: Vec<FieldMessage> = list
                .iter()
                .map(|e| FieldMessage::from_error(e, lang))
                .collect();
            found.dedup_by(|a, b| a.field == b.field);
            Err(found)
        }
    }
}

/// The walk-in form: the person, the age group, a phone, whom they would like to meet, the
/// kind's questions and the two consents.
#[component]
fn WalkInForm(
    inputs: WalkInInputs,
    errors: RwSignal<Vec<FieldMessage>>,
    on_submit: impl Fn(leptos::ev::SubmitEvent) + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let error_for = move |field: &'static str| field_error(errors, field);
    let person = inputs.person;
    view! {
        <form on:submit=on_submit novalidate=true data-testid="walkin-form" class="tablet-form">
            <PersonFields inputs=person errors />
            <AgeBandChoices age_band=inputs.age_band invalid=Signal::derive(move || error_for("age_band").get().is_some()) />
            <TextField name="phone" label=Signal::stored(t.get().field_phone) value=inputs.phone error=error_for("phone") input_mode="tel" autocomplete="tel" />
            <EmployerChoices wanted=inputs.wanted />
            <TextField name="interests" label=Signal::stored(t.get().fair_interests_other) value=inputs.interests error=error_for("interests") />
            {inputs.answers.get_value().into_iter().map(|(field, value)| view! {
                <TextField name=field label=Signal::stored(t.get().field_label(field)) value=value error=error_for(field) />
            }).collect_view()}
            <label class="consent">
                <input type="checkbox" name="contact_ok" prop:checked=move || inputs.contact_ok.get()
                    on:change:target=move |ev| inputs.contact_ok.set(ev.target().checked()) />
                <span>{t.get().fair_contact_ok}</span>
            </label>
            <label class="consent">
                <input type="checkbox" name="share_ok" prop:checked=move || inputs.share_ok.get()
                    on:change:target=move |ev| inputs.share_ok.set(ev.target().checked()) />
                <span>{t.get().fair_share_ok}</span>
            </label>
            <button type="submit" class="primary big">{t.get().fair_next}</button>
        </form>
    }
}

/// The age group, one large choice each.
#[component]
fn AgeBandChoices(age_band: RwSignal<String>, invalid: Signal<bool>) -> impl IntoView {
    let t = use_catalog();
    view! {
        <fieldset class="choices" class:invalid=move || invalid.get()>
            <legend>{t.get().field_age_band}</legend>
            // The first choice carries the group's id: the error summary's link lands on it.
            {AgeBand::ALL.into_iter().enumerate().map(|(i, b)| view! {
                <label class="choice">
                    <input type="radio" name="age_band" value=b.code() id=(i == 0).then_some("age_band")
                        prop:checked=move || age_band.get() == b.code()
                        on:change=move |_| age_band.set(b.code().to_owned()) />
                    <span>{t.get().age_band(b)}</span>
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The fair's employers the person would like to meet (none shown when the fair has none).
#[component]
fn EmployerChoices(wanted: RwSignal<Vec<String>>) -> impl IntoView {
    let t = use_catalog();
    let employers = employers_of(use_sync());
    let toggle = move |name: &String| {
        wanted.update(|w| match w.iter().position(|x| x == name) {
            Some(i) => {
                w.remove(i);
            }
            None => w.push(name.clone()),
        })
    };
    view! {
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
                                    on:change=move |_| toggle(&toggled) />
                                <span>{e.name.clone()}</span>
                            </label>
                        }
                    }
                </For>
            </fieldset>
        </Show>
    }
}

/// The confirmation screen: what will be registered, to read with the person.
#[component]
fn Confirm(
    values: Vec<(&'static str, Value)>,
    on_back: impl Fn() + 'static,
    on_register: impl Fn(Vec<(&'static str, Value)>) + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let rows = confirm_rows(t.get_untracked(), &values);
    view! {
        <div class="confirm" data-testid="walkin-confirm">
            <h3>{t.get().fair_confirm_heading}</h3>
            <p class="muted">{t.get().fair_confirm_help}</p>
            <dl class="confirm-list">{rows}</dl>
            <div class="form-actions">
                <button type="button" class="secondary big" on:click=move |_| on_back()>{t.get().fair_back}</button>
                <button type="button" class="primary big" data-testid="walkin-register"
                    on:click=move |_| on_register(values.clone())>{t.get().fair_register}</button>
            </div>
        </div>
    }
}

/// The confirmation screen's rows, in the words the participant reads.
fn confirm_rows(
    t: &'static crate::i18n::Catalog,
    values: &[(&'static str, Value)],
) -> impl IntoView + use<> {
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

fn scroll_to_top() {
    #[cfg(feature = "browser")]
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
