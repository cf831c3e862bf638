//! A case note (支援経過): typed as the corner works (福祉サービス・相談, 職業相談・職業紹介, 面談,
//! 保育調整 …), with its author, their job role and organisation. Append-only: a correction is
//! a new note that points to the one it corrects (`corrects`).

use serde::{Deserialize, Serialize};

use super::{Fields, Text, entry};
use crate::domain::access::Organisation;
use crate::domain::casework::{JobRole, NoteType, entry_date};
use crate::domain::date::CivilDate;
use crate::domain::text::{has_visible_char, is_forbidden_char};
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
    /// `NoteType` code.
    pub note_type: Text,
    /// The writing organisation (`Organisation` code) and staff member.
    pub organisation: Text,
    pub author: Text,
    /// `JobRole` code of the author (optional: job roles are not system roles).
    pub job_role: Text,
    /// The note this one corrects, if it is a correction.
    pub corrects: Text,
}

/// A checked case note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub person_id: uuid::Uuid,
    pub body: String,
    pub written_on: CivilDate,
    pub note_type: NoteType,
    pub organisation: Organisation,
    pub job_role: Option<JobRole>,
    pub corrects: Option<uuid::Uuid>,
}

/// Checks a multi-line text (a note's body, remarks): lines and tabs allowed; NUL, ESC and
/// text-reordering characters not (SQLite would store a NUL-led body as empty).
pub fn check_body(
    errors: &mut Errors,
    field: &'static str,
    raw: &str,
    max: usize,
    required: bool,
) -> String {
    let body = raw.trim().to_owned();
    if body.is_empty() {
        if required {
            errors.add(field, Problem::Required);
        }
    } else if body
        .chars()
        .any(|c| is_forbidden_char(c) && !matches!(c, '\n' | '\r' | '\t'))
    {
        errors.add(field, Problem::BadCharacters);
    } else if !has_visible_char(&body) {
        // Nothing a person could read: missing where required, and as if left blank where not
        // (so that such a value, kept before this rule, never blocks other changes to its record).
        if required {
            errors.add(field, Problem::NothingVisible);
        }
        return String::new();
    } else if body.chars().count() > max {
        errors.add(field, Problem::TooLong { max });
    }
    body
}

pub fn validate_note(state: &RecordState, today: CivilDate) -> Result<NewNote, Vec<FieldError>> {
    let f = NoteFields::read(state);
    let mut errors = Errors::default();
    let person_id = entry::person(&mut errors, &f.person_id);
    let body = check_body(&mut errors, "body", &f.body, NOTE_MAX, true);
    let written_on = entry_date(&mut errors, "written_on", &f.written_on, today);
    let note_type = errors.choice("note_type", &f.note_type, NoteType::from_code);
    let organisation = entry::organisation(&mut errors, &f.organisation);
    errors.required_line("author", &f.author, entry::LINE_MAX);
    let job_role = match f.job_role.trim() {
        "" => None,
        code => {
            let role = JobRole::from_code(code);
            // A job role belongs to one side: a city clerk is not a 職業相談員.
            if role.is_none()
                || organisation.is_some_and(|o| role.is_some_and(|r| r.organisation() != o))
            {
                errors.add("job_role", Problem::UnknownChoice);
            }
            role
        }
    };
    let corrects = entry::optional_id(&mut errors, "corrects", &f.corrects);
    errors.finish(|| NewNote {
        person_id: person_id.expect("checked"),
        body,
        written_on: written_on.expect("checked"),
        note_type: note_type.expect("checked"),
        organisation: organisation.expect("checked"),
        job_role,
        corrects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::{editable, state_of};
    use crate::sync::wire::RecordKind;
    use serde_json::json;

    #[test]
    fn a_note_is_typed_and_says_who_wrote_it_in_which_role() {
        let today = CivilDate::new(2026, 11, 29).unwrap();
        let mut values = vec![
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            (
                "body",
                json!("一時保育を週4日で調整。近隣の保育園に空きあり。"),
            ),
            ("written_on", json!("2026-11-27")),
            ("note_type", json!("childcare")),
            ("organisation", json!("city")),
            ("author", json!("見本 太郎")),
            ("job_role", json!("support_worker")),
        ];
        let note = validate_note(&state_of(&values), today).unwrap();
        assert_eq!(
            (note.note_type, note.job_role),
            (NoteType::Childcare, Some(JobRole::SupportWorker))
        );
        values[6] = ("job_role", json!("counsellor"));
        let errors = validate_note(&state_of(&values), today).unwrap_err();
        assert_eq!(errors[0].field, "job_role");
        let errors = validate_note(&state_of(&[("body", json!("  "))]), today).unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            named,
            [
                "person_id",
                "body",
                "written_on",
                "note_type",
                "organisation",
                "author"
            ]
        );
        assert!(!editable(RecordKind::Note) && editable(RecordKind::Person));
    }

    #[test]
    fn a_text_that_shows_nothing_is_refused_as_such() {
        // Zero-width spaces or combining marks alone: a blank note kept for ever.
        for blank in ["\u{200b}\u{200b}", "\u{0301}\u{0301}", "\u{feff}\n\u{2060}"] {
            let mut errors = Errors::default();
            check_body(&mut errors, "body", blank, NOTE_MAX, true);
            let problems: Vec<_> = errors.finish(|| ()).unwrap_err();
            let problems: Vec<_> = problems.into_iter().map(|e| e.problem).collect();
            assert_eq!(problems, [Problem::NothingVisible], "{blank:?}");
        }
        let mut errors = Errors::default();
        assert_eq!(
            check_body(&mut errors, "remarks", "\u{200b}", NOTE_MAX, false),
            ""
        );
        check_body(&mut errors, "body", "面談。\n次回は来週。", NOTE_MAX, true);
        assert!(errors.finish(|| ()).is_ok());
    }
}
