//! A retention follow-up (定着支援): about a placement of the same person, 1, 3 or 6 months
//! after it. Projected into `follow_ups` (the due lists leave out what is done).

use app::sync::kinds::{self, Fields, FollowUpFields, NewFollowUp};
use app::sync::wire::RecordKind;

use super::{Author, Checked, Judge, Refusal, WorkingSet, entry};
use crate::store::Conn;
use crate::store::casework::{self as read_table, Table, Written};
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
    let placement = follow_up.placement_id.to_string();
    let same_case = set.record(conn, &placement).await?.is_some_and(|p| {
        p.kind == RecordKind::Placement
            && p.state.deleted.is_none()
            && p.person_id == record.person_id
    });
    if !same_case {
        return Ok(Err(Refusal::Reason(
            judge.lang.catalog().case.refused_placement,
        )));
    }
    Ok(Ok(follow_up))
}

pub async fn project(
    conn: &mut Conn,
    changed: &[(&StoredRecord, Option<&Checked>)],
    author: &Author<'_>,
) -> Result<(), sqlx::Error> {
    let name = author.actor.audit_name();
    let written = Written {
        by: &name,
        at_ms: author.now,
    };
    for (record, checked) in changed {
        match checked {
            _ if record.state.deleted.is_some() => {
                read_table::project_deleted(conn, Table::FollowUps, &record.id, author.now).await?
            }
            Some(Checked::FollowUp(f)) => {
                read_table::project_follow_up(conn, &record.id, f, &written).await?
            }
            _ => {}
        }
    }
    Ok(())
}

/// A short label: which follow-up and when it was done.
pub fn label(record: &StoredRecord) -> String {
    let f = FollowUpFields::read(&record.state);
    format!("{} (+{})", &*f.done_on, &*f.months)
}
