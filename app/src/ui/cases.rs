//! 窓口・ケース: the one intake form (online and offline alike, see `intake`) and the cases
//! this staff member may see — read from this device's copy so the list works offline and
//! shows what still waits to be sent, completed by the server with who holds each case and its
//! consent; searched by name or reading in any kana, width or variant form or by birth date,
//! filtered by category, organisation, status and "my cases", a page at a time.

use leptos::prelude::*;
use leptos_meta::Title;

use super::case_consent::ConsentForm;
use super::case_page::SavedWhere;
use super::case_rows::{CaseRow, case_rows};
use super::components::{SelectField, TextField, category_options};
use super::intake::{FailedList, PersonForm};
use super::lang::use_catalog;
use super::offline::use_sync;
use crate::client;
use crate::domain::access::Organisation;
use crate::domain::casework::CaseStatus;
use crate::domain::person::matches_search;
use crate::protocol::PersonList;
use crate::sync::case_view;
use crate::sync::kinds::{Fields, PersonFields};
use crate::sync::wire::RecordKind;

#[component]
pub fn CasesPage() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let me = expect_context::<super::auth::CurrentUser>().0;
    let version = RwSignal::new(0u32);
    // The server's view (who holds each case, its consent), fetched again when the people on
    // this device change — someone new, sent, merged — not after every sync: every fetch is a
    // read of each person in the audit log.
    let people_seen = Memo::new(move |_| {
        let people = sync.records(RecordKind::Person);
        let waiting = people.iter().filter(|(_, _, w)| *w).count();
        let merged = people
            .iter()
            .filter(|(_, s, _)| !PersonFields::read(s).merged_into.is_empty())
            .count();
        (people.len(), waiting, merged)
    });
    let server = LocalResource::new(move || {
        version.track();
        people_seen.track();
        client::get_json::<PersonList>("/api/v1/people")
    });
    let refresh = move || version.update(|v| *v += 1);
    let rows = Memo::new(move |_| {
        let caseload = case_view::caseload(super::case_rows::entries(sync));
        let me = me.get().flatten().map(|m| m.display_name);
        server.with(|s| {
            let people = s
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|l| l.people.as_slice());
            case_rows(
                sync.records(RecordKind::Person),
                people,
                &caseload,
                me.as_deref(),
            )
        })
    });
    let offline = Signal::derive(move || server.with(|s| matches!(s, Some(Err(_)))));
    view! {
        <Title text=t.get().nav_cases />
        <h1>{t.get().nav_cases}</h1>
        <p class="lead">{t.get().people_scope_note}</p>
        <div class="two-col">
            <section class="panel" aria-labelledby="intake-heading">
                <h2 id="intake-heading">{t.get().people_new}</h2>
                <PersonForm record_id=None known=Signal::derive(move || rows.get()) on_done=refresh />
            </section>
            <section class="panel" aria-labelledby="people-heading">
                <h2 id="people-heading">{t.get().people_list}</h2>
                <FailedList />
                <Show when=move || offline.get()>
                    <p class="notice" data-testid="list-offline">{t.get().intake.offline_list}</p>
                </Show>
                <Show when=move || !rows.with(Vec::is_empty)
                    fallback=move || view! { <p class="muted">{t.get().people_empty}</p> }>
                    <CaseList rows on_change=refresh />
                </Show>
            </section>
        </div>
    }
}

/// Rows a page of the case list shows.
const PAGE: usize = 50;

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Signal<Vec<(String, String)>> {
    Signal::stored(
        all.iter()
            .map(|v| (code(*v).to_owned(), label(*v).to_owned()))
            .collect(),
    )
}

/// The list's search and filters; an empty one lets everyone through.
#[derive(Clone, Copy)]
struct CaseFilters {
    query: RwSignal<String>,
    category: RwSignal<String>,
    owner: RwSignal<String>,
    status: RwSignal<String>,
    mine: RwSignal<bool>,
}

impl CaseFilters {
    fn new() -> Self {
        let empty = || RwSignal::new(String::new());
        Self {
            query: empty(),
            category: empty(),
            owner: empty(),
            status: empty(),
            mine: RwSignal::new(false),
        }
    }

