//! Applying one push: admission by number and content, the generic write and delete of a
//! record (merge, the kind's check, the working set), and the flush that writes everything the
//! push changed at once.

use std::collections::{HashMap, HashSet};

use crate::store::Conn;
use app::domain::date::CivilDate;
use app::i18n::Lang;
use app::sync::kinds;
use app::sync::merge::{self, Conflict, FieldWrite, Outcome};
use app::sync::outbox::{Admit, admit};
use app::sync::wire::{Mutation, MutationResult, MutationStatus, Op, PushResponse, RecordKind};

use super::{Batch, Received};
use crate::audit::{self, Entry};
use crate::auth::Actor;
use crate::service::ServiceError;
use crate::service::records::{self, Author, Checked, Judge, Refusal, WorkingSet, Writer};
use crate::store::conflicts;
use crate::store::now_ms;
use crate::store::sync::{self as rows, StoredRecord, release, rollback_to, savepoint};

/// Everything one push needs while it applies mutations.
pub(super) struct Apply<'a> {
    pub actor: &'a Actor,
    pub lang: Lang,
    pub now: i64,
    pub today: CivilDate,
    /// The last server sequence number given out.
    seq: u64,
    pub audit: Vec<Entry>,
    pub set: WorkingSet,
    /// Ids of changed records, in the order they first changed.
    changed: Vec<String>,
    changed_set: HashSet<String>,
    /// The checked content of changed records (their read-table rows, written at the end).
    checked: HashMap<String, Checked>,
    /// Each with the stamp of the side this push brought.
    conflicts: Vec<(String, Conflict, app::sync::hlc::Hlc)>,
    /// The replica pushing, and the nodes its applied edits were stamped with (who made each
    /// side of a later conflict is found through them).
    pub replica: Option<String>,
    nodes: std::collections::BTreeSet<u64>,
    /// Mutation numbers dealt with by this push.
    outcomes: Vec<rows::Outcome>,
}

impl<'a> Apply<'a> {
    pub async fn new(conn: &mut Conn, actor: &'a Actor, lang: Lang) -> Result<Self, sqlx::Error> {
        Ok(Self {
            actor,
            lang,
            now: now_ms(),
            today: crate::service::today(),
            seq: rows::claim_seq(conn).await?,
            audit: Vec::new(),
            set: WorkingSet::default(),
            changed: Vec::new(),
            changed_set: HashSet::new(),
            checked: HashMap::new(),
            conflicts: Vec::new(),
            replica: None,
            nodes: Default::default(),
            outcomes: Vec::new(),
        })
    }

    /// What the kind rules need to judge a write by `writer`.
    fn judge<'w>(&self, writer: Writer<'w>, before: Option<&StoredRecord>) -> Judge<'w> {
        Judge {
            writer,
            lang: self.lang,
            today: self.today,
            is_new: before.is_none(),
            before: before.map(|r| r.state.clone()),
        }
    }

    /// Puts a changed record in the working set under a new sequence number.
    fn store(&mut self, mut record: StoredRecord) {
        self.seq += 1;
        record.seq = self.seq;
        if self.changed_set.insert(record.id.clone()) {
            self.changed.push(record.id.clone());
        }
        self.set.records.insert(record.id.clone(), record);
    }

    /// Writes everything this push changed: records, each kind's read table, conflicts, the
    /// numbers dealt with, audit.
    pub async fn flush(self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        let changed: Vec<&StoredRecord> = self
            .changed
            .iter()
            .filter_map(|id| self.set.records.get(id))
            .collect();
        rows::save_records(conn, &changed, self.now).await?;
        // An entry written into the other organisation's case is on the writer's device now:
        // remembered as sent, so a withdrawal of the consent takes it back from there too.
        if let Actor::Staff(staff) = self.actor {
            let held: Vec<String> = changed
                .iter()
                .filter(|r| r.kind.is_casework() && r.owner_org != staff.organisation)
                .map(|r| r.id.clone())
                .collect();
            rows::mark_sent(conn, &self.actor.audit_name(), &held).await?;
        }
        let author = Author {
            actor: self.actor,
            now: self.now,
        };
        let resend = records::project(conn, &changed, &self.checked, &author).await?;
        let resend: Vec<String> = resend
            .into_iter()
            .filter(|id| !self.changed_set.contains(id))
            .collect();
        rows::resequence(conn, resend, self.seq).await?;
        if let Some(replica) = &self.replica {
            let nodes: Vec<u64> = self.nodes.iter().copied().collect();
            conflicts::save_nodes(conn, &nodes, replica, self.now).await?;
        }
        for (id, c, incoming) in &self.conflicts {
            if let Some(record) = self.set.records.get(id) {
                let pusher = self.replica.as_deref();
                conflicts::insert_conflict(conn, record, c, *incoming, pusher, self.now).await?;
            }
        }
        rows::save_outcomes(conn, &self.outcomes).await?;
        audit::append(conn, &self.audit).await
    }
}

