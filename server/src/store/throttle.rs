//! Sign-in and enrolment failures and trusted addresses, shared by every server of a database
//! (the rules are `auth::throttle`'s).

use crate::store::sql::Sql;
use crate::store::{Conn, Exec, Pool, backend, pool_backend};

/// Failures under these keys since `since_ms`, as `(key, at_ms)`.
pub async fn failures(
    db: &Pool,
    keys: &[&str],
    since_ms: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = Sql::new(
        pool_backend(db),
        "SELECT key, at_ms FROM throttle_failures WHERE at_ms >= ",
    );
    query.bind(since_ms).push(" AND key IN (");
    query.list(keys.iter().copied()).push(")");
    query.build_as().fetch_all(db).await
}

/// Records one failure under each key, and forgets failures older than `forget_before_ms`.
pub async fn add_failures(
    conn: &mut Conn,
    keys: &[&str],
    at_ms: i64,
    forget_before_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle_failures WHERE at_ms < $1")
        .bind(forget_before_ms)
        .execute(&mut *conn)
        .await?;
    if keys.is_empty() {
        return Ok(());
    }
    let mut insert = Sql::new(backend(conn), "INSERT INTO throttle_failures (key, at_ms) ");
    insert.values(keys, |row, key| {
        row.bind(*key).bind(at_ms);
    });
    insert.build().execute(&mut *conn).await?;
    Ok(())
}

/// Forgets the failures under these keys (a success cleared them).
pub async fn clear(conn: &mut Conn, keys: &[&str]) -> Result<(), sqlx::Error> {
    if keys.is_empty() {
        return Ok(());
    }
    let mut delete = Sql::new(
        backend(conn),
        "DELETE FROM throttle_failures WHERE key IN (",
    );
    delete.list(keys.iter().copied()).push(")");
    delete.build().execute(&mut *conn).await?;
    Ok(())
}

/// Whether `address` signed in to `account` and is trusted until after `now_ms`.
pub async fn trusted(
    db: impl Exec<'_>,
    account: &str,
    address: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM throttle_trusted WHERE account = $1 AND address = $2 AND until_ms > $3",
    )
    .bind(account)
    .bind(address)
    .bind(now_ms)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Trusts `address` for `account` until `until_ms`; forgets what expired by `now_ms`.
pub async fn trust(
    conn: &mut Conn,
    account: &str,
    address: &str,
    now_ms: i64,
    until_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle_trusted WHERE until_ms <= $1")
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO throttle_trusted (account, address, until_ms) VALUES ($1, $2, $3)
         ON CONFLICT (account, address) DO UPDATE SET until_ms = excluded.until_ms",
    )
    .bind(account)
    .bind(address)
    .bind(until_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
