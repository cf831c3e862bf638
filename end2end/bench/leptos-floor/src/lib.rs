//! What Leptos 0.8 alone puts on the wire: a hydrated app with a signal, a form with a
//! message, a fetch read with serde — with the router (`--features router`) and without.
//! Built and measured by `measure.sh`; figures in docs/benchmarks.md.

use leptos::prelude::*;
#[cfg(feature = "router")]
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};
use serde::Deserialize;

#[derive(Deserialize, Clone, Default)]
struct Session {
    name: String,
}

#[component]
fn Home() -> impl IntoView {
    let (n, set_n) = signal(0);
    let session = LocalResource::new(|| async {
        let r = gloo_net::http::Request::get("/api/v1/session").send().await.ok()?;
        r.json::<Session>().await.ok()
    });
    view! {
        <h1>"Home"</h1>
        <button on:click=move |_| set_n.update(|n| *n += 1)>{move || n.get()}</button>
        <p>{move || session.get().flatten().map(|s| s.name).unwrap_or_default()}</p>
    }
}

#[component]
fn Form() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let err = RwSignal::new(None::<String>);
    view! {
        <form on:submit=move |ev| { ev.prevent_default(); if name.get().is_empty() { err.set(Some("required".into())) } }>
            <label>"Name"<input prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) /></label>
            <Show when=move || err.get().is_some()><p role="alert">{move || err.get()}</p></Show>
            <button>"Save"</button>
        </form>
    }
}

#[cfg(feature = "router")]
#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <nav><A href="/">"Home"</A><A href="/form">"Form"</A></nav>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=Home />
                <Route path=path!("/form") view=Form />
            </Routes>
        </Router>
    }
}

#[cfg(not(feature = "router"))]
#[component]
fn App() -> impl IntoView {
    view! {
        <nav><a href="/">"Home"</a></nav>
        <Home />
        <Form />
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
