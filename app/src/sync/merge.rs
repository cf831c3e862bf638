//! Per-field merge of a record: each field keeps the value of its latest write (by [`Hlc`]),
//! so edits to different fields on different devices both survive. A write made without
//! having seen the field's current value (two offline edits of the same field) is a
//! **conflict**: the later write wins provisionally and the other value is reported, never
//! dropped silently. A delete is a tombstone that later writes do not undo.
//!
//! Pure: the server applies pushes with it; replicas converge because the winner of a field is
//! always its greatest stamp, whatever order the writes arrive in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::hlc::Hlc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldState {
    pub value: Value,
    pub stamp: Hlc,
    /// What the author of this value had seen of the field when writing it.
    pub base: Option<Hlc>,
}

/// A record as the merge sees it: named fields and, once deleted, the delete's stamp.
///
/// The order of the members (here and in [`FieldState`]) is part of the server's stored format
/// (positional, `server::store::sync::encode_state`; a test pins its bytes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    pub fields: BTreeMap<String, FieldState>,
    pub deleted: Option<Hlc>,
}

/// A device's change to one field. `base` is the stamp of the value the person was looking at
/// when they edited (`None` for a field that had no value on their device).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldWrite {
    pub field: String,
    pub value: Value,
    pub stamp: Hlc,
    pub base: Option<Hlc>,
}

/// Two values written concurrently to one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: String,
    /// The provisional winner (the later stamp), now in the record.
    pub kept: FieldState,
    /// The value that lost, kept here for staff to choose.
    pub other: FieldState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The write is now the field's value.
    Applied,
    /// This exact write was applied before (a retried push): nothing changes.
    AlreadyApplied,
    /// A later write already holds the field; this one was seen by its author, so it is simply
    /// older (no conflict).
    Superseded,
    /// Concurrent edits of the same field: see [`Conflict`].
    Conflict(Conflict),
    /// The record was deleted; the write is ignored.
    Deleted,
}

/// Applies one field write to a record.
pub fn apply(record: &mut RecordState, write: FieldWrite) -> Outcome {
    if record.deleted.is_some() {
        return Outcome::Deleted;
    }
    // A writer cannot have seen a value later than its own write: such a base (a clock from
    // the future, or a forged one) is taken as "saw nothing", so the write cannot pass for a
    // sequential edit and overwrite a concurrent one unreported.
    let incoming = FieldState {
        value: write.value,
        stamp: write.stamp,
        base: write.base.filter(|b| *b <= write.stamp),
    };
    let Some(current) = record.fields.get(&write.field) else {
        record.fields.insert(write.field, incoming);
        return Outcome::Applied;
    };
    if current.stamp == incoming.stamp {
        return Outcome::AlreadyApplied;
    }
    let won = incoming.stamp > current.stamp;
    let (kept, other) = if won {
        (incoming, current.clone())
    } else {
        (current.clone(), incoming)
    };
    // Sequential when the later value's author had seen the earlier one; otherwise the two
    // were written without knowing of each other.
    let sequential = kept.base.is_some_and(|base| base >= other.stamp);
    if won {
        record.fields.insert(write.field.clone(), kept.clone());
    }
    if !sequential && other.value != kept.value {
        Outcome::Conflict(Conflict {
            field: write.field,
            kept,
            other,
        })
    } else if won {
        Outcome::Applied
    } else {
        Outcome::Superseded
    }
}