/// A push in its own savepoint. A storage failure undoes only this push: a deterministic one
/// (a constraint the database enforces) has its mutations applied one by one, the failing one
/// refused on its own; any other failure answers "busy" to this device alone.
pub(super) async fn isolated(
    tx: &mut Conn,
    actor: &Actor,
    lang: Lang,
    batch: &Batch,
) -> Result<Result<PushResponse, ServiceError>, sqlx::Error> {
    savepoint(tx, "push").await?;
    match apply_push(tx, actor, lang, batch).await {
        Ok(answer) => {
            release(tx, "push").await?;
            Ok(answer)
        }
        Err(e) => {
            rollback_to(tx, "push").await?;
            release(tx, "push").await?;
            if !refusable(&e) {
                tracing::warn!(error = %e, "sync push failed in storage; the device will retry");
                return Ok(Err(ServiceError::Busy));
            }
            tracing::warn!(error = %e, "sync push refused by storage; applying one by one");
            one_by_one(tx, actor, lang, batch).await
        }
    }
}

/// A failure that would repeat with the same input: a constraint, a value the database cannot
/// store. (Busy, I/O or a full disk are not: the device sends again later.)
fn refusable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d.code().is_some_and(|code| refusable_code(&code)),
        sqlx::Error::Encode(_) => true,
        _ => false,
    }
}

fn refusable_code(code: &str) -> bool {
    if code.len() == 5 {
        // PostgreSQL's SQLSTATE (SQLite's codes have at most four digits): integrity
        // constraint violations (23…), data exceptions (22…: too long, out of range, bad
        // encoding), a trigger's RAISE EXCEPTION (P0001).
        return code.starts_with("23") || code.starts_with("22") || code == "P0001";
    }
    // SQLite's extended result code: SQLITE_TOOBIG, SQLITE_CONSTRAINT (CHECK, NOT NULL,
    // UNIQUE, triggers), SQLITE_MISMATCH.
    code.parse::<i32>()
        .is_ok_and(|n| matches!(n & 0xff, 18..=20))
}

