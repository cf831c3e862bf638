//! Throttling of guesses: sign-in (OWASP ASVS 5.0 V6.3.1, NIST SP 800-63B §5.2.2) and device
//! enrolment codes.
//!
//! An attempt is **reserved before** the password is hashed or the code looked up, and counts
//! as a failure until it has succeeded, so a burst of parallel requests gets no more guesses
//! than a sequence of them. Each key (an account from one address, one address, an account
//! from anywhere) has a number of free failures in [`WINDOW_MS`]; past it, attempts are let
//! through one at a time, each only after a delay that doubles with every further failure
//! (up to the key's cap) — an attacker slows themselves down, and a delay is over by itself.
//!
//! Not locking the real user out: the limits that an attacker elsewhere can drive up (the
//! account from anywhere) do not apply at an address the account signed in from before
//! ([`TRUST_MS`]), nor do an attacker's failures at their own address touch anyone else's.
//! The corner's desks sign in from the same addresses every day.
//!
//! The rules and this server's attempts in flight are kept here, in memory, bounded
//! ([`MAX_KEYS`]). Failures and trusted addresses are also kept in the database
//! (`service::throttle`, `store::throttle`), so every server of a database counts every
//! server's failures — guesses spread over the servers behind a load balancer, or made across
//! a restart, count all the same (only a burst of simultaneous attempts gets each server's free
//! attempts at once, once per window). Before each attempt the shared failures are
//! [`Throttle::absorb`]ed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// How long an address that signed in stays trusted for that account.
pub const TRUST_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Keys kept at most (about 200 bytes each); quiet keys are dropped first.
pub const MAX_KEYS: usize = 100_000;
/// Addresses remembered per account.
const TRUSTED_PER_ACCOUNT: usize = 16;

/// Free failures, then delays from `base_ms` doubling up to `max_ms`. A success clears the
/// key's failures only where `cleared_by_success`: a clerk signing in at a shared address must
/// not wipe an attacker's failures against other accounts from that address.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub free: usize,
    pub base_ms: i64,
    pub max_ms: i64,
    pub cleared_by_success: bool,
}

/// An account from one address: the real user mistyping, or one attacker.
pub const SIGN_IN_PAIR: Limit = Limit {
    free: 5,
    base_ms: 1_000,
    max_ms: WINDOW_MS,
    cleared_by_success: true,
};
/// One address trying many accounts (password spraying).
pub const SIGN_IN_ADDRESS: Limit = Limit {
    free: 20,
    base_ms: 1_000,
    max_ms: WINDOW_MS,
    cleared_by_success: false,
};
/// One account from many addresses (a distributed attack); never applied at a trusted address.
pub const SIGN_IN_ACCOUNT: Limit = Limit {
    free: 50,
    base_ms: 1_000,
    max_ms: 60_000,
    cleared_by_success: true,
};
/// Enrolment codes typed at one address. There is no limit across all addresses: it would let
/// an attacker keep every fair's tablets from enrolling. With 10^12 codes valid 15 minutes,
/// even a thousand addresses guessing at this rate find one with a chance below 10^-7.
pub const ENROL_ADDRESS: Limit = Limit {
    free: 10,
    base_ms: 2_000,
    max_ms: WINDOW_MS,
    cleared_by_success: false,
};

#[derive(Default)]
struct Counter {
    /// Every server's failures in the window (as last taken in), and this server's since.
    failures: Vec<i64>,
    /// This server's failures not (yet) in the database: an attempt dropped half-way, or one
    /// whose failure is being written.
    unstored: Vec<i64>,
    in_flight: u32,
    last_used_ms: i64,
}

impl Counter {
    fn forget_old(&mut self, now_ms: i64) {
        self.failures.retain(|t| now_ms - t < WINDOW_MS);
        self.unstored.retain(|t| now_ms - t < WINDOW_MS);
    }

    /// Milliseconds until an attempt may start under `limit` (0: now).
    fn wait_ms(&self, limit: Limit, now_ms: i64) -> i64 {
        let used = self.failures.len() + self.in_flight as usize;
        if used < limit.free {
            return 0;
        }
        if self.in_flight > 0 {
            // Past the free attempts, one at a time.
            return limit.base_ms;
        }
        let extra = (used - limit.free).min(30) as u32;
        let delay = limit.base_ms.saturating_mul(1 << extra).min(limit.max_ms);
        let last = self.failures.iter().copied().max().unwrap_or(0);
        (last + delay - now_ms).max(0)
    }
}

