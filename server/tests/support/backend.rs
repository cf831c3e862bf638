#![allow(dead_code)]

//! Which database the tests run on: a SQLite file in the test's temporary folder (default),
//! or, when `RENKEI_TEST_POSTGRES` holds a PostgreSQL server's URL (`scripts/test` starts a
//! throwaway cluster and sets it), a fresh database on that server for each test app.

use std::path::Path;

use renkei_server::db::Database;
use sqlx::Connection;

pub fn postgres_server() -> Option<String> {
    std::env::var("RENKEI_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

pub fn on_postgres() -> bool {
    postgres_server().is_some()
}

/// A new, empty database for one test (`name` names the SQLite file).
pub async fn fresh(dir: &Path, name: &str) -> Database {
    let Some(server) = postgres_server() else {
        return Database::Sqlite(dir.join(name));
    };
    let db_name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .expect("connect to the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {db_name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    admin.close().await.ok();
    let mut url = url::Url::parse(&server).expect("a URL");
    url.set_path(&format!("/{db_name}"));
    Database::Postgres(url.to_string())
}

/// The database is intact after a crash: SQLite's own check of the file (PostgreSQL recovers
/// from its write-ahead log by itself; a broken cluster would not have answered).
pub async fn assert_intact(pool: &renkei_server::store::Pool) {
    if on_postgres() {
        return;
    }
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
}

/// Removes one of the append-only guards (as someone with write access to the database could).
pub async fn drop_trigger(pool: &renkei_server::store::Pool, trigger: &str, table: &str) {
    let sql = if on_postgres() {
        format!("DROP TRIGGER {trigger} ON {table}")
    } else {
        format!("DROP TRIGGER {trigger}")
    };
    sqlx::query(&sql).execute(pool).await.unwrap();
}

/// A fault only a test can cause: the database refuses a person with this family name.
pub async fn refuse_family_name(pool: &renkei_server::store::Pool, family_name: &str) {
    let statements = if on_postgres() {
        vec![
            format!(
                "CREATE FUNCTION refuse_one_name() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   IF NEW.family_name = '{family_name}' THEN
                     RAISE EXCEPTION 'injected fault';
                   END IF;
                   RETURN NEW;
                 END $$"
            ),
            "CREATE TRIGGER refuse_one_name BEFORE INSERT ON people
             FOR EACH ROW EXECUTE FUNCTION refuse_one_name()"
                .to_owned(),
        ]
    } else {
        vec![format!(
            "CREATE TRIGGER refuse_one_name BEFORE INSERT ON people
             WHEN NEW.family_name = '{family_name}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )]
    };
    for sql in statements {
        sqlx::query(&sql).execute(pool).await.unwrap();
    }
}
