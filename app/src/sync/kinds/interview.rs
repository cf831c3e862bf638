//! An interview at a fair (面接記録): a registration with one of the fair's employers.

use serde::{Deserialize, Serialize};

use super::{Fields, Text};
use crate::domain::event::FairOutcome;
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

/// An interview record's fields (ids of the fair, the registration and the employer).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterviewFields {
    pub event_id: Text,
    pub participant_id: Text,
    pub employer_id: Text,
    /// `FairOutcome` code.
    pub outcome: Text,
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
    let fields = InterviewFields::read(state);
    let mut errors = Errors::default();
    let mut id = |field: &'static str, value: &str| {
        let parsed = value.parse::<uuid::Uuid>().ok();
        if parsed.is_none() {
            errors.add(field, Problem::NotChosen);
        }
        parsed
    };
    let (event_id, participant_id, employer_id) = (
        id("event_id", &fields.event_id),
        id("participant_id", &fields.participant_id),
        id("employer_id", &fields.employer_id),
    );
    let outcome = errors.choice("outcome", &fields.outcome, FairOutcome::from_code);
    errors.finish(|| NewInterview {
        event_id: event_id.expect("checked"),
        participant_id: participant_id.expect("checked"),
        employer_id: employer_id.expect("checked"),
        outcome: outcome.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    #[test]
    fn an_interview_names_its_fair_participant_employer_and_outcome() {
        let id = "0190f3a0-0000-7000-8000-000000000001";
        let ok = state_of(&[
            ("event_id", json!(id)),
            ("participant_id", json!(id)),
            ("employer_id", json!(id)),
            ("outcome", json!("offer")),
        ]);
        assert_eq!(validate_interview(&ok).unwrap().outcome, FairOutcome::Offer);
        let bad = state_of(&[("event_id", json!(id)), ("outcome", json!("maybe"))]);
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
}
