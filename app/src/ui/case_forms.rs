//! The forms that add to a case: a note (支援経過), a referral (職業紹介, Hello Work), a
//! placement (就職), a follow-up (定着支援) and a referral's result. Each is checked with the
//! kind's own rules here, then put in this device's outbox (sent at once when online).

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::auth::CurrentUser;
use super::components::{SelectField, TextField, field_error, options, organisation_choices};
use super::lang::{use_catalog, use_lang};
use super::offline::use_sync;
use crate::client::today;
use crate::domain::access::Organisation;
use crate::domain::casework::{FollowUpResult, JobRole, PlacementRoute, ReferralResult};
use crate::domain::wareki::parse_date_input;
use crate::protocol::FieldMessage;
use crate::sync::case_view::Item;
use crate::sync::kinds::{self, Fields, ReferralFields};
use crate::sync::wire::RecordKind;

pub(super) type Values = Vec<(&'static str, Value)>;

/// A typed date as the record stores it (ISO); left as typed when it does not read as a date,
/// so the rules name the field.
pub(super) fn date_value(raw: &str) -> Value {
    parse_date_input(raw).map_or_else(|_| Value::from(raw.trim()), |d| Value::from(d.to_string()))
}

/// The signed-in staff member's organisation and name (who writes the entry).
pub(super) fn me() -> Option<(Organisation, String)> {
    expect_context::<CurrentUser>()
        .0
        .get_untracked()
        .flatten()
        .map(|m| (m.organisation, m.display_name))
}

/// What a form shows after saving or failing, and what it saves with (taken from the page's
/// context when the form is made: a spawned task has no context of its own).
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<Vec<FieldMessage>>,
    pub status: RwSignal<Option<Result<&'static str, String>>>,
    sync: super::offline::SyncState,
    lang: RwSignal<crate::i18n::Lang>,
}

impl FormState {
    pub(super) fn new() -> Self {
        Self {
            errors: RwSignal::new(Vec::new()),
            status: RwSignal::new(None),
            sync: use_sync(),
            lang: use_lang(),
        }
    }

    pub(super) fn error(self, field: &'static str) -> Signal<Option<String>> {
        field_error(self.errors, field)
    }
}

/// Checks `values` (the whole record: `base` with these on top) with the kind's rules, then
/// saves them in the outbox. Returns whether it was saved.
pub(super) async fn save(kind: RecordKind, id: String, values: Values, form: FormState) -> bool {
    form.status.set(None);
    let (sync, lang) = (form.sync, form.lang.get_untracked());
    let t = lang.catalog();
    let mut whole: Vec<(&str, Value)> = sync
        .view(kind, &id)
        .map(|s| {
            kinds::fields(kind)
                .iter()
                .filter_map(|f| s.fields.get(*f).map(|v| (*f, v.value.clone())))
                .collect()
        })
        .unwrap_or_default();
    for (f, v) in &values {
        whole.retain(|(g, _)| g != f);
        whole.push((f, v.clone()));
    }
    if let Err(found) = kinds::check(kind, &kinds::state_of(&whole), today()) {
        form.errors.set(
            found
                .iter()
                .map(|e| FieldMessage::from_error(e, lang))
                .collect(),
        );
        form.status.set(Some(Err(t.form_has_errors.to_owned())));
        return false;
    }
    form.errors.set(Vec::new());
    match sync.put(kind, &id, values).await {
        Ok(()) => {
            let said = if sync.online.get_untracked() {
                t.case.saved_sent
            } else {
                t.case.saved_here
            };
            form.status.set(Some(Ok(said)));
            true
        }
        Err(problem) => {
            form.status.set(Some(Err(problem.text(t).to_owned())));
            false
        }
    }
}

#[component]
pub(super) fn Status(form: FormState) -> impl IntoView {
    view! {
        <div class="form-status" role="status" aria-live="polite">
            {move || match form.status.get() { Some(Ok(m)) => Some(view! { <p class="ok">{m}</p> }), _ => None }}
        </div>
        <div role="alert">
            {move || match form.status.get() { Some(Err(m)) => Some(view! { <p class="alert">{m}</p> }), _ => None }}
        </div>
    }
}

/// The note being corrected, if staff chose 訂正を書く on one: the one note form then writes
/// the correction (a new note pointing to it).
#[derive(Clone, Copy)]
pub struct Correcting(pub RwSignal<Option<String>>);

