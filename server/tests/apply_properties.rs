//! The real apply path, property-tested: random sequences of creates, edits, deletes (also
//! right after the create), notes, registrations, check-ins and interviews from two laptops and
//! a fair tablet, pushed through the real router onto a temporary SQLite file, with answers
//! lost at random and every batch sent again. After each sequence: every entry applied once,
//! and the counter's tables and the fair's counts equal a recomputation from the records.

mod support;

use std::collections::BTreeSet;

use app::sync::hlc::Hlc;
use app::sync::merge::FieldWrite;
use app::sync::outbox::Outbox;
use app::sync::wire::{Op, PushResponse, RecordKind};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use support::{ADMIN, CITY, TestApp, Who, new_id};

#[derive(Debug, Clone)]
enum Step {
    Person,
    Edit(usize),
    Delete(usize),
    CreateAndDelete,
    Note(usize),
    Register,
    CheckIn(usize),
    Interview(usize),
    DeleteInterview(usize),
    /// A replica pushes; `lost`: the answer never arrives (it sends the same batch again).
    Push {
        replica: usize,
        lost: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Person),
        2 => (0..8usize).prop_map(Step::Edit),
        1 => (0..8usize).prop_map(Step::Delete),
        1 => Just(Step::CreateAndDelete),
        1 => (0..8usize).prop_map(Step::Note),
        3 => Just(Step::Register),
        2 => (0..8usize).prop_map(Step::CheckIn),
        2 => (0..8usize).prop_map(Step::Interview),
        1 => (0..8usize).prop_map(Step::DeleteInterview),
        4 => (0..3usize, any::<bool>()).prop_map(|(replica, lost)| Step::Push { replica, lost }),
    ]
}

struct Replica {
    who: Who,
    id: String,
    node: u64,
    clock: Hlc,
    outbox: Outbox,
}

impl Replica {
    fn write(&mut self, kind: RecordKind, id: &str, values: Vec<(&str, Value)>) {
        self.clock = Hlc::tick(self.clock, 1_790_000_000_000, self.node);
        let fields = values
            .into_iter()
            .map(|(f, value)| FieldWrite {
                field: f.into(),
                value,
                stamp: self.clock,
                base: None,
            })
            .collect();
        self.outbox.add(kind, id.to_owned(), Op::Put { fields });
    }

    fn delete(&mut self, kind: RecordKind, id: &str) {
        self.clock = Hlc::tick(self.clock, 1_790_000_000_000, self.node);
        self.outbox
            .add(kind, id.to_owned(), Op::Delete { stamp: self.clock });
    }

    async fn push(&mut self, app: &TestApp, lost: bool) {
        let batch = self.outbox.batch(5).to_vec();
        if batch.is_empty() {
            return;
        }
        let answer = app
            .sync_push(
                &self.who,
                &self.id,
                serde_json::to_value(batch)
                    .unwrap()
                    .as_array()
                    .unwrap()
                    .clone(),
            )
            .await;
        let answer: PushResponse = serde_json::from_value(answer).unwrap();
        for r in &answer.results {
            assert_ne!(r.status, app::sync::wire::MutationStatus::Rejected, "{r:?}");
        }
        if !lost {
            self.outbox.acknowledge(&answer);
        }
    }
}

