//! The display language: a context signal, its first value (from the server's cookie on the
//! server, from `<html lang>` in the browser, so hydration matches), and the switch.

use leptos::prelude::*;

use crate::i18n::{Catalog, LANG_COOKIE, Lang};

#[derive(Clone, Copy)]
struct UiLang(RwSignal<Lang>);

/// Puts the language signal into context; call once, at the top of the app.
pub fn provide_lang() {
    provide_context(UiLang(RwSignal::new(initial_lang())));
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<UiLang>().0
}

/// The catalogue of the current language, as a signal.
pub fn use_catalog() -> Signal<&'static Catalog> {
    let lang = use_lang();
    Signal::derive(move || lang.get().catalog())
}

#[cfg(feature = "ssr")]
fn initial_lang() -> Lang {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            let cookie = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
            Lang::from_cookie_header(cookie)
        })
        .unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn initial_lang() -> Lang {
    document()
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn initial_lang() -> Lang {
    Lang::default()
}

/// Remembers the choice for a year, in a cookie the server reads to render in that language.
fn remember(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.tag()
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (lang, LANG_COOKIE);
}

/// A button that switches between Japanese and English, labelled in the language it switches to.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let t = use_catalog();
    let switch = move |_| {
        let next = lang.get_untracked().other();
        remember(next);
        lang.set(next);
    };
    view! {
        <button
            type="button"
            class="lang-switch"
            data-testid="lang-switch"
            on:click=switch
            lang=move || lang.get().other().tag()
            title=move || t.get().switch_language_hint
        >
            {move || t.get().switch_to_label}
        </button>
    }
}
