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

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;

use renkei_server::db::{self, Database};
use renkei_server::store::Pool;
use sqlx::Row;
use sqlx::any::AnyRow;

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

#[derive(Debug, PartialEq)]
struct Column {
    name: String,
    /// "integer", "text", "bytes", or the declared type when it maps to none of them.
    class: String,
    not_null: bool,
    default: Option<String>,
    /// SQLite's rowid alias (`INTEGER PRIMARY KEY`) ↔ PostgreSQL's identity column.
    identity: bool,
}

#[derive(Debug, PartialEq)]
struct Index {
    unique: bool,
    /// Column names (" DESC" when descending), or one "expr:…" for an expression index.
    keys: Vec<String>,
    predicate: Option<String>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    column: String,
    table: String,
    to: String,
    on_update: String,
    on_delete: String,
}

#[derive(Debug, Default)]
struct Table {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    /// Unique constraints, by columns (their index names are the backends' own).
    uniques: BTreeSet<Vec<String>>,
    /// Indexes made with CREATE [UNIQUE] INDEX, by name.
    indexes: BTreeMap<String, Index>,
    foreign_keys: BTreeSet<ForeignKey>,
    triggers: BTreeSet<String>,
}

type Schema = BTreeMap<String, Table>;

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

    let lite_schema = sqlite_schema(&lite).await;
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

// ------------------------------------------------------------------------------ SQLite side

