//! The sync engine on the server, the same for every record kind: push (apply each device
//! mutation exactly once by number *and* content, many pushes per transaction, each answered
//! after COMMIT), and the bookkeeping shared with pull (sequence numbers, the epoch). What a
//! kind's fields must hold and where it is projected lives in `service::records`; conflicts
//! staff resolve are in [`conflicts`].
//!
//! A push never fails another device's push: each push in a group commit runs in its own
//! savepoint; a mutation the database refuses (a constraint) is refused on its own, with a
//! reason, and the device's queue moves on.

mod apply;
pub mod conflicts;

use crate::store::Conn;
use app::domain::validation::{FieldError, Problem};
use app::i18n::Lang;
use app::sync::hlc::Hlc;
use app::sync::kinds;
use app::sync::merge::{self, FieldWrite, RecordState};
use app::sync::wire::{
    MAX_PUSH, Mutation, PROTOCOL_VERSION, PushRequest, PushResponse, RecordKind,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::ServiceError;
use crate::AppState;
use crate::auth::Actor;
use crate::store::sync::{self as rows, StoredRecord};

pub use conflicts::{conflicts, resolve};

/// The server's node id in clock stamps (devices use non-zero ids).
pub const SERVER_NODE: u64 = 0;

pub fn check_protocol(version: u32) -> Result<(), ServiceError> {
    if version == PROTOCOL_VERSION {
        Ok(())
    } else {
        Err(ServiceError::OldProtocol)
    }
}

/// One mutation as received: its number, a digest of what it carries, and the mutation itself
/// when this build can read it (one it cannot read is refused on its own).
#[derive(Debug, Clone)]
pub struct Received {
    pub seq: u64,
    pub digest: [u8; 16],
    pub mutation: Option<Mutation>,
}

/// A push as received.
#[derive(Debug, Clone)]
pub struct Batch {
    pub protocol: u32,
    pub replica: String,
    pub mutations: Vec<Received>,
}

/// The first 16 bytes of SHA-256 of a mutation as sent (its JSON; the number is part of it,
/// and equal by definition when two are compared). Devices resend a stored mutation as the same
/// bytes; the apps serialise with serde_json, so a mutation built in Rust digests the same.
fn digest_of(json: &[u8]) -> [u8; 16] {
    let hash = Sha256::digest(json);
    let mut digest = [0; 16];
    digest.copy_from_slice(&hash[..16]);
    digest
}

impl Received {
    pub fn readable(mutation: Mutation) -> Self {
        let json = serde_json::to_vec(&mutation).unwrap_or_default();
        Self {
            seq: mutation.seq,
            digest: digest_of(&json),
            mutation: Some(mutation),
        }
    }

    /// A mutation as sent, read on its own: one this build cannot read keeps its number (so it
    /// can be refused and the device's queue moves on). Without a number it is not a mutation.
    pub fn from_json(raw: &serde_json::value::RawValue) -> Option<Self> {
        let digest = digest_of(raw.get().as_bytes());
        match serde_json::from_str::<Mutation>(raw.get()) {
            Ok(m) => Some(Self {
                seq: m.seq,
                digest,
                mutation: Some(m),
            }),
            Err(_) => {
                let value: Value = serde_json::from_str(raw.get()).ok()?;
                Some(Self {
                    seq: value.get("seq")?.as_u64()?,
                    digest,
                    mutation: None,
                })
            }
        }
    }
}

impl Batch {
    pub fn from_request(request: &PushRequest) -> Self {
        Self {
            protocol: request.protocol,
            replica: request.replica.clone(),
            mutations: request
                .mutations
                .iter()
                .cloned()
                .map(Received::readable)
                .collect(),
        }
    }

    /// A push body whose mutations are read one by one.
    pub fn from_json(
        protocol: u32,
        replica: String,
        sent: &[Box<serde_json::value::RawValue>],
    ) -> Result<Self, ServiceError> {
        let mutations = sent
            .iter()
            .map(|raw| Received::from_json(raw))
            .collect::<Option<Vec<_>>>()
            // One whose number cannot be read cannot be answered on its own.
            .ok_or_else(|| invalid("mutations", Problem::BadValue))?;
        Ok(Self {
            protocol,
            replica,
            mutations,
        })
    }
}

fn invalid(field: &'static str, problem: Problem) -> ServiceError {
    ServiceError::Invalid(vec![FieldError { field, problem }])
}

/// Pushes waiting for the database. Whoever takes the write lock applies every waiting push in
/// one transaction and answers them all after its COMMIT (group commit): under load, one
/// fsync serves many devices.
#[derive(Default)]
pub struct PushQueue(std::sync::Mutex<Vec<PushJob>>);

pub struct PushJob {
    actor: Actor,
    lang: Lang,
    batch: Batch,
    reply: tokio::sync::oneshot::Sender<Result<PushResponse, ServiceError>>,
}

/// Applies a device's batch (as the Rust test clients and benchmarks build it).
pub async fn push(
    state: &AppState,
    actor: &Actor,
    lang: Lang,
    request: &PushRequest,
) -> Result<PushResponse, ServiceError> {
    push_batch(state, actor, lang, Batch::from_request(request)).await
}

/// Applies a device's batch. Each mutation number is dealt with once: applied, or refused with
/// a reason that is remembered (a retry gets the same answer). The answer comes after COMMIT.
pub async fn push_batch(
    state: &AppState,
    actor: &Actor,
    lang: Lang,
    batch: Batch,
) -> Result<PushResponse, ServiceError> {
    check_protocol(batch.protocol)?;
    if batch.replica.trim().is_empty() {
        return Err(invalid("replica", Problem::Required));
    }
    if uuid::Uuid::parse_str(&batch.replica).is_err() {
        return Err(invalid("replica", Problem::BadValue));
    }
    if batch.mutations.len() > MAX_PUSH {
        return Err(invalid("mutations", Problem::TooMany { max: MAX_PUSH }));
    }
    let (reply, answer) = tokio::sync::oneshot::channel();
    lock_queue(state).push(PushJob {
        actor: actor.clone(),
        lang,
        batch,
        reply,
    });
    {
        // Waited too long (503): the push stays queued for the next writer (applied once, or
        // answered as a repeat when the device sends it again meanwhile).
        let _guard = state.write_lock().await?;
        // Empty when an earlier lock holder already took (and answered) this push.
        let jobs = std::mem::take(&mut *lock_queue(state));
        if !jobs.is_empty() {
            apply_group(state, jobs).await;
        }
    }
    answer.await.unwrap_or(Err(ServiceError::Busy))
}

fn lock_queue(state: &AppState) -> std::sync::MutexGuard<'_, Vec<PushJob>> {
    state
        .push_queue
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One transaction for several pushes, each in its own savepoint. Only a failure of the COMMIT
/// itself fails them all (nothing is committed; the devices send again).
async fn apply_group(state: &AppState, jobs: Vec<PushJob>) {
    let outcome = async {
        let mut tx = crate::store::begin_write(&state.db).await?;
        let mut answers = Vec::with_capacity(jobs.len());
        for job in &jobs {
            answers.push(apply::isolated(&mut tx, &job.actor, job.lang, &job.batch).await?);
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
            tracing::warn!(error = %e, "sync push group not committed; devices will retry");
            for job in jobs {
                let _ = job.reply.send(Err(ServiceError::Busy));
            }
        }
    }
}

/// A change the server makes itself on behalf of `actor` (a REST call, a staff decision, demo
/// data), through the same engine as a device's push; inside the caller's transaction, which
/// must hold the write lock. `Ok(false)`: nothing changed.
pub async fn write_as_server(
    conn: &mut Conn,
    actor: &Actor,
    lang: Lang,
    kind: RecordKind,
    id: &str,
    values: Vec<(&'static str, Value)>,
) -> Result<bool, ServiceError> {
    use crate::service::records::Refusal;
    match apply::server_write(conn, actor, lang, kind, id, values).await? {
        Ok(changed) => Ok(changed),
        Err(Refusal::Fields(fields)) => Err(ServiceError::Invalid(fields)),
        Err(Refusal::Reason(_)) => Err(ServiceError::NotFound),
        Err(Refusal::Said(_)) => Err(ServiceError::Forbidden),
    }
}

/// A record created at the counter (not through a push) also becomes a synced record, so
/// laptops receive it and can edit it. Called inside the creating transaction; `false` (nothing
/// written) when a record of any kind already has the id.
pub async fn record_server_person(
    conn: &mut Conn,
    id: &str,
    person: &app::domain::person::NewPerson,
    owner: app::domain::access::Organisation,
    now: i64,
) -> Result<bool, sqlx::Error> {
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
    let seq = rows::claim_seq(conn).await? + 1;
    let record = StoredRecord {
        id: id.to_owned(),
        kind: RecordKind::Person,
        state,
        owner_org: owner,
        person_id: Some(id.to_owned()),
        event_id: None,
        seq,
    };
    rows::insert_record(conn, &record, now).await
}

/// After a consent is granted or withdrawn, the person's records are sent again on the next
/// pull (to the other organisation: as records, or as `removed`).
pub async fn consent_changed(conn: &mut Conn, person_id: &str) -> Result<(), sqlx::Error> {
    let last = rows::claim_seq(conn).await?;
    rows::touch_person(conn, person_id, last).await?;
    Ok(())
}
