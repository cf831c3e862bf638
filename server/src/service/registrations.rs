//! A fair registration as the counter and a fair's tablet see it through the REST API: its
//! row in `participants`, who may see it, and what a tablet is shown of it.

use std::collections::BTreeMap;

use app::domain::ids::{EventId, ParticipantId};
use app::protocol::ParticipantView;

use super::ServiceError;
use crate::AppState;
use crate::auth::Actor;
use crate::store::registrations::ParticipantRow;

impl ParticipantRow {
    fn scope(&self) -> crate::store::fairs::RegistrationScope {
        crate::store::fairs::RegistrationScope {
            owner: app::domain::access::Organisation::from_code(&self.owner_org)
                .unwrap_or(app::domain::access::Organisation::HelloWork),
            share_ok: self.share_ok,
        }
    }

    /// Whether `actor` may see who this is: a device of the fair (it keeps names only, see
    /// [`ParticipantRow::shown_to`]), staff as the registration is shared.
    pub(super) fn visible_to(&self, actor: &Actor) -> bool {
        match actor {
            Actor::Device(d) => self.event_id == d.event_id.to_string(),
            Actor::Staff(s) => super::scope::sees_registration(s, self.scope()),
        }
    }

    /// The view `actor` gets: a tablet only what it may keep (names, readings, check-in).
    pub(super) fn shown_to(self, actor: &Actor) -> Result<ParticipantView, sqlx::Error> {
        let mut view = self.view()?;
        if matches!(actor, Actor::Device(_)) {
            view.birth_date = None;
            view.phone = None;
            view.category = None;
            view.answers.clear();
        }
        Ok(view)
    }

    pub(super) fn view(self) -> Result<ParticipantView, sqlx::Error> {
        let corrupt = |w: &str| sqlx::Error::Decode(format!("participants.{w} is invalid").into());
        Ok(ParticipantView {
            id: self.id.parse().map_err(|_| corrupt("id"))?,
            event_id: self.event_id.parse().map_err(|_| corrupt("event_id"))?,
            family_name: self.family_name,
            given_name: self.given_name,
            family_name_kana: self.family_name_kana,
            given_name_kana: self.given_name_kana,
            birth_date: self
                .birth_date
                .map(|d| d.parse().map_err(|_| corrupt("birth_date")))
                .transpose()?,
            phone: self.phone,
            checked_in_at_ms: self.checked_in_at_ms,
            category: self
                .category
                .as_deref()
                .and_then(app::domain::person::SupportCategory::from_code),
            share_ok: self.share_ok,
            person_id: self
                .person_id
                .map(|p| p.parse().map_err(|_| corrupt("person_id")))
                .transpose()?,
            answers: answers(&self.answers).ok_or_else(|| corrupt("answers"))?,
        })
    }
}

/// Stored answers in the order the form asks them (answers to questions no longer asked last).
fn answers(stored: &str) -> Option<Vec<app::protocol::Answer>> {
    let mut found: Vec<(String, String)> = serde_json::from_str::<BTreeMap<String, String>>(stored)
        .ok()?
        .into_iter()
        .collect();
    let asked = |field: &str| {
        let at = app::sync::kinds::ANSWERS
            .iter()
            .position(|(f, _)| *f == field);
        at.unwrap_or(usize::MAX)
    };
    found.sort_by_key(|(field, _)| asked(field));
    Some(
        found
            .into_iter()
            .map(|(field, text)| app::protocol::Answer { field, text })
            .collect(),
    )
}

pub(super) async fn participant_row(
    state: &AppState,
    event: EventId,
    id: ParticipantId,
) -> Result<ParticipantRow, ServiceError> {
    let row = crate::store::registrations::one(&state.db, event, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(row)
}

/// A participant as `actor` may see it; one they may not see does not exist for them.
pub(super) async fn participant(
    state: &AppState,
    actor: &Actor,
    event: EventId,
    id: ParticipantId,
) -> Result<ParticipantView, ServiceError> {
    let row = participant_row(state, event, id).await?;
    if !row.visible_to(actor) {
        return Err(ServiceError::NotFound);
    }
    Ok(row.shown_to(actor)?)
}
