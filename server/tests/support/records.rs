//! The engine's records as JSON, for tests that recompute the read tables with SQL: record
//! state is stored compactly (MessagePack), so the rows are decoded with the server's own
//! reader and written into a scratch table `records_as_json (id, kind, event_id, state,
//! deleted, checked_in, participant_id)` — the last three read from the state here, so the
//! tests' SQL is the same on SQLite and PostgreSQL.

use renkei_server::store::Pool;

pub async fn records_as_json(pool: &Pool) {
    let rows: Vec<(String, String, Option<String>, Vec<u8>)> =
        sqlx::query_as("SELECT id, kind, event_id, state FROM sync_records")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("DROP TABLE IF EXISTS records_as_json")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE records_as_json (id TEXT PRIMARY KEY, kind TEXT, event_id TEXT, state TEXT,
                                       deleted BIGINT, checked_in BIGINT, participant_id TEXT)",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    for (id, kind, event_id, state) in rows {
        let state = renkei_server::store::sync::decode_state(&state).unwrap();
        let json = serde_json::to_value(&state).unwrap();
        let value = |field: &str| json["fields"][field]["value"].clone();
        sqlx::query("INSERT INTO records_as_json VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(kind)
            .bind(event_id)
            .bind(json.to_string())
            .bind(i64::from(state.deleted.is_some()))
            .bind(i64::from(
                value("checked_in") == serde_json::Value::Bool(true),
            ))
            .bind(value("participant_id").as_str().map(str::to_owned))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}