#[derive(Default)]
struct Inner {
    counters: HashMap<String, Counter>,
    /// account → (address, trusted until)
    trusted: HashMap<String, Vec<(String, i64)>>,
}

#[derive(Default)]
pub struct Throttle {
    inner: Mutex<Inner>,
}

/// An attempt in progress under these keys. It counts as a failure unless
/// [`Reservation::succeeded`] is called — also when the request is dropped half-way.
#[must_use]
pub struct Reservation {
    throttle: Arc<Throttle>,
    keys: Vec<(String, Limit)>,
    done: bool,
}

impl Reservation {
    /// The keys this attempt was reserved under.
    pub fn keys(&self) -> &[(String, Limit)] {
        &self.keys
    }

    pub fn succeeded(mut self, now_ms: i64) {
        self.done = true;
        self.throttle.finish(&self.keys, true, now_ms);
    }

    pub fn failed(mut self, now_ms: i64) {
        self.done = true;
        self.throttle.finish(&self.keys, false, now_ms);
    }

    /// The attempt did not happen (the server was too busy to check it): nothing counts.
    pub fn cancel(mut self) {
        self.done = true;
        self.throttle.release(&self.keys);
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if !self.done {
            self.throttle
                .finish(&self.keys, false, crate::store::now_ms());
        }
    }
}

impl Throttle {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reserves one attempt under every key, or answers how many milliseconds to wait.
    pub fn reserve(
        self: &Arc<Self>,
        keys: &[(String, Limit)],
        now_ms: i64,
    ) -> Result<Reservation, i64> {
        let mut inner = self.lock();
        let mut wait = 0;
        for (key, limit) in keys {
            if let Some(c) = inner.counters.get_mut(key) {
                c.forget_old(now_ms);
                wait = wait.max(c.wait_ms(*limit, now_ms));
            }
        }
        if wait > 0 {
            return Err(wait);
        }
        if inner.counters.len() + keys.len() > MAX_KEYS {
            prune(&mut inner.counters, now_ms);
        }
        for (key, _) in keys {
            let c = inner.counters.entry(key.clone()).or_default();
            c.in_flight += 1;
            c.last_used_ms = now_ms;
        }
        Ok(Reservation {
            throttle: Arc::clone(self),
            keys: keys.to_vec(),
            done: false,
        })
    }

    /// Ends an attempt: a failure counts under each key; a success clears them.
    fn finish(&self, keys: &[(String, Limit)], succeeded: bool, now_ms: i64) {
        let mut inner = self.lock();
        for (key, limit) in keys {
            let Some(c) = inner.counters.get_mut(key) else {
                continue;
            };
            c.in_flight = c.in_flight.saturating_sub(1);
            if !succeeded {
                c.failures.push(now_ms);
                c.unstored.push(now_ms);
            } else if limit.cleared_by_success {
                c.failures.clear();
                c.unstored.clear();
            }
            if c.failures.is_empty() && c.in_flight == 0 {
                inner.counters.remove(key);
            }
        }
    }

    fn release(&self, keys: &[(String, Limit)]) {
        let mut inner = self.lock();
        for (key, _) in keys {
            if let Some(c) = inner.counters.get_mut(key) {
                c.in_flight = c.in_flight.saturating_sub(1);
                if c.failures.is_empty() && c.in_flight == 0 {
                    inner.counters.remove(key);
                }
            }
        }
    }

    /// The failure at `at_ms` under these keys is now in the database.
    pub fn stored(&self, keys: &[(String, Limit)], at_ms: i64) {
        let mut inner = self.lock();
        for (key, _) in keys {
            if let Some(c) = inner.counters.get_mut(key)
                && let Some(i) = c.unstored.iter().position(|t| *t == at_ms)
            {
                c.unstored.swap_remove(i);
            }
        }
    }