/// The forms of the case's side column, each folded until opened.
#[component]
pub fn EntryForms(person: String, items: Memo<Vec<Item>>) -> impl IntoView {
    let t = use_catalog();
    let hello_work = me().is_some_and(|(org, _)| org == Organisation::HelloWork);
    view! {
        <section class="panel entry-forms" aria-label=move || t.get().case.add_note>
            <details open=true>
                <summary>{move || t.get().case.add_note}</summary>
                <NoteForm person=person.clone() />
            </details>
            {hello_work.then(|| view! {
                <details>
                    <summary>{move || t.get().case.add_referral}</summary>
                    <ReferralForm person=person.clone() />
                </details>
            })}
            <details>
                <summary>{move || t.get().case.add_placement}</summary>
                <PlacementForm person=person.clone() items />
            </details>
        </section>
    }
}

#[component]
fn NoteForm(person: String) -> impl IntoView {
    let t = use_catalog();
    let org = me().map(|(o, _)| o);
    let form = FormState::new();
    let (note_type, job_role, written_on, body) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(today().to_string()),
        RwSignal::new(String::new()),
    );
    let correcting = use_context::<Correcting>().map(|c| c.0);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((org, author)) = me() else { return };
        let Some(id) = crate::client::new_record_id() else {
            return;
        };
        let corrects = correcting
            .and_then(|c| c.get_untracked())
            .unwrap_or_default();
        let values: Values = vec![
            ("person_id", Value::from(person.clone())),
            ("corrects", Value::from(corrects)),
            ("note_type", Value::from(note_type.get_untracked())),
            ("job_role", Value::from(job_role.get_untracked())),
            ("written_on", date_value(&written_on.get_untracked())),
            ("body", Value::from(body.get_untracked())),
            ("organisation", Value::from(org.code())),
            ("author", Value::from(author)),
        ];
        spawn_local(async move {
            if save(RecordKind::Note, id, values, form).await {
                body.set(String::new());
                if let Some(c) = correcting {
                    c.set(None);
                }
            }
        });
    };
    view! {
        <form on:submit=submit novalidate=true data-testid="note-form">
            {move || correcting.and_then(|c| c.get()).map(|_| view! {
                <p class="notice" data-testid="correcting">
                    {t.get().case.corrects_note} " "
                    <button type="button" class="link-button" on:click=move |_| { if let Some(c) = correcting { c.set(None); } }>
                        {t.get().case.cancel}
                    </button>
                </p>
            })}
            <Status form />
            <SelectField name="note_type" label=Signal::stored(t.get().case.field("note_type").unwrap_or_default())
                placeholder=Signal::stored(t.get().choose) options=options(t.get().case.note_types, |_| true)
                value=note_type error=form.error("note_type") />
            <SelectField name="job_role" label=Signal::stored(t.get().case.field("job_role").unwrap_or_default())
                placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.job_roles, move |c| JobRole::from_code(c).is_some_and(|r| Some(r.organisation()) == org))
                value=job_role error=form.error("job_role") />
            <TextField name="written_on" label=Signal::stored(t.get().case.field("written_on").unwrap_or_default()) hint=Signal::stored(t.get().hint_date)
                value=written_on error=form.error("written_on") />
            <div class="field" class:invalid=move || form.error("body").get().is_some()>
                <label for="body">{move || t.get().field_note_body}</label>
                <textarea id="body" name="body" rows="5" prop:value=move || body.get()
                    on:input:target=move |ev| body.set(ev.target().value())></textarea>
                {move || form.error("body").get().map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
            <button type="submit" class="primary">{move || t.get().case.save}</button>
        </form>
    }
}

#[component]
fn ReferralForm(person: String) -> impl IntoView {
    let t = use_catalog();
    let form = FormState::new();
    let fields = ["referred_on", "employer", "job_title", "job_no", "result"]
        .map(|_| RwSignal::new(String::new()));
    let [referred_on, employer, job_title, job_no, result] = fields;
    referred_on.set(today().to_string());
    result.set(ReferralResult::Pending.code().to_owned());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((org, author)) = me() else { return };
        let Some(id) = crate::client::new_record_id() else {
            return;
        };
        let values: Values = vec![
            ("person_id", Value::from(person.clone())),
            ("organisation", Value::from(org.code())),
            ("author", Value::from(author)),
            ("referred_on", date_value(&referred_on.get_untracked())),
            ("employer", Value::from(employer.get_untracked())),
            ("job_title", Value::from(job_title.get_untracked())),
            ("job_no", {
                // Stored as Hello Work prints it (half-width, NNNNN-NNNNNNNN).
                let raw = job_no.get_untracked();
                Value::from(kinds::referral::job_number(&raw).unwrap_or(raw))
            }),
            ("result", Value::from(result.get_untracked())),
        ];
        spawn_local(async move {
            if save(RecordKind::Referral, id, values, form).await {
                for f in [employer, job_title, job_no] {
                    f.set(String::new());
                }
            }
        });
    };
    let label = move |f: &'static str| Signal::stored(t.get().case.field(f).unwrap_or_default());
    view! {
        <form on:submit=submit novalidate=true data-testid="referral-form">
            <Status form />
            <TextField name="referred_on" label=label("referred_on") hint=Signal::stored(t.get().hint_date) value=referred_on error=form.error("referred_on") />
            <TextField name="employer" label=label("employer") value=employer error=form.error("employer") />
            <TextField name="job_title" label=label("job_title") value=job_title error=form.error("job_title") />
            <TextField name="job_no" label=label("job_no") value=job_no error=form.error("job_no") input_mode="numeric" />
            <SelectField name="result" label=label("result") placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.referral_results, |_| true) value=result error=form.error("result") />
            <button type="submit" class="primary">{move || t.get().case.save}</button>
        </form>
    }
}

