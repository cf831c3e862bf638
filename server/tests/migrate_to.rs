//! `server migrate-to`: a city's SQLite file, with the demo data, synced people and their
//! audit trail, moved into a new PostgreSQL database. Same rows, same records at the same
//! positions (devices' cursors stay valid), the audit chain and its checkpoints verify on the
//! target, the target serves, and a target that already holds data is refused untouched.
//!
//! Runs in the PostgreSQL stage of `scripts/test` (`RENKEI_TEST_POSTGRES`).

mod support;

use renkei_server::AppState;
use renkei_server::db::{self, Database};
use serde_json::Value;
use support::{CITY, TestApp, new_id, new_person};

fn migrate(source: &Database, target: &Database) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--database")
        .arg(source.locator())
        .arg("migrate-to")
        .arg(target.locator())
        .output()
        .expect("run migrate-to");
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), said)
}

#[tokio::test]
async fn a_city_file_moves_into_postgresql_with_its_records_and_audit_chain() {
    if !support::backend::on_postgres() {
        eprintln!("migrate-to PostgreSQL: runs in the PostgreSQL stage of scripts/test");
        return;
    }
    let source = TestApp::sqlite().await;
    renkei_server::demo::load(&source.state).await.unwrap();
    // As the server does at start (and migrate-to again): rows without records become records.
    let mut conn = source.db().acquire().await.unwrap();
    renkei_server::store::adopt::adopt_unsynced_people(&mut conn)
        .await
        .unwrap();
    renkei_server::store::adopt::adopt_unsynced_fair_work(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let city = source.login(CITY).await;
    let replica = new_id();
    let people: Vec<Value> = (1..=30)
        .map(|n| new_person(n, &new_id(), &format!("移行{n}"), 7))
        .collect();
    let old_row = people[0]["id"].as_str().unwrap().to_owned();
    source.sync_push(&city, &replica, people).await;
    // One record as an older version stored it: its state as JSON text (PostgreSQL keeps the
    // text's bytes in its `bytea` column, read like the compact form).
    let state: Vec<u8> = sqlx::query_scalar("SELECT state FROM sync_records WHERE id = $1")
        .bind(&old_row)
        .fetch_one(source.db())
        .await
        .unwrap();
    let json =
        serde_json::to_string(&renkei_server::store::sync::decode_state(&state).unwrap()).unwrap();
    sqlx::query("UPDATE sync_records SET state = $1 WHERE id = $2")
        .bind(json)
        .bind(&old_row)
        .execute(source.db())
        .await
        .unwrap();
    let before = source.pull_all(&city, 50).await;
    source.checkpoint().await;

    let target_dir = tempfile::tempdir().unwrap();
    let target = support::backend::fresh(target_dir.path(), "unused").await;
    let (code, said) = migrate(&source.database, &target);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("copied"), "{said}");

    // The chain and the checkpoints taken on SQLite verify on PostgreSQL.
    let verify = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--database")
        .arg(target.locator())
        .arg("--audit-key")
        .arg(source.dir.path().join("test.sqlite3.audit-key"))
        .arg("--audit-anchors")
        .arg(source.dir.path().join("test.sqlite3.audit-anchors"))
        .arg("verify-audit")
        .output()
        .unwrap();
    let verified = String::from_utf8_lossy(&verify.stdout);
    assert_eq!(verify.status.code(), Some(0), "{verified}");
    assert!(verified.starts_with("audit log intact"), "{verified}");

    // The target serves the same records at the same positions; the old session works.
    let pool = db::open(&target).await.unwrap();
    let state = AppState::new(pool, "127.0.0.1:0".parse().unwrap(), "target/site");
    let served = TestApp {
        router: renkei_server::router(state.clone()),
        state,
        dir: tempfile::tempdir().unwrap(),
        database: target.clone(),
    };
    let after = served.pull_all(&city, 50).await;
    assert_eq!(after.len(), before.len());
    assert_eq!(after, before, "records, states and order unchanged");
    // New writes continue after the copied numbers.
    let more = served
        .sync_push(
            &city,
            &replica,
            vec![new_person(31, &new_id(), "移行後", 7)],
        )
        .await;
    assert_eq!(more["through"], 31, "{more}");

    // A target with data is refused, and left as it was.
    let (code, said) = migrate(&source.database, &target);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("already holds data"), "{said}");
    assert_eq!(served.pull_all(&city, 50).await.len(), before.len() + 1);
}
