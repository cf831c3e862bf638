//! A case note (支援経過): about a person the writer may see, in the writer's organisation's
//! name, written once and never edited (a correction is a new note pointing to the old one);
//! projected into `notes`.

use app::sync::kinds::{self, Fields, NewNote, NoteFields};
use app::sync::wire::RecordKind;

use super::{Author, Checked, Judge, Refusal, WorkingSet, entry};
use crate::store::Conn;
use crate::store::casework::{self as read_table, Written};
use crate::store::sync::StoredRecord;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewNote, Refusal>, sqlx::Error> {
    let note = match kinds::validate_note(&record.state, judge.today) {
        Ok(n) => n,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    if let Err(r) =
        entry::place_in_case(conn, set, judge, record, note.person_id, note.organisation).await?
    {
        return Ok(Err(r));
    }
    // A correction corrects a note of the same person.
    if let Some(old) = note.corrects {
        let same_case = set
            .record(conn, &old.to_string())
            .await?
            .is_some_and(|n| n.kind == RecordKind::Note && n.person_id == record.person_id);
        if !same_case {
            return Ok(Err(Refusal::Reason(
                judge.lang.catalog().case.refused_corrects,
            )));
        }
    }
    Ok(Ok(note))
}

/// `notes` holds each note once, with its author (notes are never changed or deleted).
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
        if let Some(Checked::Note(note)) = checked {
            read_table::project_note(conn, &record.id, note, &written).await?;
        }
    }
    Ok(())
}

/// A short label for staff who may see the record: the day it was written.
pub fn label(record: &StoredRecord) -> String {
    NoteFields::read(&record.state).written_on.0
}
