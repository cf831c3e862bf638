//! What every case entry shares (notes, referrals, placements, follow-ups): the person it is
//! about and the organisation whose staff wrote it. The entry belongs to the person's case (it
//! is seen by whoever may see the case); only its writing organisation changes it afterwards.

use crate::domain::access::Organisation;
use crate::domain::validation::{Errors, Problem};

/// The person an entry is about (`person_id`), checked.
pub fn person(errors: &mut Errors, raw: &str) -> Option<uuid::Uuid> {
    let parsed = raw.trim().parse::<uuid::Uuid>().ok();
    if parsed.is_none() {
        errors.add("person_id", Problem::Required);
    }
    parsed
}

/// The organisation that wrote an entry (`organisation`), checked.
pub fn organisation(errors: &mut Errors, raw: &str) -> Option<Organisation> {
    errors.choice("organisation", raw, Organisation::from_code)
}

/// A record id an entry points to (a referral, a placement, a corrected note); empty is none.
pub fn optional_id(errors: &mut Errors, field: &'static str, raw: &str) -> Option<uuid::Uuid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let parsed = raw.parse::<uuid::Uuid>().ok();
    if parsed.is_none() {
        errors.add(field, Problem::UnknownChoice);
    }
    parsed
}

/// The longest one-line text of an entry (an employer, a job title).
pub const LINE_MAX: usize = 100;
