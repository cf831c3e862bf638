//! A fair registration (面接会の参加者): written by tablets at the fair and by staff, merged by
//! staff decisions; what a tablet keeps of it; the duplicate rule; which registrations a fair
//! lists.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::person::name_draft;
use super::{Fields, Flag, Text, text};
use crate::domain::date::CivilDate;
use crate::domain::person::{AgeBand, NewParticipant, SupportCategory};
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

pub const INTERESTS_MAX: usize = 200;

/// Free-text answers a walk-in may give after the fixed questions, in the order the walk-in
/// form asks them, each with its length limit. A [`Registration`] field listed here is asked
/// on the form (labelled by `Catalog::field_label`), shown on its confirmation, checked here,
/// kept with the registration for the counter (`participants.answers`) and never sent to
/// tablets — adding one is its field in the struct, its line here and its label.
pub const ANSWERS: &[(&str, usize)] = &[("desired_work", 200)];

/// A registration's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Registration {
    pub event_id: Text,
    pub family_name: Text,
    pub given_name: Text,
    pub family_name_kana: Text,
    pub given_name_kana: Text,
    /// ISO date, or empty (an age band may be given instead).
    pub birth_date: Text,
    pub phone: Text,
    /// `SupportCategory` code, or empty.
    pub category: Text,
    /// What work they are looking for, in their words.
    pub interests: Text,
    /// May be contacted after the fair.
    pub contact_ok: Flag,
    /// Agrees that the city and Hello Work share the registration.
    pub share_ok: Flag,
    pub checked_in: Flag,
    /// `AgeBand` code, or empty.
    pub age_band: Text,
    /// Staff merged it into this registration of the same person (server writes only).
    pub merged_into: Text,
    /// 希望の働き方: hours, days, place, in their words (e.g. 午前のみ・週3日).
    pub desired_work: Text,
}

/// What a fair tablet may change of a registration that already exists (its own walk-in
/// included): the check-in. Agreement to share, contact details and answers are the person's
/// own, given once at registration; later changes are made by staff at the counter.
pub const TABLET_EDITS: [&str; 1] = ["checked_in"];

/// Fields only the server's own decisions write: devices and staff pushes may not (a merge of
/// two registrations is decided by staff at the counter, who may see both).
pub const SERVER_WRITES: [&str; 1] = ["merged_into"];

/// What a fair tablet keeps of a registration, and all the server sends it: enough to find and
/// check in the person and to record interviews — not their birth date, phone or answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TabletRegistration {
    pub event_id: Text,
    pub family_name: Text,
    pub given_name: Text,
    pub family_name_kana: Text,
    pub given_name_kana: Text,
    pub checked_in: Flag,
    /// Staff merged it into another registration of the same person: tablets list it once.
    pub merged_into: Text,
}

/// The registrations a fair lists, each person once, as the counter counts them: one staff
/// merged into another registration is left out — unless that one no longer exists (deleted),
/// and then it stands on its own again.
pub fn listed<T>(registrations: Vec<(String, RecordState, T)>) -> Vec<(String, RecordState, T)> {
    let ids: BTreeSet<String> = registrations.iter().map(|(id, _, _)| id.clone()).collect();
    registrations
        .into_iter()
        .filter(|(_, state, _)| {
            let root = Registration::read(state).merged_into;
            root.is_empty() || !ids.contains(&root.0)
        })
        .collect()
}

/// A registration as a tablet may hold it (see [`TabletRegistration`]).
pub fn tablet_view(state: &mut RecordState) {
    let keeps = TabletRegistration::names();
    state
        .fields
        .retain(|field, _| keeps.contains(&field.as_str()));
}

/// A checked fair participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFairParticipant {
    pub event_id: uuid::Uuid,
    pub person: NewParticipant,
    pub category: Option<SupportCategory>,
    pub age_band: Option<AgeBand>,
    pub interests: String,
    /// May be contacted after the fair.
    pub contact_ok: bool,
    /// Agrees that the city and Hello Work share the registration.
    pub share_ok: bool,
    pub checked_in: bool,
    /// Staff decided it is the same person as this registration (counted as that one).
    pub merged_into: Option<uuid::Uuid>,
    /// The [`ANSWERS`] given, cleaned, in their order (empty ones left out).
    pub answers: Vec<(&'static str, String)>,
}

