//! What a device keeps of the sync: its replica (id, clock, outbox) and its copy of the records
//! it was sent, with the rules for taking in a pull page. Plain data and functions, tested
//! natively; the browser stores them sealed (`client::local`), the status bar shows them.
//!
//! Forward compatible: a record of a kind this build does not know is skipped (it cannot show
//! or edit it) and fields it does not know are kept as they came; an outbox holding entries
//! this build cannot read is never used or overwritten ([`Local::usable`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::hlc::Hlc;
use super::merge::{FieldState, RecordState};
use super::outbox::Outbox;
use super::wire::{PullResponse, RecordKind};

/// This device's replica: its id at the server, its clock, its outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Local {
    pub replica: String,
    pub node: u64,
    pub clock: Hlc,
    pub outbox: Outbox,
}

/// One field of a pulled record: value and stamp (`[value, wall_ms, counter, node]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedField(pub Value, pub u64, pub u32, pub u64);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedRecord {
    pub kind: RecordKind,
    pub seq: u64,
    pub fields: BTreeMap<String, CachedField>,
}

impl CachedRecord {
    pub fn from_state(kind: RecordKind, seq: u64, state: RecordState) -> Self {
        let fields = state
            .fields
            .into_iter()
            .map(|(k, f)| {
                (
                    k,
                    CachedField(f.value, f.stamp.wall_ms, f.stamp.counter, f.stamp.node),
                )
            })
            .collect();
        Self { kind, seq, fields }
    }

    pub fn state(&self) -> RecordState {
        RecordState {
            fields: self
                .fields
                .iter()
                .map(|(k, CachedField(value, wall_ms, counter, node))| {
                    (
                        k.clone(),
                        FieldState {
                            value: value.clone(),
                            stamp: Hlc {
                                wall_ms: *wall_ms,
                                counter: *counter,
                                node: *node,
                            },
                            base: None,
                        },
                    )
                })
                .collect(),
            deleted: None,
        }
    }
}

/// What this device has received from the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    pub cursor: u64,
    /// The database the cursor belongs to (sent back with the next pull).
    #[serde(default)]
    pub epoch: Option<String>,
    pub records: BTreeMap<String, CachedRecord>,
    pub last_sync_ms: Option<i64>,
    /// Records held after a push (`hold`), with what the copy had before: the next pull
    /// confirms each (it brings the server's copy) or the copy goes back to what it was.
    /// In memory only.
    #[serde(skip)]
    pub held: BTreeMap<String, Option<CachedRecord>>,
}

impl Local {
    /// Whether this build can work with this outbox: every entry is of a kind it knows. One
    /// written by a newer version is kept aside untouched instead (sending it as "unknown"
    /// would lose what it was).
    pub fn usable(&self) -> bool {
        self.outbox
            .pending
            .iter()
            .map(|m| m.kind)
            .chain(self.outbox.failed.iter().map(|f| f.mutation.kind))
            .all(|k| k != RecordKind::Unknown)
    }
}

/// What taking in a pull page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Taken {
    /// The server started again from the beginning (another database, a restored backup):
    /// the copy was emptied first.
    pub reset: bool,
    /// Records of kinds this build does not know, skipped.
    pub skipped: usize,
}

impl Cache {
    /// Holds what the server has just accepted from this device (`state`: the device's view of
    /// the record with the sent changes) until the next pull brings the server's copy, which
    /// replaces it. Without it a new record would vanish from the screen between the push that
    /// settles it (it leaves the outbox) and the pull that brings it back.
    pub fn hold(&mut self, kind: RecordKind, id: &str, state: RecordState) {
        let seq = self.records.get(id).map_or(0, |r| r.seq);
        let before = self
            .records
            .insert(id.to_owned(), CachedRecord::from_state(kind, seq, state));
        self.held.entry(id.to_owned()).or_insert(before);
    }

    /// After a whole pull: what it did not confirm goes back to what the copy had (a change
    /// the server took without changing the record — one to a record deleted meanwhile —
    /// must not stay on the screen as if it were there).
    pub fn settle_held(&mut self) {
        for (id, before) in std::mem::take(&mut self.held) {
            match before {
                Some(record) => self.records.insert(id, record),
                None => self.records.remove(&id),
            };
        }
    }

