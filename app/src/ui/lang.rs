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

/// The page's catalogue. The language is fixed for a page's lifetime (switching reloads the
/// page, rendered by the server in the new language), so text is rendered once, not as
/// reactive closures: hundreds of text nodes then cost no render-effect code in the bundle.
#[derive(Clone, Copy)]
pub struct PageCatalog(&'static Catalog);

impl PageCatalog {
    pub fn get(self) -> &'static Catalog {
        self.0
    }

    pub fn get_untracked(self) -> &'static Catalog {
        self.0
    }
}

pub fn use_catalog() -> PageCatalog {
    PageCatalog(use_lang().get_untracked().catalog())
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

#[cfg(feature = "browser")]
fn initial_lang() -> Lang {
    use wasm_bindgen::JsCast;
    let cookie = document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.cookie().ok())
        .and_then(|c| Lang::from_cookie_header(&c));
    if let Some(lang) = cookie {
        return lang;
    }
    document()
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

#[cfg(not(any(feature = "ssr", feature = "browser")))]
fn initial_lang() -> Lang {
    Lang::default()
}

/// Remembers the choice for a year, in a cookie the server reads to render in that language.
fn remember(lang: Lang) {
    #[cfg(feature = "browser")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.tag()
            ));
        }
    }
    #[cfg(not(feature = "browser"))]
    let _ = (lang, LANG_COOKIE);
}

/// Loads the page again (in the language just chosen).
fn reload() {
    #[cfg(feature = "browser")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// A button that switches between Japanese and English, labelled in the language it switches to.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let t = use_catalog();
    let switch = move |_| {
        let next = lang.get_untracked().other();
        remember(next);
        reload();
    };
    view! {
        <button
            type="button"
            class="lang-switch"
            data-testid="lang-switch"
            on:click=switch
            lang=lang.get_untracked().other().tag()
            title=t.get().switch_language_hint
        >
            {t.get().switch_to_label}
        </button>
    }
}
