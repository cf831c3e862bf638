//! Rows of the sync engine, whatever the record kind: replicas and their counters, what each
//! mutation number carried and how it was answered, records' merge state and sequence,
//! conflicts, what was sent to whom, the database's epoch. The read tables each kind is
//! projected into are written by that kind's store module (`people`, `fairs`).

use std::collections::HashMap;

use crate::store::Conn;
use app::domain::access::Organisation;
use app::sync::merge::RecordState;
use app::sync::wire::RecordKind;

pub fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("{what} is invalid").into())
}

/// A replica that has pushed before: its owner, its last mutation number, and whether its
/// next push may continue from the number it sends (after a restore, see `new_epoch`).
pub struct ReplicaRow {
    pub actor: String,
    pub last_seq: u64,
    pub rebase: bool,
}

pub async fn replica(conn: &mut Conn, id: &str) -> Result<Option<ReplicaRow>, sqlx::Error> {
    let row: Option<(String, i64, crate::store::sql::Flag)> =
        sqlx::query_as("SELECT actor, last_seq, rebase FROM sync_replicas WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(actor, last, rebase)| ReplicaRow {
        actor,
        last_seq: last as u64,
        rebase: rebase.0,
    }))
}

pub async fn save_replica(
    conn: &mut Conn,
    id: &str,
    actor: &str,
    last_seq: u64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sync_replicas (id, actor, last_seq, created_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq,
                                        updated_at_ms = excluded.updated_at_ms, rebase = 0",
    )
    .bind(id)
    .bind(actor)
    .bind(last_seq as i64)
    .bind(now_ms)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What a replica's mutation number carried and how it was answered, if it was dealt with:
/// (digest of its content, the answer when it was more than "applied, no conflict").
pub async fn outcome(
    conn: &mut Conn,
    replica: &str,
    seq: u64,
) -> Result<Option<(Option<Vec<u8>>, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT digest, result FROM sync_outcomes WHERE replica_id = $1 AND seq = $2")
        .bind(replica)
        .bind(seq as i64)
        .fetch_optional(&mut *conn)
        .await
}

/// One mutation number dealt with: the replica, the number, its content's digest and the
/// answer when it was more than "applied, no conflict".
pub type Outcome = (String, u64, [u8; 16], Option<String>);

/// Remembers mutation numbers dealt with, many rows per statement.
pub async fn save_outcomes(conn: &mut Conn, outcomes: &[Outcome]) -> Result<(), sqlx::Error> {
    for chunk in outcomes.chunks(200) {
        let mut query = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            "INSERT INTO sync_outcomes (replica_id, seq, digest, result) ",
        );
        query.values(chunk, |b, (replica, seq, digest, result)| {
            b.bind(replica)
                .bind(*seq as i64)
                .bind(&digest[..])
                .bind(result);
        });
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Where the database's sequence stands, as a pull compares cursors with it: its identity
/// (made by the migration that introduced it) and the highest number given out.
pub async fn position(conn: &mut Conn) -> Result<(String, u64), sqlx::Error> {
    let (epoch, last): (String, i64) =
        sqlx::query_as("SELECT epoch, last_seq FROM sync_epoch WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    Ok((epoch, last as u64))
}

/// Gives the database a new identity: every device's next pull is a full pull, and its next
/// push continues from the number it sends (after a backup was restored, positions and
/// numbers devices hold no longer mean what they did).
pub async fn new_epoch(conn: &mut Conn) -> Result<String, sqlx::Error> {
    sqlx::query("UPDATE sync_replicas SET rebase = 1")
        .execute(&mut *conn)
        .await?;
    let epoch = hex::encode(rand::random::<[u8; 16]>());
    sqlx::query_scalar("UPDATE sync_epoch SET epoch = $1 WHERE id = 1 RETURNING epoch")
        .bind(epoch)
        .fetch_one(&mut *conn)
        .await
}

/// A record's merge state and scope.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    pub id: String,
    pub kind: RecordKind,
    pub state: RecordState,
    pub owner_org: Organisation,
    pub person_id: Option<String>,
    pub event_id: Option<String>,
    pub seq: u64,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: String,
    kind: String,
    #[sqlx(try_from = "crate::store::sql::Bytes")]
    state: Vec<u8>,
    owner_org: String,
    person_id: Option<String>,
    event_id: Option<String>,
    seq: i64,
}

impl RecordRow {
    fn into_record(self) -> Result<StoredRecord, sqlx::Error> {
        Ok(StoredRecord {
            kind: RecordKind::from_code(&self.kind).ok_or_else(|| corrupt("sync_records.kind"))?,
            state: decode_state(&self.state)?,
            owner_org: Organisation::from_code(&self.owner_org)
                .ok_or_else(|| corrupt("sync_records.owner_org"))?,
            id: self.id,
            person_id: self.person_id,
            event_id: self.event_id,
            seq: self.seq as u64,
        })
    }
}

/// A record's state as stored: MessagePack with structs as arrays (field names once per field,
/// stamps as three integers) — about a quarter of the JSON it replaced. Rows written as JSON
/// (before, or by the SQL that adopts older rows) are still read.
pub fn encode_state(state: &RecordState) -> Result<Vec<u8>, sqlx::Error> {
    rmp_serde::to_vec(state).map_err(|e| sqlx::Error::Encode(e.into()))
}

pub fn decode_state(stored: &[u8]) -> Result<RecordState, sqlx::Error> {
    let state = match stored.first() {
        Some(b'{') => serde_json::from_slice(stored).ok(),
        _ => rmp_serde::from_slice(stored).ok(),
    };
    state.ok_or_else(|| corrupt("sync_records.state"))
}

const RECORD_COLUMNS: &str = "id, kind, state, owner_org, person_id, event_id, seq";

pub async fn record(conn: &mut Conn, id: &str) -> Result<Option<StoredRecord>, sqlx::Error> {
    let row: Option<RecordRow> = sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM sync_records WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(RecordRow::into_record).transpose()
}

/// Every record of one kind (for the few kinds read whole: success stories for the report).
pub async fn of_kind(conn: &mut Conn, kind: RecordKind) -> Result<Vec<StoredRecord>, sqlx::Error> {
    let rows: Vec<RecordRow> = sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM sync_records WHERE kind = $1 ORDER BY seq"
    ))
    .bind(kind.code())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(RecordRow::into_record).collect()
}

