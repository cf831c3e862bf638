//! Job fairs at the counter: live counts, possible duplicates and staff decisions on them.
//!
//! A duplicate flag names two people. Staff see it — and may decide it — only when they may
//! see both sides: each registration as the person agreed to share it, a counter person as
//! its organisation and the person's consent allow (`service::scope`). Anyone else learns
//! nothing from it, not even in the count of open flags.

use crate::store::Conn;
use app::domain::ids::EventId;
use app::domain::validation::{FieldError, Problem};
use app::i18n::Lang;
use app::protocol::{DuplicateFacts, DuplicateView};
use app::sync::wire::RecordKind;
use app::sync::wire::{EmployerCounts, FairCounts};

use super::ServiceError;
use super::scope::{sees_case, sees_registration};
use super::today;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor};
use crate::store::fairs::event_exists;
use crate::store::fairs::{self as rows, FlagRow};
use crate::store::now_ms;

/// Live counts for a fair at the counter. Possible duplicates are those this staff member may
/// see.
pub async fn fair_counts(
    state: &AppState,
    me: &StaffActor,
    event_id: EventId,
) -> Result<FairCounts, ServiceError> {
    let mut conn = state.db.acquire().await?;
    let id = event_id.to_string();
    if !event_exists(&mut conn, &id).await? {
        return Err(ServiceError::NotFound);
    }
    let (registered, checked_in) = rows::fair_counts(&mut conn, &id).await?;
    let open = rows::flags(&mut conn, Some(&id), None)
        .await?
        .into_iter()
        .filter(|f| f.resolution.is_none())
        .collect();
    let duplicates = visible_flags(&mut conn, me, open).await?.len();
    let employers: Vec<EmployerCounts> = rows::employer_counts(&mut conn, &id)
        .await?
        .into_iter()
        .map(
            |(employer_id, name, interviews, offers, hires)| EmployerCounts {
                employer_id,
                name,
                interviews: interviews as u64,
                offers: offers as u64,
                hires: hires as u64,
            },
        )
        .collect();
    Ok(FairCounts {
        registered: registered as u64,
        checked_in: checked_in as u64,
        possible_duplicates: duplicates as u64,
        interviews: employers.iter().map(|e| e.interviews).sum(),
        offers: employers.iter().map(|e| e.offers).sum(),
        hires: employers.iter().map(|e| e.hires).sum(),
        employers,
    })
}

/// The flags this staff member may see: both sides visible to them.
async fn visible_flags(
    conn: &mut Conn,
    me: &StaffActor,
    flags: Vec<FlagRow>,
) -> Result<Vec<FlagRow>, sqlx::Error> {
    let today = today();
    let mut visible = Vec::with_capacity(flags.len());
    for flag in flags {
        if !sees_registration(me, flag.record_scope()) {
            continue;
        }
        let other = flag.other_scope();
        let sees_other = match flag.other_kind.as_str() {
            "participant" => sees_registration(me, other),
            _ => sees_case(conn, me, other.owner, Some(&flag.other_id), today).await?,
        };
        if sees_other {
            visible.push(flag);
        }
    }
    Ok(visible)
}

/// A fair's possible duplicates with both names, undecided first.
pub async fn duplicates(
    state: &AppState,
    me: &StaffActor,
    event_id: EventId,
) -> Result<Vec<DuplicateView>, ServiceError> {
    let mut conn = state.db.acquire().await?;
    let id = event_id.to_string();
    if !event_exists(&mut conn, &id).await? {
        return Err(ServiceError::NotFound);
    }
    let flags = rows::flags(&mut conn, Some(&id), None).await?;
    let list = visible_flags(&mut conn, me, flags).await?;
    drop(conn);
    let actor = Actor::Staff(me.clone());
    let entries: Vec<Entry> = list
        .iter()
        .map(|d| {
            Entry::new(Some(&actor), "read", "participant")
                .subject(&d.record_id)
                .detail(format!("duplicate={}", d.id))
        })
        .collect();
    audit::record(state, &entries).await?;
    Ok(list.into_iter().map(duplicate_view).collect())
}

fn duplicate_view(f: rows::FlagRow) -> DuplicateView {
    let facts = |birth: Option<String>, band, phone, at, by, tablet| DuplicateFacts {
        birth_date: birth.and_then(|b| b.parse().ok()),
        age_band: band,
        phone,
        registered_at_ms: at,
        registered_by: by,
        by_tablet: tablet,
    };
    DuplicateView {
        id: f.id,
        record_facts: facts(
            f.record_birth,
            f.record_age_band,
            f.record_phone,
            f.record_at,
            f.record_by,
            f.record_tablet,
        ),
        other_facts: facts(
            f.other_birth,
            f.other_age_band,
            f.other_phone,
            f.other_at,
            f.other_by,
            f.other_tablet,
        ),
        record_id: f.record_id,
        record_name: f.record_name,
        other_id: f.other_id,
        other_kind: f.other_kind,
        other_name: f.other_name,
        reason: f.reason,
        resolution: f.resolution,
    }
}

