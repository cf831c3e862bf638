//! Registering and listing events.

use app::domain::event;
use app::domain::ids::EventId;
use app::protocol::{CreateEvent, EventView};
use sqlx::SqlitePool;

use super::ServiceError;
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
pub async fn create(db: &SqlitePool, request: &CreateEvent) -> Result<Created, ServiceError> {
    let new = event::validate(&request.draft()).map_err(ServiceError::Invalid)?;
    let id = request.id.unwrap_or_else(|| EventId(uuid::Uuid::now_v7()));

    let mut tx = db.begin().await?;
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
        && stored.target_group == new.target_group;
    if same {
        Ok(Created::AlreadyThere(stored))
    } else {
        Err(ServiceError::IdConflict)
    }
}

pub async fn list(db: &SqlitePool) -> Result<Vec<EventView>, ServiceError> {
    Ok(store::events::list(db).await?)
}
