//! The reports area: the business plan and its history, the progress report computed from the
//! records as of a day in Japan, the council report's CSV.

pub mod council;
pub mod csv;
pub mod plans;
pub mod progress;

use app::domain::plan::{FIRST_YEAR, LAST_YEAR};
use app::domain::validation::{FieldError, Problem};

use super::ServiceError;

/// Refuses a fiscal year outside the years plans are made for.
fn check_year(fiscal_year: i32) -> Result<(), ServiceError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&fiscal_year) {
        Ok(())
    } else {
        Err(ServiceError::Invalid(vec![FieldError {
            field: "fiscal_year",
            problem: Problem::NumberOutOfRange {
                min: FIRST_YEAR.into(),
                max: LAST_YEAR.into(),
            },
        }]))
    }
}