/// The records with these ids (those that exist), read in chunks.
pub async fn records(
    conn: &mut Conn,
    ids: &[&str],
) -> Result<HashMap<String, StoredRecord>, sqlx::Error> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut query = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            format!("SELECT {RECORD_COLUMNS} FROM sync_records WHERE id IN ("),
        );
        query.list(chunk.iter().copied()).push(")");
        let rows: Vec<RecordRow> = query.build_as().fetch_all(&mut *conn).await?;
        for row in rows {
            let record = row.into_record()?;
            found.insert(record.id.clone(), record);
        }
    }
    Ok(found)
}

/// Writes records' new states, many rows per statement.
pub async fn save_records(
    conn: &mut Conn,
    records: &[&StoredRecord],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    for chunk in records.chunks(100) {
        let mut states = Vec::with_capacity(chunk.len());
        for r in chunk {
            states.push(encode_state(&r.state)?);
        }
        let mut query = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            "INSERT INTO sync_records (id, kind, state, owner_org, person_id, event_id, seq, \
             updated_at_ms) ",
        );
        query.values(chunk.iter().zip(states), |b, (r, state)| {
            b.bind(&r.id)
                .bind(r.kind.code())
                .bind(state)
                .bind(r.owner_org.code())
                .bind(&r.person_id)
                .bind(&r.event_id)
                .bind(r.seq as i64)
                .bind(now_ms);
        });
        query.push(
            " ON CONFLICT (id) DO UPDATE SET state = excluded.state, seq = excluded.seq, \
             updated_at_ms = excluded.updated_at_ms, owner_org = excluded.owner_org, \
             person_id = excluded.person_id, event_id = excluded.event_id",
        );
        query.build().execute(&mut *conn).await?;
    }
    if let Some(top) = records.iter().map(|r| r.seq).max() {
        numbered_up_to(conn, top).await?;
    }
    Ok(())
}

