//! Rows of job fairs: live counts, duplicate flags with what decides who may see them, and
//! staff decisions on them.

use std::collections::HashMap;

use crate::store::Conn;
use app::domain::access::Organisation;

/// Counts for one fair: registered and checked in. A registration staff merged into another
/// counts as that one (once); merged into one since deleted, it counts on its own.
pub async fn fair_counts(conn: &mut Conn, event_id: &str) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM participants p WHERE event_id = $1 AND (merged_into IS NULL
                 OR NOT EXISTS (SELECT 1 FROM participants r WHERE r.id = p.merged_into))),
            (SELECT COUNT(DISTINCT COALESCE(merged_into, id)) FROM participants
             WHERE event_id = $1 AND checked_in_at_ms IS NOT NULL)",
    )
    .bind(event_id)
    .fetch_one(&mut *conn)
    .await
}

/// Per employer of a fair: interviews, offers (内定 or 採用) and hires, each person once; an
/// interview counts while its registration exists (a deleted registration takes its interviews
/// out of the figures).
pub async fn employer_counts(
    conn: &mut Conn,
    event_id: &str,
) -> Result<Vec<(String, String, i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.id, e.name,
            COUNT(DISTINCT o.who),
            COUNT(DISTINCT CASE WHEN o.outcome IN ('offer', 'hired') THEN o.who END),
            COUNT(DISTINCT CASE WHEN o.outcome = 'hired' THEN o.who END)
         FROM event_employers e
         LEFT JOIN (SELECT f.employer_id, f.outcome,
                           COALESCE(p.merged_into, f.participant_id) AS who
                    FROM fair_outcomes f JOIN participants p ON p.id = f.participant_id
                    WHERE f.event_id = $1) o ON o.employer_id = e.id
         WHERE e.event_id = $1
         GROUP BY e.id, e.name
         ORDER BY e.created_at_ms, e.id",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await
}

/// Who a registration belongs to and whether the person agreed to share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationScope {
    pub owner: Organisation,
    pub share_ok: bool,
}

/// One duplicate flag with both sides' names and what decides who may see each side.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FlagRow {
    pub id: i64,
    pub record_id: String,
    pub record_name: String,
    record_owner: String,
    #[sqlx(try_from = "crate::store::sql::Flag")]
    record_share: bool,
    pub other_id: String,
    /// `participant` or `person`.
    pub other_kind: String,
    pub other_name: String,
    /// The other side's organisation (a registration's, or the counter person's).
    other_owner: String,
    #[sqlx(try_from = "crate::store::sql::Flag")]
    other_share: bool,
    pub reason: String,
    pub resolution: Option<String>,
    /// What a merge changed, for undoing it (`0019_merges.sql`).
    pub undo: Option<String>,
    pub record_birth: Option<String>,
    pub record_age_band: Option<String>,
    pub record_phone: Option<String>,
    pub record_at: Option<i64>,
    pub record_by: Option<String>,
    #[sqlx(try_from = "crate::store::sql::Flag")]
    pub record_tablet: bool,
    pub other_birth: Option<String>,
    pub other_age_band: Option<String>,
    pub other_phone: Option<String>,
    pub other_at: Option<i64>,
    pub other_by: Option<String>,
    #[sqlx(try_from = "crate::store::sql::Flag")]
    pub other_tablet: bool,
}

impl FlagRow {
    pub fn record_scope(&self) -> RegistrationScope {
        scope(&self.record_owner, self.record_share)
    }

    /// The other registration's scope, or the counter person's organisation (`share_ok` is
    /// then false: a person is shared by consent, which the service checks).
    pub fn other_scope(&self) -> RegistrationScope {
        scope(&self.other_owner, self.other_share)
    }
}

fn scope(owner: &str, share_ok: bool) -> RegistrationScope {
    RegistrationScope {
        // An unreadable owner is treated as Hello Work's, which only narrows who sees it.
        owner: Organisation::from_code(owner).unwrap_or(Organisation::HelloWork),
        share_ok,
    }
}

