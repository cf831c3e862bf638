//! A retention follow-up (定着支援): 1, 3 and 6 months after a placement, staff ask how the work
//! goes and record the result. Which are due is worked out from the placements
//! (`domain::casework::follow_up_due`); a follow-up record is one that was done.

use serde::{Deserialize, Serialize};

use super::{Fields, Text, entry};
use crate::domain::access::Organisation;
use crate::domain::casework::{FOLLOW_UP_MONTHS, FollowUpResult, entry_date};
use crate::domain::date::CivilDate;
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

pub const REMARKS_MAX: usize = 1000;

/// A follow-up record's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUpFields {
    pub person_id: Text,
    pub organisation: Text,
    pub author: Text,
    pub placement_id: Text,
    /// 1, 3 or 6: which follow-up of the placement this is.
    pub months: Text,
    pub done_on: Text,
    /// `FollowUpResult` code.
    pub result: Text,
    pub remarks: Text,
}

/// A checked follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFollowUp {
    pub person_id: uuid::Uuid,
    pub organisation: Organisation,
    pub placement_id: uuid::Uuid,
    pub months: u8,
    pub done_on: CivilDate,
    pub result: FollowUpResult,
}

pub fn validate_follow_up(
    state: &RecordState,
    today: CivilDate,
) -> Result<NewFollowUp, Vec<FieldError>> {
    let f = FollowUpFields::read(state);
    let mut errors = Errors::default();
    let person_id = entry::person(&mut errors, &f.person_id);
    let organisation = entry::organisation(&mut errors, &f.organisation);
    errors.required_line("author", &f.author, entry::LINE_MAX);
    let placement_id = entry::optional_id(&mut errors, "placement_id", &f.placement_id);
    if placement_id.is_none() && f.placement_id.trim().is_empty() {
        errors.add("placement_id", Problem::NotChosen);
    }
    let months = f
        .months
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|m| FOLLOW_UP_MONTHS.contains(m));
    if months.is_none() {
        errors.add("months", Problem::UnknownChoice);
    }
    // Done today or before: a follow-up is recorded after the call.
    let done_on = entry_date(&mut errors, "done_on", &f.done_on, today).filter(|d| {
        let ok = *d <= today;
        if !ok {
            errors.add(
                "done_on",
                Problem::DateOutOfRange {
                    from_year: 2011,
                    to_year: today.year(),
                },
            );
        }
        ok
    });
    let result = errors.choice("result", &f.result, FollowUpResult::from_code);
    crate::sync::kinds::note::check_body(&mut errors, "remarks", &f.remarks, REMARKS_MAX, false);
    errors.finish(|| NewFollowUp {
        person_id: person_id.expect("checked"),
        organisation: organisation.expect("checked"),
        placement_id: placement_id.expect("checked"),
        months: months.expect("checked"),
        done_on: done_on.expect("checked"),
        result: result.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    #[test]
    fn a_follow_up_is_one_of_the_three_and_done_by_today() {
        let today = CivilDate::new(2026, 12, 21).unwrap();
        let mut values = vec![
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("organisation", json!("city")),
            ("author", json!("見本 太郎")),
            (
                "placement_id",
                json!("01936b2e-0000-7000-8000-000000000002"),
            ),
            ("months", json!(1)),
            ("done_on", json!("2026-12-21")),
            ("result", json!("working")),
            ("remarks", json!("夜勤なしで勤務継続。保育も順調。")),
        ];
        assert_eq!(
            validate_follow_up(&state_of(&values), today)
                .unwrap()
                .months,
            1
        );
        values[4] = ("months", json!("2"));
        values[5] = ("done_on", json!("2026-12-22"));
        let named: Vec<&str> = validate_follow_up(&state_of(&values), today)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(named, ["months", "done_on"]);
    }
}
