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

/// What a person form holds while it is typed: the intake fields, one signal each.
#[derive(Clone, Copy)]
pub struct PersonInputs {
    pub family: RwSignal<String>,
    pub given: RwSignal<String>,
    pub family_kana: RwSignal<String>,
    pub given_kana: RwSignal<String>,
    pub birth: RwSignal<String>,
    pub category: RwSignal<String>,
}

impl PersonInputs {
    pub fn new(start: crate::domain::person::PersonDraft) -> Self {
        Self {
            family: RwSignal::new(start.name.family_name),
            given: RwSignal::new(start.name.given_name),
            family_kana: RwSignal::new(start.name.family_name_kana),
            given_kana: RwSignal::new(start.name.given_name_kana),
            birth: RwSignal::new(start.birth_date),
            category: RwSignal::new(start.category),
        }
    }

    /// What was typed, as the shared validation reads it.
    pub fn draft(&self) -> crate::domain::person::PersonDraft {
        crate::domain::person::PersonDraft {
            name: crate::domain::person::NameDraft {
                family_name: self.family.get_untracked(),
                given_name: self.given.get_untracked(),
                family_name_kana: self.family_kana.get_untracked(),
                given_name_kana: self.given_kana.get_untracked(),
            },
            birth_date: self.birth.get_untracked(),
            category: self.category.get_untracked(),
        }
    }

    /// Checks what was typed with the intake rules; shows each field's problem in `errors`
    /// (or clears them) and gives the draft and the checked person when all is well.
    pub fn check(
        &self,
        errors: RwSignal<Vec<crate::protocol::FieldMessage>>,
        lang: crate::i18n::Lang,
    ) -> Option<(
        crate::domain::person::PersonDraft,
        crate::domain::person::NewPerson,
    )> {
        let draft = self.draft();
        let today = crate::domain::date::CivilDate::in_japan_from_unix_millis(
            crate::client::now_unix_millis(),
        );
        match crate::domain::person::validate_person(&draft, today) {
            Ok(person) => {
                errors.set(Vec::new());
                Some((draft, person))
            }
            Err(found) => {
                errors.set(
                    found
                        .iter()
                        .map(|e| crate::protocol::FieldMessage::from_error(e, lang))
                        .collect(),
                );
                None
            }
        }
    }

    pub fn clear(&self) {
        for f in [
            self.family,
            self.given,
            self.family_kana,
            self.given_kana,
            self.birth,
            self.category,
        ] {
            f.set(String::new());
        }
    }
}

/// The intake fields of a person — name and reading side by side, birth date (和暦 or
/// western), category — with each field's error from `errors`.
#[component]
pub fn PersonFields(
    inputs: PersonInputs,
    errors: RwSignal<Vec<crate::protocol::FieldMessage>>,
) -> impl IntoView {
    let t = super::lang::use_catalog();
    let error_for = move |field: &'static str| field_error(errors, field);
    let categories = category_options(t.get());
    view! {
        <div class="name-pair">
            <TextField name="family_name" label=Signal::stored(t.get().field_family_name) value=inputs.family error=error_for("family_name") />
            <TextField name="given_name" label=Signal::stored(t.get().field_given_name) value=inputs.given error=error_for("given_name") />
        </div>
        <div class="name-pair">
            <TextField name="family_name_kana" label=Signal::stored(t.get().field_family_name_kana) hint=Signal::stored(t.get().hint_kana) value=inputs.family_kana error=error_for("family_name_kana") />
            <TextField name="given_name_kana" label=Signal::stored(t.get().field_given_name_kana) value=inputs.given_kana error=error_for("given_name_kana") />
        </div>
        <TextField name="birth_date" label=Signal::stored(t.get().field_birth_date) hint=Signal::stored(t.get().hint_birth_date) value=inputs.birth error=error_for("birth_date") />
        <SelectField name="category" label=Signal::stored(t.get().field_category) placeholder=Signal::stored(t.get().choose) options=categories value=inputs.category error=error_for("category") />
    }
}
