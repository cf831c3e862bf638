//! People the corner supports, and people registered at an event: names in kanji and their
//! reading (フリガナ), birth date (和暦 or western), category, phone.
//!
//! Never a My Number (個人番号): there is no field for it anywhere.

use serde::{Deserialize, Serialize};

use super::date::CivilDate;
use super::text::{fold_kana, fold_width, is_katakana_reading, name_key};
use super::validation::{Errors, FieldError, Problem};
use super::wareki::{DateInputError, parse_date_input};

pub use super::category::SupportCategory;

pub const NAME_MAX: usize = 50;
pub use super::validation::PHONE_DIGITS;

/// A name and its reading as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameDraft {
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
}

/// A checked name: kanji (or whatever script the person uses) and katakana reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub family_name: String,
    pub given_name: String,
    pub family_name_kana: String,
    pub given_name_kana: String,
}

fn check_name(errors: &mut Errors, draft: &NameDraft) -> Name {
    let family_name = errors.required_line("family_name", &draft.family_name, NAME_MAX);
    let given_name = errors.required_line("given_name", &draft.given_name, NAME_MAX);
    let mut kana = |field: &'static str, raw: &str| {
        let folded = fold_kana(raw);
        if folded.is_empty() {
            errors.add(field, Problem::Required);
        } else if folded.chars().count() > NAME_MAX {
            errors.add(field, Problem::TooLong { max: NAME_MAX });
        } else if !is_katakana_reading(&folded) {
            errors.add(field, Problem::NotKana);
        }
        folded
    };
    let family_name_kana = kana("family_name_kana", &draft.family_name_kana);
    let given_name_kana = kana("given_name_kana", &draft.given_name_kana);
    Name {
        family_name,
        given_name,
        family_name_kana,
        given_name_kana,
    }
}

/// An optional birth date, typed in 和暦 or western form, not in the future and not before 1900.
fn check_birth_date(errors: &mut Errors, raw: &str, today: CivilDate) -> Option<CivilDate> {
    match parse_date_input(raw) {
        Err(DateInputError::Empty) => None,
        Err(e) => {
            errors.add("birth_date", Problem::NotADate(e));
            None
        }
        Ok(date) if date > today || date.year() < 1900 => {
            errors.add(
                "birth_date",
                Problem::DateOutOfRange {
                    from_year: 1900,
                    to_year: today.year(),
                },
            );
            None
        }
        Ok(date) => Some(date),
    }
}

/// A person as typed at intake.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDraft {
    pub name: NameDraft,
    pub birth_date: String,
    pub category: String,
    pub details: super::intake::IntakeDraft,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub name: Name,
    pub birth_date: Option<CivilDate>,
    pub category: SupportCategory,
    pub details: super::intake::IntakeDetails,
}

pub fn validate_person(
    draft: &PersonDraft,
    today: CivilDate,
) -> Result<NewPerson, Vec<FieldError>> {
    let mut errors = Errors::default();
    let name = check_name(&mut errors, &draft.name);
    let birth_date = check_birth_date(&mut errors, &draft.birth_date, today);
    let category = errors.choice("category", &draft.category, SupportCategory::from_code);
    let details = super::intake::validate_details(&mut errors, &draft.details, category);
    errors.finish(|| NewPerson {
        name,
        birth_date,
        category: category.expect("checked"),
        details,
    })
}

/// Someone registered at an event, as typed on a tablet or at the counter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParticipantDraft {
    pub name: NameDraft,
    pub birth_date: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewParticipant {
    pub name: Name,
    pub birth_date: Option<CivilDate>,
    pub phone: Option<String>,
}

pub fn validate_participant(
    draft: &ParticipantDraft,
    today: CivilDate,
) -> Result<NewParticipant, Vec<FieldError>> {
    let mut errors = Errors::default();
    let name = check_name(&mut errors, &draft.name);
    let birth_date = check_birth_date(&mut errors, &draft.birth_date, today);
    let phone = super::validation::check_phone(&mut errors, &draft.phone);
    errors.finish(|| NewParticipant {
        name,
        birth_date,
        phone,
    })
}

