//! Fair devices: enrolment by a short one-time code, a revocable token scoped to one event,
//! and what a device may do there (register and check in that event's participants).

use app::domain::ids::{DeviceId, EventId, ParticipantId};
use app::domain::person::validate_participant;
use app::domain::validation::{Errors, FieldError, Problem};
use app::protocol::{
    CreateDevice, CreateParticipant, DeviceEnrolment, DeviceView, Enrolled, ParticipantView,
};

use app::i18n::Lang;
use app::sync::wire::RecordKind;
use serde_json::Value;

use super::registrations::{participant, participant_row};
use super::today;
use super::{ServiceError, sync};
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor, throttle, token};
use crate::store::registrations::ParticipantRow;
use crate::store::{self, now_ms};

/// How long an enrolment code can be used.
pub const CODE_VALID_MS: i64 = 15 * 60 * 1000;
pub const LABEL_MAX: usize = 30;

pub async fn list(state: &AppState) -> Result<Vec<DeviceView>, ServiceError> {
    Ok(store::devices::list(&state.db).await?)
}

async fn get(state: &AppState, id: DeviceId) -> Result<DeviceView, ServiceError> {
    store::devices::get(&state.db, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// An administrator prepares a device for an event and gets the code to type on it.
pub async fn create(
    state: &AppState,
    admin: &StaffActor,
    request: &CreateDevice,
) -> Result<DeviceEnrolment, ServiceError> {
    let mut errors = Errors::default();
    let label = errors.required_line("label", &request.label, LABEL_MAX);
    let event_id: Option<EventId> = match request.event_id.trim() {
        "" => {
            errors.add("event_id", Problem::NotChosen);
            None
        }
        raw => raw.parse().ok(),
    };
    let event = match event_id {
        Some(id) => store::events::get(&state.db, id).await?,
        None => None,
    };
    if event.is_none() && !request.event_id.trim().is_empty() {
        errors.add("event_id", Problem::UnknownChoice);
    }
    // A tablet is for a fair still to come (or today's): enrolled for one that is over, it would
    // only read that fair's people's names.
    if event.as_ref().is_some_and(|e| e.date < super::today()) {
        errors.add("event_id", Problem::EventOver);
    }
    errors.finish(|| ()).map_err(ServiceError::Invalid)?;
    let event = event.expect("checked");
    let id = DeviceId(uuid::Uuid::now_v7());
    let code = token::new_enrol_code();
    let now = now_ms();
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        store::devices::insert(
            &mut tx,
            &store::devices::NewDevice {
                id,
                event_id: event.id,
                label: &label,
                code_hash: &token::hash(&token::normalise_code(&code)),
                code_expires_ms: now + CODE_VALID_MS,
                created_by: admin.id,
                now,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &[
                Entry::new(Some(&Actor::Staff(admin.clone())), "create", "device")
                    .subject(id)
                    .detail(format!("event={}", event.id)),
            ],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(DeviceEnrolment {
        device: get(state, id).await?,
        code,
        expires_at_ms: now + CODE_VALID_MS,
    })
}

/// A device exchanges a valid, unexpired, unused code for its token (given only this once).
/// Guesses are throttled per address and in total (`auth::throttle`), reserved before the
/// code is looked up.
pub async fn enrol(
    state: &AppState,
    typed_code: &str,
    address: &str,
) -> Result<Enrolled, ServiceError> {
    let code = token::normalise_code(typed_code);
    if code.len() != token::ENROL_CODE_DIGITS {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "code",
            problem: Problem::Required,
        }]));
    }
    let now = now_ms();
    let attempt = match crate::service::throttle::reserve(
        state,
        &throttle::enrol_keys(address),
        now,
    )
    .await?
    {
        Ok(attempt) => attempt,
        Err(wait_ms) => {
            state.refusals.note("enrol_throttled");
            return Err(ServiceError::Throttled((wait_ms as u64).div_ceil(1000)));
        }
    };
    let enrolled = exchange_code(state, &code, now).await;
    match &enrolled {
        Ok(_) => crate::service::throttle::succeeded(state, attempt, None, now_ms()).await?,
        Err(_) => crate::service::throttle::failed(state, attempt, now_ms()).await?,
    }
    enrolled
}

