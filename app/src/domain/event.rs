//! Events the corner runs: joint interview fairs (合同面接会), workplace tours (職場見学会),
//! seminars. The fiscal-year report counts fairs and their participants, so each event has a
//! kind and a target group from fixed lists, not free text.

use serde::{Deserialize, Serialize};

use super::date::CivilDate;
use super::validation::{Errors, FieldError, Problem};
use super::wareki::parse_date_input;

/// The kinds of event named in the corner's business plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// 合同面接会: several employers interview job seekers on one day.
    JointInterview,
    /// 職場見学会: a visit to a workplace.
    WorkplaceTour,
    /// セミナー: a seminar or workshop.
    Seminar,
}

impl EventKind {
    pub const ALL: [EventKind; 3] = [Self::JointInterview, Self::WorkplaceTour, Self::Seminar];

    /// The stable code used in the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::JointInterview => "joint_interview",
            Self::WorkplaceTour => "workplace_tour",
            Self::Seminar => "seminar",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Who an event is for (支援対象者 in the program's terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum TargetGroup {
    /// 若年者
    Youth,
    /// 生活保護受給者
    PublicAssistance,
    /// 住宅手当受給者
    HousingAllowance,
    /// 母子家庭の母（児童扶養手当受給者）
    SingleMothers,
    /// その他の生活困窮者
    OtherHardship,
    /// 支援対象者全般
    Everyone,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 6] = [
        Self::Youth,
        Self::PublicAssistance,
        Self::HousingAllowance,
        Self::SingleMothers,
        Self::OtherHardship,
        Self::Everyone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Youth => "youth",
            Self::PublicAssistance => "public_assistance",
            Self::HousingAllowance => "housing_allowance",
            Self::SingleMothers => "single_mothers",
            Self::OtherHardship => "other_hardship",
            Self::Everyone => "everyone",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// An event as typed into the form or sent to the API, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventDraft {
    pub title: String,
    pub kind: String,
    pub date: String,
    pub venue: String,
    pub target_group: String,
    /// 定員: empty for none, else a whole number (full-width digits accepted).
    pub capacity: String,
}

/// A validated event, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    pub kind: EventKind,
    pub date: CivilDate,
    pub venue: String,
    pub target_group: TargetGroup,
    pub capacity: Option<u32>,
}

pub const TITLE_MAX: usize = 100;
pub const VENUE_MAX: usize = 100;
/// Events are recorded from before the corner opened (2011) for reference, and planned ahead;
/// a year outside this window is a typing mistake.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

/// Checks every field and reports all problems at once.
pub fn validate(draft: &EventDraft) -> Result<NewEvent, Vec<FieldError>> {
    let mut errors = Errors::default();
    let title = errors.required_line("title", &draft.title, TITLE_MAX);
    let kind = errors.choice("kind", &draft.kind, EventKind::from_code);
    let date = match parse_date_input(&draft.date) {
        Ok(date) if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) => Some(date),
        Ok(_) => {
            errors.add(
                "date",
                Problem::DateOutOfRange {
                    from_year: FIRST_YEAR,
                    to_year: LAST_YEAR,
                },
            );
            None
        }
        Err(super::wareki::DateInputError::Empty) => {
            errors.add("date", Problem::Required);
            None
        }
        Err(e) => {
            errors.add("date", Problem::NotADate(e));
            None
        }
    };
    let venue = errors.required_line("venue", &draft.venue, VENUE_MAX);
    let target_group = errors.choice("target_group", &draft.target_group, TargetGroup::from_code);
    let capacity = errors.optional_number("capacity", &draft.capacity, 1, CAPACITY_MAX);
    errors.finish(|| NewEvent {
        title,
        kind: kind.expect("checked"),
        date: date.expect("checked"),
        venue,
        target_group: target_group.expect("checked"),
        capacity: capacity.map(|c| c as u32),
    })
}

pub const CAPACITY_MAX: i64 = 10_000;
pub const EMPLOYER_NAME_MAX: usize = 100;
pub const JOBS_MAX: usize = 500;