async fn one_by_one(
    tx: &mut Conn,
    actor: &Actor,
    lang: Lang,
    batch: &Batch,
) -> Result<Result<PushResponse, ServiceError>, sqlx::Error> {
    let mut answer = PushResponse {
        through: 0,
        results: Vec::new(),
        server_time_ms: now_ms() as u64,
    };
    for m in &batch.mutations {
        let single = Batch {
            mutations: vec![m.clone()],
            ..batch.clone()
        };
        savepoint(tx, "mutation").await?;
        let step = match apply_push(tx, actor, lang, &single).await {
            Ok(Ok(step)) => step,
            Ok(Err(e)) => {
                release(tx, "mutation").await?;
                return Ok(Err(e));
            }
            Err(e) if refusable(&e) => {
                rollback_to(tx, "mutation").await?;
                tracing::warn!(error = %e, seq = m.seq, "mutation refused by storage");
                refuse_in_storage(tx, actor, lang, &batch.replica, m).await?
            }
            Err(e) => {
                // What was applied so far stays (the device gets "duplicate" for it later).
                rollback_to(tx, "mutation").await?;
                release(tx, "mutation").await?;
                tracing::warn!(error = %e, "sync push failed in storage; the device will retry");
                return Ok(Err(ServiceError::Busy));
            }
        };
        release(tx, "mutation").await?;
        let stop = step.results.is_empty();
        answer.through = answer.through.max(step.through);
        answer.results.extend(step.results);
        if stop {
            break; // a gap: the rest waits for the missing number
        }
    }
    Ok(Ok(answer))
}

/// Refuses a mutation the database would not store, remembering the refusal like any other.
async fn refuse_in_storage(
    tx: &mut Conn,
    actor: &Actor,
    lang: Lang,
    replica: &str,
    m: &Received,
) -> Result<PushResponse, sqlx::Error> {
    let result = Refusal::Reason(lang.catalog().sync_store_failed).result(m.seq, lang);
    let now = now_ms();
    let json = serde_json::to_string(&result).map_err(|e| sqlx::Error::Encode(e.into()))?;
    // The replica first: a new replica's row was rolled back with the failed mutation.
    rows::save_replica(tx, replica, &actor.audit_name(), m.seq, now).await?;
    rows::save_outcomes(tx, &[(replica.to_owned(), m.seq, m.digest, Some(json))]).await?;
    Ok(PushResponse {
        through: m.seq,
        results: vec![result],
        server_time_ms: now as u64,
    })
}

/// Applies one push inside the group's transaction.
async fn apply_push(
    tx: &mut Conn,
    actor: &Actor,
    lang: Lang,
    batch: &Batch,
) -> Result<Result<PushResponse, ServiceError>, sqlx::Error> {
    let owner = actor.audit_name();
    let first = batch.mutations.first().map_or(0, |m| m.seq);
    let mut last = match rows::replica(tx, &batch.replica).await? {
        Some(r) if r.actor != owner => return Ok(Err(ServiceError::Forbidden)),
        // The database was restored from a backup: the device continues where it is.
        Some(r) if r.rebase && first > r.last_seq + 1 => first - 1,
        Some(r) => r.last_seq,
        None => {
            rows::save_replica(tx, &batch.replica, &owner, 0, now_ms()).await?;
            0
        }
    };
    let mut ctx = Apply::new(tx, actor, lang).await?;
    ctx.replica = Some(batch.replica.clone());
    let ids: Vec<&str> = batch
        .mutations
        .iter()
        .filter_map(|m| m.mutation.as_ref().map(|m| m.id.as_str()))
        .collect();
    ctx.set.preload(tx, &ids).await?;
    // What this push dealt with, for a number repeated within it.
    let mut here: HashMap<u64, ([u8; 16], MutationResult)> = HashMap::new();
    let mut results = Vec::with_capacity(batch.mutations.len());
    for m in &batch.mutations {
        let result = match admit(last, m.seq) {
            Admit::Gap => break,
            Admit::Invalid => Refusal::Reason(lang.catalog().sync_bad_seq).result(m.seq, lang),
            Admit::Duplicate => repeat(tx, &batch.replica, m, &here, lang).await?,
            Admit::Next => {
                last = m.seq;
                let result = apply_received(tx, &mut ctx, m).await?;
                let kept = (result.status == MutationStatus::Rejected || result.conflicts > 0)
                    .then(|| serde_json::to_string(&result))
                    .transpose()
                    .map_err(|e| sqlx::Error::Encode(e.into()))?;
                ctx.outcomes
                    .push((batch.replica.clone(), m.seq, m.digest, kept));
                here.insert(m.seq, (m.digest, result.clone()));
                result
            }
        };
        results.push(result);
    }
    let now = ctx.now;
    rows::save_replica(tx, &batch.replica, &owner, last, now).await?;
    ctx.flush(tx).await?;
    Ok(Ok(PushResponse {
        through: last,
        results,
        server_time_ms: now as u64,
    }))
}

