//! Rows of the `events` table.

use app::domain::date::CivilDate;
use app::domain::event::{EventKind, NewEvent, TargetGroup};
use app::domain::ids::EventId;
use app::protocol::EventView;
use sqlx::SqliteExecutor;

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    title: String,
    kind: String,
    event_date: String,
    venue: String,
    target_group: String,
    created_at_ms: i64,
}

impl EventRow {
    /// Rows were checked on the way in (app rules and CHECK constraints); a row that does not
    /// parse means the database was edited by hand, which is reported, not hidden.
    fn into_view(self) -> Result<EventView, sqlx::Error> {
        let corrupt = |what: &str| sqlx::Error::Decode(format!("events.{what} is invalid").into());
        Ok(EventView {
            id: self.id.parse().map_err(|_| corrupt("id"))?,
            title: self.title,
            kind: EventKind::from_code(&self.kind).ok_or_else(|| corrupt("kind"))?,
            date: self
                .event_date
                .parse::<CivilDate>()
                .map_err(|_| corrupt("event_date"))?,
            venue: self.venue,
            target_group: TargetGroup::from_code(&self.target_group)
                .ok_or_else(|| corrupt("target_group"))?,
            created_at_ms: self.created_at_ms,
        })
    }
}

const COLUMNS: &str = "id, title, kind, event_date, venue, target_group, created_at_ms";

/// Inserts the event unless one with this id exists; returns whether it was inserted.
pub async fn insert_if_absent(
    db: impl SqliteExecutor<'_>,
    id: EventId,
    event: &NewEvent,
    created_at_ms: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO events (id, title, kind, event_date, venue, target_group, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(&event.title)
    .bind(event.kind.code())
    .bind(event.date.to_string())
    .bind(&event.venue)
    .bind(event.target_group.code())
    .bind(created_at_ms)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn get(
    db: impl SqliteExecutor<'_>,
    id: EventId,
) -> Result<Option<EventView>, sqlx::Error> {
    sqlx::query_as::<_, EventRow>(&format!("SELECT {COLUMNS} FROM events WHERE id = ?"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .map(EventRow::into_view)
        .transpose()
}

/// All events, newest date first.
pub async fn list(db: impl SqliteExecutor<'_>) -> Result<Vec<EventView>, sqlx::Error> {
    sqlx::query_as::<_, EventRow>(&format!(
        "SELECT {COLUMNS} FROM events ORDER BY event_date DESC, created_at_ms DESC"
    ))
    .fetch_all(db)
    .await?
    .into_iter()
    .map(EventRow::into_view)
    .collect()
}
