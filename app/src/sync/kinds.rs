//! The rules of each record kind the sync engine carries: which fields it has, and whether a
//! merged record is acceptable. The server runs these on every push; the browser runs the
//! same functions before it puts an entry in its outbox, so most mistakes are caught at once.

use std::collections::BTreeMap;

use serde_json::Value;

use super::merge::RecordState;
use super::wire::RecordKind;
use crate::domain::date::CivilDate;
use crate::domain::event::FairOutcome;
use crate::domain::person::{NameDraft, NewPerson, PersonDraft, validate_person};
use crate::domain::text::is_forbidden_char;
use crate::domain::validation::{Errors, FieldError, Problem};

pub const PERSON_FIELDS: [&str; 6] = [
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "category",
];
pub const NOTE_FIELDS: [&str; 3] = ["person_id", "body", "written_on"];
pub const PARTICIPANT_FIELDS: [&str; 14] = [
    "event_id",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "phone",
    "category",
    "interests",
    "contact_ok",
    "share_ok",
    "checked_in",
    "age_band",
    "merged_into",
];
/// Fields only the server's own decisions write: devices and staff pushes may not (a merge of
/// two registrations is decided by staff at the counter, who may see both).
pub const SERVER_WRITES: [&str; 1] = ["merged_into"];
pub const INTERVIEW_FIELDS: [&str; 4] = ["event_id", "participant_id", "employer_id", "outcome"];
pub const INTERESTS_MAX: usize = 200;
pub const NOTE_MAX: usize = 2000;

/// What a fair tablet keeps of a registration, and all the server sends it: enough to find and
/// check in the person and to record interviews — not their birth date, phone or answers.
pub const TABLET_KEEPS: [&str; 7] = [
    "event_id",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "checked_in",
    // Staff merged it into another registration of the same person: tablets list it once.
    "merged_into",
];

/// The registrations a fair lists, each person once, as the counter counts them: one staff
/// merged into another registration is left out — unless that one no longer exists (deleted),
/// and then it stands on its own again.
pub fn listed<T>(registrations: Vec<(String, RecordState, T)>) -> Vec<(String, RecordState, T)> {
    let ids: std::collections::BTreeSet<String> =
        registrations.iter().map(|(id, _, _)| id.clone()).collect();
    registrations
        .into_iter()
        .filter(|(_, state, _)| {
            let root = text(state, "merged_into");
            root.is_empty() || !ids.contains(&root)
        })
        .collect()
}

/// A registration as a tablet may hold it (see [`TABLET_KEEPS`]).
pub fn tablet_view(state: &mut RecordState) {
    state
        .fields
        .retain(|field, _| TABLET_KEEPS.contains(&field.as_str()));
}

/// The fields a kind has; writes to any other field are refused.
pub fn fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::Person => &PERSON_FIELDS,
        RecordKind::Note => &NOTE_FIELDS,
        RecordKind::Participant => &PARTICIPANT_FIELDS,
        RecordKind::Interview => &INTERVIEW_FIELDS,
        RecordKind::Unknown => &[],
    }
}

/// The field name as the kind spells it (a `'static` name for error messages).
pub fn field_name(kind: RecordKind, name: &str) -> Option<&'static str> {
    fields(kind).iter().copied().find(|f| *f == name)
}

/// A field's value as text ("" for absent or null).
pub fn text(state: &RecordState, field: &str) -> String {
    match state.fields.get(field).map(|f| &f.value) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A person record as intake sees it (for validation and display).
pub fn person_draft(state: &RecordState) -> PersonDraft {
    PersonDraft {
        name: name_draft(state),
        birth_date: text(state, "birth_date"),
        category: text(state, "category"),
    }
}

/// The name fields of a person or participant record.
fn name_draft(state: &RecordState) -> NameDraft {
    NameDraft {
        family_name: text(state, "family_name"),
        given_name: text(state, "given_name"),
        family_name_kana: text(state, "family_name_kana"),
        given_name_kana: text(state, "given_name_kana"),
    }
}

/// The canonical field values of a valid person (what devices should send, so that the
/// server and every replica hold the same text).
pub fn person_values(person: &NewPerson) -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
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
    ])
}

