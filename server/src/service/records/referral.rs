//! A job referral (職業紹介): Hello Work's, about a person it may see; its result is changed
//! later by Hello Work. Projected into `referrals`.

use app::sync::kinds::{self, Fields, NewReferral, ReferralFields};

use super::{Judge, Refusal, WorkingSet, Writer, entry};
use crate::store::Conn;
use crate::store::sync::StoredRecord;
use app::domain::access::Organisation;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewReferral, Refusal>, sqlx::Error> {
    // 職業紹介 is Hello Work's statutory work: the city records its own work as notes.
    if let Writer::Staff(staff) = judge.writer
        && staff.organisation != Organisation::HelloWork
    {
        return Ok(Err(Refusal::Reason(
            judge.lang.catalog().case.refused_referral_city,
        )));
    }
    let referral = match kinds::validate_referral(&record.state, judge.today) {
        Ok(r) => r,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    Ok(entry::place_in_case(
        conn,
        set,
        judge,
        record,
        referral.person_id,
        referral.organisation,
    )
    .await?
    .map(|()| referral))
}

/// A short label: the employer and the job.
pub fn label(record: &StoredRecord) -> String {
    let r = ReferralFields::read(&record.state);
    format!("{} {}", &*r.employer, &*r.job_title)
}
