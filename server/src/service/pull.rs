//! Pull: a page of changes after the device's cursor, limited to what the caller may see.
//!
//! - A fair tablet receives its own fair's registrations and interviews, and of a registration
//!   only what it may keep (`kinds::TabletRegistration`: names and readings for check-in).
//! - Staff receive their organisation's cases, the other organisation's while the person's
//!   consent is active, and fair registrations as the person agreed to share them
//!   (`service::scope`). A record of the other organisation that a staff member was sent and
//!   may no longer see comes as `removed` (to each of their devices, as it pulls); one never
//!   sent to them is never mentioned.

use std::collections::{HashMap, HashSet};

use crate::store::Conn;
use app::domain::access::{ConsentSpan, Organisation, consent_active, may_read_case};
use app::sync::kinds::{self, Fields, InterviewFields};
use app::sync::wire::{MAX_PULL, PullResponse, PulledRecord, RecordKind};

use super::ServiceError;
use super::scope::{registration_scope, sees_registration};
use super::sync::check_protocol;
use super::today;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor};
use crate::store::fairs::{self, RegistrationScope};
use crate::store::now_ms;
use crate::store::sync::{self as rows, StoredRecord};

/// Where a device stands: its cursor and the database identity it came with.
#[derive(Debug, Clone, Default)]
pub struct Position {
    pub after: u64,
    /// `None` from apps older than epochs.
    pub epoch: Option<String>,
}

pub async fn pull(
    state: &AppState,
    actor: &Actor,
    protocol: u32,
    from: Position,
    limit: u32,
) -> Result<PullResponse, ServiceError> {
    check_protocol(protocol)?;
    let limit = limit.clamp(1, MAX_PULL);
    let mut conn = state.db.acquire().await?;
    let (epoch, last_seq) = rows::position(&mut conn).await?;
    // A cursor is a position in this database's sequence. One from another database (a
    // restored backup, a rebuilt server) or past the end means nothing here: start again.
    let reset = from.epoch.as_ref().is_some_and(|e| *e != epoch) || from.after > last_seq;
    let after = if reset { 0 } else { from.after };
    let device_event = match actor {
        Actor::Device(d) => Some(d.event_id.to_string()),
        Actor::Staff(_) => None,
    };
    let page = rows::changed_after(&mut conn, after, limit, device_event.as_deref()).await?;
    let cursor = page.last().map_or(after, |r| r.seq);
    let remaining = rows::count_after(&mut conn, cursor, device_event.as_deref()).await?;
    let sorted = match actor {
        Actor::Device(_) => for_device(page, device_event.as_deref()),
        Actor::Staff(staff) if staff.role.handles_cases() => {
            for_staff(&mut conn, staff, page).await?
        }
        Actor::Staff(_) => Sorted::default(),
    };
    drop(conn);
    // One entry for the page, naming the people (and registrations, interviews) it sent.
    let read: Vec<String> = sorted
        .records
        .iter()
        .filter(|r| r.state.as_ref().is_some_and(|s| s.deleted.is_none()))
        .map(read_subject)
        .collect();
    let entries: Vec<Entry> = if read.is_empty() {
        Vec::new()
    } else {
        vec![Entry::new(Some(actor), "sync_pull", "records").reads(read)]
    };
    if !entries.is_empty() || !sorted.now_sent.is_empty() {
        let holder = actor.audit_name();
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        audit::append(&mut tx, &entries).await?;
        rows::mark_sent(&mut tx, &holder, &sorted.now_sent).await?;
        tx.commit().await?;
    }
    Ok(PullResponse {
        records: sorted.records,
        cursor,
        remaining,
        server_time_ms: now_ms() as u64,
        epoch,
        reset,
    })
}

/// A page sorted for one caller: what to send, and the bookkeeping of what was sent.
#[derive(Default)]
struct Sorted {
    records: Vec<PulledRecord>,
    /// Records of the other organisation sent now (they may come back as `removed`). The mark
    /// stays: a staff member's other devices, pulling later, need the `removed` stub too.
    now_sent: Vec<String>,
}

