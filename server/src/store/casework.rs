//! Rows of the case entries' read tables: `notes`, `referrals`, `placements`, `follow_ups`.
//! Each is kept equal to its synced records (`service::records`); a deleted entry keeps its row,
//! marked deleted, so reports can say what was removed and when.

use app::sync::kinds::{NewFollowUp, NewNote, NewPlacement, NewReferral};

use crate::store::Conn;

/// Who wrote an entry and when the read table learned of it.
pub struct Written<'a> {
    pub by: &'a str,
    pub at_ms: i64,
}

pub async fn project_note(
    conn: &mut Conn,
    id: &str,
    note: &NewNote,
    written: &Written<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notes (id, person_id, body, written_on, author, created_at_ms, note_type,
                            organisation, job_role, corrects)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(note.person_id.to_string())
    .bind(&note.body)
    .bind(note.written_on.to_string())
    .bind(written.by)
    .bind(written.at_ms)
    .bind(note.note_type.code())
    .bind(note.organisation.code())
    .bind(note.job_role.map(|r| r.code()))
    .bind(note.corrects.map(|c| c.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn project_referral(
    conn: &mut Conn,
    id: &str,
    r: &NewReferral,
    written: &Written<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO referrals (id, person_id, organisation, referred_on, employer, job_title,
                                job_no, result, result_on, written_by, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET referred_on = excluded.referred_on,
             employer = excluded.employer, job_title = excluded.job_title,
             job_no = excluded.job_no, result = excluded.result, result_on = excluded.result_on,
             updated_at_ms = excluded.updated_at_ms, deleted_at_ms = NULL",
    )
    .bind(id)
    .bind(r.person_id.to_string())
    .bind(r.organisation.code())
    .bind(r.referred_on.to_string())
    .bind(&r.employer)
    .bind(&r.job_title)
    .bind(&r.job_no)
    .bind(r.result.code())
    .bind(r.result_on.map(|d| d.to_string()))
    .bind(written.by)
    .bind(written.at_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn project_placement(
    conn: &mut Conn,
    id: &str,
    p: &NewPlacement,
    written: &Written<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO placements (id, person_id, organisation, placed_on, employer, job_title,
                                 employment_type, route, referral_id, event_id, credited_org,
                                 credited_staff, written_by, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET placed_on = excluded.placed_on,
             employer = excluded.employer, job_title = excluded.job_title,
             employment_type = excluded.employment_type, route = excluded.route,
             referral_id = excluded.referral_id, event_id = excluded.event_id,
             credited_org = excluded.credited_org, credited_staff = excluded.credited_staff,
             updated_at_ms = excluded.updated_at_ms, deleted_at_ms = NULL",
    )
    .bind(id)
    .bind(p.person_id.to_string())
    .bind(p.organisation.code())
    .bind(p.placed_on.to_string())
    .bind(&p.employer)
    .bind(&p.job_title)
    .bind(p.employment_type.code())
    .bind(p.route.code())
    .bind(p.referral_id.map(|r| r.to_string()))
    .bind(p.event_id.map(|e| e.to_string()))
    .bind(p.credited_org.code())
    .bind(&p.credited_staff)
    .bind(written.by)
    .bind(written.at_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn project_follow_up(
    conn: &mut Conn,
    id: &str,
    f: &NewFollowUp,
    written: &Written<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO follow_ups (id, person_id, placement_id, months, organisation, done_on,
                                 result, written_by, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET placement_id = excluded.placement_id,
             months = excluded.months, done_on = excluded.done_on, result = excluded.result,
             updated_at_ms = excluded.updated_at_ms, deleted_at_ms = NULL",
    )
    .bind(id)
    .bind(f.person_id.to_string())
    .bind(f.placement_id.to_string())
    .bind(i64::from(f.months))
    .bind(f.organisation.code())
    .bind(f.done_on.to_string())
    .bind(f.result.code())
    .bind(written.by)
    .bind(written.at_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the follow-up `months` after this placement is recorded already (by another record
/// than `except`).
pub async fn follow_up_recorded(
    conn: &mut Conn,
    placement: &str,
    months: u8,
    except: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM follow_ups
         WHERE placement_id = $1 AND months = $2 AND id <> $3 AND deleted_at_ms IS NULL",
    )
    .bind(placement)
    .bind(i64::from(months))
    .bind(except)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Marks a deleted entry's row deleted (`table` is one of this module's tables).
pub async fn project_deleted(
    conn: &mut Conn,
    table: Table,
    id: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let sql = match table {
        Table::Referrals => "UPDATE referrals SET deleted_at_ms = $1 WHERE id = $2",
        Table::Placements => "UPDATE placements SET deleted_at_ms = $1 WHERE id = $2",
        Table::FollowUps => "UPDATE follow_ups SET deleted_at_ms = $1 WHERE id = $2",
    };
    sqlx::query(sql)
        .bind(now_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The read tables of entries that can be deleted (notes cannot).
#[derive(Clone, Copy)]
pub enum Table {
    Referrals,
    Placements,
    FollowUps,
}