/// A fair's duplicate flags (or the one flag `flag_id`, at any fair), undecided first.
pub async fn flags(
    conn: &mut Conn,
    event_id: Option<&str>,
    flag_id: Option<i64>,
) -> Result<Vec<FlagRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.record_id,
                COALESCE(r.family_name || ' ' || r.given_name, '') AS record_name,
                COALESCE(r.owner_org, 'hello_work') AS record_owner,
                COALESCE(r.share_ok, 0) AS record_share,
                d.other_id, d.other_kind,
                COALESCE(CASE d.other_kind WHEN 'participant'
                    THEN o.family_name || ' ' || o.given_name
                    ELSE p.family_name || ' ' || p.given_name END, '') AS other_name,
                COALESCE(CASE d.other_kind WHEN 'participant' THEN o.owner_org
                    ELSE p.owner_org END, 'hello_work') AS other_owner,
                CASE d.other_kind WHEN 'participant' THEN COALESCE(o.share_ok, 0) ELSE 0 END
                    AS other_share,
                d.reason, d.resolution, d.undo,
                r.birth_date AS record_birth, r.age_band AS record_age_band,
                r.phone AS record_phone, r.created_at_ms AS record_at,
                COALESCE(rd.label, rs.display_name) AS record_by,
                CAST(CASE WHEN r.created_by_device IS NULL THEN 0 ELSE 1 END AS BIGINT)
                    AS record_tablet,
                CASE d.other_kind WHEN 'participant' THEN o.birth_date ELSE p.birth_date END
                    AS other_birth,
                CASE d.other_kind WHEN 'participant' THEN o.age_band END AS other_age_band,
                CASE d.other_kind WHEN 'participant' THEN o.phone END AS other_phone,
                CASE d.other_kind WHEN 'participant' THEN o.created_at_ms ELSE p.created_at_ms END
                    AS other_at,
                CASE d.other_kind WHEN 'participant' THEN COALESCE(od.label, os.display_name) END
                    AS other_by,
                CAST(CASE WHEN d.other_kind = 'participant' AND o.created_by_device IS NOT NULL
                    THEN 1 ELSE 0 END AS BIGINT) AS other_tablet
         FROM duplicate_flags d
         LEFT JOIN participants r ON r.id = d.record_id
         LEFT JOIN participants o ON d.other_kind = 'participant' AND o.id = d.other_id
         LEFT JOIN people p ON d.other_kind = 'person' AND p.id = d.other_id
         LEFT JOIN devices rd ON rd.id = r.created_by_device
         LEFT JOIN staff rs ON rs.id = r.created_by_staff
         LEFT JOIN devices od ON od.id = o.created_by_device
         LEFT JOIN staff os ON os.id = o.created_by_staff
         WHERE ($1 IS NULL OR d.event_id = $1) AND ($2 IS NULL OR d.id = $2)
         ORDER BY d.resolved_at_ms IS NOT NULL, d.detected_at_ms, d.id",
    )
    .bind(event_id)
    .bind(flag_id)
    .fetch_all(&mut *conn)
    .await
}

/// The scopes of these registrations (those that exist).
pub async fn registration_scopes(
    conn: &mut Conn,
    ids: &[&str],
) -> Result<HashMap<String, RegistrationScope>, sqlx::Error> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut query = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            "SELECT id, owner_org, share_ok FROM participants WHERE id IN (",
        );
        query.list(chunk.iter().copied()).push(")");
        let rows: Vec<(String, String, crate::store::sql::Flag)> =
            query.build_as().fetch_all(&mut *conn).await?;
        for (id, owner, share_ok) in rows {
            found.insert(id, scope(&owner, share_ok.0));
        }
    }
    Ok(found)
}

