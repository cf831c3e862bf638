//! Form pieces shared by every area: a labelled field with its hint and its error, wired for
//! screen readers (`aria-describedby`, `aria-invalid`) and large enough to touch.

use leptos::prelude::*;

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
