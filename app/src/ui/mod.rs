//! The Leptos UI, organised by area: `app` (the document, layout and routes of every page but
//! the tablet's), `fair` (the tablet's own page and entry).
//!
//! - `events`: 面接会・イベント (the first working area)
//! - `home`: the start page
//! - `reports`: 実績・報告 (progress, the council report, the plan)
//! - `components`: form fields and other pieces shared by areas
//! - `lang`: the language context and switch

pub mod admin;
#[cfg(not(feature = "tablet"))]
mod app;
#[cfg(not(feature = "tablet"))]
pub mod areas;
pub mod audit;
pub mod auth;
pub mod case_consent;
pub mod case_forms;
mod case_merge;
pub mod case_page;
pub mod case_plan;
mod case_rows;
pub mod case_story;
pub mod cases;
pub mod components;
mod conflicts;
pub mod event_detail;
pub mod events;
pub mod fair;
mod fair_duplicates;
pub mod home;
pub mod intake;
mod intake_fields;
pub mod lang;
mod my_work;
pub mod offline;
mod person_fields;
pub mod reports;

#[cfg(not(feature = "tablet"))]
pub use app::{App, shell};
