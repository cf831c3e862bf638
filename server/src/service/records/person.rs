//! A person at intake (相談者): checked with the counter's own rules, projected into `people`.

use crate::store::Conn;
use app::domain::person::{NewPerson, validate_person};
use app::sync::kinds::{self, Fields, PersonFields};

use super::{Checked, Judge, Refusal};
use crate::store::people as read_table;
use crate::store::sync::StoredRecord;

pub fn check(judge: &Judge<'_>, record: &StoredRecord) -> Result<NewPerson, Refusal> {
    validate_person(&kinds::person_draft(&record.state), judge.today).map_err(Refusal::Fields)
}

/// `people` holds each live person's merged record; a deleted person is marked deleted there.
pub async fn project(
    conn: &mut Conn,
    changed: &[(&StoredRecord, Option<&Checked>)],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut live = Vec::new();
    for (record, checked) in changed {
        match checked {
            _ if record.state.deleted.is_some() => {
                read_table::project_person_deleted(conn, &record.id, now).await?
            }
            Some(Checked::Person(p)) => {
                live.push((record.id.as_str(), p.clone(), record.owner_org))
            }
            _ => {}
        }
    }
    read_table::project_people(conn, &live, now).await
}

/// A short label for staff who may see the record: the person's name.
pub fn label(record: &StoredRecord) -> String {
    let p = PersonFields::read(&record.state);
    format!("{} {}", &*p.family_name, &*p.given_name)
}
