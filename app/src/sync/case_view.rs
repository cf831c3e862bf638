//! A person's case as a device holds it: every entry about them (notes, referrals,
//! placements, follow-ups) in date order, and what is due next — worked out from the records
//! themselves, so the person's page reads the same online and offline.

use crate::domain::access::Organisation;
use crate::domain::casework::{CaseStatus, FOLLOW_UP_MONTHS, ReferralResult, follow_up_due};
use crate::domain::date::CivilDate;
use crate::sync::kinds::{
    self, Fields, FollowUpFields, PlacementFields, PlanFields, ReferralFields,
};
use crate::sync::merge::RecordState;
use crate::sync::wire::RecordKind;

/// Every person's entries among `records` (kind, id, state, waiting), each person's oldest
/// first: the case list's statuses and the due lists read the whole caseload at once.
pub fn caseload(
    records: Vec<(RecordKind, String, RecordState, bool)>,
) -> std::collections::HashMap<String, Vec<Item>> {
    let mut by_person: std::collections::HashMap<String, Vec<Item>> = Default::default();
    for (kind, id, state, waiting) in records {
        if !kind.is_case_entry() || state.deleted.is_some() {
            continue;
        }
        let person = kinds::entry_of(&state).0.to_owned();
        by_person.entry(person).or_default().push(Item {
            date: kinds::text(&state, date_field(kind)).parse().ok(),
            kind,
            id,
            state,
            waiting,
        });
    }
    for items in by_person.values_mut() {
        items.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    }
    by_person
}

/// Whether `who` (a display name) wrote an entry of the case or is credited with its placement.
pub fn involves(items: &[Item], who: &str) -> bool {
    items.iter().any(|i| {
        kinds::text(&i.state, "author") == who || kinds::text(&i.state, "credited_staff") == who
    })
}

/// The follow-ups due by `until` (overdue ones included) of the placements `who` recorded or
/// is credited with, across the caseload: (person id, follow-up), soonest first.
pub fn follow_ups_due(
    caseload: &std::collections::HashMap<String, Vec<Item>>,
    who: &str,
    today: CivilDate,
    until: CivilDate,
) -> Vec<(String, Due)> {
    let mut found = Vec::new();
    for (person, items) in caseload {
        let mine = |placement: &str| {
            items
                .iter()
                .find(|i| i.id == placement)
                .is_some_and(|i| involves(std::slice::from_ref(i), who))
        };
        for d in due(items, today) {
            if let Due::FollowUp {
                placement_id, on, ..
            } = &d
                && *on <= until
                && mine(placement_id)
            {
                found.push((person.clone(), d));
            }
        }
    }
    found.sort_by(|a, b| (a.1.on(), &a.0).cmp(&(b.1.on(), &b.0)));
    found
}

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

/// The kinds of record that are entries in a person's case.
pub const ENTRY_KINDS: [RecordKind; 7] = [
    RecordKind::Note,
    RecordKind::Referral,
    RecordKind::Placement,
    RecordKind::FollowUp,
    RecordKind::Assessment,
    RecordKind::Plan,
    RecordKind::Story,
];

/// The field holding the day an entry of `kind` happened.
pub fn date_field(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Note => "written_on",
        RecordKind::Referral => "referred_on",
        RecordKind::Placement => "placed_on",
        RecordKind::FollowUp => "done_on",
        RecordKind::Assessment => "assessed_on",
        RecordKind::Plan => "made_on",
        RecordKind::Story => "drafted_on",
        _ => "",
    }
}

/// The entries about `person` among `records` (kind, id, state, waiting), oldest first; entries
/// of the same day in the order they were made (their ids are time-ordered UUIDv7s).
pub fn timeline(records: Vec<(RecordKind, String, RecordState, bool)>, person: &str) -> Vec<Item> {
    timeline_of(records, &[person.to_owned()])
}

