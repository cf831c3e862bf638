//! The sync engine's rules on the server: push (apply each device mutation exactly once, in one
//! transaction, acknowledged after COMMIT), pull (by server sequence, only what the caller may
//! see) and conflicts (recorded for staff, resolved by them).
//!
//! The merge and admission rules are the shared pure functions in `app::sync`; this module adds
//! authority (who may write what), storage and the audit trail.

use std::collections::HashMap;

use app::domain::person::validate_person;
use app::domain::validation::FieldError;
use app::i18n::Lang;
use app::protocol::FieldMessage;
use app::sync::hlc::Hlc;
use app::sync::kinds::{self, validate_note};
use app::sync::merge::{self, FieldWrite, Outcome, RecordState};
use app::sync::outbox::{Admit, admit};
use app::sync::wire::{
    ConflictView, MAX_PUSH, Mutation, MutationResult, MutationStatus, Op, PROTOCOL_VERSION,
    PushRequest, PushResponse, RecordKind,
};
use sqlx::SqliteConnection;

use super::ServiceError;
use super::people::today;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, DeviceActor, StaffActor};
use crate::store::now_ms;
use crate::store::sync::{self as rows, StoredRecord};

/// The server's node id in clock stamps (devices use non-zero ids).
pub const SERVER_NODE: u64 = 0;

pub fn check_protocol(version: u32) -> Result<(), ServiceError> {
    if version == PROTOCOL_VERSION {
        Ok(())
    } else {
        Err(ServiceError::OldProtocol)
    }
}

/// Why one mutation was refused (the rest of the batch goes on).
enum Refusal {
    /// A sentence from the catalogue.
    Reason(&'static str),
    Fields(Vec<FieldError>),
}

impl Refusal {
    fn result(self, seq: u64, lang: Lang) -> MutationResult {
        let t = lang.catalog();
        let (reason, fields) = match self {
            Refusal::Reason(r) => (r.to_owned(), Vec::new()),
            Refusal::Fields(f) => (
                t.sync_invalid.to_owned(),
                f.iter()
                    .map(|e| FieldMessage::from_error(e, lang))
                    .collect(),
            ),
        };
        MutationResult {
            seq,
            status: MutationStatus::Rejected,
            reason: Some(reason),
            fields,
            conflicts: 0,
        }
    }
}

/// Everything one push needs while it applies mutations.
struct Apply<'a> {
    actor: &'a Actor,
    lang: Lang,
    now: i64,
    today: app::domain::date::CivilDate,
    /// The last server sequence number given out.
    seq: u64,
    audit: Vec<Entry>,
    /// The records this push has read or changed (read once, written once at the end).
    records: HashMap<String, StoredRecord>,
    /// Ids already looked up in the database (found or not).
    looked_up: std::collections::HashSet<String>,
    /// Ids of changed records, in the order they first changed.
    changed: Vec<String>,
    changed_set: std::collections::HashSet<String>,
    /// Checked persons by id (the counter's `people` rows, written at the end).
    people: HashMap<String, app::domain::person::NewPerson>,
    /// Checked fair registrations by id (`participants` rows and duplicate checks at the end).
    participants: HashMap<String, kinds::NewFairParticipant>,
    /// Interviews as they stand after this push (their rows are written at the end).
    interviews: HashMap<String, kinds::NewInterview>,
    /// Notes created by this push (their rows are inserted at the end).
    new_notes: Vec<(String, app::sync::kinds::NewNote)>,
    conflicts: Vec<(String, merge::Conflict)>,
}

impl<'a> Apply<'a> {
    async fn new(
        conn: &mut SqliteConnection,
        actor: &'a Actor,
        lang: Lang,
    ) -> Result<Self, sqlx::Error> {
        Ok(Self {
            actor,
            lang,
            now: now_ms(),
            today: today(),
            seq: rows::last_seq(conn).await?,
            audit: Vec::new(),
            records: HashMap::new(),
            looked_up: std::collections::HashSet::new(),
            changed: Vec::new(),
            changed_set: std::collections::HashSet::new(),
            people: HashMap::new(),
            participants: HashMap::new(),
            interviews: HashMap::new(),
            new_notes: Vec::new(),
            conflicts: Vec::new(),
        })
    }

