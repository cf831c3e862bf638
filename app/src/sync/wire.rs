//! The sync protocol's wire types (`/api/v1/sync/*`), shared by the browser, the server and the
//! test clients. Versioned: every request names [`PROTOCOL_VERSION`]; a server that does not
//! speak it answers "update the app" (HTTP 426) instead of guessing.
//!
//! Like the rest of the API these types are a contract with tablets that have not updated yet:
//! add optional fields, never change existing ones.

use serde::{Deserialize, Serialize};

use super::hlc::Hlc;
use super::merge::{FieldWrite, RecordState};
use crate::protocol::FieldMessage;

/// The protocol this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The most mutations one push may carry (a client sends more in several pushes).
pub const MAX_PUSH: usize = 500;
/// The most records one pull page returns.
pub const MAX_PULL: u32 = 1000;

/// What a record is. The engine is generic: each kind has its own fields and rules
/// ([`super::kinds`]); adding a kind adds a variant, not a new protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum RecordKind {
    /// A person at intake (相談者): name, reading, birth date, category.
    Person,
    /// A case note (支援記録): append-only; written once, never edited.
    Note,
    /// Someone registered or checked in at a fair, on a tablet or at the counter.
    Participant,
    /// An interview at a fair: one participant with one employer, and how it stands.
    Interview,
    /// A job referral (職業紹介) by Hello Work, and its result.
    Referral,
    /// A placement (就職): the person started a job.
    Placement,
    /// A retention follow-up (定着支援) 1, 3 or 6 months after a placement.
    FollowUp,
    /// An assessment (アセスメント) of a person's challenges and the work they want.
    Assessment,
    /// A version of a support plan (支援プラン); a change is a new version.
    Plan,
    /// An anonymised success story (就職成功例) drafted from a case.
    Story,
    /// A kind a newer server or app knows and this build does not. An app skips such records
    /// in a pull (it cannot show or edit them); a server refuses such a mutation on its own.
    /// Never sent: nothing of this build makes one.
    #[serde(other)]
    Unknown,
}

impl RecordKind {
    pub const ALL: [RecordKind; 10] = [
        RecordKind::Person,
        RecordKind::Note,
        RecordKind::Participant,
        RecordKind::Interview,
        RecordKind::Referral,
        RecordKind::Placement,
        RecordKind::FollowUp,
        RecordKind::Assessment,
        RecordKind::Plan,
        RecordKind::Story,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Person => "person",
            RecordKind::Note => "note",
            RecordKind::Participant => "participant",
            RecordKind::Interview => "interview",
            RecordKind::Referral => "referral",
            RecordKind::Placement => "placement",
            RecordKind::FollowUp => "follow_up",
            RecordKind::Assessment => "assessment",
            RecordKind::Plan => "plan",
            RecordKind::Story => "story",
            RecordKind::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Work done at a fair (registrations, interviews): joint work of both organisations,
    /// and what a fair's tablets receive.
    pub fn is_fair_work(self) -> bool {
        matches!(self, RecordKind::Participant | RecordKind::Interview)
    }

    /// An entry in a person's case (a note, a referral, a placement, a follow-up): about one
    /// person (`person_id`), seen by whoever may see that case, changed only by the
    /// organisation that wrote it.
    pub fn is_case_entry(self) -> bool {
        matches!(
            self,
            RecordKind::Note
                | RecordKind::Referral
                | RecordKind::Placement
                | RecordKind::FollowUp
                | RecordKind::Assessment
                | RecordKind::Plan
                | RecordKind::Story
        )
    }

    /// A person's case or an entry in it: scoped by the case's organisation and consent.
    pub fn is_casework(self) -> bool {
        self == RecordKind::Person || self.is_case_entry()
    }
}

/// One change made on a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Mutation {
    /// The device's own counter: 1, 2, 3… without gaps. The server applies each number once.
    pub seq: u64,
    pub kind: RecordKind,
    /// The record's UUIDv7, chosen on the device.
    pub id: String,
    pub op: Op,
}

/// On the wire an object tagged by `type`: `{"type":"put","fields":[…]}` or
/// `{"type":"delete","stamp":{…}}`. Read through [`OpWire`], not serde's internally tagged
/// reader: that one buffers every change into serde's `Content` first, code the browser
/// would download for this one type (measured: #14, docs/benchmarks.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "OpWire")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Op {
    /// Sets fields (creating the record if it is new). Each write carries its clock stamp and
    /// the stamp of the value its author saw.
    Put {
        #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
        fields: Vec<FieldWrite>,
    },
    /// Deletes the record (a tombstone).
    Delete {
        #[cfg_attr(feature = "ssr", schema(value_type = Object))]
        stamp: Hlc,
    },
}

