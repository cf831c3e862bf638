//! Hybrid logical clocks (Kulkarni et al., 2014): a timestamp that follows wall time when
//! clocks agree and stays causally ordered when they do not.
//!
//! Ordering is total: wall time, then the logical counter, then the node id (so two devices
//! never produce equal stamps).

use serde::{Deserialize, Serialize};

/// A hybrid logical timestamp.
///
/// The order of the members is part of the server's stored format (record states are stored
/// positionally, `server::store::sync::encode_state`): add members at the end only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (the largest wall time seen).
    pub wall_ms: u64,
    /// Events within the same millisecond.
    pub counter: u32,
    /// The device (or server) that made the stamp; breaks ties.
    pub node: u64,
}

/// How far ahead of the server's clock a device's stamp may be before it is capped.
pub const MAX_AHEAD_MS: u64 = 60_000;

impl Hlc {
    pub const ZERO: Hlc = Hlc {
        wall_ms: 0,
        counter: 0,
        node: 0,
    };

    /// The stamp for a new local event on `node`, given the last stamp this node issued or
    /// saw and its wall clock now.
    pub fn tick(last: Hlc, now_ms: u64, node: u64) -> Hlc {
        if now_ms > last.wall_ms {
            Hlc {
                wall_ms: now_ms,
                counter: 0,
                node,
            }
        } else {
            Hlc {
                wall_ms: last.wall_ms,
                counter: last.counter.saturating_add(1),
                node,
            }
        }
    }

    /// Merges a received stamp into the local clock (the receiver's next stamps come after it).
    pub fn observe(last: Hlc, remote: Hlc, now_ms: u64, node: u64) -> Hlc {
        let wall = now_ms.max(last.wall_ms).max(remote.wall_ms);
        let counter = if wall == last.wall_ms && wall == remote.wall_ms {
            last.counter.max(remote.counter).saturating_add(1)
        } else if wall == last.wall_ms {
            last.counter.saturating_add(1)
        } else if wall == remote.wall_ms {
            remote.counter.saturating_add(1)
        } else {
            0
        };
        Hlc {
            wall_ms: wall,
            counter,
            node,
        }
    }

    /// The server's view of a device's stamp: a clock running more than [`MAX_AHEAD_MS`] ahead
    /// of the server is pulled back to the server's time, so a device with a wrong clock cannot
    /// win every future merge.
    pub fn capped(self, server_now_ms: u64) -> Hlc {
        let limit = server_now_ms.saturating_add(MAX_AHEAD_MS);
        if self.wall_ms > limit {
            Hlc {
                wall_ms: limit,
                ..self
            }
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn follows_the_wall_clock_and_counts_within_a_millisecond() {
        let a = Hlc::tick(Hlc::ZERO, 1000, 1);
        assert_eq!((a.wall_ms, a.counter), (1000, 0));
        let b = Hlc::tick(a, 1000, 1);
        assert_eq!((b.wall_ms, b.counter), (1000, 1));
        let c = Hlc::tick(b, 999, 1); // the clock went back
        assert!(c > b);
        let d = Hlc::tick(c, 2000, 1);
        assert_eq!((d.wall_ms, d.counter), (2000, 0));
    }

    #[test]
    fn a_stamp_from_the_future_is_capped_at_the_server() {
        let ahead = Hlc {
            wall_ms: 10_000_000,
            counter: 3,
            node: 9,
        };
        assert_eq!(ahead.capped(1_000_000).wall_ms, 1_000_000 + MAX_AHEAD_MS);
        let fine = Hlc {
            wall_ms: 1_000_500,
            counter: 0,
            node: 9,
        };
        assert_eq!(fine.capped(1_000_000), fine);
    }

    proptest! {
        /// Whatever the clocks say, a stamp made after observing another is later than it,
        /// and a node's own stamps only increase.
        #[test]
        fn causality_is_kept(
            events in prop::collection::vec((0u64..5_000, any::<bool>(), 0u64..5_000), 1..60)
        ) {
            let mut a = Hlc::ZERO;
            let mut b = Hlc::ZERO;
            for (now, a_sends, remote_now) in events {
                if a_sends {
                    let sent = Hlc::tick(a, now, 1);
                    prop_assert!(sent > a);
                    a = sent;
                    let received = Hlc::observe(b, sent, remote_now, 2);
                    prop_assert!(received > sent && received > b);
                    b = received;
                } else {
                    let next = Hlc::tick(b, remote_now, 2);
                    prop_assert!(next > b);
                    b = next;
                }
            }
        }
    }
}
