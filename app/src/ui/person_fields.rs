//! The person fields every intake shares (the counter's form, a fair registration turned into
//! a person): name and reading side by side, birth date, main category — and, on the counter's
//! form, the intake details (`intake_fields`). One signal per field while typed.

use leptos::prelude::*;

use super::components::{SelectField, TextField, category_options, field_error};

/// What a person form holds while it is typed: the intake fields, one signal each.
#[derive(Clone, Copy)]
pub struct PersonInputs {
    pub family: RwSignal<String>,
    pub given: RwSignal<String>,
    pub family_kana: RwSignal<String>,
    pub given_kana: RwSignal<String>,
    pub birth: RwSignal<String>,
    pub category: RwSignal<String>,
    /// Shown only where the form shows `IntakeDetailsFields` (the counter's intake).
    pub details: super::intake_fields::IntakeInputs,
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
            details: super::intake_fields::IntakeInputs::new(start.details),
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
            details: self.details.draft(),
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
        let today = crate::client::today();
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
        self.details.clear();
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
