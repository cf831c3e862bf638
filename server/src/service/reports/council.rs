//! The steering council: the report it is given (the progress report, the requests under the
//! agreement, the approved success stories), the register of requests, and its meetings with
//! a frozen copy of the report they were given.

use app::domain::council::{
    self, MeetingDraft, RequestDraft, Side, Status, validate_meeting, validate_request,
};
use app::domain::date::CivilDate;
use app::protocol::{CouncilReport, MeetingView, RequestView, SaveMeeting, SaveRequest, StoryLine};
use app::sync::kinds::Fields;
use app::sync::kinds::story::StoryFields;
use app::sync::wire::RecordKind;

use super::super::ServiceError;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor};
use crate::store::reports::council::{self as rows, NewMeetingRow, RequestRow};
use crate::store::{Conn, Pool};

fn corrupt(what: &str) -> ServiceError {
    ServiceError::Store(sqlx::Error::Decode(
        format!("council.{what} is invalid").into(),
    ))
}

fn day(raw: &str) -> Result<CivilDate, ServiceError> {
    raw.parse().map_err(|_| corrupt("date"))
}

fn request_view(r: RequestRow, today: CivilDate) -> Result<RequestView, ServiceError> {
    let status = Status::from_code(&r.status).ok_or_else(|| corrupt("status"))?;
    let due_on = r.due_on.as_deref().map(day).transpose()?;
    Ok(RequestView {
        asked_by: Side::from_code(&r.asked_by).ok_or_else(|| corrupt("asked_by"))?,
        asked_on: day(&r.asked_on)?,
        answered_on: r.answered_on.as_deref().map(day).transpose()?,
        overdue: council::is_overdue(status, due_on, today),
        due_on,
        status,
        id: r.id,
        subject: r.subject,
        detail: r.detail,
        answer: r.answer,
    })
}

/// Every request, newest first, overdue ones marked as of today in Japan.
pub async fn requests(db: &Pool) -> Result<Vec<RequestView>, ServiceError> {
    let today = super::super::today();
    rows::requests(db)
        .await?
        .into_iter()
        .map(|r| request_view(r, today))
        .collect()
}

/// Records a new request (`id` None) or changes one; managers only (the route says so).
pub async fn save_request(
    state: &AppState,
    manager: &StaffActor,
    id: Option<&str>,
    request: &SaveRequest,
) -> Result<RequestView, ServiceError> {
    let today = super::super::today();
    let new =
        validate_request(&RequestDraft::from(request), today).map_err(ServiceError::Invalid)?;
    let id = match id {
        Some(id) => {
            if rows::request(&state.db, id).await?.is_none() {
                return Err(ServiceError::NotFound);
            }
            id.to_owned()
        }
        None => uuid::Uuid::now_v7().to_string(),
    };
    let actor = Actor::Staff(manager.clone());
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        let now = crate::store::now_ms();
        rows::put_request(&mut *tx, &id, &new, &manager.id.to_string(), now).await?;
        // What the register says after the change, so the audit log tells the history.
        let entry = Entry::new(Some(&actor), "council_request_save", "council_request")
            .subject(&id)
            .detail(format!(
                "status={} asked_on={} due_on={} answered_on={}",
                new.status.code(),
                new.asked_on,
                new.due_on.map(|d| d.to_string()).unwrap_or_default(),
                new.answered_on.map(|d| d.to_string()).unwrap_or_default()
            ));
        audit::append(&mut tx, &[entry]).await?;
        tx.commit().await?;
    }
    let row = rows::request(&state.db, &id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    request_view(row, today)
}

/// What the council is given as of `as_of`: the progress report, the requests made in the
/// year up to that day and older ones still pending (overdue as of that day), and the success
/// stories approved in the year up to that day.
pub async fn report(
    db: &Pool,
    fiscal_year: i32,
    as_of: CivilDate,
) -> Result<CouncilReport, ServiceError> {
    let progress = super::progress::progress(db, fiscal_year, as_of).await?;
    let (from, until) = (
        progress.period.starts_on,
        progress.period.counted_until(as_of),
    );
    let mut requests = Vec::new();
    for r in rows::requests(db).await? {
        let mut r = request_view(r, as_of)?;
        // As the day saw it: an answer given after it was not there yet.
        if r.status == Status::Answered && r.answered_on.is_some_and(|d| d > as_of) {
            r.status = Status::InProgress;
            r.answer.clear();
            r.answered_on = None;
            r.overdue = council::is_overdue(r.status, r.due_on, as_of);
        }
        let in_year = r.asked_on >= from && r.asked_on <= until;
        if in_year || (r.asked_on < from && r.status.is_pending()) {
            requests.push(r);
        }
    }
    requests.reverse();
    let mut conn = db.acquire().await?;
    let stories = stories(&mut conn, from, until).await?;
    Ok(CouncilReport {
        progress,
        requests,
        stories,
    })
}

