//! The storage layer: SQL and row mapping, nothing else. Rules live in `service`.
//!
//! One set of SQL for both backends, through sqlx's `Any` driver: SQLite (the embedded default)
//! and PostgreSQL (several app servers over one database). Placeholders are `$1, $2 …`, which
//! both accept; the few statements the two dialects write differently ask [`backend`].
//! Integers are read as `i64` and flags as 0/1 integers on both (the migrations declare them
//! so), because the `Any` driver reads a SQLite integer as an integer, never as a boolean.
//!
//! Errors here are `sqlx::Error`; the service layer decides what they mean.

pub mod adopt;
pub mod audit_log;
pub mod copy;
pub mod demo;
pub mod device_keys;
pub mod devices;
pub mod events;
pub mod fair_report;
pub mod fairs;
pub mod people;
pub mod registrations;
pub mod sql;
pub mod staff;
pub mod sync;
pub mod throttle;

/// A pool of connections to either backend.
pub type Pool = sqlx::AnyPool;
/// One connection (or a transaction, which dereferences to one).
pub type Conn = sqlx::AnyConnection;

/// Which database a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backend behind a connection.
pub fn backend(conn: &Conn) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// The backend a pool was opened on.
pub fn pool_backend(db: &Pool) -> Backend {
    let url = &db.connect_options().database_url;
    if url.scheme().starts_with("postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Server time now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Whether the database answers.
pub async fn ping(db: &Pool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(db).await.map(|_| ())
}

/// Something a statement runs on: a pool, a connection or a transaction.
pub trait Exec<'c>: sqlx::Executor<'c, Database = sqlx::Any> {}
impl<'c, T: sqlx::Executor<'c, Database = sqlx::Any>> Exec<'c> for T {}

/// The key of the lock every writing transaction holds on PostgreSQL ("renkei" in ASCII).
const WRITE_LOCK: i64 = 0x72_65_6e_6b_65_69;

/// Begins a writing transaction. One writer at a time for the whole database, whichever
/// server it runs on: SQLite has one writer by design; on PostgreSQL every writing transaction
/// first takes one transaction-scoped advisory lock (released at commit or rollback), so
/// several servers write one after the other as one server's queue does. What relies on it:
/// the audit chain's head is read and extended without another entry slipping in between;
/// the sequence numbers a transaction takes commit in their order (a pull never passes a
/// number that commits later); enrolment, duplicate flags and every other check-then-act
/// hold across servers. Locks are always taken in the same order (this one first), so
/// writers never deadlock. Reads — pulls, lists, reports — take no lock and run in parallel.
pub async fn begin_write(db: &Pool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    let mut tx = db.begin().await?;
    if backend(&tx) == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}
