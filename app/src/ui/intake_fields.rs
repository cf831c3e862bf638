//! The intake details on the one intake form: sex, phone, address in the city, household
//! (shape, members, children's ages), the other categories that apply and how the person came.
//! Rules: `domain::intake`; words: `i18n::intake`.

use leptos::prelude::*;

use super::components::{SelectField, TextField, field_error, options};
use super::lang::use_catalog;
use crate::domain::intake::IntakeDraft;
use crate::domain::person::SupportCategory;

/// One signal per detail while the form is typed.
#[derive(Clone, Copy)]
pub struct IntakeInputs {
    pub sex: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub address: RwSignal<String>,
    pub household: RwSignal<String>,
    pub household_size: RwSignal<String>,
    pub children_ages: RwSignal<String>,
    pub other_categories: RwSignal<Vec<SupportCategory>>,
    pub came_via: RwSignal<String>,
}

impl IntakeInputs {
    pub fn new(start: IntakeDraft) -> Self {
        let others = crate::domain::intake::categories(&start.other_categories);
        Self {
            sex: RwSignal::new(start.sex),
            phone: RwSignal::new(start.phone),
            address: RwSignal::new(start.address),
            household: RwSignal::new(start.household),
            household_size: RwSignal::new(start.household_size),
            children_ages: RwSignal::new(start.children_ages),
            other_categories: RwSignal::new(others),
            came_via: RwSignal::new(start.came_via),
        }
    }

    pub fn draft(&self) -> IntakeDraft {
        IntakeDraft {
            sex: self.sex.get_untracked(),
            phone: self.phone.get_untracked(),
            address: self.address.get_untracked(),
            household: self.household.get_untracked(),
            household_size: self.household_size.get_untracked(),
            children_ages: self.children_ages.get_untracked(),
            other_categories: self
                .other_categories
                .with_untracked(|v| v.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")),
            came_via: self.came_via.get_untracked(),
        }
    }

    pub fn clear(&self) {
        for f in [
            self.sex,
            self.phone,
            self.address,
            self.household,
            self.household_size,
            self.children_ages,
            self.came_via,
        ] {
            f.set(String::new());
        }
        self.other_categories.set(Vec::new());
    }
}

/// The details, grouped under one legend, each with its error from `errors`.
#[component]
pub fn IntakeDetailsFields(
    inputs: IntakeInputs,
    errors: RwSignal<Vec<crate::protocol::FieldMessage>>,
) -> impl IntoView {
    let t = use_catalog();
    let w = t.get().intake;
    let label = move |f: &'static str| Signal::stored(w.field(f).unwrap_or_default());
    let error_for = move |field: &'static str| field_error(errors, field);
    let chosen = inputs.other_categories;
    view! {
        <fieldset class="choices" data-testid="other-categories">
            <legend>{w.others_legend}</legend>
            {SupportCategory::ALL.iter().map(|c| {
                let c = *c;
                view! {
                    <label class="choice">
                        <input type="checkbox" name="other_categories" value=c.code()
                            prop:checked=move || chosen.with(|v| v.contains(&c))
                            on:change=move |_| chosen.update(|v| match v.iter().position(|x| *x == c) {
                                Some(i) => { v.remove(i); }
                                None => v.push(c),
                            }) />
                        <span>{t.get().support_category(c)}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
        {move || error_for("other_categories").get().map(|m| view! { <p class="field-error">{m}</p> })}
        <fieldset class="details">
            <legend>{w.details_legend}</legend>
            <div class="name-pair">
                <SelectField name="sex" label=label("sex") placeholder=Signal::stored(t.get().choose)
                    options=options(w.sexes, |_| true) value=inputs.sex error=error_for("sex") />
                <SelectField name="came_via" label=label("came_via") placeholder=Signal::stored(t.get().choose)
                    options=options(w.came_via, |_| true) value=inputs.came_via error=error_for("came_via") />
            </div>
            <TextField name="phone" label=label("phone") hint=Signal::stored(w.phone_hint) value=inputs.phone
                error=error_for("phone") input_mode="tel" autocomplete="off" />
            <TextField name="address" label=label("address") hint=Signal::stored(w.address_hint) value=inputs.address
                error=error_for("address") />
            <SelectField name="household" label=label("household") placeholder=Signal::stored(t.get().choose)
                options=options(w.households, |_| true) value=inputs.household error=error_for("household") />
            <div class="name-pair">
                <TextField name="household_size" label=label("household_size") value=inputs.household_size
                    error=error_for("household_size") input_mode="numeric" />
                <TextField name="children_ages" label=label("children_ages") hint=Signal::stored(w.children_hint)
                    value=inputs.children_ages error=error_for("children_ages") />
            </div>
        </fieldset>
    }
}
