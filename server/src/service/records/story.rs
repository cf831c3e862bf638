//! An anonymised success story (就職成功例): about a person the writer may see, in the writer's
//! organisation's name; refused while its text would identify the person (checked against
//! the person's own record); approved — and afterwards changed — only by a manager.

use app::domain::access::Role;
use app::domain::story::Subject;
use app::sync::kinds::{self, Fields, NewStory, PersonFields, StoryFields};

use super::{Judge, Refusal, WorkingSet, Writer, entry};
use crate::store::Conn;
use crate::store::sync::StoredRecord;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewStory, Refusal>, sqlx::Error> {
    let story = match kinds::validate_story(&record.state, judge.today) {
        Ok(s) => s,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    if let Err(r) = entry::place_in_case(
        conn,
        set,
        judge,
        record,
        story.person_id,
        story.organisation,
    )
    .await?
    {
        return Ok(Err(r));
    }
    // Approved by a manager, in their own name (`entry::may_change` keeps an approved story a
    // manager's to change).
    let Writer::Staff(staff) = judge.writer else {
        return Ok(Err(Refusal::Reason(judge.lang.catalog().sync_refused_kind)));
    };
    let newly_approved =
        story.approved && !judge.before.as_ref().is_some_and(kinds::story::is_approved);
    let approver = StoryFields::read(&record.state).approved_by.0;
    if newly_approved && (staff.role != Role::Manager || approver.trim() != staff.display_name) {
        return Ok(Err(Refusal::Reason(
            judge.lang.catalog().case.refused_approval,
        )));
    }
    // `place_in_case` found the person: the text must not name them.
    let person = set.record(conn, &story.person_id.to_string()).await?;
    let names = person
        .map(|p| PersonFields::read(&p.state))
        .unwrap_or_default();
    let subject = Subject {
        family_name: &names.family_name,
        given_name: &names.given_name,
        family_name_kana: &names.family_name_kana,
        given_name_kana: &names.given_name_kana,
        address: &names.address,
    };
    let found = kinds::story::identifying(&record.state, subject);
    if !found.is_empty() {
        return Ok(Err(Refusal::Fields(kinds::story::identifying_errors(
            &found,
        ))));
    }
    Ok(Ok(story))
}

/// A short label: the day drafted.
pub fn label(record: &StoredRecord) -> String {
    StoryFields::read(&record.state).drafted_on.0
}
