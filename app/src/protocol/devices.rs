//! Wire types of fair tablets (enrolment, the device list) and of the participants they
//! register.

use serde::{Deserialize, Serialize};

use super::EventView;
use crate::domain::date::CivilDate;
use crate::domain::ids::{DeviceId, EventId, ParticipantId, PersonId};
use crate::domain::person::{NameDraft, ParticipantDraft, SupportCategory};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateDevice {
    pub event_id: String,
    /// e.g. タブレット1.
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum DeviceStatus {
    Pending,
    Enrolled,
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceView {
    pub id: DeviceId,
    pub event_id: EventId,
    pub event_title: String,
    pub label: String,
    pub status: DeviceStatus,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceList {
    pub devices: Vec<DeviceView>,
}

/// The answer to creating a device: the one-time enrolment code to type on the tablet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceEnrolment {
    pub device: DeviceView,
    pub code: String,
    pub expires_at_ms: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    pub code: String,
}

/// Given once, to the enrolling device: its bearer token and its event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Enrolled {
    pub device_id: DeviceId,
    pub token: String,
    pub event: EventView,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateParticipant {
    pub id: Option<ParticipantId>,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    pub birth_date: String,
    pub phone: String,
    /// `AgeBand` code (e.g. `20s`), when no birth date is given; a tablet's registration (a
    /// walk-in) gives one or the other.
    pub age_band: String,
}

impl CreateParticipant {
    pub fn draft(&self) -> ParticipantDraft {
        ParticipantDraft {
            name: NameDraft {
                family_name: self.family_name.clone(),
                given_name: self.given_name.clone(),
                family_name_kana: self.family_name_kana.clone(),
                given_name_kana: self.given_name_kana.clone(),
            },
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ParticipantView {
    pub id: ParticipantId,
    pub event_id: EventId,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub birth_date: Option<CivilDate>,
    pub phone: Option<String>,
    pub checked_in_at_ms: Option<i64>,
    /// 区分, when the participant gave one.
    #[serde(default)]
    pub category: Option<SupportCategory>,
    /// Agreed that the city and Hello Work share the registration.
    #[serde(default)]
    pub share_ok: bool,
    /// The person this participant is at the counter, once registered or linked.
    #[serde(default)]
    pub person_id: Option<PersonId>,
    /// Free-text answers (`kinds::participant::ANSWERS`), in the order the form asks them;
    /// staff only.
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// One free-text answer of a registration: the field it answers and what was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Answer {
    pub field: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ParticipantList {
    pub participants: Vec<ParticipantView>,
}