/// One sequence: what the replicas created (kind, id).
async fn run(
    app: &TestApp,
    fair: &str,
    employer: &str,
    who: [&Who; 3],
    steps: Vec<Step>,
) -> Vec<(RecordKind, String)> {
    let mut replicas: Vec<Replica> = (0..3)
        .map(|i| Replica {
            who: who[i].clone(),
            id: new_id(),
            node: 10 + i as u64,
            clock: Hlc::ZERO,
            outbox: Outbox::default(),
        })
        .collect();
    // A person is edited, noted and deleted by the laptop that created it (another laptop
    // learns of it only by pulling; a note about a person not yet sent is rightly refused).
    let mut people: Vec<(String, usize)> = Vec::new();
    let mut registrations: Vec<String> = Vec::new();
    let mut interviews: Vec<String> = Vec::new();
    let mut created = Vec::new();
    let person = |n: usize| {
        vec![
            ("family_name", json!(format!("性質{n}"))),
            ("given_name", json!("花子")),
            ("family_name_kana", json!("セイシツ")),
            ("given_name_kana", json!("ハナコ")),
            ("birth_date", json!("1990-04-01")),
            ("category", json!("youth")),
        ]
    };
    for (n, s) in steps.into_iter().enumerate() {
        let laptop = n % 2;
        let pick =
            |list: &Vec<String>, i: usize| (!list.is_empty()).then(|| list[i % list.len()].clone());
        let pick_person = |list: &Vec<(String, usize)>, i: usize| {
            (!list.is_empty()).then(|| list[i % list.len()].clone())
        };
        match s {
            Step::Person | Step::CreateAndDelete => {
                let id = new_id();
                replicas[laptop].write(RecordKind::Person, &id, person(n));
                created.push((RecordKind::Person, id.clone()));
                if matches!(s, Step::CreateAndDelete) {
                    replicas[laptop].delete(RecordKind::Person, &id);
                } else {
                    people.push((id, laptop));
                }
            }
            Step::Edit(i) => {
                if let Some((id, laptop)) = pick_person(&people, i) {
                    replicas[laptop].write(
                        RecordKind::Person,
                        &id,
                        vec![("given_name", json!(format!("名{n}")))],
                    );
                }
            }
            Step::Delete(i) => {
                if let Some((id, laptop)) = pick_person(&people, i) {
                    replicas[laptop].delete(RecordKind::Person, &id);
                    people.retain(|p| p.0 != id);
                }
            }
            Step::Note(i) => {
                if let Some((p, laptop)) = pick_person(&people, i) {
                    let id = new_id();
                    replicas[laptop].write(
                        RecordKind::Note,
                        &id,
                        vec![
                            ("person_id", json!(p)),
                            ("body", json!(format!("記録{n}"))),
                            ("written_on", json!("2026-11-20")),
                            ("note_type", json!("interview")),
                            ("organisation", json!("city")),
                            ("author", json!("見本 市職員")),
                        ],
                    );
                    created.push((RecordKind::Note, id));
                }
            }
            Step::Register => {
                let id = new_id();
                replicas[2].write(
                    RecordKind::Participant,
                    &id,
                    vec![
                        ("event_id", json!(fair)),
                        ("family_name", json!(format!("来場{n}"))),
                        ("given_name", json!("太郎")),
                        ("family_name_kana", json!("ライジョウ")),
                        ("given_name_kana", json!("タロウ")),
                        ("birth_date", json!(format!("19{}-01-01", 70 + n % 30))),
                        ("share_ok", json!(true)),
                    ],
                );
                created.push((RecordKind::Participant, id.clone()));
                registrations.push(id);
            }
            Step::CheckIn(i) => {
                if let Some(id) = pick(&registrations, i) {
                    replicas[2].write(
                        RecordKind::Participant,
                        &id,
                        vec![("checked_in", json!(true))],
                    );
                }
            }
            Step::Interview(i) => {
                if let Some(p) = pick(&registrations, i) {
                    let id = new_id();
                    replicas[2].write(
                        RecordKind::Interview,
                        &id,
                        vec![
                            ("event_id", json!(fair)),
                            ("participant_id", json!(p)),
                            ("employer_id", json!(employer)),
                            ("outcome", json!("offer")),
                        ],
                    );
                    created.push((RecordKind::Interview, id.clone()));
                    interviews.push(id);
                }
            }
            Step::DeleteInterview(i) => {
                if let Some(id) = pick(&interviews, i) {
                    replicas[2].delete(RecordKind::Interview, &id);
                    interviews.retain(|x| *x != id);
                }
            }
            Step::Push { replica, lost } => replicas[replica].push(app, lost).await,
        }
    }
    for r in &mut replicas {
        while r.outbox.waiting() > 0 {
            r.push(app, false).await;
        }
    }
    created
}

