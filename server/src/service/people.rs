//! People and their consent to share: every read and change is checked against the caller's
//! organisation and the person's consent, and written to the audit log in the same step.

use app::domain::access::{ConsentSpan, consent_active, may_read_case, may_record_consent};
use app::domain::date::CivilDate;
use app::domain::ids::{ConsentId, PersonId};
use app::domain::person::{
    ConsentDraft, WithdrawalDraft, validate_consent, validate_person, validate_withdrawal,
};
use app::protocol::{CreateConsent, CreatePerson, PersonView, WithdrawConsent};

use super::{ServiceError, today};
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor};
use crate::store::{self, now_ms};

fn with_consent_state(mut person: PersonView, today: CivilDate) -> PersonView {
    let spans: Vec<ConsentSpan> = person
        .consents
        .iter()
        .map(|c| ConsentSpan {
            granted_on: c.granted_on,
            withdrawn: c.withdrawn_on.is_some(),
        })
        .collect();
    person.consent_active = consent_active(&spans, today);
    person
}

fn visible_to(staff: &StaffActor, person: &PersonView) -> bool {
    may_read_case(
        staff.organisation,
        staff.role,
        person.owner_org,
        person.consent_active,
    )
}

/// The people this staff member may see; each one shown is a read in the audit log.
pub async fn list(state: &AppState, staff: &StaffActor) -> Result<Vec<PersonView>, ServiceError> {
    let today = today();
    let mut conn = state.db.acquire().await?;
    let people: Vec<PersonView> = store::people::load(&mut conn, None)
        .await?
        .into_iter()
        .map(|p| with_consent_state(p, today))
        .filter(|p| visible_to(staff, p))
        .collect();
    drop(conn);
    let actor = Actor::Staff(staff.clone());
    let entries: Vec<Entry> = people
        .iter()
        .map(|p| Entry::new(Some(&actor), "list", "person").subject(p.id))
        .collect();
    audit::record(state, &entries).await?;
    Ok(people)
}

/// One person, if this staff member may see them now (consent is checked on every request).
pub async fn get(
    state: &AppState,
    staff: &StaffActor,
    id: PersonId,
) -> Result<PersonView, ServiceError> {
    let actor = Actor::Staff(staff.clone());
    let person = load_one(state, id).await?;
    if !visible_to(staff, &person) {
        audit::record(
            state,
            &[Entry::new(Some(&actor), "read", "person")
                .subject(id)
                .denied()],
        )
        .await?;
        // Same answer as for a person who does not exist: no probing across organisations.
        return Err(ServiceError::NotFound);
    }
    audit::record(
        state,
        &[Entry::new(Some(&actor), "read", "person").subject(id)],
    )
    .await?;
    Ok(person)
}

pub(super) async fn load_one(state: &AppState, id: PersonId) -> Result<PersonView, ServiceError> {
    let mut conn = state.db.acquire().await?;
    store::people::load(&mut conn, Some(id))
        .await?
        .pop()
        .map(|p| with_consent_state(p, today()))
        .ok_or(ServiceError::NotFound)
}

/// Intake: the person's record belongs to the registering staff member's organisation.
pub async fn create(
    state: &AppState,
    staff: &StaffActor,
    request: &CreatePerson,
) -> Result<PersonView, ServiceError> {
    create_with(state, staff, request, None).await
}

/// Records a person made from a fair registration and links the registration to them, in
/// one transaction.
pub async fn create_linked(
    state: &AppState,
    staff: &StaffActor,
    request: &CreatePerson,
    participant_id: &str,
) -> Result<PersonView, ServiceError> {
    create_with(state, staff, request, Some(participant_id)).await
}

