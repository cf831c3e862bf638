//! Rows of the `events` table.

use crate::store::Exec;
use app::domain::date::CivilDate;
use app::domain::event::{EventKind, NewEmployer, NewEvent, TargetGroup};
use app::domain::ids::EventId;
use app::protocol::{EmployerView, EventView};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    title: String,
    kind: String,
    event_date: String,
    venue: String,
    target_group: String,
    created_at_ms: i64,
    capacity: Option<i64>,
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
            capacity: self.capacity.map(|c| c as u32),
        })
    }
}

const COLUMNS: &str = "id, title, kind, event_date, venue, target_group, created_at_ms, capacity";

/// Inserts the event unless one with this id exists; returns whether it was inserted.
pub async fn insert_if_absent(
    db: impl Exec<'_>,
    id: EventId,
    event: &NewEvent,
    created_at_ms: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO events (id, title, kind, event_date, venue, target_group, created_at_ms,
                             capacity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(&event.title)
    .bind(event.kind.code())
    .bind(event.date.to_string())
    .bind(&event.venue)
    .bind(event.target_group.code())
    .bind(created_at_ms)
    .bind(event.capacity.map(i64::from))
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Moves an event held before `today` to `date` (the demo's fair still to come, on a database
/// kept between runs); an event still to come is left as it is.
pub async fn postpone_if_past(
    db: impl Exec<'_>,
    id: EventId,
    date: CivilDate,
    today: CivilDate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE events SET event_date = $2 WHERE id = $1 AND event_date < $3")
        .bind(id.to_string())
        .bind(date.to_string())
        .bind(today.to_string())
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn get(db: impl Exec<'_>, id: EventId) -> Result<Option<EventView>, sqlx::Error> {
    sqlx::query_as::<_, EventRow>(&format!("SELECT {COLUMNS} FROM events WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .map(EventRow::into_view)
        .transpose()
}

/// Whether an event with this id exists.
pub async fn exists(db: impl Exec<'_>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM events WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// All events, newest date first.
pub async fn list(db: impl Exec<'_>) -> Result<Vec<EventView>, sqlx::Error> {
    sqlx::query_as::<_, EventRow>(&format!(
        "SELECT {COLUMNS} FROM events ORDER BY event_date DESC, created_at_ms DESC"
    ))
    .fetch_all(db)
    .await?
    .into_iter()
    .map(EventRow::into_view)
    .collect()
}

#[derive(sqlx::FromRow)]
struct EmployerRow {
    id: String,
    name: String,
    jobs: String,
}

/// The employers taking part in an event, in the order they were added.
pub async fn employers(
    db: impl Exec<'_>,
    event: EventId,
) -> Result<Vec<EmployerView>, sqlx::Error> {
    Ok(sqlx::query_as::<_, EmployerRow>(
        "SELECT id, name, jobs FROM event_employers WHERE event_id = $1 ORDER BY created_at_ms, id",
    )
    .bind(event.to_string())
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| EmployerView {
        id: r.id,
        name: r.name,
        jobs: r.jobs,
    })
    .collect())
}

/// Adds an employer; `false` when the event already has one of that name.
pub async fn add_employer(
    db: impl Exec<'_>,
    event: EventId,
    id: &str,
    employer: &NewEmployer,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO event_employers (id, event_id, name, jobs, created_at_ms)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id, name) DO NOTHING",
    )
    .bind(id)
    .bind(event.to_string())
    .bind(&employer.name)
    .bind(&employer.jobs)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