/// Records a staff decision on an undecided flag; the flag's two sides, or `None` when there
/// is no such undecided flag.
pub async fn decide_duplicate(
    conn: &mut Conn,
    id: i64,
    resolution: &str,
    staff_id: &str,
    now_ms: i64,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE duplicate_flags SET resolution = $1, resolved_by = $2, resolved_at_ms = $3
         WHERE id = $4 AND resolved_at_ms IS NULL
         RETURNING record_id, other_id, other_kind",
    )
    .bind(resolution)
    .bind(staff_id)
    .bind(now_ms)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// What a merge changed, kept with its flag so it can be undone.
pub async fn set_undo(conn: &mut Conn, id: i64, undo: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE duplicate_flags SET undo = $1 WHERE id = $2")
        .bind(undo)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Takes a decision back: the flag is undecided again. Gives what the decision was and what
/// its merge changed, or `None` when the flag is undecided (or does not exist).
pub async fn undecide(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    let decided: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT resolution, undo FROM duplicate_flags
         WHERE id = $1 AND resolved_at_ms IS NOT NULL AND resolution IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if decided.is_some() {
        sqlx::query(
            "UPDATE duplicate_flags SET resolution = NULL, resolved_by = NULL,
                 resolved_at_ms = NULL, undo = NULL
             WHERE id = $1",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(decided)
}

/// The registration a registration is merged into, if any.
pub async fn merged_into(conn: &mut Conn, id: &str) -> Result<Option<String>, sqlx::Error> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT merged_into FROM participants WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.flatten().filter(|m| !m.is_empty()))
}

/// Removes the link a merge made between a registration and a counter person.
pub async fn unlink_person(conn: &mut Conn, participant: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE participants SET person_id = NULL WHERE id = $1")
        .bind(participant)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A merge of `record_id` into `other_id` (registrations at one fair): the registration every
/// merged one points at (the root, so counts see each person once: merging into a merged one
/// follows it to its root), and the registrations to point at it — this one and what was
/// merged into it. `None` when there is nothing to do (merging a registration into itself).
pub async fn merge_targets(
    conn: &mut Conn,
    record_id: &str,
    other_id: &str,
) -> Result<Option<(String, Vec<String>)>, sqlx::Error> {
    let root: Option<String> =
        sqlx::query_scalar("SELECT COALESCE(merged_into, id) FROM participants WHERE id = $1")
            .bind(other_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(root) = root.filter(|r| r != record_id) else {
        return Ok(None);
    };
    let moved: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM participants WHERE id = $1 OR merged_into = $1 ORDER BY id",
    )
    .bind(record_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some((root, moved)))
}

pub async fn event_exists(conn: &mut Conn, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM events WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// Keeps `participants` (what the counter counts) equal to the merged registration; the first
/// check-in time is kept.
pub async fn project_participant(
    conn: &mut Conn,
    id: &str,
    p: &app::sync::kinds::NewFairParticipant,
    created_by_staff: Option<&str>,
    created_by_device: Option<&str>,
    owner: Organisation,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO participants (id, event_id, family_name, given_name, family_name_kana,
                                   given_name_kana, birth_date, phone, checked_in_at_ms,
                                   created_by_staff, created_by_device, created_at_ms,
                                   category, interests, contact_ok, share_ok, age_band, owner_org,
                                   merged_into, answers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         ON CONFLICT (id) DO UPDATE SET
            family_name = excluded.family_name, given_name = excluded.given_name,
            family_name_kana = excluded.family_name_kana, given_name_kana = excluded.given_name_kana,
            birth_date = excluded.birth_date, phone = excluded.phone,
            checked_in_at_ms = COALESCE(participants.checked_in_at_ms, excluded.checked_in_at_ms),
            category = excluded.category, interests = excluded.interests,
            contact_ok = excluded.contact_ok, share_ok = excluded.share_ok,
            age_band = excluded.age_band, merged_into = excluded.merged_into,
            answers = excluded.answers",
    )
    .bind(id)
    .bind(p.event_id.to_string())
    .bind(&p.person.name.family_name)
    .bind(&p.person.name.given_name)
    .bind(&p.person.name.family_name_kana)
    .bind(&p.person.name.given_name_kana)
    .bind(p.person.birth_date.map(|d| d.to_string()))
    .bind(&p.person.phone)
    .bind(p.checked_in.then_some(now_ms))
    .bind(created_by_staff)
    .bind(created_by_device)
    .bind(now_ms)
    .bind(p.category.map(|c| c.code()))
    .bind(&p.interests)
    .bind(i64::from(p.contact_ok))
    .bind(i64::from(p.share_ok))
    .bind(p.age_band.map(|b| b.code()))
    .bind(owner.code())
    .bind(p.merged_into.map(|m| m.to_string()))
    .bind(
        serde_json::Value::Object(
            p.answers
                .iter()
                .map(|(field, answer)| ((*field).to_owned(), answer.clone().into()))
                .collect(),
        )
        .to_string(),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One candidate for the duplicate rule: id, kind, reading, birth date, phone.
pub type Candidate = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Other participants of the event, and people known at the counter, with the same reading.
pub async fn duplicate_candidates(
    conn: &mut Conn,
    id: &str,
    event_id: &str,
    family_kana: &str,
    given_kana: &str,
) -> Result<Vec<Candidate>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, 'participant', family_name_kana, given_name_kana, birth_date, phone
         FROM participants
         WHERE event_id = $1 AND id <> $2 AND family_name_kana = $3 AND given_name_kana = $4
         UNION ALL
         SELECT id, 'person', family_name_kana, given_name_kana, birth_date, NULL
         FROM people
         WHERE deleted_at_ms IS NULL AND merged_into IS NULL
           AND family_name_kana = $5 AND given_name_kana = $6",
    )
    .bind(event_id)
    .bind(id)
    .bind(family_kana)
    .bind(given_kana)
    .bind(family_kana)
    .bind(given_kana)
    .fetch_all(&mut *conn)
    .await
}

/// Flags a possible duplicate pair once, whichever way round it is found (the database's
/// unique index on the unordered pair decides).
pub async fn flag_duplicate(
    conn: &mut Conn,
    record_id: &str,
    other_id: &str,
    other_kind: &str,
    event_id: &str,
    reason: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO duplicate_flags (record_id, other_id, other_kind, event_id, reason, detected_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING",
    )
    .bind(record_id)
    .bind(other_id)
    .bind(other_kind)
    .bind(event_id)
    .bind(reason)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn employer_at_event(
    conn: &mut Conn,
    employer_id: &str,
    event_id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM event_employers WHERE id = $1 AND event_id = $2")
            .bind(employer_id)
            .bind(event_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}

/// Keeps `fair_outcomes` equal to the merged interview record.
pub async fn project_interview(
    conn: &mut Conn,
    id: &str,
    i: &app::sync::kinds::NewInterview,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO fair_outcomes (id, event_id, participant_id, employer_id, outcome, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET participant_id = excluded.participant_id,
            employer_id = excluded.employer_id, outcome = excluded.outcome,
            updated_at_ms = excluded.updated_at_ms",
    )
    .bind(id)
    .bind(i.event_id.to_string())
    .bind(i.participant_id.to_string())
    .bind(i.employer_id.to_string())
    .bind(i.outcome.code())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn project_interview_deleted(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM fair_outcomes WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A registration was deleted: it leaves the counts and flags not yet decided about it are
/// withdrawn. Registrations staff merged into it keep their `merged_into` (as their records
/// do); a merge whose root no longer exists counts as none (see [`fair_counts`]), here and on
/// the tablets alike.
pub async fn project_participant_deleted(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM duplicate_flags
         WHERE (record_id = $1 OR other_id = $1) AND resolved_at_ms IS NULL",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM participants WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The interviews recorded for a registration (sent again when the registration changes).
pub async fn interviews_of(
    conn: &mut Conn,
    participant_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM fair_outcomes WHERE participant_id = $1 ORDER BY id")
        .bind(participant_id)
        .fetch_all(&mut *conn)
        .await
}
