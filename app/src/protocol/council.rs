//! Wire types of the steering council: the report as submitted (figures, requests, stories),
//! the register of requests and the meetings.

use serde::{Deserialize, Serialize};

use super::Progress;
use crate::domain::council::{Side, Status};
use crate::domain::date::CivilDate;

/// `GET /api/v1/reports/council?fiscal_year=&as_of=`: what the council is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CouncilReport {
    pub progress: Progress,
    /// Requests made in the year up to the day, and older ones still pending.
    pub requests: Vec<RequestView>,
    /// Success stories approved in the year up to the day (anonymised; no person named).
    pub stories: Vec<StoryLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequestView {
    pub id: String,
    pub asked_by: Side,
    pub subject: String,
    pub detail: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub asked_on: CivilDate,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub due_on: Option<CivilDate>,
    pub answer: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub answered_on: Option<CivilDate>,
    pub status: Status,
    /// Pending and past its due date (today in Japan, or the report's day).
    pub overdue: bool,
}

/// `POST /api/v1/council/requests` (new) and `…/{id}` (changed): as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SaveRequest {
    pub asked_by: String,
    pub subject: String,
    pub detail: String,
    pub asked_on: String,
    pub due_on: String,
    pub answer: String,
    pub answered_on: String,
    pub status: String,
}

/// An approved success story as the council reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoryLine {
    pub sex: String,
    pub age_band: String,
    pub household: String,
    pub challenges: String,
    pub support: String,
    pub result: String,
    pub remarks: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub approved_on: CivilDate,
}

/// `POST /api/v1/council/meetings`: as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SaveMeeting {
    pub held_on: String,
    pub members: String,
    pub as_of: String,
}

/// A meeting; `report` is the copy kept when it was recorded (in the list: absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MeetingView {
    pub id: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub held_on: CivilDate,
    pub members: String,
    pub fiscal_year: i32,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub as_of: CivilDate,
    pub recorded_by: String,
    pub created_at_ms: i64,
    #[serde(default)]
    pub report: Option<CouncilReport>,
}

impl From<&SaveRequest> for crate::domain::council::RequestDraft {
    fn from(r: &SaveRequest) -> Self {
        Self {
            asked_by: r.asked_by.clone(),
            subject: r.subject.clone(),
            detail: r.detail.clone(),
            asked_on: r.asked_on.clone(),
            due_on: r.due_on.clone(),
            answer: r.answer.clone(),
            answered_on: r.answered_on.clone(),
            status: r.status.clone(),
        }
    }
}

impl From<&SaveMeeting> for crate::domain::council::MeetingDraft {
    fn from(m: &SaveMeeting) -> Self {
        Self {
            held_on: m.held_on.clone(),
            members: m.members.clone(),
            as_of: m.as_of.clone(),
        }
    }
}