/// An age group, for a walk-in who would rather not give a birth date (年代).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Under20,
    Twenties,
    Thirties,
    Forties,
    Fifties,
    SixtyPlus,
}

impl AgeBand {
    pub const ALL: [AgeBand; 6] = [
        Self::Under20,
        Self::Twenties,
        Self::Thirties,
        Self::Forties,
        Self::Fifties,
        Self::SixtyPlus,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Under20 => "under_20",
            Self::Twenties => "20s",
            Self::Thirties => "30s",
            Self::Forties => "40s",
            Self::Fifties => "50s",
            Self::SixtyPlus => "60_plus",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.code() == code)
    }
}

/// How a consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ConsentMethod {
    /// A signed 承諾書, identified by its number.
    SignedForm,
    /// Given verbally to a staff member, who records it.
    Verbal,
}

impl ConsentMethod {
    pub fn code(self) -> &'static str {
        match self {
            Self::SignedForm => "signed_form",
            Self::Verbal => "verbal",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::SignedForm, Self::Verbal]
            .into_iter()
            .find(|m| m.code() == code)
    }
}

pub const DOCUMENT_NO_MAX: usize = 30;

/// A consent as typed: method, 承諾書 number (required for a signed form), date given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentDraft {
    pub method: String,
    pub document_no: String,
    pub granted_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    pub method: ConsentMethod,
    pub document_no: Option<String>,
    pub granted_on: CivilDate,
}

pub fn validate_consent(
    draft: &ConsentDraft,
    today: CivilDate,
) -> Result<NewConsent, Vec<FieldError>> {
    let mut errors = Errors::default();
    let method = errors.choice("method", &draft.method, ConsentMethod::from_code);
    let document_no = errors.optional_line(
        "document_no",
        &fold_width(&draft.document_no),
        DOCUMENT_NO_MAX,
    );
    if method == Some(ConsentMethod::SignedForm) && document_no.is_empty() {
        errors.add("document_no", Problem::Required);
    }
    let granted_on = match parse_date_input(&draft.granted_on) {
        Err(DateInputError::Empty) => {
            errors.add("granted_on", Problem::Required);
            None
        }
        Err(e) => {
            errors.add("granted_on", Problem::NotADate(e));
            None
        }
        Ok(date) if date > today || date.year() < 2011 => {
            errors.add(
                "granted_on",
                Problem::DateOutOfRange {
                    from_year: 2011,
                    to_year: today.year(),
                },
            );
            None
        }
        Ok(date) => Some(date),
    };
    errors.finish(|| NewConsent {
        method: method.expect("checked"),
        document_no: (!document_no.is_empty()).then_some(document_no),
        granted_on: granted_on.expect("checked"),
    })
}

pub const WITHDRAWAL_REASON_MAX: usize = 200;

/// A withdrawal as typed: the day the person withdrew their consent, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WithdrawalDraft {
    pub withdrawn_on: String,
    pub reason: String,
}

/// Checks a withdrawal of the consent given on `granted_on`: a date from that day to today
/// (和暦 or western) and a reason.
pub fn validate_withdrawal(
    draft: &WithdrawalDraft,
    granted_on: CivilDate,
    today: CivilDate,
) -> Result<(CivilDate, String), Vec<FieldError>> {
    let mut errors = Errors::default();
    let withdrawn_on = match parse_date_input(&draft.withdrawn_on) {
        Err(DateInputError::Empty) => {
            errors.add("withdrawn_on", Problem::Required);
            None
        }
        Err(e) => {
            errors.add("withdrawn_on", Problem::NotADate(e));
            None
        }
        Ok(date) if date > today || date < granted_on => {
            errors.add(
                "withdrawn_on",
                Problem::DateOutOfRange {
                    from_year: granted_on.year(),
                    to_year: today.year(),
                },
            );
            None
        }
        Ok(date) => Some(date),
    };
    let reason = errors.required_line("withdrawal_reason", &draft.reason, WITHDRAWAL_REASON_MAX);
    errors.finish(|| (withdrawn_on.expect("checked"), reason))
}

