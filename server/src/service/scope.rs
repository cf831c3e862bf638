//! Who may see which record, with what the rules (`app::domain::access`) need read from the
//! store: a case by its organisation and the person's consent, a fair registration by its
//! organisation and the person's agreement to share it, an interview by its registration.
//! Every route, pull, list and count that shows a record asks here.

use crate::store::Conn;
use app::domain::access::{consent_active, may_read_case, may_read_registration};
use app::domain::date::CivilDate;
use app::sync::kinds::{Fields, InterviewFields, Registration};
use app::sync::wire::RecordKind;

use crate::auth::StaffActor;
use crate::store::fairs::{self, RegistrationScope};
use crate::store::sync::StoredRecord;

/// May this staff member see the case of `person_id`, owned by `owner`, today?
pub async fn sees_case(
    conn: &mut Conn,
    staff: &StaffActor,
    owner: app::domain::access::Organisation,
    person_id: Option<&str>,
    today: CivilDate,
) -> Result<bool, sqlx::Error> {
    if owner == staff.organisation {
        return Ok(staff.role.handles_cases());
    }
    let spans = match person_id {
        Some(p) => crate::store::people::consent_spans_of(conn, p).await?,
        None => Vec::new(),
    };
    Ok(may_read_case(
        staff.organisation,
        staff.role,
        owner,
        consent_active(&spans, today),
    ))
}

/// May this staff member see who a registration is?
pub fn sees_registration(staff: &StaffActor, scope: RegistrationScope) -> bool {
    may_read_registration(staff.organisation, staff.role, scope.owner, scope.share_ok)
}

/// A participant record's scope, from the record itself.
pub fn registration_scope(record: &StoredRecord) -> RegistrationScope {
    RegistrationScope {
        owner: record.owner_org,
        share_ok: Registration::read(&record.state).share_ok.0,
    }
}

/// May this staff member see (and so change) a synced record now?
pub async fn sees_record(
    conn: &mut Conn,
    staff: &StaffActor,
    record: &StoredRecord,
    today: CivilDate,
) -> Result<bool, sqlx::Error> {
    match record.kind {
        kind if kind.is_casework() => {
            sees_case(
                conn,
                staff,
                record.owner_org,
                record.person_id.as_deref(),
                today,
            )
            .await
        }
        RecordKind::Participant => Ok(sees_registration(staff, registration_scope(record))),
        RecordKind::Interview => {
            let participant = InterviewFields::read(&record.state).participant_id.0;
            let scopes = fairs::registration_scopes(conn, &[participant.as_str()]).await?;
            Ok(scopes
                .get(&participant)
                .is_some_and(|s| sees_registration(staff, *s)))
        }
        _ => Ok(false),
    }
}
