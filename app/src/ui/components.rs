//! Pieces shared by every area: a labelled field with its hint and its error, wired for
//! screen readers (`aria-describedby`, `aria-invalid`) and large enough to touch; the app's
//! brand at the top of a page.

use leptos::prelude::*;

use super::lang::use_catalog;
use crate::protocol::FieldMessage;

/// A one-line text input with label, hint and error message.
#[component]
pub fn TextField(
    /// The input's id and name; the API field it fills.
    name: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into, optional)] hint: Option<Signal<&'static str>>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The on-screen keyboard to offer (`numeric`, `tel`); text when absent.
    #[prop(optional)]
    input_mode: Option<&'static str>,
    /// Extra content under the input (e.g. how a typed date was read).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=name>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{move || hint.get()}</p> })}
            <input
                type="text"
                id=name
                name=name
                autocomplete=autocomplete.unwrap_or("off")
                inputmode=input_mode
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
            {children.map(|c| c())}
            <FieldError id=error_id error />
        </div>
    }
}

/// Choices from a list of labels, in their order, as `(code, label)`.
pub fn options(
    labels: crate::i18n::casework::Labels,
    keep: impl Fn(&str) -> bool,
) -> Signal<Vec<(String, String)>> {
    Signal::stored(
        labels
            .iter()
            .filter(|(code, _)| keep(code))
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
            .collect(),
    )
}

/// A select from a fixed list, with a "choose" placeholder so nothing is picked by accident.
#[component]
pub fn SelectField(
    name: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] placeholder: Signal<&'static str>,
    /// `(code, label)` pairs in display order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone()).unwrap_or_default()
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=name>{move || label.get()}</label>
            <select
                id=name
                name=name
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                prop:value=move || value.get()
                on:change:target=move |ev| value.set(ev.target().value())
            >
                <option value="" selected=move || value.get().is_empty()>
                    {move || placeholder.get()}
                </option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(code, text)| {
                            let selected_code = code.clone();
                            view! {
                                <option value=code selected=move || value.get() == selected_code>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <FieldError id=error_id error />
        </div>
    }
}

/// What became of a form's last save: 「保存しました。」 announced politely, or why it failed
/// (an alert). Nothing while `message` is empty.
#[component]
pub fn FormOutcome(message: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    move || {
        message.get().map(|m| match m {
            Ok(m) => view! { <p class="success" role="status">{m}</p> }.into_any(),
            Err(m) => view! { <p class="alert" role="alert">{m}</p> }.into_any(),
        })
    }
}

#[component]
fn FieldError(id: String, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.get().is_some()>
            <p class="field-error" id=id.clone()>
                {move || error.get().unwrap_or_default()}
            </p>
        </Show>
    }
}

/// The message for one field among a form's errors (a field's `error` prop).
pub fn field_error(
    errors: RwSignal<Vec<crate::protocol::FieldMessage>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors.with(|list| {
            list.iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    })
}

/// The support categories (区分) as `(code, label)` choices.
pub fn category_options(t: &crate::i18n::Catalog) -> Signal<Vec<(String, String)>> {
    Signal::stored(
        crate::domain::person::SupportCategory::ALL
            .iter()
            .map(|k| (k.code().to_owned(), t.support_category(*k).to_owned()))
            .collect(),
    )
}

/// A form's problems as a list at its top, each a link to its field. It is where the eye
/// and the screen reader go after a failed submit (see [`reveal_after_render`]): on a
/// landscape tablet the fields in question are often above the visible screen.
#[component]
pub fn ErrorSummary(
    id: &'static str,
    errors: RwSignal<Vec<FieldMessage>>,
    testid: &'static str,
) -> impl IntoView {
    let t = use_catalog();
    view! {
        <Show when=move || errors.with(|e| !e.is_empty())>
            <div class="error-summary" id=id tabindex="-1" role="alert" data-testid=testid>
                <p class="alert">{t.get().form_has_errors}</p>
                <ul>
                    {move || errors.get().into_iter().map(|e| {
                        // A link to an input does not focus it by itself: do it here.
                        let field = e.field.clone();
                        view! {
                            <li><a href=format!("#{}", e.field) on:click=move |ev| {
                                ev.prevent_default();
                                reveal(&field);
                            }>{e.message}</a></li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

/// Scrolls to the element with this id and gives it the focus, once the change that shows
/// it has been drawn (it may not exist yet when called from the event that causes it).
pub fn reveal_after_render(id: &'static str) {
    #[cfg(feature = "browser")]
    request_animation_frame(move || reveal(id));
    #[cfg(not(feature = "browser"))]
    let _ = id;
}

/// Scrolls to the element with this id and gives it the focus.
fn reveal(id: &str) {
    #[cfg(feature = "browser")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            el.scroll_into_view();
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "browser"))]
    let _ = id;
}

/// The app's mark and name at the top of every page: a link to the start page (`home`), or the
/// name alone on the fair tablet, whose volunteers have no staff pages to go to.
#[component]
pub fn Brand(#[prop(optional)] home: Option<&'static str>) -> impl IntoView {
    let t = use_catalog();
    let inner = move || {
        view! {
            <span class="brand-mark" aria-hidden="true">"連"</span>
            <span class="brand-text">
                <span class="brand-name">{t.get().app_name}</span>
                <span class="brand-sub">{t.get().app_subtitle}</span>
            </span>
        }
    };
    match home {
        Some(href) => view! { <a class="brand" href=href>{inner()}</a> }.into_any(),
        None => view! { <span class="brand">{inner()}</span> }.into_any(),
    }
}

/// The two organisations as a select's choices, in the page's language.
pub fn organisation_choices() -> Signal<Vec<(String, String)>> {
    let t = use_catalog().get();
    Signal::stored(
        crate::domain::access::Organisation::ALL
            .iter()
            .map(|o| (o.code().to_owned(), t.organisation(*o).to_owned()))
            .collect(),
    )
}
