//! The demo data's rows that are neither records of the sync engine nor written by another
//! store function (the corner's first people, a consent, the plan's targets). Each insert
//! leaves an existing row as it is, so loading twice changes nothing and never reverts an edit.

use crate::store::{Conn, Pool};

/// A demo account's id.
pub async fn staff_id(db: &Pool, login_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM staff WHERE login_id = $1")
        .bind(login_id)
        .fetch_one(db)
        .await
}

/// (id, family name, given name, readings), birth date, (category, owner organisation)
pub async fn person(
    conn: &mut Conn,
    [id, family, given, family_kana, given_kana]: [&str; 5],
    birth: &str,
    [category, owner]: [&str; 2],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO people (id, family_name, given_name, family_name_kana, given_name_kana,
                             birth_date, category, owner_org, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(family)
    .bind(given)
    .bind(family_kana)
    .bind(given_kana)
    .bind(birth)
    .bind(category)
    .bind(owner)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// 見本 花子 signed the consent form: Hello Work staff see her case too.
pub async fn signed_consent(conn: &mut Conn, recorder: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consents (id, person_id, scope, method, document_no, granted_on, recorded_by,
                               recorded_at_ms)
         VALUES ('01980000-0000-7000-8000-000000000201', '01980000-0000-7000-8000-000000000101',
                 'case_sharing', 'signed_form', 'R8-0001', '2026-04-10', $1, $2)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(recorder)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// The business plan's target for a metric of a fiscal year (the plan from 1 April).
pub async fn target(
    conn: &mut Conn,
    year: i64,
    metric: &str,
    target: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plans (fiscal_year, starts_on, updated_at_ms) VALUES ($1, $2, 0)
         ON CONFLICT (fiscal_year) DO NOTHING",
    )
    .bind(year)
    .bind(format!("{year:04}-04-01"))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO plan_targets (fiscal_year, metric, target) VALUES ($1, $2, $3)
         ON CONFLICT (fiscal_year, metric) DO NOTHING",
    )
    .bind(year)
    .bind(metric)
    .bind(target)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}
