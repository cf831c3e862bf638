//! # Renkei app crate
//!
//! One crate, three layers, so the browser and the server share every rule:
//!
//! - [`domain`], [`protocol`], [`i18n`]: plain Rust (no Leptos, no browser APIs). Dates and 和暦,
//!   validation, wire types, translations. Unit-tested natively, compiled into both sides.
//! - [`client`]: the browser's side of the JSON API, behind one interface (a stand-in that reports
//!   "unavailable" when compiled for the server, where it is never called).
//! - [`ui`]: the Leptos components, rendered on the server (`ssr`) and hydrated in the browser
//!   (`hydrate`); the fair tablet's own module is rendered in the browser only (`tablet`,
//!   Leptos's `csr`). `browser` is what both browser builds share.

// Leptos view types nest deeply; computing their layout needs more than the default 128.
#![recursion_limit = "256"]
// The tablet's build (feature `tablet`) compiles the crate but links the fair's page only.
#![cfg_attr(feature = "tablet", allow(dead_code))]

#[cfg(all(feature = "tablet", feature = "hydrate"))]
compile_error!("`tablet` (the fair's own module, csr) and `hydrate` (the main app) are two builds");

pub mod client;
pub mod domain;
pub mod i18n;
pub mod protocol;
pub mod sync;
pub mod ui;

#[cfg(not(feature = "tablet"))]
pub use ui::{App, shell};

/// The wasm entry point. A server-rendered page is hydrated; the offline shell (served by the
/// service worker when there is no network, `<body data-shell>`) is rendered client-side. The
/// body is marked when done, so tests (and people reading the DOM) can tell a live page from a
/// static one.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A stopped page says so (a part of the code that fails to load on a dropped connection
    // stops it: wasm-split panics, and a panic ends the module).
    say_when_stopped();
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    if body.has_attribute("data-shell") {
        leptos::mount::mount_to_body(App);
        let _ = body.set_attribute("data-hydrated", "true");
        register_service_worker();
    } else {
        // A page of an area waits for its area's code (split by area: `ui::areas`) before it
        // hydrates; the body is marked once the whole page is live.
        // (Leptos's executor is started by `hydrate_from_async` itself.)
        wasm_bindgen_futures::spawn_local(async move {
            let path = web_sys::window()
                .and_then(|w| w.location().pathname().ok())
                .unwrap_or_default();
            ui::areas::preload_for(&path).await;
            let done = leptos::mount::hydrate_from_async(body.clone(), App).await;
            done.forget();
            let _ = body.set_attribute("data-hydrated", "true");
            register_service_worker();
        });
    }
}

/// A panic (the module cannot go on) is reported on the console and said on the page.
#[cfg(feature = "browser")]
fn say_when_stopped() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_stopped();
    }));
}

/// Puts a notice at the top of the page that the page stopped, in the page's language, with a
/// link that reloads it: plain DOM, as the app's code can no longer run.
#[cfg(feature = "browser")]
fn show_stopped() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(body), None) = (document.body(), document.get_element_by_id("app-stopped")) else {
        return;
    };
    let lang = document
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| i18n::Lang::from_tag(&tag))
        .unwrap_or_default();
    let t = lang.catalog();
    let notice = || -> Option<()> {
        let block = document.create_element("div").ok()?;
        block.set_id("app-stopped");
        block.set_class_name("app-stopped");
        block.set_attribute("role", "alert").ok()?;
        let text = document.create_element("p").ok()?;
        text.set_text_content(Some(t.app_stopped));
        let reload = document.create_element("a").ok()?;
        let here = web_sys::window()?.location().href().ok()?;
        reload.set_attribute("href", &here).ok()?;
        // A full load of the page the person was on, never a step of the stopped router.
        reload.set_attribute("rel", "external").ok()?;
        reload.set_text_content(Some(t.app_stopped_reload));
        block.append_child(&text).ok()?;
        block.append_child(&reload).ok()?;
        body.prepend_with_node_1(&block).ok()
    };
    let _ = notice();
}

/// Installs the service worker that keeps the app shell for offline starts, and marks the
/// body `data-offline-ready` once it is active (the shell is cached by then).
#[cfg(feature = "browser")]
fn register_service_worker() {
    use wasm_bindgen_futures::JsFuture;
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let _ = container.register("/sw.js");
    let Ok(ready) = container.ready() else {
        return;
    };
    leptos::task::spawn_local(async move {
        if JsFuture::from(ready).await.is_ok()
            && let Some(body) = leptos::prelude::document().body()
        {
            let _ = body.set_attribute("data-offline-ready", "true");
        }
    });
}

/// The fair tablet's entry (`/fair`, built with the `tablet` feature into its own module): the
/// server sends a page with no content and this mounts the tablet's screens into it, online or
/// from the service worker's copy; the body is marked as `hydrate` marks it.
#[cfg(feature = "tablet")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn tablet() {
    say_when_stopped();
    let document = leptos::prelude::document();
    let Some(body) = document.body() else {
        return;
    };
    // The page's line saying the screens are loading.
    if let Some(loading) = document.get_element_by_id("tablet-loading") {
        loading.remove();
    }
    leptos::mount::mount_to_body(ui::fair::TabletApp);
    let _ = body.set_attribute("data-hydrated", "true");
    register_service_worker();
}
