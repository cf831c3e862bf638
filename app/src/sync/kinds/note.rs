//! A case note (記録): append-only; a correction is a new note.

use serde::{Deserialize, Serialize};

use super::{Fields, Text};
use crate::domain::date::CivilDate;
use crate::domain::text::is_forbidden_char;
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

pub const NOTE_MAX: usize = 2000;

/// A note record's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoteFields {
    /// The person the note is about.
    pub person_id: Text,
    pub body: Text,
    /// ISO date the conversation took place.
    pub written_on: Text,
}

/// A checked case note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub person_id: uuid::Uuid,
    pub body: String,
    pub written_on: CivilDate,
}

pub fn validate_note(state: &RecordState) -> Result<NewNote, Vec<FieldError>> {
    let fields = NoteFields::read(state);
    let mut errors = Errors::default();
    let person_id = fields.person_id.parse::<uuid::Uuid>().ok();
    if person_id.is_none() {
        errors.add("person_id", Problem::Required);
    }
    let body = fields.body.trim().to_owned();
    if body.is_empty() {
        errors.add("body", Problem::Required);
    } else if body
        .chars()
        .any(|c| is_forbidden_char(c) && !matches!(c, '\n' | '\r' | '\t'))
    {
        // A note may have lines; NUL, ESC and text-reordering characters it may not (SQLite
        // would store a NUL-led body as empty and refuse the row).
        errors.add("body", Problem::BadCharacters);
    } else if body.chars().count() > NOTE_MAX {
        errors.add("body", Problem::TooLong { max: NOTE_MAX });
    }
    let written_on = fields.written_on.parse::<CivilDate>().ok();
    if written_on.is_none() {
        errors.add("written_on", Problem::Required);
    }
    errors.finish(|| NewNote {
        person_id: person_id.expect("checked"),
        body,
        written_on: written_on.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::{editable, state_of};
    use crate::sync::wire::RecordKind;
    use serde_json::json;

    #[test]
    fn a_note_needs_a_person_a_body_and_a_date() {
        let ok = state_of(&[
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("body", json!("面談。履歴書を一緒に作成。")),
            ("written_on", json!("2026-11-27")),
        ]);
        assert!(validate_note(&ok).is_ok());
        let errors = validate_note(&state_of(&[("body", json!("  "))])).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(!editable(RecordKind::Note) && editable(RecordKind::Person));
    }
}