/// [`Op`] as read: its tag and whichever of its members came. Members it does not know are
/// ignored, as serde's tagged reader ignored them; the other variant's member, if sent, must
/// be well formed (`{"type":"put","fields":[],"stamp":"x"}` is refused; it was ignored).
#[derive(Deserialize)]
struct OpWire {
    #[serde(rename = "type")]
    tag: OpTag,
    fields: Option<Vec<FieldWrite>>,
    stamp: Option<Hlc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OpTag {
    Put,
    Delete,
}

impl TryFrom<OpWire> for Op {
    type Error = &'static str;

    fn try_from(wire: OpWire) -> Result<Op, Self::Error> {
        match wire {
            OpWire {
                tag: OpTag::Put,
                fields: Some(fields),
                ..
            } => Ok(Op::Put { fields }),
            OpWire {
                tag: OpTag::Delete,
                stamp: Some(stamp),
                ..
            } => Ok(Op::Delete { stamp }),
            OpWire {
                tag: OpTag::Put, ..
            } => Err("missing field `fields`"),
            OpWire {
                tag: OpTag::Delete, ..
            } => Err("missing field `stamp`"),
        }
    }
}

/// `POST /api/v1/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub protocol: u32,
    /// This browser profile's or tablet's replica id (a UUID chosen once and kept).
    pub replica: String,
    /// In `seq` order, starting at the first not yet acknowledged.
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum MutationStatus {
    /// Applied now, in the transaction this answer confirms.
    Applied,
    /// Applied by an earlier push (a retry): nothing changed.
    Duplicate,
    /// Refused for the reason given; the rest of the batch went on.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub seq: u64,
    pub status: MutationStatus,
    /// For `rejected`: a sentence for the person who made the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For `rejected` by validation: one message per wrong field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMessage>,
    /// How many fields of this change were concurrent with another device's edit (recorded as
    /// conflicts for staff).
    #[serde(default)]
    pub conflicts: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The device's last mutation number the server has dealt with (applied or refused) and
    /// committed. A device forgets a change only when `results` names it; mutations after a
    /// gap in the numbering are not looked at.
    pub through: u64,
    pub results: Vec<MutationResult>,
    /// The server's clock, so devices keep their clocks causal.
    pub server_time_ms: u64,
}

/// One record in a pull page, as the caller may see it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PulledRecord {
    pub kind: RecordKind,
    pub id: String,
    /// The server sequence number of the record's latest change.
    pub seq: u64,
    /// Fields with their stamps (the device needs them to edit without false conflicts).
    /// Absent when `removed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub state: Option<RecordState>,
    /// The caller may no longer see this record (consent withdrawn, deleted): drop local copies.
    #[serde(default)]
    pub removed: bool,
}

/// `GET /api/v1/sync/pull?protocol=1&after=<cursor>&epoch=<epoch>&limit=<n>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub records: Vec<PulledRecord>,
    /// Where the next pull starts.
    pub cursor: u64,
    /// Changes after `cursor` still to fetch (for a progress bar); 0 when up to date.
    pub remaining: u64,
    pub server_time_ms: u64,
    /// The database's identity: a cursor means something only with the epoch it came with.
    /// The device sends it back with the next pull (`&epoch=`).
    #[serde(default)]
    pub epoch: String,
    /// The cursor sent was not from this database (another epoch, or past its end — a restored
    /// backup): this page starts again from the beginning. The device drops its copy of
    /// pulled records and takes the full pull.
    #[serde(default)]
    pub reset: bool,
}

/// A concurrent edit waiting for staff (`GET /api/v1/sync/conflicts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConflictView {
    pub id: i64,
    pub kind: RecordKind,
    pub record_id: String,
    /// A label for the record (a person's name), for staff who may see it.
    pub record_label: String,
    pub field: String,
    /// The value in the record now (the later edit).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub kept: serde_json::Value,
    /// The concurrent value that lost provisionally.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub other: serde_json::Value,
    pub detected_at_ms: i64,
    /// Who made each side, on which device and when (unknown for conflicts recorded before
    /// the server kept this).
    #[serde(default)]
    pub kept_by: Option<ConflictSide>,
    #[serde(default)]
    pub other_by: Option<ConflictSide>,
}

/// One side of a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConflictSide {
    /// The staff member's name, or the tablet's label.
    pub who: String,
    pub organisation: Option<crate::domain::access::Organisation>,
    /// A fair tablet (else a staff member's browser).
    pub tablet: bool,
    /// The browser's short replica id (its last 8 characters, the same on every edit from that
    /// browser profile), or the tablet's fair.
    pub device: String,
    /// When the edit was made, by that device's clock (ms since the Unix epoch).
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConflictList {
    pub conflicts: Vec<ConflictView>,
}

/// `POST /api/v1/sync/conflicts/{id}/resolve`: `kept` or `other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ResolveConflict {
    pub choice: String,
}

