//! Rows of `participants` as the REST API shows them (with the linked person's organisation).

use crate::store::Pool;
use app::domain::ids::{EventId, ParticipantId};

#[derive(sqlx::FromRow)]
pub struct ParticipantRow {
    pub id: String,
    pub event_id: String,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub checked_in_at_ms: Option<i64>,
    pub category: Option<String>,
    #[sqlx(try_from = "crate::store::sql::Flag")]
    pub share_ok: bool,
    pub person_id: Option<String>,
    pub owner_org: String,
    /// The organisation of the counter person it is linked to, if any.
    pub person_owner: Option<String>,
    /// Free-text answers, a JSON object.
    pub answers: String,
}

const PARTICIPANT_SELECT: &str = "SELECT id, event_id, family_name, given_name, family_name_kana, \
    given_name_kana, birth_date, phone, checked_in_at_ms, category, share_ok, person_id, \
    owner_org, (SELECT owner_org FROM people WHERE people.id = participants.person_id) \
    AS person_owner, answers FROM participants";

pub async fn one(
    db: &Pool,
    event: EventId,
    id: ParticipantId,
) -> Result<Option<ParticipantRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{PARTICIPANT_SELECT} WHERE id = $1 AND event_id = $2"
    ))
    .bind(id.to_string())
    .bind(event.to_string())
    .fetch_optional(db)
    .await
}

/// A fair's registrations as the counter lists them: merged ones under their root only.
pub async fn of_event(db: &Pool, event: EventId) -> Result<Vec<ParticipantRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{PARTICIPANT_SELECT} WHERE event_id = $1 AND merged_into IS NULL
         ORDER BY family_name_kana, given_name_kana"
    ))
    .bind(event.to_string())
    .fetch_all(db)
    .await
}
