//! What every case entry shares on the server: it is written by case staff (never a tablet),
//! about a person the writer may see, in the writer's own organisation's name; it belongs to
//! that person's case (scope) and only its writing organisation changes it afterwards. The
//! person's own record (the intake) is changed only by the organisation that owns the case.

use app::domain::access::Organisation;
use app::sync::kinds;
use app::sync::wire::RecordKind;

use super::{Judge, Refusal, WorkingSet, Writer};
use crate::store::Conn;
use crate::store::sync::StoredRecord;

/// Places a checked entry in its person's case: refuses a tablet, an entry in another
/// organisation's name, a person the writer may not see, and moving an entry to another person.
pub async fn place_in_case(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
    person_id: uuid::Uuid,
    organisation: Organisation,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let t = judge.lang.catalog();
    let Writer::Staff(staff) = judge.writer else {
        return Ok(Err(Refusal::Reason(t.sync_refused_kind)));
    };
    if organisation != staff.organisation {
        return Ok(Err(Refusal::Reason(t.case.refused_other_org_name)));
    }
    // The author a new entry shows is the staff member who sends it.
    if judge.is_new && kinds::text(&record.state, "author").trim() != staff.display_name {
        return Ok(Err(Refusal::Reason(t.case.refused_author)));
    }
    let person_id = person_id.to_string();
    if record.person_id.as_ref().is_some_and(|p| *p != person_id) {
        return Ok(Err(Refusal::Reason(t.case.refused_moved)));
    }
    let Some(person) = set.record(conn, &person_id).await? else {
        return Ok(Err(Refusal::Reason(t.sync_no_person)));
    };
    if person.kind != RecordKind::Person
        || person.state.deleted.is_some()
        || !crate::service::scope::sees_record(conn, staff, &person, judge.today).await?
    {
        return Ok(Err(Refusal::Reason(t.sync_no_person)));
    }
    record.owner_org = person.owner_org;
    record.person_id = Some(person_id);
    Ok(Ok(()))
}

/// Whether `writer` may change or delete this existing record: a person's intake only by the
/// organisation that owns the case; a case entry only by the organisation that wrote it
/// (adding entries to a case the writer sees is always allowed). Tablets have their own rules.
pub fn may_change(writer: Writer<'_>, record: &StoredRecord, judge: &Judge<'_>) -> Option<Refusal> {
    let Writer::Staff(staff) = writer else {
        return None;
    };
    let t = judge.lang.catalog();
    let keeper = if record.kind == RecordKind::Person {
        record.owner_org
    } else if record.kind.is_case_entry() {
        kinds::entry_of(&record.state).1.unwrap_or(record.owner_org)
    } else {
        return None;
    };
    // An approved success story is a manager's to change or delete.
    if record.kind == RecordKind::Story
        && kinds::story::is_approved(&record.state)
        && staff.role != app::domain::access::Role::Manager
    {
        return Some(Refusal::Reason(t.case.refused_approval));
    }
    (keeper != staff.organisation).then(|| {
        let template = if record.kind == RecordKind::Person {
            t.case.refused_not_owner
        } else {
            t.case.refused_not_writer
        };
        Refusal::Said(template.replace("{org}", t.organisation(keeper)))
    })
}

/// Keeps the read table of referrals, placements and follow-ups equal to their records: a
/// checked record's row written (or replaced), a deleted one's row marked deleted.
pub async fn project(
    conn: &mut Conn,
    changed: &[(&StoredRecord, Option<&super::Checked>)],
    author: &super::Author<'_>,
) -> Result<(), sqlx::Error> {
    use super::Checked;
    use crate::store::casework::{self as read_table, Table, Written};
    let name = author.actor.audit_name();
    let written = Written {
        by: &name,
        at_ms: author.now,
    };
    for (record, checked) in changed {
        let table = match record.kind {
            RecordKind::Referral => Table::Referrals,
            RecordKind::Placement => Table::Placements,
            RecordKind::FollowUp => Table::FollowUps,
            _ => continue,
        };
        let id = record.id.as_str();
        match checked {
            _ if record.state.deleted.is_some() => {
                read_table::project_deleted(conn, table, id, author.now).await?
            }
            Some(Checked::Referral(r)) => {
                read_table::project_referral(conn, id, r, &written).await?
            }
            Some(Checked::Placement(p)) => {
                read_table::project_placement(conn, id, p, &written).await?
            }
            Some(Checked::FollowUp(f)) => {
                read_table::project_follow_up(conn, id, f, &written).await?
            }
            _ => {}
        }
    }
    Ok(())
}