/// The answer to a number already dealt with: the first answer again in full (its conflicts,
/// its refusal) when the content is the same; a refusal when the number was used for something
/// else.
async fn repeat(
    tx: &mut Conn,
    replica: &str,
    m: &Received,
    here: &HashMap<u64, ([u8; 16], MutationResult)>,
    lang: Lang,
) -> Result<MutationResult, sqlx::Error> {
    let (digest, first) = match here.get(&m.seq) {
        Some((digest, result)) => (Some(digest.to_vec()), Some(result.clone())),
        None => match rows::outcome(tx, replica, m.seq).await? {
            Some((digest, result)) => (
                digest,
                result.and_then(|r| serde_json::from_str::<MutationResult>(&r).ok()),
            ),
            // Dealt with before outcomes were kept: a retry.
            None => (None, None),
        },
    };
    if digest.is_some_and(|d| d != m.digest) {
        return Ok(Refusal::Reason(lang.catalog().sync_seq_reused).result(m.seq, lang));
    }
    Ok(match first {
        Some(r) if r.status == MutationStatus::Rejected => r,
        Some(r) => MutationResult {
            status: MutationStatus::Duplicate,
            ..r
        },
        None => MutationResult {
            seq: m.seq,
            status: MutationStatus::Duplicate,
            reason: None,
            fields: Vec::new(),
            conflicts: 0,
        },
    })
}

/// Applies one new mutation and says how it went.
async fn apply_received(
    tx: &mut Conn,
    ctx: &mut Apply<'_>,
    m: &Received,
) -> Result<MutationResult, sqlx::Error> {
    let lang = ctx.lang;
    let outcome = match &m.mutation {
        Some(mutation) => apply_mutation(tx, ctx, mutation).await?,
        None => Err(Refusal::Reason(lang.catalog().sync_unreadable)),
    };
    Ok(match outcome {
        Ok(conflicts) => MutationResult {
            seq: m.seq,
            status: MutationStatus::Applied,
            reason: None,
            fields: Vec::new(),
            conflicts,
        },
        Err(refusal) => refusal.result(m.seq, lang),
    })
}

