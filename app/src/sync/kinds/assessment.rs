//! An assessment (アセスメント): the challenges across welfare and work, the work the person
//! wants and under what conditions, their work history and qualifications. A case may be
//! assessed again later; the newest is the one shown first.

use serde::{Deserialize, Serialize};

use super::{Fields, Flag, Text, entry};
use crate::domain::access::Organisation;
use crate::domain::casework::{Challenge, CommuteMeans, EmploymentType, entry_date};
use crate::domain::date::CivilDate;
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

/// An assessment record's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentFields {
    pub person_id: Text,
    pub organisation: Text,
    pub author: Text,
    pub assessed_on: Text,
    /// `Challenge` codes, comma-separated.
    pub challenges: Text,
    /// What the challenges are, in words (children's ages and care, health, debts …).
    pub challenge_notes: Text,
    pub desired_jobs: Text,
    /// Hours and days the person can work (e.g. 9時〜15時・週4日).
    pub hours: Text,
    pub no_night_shift: Flag,
    /// `CommuteMeans` code, and the longest commute in minutes.
    pub commute_means: Text,
    pub commute_minutes: Text,
    /// Income needed, yen a month.
    pub income_needed: Text,
    /// `EmploymentType` code of the last job, and how many months it lasted.
    pub last_employment_type: Text,
    pub last_job_months: Text,
    pub qualifications: Text,
}

/// A checked assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssessment {
    pub person_id: uuid::Uuid,
    pub organisation: Organisation,
    pub assessed_on: CivilDate,
    pub challenges: Vec<Challenge>,
}

pub const NOTES_MAX: usize = 1000;

/// The challenges named in a comma-separated list of codes (unknown codes left out).
pub fn challenges(raw: &str) -> Vec<Challenge> {
    raw.split(',')
        .filter_map(|c| Challenge::from_code(c.trim()))
        .collect()
}

pub fn validate_assessment(
    state: &RecordState,
    today: CivilDate,
) -> Result<NewAssessment, Vec<FieldError>> {
    let f = AssessmentFields::read(state);
    let mut errors = Errors::default();
    let person_id = entry::person(&mut errors, &f.person_id);
    let organisation = entry::organisation(&mut errors, &f.organisation);
    errors.required_line("author", &f.author, entry::LINE_MAX);
    let assessed_on = entry_date(&mut errors, "assessed_on", &f.assessed_on, today);
    let named = challenges(&f.challenges);
    if f.challenges
        .split(',')
        .filter(|c| !c.trim().is_empty())
        .count()
        != named.len()
    {
        errors.add("challenges", Problem::UnknownChoice);
    }
    super::note::check_body(
        &mut errors,
        "challenge_notes",
        &f.challenge_notes,
        NOTES_MAX,
        false,
    );
    errors.optional_line("desired_jobs", &f.desired_jobs, entry::LINE_MAX);
    errors.optional_line("hours", &f.hours, entry::LINE_MAX);
    errors.optional_line("qualifications", &f.qualifications, 200);
    if !f.commute_means.trim().is_empty() {
        errors.choice("commute_means", &f.commute_means, CommuteMeans::from_code);
    }
    if !f.last_employment_type.trim().is_empty() {
        errors.choice(
            "last_employment_type",
            &f.last_employment_type,
            EmploymentType::from_code,
        );
    }
    errors.optional_number("commute_minutes", &f.commute_minutes, 0, 180);
    errors.optional_number("income_needed", &f.income_needed, 0, 1_000_000);
    errors.optional_number("last_job_months", &f.last_job_months, 0, 600);
    errors.finish(|| NewAssessment {
        person_id: person_id.expect("checked"),
        organisation: organisation.expect("checked"),
        assessed_on: assessed_on.expect("checked"),
        challenges: named,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    #[test]
    fn the_seeds_assessment_reads_and_wrong_values_are_named() {
        let today = CivilDate::new(2026, 11, 29).unwrap();
        let mut values = vec![
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("organisation", json!("city")),
            ("author", json!("見本 市職員")),
            ("assessed_on", json!("2026-11-05")),
            ("challenges", json!("childcare, other")),
            (
                "challenge_notes",
                json!("子ども13歳・3歳。保育先がない。収入が確保できれば職種は問わない。"),
            ),
            ("no_night_shift", json!(true)),
            ("commute_means", json!("bicycle")),
            ("commute_minutes", json!("２０")),
            ("last_employment_type", json!("part_time")),
            ("last_job_months", json!(6)),
        ];
        let a = validate_assessment(&state_of(&values), today).unwrap();
        assert_eq!(a.challenges, [Challenge::Childcare, Challenge::Other]);
        assert!(AssessmentFields::read(&state_of(&values)).no_night_shift.0);
        values[4] = ("challenges", json!("childcare,夜勤"));
        values[8] = ("commute_minutes", json!("999"));
        let named: Vec<&str> = validate_assessment(&state_of(&values), today)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(named, ["challenges", "commute_minutes"]);
    }
}
