//! 窓口・ケース: the cases this staff member may see — searched by name or reading in any
//! kana, width or variant form or by birth date, filtered, a page at a time — and intake of a
//! new person, which shows the likely existing people as the name is typed (search before
//! create), and the person's consent to share between the city and Hello Work.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::case_consent::ConsentForm;
use super::components::{PersonFields, PersonInputs, SelectField, TextField, category_options};
use super::lang::{use_catalog, use_lang};
use crate::client::{self, ClientError};
use crate::domain::access::Organisation;
use crate::domain::person::{Names, likely_same, matches_search};
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
    let loaded = Signal::derive(move || {
        people
            .get()
            .and_then(Result::ok)
            .map(|l| l.people)
            .unwrap_or_default()
    });
    view! {
        <Title text=t.get().nav_cases />
        <h1>{t.get().nav_cases}</h1>
        <p class="lead">{t.get().people_scope_note}</p>
        <div class="two-col">
            <IntakeForm on_saved=refresh people=loaded />
            <section class="panel" aria-labelledby="people-heading">
                <h2 id="people-heading">{t.get().people_list}</h2>
                <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
                    {move || people.get().map(|result| match result {
                        Ok(list) => view! { <CaseList people=list.people on_change=refresh /> }.into_any(),
                        Err(e) => view! { <p class="alert" role="alert">{super::events::error_text(t.get(), &e)}</p> }.into_any(),
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// Rows a page of the case list shows.
const PAGE: usize = 50;

fn names(p: &PersonView) -> Names<'_> {
    (
        &p.family_name,
        &p.given_name,
        &p.family_name_kana,
        &p.given_name_kana,
    )
}

/// The list with its search box, filters (category, organisation holding the case) and pages.
#[component]
fn CaseList(
    people: Vec<PersonView>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let c = t.get().case;
    if people.is_empty() {
        return view! { <p class="muted">{t.get().people_empty}</p> }.into_any();
    }
    let (query, category, owner, page) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(0usize),
    );
    let all = StoredValue::new(people);
    let found = Memo::new(move |_| {
        let (q, cat, org) = (query.get(), category.get(), owner.get());
        all.with_value(|people| {
            people
                .iter()
                .filter(|p| cat.is_empty() || p.category.code() == cat)
                .filter(|p| org.is_empty() || p.owner_org.code() == org)
                .filter(|p| matches_search(&q, names(p), p.birth_date))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // A new search or filter starts at the first page.
    Effect::watch(
        move || (query.get(), category.get(), owner.get()),
        move |_, _, _| page.set(0),
        false,
    );
    let orgs = Signal::derive(move || {
        Organisation::ALL
            .iter()
            .map(|o| (o.code().to_owned(), t.get().organisation(*o).to_owned()))
            .collect::<Vec<_>>()
    });
    let pages = move || found.with(|f| f.len().div_ceil(PAGE).max(1));
    view! {
        <form class="case-search" role="search" on:submit=|ev| ev.prevent_default()>
            <TextField name="case_query" label=Signal::stored(c.search_label) hint=Signal::stored(c.search_hint) value=query error=Signal::stored(None::<String>) />
            <SelectField name="case_category" label=Signal::stored(t.get().field_category) placeholder=Signal::stored(c.all)
                options=category_options(t.get()) value=category error=Signal::stored(None::<String>) />
            <SelectField name="case_owner" label=Signal::stored(t.get().col_owner) placeholder=Signal::stored(c.all)
                options=orgs value=owner error=Signal::stored(None::<String>) />
        </form>
        <p class="muted" role="status" data-testid="case-count">
            {move || {
                let total = found.with(Vec::len);
                let from = (page.get() * PAGE).min(total);
                c.page_info
                    .replace("{total}", &total.to_string())
                    .replace("{from}", &(from + usize::from(total > 0)).to_string())
                    .replace("{to}", &(from + PAGE).min(total).to_string())
            }}
        </p>
        <PeopleTable people=Signal::derive(move || found.with(|f| f.iter().skip(page.get() * PAGE).take(PAGE).cloned().collect())) on_change />
        <Show when=move || { pages() > 1 }>
            <nav class="pager" aria-label=c.pages>
                <button type="button" class="secondary small" disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{c.prev}</button>
                <span>{move || format!("{} / {}", page.get() + 1, pages())}</span>
                <button type="button" class="secondary small" disabled=move || page.get() + 1 >= pages()
                    on:click=move |_| page.update(|p| *p += 1)>{c.next}</button>
            </nav>
        </Show>
    }
    .into_any()
}

#[component]
fn PeopleTable(
    people: Signal<Vec<PersonView>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
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
                <For each=move || people.get() key=|p| (p.id, p.consents.len(), p.consent_active) let:p>
                    <PersonRow person=p on_change />
                </For>
            </tbody>
        </table>
    }
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
fn IntakeForm(
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
    people: Signal<Vec<PersonView>>,
) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let inputs = PersonInputs::new(Default::default());
    // Search before create: the people whose name or reading begins as typed.
    let likely = Memo::new(move |_| {
        let typed = (
            inputs.family.get(),
            inputs.given.get(),
            inputs.family_kana.get(),
            inputs.given_kana.get(),
        );
        let typed = (
            typed.0.as_str(),
            typed.1.as_str(),
            typed.2.as_str(),
            typed.3.as_str(),
        );
        people.with(|all| {
            all.iter()
                .filter(|p| likely_same(typed, names(p)))
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
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
                <Show when=move || !likely.with(Vec::is_empty)>
                    <section class="likely notice" aria-live="polite" data-testid="likely-existing">
                        <h3>{t.get().case.likely_title}</h3>
                        <ul>
                            <For each=move || likely.get() key=|p| p.id let:p>
                                <li>
                                    <a href=format!("/cases/{}", p.id)>
                                        <span class="name">{format!("{} {}", p.family_name, p.given_name)}</span>
                                    </a>
                                    " " <span class="kana">{format!("{} {}", p.family_name_kana, p.given_name_kana)}</span>
                                    " " {p.birth_date.map(|d| t.get().format_date(d))}
                                    " " <span class="badge">{t.get().organisation(p.owner_org)}</span>
                                </li>
                            </For>
                        </ul>
                    </section>
                </Show>
                <button type="submit" class="primary">{t.get().submit_event}</button>
            </form>
        </section>
    }
    .into_any()
}
