//! Rows of `people` and `consents`.

use std::collections::HashMap;

use crate::store::Conn;
use app::domain::access::{ConsentSpan, Organisation};
use app::domain::date::CivilDate;
use app::domain::ids::{ConsentId, PersonId, StaffId};
use app::domain::person::{ConsentMethod, NewConsent, NewPerson, SupportCategory};
use app::protocol::{ConsentView, PersonView};

fn corrupt(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("{what} is invalid").into())
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    family_name: String,
    given_name: String,
    family_name_kana: String,
    given_name_kana: String,
    birth_date: Option<String>,
    category: String,
    owner_org: String,
    merged_into: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: String,
    person_id: String,
    method: String,
    document_no: Option<String>,
    granted_on: String,
    withdrawn_on: Option<String>,
    withdrawal_reason: Option<String>,
}

impl ConsentRow {
    fn into_view(self) -> Result<(PersonId, ConsentView), sqlx::Error> {
        Ok((
            self.person_id
                .parse()
                .map_err(|_| corrupt("consents.person_id"))?,
            ConsentView {
                id: self.id.parse().map_err(|_| corrupt("consents.id"))?,
                method: ConsentMethod::from_code(&self.method)
                    .ok_or_else(|| corrupt("consents.method"))?,
                document_no: self.document_no,
                granted_on: self
                    .granted_on
                    .parse()
                    .map_err(|_| corrupt("consents.granted_on"))?,
                withdrawn_on: self
                    .withdrawn_on
                    .map(|d| d.parse().map_err(|_| corrupt("consents.withdrawn_on")))
                    .transpose()?,
                withdrawal_reason: self.withdrawal_reason,
            },
        ))
    }
}

const PERSON_COLUMNS: &str = "id, family_name, given_name, family_name_kana, given_name_kana, \
                              birth_date, category, owner_org, merged_into";

