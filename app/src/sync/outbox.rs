//! The device's outbox and the server's admission rule, as plain functions.
//!
//! A device numbers its changes 1, 2, 3… ([`Outbox::add`]) and sends the oldest waiting ones
//! ([`Outbox::batch`]). The server deals with each number exactly once ([`admit`]): a number it
//! has seen is a duplicate (a retry after a lost answer), the next number is applied, and a
//! number after a gap is not looked at (the device sends the missing one first). The device
//! forgets a change only when an answer says the server committed it ([`Outbox::acknowledge`]);
//! a change the server refused moves to [`Outbox::failed`] for the person to see, and never
//! holds up the rest.

use serde::{Deserialize, Serialize};

use super::merge::{self, RecordState};
use super::wire::{Mutation, MutationStatus, Op, PushResponse, RecordKind};
use crate::protocol::FieldMessage;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    /// The number the next change gets.
    pub next_seq: u64,
    /// Changes not yet acknowledged, oldest first.
    pub pending: Vec<Mutation>,
    /// Changes the server refused, with its reason.
    #[serde(default)]
    pub failed: Vec<Failed>,
}

impl Default for Outbox {
    fn default() -> Self {
        Self {
            next_seq: 1,
            pending: Vec::new(),
            failed: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failed {
    pub mutation: Mutation,
    pub reason: String,
    #[serde(default)]
    pub fields: Vec<FieldMessage>,
}

/// What an answer to a push did to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ack {
    /// Changes the server now holds (applied now or earlier).
    pub done: usize,
    pub rejected: usize,
    pub conflicts: u32,
}

impl Outbox {
    /// Queues a change and returns its number.
    pub fn add(&mut self, kind: RecordKind, id: String, op: Op) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.push(Mutation { seq, kind, id, op });
        seq
    }

    /// The oldest `max` waiting changes: what the next push carries.
    pub fn batch(&self, max: usize) -> &[Mutation] {
        &self.pending[..self.pending.len().min(max)]
    }

    /// The oldest waiting changes, at most `max` of them and at most `max_bytes` of JSON
    /// (always at least one: a change larger than that is sent alone, and the server says
    /// whether it takes it).
    pub fn batch_within(&self, max: usize, max_bytes: usize) -> &[Mutation] {
        let mut bytes = 0;
        let mut n = 0;
        for m in self.pending.iter().take(max) {
            bytes += serde_json::to_vec(m).map_or(usize::MAX / 2, |v| v.len() + 1);
            if n > 0 && bytes > max_bytes {
                break;
            }
            n += 1;
        }
        &self.pending[..n]
    }

    /// The oldest waiting change, which the server will never take (too large to send): moved
    /// to [`Outbox::failed`] with `reason`, and the changes after it renumbered down by one so
    /// the server, which never saw its number, finds no gap. Safe because nothing after the
    /// oldest waiting number can have reached the server (a gap stops a push there).
    pub fn give_up(&mut self, seq: u64, reason: &str) {
        if self.pending.first().map(|m| m.seq) != Some(seq) {
            return;
        }
        let mutation = self.pending.remove(0);
        for m in &mut self.pending {
            m.seq -= 1;
        }
        self.next_seq -= 1;
        self.failed.push(Failed {
            mutation,
            reason: reason.to_owned(),
            fields: Vec::new(),
        });
    }

    pub fn waiting(&self) -> usize {
        self.pending.len()
    }

    /// Forgets each change the answer says the server committed (applied now or before);
    /// moves refusals to [`Outbox::failed`] for the person to see. Answers about numbers not
    /// waiting here (an old, duplicated answer) change nothing.
    pub fn acknowledge(&mut self, response: &PushResponse) -> Ack {
        let mut ack = Ack::default();
        let mut kept = Vec::with_capacity(self.pending.len());
        for mutation in self.pending.drain(..) {
            // Only an explicit result settles a change: an answer to a shorter, older or
            // duplicated request says nothing about the others (one of them may have been
            // refused, and the refusal must reach the person).
            let result = response.results.iter().find(|r| r.seq == mutation.seq);
            match result {
                Some(r) if mutation.seq > response.through => {
                    debug_assert!(false, "a result beyond `through`: {r:?}");
                    kept.push(mutation);
                }
                Some(r) if r.status == MutationStatus::Rejected => {
                    ack.rejected += 1;
                    self.failed.push(Failed {
                        reason: r.reason.clone().unwrap_or_default(),
                        fields: r.fields.clone(),
                        mutation,
                    });
                }
                Some(r) => {
                    ack.done += 1;
                    ack.conflicts += r.conflicts;
                }
                None => kept.push(mutation),
            }
        }
        self.pending = kept;
        ack
    }

    /// The person has read this refusal and set it aside (that one only: a change given up
    /// before it was sent and a later refusal may carry the same number).
    pub fn dismiss(&mut self, refusal: &Failed) {
        if let Some(at) = self.failed.iter().position(|f| f == refusal) {
            self.failed.remove(at);
        }
    }

    /// A record as this device sees it: `base` (its last pulled state) with the waiting
    /// changes to it applied on top.
    pub fn local_view(
        &self,
        kind: RecordKind,
        id: &str,
        base: Option<&RecordState>,
    ) -> Option<RecordState> {
        let mut record = base.cloned();
        for m in self.pending.iter().filter(|m| m.kind == kind && m.id == id) {
            let r = record.get_or_insert_with(RecordState::default);
            match &m.op {
                Op::Put { fields } => {
                    for w in fields {
                        merge::apply(r, w.clone());
                    }
                }
                Op::Delete { stamp } => merge::delete(r, *stamp),
            }
        }
        record
    }
}

/// What the server does with a device's mutation number, given the last number it dealt with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Already dealt with: change nothing; answer "duplicate", or the same refusal again if it
    /// was refused (the first answer may have been lost, and a refusal must reach the person).
    Duplicate,
    /// The next one: apply (or reject) it and move the device's number on.
    Next,
    /// A number is missing before it: stop here; the device resends from the missing one.
    Gap,
    /// Not a number a device gives out (they start at 1): refused, and the device's counter
    /// does not move.
    Invalid,
}

