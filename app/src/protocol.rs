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

mod council;
mod devices;
mod reports;
pub use council::*;
pub use devices::*;
pub use reports::*;

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
    /// 定員: empty or a whole number from 1 to 10000.
    pub capacity: String,
}

impl CreateEvent {
    pub fn draft(&self) -> EventDraft {
        EventDraft {
            title: self.title.clone(),
            kind: self.kind.clone(),
            date: self.date.clone(),
            venue: self.venue.clone(),
            target_group: self.target_group.clone(),
            capacity: self.capacity.clone(),
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
    /// 定員, when the event has one.
    #[serde(default)]
    pub capacity: Option<u32>,
}

/// `POST /api/v1/events/{id}/employers`: an employer taking part in a fair.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateEmployer {
    /// 事業所名. At most 100 characters, unique within the fair.
    pub name: String,
    /// 募集職種: the jobs offered, free text, at most 500 characters.
    pub jobs: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmployerView {
    pub id: String,
    pub name: String,
    pub jobs: String,
}

/// `GET /api/v1/events/{id}` and `GET /api/v1/device/event`: an event with its employers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventDetail {
    pub event: EventView,
    pub employers: Vec<EmployerView>,
}

/// A possible duplicate at a fair, for staff to decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DuplicateView {
    pub id: i64,
    /// The later registration (a participant id).
    pub record_id: String,
    pub record_name: String,
    /// The registration or counter person it may be.
    pub other_id: String,
    /// `participant` or `person`.
    pub other_kind: String,
    pub other_name: String,
    /// `kana_birth_date` or `kana_phone`.
    pub reason: String,
    /// `merged`, `kept_apart`, or absent while undecided.
    pub resolution: Option<String>,
    /// What staff need to judge, for the later registration and the record it may be (which
    /// stays when they are merged).
    #[serde(default)]
    pub record_facts: DuplicateFacts,
    #[serde(default)]
    pub other_facts: DuplicateFacts,
}

/// One side of a possible duplicate: what tells two people apart, and where and when it was
/// registered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DuplicateFacts {
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub birth_date: Option<CivilDate>,
    /// `AgeBand` code, when only an age group was given.
    pub age_band: Option<String>,
    pub phone: Option<String>,
    pub registered_at_ms: Option<i64>,
    /// The tablet's label, or the staff member who registered it (at the counter).
    pub registered_by: Option<String>,
    pub by_tablet: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DuplicateList {
    pub duplicates: Vec<DuplicateView>,
}

/// `POST /api/v1/duplicates/{id}/decide`: `merge` (the later registration is the same person:
/// counted once, linked to the other), `keep_apart`, or `undo` (a decision taken back: a merge
/// is reversed and the flag is undecided again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DecideDuplicate {
    pub decision: String,
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
        Problem::TooMany { .. } => "too_many",
        Problem::NotADate(_) => "not_a_date",
        Problem::DateOutOfRange { .. } => "date_out_of_range",
        Problem::NumberOutOfRange { .. } => "number_out_of_range",
        Problem::UnknownChoice => "unknown_choice",
        Problem::NotKana => "not_kana",
        Problem::NotAPhone => "not_a_phone",
        Problem::BadLoginId => "bad_login_id",
        Problem::WeakPassword { .. } => "weak_password",
        Problem::AlreadyExists => "already_exists",
        Problem::Identifying => "identifying",
        Problem::GuessablePassword => "guessable_password",
        Problem::BadCharacters => "bad_characters",
        Problem::NothingVisible => "nothing_visible",
        Problem::BirthDateOrAgeBand => "birth_date_or_age_band",
        Problem::CannotMerge => "cannot_merge",
        Problem::BadValue => "bad_value",
        Problem::BeforeAsked => "before_asked",
        Problem::AfterMeeting => "after_meeting",
        Problem::InFuture => "in_future",
        Problem::EventOver => "event_over",
    }
}

// ---- Accounts and sessions -------------------------------------------------------------

use crate::domain::access::{Organisation, Role};
use crate::domain::ids::{ConsentId, PersonId, StaffId};
use crate::domain::person::{ConsentMethod, NameDraft, PersonDraft, SupportCategory};

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub login_id: String,
    pub password: String,
}

/// `GET /api/v1/auth/device-key`: the server's half of the signed-in staff member's device
/// key (base64 of 32 bytes). A laptop's store opens with it online; the server replaces it when
/// the password is reset or the account disabled, so a lost laptop's copy no longer opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceKey {
    pub key: String,
}

/// The signed-in staff member (`GET /api/v1/auth/me`, and the answer to a login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub staff_id: StaffId,
    pub login_id: String,
    pub display_name: String,
    pub organisation: Organisation,
    pub role: Role,
}