/// An employer taking part in a fair, as typed: its name and the jobs it offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmployerDraft {
    pub name: String,
    pub jobs: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmployer {
    pub name: String,
    pub jobs: String,
}

pub fn validate_employer(draft: &EmployerDraft) -> Result<NewEmployer, Vec<FieldError>> {
    let mut errors = Errors::default();
    let name = errors.required_line("name", &draft.name, EMPLOYER_NAME_MAX);
    let jobs = errors.optional_line("jobs", &draft.jobs, JOBS_MAX);
    errors.finish(|| NewEmployer { name, jobs })
}

/// Where an interview at a fair stands (面接 → 内定 → 採用, or 不採用).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum FairOutcome {
    /// 面接: interviewed, no answer yet.
    Interview,
    /// 内定: offered.
    Offer,
    /// 採用: hired (a placement attributed to the fair).
    Hired,
    /// 不採用: not hired.
    NotHired,
}

impl FairOutcome {
    pub const ALL: [FairOutcome; 4] = [Self::Interview, Self::Offer, Self::Hired, Self::NotHired];

    pub fn code(self) -> &'static str {
        match self {
            Self::Interview => "interview",
            Self::Offer => "offer",
            Self::Hired => "hired",
            Self::NotHired => "not_hired",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wareki::DateInputError;

    fn draft() -> EventDraft {
        EventDraft {
            title: "若年者就労面接会".into(),
            kind: "joint_interview".into(),
            date: "令和8年12月3日".into(),
            venue: "市役所 本庁舎 1階 多目的ホール".into(),
            target_group: "youth".into(),
            capacity: String::new(),
        }
    }

    #[test]
    fn accepts_a_complete_event_and_cleans_it() {
        let mut d = draft();
        d.venue = "  市役所　本庁舎  ".into();
        let ev = validate(&d).unwrap();
        assert_eq!(ev.date.to_string(), "2026-12-03");
        assert_eq!(ev.venue, "市役所 本庁舎");
        assert_eq!(ev.kind, EventKind::JointInterview);
        assert_eq!(ev.target_group, TargetGroup::Youth);
    }

    #[test]
    fn reports_every_bad_field() {
        type Breaker = fn(&mut EventDraft);
        let cases: Vec<(Breaker, &str, Problem)> = vec![
            (|d| d.title = " ".into(), "title", Problem::Required),
            (
                |d| d.title = "あ".repeat(101),
                "title",
                Problem::TooLong { max: 100 },
            ),
            (|d| d.kind = "party".into(), "kind", Problem::UnknownChoice),
            (|d| d.kind = "".into(), "kind", Problem::NotChosen),
            (|d| d.date = "".into(), "date", Problem::Required),
            (
                |d| d.date = "2026-02-30".into(),
                "date",
                Problem::NotADate(DateInputError::NoSuchDate),
            ),
            (
                |d| d.date = "1999-12-31".into(),
                "date",
                Problem::DateOutOfRange {
                    from_year: 2000,
                    to_year: 2100,
                },
            ),
            (|d| d.venue = "".into(), "venue", Problem::Required),
            (
                |d| d.target_group = "aliens".into(),
                "target_group",
                Problem::UnknownChoice,
            ),
        ];
        for (break_it, field, problem) in cases {
            let mut d = draft();
            break_it(&mut d);
            assert_eq!(
                validate(&d),
                Err(vec![FieldError { field, problem }]),
                "{field}"
            );
        }
    }

    #[test]
    fn an_empty_form_names_all_required_fields() {
        let errs = validate(&EventDraft::default()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "kind", "date", "venue", "target_group"]);
        let problems: Vec<_> = errs.iter().map(|e| e.problem).collect();
        use Problem::{NotChosen, Required};
        assert_eq!(
            problems,
            [Required, NotChosen, Required, Required, NotChosen]
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Some(k));
        }
        for g in TargetGroup::ALL {
            assert_eq!(TargetGroup::from_code(g.code()), Some(g));
        }
    }
}