/// The writes that set `values` on a record as its author sees it (`current`, `None` for a new
/// record): each has seen the field's value it replaces (its `base`), and values that do not
/// change (an empty value for a field never written included) are left out. The same rule on a device and for the server's own writes.
pub fn writes_for(
    current: Option<&RecordState>,
    values: Vec<(&'static str, Value)>,
    stamp: Hlc,
) -> Vec<FieldWrite> {
    values
        .into_iter()
        .filter_map(|(field, value)| {
            let seen = current.and_then(|r| r.fields.get(field));
            if seen.is_some_and(|s| s.value == value) {
                return None;
            }
            // Nothing written to a field never written is no change (forms send every field;
            // an absent field reads as empty).
            let empty = value.is_null() || value.as_str() == Some("");
            if seen.is_none() && empty {
                return None;
            }
            Some(FieldWrite {
                field: field.to_owned(),
                value,
                stamp,
                base: seen.map(|s| s.stamp),
            })
        })
        .collect()
}

/// Deletes the record (a tombstone: later writes are ignored, the delete is never undone by a
/// late-arriving edit). Deleting twice keeps the first stamp. The tombstone keeps no field
/// values: a deleted record is the same on every replica whichever edits reached it first,
/// and holds no personal data.
pub fn delete(record: &mut RecordState, stamp: Hlc) {
    if record.deleted.is_none() {
        record.deleted = Some(stamp);
    }
    record.fields.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn a_base_later_than_the_write_itself_does_not_hide_a_conflict() {
        let mut r = RecordState::default();
        apply(&mut r, write("name", json!("甲"), stamp(10, 1), None));
        let forged = write("name", json!("乙"), stamp(20, 2), Some(stamp(99_999, 2)));
        assert!(matches!(apply(&mut r, forged), Outcome::Conflict(_)));
        // A base it may have seen still makes an edit sequential.
        let seen = write("name", json!("丙"), stamp(30, 1), Some(stamp(20, 2)));
        assert_eq!(apply(&mut r, seen), Outcome::Applied);
    }

    #[test]
    fn a_form_sending_empty_fields_writes_only_what_it_changes() {
        let mut r = RecordState::default();
        apply(
            &mut r,
            write("given_name", json!("花子"), stamp(1, 1), None),
        );
        let sent = writes_for(
            Some(&r),
            vec![
                ("given_name", json!("花子")),
                ("sex", json!("")),
                ("birth_date", Value::Null),
                ("phone", json!("0429980000")),
                ("given_name_kana", json!("ハナコ")),
            ],
            stamp(2, 1),
        );
        let fields: Vec<&str> = sent.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(fields, ["phone", "given_name_kana"]);
        // Emptying a field that holds a value is a change.
        apply(
            &mut r,
            write("phone", json!("0429980000"), stamp(3, 1), None),
        );
        let cleared = writes_for(Some(&r), vec![("phone", json!(""))], stamp(4, 1));
        assert_eq!(cleared.len(), 1);
    }

    fn stamp(wall_ms: u64, node: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            node,
        }
    }

    fn write(field: &str, value: Value, stamp: Hlc, base: Option<Hlc>) -> FieldWrite {
        FieldWrite {
            field: field.into(),
            value,
            stamp,
            base,
        }
    }

    #[test]
    fn edits_of_different_fields_both_survive() {
        let mut r = RecordState::default();
        let base = stamp(1, 0);
        apply(&mut r, write("phone", json!("0429"), base, None));
        apply(&mut r, write("kana", json!("ミホン"), base, None));
        assert_eq!(
            apply(
                &mut r,
                write("phone", json!("090"), stamp(5, 1), Some(base))
            ),
            Outcome::Applied
        );
        assert_eq!(
            apply(
                &mut r,
                write("kana", json!("ミホ"), stamp(6, 2), Some(base))
            ),
            Outcome::Applied
        );
        assert_eq!(r.fields["phone"].value, json!("090"));
        assert_eq!(r.fields["kana"].value, json!("ミホ"));
    }

    #[test]
    fn two_offline_edits_of_one_field_conflict_in_either_order() {
        let base = stamp(1, 0);
        let a = write("venue", json!("A館"), stamp(10, 1), Some(base));
        let b = write("venue", json!("B館"), stamp(20, 2), Some(base));
        for order in [[a.clone(), b.clone()], [b.clone(), a.clone()]] {
            let mut r = RecordState::default();
            apply(&mut r, write("venue", json!("元"), base, None));
            let outcomes: Vec<Outcome> = order.into_iter().map(|w| apply(&mut r, w)).collect();
            let conflicts: Vec<&Conflict> = outcomes
                .iter()
                .filter_map(|o| {
                    if let Outcome::Conflict(c) = o {
                        Some(c)
                    } else {
                        None
                    }
                })
                .collect();
            assert_eq!(conflicts.len(), 1, "{outcomes:?}");
            assert_eq!(
                conflicts[0].kept.value,
                json!("B館"),
                "the later stamp wins provisionally"
            );
            assert_eq!(
                conflicts[0].other.value,
                json!("A館"),
                "the other value is kept for staff"
            );
            assert_eq!(r.fields["venue"].value, json!("B館"));
        }
    }

    #[test]
    fn a_sequential_edit_is_not_a_conflict_and_a_retry_changes_nothing() {
        let mut r = RecordState::default();
        let first = write("venue", json!("A館"), stamp(10, 1), None);
        assert_eq!(apply(&mut r, first.clone()), Outcome::Applied);
        let second = write("venue", json!("B館"), stamp(20, 2), Some(stamp(10, 1)));
        assert_eq!(apply(&mut r, second.clone()), Outcome::Applied);
        assert_eq!(apply(&mut r, second), Outcome::AlreadyApplied);
        // The first write arriving again late is older and was seen by the second's author.
        assert_eq!(apply(&mut r, first), Outcome::Superseded);
        assert_eq!(r.fields["venue"].value, json!("B館"));
    }

    #[test]
    fn deletes_are_tombstones() {
        let mut r = RecordState::default();
        apply(&mut r, write("venue", json!("A館"), stamp(10, 1), None));
        delete(&mut r, stamp(15, 2));
        assert_eq!(
            apply(
                &mut r,
                write("venue", json!("B館"), stamp(20, 1), Some(stamp(10, 1)))
            ),
            Outcome::Deleted
        );
        delete(&mut r, stamp(30, 3));
        assert_eq!(r.deleted, Some(stamp(15, 2)));
    }

    fn arb_write() -> impl Strategy<Value = FieldWrite> {
        (
            0usize..3,
            0u8..4,
            1u64..50,
            0u32..3,
            1u64..4,
            proptest::option::of(1u64..50),
        )
            .prop_map(|(field, value, wall, counter, node, base)| FieldWrite {
                field: ["venue", "date", "title"][field].to_owned(),
                value: json!(value),
                stamp: Hlc {
                    wall_ms: wall,
                    counter,
                    node,
                },
                base: base.map(|b| Hlc {
                    wall_ms: b,
                    counter: 0,
                    node: 0,
                }),
            })
    }

    proptest! {
        /// Replicas that receive the same writes — duplicated, reordered — end with the same
        /// record: each field holds the value of its greatest stamp.
        #[test]
        fn replicas_converge(
            writes in prop::collection::vec(arb_write(), 0..30),
            seed in any::<u64>(),
        ) {
            let mut shuffled = writes.clone();
            shuffled.extend(writes.iter().take(5).cloned()); // duplicates (retries)
            // A deterministic shuffle from the seed.
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                shuffled.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let mut a = RecordState::default();
            let mut b = RecordState::default();
            for w in writes.iter().cloned() { apply(&mut a, w); }
            for w in shuffled { apply(&mut b, w); }
            // Same stamp ⇒ same write in this model, so values must agree too.
            let winners = |r: &RecordState| r.fields.iter().map(|(k, v)| (k.clone(), v.stamp)).collect::<Vec<_>>();
            prop_assert_eq!(winners(&a), winners(&b));
            for w in &writes {
                let max = writes.iter().filter(|x| x.field == w.field).map(|x| x.stamp).max().unwrap();
                prop_assert_eq!(a.fields[&w.field].stamp, max);
            }
        }
    }
}
