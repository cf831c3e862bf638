//! A person's case as a device holds it: every entry about them (notes, referrals,
//! placements, follow-ups) in date order, and what is due next — worked out from the records
//! themselves, so the person's page reads the same online and offline.

use crate::domain::casework::{FOLLOW_UP_MONTHS, ReferralResult, follow_up_due};
use crate::domain::date::CivilDate;
use crate::sync::kinds::{self, Fields, FollowUpFields, PlacementFields, ReferralFields};
use crate::sync::merge::RecordState;
use crate::sync::wire::RecordKind;

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: RecordKind,
    pub id: String,
    pub state: RecordState,
    /// Changes to it still wait on this device to be sent.
    pub waiting: bool,
    /// The day it happened (its written, referral, placement or follow-up date).
    pub date: Option<CivilDate>,
}

/// The field holding the day an entry of `kind` happened.
pub fn date_field(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Note => "written_on",
        RecordKind::Referral => "referred_on",
        RecordKind::Placement => "placed_on",
        RecordKind::FollowUp => "done_on",
        _ => "",
    }
}

/// The entries about `person` among `records` (kind, id, state, waiting), oldest first; entries
/// of the same day in the order they were made (their ids are time-ordered UUIDv7s).
pub fn timeline(records: Vec<(RecordKind, String, RecordState, bool)>, person: &str) -> Vec<Item> {
    let mut items: Vec<Item> = records
        .into_iter()
        .filter(|(kind, _, state, _)| {
            kind.is_case_entry() && state.deleted.is_none() && kinds::entry_of(state).0 == person
        })
        .map(|(kind, id, state, waiting)| Item {
            date: kinds::text(&state, date_field(kind)).parse().ok(),
            kind,
            id,
            state,
            waiting,
        })
        .collect();
    items.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    items
}

/// Something due in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// A retention follow-up of a placement, `months` after it.
    FollowUp {
        placement_id: String,
        months: u8,
        on: CivilDate,
        employer: String,
    },
    /// A referral whose result is not known yet.
    ReferralResult {
        referral_id: String,
        since: CivilDate,
        employer: String,
    },
}

impl Due {
    pub fn on(&self) -> CivilDate {
        match self {
            Due::FollowUp { on, .. } => *on,
            Due::ReferralResult { since, .. } => *since,
        }
    }
}

/// What is still to do in a case, soonest first: each placement's follow-ups at 1, 3 and 6
/// months not yet recorded, and referrals waiting for their result.
pub fn due(items: &[Item]) -> Vec<Due> {
    let done: Vec<(String, String)> = items
        .iter()
        .filter(|i| i.kind == RecordKind::FollowUp)
        .map(|i| {
            let f = FollowUpFields::read(&i.state);
            (f.placement_id.0, f.months.0)
        })
        .collect();
    let mut due = Vec::new();
    for item in items {
        match item.kind {
            RecordKind::Placement => {
                let Some(placed_on) = item.date else { continue };
                let employer = PlacementFields::read(&item.state).employer.0;
                for months in FOLLOW_UP_MONTHS {
                    if !done.contains(&(item.id.clone(), months.to_string())) {
                        due.push(Due::FollowUp {
                            placement_id: item.id.clone(),
                            months,
                            on: follow_up_due(placed_on, months),
                            employer: employer.clone(),
                        });
                    }
                }
            }
            RecordKind::Referral => {
                let r = ReferralFields::read(&item.state);
                if let (Some(since), Some(ReferralResult::Pending)) =
                    (item.date, ReferralResult::from_code(&r.result))
                {
                    due.push(Due::ReferralResult {
                        referral_id: item.id.clone(),
                        since,
                        employer: r.employer.0,
                    });
                }
            }
            _ => {}
        }
    }
    due.sort_by_key(Due::on);
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    const P: &str = "01936b2e-0000-7000-8000-000000000001";

    fn rec(
        kind: RecordKind,
        id: &str,
        values: &[(&str, serde_json::Value)],
    ) -> (RecordKind, String, RecordState, bool) {
        let mut v = vec![("person_id", json!(P))];
        v.extend(values.iter().cloned());
        (kind, id.to_owned(), state_of(&v), false)
    }

    #[test]
    fn the_timeline_is_the_persons_entries_by_date_and_follow_ups_fall_due() {
        let records = vec![
            rec(
                RecordKind::Placement,
                "p1",
                &[
                    ("placed_on", json!("2026-11-20")),
                    ("employer", json!("病院")),
                ],
            ),
            rec(
                RecordKind::Note,
                "n1",
                &[("written_on", json!("2026-11-01"))],
            ),
            rec(
                RecordKind::Referral,
                "r1",
                &[
                    ("referred_on", json!("2026-11-10")),
                    ("result", json!("hired")),
                ],
            ),
            rec(
                RecordKind::Referral,
                "r2",
                &[
                    ("referred_on", json!("2026-11-12")),
                    ("result", json!("pending")),
                    ("employer", json!("施設")),
                ],
            ),
            rec(
                RecordKind::FollowUp,
                "f1",
                &[
                    ("done_on", json!("2026-12-21")),
                    ("placement_id", json!("p1")),
                    ("months", json!("1")),
                ],
            ),
            (
                RecordKind::Note,
                "other".into(),
                state_of(&[("person_id", json!("someone else"))]),
                false,
            ),
            (
                RecordKind::Person,
                P.into(),
                state_of(&[("family_name", json!("見本"))]),
                false,
            ),
        ];
        let items = timeline(records, P);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["n1", "r1", "r2", "p1", "f1"]);
        let d = |s: &str| s.parse::<CivilDate>().unwrap();
        assert_eq!(
            due(&items),
            [
                Due::ReferralResult {
                    referral_id: "r2".into(),
                    since: d("2026-11-12"),
                    employer: "施設".into()
                },
                Due::FollowUp {
                    placement_id: "p1".into(),
                    months: 3,
                    on: d("2027-02-20"),
                    employer: "病院".into()
                },
                Due::FollowUp {
                    placement_id: "p1".into(),
                    months: 6,
                    on: d("2027-05-20"),
                    employer: "病院".into()
                },
            ]
        );
    }
}
