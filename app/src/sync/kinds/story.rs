//! An anonymised success story (就職成功例) drafted from a case: 課題 → 支援内容・ポイント・経過 →
//! 結果 → 担当者の所感, with the profile reduced to sex, age band and household shape. The server
//! refuses a text that would identify the person (`domain::story::findings`, also run here
//! before saving); a manager of the writing organisation approves it; once approved it is not
//! changed.

use serde::{Deserialize, Serialize};

use super::{Fields, Text, entry};
use crate::domain::access::Organisation;
use crate::domain::casework::entry_date;
use crate::domain::date::CivilDate;
use crate::domain::story::{Finding, Subject, findings};
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

pub const PART_MAX: usize = 1000;

/// The parts of a story's text, in the order they are read.
pub const PARTS: [&str; 5] = ["household", "challenges", "support", "result", "remarks"];

/// A story record's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoryFields {
    pub person_id: Text,
    pub organisation: Text,
    pub author: Text,
    pub drafted_on: Text,
    /// `female`, `male` or `unstated`.
    pub sex: Text,
    /// The decade of age: `30` is 30代.
    pub age_band: Text,
    /// The household's shape (子ども2人（13歳・3歳）), without names.
    pub household: Text,
    pub challenges: Text,
    pub support: Text,
    pub result: Text,
    pub remarks: Text,
    /// The day a manager approved it, and who (empty while a draft).
    pub approved_on: Text,
    pub approved_by: Text,
}

/// A checked story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStory {
    pub person_id: uuid::Uuid,
    pub organisation: Organisation,
    pub approved: bool,
}

pub const SEXES: [&str; 3] = ["female", "male", "unstated"];

pub fn validate_story(state: &RecordState, today: CivilDate) -> Result<NewStory, Vec<FieldError>> {
    let f = StoryFields::read(state);
    let mut errors = Errors::default();
    let person_id = entry::person(&mut errors, &f.person_id);
    let organisation = entry::organisation(&mut errors, &f.organisation);
    errors.required_line("author", &f.author, entry::LINE_MAX);
    entry_date(&mut errors, "drafted_on", &f.drafted_on, today);
    errors.choice("sex", &f.sex, |s| SEXES.contains(&s).then_some(()));
    let band = errors.optional_number("age_band", &f.age_band, 10, 90);
    if band.is_some_and(|b| b % 10 != 0) {
        errors.add("age_band", Problem::UnknownChoice);
    }
    errors.optional_line("household", &f.household, entry::LINE_MAX);
    for (part, required) in [
        ("challenges", true),
        ("support", true),
        ("result", true),
        ("remarks", false),
    ] {
        super::note::check_body(&mut errors, part, &text_of(&f, part), PART_MAX, required);
    }
    let approved = !f.approved_on.trim().is_empty();
    if approved {
        entry_date(&mut errors, "approved_on", &f.approved_on, today);
        errors.required_line("approved_by", &f.approved_by, entry::LINE_MAX);
    }
    errors.finish(|| NewStory {
        person_id: person_id.expect("checked"),
        organisation: organisation.expect("checked"),
        approved,
    })
}

fn text_of(f: &StoryFields, part: &str) -> String {
    match part {
        "household" => f.household.0.clone(),
        "challenges" => f.challenges.0.clone(),
        "support" => f.support.0.clone(),
        "result" => f.result.0.clone(),
        _ => f.remarks.0.clone(),
    }
}

/// Whether a story has been approved (it is then a manager's to change).
pub fn is_approved(state: &RecordState) -> bool {
    !StoryFields::read(state).approved_on.trim().is_empty()
}

/// The parts of a story that would identify `subject`, each with what was found.
pub fn identifying(state: &RecordState, subject: Subject<'_>) -> Vec<(&'static str, Vec<Finding>)> {
    let f = StoryFields::read(state);
    PARTS
        .iter()
        .map(|part| (*part, findings(&text_of(&f, part), subject)))
        .filter(|(_, found)| !found.is_empty())
        .collect()
}

/// The refusal of an identifying story: one error per part that names the person.
pub fn identifying_errors(found: &[(&'static str, Vec<Finding>)]) -> Vec<FieldError> {
    found
        .iter()
        .map(|(field, _)| FieldError {
            field,
            problem: Problem::Identifying,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    #[test]
    fn a_story_has_its_parts_and_is_refused_while_it_names_the_person() {
        let today = CivilDate::new(2026, 11, 29).unwrap();
        let values = vec![
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("organisation", json!("hello_work")),
            ("author", json!("見本 ハローワーク職員")),
            ("drafted_on", json!("2026-11-29")),
            ("sex", json!("female")),
            ("age_band", json!("30")),
            ("household", json!("子ども2人（13歳・3歳）")),
            (
                "challenges",
                json!("ﾚﾝｹｲさんは保育先がなく、就職活動が難しい。"),
            ),
            (
                "support",
                json!("プランA: 看護助手。プランB: ホームヘルパー2級の訓練。"),
            ),
            ("result", json!("正社員の看護助手として採用（夜勤免除）。")),
        ];
        let state = state_of(&values);
        assert!(validate_story(&state, today).is_ok());
        let subject = Subject {
            family_name: "連携",
            given_name: "陽子",
            family_name_kana: "レンケイ",
            given_name_kana: "ヨウコ",
            address: "",
        };
        let found = identifying(&state, subject);
        assert_eq!(found, [("challenges", vec![Finding::Reading])]);
        assert_eq!(identifying_errors(&found)[0].problem, Problem::Identifying);
    }
}
