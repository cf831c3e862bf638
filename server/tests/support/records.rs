//! The engine's records as JSON, for tests that recompute the read tables with SQL: record
//! state is stored compactly (MessagePack), so the rows are decoded with the server's own
//! reader and written into a scratch table `records_as_json (id, kind, event_id, state)`.

use sqlx::SqlitePool;

pub async fn records_as_json(pool: &SqlitePool) {
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
        "CREATE TABLE records_as_json (id TEXT PRIMARY KEY, kind TEXT, event_id TEXT, state TEXT)",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    for (id, kind, event_id, state) in rows {
        let state = renkei_server::store::sync::decode_state(&state).unwrap();
        sqlx::query("INSERT INTO records_as_json VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(kind)
            .bind(event_id)
            .bind(serde_json::to_string(&state).unwrap())
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}
