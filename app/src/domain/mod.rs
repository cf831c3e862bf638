//! Renkei's domain: what the corner's records are and the rules they obey.
//!
//! Nothing here knows about Leptos, the browser or the database, so the same rules run in the
//! server (authoritative), in the browser (instant feedback, offline) and in native unit tests.

pub mod access;
#[macro_use]
pub mod casework;
pub mod category;
pub mod council;
pub mod date;
pub mod event;
pub mod ids;
pub mod intake;
pub mod person;
pub mod plan;
pub mod staff;
pub mod story;
pub mod text;
pub mod validation;
pub mod wareki;
