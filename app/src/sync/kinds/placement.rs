//! A placement (就職): the person started a job. Its route says how — 紹介就職 (through a Hello
//! Work referral), 自己就職, or at a fair (then the fair it is credited to) — and it is credited
//! to a staff member and organisation. A person may be placed more than once; reports count
//! placements (see `docs/casework.md`).

use serde::{Deserialize, Serialize};

use super::{Fields, Text, entry};
use crate::domain::access::Organisation;
use crate::domain::casework::{EmploymentType, PlacementRoute, entry_date};
use crate::domain::date::CivilDate;
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

pub const CONDITIONS_MAX: usize = 200;

/// A placement record's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacementFields {
    pub person_id: Text,
    /// The organisation whose staff wrote it (only they change it later).
    pub organisation: Text,
    pub author: Text,
    pub placed_on: Text,
    pub employer: Text,
    pub job_title: Text,
    /// `EmploymentType` code.
    pub employment_type: Text,
    /// `PlacementRoute` code.
    pub route: Text,
    /// The referral it came from (route `referral`), when it was recorded here.
    pub referral_id: Text,
    /// The fair it is credited to (route `fair`).
    pub event_id: Text,
    /// The organisation and staff member credited with it.
    pub credited_org: Text,
    pub credited_staff: Text,
    /// Agreed conditions (夜勤免除, 院内保育 …).
    pub conditions: Text,
}

/// A checked placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlacement {
    pub person_id: uuid::Uuid,
    pub organisation: Organisation,
    pub placed_on: CivilDate,
    pub employer: String,
    pub job_title: String,
    pub employment_type: EmploymentType,
    pub route: PlacementRoute,
    pub referral_id: Option<uuid::Uuid>,
    pub event_id: Option<uuid::Uuid>,
    pub credited_org: Organisation,
    pub credited_staff: String,
}

pub fn validate_placement(
    state: &RecordState,
    today: CivilDate,
) -> Result<NewPlacement, Vec<FieldError>> {
    let f = PlacementFields::read(state);
    let mut errors = Errors::default();
    let person_id = entry::person(&mut errors, &f.person_id);
    let organisation = entry::organisation(&mut errors, &f.organisation);
    errors.required_line("author", &f.author, entry::LINE_MAX);
    let placed_on = entry_date(&mut errors, "placed_on", &f.placed_on, today);
    let employer = errors.required_line("employer", &f.employer, entry::LINE_MAX);
    let job_title = errors.required_line("job_title", &f.job_title, entry::LINE_MAX);
    let employment_type = errors.choice(
        "employment_type",
        &f.employment_type,
        EmploymentType::from_code,
    );
    let route = errors.choice("route", &f.route, PlacementRoute::from_code);
    let referral_id = entry::optional_id(&mut errors, "referral_id", &f.referral_id);
    let event_id = entry::optional_id(&mut errors, "event_id", &f.event_id);
    match route {
        // A placement at a fair is credited to that fair: it must say which.
        Some(PlacementRoute::Fair) if event_id.is_none() => {
            errors.add("event_id", Problem::NotChosen)
        }
        Some(PlacementRoute::Referral | PlacementRoute::SelfFound) if event_id.is_some() => {
            errors.add("event_id", Problem::UnknownChoice)
        }
        Some(PlacementRoute::SelfFound | PlacementRoute::Fair) if referral_id.is_some() => {
            errors.add("referral_id", Problem::UnknownChoice)
        }
        _ => {}
    }
    let credited_org = errors.choice("credited_org", &f.credited_org, Organisation::from_code);
    let credited_staff = errors.optional_line("credited_staff", &f.credited_staff, entry::LINE_MAX);
    errors.optional_line("conditions", &f.conditions, CONDITIONS_MAX);
    errors.finish(|| NewPlacement {
        person_id: person_id.expect("checked"),
        organisation: organisation.expect("checked"),
        placed_on: placed_on.expect("checked"),
        employer,
        job_title,
        employment_type: employment_type.expect("checked"),
        route: route.expect("checked"),
        referral_id,
        event_id,
        credited_org: credited_org.expect("checked"),
        credited_staff,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    fn placement(route: &str, extra: &[(&str, serde_json::Value)]) -> RecordState {
        let mut values = vec![
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("organisation", json!("hello_work")),
            ("author", json!("見本 次郎")),
            ("placed_on", json!("2026-11-20")),
            ("employer", json!("市立みなと病院")),
            ("job_title", json!("看護助手")),
            ("employment_type", json!("regular")),
            ("route", json!(route)),
            ("credited_org", json!("hello_work")),
        ];
        values.extend(extra.iter().cloned());
        state_of(&values)
    }

    #[test]
    fn a_fair_placement_names_its_fair_and_other_routes_do_not() {
        let today = CivilDate::new(2026, 11, 29).unwrap();
        let p = validate_placement(&placement("referral", &[]), today).unwrap();
        assert_eq!(
            (p.route, p.employment_type),
            (PlacementRoute::Referral, EmploymentType::Regular)
        );
        let fair = "01936b2e-0000-7000-8000-0000000000ff";
        assert!(
            validate_placement(&placement("fair", &[("event_id", json!(fair))]), today).is_ok()
        );
        let field = |s: &RecordState| validate_placement(s, today).unwrap_err()[0].field;
        assert_eq!(field(&placement("fair", &[])), "event_id");
        assert_eq!(
            field(&placement("self_found", &[("event_id", json!(fair))])),
            "event_id"
        );
        assert_eq!(
            field(&placement("self_found", &[("referral_id", json!(fair))])),
            "referral_id"
        );
        assert_eq!(field(&placement("正社員", &[])), "route");
    }
}