    /// A record from the working set, read from the database the first time.
    async fn record(
        &mut self,
        conn: &mut SqliteConnection,
        id: &str,
    ) -> Result<Option<StoredRecord>, sqlx::Error> {
        if let Some(r) = self.records.get(id) {
            return Ok(Some(r.clone()));
        }
        if !self.looked_up.insert(id.to_owned()) {
            return Ok(None);
        }
        let found = rows::record(conn, id).await?;
        if let Some(r) = &found {
            self.records.insert(id.to_owned(), r.clone());
        }
        Ok(found)
    }

    /// Puts a changed record in the working set under a new sequence number.
    fn store(&mut self, mut record: StoredRecord) {
        self.seq += 1;
        record.seq = self.seq;
        if self.changed_set.insert(record.id.clone()) {
            self.changed.push(record.id.clone());
        }
        self.records.insert(record.id.clone(), record);
    }

    /// Writes everything this push changed: records, the counter's tables, conflicts, audit.
    async fn flush(self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let changed: Vec<&StoredRecord> = self
            .changed
            .iter()
            .filter_map(|id| self.records.get(id))
            .collect();
        rows::save_records(conn, &changed, self.now).await?;
        let mut people = Vec::new();
        for r in changed.iter().filter(|r| r.kind == RecordKind::Person) {
            if r.state.deleted.is_some() {
                rows::project_person_deleted(conn, &r.id, self.now).await?;
            } else if let Some(person) = self.people.get(&r.id) {
                people.push((r.id.as_str(), person.clone(), r.owner_org));
            }
        }
        rows::project_people(conn, &people, self.now).await?;
        // An interview is seen with its registration: when a registration changes (its
        // agreement to share, above all), its interviews are sent again under the same rule.
        let mut last = self.seq;
        for r in changed.iter().filter(|r| r.kind == RecordKind::Participant) {
            last = rows::touch_interviews_of(conn, &r.id, last, &self.changed_set).await?;
        }
        let (by_staff, by_device) = match self.actor {
            Actor::Staff(s) => (Some(s.id.to_string()), None),
            Actor::Device(d) => (None, Some(d.id.to_string())),
        };
        for r in changed.iter().filter(|r| r.kind == RecordKind::Participant) {
            let Some(p) = self.participants.get(&r.id) else {
                continue;
            };
            rows::project_participant(
                conn,
                &r.id,
                p,
                by_staff.as_deref(),
                by_device.as_deref(),
                r.owner_org,
                self.now,
            )
            .await?;
            flag_duplicates(conn, &r.id, p, self.now).await?;
        }
        for r in changed.iter().filter(|r| r.kind == RecordKind::Interview) {
            match self.interviews.get(&r.id) {
                Some(i) if r.state.deleted.is_none() => {
                    rows::project_interview(conn, &r.id, i, self.now).await?
                }
                _ => rows::project_interview_deleted(conn, &r.id).await?,
            }
        }
        let author = self.actor.audit_name();
        for (id, note) in &self.new_notes {
            rows::project_note(conn, id, note, &author, self.now).await?;
        }
        for (id, c) in &self.conflicts {
            if let Some(record) = self.records.get(id) {
                rows::insert_conflict(
                    conn,
                    record,
                    &c.field,
                    &c.kept.value,
                    &c.other.value,
                    self.now,
                )
                .await?;
            }
        }
        audit::append(conn, &self.audit).await
    }
}

/// Pushes waiting for the database. Whoever takes the write lock applies every waiting push in
/// one transaction and answers them all after its COMMIT (group commit): under load, one
/// fsync serves many devices.
#[derive(Default)]
pub struct PushQueue(std::sync::Mutex<Vec<PushJob>>);

pub struct PushJob {
    actor: Actor,
    lang: Lang,
    request: PushRequest,
    reply: tokio::sync::oneshot::Sender<Result<PushResponse, ServiceError>>,
}