fn sent(r: StoredRecord) -> PulledRecord {
    PulledRecord {
        kind: r.kind,
        id: r.id,
        seq: r.seq,
        state: Some(r.state),
        removed: false,
    }
}

fn for_device(page: Vec<StoredRecord>, event: Option<&str>) -> Sorted {
    let records = page
        .into_iter()
        .filter(|r| r.kind.is_fair_work() && r.event_id.as_deref() == event)
        .map(|mut r| {
            if r.kind == RecordKind::Participant {
                kinds::tablet_view(&mut r.state);
            }
            sent(r)
        })
        .collect();
    Sorted {
        records,
        ..Sorted::default()
    }
}

async fn for_staff(
    conn: &mut Conn,
    staff: &StaffActor,
    page: Vec<StoredRecord>,
) -> Result<Sorted, sqlx::Error> {
    let today = today();
    let spans: HashMap<String, Vec<ConsentSpan>> =
        if page.iter().any(|r| r.owner_org != staff.organisation) {
            crate::store::people::consent_spans(conn).await?
        } else {
            HashMap::new()
        };
    // An interview is seen with its registration.
    let interview_of: Vec<String> = page
        .iter()
        .filter(|r| r.kind == RecordKind::Interview)
        .map(|r| InterviewFields::read(&r.state).participant_id.0)
        .collect();
    let ids: Vec<&str> = interview_of.iter().map(String::as_str).collect();
    let registrations = fairs::registration_scopes(conn, &ids).await?;
    // (record, visible, whose: the organisation its visibility hangs on)
    let judged: Vec<(StoredRecord, bool, Organisation)> = page
        .into_iter()
        .map(|r| {
            let (visible, whose) = match r.kind {
                RecordKind::Participant => {
                    let scope = registration_scope(&r);
                    (sees_registration(staff, scope), scope.owner)
                }
                RecordKind::Interview => {
                    let scope = registrations
                        .get(&InterviewFields::read(&r.state).participant_id.0)
                        .copied()
                        .unwrap_or(RegistrationScope {
                            owner: r.owner_org,
                            share_ok: false,
                        });
                    (sees_registration(staff, scope), scope.owner)
                }
                k if k.is_casework() => {
                    // A person's case and its entries: by the case's organisation and consent.
                    let consent = r
                        .person_id
                        .as_ref()
                        .and_then(|p| spans.get(p))
                        .is_some_and(|s| consent_active(s, today));
                    let may = may_read_case(staff.organisation, staff.role, r.owner_org, consent);
                    (may, r.owner_org)
                }
                // A kind this server does not know is shown to nobody.
                _ => (false, r.owner_org),
            };
            (r, visible, whose)
        })
        .collect();
    let hidden: Vec<&str> = judged
        .iter()
        .filter(|(_, visible, _)| !visible)
        .map(|(r, _, _)| r.id.as_str())
        .collect();
    let was_sent: HashSet<String> = rows::sent_among(conn, &staff_holder(staff), &hidden).await?;
    let mut sorted = Sorted::default();
    for (r, visible, whose) in judged {
        if visible {
            if whose != staff.organisation {
                sorted.now_sent.push(r.id.clone());
            }
            sorted.records.push(sent(r));
        } else if was_sent.contains(&r.id) {
            sorted.records.push(PulledRecord {
                kind: r.kind,
                id: r.id,
                seq: r.seq,
                state: None,
                removed: true,
            });
        }
    }
    Ok(sorted)
}

fn staff_holder(staff: &StaffActor) -> String {
    Actor::Staff(staff.clone()).audit_name()
}

/// Whose data a pulled record is: a note is about its person; others are their own subject.
fn read_subject(r: &PulledRecord) -> String {
    r.state
        .as_ref()
        .filter(|_| r.kind.is_case_entry())
        .map(|s| kinds::entry_of(s).0)
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| r.id.clone())
}