/// Applies one mutation: `Ok(conflicts)` when written, `Err(refusal)` when refused (nothing
/// written). The outer `Result` is a storage failure.
async fn apply_mutation(
    conn: &mut Conn,
    ctx: &mut Apply<'_>,
    m: &Mutation,
) -> Result<Result<u32, Refusal>, sqlx::Error> {
    let t = ctx.lang.catalog();
    let Some(writer) = Writer::of(ctx.actor).filter(|w| w.may_write(m.kind)) else {
        return Ok(Err(Refusal::Reason(t.sync_refused_kind)));
    };
    if uuid::Uuid::parse_str(&m.id).is_err() {
        return Ok(Err(Refusal::Reason(t.sync_bad_id)));
    }
    let existing = ctx.set.record(conn, &m.id).await?;
    if let Some(found) = &existing
        && (found.kind != m.kind || !writer.sees(conn, found, ctx.today).await?)
    {
        return Ok(Err(Refusal::Reason(t.sync_not_visible)));
    }
    if existing.as_ref().is_some_and(|r| r.state.deleted.is_none()) && !kinds::editable(m.kind) {
        return Ok(Err(Refusal::Reason(if m.kind == RecordKind::Plan {
            t.case.refused_plan_immutable
        } else {
            t.sync_note_immutable
        })));
    }
    let cap = ctx.now as u64;
    // A tablet changes an existing registration only by checking it in, and deletes only
    // interviews.
    let tablet_edit = |fields: &[FieldWrite]| {
        matches!(writer, Writer::Device(_))
            && existing.as_ref().is_some_and(|r| r.state.deleted.is_none())
            && fields
                .iter()
                .any(|w| !kinds::tablet_may_change(m.kind, &w.field))
    };
    match &m.op {
        Op::Put { fields } if tablet_edit(fields) => Ok(Err(Refusal::Reason(t.sync_tablet_edit))),
        Op::Delete { .. }
            if matches!(writer, Writer::Device(_)) && !kinds::tablet_may_delete(m.kind) =>
        {
            Ok(Err(Refusal::Reason(t.sync_tablet_edit)))
        }
        Op::Put { fields } => {
            // Fields only the server's own decisions write (a merge) are not for devices.
            if fields.iter().any(|w| {
                kinds::field_name(m.kind, &w.field).is_none()
                    || kinds::SERVER_WRITES.contains(&w.field.as_str())
            }) {
                return Ok(Err(Refusal::Reason(t.sync_unknown_field)));
            }
            // Stamps and what their writers saw are capped at the server's clock (+ 60 s).
            let writes = fields
                .iter()
                .map(|w| FieldWrite {
                    stamp: w.stamp.capped(cap),
                    base: w.base.map(|b| b.capped(cap)),
                    ..w.clone()
                })
                .collect();
            write_fields(conn, ctx, writer, m.kind, &m.id, existing, writes).await
        }
        Op::Delete { stamp } => match existing {
            Some(record) => delete_record(ctx, writer, record, stamp.capped(cap)),
            None => Ok(Err(Refusal::Reason(t.sync_not_visible))),
        },
    }
}

/// Deletes a record (a tombstone) through the working set like any change: a delete after a
/// put in the same push is what the flush writes and projects.
fn delete_record(
    ctx: &mut Apply<'_>,
    writer: Writer<'_>,
    mut record: StoredRecord,
    stamp: app::sync::hlc::Hlc,
) -> Result<Result<u32, Refusal>, sqlx::Error> {
    if record.state.deleted.is_some() {
        return Ok(Ok(0)); // deleted already: nothing changes
    }
    if let Some(refusal) =
        records::entry::may_change(writer, &record, &ctx.judge(writer, Some(&record)))
    {
        return Ok(Err(refusal));
    }
    let kind = record.kind;
    merge::delete(&mut record.state, stamp);
    ctx.checked.remove(&record.id);
    // Filed under the person, like every other change of their case.
    let entry = match record.person_id.as_deref() {
        Some(person) if kind != RecordKind::Person => {
            Entry::new(Some(ctx.actor), "sync_delete", "person")
                .subject(person)
                .detail(format!("{}={}", kind.code(), record.id))
        }
        _ => Entry::new(Some(ctx.actor), "sync_delete", kind.code()).subject(&record.id),
    };
    ctx.audit.push(entry);
    ctx.store(record);
    Ok(Ok(0))
}

