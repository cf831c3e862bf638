//! The rows of the case list: this device's copy of the people (so the list works offline and
//! shows what is still waiting to be sent), completed with what only the server knows — which
//! organisation holds the case and its consent — whenever the server answers.

use std::collections::HashMap;

use crate::domain::access::Organisation;
use crate::domain::casework::CaseStatus;
use crate::domain::date::CivilDate;
use crate::domain::person::{Names, SupportCategory};
use crate::protocol::{ConsentView, PersonView};
use crate::sync::case_view::{self, Item};
use crate::sync::kinds::{Fields, PersonFields};
use crate::sync::merge::RecordState;

/// Every case entry on this device (kind, id, state, waiting), for the case views.
pub fn entries(
    sync: super::offline::SyncState,
) -> Vec<(crate::sync::wire::RecordKind, String, RecordState, bool)> {
    case_view::ENTRY_KINDS
        .iter()
        .flat_map(|kind| {
            sync.records(*kind)
                .into_iter()
                .map(move |(id, state, waiting)| (*kind, id, state, waiting))
        })
        .collect()
}

/// One person in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub id: String,
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
    pub birth_date: Option<CivilDate>,
    pub category: Option<SupportCategory>,
    /// Every category that applies (the main one first).
    pub categories: Vec<SupportCategory>,
    /// From the server: who holds the case, and its open consent (none when offline).
    pub owner: Option<Organisation>,
    pub consent: Option<Option<ConsentView>>,
    /// Changes to the person wait on this device to be sent.
    pub waiting: bool,
    /// On this device (else known from the server only).
    pub on_device: bool,
    pub status: CaseStatus,
    /// The signed-in person wrote in the case or is credited with its placement.
    pub mine: bool,
}

impl CaseRow {
    pub fn names(&self) -> Names<'_> {
        (
            &self.family_name,
            &self.given_name,
            &self.family_name_kana,
            &self.given_name_kana,
        )
    }

    fn from_device(id: String, state: &RecordState, waiting: bool) -> Self {
        let p = PersonFields::read(state);
        let category = SupportCategory::from_code(&p.category);
        let mut categories: Vec<SupportCategory> = category.into_iter().collect();
        categories.extend(
            crate::domain::intake::categories(&p.other_categories)
                .into_iter()
                .filter(|c| Some(*c) != category),
        );
        Self {
            id,
            family_name: p.family_name.0,
            given_name: p.given_name.0,
            family_name_kana: p.family_name_kana.0,
            given_name_kana: p.given_name_kana.0,
            birth_date: p.birth_date.parse().ok(),
            category,
            categories,
            owner: None,
            consent: None,
            waiting,
            on_device: true,
            status: CaseStatus::Intake,
            mine: false,
        }
    }

    fn from_server(p: &PersonView) -> Self {
        Self {
            id: p.id.to_string(),
            family_name: p.family_name.clone(),
            given_name: p.given_name.clone(),
            family_name_kana: p.family_name_kana.clone(),
            given_name_kana: p.given_name_kana.clone(),
            birth_date: p.birth_date,
            category: Some(p.category),
            categories: vec![p.category],
            owner: None,
            consent: None,
            waiting: false,
            on_device: false,
            status: CaseStatus::Intake,
            mine: false,
        }
    }
}

/// The list: the device's people (deleted ones left out), then those only the server has
/// sent so far; each with the server's owner and consent when known, its status from the
/// device's entries, and whether `me` (a display name) works on it. Sorted by reading.
pub fn case_rows(
    device: Vec<(String, RecordState, bool)>,
    server: Option<&[PersonView]>,
    caseload: &HashMap<String, Vec<Item>>,
    me: Option<&str>,
) -> Vec<CaseRow> {
    let by_id: HashMap<String, &PersonView> = server
        .unwrap_or_default()
        .iter()
        .map(|p| (p.id.to_string(), p))
        .collect();
    // A duplicate merged into a record that is here is listed as that one (a pointer to a
    // record gone is no merge).
    let here: std::collections::HashSet<&str> =
        device.iter().map(|(id, _, _)| id.as_str()).collect();
    let merged = |state: &RecordState| {
        let into = PersonFields::read(state).merged_into.0;
        !into.is_empty() && (here.contains(into.as_str()) || by_id.contains_key(&into))
    };
    let mut rows: Vec<CaseRow> = device
        .iter()
        .filter(|(_, state, _)| state.deleted.is_none() && !merged(state))
        .map(|(id, state, waiting)| CaseRow::from_device(id.clone(), state, *waiting))
        .collect();
    rows.extend(
        server
            .unwrap_or_default()
            .iter()
            .filter(|p| !here.contains(p.id.to_string().as_str()) && p.merged_into.is_none())
            .map(CaseRow::from_server),
    );
    for row in &mut rows {
        if let Some(p) = by_id.get(&row.id) {
            row.owner = Some(p.owner_org);
            row.consent = Some(
                p.consents
                    .iter()
                    .rev()
                    .find(|c| c.withdrawn_on.is_none())
                    .cloned(),
            );
        }
        if let Some(items) = caseload.get(&row.id) {
            row.status = case_view::status(items);
            row.mine = me.is_some_and(|me| case_view::involves(items, me));
        }
    }
    // Waiting entries first (what this device still owes the server), then by reading.
    rows.sort_by(|a, b| {
        (!a.waiting, &a.family_name_kana, &a.given_name_kana, &a.id).cmp(&(
            !b.waiting,
            &b.family_name_kana,
            &b.given_name_kana,
            &b.id,
        ))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::kinds::state_of;
    use serde_json::json;

    fn person(family: &str, kana: &str, others: &str) -> RecordState {
        state_of(&[
            ("family_name", json!(family)),
            ("given_name", json!("花子")),
            ("family_name_kana", json!(kana)),
            ("given_name_kana", json!("ハナコ")),
            ("category", json!("single_mothers")),
            ("other_categories", json!(others)),
        ])
    }

    #[test]
    fn the_list_shows_the_device_first_and_the_server_fills_in_the_owner() {
        let mut gone = person("消", "ケシ", "");
        gone.deleted = Some(crate::sync::hlc::Hlc::ZERO);
        let device = vec![
            (
                "b".to_owned(),
                person("見本", "ミホン", "other_hardship"),
                false,
            ),
            ("w".to_owned(), person("和田", "ワダ", ""), true),
            ("x".to_owned(), gone, false),
        ];
        let rows = case_rows(device, None, &HashMap::new(), Some("見本 市職員"));
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        // The waiting one first; the deleted one not at all; offline nothing about owners.
        assert_eq!(ids, ["w", "b"]);
        assert!(rows.iter().all(|r| r.owner.is_none() && !r.mine));
        assert_eq!(
            rows[1].categories,
            [
                SupportCategory::SingleMothers,
                SupportCategory::OtherHardship
            ]
        );
    }
}
