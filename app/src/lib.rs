//! # Renkei app crate
//!
//! One crate, three layers, so the browser and the server share every rule:
//!
//! - [`domain`], [`protocol`], [`i18n`]: plain Rust (no Leptos, no browser APIs). Dates and 和暦,
//!   validation, wire types, translations. Unit-tested natively, compiled into both sides.
//! - [`client`]: the browser's side of the JSON API, behind one interface (a stand-in that reports
//!   "unavailable" when compiled for the server, where it is never called).
//! - [`ui`]: the Leptos components, rendered on the server (`ssr`) and hydrated in the browser
//!   (`hydrate`).

// Leptos view types nest deeply; computing their layout needs more than the default 128.
#![recursion_limit = "256"]

pub mod client;
pub mod domain;
pub mod i18n;
pub mod protocol;
pub mod sync;
pub mod ui;

pub use ui::{App, shell};

/// The wasm entry point: hydrates the server-rendered page and marks the body when done, so
/// tests (and people reading the DOM) can tell a live page from a static one.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