/// `GET /api/v1/events/{id}/counts`: a fair's live counts, as tablets sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FairCounts {
    pub registered: u64,
    /// Each person once, however many tablets checked them in.
    pub checked_in: u64,
    /// Registrations flagged as possibly the same person, not yet decided by staff.
    pub possible_duplicates: u64,
    /// Interviews held (one per participant and employer), offers (内定, including those
    /// already hired) and hires (採用).
    pub interviews: u64,
    pub offers: u64,
    pub hires: u64,
    /// The same, per participating employer.
    pub employers: Vec<EmployerCounts>,
}

/// One employer's figures at a fair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmployerCounts {
    pub employer_id: String,
    pub name: String,
    pub interviews: u64,
    pub offers: u64,
    pub hires: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> Hlc {
        Hlc {
            wall_ms: 1_764_000_000_000,
            counter: 2,
            node: 7,
        }
    }

    /// The wire form tablets in the field send and read: unchanged by reading it without
    /// serde's tagged reader.
    #[test]
    fn an_op_keeps_its_wire_form() {
        let put = Op::Put {
            fields: vec![FieldWrite {
                field: "family_name".into(),
                value: serde_json::json!("見本"),
                stamp: stamp(),
                base: None,
            }],
        };
        let json = serde_json::to_value(&put).unwrap();
        assert_eq!(json["type"], "put");
        assert_eq!(json["fields"][0]["field"], "family_name");
        assert_eq!(serde_json::from_value::<Op>(json).unwrap(), put);

        let delete = Op::Delete { stamp: stamp() };
        let text = serde_json::to_string(&delete).unwrap();
        assert_eq!(
            text,
            r#"{"type":"delete","stamp":{"wall_ms":1764000000000,"counter":2,"node":7}}"#
        );
        assert_eq!(serde_json::from_str::<Op>(&text).unwrap(), delete);
    }

    #[test]
    fn an_op_is_read_in_any_member_order_and_ignores_members_it_does_not_know() {
        let text = r#"{"stamp":{"wall_ms":1764000000000,"counter":2,"node":7},"note":"x","type":"delete"}"#;
        assert_eq!(
            serde_json::from_str::<Op>(text).unwrap(),
            Op::Delete { stamp: stamp() }
        );
        let text = r#"{"fields":[],"type":"put"}"#;
        assert_eq!(
            serde_json::from_str::<Op>(text).unwrap(),
            Op::Put { fields: vec![] }
        );
    }

    /// `Op` as it was derived before (serde's internally tagged reader), to hold the new
    /// reader to the same JSON both ways.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum TaggedOp {
        Put { fields: Vec<FieldWrite> },
        Delete { stamp: Hlc },
    }

    #[test]
    fn an_op_reads_and_writes_as_serde_s_tagged_reader_did() {
        let write = FieldWrite {
            field: "kana".into(),
            value: serde_json::json!("ミホン"),
            stamp: stamp(),
            base: Some(stamp()),
        };
        let pairs = [
            (
                Op::Put {
                    fields: vec![write.clone()],
                },
                TaggedOp::Put {
                    fields: vec![write],
                },
            ),
            (
                Op::Delete { stamp: stamp() },
                TaggedOp::Delete { stamp: stamp() },
            ),
        ];
        for (op, tagged) in pairs {
            let (ours, theirs) = (
                serde_json::to_string(&op).unwrap(),
                serde_json::to_string(&tagged).unwrap(),
            );
            assert_eq!(ours, theirs);
            assert_eq!(serde_json::from_str::<TaggedOp>(&ours).unwrap(), tagged);
            assert_eq!(serde_json::from_str::<Op>(&theirs).unwrap(), op);
        }
        for refused in [
            r#"{"type":"put"}"#,
            r#"{"type":"delete"}"#,
            r#"{"type":"x"}"#,
            r#"{}"#,
            "[]",
        ] {
            let (ours, theirs) = (
                serde_json::from_str::<Op>(refused),
                serde_json::from_str::<TaggedOp>(refused),
            );
            assert!(ours.is_err() && theirs.is_err(), "{refused}");
        }
    }

    #[test]
    fn an_op_without_its_members_or_with_an_unknown_type_is_refused_by_name() {
        let no_fields = serde_json::from_str::<Op>(r#"{"type":"put"}"#).unwrap_err();
        assert!(no_fields.to_string().contains("`fields`"), "{no_fields}");
        let no_stamp = serde_json::from_str::<Op>(r#"{"type":"delete","fields":[]}"#).unwrap_err();
        assert!(no_stamp.to_string().contains("`stamp`"), "{no_stamp}");
        let unknown = serde_json::from_str::<Op>(r#"{"type":"merge","fields":[]}"#).unwrap_err();
        assert!(unknown.to_string().contains("merge"), "{unknown}");
        let untagged = serde_json::from_str::<Op>(r#"{"fields":[]}"#).unwrap_err();
        assert!(untagged.to_string().contains("`type`"), "{untagged}");
    }
}
