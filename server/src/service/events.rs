//! Registering and listing events.

use crate::store::Pool;
use app::domain::event::{self, EmployerDraft};
use app::domain::ids::EventId;
use app::domain::validation::{FieldError, Problem};
use app::protocol::{CreateEmployer, CreateEvent, EmployerView, EventDetail, EventView};

use super::ServiceError;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::Actor;
use crate::store;

/// Whether a create made a new event or found the same one already there (a retry).
pub enum Created {
    New(EventView),
    AlreadyThere(EventView),
}

/// Registers an event.
///
/// - Every field is checked with the shared rules; all problems are reported together.
/// - The client's id makes the request idempotent: the same event sent again is answered with
///   the stored one; a *different* event under an existing id is refused.
pub async fn create(db: &Pool, request: &CreateEvent) -> Result<Created, ServiceError> {
    let new = event::validate(&request.draft()).map_err(ServiceError::Invalid)?;
    let id = request.id.unwrap_or_else(|| EventId(uuid::Uuid::now_v7()));

    let mut tx = crate::store::begin_write(db).await?;
    let inserted = store::events::insert_if_absent(&mut *tx, id, &new, store::now_ms()).await?;
    let stored = store::events::get(&mut *tx, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;

    if inserted {
        return Ok(Created::New(stored));
    }
    let same = stored.title == new.title
        && stored.kind == new.kind
        && stored.date == new.date
        && stored.venue == new.venue
        && stored.target_group == new.target_group
        && stored.capacity == new.capacity;
    if same {
        Ok(Created::AlreadyThere(stored))
    } else {
        Err(ServiceError::IdConflict)
    }
}

pub async fn list(db: &Pool) -> Result<Vec<EventView>, ServiceError> {
    Ok(store::events::list(db).await?)
}

/// An event with its participating employers.
pub async fn detail(db: &Pool, id: EventId) -> Result<EventDetail, ServiceError> {
    let event = store::events::get(db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let employers = store::events::employers(db, id).await?;
    Ok(EventDetail { event, employers })
}

/// Adds a participating employer to an event (audited); a name the fair already has is refused.
pub async fn add_employer(
    state: &AppState,
    me: &Actor,
    id: EventId,
    request: &CreateEmployer,
) -> Result<EmployerView, ServiceError> {
    let new = event::validate_employer(&EmployerDraft {
        name: request.name.clone(),
        jobs: request.jobs.clone(),
    })
    .map_err(ServiceError::Invalid)?;
    if store::events::get(&state.db, id).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    let employer_id = uuid::Uuid::now_v7().to_string();
    let added =
        store::events::add_employer(&state.db, id, &employer_id, &new, store::now_ms()).await?;
    if !added {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "name",
            problem: Problem::AlreadyExists,
        }]));
    }
    audit::record(
        state,
        &[Entry::new(Some(me), "create", "employer")
            .subject(&employer_id)
            .detail(format!("event={id}"))],
    )
    .await?;
    Ok(EmployerView {
        id: employer_id,
        name: new.name,
        jobs: new.jobs,
    })
}
