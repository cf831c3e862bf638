//! A case note (支援記録): about a person the writer may see, written once and never edited
//! (a correction is a new note); projected into `notes`.

use crate::store::Conn;
use app::sync::kinds::{self, Fields, NewNote, NoteFields};

use super::{Author, Checked, Judge, Refusal, WorkingSet, Writer};
use crate::store::people as read_table;
use crate::store::sync::StoredRecord;
use app::sync::wire::RecordKind;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewNote, Refusal>, sqlx::Error> {
    let t = judge.lang.catalog();
    let note = match kinds::validate_note(&record.state) {
        Ok(n) => n,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    let Writer::Staff(staff) = judge.writer else {
        return Ok(Err(Refusal::Reason(t.sync_refused_kind)));
    };
    let person_id = note.person_id.to_string();
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
    Ok(Ok(note))
}

/// `notes` holds each note once, with its author (notes are never changed or deleted).
pub async fn project(
    conn: &mut Conn,
    changed: &[(&StoredRecord, Option<&Checked>)],
    author: &Author<'_>,
) -> Result<(), sqlx::Error> {
    let name = author.actor.audit_name();
    for (record, checked) in changed {
        if let Some(Checked::Note(note)) = checked {
            read_table::project_note(conn, &record.id, note, &name, author.now).await?;
        }
    }
    Ok(())
}

/// A short label for staff who may see the record: the day it was written.
pub fn label(record: &StoredRecord) -> String {
    NoteFields::read(&record.state).written_on.0
}
