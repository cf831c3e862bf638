//! Each backend's schema read into one shape, for `schema_parity`: columns, keys, unique
//! constraints, indexes, foreign keys and triggers, table by table.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use renkei_server::store::Pool;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, PartialEq)]
pub struct Column {
    pub name: String,
    /// "integer", "text", "bytes", or the declared type when it maps to none of them.
    pub class: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// SQLite's rowid alias (`INTEGER PRIMARY KEY`) ↔ PostgreSQL's identity column.
    pub identity: bool,
}

#[derive(Debug, PartialEq)]
pub struct Index {
    pub unique: bool,
    /// Column names (" DESC" when descending), or one "expr:…" for an expression index.
    pub keys: Vec<String>,
    pub predicate: Option<String>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub column: String,
    pub table: String,
    pub to: String,
    pub on_update: String,
    pub on_delete: String,
}

#[derive(Debug, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    /// Unique constraints, by columns (their index names are the backends' own).
    pub uniques: BTreeSet<Vec<String>>,
    /// Indexes made with CREATE [UNIQUE] INDEX, by name.
    pub indexes: BTreeMap<String, Index>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    pub triggers: BTreeSet<String>,
}

pub type Schema = BTreeMap<String, Table>;

// ------------------------------------------------------------------------------ SQLite side

/// The SQLite schema. `text_holding_bytes` lists the (table, column) pairs declared TEXT that
/// hold bytes: they are read as the class "bytes".
pub async fn sqlite_schema(pool: &Pool, text_holding_bytes: &[(&str, &str)]) -> Schema {
    let mut schema = Schema::new();
    let index_sql = sqlite_index_sql(pool).await;
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
        sqlite_columns(pool, &name, without_rowid, text_holding_bytes, &mut table).await;
        sqlite_indexes(pool, &name, &index_sql, &mut table).await;
        sqlite_foreign_keys(pool, &name, &mut table).await;
        schema.insert(name, table);
    }
    sqlite_triggers(pool, &mut schema).await;
    schema.retain(|name, _| !ignored(name));
    schema
}

/// The SQL of every index made with CREATE INDEX, by name.
async fn sqlite_index_sql(pool: &Pool) -> HashMap<String, String> {
    rows(
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
    .collect()
}

/// The columns of table `name`, and its primary key.
async fn sqlite_columns(
    pool: &Pool,
    name: &str,
    without_rowid: bool,
    text_holding_bytes: &[(&str, &str)],
    table: &mut Table,
) {
    let mut pk = Vec::new();
    for c in rows(pool, &format!("PRAGMA table_xinfo('{name}')")).await {
        if int(&c, "hidden") != 0 {
            continue;
        }
        let (column, declared) = (text(&c, "name"), text(&c, "type").to_ascii_uppercase());
        if int(&c, "pk") > 0 {
            pk.push((int(&c, "pk"), column.clone(), declared.clone()));
        }
        let bytes = text_holding_bytes.contains(&(name, column.as_str())) && declared == "TEXT";
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
}

/// The indexes and unique constraints of table `name` (not the one behind its primary key).
async fn sqlite_indexes(
    pool: &Pool,
    name: &str,
    index_sql: &HashMap<String, String>,
    table: &mut Table,
) {
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
            let at =
                where_at.unwrap_or_else(|| panic!("the WHERE of the partial index {index}: {sql}"));
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
}

async fn sqlite_foreign_keys(pool: &Pool, name: &str, table: &mut Table) {
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
}

async fn sqlite_triggers(pool: &Pool, schema: &mut Schema) {
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

pub async fn postgres_schema(pool: &Pool) -> Schema {
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

// ------------------------------------------------------------------------------- helpers

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
