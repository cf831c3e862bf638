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
pub mod casework;
pub mod conflicts;
pub mod copy;
pub mod demo;
pub mod device_keys;
pub mod devices;
pub mod events;
pub mod fairs;
pub mod people;
pub mod registrations;
pub mod reports;
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

/// A failure that passes by itself: another writer held a lock, PostgreSQL chose this
/// transaction as a deadlock or serialisation victim, no connection was free in time, the
/// database restarted or the connection broke. The caller answers "busy, try again" (503 with
/// `Retry-After`; devices retry by themselves), never 500.
pub fn transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => d.code().is_some_and(|c| transient_code(&c)),
        _ => false,
    }
}

fn transient_code(code: &str) -> bool {
    if code.len() == 5 {
        // PostgreSQL's SQLSTATE: serialization_failure, deadlock_detected, lock_not_available
        // (lock_timeout), query_canceled, the server shutting down or restarting, too many
        // connections, connection failures.
        return matches!(
            code,
            "40001" | "40P01" | "55P03" | "57014" | "57P01" | "57P02" | "57P03" | "53300"
        ) || code.starts_with("08");
    }
    // SQLite's (extended) result code: SQLITE_BUSY, SQLITE_LOCKED and their variants.
    code.parse::<i32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
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
        // Read committed whatever the database's default: each statement after the lock sees
        // what the previous writer committed (a snapshot taken before the wait would not).
        sqlx::query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            .execute(&mut *tx)
            .await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::transient_code;

    #[test]
    fn lock_and_restart_failures_pass_by_themselves_constraints_do_not() {
        for code in [
            "40001", "40P01", "55P03", "57P01", "08006", "5", "6", "517", "261",
        ] {
            assert!(transient_code(code), "{code}");
        }
        for code in [
            "23505", "23514", "22001", "P0001", "42P01", "19", "2067", "1299", "13",
        ] {
            assert!(!transient_code(code), "{code}");
        }
    }
}
