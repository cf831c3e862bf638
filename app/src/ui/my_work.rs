//! 今週の定着支援: on the start page, the retention follow-ups of the placements the signed-in
//! staff member recorded or is credited with that fall due within a week (overdue ones first),
//! read from this device's records so the list is there offline too.

use leptos::prelude::*;

use super::lang::use_catalog;
use super::offline::use_sync;
use crate::sync::case_view::{self, Due};
use crate::sync::kinds::{Fields, PersonFields};
use crate::sync::wire::RecordKind;

/// How far ahead "this week" looks.
const WEEK_DAYS: i64 = 7;

#[component]
pub fn MyFollowUps() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let me = expect_context::<super::auth::CurrentUser>().0;
    let today = crate::client::today();
    let due = Memo::new(move |_| {
        let Some(me) = me.get().flatten() else {
            return Vec::new();
        };
        let caseload = case_view::caseload(super::case_rows::entries(sync));
        let found = case_view::follow_ups_due(
            &caseload,
            &me.display_name,
            today,
            today.add_days(WEEK_DAYS),
        );
        let names = sync.records(RecordKind::Person);
        found
            .into_iter()
            .map(|(person, d)| {
                let name = names
                    .iter()
                    .find(|(id, _, _)| *id == person)
                    .map(|(_, s, _)| {
                        let p = PersonFields::read(s);
                        format!("{} {}", &*p.family_name, &*p.given_name)
                    })
                    .unwrap_or_default();
                (person, name, d)
            })
            .collect::<Vec<_>>()
    });
    view! {
        <Show when=move || sync.staff.get().is_some()>
            <section class="panel my-work" aria-labelledby="my-follow-ups" data-testid="my-follow-ups">
                <h2 id="my-follow-ups">{move || t.get().case.my_follow_ups}</h2>
                <Show when=move || !due.with(Vec::is_empty)
                    fallback=move || view! { <p class="muted">{move || t.get().case.my_follow_ups_none}</p> }>
                    <ul class="due-list">
                        {move || due.get().into_iter().map(|(person, name, d)| {
                            let Due::FollowUp { months, on, employer, .. } = d else { return None };
                            let overdue = on < today;
                            Some(view! {
                                <li class:overdue=overdue>
                                    <a href=format!("/cases/{person}") class="name">{name}</a>
                                    " "
                                    <span>{move || format!("{}（{}）",
                                        t.get().case.follow_up_due
                                            .replace("{months}", &months.to_string())
                                            .replace("{date}", &t.get().format_date(on)),
                                        employer)}</span>
                                    {overdue.then(|| view! { " " <span class="badge warn-badge">{move || t.get().case.follow_up_overdue}</span> })}
                                </li>
                            })
                        }).collect_view()}
                    </ul>
                </Show>
            </section>
        </Show>
    }
}
