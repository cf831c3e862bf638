//! ケース (`/cases/{id}`): everything about one person in one place — who they are, what is
//! due next, every entry by both organisations in date order, the consent history, and the
//! forms to add to it. Read from this device's copy of the records and written to its outbox,
//! so the page works the same online and offline and says where each entry is.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::case_consent::ConsentHistory;
use super::case_forms::{EntryForms, FollowUpForm, ReferralResultForm};
use super::case_plan::{AssessmentPanel, PlanPanel};
use super::lang::{PageCatalog, use_catalog};
use super::offline::use_sync;
use crate::domain::casework::{
    EmploymentType, FollowUpResult, JobRole, NoteType, PlacementRoute, ReferralResult,
};
use crate::domain::date::CivilDate;
use crate::domain::person::SupportCategory;
use crate::sync::case_view::{self, Due, Item};
use crate::sync::kinds::{
    Fields, FollowUpFields, NoteFields, PersonFields, PlacementFields, ReferralFields,
};
use crate::sync::merge::RecordState;
use crate::sync::wire::RecordKind;

use crate::sync::kinds::text as kinds_text;

#[component]
pub fn CasePage() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let person = Memo::new(move |_| {
        let id = id.get();
        sync.records(RecordKind::Person)
            .into_iter()
            .find(|(r, _, _)| *r == id)
            .map(|(_, state, waiting)| (PersonFields::read(&state), waiting))
    });
    // The records merged into this one are read from here too.
    let merged = Memo::new(move |_| {
        let id = id.get();
        let mut ids = vec![id.clone()];
        ids.extend(
            sync.records(RecordKind::Person)
                .into_iter()
                .filter(|(_, state, _)| kinds_text(state, "merged_into") == id)
                .map(|(other, _, _)| other),
        );
        ids
    });
    let items = Memo::new(move |_| {
        let records = super::case_rows::entries(sync);
        merged.with(|ids| case_view::timeline_of(records, ids))
    });
    // Whether the case is here at all: the page below is built once it is (and not again when
    // the person's record changes, so a half-typed form stays as it is).
    provide_context(super::case_forms::Correcting(RwSignal::new(None)));
    let here = Memo::new(move |_| match person.with(Option::is_some) {
        true => Some(true),
        false if sync.locked.get().is_some() || sync.staff.get().is_none() => None,
        false => Some(false),
    });
    view! {
        <Title text=move || t.get().case.page_title />
        <p><a href="/cases">{move || t.get().case.back_to_list}</a></p>
        {move || match here.get() {
            None => view! { <p class="notice">{t.get().case.store_locked}</p> }.into_any(),
            Some(false) => view! { <p class="alert" role="alert">{t.get().case.not_found}</p> }.into_any(),
            Some(true) => view! {
                <super::case_merge::MergedBanner person=id.get() />
                {move || person.get().map(|(p, waiting)| view! { <Profile id=id.get() person=p waiting items /> })}
                <div class="case-layout">
                    <div class="case-main">
                        <NextDue person=id.get() items />
                        <PlanPanel person=id.get() items />
                        <AssessmentPanel person=id.get() items />
                        <super::case_story::StoryPanel person=id.get() items />
                        <Timeline items />
                    </div>
                    <div class="case-side">
                        <EntryForms person=id.get() items />
                        <ConsentHistory person=id.get() />
                        <super::case_merge::MergePanel person=id.get() />
                    </div>
                </div>
            }.into_any(),
        }}
    }
}

#[component]
fn Profile(
    id: String,
    person: PersonFields,
    waiting: bool,
    items: Memo<Vec<Item>>,
) -> impl IntoView {
    let t = use_catalog();
    let name = format!("{} {}", &*person.family_name, &*person.given_name);
    let kana = format!("{} {}", &*person.family_name_kana, &*person.given_name_kana);
    let birth = person.birth_date.parse::<CivilDate>().ok();
    let category = SupportCategory::from_code(&person.category);
    let editing = RwSignal::new(false);
    // The intake is the holding organisation's to correct.
    let ours = super::case_merge::held_here(id.clone());
    view! {
        <section class="panel case-profile" aria-labelledby="case-name">
            <h1 id="case-name"><span class="name">{name}</span></h1>
            <p>
                {move || t.get().case.status_label} " "
                <span class="badge status-badge" data-testid="case-status">
                    {move || t.get().case.status(items.with(|i| case_view::status(i)))}
                </span>
            </p>
            <p class="kana">{kana}</p>
            <dl class="answers">
                <dt>{move || t.get().field_birth_date}</dt>
                <dd>{move || birth.map(|d| t.get().format_date(d)).unwrap_or_default()}</dd>
                <dt>{move || t.get().field_category}</dt>
                <dd>{move || category.map(|c| t.get().support_category(c)).unwrap_or_default()}</dd>
            </dl>
            <IntakeDetails person=person.clone() />
            <SavedWhere waiting />
            // A person still only on this device is this device's to correct.
            <Show when=move || waiting || ours.get()>
                " "
                <button type="button" class="link-button" on:click=move |_| editing.update(|v| *v = !*v)>
                    {move || t.get().intake.edit_intake}
                </button>
            </Show>
            <Show when=move || editing.get()>
                <super::intake::PersonForm record_id=Some(id.clone()) on_done=move || editing.set(false) />
            </Show>
        </section>
    }
}