async fn ids(app: &TestApp, sql: &str) -> BTreeSet<String> {
    sqlx::query_scalar::<_, String>(sql)
        .fetch_all(app.db())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// The counter's tables and the fair's counts equal what the records say.
async fn check(app: &TestApp, city: &Who, fair: &str, created: &[(RecordKind, String)]) {
    // The sequence counter is the highest number any record holds, and numbers are unique.
    let (counter, top, numbered, distinct): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT last_seq FROM sync_epoch), (SELECT COALESCE(MAX(seq), 0) FROM sync_records),
                (SELECT COUNT(*) FROM sync_records), (SELECT COUNT(DISTINCT seq) FROM sync_records)",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    assert_eq!((counter, numbered), (top, distinct));
    support::records::records_as_json(app.db()).await;
    let live = |kind: &str| {
        format!("SELECT id FROM records_as_json WHERE kind = '{kind}' AND deleted = 0")
    };
    assert_eq!(
        ids(app, "SELECT id FROM people WHERE deleted_at_ms IS NULL").await,
        ids(app, &live("person")).await
    );
    assert_eq!(
        ids(app, "SELECT id FROM notes").await,
        ids(app, &live("note")).await
    );
    assert_eq!(
        ids(app, "SELECT id FROM participants").await,
        ids(app, &live("participant")).await
    );
    assert_eq!(
        ids(app, "SELECT id FROM fair_outcomes").await,
        ids(app, &live("interview")).await
    );
    assert_eq!(
        ids(
            app,
            "SELECT id FROM participants WHERE checked_in_at_ms IS NOT NULL"
        )
        .await,
        ids(app, &format!("{} AND checked_in = 1", live("participant"))).await
    );
    let counts = support::fair_counts(app, city, fair).await;
    let registered = ids(
        app,
        &format!("{} AND event_id = '{fair}'", live("participant")),
    )
    .await
    .len() as u64;
    assert_eq!(counts["registered"], registered, "{counts}");
    let interviewed = ids(
        app,
        &format!(
            "SELECT DISTINCT s.participant_id FROM records_as_json s
         WHERE s.kind = 'interview' AND s.event_id = '{fair}' AND s.deleted = 0
           AND s.participant_id IN ({})",
            live("participant")
        ),
    )
    .await
    .len() as u64;
    assert_eq!(counts["interviews"], interviewed, "{counts}");
    for (kind, id) in created {
        let made: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sync_create' AND CASE WHEN $2 = 'person'
               THEN subject_id = $1 AND COALESCE(detail, '') NOT LIKE '%note=%'
               ELSE detail LIKE $2 || '=' || $1 || '%' END")
            .bind(id).bind(kind.code()).fetch_one(app.db()).await.unwrap();
        assert_eq!(made, 1, "{kind:?} {id} applied {made} times");
    }
}

#[test]
fn random_work_with_lost_answers_applies_once_and_projects_exactly() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, city, tablet, fair, employer) = rt.block_on(async {
        let app = TestApp::new().await;
        let city = app.login(CITY).await;
        let admin = app.login(ADMIN).await;
        let fair = app.event(&city, "性質試験の面接会").await;
        let employer = app.employer(&city, &fair, "見本商事").await;
        let (tablet, _) = app.device(&admin, &fair).await;
        (app, city, tablet, fair, employer)
    });
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(step(), 1..60), |steps| {
            rt.block_on(async {
                let created = run(&app, &fair, &employer, [&city, &city, &tablet], steps).await;
                check(&app, &city, &fair, &created).await;
            });
            Ok(())
        })
        .unwrap();
}
