//! A person at intake (相談者): the counter's own record of someone the corner supports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Fields, Text};
use crate::domain::intake::IntakeDraft;
use crate::domain::person::{NameDraft, NewPerson, PersonDraft};
use crate::sync::merge::RecordState;

/// A person record's fields. Rules: `domain::person::validate_person` (the intake form's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonFields {
    pub family_name: Text,
    pub given_name: Text,
    pub family_name_kana: Text,
    pub given_name_kana: Text,
    /// ISO date, or empty when only an age group is known.
    pub birth_date: Text,
    /// `SupportCategory` code: the main category (counted in the reports).
    pub category: Text,
    /// The intake details (`domain::intake`); lists comma-separated.
    pub sex: Text,
    pub phone: Text,
    /// Within the city: the town and block, without the city's name.
    pub address: Text,
    pub household: Text,
    pub household_size: Text,
    pub children_ages: Text,
    pub other_categories: Text,
    pub came_via: Text,
    /// The person this record was merged into (a duplicate); written only by the server's
    /// merge, emptied when the merge is undone.
    pub merged_into: Text,
}

impl PersonFields {
    pub fn draft(&self) -> PersonDraft {
        PersonDraft {
            name: name_draft(
                &self.family_name,
                &self.given_name,
                &self.family_name_kana,
                &self.given_name_kana,
            ),
            birth_date: self.birth_date.0.clone(),
            category: self.category.0.clone(),
            details: IntakeDraft {
                sex: self.sex.0.clone(),
                phone: self.phone.0.clone(),
                address: self.address.0.clone(),
                household: self.household.0.clone(),
                household_size: self.household_size.0.clone(),
                children_ages: self.children_ages.0.clone(),
                other_categories: self.other_categories.0.clone(),
                came_via: self.came_via.0.clone(),
            },
        }
    }
}

/// The name as intake and fair registration check it.
pub(super) fn name_draft(
    family: &str,
    given: &str,
    family_kana: &str,
    given_kana: &str,
) -> NameDraft {
    NameDraft {
        family_name: family.to_owned(),
        given_name: given.to_owned(),
        family_name_kana: family_kana.to_owned(),
        given_name_kana: given_kana.to_owned(),
    }
}

/// A person record as intake sees it (for validation and display).
pub fn person_draft(state: &RecordState) -> PersonDraft {
    PersonFields::read(state).draft()
}

/// The canonical field values of a valid person (what devices should send, so that the
/// server and every replica hold the same text).
pub fn person_values(person: &NewPerson) -> BTreeMap<&'static str, Value> {
    let mut values = BTreeMap::from([
        ("family_name", Value::from(person.name.family_name.clone())),
        ("given_name", Value::from(person.name.given_name.clone())),
        (
            "family_name_kana",
            Value::from(person.name.family_name_kana.clone()),
        ),
        (
            "given_name_kana",
            Value::from(person.name.given_name_kana.clone()),
        ),
        (
            "birth_date",
            person
                .birth_date
                .map_or(Value::Null, |d| Value::from(d.to_string())),
        ),
        ("category", Value::from(person.category.code())),
    ]);
    let d = person.details.draft();
    for (field, value) in [
        ("sex", d.sex),
        ("phone", d.phone),
        ("address", d.address),
        ("household", d.household),
        ("household_size", d.household_size),
        ("children_ages", d.children_ages),
        ("other_categories", d.other_categories),
        ("came_via", d.came_via),
    ] {
        values.insert(field, Value::from(value));
    }
    values
}

#[cfg(test)]
mod tests {
    use crate::domain::date::CivilDate;
    use crate::sync::kinds::{check, state_of};
    use crate::sync::wire::RecordKind;
    use serde_json::json;

    #[test]
    fn a_person_is_checked_with_intake_rules() {
        let today = CivilDate::new(2026, 11, 27).unwrap();
        let ok = state_of(&[
            ("family_name", json!("見本")),
            ("given_name", json!("花子")),
            ("family_name_kana", json!("ミホン")),
            ("given_name_kana", json!("ハナコ")),
            ("birth_date", json!("1990-04-01")),
            ("category", json!("youth")),
        ]);
        assert_eq!(check(RecordKind::Person, &ok, today), Ok(()));
        // What intake writes names only the person's own fields.
        let person =
            crate::domain::person::validate_person(&super::person_draft(&ok), today).unwrap();
        let names = <super::PersonFields as crate::sync::kinds::Fields>::names();
        assert!(
            super::person_values(&person)
                .keys()
                .all(|f| names.contains(f))
        );
        let bad = state_of(&[("family_name", json!("見本")), ("category", json!("x"))]);
        let errors = check(RecordKind::Person, &bad, today).unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert!(
            named.contains(&"given_name") && named.contains(&"category"),
            "{named:?}"
        );
    }
}
