//! Interview outcomes on the fair tablet: a participant, an employer, where it stands.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::{Person, ReadingSearch, employers_of, event_id_of, matching};
use crate::client;
use crate::domain::event::FairOutcome;
use crate::i18n::Catalog;
use crate::protocol::EmployerView;
use crate::sync::kinds::{Fields, InterviewFields};
use crate::sync::merge::RecordState;
use crate::sync::wire::RecordKind;
use crate::ui::lang::use_catalog;
use crate::ui::offline::{SyncState, use_sync};

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

/// What the interview form holds: the search, the person found, the employer and the outcome.
#[derive(Clone, Copy)]
struct InterviewInputs {
    query: RwSignal<String>,
    chosen: RwSignal<Option<Person>>,
    employer: RwSignal<String>,
    outcome: RwSignal<String>,
}

impl InterviewInputs {
    fn new() -> Self {
        Self {
            query: RwSignal::new(String::new()),
            chosen: RwSignal::new(None),
            employer: RwSignal::new(String::new()),
            outcome: RwSignal::new(String::new()),
        }
    }

    /// Nothing stays chosen for the next person's outcome to land on.
    fn clear(&self) {
        self.chosen.set(None);
        self.employer.set(String::new());
        self.outcome.set(String::new());
        self.query.set(String::new());
    }
}

/// An interview to save: its record id, values, and the sentence that says who was recorded.
struct Recorded {
    id: String,
    values: Vec<(&'static str, Value)>,
    said: String,
}

/// The interview the form describes, or the message that says what is missing. One record per
/// participant and employer: a later stage updates it.
fn interview_to_record(
    sync: SyncState,
    inputs: InterviewInputs,
    interviews: Memo<Vec<InterviewRow>>,
    employers: Memo<Vec<EmployerView>>,
    c: &'static Catalog,
) -> Result<Recorded, &'static str> {
    let employer_id = inputs.employer.get_untracked();
    let (Some(person), Some(outcome), false) = (
        inputs.chosen.get_untracked(),
        FairOutcome::from_code(&inputs.outcome.get_untracked()),
        employer_id.is_empty(),
    ) else {
        return Err(c.form_has_errors);
    };
    let event_id = event_id_of(sync).ok_or(c.form_has_errors)?;
    let existing = interviews.with_untracked(|list| {
        list.iter()
            .find(|i| i.participant_id == person.id && i.employer_id == employer_id)
            .map(|i| i.id.clone())
    });
    let id = existing
        .or_else(client::new_record_id)
        .ok_or(c.sync_storage_full)?;
    let said = c
        .fair_outcome_saved
        .replace("{name}", &person.name)
        .replace("{employer}", &employer_name_of(employers, &employer_id))
        .replace("{outcome}", c.outcome(outcome));
    let values = vec![
        ("event_id", Value::from(event_id)),
        ("participant_id", Value::from(person.id)),
        ("employer_id", Value::from(employer_id)),
        ("outcome", Value::from(outcome.code())),
    ];
    Ok(Recorded { id, values, said })
}

/// Interview and outcome entries: a participant, an employer, where it stands.
#[component]
pub(super) fn Interviews(participants: Memo<Vec<Person>>) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let inputs = InterviewInputs::new();
    let notice = RwSignal::new(None::<Result<String, String>>);
    let employers = employers_of(sync);
    let interviews = Memo::new(move |_| interviews_of(sync));
    // One save at a time: a second tap while saving would write a second record.
    let busy = RwSignal::new(false);
    let record = move |_| {
        if busy.get_untracked() {
            return;
        }
        let c = t.get_untracked();
        let recorded = match interview_to_record(sync, inputs, interviews, employers, c) {
            Ok(r) => r,
            Err(message) => return notice.set(Some(Err(message.to_owned()))),
        };
        busy.set(true);
        spawn_local(async move {
            let saved = sync
                .put(RecordKind::Interview, &recorded.id, recorded.values)
                .await;
            busy.set(false);
            match saved {
                // Say who was recorded, then start again.
                Ok(()) => {
                    notice.set(Some(Ok(recorded.said)));
                    inputs.clear();
                }
                Err(p) => notice.set(Some(Err(p.text(c).to_owned()))),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="interviews-heading">
            <h2 id="interviews-heading">{t.get().fair_interview_heading}</h2>
            <Show when=move || !employers.with(Vec::is_empty)
                fallback=move || view! { <p class="muted" data-testid="no-employers">{t.get().fair_no_employers}</p> }>
                <PersonPicker participants inputs />
                <fieldset class="choices">
                    <legend>{t.get().field_employer_name}</legend>
                    <For each=move || employers.get() key=|e| e.id.clone() let:e>
                        {
                            let id = e.id.clone();
                            let set = e.id.clone();
                            view! {
                                <label class="choice">
                                    <input type="radio" name="employer" value=e.id.clone()
                                        prop:checked=move || inputs.employer.get() == id
                                        on:change=move |_| inputs.employer.set(set.clone()) />
                                    <span>{e.name.clone()}</span>
                                </label>
                            }
                        }
                    </For>
                </fieldset>
                <OutcomeChoices outcome=inputs.outcome />
                <div role="status" data-testid="interview-notice">
                    {move || notice.get().map(|n| match n {
                        Ok(m) => view! { <p class="ok">{m}</p> }.into_any(),
                        Err(m) => view! { <p class="alert">{m}</p> }.into_any(),
                    })}
                </div>
                <button type="button" class="primary big" data-testid="interview-record" disabled=move || busy.get() on:click=record>{t.get().fair_record_outcome}</button>
                <OutcomeList participants interviews employers />
            </Show>
        </section>
    }
}

/// The search by reading and the people it finds, one button each; then who is chosen.
#[component]
fn PersonPicker(participants: Memo<Vec<Person>>, inputs: InterviewInputs) -> impl IntoView {
    let t = use_catalog();
    let (query, chosen) = (inputs.query, inputs.chosen);
    let matches = matching(participants, query, false, 8);
    view! {
        <ReadingSearch id="interview-search" hint=t.get().fair_interview_search_hint query />
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
    }
}

/// Where the interview stands, one large choice each.
#[component]
fn OutcomeChoices(outcome: RwSignal<String>) -> impl IntoView {
    let t = use_catalog();
    view! {
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
    }
}

/// The outcomes recorded at this fair (on this tablet and synced from others).
#[component]
fn OutcomeList(
    participants: Memo<Vec<Person>>,
    interviews: Memo<Vec<InterviewRow>>,
    employers: Memo<Vec<EmployerView>>,
) -> impl IntoView {
    let t = use_catalog();
    let name_of = move |id: &str| {
        participants.with(|l| {
            l.iter()
                .find(|p| p.id == id)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <h3>{t.get().fair_outcomes_title}</h3>
        <ul class="outcomes" data-testid="interview-list">
            <For each=move || interviews.get() key=|i| (i.id.clone(), i.outcome) let:i>
                <li>
                    {name_of(&i.participant_id)} " — " {employer_name_of(employers, &i.employer_id)} " — "
                    <strong>{i.outcome.map(|o| t.get().outcome(o)).unwrap_or("—")}</strong>
                </li>
            </For>
        </ul>
    }
}

/// An employer's name by its id, as the tablet knows the fair's employers.
fn employer_name_of(employers: Memo<Vec<EmployerView>>, id: &str) -> String {
    employers.with_untracked(|l| {
        l.iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    })
}
