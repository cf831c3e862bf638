//! A support plan (支援プラン): the goal, plan A and plan B and which one is followed, and the
//! steps — each with an owner from either organisation and a due date. A plan is never
//! changed: each change is a new version (older versions stay readable), like notes. A version
//! may close the case (終結).

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Fields, Flag, Text, entry};
use crate::domain::access::Organisation;
use crate::domain::casework::entry_date;
use crate::domain::date::CivilDate;
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

pub const PLAN_TEXT_MAX: usize = 500;
pub const STEPS_MAX: usize = 20;

/// One step of a plan: what is done, by which organisation, by when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Step {
    pub text: Text,
    /// `Organisation` code.
    pub owner: Text,
    /// ISO date; may be empty.
    pub due_on: Text,
}

/// A plan's steps as a record holds them: a list of steps; anything else reads as none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Steps(pub Vec<Step>);

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Steps(match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .map(|i| serde_json::from_value(i).unwrap_or_default())
                .collect(),
            _ => Vec::new(),
        }))
    }
}

/// A plan version's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanFields {
    pub person_id: Text,
    pub organisation: Text,
    pub author: Text,
    /// 1, 2, 3 …: one more than the version it replaces.
    pub version: Text,
    pub made_on: Text,
    pub goal: Text,
    pub plan_a: Text,
    pub plan_b: Text,
    /// `a` or `b`: the plan followed now.
    pub following: Text,
    pub steps: Steps,
    /// This version closes the case (終結).
    pub closed: Flag,
}

/// A checked plan version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan {
    pub person_id: uuid::Uuid,
    pub organisation: Organisation,
    pub version: u32,
    pub made_on: CivilDate,
}

pub fn validate_plan(state: &RecordState, today: CivilDate) -> Result<NewPlan, Vec<FieldError>> {
    let f = PlanFields::read(state);
    let mut errors = Errors::default();
    let person_id = entry::person(&mut errors, &f.person_id);
    let organisation = entry::organisation(&mut errors, &f.organisation);
    errors.required_line("author", &f.author, entry::LINE_MAX);
    let version = errors.optional_number("version", &f.version, 1, 999);
    if version.is_none() && f.version.trim().is_empty() {
        errors.add("version", Problem::Required);
    }
    let made_on = entry_date(&mut errors, "made_on", &f.made_on, today);
    errors.required_line("goal", &f.goal, 200);
    super::note::check_body(&mut errors, "plan_a", &f.plan_a, PLAN_TEXT_MAX, true);
    super::note::check_body(&mut errors, "plan_b", &f.plan_b, PLAN_TEXT_MAX, false);
    match f.following.trim() {
        "a" => {}
        "b" if !f.plan_b.trim().is_empty() => {}
        _ => errors.add("following", Problem::UnknownChoice),
    }
    // Steps are a list of {text, owner, due_on} strings and nothing else.
    let well_formed = match state.fields.get("steps").map(|f| &f.value) {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.iter().all(|i| {
            i.as_object().is_some_and(|o| {
                o.iter().all(|(k, v)| {
                    ["text", "owner", "due_on"].contains(&k.as_str()) && v.is_string()
                })
            })
        }),
        Some(_) => false,
    };
    if !well_formed {
        errors.add("steps", Problem::UnknownChoice);
    }
    if f.steps.0.len() > STEPS_MAX {
        errors.add("steps", Problem::TooLong { max: STEPS_MAX });
    }
    for step in &f.steps.0 {
        let mut bad = |problem| errors.add("steps", problem);
        if step.text.trim().is_empty() {
            bad(Problem::Required);
        } else if step.text.chars().count() > 200 {
            bad(Problem::TooLong { max: 200 });
        } else if step
            .text
            .chars()
            .any(crate::domain::text::is_forbidden_char)
        {
            bad(Problem::BadCharacters);
        } else if Organisation::from_code(&step.owner).is_none() {
            bad(Problem::NotChosen);
        } else if !step.due_on.is_empty() && step.due_on.parse::<CivilDate>().is_err() {
            bad(Problem::NotADate(
                crate::domain::wareki::DateInputError::Unrecognised,
            ));
        }
    }
    errors.finish(|| NewPlan {
        person_id: person_id.expect("checked"),
        organisation: organisation.expect("checked"),
        version: u32::try_from(version.expect("checked")).unwrap_or(1),
        made_on: made_on.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    #[test]
    fn a_plan_has_a_goal_plan_a_maybe_b_which_is_followed_and_owned_steps() {
        let today = CivilDate::new(2026, 11, 29).unwrap();
        let mut values = vec![
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("organisation", json!("city")),
            ("author", json!("見本 市職員")),
            ("version", json!(1)),
            ("made_on", json!("2026-11-06")),
            ("goal", json!("夜勤のない仕事で生活を安定させる")),
            (
                "plan_a",
                json!("看護助手（資格不要）。自転車圏内、院内保育のある病院を優先。"),
            ),
            (
                "plan_b",
                json!("ホームヘルパー2級の職業訓練を受け、介護職へ。"),
            ),
            ("following", json!("a")),
            (
                "steps",
                json!([
                    { "text": "一時保育の調整", "owner": "city", "due_on": "2026-11-15" },
                    { "text": "病院求人の紹介", "owner": "hello_work", "due_on": "2026-11-20" }
                ]),
            ),
        ];
        assert_eq!(validate_plan(&state_of(&values), today).unwrap().version, 1);
        assert_eq!(
            PlanFields::read(&state_of(&values)).steps.0[1].owner.0,
            "hello_work"
        );
        values[7] = ("plan_b", json!(""));
        values[8] = ("following", json!("b"));
        values[9] = ("steps", json!([{ "text": "保育", "owner": "国" }]));
        let named: Vec<&str> = validate_plan(&state_of(&values), today)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(named, ["following", "steps"]);
        // Steps that are not a list read as none (the rest of the record is kept).
        values[9] = ("steps", json!("一時保育"));
        assert_eq!(
            PlanFields::read(&state_of(&values)).goal.0,
            "夜勤のない仕事で生活を安定させる"
        );
    }
}
