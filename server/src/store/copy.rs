//! Copying a whole database into another of the other kind (`server migrate-to`): every table,
//! every row, every column as stored — ids, sequence numbers, audit entries and their hashes —
//! so devices' cursors and the audit chain mean the same afterwards.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::any::AnyRow;
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::store::sql::Sql;
use crate::store::{Backend, Conn, backend};

/// Rows per INSERT (well under both backends' bound-parameter limits).
const CHUNK: usize = 200;

/// The application's tables of a database, parents before the tables that refer to them.
pub async fn tables_in_order(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    let edges: Vec<(String, String)> = match backend(conn) {
        Backend::Sqlite => {
            sqlx::query_as(
                "SELECT m.name, COALESCE(f.\"table\", '') FROM sqlite_master m
                 LEFT JOIN pragma_foreign_key_list(m.name) f ON TRUE
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
                   AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(&mut *conn)
            .await?
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT c.relname::text, COALESCE(p.relname::text, '')
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'f'
                 LEFT JOIN pg_class p ON p.oid = k.confrelid
                 WHERE c.relkind = 'r' AND n.nspname = current_schema()
                   AND c.relname <> '_sqlx_migrations'",
            )
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (table, parent) in edges {
        let entry = parents.entry(table.clone()).or_default();
        if !parent.is_empty() && parent != table {
            entry.insert(parent);
        }
    }
    let mut order = Vec::new();
    while !parents.is_empty() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(_, p)| p.iter().all(|p| !parents.contains_key(p)))
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            return Err(sqlx::Error::Protocol(
                "tables refer to each other in a cycle".into(),
            ));
        }
        for t in &ready {
            parents.remove(t);
        }
        order.extend(ready);
    }
    Ok(order)
}

/// How many rows a table holds.
pub async fn count(conn: &mut Conn, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&mut *conn)
        .await
}

/// Removes every row of `table`.
pub async fn empty(conn: &mut Conn, table: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM {table}"))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// The columns of `table` the target stores as bytes (text from the source goes in as its
/// UTF-8 bytes: record state written as JSON text by older versions).
async fn byte_columns(conn: &mut Conn, table: &str) -> Result<BTreeSet<String>, sqlx::Error> {
    let names: Vec<String> = match backend(conn) {
        Backend::Sqlite => {
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1) WHERE type = 'BLOB'")
                .bind(table)
                .fetch_all(&mut *conn)
                .await?
        }
        Backend::Postgres => {
            sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1
                   AND data_type = 'bytea'",
            )
            .bind(table)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    Ok(names.into_iter().collect())
}

/// One stored value, as the `Any` driver can carry it.
enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

fn value(row: &AnyRow, i: usize) -> Result<Value, sqlx::Error> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_ascii_uppercase();
    Ok(match kind.as_str() {
        "BIGINT" | "INTEGER" | "SMALLINT" => Value::Int(row.try_get(i)?),
        "DOUBLE" | "REAL" => Value::Real(row.try_get(i)?),
        "BLOB" => Value::Bytes(row.try_get(i)?),
        "BOOLEAN" => Value::Int(i64::from(row.try_get::<bool, _>(i)?)),
        _ => Value::Text(row.try_get(i)?),
    })
}

/// Copies every row of `table` from `from` into the same table of `to` (which must exist,
/// empty), streaming (a city's audit trail may be millions of rows) in statements of
/// [`CHUNK`] rows. Returns how many rows were copied.
pub async fn copy_table(from: &mut Conn, to: &mut Conn, table: &str) -> Result<u64, sqlx::Error> {
    use futures_util::TryStreamExt;
    let bytes = byte_columns(to, table).await?;
    let select = format!("SELECT * FROM {table}");
    let mut rows = sqlx::query(&select).fetch(&mut *from);
    let mut columns: Vec<String> = Vec::new();
    let mut chunk: Vec<Vec<Value>> = Vec::with_capacity(CHUNK);
    let mut copied = 0;
    while let Some(row) = rows.try_next().await? {
        if columns.is_empty() {
            columns = row.columns().iter().map(|c| c.name().to_owned()).collect();
        }
        let mut one = Vec::with_capacity(columns.len());
        for (i, name) in columns.iter().enumerate() {
            one.push(match value(&row, i)? {
                Value::Text(t) if bytes.contains(name) => Value::Bytes(t.into_bytes()),
                v => v,
            });
        }
        chunk.push(one);
        if chunk.len() == CHUNK {
            copied += insert(to, table, &columns, std::mem::take(&mut chunk)).await?;
        }
    }
    if !chunk.is_empty() {
        copied += insert(to, table, &columns, chunk).await?;
    }
    Ok(copied)
}

async fn insert(
    to: &mut Conn,
    table: &str,
    columns: &[String],
    rows: Vec<Vec<Value>>,
) -> Result<u64, sqlx::Error> {
    let count = rows.len() as u64;
    let mut insert = Sql::new(
        backend(to),
        format!("INSERT INTO {table} ({}) ", columns.join(", ")),
    );
    insert.values(rows, |b, row| {
        for v in row {
            match v {
                Value::Null => b.push("NULL"),
                Value::Int(n) => b.bind(n),
                Value::Real(r) => b.bind(r),
                Value::Text(t) => b.bind(t),
                Value::Bytes(x) => b.bind(x),
            };
        }
    });
    insert.build().execute(&mut *to).await?;
    Ok(count)
}

/// After rows were copied with their ids: PostgreSQL's identity columns continue after the
/// highest id copied (SQLite's rowids do so by themselves).
pub async fn continue_identities(conn: &mut Conn) -> Result<(), sqlx::Error> {
    if backend(conn) != Backend::Postgres {
        return Ok(());
    }
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column) in identities {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                           COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
