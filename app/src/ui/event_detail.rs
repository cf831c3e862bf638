//! One event at the counter (`/events/:id`): its employers, live figures as the fair's tablets
//! sync (registered, checked in, interviews, offers, hires — per fair and per employer),
//! possible duplicates for staff to merge or keep apart, pre-registration from a CSV, and the
//! participant list and name badges to print for the venue.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::components::{TextField, category_options, field_error};
use super::events::error_text;
use super::lang::{use_catalog, use_lang};
use super::offline::use_sync;
use crate::client::{self, ClientError};
use crate::i18n::Catalog;
use crate::protocol::{
    CreateEmployer, EmployerView, EventDetail, FieldMessage, ParticipantList, ParticipantToPerson,
    ParticipantView, PersonView,
};
use crate::sync::fair_import;
use crate::sync::wire::{FairCounts, RecordKind};

/// How often the figures are fetched again while the page is open.
const REFRESH_SECS: u64 = 10;

#[component]
pub fn EventDetailPage() -> impl IntoView {
    let t = use_catalog();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // Bumped after every change made here, and every few seconds for the live figures.
    let version = RwSignal::new(0u32);
    // Figures, duplicates, import and participants are case work: an administrator sees the
    // event itself and where to enrol its tablets, and the page asks the server nothing else.
    let cases = super::auth::handles_cases();
    let detail = LocalResource::new(move || {
        let id = id.get();
        version.track();
        async move { client::get_json::<EventDetail>(&format!("/api/v1/events/{id}")).await }
    });
    let counts = LocalResource::new(move || {
        let id = id.get();
        version.track();
        let cases = cases.get();
        async move {
            if !cases {
                return Err(ClientError::Unavailable);
            }
            client::get_json::<FairCounts>(&format!("/api/v1/events/{id}/counts")).await
        }
    });
    refresh_every(version, REFRESH_SECS);
    let title = move || {
        detail
            .get()
            .and_then(Result::ok)
            .map(|d| d.event.title)
            .unwrap_or_default()
    };
    view! {
        <Title text=move || title() />
        <p class="no-print"><a href="/events">{t.get().nav_events}</a></p>
        <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
            {move || detail.get().map(|r| match r {
                Err(e) => view! { <p class="alert" role="alert">{error_text(t.get(), &e)}</p> }.into_any(),
                Ok(d) => view! { <EventHeading event=d.event /> }.into_any(),
            })}
        </Transition>
        <Show when=move || !cases.get()>
            <p class="hint no-print" data-testid="event-admin-note">{t.get().ev_admin_note}</p>
        </Show>
        <Show when=move || cases.get()>
        <div class="no-print">
            <section class="panel" aria-labelledby="counts-heading">
                <h2 id="counts-heading">{t.get().ev_counts}</h2>
                <p class="hint">{t.get().ev_counts_note}</p>
                <Transition fallback=|| ()>
                    {move || counts.get().and_then(Result::ok).map(|c| view! { <CountsView counts=c /> })}
                </Transition>
            </section>
            <section class="panel employers-panel" aria-labelledby="employers-heading">
                <h2 id="employers-heading">{t.get().ev_employers}</h2>
                <Transition fallback=|| ()>
                    {move || detail.get().and_then(Result::ok).map(|d| view! { <EmployerList employers=d.employers /> })}
                </Transition>
                <EmployerForm event_id=id on_saved=move || version.update(|v| *v += 1) />
            </section>
        </div>
        <super::fair_duplicates::Duplicates event_id=id version />
        <ImportForm event_id=id />
        <Participants event_id=id version />
        </Show>
    }
}

/// Bumps `version` every `secs` seconds while the page is open (the live figures).
fn refresh_every(version: RwSignal<u32>, secs: u64) {
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || version.update(|v| *v += 1),
            std::time::Duration::from_secs(secs),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
}

/// The event's name, date, venue, kind and places.
#[component]
fn EventHeading(event: crate::protocol::EventView) -> impl IntoView {
    let t = use_catalog();
    view! {
        <h1 data-testid="event-title">{event.title.clone()}</h1>
        <p class="lead">
            {t.get().format_date(event.date)} "　" {event.venue.clone()} "　"
            {t.get().event_kind(event.kind)}
            {event.capacity.map(|c| format!("　{} {c}", t.get().field_capacity))}
        </p>
    }
}