pub fn admit(last_dealt_with: u64, seq: u64) -> Admit {
    if seq == 0 {
        Admit::Invalid
    } else if seq <= last_dealt_with {
        Admit::Duplicate
    } else if seq == last_dealt_with + 1 {
        Admit::Next
    } else {
        Admit::Gap
    }
}

#[cfg(test)]
mod batch_tests {
    use super::*;
    use crate::sync::hlc::Hlc;
    use crate::sync::merge::FieldWrite;

    fn long_note(outbox: &mut Outbox, chars: usize) {
        let body = "記".repeat(chars);
        let stamp = Hlc {
            wall_ms: 1,
            counter: 0,
            node: 1,
        };
        let fields = vec![FieldWrite {
            field: "body".into(),
            value: body.into(),
            stamp,
            base: None,
        }];
        outbox.add(RecordKind::Note, "n".into(), Op::Put { fields });
    }

    #[test]
    fn batches_are_sized_by_bytes_as_well_as_by_count() {
        // 200 notes of 2,000 characters are 1.2 MB: over the server's 1 MiB body limit.
        let mut outbox = Outbox::default();
        for _ in 0..200 {
            long_note(&mut outbox, 2_000);
        }
        let batch = outbox.batch_within(200, 512 * 1024);
        let bytes = serde_json::to_vec(batch).unwrap().len();
        assert!(batch.len() < 200 && !batch.is_empty(), "{}", batch.len());
        assert!(bytes <= 512 * 1024, "{bytes}");
        assert_eq!(outbox.batch_within(200, 10).len(), 1, "one is always sent");
        // A change the server will never take leaves the queue with a reason, and the rest
        // are renumbered so the server, which never saw number 1, finds no gap.
        outbox.give_up(2, "not the oldest: nothing happens");
        assert_eq!(outbox.pending.len(), 200);
        outbox.give_up(1, "too large");
        assert_eq!(outbox.pending.len(), 199);
        assert_eq!(outbox.failed[0].mutation.seq, 1);
        let seqs: Vec<u64> = outbox.pending.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, (1..=199).collect::<Vec<u64>>());
        assert_eq!(outbox.next_seq, 200);
        // The next change took number 1 and is refused too: setting one refusal aside keeps
        // the other (both carry number 1).
        let answer = PushResponse {
            through: 1,
            results: vec![super::super::wire::MutationResult {
                seq: 1,
                status: MutationStatus::Rejected,
                reason: Some("refused".into()),
                fields: Vec::new(),
                conflicts: 0,
            }],
            server_time_ms: 0,
        };
        outbox.acknowledge(&answer);
        assert_eq!(outbox.failed.len(), 2);
        let first = outbox.failed[0].clone();
        outbox.dismiss(&first);
        assert_eq!(outbox.failed.len(), 1);
        assert_eq!(outbox.failed[0].reason, "refused");
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::sync::hlc::Hlc;
    use crate::sync::merge::FieldWrite;
    use crate::sync::wire::MutationResult;

