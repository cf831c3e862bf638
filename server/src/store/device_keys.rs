//! The server's keys for browser stores (see `app::client::vault`): one per staff member
//! (`device_keys`), one per fair tablet (`tablet_keys`), made at the first request.

use crate::store::Conn;

/// Whose key.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    Staff(&'a str),
    Tablet(&'a str),
}

impl Holder<'_> {
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Holder::Staff(_) => ("device_keys", "staff_id"),
            Holder::Tablet(_) => ("tablet_keys", "device_id"),
        }
    }
}

/// The holder's key, storing `fresh` if it has none yet.
pub async fn get_or_make(
    conn: &mut Conn,
    holder: Holder<'_>,
    fresh: &str,
    now_ms: i64,
) -> Result<String, sqlx::Error> {
    let (table, column) = holder.table();
    let id = match holder {
        Holder::Staff(id) | Holder::Tablet(id) => id,
    };
    sqlx::query(&format!(
        "INSERT INTO {table} ({column}, key, created_at_ms) VALUES ($1, $2, $3)
         ON CONFLICT ({column}) DO NOTHING"
    ))
    .bind(id)
    .bind(fresh)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar(&format!("SELECT key FROM {table} WHERE {column} = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await
}
