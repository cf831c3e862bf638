//! A staff device for tests over real HTTP: registers people into its outbox, pushes them
//! (answers may be lost), and the check that every acknowledged entry is in the database once.

#![allow(dead_code)]

use std::collections::HashSet;
use std::net::SocketAddr;

use app::sync::hlc::Hlc;
use app::sync::merge::FieldWrite;
use app::sync::outbox::Outbox;
use app::sync::wire::{Op, PROTOCOL_VERSION, PushRequest, PushResponse, RecordKind};
use serde_json::json;

use crate::backend;
use crate::wire::request;

/// A device: its replica id, outbox, the entries it has made and those acknowledged.
pub struct Device {
    pub replica: String,
    pub node: u64,
    clock: Hlc,
    pub outbox: Outbox,
    pub made: Vec<String>,
    pub acked: HashSet<String>,
    /// Pushes that got no usable answer.
    pub failures: u32,
    /// Answers 5xx, "busy, try again" (503) included: under these faults none is expected.
    pub server_errors: u32,
}

impl Device {
    pub fn new(node: u64) -> Self {
        Self {
            replica: uuid::Uuid::now_v7().to_string(),
            node,
            clock: Hlc::ZERO,
            outbox: Outbox::default(),
            made: Vec::new(),
            acked: HashSet::new(),
            failures: 0,
            server_errors: 0,
        }
    }

    /// Registers one new person (what an intake form does).
    pub fn register(&mut self, n: usize) {
        let id = uuid::Uuid::now_v7().to_string();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        self.clock = Hlc::tick(self.clock, now, self.node);
        let kana = ["ミホン", "レイダイ", "タメシ", "シケン"][n % 4];
        let fields = [
            ("family_name", json!(format!("端末{}", self.node))),
            ("given_name", json!(format!("利用者{n}"))),
            ("family_name_kana", json!(kana)),
            ("given_name_kana", json!("ハナコ")),
            ("birth_date", json!("1995-06-15")),
            ("category", json!("youth")),
        ]
        .into_iter()
        .map(|(field, value)| FieldWrite {
            field: field.into(),
            value,
            stamp: self.clock,
            base: None,
        })
        .collect();
        self.outbox
            .add(RecordKind::Person, id.clone(), Op::Put { fields });
        self.made.push(id);
    }

    /// One push of up to `max` waiting entries through `addr`; false when the network failed.
    pub async fn push(&mut self, addr: SocketAddr, cookie: &str, max: usize) -> bool {
        let batch = self.outbox.batch(max).to_vec();
        if batch.is_empty() {
            return true;
        }
        let body = serde_json::to_string(&PushRequest {
            protocol: PROTOCOL_VERSION,
            replica: self.replica.clone(),
            mutations: batch.clone(),
        })
        .unwrap();
        let answer = request(addr, "POST", "/api/v1/sync/push", Some(cookie), Some(&body)).await;
        let response = match answer {
            Ok(a) if a.status == 200 => serde_json::from_str::<PushResponse>(&a.body).ok(),
            Ok(a) if a.status >= 500 => {
                self.server_errors += 1;
                None
            }
            _ => None,
        };
        let Some(response) = response else {
            self.failures += 1;
            return false;
        };
        for r in &response.results {
            assert_ne!(
                r.status,
                app::sync::wire::MutationStatus::Rejected,
                "valid entries are never refused: {r:?}"
            );
        }
        let before: Vec<(u64, String)> = self
            .outbox
            .pending
            .iter()
            .map(|m| (m.seq, m.id.clone()))
            .collect();
        self.outbox.acknowledge(&response);
        for (seq, id) in before {
            if !self.outbox.pending.iter().any(|m| m.seq == seq) {
                self.acked.insert(id);
            }
        }
        true
    }
}

/// Checks the database after the server has stopped: every entry of every device once, each
/// applied by exactly one push, and the file intact.
pub async fn check_database(database: &renkei_server::db::Database, devices: &[Device]) {
    let pool = renkei_server::db::open(database).await.expect("open");
    backend::assert_intact(&pool).await;
    let mut total = 0;
    for d in devices {
        assert_eq!(d.server_errors, 0, "device {}: HTTP 5xx answers", d.node);
        assert_eq!(
            d.acked.len(),
            d.made.len(),
            "every entry acknowledged in the end"
        );
        for id in &d.made {
            let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(people, 1, "entry {id} lost");
            // Applied once: one creation in the audit trail, never an update.
            let applied: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE subject_id = $1 AND action IN ('sync_create', 'sync_update')",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(applied, 1, "entry {id} applied {applied} times");
            total += 1;
        }
        let last: i64 = sqlx::query_scalar("SELECT last_seq FROM sync_replicas WHERE id = $1")
            .bind(&d.replica)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(last as usize, d.made.len());
    }
    let synced: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_records WHERE kind = 'person' AND id IN (SELECT subject_id FROM audit_log WHERE action = 'sync_create')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(synced, total);
    pool.close().await;
}