    fn put(field: &str, value: u8, stamp: Hlc) -> Op {
        Op::Put {
            fields: vec![FieldWrite {
                field: field.into(),
                value: json!(value),
                stamp,
                base: None,
            }],
        }
    }

    fn answer(through: u64, results: Vec<(u64, MutationStatus)>) -> PushResponse {
        PushResponse {
            through,
            results: results
                .into_iter()
                .map(|(seq, status)| MutationResult {
                    seq,
                    status,
                    reason: (status == MutationStatus::Rejected).then(|| "だめ".into()),
                    fields: vec![],
                    conflicts: 0,
                })
                .collect(),
            server_time_ms: 0,
        }
    }

    #[test]
    fn admission_case_table() {
        let table = [
            (0, 1, Admit::Next),
            (0, 2, Admit::Gap),
            (5, 5, Admit::Duplicate),
            (5, 3, Admit::Duplicate),
            (5, 6, Admit::Next),
            (5, 8, Admit::Gap),
        ];
        for (last, seq, expected) in table {
            assert_eq!(admit(last, seq), expected, "last {last}, seq {seq}");
        }
    }

    #[test]
    fn acknowledgement_keeps_refusals_and_what_was_not_reached() {
        let mut outbox = Outbox::default();
        for i in 0..4 {
            outbox.add(RecordKind::Person, format!("r{i}"), put("f", i, Hlc::ZERO));
        }
        assert_eq!(outbox.batch(2).len(), 2);
        let ack = outbox.acknowledge(&answer(
            3,
            vec![(2, MutationStatus::Applied), (3, MutationStatus::Rejected)],
        ));
        // 2 applied, 3 refused; 1 (no result in this answer) and 4 still waiting.
        assert_eq!(
            ack,
            Ack {
                done: 1,
                rejected: 1,
                conflicts: 0
            }
        );
        assert_eq!(
            outbox.pending.iter().map(|m| m.seq).collect::<Vec<_>>(),
            vec![1, 4]
        );
        assert_eq!(outbox.failed.len(), 1);
        assert_eq!(outbox.failed[0].mutation.seq, 3);
        // The same answer arriving twice changes nothing more.
        let again = outbox.acknowledge(&answer(3, vec![(2, MutationStatus::Applied)]));
        assert_eq!(again, Ack::default());
        assert_eq!(
            outbox.add(RecordKind::Note, "n".into(), put("f", 9, Hlc::ZERO)),
            5
        );
        let refusal = outbox.failed[0].clone();
        outbox.dismiss(&refusal);
        assert!(outbox.failed.is_empty());
    }