/// A field's value as a yes/no (absent: no).
pub fn flag(state: &RecordState, field: &str) -> bool {
    matches!(
        state.fields.get(field).map(|f| &f.value),
        Some(Value::Bool(true))
    )
}

/// A checked fair participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFairParticipant {
    pub event_id: uuid::Uuid,
    pub person: crate::domain::person::NewParticipant,
    pub category: Option<crate::domain::person::SupportCategory>,
    pub age_band: Option<crate::domain::person::AgeBand>,
    pub interests: String,
    /// May be contacted after the fair.
    pub contact_ok: bool,
    /// Agrees that the city and Hello Work share the registration.
    pub share_ok: bool,
    pub checked_in: bool,
    /// Staff decided it is the same person as this registration (counted as that one).
    pub merged_into: Option<uuid::Uuid>,
}

pub fn validate_fair_participant(
    state: &RecordState,
    today: CivilDate,
) -> Result<NewFairParticipant, Vec<FieldError>> {
    let draft = crate::domain::person::ParticipantDraft {
        name: name_draft(state),
        birth_date: text(state, "birth_date"),
        phone: text(state, "phone"),
    };
    let mut errors = match crate::domain::person::validate_participant(&draft, today) {
        Ok(person) => {
            let mut errors = Errors::default();
            let event_id = text(state, "event_id").parse::<uuid::Uuid>().ok();
            if event_id.is_none() {
                errors.add("event_id", Problem::NotChosen);
            }
            let category_code = text(state, "category");
            let category = if category_code.is_empty() {
                None
            } else {
                errors.choice(
                    "category",
                    &category_code,
                    crate::domain::person::SupportCategory::from_code,
                )
            };
            let band_code = text(state, "age_band");
            let age_band = if band_code.is_empty() {
                None
            } else {
                errors.choice(
                    "age_band",
                    &band_code,
                    crate::domain::person::AgeBand::from_code,
                )
            };
            let merged = text(state, "merged_into");
            let merged_into = if merged.is_empty() {
                None
            } else {
                errors.choice("merged_into", &merged, |m| m.parse::<uuid::Uuid>().ok())
            };
            let interests = text(state, "interests").trim().to_owned();
            if interests.chars().count() > INTERESTS_MAX {
                errors.add("interests", Problem::TooLong { max: INTERESTS_MAX });
            }
            return errors.finish(|| NewFairParticipant {
                event_id: event_id.expect("checked"),
                person,
                category,
                age_band,
                interests,
                contact_ok: flag(state, "contact_ok"),
                share_ok: flag(state, "share_ok"),
                checked_in: flag(state, "checked_in"),
                merged_into,
            });
        }
        Err(errors) => errors,
    };
    if text(state, "event_id").parse::<uuid::Uuid>().is_err() {
        errors.push(FieldError {
            field: "event_id",
            problem: Problem::NotChosen,
        });
    }
    Err(errors)
}

/// A fair registration's values as stored (cleaned by validation).
pub fn participant_values(p: &NewFairParticipant) -> BTreeMap<&'static str, Value> {
    let name = &p.person.name;
    let mut values = BTreeMap::from([
        ("event_id", Value::from(p.event_id.to_string())),
        ("family_name", Value::from(name.family_name.clone())),
        ("given_name", Value::from(name.given_name.clone())),
        (
            "family_name_kana",
            Value::from(name.family_name_kana.clone()),
        ),
        ("given_name_kana", Value::from(name.given_name_kana.clone())),
        ("interests", Value::from(p.interests.clone())),
        ("contact_ok", Value::from(p.contact_ok)),
        ("share_ok", Value::from(p.share_ok)),
        ("checked_in", Value::from(p.checked_in)),
    ]);
    let optional = |v: Option<String>| v.map_or(Value::Null, Value::from);
    values.insert(
        "birth_date",
        optional(p.person.birth_date.map(|d| d.to_string())),
    );
    values.insert("phone", optional(p.person.phone.clone()));
    if let Some(root) = p.merged_into {
        values.insert("merged_into", Value::from(root.to_string()));
    }
    values.insert(
        "category",
        optional(p.category.map(|c| c.code().to_owned())),
    );
    values.insert(
        "age_band",
        optional(p.age_band.map(|b| b.code().to_owned())),
    );
    values
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

