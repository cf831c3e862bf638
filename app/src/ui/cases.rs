//! 窓口・ケース: the cases this staff member may see, intake of a new person, and the person's
//! consent to share between the city and Hello Work.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::case_consent::ConsentForm;
use super::components::{PersonFields, PersonInputs};
use super::lang::{use_catalog, use_lang};
use crate::client::{self, ClientError};
use crate::protocol::{CreatePerson, FieldMessage, PersonList, PersonView};

#[component]
pub fn CasesPage() -> impl IntoView {
    let t = use_catalog();
    let version = RwSignal::new(0u32);
    let people = LocalResource::new(move || {
        version.track();
        client::get_json::<PersonList>("/api/v1/people")
    });
    let refresh = move || version.update(|v| *v += 1);
    view! {
        <Title text=t.get().nav_cases />
        <h1>{t.get().nav_cases}</h1>
        <p class="lead">{t.get().people_scope_note}</p>
        <div class="two-col">
            <IntakeForm on_saved=refresh />
            <section class="panel" aria-labelledby="people-heading">
                <h2 id="people-heading">{t.get().people_list}</h2>
                <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
                    {move || people.get().map(|result| match result {
                        Ok(list) => view! { <PeopleTable people=list.people on_change=refresh /> }.into_any(),
                        Err(e) => view! { <p class="alert" role="alert">{super::events::error_text(t.get(), &e)}</p> }.into_any(),
                    })}
                </Transition>
            </section>
        </div>
    }
}

#[component]
fn PeopleTable(
    people: Vec<PersonView>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    if people.is_empty() {
        return view! { <p class="muted">{t.get().people_empty}</p> }.into_any();
    }
    view! {
        <table class="records" data-testid="people-table">
            <thead>
                <tr>
                    <th scope="col">{t.get().col_name}</th>
                    <th scope="col">{t.get().field_birth_date}</th>
                    <th scope="col">{t.get().field_category}</th>
                    <th scope="col">{t.get().col_owner}</th>
                    <th scope="col">{t.get().col_consent}</th>
                </tr>
            </thead>
            <tbody>
                {people.into_iter().map(|p| view! { <PersonRow person=p on_change /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn PersonRow(
    person: PersonView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let id = person.id;
    let open = person
        .consents
        .iter()
        .rev()
        .find(|c| c.withdrawn_on.is_none())
        .cloned();
    let birth = person.birth_date;
    let name = format!("{} {}", person.family_name, person.given_name);
    let kana = format!("{} {}", person.family_name_kana, person.given_name_kana);
    let (category, owner) = (person.category, person.owner_org);
    let show_form = RwSignal::new(false);
    let page = format!("/cases/{id}");
    view! {
        <tr data-person-id=id.to_string()>
            <td data-label=t.get().col_name>
                <a class="name" href=page.clone()>{name}</a>
                <br />
                <span class="kana">{kana}</span>
            </td>
            <td data-label=t.get().field_birth_date>
                {move || birth.map(|d| t.get().format_date(d)).unwrap_or_default()}
            </td>
            <td data-label=t.get().field_category>{t.get().support_category(category)}</td>
            <td data-label=t.get().col_owner>{t.get().organisation(owner)}</td>
            <td data-label=t.get().col_consent>
                {match open {
                    Some(c) => view! {
                        <span class="badge ok-badge">
                            {t.get().consent_active}
                            {c.document_no.clone().map(|n| format!("（{n}）"))}
                        </span>
                        " "
                        <a href=page.clone()>{t.get().case.open_case}</a>
                    }.into_any(),
                    None => view! {
                        <span class="badge">{t.get().consent_none}</span>
                        " "
                        <button type="button" class="link-button" on:click=move |_| show_form.update(|v| *v = !*v)>
                            {t.get().consent_record}
                        </button>
                        <Show when=move || show_form.get()>
                            <ConsentForm person=id on_saved=move || { show_form.set(false); on_change(); } />
                        </Show>
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}

#[component]
fn IntakeForm(on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let inputs = PersonInputs::new(Default::default());
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let status = RwSignal::new(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((draft, _)) = inputs.check(errors, lang.get_untracked()) else {
            status.set(Some(Err(t.get_untracked().form_has_errors.to_owned())));
            return;
        };
        let request = CreatePerson {
            id: None,
            family_name: draft.name.family_name,
            given_name: draft.name.given_name,
            family_name_kana: draft.name.family_name_kana,
            given_name_kana: draft.name.given_name_kana,
            birth_date: draft.birth_date,
            category: draft.category,
        };
        spawn_local(async move {
            match client::post_json::<_, PersonView>("/api/v1/people", &request).await {
                Ok(_) => {
                    inputs.clear();
                    status.set(Some(Ok(())));
                    on_saved();
                }
                Err(ClientError::Validation(f)) => {
                    errors.set(f);
                    status.set(Some(Err(t.get_untracked().form_has_errors.to_owned())));
                }
                Err(e) => status.set(Some(Err(super::events::error_text(t.get_untracked(), &e)))),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="intake-heading">
            <h2 id="intake-heading">{t.get().people_new}</h2>
            <form on:submit=submit novalidate=true data-testid="intake-form">
                <div class="form-status" role="status" aria-live="polite">
                    {move || matches!(status.get(), Some(Ok(()))).then(|| view! { <p class="ok">{t.get().saved}</p> })}
                </div>
                <div role="alert">
                    {move || match status.get() { Some(Err(m)) => Some(view! { <p class="alert">{m}</p> }), _ => None }}
                </div>
                <PersonFields inputs errors />
                <button type="submit" class="primary">{t.get().submit_event}</button>
            </form>
        </section>
    }
    .into_any()
}