async fn create_with(
    state: &AppState,
    staff: &StaffActor,
    request: &CreatePerson,
    from_participant: Option<&str>,
) -> Result<PersonView, ServiceError> {
    let person = validate_person(&request.draft(), today()).map_err(ServiceError::Invalid)?;
    let id = request.id.unwrap_or_else(|| PersonId(uuid::Uuid::now_v7()));
    let actor = Actor::Staff(staff.clone());
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        let now = now_ms();
        if !store::people::insert(&mut tx, id, &person, staff.organisation, now).await? {
            return Err(ServiceError::IdConflict);
        }
        // The id may be taken by another kind of record (a note, a registration …), which
        // the person would otherwise replace. Nothing is committed when refused.
        let record_id = id.to_string();
        if !super::sync::record_server_person(&mut tx, &record_id, &person, staff.organisation, now)
            .await?
        {
            return Err(ServiceError::IdConflict);
        }
        let mut entry = Entry::new(Some(&actor), "create", "person").subject(id);
        if let Some(participant) = from_participant {
            // Two clerks pressing at once: the second finds the link made and stores nothing.
            if !store::people::link_participant(&mut tx, participant, &id.to_string()).await? {
                return Err(ServiceError::IdConflict);
            }
            entry = entry.detail(format!("participant={participant}"));
        }
        audit::append(&mut tx, &[entry]).await?;
        tx.commit().await?;
    }
    load_one(state, id).await
}

/// Checks that `staff` may record or withdraw this person's consent: they must see the case
/// and belong to the owning organisation (it holds the signed form). A refusal is audited.
async fn consent_keeper(
    state: &AppState,
    staff: &StaffActor,
    person_id: PersonId,
    action: &'static str,
) -> Result<(Actor, PersonView), ServiceError> {
    let person = get(state, staff, person_id).await?;
    let actor = Actor::Staff(staff.clone());
    if !may_record_consent(staff.organisation, staff.role, person.owner_org) {
        let refused = Entry::new(Some(&actor), action, "person")
            .subject(person_id)
            .denied();
        audit::record(state, &[refused]).await?;
        return Err(ServiceError::Forbidden);
    }
    Ok((actor, person))
}

/// Records a consent. Only the owning organisation does (it holds the signed form).
pub async fn grant_consent(
    state: &AppState,
    staff: &StaffActor,
    person_id: PersonId,
    request: &CreateConsent,
) -> Result<PersonView, ServiceError> {
    let (actor, _) = consent_keeper(state, staff, person_id, "consent_grant").await?;
    let draft = ConsentDraft {
        method: request.method.clone(),
        document_no: request.document_no.clone(),
        granted_on: request.granted_on.clone(),
    };
    let consent = validate_consent(&draft, today()).map_err(ServiceError::Invalid)?;
    let consent_id = ConsentId(uuid::Uuid::now_v7());
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        store::people::insert_consent(&mut tx, consent_id, person_id, &consent, staff.id, now_ms())
            .await?;
        super::sync::consent_changed(&mut tx, &person_id.to_string()).await?;
        audit::append(
            &mut tx,
            &[Entry::new(Some(&actor), "consent_grant", "person")
                .subject(person_id)
                .detail(format!(
                    "consent={consent_id} method={}",
                    consent.method.code()
                ))],
        )
        .await?;
        tx.commit().await?;
    }
    load_one(state, person_id).await
}

/// Withdraws a consent on the day the person said so, with their reason; from the next
/// request on, the other organisation no longer sees the case. The consent stays in the
/// person's history.
pub async fn withdraw_consent(
    state: &AppState,
    staff: &StaffActor,
    person_id: PersonId,
    consent_id: ConsentId,
    request: &WithdrawConsent,
) -> Result<PersonView, ServiceError> {
    let (actor, person) = consent_keeper(state, staff, person_id, "consent_withdraw").await?;
    let consent = person
        .consents
        .iter()
        .find(|c| c.id == consent_id && c.withdrawn_on.is_none())
        .ok_or(ServiceError::NotFound)?;
    let draft = WithdrawalDraft {
        withdrawn_on: request.withdrawn_on.clone(),
        reason: request.reason.clone(),
    };
    let (withdrawn_on, reason) =
        validate_withdrawal(&draft, consent.granted_on, today()).map_err(ServiceError::Invalid)?;
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        let done = store::people::withdraw_consent(
            &mut tx,
            person_id,
            consent_id,
            staff.id,
            (withdrawn_on, &reason),
            now_ms(),
        )
        .await?;
        if !done {
            return Err(ServiceError::NotFound);
        }
        super::sync::consent_changed(&mut tx, &person_id.to_string()).await?;
        audit::append(
            &mut tx,
            &[Entry::new(Some(&actor), "consent_withdraw", "person")
                .subject(person_id)
                .detail(format!("consent={consent_id} withdrawn_on={withdrawn_on}"))],
        )
        .await?;
        tx.commit().await?;
    }
    load_one(state, person_id).await
}