/// Why two registrations may be the same person (for staff to decide; never merged by itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameReason {
    /// Same reading (フリガナ) and birth date.
    KanaAndBirthDate,
    /// Same reading and phone number.
    KanaAndPhone,
}

impl SameReason {
    pub fn code(self) -> &'static str {
        match self {
            SameReason::KanaAndBirthDate => "kana_birth_date",
            SameReason::KanaAndPhone => "kana_phone",
        }
    }
}

/// The duplicate rule: the normalised reading (katakana, width-folded, as validation keeps it)
/// and either the birth date or the phone number.
pub fn possibly_same(
    a: (&str, &str, Option<CivilDate>, Option<&str>),
    b: (&str, &str, Option<CivilDate>, Option<&str>),
) -> Option<SameReason> {
    let kana = |family: &str, given: &str| {
        crate::domain::text::fold_kana(&format!("{family}{given}")).replace([' ', '　'], "")
    };
    if kana(a.0, a.1) != kana(b.0, b.1) {
        return None;
    }
    if a.2.is_some() && a.2 == b.2 {
        return Some(SameReason::KanaAndBirthDate);
    }
    if a.3.is_some() && a.3 == b.3 {
        return Some(SameReason::KanaAndPhone);
    }
    None
}

/// A checked case note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub person_id: uuid::Uuid,
    pub body: String,
    pub written_on: CivilDate,
}

pub fn validate_note(state: &RecordState) -> Result<NewNote, Vec<FieldError>> {
    let mut errors = Errors::default();
    let person_id = text(state, "person_id").parse::<uuid::Uuid>().ok();
    if person_id.is_none() {
        errors.add("person_id", Problem::Required);
    }
    let body = text(state, "body").trim().to_owned();
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
    let written_on = text(state, "written_on").parse::<CivilDate>().ok();
    if written_on.is_none() {
        errors.add("written_on", Problem::Required);
    }
    errors.finish(|| NewNote {
        person_id: person_id.expect("checked"),
        body,
        written_on: written_on.expect("checked"),
    })
}

/// A checked interview: a participant of a fair with one of its employers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInterview {
    pub event_id: uuid::Uuid,
    pub participant_id: uuid::Uuid,
    pub employer_id: uuid::Uuid,
    pub outcome: FairOutcome,
}

pub fn validate_interview(state: &RecordState) -> Result<NewInterview, Vec<FieldError>> {
    let mut errors = Errors::default();
    let mut id = |field: &'static str| {
        let parsed = text(state, field).parse::<uuid::Uuid>().ok();
        if parsed.is_none() {
            errors.add(field, Problem::NotChosen);
        }
        parsed
    };
    let (event_id, participant_id, employer_id) =
        (id("event_id"), id("participant_id"), id("employer_id"));
    let outcome = errors.choice("outcome", &text(state, "outcome"), FairOutcome::from_code);
    errors.finish(|| NewInterview {
        event_id: event_id.expect("checked"),
        participant_id: participant_id.expect("checked"),
        employer_id: employer_id.expect("checked"),
        outcome: outcome.expect("checked"),
    })
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
    match kind {
        RecordKind::Person => validate_person(&person_draft(state), today).map(|_| ()),
        RecordKind::Note => validate_note(state).map(|_| ()),
        RecordKind::Participant => validate_fair_participant(state, today).map(|_| ()),
        RecordKind::Interview => validate_interview(state).map(|_| ()),
        RecordKind::Unknown => Err(vec![FieldError {
            field: "kind",
            problem: Problem::UnknownChoice,
        }]),
    }
}