/// Applies a device's batch. Each mutation number is dealt with once: applied, or refused with
/// a reason that is remembered (a retry gets the same answer). The answer comes after COMMIT.
pub async fn push(
    state: &AppState,
    actor: &Actor,
    lang: Lang,
    request: &PushRequest,
) -> Result<PushResponse, ServiceError> {
    check_protocol(request.protocol)?;
    if uuid::Uuid::parse_str(&request.replica).is_err() {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "replica",
            problem: app::domain::validation::Problem::Required,
        }]));
    }
    if request.mutations.len() > MAX_PUSH {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "mutations",
            problem: app::domain::validation::Problem::TooLong { max: MAX_PUSH },
        }]));
    }
    let (reply, answer) = tokio::sync::oneshot::channel();
    lock_queue(state).push(PushJob {
        actor: actor.clone(),
        lang,
        request: request.clone(),
        reply,
    });
    {
        let _guard = state.writes.lock().await;
        // Empty when an earlier lock holder already took (and answered) this push.
        let jobs = std::mem::take(&mut *lock_queue(state));
        if !jobs.is_empty() {
            apply_group(state, jobs).await;
        }
    }
    answer
        .await
        .unwrap_or_else(|_| Err(ServiceError::Store(sqlx::Error::WorkerCrashed)))
}

