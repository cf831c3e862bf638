//! Refusals nobody known asked for — requests without a valid session or token, sign-ins and
//! enrolments turned away by the throttle — are counted and logged in aggregate, once a
//! minute at most, instead of each writing a row to the audit log. They cost an attacker
//! nothing, so they must cost the server nothing durable: no write lock, no disk, no growth.
//! The audit log keeps what known actors did and every sign-in and enrolment outcome.

use std::collections::BTreeMap;
use std::sync::Mutex;

/// How often the log gets a summary line (while there is something to report).
const REPORT_EVERY_MS: i64 = 60_000;

#[derive(Default)]
pub struct Refusals {
    inner: Mutex<Tally>,
}

#[derive(Default)]
struct Tally {
    counts: BTreeMap<&'static str, u64>,
    since_ms: i64,
}

impl Refusals {
    /// Counts one refusal of kind `what` (a fixed code, never request data).
    pub fn note(&self, what: &'static str) {
        let now = crate::store::now_ms();
        let mut tally = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if tally.counts.is_empty() {
            tally.since_ms = now;
        }
        *tally.counts.entry(what).or_default() += 1;
        if now - tally.since_ms >= REPORT_EVERY_MS {
            let counts = std::mem::take(&mut tally.counts);
            tracing::warn!(
                ?counts,
                seconds = (now - tally.since_ms) / 1000,
                "refused requests from unknown callers"
            );
        }
    }

    /// What is counted and not yet reported.
    pub fn pending(&self, what: &str) -> u64 {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .counts
            .get(what)
            .copied()
            .unwrap_or(0)
    }
}
