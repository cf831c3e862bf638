//! The storage layer: SQL and row mapping, nothing else. Rules live in `service`.
//!
//! Errors here are `sqlx::Error`; the service layer decides what they mean.

pub mod adopt;
pub mod audit_log;
pub mod demo;
pub mod device_keys;
pub mod devices;
pub mod events;
pub mod fair_report;
pub mod fairs;
pub mod people;
pub mod registrations;
pub mod staff;
pub mod sync;

/// Server time now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Whether the database answers.
pub async fn ping(db: &sqlx::SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(db).await.map(|_| ())
}
