//! Merging duplicate people at the counter: staff of the organisation holding both records
//! judge that two intakes are one person; the duplicate then points to the record that stays
//! (`merged_into`, written by the server through the engine so every device learns it), keeps
//! its own fields, entries and consent history, and is read from the survivor's page. Undoing
//! empties the pointer. Both are audited under each person, with the reason.

use app::domain::ids::PersonId;
use app::domain::validation::{Errors, FieldError, Problem};
use app::i18n::Lang;
use app::protocol::{MergePerson, PersonView};
use app::sync::wire::RecordKind;

use super::ServiceError;
use super::people::load_one;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor};
use crate::store::people::{has_merged, merged_into, set_merged};

pub const REASON_MAX: usize = 200;

fn cannot(field: &'static str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError {
        field,
        problem: Problem::CannotMerge,
    }])
}

/// A person the staff member may merge: one their organisation holds (else as if absent).
async fn held(
    state: &AppState,
    staff: &StaffActor,
    id: PersonId,
) -> Result<PersonView, ServiceError> {
    let person = load_one(state, id).await?;
    if person.owner_org != staff.organisation || !staff.role.handles_cases() {
        return Err(ServiceError::NotFound);
    }
    Ok(person)
}

/// Merges `duplicate` into `request.into`; gives the person who stays.
pub async fn merge(
    state: &AppState,
    staff: &StaffActor,
    lang: Lang,
    duplicate: PersonId,
    request: &MergePerson,
) -> Result<PersonView, ServiceError> {
    let mut errors = Errors::default();
    let reason = errors.required_line("reason", &request.reason, REASON_MAX);
    let into = match request.into.trim().parse::<uuid::Uuid>() {
        Ok(u) => Some(PersonId(u)),
        Err(_) => {
            errors.add("into", Problem::NotChosen);
            None
        }
    };
    let into = errors
        .finish(|| into.expect("checked"))
        .map_err(ServiceError::Invalid)?;
    held(state, staff, duplicate).await?;
    held(state, staff, into).await?;
    if into == duplicate {
        return Err(cannot("into"));
    }
    let actor = Actor::Staff(staff.clone());
    let (dup, keep) = (duplicate.to_string(), into.to_string());
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        if merged_into(&mut tx, &keep).await?.is_some() {
            return Err(cannot("into"));
        }
        if merged_into(&mut tx, &dup).await?.is_some() || has_merged(&mut tx, &dup).await? {
            return Err(cannot("merged_into"));
        }
        set_merged(&mut tx, &dup, Some(&keep)).await?;
        let values = vec![("merged_into", serde_json::Value::from(keep.clone()))];
        super::sync::write_as_server(&mut tx, &actor, lang, RecordKind::Person, &dup, values)
            .await?;
        let detail = |other: &str| format!("{other} reason={reason}");
        audit::append(
            &mut tx,
            &[
                Entry::new(Some(&actor), "person_merge", "person")
                    .subject(&dup)
                    .detail(detail(&format!("into={keep}"))),
                Entry::new(Some(&actor), "person_merge", "person")
                    .subject(&keep)
                    .detail(detail(&format!("from={dup}"))),
            ],
        )
        .await?;
        tx.commit().await?;
    }
    load_one(state, into).await
}

/// Undoes the merge of `duplicate`: it is its own record again.
pub async fn unmerge(
    state: &AppState,
    staff: &StaffActor,
    lang: Lang,
    duplicate: PersonId,
) -> Result<PersonView, ServiceError> {
    held(state, staff, duplicate).await?;
    let actor = Actor::Staff(staff.clone());
    let dup = duplicate.to_string();
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        let Some(into) = merged_into(&mut tx, &dup).await? else {
            return Err(cannot("merged_into"));
        };
        set_merged(&mut tx, &dup, None).await?;
        let values = vec![("merged_into", serde_json::Value::from(""))];
        super::sync::write_as_server(&mut tx, &actor, lang, RecordKind::Person, &dup, values)
            .await?;
        audit::append(
            &mut tx,
            &[
                Entry::new(Some(&actor), "person_unmerge", "person")
                    .subject(&dup)
                    .detail(format!("from={into}")),
                Entry::new(Some(&actor), "person_unmerge", "person")
                    .subject(&into)
                    .detail(format!("undone={dup}")),
            ],
        )
        .await?;
        tx.commit().await?;
    }
    load_one(state, duplicate).await
}
