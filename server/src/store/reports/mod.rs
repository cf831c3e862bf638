//! Rows of the reports area: the business plan and its history, the counts of the progress
//! report, the steering council's requests and meetings.

pub mod council;
pub mod plans;
pub mod progress;