#[component]
fn PlacementForm(person: String, items: Memo<Vec<Item>>) -> impl IntoView {
    let t = use_catalog();
    let form = FormState::new();
    let fields = PlacementInputs::new();
    let PlacementInputs {
        placed_on,
        employer,
        job_title,
        employment,
        route,
        referral,
        event,
        credited_org,
        credited_staff,
        conditions,
    } = fields;
    placed_on.set(today().to_string());
    if let Some((org, name)) = me() {
        credited_org.set(org.code().to_owned());
        credited_staff.set(name);
    }
    let referrals = referral_choices(items);
    let fairs = fair_choices();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((org, author)) = me() else { return };
        let Some(id) = crate::client::new_record_id() else {
            return;
        };
        let values = fields.values(&person, org, author);
        spawn_local(async move {
            if save(RecordKind::Placement, id, values, form).await {
                for f in [employer, job_title, conditions] {
                    f.set(String::new());
                }
            }
        });
    };
    let label = move |f: &'static str| Signal::stored(t.get().case.field(f).unwrap_or_default());
    let orgs = organisation_choices();
    view! {
        <form on:submit=submit novalidate=true data-testid="placement-form">
            <Status form />
            <TextField name="placed_on" label=label("placed_on") hint=Signal::stored(t.get().hint_date) value=placed_on error=form.error("placed_on") />
            <TextField name="employer" label=label("employer") value=employer error=form.error("employer") />
            <TextField name="job_title" label=label("job_title") value=job_title error=form.error("job_title") />
            <SelectField name="employment_type" label=label("employment_type") placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.employment_types, |_| true) value=employment error=form.error("employment_type") />
            <SelectField name="route" label=label("route") placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.routes, |_| true) value=route error=form.error("route") />
            <Show when=move || route.get() == PlacementRoute::Referral.code()>
                <SelectField name="referral_id" label=label("referral_id") placeholder=Signal::stored(t.get().choose)
                    options=referrals value=referral error=form.error("referral_id") />
            </Show>
            <Show when=move || route.get() == PlacementRoute::Fair.code()>
                <SelectField name="event_id" label=Signal::stored(t.get().field_event) placeholder=Signal::stored(t.get().choose)
                    options=fairs value=event error=form.error("event_id") />
            </Show>
            <SelectField name="credited_org" label=label("credited_org") placeholder=Signal::stored(t.get().choose)
                options=orgs value=credited_org error=form.error("credited_org") />
            <TextField name="credited_staff" label=label("credited_staff") value=credited_staff error=form.error("credited_staff") />
            <TextField name="conditions" label=label("conditions") value=conditions error=form.error("conditions") />
            <button type="submit" class="primary">{move || t.get().case.save}</button>
        </form>
    }
}

/// The placement form's inputs, one per field a clerk types or chooses.
#[derive(Clone, Copy)]
struct PlacementInputs {
    placed_on: RwSignal<String>,
    employer: RwSignal<String>,
    job_title: RwSignal<String>,
    employment: RwSignal<String>,
    route: RwSignal<String>,
    referral: RwSignal<String>,
    event: RwSignal<String>,
    credited_org: RwSignal<String>,
    credited_staff: RwSignal<String>,
    conditions: RwSignal<String>,
}

