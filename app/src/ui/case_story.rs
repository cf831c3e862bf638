//! 就職成功例 on the person's page — the stories drafted from this case, a draft form prefilled
//! from the case (assessment, plan, placement) and checked for what would identify the person
//! before it is saved, approval by a manager — and the story on an A4 page to print
//! (`/stories/{id}`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use super::auth::CurrentUser;
use super::case_forms::{FormState, Status, Values, date_value, me, save};
use super::components::options;
use super::components::{SelectField, TextField};
use super::lang::{use_catalog, use_lang};
use super::offline::use_sync;
use crate::client::today;
use crate::domain::access::Role;
use crate::domain::date::CivilDate;
use crate::domain::story::{Subject, age_band};
use crate::i18n::Lang;
use crate::protocol::FieldMessage;
use crate::sync::case_view::{self, Item};
use crate::sync::kinds::{
    AssessmentFields, Fields, PersonFields, PlacementFields, PlanFields, StoryFields, story,
};
use crate::sync::wire::RecordKind;

/// A story's text parts, prefilled from the case: the assessment's challenges, the plan's A
/// and B, the latest placement. Names and days in them are caught by the check on saving.
fn prefill(items: &[Item]) -> StoryFields {
    let mut s = StoryFields::default();
    if let Some(a) = items
        .iter()
        .rev()
        .find(|i| i.kind == RecordKind::Assessment)
    {
        s.challenges.0 = AssessmentFields::read(&a.state).challenge_notes.0;
    }
    if let Some(p) = case_view::plans(items).first() {
        let p = PlanFields::read(&p.state);
        s.support.0 = [p.plan_a.0, p.plan_b.0]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
    }
    if let Some(p) = items.iter().rev().find(|i| i.kind == RecordKind::Placement) {
        let p = PlacementFields::read(&p.state);
        s.result.0 = format!("{} {}\n{}", &*p.employer, &*p.job_title, &*p.conditions)
            .trim()
            .to_owned();
    }
    s
}

#[component]
pub fn StoryPanel(person: String, items: Memo<Vec<Item>>) -> impl IntoView {
    let t = use_catalog();
    let stories = Memo::new(move |_| {
        items.with(|i| {
            i.iter()
                .filter(|i| i.kind == RecordKind::Story)
                .map(|i| (i.id.clone(), StoryFields::read(&i.state)))
                .collect::<Vec<_>>()
        })
    });
    let open = RwSignal::new(false);
    view! {
        <section class="panel" aria-labelledby="story-heading" data-testid="stories">
            <h2 id="story-heading">{move || t.get().story.title}</h2>
            <Show when=move || !stories.with(Vec::is_empty) fallback=move || view! { <p class="muted">{t.get().story.none}</p> }>
                <ul class="story-list">
                    <For each=move || stories.get() key=|(id, s)| (id.clone(), s.approved_on.0.clone()) let:story>
                        <StoryLine id=story.0 story=story.1 />
                    </For>
                </ul>
            </Show>
            <details prop:open=move || open.get()>
                <summary on:click=move |ev| { ev.prevent_default(); open.update(|o| *o = !*o); }>
                    {move || t.get().story.draft_new}
                </summary>
                {
                    let person = person.clone();
                    move || open.get().then(|| view! {
                        <StoryForm person=person.clone() start=items.with_untracked(|i| prefill(i)) on_saved=move || open.set(false) />
                    })
                }
            </details>
        </section>
    }
}

#[component]
fn StoryLine(id: String, story: StoryFields) -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let me = expect_context::<CurrentUser>().0;
    let approved = !story.approved_on.trim().is_empty();
    // A manager of the organisation that wrote it approves it.
    let may_approve = move || {
        !approved
            && me.get().flatten().is_some_and(|m| {
                m.role == Role::Manager && m.organisation.code() == story.organisation.0
            })
    };
    let failed = RwSignal::new(None::<String>);
    let approve = {
        let id = id.clone();
        move |_| {
            let Some((_, name)) = me_now() else { return };
            let id = id.clone();
            let tt = t.get_untracked();
            spawn_local(async move {
                let values = vec![
                    ("approved_on", Value::from(today().to_string())),
                    ("approved_by", Value::from(name)),
                ];
                if let Err(p) = sync.put(RecordKind::Story, &id, values).await {
                    failed.set(Some(p.text(tt).to_owned()));
                }
            });
        }
    };
    let head = story.result.lines().next().unwrap_or_default().to_owned();
    view! {
        <li data-story-id=id.clone() data-approved=approved.to_string()>
            <span class=if approved { "badge ok-badge" } else { "badge" }>
                {if approved { t.get().story.approved } else { t.get().story.draft }}
            </span>
            " " {head} " "
            <a href=format!("/stories/{id}")>{t.get().story.open_print}</a>
            {move || may_approve().then(|| view! {
                " " <button type="button" class="secondary small" on:click=approve.clone()>{t.get().story.approve}</button>
            })}
            {move || failed.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
        </li>
    }
}

fn me_now() -> Option<(crate::domain::access::Organisation, String)> {
    me()
}

