//! Rows the counter's read tables hold without a sync record — written before the engine
//! carried their kind, by an older version, or by SQL — become records at start, so every
//! device pulls them and every later change goes through the engine.

use crate::store::{Conn, Pool};

/// Both adoptions, in one writing transaction (another server of the database may be numbering
/// records at the same time). Returns (people, fair registrations and interviews) adopted.
pub async fn adopt_all(db: &Pool) -> Result<(u64, u64), sqlx::Error> {
    let mut tx = crate::store::begin_write(db).await?;
    let people = adopt_unsynced_people(&mut tx).await?;
    let fair_work = adopt_unsynced_fair_work(&mut tx).await?;
    tx.commit().await?;
    Ok((people, fair_work))
}

/// Rows of a read table without a record (written before the sync engine carried their kind,
/// or loaded by SQL) become records of `kind`: each field stamped at the row's time by node 0,
/// numbered after every record there is, in the rows' order.
struct Adoption<'a> {
    kind: &'a str,
    /// `table alias`, and which of its rows (`only`).
    from: &'a str,
    only: &'a str,
    id: &'a str,
    /// (field, SQL value) pairs.
    fields: &'a [(&'a str, &'a str)],
    at: &'a str,
    owner: &'a str,
    person_id: &'a str,
    event_id: &'a str,
}

async fn adopt(conn: &mut Conn, a: Adoption<'_>) -> Result<u64, sqlx::Error> {
    let Adoption {
        kind,
        from,
        only,
        id,
        at,
        owner,
        person_id,
        event_id,
        ..
    } = a;
    // The state is written as the bytes of JSON text (read like the compact form): SQLite's
    // `json_object` is PostgreSQL's `json_build_object`.
    let (object, state) = match crate::store::backend(conn) {
        crate::store::Backend::Sqlite => ("json_object", "CAST({} AS BLOB)"),
        crate::store::Backend::Postgres => ("json_build_object", "convert_to(({})::text, 'UTF8')"),
    };
    let fields = a
        .fields
        .iter()
        .map(|(name, value)| {
            format!(
                "'{name}', {object}('value', {value}, 'stamp', {object}('wall_ms', {at}, \
                 'counter', 0, 'node', 0), 'base', NULL)"
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let state = state.replace(
        "{}",
        &format!("{object}('fields', {object}({fields}), 'deleted', NULL)"),
    );
    let done = sqlx::query(&format!(
        "INSERT INTO sync_records (id, kind, state, owner_org, person_id, event_id, seq,
                                   updated_at_ms)
         SELECT {id}, '{kind}', {state},
             {owner}, {person_id}, {event_id},
             (SELECT last_seq FROM sync_epoch WHERE id = 1)
                 + ROW_NUMBER() OVER (ORDER BY {at}, {id}),
             {at}
         FROM {from}
         WHERE {only} AND NOT EXISTS (SELECT 1 FROM sync_records s WHERE s.id = {id})"
    ))
    .execute(&mut *conn)
    .await?;
    // The numbers given out move the counter past them.
    sqlx::query("UPDATE sync_epoch SET last_seq = last_seq + $1 WHERE id = 1")
        .bind(done.rows_affected() as i64)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Makes every person without a synced record (recorded before sync existed) a synced record.
/// Returns how many were adopted.
pub async fn adopt_unsynced_people(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    let fields = [
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "category",
    ]
    .map(|f| (f, format!("p.{f}")));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(f, v)| (*f, v.as_str())).collect();
    adopt(
        conn,
        Adoption {
            kind: "person",
            from: "people p",
            only: "p.deleted_at_ms IS NULL",
            id: "p.id",
            fields: &fields,
            at: "p.created_at_ms",
            owner: "p.owner_org",
            person_id: "p.id",
            event_id: "NULL",
        },
    )
    .await
}

/// Fair registrations and interviews recorded before the engine carried them (REST, SQL).
pub async fn adopt_unsynced_fair_work(conn: &mut Conn) -> Result<u64, sqlx::Error> {
    // A JSON true or false from a condition.
    let postgres = crate::store::backend(conn) == crate::store::Backend::Postgres;
    let yes_no = |condition: &str| match postgres {
        false => format!("json(CASE WHEN {condition} THEN 'true' ELSE 'false' END)"),
        true => format!("({condition})"),
    };
    let columns = [
        "event_id",
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "phone",
        "category",
        "interests",
        "age_band",
        "merged_into",
    ]
    .map(|f| (f, format!("p.{f}")));
    let flags = [
        ("contact_ok", yes_no("p.contact_ok <> 0")),
        ("share_ok", yes_no("p.share_ok <> 0")),
        ("checked_in", yes_no("p.checked_in_at_ms IS NOT NULL")),
    ];
    let registration: Vec<(&str, &str)> = columns
        .iter()
        .chain(&flags)
        .map(|(f, v)| (*f, v.as_str()))
        .collect();
    let participants = adopt(
        conn,
        Adoption {
            kind: "participant",
            from: "participants p",
            only: "TRUE",
            id: "p.id",
            fields: &registration,
            at: "p.created_at_ms",
            owner: "p.owner_org",
            person_id: "NULL",
            event_id: "p.event_id",
        },
    )
    .await?;
    let interview =
        ["event_id", "participant_id", "employer_id", "outcome"].map(|f| (f, format!("f.{f}")));
    let interview: Vec<(&str, &str)> = interview.iter().map(|(f, v)| (*f, v.as_str())).collect();
    let interviews = adopt(
        conn,
        Adoption {
            kind: "interview",
            from: "fair_outcomes f",
            only: "TRUE",
            id: "f.id",
            fields: &interview,
            at: "f.updated_at_ms",
            owner: "COALESCE((SELECT owner_org FROM participants p WHERE p.id = f.participant_id), \
                    'hello_work')",
            person_id: "NULL",
            event_id: "f.event_id",
        },
    )
    .await?;
    Ok(participants + interviews)
}