/// Whether a kind's records may change after they are written. Notes are append-only: a
/// correction is a new note.
pub fn editable(kind: RecordKind) -> bool {
    match kind {
        RecordKind::Person | RecordKind::Participant | RecordKind::Interview => true,
        RecordKind::Note | RecordKind::Unknown => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(values: &[(&str, Value)]) -> RecordState {
        state_of(values)
    }

    #[test]
    fn a_person_is_checked_with_intake_rules() {
        let today = CivilDate::new(2026, 11, 27).unwrap();
        let ok = record(&[
            ("family_name", json!("見本")),
            ("given_name", json!("花子")),
            ("family_name_kana", json!("ミホン")),
            ("given_name_kana", json!("ハナコ")),
            ("birth_date", json!("1990-04-01")),
            ("category", json!("youth")),
        ]);
        assert_eq!(check(RecordKind::Person, &ok, today), Ok(()));
        let bad = record(&[("family_name", json!("見本")), ("category", json!("x"))]);
        let errors = check(RecordKind::Person, &bad, today).unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert!(
            named.contains(&"given_name") && named.contains(&"category"),
            "{named:?}"
        );
    }

    #[test]
    fn the_duplicate_rule_case_table() {
        let d = |s: &str| Some(s.parse::<CivilDate>().unwrap());
        let table = [
            // same reading (hiragana / half-width typed) and birth date
            (
                ("ミホン", "ハナコ", d("1990-04-01"), None),
                ("みほん", "ﾊﾅｺ", d("1990-04-01"), None),
                Some(SameReason::KanaAndBirthDate),
            ),
            // same reading and phone, no birth dates
            (
                ("ミホン", "ハナコ", None, Some("09012345678")),
                ("ミホン", "ハナコ", None, Some("09012345678")),
                Some(SameReason::KanaAndPhone),
            ),
            // same reading only: namesakes are not flagged
            (
                ("ミホン", "ハナコ", d("1990-04-01"), None),
                ("ミホン", "ハナコ", d("1991-04-01"), None),
                None,
            ),
            // different reading
            (
                ("ミホン", "ハナコ", d("1990-04-01"), None),
                ("ミホン", "ハルコ", d("1990-04-01"), None),
                None,
            ),
            // nothing to compare but the name
            (
                ("ミホン", "ハナコ", None, None),
                ("ミホン", "ハナコ", None, None),
                None,
            ),
        ];
        for (a, b, expected) in table {
            assert_eq!(possibly_same(a, b), expected, "{a:?} vs {b:?}");
            assert_eq!(possibly_same(b, a), expected, "symmetric");
        }
    }

    #[test]
    fn a_fair_participant_needs_an_event_and_a_name() {
        let today = CivilDate::new(2026, 11, 27).unwrap();
        let ok = record(&[
            ("event_id", json!("01936b2e-0000-7000-8000-000000000009")),
            ("family_name", json!("見本")),
            ("given_name", json!("次郎")),
            ("family_name_kana", json!("みほん")),
            ("given_name_kana", json!("じろう")),
            ("phone", json!("０９０-１２３４-５６７８")),
            ("contact_ok", json!(true)),
        ]);
        let p = validate_fair_participant(&ok, today).unwrap();
        assert_eq!(p.person.name.family_name_kana, "ミホン");
        assert_eq!(p.person.phone.as_deref(), Some("09012345678"));
        assert!(p.contact_ok && !p.share_ok && !p.checked_in);
        let errors = validate_fair_participant(&record(&[("family_name", json!("見本"))]), today)
            .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert!(
            named.contains(&"event_id") && named.contains(&"given_name_kana"),
            "{named:?}"
        );
    }

    #[test]
    fn an_interview_names_its_fair_participant_employer_and_outcome() {
        let id = "0190f3a0-0000-7000-8000-000000000001";
        let ok = record(&[
            ("event_id", json!(id)),
            ("participant_id", json!(id)),
            ("employer_id", json!(id)),
            ("outcome", json!("offer")),
        ]);
        assert_eq!(validate_interview(&ok).unwrap().outcome, FairOutcome::Offer);
        let bad = record(&[("event_id", json!(id)), ("outcome", json!("maybe"))]);
        let fields: Vec<_> = validate_interview(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("participant_id", Problem::NotChosen),
                ("employer_id", Problem::NotChosen),
                ("outcome", Problem::UnknownChoice),
            ]
        );
    }

    #[test]
    fn a_note_needs_a_person_a_body_and_a_date() {
        let ok = record(&[
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("body", json!("面談。履歴書を一緒に作成。")),
            ("written_on", json!("2026-11-27")),
        ]);
        assert!(validate_note(&ok).is_ok());
        let errors = validate_note(&record(&[("body", json!("  "))])).unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(!editable(RecordKind::Note) && editable(RecordKind::Person));
        assert_eq!(field_name(RecordKind::Note, "body"), Some("body"));
        assert_eq!(field_name(RecordKind::Note, "family_name"), None);
    }
}