async fn sqlite_schema(pool: &Pool) -> Schema {
    let mut schema = Schema::new();
    let index_sql: HashMap<String, String> = rows(
        pool,
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .await
    .iter()
    // One space between words, so " ON " and " WHERE " can be found.
    .map(|r| {
        (
            text(r, "name"),
            text(r, "sql")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    })
    .collect();
    for t in rows(
        pool,
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'",
    )
    .await
    {
        let name = text(&t, "name");
        if ignored(&name) {
            continue;
        }
        let without_rowid = opt(&t, "sql")
            .unwrap_or_default()
            .to_ascii_uppercase()
            .contains("WITHOUT ROWID");
        let mut table = Table::default();
        let mut pk = Vec::new();
        for c in rows(pool, &format!("PRAGMA table_xinfo('{name}')")).await {
            if int(&c, "hidden") != 0 {
                continue;
            }
            let (column, declared) = (text(&c, "name"), text(&c, "type").to_ascii_uppercase());
            if int(&c, "pk") > 0 {
                pk.push((int(&c, "pk"), column.clone(), declared.clone()));
            }
            let bytes = TEXT_HOLDING_BYTES.contains(&(name.as_str(), column.as_str()))
                && declared == "TEXT";
            table.columns.push(Column {
                class: if bytes {
                    "bytes".to_owned()
                } else {
                    class(&declared)
                },
                not_null: int(&c, "notnull") != 0,
                default: opt(&c, "dflt_value").map(|d| norm_default(&d)),
                identity: false,
                name: column,
            });
        }
        pk.sort();
        let rowid_alias =
            matches!(pk.as_slice(), [(_, _, declared)] if declared == "INTEGER" && !without_rowid);
        for c in &mut table.columns {
            if pk.iter().any(|(_, name, _)| *name == c.name) {
                // The rowid alias is numbered by the database, like an identity column. A key
                // column refuses NULL as the alias or in a WITHOUT ROWID table; elsewhere only if
                // declared NOT NULL (SQLite's old quirk), which PostgreSQL's keys always do.
                c.identity = rowid_alias;
                c.not_null |= rowid_alias || without_rowid;
            }
        }
        table.primary_key = pk.into_iter().map(|(_, column, _)| column).collect();

        for i in rows(pool, &format!("PRAGMA index_list('{name}')")).await {
            let origin = text(&i, "origin");
            if origin == "pk" {
                continue;
            }
            let index = text(&i, "name");
            let info: Vec<AnyRow> = rows(pool, &format!("PRAGMA index_xinfo('{index}')"))
                .await
                .into_iter()
                .filter(|k| int(k, "key") != 0)
                .collect();
            let sql = index_sql.get(&index).cloned().unwrap_or_default();
            let upper = sql.to_ascii_uppercase();
            let where_at = upper.find(" WHERE ");
            let keys = if info.iter().any(|k| int(k, "cid") == -2) {
                // An expression index: its key list as written, "(min(a, b), max(a, b))".
                let open = upper
                    .find(" ON ")
                    .and_then(|on| sql[on..].find('(').map(|p| on + p))
                    .unwrap_or_else(|| panic!("the SQL of the expression index {index}: {sql}"));
                vec![format!(
                    "expr:{}",
                    norm_expr(&sql[open..where_at.unwrap_or(sql.len())])
                )]
            } else {
                info.iter()
                    .map(|k| text(k, "name") + if int(k, "desc") != 0 { " DESC" } else { "" })
                    .collect()
            };
            if origin == "u" {
                table.uniques.insert(keys);
                continue;
            }
            let predicate = (int(&i, "partial") != 0).then(|| {
                let at = where_at
                    .unwrap_or_else(|| panic!("the WHERE of the partial index {index}: {sql}"));
                norm_expr(&sql[at + " WHERE ".len()..])
            });
            table.indexes.insert(
                index,
                Index {
                    unique: int(&i, "unique") != 0,
                    keys,
                    predicate,
                },
            );
        }
        for f in rows(pool, &format!("PRAGMA foreign_key_list('{name}')")).await {
            // `to` is NULL for a bare `REFERENCES t` (its primary key); the migrations name it.
            table.foreign_keys.insert(ForeignKey {
                column: text(&f, "from"),
                table: text(&f, "table"),
                to: opt(&f, "to").unwrap_or_default(),
                on_update: text(&f, "on_update").to_ascii_uppercase(),
                on_delete: text(&f, "on_delete").to_ascii_uppercase(),
            });
        }
        schema.insert(name, table);
    }
    for t in rows(
        pool,
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'",
    )
    .await
    {
        schema
            .entry(text(&t, "tbl_name"))
            .or_default()
            .triggers
            .insert(text(&t, "name"));
    }
    schema.retain(|name, _| !ignored(name));
    schema
}

// -------------------------------------------------------------------------- PostgreSQL side
// The Any driver decodes only text, integers, floats, bytea and bool: every column selected
// below is cast to text or bigint (no name, oid, "char", int2vector or arrays).

const PG_COLUMNS: &str = "
SELECT c.table_name::text AS tbl, c.column_name::text AS name, c.data_type::text AS data_type,
       c.is_nullable::text AS is_nullable, c.column_default::text AS dflt,
       c.is_identity::text AS is_identity
FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
ORDER BY c.table_name, c.ordinal_position";

const PG_KEYS: &str = "
SELECT cl.relname::text AS tbl, con.contype::text AS kind,
       (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord)
          FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) AS cols
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
WHERE n.nspname = 'public' AND con.contype IN ('p', 'u')";

/// Indexes other than those behind a primary key or unique constraint.
const PG_INDEXES: &str = "
SELECT t.relname::text AS tbl, i.relname::text AS name,
       (CASE WHEN x.indisunique THEN 1 ELSE 0 END)::bigint AS uniq,
       (CASE WHEN x.indexprs IS NULL THEN 0 ELSE 1 END)::bigint AS expr,
       pg_get_expr(x.indpred, x.indrelid) AS pred,
       (SELECT string_agg(pg_get_indexdef(x.indexrelid, k.ord, true)
                          || CASE WHEN (x.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END,
                          '|' ORDER BY k.ord)
          FROM generate_series(1, x.indnkeyatts) AS k(ord)) AS keys
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))";

const PG_FOREIGN_KEYS: &str = "
SELECT cl.relname::text AS tbl, a.attname::text AS col, fcl.relname::text AS ftbl,
       fa.attname::text AS fcol, con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
JOIN pg_class fcl ON fcl.oid = con.confrelid
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(col_num, ref_num)
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col_num
JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.ref_num
WHERE n.nspname = 'public' AND con.contype = 'f'";

const PG_TRIGGERS: &str = "
SELECT c.relname::text AS tbl, tg.tgname::text AS name
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND NOT tg.tgisinternal";