    /// The rows that pass every filter (tracks the filters).
    fn apply(&self, rows: &[CaseRow]) -> Vec<CaseRow> {
        let (q, cat, org, st, only_mine) = (
            self.query.get(),
            self.category.get(),
            self.owner.get(),
            self.status.get(),
            self.mine.get(),
        );
        rows.iter()
            .filter(|r| cat.is_empty() || r.categories.iter().any(|c| c.code() == cat))
            .filter(|r| org.is_empty() || r.owner.is_some_and(|o| o.code() == org))
            .filter(|r| st.is_empty() || r.status.code() == st)
            .filter(|r| !only_mine || r.mine)
            .filter(|r| matches_search(&q, r.names(), r.birth_date))
            .cloned()
            .collect()
    }

    /// Tracks every filter (a change starts the list at its first page).
    fn track(&self) {
        self.query.track();
        self.category.track();
        self.owner.track();
        self.status.track();
        self.mine.track();
    }
}

/// The list with its search box, filters and pages.
#[component]
fn CaseList(
    rows: Memo<Vec<CaseRow>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let c = t.get().case;
    let w = t.get().intake;
    let filters = CaseFilters::new();
    let page = RwSignal::new(0usize);
    let found = Memo::new(move |_| rows.with(|rows| filters.apply(rows)));
    // A new search or filter starts at the first page.
    Effect::watch(move || filters.track(), move |_, _, _| page.set(0), false);
    let pages = Signal::derive(move || found.with(|f| f.len().div_ceil(PAGE).max(1)));
    view! {
        <CaseSearch filters />
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
        <table class="records" data-testid="people-table">
            <thead>
                <tr>
                    <th scope="col">{t.get().col_name}</th>
                    <th scope="col">{t.get().field_birth_date}</th>
                    <th scope="col">{t.get().field_category}</th>
                    <th scope="col">{t.get().col_owner}</th>
                    <th scope="col">{w.col_status}</th>
                    <th scope="col">{t.get().col_consent}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || found.with(|f| f.iter().skip(page.get() * PAGE).take(PAGE).cloned().collect::<Vec<_>>())
                    key=|r| format!("{r:?}") let:row>
                    <PersonRow row on_change />
                </For>
            </tbody>
        </table>
        <ExportLink />
        <Pager page pages />
    }
}

/// The search box and the filters above the list.
#[component]
fn CaseSearch(filters: CaseFilters) -> impl IntoView {
    let t = use_catalog();
    let (c, w, tc) = (t.get().case, t.get().intake, t.get());
    let orgs = choices(&Organisation::ALL, Organisation::code, move |o| {
        tc.organisation(o)
    });
    let statuses = choices(CaseStatus::ALL, CaseStatus::code, move |s| {
        tc.case.status(s)
    });
    let none = || Signal::stored(None::<String>);
    view! {
        <form class="case-search" role="search" on:submit=|ev| ev.prevent_default()>
            <TextField name="case_query" label=Signal::stored(c.search_label) hint=Signal::stored(c.search_hint) value=filters.query error=none() />
            <SelectField name="case_category" label=Signal::stored(tc.field_category) placeholder=Signal::stored(c.all)
                options=category_options(tc) value=filters.category error=none() />
            <SelectField name="case_owner" label=Signal::stored(tc.col_owner) placeholder=Signal::stored(c.all)
                options=orgs value=filters.owner error=none() />
            <SelectField name="case_status" label=Signal::stored(w.col_status) placeholder=Signal::stored(c.all)
                options=statuses value=filters.status error=none() />
            <label class="consent">
                <input type="checkbox" name="mine" prop:checked=move || filters.mine.get()
                    on:change:target=move |ev| filters.mine.set(ev.target().checked()) />
                <span>{w.mine_filter}</span>
            </label>
        </form>
    }
}

/// Previous and next page, when there is more than one.
#[component]
fn Pager(page: RwSignal<usize>, pages: Signal<usize>) -> impl IntoView {
    let c = use_catalog().get().case;
    view! {
        <Show when=move || { pages.get() > 1 }>
            <nav class="pager" aria-label=c.pages>
                <button type="button" class="secondary small" disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>{c.prev}</button>
                <span>{move || format!("{} / {}", page.get() + 1, pages.get())}</span>
                <button type="button" class="secondary small" disabled=move || page.get() + 1 >= pages.get()
                    on:click=move |_| page.update(|p| *p += 1)>{c.next}</button>
            </nav>
        </Show>
    }
}