async fn exchange_code(state: &AppState, code: &str, now: i64) -> Result<Enrolled, ServiceError> {
    let secret = token::new_secret();
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    // The code is consumed in the same statement that finds it: used once, whichever server
    // or request gets there first.
    let found =
        store::devices::consume_code(&mut tx, &token::hash(code), now, &token::hash(&secret))
            .await?;
    let Some((device_id, event_id)) = found else {
        audit::append(&mut tx, &[Entry::new(None, "enrol", "device").denied()]).await?;
        tx.commit().await?;
        return Err(ServiceError::CodeInvalid);
    };
    let mut entry = Entry::new(None, "enrol", "device").subject(&device_id);
    entry.actor = format!("device:{device_id}");
    entry.device_id = Some(device_id.clone());
    audit::append(&mut tx, &[entry]).await?;
    tx.commit().await?;
    let event_id: EventId = event_id.parse().map_err(|_| ServiceError::NotFound)?;
    let event = store::events::get(&state.db, event_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(Enrolled {
        device_id: device_id.parse().map_err(|_| ServiceError::NotFound)?,
        token: secret,
        event,
    })
}

/// Revoking ends the device's access on its next request.
pub async fn revoke(
    state: &AppState,
    admin: &StaffActor,
    id: DeviceId,
) -> Result<DeviceView, ServiceError> {
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        // Its sealed store no longer opens online either.
        if !store::devices::revoke(&mut tx, id, now_ms()).await? {
            return Err(ServiceError::NotFound);
        }
        audit::append(
            &mut tx,
            &[Entry::new(Some(&Actor::Staff(admin.clone())), "revoke", "device").subject(id)],
        )
        .await?;
        tx.commit().await?;
    }
    get(state, id).await
}

/// A device works only on its own event; case staff on any.
fn may_work_on(actor: &Actor, event: EventId) -> bool {
    match actor {
        Actor::Device(d) => d.event_id == event,
        Actor::Staff(s) => s.role.handles_cases(),
    }
}

pub async fn add_participant(
    state: &AppState,
    actor: &Actor,
    event: EventId,
    request: &CreateParticipant,
) -> Result<ParticipantView, ServiceError> {
    if !may_work_on(actor, event) {
        audit::record(
            state,
            &[Entry::new(Some(actor), "create", "participant")
                .denied()
                .detail(format!("event={event}"))],
        )
        .await?;
        return Err(ServiceError::Forbidden);
    }
    if store::events::get(&state.db, event).await?.is_none() {
        return Err(ServiceError::NotFound);
    }
    let p = validate_participant(&request.draft(), today()).map_err(ServiceError::Invalid)?;
    let id = request
        .id
        .unwrap_or_else(|| ParticipantId(uuid::Uuid::now_v7()));
    // Through the sync engine like a tablet's registration: flagged for duplicates, pulled by
    // the fair's tablets, projected and audited the same way. An id already used is left as
    // it is (a retried request).
    let values = vec![
        ("event_id", Value::from(event.to_string())),
        ("family_name", Value::from(p.name.family_name.clone())),
        ("given_name", Value::from(p.name.given_name.clone())),
        (
            "family_name_kana",
            Value::from(p.name.family_name_kana.clone()),
        ),
        (
            "given_name_kana",
            Value::from(p.name.given_name_kana.clone()),
        ),
        (
            "birth_date",
            p.birth_date
                .map_or(Value::Null, |d| Value::from(d.to_string())),
        ),
        ("phone", p.phone.clone().map_or(Value::Null, Value::from)),
        (
            "age_band",
            Some(request.age_band.trim())
                .filter(|b| !b.is_empty())
                .map_or(Value::Null, Value::from),
        ),
    ];
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    if crate::store::sync::record(&mut tx, &id.to_string())
        .await?
        .is_none()
    {
        let kind = RecordKind::Participant;
        sync::write_as_server(&mut tx, actor, Lang::Ja, kind, &id.to_string(), values).await?;
    }
    tx.commit().await?;
    drop(_guard);
    participant(state, actor, event, id).await
}

pub async fn check_in(
    state: &AppState,
    actor: &Actor,
    event: EventId,
    id: ParticipantId,
) -> Result<ParticipantView, ServiceError> {
    if !may_work_on(actor, event) {
        audit::record(
            state,
            &[Entry::new(Some(actor), "check_in", "participant")
                .subject(id)
                .denied()],
        )
        .await?;
        return Err(ServiceError::Forbidden);
    }
    if !participant_row(state, event, id).await?.visible_to(actor) {
        return Err(ServiceError::NotFound);
    }
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    let checked_in = vec![("checked_in", Value::from(true))];
    let kind = RecordKind::Participant;
    sync::write_as_server(&mut tx, actor, Lang::Ja, kind, &id.to_string(), checked_in).await?;
    tx.commit().await?;
    drop(_guard);
    participant(state, actor, event, id).await
}