async fn postgres_schema(pool: &Pool) -> Schema {
    let mut schema = Schema::new();
    for c in rows(pool, PG_COLUMNS).await {
        schema
            .entry(text(&c, "tbl"))
            .or_default()
            .columns
            .push(Column {
                name: text(&c, "name"),
                class: class(&text(&c, "data_type")),
                not_null: text(&c, "is_nullable") == "NO",
                default: opt(&c, "dflt").map(|d| norm_default(&d)),
                identity: text(&c, "is_identity") == "YES",
            });
    }
    for k in rows(pool, PG_KEYS).await {
        let table = schema.entry(text(&k, "tbl")).or_default();
        let columns: Vec<String> = text(&k, "cols").split(',').map(str::to_owned).collect();
        if text(&k, "kind") == "p" {
            table.primary_key = columns;
        } else {
            table.uniques.insert(columns);
        }
    }
    for i in rows(pool, PG_INDEXES).await {
        let keys = text(&i, "keys");
        let keys = if int(&i, "expr") != 0 {
            vec![format!("expr:{}", norm_expr(&keys.replace('|', ",")))]
        } else {
            keys.split('|').map(str::to_owned).collect()
        };
        let index = Index {
            unique: int(&i, "uniq") != 0,
            keys,
            predicate: opt(&i, "pred").map(|p| norm_expr(&p)),
        };
        schema
            .entry(text(&i, "tbl"))
            .or_default()
            .indexes
            .insert(text(&i, "name"), index);
    }
    for f in rows(pool, PG_FOREIGN_KEYS).await {
        schema
            .entry(text(&f, "tbl"))
            .or_default()
            .foreign_keys
            .insert(ForeignKey {
                column: text(&f, "col"),
                table: text(&f, "ftbl"),
                to: text(&f, "fcol"),
                on_update: fk_action(&text(&f, "on_update")),
                on_delete: fk_action(&text(&f, "on_delete")),
            });
    }
    for t in rows(pool, PG_TRIGGERS).await {
        schema
            .entry(text(&t, "tbl"))
            .or_default()
            .triggers
            .insert(text(&t, "name"));
    }
    schema.retain(|name, _| !ignored(name));
    schema
}

fn fk_action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => other,
    }
    .to_owned()
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

fn ignored(table: &str) -> bool {
    table == "_sqlx_migrations" || table.starts_with("sqlite_")
}

fn class(declared: &str) -> String {
    match declared {
        "INTEGER" | "bigint" => "integer".to_owned(),
        "TEXT" | "text" => "text".to_owned(),
        "BLOB" | "bytea" => "bytes".to_owned(),
        other => format!("{other} (no class)"),
    }
}

/// PostgreSQL shows `'city'::text` for SQLite's `'city'`.
fn norm_default(default: &str) -> String {
    let d = default.trim();
    ["::text", "::bigint", "::integer"]
        .iter()
        .find_map(|cast| d.strip_suffix(cast))
        .unwrap_or(d)
        .to_owned()
}

/// An index expression or predicate without case, casts, spaces and parentheses; SQLite's
/// two-argument min()/max() are PostgreSQL's LEAST()/GREATEST().
fn norm_expr(expr: &str) -> String {
    let expr = expr.to_lowercase().replace("::text", "");
    let (mut out, mut word) = (String::new(), String::new());
    for c in expr.chars().chain([' ']) {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        out.push_str(match (word.as_str(), c) {
            ("min", '(') => "least",
            ("max", '(') => "greatest",
            (w, _) => w,
        });
        word.clear();
        if !c.is_whitespace() && c != '(' && c != ')' {
            out.push(c);
        }
    }
    out
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

// ------------------------------------------------------------------------------- helpers

async fn rows(pool: &Pool, sql: &str) -> Vec<AnyRow> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("`{sql}`: {e}"))
}

fn text(row: &AnyRow, column: &str) -> String {
    row.try_get(column)
        .unwrap_or_else(|e| panic!("column {column} as text: {e}"))
}

fn opt(row: &AnyRow, column: &str) -> Option<String> {
    row.try_get(column)
        .unwrap_or_else(|e| panic!("column {column} as text or NULL: {e}"))
}

fn int(row: &AnyRow, column: &str) -> i64 {
    row.try_get(column)
        .unwrap_or_else(|e| panic!("column {column} as an integer: {e}"))
}
