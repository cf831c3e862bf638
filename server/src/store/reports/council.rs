//! Rows of the steering council: `council_requests` and `council_meetings`.

use app::domain::council::NewRequest;

use crate::store::Exec;

#[derive(sqlx::FromRow)]
pub struct RequestRow {
    pub id: String,
    pub asked_by: String,
    pub subject: String,
    pub detail: String,
    pub asked_on: String,
    pub due_on: Option<String>,
    pub answer: String,
    pub answered_on: Option<String>,
    pub status: String,
}

const REQUEST_COLUMNS: &str =
    "id, asked_by, subject, detail, asked_on, due_on, answer, answered_on, status";

/// Every request, the newest first.
pub async fn requests(db: impl Exec<'_>) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM council_requests ORDER BY asked_on DESC, updated_at_ms DESC"
    ))
    .fetch_all(db)
    .await
}

pub async fn request(db: impl Exec<'_>, id: &str) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM council_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Inserts a request or, with an existing id, changes it.
pub async fn put_request(
    db: impl Exec<'_>,
    id: &str,
    r: &NewRequest,
    by_staff: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO council_requests (id, asked_by, subject, detail, asked_on, due_on, answer,
             answered_on, status, recorded_by, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET asked_by = excluded.asked_by,
             subject = excluded.subject, detail = excluded.detail, asked_on = excluded.asked_on,
             due_on = excluded.due_on, answer = excluded.answer,
             answered_on = excluded.answered_on, status = excluded.status,
             recorded_by = excluded.recorded_by, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(id)
    .bind(r.asked_by.code())
    .bind(&r.subject)
    .bind(&r.detail)
    .bind(r.asked_on.to_string())
    .bind(r.due_on.map(|d| d.to_string()))
    .bind(&r.answer)
    .bind(r.answered_on.map(|d| d.to_string()))
    .bind(r.status.code())
    .bind(by_staff)
    .bind(now_ms)
    .execute(db)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow)]
pub struct MeetingRow {
    pub id: String,
    pub held_on: String,
    pub members: String,
    pub fiscal_year: i64,
    pub as_of: String,
    pub report: Option<String>,
    pub display_name: String,
    pub created_at_ms: i64,
}

/// Every meeting, the newest first, without their reports; or (with `id`) that one meeting
/// with its report.
pub async fn meetings(db: impl Exec<'_>, id: Option<&str>) -> Result<Vec<MeetingRow>, sqlx::Error> {
    let (report, filter) = match id {
        Some(_) => ("m.report", "WHERE m.id = $1"),
        None => ("NULL", ""),
    };
    let sql = format!(
        "SELECT m.id, m.held_on, m.members, m.fiscal_year, m.as_of, {report} AS report,
            s.display_name, m.created_at_ms
         FROM council_meetings m JOIN staff s ON s.id = m.recorded_by
         {filter}
         ORDER BY m.held_on DESC, m.created_at_ms DESC"
    );
    let query = sqlx::query_as(&sql);
    match id {
        Some(id) => query.bind(id),
        None => query,
    }
    .fetch_all(db)
    .await
}

/// The new meeting with the report it was given, as JSON.
pub struct NewMeetingRow<'a> {
    pub id: &'a str,
    pub held_on: String,
    pub members: &'a str,
    pub fiscal_year: i32,
    pub as_of: String,
    pub report: String,
}

pub async fn insert_meeting(
    db: impl Exec<'_>,
    m: &NewMeetingRow<'_>,
    by_staff: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO council_meetings (id, held_on, members, fiscal_year, as_of, report,
             recorded_by, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(m.id)
    .bind(&m.held_on)
    .bind(m.members)
    .bind(i64::from(m.fiscal_year))
    .bind(&m.as_of)
    .bind(&m.report)
    .bind(by_staff)
    .bind(now_ms)
    .execute(db)
    .await
    .map(|_| ())
}