/// People with their consents, in kana order. `consent_active` is left `false`: the service
/// decides it with the shared rule.
pub async fn load(conn: &mut Conn, only: Option<PersonId>) -> Result<Vec<PersonView>, sqlx::Error> {
    let rows: Vec<PersonRow> = match only {
        Some(id) => {
            sqlx::query_as(&format!(
                "SELECT {PERSON_COLUMNS} FROM people WHERE id = $1 AND deleted_at_ms IS NULL"
            ))
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {PERSON_COLUMNS} FROM people WHERE deleted_at_ms IS NULL \
                 ORDER BY family_name_kana, given_name_kana"
            ))
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let consents: Vec<ConsentRow> = match only {
        Some(id) => {
            sqlx::query_as(
                "SELECT id, person_id, method, document_no, granted_on, withdrawn_on,
                        withdrawal_reason
             FROM consents WHERE person_id = $1 ORDER BY recorded_at_ms",
            )
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query_as(
                "SELECT id, person_id, method, document_no, granted_on, withdrawn_on,
                        withdrawal_reason
             FROM consents ORDER BY recorded_at_ms",
            )
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let mut by_person: HashMap<PersonId, Vec<ConsentView>> = HashMap::new();
    for row in consents {
        let (person, view) = row.into_view()?;
        by_person.entry(person).or_default().push(view);
    }
    rows.into_iter()
        .map(|r| {
            let id: PersonId = r.id.parse().map_err(|_| corrupt("people.id"))?;
            Ok(PersonView {
                id,
                family_name: r.family_name,
                given_name: r.given_name,
                family_name_kana: r.family_name_kana,
                given_name_kana: r.given_name_kana,
                birth_date: r
                    .birth_date
                    .map(|d| {
                        d.parse::<CivilDate>()
                            .map_err(|_| corrupt("people.birth_date"))
                    })
                    .transpose()?,
                category: SupportCategory::from_code(&r.category)
                    .ok_or_else(|| corrupt("people.category"))?,
                owner_org: Organisation::from_code(&r.owner_org)
                    .ok_or_else(|| corrupt("people.owner_org"))?,
                consent_active: false,
                consents: by_person.remove(&id).unwrap_or_default(),
                merged_into: r
                    .merged_into
                    .filter(|m| !m.is_empty())
                    .map(|m| m.parse().map_err(|_| corrupt("people.merged_into")))
                    .transpose()?,
            })
        })
        .collect()
}

pub async fn insert(
    conn: &mut Conn,
    id: PersonId,
    person: &NewPerson,
    owner: Organisation,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO people (id, family_name, given_name, family_name_kana, given_name_kana,
                             birth_date, category, owner_org, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(&person.name.family_name)
    .bind(&person.name.given_name)
    .bind(&person.name.family_name_kana)
    .bind(&person.name.given_name_kana)
    .bind(person.birth_date.map(|d| d.to_string()))
    .bind(person.category.code())
    .bind(owner.code())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_consent(
    conn: &mut Conn,
    id: ConsentId,
    person: PersonId,
    consent: &NewConsent,
    by: StaffId,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consents (id, person_id, scope, method, document_no, granted_on,
                               recorded_by, recorded_at_ms)
         VALUES ($1, $2, 'case_sharing', $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(person.to_string())
    .bind(consent.method.code())
    .bind(&consent.document_no)
    .bind(consent.granted_on.to_string())
    .bind(by.to_string())
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks a consent withdrawn; `false` when there is no such open consent of this person.
pub async fn withdraw_consent(
    conn: &mut Conn,
    person: PersonId,
    consent: ConsentId,
    by: StaffId,
    (withdrawn_on, reason): (CivilDate, &str),
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE consents SET withdrawn_on = $1, withdrawn_by = $2, withdrawn_at_ms = $3,
                             withdrawal_reason = $4
         WHERE id = $5 AND person_id = $6 AND withdrawn_at_ms IS NULL",
    )
    .bind(withdrawn_on.to_string())
    .bind(by.to_string())
    .bind(now_ms)
    .bind(reason)
    .bind(consent.to_string())
    .bind(person.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Links a fair registration to the person it is at the counter, unless it is linked already;
/// answers whether this call linked it.
pub async fn link_participant(
    conn: &mut crate::store::Conn,
    participant: &str,
    person: &str,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE participants SET person_id = $1 WHERE id = $2 AND person_id IS NULL")
            .bind(person)
            .bind(participant)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps `people` equal to these persons' merged records, many rows per statement.
pub async fn project_people(
    conn: &mut Conn,
    people: &[(&str, NewPerson, Organisation)],
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    for chunk in people.chunks(100) {
        let mut query = crate::store::sql::Sql::new(
            crate::store::backend(conn),
            "INSERT INTO people (id, family_name, given_name, family_name_kana, given_name_kana, \
             birth_date, category, owner_org, created_at_ms) ",
        );
        query.values(chunk, |b, (id, p, owner)| {
            b.bind(*id)
                .bind(&p.name.family_name)
                .bind(&p.name.given_name)
                .bind(&p.name.family_name_kana)
                .bind(&p.name.given_name_kana)
                .bind(p.birth_date.map(|d| d.to_string()))
                .bind(p.category.code())
                .bind(owner.code())
                .bind(now_ms);
        });
        query.push(
            " ON CONFLICT (id) DO UPDATE SET family_name = excluded.family_name, \
             given_name = excluded.given_name, family_name_kana = excluded.family_name_kana, \
             given_name_kana = excluded.given_name_kana, birth_date = excluded.birth_date, \
             category = excluded.category",
        );
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn project_person_deleted(
    conn: &mut Conn,
    id: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE people SET deleted_at_ms = $1 WHERE id = $2 AND deleted_at_ms IS NULL")
        .bind(now_ms)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Consent spans of every person who has a consent, for deciding what the other organisation
/// may see.
pub async fn consent_spans(
    conn: &mut Conn,
) -> Result<HashMap<String, Vec<ConsentSpan>>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT person_id, granted_on, withdrawn_on FROM consents")
            .fetch_all(&mut *conn)
            .await?;
    let mut spans: HashMap<String, Vec<ConsentSpan>> = HashMap::new();
    for (person, granted_on, withdrawn_on) in rows {
        spans.entry(person).or_default().push(ConsentSpan {
            granted_on: granted_on
                .parse::<CivilDate>()
                .map_err(|_| corrupt("consents.granted_on"))?,
            withdrawn: withdrawn_on.is_some(),
        });
    }
    Ok(spans)
}

pub async fn consent_spans_of(
    conn: &mut Conn,
    person_id: &str,
) -> Result<Vec<ConsentSpan>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT granted_on, withdrawn_on FROM consents WHERE person_id = $1")
            .bind(person_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.into_iter()
        .map(|(granted_on, withdrawn_on)| {
            Ok(ConsentSpan {
                granted_on: granted_on
                    .parse::<CivilDate>()
                    .map_err(|_| corrupt("consents.granted_on"))?,
                withdrawn: withdrawn_on.is_some(),
            })
        })
        .collect()
}

/// The person `id` was merged into (`None` when not merged).
pub async fn merged_into(
    conn: &mut crate::store::Conn,
    id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let found: Option<Option<String>> =
        sqlx::query_scalar("SELECT merged_into FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.flatten().filter(|m| !m.is_empty()))
}

/// Whether any person was merged into `id`.
pub async fn has_merged(conn: &mut crate::store::Conn, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM people WHERE merged_into = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

pub async fn set_merged(
    conn: &mut crate::store::Conn,
    id: &str,
    into: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE people SET merged_into = $1 WHERE id = $2")
        .bind(into)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
