//! Conflicts for staff: two edits of one field made concurrently (offline, on two devices),
//! with who made each side, on which device and when; and the nodes (the ids devices stamp
//! their edits with) the server has seen, each tied to the replica that first pushed it.

use crate::store::Conn;
use crate::store::sync::StoredRecord;
use app::sync::merge::Conflict;

/// A node as stored: the `u64` bit pattern in a signed 64-bit column.
fn stored(node: u64) -> i64 {
    node as i64
}

/// Remembers which replica uses each node; the first replica seen keeps it.
pub async fn save_nodes(
    conn: &mut Conn,
    nodes: &[u64],
    replica: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    for node in nodes {
        sqlx::query(
            "INSERT INTO sync_nodes (node, replica_id, first_seen_ms) VALUES ($1, $2, $3)
             ON CONFLICT (node) DO NOTHING",
        )
        .bind(stored(*node))
        .bind(replica)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The replica that first pushed edits stamped with `node`.
async fn replica_of(conn: &mut Conn, node: u64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT replica_id FROM sync_nodes WHERE node = $1")
        .bind(stored(node))
        .fetch_optional(&mut *conn)
        .await
}

async fn side_replica(
    conn: &mut Conn,
    stamp: app::sync::hlc::Hlc,
    incoming: app::sync::hlc::Hlc,
    pusher: Option<&str>,
) -> Result<Option<String>, sqlx::Error> {
    match pusher {
        Some(p) if stamp == incoming => Ok(Some(p.to_owned())),
        _ => replica_of(conn, stamp.node).await,
    }
}

/// Records a conflict. `pusher` is the replica whose push brought one side: the side stamped
/// `incoming`; the other side's replica is looked up by its node.
pub async fn insert_conflict(
    conn: &mut Conn,
    record: &StoredRecord,
    c: &Conflict,
    incoming: app::sync::hlc::Hlc,
    pusher: Option<&str>,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let kept_replica = side_replica(conn, c.kept.stamp, incoming, pusher).await?;
    let other_replica = side_replica(conn, c.other.stamp, incoming, pusher).await?;
    sqlx::query(
        "INSERT INTO sync_conflicts (record_id, kind, field, kept, other, detected_at_ms,
             kept_replica, kept_at_ms, other_replica, other_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&record.id)
    .bind(record.kind.code())
    .bind(&c.field)
    .bind(c.kept.value.to_string())
    .bind(c.other.value.to_string())
    .bind(now_ms)
    .bind(kept_replica)
    .bind(c.kept.stamp.wall_ms as i64)
    .bind(other_replica)
    .bind(c.other.stamp.wall_ms as i64)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One side of a conflict: the replica and its actor, and when the edit was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub replica: String,
    pub actor: String,
    pub at_ms: i64,
}

#[derive(Debug, Clone)]
pub struct ConflictRow {
    pub id: i64,
    pub record_id: String,
    pub kind: String,
    pub field: String,
    pub kept: String,
    pub other: String,
    pub detected_at_ms: i64,
    pub kept_by: Option<Side>,
    pub other_by: Option<Side>,
}

type Joined = (
    (i64, String, String, String, String, String, i64),
    (Option<i64>, Option<String>, Option<String>),
    (Option<i64>, Option<String>, Option<String>),
);

fn side((at, replica, actor): (Option<i64>, Option<String>, Option<String>)) -> Option<Side> {
    Some(Side {
        at_ms: at?,
        replica: replica?,
        actor: actor?,
    })
}

/// Open conflicts (or the one `only`), oldest first, with both sides where known (conflicts
/// recorded before sides were kept have none).
pub async fn open_conflicts(
    conn: &mut Conn,
    only: Option<i64>,
) -> Result<Vec<ConflictRow>, sqlx::Error> {
    let rows: Vec<sqlx::any::AnyRow> = sqlx::query(
        "SELECT c.id, c.record_id, c.kind, c.field, c.kept, c.other, c.detected_at_ms,
                c.kept_at_ms, c.kept_replica, k.actor, c.other_at_ms, c.other_replica, o.actor
         FROM sync_conflicts c
         LEFT JOIN sync_replicas k ON k.id = c.kept_replica
         LEFT JOIN sync_replicas o ON o.id = c.other_replica
         WHERE c.resolved_at_ms IS NULL AND ($1 IS NULL OR c.id = $2) ORDER BY c.id",
    )
    .bind(only)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            use sqlx::Row;
            let j: Joined = (
                (
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                    r.try_get(5)?,
                    r.try_get(6)?,
                ),
                (r.try_get(7)?, r.try_get(8)?, r.try_get(9)?),
                (r.try_get(10)?, r.try_get(11)?, r.try_get(12)?),
            );
            let (c, kept, other) = j;
            Ok(ConflictRow {
                id: c.0,
                record_id: c.1,
                kind: c.2,
                field: c.3,
                kept: c.4,
                other: c.5,
                detected_at_ms: c.6,
                kept_by: side(kept),
                other_by: side(other),
            })
        })
        .collect()
}

/// Closes every open conflict on this field of the record (a resolution settles them all).
pub async fn resolve_conflicts(
    conn: &mut Conn,
    record_id: &str,
    field: &str,
    by: &str,
    choice: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_conflicts SET resolved_at_ms = $1, resolved_by = $2, resolution = $3
         WHERE record_id = $4 AND field = $5 AND resolved_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(by)
    .bind(choice)
    .bind(record_id)
    .bind(field)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
