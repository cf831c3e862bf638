//! A support plan version (支援プラン): about a person the writer may see, in the writer's
//! organisation's name, never changed (a change is a new version). No read table: the
//! person's page reads the versions from the synced records.

use app::sync::kinds::{self, Fields, NewPlan, PlanFields};

use super::{Judge, Refusal, WorkingSet, entry};
use crate::store::Conn;
use crate::store::sync::StoredRecord;
use app::sync::wire::RecordKind;

pub async fn check(
    conn: &mut Conn,
    set: &mut WorkingSet,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewPlan, Refusal>, sqlx::Error> {
    let plan = match kinds::validate_plan(&record.state, judge.today) {
        Ok(p) => p,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    if let Err(r) =
        entry::place_in_case(conn, set, judge, record, plan.person_id, plan.organisation).await?
    {
        return Ok(Err(r));
    }
    // The next version follows the newest one (recorded before, or earlier in this push); one
    // made on another device meanwhile means this one is made again from it.
    let person = plan.person_id.to_string();
    let mut ids = crate::store::sync::ids_about(conn, &person, RecordKind::Plan.code()).await?;
    ids.extend(
        set.records
            .values()
            .filter(|r| r.kind == RecordKind::Plan && r.person_id.as_deref() == Some(&person))
            .map(|r| r.id.clone()),
    );
    let mut newest = 0;
    for id in ids.iter().filter(|id| **id != record.id) {
        if let Some(other) = set.record(conn, id).await?
            && other.state.deleted.is_none()
        {
            let v = PlanFields::read(&other.state)
                .version
                .trim()
                .parse::<u32>()
                .unwrap_or(0);
            newest = newest.max(v);
        }
    }
    if plan.version != newest + 1 {
        let t = judge.lang.catalog();
        return Ok(Err(Refusal::Said(
            t.case
                .refused_plan_version
                .replace("{version}", &(newest + 1).to_string()),
        )));
    }
    Ok(Ok(plan))
}

/// A short label: the version and its day.
pub fn label(record: &StoredRecord) -> String {
    let p = PlanFields::read(&record.state);
    format!("v{} {}", &*p.version, &*p.made_on)
}
