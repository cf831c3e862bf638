//! What intake (相談受付) records about a person beyond the name and birth date: sex, how to
//! reach them, where they live in the city, their household (shape, members, children's ages),
//! every support category that applies, and how they came to the corner. All of it is optional
//! at a busy desk except what `person::validate_person` requires; what is typed is checked.

use super::category::SupportCategory;
use super::validation::{Errors, Problem};

choices! {
    /// 性別, as the person states it ("not stated" is a real answer).
    Sex {
        Female = "female",
        Male = "male",
        Unstated = "unstated",
    }
}

choices! {
    /// 世帯の形.
    Household {
        Alone = "alone",
        SingleParent = "single_parent",
        Couple = "couple",
        CoupleChildren = "couple_children",
        WithParents = "with_parents",
        Other = "other",
    }
}

choices! {
    /// 来所経路: how the person came to the corner.
    CameVia {
        WelfareCounter = "welfare",
        HelloWork = "hello_work",
        Fair = "fair",
        OwnAccord = "self",
        OtherAgency = "agency",
        Other = "other",
    }
}

pub const ADDRESS_MAX: usize = 100;
/// The most household members and the oldest age counted as a child of the household.
pub const MEMBERS_MAX: i64 = 15;
pub const CHILD_AGE_MAX: u8 = 22;

/// The intake details as typed (codes and text; lists comma-separated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeDraft {
    pub sex: String,
    pub phone: String,
    pub address: String,
    pub household: String,
    pub household_size: String,
    pub children_ages: String,
    /// Categories that apply besides the main one.
    pub other_categories: String,
    pub came_via: String,
}

/// The checked details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeDetails {
    pub sex: Option<Sex>,
    pub phone: Option<String>,
    pub address: String,
    pub household: Option<Household>,
    pub household_size: Option<u8>,
    pub children_ages: Vec<u8>,
    pub other_categories: Vec<SupportCategory>,
    pub came_via: Option<CameVia>,
}

