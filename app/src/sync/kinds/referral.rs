//! A job referral (職業紹介) by Hello Work: the employer, the job (求人番号 when there is one),
//! the day, and the result once it is known. The result is changed later by Hello Work.

use serde::{Deserialize, Serialize};

use super::{Fields, Text, entry};
use crate::domain::access::Organisation;
use crate::domain::casework::{ReferralResult, entry_date, optional_entry_date};
use crate::domain::date::CivilDate;
use crate::domain::validation::{Errors, FieldError, Problem};
use crate::sync::merge::RecordState;

/// A referral record's fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralFields {
    pub person_id: Text,
    /// The writing organisation (`Organisation` code): always Hello Work.
    pub organisation: Text,
    pub author: Text,
    pub referred_on: Text,
    pub employer: Text,
    pub job_title: Text,
    /// 求人番号: 5 digits, a hyphen and 8 digits (e.g. 13010-12345678); optional.
    pub job_no: Text,
    /// `ReferralResult` code.
    pub result: Text,
    /// The day the result was known; empty while it is pending.
    pub result_on: Text,
}

/// A checked referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub person_id: uuid::Uuid,
    pub organisation: Organisation,
    pub referred_on: CivilDate,
    pub employer: String,
    pub job_title: String,
    pub job_no: String,
    pub result: ReferralResult,
    pub result_on: Option<CivilDate>,
}

/// A 求人番号 as Hello Work prints it, folded to half-width: `NNNNN-NNNNNNNN`.
pub fn job_number(raw: &str) -> Option<String> {
    let folded: String = crate::domain::text::fold_width(raw.trim())
        .chars()
        .map(|c| {
            if matches!(c, 'ー' | '－' | '−' | '‐') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let (office, serial) = folded.split_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (digits(office, 5) && digits(serial, 8)).then_some(folded)
}

pub fn validate_referral(
    state: &RecordState,
    today: CivilDate,
) -> Result<NewReferral, Vec<FieldError>> {
    let f = ReferralFields::read(state);
    let mut errors = Errors::default();
    let person_id = entry::person(&mut errors, &f.person_id);
    let organisation = entry::organisation(&mut errors, &f.organisation);
    if organisation.is_some_and(|o| o != Organisation::HelloWork) {
        // 職業紹介 is Hello Work's statutory work.
        errors.add("organisation", Problem::UnknownChoice);
    }
    errors.required_line("author", &f.author, entry::LINE_MAX);
    let referred_on = entry_date(&mut errors, "referred_on", &f.referred_on, today);
    let employer = errors.required_line("employer", &f.employer, entry::LINE_MAX);
    let job_title = errors.required_line("job_title", &f.job_title, entry::LINE_MAX);
    let job_no = match f.job_no.trim() {
        "" => String::new(),
        raw => job_number(raw).unwrap_or_else(|| {
            errors.add("job_no", Problem::UnknownChoice);
            String::new()
        }),
    };
    let result = errors.choice("result", &f.result, ReferralResult::from_code);
    let result_on = optional_entry_date(&mut errors, "result_on", &f.result_on, today);
    if let (Some(on), Some(from)) = (result_on, referred_on)
        && on < from
    {
        errors.add(
            "result_on",
            Problem::DateOutOfRange {
                from_year: from.year(),
                to_year: today.year() + 1,
            },
        );
    }
    errors.finish(|| NewReferral {
        person_id: person_id.expect("checked"),
        organisation: organisation.expect("checked"),
        referred_on: referred_on.expect("checked"),
        employer,
        job_title,
        job_no,
        result: result.expect("checked"),
        result_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    #[test]
    fn a_referral_is_hello_works_with_an_employer_a_job_and_a_result() {
        let today = CivilDate::new(2026, 11, 29).unwrap();
        let ok = state_of(&[
            ("person_id", json!("01936b2e-0000-7000-8000-000000000001")),
            ("organisation", json!("hello_work")),
            ("author", json!("見本 次郎")),
            ("referred_on", json!("令和8年11月10日")),
            ("employer", json!("市立みなと病院")),
            ("job_title", json!("看護助手")),
            ("job_no", json!("１３０１０－１２３４５６７８")),
            ("result", json!("pending")),
        ]);
        let r = validate_referral(&ok, today).unwrap();
        assert_eq!(r.job_no, "13010-12345678");
        assert_eq!(r.referred_on.to_string(), "2026-11-10");
        let city = state_of(&[("organisation", json!("city")), ("job_no", json!("123"))]);
        let named: Vec<&str> = validate_referral(&city, today)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        for field in [
            "person_id",
            "organisation",
            "author",
            "referred_on",
            "employer",
            "job_title",
            "job_no",
            "result",
        ] {
            assert!(named.contains(&field), "{field}: {named:?}");
        }
    }
}
