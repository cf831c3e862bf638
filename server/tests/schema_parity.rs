//! The SQLite and PostgreSQL migrations are written twice, by hand; this test holds them to one
//! meaning. Both are migrated fresh (`db::open`), each schema is read into the same shape and
//! compared table by table: columns in order (type class, NOT NULL, default, numbered by the
//! database), primary key, unique constraints, named indexes (partial and expression ones too),
//! foreign keys and trigger names. Then the promise the triggers make — the audit tables are
//! append-only — is tried on both.
//!
//! Runs in the PostgreSQL stage of `scripts/test` (`RENKEI_TEST_POSTGRES`).

#[path = "support/backend.rs"]
mod backend;

#[path = "support/schema.rs"]
mod schema;

use std::fmt::Debug;

use renkei_server::db::{self, Database};
use renkei_server::store::Pool;

use schema::{Schema, Table, postgres_schema, sqlite_schema};

/// Columns declared TEXT on SQLite but `bytea` on PostgreSQL: the code stores MessagePack bytes
/// in them, which SQLite keeps in a TEXT column as they are (it does not enforce column types)
/// and PostgreSQL only in `bytea`.
const TEXT_HOLDING_BYTES: &[(&str, &str)] = &[("sync_records", "state")];

/// Triggers only PostgreSQL has: TRUNCATE skips row triggers there, so the append-only tables
/// refuse it with a statement trigger (SQLite has no TRUNCATE).
const PG_ONLY_TRIGGERS: &[(&str, &str)] = &[
    ("audit_log", "audit_log_no_truncate"),
    ("audit_reads", "audit_reads_no_truncate"),
];