/// Points a registration at the one it was merged into ("" for none), through the engine.
async fn point(conn: &mut Conn, actor: &Actor, id: &str, root: &str) -> Result<(), ServiceError> {
    let values = vec![("merged_into", serde_json::Value::from(root))];
    super::sync::write_as_server(conn, actor, Lang::Ja, RecordKind::Participant, id, values)
        .await?;
    Ok(())
}

/// Takes a decision back: a merge is reversed (each registration points where it did before;
/// a link it made to a counter person is removed) and the flag is undecided again.
async fn undo_decision(
    conn: &mut Conn,
    actor: &Actor,
    flag: &rows::FlagRow,
) -> Result<(), ServiceError> {
    let refused = || {
        ServiceError::Invalid(vec![FieldError {
            field: "decision",
            problem: Problem::UnknownChoice,
        }])
    };
    let Some(resolution) = flag.resolution.as_deref() else {
        return Err(refused());
    };
    // A merge of registrations decided before merges kept what they changed cannot be undone.
    let merged_registrations = resolution == "merged" && flag.other_kind == "participant";
    if merged_registrations && flag.undo.is_none() {
        return Err(refused());
    }
    if rows::undecide(conn, flag.id).await?.is_none() {
        return Err(refused());
    }
    match flag.undo.as_deref() {
        Some("link") => rows::unlink_person(conn, &flag.record_id).await?,
        Some(kept) if merged_registrations => {
            // Each registration goes back where it pointed, unless a later decision moved it.
            let (root, pairs) = kept.split_once('|').unwrap_or(("", kept));
            for pair in pairs.split(',').filter(|p| !p.is_empty()) {
                let (id, before) = pair.split_once('=').unwrap_or((pair, ""));
                if rows::merged_into(conn, id).await?.as_deref() == Some(root) {
                    point(conn, actor, id, before).await?;
                }
            }
        }
        _ => {}
    }
    audit::append(
        conn,
        &[Entry::new(Some(actor), "duplicate_undone", "participant")
            .subject(&flag.record_id)
            .detail(format!(
                "{resolution} other={}:{}",
                flag.other_kind, flag.other_id
            ))],
    )
    .await?;
    Ok(())
}

/// Staff decide a possible duplicate. `merge`: the later registration is the same person —
/// counted once at the fair (as the other registration) or linked to the counter's person;
/// `keep_apart`: two people. Decided once; audited. A flag the staff member may not see is
/// answered as one that does not exist. `undo` takes a decision back.
pub async fn decide_duplicate(
    state: &AppState,
    me: &StaffActor,
    id: i64,
    decision: &str,
) -> Result<(), ServiceError> {
    let resolution = match decision {
        "merge" => "merged",
        "keep_apart" => "kept_apart",
        "undo" => "undo",
        _ => {
            return Err(ServiceError::Invalid(vec![FieldError {
                field: "decision",
                problem: Problem::UnknownChoice,
            }]));
        }
    };
    let actor = Actor::Staff(me.clone());
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    let flags = rows::flags(&mut tx, None, Some(id)).await?;
    let mut visible = visible_flags(&mut tx, me, flags).await?;
    if visible.is_empty() {
        audit::append(
            &mut tx,
            &[Entry::new(Some(&actor), "duplicate_decided", "duplicate")
                .subject(id)
                .denied()],
        )
        .await?;
        tx.commit().await?;
        return Err(ServiceError::NotFound);
    }
    if resolution == "undo" {
        let flag = visible.pop().ok_or(ServiceError::NotFound)?;
        undo_decision(&mut tx, &actor, &flag).await?;
        tx.commit().await?;
        return Ok(());
    }
    let Some((record_id, other_id, other_kind)) =
        rows::decide_duplicate(&mut tx, id, resolution, &me.id.to_string(), now_ms()).await?
    else {
        return Err(ServiceError::NotFound);
    };
    if resolution == "merged" && other_kind == "person" {
        // A registration already linked to a person keeps that link.
        if crate::store::people::link_participant(&mut tx, &record_id, &other_id).await? {
            rows::set_undo(&mut tx, id, "link").await?;
        }
    } else if resolution == "merged"
        && let Some((root, moved)) = rows::merge_targets(&mut tx, &record_id, &other_id).await?
    {
        // Through the engine: tablets and laptops receive the merge with the registrations,
        // and list the person once, as the counter counts them. What each pointed at before
        // is kept for undoing it.
        let mut undo = Vec::new();
        for id in moved {
            let before = rows::merged_into(&mut tx, &id).await?.unwrap_or_default();
            undo.push(format!("{id}={before}"));
            point(&mut tx, &actor, &id, &root).await?;
        }
        rows::set_undo(&mut tx, id, &format!("{root}|{}", undo.join(","))).await?;
    }
    audit::append(
        &mut tx,
        &[Entry::new(Some(&actor), "duplicate_decided", "participant")
            .subject(&record_id)
            .detail(format!("{resolution} other={other_kind}:{other_id}"))],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