    // ---- A model of devices, a faulty network and the server -------------------------------

    /// The server's side, built from the same rules the real server uses.
    #[derive(Default)]
    struct Server {
        last: HashMap<usize, u64>,
        records: BTreeMap<String, RecordState>,
        applied: HashMap<(usize, u64), u32>,
        rejected: HashMap<(usize, u64), String>,
    }

    impl Server {
        fn push(&mut self, device: usize, batch: &[Mutation]) -> PushResponse {
            let last = self.last.entry(device).or_insert(0);
            let mut results = Vec::new();
            for m in batch {
                match admit(*last, m.seq) {
                    Admit::Duplicate => {
                        let refusal = self.rejected.get(&(device, m.seq)).cloned();
                        results.push(MutationResult {
                            seq: m.seq,
                            status: if refusal.is_some() {
                                MutationStatus::Rejected
                            } else {
                                MutationStatus::Duplicate
                            },
                            reason: refusal,
                            fields: vec![],
                            conflicts: 0,
                        })
                    }
                    Admit::Gap | Admit::Invalid => break,
                    Admit::Next => {
                        *last = m.seq;
                        // Value 255 stands for an invalid entry: refused, but dealt with.
                        let invalid = matches!(&m.op, Op::Put { fields } if fields.iter().any(|f| f.value == json!(255)));
                        let status = if invalid {
                            self.rejected.insert((device, m.seq), "invalid".into());
                            MutationStatus::Rejected
                        } else {
                            *self.applied.entry((device, m.seq)).or_default() += 1;
                            let r = self.records.entry(m.id.clone()).or_default();
                            match &m.op {
                                Op::Put { fields } => {
                                    for w in fields {
                                        merge::apply(r, w.clone());
                                    }
                                }
                                Op::Delete { stamp } => merge::delete(r, *stamp),
                            }
                            MutationStatus::Applied
                        };
                        results.push(MutationResult {
                            seq: m.seq,
                            status,
                            reason: invalid.then(|| "invalid".into()),
                            fields: vec![],
                            conflicts: 0,
                        });
                    }
                }
            }
            PushResponse {
                through: *last,
                results,
                server_time_ms: 0,
            }
        }
    }

