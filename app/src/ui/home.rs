//! The start page: today's date and the four areas of the corner's work.

use leptos::prelude::*;
use leptos_meta::Title;

use super::lang::use_catalog;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_catalog();
    let today = crate::client::today();
    let areas = move || {
        let c = t.get();
        [
            ("/cases", c.nav_cases, c.area_cases_desc),
            ("/events", c.nav_events, c.area_events_desc),
            ("/reports", c.nav_reports, c.area_reports_desc),
            ("/admin", c.nav_admin, c.area_admin_desc),
        ]
    };
    view! {
        <Title text="" />
        <h1>{t.get().home_title}</h1>
        <p class="lead">{t.get().home_intro}</p>
        <p class="today">
            <span class="today-label">{t.get().today}</span>
            " "
            <time datetime=today.to_string()>{t.get().format_date(today)}</time>
        </p>
        <super::my_work::MyFollowUps />
        <ul class="area-cards">
            {move || {
                areas()
                    .into_iter()
                    .map(|(href, name, desc)| {
                        view! {
                            <li>
                                <a class="area-card" href=href>
                                    <span class="area-name">{name}</span>
                                    <span class="area-desc">{desc}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
