//! The audit log: who read or changed which person's data, and every refused attempt.
//!
//! Append-only (SQLite triggers refuse UPDATE and DELETE) and tamper-evident: each entry stores
//! `hash = SHA-256(prev_hash ‖ its fields)`, so editing, deleting or reordering a row breaks
//! the chain from there on; [`verify`] finds the first broken entry (`server verify-audit`).
//! Entries name actors and subjects by id and carry codes, never names or other personal data.
//!
//! Appends are serialised by the state's write lock so the chain stays linear. The chain's
//! head is anchored outside the database ([`anchor`]), so that cutting the newest entries
//! off, or rewriting the chain, is found too; [`check`] does both checks.

pub mod anchor;

use crate::store::{Conn, Pool};

use crate::AppState;
use crate::auth::Actor;
use crate::store::audit_log as rows;
use crate::store::now_ms;

/// The most characters an entry's detail keeps.
pub const DETAIL_MAX: usize = 200;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
}

impl Outcome {
    fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
        }
    }
}

/// One thing to record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub actor: String,
    pub device_id: Option<String>,
    pub action: &'static str,
    pub subject_kind: &'static str,
    pub subject_id: Option<String>,
    pub outcome: Outcome,
    /// Codes and ids only (e.g. `GET /api/v1/people/…`, `role=manager`).
    pub detail: String,
    /// The records one read of many (a pull page) sent, sorted, each once (`audit_reads`).
    pub reads: Vec<String>,
}

impl Entry {
    pub fn new(actor: Option<&Actor>, action: &'static str, subject_kind: &'static str) -> Self {
        Self {
            actor: actor.map_or_else(|| "anonymous".to_owned(), Actor::audit_name),
            device_id: actor.and_then(Actor::device_id).map(|d| d.to_string()),
            action,
            subject_kind,
            subject_id: None,
            outcome: Outcome::Ok,
            detail: String::new(),
            reads: Vec::new(),
        }
    }

    /// A read of many records at once: they are listed beside the entry, and its detail names
    /// how many and the digest of the list, so the chain covers the list too.
    pub fn reads(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        let ids: std::collections::BTreeSet<String> = ids.into_iter().collect();
        self.reads = ids.into_iter().collect();
        self.detail = reads_detail(&self.reads);
        self
    }

    pub fn subject(mut self, id: impl ToString) -> Self {
        self.subject_id = Some(id.to_string());
        self
    }

    pub fn denied(mut self) -> Self {
        self.outcome = Outcome::Denied;
        self
    }

    /// Codes and ids only; cut at [`DETAIL_MAX`] characters (a request path can be long). An
    /// entry of many reads keeps the detail [`Entry::reads`] gave it (the chain checks it).
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        if !self.reads.is_empty() {
            return self;
        }
        let mut detail = detail.into();
        if let Some((cut, _)) = detail.char_indices().nth(DETAIL_MAX) {
            detail.truncate(cut);
            detail.push('…');
        }
        self.detail = detail;
        self
    }
}

