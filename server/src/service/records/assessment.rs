//! An assessment (アセスメント): about a person the writer may see, in the writer's
//! organisation's name; changed later by that organisation. It has no read table: the person's
//! page reads it from the synced records.

use app::sync::kinds::{self, AssessmentFields, Fields, NewAssessment};

use super::{Judge, Refusal, WorkingSet, entry};
use crate::store::Conn;
use crate::store::sync::StoredRecord;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewAssessment, Refusal>, sqlx::Error> {
    let assessment = match kinds::validate_assessment(&record.state, judge.today) {
        Ok(a) => a,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    Ok(entry::place_in_case(
        conn,
        set,
        judge,
        record,
        assessment.person_id,
        assessment.organisation,
    )
    .await?
    .map(|()| assessment))
}

/// A short label: the day of the assessment.
pub fn label(record: &StoredRecord) -> String {
    AssessmentFields::read(&record.state).assessed_on.0
}
