//! Translations: every word a person reads, in Japanese (default) and English.
//!
//! A typed catalogue rather than a runtime message-file library: each language is one `Catalog`
//! value, so a key missing from a language is a compile error, lookups cost nothing in the
//! browser bundle, and the server uses the same words for API error messages. The catalogues
//! themselves are `ja.rs` and `en.rs`; no user-facing text lives in logic. `labels.rs` names the
//! domain's values and fields' problems, `dates.rs` is the one date formatter.

pub mod audit;
pub mod casework;
mod en;
pub mod intake;
mod ja;
pub mod reports;
pub mod story;

mod dates;
mod labels;

/// The cookie that remembers a person's language choice (read by the server to render in it).
pub const LANG_COOKIE: &str = "renkei_lang";

/// A language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// BCP 47 tag, as in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim().to_ascii_lowercase().as_str() {
            t if t == "ja" || t.starts_with("ja-") => Some(Lang::Ja),
            t if t == "en" || t.starts_with("en-") => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    pub fn catalog(self) -> &'static Catalog {
        match self {
            Lang::Ja => &ja::JA,
            Lang::En => &en::EN,
        }
    }

    /// The language from a `Cookie` header's value, if the person chose one.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANG_COOKIE)
                .then(|| Lang::from_tag(value))
                .flatten()
        })
    }

    /// The first supported language of an `Accept-Language` header (quality order as sent).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter_map(|part| Lang::from_tag(part.split(';').next().unwrap_or("")))
            .next()
    }
}

/// Every user-facing string. Templates use `{field}`, `{max}`, `{from}`, `{to}` placeholders.
pub struct Catalog {
    /// The words of casework (`casework`).
    pub case: &'static casework::CaseWords,
    /// The words of success stories (`story`).
    pub story: &'static story::StoryWords,
    /// The words of intake details (`intake`).
    pub intake: &'static intake::IntakeWords,
    /// The words of the reports area (`reports`).
    pub reports: &'static reports::ReportWords,
    pub app_name: &'static str,
    pub app_subtitle: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_cases: &'static str,
    pub nav_events: &'static str,
    pub nav_reports: &'static str,
    pub nav_admin: &'static str,
    /// The switch shows the *other* language's name in that language.
    pub switch_to_label: &'static str,
    pub switch_language_hint: &'static str,
    pub footer: &'static str,
    pub today: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub area_cases_desc: &'static str,
    pub area_events_desc: &'static str,
    pub area_reports_desc: &'static str,
    pub area_admin_desc: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,

    pub events_title: &'static str,
    pub events_new: &'static str,
    pub events_list: &'static str,
    pub events_empty: &'static str,
    pub field_title: &'static str,
    pub field_kind: &'static str,
    pub field_date: &'static str,
    pub field_venue: &'static str,
    pub field_target_group: &'static str,
    pub hint_title: &'static str,
    pub hint_date: &'static str,
    pub hint_venue: &'static str,
    pub choose: &'static str,
    pub date_reads_as: &'static str,
    pub submit_event: &'static str,
    pub saving: &'static str,
    pub saved_event: &'static str,
    pub form_has_errors: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,

    pub err_required: &'static str,
    pub err_not_chosen: &'static str,
    pub err_too_long: &'static str,
    pub err_not_a_date: &'static str,
    pub err_no_such_date: &'static str,
    pub err_outside_era: &'static str,
    pub err_date_out_of_range: &'static str,
    pub err_number_out_of_range: &'static str,
    pub err_already_exists: &'static str,
    pub err_unknown_choice: &'static str,
    pub err_network: &'static str,
    pub err_server: &'static str,
    pub err_bad_json: &'static str,
    /// A body sent without `Content-Type: application/json`.
    pub err_not_json: &'static str,
    pub err_too_many: &'static str,
    pub err_not_found: &'static str,
    pub err_conflict_id: &'static str,
    pub err_too_large: &'static str,
    pub err_internal: &'static str,
    pub err_validation: &'static str,

