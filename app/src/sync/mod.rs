//! The offline sync core: plain functions shared by the browser and the server, tested
//! natively. No storage, no HTTP: those sit on either side and call these rules.
//!
//! - [`hlc`]: hybrid logical clocks, so edits made offline on different devices can be ordered
//!   without trusting any device's wall clock (the server caps clocks that run ahead).
//! - [`merge`]: per-field last-writer-wins with conflict detection: two offline edits of the
//!   same field never overwrite silently; the later one wins provisionally and a conflict is
//!   reported for staff.

pub mod case_view;
pub mod fair_import;
pub mod hlc;
pub mod kinds;
pub mod merge;
pub mod outbox;
pub mod replica;
pub mod wire;