/// A person's names as a search reads them: (family, given, family reading, given reading).
pub type Names<'a> = (&'a str, &'a str, &'a str, &'a str);

/// Whether a person matches what was typed in the case list's search box: a birth date (和暦
/// or western) equal to theirs, or part of their name or reading in any kana, width or
/// variant form (`text::name_key` on both sides).
pub fn matches_search(query: &str, names: Names<'_>, birth: Option<CivilDate>) -> bool {
    let query = query.trim();
    if query.is_empty() {
        return true;
    }
    if let Ok(date) = parse_date_input(query) {
        return birth == Some(date);
    }
    let key = name_key(query);
    name_key(&format!("{}{}", names.0, names.1)).contains(&key)
        || name_key(&format!("{}{}", names.2, names.3)).contains(&key)
}

/// Whether an existing person is likely the one being typed at intake (search before
/// create): their name or reading begins with what was typed so far, compared in any kana,
/// width or variant form.
pub fn likely_same(typed: Names<'_>, existing: Names<'_>) -> bool {
    let key = |a: &str, b: &str| name_key(&format!("{a}{b}"));
    let (name, reading) = (key(typed.0, typed.1), key(typed.2, typed.3));
    (!name.is_empty() && key(existing.0, existing.1).starts_with(&name))
        || (reading.chars().count() >= 2 && key(existing.2, existing.3).starts_with(&reading))
}

#[cfg(test)]
mod search_tests {
    use super::*;

    const MIHON: Names<'static> = ("髙橋", "花子", "タカハシ", "ハナコ");

    #[test]
    fn the_list_finds_a_person_by_any_form_of_name_reading_or_birth_date() {
        let birth = Some(CivilDate::new(1991, 4, 12).unwrap());
        for q in [
            "高橋",
            "ﾀｶﾊｼ ﾊﾅｺ",
            "たかはし",
            "平成3年4月12日",
            "1991-04-12",
            " 花子 ",
            "",
        ] {
            assert!(matches_search(q, MIHON, birth), "{q}");
        }
        for q in ["高嶋", "1991-04-13", "ヤマダ"] {
            assert!(!matches_search(q, MIHON, birth), "{q}");
        }
    }