/// What intake recorded beyond the name: only what is known is listed.
#[component]
fn IntakeDetails(person: PersonFields) -> impl IntoView {
    use crate::domain::intake::{CameVia, Household, Sex};
    let t = use_catalog();
    let w = t.get().intake;
    let d = person.draft().details;
    let others: Vec<&str> = crate::domain::intake::categories(&d.other_categories)
        .into_iter()
        .map(|c| t.get().support_category(c))
        .collect();
    let mut household: Vec<String> = Vec::new();
    if let Some(h) = Household::from_code(&d.household) {
        household.push(w.household(h).to_owned());
    }
    if !d.household_size.is_empty() {
        household.push(w.members.replace("{n}", &d.household_size));
    }
    if !d.children_ages.is_empty() {
        let ages = d.children_ages.replace(',', "・");
        household.push(format!(
            "{}（{}）",
            w.field("children_ages").unwrap_or_default(),
            w.ages.replace("{list}", &ages)
        ));
    }
    let rows: Vec<(&'static str, String)> = [
        ("sex", Sex::from_code(&d.sex).map(|s| w.sex(s).to_owned())),
        ("phone", Some(d.phone.clone()).filter(|p| !p.is_empty())),
        ("address", Some(d.address.clone()).filter(|a| !a.is_empty())),
        (
            "household",
            Some(household.join("、")).filter(|h| !h.is_empty()),
        ),
        (
            "other_categories",
            Some(others.join("・")).filter(|o| !o.is_empty()),
        ),
        (
            "came_via",
            CameVia::from_code(&d.came_via).map(|c| w.came(c).to_owned()),
        ),
    ]
    .into_iter()
    .filter_map(|(f, v)| v.map(|v| (w.field(f).unwrap_or_default(), v)))
    .collect();
    (!rows.is_empty()).then(|| view! {
        <dl class="answers" data-testid="intake-details">
            {rows.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
    })
}

/// Where an entry is: only on this device (waiting to be sent) or on the server.
#[component]
pub fn SavedWhere(waiting: bool) -> impl IntoView {
    let t = use_catalog();
    view! {
        <span class=if waiting { "badge waiting-badge" } else { "badge ok-badge" } data-saved=if waiting { "device" } else { "server" }>
            {move || if waiting { t.get().case.on_this_device } else { t.get().case.on_the_server }}
        </span>
    }
}

#[component]
fn NextDue(person: String, items: Memo<Vec<Item>>) -> impl IntoView {
    let t = use_catalog();
    let today = crate::client::today();
    let due = Memo::new(move |_| items.with(|i| case_view::due(i, today)));
    let person = StoredValue::new(person);
    // A follow-up or a result is written about the person the placement or referral is about
    // (a record merged into this one keeps its own entries).
    let entry_person = move |d: &Due| {
        let id = match d {
            Due::FollowUp { placement_id, .. } => placement_id,
            Due::ReferralResult { referral_id, .. } => referral_id,
            Due::Step { .. } => return person.get_value(),
        };
        items
            .with_untracked(|i| {
                i.iter()
                    .find(|i| i.id == *id)
                    .map(|i| crate::sync::kinds::entry_of(&i.state).0)
            })
            .unwrap_or_else(|| person.get_value())
    };
    // Referral results are Hello Work's to record (職業紹介 is its work).
    let updates_referrals = expect_context::<super::auth::CurrentUser>()
        .0
        .get_untracked()
        .flatten()
        .is_some_and(|m| m.organisation == crate::domain::access::Organisation::HelloWork);
    view! {
        <section class="panel next-due" aria-labelledby="due-heading" data-testid="next-due">
            <h2 id="due-heading">{move || t.get().case.next_due}</h2>
            <Show when=move || !due.get().is_empty() fallback=move || view! { <p class="muted">{t.get().case.nothing_due}</p> }>
                <ul class="due-list">
                    <For each=move || due.get().into_iter().take(4) key=|d| d.clone() let:d>
                        <DueRow due=d.clone() today person=entry_person(&d) updates_referrals />
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn DueRow(due: Due, today: CivilDate, person: String, updates_referrals: bool) -> impl IntoView {
    let t = use_catalog();
    let overdue = due.on() < today;
    let open = RwSignal::new(false);
    let (text, form) = match due.clone() {
        Due::FollowUp { placement_id, months, on, employer } => (
            Signal::derive(move || {
                format!(
                    "{}（{}）",
                    t.get().case.follow_up_due
                        .replace("{months}", &months.to_string())
                        .replace("{date}", &t.get().format_date(on)),
                    employer
                )
            }),
            view! { <FollowUpForm person=person.clone() placement=placement_id months on_done=move || open.set(false) /> }.into_any(),
        ),
        Due::Step { text, owner, on } => (
            Signal::derive(move || {
                format!(
                    "{}: {}{}（{}）",
                    t.get().case.step_due_label,
                    text,
                    owner.map(|o| format!("・{}", t.get().organisation(o))).unwrap_or_default(),
                    t.get().format_date(on)
                )
            }),
            ().into_any(),
        ),
        Due::ReferralResult { referral_id, since, employer } => (
            Signal::derive(move || {
                format!(
                    "{}: {} {}（{}）",
                    t.get().case.kind_referral,
                    employer,
                    t.get().case.referral_result(ReferralResult::Pending),
                    t.get().format_date(since)
                )
            }),
            view! { <ReferralResultForm referral=referral_id on_done=move || open.set(false) /> }.into_any(),
        ),
    };
    let (label, may) = match due {
        Due::FollowUp { .. } => (Signal::derive(move || t.get().case.add_follow_up), true),
        Due::ReferralResult { .. } => (
            Signal::derive(move || t.get().case.update_result),
            updates_referrals,
        ),
        Due::Step { .. } => (Signal::derive(move || ""), false),
    };
    view! {
        <li class:overdue=overdue>
            <span>{text}</span>
            {overdue.then(|| view! { " " <span class="badge warn-badge">{move || t.get().case.follow_up_overdue}</span> })}
            {may.then(|| view! {
                " "
                <button type="button" class="link-button" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                    {label}
                </button>
                <div hidden=move || !open.get()>{form}</div>
            })}
        </li>
    }
}

#[component]
fn Timeline(items: Memo<Vec<Item>>) -> impl IntoView {
    let t = use_catalog();
    view! {
        <section class="panel" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{move || t.get().case.timeline}</h2>
            <Show when=move || !items.get().is_empty() fallback=move || view! { <p class="muted">{t.get().case.timeline_empty}</p> }>
                <ol class="timeline" data-testid="timeline">
                    <For each=move || items.get() key=|i| (i.id.clone(), i.waiting, serde_json::to_string(&i.state).unwrap_or_default()) let:item>
                        <TimelineItem item />
                    </For>
                </ol>
            </Show>
        </section>
    }
}

#[component]
fn TimelineItem(item: Item) -> impl IntoView {
    let t = use_catalog();
    let kind = item.kind;
    let date = item.date;
    let (org, author, role) = {
        let s = &item.state;
        let text = |f: &str| crate::sync::kinds::text(s, f);
        (
            crate::domain::access::Organisation::from_code(&text("organisation")),
            text("author"),
            JobRole::from_code(&text("job_role")),
        )
    };
    let kind_label = move || {
        let c = t.get().case;
        match kind {
            RecordKind::Note => c.kind_note,
            RecordKind::Referral => c.kind_referral,
            RecordKind::Placement => c.kind_placement,
            RecordKind::Assessment => c.kind_assessment,
            RecordKind::Plan => c.kind_plan,
            RecordKind::Story => t.get().story.title,
            _ => c.kind_follow_up,
        }
    };
    let body = entry_body(item.kind, &item.state);
    view! {
        <li class="timeline-item" data-kind=kind.code() data-record-id=item.id.clone()>
            <div class="timeline-head">
                <time>{move || date.map(|d| t.get().format_date(d)).unwrap_or_default()}</time>
                " "
                <span class="badge">{kind_label}</span>
                " "
                <span class="badge org-badge">{move || org.map(|o| t.get().organisation(o)).unwrap_or_default()}</span>
                " "
                <span class="author">{author}{move || role.map(|r| format!("（{}）", t.get().case.job_role(r))).unwrap_or_default()}</span>
                " "
                <SavedWhere waiting=item.waiting />
            </div>
            {body}
            {(kind == RecordKind::Note).then(|| {
                let correcting = expect_context::<super::case_forms::Correcting>().0;
                let id = item.id.clone();
                view! {
                    <button type="button" class="link-button" on:click=move |_| {
                        correcting.set(Some(id.clone()));
                        focus_note_form();
                    }>{move || t.get().case.correct_note}</button>
                }
            })}
        </li>
    }
}

/// What an entry says, in the reader's language.
fn entry_body(kind: RecordKind, state: &RecordState) -> impl IntoView + use<> {
    let t = use_catalog();
    match kind {
        RecordKind::Note => note_body(state, t).into_any(),
        RecordKind::Referral => referral_body(state, t).into_any(),
        RecordKind::Placement => placement_body(state, t).into_any(),
        RecordKind::Assessment => assessment_body(state, t).into_any(),
        RecordKind::Story => story_body(state, t).into_any(),
        RecordKind::Plan => plan_body(state, t).into_any(),
        _ => follow_up_body(state, t).into_any(),
    }
}

fn note_body(state: &RecordState, t: PageCatalog) -> impl IntoView + use<> {
    let n = NoteFields::read(state);
    let note_type = NoteType::from_code(&n.note_type);
    let corrects = (!n.corrects.is_empty()).then_some(n.corrects.0.clone());
    view! {
        <p class="entry-title">{move || note_type.map(|k| t.get().case.note_type(k)).unwrap_or_default()}
            {corrects.map(|_| view! { " " <span class="badge">{move || t.get().case.corrects_note}</span> })}
        </p>
        <p class="entry-body">{n.body.0}</p>
    }
}

fn referral_body(state: &RecordState, t: PageCatalog) -> impl IntoView + use<> {
    let r = ReferralFields::read(state);
    let result = ReferralResult::from_code(&r.result);
    view! {
        <p class="entry-title">{format!("{} {}", &*r.employer, &*r.job_title)}
            {(!r.job_no.is_empty()).then(|| format!("（{}）", &*r.job_no))}</p>
        <p>{move || result.map(|x| t.get().case.referral_result(x)).unwrap_or_default()}</p>
    }
}

fn placement_body(state: &RecordState, t: PageCatalog) -> impl IntoView + use<> {
    let p = PlacementFields::read(state);
    let (employment, route) = (
        EmploymentType::from_code(&p.employment_type),
        PlacementRoute::from_code(&p.route),
    );
    view! {
        <p class="entry-title">{format!("{} {}", &*p.employer, &*p.job_title)}</p>
        <p>
            {move || employment.map(|x| t.get().case.employment_type(x)).unwrap_or_default()}
            " ・ "
            {move || route.map(|x| t.get().case.route(x)).unwrap_or_default()}
        </p>
        {(!p.conditions.is_empty()).then(|| view! { <p class="entry-body">{p.conditions.0.clone()}</p> })}
    }
}

fn assessment_body(state: &RecordState, t: PageCatalog) -> impl IntoView + use<> {
    let a = crate::sync::kinds::AssessmentFields::read(state);
    let named: Vec<_> = crate::sync::kinds::assessment::challenges(&a.challenges);
    view! {
        <p class="entry-title">
            {move || named.iter().map(|c| t.get().case.challenge(*c)).collect::<Vec<_>>().join("・")}
        </p>
        {(!a.desired_jobs.is_empty()).then(|| view! { <p>{a.desired_jobs.0.clone()}</p> })}
    }
}

fn story_body(state: &RecordState, t: PageCatalog) -> impl IntoView + use<> {
    let s = crate::sync::kinds::StoryFields::read(state);
    let approved = !s.approved_on.trim().is_empty();
    view! {
        <p class="entry-title">
            {move || if approved { t.get().story.approved } else { t.get().story.draft }}
        </p>
    }
}

fn plan_body(state: &RecordState, t: PageCatalog) -> impl IntoView + use<> {
    let p = crate::sync::kinds::PlanFields::read(state);
    let version = p.version.0.clone();
    let following = p.following.0.to_uppercase();
    view! {
        <p class="entry-title">
            {move || t.get().case.plan_version.replace("{version}", &version)} " " {p.goal.0.clone()}
        </p>
        <p>{move || format!("{}: {}", t.get().case.plan_following, following)}</p>
    }
}

fn follow_up_body(state: &RecordState, t: PageCatalog) -> impl IntoView + use<> {
    let f = FollowUpFields::read(state);
    let result = FollowUpResult::from_code(&f.result);
    let months = f.months.0.clone();
    view! {
        <p class="entry-title">
            {move || t.get().case.months_after.replace("{months}", &months)}
            " ・ "
            {move || result.map(|x| t.get().case.follow_up_result(x)).unwrap_or_default()}
        </p>
        {(!f.remarks.is_empty()).then(|| view! { <p class="entry-body">{f.remarks.0.clone()}</p> })}
    }
}

/// Takes the eye and the keyboard to the note form's text (after 訂正を書く).
fn focus_note_form() {
    #[cfg(feature = "browser")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("body"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
}