/// The entries about any of `people` (a person and the records merged into theirs).
pub fn timeline_of(
    records: Vec<(RecordKind, String, RecordState, bool)>,
    people: &[String],
) -> Vec<Item> {
    let mut items: Vec<Item> = records
        .into_iter()
        .filter(|(kind, _, state, _)| {
            kind.is_case_entry()
                && state.deleted.is_none()
                && people.contains(&kinds::entry_of(state).0)
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// A step of the plan followed now, due from today on.
    Step {
        text: String,
        owner: Option<Organisation>,
        on: CivilDate,
    },
}

impl Due {
    pub fn on(&self) -> CivilDate {
        match self {
            Due::FollowUp { on, .. } | Due::Step { on, .. } => *on,
            Due::ReferralResult { since, .. } => *since,
        }
    }
}

/// The plan's versions, newest first (by version, then day, then id).
pub fn plans(items: &[Item]) -> Vec<&Item> {
    let mut plans: Vec<&Item> = items
        .iter()
        .filter(|i| i.kind == RecordKind::Plan)
        .collect();
    plans.sort_by_cached_key(|i| {
        let v = PlanFields::read(&i.state)
            .version
            .trim()
            .parse::<u32>()
            .unwrap_or(0);
        std::cmp::Reverse((v, i.date, i.id.clone()))
    });
    plans
}

/// Where the case stands, from its entries: closed by a plan version; placed (就職) until the
/// first follow-up, then 定着支援; 支援中 once a plan is followed; プラン作成 with a plan being
/// made; アセスメント once assessed; else 受付.
pub fn status(items: &[Item]) -> CaseStatus {
    let has = |kind: RecordKind| items.iter().any(|i| i.kind == kind);
    let latest = plans(items).first().map(|p| PlanFields::read(&p.state));
    if latest.as_ref().is_some_and(|p| p.closed.0) {
        CaseStatus::Closed
    } else if has(RecordKind::FollowUp) {
        CaseStatus::Retention
    } else if has(RecordKind::Placement) {
        CaseStatus::Placed
    } else if latest
        .as_ref()
        .is_some_and(|p| !p.following.trim().is_empty())
    {
        CaseStatus::Support
    } else if latest.is_some() {
        CaseStatus::Planning
    } else if has(RecordKind::Assessment) {
        CaseStatus::Assessment
    } else {
        CaseStatus::Intake
    }
}

/// What is still to do in a case, soonest first: each placement's follow-ups at 1, 3 and 6
/// months not yet recorded, referrals waiting for their result, and the current plan's steps
/// due from `today` on.
pub fn due(items: &[Item], today: CivilDate) -> Vec<Due> {
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
    if let Some(plan) = plans(items).first() {
        for step in PlanFields::read(&plan.state).steps.0 {
            if let Ok(on) = step.due_on.parse::<CivilDate>()
                && on >= today
            {
                due.push(Due::Step {
                    text: step.text.0,
                    owner: Organisation::from_code(&step.owner),
                    on,
                });
            }
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
    fn my_follow_ups_due_this_week_are_those_of_my_placements() {
        let d = |s: &str| s.parse::<CivilDate>().unwrap();
        let placement = |id: &str, on: &str, author: &str, credited: &str| {
            rec(
                RecordKind::Placement,
                id,
                &[
                    ("placed_on", json!(on)),
                    ("employer", json!("病院")),
                    ("author", json!(author)),
                    ("credited_staff", json!(credited)),
                ],
            )
        };
        let records = vec![
            // Mine (credited): 1 month falls on 12/20; mine (author): 1 month on 12/03.
            placement("p1", "2026-11-20", "他の人", "見本 次郎"),
            placement("p2", "2026-11-03", "見本 次郎", ""),
            // Someone else's, due the same week.
            placement("p3", "2026-11-01", "他の人", "他の人"),
            // Mine, its 1-month follow-up done: the 3-month one is months away.
            placement("p4", "2026-11-02", "見本 次郎", ""),
            rec(
                RecordKind::FollowUp,
                "f4",
                &[
                    ("placement_id", json!("p4")),
                    ("months", json!("1")),
                    ("done_on", json!("2026-12-02")),
                ],
            ),
        ];
        let caseload = caseload(records);
        let today = d("2026-12-05");
        let due = follow_ups_due(&caseload, "見本 次郎", today, today.add_days(7));
        let found: Vec<(&str, u8)> = due
            .iter()
            .map(|(_, d)| match d {
                Due::FollowUp {
                    placement_id,
                    months,
                    ..
                } => (placement_id.as_str(), *months),
                _ => unreachable!(),
            })
            .collect();
        // The overdue one (12/03) is listed; the one on 12/20 is not this week.
        assert_eq!(found, [("p2", 1)]);
        assert!(follow_ups_due(&caseload, "見本 次郎", today, d("2026-12-20")).len() == 2);
        assert!(caseload[P].iter().all(|i| i.kind != RecordKind::Person));
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
            rec(
                RecordKind::Plan,
                "v1",
                &[
                    ("made_on", json!("2026-11-05")),
                    ("version", json!(1)),
                    ("following", json!("a")),
                    (
                        "steps",
                        json!([{ "text": "old", "owner": "city", "due_on": "2026-12-01" }]),
                    ),
                ],
            ),
            rec(
                RecordKind::Plan,
                "v2",
                &[
                    ("made_on", json!("2026-11-06")),
                    ("version", json!(2)),
                    ("following", json!("a")),
                    (
                        "steps",
                        json!([{ "text": "保育", "owner": "city", "due_on": "2026-11-01" },
                                 { "text": "紹介", "owner": "hello_work", "due_on": "2027-01-10" }]),
                    ),
                ],
            ),
        ];
        let items = timeline(records, P);
        assert_eq!(plans(&items)[0].id, "v2");
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["n1", "v1", "v2", "r1", "r2", "p1", "f1"]);
        let d = |s: &str| s.parse::<CivilDate>().unwrap();
        assert_eq!(status(&items), CaseStatus::Retention);
        assert_eq!(
            due(&items, d("2026-11-29")),
            [
                Due::ReferralResult {
                    referral_id: "r2".into(),
                    since: d("2026-11-12"),
                    employer: "施設".into()
                },
                Due::Step {
                    text: "紹介".into(),
                    owner: Some(Organisation::HelloWork),
                    on: d("2027-01-10"),
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