/// Case staff list an event's participants (each a read in the audit log).
pub async fn participants(
    state: &AppState,
    staff: &StaffActor,
    event: EventId,
) -> Result<Vec<ParticipantView>, ServiceError> {
    let rows = store::registrations::of_event(&state.db, event).await?;
    let actor = Actor::Staff(staff.clone());
    // Registrations the person did not agree to share are counted, never listed, for the
    // other organisation.
    let mut list = Vec::with_capacity(rows.len());
    for row in rows.into_iter().filter(|r| r.visible_to(&actor)) {
        let shows_case = linked_case_visible(state, staff, &row).await?;
        let mut view = row.view()?;
        if !shows_case {
            // Linked to a case this clerk may not see: the link would say the case exists.
            view.person_id = None;
        }
        list.push(view);
    }
    let entries: Vec<Entry> = list
        .iter()
        .map(|p| Entry::new(Some(&actor), "list", "participant").subject(p.id))
        .collect();
    audit::record(state, &entries).await?;
    Ok(list)
}

/// A participant becomes a person at the counter (相談者), recorded by the caller's
/// organisation, and stays linked to them. Idempotent: a linked participant answers its
/// person. City staff need the participant's consent to share (the fair is run with Hello Work).
pub async fn make_person(
    state: &AppState,
    staff: &StaffActor,
    event: EventId,
    participant_id: ParticipantId,
    request: &app::protocol::ParticipantToPerson,
) -> Result<app::protocol::PersonView, ServiceError> {
    let actor = Actor::Staff(staff.clone());
    let row = participant_row(state, event, participant_id).await?;
    if !row.visible_to(&actor) {
        audit::record(
            state,
            &[Entry::new(Some(&actor), "create", "person")
                .denied()
                .detail(format!("participant={participant_id} share_ok=false"))],
        )
        .await?;
        return Err(ServiceError::NotFound);
    }
    let shows_case = linked_case_visible(state, staff, &row).await?;
    let p = row.view()?;
    match p.person_id {
        Some(person) if shows_case => return super::people::get(state, staff, person).await,
        // Linked to the other organisation's case, which this clerk may not see: they record
        // the person for their own organisation, as if typed at the counter (the link stays).
        Some(_) => {
            let create = person_request(&p, request);
            return super::people::create(state, staff, &create).await;
        }
        None => {}
    }
    let create = person_request(&p, request);
    match super::people::create_linked(state, staff, &create, &participant_id.to_string()).await {
        // Linked meanwhile by someone else: their person is the answer.
        Err(ServiceError::IdConflict) => {
            match participant(state, &actor, event, participant_id)
                .await?
                .person_id
            {
                Some(person) => super::people::get(state, staff, person).await,
                None => Err(ServiceError::IdConflict),
            }
        }
        other => other,
    }
}

/// Whether the counter person a registration is linked to (if any) is one this clerk may see.
async fn linked_case_visible(
    state: &AppState,
    staff: &StaffActor,
    row: &ParticipantRow,
) -> Result<bool, ServiceError> {
    let (Some(person), Some(owner)) = (&row.person_id, &row.person_owner) else {
        return Ok(true);
    };
    let owner = app::domain::access::Organisation::from_code(owner)
        .unwrap_or(app::domain::access::Organisation::City);
    let mut conn = state.db.acquire().await?;
    Ok(super::scope::sees_case(&mut conn, staff, owner, Some(person), today()).await?)
}

/// The counter person a registration becomes: its name and birth date, the category asked
/// for (or the one given at the fair).
fn person_request(
    p: &ParticipantView,
    request: &app::protocol::ParticipantToPerson,
) -> app::protocol::CreatePerson {
    let category = if request.category.trim().is_empty() {
        p.category.map(|c| c.code().to_owned()).unwrap_or_default()
    } else {
        request.category.clone()
    };
    app::protocol::CreatePerson {
        id: None,
        family_name: p.family_name.clone(),
        given_name: p.given_name.clone(),
        family_name_kana: p.family_name_kana.clone(),
        given_name_kana: p.given_name_kana.clone(),
        birth_date: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        category,
        // Met at the fair: how the person came is known.
        came_via: app::domain::intake::CameVia::Fair.code().to_owned(),
        ..Default::default()
    }
}