pub fn validate_fair_participant(
    state: &RecordState,
    today: CivilDate,
) -> Result<NewFairParticipant, Vec<FieldError>> {
    let r = Registration::read(state);
    let draft = crate::domain::person::ParticipantDraft {
        name: name_draft(
            &r.family_name,
            &r.given_name,
            &r.family_name_kana,
            &r.given_name_kana,
        ),
        birth_date: r.birth_date.0.clone(),
        phone: r.phone.0.clone(),
    };
    let event_id = r.event_id.parse::<uuid::Uuid>().ok();
    let person = match crate::domain::person::validate_participant(&draft, today) {
        Ok(person) => person,
        Err(mut errors) => {
            if event_id.is_none() {
                errors.push(FieldError {
                    field: "event_id",
                    problem: Problem::NotChosen,
                });
            }
            return Err(errors);
        }
    };
    let mut errors = Errors::default();
    if event_id.is_none() {
        errors.add("event_id", Problem::NotChosen);
    }
    let category = optional_choice(
        &mut errors,
        "category",
        &r.category,
        SupportCategory::from_code,
    );
    let age_band = optional_choice(&mut errors, "age_band", &r.age_band, AgeBand::from_code);
    let merged_into = optional_choice(&mut errors, "merged_into", &r.merged_into, |m| {
        m.parse::<uuid::Uuid>().ok()
    });
    let interests = r.interests.trim().to_owned();
    if interests
        .chars()
        .any(crate::domain::text::is_forbidden_char)
    {
        errors.add("interests", Problem::BadCharacters);
    } else if interests.chars().count() > INTERESTS_MAX {
        errors.add("interests", Problem::TooLong { max: INTERESTS_MAX });
    }
    let answers = ANSWERS
        .iter()
        .map(|(field, max)| {
            (
                *field,
                errors.optional_line(field, &text(state, field), *max),
            )
        })
        .filter(|(_, answer)| !answer.is_empty())
        .collect();
    errors.finish(|| NewFairParticipant {
        event_id: event_id.expect("checked"),
        person,
        category,
        age_band,
        interests,
        contact_ok: r.contact_ok.0,
        share_ok: r.share_ok.0,
        checked_in: r.checked_in.0,
        merged_into,
        answers,
    })
}

/// A walk-in (registered at the fair, on a tablet) gives a birth date or an age group, so the
/// fair's report can count ages; a pre-registration by staff may have neither yet. Checked
/// where a walk-in is made: the form, and the server for every registration a tablet creates.
pub fn check_walk_in(p: &NewFairParticipant) -> Result<(), Vec<FieldError>> {
    if p.person.birth_date.is_none() && p.age_band.is_none() {
        return Err(vec![FieldError {
            field: "birth_date",
            problem: Problem::BirthDateOrAgeBand,
        }]);
    }
    Ok(())
}

/// A walk-in registration as the tablet checks it before its confirmation screen: every
/// problem at once — the fields' own and, when neither a birth date nor an age group is
/// given, that one of them is needed. (Checked only after the fields were fine, that one
/// appeared on a second try.)
pub fn check_walk_in_entry(
    state: &RecordState,
    today: CivilDate,
) -> Result<NewFairParticipant, Vec<FieldError>> {
    match validate_fair_participant(state, today) {
        Ok(p) => check_walk_in(&p).map(|()| p),
        Err(mut errors) => {
            let r = Registration::read(state);
            let neither = r.birth_date.trim().is_empty() && r.age_band.trim().is_empty();
            if neither && !errors.iter().any(|e| e.field == "birth_date") {
                errors.push(FieldError {
                    field: "birth_date",
                    problem: Problem::BirthDateOrAgeBand,
                });
            }
            Err(errors)
        }
    }
}