    #[derive(Debug, Clone)]
    enum Step {
        /// Device `d` edits `field` of record `record` to `value`.
        Edit {
            d: usize,
            record: u8,
            field: u8,
            value: u8,
            delete: bool,
        },
        /// Device `d` pushes its first `take` waiting changes; the network may lose the
        /// request or the answer, deliver it twice, or shuffle it.
        Push { d: usize, take: usize, fault: u8 },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (
                0usize..3,
                0u8..4,
                0u8..2,
                0u8..=255,
                prop::bool::weighted(0.05)
            )
                .prop_map(|(d, record, field, value, delete)| Step::Edit {
                    d,
                    record,
                    field,
                    value,
                    delete
                }),
            (0usize..3, 1usize..6, 0u8..6).prop_map(|(d, take, fault)| Step::Push {
                d,
                take,
                fault
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Whatever the network does, every change a device made is applied exactly once or
        /// refused, everything acknowledged is on the server, and the server ends with the
        /// same records as a replay of every accepted change in any order.
        #[test]
        fn exactly_once_and_convergent(steps in prop::collection::vec(step(), 1..120)) {
            let mut server = Server::default();
            let mut outboxes = vec![Outbox::default(); 3];
            let mut clocks = [Hlc::ZERO; 3];
            let mut made: Vec<(usize, Mutation)> = Vec::new();
            let mut acked: Vec<(usize, u64)> = Vec::new();
            let mut now = 0u64;
            let deliver = |server: &mut Server, outbox: &mut Outbox, d: usize, batch: Vec<Mutation>, lose_answer: bool, acked: &mut Vec<(usize, u64)>| {
                let answer = server.push(d, &batch);
                if !lose_answer {
                    let before: Vec<u64> = outbox.pending.iter().map(|m| m.seq).collect();
                    outbox.acknowledge(&answer);
                    for seq in before {
                        if !outbox.pending.iter().any(|m| m.seq == seq) {
                            acked.push((d, seq));
                        }
                    }
                }
            };
            for s in steps {
                now += 1;
                match s {
                    Step::Edit { d, record, field, value, delete } => {
                        clocks[d] = Hlc::tick(clocks[d], now, d as u64 + 1);
                        let op = if delete {
                            Op::Delete { stamp: clocks[d] }
                        } else {
                            put(["a", "b"][field as usize], value, clocks[d])
                        };
                        let seq = outboxes[d].add(RecordKind::Person, format!("rec{record}"), op);
                        made.push((d, outboxes[d].pending.last().unwrap().clone()));
                        prop_assert_eq!(seq, made.iter().filter(|(x, _)| *x == d).count() as u64);
                    }
                    Step::Push { d, take, fault } => {
                        let mut batch = outboxes[d].batch(take).to_vec();
                        match fault {
                            0 => {} // request lost: the server never sees it
                            1 => deliver(&mut server, &mut outboxes[d], d, batch, true, &mut acked),
                            2 => {
                                let copy = batch.clone();
                                deliver(&mut server, &mut outboxes[d], d, copy, true, &mut acked);
                                deliver(&mut server, &mut outboxes[d], d, batch, false, &mut acked);
                            }
                            3 => {
                                batch.reverse();
                                deliver(&mut server, &mut outboxes[d], d, batch, false, &mut acked);
                            }
                            _ => deliver(&mut server, &mut outboxes[d], d, batch, false, &mut acked),
                        }
                    }
                }
                // Acknowledged ⇒ on the server.
                for (d, seq) in &acked {
                    prop_assert!(*seq <= server.last[d]);
                }
            }
            // The network heals: every device sends until its outbox is empty.
            for (d, outbox) in outboxes.iter_mut().enumerate() {
                let mut rounds = 0;
                while outbox.waiting() > 0 {
                    let batch = outbox.batch(4).to_vec();
                    deliver(&mut server, outbox, d, batch, false, &mut acked);
                    rounds += 1;
                    prop_assert!(rounds < 1000, "outbox does not drain");
                }
            }
            // Exactly once: every valid change applied once, every invalid one refused.
            for (d, m) in &made {
                let invalid = matches!(&m.op, Op::Put { fields } if fields.iter().any(|f| f.value == json!(255)));
                let count = server.applied.get(&(*d, m.seq)).copied().unwrap_or(0);
                prop_assert_eq!(count, u32::from(!invalid), "device {} change {}", d, m.seq);
                if invalid {
                    prop_assert!(outboxes[*d].failed.iter().any(|f| f.mutation.seq == m.seq));
                }
            }
            // Convergence: a replay of the accepted changes in another order gives the same records.
            let mut replay: BTreeMap<String, RecordState> = BTreeMap::new();
            for (_, m) in made.iter().rev() {
                let r = replay.entry(m.id.clone()).or_default();
                match &m.op {
                    Op::Put { fields } if !fields.iter().any(|f| f.value == json!(255)) => {
                        for w in fields { merge::apply(r, w.clone()); }
                    }
                    Op::Put { .. } => {}
                    Op::Delete { stamp } => merge::delete(r, *stamp),
                }
            }
            let view = |m: &BTreeMap<String, RecordState>| m.iter()
                .filter(|(_, r)| !r.fields.is_empty() || r.deleted.is_some())
                .map(|(k, r)| (k.clone(), r.deleted.is_some(), r.fields.iter().map(|(f, s)| (f.clone(), s.stamp, s.value.clone())).collect::<Vec<_>>()))
                .collect::<Vec<_>>();
            prop_assert_eq!(view(&server.records), view(&replay));
        }
    }
}
