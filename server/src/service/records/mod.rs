//! The record kinds the sync engine carries, one module each: what a kind's fields must hold
//! (checked on the server, the authority), who may write it, where it belongs (its scope
//! columns) and how it is projected into the read tables the counter uses — deletion included.
//! The engine (`service::sync`) calls only the functions here and has no kind-specific branch.
//!
//! Adding a kind: a variant of `RecordKind` with its fields and rules in `app::sync::kinds`, a
//! module here with `check` and `project`, a migration for its read table, and its labels.

pub mod assessment;
pub mod entry;
pub mod follow_up;
pub mod interview;
pub mod note;
pub mod participant;
pub mod person;
pub mod placement;
pub mod plan;
pub mod referral;
pub mod story;

use std::collections::{HashMap, HashSet};

use crate::store::Conn;
use app::domain::access::Organisation;
use app::domain::date::CivilDate;
use app::domain::validation::FieldError;
use app::i18n::Lang;
use app::protocol::FieldMessage;
use app::sync::kinds;
use app::sync::merge::RecordState;
use app::sync::wire::{MutationResult, MutationStatus, RecordKind};

use crate::auth::{Actor, DeviceActor, StaffActor};
use crate::store::sync::{self as rows, StoredRecord};

/// Who writes a mutation: case staff, or a fair tablet (its fair's work only).
#[derive(Clone, Copy)]
pub enum Writer<'a> {
    Staff(&'a StaffActor),
    Device(&'a DeviceActor),
}

impl<'a> Writer<'a> {
    pub fn of(actor: &'a Actor) -> Option<Self> {
        match actor {
            Actor::Staff(s) if s.role.handles_cases() => Some(Writer::Staff(s)),
            Actor::Staff(_) => None,
            Actor::Device(d) => Some(Writer::Device(d)),
        }
    }

    /// May this writer write records of `kind` at all?
    pub fn may_write(self, kind: RecordKind) -> bool {
        match self {
            Writer::Staff(_) => kind != RecordKind::Unknown,
            Writer::Device(_) => kind.is_fair_work(),
        }
    }

    /// May this writer see (and so change) an existing record?
    pub async fn sees(
        self,
        conn: &mut Conn,
        record: &StoredRecord,
        today: CivilDate,
    ) -> Result<bool, sqlx::Error> {
        match self {
            Writer::Staff(staff) => super::scope::sees_record(conn, staff, record, today).await,
            Writer::Device(device) => Ok(record.kind.is_fair_work()
                && record.event_id.as_deref() == Some(device.event_id.to_string().as_str())),
        }
    }

    /// A tablet writes only to the fair it was enrolled for.
    pub fn foreign_event(self, event_id: &str) -> bool {
        matches!(self, Writer::Device(d) if d.event_id.to_string() != event_id)
    }
}

/// Why one mutation was refused (the rest of the batch goes on).
pub enum Refusal {
    /// A sentence from the catalogue.
    Reason(&'static str),
    /// A sentence from the catalogue with the particulars filled in.
    Said(String),
    Fields(Vec<FieldError>),
}

impl Refusal {
    pub fn result(self, seq: u64, lang: Lang) -> MutationResult {
        let (reason, fields) = match self {
            Refusal::Reason(r) => (r.to_owned(), Vec::new()),
            Refusal::Said(r) => (r, Vec::new()),
            Refusal::Fields(f) => (
                lang.catalog().sync_invalid.to_owned(),
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

/// A record's checked content, as its read table holds it.
#[derive(Debug, Clone)]
pub enum Checked {
    Person(app::domain::person::NewPerson),
    Note(kinds::NewNote),
    Participant(kinds::NewFairParticipant),
    Interview(kinds::NewInterview),
    Referral(kinds::NewReferral),
    Placement(kinds::NewPlacement),
    FollowUp(kinds::NewFollowUp),
    Assessment(kinds::NewAssessment),
    Plan(kinds::NewPlan),
    Story(kinds::NewStory),
}

/// The records one push reads and changes: read from the database once, written once at the
/// end. Kind rules look up related records through it (a note's person, an interview's
/// registration — perhaps created earlier in the same push).
#[derive(Default)]
pub struct WorkingSet {
    pub records: HashMap<String, StoredRecord>,
    looked_up: HashSet<String>,
}

impl WorkingSet {
    /// Reads these records at once (those that exist).
    pub async fn preload(&mut self, conn: &mut Conn, ids: &[&str]) -> Result<(), sqlx::Error> {
        self.records = rows::records(conn, ids).await?;
        self.looked_up = ids.iter().map(|id| (*id).to_owned()).collect();
        Ok(())
    }

    /// A record as this push left it, read from the database the first time.
    pub async fn record(
        &mut self,
        conn: &mut Conn,
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
}

/// What the kind rules need to judge a write.
pub struct Judge<'a> {
    pub writer: Writer<'a>,
    pub lang: Lang,
    pub today: CivilDate,
    /// The write creates the record (it did not exist before this mutation).
    pub is_new: bool,
    /// The record as it was before this write (none when it is new).
    pub before: Option<RecordState>,
}

/// A record about to be created: its kind, and where it belongs by default.
pub fn new_record(kind: RecordKind, id: &str, writer: Writer<'_>) -> StoredRecord {
    StoredRecord {
        id: id.to_owned(),
        kind,
        state: RecordState::default(),
        // Fairs are run with Hello Work; a tablet's registrations start on its side.
        owner_org: match writer {
            Writer::Staff(s) => s.organisation,
            Writer::Device(_) => Organisation::HelloWork,
        },
        person_id: (kind == RecordKind::Person).then(|| id.to_owned()),
        event_id: None,
        seq: 0,
    }
}

/// Checks a record's merged state with its kind's rules and sets its scope columns. A deleted
/// record has nothing to check (`None`).
pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<Option<Checked>, Refusal>, sqlx::Error> {
    if record.state.deleted.is_some() {
        return Ok(Ok(None));
    }
    let misshapen = app::sync::kinds::misshapen(record.kind, &record.state);
    if !misshapen.is_empty() {
        return Ok(Err(Refusal::Fields(misshapen)));
    }
    let checked = match record.kind {
        RecordKind::Person => person::check(judge, record).map(Checked::Person),
        RecordKind::Note => note::check(conn, set, judge, record)
            .await?
            .map(Checked::Note),
        RecordKind::Participant => participant::check(conn, judge, record)
            .await?
            .map(Checked::Participant),
        RecordKind::Interview => interview::check(conn, set, judge, record)
            .await?
            .map(Checked::Interview),
        RecordKind::Referral => referral::check(conn, set, judge, record)
            .await?
            .map(Checked::Referral),
        RecordKind::Placement => placement::check(conn, set, judge, record)
            .await?
            .map(Checked::Placement),
        RecordKind::FollowUp => follow_up::check(conn, set, judge, record)
            .await?
            .map(Checked::FollowUp),
        RecordKind::Assessment => assessment::check(conn, set, judge, record)
            .await?
            .map(Checked::Assessment),
        RecordKind::Plan => plan::check(conn, set, judge, record)
            .await?
            .map(Checked::Plan),
        RecordKind::Story => story::check(conn, set, judge, record)
            .await?
            .map(Checked::Story),
        RecordKind::Unknown => Err(Refusal::Reason(judge.lang.catalog().sync_refused_kind)),
    };
    Ok(checked.map(Some))
}

/// Who made a push, as the read tables record it.
pub struct Author<'a> {
    pub actor: &'a Actor,
    pub now: i64,
}

/// Keeps every kind's read table equal to its changed records (deleted ones included);
/// returns the ids of other records to send again (an interview follows its registration).
pub async fn project(
    conn: &mut Conn,
    changed: &[&StoredRecord],
    checked: &HashMap<String, Checked>,
    author: &Author<'_>,
) -> Result<Vec<String>, sqlx::Error> {
    let of = |kind: RecordKind| -> Vec<(&StoredRecord, Option<&Checked>)> {
        changed
            .iter()
            .filter(|r| r.kind == kind)
            .map(|r| (*r, checked.get(&r.id)))
            .collect()
    };
    person::project(conn, &of(RecordKind::Person), author.now).await?;
    note::project(conn, &of(RecordKind::Note), author).await?;
    let resend = participant::project(conn, &of(RecordKind::Participant), author).await?;
    interview::project(conn, &of(RecordKind::Interview), author.now).await?;
    for kind in [
        RecordKind::Referral,
        RecordKind::Placement,
        RecordKind::FollowUp,
    ] {
        entry::project(conn, &of(kind), author).await?;
    }
    Ok(resend)
}

/// A short label of a record for staff who may see it (a person's name).
pub fn label(record: &StoredRecord) -> String {
    match record.kind {
        RecordKind::Person => person::label(record),
        RecordKind::Note => note::label(record),
        RecordKind::Participant => participant::label(record),
        RecordKind::Interview => interview::label(record),
        RecordKind::Referral => referral::label(record),
        RecordKind::Placement => placement::label(record),
        RecordKind::FollowUp => follow_up::label(record),
        RecordKind::Assessment => assessment::label(record),
        RecordKind::Plan => plan::label(record),
        RecordKind::Story => story::label(record),
        RecordKind::Unknown => String::new(),
    }
}
