//! A retention follow-up (定着支援): about a placement of the same person, 1, 3 or 6 months
//! after it. Projected into `follow_ups` (the due lists leave out what is done).

use app::domain::date::CivilDate;
use app::domain::validation::{FieldError, Problem};
use app::sync::kinds::{self, Fields, FollowUpFields, NewFollowUp, PlacementFields};
use app::sync::wire::RecordKind;

use super::{Judge, Refusal, WorkingSet, entry};
use crate::store::Conn;
use crate::store::casework as read_table;
use crate::store::sync::StoredRecord;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewFollowUp, Refusal>, sqlx::Error> {
    let follow_up = match kinds::validate_follow_up(&record.state, judge.today) {
        Ok(f) => f,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    if let Err(r) = entry::place_in_case(
        conn,
        set,
        judge,
        record,
        follow_up.person_id,
        follow_up.organisation,
    )
    .await?
    {
        return Ok(Err(r));
    }
    let t = judge.lang.catalog();
    let placement = follow_up.placement_id.to_string();
    let Some(placed) = set.record(conn, &placement).await?.filter(|p| {
        p.kind == RecordKind::Placement
            && p.state.deleted.is_none()
            && p.person_id == record.person_id
    }) else {
        return Ok(Err(Refusal::Reason(t.case.refused_placement)));
    };
    // Done on or after the placement's start, and recorded once per placement and month.
    let placed_on = PlacementFields::read(&placed.state)
        .placed_on
        .parse::<CivilDate>()
        .ok();
    if let Some(start) = placed_on.filter(|p| follow_up.done_on < *p) {
        return Ok(Err(Refusal::Fields(vec![FieldError {
            field: "done_on",
            problem: Problem::DateOutOfRange {
                from_year: start.year(),
                to_year: judge.today.year(),
            },
        }])));
    }
    // Recorded earlier in this push (not in the read table yet), or before it.
    let months = follow_up.months.to_string();
    let in_this_push = set.records.values().any(|r| {
        r.kind == RecordKind::FollowUp && r.id != record.id && r.state.deleted.is_none() && {
            let f = FollowUpFields::read(&r.state);
            f.placement_id.0 == placement && f.months.trim() == months
        }
    });
    if in_this_push
        || read_table::follow_up_recorded(conn, &placement, follow_up.months, &record.id).await?
    {
        return Ok(Err(Refusal::Reason(t.case.refused_follow_up_twice)));
    }
    Ok(Ok(follow_up))
}

/// A short label: which follow-up and when it was done.
pub fn label(record: &StoredRecord) -> String {
    let f = FollowUpFields::read(&record.state);
    format!("{} (+{})", &*f.done_on, &*f.months)
}
