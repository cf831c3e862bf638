//! Reading the audit log for administrators: filtered, newest first, in pages.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

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
    db: &SqlitePool,
    filter: &Filter,
    before: i64,
    limit: i64,
) -> Result<Vec<Row>, sqlx::Error> {
    let mut q = QueryBuilder::<Sqlite>::new("SELECT seq, at_ms, actor, action, subject_kind, ");
    // Looking for one record: a many-record read that names it shows it as its subject.
    match &filter.subject {
        Some(subject) => q.push("COALESCE(subject_id, ").push_bind(subject).push(")"),
        None => q.push("subject_id"),
    };
    q.push(" AS subject_id, outcome, detail FROM audit_log WHERE seq < ");
    q.push_bind(before);
    if let Some(actor) = &filter.actor {
        q.push(" AND actor = ").push_bind(actor);
    }
    if let Some(subject) = &filter.subject {
        // The entry about this record, or a many-record read (a pull page) that names it.
        q.push(" AND (subject_id = ")
            .push_bind(subject)
            .push(" OR seq IN (SELECT audit_seq FROM audit_reads WHERE subject_id = ")
            .push_bind(subject)
            .push("))");
    }
    if let Some(action) = &filter.action {
        q.push(" AND action = ").push_bind(action);
    }
    if let Some(outcome) = &filter.outcome {
        q.push(" AND outcome = ").push_bind(outcome);
    }
    if let Some(from) = filter.from_ms {
        q.push(" AND at_ms >= ").push_bind(from);
    }
    if let Some(until) = filter.until_ms {
        q.push(" AND at_ms < ").push_bind(until);
    }
    q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit);
    q.build_query_as().fetch_all(db).await
}

/// Names for actors: `staff:<id>` → display name, `device:<id>` → label.
pub async fn actor_names(
    db: &SqlitePool,
) -> Result<std::collections::HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT 'staff:' || id, display_name FROM staff
         UNION ALL SELECT 'device:' || id, label FROM devices",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}
