//! `server migrate-to URL`: moves a city's database into another one of the other kind —
//! typically its SQLite file into PostgreSQL when the corner joins a shared centre. Every row
//! is copied as stored (ids, sequence numbers, the audit chain with its hashes), in one
//! transaction on the target, which must be new (only what its migrations made). Devices'
//! cursors and the audit checkpoints stay valid: after the move, `verify-audit` on the target
//! with the same key and anchors files says the chain is intact.

use crate::db::{self, Database, DbError};
use crate::store;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the target is the source")]
    SameDatabase,
    #[error(transparent)]
    Open(#[from] DbError),
    #[error("the target database already holds data (table {0}): give a new, empty database")]
    NotEmpty(String),
    #[error("copying failed, nothing was written to the target: {0}")]
    Copy(#[from] sqlx::Error),
    #[error("table {table}: {source_rows} rows in the source, {target_rows} in the target")]
    Mismatch {
        table: String,
        source_rows: i64,
        target_rows: i64,
    },
}

/// Tables the target's migrations fill themselves (replaced by the source's rows).
const MADE_BY_MIGRATIONS: &[&str] = &["sync_epoch"];

/// Copies `source` into `target`; returns each table with its number of rows.
pub async fn migrate_to(
    source: &Database,
    target: &Database,
) -> Result<Vec<(String, i64)>, MigrateError> {
    if source == target {
        return Err(MigrateError::SameDatabase);
    }
    let from = db::open(source).await?;
    let to = db::open(target).await?;
    // Rows an older version wrote without sync records become records first, as at start.
    store::adopt::adopt_all(&from).await?;
    // The source is read in one transaction: one consistent snapshot, even if something
    // still wrote to it.
    let mut read = from.begin().await?;
    let tables = store::copy::tables_in_order(&mut read).await?;
    let mut tx = store::begin_write(&to).await?;
    for table in &tables {
        if store::copy::count(&mut tx, table).await? > 0 {
            if !MADE_BY_MIGRATIONS.contains(&table.as_str()) {
                return Err(MigrateError::NotEmpty(table.clone()));
            }
            store::copy::empty(&mut tx, table).await?;
        }
    }
    for table in &tables {
        store::copy::copy_table(&mut read, &mut tx, table).await?;
    }
    store::copy::continue_identities(&mut tx).await?;
    let mut counts = Vec::with_capacity(tables.len());
    for table in &tables {
        let (source_rows, target_rows) = (
            store::copy::count(&mut read, table).await?,
            store::copy::count(&mut tx, table).await?,
        );
        if source_rows != target_rows {
            return Err(MigrateError::Mismatch {
                table: table.clone(),
                source_rows,
                target_rows,
            });
        }
        counts.push((table.clone(), target_rows));
    }
    tx.commit().await?;
    Ok(counts)
}