#[component]
fn StoryForm(
    person: String,
    start: StoryFields,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let sync = use_sync();
    let form = FormState::new();
    let subject = {
        let person = person.clone();
        move || {
            sync.view(RecordKind::Person, &person)
                .map(|s| PersonFields::read(&s))
                .unwrap_or_default()
        }
    };
    // The age group from the birth date, never the date itself.
    let band = subject()
        .birth_date
        .parse::<CivilDate>()
        .map_or_else(|_| String::new(), |b| age_band(b, today()).to_string());
    let s = |v: &str| RwSignal::new(v.to_owned());
    let (sex, age, household, challenges, support, result, remarks) = (
        s(""),
        s(&band),
        s(&start.household),
        s(&start.challenges),
        s(&start.support),
        s(&start.result),
        s(&start.remarks),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((org, author)) = me() else { return };
        let Some(id) = crate::client::new_record_id() else {
            return;
        };
        let text = |v: RwSignal<String>| Value::from(v.get_untracked());
        let values: Values = vec![
            ("person_id", Value::from(person.clone())),
            ("organisation", Value::from(org.code())),
            ("author", Value::from(author)),
            ("drafted_on", date_value(&today().to_string())),
            ("sex", text(sex)),
            ("age_band", text(age)),
            ("household", text(household)),
            ("challenges", text(challenges)),
            ("support", text(support)),
            ("result", text(result)),
            ("remarks", text(remarks)),
        ];
        // The same check the server makes, before anything is stored.
        if names_the_person(&values, &subject(), form, lang.get_untracked()) {
            return;
        }
        spawn_local(async move {
            if save(RecordKind::Story, id, values, form).await {
                on_saved();
            }
        });
    };
    let w = t.get().story;
    view! {
        <form on:submit=submit novalidate=true data-testid="story-form">
            <Status form />
            <p class="hint">{w.check_hint}</p>
            <SelectField name="story_sex" label=Signal::stored(w.sex) placeholder=Signal::stored(t.get().choose)
                options=options(w.sexes, |_| true) value=sex error=form.error("sex") />
            <TextField name="story_age_band" label=Signal::stored(w.age_band) value=age error=form.error("age_band") input_mode="numeric" />
            <TextField name="story_household" label=Signal::stored(w.household) hint=Signal::stored(w.household_hint) value=household error=form.error("household") />
            <StoryArea name="challenges" label=w.challenges value=challenges form />
            <StoryArea name="support" label=w.support value=support form />
            <StoryArea name="result" label=w.result value=result form />
            <StoryArea name="remarks" label=w.remarks value=remarks form />
            <button type="submit" class="primary">{t.get().case.save}</button>
        </form>
    }
}

/// Whether the story names the person (name, reading, address; as the server checks): the
/// fields are marked and nothing is saved.
fn names_the_person(values: &Values, p: &PersonFields, form: FormState, lang: Lang) -> bool {
    let found = story::identifying(
        &crate::sync::kinds::state_of(values),
        Subject {
            family_name: &p.family_name,
            given_name: &p.given_name,
            family_name_kana: &p.family_name_kana,
            given_name_kana: &p.given_name_kana,
            address: &p.address,
        },
    );
    if found.is_empty() {
        return false;
    }
    form.errors.set(
        story::identifying_errors(&found)
            .iter()
            .map(|e| FieldMessage::from_error(e, lang))
            .collect(),
    );
    form.status
        .set(Some(Err(lang.catalog().form_has_errors.to_owned())));
    true
}

/// A few lines of the story, with its error.
#[component]
fn StoryArea(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    form: FormState,
) -> impl IntoView {
    view! {
        <div class="field" class:invalid=move || form.error(name).get().is_some()>
            <label for=format!("story_{name}")>{label}</label>
            <textarea id=format!("story_{name}") name=name rows="4" prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())></textarea>
            {move || form.error(name).get().map(|m| view! { <p class="field-error" id=format!("story_{name}-error")>{m}</p> })}
        </div>
    }
}

/// `/stories/{id}`: the story on an A4 page, to print.
#[component]
pub fn StoryPage() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let story = Memo::new(move |_| {
        let id = id.get();
        sync.records(RecordKind::Story)
            .into_iter()
            .find(|(r, _, _)| *r == id)
            .map(|(_, state, _)| StoryFields::read(&state))
    });
    view! {
        <Title text=move || t.get().story.title />
        {move || match story.get() {
            None => view! { <p class="alert" role="alert">{t.get().story.not_found}</p> }.into_any(),
            Some(s) => view! { <A4Story story=s /> }.into_any(),
        }}
    }
}

#[component]
fn A4Story(story: StoryFields) -> impl IntoView {
    let t = use_catalog();
    let w = t.get().story;
    let mut profile = vec![w.sex(&story.sex).to_owned()];
    if !story.age_band.is_empty() {
        profile.push(w.age_band_value.replace("{n}", &story.age_band));
    }
    if !story.household.is_empty() {
        profile.push(story.household.0.clone());
    }
    let approved = story.approved_on.parse::<CivilDate>().ok().map(|d| {
        w.approved_line
            .replace("{date}", &t.get().format_date(d))
            .replace("{name}", &story.approved_by)
    });
    let section = |title: &'static str, body: String| {
        (!body.is_empty())
            .then(|| view! { <section><h2>{title}</h2><p class="entry-body">{body}</p></section> })
    };
    view! {
        <p class="no-print">
            <a href=format!("/cases/{}", &*story.person_id)>{w.back}</a>
            " "
            <button type="button" class="primary" on:click=|_| print_page()>{w.print}</button>
        </p>
        <article class="a4-story" data-testid="a4-story">
            <h1>{w.title}</h1>
            <p class="story-profile"><strong>{w.profile}</strong>" " {profile.join("・")}</p>
            {section(w.challenges, story.challenges.0.clone())}
            {section(w.support, story.support.0.clone())}
            {section(w.result, story.result.0.clone())}
            {section(w.remarks, story.remarks.0.clone())}
            <footer>{approved.unwrap_or_else(|| w.draft.to_owned())}</footer>
        </article>
    }
}

fn print_page() {
    #[cfg(feature = "browser")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