    pub kind_joint_interview: &'static str,
    pub kind_workplace_tour: &'static str,
    pub kind_seminar: &'static str,
    pub target_youth: &'static str,
    pub target_public_assistance: &'static str,
    pub target_housing_allowance: &'static str,
    pub target_single_mothers: &'static str,
    pub target_other_hardship: &'static str,
    pub target_everyone: &'static str,

    pub field_family_name: &'static str,
    pub field_given_name: &'static str,
    pub field_family_name_kana: &'static str,
    pub field_given_name_kana: &'static str,
    pub field_birth_date: &'static str,
    pub field_category: &'static str,
    pub field_phone: &'static str,
    pub field_method: &'static str,
    pub field_document_no: &'static str,
    pub field_granted_on: &'static str,
    pub field_login_id: &'static str,
    pub field_display_name: &'static str,
    pub field_organisation: &'static str,
    pub field_role: &'static str,
    pub field_password: &'static str,
    pub field_label: &'static str,
    pub field_event: &'static str,
    pub field_code: &'static str,
    pub hint_kana: &'static str,
    pub hint_birth_date: &'static str,
    pub hint_password: &'static str,
    pub err_not_kana: &'static str,
    pub err_not_a_phone: &'static str,
    pub err_bad_login_id: &'static str,
    pub err_weak_password: &'static str,
    pub err_guessable_password: &'static str,
    pub err_bad_characters: &'static str,
    pub err_nothing_visible: &'static str,
    pub err_bad_value: &'static str,
    pub err_unauthenticated: &'static str,
    pub err_forbidden: &'static str,
    pub err_cross_site: &'static str,
    pub err_login_failed: &'static str,
    pub err_throttled: &'static str,
    pub err_busy: &'static str,
    pub err_bad_query: &'static str,
    pub err_method_not_allowed: &'static str,
    pub err_timeout: &'static str,
    pub err_login_id_taken: &'static str,
    pub err_code_invalid: &'static str,
    pub login_title: &'static str,
    pub login_submit: &'static str,
    pub logout: &'static str,
    pub signed_in_as: &'static str,
    pub org_city: &'static str,
    pub org_hello_work: &'static str,
    pub role_counter: &'static str,
    pub role_manager: &'static str,
    pub role_admin: &'static str,
    pub method_signed_form: &'static str,
    pub method_verbal: &'static str,
    pub people_list: &'static str,
    pub people_empty: &'static str,
    pub people_new: &'static str,
    pub people_scope_note: &'static str,
    pub col_name: &'static str,
    pub col_owner: &'static str,
    pub col_consent: &'static str,
    pub consent_active: &'static str,
    pub consent_none: &'static str,
    pub consent_record: &'static str,
    pub consent_withdraw: &'static str,
    pub consent_withdrawn: &'static str,
    pub saved: &'static str,
    pub staff_title: &'static str,
    pub staff_new: &'static str,
    pub staff_disable: &'static str,
    pub staff_enable: &'static str,
    pub staff_reset_password: &'static str,
    pub status_active: &'static str,
    pub status_disabled: &'static str,
    pub devices_title: &'static str,
    pub device_new: &'static str,
    pub device_code_note: &'static str,
    pub device_revoke: &'static str,
    pub device_pending: &'static str,
    pub device_enrolled: &'static str,
    pub device_revoked: &'static str,
    pub audit_title: &'static str,
    pub audit_verify: &'static str,
    pub audit_ok: &'static str,
    pub audit_broken: &'static str,
    pub col_at: &'static str,
    pub col_actor: &'static str,
    pub col_action: &'static str,
    pub col_subject: &'static str,
    pub col_detail: &'static str,
    pub audit_filter: &'static str,
    pub vault_locked: &'static str,
    pub vault_locked_tablet: &'static str,
    pub vault_unlock: &'static str,
    pub vault_set_aside: &'static str,
    pub vault_sign_in_once: &'static str,
    pub vault_wrong: &'static str,
    pub vault_wiped: &'static str,
    pub audit_unanchored: &'static str,
    pub audit_actor_any: &'static str,
    pub audit_action_any: &'static str,
    pub audit_outcome_any: &'static str,
    pub audit_subject_hint: &'static str,
    pub audit_from: &'static str,
    pub audit_to: &'static str,
    pub audit_search: &'static str,
    pub audit_older: &'static str,
    pub audit_export: &'static str,
    pub audit_none: &'static str,
    pub col_outcome: &'static str,
    pub col_status: &'static str,
    pub col_actions: &'static str,
    pub outcome_ok: &'static str,
    pub outcome_denied: &'static str,
    pub err_update_app: &'static str,
    pub sync_invalid: &'static str,
    pub sync_refused_kind: &'static str,
    pub sync_bad_id: &'static str,
    pub sync_bad_seq: &'static str,
    pub sync_seq_reused: &'static str,
    pub sync_unreadable: &'static str,
    pub sync_store_failed: &'static str,
    pub sync_resynced: &'static str,
    pub sync_set_aside: &'static str,
    pub sync_too_large: &'static str,
    pub ev_import_file: &'static str,
    pub ev_import_sjis: &'static str,
    pub ev_import_not_text: &'static str,
    pub ev_import_malformed: &'static str,
    pub sync_not_visible: &'static str,
    pub sync_unknown_field: &'static str,
    pub sync_note_immutable: &'static str,
    pub sync_tablet_edit: &'static str,
    pub sync_wrong_event: &'static str,
    pub sync_no_person: &'static str,
    pub sync_online: &'static str,
    pub sync_offline: &'static str,
    pub sync_waiting: &'static str,
    pub sync_last: &'static str,
    pub sync_never: &'static str,
    pub sync_now: &'static str,
    pub sync_running: &'static str,
    pub sync_sending: &'static str,
    pub sync_receiving: &'static str,
    pub sync_failed_title: &'static str,
    pub sync_dismiss: &'static str,
    /// Shown when the page's code stopped (a part failed to load on a dropped connection).
    pub app_stopped: &'static str,
    pub app_stopped_reload: &'static str,
    pub sync_signin_needed: &'static str,
    pub sync_storage_full: &'static str,
    pub sync_unreachable: &'static str,
    pub sync_conflicts_found: &'static str,
    pub nav_intake: &'static str,
    pub intake_title: &'static str,
    pub intake_lead: &'static str,
    pub intake_saved: &'static str,
    pub intake_list: &'static str,
    pub intake_empty: &'static str,
    pub state_pending: &'static str,
    pub state_synced: &'static str,
    pub state_failed: &'static str,
    pub edit: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub note_add: &'static str,
    pub field_note_body: &'static str,
    pub notes_label: &'static str,
    pub nav_conflicts: &'static str,
    pub conflicts_lead: &'static str,
    pub conflicts_none: &'static str,
    pub conflict_kept: &'static str,
    pub conflict_other: &'static str,
    pub conflicts_count: &'static str,
    pub conflict_browser: &'static str,
    pub conflict_tablet: &'static str,
    pub conflict_unknown: &'static str,
    pub conflict_choose: &'static str,
    pub col_field: &'static str,
    pub col_record: &'static str,