// ---- Staff administration --------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateStaff {
    pub login_id: String,
    pub display_name: String,
    /// `city` or `hello_work`.
    pub organisation: String,
    /// `counter`, `manager` or `admin`.
    pub role: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffView {
    pub id: StaffId,
    pub login_id: String,
    pub display_name: String,
    pub organisation: Organisation,
    pub role: Role,
    pub disabled: bool,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffList {
    pub staff: Vec<StaffView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetPassword {
    pub password: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetRole {
    pub role: String,
}

// ---- People and consent ----------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreatePerson {
    pub id: Option<PersonId>,
    pub family_name: String,
    pub given_name: String,
    /// Katakana or hiragana, half-width accepted; stored as full-width katakana.
    pub family_name_kana: String,
    pub given_name_kana: String,
    /// Optional; 和暦 or western.
    pub birth_date: String,
    /// `public_assistance`, `housing_allowance`, `single_mothers`, `other_hardship`, `youth`.
    pub category: String,
    /// Optional: `female`, `male`, `unstated`.
    pub sex: String,
    /// Optional; full-width digits and hyphens accepted.
    pub phone: String,
    /// Optional; within the city (town and block).
    pub address: String,
    /// Optional: `alone`, `single_parent`, `couple`, `couple_children`, `with_parents`, `other`.
    pub household: String,
    /// Optional: members of the household, the person included.
    pub household_size: String,
    /// Optional: children's ages, comma-separated.
    pub children_ages: String,
    /// Optional: other categories that apply, comma-separated codes.
    pub other_categories: String,
    /// Optional: `welfare`, `hello_work`, `fair`, `self`, `agency`, `other`.
    pub came_via: String,
}

impl CreatePerson {
    pub fn draft(&self) -> PersonDraft {
        PersonDraft {
            name: NameDraft {
                family_name: self.family_name.clone(),
                given_name: self.given_name.clone(),
                family_name_kana: self.family_name_kana.clone(),
                given_name_kana: self.given_name_kana.clone(),
            },
            birth_date: self.birth_date.clone(),
            category: self.category.clone(),
            details: crate::domain::intake::IntakeDraft {
                sex: self.sex.clone(),
                phone: self.phone.clone(),
                address: self.address.clone(),
                household: self.household.clone(),
                household_size: self.household_size.clone(),
                children_ages: self.children_ages.clone(),
                other_categories: self.other_categories.clone(),
                came_via: self.came_via.clone(),
            },
        }
    }
}

/// `POST /api/v1/people/{id}/merge`: the person `{id}` is a duplicate of `into`, which stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MergePerson {
    pub into: String,
    /// Why staff judged them the same person.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentView {
    pub id: ConsentId,
    pub method: ConsentMethod,
    pub document_no: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub granted_on: CivilDate,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub withdrawn_on: Option<CivilDate>,
    /// Why the person withdrew (recorded with the withdrawal).
    #[serde(default)]
    pub withdrawal_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PersonView {
    pub id: PersonId,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub birth_date: Option<CivilDate>,
    pub category: SupportCategory,
    /// The organisation whose duty covers this case.
    pub owner_org: Organisation,
    pub consent_active: bool,
    pub consents: Vec<ConsentView>,
    /// A duplicate intake merged into this person (see `POST /api/v1/people/{id}/merge`).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub merged_into: Option<PersonId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PersonList {
    pub people: Vec<PersonView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateConsent {
    /// `signed_form` or `verbal`.
    pub method: String,
    /// 承諾書 number; required for `signed_form`.
    pub document_no: String,
    /// 和暦 or western; not in the future.
    pub granted_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WithdrawConsent {
    /// The day the person withdrew (和暦 or western): from the consent's day to today.
    pub withdrawn_on: String,
    /// Why (本人の申し出, …).
    pub reason: String,
}

// ---- Audit -------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    /// `staff:<id>`, `device:<id>` or `anonymous`.
    pub actor: String,
    /// Who that is: the staff member's name, the device's label (empty when unknown).
    #[serde(default)]
    pub actor_name: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: Option<String>,
    /// `ok` or `denied`.
    pub outcome: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    #[serde(default)]
    pub next_before: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    pub intact: bool,
    pub checked: i64,
    /// The first entry whose hash does not match, when the chain is broken.
    pub first_bad_seq: Option<i64>,
    /// No valid checkpoint outside the database vouches for the newest entries.
    #[serde(default)]
    pub unanchored: bool,
}

/// `POST /api/v1/events/{id}/participants/{participant_id}/person`: the participant becomes a
/// person at the counter (相談者), recorded by the caller's organisation. `category` is needed
/// when the participant gave none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ParticipantToPerson {
    pub category: String,
}
