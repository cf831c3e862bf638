//! The record kinds the sync engine carries, one module each: a kind's fields as a typed struct
//! (the field list is that struct's, asked of serde — not a list of strings), its rules, what a
//! tablet keeps of it. The server runs these rules on every push (the authority); the browser
//! runs the same functions before it puts an entry in its outbox, so most mistakes are caught at
//! once. The server side of a kind (scope, projection) is `server::service::records::<kind>`.

pub mod assessment;
pub mod entry;
pub mod follow_up;
pub mod interview;
pub mod note;
pub mod participant;
pub mod person;
pub mod placement;
pub mod plan;
pub mod referral;
pub mod story;

use std::ops::Deref;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use assessment::{AssessmentFields, NewAssessment, validate_assessment};
pub use follow_up::{FollowUpFields, NewFollowUp, validate_follow_up};
pub use interview::{InterviewFields, NewInterview, validate_interview};
pub use note::{NOTE_MAX, NewNote, NoteFields, validate_note};
pub use participant::{
    ANSWERS, INTERESTS_MAX, NewFairParticipant, Registration, SERVER_WRITES, SameReason,
    TabletRegistration, check_walk_in, check_walk_in_entry, listed, participant_values,
    possibly_same, tablet_view, validate_fair_participant,
};
pub use person::{PersonFields, person_draft, person_values};
pub use placement::{NewPlacement, PlacementFields, validate_placement};
pub use plan::{NewPlan, PlanFields, Step, Steps, validate_plan};
pub use referral::{NewReferral, ReferralFields, validate_referral};
pub use story::{NewStory, StoryFields, validate_story};

use super::merge::RecordState;
use super::wire::RecordKind;
use crate::domain::date::CivilDate;
use crate::domain::person::validate_person;
use crate::domain::validation::{FieldError, Problem};

/// A text field as a record holds it: a string; a number reads as its digits, anything else
/// (absent, null, a list) as empty — which the kind's rules then name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Text(match Value::deserialize(d)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        }))
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// A yes/no field: yes only when the value is `true`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Flag(matches!(Value::deserialize(d)?, Value::Bool(true))))
    }
}

/// A kind's typed fields: read from a merged record leniently (a missing or mistyped value is
/// the field's default), their names from the struct itself.
pub trait Fields: DeserializeOwned + Default {
    fn read(state: &RecordState) -> Self {
        let map: serde_json::Map<String, Value> = state
            .fields
            .iter()
            .map(|(name, f)| (name.clone(), f.value.clone()))
            .collect();
        serde_json::from_value(Value::Object(map)).unwrap_or_default()
    }

    fn names() -> &'static [&'static str] {
        field_names::<Self>()
    }
}

impl<T: DeserializeOwned + Default> Fields for T {}