    /// Takes in the failures every server recorded (`(key, at_ms)`, within the window) for
    /// the keys listed: each key's failures become those, plus this server's not stored —
    /// so a success on another server that cleared them clears them here too.
    pub fn absorb(&self, keys: &[(String, Limit)], shared: &[(String, i64)], now_ms: i64) {
        let mut inner = self.lock();
        for (key, _) in keys {
            let mut stored: Vec<i64> = shared
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, at)| *at)
                .collect();
            if stored.is_empty() && !inner.counters.contains_key(key) {
                continue;
            }
            let c = inner.counters.entry(key.clone()).or_default();
            c.forget_old(now_ms);
            stored.sort_unstable();
            // An unstored failure may have just been written: count it once.
            let mut failures = stored.clone();
            let mut unstored = c.unstored.clone();
            unstored.sort_unstable();
            let mut i = 0;
            for at in unstored {
                while i < stored.len() && stored[i] < at {
                    i += 1;
                }
                if i < stored.len() && stored[i] == at {
                    i += 1;
                } else {
                    failures.push(at);
                }
            }
            c.failures = failures;
            c.last_used_ms = c.last_used_ms.max(now_ms);
            if c.failures.is_empty() && c.in_flight == 0 && c.unstored.is_empty() {
                inner.counters.remove(key);
            }
        }
    }

    /// Whether `address` signed in to `account` recently.
    pub fn trusted(&self, account: &str, address: &str, now_ms: i64) -> bool {
        self.lock().trusted.get(account).is_some_and(|list| {
            list.iter()
                .any(|(a, until)| a == address && *until > now_ms)
        })
    }

    /// Remembers a successful sign-in from `address`.
    pub fn trust(&self, account: &str, address: &str, now_ms: i64) {
        let mut inner = self.lock();
        if inner.trusted.len() >= MAX_KEYS && !inner.trusted.contains_key(account) {
            inner
                .trusted
                .retain(|_, list| list.iter().any(|(_, until)| *until > now_ms));
        }
        let list = inner.trusted.entry(account.to_owned()).or_default();
        list.retain(|(a, until)| a != address && *until > now_ms);
        list.push((address.to_owned(), now_ms + TRUST_MS));
        if list.len() > TRUSTED_PER_ACCOUNT {
            list.remove(0);
        }
    }

    /// Keys held now (for tests and the memory bound).
    pub fn len(&self) -> usize {
        self.lock().counters.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Drops keys with nothing in the window and nothing in flight; if that is not enough, the
/// least recently used half.
fn prune(counters: &mut HashMap<String, Counter>, now_ms: i64) {
    counters.retain(|_, c| {
        c.forget_old(now_ms);
        c.in_flight > 0 || !c.failures.is_empty()
    });
    if counters.len() > MAX_KEYS / 2 {
        let mut ages: Vec<i64> = counters.values().map(|c| c.last_used_ms).collect();
        ages.sort_unstable();
        let cut = ages[ages.len() / 2];
        counters.retain(|_, c| c.in_flight > 0 || c.last_used_ms > cut);
    }
}

/// The keys a sign-in attempt reserves.
pub fn sign_in_keys(
    throttle: &Throttle,
    account: &str,
    address: &str,
    now_ms: i64,
) -> Vec<(String, Limit)> {
    let mut keys = vec![
        (format!("pair\u{1f}{account}\u{1f}{address}"), SIGN_IN_PAIR),
        (format!("addr\u{1f}{address}"), SIGN_IN_ADDRESS),
    ];
    if !throttle.trusted(account, address, now_ms) {
        keys.push((format!("acct\u{1f}{account}"), SIGN_IN_ACCOUNT));
    }
    keys
}

/// The keys an enrolment attempt reserves.
pub fn enrol_keys(address: &str) -> Vec<(String, Limit)> {
    vec![(format!("enrol\u{1f}{address}"), ENROL_ADDRESS)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(t: &Arc<Throttle>, account: &str, address: &str, now: i64) -> Result<(), i64> {
        let r = t.reserve(&sign_in_keys(t, account, address, now), now)?;
        r.failed(now);
        Ok(())
    }

    #[test]
    fn free_failures_then_doubling_delays_that_end_by_themselves() {
        let t = Arc::new(Throttle::default());
        for i in 0..SIGN_IN_PAIR.free {
            assert!(fail(&t, "tanaka", "a", 0).is_ok(), "attempt {i}");
        }
        assert_eq!(
            fail(&t, "tanaka", "a", 1),
            Err(999),
            "1 s after the fifth failure"
        );
        assert!(fail(&t, "tanaka", "a", 1_000).is_ok());
        assert_eq!(fail(&t, "tanaka", "a", 1_000), Err(2_000), "then 2 s");
        assert!(fail(&t, "tanaka", "a", 3_000).is_ok());
        assert_eq!(fail(&t, "tanaka", "a", 3_000), Err(4_000), "then 4 s");
        // Others are not touched: the same account elsewhere, another account here.
        assert!(fail(&t, "tanaka", "b", 3_000).is_ok());
        assert!(fail(&t, "suzuki", "a", 3_000).is_ok());
        // After the window the failures are forgotten.
        assert!(fail(&t, "tanaka", "a", 3_000 + WINDOW_MS).is_ok());
    }

    #[test]
    fn parallel_attempts_are_reserved_before_they_run() {
        let t = Arc::new(Throttle::default());
        let now = 0;
        let mut held = Vec::new();
        let mut refused = 0;
        for _ in 0..100 {
            match t.reserve(&sign_in_keys(&t, "tanaka", "a", now), now) {
                Ok(r) => held.push(r),
                Err(_) => refused += 1,
            }
        }
        assert_eq!(
            held.len(),
            SIGN_IN_PAIR.free,
            "at most the free attempts run at once"
        );
        assert_eq!(refused, 100 - SIGN_IN_PAIR.free);
        drop(held); // dropped half-way: failures
        assert!(
            t.reserve(&sign_in_keys(&t, "tanaka", "a", now), now)
                .is_err()
        );
    }

    #[test]
    fn an_attack_from_elsewhere_does_not_lock_out_a_trusted_address() {
        let t = Arc::new(Throttle::default());
        t.trust("tanaka", "desk", 0);
        // Many attacker addresses, each within its own free attempts, fill the account's.
        for n in 0..20 {
            for _ in 0..SIGN_IN_PAIR.free {
                let _ = fail(&t, "tanaka", &format!("attacker{n}"), 10);
            }
        }
        assert!(
            fail(&t, "tanaka", "attacker-new", 10).is_err(),
            "account-wide delay"
        );
        let r = t
            .reserve(&sign_in_keys(&t, "tanaka", "desk", 10), 10)
            .expect("the desk signs in");
        r.succeeded(10);
    }

    #[test]
    fn an_address_trying_many_accounts_is_slowed() {
        let t = Arc::new(Throttle::default());
        for i in 0..SIGN_IN_ADDRESS.free {
            fail(&t, &format!("user{i}"), "10.0.0.9", 0).unwrap();
        }
        assert!(fail(&t, "someone-new", "10.0.0.9", 1).is_err());
        assert!(fail(&t, "someone-new", "10.0.0.10", 1).is_ok());
    }

    #[test]
    fn failures_recorded_by_another_server_count_here_once() {
        let t = Arc::new(Throttle::default());
        let keys = sign_in_keys(&t, "tanaka", "a", 0);
        // This server saw two failures (one stored, one being written); another saw three.
        fail(&t, "tanaka", "a", 1).unwrap();
        fail(&t, "tanaka", "a", 2).unwrap();
        t.stored(&keys, 1);
        let pair = keys[0].0.clone();
        let shared: Vec<(String, i64)> = [1, 2, 3, 4, 5].map(|at| (pair.clone(), at)).into();
        t.absorb(&keys, &shared, 6);
        assert!(
            t.reserve(&keys, 6).is_err(),
            "five failures in all: the sixth attempt waits"
        );
        // Absorbing the same again counts nothing twice.
        t.absorb(&keys, &shared, 1_006);
        let r = t.reserve(&keys, 1_006).expect("after the delay");
        r.cancel();
        // A success elsewhere cleared the stored failures: cleared here too.
        t.stored(&keys, 2);
        t.absorb(&keys, &[], 1_007);
        for _ in 0..SIGN_IN_PAIR.free {
            assert!(fail(&t, "tanaka", "a", 1_007).is_ok());
        }
    }

    #[test]
    fn memory_stays_bounded() {
        let t = Arc::new(Throttle::default());
        for i in 0..(MAX_KEYS + 10) {
            let _ = fail(&t, &format!("u{i}"), &format!("{i}"), i as i64);
        }
        assert!(t.len() <= MAX_KEYS, "{} keys", t.len());
    }
}
