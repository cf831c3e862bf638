//! Casework after intake: the choices a case entry is made of, as the corner names them — the
//! type of a note, the staff's job role, a referral's result, a placement's employment type and
//! route, a follow-up's result — and the dates entries carry. Labels live in
//! `i18n::casework`; the records themselves in `sync::kinds` (one module per kind).

use super::access::Organisation;
use super::date::CivilDate;
use super::validation::{Errors, Problem};
use super::wareki::parse_date_input;

/// A closed list of choices stored by a stable code.
macro_rules! choices {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.code() == code)
            }
        }
    };
}

choices! {
    /// 支援経過の種類: how the corner records its work. The first two are the statutory work of
    /// each side (福祉サービス・相談 by the city, 職業相談・職業紹介 by Hello Work).
    NoteType {
        WelfareConsultation = "welfare_consultation",
        JobConsultation = "job_consultation",
        Interview = "interview",
        Childcare = "childcare",
        Training = "training",
        Accompany = "accompany",
        Phone = "phone",
        Other = "other",
    }
}

choices! {
    /// The staff member's job role in the corner (not a system role: it grants nothing).
    JobRole {
        SupportWorker = "support_worker",
        Navigator = "navigator",
        JobNavi = "job_navi",
        Counsellor = "counsellor",
    }
}

impl JobRole {
    /// The organisation whose staff hold this role (就労支援員・ナビゲーター: the city;
    /// 就職支援ナビ・職業相談員: Hello Work).
    pub fn organisation(self) -> Organisation {
        match self {
            JobRole::SupportWorker | JobRole::Navigator => Organisation::City,
            JobRole::JobNavi | JobRole::Counsellor => Organisation::HelloWork,
        }
    }
}

choices! {
    /// 職業紹介の結果.
    ReferralResult {
        Pending = "pending",
        Hired = "hired",
        NotHired = "not_hired",
        Declined = "declined",
    }
}

choices! {
    /// 雇用形態.
    EmploymentType {
        Regular = "regular",
        Contract = "contract",
        PartTime = "part_time",
        Dispatch = "dispatch",
        Other = "other",
    }
}

choices! {
    /// How a placement came about: 紹介就職 (through a Hello Work referral), 自己就職 (found by
    /// the person), or at a fair (attributed to that fair).
    PlacementRoute {
        Referral = "referral",
        SelfFound = "self_found",
        Fair = "fair",
    }
}

choices! {
    /// 定着支援の結果.
    FollowUpResult {
        Working = "working",
        Struggling = "struggling",
        ChangedJob = "changed_job",
        Left = "left",
        Unreachable = "unreachable",
    }
}

choices! {
    /// 抱える課題: the challenges across welfare and work an assessment names.
    Challenge {
        Childcare = "childcare",
        Health = "health",
        Housing = "housing",
        Debt = "debt",
        Skills = "skills",
        Language = "language",
        Care = "care",
        Other = "other",
    }
}

choices! {
    /// How the person can get to work.
    CommuteMeans {
        Walk = "walk",
        Bicycle = "bicycle",
        PublicTransport = "public_transport",
        Car = "car",
    }
}

choices! {
    /// Where a case stands: 受付 → アセスメント → プラン作成 → 支援中 → 就職 → 定着支援 → 終結.
    /// Worked out from the case's entries (`sync::case_view::status`), so it never disagrees
    /// with them.
    CaseStatus {
        Intake = "intake",
        Assessment = "assessment",
        Planning = "planning",
        Support = "support",
        Placed = "placed",
        Retention = "retention",
        Closed = "closed",
    }
}

/// The months after a placement at which its retention follow-ups (定着支援) fall due.
pub const FOLLOW_UP_MONTHS: [u8; 3] = [1, 3, 6];

/// The day a follow-up `months` after `placed_on` falls due: the same day of that month, or its
/// last day (placed 1/31 → due 2/28 or 2/29).
pub fn follow_up_due(placed_on: CivilDate, months: u8) -> CivilDate {
    let index = placed_on.year() * 12 + i32::from(placed_on.month()) - 1 + i32::from(months);
    let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8);
    let day = placed_on.day().min(super::date::days_in_month(year, month));
    CivilDate::new(year, month, day).expect("a day within the month")
}

/// The first year a case entry may be dated (the corner opened in 2011).
pub const FIRST_YEAR: i32 = 2011;

/// Checks an entry's date (和暦 or western): from 2011 to a year from `today`.
pub fn entry_date(
    errors: &mut Errors,
    field: &'static str,
    raw: &str,
    today: CivilDate,
) -> Option<CivilDate> {
    let latest = today.add_days(366);
    match parse_date_input(raw) {
        _ if raw.trim().is_empty() => {
            errors.add(field, Problem::Required);
            None
        }
        Err(e) => {
            errors.add(field, Problem::NotADate(e));
            None
        }
        Ok(date) if date > latest || date.year() < FIRST_YEAR => {
            errors.add(
                field,
                Problem::DateOutOfRange {
                    from_year: FIRST_YEAR,
                    to_year: latest.year(),
                },
            );
            None
        }
        Ok(date) => Some(date),
    }
}

/// Checks an entry's date that may be left empty.
pub fn optional_entry_date(
    errors: &mut Errors,
    field: &'static str,
    raw: &str,
    today: CivilDate,
) -> Option<CivilDate> {
    if raw.trim().is_empty() {
        return None;
    }
    entry_date(errors, field, raw, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> CivilDate {
        s.parse().unwrap()
    }

    #[test]
    fn follow_ups_fall_due_on_the_same_day_or_the_months_last() {
        assert_eq!(follow_up_due(d("2026-11-20"), 1), d("2026-12-20"));
        assert_eq!(follow_up_due(d("2026-11-20"), 3), d("2027-02-20"));
        assert_eq!(follow_up_due(d("2027-01-31"), 1), d("2027-02-28"));
        assert_eq!(follow_up_due(d("2027-08-31"), 6), d("2028-02-29"));
        assert_eq!(follow_up_due(d("2026-12-01"), 6), d("2027-06-01"));
    }

    #[test]
    fn codes_read_back_and_roles_belong_to_their_side() {
        for t in NoteType::ALL {
            assert_eq!(NoteType::from_code(t.code()), Some(*t));
        }
        assert_eq!(
            PlacementRoute::from_code("fair"),
            Some(PlacementRoute::Fair)
        );
        assert_eq!(EmploymentType::from_code("正社員"), None);
        assert_eq!(JobRole::JobNavi.organisation(), Organisation::HelloWork);
        assert_eq!(JobRole::Navigator.organisation(), Organisation::City);
    }

    #[test]
    fn entry_dates_take_wareki_and_refuse_the_far_future() {
        let today = d("2026-11-29");
        let mut errors = Errors::default();
        assert_eq!(
            entry_date(&mut errors, "placed_on", "令和8年11月20日", today),
            Some(d("2026-11-20"))
        );
        assert_eq!(
            entry_date(&mut errors, "placed_on", "2030-01-01", today),
            None
        );
        assert_eq!(entry_date(&mut errors, "placed_on", " ", today), None);
        assert_eq!(
            optional_entry_date(&mut errors, "result_on", "", today),
            None
        );
        let problems: Vec<Problem> = errors
            .finish(|| ())
            .unwrap_err()
            .iter()
            .map(|e| e.problem)
            .collect();
        assert_eq!(
            problems,
            [
                Problem::DateOutOfRange {
                    from_year: 2011,
                    to_year: 2027
                },
                Problem::Required
            ]
        );
    }
}