fn lock_queue(state: &AppState) -> std::sync::MutexGuard<'_, Vec<PushJob>> {
    state
        .push_queue
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One transaction for several pushes; a storage failure fails them all (nothing is committed,
/// the devices send again).
async fn apply_group(state: &AppState, jobs: Vec<PushJob>) {
    let outcome = async {
        let mut tx = state.db.begin().await?;
        let mut answers = Vec::with_capacity(jobs.len());
        for job in &jobs {
            answers.push(apply_push(&mut tx, &job.actor, job.lang, &job.request).await?);
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(answers)
    }
    .await;
    match outcome {
        Ok(answers) => {
            for (job, answer) in jobs.into_iter().zip(answers) {
                let _ = job.reply.send(answer);
            }
        }
        Err(e) => {
            for job in jobs {
                let failed = sqlx::Error::Protocol(format!("sync push not committed: {e}"));
                let _ = job.reply.send(Err(ServiceError::Store(failed)));
            }
        }
    }
}

/// Applies one push inside the group's transaction.
async fn apply_push(
    tx: &mut SqliteConnection,
    actor: &Actor,
    lang: Lang,
    request: &PushRequest,
) -> Result<Result<PushResponse, ServiceError>, sqlx::Error> {
    let owner = actor.audit_name();
    let mut last = match rows::replica(tx, &request.replica).await? {
        Some((who, _)) if who != owner => return Ok(Err(ServiceError::Forbidden)),
        Some((_, last)) => last,
        None => {
            rows::save_replica(tx, &request.replica, &owner, 0, now_ms()).await?;
            0
        }
    };
    let mut ctx = Apply::new(tx, actor, lang).await?;
    let ids: Vec<&str> = request.mutations.iter().map(|m| m.id.as_str()).collect();
    ctx.records = rows::records(tx, &ids).await?;
    ctx.looked_up = ids.iter().map(|id| (*id).to_owned()).collect();
    let mut results = Vec::with_capacity(request.mutations.len());
    for mutation in &request.mutations {
        match admit(last, mutation.seq) {
            Admit::Gap => break,
            Admit::Duplicate => {
                let earlier = rows::refusal(tx, &request.replica, mutation.seq).await?;
                results.push(match earlier.and_then(|r| serde_json::from_str(&r).ok()) {
                    Some(refused) => refused,
                    None => MutationResult {
                        seq: mutation.seq,
                        status: MutationStatus::Duplicate,
                        reason: None,
                        fields: Vec::new(),
                        conflicts: 0,
                    },
                });
            }
            Admit::Next => {
                last = mutation.seq;
                let result = match apply_mutation(tx, &mut ctx, mutation).await? {
                    Ok(conflicts) => MutationResult {
                        seq: mutation.seq,
                        status: MutationStatus::Applied,
                        reason: None,
                        fields: Vec::new(),
                        conflicts,
                    },
                    Err(refusal) => {
                        let result = refusal.result(mutation.seq, lang);
                        let json = serde_json::to_string(&result)
                            .map_err(|e| sqlx::Error::Encode(e.into()))?;
                        rows::save_refusal(tx, &request.replica, mutation.seq, &json).await?;
                        result
                    }
                };
                results.push(result);
            }
        }
    }
    let now = ctx.now;
    rows::save_replica(tx, &request.replica, &owner, last, now).await?;
    ctx.flush(tx).await?;
    Ok(Ok(PushResponse {
        through: last,
        results,
        server_time_ms: now as u64,
    }))
}

/// Who writes a mutation: case staff, or a fair tablet (participants of its event only).
#[derive(Clone, Copy)]
enum Writer<'a> {
    Staff(&'a StaffActor),
    Device(&'a DeviceActor),
}

impl<'a> Writer<'a> {
    fn of(actor: &'a Actor) -> Option<Self> {
        match actor {
            Actor::Staff(s) if s.role.handles_cases() => Some(Writer::Staff(s)),
            Actor::Staff(_) => None,
            Actor::Device(d) => Some(Writer::Device(d)),
        }
    }

    /// May this writer write records of `kind` at all?
    fn may_write(self, kind: RecordKind) -> bool {
        match self {
            Writer::Staff(_) => true,
            Writer::Device(_) => matches!(kind, RecordKind::Participant | RecordKind::Interview),
        }
    }

    /// May this writer see (and so change) an existing record?
    async fn sees(
        self,
        conn: &mut SqliteConnection,
        record: &StoredRecord,
        today: app::domain::date::CivilDate,
    ) -> Result<bool, sqlx::Error> {
        match self {
            Writer::Staff(staff) => super::scope::sees_record(conn, staff, record, today).await,
            Writer::Device(device) => Ok(record.kind.is_fair_work()
                && record.event_id.as_deref() == Some(device.event_id.to_string().as_str())),
        }
    }
}

/// Applies one mutation: `Ok(conflicts)` when written, `Err(refusal)` when refused (nothing
/// written). The outer `Result` is a storage failure, which fails the whole push.
async fn apply_mutation(
    conn: &mut SqliteConnection,
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
    let existing = ctx.record(conn, &m.id).await?;
    if let Some(found) = &existing
        && (found.kind != m.kind || !writer.sees(conn, found, ctx.today).await?)
    {
        return Ok(Err(Refusal::Reason(t.sync_not_visible)));
    }
    match &m.op {
        Op::Put { fields } => {
            for w in fields {
                if kinds::field_name(m.kind, &w.field).is_none() {
                    return Ok(Err(Refusal::Reason(t.sync_unknown_field)));
                }
            }
            if existing.as_ref().is_some_and(|r| r.state.deleted.is_none())
                && !kinds::editable(m.kind)
            {
                return Ok(Err(Refusal::Reason(t.sync_note_immutable)));
            }
            let writes: Vec<FieldWrite> = fields
                .iter()
                .map(|w| FieldWrite {
                    stamp: w.stamp.capped(ctx.now as u64),
                    ..w.clone()
                })
                .collect();
            write_fields(conn, ctx, writer, m.kind, &m.id, existing, writes).await
        }
        Op::Delete { stamp } => {
            let Some(mut record) = existing else {
                return Ok(Err(Refusal::Reason(t.sync_not_visible)));
            };
            if !kinds::editable(m.kind) {
                return Ok(Err(Refusal::Reason(t.sync_note_immutable)));
            }
            merge::delete(&mut record.state, stamp.capped(ctx.now as u64));
            ctx.seq += 1;
            record.seq = ctx.seq;
            rows::save_record(conn, &record, ctx.now).await?;
            if m.kind == RecordKind::Person {
                rows::project_person_deleted(conn, &m.id, ctx.now).await?;
            }
            ctx.audit
                .push(Entry::new(Some(ctx.actor), "sync_delete", m.kind.code()).subject(&m.id));
            Ok(Ok(0))
        }
    }
}

/// Merges field writes into a record, checks the result with the kind's rules, stores it and
/// keeps the counter's tables in step. Shared by pushes and conflict resolution.
async fn write_fields(
    conn: &mut SqliteConnection,
    ctx: &mut Apply<'_>,
    writer: Writer<'_>,
    kind: RecordKind,
    id: &str,
    existing: Option<StoredRecord>,
    writes: Vec<FieldWrite>,
) -> Result<Result<u32, Refusal>, sqlx::Error> {
    let t = ctx.lang.catalog();
    let is_new = existing.is_none();
    let mut record = existing.unwrap_or_else(|| StoredRecord {
        id: id.to_owned(),
        kind,
        state: RecordState::default(),
        // Fairs are run with Hello Work; a tablet's registrations start on its side.
        owner_org: match writer {
            Writer::Staff(s) => s.organisation,
            Writer::Device(_) => app::domain::access::Organisation::HelloWork,
        },
        person_id: (kind == RecordKind::Person).then(|| id.to_owned()),
        event_id: None,
        seq: 0,
    });
    let before = record.state.clone();
    let mut conflicts = Vec::new();
    for w in writes {
        if let Outcome::Conflict(c) = merge::apply(&mut record.state, w) {
            conflicts.push(c);
        }
    }
    if record.state == before && conflicts.is_empty() {
        return Ok(Ok(0)); // older or repeated writes: nothing changes
    }
    match kind {
        RecordKind::Person if record.state.deleted.is_some() => {}
        // The counter's `people` row is written from the final state when the push ends.
        RecordKind::Person => {
            match validate_person(&kinds::person_draft(&record.state), ctx.today) {
                Ok(person) => {
                    ctx.people.insert(id.to_owned(), person);
                }
                Err(fields) => return Ok(Err(Refusal::Fields(fields))),
            }
        }
        RecordKind::Participant if record.state.deleted.is_some() => {}
        RecordKind::Participant => {
            let participant = match kinds::validate_fair_participant(&record.state, ctx.today) {
                Ok(p) => p,
                Err(fields) => return Ok(Err(Refusal::Fields(fields))),
            };
            let event_id = participant.event_id.to_string();
            // A registration stays at its fair; a tablet writes only to its own.
            let moved = record.event_id.as_ref().is_some_and(|e| *e != event_id);
            let foreign = matches!(writer, Writer::Device(d) if d.event_id.to_string() != event_id);
            if moved || foreign || !rows::event_exists(conn, &event_id).await? {
                return Ok(Err(Refusal::Reason(t.sync_wrong_event)));
            }
            record.event_id = Some(event_id);
            ctx.participants.insert(id.to_owned(), participant);
        }
        RecordKind::Interview if record.state.deleted.is_some() => {}
        RecordKind::Interview => {
            let interview = match kinds::validate_interview(&record.state) {
                Ok(i) => i,
                Err(fields) => return Ok(Err(Refusal::Fields(fields))),
            };
            let event_id = interview.event_id.to_string();
            let moved = record.event_id.as_ref().is_some_and(|e| *e != event_id);
            let foreign = matches!(writer, Writer::Device(d) if d.event_id.to_string() != event_id);
            if moved || foreign {
                return Ok(Err(Refusal::Reason(t.sync_wrong_event)));
            }
            // The participant must be registered at this fair (perhaps earlier in this batch),
            // and the employer must take part in it.
            let participant_id = interview.participant_id.to_string();
            // Staff of the other organisation cannot record an interview of a registration
            // they may not see (it would tell them it exists).
            let registered = ctx.record(conn, &participant_id).await?.is_some_and(|p| {
                p.kind == RecordKind::Participant
                    && p.state.deleted.is_none()
                    && p.event_id.as_deref() == Some(event_id.as_str())
                    && match writer {
                        Writer::Staff(s) => {
                            super::scope::sees_registration(s, super::scope::registration_scope(&p))
                        }
                        Writer::Device(_) => true,
                    }
            });
            if !registered {
                return Ok(Err(Refusal::Reason(t.sync_no_participant)));
            }
            let employer = interview.employer_id.to_string();
            if !rows::employer_at_event(conn, &employer, &event_id).await? {
                return Ok(Err(Refusal::Reason(t.sync_no_employer)));
            }
            record.event_id = Some(event_id);
            ctx.interviews.insert(id.to_owned(), interview);
        }
        RecordKind::Note => {
            let note = match validate_note(&record.state) {
                Ok(n) => n,
                Err(fields) => return Ok(Err(Refusal::Fields(fields))),
            };
            let person_id = note.person_id.to_string();
            let Some(person) = ctx.record(conn, &person_id).await? else {
                return Ok(Err(Refusal::Reason(t.sync_no_person)));
            };
            let Writer::Staff(staff) = writer else {
                return Ok(Err(Refusal::Reason(t.sync_refused_kind)));
            };
            if person.kind != RecordKind::Person
                || person.state.deleted.is_some()
                || !super::scope::sees_record(conn, staff, &person, ctx.today).await?
            {
                return Ok(Err(Refusal::Reason(t.sync_no_person)));
            }
            record.owner_org = person.owner_org;
            record.person_id = Some(person_id);
            ctx.new_notes.push((id.to_owned(), note));
        }
    }
    let conflict_count = conflicts.len() as u32;
    ctx.conflicts
        .extend(conflicts.into_iter().map(|c| (id.to_owned(), c)));
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

/// Open conflicts on records this staff member may see.
pub async fn conflicts(
    state: &AppState,
    staff: &StaffActor,
) -> Result<Vec<ConflictView>, ServiceError> {
    let today = today();
    let mut conn = state.db.acquire().await?;
    let open = rows::open_conflicts(&mut conn, None).await?;
    let mut views = Vec::new();
    for c in open {
        let Some(record) = rows::record(&mut conn, &c.record_id).await? else {
            continue;
        };
        if !super::scope::sees_record(&mut conn, staff, &record, today).await? {
            continue;
        }
        views.push(conflict_view(c, &record));
    }
    Ok(views)
}

fn conflict_view(c: rows::ConflictRow, record: &StoredRecord) -> ConflictView {
    let label = match record.kind {
        RecordKind::Person | RecordKind::Participant => format!(
            "{} {}",
            kinds::text(&record.state, "family_name"),
            kinds::text(&record.state, "given_name")
        ),
        RecordKind::Note => kinds::text(&record.state, "written_on"),
        RecordKind::Interview => kinds::text(&record.state, "outcome"),
    };
    ConflictView {
        id: c.id,
        kind: record.kind,
        record_id: c.record_id,
        record_label: label,
        field: c.field,
        kept: serde_json::from_str(&c.kept).unwrap_or_default(),
        other: serde_json::from_str(&c.other).unwrap_or_default(),
        detected_at_ms: c.detected_at_ms,
    }
}

/// Staff choose the value of a conflicting field: it is written as a new edit that has seen
/// both values (so it settles the field on every replica) and the conflict is closed.
pub async fn resolve(
    state: &AppState,
    staff: &StaffActor,
    lang: Lang,
    conflict_id: i64,
    choice: &str,
) -> Result<(), ServiceError> {
    if choice != "kept" && choice != "other" {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "choice",
            problem: app::domain::validation::Problem::UnknownChoice,
        }]));
    }
    let actor = Actor::Staff(staff.clone());
    let _guard = state.writes.lock().await;
    let mut tx = state.db.begin().await?;
    let conflict = rows::open_conflicts(&mut tx, Some(conflict_id))
        .await?
        .pop()
        .ok_or(ServiceError::NotFound)?;
    let record = rows::record(&mut tx, &conflict.record_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut ctx = Apply::new(&mut tx, &actor, lang).await?;
    if !super::scope::sees_record(&mut tx, staff, &record, ctx.today).await? {
        return Err(ServiceError::NotFound);
    }
    let chosen = if choice == "kept" {
        &conflict.kept
    } else {
        &conflict.other
    };
    let value: serde_json::Value = serde_json::from_str(chosen).unwrap_or_default();
    let current = record
        .state
        .fields
        .get(&conflict.field)
        .map_or(Hlc::ZERO, |f| f.stamp);
    let stamp = Hlc::observe(current, current, ctx.now as u64, SERVER_NODE);
    let write = FieldWrite {
        field: conflict.field.clone(),
        value,
        stamp,
        base: Some(current),
    };
    match write_fields(
        &mut tx,
        &mut ctx,
        Writer::Staff(staff),
        record.kind,
        &record.id,
        Some(record.clone()),
        vec![write],
    )
    .await?
    {
        Ok(_) => {}
        Err(Refusal::Fields(fields)) => return Err(ServiceError::Invalid(fields)),
        Err(Refusal::Reason(_)) => return Err(ServiceError::NotFound),
    }
    rows::resolve_conflicts(
        &mut tx,
        &record.id,
        &conflict.field,
        &staff.id.to_string(),
        choice,
        ctx.now,
    )
    .await?;
    ctx.audit.push(
        Entry::new(Some(&actor), "conflict_resolve", "person")
            .subject(record.person_id.as_deref().unwrap_or(&record.id))
            .detail(format!(
                "conflict={conflict_id} field={} choice={choice}",
                conflict.field
            )),
    );
    ctx.flush(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Flags other registrations at the same fair, and people known at the counter, that may be
/// the same person (the rule is `kinds::possibly_same`); staff decide.
async fn flag_duplicates(
    conn: &mut SqliteConnection,
    id: &str,
    p: &kinds::NewFairParticipant,
    now: i64,
) -> Result<(), sqlx::Error> {
    let event_id = p.event_id.to_string();
    let name = &p.person.name;
    let candidates = rows::duplicate_candidates(
        conn,
        id,
        &event_id,
        &name.family_name_kana,
        &name.given_name_kana,
    )
    .await?;
    for (other, other_kind, family, given, birth, phone) in candidates {
        let birth = birth.and_then(|b| b.parse().ok());
        let reason = kinds::possibly_same(
            (
                &name.family_name_kana,
                &name.given_name_kana,
                p.person.birth_date,
                p.person.phone.as_deref(),
            ),
            (&family, &given, birth, phone.as_deref()),
        );
        if let Some(reason) = reason {
            rows::flag_duplicate(conn, id, &other, &other_kind, &event_id, reason.code(), now)
                .await?;
        }
    }
    Ok(())
}

/// A record created at the counter (not through a push) also becomes a synced record, so
/// laptops receive it and can edit it. Called inside the creating transaction.
pub async fn record_server_person(
    conn: &mut SqliteConnection,
    id: &str,
    person: &app::domain::person::NewPerson,
    owner: app::domain::access::Organisation,
    now: i64,
) -> Result<(), sqlx::Error> {
    let stamp = Hlc {
        wall_ms: now as u64,
        counter: 0,
        node: SERVER_NODE,
    };
    let mut state = RecordState::default();
    for (field, value) in kinds::person_values(person) {
        merge::apply(
            &mut state,
            FieldWrite {
                field: field.to_owned(),
                value,
                stamp,
                base: None,
            },
        );
    }
    let seq = rows::last_seq(conn).await? + 1;
    let record = StoredRecord {
        id: id.to_owned(),
        kind: RecordKind::Person,
        state,
        owner_org: owner,
        person_id: Some(id.to_owned()),
        event_id: None,
        seq,
    };
    rows::save_record(conn, &record, now).await
}

/// After a consent is granted or withdrawn, the person's records are sent again on the next
/// pull (to the other organisation: as records, or as `removed`).
pub async fn consent_changed(
    conn: &mut SqliteConnection,
    person_id: &str,
) -> Result<(), sqlx::Error> {
    let last = rows::last_seq(conn).await?;
    rows::touch_person(conn, person_id, last).await?;
    Ok(())
}
