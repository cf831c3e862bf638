//! Areas whose screens arrive in later steps. Each page says so plainly and points to what
//! works today, instead of showing a mock-up that looks usable.

use leptos::prelude::*;
use leptos_meta::Title;

use super::lang::use_catalog;
use crate::i18n::Catalog;

#[component]
fn NotYet(name: fn(&Catalog) -> &'static str, desc: fn(&Catalog) -> &'static str) -> impl IntoView {
    let t = use_catalog();
    view! {
        <Title text=move || name(t.get()) />
        <h1>{move || name(t.get())}</h1>
        <p class="lead">{move || desc(t.get())}</p>
        <p class="notice" role="note">
            {t.get().area_not_yet}
            " "
            <a href="/events">{t.get().nav_events}</a>
        </p>
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <NotYet name=|c| c.nav_reports desc=|c| c.area_reports_desc /> }
}
