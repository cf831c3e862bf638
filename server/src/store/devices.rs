//! Rows of `devices` (fair tablets) and their keys.

use crate::store::{Conn, Pool};
use app::domain::ids::{DeviceId, EventId, StaffId};
use app::protocol::{DeviceStatus, DeviceView};

#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: String,
    event_id: String,
    event_title: String,
    label: String,
    enrolled_at_ms: Option<i64>,
    revoked_at_ms: Option<i64>,
    created_at_ms: i64,
}

impl DeviceRow {
    fn view(self) -> Result<DeviceView, sqlx::Error> {
        let corrupt = |w: &str| sqlx::Error::Decode(format!("devices.{w} is invalid").into());
        Ok(DeviceView {
            id: self.id.parse().map_err(|_| corrupt("id"))?,
            event_id: self.event_id.parse().map_err(|_| corrupt("event_id"))?,
            event_title: self.event_title,
            label: self.label,
            status: match (self.revoked_at_ms, self.enrolled_at_ms) {
                (Some(_), _) => DeviceStatus::Revoked,
                (None, Some(_)) => DeviceStatus::Enrolled,
                (None, None) => DeviceStatus::Pending,
            },
            created_at_ms: self.created_at_ms,
        })
    }
}

const DEVICE_SELECT: &str = "SELECT d.id, d.event_id, e.title AS event_title, d.label, \
    d.enrolled_at_ms, d.revoked_at_ms, d.created_at_ms FROM devices d JOIN events e ON e.id = d.event_id";

pub async fn list(db: &Pool) -> Result<Vec<DeviceView>, sqlx::Error> {
    let rows: Vec<DeviceRow> =
        sqlx::query_as(&format!("{DEVICE_SELECT} ORDER BY d.created_at_ms DESC"))
            .fetch_all(db)
            .await?;
    rows.into_iter().map(DeviceRow::view).collect()
}

pub async fn get(db: &Pool, id: DeviceId) -> Result<Option<DeviceView>, sqlx::Error> {
    let row: Option<DeviceRow> = sqlx::query_as(&format!("{DEVICE_SELECT} WHERE d.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await?;
    row.map(DeviceRow::view).transpose()
}

/// A device prepared for an event, waiting for its code to be typed on it.
pub struct NewDevice<'a> {
    pub id: DeviceId,
    pub event_id: EventId,
    pub label: &'a str,
    pub code_hash: &'a str,
    pub code_expires_ms: i64,
    pub created_by: StaffId,
    pub now: i64,
}

pub async fn insert(conn: &mut Conn, d: &NewDevice<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO devices (id, event_id, label, enrol_code_hash, enrol_code_expires_ms,
                              created_by, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(d.id.to_string())
    .bind(d.event_id.to_string())
    .bind(d.label)
    .bind(d.code_hash)
    .bind(d.code_expires_ms)
    .bind(d.created_by.to_string())
    .bind(d.now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Exchanges a valid, unexpired code of a device not revoked for its token, in one statement:
/// the code is consumed where it is found. The device's (id, event id), or `None`.
pub async fn consume_code(
    conn: &mut Conn,
    code_hash: &str,
    now: i64,
    token_hash: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE devices SET token_hash = $1, enrolled_at_ms = $2, enrol_code_hash = NULL,
                            enrol_code_expires_ms = NULL
         WHERE enrol_code_hash = $3 AND enrol_code_expires_ms > $2 AND revoked_at_ms IS NULL
         RETURNING id, event_id",
    )
    .bind(token_hash)
    .bind(now)
    .bind(code_hash)
    .fetch_optional(&mut *conn)
    .await
}

/// Revokes a device and removes its tablet key; `false` when there was none to revoke.
pub async fn revoke(conn: &mut Conn, id: DeviceId, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE devices SET revoked_at_ms = $1, enrol_code_hash = NULL
         WHERE id = $2 AND revoked_at_ms IS NULL",
    )
    .bind(now)
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM tablet_keys WHERE device_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// The enrolled, not revoked device holding this token: (id, event id).
pub async fn by_token(
    db: &Pool,
    token_hash: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, event_id FROM devices WHERE token_hash = $1 AND revoked_at_ms IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}