    weekdays: [&'static str; 7],
    months: [&'static str; 12],
    date_style: DateStyle,
    pub sync_no_participant: &'static str,
    pub sync_no_employer: &'static str,
    pub field_capacity: &'static str,
    pub field_employer_name: &'static str,
    pub field_jobs: &'static str,
    pub field_outcome: &'static str,
    pub field_participant: &'static str,
    pub field_interests: &'static str,
    pub field_desired_work: &'static str,
    pub field_age_band: &'static str,
    pub field_decision: &'static str,
    pub err_event_over: &'static str,
    /// A sync push's device copy id and its changes (named only to hand-made requests).
    pub field_replica: &'static str,
    pub field_mutations: &'static str,
    pub hint_capacity: &'static str,
    pub hint_jobs: &'static str,
    pub age_under_20: &'static str,
    pub age_20s: &'static str,
    pub age_30s: &'static str,
    pub age_40s: &'static str,
    pub age_50s: &'static str,
    pub age_60_plus: &'static str,
    pub outcome_interview: &'static str,
    pub outcome_offer: &'static str,
    pub outcome_hired: &'static str,
    pub outcome_not_hired: &'static str,
    pub fair_title: &'static str,
    pub fair_enrol_title: &'static str,
    /// Around `{code}`, where the page puts an example code kept on one line.
    pub fair_enrol_help: &'static str,
    pub fair_enrol_button: &'static str,
    pub fair_enrol_failed: &'static str,
    pub fair_enrol_offline: &'static str,
    pub fair_tab_walkin: &'static str,
    pub fair_tab_checkin: &'static str,
    pub fair_tab_interviews: &'static str,
    pub fair_walkin_heading: &'static str,
    pub fair_birth_or_age: &'static str,
    pub fair_contact_ok: &'static str,
    pub fair_share_ok: &'static str,
    pub fair_next: &'static str,
    pub fair_confirm_heading: &'static str,
    pub fair_confirm_help: &'static str,
    pub fair_back: &'static str,
    pub fair_register: &'static str,
    pub fair_registered: &'static str,
    pub fair_next_person: &'static str,
    pub fair_search_label: &'static str,
    pub fair_search_hint: &'static str,
    pub fair_search_empty: &'static str,
    pub fair_no_match: &'static str,
    pub fair_check_in: &'static str,
    pub fair_checked_in: &'static str,
    pub fair_check_in_done: &'static str,
    pub fair_interview_heading: &'static str,
    pub fair_no_employers: &'static str,
    pub fair_no_participants: &'static str,
    pub fair_record_outcome: &'static str,
    pub fair_outcome_saved: &'static str,
    pub fair_outcomes_title: &'static str,
    pub fair_revoked: &'static str,
    pub fair_count_here: &'static str,
    pub fair_device_label: &'static str,
    pub ev_detail_link: &'static str,
    pub ev_employers: &'static str,
    pub ev_add_employer: &'static str,
    pub ev_employers_empty: &'static str,
    pub ev_counts: &'static str,
    pub ev_counts_note: &'static str,
    pub ev_admin_note: &'static str,
    pub count_registered: &'static str,
    pub count_checked_in: &'static str,
    pub count_interviews: &'static str,
    pub count_offers: &'static str,
    pub count_hires: &'static str,
    pub count_duplicates: &'static str,
    pub ev_duplicates: &'static str,
    pub ev_duplicates_empty: &'static str,
    pub dup_reason_kana_birth_date: &'static str,
    pub dup_reason_kana_phone: &'static str,
    pub dup_other_person: &'static str,
    pub dup_other_participant: &'static str,
    pub dup_merge: &'static str,
    pub dup_keep_apart: &'static str,
    pub dup_merged: &'static str,
    pub dup_kept_apart: &'static str,
    pub dup_survives: &'static str,
    pub dup_undo: &'static str,
    pub dup_registered: &'static str,
    pub dup_by_tablet: &'static str,
    pub dup_at_counter: &'static str,
    pub dup_undone: &'static str,
    pub ev_import: &'static str,
    pub ev_import_help: &'static str,
    pub ev_import_button: &'static str,
    pub ev_import_done: &'static str,
    pub ev_import_errors: &'static str,
    pub ev_import_line: &'static str,
    pub ev_participants: &'static str,
    pub ev_print_list: &'static str,
    pub ev_print_badges: &'static str,
    pub col_checked_in: &'static str,
    pub col_reading: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub fair_interests_other: &'static str,
    pub fair_interview_search_hint: &'static str,
    pub col_person: &'static str,
    pub ev_make_person: &'static str,
    pub ev_person_linked: &'static str,
}

enum DateStyle {
    /// 令和8年（2026年）11月27日（金）
    Japanese,
    /// Fri 27 Nov 2026 (Reiwa 8)
    English,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_headers() {
        assert_eq!(
            Lang::from_cookie_header("a=b; renkei_lang=en"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_cookie_header("renkei_lang=xx"), None);
        assert_eq!(Lang::from_cookie_header(""), None);
        assert_eq!(
            Lang::from_accept_language("fr-FR, en-US;q=0.8, ja;q=0.5"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("ja-JP,ja;q=0.9"), Some(Lang::Ja));
        assert_eq!(Lang::from_accept_language("de"), None);
    }
}