/// The field names of a struct, as its `Deserialize` implementation declares them.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names(&'static [&'static str]);
    impl<'de> Deserializer<'de> for &mut Names {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("a struct's names only"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(de::Error::custom("a struct's names only"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

/// The fields a kind has; writes to any other field are refused.
pub fn fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Person => PersonFields::names(),
        RecordKind::Note => NoteFields::names(),
        RecordKind::Participant => Registration::names(),
        RecordKind::Interview => InterviewFields::names(),
        RecordKind::Referral => ReferralFields::names(),
        RecordKind::Placement => PlacementFields::names(),
        RecordKind::FollowUp => FollowUpFields::names(),
        RecordKind::Assessment => AssessmentFields::names(),
        RecordKind::Plan => PlanFields::names(),
        RecordKind::Story => StoryFields::names(),
        RecordKind::Unknown => &[],
    }
}

/// A record's values as its kind's fields read them.
fn read_back<T: Fields + Serialize>(state: &RecordState) -> Value {
    serde_json::to_value(T::read(state)).unwrap_or_default()
}

/// Values that do not have the shape their field is read with: a list, an object or yes/no
/// where text is read. They would be stored as sent and reach every device, while every rule
/// reads them as empty; only a hand-made request sends them.
pub fn misshapen(kind: RecordKind, state: &RecordState) -> Vec<FieldError> {
    let read = match kind {
        RecordKind::Person => read_back::<PersonFields>(state),
        RecordKind::Note => read_back::<NoteFields>(state),
        RecordKind::Participant => read_back::<Registration>(state),
        RecordKind::Interview => read_back::<InterviewFields>(state),
        RecordKind::Referral => read_back::<ReferralFields>(state),
        RecordKind::Placement => read_back::<PlacementFields>(state),
        RecordKind::FollowUp => read_back::<FollowUpFields>(state),
        RecordKind::Assessment => read_back::<AssessmentFields>(state),
        RecordKind::Plan => read_back::<PlanFields>(state),
        RecordKind::Story => read_back::<StoryFields>(state),
        RecordKind::Unknown => Value::Null,
    };
    fields(kind)
        .iter()
        .filter_map(|name| {
            let stored = &state.fields.get(*name)?.value;
            let text_field = read.get(*name).is_some_and(Value::is_string);
            let text_like = stored.is_string() || stored.is_number() || stored.is_null();
            (text_field && !text_like).then_some(FieldError {
                field: name,
                problem: Problem::BadValue,
            })
        })
        .collect()
}

/// The field name as the kind spells it (a `'static` name for error messages).
pub fn field_name(kind: RecordKind, name: &str) -> Option<&'static str> {
    fields(kind).iter().copied().find(|f| *f == name)
}

/// A field's value as text ("" for absent or null), for code that handles any kind.
pub fn text(state: &RecordState, field: &str) -> String {
    match state.fields.get(field).map(|f| &f.value) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A record holding just these values (to check what a form holds with the kind's rules).
pub fn state_of(values: &[(&str, Value)]) -> RecordState {
    let mut state = RecordState::default();
    for (field, value) in values {
        super::merge::apply(
            &mut state,
            super::merge::FieldWrite {
                field: (*field).to_owned(),
                value: value.clone(),
                stamp: super::hlc::Hlc::ZERO,
                base: None,
            },
        );
    }
    state
}

/// Checks a merged record of `kind`. A deleted record is always acceptable.
pub fn check(
    kind: RecordKind,
    state: &RecordState,
    today: CivilDate,
) -> Result<(), Vec<FieldError>> {
    if state.deleted.is_some() {
        return Ok(());
    }
    let misshapen = misshapen(kind, state);
    if !misshapen.is_empty() {
        return Err(misshapen);
    }
    match kind {
        RecordKind::Person => validate_person(&person_draft(state), today).map(|_| ()),
        RecordKind::Note => validate_note(state, today).map(|_| ()),
        RecordKind::Referral => validate_referral(state, today).map(|_| ()),
        RecordKind::Placement => validate_placement(state, today).map(|_| ()),
        RecordKind::FollowUp => validate_follow_up(state, today).map(|_| ()),
        RecordKind::Assessment => validate_assessment(state, today).map(|_| ()),
        RecordKind::Plan => validate_plan(state, today).map(|_| ()),
        RecordKind::Story => validate_story(state, today).map(|_| ()),
        RecordKind::Participant => validate_fair_participant(state, today).map(|_| ()),
        RecordKind::Interview => validate_interview(state).map(|_| ()),
        RecordKind::Unknown => Err(vec![FieldError {
            field: "kind",
            problem: Problem::UnknownChoice,
        }]),
    }
}

/// Whether a fair tablet may change `field` of an existing record of `kind`: a registration's
/// check-in, an interview's progress.
pub fn tablet_may_change(kind: RecordKind, field: &str) -> bool {
    match kind {
        RecordKind::Participant => participant::TABLET_EDITS.contains(&field),
        RecordKind::Interview => true,
        _ => false,
    }
}

/// Whether a fair tablet may delete a record of `kind`: an interview recorded by mistake, yes;
/// a registration, no (staff at the counter decide).
pub fn tablet_may_delete(kind: RecordKind) -> bool {
    kind == RecordKind::Interview
}

/// Whether a kind's records may change after they are written. Notes are append-only (a
/// correction is a new note), and so are plans (a change is a new version).
pub fn editable(kind: RecordKind) -> bool {
    !matches!(
        kind,
        RecordKind::Note | RecordKind::Plan | RecordKind::Unknown
    )
}

/// The person a case entry is about, and the organisation that wrote it (from its fields).
pub fn entry_of(state: &RecordState) -> (String, Option<crate::domain::access::Organisation>) {
    (
        text(state, "person_id"),
        crate::domain::access::Organisation::from_code(&text(state, "organisation")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_lists_come_from_the_structs() {
        assert_eq!(
            fields(RecordKind::Person),
            [
                "family_name",
                "given_name",
                "family_name_kana",
                "given_name_kana",
                "birth_date",
                "category",
                "sex",
                "phone",
                "address",
                "household",
                "household_size",
                "children_ages",
                "other_categories",
                "came_via",
                "merged_into"
            ]
        );
        assert_eq!(
            fields(RecordKind::Note),
            [
                "person_id",
                "body",
                "written_on",
                "note_type",
                "organisation",
                "author",
                "job_role",
                "corrects"
            ]
        );
        for kind in RecordKind::ALL.into_iter().filter(|k| k.is_case_entry()) {
            let names = fields(kind);
            assert!(
                ["person_id", "organisation", "author"]
                    .iter()
                    .all(|f| names.contains(f)),
                "{kind:?} {names:?}"
            );
        }
        assert_eq!(
            fields(RecordKind::Interview),
            ["event_id", "participant_id", "employer_id", "outcome"]
        );
        let registration = fields(RecordKind::Participant);
        assert_eq!(registration.len(), 15);
        assert!(
            [
                "event_id",
                "phone",
                "checked_in",
                "merged_into",
                "desired_work"
            ]
            .iter()
            .all(|f| registration.contains(f))
        );
        assert_eq!(field_name(RecordKind::Note, "body"), Some("body"));
        assert_eq!(field_name(RecordKind::Note, "family_name"), None);
        assert!(fields(RecordKind::Unknown).is_empty());
    }

    #[test]
    fn typed_reads_are_lenient_and_validation_names_what_is_missing() {
        let state = state_of(&[
            ("family_name", json!(12)),
            ("given_name", json!(["x"])),
            (
                "unknown_later_field",
                json!("kept by the record, ignored here"),
            ),
        ]);
        let person = PersonFields::read(&state);
        assert_eq!(&*person.family_name, "12");
        assert_eq!(&*person.given_name, "");
        // Read leniently, but refused when checked: a list is not text.
        let refused = misshapen(RecordKind::Person, &state);
        assert_eq!(
            refused,
            [FieldError {
                field: "given_name",
                problem: Problem::BadValue
            }]
        );
        let flags = Registration::read(&state_of(&[
            ("contact_ok", json!("true")),
            ("share_ok", json!(true)),
        ]));
        assert!(!flags.contact_ok.0 && flags.share_ok.0);
    }
}
