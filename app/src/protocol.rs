//! The JSON API's wire types, shared by the server and the browser client.
//!
//! These structs *are* the API: renaming or retyping a field breaks deployed tablets that have
//! not updated yet. Add optional fields; never change existing ones.

use serde::{Deserialize, Serialize};

use crate::domain::date::CivilDate;
use crate::domain::event::{EventDraft, EventKind, TargetGroup};
use crate::domain::ids::EventId;
use crate::domain::validation::{FieldError, Problem};
use crate::i18n::Lang;

/// `POST /api/v1/events`. Fields are plain strings so that a wrong value comes back as a field
/// error naming that field, not as an opaque JSON decoding error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateEvent {
    /// A UUIDv7 chosen by the client, so a retried request cannot create the event twice.
    /// The server chooses one when it is absent.
    pub id: Option<EventId>,
    /// 名称, e.g. 若年者就労面接会. At most 100 characters.
    pub title: String,
    /// One of `joint_interview`, `workplace_tour`, `seminar`.
    pub kind: String,
    /// 開催日: `2026-12-03`, `2026/12/3`, `令和8年12月3日`, `R8.12.3` (full-width digits too).
    pub date: String,
    /// 会場. At most 100 characters.
    pub venue: String,
    /// One of `youth`, `public_assistance`, `housing_allowance`, `single_mothers`,
    /// `other_hardship`, `everyone`.
    pub target_group: String,
}

impl CreateEvent {
    pub fn draft(&self) -> EventDraft {
        EventDraft {
            title: self.title.clone(),
            kind: self.kind.clone(),
            date: self.date.clone(),
            venue: self.venue.clone(),
            target_group: self.target_group.clone(),
        }
    }
}

/// An event as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventView {
    pub id: EventId,
    pub title: String,
    pub kind: EventKind,
    /// ISO date `YYYY-MM-DD`.
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub date: CivilDate,
    pub venue: String,
    pub target_group: TargetGroup,
    /// Server time the event was recorded, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
}

/// `GET /api/v1/events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventList {
    pub events: Vec<EventView>,
}

/// Every error response has this body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine-readable code: `validation`, `bad_request`, `not_found`, `conflict`,
    /// `payload_too_large`, `internal`.
    pub code: String,
    /// What went wrong and what to do, in the request's language (Japanese by default).
    pub message: String,
    /// For `validation`: one entry per wrong field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldMessage {
    /// The request field's name, e.g. `venue`.
    pub field: String,
    /// `required`, `too_long`, `not_a_date`, `date_out_of_range`, `number_out_of_range`,
    /// `unknown_choice`.
    pub code: String,
    /// A sentence naming the field, e.g. 「会場を入力してください。」
    pub message: String,
}

impl FieldMessage {
    pub fn from_error(error: &FieldError, lang: Lang) -> Self {
        Self {
            field: error.field.to_owned(),
            code: problem_code(&error.problem).to_owned(),
            message: lang.catalog().field_message(error),
        }
    }
}

pub fn problem_code(problem: &Problem) -> &'static str {
    match problem {
        Problem::Required | Problem::NotChosen => "required",
        Problem::TooLong { .. } => "too_long",
        Problem::NotADate(_) => "not_a_date",
        Problem::DateOutOfRange { .. } => "date_out_of_range",
        Problem::NumberOutOfRange { .. } => "number_out_of_range",
        Problem::UnknownChoice => "unknown_choice",
    }
}
