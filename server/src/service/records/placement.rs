//! A placement (就職): about a person the writer may see; a 紹介就職 may name the referral it
//! came from (a referral of the same person), a placement at a fair names a fair that exists.
//! Projected into `placements` (what the reports count).

use app::sync::kinds::{self, Fields, NewPlacement, PlacementFields};
use app::sync::wire::RecordKind;

use super::{Judge, Refusal, WorkingSet, entry};
use crate::store::Conn;
use crate::store::sync::StoredRecord;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewPlacement, Refusal>, sqlx::Error> {
    let t = judge.lang.catalog();
    let placement = match kinds::validate_placement(&record.state, judge.today) {
        Ok(p) => p,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    if let Err(r) = entry::place_in_case(
        conn,
        set,
        judge,
        record,
        placement.person_id,
        placement.organisation,
    )
    .await?
    {
        return Ok(Err(r));
    }
    if let Some(referral) = placement.referral_id {
        let same_case = set
            .record(conn, &referral.to_string())
            .await?
            .is_some_and(|r| {
                r.kind == RecordKind::Referral
                    && r.state.deleted.is_none()
                    && r.person_id == record.person_id
            });
        if !same_case {
            return Ok(Err(Refusal::Reason(t.case.refused_referral)));
        }
    }
    if let Some(event) = placement.event_id
        && !crate::store::events::exists(conn, &event.to_string()).await?
    {
        return Ok(Err(Refusal::Reason(t.case.refused_fair)));
    }
    Ok(Ok(placement))
}

/// A short label: the employer and the job.
pub fn label(record: &StoredRecord) -> String {
    let p = PlacementFields::read(&record.state);
    format!("{} {}", &*p.employer, &*p.job_title)
}