#[tokio::test]
async fn the_two_backends_migrations_mean_the_same_schema() {
    if !backend::on_postgres() {
        eprintln!(
            "schema parity of the two backends: runs in the PostgreSQL stage of scripts/test"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let lite = db::open(&Database::Sqlite(dir.path().join("parity.sqlite3")))
        .await
        .expect("open and migrate a SQLite database");
    let postgres = backend::fresh(dir.path(), "x").await;
    assert!(matches!(postgres, Database::Postgres(_)), "{postgres:?}");
    let pg = db::open(&postgres)
        .await
        .expect("open and migrate a PostgreSQL database");

    let lite_schema = sqlite_schema(&lite, TEXT_HOLDING_BYTES).await;
    let pg_schema = postgres_schema(&pg).await;
    assert_read(&lite_schema, "SQLite");
    assert_read(&pg_schema, "PostgreSQL");
    let problems = differences(&lite_schema, &pg_schema);
    assert!(
        problems.is_empty(),
        "the SQLite and PostgreSQL migrations differ ({} difference(s)):\n{}",
        problems.len(),
        problems.join("\n")
    );

    append_only_holds(&lite, "SQLite", false).await;
    append_only_holds(&pg, "PostgreSQL", true).await;
}

// ---------------------------------------------------------------------------- comparison

fn differences(lite: &Schema, pg: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let only = |a: &Schema, b: &Schema| {
        a.keys()
            .filter(|k| !b.contains_key(*k))
            .cloned()
            .collect::<Vec<_>>()
    };
    let (only_lite, only_pg) = (only(lite, pg), only(pg, lite));
    if !only_lite.is_empty() || !only_pg.is_empty() {
        out.push(format!(
            "tables only in SQLite {only_lite:?}, only in PostgreSQL {only_pg:?}"
        ));
    }
    for (name, l) in lite {
        let Some(p) = pg.get(name) else { continue };
        let names = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        check(
            &mut out,
            name,
            "column names in order",
            &names(l),
            &names(p),
        );
        for (lc, pc) in l
            .columns
            .iter()
            .zip(&p.columns)
            .filter(|(a, b)| a.name == b.name)
        {
            check(&mut out, name, &format!("column {}", lc.name), lc, pc);
        }
        check(
            &mut out,
            name,
            "primary key",
            &l.primary_key,
            &p.primary_key,
        );
        check(&mut out, name, "unique constraints", &l.uniques, &p.uniques);
        check(&mut out, name, "indexes", &l.indexes, &p.indexes);
        check(
            &mut out,
            name,
            "foreign keys",
            &l.foreign_keys,
            &p.foreign_keys,
        );
        let mut pg_triggers = p.triggers.clone();
        for (_, trigger) in PG_ONLY_TRIGGERS
            .iter()
            .filter(|(table, _)| *table == name.as_str())
        {
            if !pg_triggers.remove(*trigger) {
                out.push(format!("{name}: PostgreSQL lacks its trigger {trigger}"));
            }
        }
        check(&mut out, name, "triggers", &l.triggers, &pg_triggers);
    }
    out
}

fn check<T: PartialEq + Debug>(out: &mut Vec<String>, table: &str, what: &str, lite: &T, pg: &T) {
    if lite != pg {
        out.push(format!(
            "{table}: {what}\n    SQLite:     {lite:?}\n    PostgreSQL: {pg:?}"
        ));
    }
}

/// Each reader found something of every kind it compares: two broken readers returning
/// nothing would otherwise "agree".
fn assert_read(schema: &Schema, backend: &str) {
    let any = |f: &dyn Fn(&Table) -> bool| schema.values().any(f);
    for (what, seen) in [
        ("tables", schema.len() >= 10),
        ("a primary key", any(&|t: &Table| !t.primary_key.is_empty())),
        (
            "a unique constraint",
            any(&|t: &Table| !t.uniques.is_empty()),
        ),
        (
            "a foreign key",
            any(&|t: &Table| !t.foreign_keys.is_empty()),
        ),
        ("a trigger", any(&|t: &Table| !t.triggers.is_empty())),
        (
            "a partial index",
            any(&|t: &Table| t.indexes.values().any(|i| i.predicate.is_some())),
        ),
        (
            "an expression index",
            any(&|t: &Table| {
                t.indexes
                    .values()
                    .any(|i| i.keys.iter().any(|k| k.starts_with("expr:")))
            }),
        ),
        (
            "a descending key",
            any(&|t: &Table| {
                t.indexes
                    .values()
                    .any(|i| i.keys.iter().any(|k| k.ends_with(" DESC")))
            }),
        ),
        (
            "an identity column",
            any(&|t: &Table| t.columns.iter().any(|c| c.identity)),
        ),
        (
            "a default",
            any(&|t: &Table| t.columns.iter().any(|c| c.default.is_some())),
        ),
        (
            "a nullable column",
            any(&|t: &Table| t.columns.iter().any(|c| !c.not_null)),
        ),
        (
            "a bytes column",
            any(&|t: &Table| t.columns.iter().any(|c| c.class == "bytes")),
        ),
    ] {
        assert!(
            seen,
            "{backend}: the schema reader found no {what}; it is broken"
        );
    }
}

// ----------------------------------------------------------------------------- behaviour

/// The audit tables refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) with the same message.
async fn append_only_holds(pool: &Pool, backend: &str, postgres: bool) {
    for sql in [
        "INSERT INTO audit_log (at_ms, actor, action, subject_kind, outcome, detail, prev_hash, hash) \
         VALUES (1, 'test', 'schema_parity', 'none', 'ok', '', '0', '1')",
        "INSERT INTO audit_reads (subject_id, audit_seq) SELECT 'p1', MAX(seq) FROM audit_log",
    ] {
        sqlx::query(sql)
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{backend}: `{sql}`: {e}"));
    }
    let mut refused = vec![
        "UPDATE audit_log SET detail = 'changed'",
        "DELETE FROM audit_log",
        "UPDATE audit_reads SET subject_id = 'p2'",
        "DELETE FROM audit_reads",
    ];
    if postgres {
        refused.extend(["TRUNCATE audit_reads", "TRUNCATE audit_log, audit_reads"]);
    }
    for sql in refused {
        match sqlx::query(sql).execute(pool).await {
            Ok(done) => panic!(
                "{backend}: `{sql}` was accepted ({} rows)",
                done.rows_affected()
            ),
            Err(e) => assert!(
                e.to_string().contains("append-only"),
                "{backend}: `{sql}` refused for another reason: {e}"
            ),
        }
    }
    for table in ["audit_log", "audit_reads"] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(count, 1, "{backend}: {table} lost its row");
    }
}