    /// Takes in one pull page: records replace their copies, removed or deleted ones leave,
    /// kinds this build does not know are skipped. On a fair tablet (`tablet`) a registration
    /// keeps only what a tablet may hold.
    pub fn take(&mut self, page: PullResponse, tablet: bool) -> Taken {
        let mut taken = Taken {
            reset: page.reset,
            skipped: 0,
        };
        if page.reset {
            self.records.clear();
            self.held.clear();
        }
        for r in page.records {
            self.held.remove(&r.id);
            if r.kind == RecordKind::Unknown {
                taken.skipped += 1;
                continue;
            }
            match r.state {
                Some(mut state) if !r.removed && state.deleted.is_none() => {
                    if tablet && r.kind == RecordKind::Participant {
                        // The server sends no more; this also trims what an older server sent.
                        super::kinds::tablet_view(&mut state);
                    }
                    self.records
                        .insert(r.id, CachedRecord::from_state(r.kind, r.seq, state));
                }
                _ => {
                    self.records.remove(&r.id);
                }
            }
        }
        self.cursor = page.cursor;
        if !page.epoch.is_empty() {
            self.epoch = Some(page.epoch);
        }
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUTURE_PAGE: &str = include_str!("fixtures/future_pull_page.json");
    const FUTURE_OUTBOX: &str = include_str!("fixtures/future_outbox.json");

    #[test]
    fn a_record_held_after_a_push_stays_until_the_pull_replaces_it() {
        let mut cache = Cache::default();
        let mine = crate::sync::kinds::state_of(&[("body", serde_json::json!("下書き"))]);
        cache.hold(RecordKind::Note, "n1", mine.clone());
        assert_eq!(cache.records["n1"].state(), mine);
        let servers = crate::sync::kinds::state_of(&[("body", serde_json::json!("サーバー"))]);
        let page = PullResponse {
            records: vec![crate::sync::wire::PulledRecord {
                kind: RecordKind::Note,
                id: "n1".into(),
                seq: 7,
                state: Some(servers.clone()),
                removed: false,
            }],
            cursor: 7,
            remaining: 0,
            server_time_ms: 0,
            epoch: String::new(),
            reset: false,
        };
        cache.hold(RecordKind::Note, "n2", mine.clone());
        cache.take(page, false);
        assert_eq!(
            (cache.records["n1"].seq, cache.records["n1"].state()),
            (7, servers)
        );
        // n2 was not confirmed by the pull (deleted on the server meanwhile): it goes.
        cache.settle_held();
        assert!(!cache.records.contains_key("n2") && cache.records.contains_key("n1"));
    }

    #[test]
    fn a_page_from_a_newer_server_is_taken_in_without_its_unknown_kind() {
        let page: PullResponse = serde_json::from_str(FUTURE_PAGE).expect("a newer page parses");
        let mut cache = Cache::default();
        let taken = cache.take(page, false);
        assert_eq!(
            taken,
            Taken {
                reset: false,
                skipped: 1
            }
        );
        assert_eq!(cache.cursor, 42);
        assert_eq!(
            cache.epoch.as_deref(),
            Some("7f3c2a9e0b1d4c5e8f6a7b8c9d0e1f2a")
        );
        // The person is kept, with the field this build does not know kept as it came.
        let person = &cache.records["0193a1b2-0000-7000-8000-000000000001"];
        assert_eq!(person.kind, RecordKind::Person);
        let state = person.state();
        assert_eq!(state.fields["family_name"].value, "見本");
        assert_eq!(state.fields["preferred_work_style"].value, "午前のみ");
        assert_eq!(cache.records.len(), 1);
    }

    #[test]
    fn a_reset_page_replaces_the_whole_copy() {
        let mut cache = Cache::default();
        let old: PullResponse = serde_json::from_str(FUTURE_PAGE).unwrap();
        cache.take(old, false);
        let reset: PullResponse = serde_json::from_value(serde_json::json!({
            "records": [], "cursor": 0, "remaining": 0, "server_time_ms": 1,
            "epoch": "00000000000000000000000000000001", "reset": true
        }))
        .unwrap();
        assert!(cache.take(reset, false).reset);
        assert!(cache.records.is_empty());
        assert_eq!(
            cache.epoch.as_deref(),
            Some("00000000000000000000000000000001")
        );
    }

    #[test]
    fn an_outbox_written_by_a_newer_version_is_not_used() {
        // It parses (unknown kinds have a place) but holds an entry this build cannot send
        // faithfully: the app keeps it aside instead of sending or overwriting it.
        let stored: Local = serde_json::from_str(FUTURE_OUTBOX).expect("parses");
        assert!(!stored.usable());
        let mut own = stored.clone();
        own.outbox.pending.retain(|m| m.kind != RecordKind::Unknown);
        assert!(own.usable());
    }

    #[test]
    fn an_outbox_in_a_shape_this_build_cannot_read_does_not_parse() {
        let mut value: Value = serde_json::from_str(FUTURE_OUTBOX).unwrap();
        value["outbox"]["pending"][0]["op"] = serde_json::json!({ "type": "archive" });
        assert!(serde_json::from_value::<Local>(value).is_err());
    }
}