    #[test]
    fn intake_shows_people_whose_name_or_reading_begins_as_typed() {
        assert!(likely_same(("", "", "ﾀｶﾊｼ", ""), MIHON));
        assert!(likely_same(("高橋", "", "", ""), MIHON));
        assert!(likely_same(("高橋", "花", "", ""), MIHON));
        assert!(
            !likely_same(("", "", "タ", ""), MIHON),
            "one kana is too little"
        );
        assert!(!likely_same(("高嶋", "", "", ""), MIHON));
        assert!(!likely_same(("", "", "", ""), MIHON));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_withdrawal_has_a_day_between_the_consent_and_today_and_a_reason() {
        let granted: CivilDate = "2026-11-01".parse().unwrap();
        let draft = |on: &str, reason: &str| WithdrawalDraft {
            withdrawn_on: on.into(),
            reason: reason.into(),
        };
        assert_eq!(
            validate_withdrawal(
                &draft("令和8年11月20日", " 本人の申し出 "),
                granted,
                today()
            ),
            Ok(("2026-11-20".parse().unwrap(), "本人の申し出".to_owned()))
        );
        let fields = |d: &WithdrawalDraft| -> Vec<&'static str> {
            validate_withdrawal(d, granted, today())
                .unwrap_err()
                .iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(
            fields(&draft("2026-10-31", "")),
            ["withdrawn_on", "withdrawal_reason"]
        );
        assert_eq!(fields(&draft("2026-11-28", "理由")), ["withdrawn_on"]);
    }

    fn today() -> CivilDate {
        "2026-11-27".parse().unwrap()
    }

    fn name() -> NameDraft {
        NameDraft {
            family_name: "見本".into(),
            given_name: "花子".into(),
            family_name_kana: "みほん".into(),
            given_name_kana: "ﾊﾅｺ".into(),
        }
    }

    #[test]
    fn a_person_reads_kana_and_era_birth_dates() {
        let p = validate_person(
            &PersonDraft {
                name: name(),
                birth_date: "平成3年4月12日".into(),
                category: "single_mothers".into(),
                ..Default::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!(p.name.family_name_kana, "ミホン");
        assert_eq!(p.name.given_name_kana, "ハナコ");
        assert_eq!(p.birth_date.unwrap().to_string(), "1991-04-12");
    }

    #[test]
    fn names_with_control_or_direction_characters_or_nothing_visible_are_refused() {
        for (family, problem) in [
            ("見\u{0}本", Problem::BadCharacters),
            ("\u{1b}[31m見本", Problem::BadCharacters),
            ("見本\u{7}", Problem::BadCharacters),
            ("\u{202e}本見", Problem::BadCharacters),
            ("\u{200b}", Problem::NothingVisible),
        ] {
            let mut draft = PersonDraft {
                name: name(),
                birth_date: String::new(),
                category: "youth".into(),
                ..Default::default()
            };
            draft.name.family_name = family.into();
            let errs = validate_person(&draft, today()).unwrap_err();
            assert_eq!(
                errs.iter()
                    .map(|e| (e.field, e.problem))
                    .collect::<Vec<_>>(),
                [("family_name", problem)],
                "{family:?}"
            );
        }
    }

    #[test]
    fn person_problems_name_their_fields() {
        let mut draft = PersonDraft {
            name: name(),
            birth_date: "2030-01-01".into(),
            category: String::new(),
            ..Default::default()
        };
        draft.name.family_name_kana = "山田".into();
        let errs = validate_person(&draft, today()).unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            got,
            [
                ("family_name_kana", Problem::NotKana),
                (
                    "birth_date",
                    Problem::DateOutOfRange {
                        from_year: 1900,
                        to_year: 2026
                    }
                ),
                ("category", Problem::NotChosen),
            ]
        );
    }

    #[test]
    fn phones_accept_full_width_and_hyphens() {
        let cases = [
            ("０９０－１２３４－５６７８", Some("09012345678")),
            ("04-2998-1111", Some("0429981111")),
            // The long mark a Japanese IME gives for "-", and other dashes.
            ("０８０ー１１１１ー２２２２", Some("08011112222")),
            ("090‐1234−5678", Some("09012345678")),
            ("", None),
        ];
        for (typed, want) in cases {
            let p = validate_participant(
                &ParticipantDraft {
                    name: name(),
                    birth_date: String::new(),
                    phone: typed.into(),
                },
                today(),
            )
            .unwrap();
            assert_eq!(p.phone.as_deref(), want, "{typed}");
        }
        for bad in ["123", "090-1234-5678-9", "abc"] {
            let errs = validate_participant(
                &ParticipantDraft {
                    name: name(),
                    birth_date: String::new(),
                    phone: bad.into(),
                },
                today(),
            )
            .unwrap_err();
            assert_eq!(errs[0].problem, Problem::NotAPhone, "{bad}");
        }
    }

    #[test]
    fn a_signed_consent_needs_its_form_number() {
        let draft = ConsentDraft {
            method: "signed_form".into(),
            document_no: String::new(),
            granted_on: "令和8年11月27日".into(),
        };
        let errs = validate_consent(&draft, today()).unwrap_err();
        assert_eq!(errs[0].field, "document_no");
        let ok = validate_consent(
            &ConsentDraft {
                document_no: "Ｒ８－０１２".into(),
                ..draft.clone()
            },
            today(),
        )
        .unwrap();
        assert_eq!(ok.document_no.as_deref(), Some("R8-012"));
        let verbal = validate_consent(
            &ConsentDraft {
                method: "verbal".into(),
                ..draft
            },
            today(),
        )
        .unwrap();
        assert_eq!(verbal.document_no, None);
    }
}
