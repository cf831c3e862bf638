//! The steering council (運営協議会): the register of requests made under the agreement between
//! the mayor and the director of the labour bureau (協定に基づく要望 — either side may ask, the
//! other answers in good faith), and the council's meetings with the report they were given.

use serde::{Deserialize, Serialize};

use super::date::CivilDate;
use super::validation::{Errors, FieldError, Problem};
use super::wareki::parse_date_input;

/// Who asked: the mayor (市) or the director of the labour bureau (労働局).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Side {
    City,
    LabourBureau,
}

impl Side {
    pub const ALL: [Side; 2] = [Self::City, Self::LabourBureau];

    pub fn code(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::LabourBureau => "labour_bureau",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The side the request is made to.
    pub fn other(self) -> Side {
        match self {
            Self::City => Self::LabourBureau,
            Self::LabourBureau => Self::City,
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Status {
    /// 受付（未回答）
    Open,
    /// 誠実に対応中
    InProgress,
    /// 回答済
    Answered,
    /// 取下げ
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Self::Open,
        Self::InProgress,
        Self::Answered,
        Self::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::InProgress => "in_progress",
            Self::Answered => "answered",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still waiting for the other side.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }
}

/// A pending request past its due date (the day after it, in Japan) is overdue.
pub fn is_overdue(status: Status, due_on: Option<CivilDate>, today: CivilDate) -> bool {
    status.is_pending() && due_on.is_some_and(|due| due < today)
}

pub const SUBJECT_MAX: usize = 100;
pub const DETAIL_MAX: usize = 2000;
pub const MEMBERS_MAX: usize = 2000;

/// A request as typed, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDraft {
    pub asked_by: String,
    pub subject: String,
    pub detail: String,
    pub asked_on: String,
    pub due_on: String,
    pub answer: String,
    pub answered_on: String,
    pub status: String,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub asked_by: Side,
    pub subject: String,
    pub detail: String,
    pub asked_on: CivilDate,
    pub due_on: Option<CivilDate>,
    pub answer: String,
    pub answered_on: Option<CivilDate>,
    pub status: Status,
}

fn date(
    errors: &mut Errors,
    field: &'static str,
    raw: &str,
    today: CivilDate,
) -> Option<CivilDate> {
    match parse_date_input(raw) {
        _ if raw.trim().is_empty() => None,
        Err(e) => {
            errors.add(field, Problem::NotADate(e));
            None
        }
        Ok(d) if d.year() < super::plan::FIRST_YEAR || d > today.add_days(3 * 366) => {
            errors.add(
                field,
                Problem::DateOutOfRange {
                    from_year: super::plan::FIRST_YEAR,
                    to_year: today.year() + 3,
                },
            );
            None
        }
        Ok(d) => Some(d),
    }
}

/// Checks a request: who asked, a subject, the day asked (not in the future), an optional due
/// date and answer; 回答済 needs the answer and its day, neither before the day asked.
pub fn validate_request(
    draft: &RequestDraft,
    today: CivilDate,
) -> Result<NewRequest, Vec<FieldError>> {
    let mut errors = Errors::default();
    let asked_by = errors.choice("asked_by", &draft.asked_by, Side::from_code);
    let subject = errors.required_line("subject", &draft.subject, SUBJECT_MAX);
    let detail = errors.text_block("detail", &draft.detail, DETAIL_MAX, false);
    let asked_on = date(&mut errors, "asked_on", &draft.asked_on, today);
    if draft.asked_on.trim().is_empty() {
        errors.add("asked_on", Problem::Required);
    } else if asked_on.is_some_and(|d| d > today) {
        errors.add(
            "asked_on",
            Problem::DateOutOfRange {
                from_year: super::plan::FIRST_YEAR,
                to_year: today.year(),
            },
        );
    }
    let due_on = date(&mut errors, "due_on", &draft.due_on, today);
    let answer = errors.text_block("answer", &draft.answer, DETAIL_MAX, false);
    let answered_on = date(&mut errors, "answered_on", &draft.answered_on, today);
    let status = errors.choice("status", &draft.status, Status::from_code);
    let before_asked = |d: Option<CivilDate>| matches!((asked_on, d), (Some(a), Some(d)) if d < a);
    if before_asked(due_on) {
        errors.add("due_on", Problem::BeforeAsked);
    }
    if before_asked(answered_on) {
        errors.add("answered_on", Problem::BeforeAsked);
    } else if answered_on.is_some_and(|d| d > today) {
        errors.add("answered_on", Problem::InFuture);
    }
    if status == Some(Status::Answered) {
        if answer.is_empty() {
            errors.add("answer", Problem::Required);
        }
        if draft.answered_on.trim().is_empty() {
            errors.add("answered_on", Problem::Required);
        }
    }
    errors.finish(|| NewRequest {
        asked_by: asked_by.expect("checked"),
        subject,
        detail,
        asked_on: asked_on.expect("checked"),
        due_on,
        answer,
        answered_on,
        status: status.expect("checked"),
    })
}

/// A council meeting as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingDraft {
    pub held_on: String,
    pub members: String,
    /// The day the report's figures are counted to; the end of the month before the meeting
    /// when empty.
    pub as_of: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMeeting {
    pub held_on: CivilDate,
    pub members: String,
    pub as_of: CivilDate,
}

pub fn validate_meeting(
    draft: &MeetingDraft,
    today: CivilDate,
) -> Result<NewMeeting, Vec<FieldError>> {
    let mut errors = Errors::default();
    let held_on = date(&mut errors, "held_on", &draft.held_on, today);
    if draft.held_on.trim().is_empty() {
        errors.add("held_on", Problem::Required);
    }
    let members = errors.text_block("members", &draft.members, MEMBERS_MAX, true);
    let as_of = date(&mut errors, "as_of", &draft.as_of, today);
    let as_of = match (as_of, held_on) {
        (Some(a), Some(h)) if a > h => {
            errors.add("as_of", Problem::AfterMeeting);
            None
        }
        (Some(a), _) => Some(a),
        (None, Some(h)) => Some(
            CivilDate::new(h.year(), h.month(), 1)
                .expect("a month")
                .add_days(-1),
        ),
        (None, None) => None,
    };
    // The figures are counted to a day already over, in a year plans are made for.
    let as_of = match as_of {
        Some(a) if a > today => {
            errors.add("as_of", Problem::InFuture);
            None
        }
        Some(a) if a.fiscal_year() < super::plan::FIRST_YEAR => {
            errors.add(
                "as_of",
                Problem::DateOutOfRange {
                    from_year: super::plan::FIRST_YEAR,
                    to_year: today.year(),
                },
            );
            None
        }
        other => other,
    };
    errors.finish(|| NewMeeting {
        held_on: held_on.expect("checked"),
        members,
        as_of: as_of.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> CivilDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_request_is_overdue_only_while_pending_and_past_its_due_date() {
        let today = d("2026-11-29");
        // (status, due, overdue)
        let cases = [
            (Status::Open, Some("2026-11-28"), true),
            (Status::InProgress, Some("2026-11-28"), true),
            (Status::Open, Some("2026-11-29"), false),
            (Status::Open, None, false),
            (Status::Answered, Some("2026-01-01"), false),
            (Status::Withdrawn, Some("2026-01-01"), false),
        ];
        for (status, due, overdue) in cases {
            assert_eq!(
                is_overdue(status, due.map(d), today),
                overdue,
                "{status:?} {due:?}"
            );
        }
    }

    #[test]
    fn a_request_names_each_field_that_is_wrong() {
        let today = d("2026-11-29");
        let ok = RequestDraft {
            asked_by: "labour_bureau".into(),
            subject: "求人情報端末の増設".into(),
            detail: "窓口の混雑に対応するため\n\n端末を1台増やしたい".into(),
            asked_on: "令和8年10月1日".into(),
            due_on: "2026-12-31".into(),
            status: "in_progress".into(),
            ..Default::default()
        };
        let r = validate_request(&ok, today).unwrap();
        assert_eq!(
            (r.asked_by, r.asked_on, r.status),
            (Side::LabourBureau, d("2026-10-01"), Status::InProgress)
        );
        assert_eq!(r.detail, "窓口の混雑に対応するため\n\n端末を1台増やしたい");
        // (what changes, the fields named)
        let cases: [(RequestDraft, &[&str]); 4] = [
            (
                RequestDraft {
                    asked_by: "mayor".into(),
                    subject: " ".into(),
                    ..ok.clone()
                },
                &["asked_by", "subject"],
            ),
            (
                RequestDraft {
                    asked_on: "2026-12-01".into(),
                    due_on: "2026-09-01".into(),
                    ..ok.clone()
                },
                &["asked_on", "due_on"],
            ),
            (
                RequestDraft {
                    due_on: "2026-09-01".into(),
                    ..ok.clone()
                },
                &["due_on"],
            ),
            (
                RequestDraft {
                    status: "answered".into(),
                    ..ok.clone()
                },
                &["answer", "answered_on"],
            ),
        ];
        for (draft, fields) in cases {
            let named: Vec<&str> = validate_request(&draft, today)
                .unwrap_err()
                .iter()
                .map(|e| e.field)
                .collect();
            assert_eq!(named, fields, "{draft:?}");
        }
    }

    #[test]
    fn a_meeting_reports_by_default_to_the_end_of_the_month_before() {
        let today = d("2026-11-29");
        let m = validate_meeting(
            &MeetingDraft {
                held_on: "平成24年10月18日".into(),
                members: "市長（会長）\n労働局長".into(),
                as_of: "".into(),
            },
            today,
        )
        .unwrap();
        assert_eq!((m.held_on, m.as_of), (d("2012-10-18"), d("2012-09-30")));
        let err = validate_meeting(
            &MeetingDraft {
                held_on: "2012-10-18".into(),
                members: "".into(),
                as_of: "2012-10-31".into(),
            },
            today,
        )
        .unwrap_err();
        let named: Vec<&str> = err.iter().map(|e| e.field).collect();
        assert_eq!(named, ["members", "as_of"]);
    }
}
