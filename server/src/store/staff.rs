//! Rows of `staff` and `sessions`.

use crate::store::{Conn, Exec};
use app::domain::access::{Organisation, Role};
use app::domain::ids::StaffId;
use app::domain::staff::NewStaff;
use app::protocol::StaffView;

#[derive(sqlx::FromRow)]
pub struct StaffRow {
    pub id: String,
    pub login_id: String,
    pub display_name: String,
    pub organisation: String,
    pub role: String,
    pub password_hash: String,
    pub disabled_at_ms: Option<i64>,
    pub created_at_ms: i64,
}

impl StaffRow {
    pub fn view(&self) -> Result<StaffView, sqlx::Error> {
        let corrupt = |w: &str| sqlx::Error::Decode(format!("staff.{w} is invalid").into());
        Ok(StaffView {
            id: self.id.parse().map_err(|_| corrupt("id"))?,
            login_id: self.login_id.clone(),
            display_name: self.display_name.clone(),
            organisation: Organisation::from_code(&self.organisation)
                .ok_or_else(|| corrupt("organisation"))?,
            role: Role::from_code(&self.role).ok_or_else(|| corrupt("role"))?,
            disabled: self.disabled_at_ms.is_some(),
            created_at_ms: self.created_at_ms,
        })
    }
}

const COLUMNS: &str =
    "id, login_id, display_name, organisation, role, password_hash, disabled_at_ms, created_at_ms";

pub async fn by_login_id(
    db: impl Exec<'_>,
    login_id: &str,
) -> Result<Option<StaffRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM staff WHERE login_id = $1"))
        .bind(login_id)
        .fetch_optional(db)
        .await
}

pub async fn by_id(db: impl Exec<'_>, id: StaffId) -> Result<Option<StaffRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM staff WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await
}

pub async fn all(db: impl Exec<'_>) -> Result<Vec<StaffRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM staff ORDER BY organisation, login_id"
    ))
    .fetch_all(db)
    .await
}

/// Inserts an account; `false` when the login id is taken.
pub async fn insert(
    conn: &mut Conn,
    id: StaffId,
    staff: &NewStaff,
    password_hash: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO staff (id, login_id, display_name, organisation, role, password_hash, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (login_id) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(&staff.login_id)
    .bind(&staff.display_name)
    .bind(staff.organisation.code())
    .bind(staff.role.code())
    .bind(password_hash)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_disabled(
    conn: &mut Conn,
    id: StaffId,
    at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE staff SET disabled_at_ms = $1 WHERE id = $2")
        .bind(at)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password(conn: &mut Conn, id: StaffId, hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_role(conn: &mut Conn, id: StaffId, role: Role) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE staff SET role = $1 WHERE id = $2")
        .bind(role.code())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count_admins(db: impl Exec<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = 'admin' AND disabled_at_ms IS NULL")
        .fetch_one(db)
        .await
}

pub async fn insert_session(
    conn: &mut Conn,
    token_hash: &str,
    staff: StaffId,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, staff_id, created_at_ms, last_seen_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(staff.to_string())
    .bind(now_ms)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn revoke_session(
    conn: &mut Conn,
    token_hash: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET revoked_at_ms = $1 WHERE token_hash = $2 AND revoked_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(token_hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends every session of an account (disabled, or its password reset).
pub async fn revoke_all_sessions(
    conn: &mut Conn,
    staff: StaffId,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET revoked_at_ms = $1 WHERE staff_id = $2 AND revoked_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(staff.to_string())
    .execute(&mut *conn)
    .await?;
    // Their devices' stores no longer open online: the old password is needed.
    sqlx::query("DELETE FROM device_keys WHERE staff_id = $1")
        .bind(staff.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A live session (not revoked, its account not disabled) with its staff member.
#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub staff_id: String,
    pub login_id: String,
    pub display_name: String,
    pub organisation: String,
    pub role: String,
    pub created_at_ms: i64,
    pub last_seen_ms: i64,
}

pub async fn session(
    db: impl Exec<'_>,
    token_hash: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.staff_id, st.login_id, st.display_name, st.organisation, st.role,
                s.created_at_ms, s.last_seen_ms
         FROM sessions s JOIN staff st ON st.id = s.staff_id
         WHERE s.token_hash = $1 AND s.revoked_at_ms IS NULL AND st.disabled_at_ms IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

/// Notes that a session was used now.
pub async fn touch_session(
    db: impl Exec<'_>,
    token_hash: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
        .bind(now_ms)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}