/// Records changed after `after`, in sequence order; only one fair's (by the `event_id`
/// index) for a fair tablet, so it never scans a city's caseload.
pub async fn changed_after(
    conn: &mut Conn,
    after: u64,
    limit: u32,
    event: Option<&str>,
) -> Result<Vec<StoredRecord>, sqlx::Error> {
    let sql = match event {
        Some(_) => format!(
            "SELECT {RECORD_COLUMNS} FROM sync_records WHERE event_id = $3 AND seq > $1
             ORDER BY seq LIMIT $2"
        ),
        None => format!(
            "SELECT {RECORD_COLUMNS} FROM sync_records WHERE seq > $1 ORDER BY seq LIMIT $2"
        ),
    };
    let mut query = sqlx::query_as::<_, RecordRow>(&sql)
        .bind(after as i64)
        .bind(i64::from(limit));
    if let Some(event) = event {
        query = query.bind(event);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.into_iter().map(RecordRow::into_record).collect()
}

pub async fn count_after(
    conn: &mut Conn,
    after: u64,
    event: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let n: i64 = match event {
        Some(event) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM sync_records WHERE event_id = $1 AND seq > $2")
                .bind(event)
                .bind(after as i64)
                .fetch_one(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT COUNT(*) FROM sync_records WHERE seq > $1")
                .bind(after as i64)
                .fetch_one(&mut *conn)
                .await?
        }
    };
    Ok(n as u64)
}

/// The highest sequence number given out, taken by a writing transaction: the counter row
/// stays with it until it commits (a second writer waits), so numbers commit in order.
pub async fn claim_seq(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "UPDATE sync_epoch SET last_seq = last_seq WHERE id = 1 RETURNING last_seq",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(n as u64)
}

/// Moves the counter to `seq` when records were numbered up to it.
async fn numbered_up_to(conn: &mut Conn, seq: u64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sync_epoch SET last_seq = $1 WHERE id = 1 AND last_seq < $1")
        .bind(seq as i64)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Keeps a new record under sequence number `seq`; `false` (and nothing written) when its id is
/// already taken, by a record of any kind or owner: a new record never replaces another.
pub async fn insert_record(
    conn: &mut Conn,
    record: &StoredRecord,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let state = encode_state(&record.state)?;
    let inserted = sqlx::query(
        "INSERT INTO sync_records (id, kind, state, owner_org, person_id, event_id, seq,
                                   updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&record.id)
    .bind(record.kind.code())
    .bind(state)
    .bind(record.owner_org.code())
    .bind(&record.person_id)
    .bind(&record.event_id)
    .bind(record.seq as i64)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        numbered_up_to(conn, record.seq).await?;
    }
    Ok(inserted)
}

/// The records about a person (the person and their notes), to send again after a consent
/// change: they get new sequence numbers starting after `last`. Returns the new last number.
pub async fn touch_person(conn: &mut Conn, person_id: &str, last: u64) -> Result<u64, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM sync_records
             WHERE (id = $1 AND kind = 'person') OR (person_id = $1 AND kind <> 'person')
             ORDER BY seq",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?;
    resequence(conn, ids, last).await
}

/// Gives these records new sequence numbers after `last`, in order, so the next pulls send
/// (and judge) them again; the new last number.
pub async fn resequence(
    conn: &mut Conn,
    ids: impl IntoIterator<Item = String>,
    mut last: u64,
) -> Result<u64, sqlx::Error> {
    for id in ids {
        last += 1;
        sqlx::query("UPDATE sync_records SET seq = $1 WHERE id = $2")
            .bind(last as i64)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    numbered_up_to(conn, last).await?;
    Ok(last)
}

/// The ids of the records of `kind` about a person (their case entries of that kind).
pub async fn ids_about(
    conn: &mut Conn,
    person_id: &str,
    kind: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM sync_records WHERE person_id = $1 AND kind = $2")
        .bind(person_id)
        .bind(kind)
        .fetch_all(&mut *conn)
        .await
}

/// Which of these records were sent to `holder` (a staff member's devices) and not yet
/// taken back.
pub async fn sent_among(
    conn: &mut Conn,
    holder: &str,
    ids: &[&str],
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let mut query = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            "SELECT record_id FROM sync_sent WHERE holder = ",
        );
        query.bind(holder).push(" AND record_id IN (");
        query.list(chunk.iter().copied()).push(")");
        let rows: Vec<String> = query.build_scalar().fetch_all(&mut *conn).await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Remembers that these records were sent to `holder`.
pub async fn mark_sent(conn: &mut Conn, holder: &str, ids: &[String]) -> Result<(), sqlx::Error> {
    for chunk in ids.chunks(400) {
        let mut insert = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            "INSERT INTO sync_sent (holder, record_id) ",
        );
        insert.values(chunk, |b, id| {
            b.bind(holder).bind(id);
        });
        insert.push(" ON CONFLICT DO NOTHING");
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Marks a point in the transaction to undo to.
pub async fn savepoint(tx: &mut Conn, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("SAVEPOINT {name}"))
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// Forgets a savepoint (what was done since it stays).
pub async fn release(tx: &mut Conn, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("RELEASE {name}"))
        .execute(&mut *tx)
        .await
        .map(|_| ())
}

/// Undoes what was done since the savepoint (which stays open: release it after).
pub async fn rollback_to(tx: &mut Conn, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("ROLLBACK TO {name}"))
        .execute(&mut *tx)
        .await
        .map(|_| ())
}
