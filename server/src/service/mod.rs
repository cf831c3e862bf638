//! Services: the business rules between the API and the store. Each function reads as the rule
//! it enforces; handlers stay thin.

pub mod audit_log;
pub mod devices;
pub mod events;
pub mod export;
pub mod fairs;
pub mod people;
pub mod person_merge;
pub mod pull;
pub mod records;
pub mod registrations;
pub mod reports;
pub mod scope;
pub mod staff;
pub mod sync;
pub mod throttle;

use app::domain::date::CivilDate;
use app::domain::validation::FieldError;

/// Today in Japan (the corner's dates: fiscal years, consent, ages).
pub fn today() -> CivilDate {
    CivilDate::in_japan_from_unix_millis(crate::store::now_ms())
}

/// What a service can answer besides success. Storage failures keep their detail for the log;
/// the API turns them into a plain "internal error" for the user.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("a different record with this id exists")]
    IdConflict,
    #[error("not found")]
    NotFound,
    #[error("not allowed for this actor")]
    Forbidden,
    #[error("login id already in use")]
    LoginIdTaken,
    #[error("enrolment code wrong or expired")]
    CodeInvalid,
    #[error("the app speaks an older sync protocol")]
    OldProtocol,
    #[error("the server is busy; try again shortly")]
    Busy,
    /// Too many attempts: wait this many seconds.
    #[error("throttled")]
    Throttled(u64),
    #[error("storage: {0}")]
    Store(#[from] sqlx::Error),
}
