//! An interview at a fair (面接): one registered participant with one of the fair's employers,
//! and how it stands (面接 → 内定 → 採用); projected into `fair_outcomes`.

use crate::store::Conn;
use app::sync::kinds::{self, Fields, InterviewFields, NewInterview};
use app::sync::wire::RecordKind;

use super::{Checked, Judge, Refusal, WorkingSet, Writer};
use crate::service::scope::{registration_scope, sees_registration};
use crate::store::fairs as read_table;
use crate::store::sync::StoredRecord;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewInterview, Refusal>, sqlx::Error> {
    let t = judge.lang.catalog();
    let interview = match kinds::validate_interview(&record.state) {
        Ok(i) => i,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    let event_id = interview.event_id.to_string();
    let moved = record.event_id.as_ref().is_some_and(|e| *e != event_id);
    if moved || judge.writer.foreign_event(&event_id) {
        return Ok(Err(Refusal::Reason(t.sync_wrong_event)));
    }
    // The participant must be registered at this fair (perhaps earlier in this batch); staff
    // of the other organisation cannot record an interview of a registration they may not see
    // (it would tell them it exists).
    let participant_id = interview.participant_id.to_string();
    let registered = set.record(conn, &participant_id).await?.is_some_and(|p| {
        p.kind == RecordKind::Participant
            && p.state.deleted.is_none()
            && p.event_id.as_deref() == Some(event_id.as_str())
            && match judge.writer {
                Writer::Staff(s) => sees_registration(s, registration_scope(&p)),
                Writer::Device(_) => true,
            }
    });
    if !registered {
        return Ok(Err(Refusal::Reason(t.sync_no_participant)));
    }
    // The employer must take part in this fair.
    let employer = interview.employer_id.to_string();
    if !read_table::employer_at_event(conn, &employer, &event_id).await? {
        return Ok(Err(Refusal::Reason(t.sync_no_employer)));
    }
    record.event_id = Some(event_id);
    Ok(Ok(interview))
}

/// Keeps `fair_outcomes` equal to the merged interviews; a deleted one leaves it.
pub async fn project(
    conn: &mut Conn,
    changed: &[(&StoredRecord, Option<&Checked>)],
    now: i64,
) -> Result<(), sqlx::Error> {
    for (record, checked) in changed {
        match checked {
            Some(Checked::Interview(i)) if record.state.deleted.is_none() => {
                read_table::project_interview(conn, &record.id, i, now).await?
            }
            _ => read_table::project_interview_deleted(conn, &record.id).await?,
        }
    }
    Ok(())
}

/// A short label for staff who may see the record: its outcome code.
pub fn label(record: &StoredRecord) -> String {
    InterviewFields::read(&record.state).outcome.0
}