/// A choice that may be left empty; when given, it must be one of the codes.
fn optional_choice<T>(
    errors: &mut Errors,
    field: &'static str,
    code: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    if code.is_empty() {
        None
    } else {
        errors.choice(field, code, parse)
    }
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
    for (field, answer) in &p.answers {
        values.insert(field, Value::from(answer.clone()));
    }
    values
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    #[test]
    fn a_tablet_keeps_only_registration_fields_and_the_server_writes_are_fields() {
        let all = Registration::names();
        assert!(TabletRegistration::names().iter().all(|f| all.contains(f)));
        assert!(!TabletRegistration::names().contains(&"phone"));
        assert!(SERVER_WRITES.iter().all(|f| all.contains(f)));
        assert!(ANSWERS.iter().all(|(f, _)| all.contains(f)));
        assert!(
            !ANSWERS
                .iter()
                .any(|(f, _)| TabletRegistration::names().contains(f))
        );
    }

    /// A walk-in form sent empty names every problem at once, the missing birth date or age
    /// group included (it used to appear only on a second try, after the names were fixed).
    #[test]
    fn a_walk_in_entry_names_the_birth_date_or_age_group_on_the_first_try() {
        let today = "2026-11-29".parse::<CivilDate>().unwrap();
        let event = ("event_id", json!("0190a1b2-0000-7000-8000-000000000001"));
        let empty = state_of(std::slice::from_ref(&event));
        let problems = check_walk_in_entry(&empty, today).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|e| (e.field, e.problem)).collect();
        assert!(
            fields.contains(&("family_name", Problem::Required)),
            "{fields:?}"
        );
        assert!(
            fields.contains(&("birth_date", Problem::BirthDateOrAgeBand)),
            "{fields:?}"
        );
        // With the names given, the same single problem is left.
        let named = [
            event.clone(),
            ("family_name", json!("見本")),
            ("given_name", json!("花子")),
            ("family_name_kana", json!("ミホン")),
            ("given_name_kana", json!("ハナコ")),
        ];
        let problems = check_walk_in_entry(&state_of(&named), today).unwrap_err();
        assert_eq!(
            problems
                .iter()
                .map(|e| (e.field, e.problem))
                .collect::<Vec<_>>(),
            vec![("birth_date", Problem::BirthDateOrAgeBand)]
        );
        // An age group is enough; a wrong birth date is named as itself, not as missing.
        let mut with_band = named.to_vec();
        with_band.push(("age_band", json!(AgeBand::ALL[1].code())));
        assert!(check_walk_in_entry(&state_of(&with_band), today).is_ok());
        let mut wrong_day = named.to_vec();
        wrong_day.push(("birth_date", json!("2月30日")));
        let problems = check_walk_in_entry(&state_of(&wrong_day), today).unwrap_err();
        assert!(
            problems
                .iter()
                .all(|e| e.problem != Problem::BirthDateOrAgeBand),
            "{problems:?}"
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
        let ok = state_of(&[
            ("event_id", json!("01936b2e-0000-7000-8000-000000000009")),
            ("family_name", json!("見本")),
            ("given_name", json!("次郎")),
            ("family_name_kana", json!("みほん")),
            ("given_name_kana", json!("じろう")),
            ("phone", json!("０９０-１２３４-５６７８")),
            ("contact_ok", json!(true)),
        ]);
        let p = validate_fair_participant(&ok, today).unwrap();
        // What the form writes names only the registration's own fields.
        let names = Registration::names();
        assert!(participant_values(&p).keys().all(|f| names.contains(f)));
        assert_eq!(p.person.name.family_name_kana, "ミホン");
        assert_eq!(p.person.phone.as_deref(), Some("09012345678"));
        assert!(p.contact_ok && !p.share_ok && !p.checked_in);
        let errors = validate_fair_participant(&state_of(&[("family_name", json!("見本"))]), today)
            .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert!(
            named.contains(&"event_id") && named.contains(&"given_name_kana"),
            "{named:?}"
        );
    }
}