impl IntakeDetails {
    /// The details as stored: the same text on every device and the server.
    pub fn draft(&self) -> IntakeDraft {
        let join = |v: Vec<String>| v.join(",");
        IntakeDraft {
            sex: self.sex.map(Sex::code).unwrap_or_default().to_owned(),
            phone: self.phone.clone().unwrap_or_default(),
            address: self.address.clone(),
            household: self
                .household
                .map(Household::code)
                .unwrap_or_default()
                .to_owned(),
            household_size: self
                .household_size
                .map(|n| n.to_string())
                .unwrap_or_default(),
            children_ages: join(self.children_ages.iter().map(u8::to_string).collect()),
            other_categories: join(
                self.other_categories
                    .iter()
                    .map(|c| c.code().to_owned())
                    .collect(),
            ),
            came_via: self
                .came_via
                .map(CameVia::code)
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

/// The categories named in a stored comma-separated list (unknown codes left out).
pub fn categories(raw: &str) -> Vec<SupportCategory> {
    raw.split(',')
        .filter_map(|c| SupportCategory::from_code(c.trim()))
        .collect()
}

/// An optional choice: empty is `None`, an unknown code is an error.
fn optional_choice<T>(
    errors: &mut Errors,
    field: &'static str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    errors.choice(field, raw, parse)
}

/// Splits a list typed with any of the separators a Japanese keyboard gives.
fn list(raw: &str) -> impl Iterator<Item = String> + '_ {
    raw.split([',', '、', '，', '・', ' ', '　', '/', '／'])
        .map(|s| super::text::fold_width(s.trim()))
        .map(|s| s.trim_end_matches('歳').trim_end_matches('才').to_owned())
        .filter(|s| !s.is_empty())
}

/// Checks the details; `main` is the main category (left out of the others if repeated).
pub fn validate_details(
    errors: &mut Errors,
    draft: &IntakeDraft,
    main: Option<SupportCategory>,
) -> IntakeDetails {
    let sex = optional_choice(errors, "sex", &draft.sex, Sex::from_code);
    let phone = super::validation::check_phone(errors, &draft.phone);
    let address = errors.optional_line("address", &draft.address, ADDRESS_MAX);
    let household = optional_choice(errors, "household", &draft.household, Household::from_code);
    let household_size = errors
        .optional_number("household_size", &draft.household_size, 1, MEMBERS_MAX)
        .map(|n| n as u8);
    let mut children_ages = Vec::new();
    for age in list(&draft.children_ages) {
        match age.parse::<u8>() {
            Ok(a) if a <= CHILD_AGE_MAX => children_ages.push(a),
            _ => {
                errors.add(
                    "children_ages",
                    Problem::NumberOutOfRange {
                        min: 0,
                        max: i64::from(CHILD_AGE_MAX),
                    },
                );
                break;
            }
        }
    }
    // Oldest first, as people say them (13歳・3歳).
    children_ages.sort_unstable_by(|a, b| b.cmp(a));
    if let Some(size) = household_size
        && usize::from(size) <= children_ages.len()
    {
        errors.add(
            "household_size",
            Problem::NumberOutOfRange {
                min: children_ages.len() as i64 + 1,
                max: MEMBERS_MAX,
            },
        );
    }
    let mut other_categories = Vec::new();
    for code in list(&draft.other_categories) {
        match SupportCategory::from_code(&code) {
            Some(c) if Some(c) == main || other_categories.contains(&c) => {}
            Some(c) => other_categories.push(c),
            None => {
                errors.add("other_categories", Problem::UnknownChoice);
                break;
            }
        }
    }
    other_categories.sort_by_key(|c| SupportCategory::ALL.iter().position(|x| x == c));
    let came_via = optional_choice(errors, "came_via", &draft.came_via, CameVia::from_code);
    IntakeDetails {
        sex,
        phone,
        address,
        household,
        household_size,
        children_ages,
        other_categories,
        came_via,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(draft: IntakeDraft) -> Result<IntakeDetails, Vec<&'static str>> {
        let mut errors = Errors::default();
        let details = validate_details(&mut errors, &draft, Some(SupportCategory::SingleMothers));
        errors
            .finish(|| details)
            .map_err(|e| e.iter().map(|e| e.field).collect())
    }

    #[test]
    fn the_seed_household_is_read_as_typed_at_the_desk() {
        let d = check(IntakeDraft {
            sex: "female".into(),
            phone: "０４－２９９８－００００".into(),
            address: "  並木一丁目 ".into(),
            household: "single_parent".into(),
            household_size: "３".into(),
            children_ages: "3歳、１３歳".into(),
            other_categories: "single_mothers,other_hardship".into(),
            came_via: "welfare".into(),
        })
        .unwrap();
        assert_eq!(d.phone.as_deref(), Some("0429980000"));
        assert_eq!(d.address, "並木一丁目");
        assert_eq!(d.children_ages, vec![13, 3]);
        assert_eq!(d.household_size, Some(3));
        // The main category is not repeated among the others.
        assert_eq!(d.other_categories, vec![SupportCategory::OtherHardship]);
        // What is stored reads back the same.
        let again = check(d.draft()).unwrap();
        assert_eq!(again, d);
    }

    #[test]
    fn each_wrong_detail_is_named() {
        let wrong = check(IntakeDraft {
            sex: "x".into(),
            phone: "12".into(),
            household: "castle".into(),
            household_size: "2".into(),
            children_ages: "5, 40".into(),
            other_categories: "millionaire".into(),
            came_via: "balloon".into(),
            ..Default::default()
        })
        .unwrap_err();
        for field in [
            "sex",
            "phone",
            "household",
            "children_ages",
            "other_categories",
            "came_via",
        ] {
            assert!(wrong.contains(&field), "{field} in {wrong:?}");
        }
        // Two members cannot hold a parent and two children.
        let crowded = check(IntakeDraft {
            household_size: "2".into(),
            children_ages: "5 3".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(crowded, vec!["household_size"]);
        // Nothing typed is fine.
        assert_eq!(check(IntakeDraft::default()), Ok(IntakeDetails::default()));
    }
}