impl PlacementInputs {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        PlacementInputs {
            placed_on: empty(),
            employer: empty(),
            job_title: empty(),
            employment: empty(),
            route: empty(),
            referral: empty(),
            event: empty(),
            credited_org: empty(),
            credited_staff: empty(),
            conditions: empty(),
        }
    }

    /// The placement as typed: the referral it came from or the fair only for that route.
    fn values(self, person: &str, org: Organisation, author: String) -> Values {
        let text = |f: RwSignal<String>| Value::from(f.get_untracked());
        let route = self.route.get_untracked();
        let only = |wanted: PlacementRoute, f: RwSignal<String>| {
            if route == wanted.code() {
                text(f)
            } else {
                Value::from("")
            }
        };
        vec![
            ("person_id", Value::from(person)),
            ("organisation", Value::from(org.code())),
            ("author", Value::from(author)),
            ("placed_on", date_value(&self.placed_on.get_untracked())),
            ("employer", text(self.employer)),
            ("job_title", text(self.job_title)),
            ("employment_type", text(self.employment)),
            ("route", Value::from(route.as_str())),
            ("referral_id", only(PlacementRoute::Referral, self.referral)),
            ("event_id", only(PlacementRoute::Fair, self.event)),
            ("credited_org", text(self.credited_org)),
            ("credited_staff", text(self.credited_staff)),
            ("conditions", text(self.conditions)),
        ]
    }
}

/// The case's referrals, as a placement's choices.
fn referral_choices(items: Memo<Vec<Item>>) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        items.with(|items| {
            items
                .iter()
                .filter(|i| i.kind == RecordKind::Referral)
                .map(|i| {
                    let r = ReferralFields::read(&i.state);
                    (
                        i.id.clone(),
                        format!("{} {}（{}）", &*r.employer, &*r.job_title, &*r.referred_on),
                    )
                })
                .collect()
        })
    })
}

/// The events (fairs), as a placement's choices.
fn fair_choices() -> Signal<Vec<(String, String)>> {
    let events = LocalResource::new(crate::client::list_events);
    Signal::derive(move || {
        events
            .get()
            .and_then(Result::ok)
            .map(|list| {
                list.into_iter()
                    .map(|e| (e.id.to_string(), format!("{} {}", e.date, e.title)))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Records the follow-up `months` after a placement.
#[component]
pub fn FollowUpForm(
    person: String,
    placement: String,
    months: u8,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let form = FormState::new();
    let (done_on, result, remarks) = (
        RwSignal::new(today().to_string()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((org, author)) = me() else { return };
        let Some(id) = crate::client::new_record_id() else {
            return;
        };
        let values: Values = vec![
            ("person_id", Value::from(person.clone())),
            ("organisation", Value::from(org.code())),
            ("author", Value::from(author)),
            ("placement_id", Value::from(placement.clone())),
            ("months", Value::from(months.to_string())),
            ("done_on", date_value(&done_on.get_untracked())),
            ("result", Value::from(result.get_untracked())),
            ("remarks", Value::from(remarks.get_untracked())),
        ];
        spawn_local(async move {
            if save(RecordKind::FollowUp, id, values, form).await {
                on_done();
            }
        });
    };
    let label = move |f: &'static str| Signal::stored(t.get().case.field(f).unwrap_or_default());
    view! {
        <form class="inline-form" on:submit=submit novalidate=true data-testid="follow-up-form">
            <Status form />
            <TextField name="done_on" label=label("done_on") hint=Signal::stored(t.get().hint_date) value=done_on error=form.error("done_on") />
            <SelectField name="follow_up_result" label=label("result") placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.follow_up_results, |c| FollowUpResult::from_code(c).is_some()) value=result error=form.error("result") />
            <TextField name="remarks" label=label("remarks") value=remarks error=form.error("remarks") />
            <button type="submit" class="primary">{move || t.get().case.save}</button>
        </form>
    }
}

/// Records a referral's result (Hello Work).
#[component]
pub fn ReferralResultForm(
    referral: String,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let form = FormState::new();
    let (result, result_on) = (
        RwSignal::new(String::new()),
        RwSignal::new(today().to_string()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values: Values = vec![
            ("result", Value::from(result.get_untracked())),
            ("result_on", date_value(&result_on.get_untracked())),
        ];
        let id = referral.clone();
        spawn_local(async move {
            if save(RecordKind::Referral, id, values, form).await {
                on_done();
            }
        });
    };
    let label = move |f: &'static str| Signal::stored(t.get().case.field(f).unwrap_or_default());
    view! {
        <form class="inline-form" on:submit=submit novalidate=true data-testid="referral-result-form">
            <Status form />
            <SelectField name="referral_result" label=label("result") placeholder=Signal::stored(t.get().choose)
                options=options(t.get().case.referral_results, |c| c != ReferralResult::Pending.code()) value=result error=form.error("result") />
            <TextField name="result_on" label=label("result_on") hint=Signal::stored(t.get().hint_date) value=result_on error=form.error("result_on") />
            <button type="submit" class="primary">{move || t.get().case.save}</button>
        </form>
    }
}