/// A change the server makes itself — a counter's REST call, a staff decision, demo data — on
/// behalf of `actor`: applied by this engine like a device's mutation (the kind's rules,
/// projection, duplicate flags, audit, a sequence number tablets and laptops pull), stamped by
/// the server's clock as an edit that has seen each field's current value. Fields whose value
/// does not change are not written (repeating a change changes nothing).
pub(super) async fn server_write(
    conn: &mut Conn,
    actor: &Actor,
    lang: Lang,
    kind: RecordKind,
    id: &str,
    values: Vec<(&'static str, serde_json::Value)>,
) -> Result<Result<bool, Refusal>, sqlx::Error> {
    let t = lang.catalog();
    let Some(writer) = Writer::of(actor).filter(|w| w.may_write(kind)) else {
        return Ok(Err(Refusal::Reason(t.sync_refused_kind)));
    };
    let mut ctx = Apply::new(conn, actor, lang).await?;
    let existing = ctx.set.record(conn, id).await?;
    if let Some(found) = &existing
        && (found.kind != kind || !writer.sees(conn, found, ctx.today).await?)
    {
        return Ok(Err(Refusal::Reason(t.sync_not_visible)));
    }
    let writes = server_writes(existing.as_ref(), values, ctx.now);
    if writes.is_empty() {
        return Ok(Ok(false));
    }
    match write_fields(conn, &mut ctx, writer, kind, id, existing, writes).await? {
        Ok(_) => {
            ctx.flush(conn).await?;
            Ok(Ok(true))
        }
        Err(refusal) => Ok(Err(refusal)),
    }
}

/// The server's writes of `values`: stamped after every value the record holds, each having
/// seen the field's current value; unchanged values left out.
fn server_writes(
    existing: Option<&StoredRecord>,
    values: Vec<(&'static str, serde_json::Value)>,
    now: i64,
) -> Vec<FieldWrite> {
    let fields = existing.map(|r| &r.state.fields);
    let latest = fields
        .and_then(|f| f.values().map(|f| f.stamp).max())
        .unwrap_or(app::sync::hlc::Hlc::ZERO);
    let stamp = app::sync::hlc::Hlc::observe(latest, latest, now as u64, super::SERVER_NODE);
    merge::writes_for(existing.map(|r| &r.state), values, stamp)
}

/// Merges field writes into a record, checks the result with its kind's rules and puts it in
/// the working set. Shared by pushes, server writes and conflict resolution.
pub(super) async fn write_fields(
    conn: &mut Conn,
    ctx: &mut Apply<'_>,
    writer: Writer<'_>,
    kind: RecordKind,
    id: &str,
    existing: Option<StoredRecord>,
    writes: Vec<FieldWrite>,
) -> Result<Result<u32, Refusal>, sqlx::Error> {
    let is_new = existing.is_none();
    let judge = ctx.judge(writer, existing.as_ref());
    if let Some(refusal) = existing
        .as_ref()
        .and_then(|r| records::entry::may_change(writer, r, &judge))
    {
        return Ok(Err(refusal));
    }
    let mut record = existing.unwrap_or_else(|| records::new_record(kind, id, writer));
    let before = record.state.clone();
    let mut conflicts = Vec::new();
    let nodes: Vec<u64> = writes
        .iter()
        .map(|w| w.stamp.node)
        .filter(|n| *n != super::SERVER_NODE)
        .collect();
    for w in writes {
        let incoming = w.stamp;
        if let Outcome::Conflict(c) = merge::apply(&mut record.state, w) {
            conflicts.push((c, incoming));
        }
    }
    if record.state == before && conflicts.is_empty() {
        return Ok(Ok(0)); // older or repeated writes: nothing changes
    }
    match records::check(conn, &mut ctx.set, &judge, &mut record).await? {
        Err(refusal) => return Ok(Err(refusal)),
        Ok(Some(checked)) => {
            ctx.checked.insert(id.to_owned(), checked);
        }
        Ok(None) => {}
    }
    // Only writes that were accepted tie their node to this replica.
    ctx.nodes.extend(nodes);
    let conflict_count = conflicts.len() as u32;
    ctx.conflicts.extend(
        conflicts
            .into_iter()
            .map(|(c, incoming)| (id.to_owned(), c, incoming)),
    );
    let subject = record.person_id.clone().unwrap_or_else(|| id.to_owned());
    let action = if is_new { "sync_create" } else { "sync_update" };
    let mut entry = Entry::new(Some(ctx.actor), action, "person").subject(&subject);
    if kind != RecordKind::Person {
        entry = entry.detail(format!("{}={id}", kind.code()));
    }
    if conflict_count > 0 {
        entry = entry.detail(format!("conflicts={conflict_count}"));
    }
    ctx.audit.push(entry);
    ctx.store(record);
    Ok(Ok(conflict_count))
}