/// `SHA-256(prev ‖ at_ms ‖ actor ‖ device ‖ action ‖ subject kind ‖ subject id ‖ outcome ‖
/// detail)`, fields separated by the ASCII unit separator so they cannot run into each other.
fn chain_hash(prev: &str, at_ms: i64, fields: [&str; 7]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update([0x1f]);
    h.update(at_ms.to_string().as_bytes());
    for part in fields {
        h.update([0x1f]);
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// `records=<n> sha256=<first 16 bytes of SHA-256 of the sorted ids, one per line>`.
fn reads_detail(sorted: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(sorted.join("\n").as_bytes());
    format!(
        "records={} sha256={}",
        sorted.len(),
        hex::encode(&digest[..16])
    )
}

impl Entry {
    fn fields(&self) -> [&str; 7] {
        [
            &self.actor,
            self.device_id.as_deref().unwrap_or(""),
            self.action,
            self.subject_kind,
            self.subject_id.as_deref().unwrap_or(""),
            self.outcome.code(),
            &self.detail,
        ]
    }
}

/// Appends entries inside the caller's transaction. The caller holds the write lock.
pub async fn append(conn: &mut Conn, entries: &[Entry]) -> Result<(), sqlx::Error> {
    if entries.is_empty() {
        return Ok(());
    }
    let (last_seq, mut prev) = rows::head(&mut *conn)
        .await?
        .unwrap_or_else(|| (0, GENESIS.to_owned()));
    let at_ms = now_ms();
    // The chain is computed in order here; rows go in with multi-row INSERTs (a sync push or
    // pull may record hundreds of entries).
    let mut chained = Vec::with_capacity(entries.len());
    for e in entries {
        let hash = chain_hash(&prev, at_ms, e.fields());
        chained.push((e, std::mem::replace(&mut prev, hash.clone()), hash));
    }
    let new_rows: Vec<rows::NewRow<'_>> = chained
        .iter()
        .map(|(e, prev, hash)| rows::NewRow {
            at_ms,
            actor: &e.actor,
            device_id: e.device_id.as_deref(),
            action: e.action,
            subject_kind: e.subject_kind,
            subject_id: e.subject_id.as_deref(),
            outcome: e.outcome.code(),
            detail: &e.detail,
            prev_hash: prev,
            hash,
        })
        .collect();
    rows::insert(&mut *conn, &new_rows).await?;
    for (e, _, hash) in chained.iter().filter(|(e, _, _)| !e.reads.is_empty()) {
        rows::insert_reads(&mut *conn, &e.reads, last_seq, hash).await?;
    }
    Ok(())
}

/// Records entries in their own transaction (reads and refusals).
pub async fn record(state: &AppState, entries: &[Entry]) -> Result<(), sqlx::Error> {
    if entries.is_empty() {
        return Ok(());
    }
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    append(&mut tx, entries).await?;
    tx.commit().await
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub checked: i64,
    pub first_bad_seq: Option<i64>,
}

/// Recomputes the chain from the first entry; reports the first entry that does not match
/// (its own fields edited, or its predecessor edited, removed or reordered).
pub async fn verify(db: &Pool) -> Result<Verification, sqlx::Error> {
    let chain = rows::chain(db).await?;
    // Read after the chain: lists of entries written since (by a server still serving) are
    // beyond its last entry and are left for the next check.
    let last = chain.last().map(|row| row.seq);
    let mut reads = reads_by_entry(db).await?;
    let mut prev = GENESIS.to_owned();
    let mut checked = 0;
    for row in chain {
        // A list of records read kept beside an entry must be the one its detail names.
        let listed = reads.remove(&row.seq);
        let listed_ok = match &listed {
            Some(ids) => row.detail == reads_detail(ids),
            None => !row.detail.starts_with("records="),
        };
        let expected = chain_hash(
            &prev,
            row.at_ms,
            [
                &row.actor,
                row.device_id.as_deref().unwrap_or(""),
                &row.action,
                &row.subject_kind,
                row.subject_id.as_deref().unwrap_or(""),
                &row.outcome,
                &row.detail,
            ],
        );
        if row.prev_hash != prev || row.hash != expected || !listed_ok {
            return Ok(Verification {
                checked,
                first_bad_seq: Some(row.seq),
            });
        }
        prev = row.hash;
        checked += 1;
    }
    Ok(Verification {
        checked,
        // Lists of reads for entries that do not exist.
        first_bad_seq: reads.keys().copied().find(|seq| Some(*seq) <= last),
    })
}

/// The records each many-record read entry names, sorted.
async fn reads_by_entry(
    db: &Pool,
) -> Result<std::collections::BTreeMap<i64, Vec<String>>, sqlx::Error> {
    let mut by_entry = std::collections::BTreeMap::<i64, Vec<String>>::new();
    for (seq, id) in rows::reads(db).await? {
        by_entry.entry(seq).or_default().push(id);
    }
    Ok(by_entry)
}

/// The whole check: the chain in the database, and the database against the checkpoints
/// written outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub chain: Verification,
    /// `None` when no anchor is configured (tests of the chain alone).
    pub anchors: Option<anchor::Finding>,
}

impl Report {
    /// The first entry found altered or missing, if any.
    pub fn first_problem(&self) -> Option<i64> {
        match self.anchors {
            Some(anchor::Finding::Rewritten { seq } | anchor::Finding::Truncated { seq }) => {
                Some(self.chain.first_bad_seq.map_or(seq, |bad| bad.min(seq)))
            }
            _ => self.chain.first_bad_seq,
        }
    }

    /// Entries without any checkpoint, or checkpoints not signed with the key: nothing shows
    /// that the newest entries are all there.
    pub fn unanchored(&self) -> bool {
        match self.anchors {
            Some(anchor::Finding::Consistent { checkpoints: 0 }) => self.chain.checked > 0,
            Some(anchor::Finding::Forged { .. }) => true,
            _ => false,
        }
    }
}

pub async fn check(
    db: &Pool,
    anchor: Option<&anchor::Anchor>,
) -> Result<Report, anchor::AnchorError> {
    let chain = verify(db).await?;
    let anchors = match anchor {
        Some(a) => Some(anchor::compare(a, db).await?),
        None => None,
    };
    Ok(Report { chain, anchors })
}
