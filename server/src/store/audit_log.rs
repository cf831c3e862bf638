//! Rows of the audit log: appending the chained entries, reading the chain to verify it, and
//! the administrator's filtered view, newest first, in pages.

use crate::store::{Conn, Exec, Pool};

/// What to look for; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// `staff:<id>` or `device:<id>`.
    pub actor: Option<String>,
    /// A person's (or participant's, device's …) id.
    pub subject: Option<String>,
    pub action: Option<String>,
    /// `ok` or `denied`.
    pub outcome: Option<String>,
    /// Unix milliseconds, inclusive / exclusive.
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Option<String>,
    pub outcome: String,
    pub detail: String,
}

/// Up to `limit` entries matching `filter` with `seq < before`, newest first.
pub async fn entries(
    db: &Pool,
    filter: &Filter,
    before: i64,
    limit: i64,
) -> Result<Vec<Row>, sqlx::Error> {
    let mut q = crate::store::sql::Sql::new(
        crate::store::pool_backend(db),
        "SELECT seq, at_ms, actor, action, subject_kind, ",
    );
    // Looking for one record: a many-record read that names it shows it as its subject.
    match &filter.subject {
        Some(subject) => q.push("COALESCE(subject_id, ").bind(subject).push(")"),
        None => q.push("subject_id"),
    };
    q.push(" AS subject_id, outcome, detail FROM audit_log WHERE seq < ");
    q.bind(before);
    if let Some(actor) = &filter.actor {
        q.push(" AND actor = ").bind(actor);
    }
    if let Some(subject) = &filter.subject {
        // The entry about this record, or a many-record read (a pull page) that names it.
        q.push(" AND (subject_id = ")
            .bind(subject)
            .push(" OR seq IN (SELECT audit_seq FROM audit_reads WHERE subject_id = ")
            .bind(subject)
            .push("))");
    }
    if let Some(action) = &filter.action {
        q.push(" AND action = ").bind(action);
    }
    if let Some(outcome) = &filter.outcome {
        q.push(" AND outcome = ").bind(outcome);
    }
    if let Some(from) = filter.from_ms {
        q.push(" AND at_ms >= ").bind(from);
    }
    if let Some(until) = filter.until_ms {
        q.push(" AND at_ms < ").bind(until);
    }
    q.push(" ORDER BY seq DESC LIMIT ").bind(limit);
    q.build_as().fetch_all(db).await
}

/// Names for actors: `staff:<id>` → display name, `device:<id>` → label.
pub async fn actor_names(
    db: &Pool,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT 'staff:' || id, display_name FROM staff
         UNION ALL SELECT 'device:' || id, label FROM devices",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The newest entry's number and hash (the chain's head).
pub async fn head(db: impl Exec<'_>) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(db)
        .await
}

/// The hash of entry `seq`, if it exists.
pub async fn hash_at(db: &Pool, seq: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(seq)
        .fetch_optional(db)
        .await
}

/// An entry as appended, its hashes computed.
pub struct NewRow<'a> {
    pub at_ms: i64,
    pub actor: &'a str,
    pub device_id: Option<&'a str>,
    pub action: &'a str,
    pub subject_kind: &'a str,
    pub subject_id: Option<&'a str>,
    pub outcome: &'a str,
    pub detail: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Rows per INSERT (10 columns each; well under SQLite's bound-parameter limit).
const APPEND_CHUNK: usize = 200;

/// Appends entries in order, many rows per statement.
pub async fn insert(conn: &mut Conn, rows: &[NewRow<'_>]) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(APPEND_CHUNK) {
        let mut insert = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            "INSERT INTO audit_log (at_ms, actor, device_id, action, subject_kind, subject_id, \
             outcome, detail, prev_hash, hash) ",
        );
        insert.values(chunk, |b, r| {
            b.bind(r.at_ms)
                .bind(r.actor)
                .bind(r.device_id)
                .bind(r.action)
                .bind(r.subject_kind)
                .bind(r.subject_id)
                .bind(r.outcome)
                .bind(r.detail)
                .bind(r.prev_hash)
                .bind(r.hash);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Lists the records one entry (found by its hash among those after `after_seq`) read.
pub async fn insert_reads(
    conn: &mut Conn,
    ids: &[String],
    after_seq: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    let ids = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let sql = match crate::store::backend(conn) {
        crate::store::Backend::Sqlite => {
            "INSERT INTO audit_reads (subject_id, audit_seq)
             SELECT j.value, a.seq FROM json_each($1) j, audit_log a
             WHERE a.seq > $2 AND a.hash = $3"
        }
        crate::store::Backend::Postgres => {
            "INSERT INTO audit_reads (subject_id, audit_seq)
             SELECT j.value, a.seq FROM json_array_elements_text($1::json) AS j(value), audit_log a
             WHERE a.seq > $2 AND a.hash = $3"
        }
    };
    sqlx::query(sql)
        .bind(ids)
        .bind(after_seq)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One entry as stored, for verifying the chain.
#[derive(sqlx::FromRow)]
pub struct ChainRow {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub device_id: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Option<String>,
    pub outcome: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The whole chain, oldest first.
pub async fn chain(db: &Pool) -> Result<Vec<ChainRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT seq, at_ms, actor, device_id, action, subject_kind, subject_id, outcome, detail,
                prev_hash, hash
         FROM audit_log ORDER BY seq",
    )
    .fetch_all(db)
    .await
}

/// Every (entry, record) of the lists of reads, by entry then record.
pub async fn reads(db: &Pool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT audit_seq, subject_id FROM audit_reads ORDER BY audit_seq, subject_id")
        .fetch_all(db)
        .await
}