async fn stories(
    conn: &mut Conn,
    from: CivilDate,
    until: CivilDate,
) -> Result<Vec<StoryLine>, ServiceError> {
    let mut out = Vec::new();
    for record in crate::store::sync::of_kind(conn, RecordKind::Story).await? {
        if record.state.deleted.is_some() {
            continue;
        }
        let f = StoryFields::read(&record.state);
        let Ok(approved_on) = f.approved_on.0.trim().parse::<CivilDate>() else {
            continue;
        };
        if approved_on < from || approved_on > until {
            continue;
        }
        out.push(StoryLine {
            sex: f.sex.0,
            age_band: f.age_band.0,
            household: f.household.0,
            challenges: f.challenges.0,
            support: f.support.0,
            result: f.result.0,
            remarks: f.remarks.0,
            approved_on,
        });
    }
    out.sort_by_key(|s| s.approved_on);
    Ok(out)
}

/// Records a meeting with a copy of the report as of its day (the end of the month before
/// the meeting unless given).
pub async fn save_meeting(
    state: &AppState,
    manager: &StaffActor,
    request: &SaveMeeting,
) -> Result<MeetingView, ServiceError> {
    let new = validate_meeting(&MeetingDraft::from(request), super::super::today())
        .map_err(ServiceError::Invalid)?;
    let fiscal_year = new.as_of.fiscal_year();
    let report = report(&state.db, fiscal_year, new.as_of).await?;
    let json = serde_json::to_string(&report)
        .map_err(|e| ServiceError::Store(sqlx::Error::Encode(e.into())))?;
    let id = uuid::Uuid::now_v7().to_string();
    let actor = Actor::Staff(manager.clone());
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        let row = NewMeetingRow {
            id: &id,
            held_on: new.held_on.to_string(),
            members: &new.members,
            fiscal_year,
            as_of: new.as_of.to_string(),
            report: json,
        };
        let now = crate::store::now_ms();
        rows::insert_meeting(&mut *tx, &row, &manager.id.to_string(), now).await?;
        let entry = Entry::new(Some(&actor), "council_meeting_save", "council_meeting")
            .subject(&id)
            .detail(format!("as_of={}", new.as_of));
        audit::append(&mut tx, &[entry]).await?;
        tx.commit().await?;
    }
    meeting(&state.db, &id).await
}

fn meeting_view(m: rows::MeetingRow) -> Result<MeetingView, ServiceError> {
    // A copy kept by an older version that this one cannot read is reported in the log, and
    // the meeting is still shown.
    let report = m.report.and_then(|json| {
        serde_json::from_str(&json)
            .inspect_err(
                |e| tracing::warn!(meeting = %m.id, error = %e, "meeting report unreadable"),
            )
            .ok()
    });
    Ok(MeetingView {
        held_on: day(&m.held_on)?,
        as_of: day(&m.as_of)?,
        fiscal_year: i32::try_from(m.fiscal_year).map_err(|_| corrupt("fiscal_year"))?,
        id: m.id,
        members: m.members,
        recorded_by: m.display_name,
        created_at_ms: m.created_at_ms,
        report,
    })
}

pub async fn meetings(db: &Pool) -> Result<Vec<MeetingView>, ServiceError> {
    rows::meetings(db, None)
        .await?
        .into_iter()
        .map(meeting_view)
        .collect()
}

/// One meeting with the report it was given, as it was then.
pub async fn meeting(db: &Pool, id: &str) -> Result<MeetingView, ServiceError> {
    let row = rows::meetings(db, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(ServiceError::NotFound)?;
    meeting_view(row)
}
