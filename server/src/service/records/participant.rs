//! A fair registration (参加登録): at one fair for good, written by staff or by that fair's
//! tablets; projected into `participants` (what the counter counts) with its possible
//! duplicates flagged for staff. Deleting it takes it out of the counts.

use crate::store::Conn;
use app::sync::kinds::{self, Fields, NewFairParticipant, Registration};

use super::{Author, Checked, Judge, Refusal};
use crate::auth::Actor;
use crate::store::fairs as read_table;
use crate::store::sync::StoredRecord;

pub async fn check(
    conn: &mut Conn,
    judge: &Judge<'_>,
    record: &mut StoredRecord,
) -> Result<Result<NewFairParticipant, Refusal>, sqlx::Error> {
    let participant = match kinds::validate_fair_participant(&record.state, judge.today) {
        Ok(p) => p,
        Err(fields) => return Ok(Err(Refusal::Fields(fields))),
    };
    let event_id = participant.event_id.to_string();
    // A registration stays at its fair; a tablet writes only to its own.
    let moved = record.event_id.as_ref().is_some_and(|e| *e != event_id);
    if moved
        || judge.writer.foreign_event(&event_id)
        || !read_table::event_exists(conn, &event_id).await?
    {
        return Ok(Err(Refusal::Reason(judge.lang.catalog().sync_wrong_event)));
    }
    // A registration a tablet makes is a walk-in (pre-registrations are staff's): it gives a
    // birth date or an age group, checked in at once or not.
    if judge.is_new
        && matches!(judge.writer, super::Writer::Device(_))
        && let Err(fields) = kinds::check_walk_in(&participant)
    {
        return Ok(Err(Refusal::Fields(fields)));
    }
    record.event_id = Some(event_id);
    Ok(Ok(participant))
}

/// Keeps `participants` equal to the merged registrations and flags possible duplicates;
/// returns the interviews to send again (an interview is seen with its registration: when the
/// registration's agreement to share changes, its interviews are judged again).
pub async fn project(
    conn: &mut Conn,
    changed: &[(&StoredRecord, Option<&Checked>)],
    author: &Author<'_>,
) -> Result<Vec<String>, sqlx::Error> {
    let (by_staff, by_device) = match author.actor {
        Actor::Staff(s) => (Some(s.id.to_string()), None),
        Actor::Device(d) => (None, Some(d.id.to_string())),
    };
    let mut resend = Vec::new();
    for (record, checked) in changed {
        resend.extend(read_table::interviews_of(conn, &record.id).await?);
        if record.state.deleted.is_some() {
            read_table::project_participant_deleted(conn, &record.id).await?;
            continue;
        }
        let Some(Checked::Participant(p)) = checked else {
            continue;
        };
        read_table::project_participant(
            conn,
            &record.id,
            p,
            by_staff.as_deref(),
            by_device.as_deref(),
            record.owner_org,
            author.now,
        )
        .await?;
        flag_duplicates(conn, &record.id, p, author.now).await?;
    }
    Ok(resend)
}

/// Flags other registrations at the same fair, and people known at the counter, that may be
/// the same person (the rule is `kinds::possibly_same`); staff decide.
async fn flag_duplicates(
    conn: &mut Conn,
    id: &str,
    p: &NewFairParticipant,
    now: i64,
) -> Result<(), sqlx::Error> {
    let event_id = p.event_id.to_string();
    let name = &p.person.name;
    let candidates = read_table::duplicate_candidates(
        conn,
        id,
        &event_id,
        &name.family_name_kana,
        &name.given_name_kana,
    )
    .await?;
    for (other, other_kind, family, given, birth, phone) in candidates {
        let birth = birth.and_then(|b| b.parse().ok());
        let reason = kinds::possibly_same(
            (
                &name.family_name_kana,
                &name.given_name_kana,
                p.person.birth_date,
                p.person.phone.as_deref(),
            ),
            (&family, &given, birth, phone.as_deref()),
        );
        if let Some(reason) = reason {
            read_table::flag_duplicate(
                conn,
                id,
                &other,
                &other_kind,
                &event_id,
                reason.code(),
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// A short label for staff who may see the record: the registered name.
pub fn label(record: &StoredRecord) -> String {
    let r = Registration::read(&record.state);
    format!("{} {}", &*r.family_name, &*r.given_name)
}
