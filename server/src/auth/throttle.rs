//! Login throttling: at most [`PER_ACCOUNT`] failures per login id and [`PER_ADDRESS`] per
//! client address within [`WINDOW_MS`]; past that, sign-in is refused (even with the right
//! password) until the oldest failure leaves the window. Kept in memory: a restart clears it,
//! which an attacker cannot trigger from outside.

use std::collections::HashMap;
use std::sync::Mutex;

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const PER_ACCOUNT: usize = 5;
pub const PER_ADDRESS: usize = 20;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl Throttle {
    fn count(&self, key: &str, now_ms: i64) -> usize {
        let mut map = self.failures.lock().expect("throttle lock");
        let Some(times) = map.get_mut(key) else {
            return 0;
        };
        times.retain(|t| now_ms - t < WINDOW_MS);
        times.len()
    }

    /// Whether the account or the address has used up its attempts.
    pub fn blocked(&self, account: &str, address: &str, now_ms: i64) -> bool {
        self.count(&format!("id:{account}"), now_ms) >= PER_ACCOUNT
            || self.count(&format!("ip:{address}"), now_ms) >= PER_ADDRESS
    }

    pub fn failed(&self, account: &str, address: &str, now_ms: i64) {
        let mut map = self.failures.lock().expect("throttle lock");
        map.entry(format!("id:{account}")).or_default().push(now_ms);
        map.entry(format!("ip:{address}")).or_default().push(now_ms);
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeeded(&self, account: &str) {
        self.failures
            .lock()
            .expect("throttle lock")
            .remove(&format!("id:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_forgets_after_the_window() {
        let t = Throttle::default();
        for i in 0..PER_ACCOUNT {
            assert!(!t.blocked("tanaka", "a", 0), "attempt {i}");
            t.failed("tanaka", "a", 0);
        }
        assert!(t.blocked("tanaka", "a", 1));
        assert!(t.blocked("tanaka", "b", 1), "per account, from any address");
        assert!(!t.blocked("suzuki", "b", 1));
        assert!(!t.blocked("tanaka", "a", WINDOW_MS));
    }

    #[test]
    fn an_address_trying_many_accounts_is_blocked() {
        let t = Throttle::default();
        for i in 0..PER_ADDRESS {
            t.failed(&format!("user{i}"), "10.0.0.9", 0);
        }
        assert!(t.blocked("someone-new", "10.0.0.9", 1));
        assert!(!t.blocked("someone-new", "10.0.0.10", 1));
    }
}
