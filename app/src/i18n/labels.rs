//! Labels of the domain's values and the sentence for a field's problem, in a catalogue's
//! language.

use super::Catalog;
use crate::domain::access::{Organisation, Role};
use crate::domain::event::{EventKind, TargetGroup};
use crate::domain::person::{ConsentMethod, SupportCategory};
use crate::domain::validation::{FieldError, Problem};
use crate::domain::wareki::DateInputError;

impl Catalog {
    pub fn event_kind(&self, kind: EventKind) -> &'static str {
        match kind {
            EventKind::JointInterview => self.kind_joint_interview,
            EventKind::WorkplaceTour => self.kind_workplace_tour,
            EventKind::Seminar => self.kind_seminar,
        }
    }

    pub fn organisation(&self, org: Organisation) -> &'static str {
        match org {
            Organisation::City => self.org_city,
            Organisation::HelloWork => self.org_hello_work,
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Counter => self.role_counter,
            Role::Manager => self.role_manager,
            Role::Admin => self.role_admin,
        }
    }

    pub fn support_category(&self, category: SupportCategory) -> &'static str {
        match category {
            SupportCategory::Youth => self.target_youth,
            SupportCategory::PublicAssistance => self.target_public_assistance,
            SupportCategory::HousingAllowance => self.target_housing_allowance,
            SupportCategory::SingleMothers => self.target_single_mothers,
            SupportCategory::OtherHardship => self.target_other_hardship,
        }
    }

    pub fn consent_method(&self, method: ConsentMethod) -> &'static str {
        match method {
            ConsentMethod::SignedForm => self.method_signed_form,
            ConsentMethod::Verbal => self.method_verbal,
        }
    }

    pub fn outcome(&self, outcome: crate::domain::event::FairOutcome) -> &'static str {
        use crate::domain::event::FairOutcome;
        match outcome {
            FairOutcome::Interview => self.outcome_interview,
            FairOutcome::Offer => self.outcome_offer,
            FairOutcome::Hired => self.outcome_hired,
            FairOutcome::NotHired => self.outcome_not_hired,
        }
    }

    pub fn age_band(&self, band: crate::domain::person::AgeBand) -> &'static str {
        use crate::domain::person::AgeBand;
        match band {
            AgeBand::Under20 => self.age_under_20,
            AgeBand::Twenties => self.age_20s,
            AgeBand::Thirties => self.age_30s,
            AgeBand::Forties => self.age_40s,
            AgeBand::Fifties => self.age_50s,
            AgeBand::SixtyPlus => self.age_60_plus,
        }
    }

    pub fn same_reason(&self, code: &str) -> &'static str {
        match code {
            "kana_phone" => self.dup_reason_kana_phone,
            _ => self.dup_reason_kana_birth_date,
        }
    }

    pub fn target_group(&self, group: TargetGroup) -> &'static str {
        match group {
            TargetGroup::Youth => self.target_youth,
            TargetGroup::PublicAssistance => self.target_public_assistance,
            TargetGroup::HousingAllowance => self.target_housing_allowance,
            TargetGroup::SingleMothers => self.target_single_mothers,
            TargetGroup::OtherHardship => self.target_other_hardship,
            TargetGroup::Everyone => self.target_everyone,
        }
    }

    /// The label of an API field name, for messages that name the field.
    pub fn field_label(&self, field: &str) -> &'static str {
        match field {
            "title" => self.field_title,
            "kind" => self.field_kind,
            "date" => self.field_date,
            "venue" => self.field_venue,
            "target_group" => self.field_target_group,
            "family_name" => self.field_family_name,
            "given_name" => self.field_given_name,
            "family_name_kana" => self.field_family_name_kana,
            "given_name_kana" => self.field_given_name_kana,
            "birth_date" => self.field_birth_date,
            "category" => self.field_category,
            "phone" => self.field_phone,
            "method" => self.field_method,
            "document_no" => self.field_document_no,
            "granted_on" => self.field_granted_on,
            "login_id" => self.field_login_id,
            "display_name" => self.field_display_name,
            "organisation" => self.field_organisation,
            "role" => self.field_role,
            "password" => self.field_password,
            "label" => self.field_label,
            "event_id" => self.field_event,
            "code" => self.field_code,
            "body" => self.field_note_body,
            "person_id" => self.col_name,
            "capacity" => self.field_capacity,
            "name" => self.field_employer_name,
            "jobs" => self.field_jobs,
            "outcome" => self.field_outcome,
            "participant_id" => self.field_participant,
            "employer_id" => self.field_employer_name,
            "interests" => self.field_interests,
            "desired_work" => self.field_desired_work,
            "age_band" => self.field_age_band,
            "decision" => self.field_decision,
            "from" => self.audit_from,
            "to" => self.audit_to,
            "replica" => self.field_replica,
            "mutations" => self.field_mutations,
            other => self
                .intake
                .field(other)
                .or_else(|| self.case.field(other))
                .or_else(|| self.reports.field(other))
                .unwrap_or("?"),
        }
    }

    /// A sentence naming the field and saying what to fix.
    pub fn field_message(&self, error: &FieldError) -> String {
        let template = match error.problem {
            Problem::Required => self.err_required,
            Problem::NotChosen => self.err_not_chosen,
            Problem::TooLong { .. } => self.err_too_long,
            Problem::TooMany { .. } => self.err_too_many,
            Problem::NotADate(DateInputError::NoSuchDate) => self.err_no_such_date,
            Problem::NotADate(DateInputError::OutsideEra) => self.err_outside_era,
            Problem::NotADate(_) => self.err_not_a_date,
            Problem::DateOutOfRange { .. } => self.err_date_out_of_range,
            Problem::NumberOutOfRange { .. } => self.err_number_out_of_range,
            Problem::UnknownChoice => self.err_unknown_choice,
            Problem::NotKana => self.err_not_kana,
            Problem::NotAPhone => self.err_not_a_phone,
            Problem::BadLoginId => self.err_bad_login_id,
            Problem::WeakPassword { .. } => self.err_weak_password,
            Problem::AlreadyExists => self.err_already_exists,
            Problem::Identifying => self.case.err_identifying,
            Problem::CannotMerge => self.intake.err_cannot_merge,
            Problem::GuessablePassword => self.err_guessable_password,
            Problem::BadCharacters => self.err_bad_characters,
            Problem::NothingVisible => self.err_nothing_visible,
            Problem::BadValue => self.err_bad_value,
            Problem::BeforeAsked => self.reports.err_before_asked,
            Problem::AfterMeeting => self.reports.err_after_meeting,
            Problem::InFuture => self.reports.err_in_future,
            Problem::EventOver => self.err_event_over,
            Problem::BirthDateOrAgeBand => self.fair_birth_or_age,
        };
        let (a, b) = match error.problem {
            Problem::TooLong { max } | Problem::TooMany { max } => (max.to_string(), String::new()),
            Problem::DateOutOfRange { from_year, to_year } => {
                (from_year.to_string(), to_year.to_string())
            }
            Problem::NumberOutOfRange { min, max } => (min.to_string(), max.to_string()),
            Problem::WeakPassword { min } => (min.to_string(), String::new()),
            _ => (String::new(), String::new()),
        };
        template
            .replace("{field}", self.field_label(error.field))
            .replace("{max}", &a)
            .replace("{min}", &a)
            .replace("{from}", &a)
            .replace("{to}", &b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn field_messages_name_the_field() {
        let ja = Lang::Ja.catalog();
        let msg = |field, problem| ja.field_message(&FieldError { field, problem });
        assert_eq!(msg("venue", Problem::Required), "会場を入力してください。");
        assert_eq!(
            msg("title", Problem::TooLong { max: 100 }),
            "名称は100文字以内で入力してください。"
        );
        assert!(msg("date", Problem::NotADate(DateInputError::Unrecognised)).contains("開催日"));
        let en = Lang::En.catalog();
        assert_eq!(
            en.field_message(&FieldError {
                field: "venue",
                problem: Problem::Required
            }),
            "Venue is required."
        );
    }
}
