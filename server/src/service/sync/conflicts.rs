//! Conflicts: two offline edits of one field, recorded by the engine for staff who may see the
//! record, and settled by them with a new edit that has seen both values.

use app::domain::access::Organisation;
use app::domain::validation::{FieldError, Problem};
use app::i18n::Lang;
use app::sync::hlc::Hlc;
use app::sync::merge::FieldWrite;
use app::sync::wire::{ConflictSide, ConflictView};

use super::SERVER_NODE;
use super::apply::{Apply, write_fields};
use crate::AppState;
use crate::audit::Entry;
use crate::auth::{Actor, StaffActor};
use crate::service::records::{self, Refusal, Writer};
use crate::service::{ServiceError, scope, today};
use crate::store::conflicts as store;
use crate::store::sync as rows;

/// Open conflicts on records this staff member may see.
pub async fn conflicts(
    state: &AppState,
    staff: &StaffActor,
) -> Result<Vec<ConflictView>, ServiceError> {
    let today = today();
    let mut conn = state.db.acquire().await?;
    let open = store::open_conflicts(&mut conn, None).await?;
    let mut visible = Vec::new();
    for c in open {
        let Some(record) = rows::record(&mut conn, &c.record_id).await? else {
            continue;
        };
        if scope::sees_record(&mut conn, staff, &record, today).await? {
            visible.push((c, record));
        }
    }
    // Names are looked up with a connection of their own: never two held at once.
    drop(conn);
    let mut names = std::collections::HashMap::new();
    let mut views = Vec::new();
    for (c, record) in visible {
        let kept_by = side_view(state, &mut names, c.kept_by.as_ref()).await?;
        let other_by = side_view(state, &mut names, c.other_by.as_ref()).await?;
        views.push(ConflictView {
            id: c.id,
            kind: record.kind,
            record_id: c.record_id,
            record_label: records::label(&record),
            field: c.field,
            kept: serde_json::from_str(&c.kept).unwrap_or_default(),
            other: serde_json::from_str(&c.other).unwrap_or_default(),
            detected_at_ms: c.detected_at_ms,
            kept_by,
            other_by,
        });
    }
    Ok(views)
}

/// Who made one side: the staff member (name and organisation now) and their browser's short
/// replica id, or the tablet's label.
/// A staff member's name and organisation, or a tablet's label and fair.
type ActorName = (String, Option<Organisation>, Option<String>);

async fn actor_name(state: &AppState, actor: &str) -> Result<ActorName, sqlx::Error> {
    if let Some(id) = actor.strip_prefix("staff:") {
        let row = match id.parse() {
            Ok(id) => crate::store::staff::by_id(&state.db, id).await?,
            Err(_) => None,
        };
        return Ok(row.map_or((String::new(), None, None), |r| {
            let org = Organisation::from_code(&r.organisation);
            (r.display_name, org, None)
        }));
    }
    let device = match actor.strip_prefix("device:").map(str::parse) {
        Some(Ok(id)) => crate::store::devices::get(&state.db, id).await?,
        _ => None,
    };
    Ok(
        device.map_or((String::new(), None, Some(String::new())), |d| {
            (d.label, None, Some(d.event_title))
        }),
    )
}

async fn side_view(
    state: &AppState,
    names: &mut std::collections::HashMap<String, ActorName>,
    side: Option<&store::Side>,
) -> Result<Option<ConflictSide>, sqlx::Error> {
    let Some(side) = side else { return Ok(None) };
    if !names.contains_key(&side.actor) {
        let found = actor_name(state, &side.actor).await?;
        names.insert(side.actor.clone(), found);
    }
    let (who, organisation, fair) = names[&side.actor].clone();
    // The replica id's last 8 characters: random in both UUID versions (a UUIDv7 begins with
    // its time, the same for devices set up the same minute).
    let short = side
        .replica
        .get(side.replica.len().saturating_sub(8)..)
        .unwrap_or_default()
        .to_owned();
    Ok(Some(ConflictSide {
        who,
        organisation,
        tablet: fair.is_some(),
        device: fair.filter(|f| !f.is_empty()).unwrap_or(short),
        at_ms: side.at_ms,
    }))
}

/// Staff choose the value of a conflicting field: it is written as a new edit that has seen
/// both values (so it settles the field on every replica) and the conflict is closed.
pub async fn resolve(
    state: &AppState,
    staff: &StaffActor,
    lang: Lang,
    conflict_id: i64,
    choice: &str,
) -> Result<(), ServiceError> {
    if choice != "kept" && choice != "other" {
        return Err(ServiceError::Invalid(vec![FieldError {
            field: "choice",
            problem: Problem::UnknownChoice,
        }]));
    }
    let actor = Actor::Staff(staff.clone());
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    let conflict = store::open_conflicts(&mut tx, Some(conflict_id))
        .await?
        .pop()
        .ok_or(ServiceError::NotFound)?;
    let record = rows::record(&mut tx, &conflict.record_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut ctx = Apply::new(&mut tx, &actor, lang).await?;
    if !scope::sees_record(&mut tx, staff, &record, ctx.today).await? {
        return Err(ServiceError::NotFound);
    }
    let chosen = if choice == "kept" {
        &conflict.kept
    } else {
        &conflict.other
    };
    let value: serde_json::Value = serde_json::from_str(chosen).unwrap_or_default();
    let current = record
        .state
        .fields
        .get(&conflict.field)
        .map_or(Hlc::ZERO, |f| f.stamp);
    let stamp = Hlc::observe(current, current, ctx.now as u64, SERVER_NODE);
    let write = FieldWrite {
        field: conflict.field.clone(),
        value,
        stamp,
        base: Some(current),
    };
    let writer = Writer::Staff(staff);
    let (kind, id) = (record.kind, record.id.clone());
    match write_fields(
        &mut tx,
        &mut ctx,
        writer,
        kind,
        &id,
        Some(record.clone()),
        vec![write],
    )
    .await?
    {
        Ok(_) => {}
        Err(Refusal::Fields(fields)) => return Err(ServiceError::Invalid(fields)),
        Err(Refusal::Reason(_)) => return Err(ServiceError::NotFound),
        Err(Refusal::Said(_)) => return Err(ServiceError::Forbidden),
    }
    let staff_id = staff.id.to_string();
    store::resolve_conflicts(&mut tx, &id, &conflict.field, &staff_id, choice, ctx.now).await?;
    ctx.audit.push(
        Entry::new(Some(&actor), "conflict_resolve", "person")
            .subject(record.person_id.as_deref().unwrap_or(&record.id))
            .detail(format!(
                "conflict={conflict_id} field={} choice={choice}",
                conflict.field
            )),
    );
    ctx.flush(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