/// The caseload as a CSV file (UTF-8 with BOM, so Excel reads the Japanese), dates in 和暦 or
/// ISO as chosen; the same people the server lists for this staff member.
#[component]
fn ExportLink() -> impl IntoView {
    let t = use_catalog();
    let lang = super::lang::use_lang();
    let dates = RwSignal::new("wareki".to_owned());
    let w = t.get().intake;
    let href = move || {
        format!(
            "/api/v1/people/export.csv?dates={}&lang={}",
            dates.get(),
            lang.get().tag()
        )
    };
    view! {
        <p class="export-line">
            <label for="export_dates">{w.export_dates}</label> " "
            <select id="export_dates" prop:value=move || dates.get() on:change:target=move |ev| dates.set(ev.target().value())>
                <option value="wareki">{w.dates_wareki}</option>
                <option value="iso">{w.dates_iso}</option>
            </select>
            " "
            <a href=href download="" data-testid="export-csv">{w.export_csv}</a>
        </p>
    }
}

#[component]
fn PersonRow(row: CaseRow, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let t = use_catalog();
    let me = expect_context::<super::auth::CurrentUser>().0;
    let id = row.id.clone();
    let page = format!("/cases/{id}");
    let name = format!("{} {}", row.family_name, row.given_name);
    let kana = format!("{} {}", row.family_name_kana, row.given_name_kana);
    let categories = row.categories.clone();
    let (owner, status, birth, waiting) = (row.owner, row.status, row.birth_date, row.waiting);
    let on_device = row.on_device;
    // The intake is the holding organisation's to correct (a new one, this device's).
    let may_edit = move || {
        on_device
            && me
                .get()
                .flatten()
                .is_some_and(|m| owner.is_none_or(|o| o == m.organisation))
    };
    let editing = RwSignal::new(false);
    let show_consent = RwSignal::new(false);
    let person_id = id
        .parse::<uuid::Uuid>()
        .ok()
        .map(crate::domain::ids::PersonId);
    let consent = row.consent.clone();
    view! {
        <tr data-person-id=id.clone() data-record-id=id.clone() data-state=if waiting { "waiting" } else { "synced" }
            data-on-device=on_device.to_string()>
            <td data-label=t.get().col_name>
                <a class="name" href=page.clone()>{name}</a>
                <br />
                <span class="kana">{kana}</span>
                {waiting.then(|| view! { <br /><SavedWhere waiting=true /> })}
            </td>
            <td data-label=t.get().field_birth_date class="date-cell">
                {move || birth.map(|d| t.get().format_date_short(d)).unwrap_or_default()}
            </td>
            <td data-label=t.get().field_category>
                {categories.iter().map(|c| t.get().support_category(*c)).collect::<Vec<_>>().join("・")}
            </td>
            <td data-label=t.get().col_owner>{owner.map(|o| t.get().organisation(o)).unwrap_or("—")}</td>
            <td data-label=t.get().intake.col_status><span class="badge status-badge">{t.get().case.status(status)}</span></td>
            <td data-label=t.get().col_consent>
                {match (consent, person_id) {
                    (Some(Some(c)), _) => view! {
                        <span class="badge ok-badge">
                            {t.get().consent_active}
                            {c.document_no.clone().map(|n| format!("（{n}）"))}
                        </span>
                        " "
                        <a href=page.clone()>{t.get().case.open_case}</a>
                    }.into_any(),
                    (Some(None), Some(pid)) => view! {
                        <span class="badge">{t.get().consent_none}</span>
                        " "
                        <button type="button" class="link-button" on:click=move |_| show_consent.update(|v| *v = !*v)>
                            {t.get().consent_record}
                        </button>
                        <Show when=move || show_consent.get()>
                            <ConsentForm person=pid on_saved=move || { show_consent.set(false); on_change(); } />
                        </Show>
                    }.into_any(),
                    _ => view! { <span class="muted">"—"</span> }.into_any(),
                }}
                <Show when=may_edit>
                    " "
                    <button type="button" class="link-button" on:click=move |_| editing.update(|v| *v = !*v)>{t.get().edit}</button>
                </Show>
            </td>
        </tr>
        <Show when=move || editing.get()>
            <tr class="edit-row"><td colspan="6">
                <PersonForm record_id=Some(id.clone()) on_done=move || editing.set(false) />
            </td></tr>
        </Show>
    }
}