#[component]
fn CountsView(counts: FairCounts) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let figures = [
        (c.count_registered, counts.registered, "count-registered"),
        (c.count_checked_in, counts.checked_in, "count-checked-in"),
        (c.count_interviews, counts.interviews, "count-interviews"),
        (c.count_offers, counts.offers, "count-offers"),
        (c.count_hires, counts.hires, "count-hires"),
        (
            c.count_duplicates,
            counts.possible_duplicates,
            "count-duplicates",
        ),
    ];
    view! {
        <dl class="figures" data-testid="fair-counts">
            {figures.into_iter().map(|(label, n, testid)| view! {
                <div class="figure"><dt>{label}</dt><dd data-testid=testid>{n}</dd></div>
            }).collect_view()}
        </dl>
        <Show when={let empty = counts.employers.is_empty(); move || !empty}>
            <table class="records" data-testid="employer-counts">
                <thead><tr>
                    <th scope="col">{c.field_employer_name}</th>
                    <th scope="col" class="num">{c.count_interviews}</th>
                    <th scope="col" class="num">{c.count_offers}</th>
                    <th scope="col" class="num">{c.count_hires}</th>
                </tr></thead>
                <tbody>
                    {counts.employers.clone().into_iter().map(|e| view! {
                        <tr>
                            <td data-label=c.field_employer_name>{e.name}</td>
                            <td class="num" data-label=c.count_interviews>{e.interviews}</td>
                            <td class="num" data-label=c.count_offers>{e.offers}</td>
                            <td class="num" data-label=c.count_hires>{e.hires}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Show>
    }
}

#[component]
fn EmployerList(employers: Vec<EmployerView>) -> impl IntoView {
    let t = use_catalog();
    if employers.is_empty() {
        return view! { <p class="muted">{t.get().ev_employers_empty}</p> }.into_any();
    }
    view! {
        <ul class="employer-list" data-testid="employers">
            {employers.into_iter().map(|e| view! {
                <li><strong>{e.name}</strong> {(!e.jobs.is_empty()).then(|| format!("　{}", e.jobs))}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn EmployerForm(
    event_id: Memo<String>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let name = RwSignal::new(String::new());
    let jobs = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let problem = RwSignal::new(None::<String>);
    let error_for = move |field: &'static str| field_error(errors, field);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = CreateEmployer {
            name: name.get_untracked(),
            jobs: jobs.get_untracked(),
        };
        let url = format!("/api/v1/events/{}/employers", event_id.get_untracked());
        spawn_local(async move {
            match client::post_json::<_, EmployerView>(&url, &body).await {
                Ok(_) => {
                    name.set(String::new());
                    jobs.set(String::new());
                    errors.set(Vec::new());
                    problem.set(None);
                    on_saved();
                }
                Err(ClientError::Validation(fields)) => {
                    errors.set(fields);
                    problem.set(Some(t.get_untracked().form_has_errors.to_owned()));
                }
                Err(e) => problem.set(Some(error_text(t.get_untracked(), &e))),
            }
        });
    };
    view! {
        <form on:submit=submit novalidate=true data-testid="employer-form">
            <div role="alert">{move || problem.get().map(|m| view! { <p class="alert">{m}</p> })}</div>
            <TextField name="name" label=Signal::stored(t.get().field_employer_name) value=name error=error_for("name") />
            <TextField name="jobs" label=Signal::stored(t.get().field_jobs) hint=Signal::stored(t.get().hint_jobs) value=jobs error=error_for("jobs") />
            <button type="submit" class="primary">{t.get().ev_add_employer}</button>
        </form>
    }
}

/// Pre-registration from a CSV (as exported from a spreadsheet), pasted or chosen as a file:
/// every row is checked first (`sync::fair_import`); if any row is wrong nothing is imported
/// and each wrong row is named. The registrations go through this browser's outbox in one
/// write — all or none — so the fair's tablets receive them like any other entry.
#[component]
fn ImportForm(event_id: Memo<String>) -> impl IntoView {
    let t = use_catalog();
    let lang = use_lang();
    let sync = use_sync();
    let text = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let done = RwSignal::new(None::<String>);
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = t.get_untracked();
        let lang = lang.get_untracked();
        let today = client::today();
        let rows = match fair_import::read(&text.get_untracked(), &event_id.get_untracked(), today)
        {
            fair_import::Read::Ready(rows) => rows,
            fair_import::Read::Wrong(rows) => {
                problems.set(rows.iter().map(|r| import_line(c, lang, r)).collect());
                done.set(None);
                return;
            }
            fair_import::Read::Unreadable(p) => {
                problems.set(vec![file_problem(c, &p)]);
                done.set(None);
                return;
            }
        };
        problems.set(Vec::new());
        let mut entries = Vec::with_capacity(rows.len());
        for values in rows {
            let Some(id) = client::new_record_id() else {
                done.set(Some(c.sync_storage_full.to_owned()));
                return;
            };
            entries.push((RecordKind::Participant, id, values.into_iter().collect()));
        }
        spawn_local(async move {
            match sync.put_all(entries).await {
                Ok(count) => {
                    text.set(String::new());
                    done.set(Some(c.ev_import_done.replace("{n}", &count.to_string())));
                }
                Err(p) => done.set(Some(p.text(c).to_owned())),
            }
        });
    };
    // A chosen file is read into the text box (UTF-8 only; Shift_JIS is named as such).
    let choose = move |ev: leptos::ev::Event| read_file_into(ev, text, problems, t.get_untracked());
    view! {
        <section class="panel no-print" aria-labelledby="import-heading">
            <h2 id="import-heading">{t.get().ev_import}</h2>
            <form on:submit=import novalidate=true data-testid="import-form">
                <div class="field">
                    <label for="import-file">{t.get().ev_import_file}</label>
                    <input id="import-file" type="file" accept=".csv,.tsv,.txt,text/csv"
                        on:change=choose data-testid="import-file" />
                </div>
                <div class="field">
                    <label for="import-csv">{t.get().ev_import}</label>
                    <p class="hint" id="import-hint">{t.get().ev_import_help}</p>
                    <textarea id="import-csv" rows="6" aria-describedby="import-hint"
                        prop:value=move || text.get()
                        on:input:target=move |ev| text.set(ev.target().value())></textarea>
                </div>
                <Show when=move || !problems.with(Vec::is_empty)>
                    <div class="alert" role="alert" data-testid="import-errors">
                        <p>{t.get().ev_import_errors}</p>
                        <ul>
                            {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                        </ul>
                    </div>
                </Show>
                <p class="ok" role="status" data-testid="import-done">{move || done.get()}</p>
                <button type="submit" class="primary">{t.get().ev_import_button}</button>
            </form>
        </section>
    }
}

/// One wrong row of a list, in words: its number and what is wrong in it.
fn import_line(c: &Catalog, lang: crate::i18n::Lang, r: &fair_import::RowProblem) -> String {
    let messages: Vec<String> = r
        .errors
        .iter()
        .map(|e| FieldMessage::from_error(e, lang).message)
        .collect();
    let row = c.ev_import_line.replace("{row}", &r.row.to_string());
    format!("{row}: {}", messages.join(" "))
}

/// Reads the file chosen in `ev` into `text`, or says why it cannot be read.
fn read_file_into(
    ev: leptos::ev::Event,
    text: RwSignal<String>,
    problems: RwSignal<Vec<String>>,
    c: &'static Catalog,
) {
    spawn_local(async move {
        match client::read_chosen_file(&ev).await {
            Some(bytes) => match fair_import::decode(&bytes) {
                Ok(content) => {
                    problems.set(Vec::new());
                    text.set(content);
                }
                Err(p) => problems.set(vec![file_problem(c, &p)]),
            },
            None => problems.set(vec![c.ev_import_not_text.to_owned()]),
        }
    });
}

fn file_problem(c: &Catalog, p: &fair_import::FileProblem) -> String {
    match p {
        fair_import::FileProblem::ShiftJis => c.ev_import_sjis.to_owned(),
        fair_import::FileProblem::NotText => c.ev_import_not_text.to_owned(),
        fair_import::FileProblem::Malformed { row } => {
            c.ev_import_malformed.replace("{row}", &row.to_string())
        }
    }
}

#[component]
fn Participants(event_id: Memo<String>, version: RwSignal<u32>) -> impl IntoView {
    let t = use_catalog();
    let list = LocalResource::new(move || {
        let id = event_id.get();
        version.track();
        async move {
            client::get_json::<ParticipantList>(&format!("/api/v1/events/{id}/participants")).await
        }
    });
    let badges = RwSignal::new(false);
    // A participant becomes a person at the counter (相談者); the answer or the refusal shows
    // in their row.
    let row_problem = RwSignal::new(None::<(String, String)>);
    let make_person = move |participant: String, category: String| {
        let url = format!(
            "/api/v1/events/{}/participants/{participant}/person",
            event_id.get_untracked()
        );
        spawn_local(async move {
            let body = ParticipantToPerson { category };
            match client::post_json::<_, PersonView>(&url, &body).await {
                Ok(_) => {
                    row_problem.set(None);
                    version.update(|v| *v += 1);
                }
                Err(ClientError::Validation(fields)) => {
                    let text = fields
                        .into_iter()
                        .map(|f| f.message)
                        .collect::<Vec<_>>()
                        .join(" ");
                    row_problem.set(Some((participant, text)));
                }
                Err(e) => row_problem.set(Some((participant, error_text(t.get_untracked(), &e)))),
            }
        });
    };
    let print = move |as_badges: bool| {
        badges.set(as_badges);
        #[cfg(feature = "browser")]
        set_timeout(
            move || {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            },
            std::time::Duration::from_millis(50),
        );
    };
    view! {
        <section class="panel print-area" class:print-badges=move || badges.get() aria-labelledby="participants-heading">
            <h2 id="participants-heading">{t.get().ev_participants}</h2>
            <div class="form-actions no-print">
                <button type="button" class="secondary" data-testid="print-list" on:click=move |_| print(false)>{t.get().ev_print_list}</button>
                <button type="button" class="secondary" data-testid="print-badges" on:click=move |_| print(true)>{t.get().ev_print_badges}</button>
            </div>
            <Transition fallback=|| ()>
                {move || list.get().and_then(Result::ok).map(|l| view! {
                    <ParticipantTable people=l.participants.clone() make_person problem=row_problem />
                    <Badges people=l.participants />
                })}
            </Transition>
        </section>
    }
}

/// The participants, numbered, with their answers and whether they are a person at the
/// counter yet.
#[component]
fn ParticipantTable(
    people: Vec<ParticipantView>,
    make_person: impl Fn(String, String) + Copy + Send + Sync + 'static,
    problem: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let t = use_catalog();
    view! {
        <table class="records participant-table" data-testid="participants">
            <thead><tr>
                <th scope="col" class="num">"No."</th>
                <th scope="col">{t.get().col_name}</th>
                <th scope="col">{t.get().col_reading}</th>
                <th scope="col">{t.get().col_checked_in}</th>
                <th scope="col" class="no-print">{t.get().col_person}</th>
            </tr></thead>
            <tbody>
                {people.iter().enumerate().map(|(i, p)| view! {
                    <tr>
                        <td class="num">{i + 1}</td>
                        <td data-label=t.get().col_name>
                            {format!("{} {}", p.family_name, p.given_name)}
                            {(!p.answers.is_empty()).then(|| view! {
                                <dl class="answers">
                                    {p.answers.iter().map(|a| view! {
                                        <dt>{t.get().field_label(&a.field)}</dt>
                                        <dd>{a.text.clone()}</dd>
                                    }).collect_view()}
                                </dl>
                            })}
                        </td>
                        <td data-label=t.get().col_reading>{format!("{} {}", p.family_name_kana, p.given_name_kana)}</td>
                        <td data-label=t.get().col_checked_in>{p.checked_in_at_ms.map(|_| "✓")}</td>
                        <td class="no-print" data-label=t.get().col_person>
                            <PersonCell participant=p.clone() make_person problem />
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Name badges to print: the reading large, the name under it.
#[component]
fn Badges(people: Vec<ParticipantView>) -> impl IntoView {
    view! {
        <div class="badges" aria-hidden="true">
            {people.iter().map(|p| view! {
                <div class="badge-card">
                    <span class="badge-kana">{format!("{} {}", p.family_name_kana, p.given_name_kana)}</span>
                    <span class="badge-name">{format!("{} {}", p.family_name, p.given_name)}</span>
                </div>
            }).collect_view()}
        </div>
    }
}

/// Whether a participant is a person at the counter yet; if not, a button to make them one
/// (with a category to choose when they gave none).
#[component]
fn PersonCell(
    participant: ParticipantView,
    make_person: impl Fn(String, String) + Copy + Send + Sync + 'static,
    problem: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let t = use_catalog();
    if participant.person_id.is_some() {
        return view! { <span class="badge ok-badge">{t.get().ev_person_linked}</span> }.into_any();
    }
    let id = participant.id.to_string();
    let category = RwSignal::new(String::new());
    let needs_category = participant.category.is_none();
    let categories = category_options(t.get());
    let mine = id.clone();
    let row = id.clone();
    let message = move || {
        problem.with(|p| {
            p.as_ref()
                .filter(|(who, _)| *who == mine)
                .map(|(_, m)| m.clone())
        })
    };
    view! {
        <div class="row-actions" data-person-for=row>
            {needs_category.then(|| view! {
                <select aria-label=t.get().field_category on:change:target=move |ev| category.set(ev.target().value())>
                    <option value="">{t.get().choose}</option>
                    {move || categories.get().into_iter().map(|(code, text)| view! { <option value=code>{text}</option> }).collect_view()}
                </select>
            })}
            <button type="button" class="secondary" on:click=move |_| make_person(id.clone(), category.get_untracked())>
                {t.get().ev_make_person}
            </button>
            <p class="field-error" role="alert">{message}</p>
        </div>
    }
    .into_any()
}
