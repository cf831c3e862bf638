//! Field-level validation results shared by every form and API.
//!
//! A rule reports *which field* is wrong and *what kind* of wrong; the words a person reads come
//! from the translation catalogue (`crate::i18n`), so the same failure reads in Japanese at the
//! counter and in English for an English-speaking user, and the API can name the field.

use super::wareki::DateInputError;

/// What is wrong with one field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Nothing (or only spaces) was entered.
    Required,
    /// Nothing was chosen from a list.
    NotChosen,
    /// Longer than `max` characters.
    TooLong { max: usize },
    /// More items at once than are taken (a sync push's changes).
    TooMany { max: usize },
    /// Not readable as a date.
    NotADate(DateInputError),
    /// A date outside the years Renkei accepts for that field.
    DateOutOfRange { from_year: i32, to_year: i32 },
    /// A number outside `min..=max`.
    NumberOutOfRange { min: i64, max: i64 },
    /// Not one of the allowed choices.
    UnknownChoice,
    /// A reading (フリガナ) with characters other than kana.
    NotKana,
    /// Not a Japanese phone number (10 or 11 digits).
    NotAPhone,
    /// A login id with characters other than a-z, 0-9, `.`, `_`, `-`, or the wrong length.
    BadLoginId,
    /// A password shorter than `min` characters, or containing the login id.
    WeakPassword { min: usize },
    /// A password on lists of common passwords, or made of a simple pattern (NIST SP 800-63B).
    GuessablePassword,
    /// Control characters (NUL, ESC …) or characters that reorder text (U+202E …).
    BadCharacters,
    /// Only invisible characters (e.g. a lone zero-width space).
    NothingVisible,
    /// Neither a birth date nor an age group (a walk-in at a fair gives one of them).
    BirthDateOrAgeBand,
    /// Already recorded (a name that must be unique, e.g. an employer at one fair).
    AlreadyExists,
    /// Text that would identify the person (a name, reading, phone number or exact date) where
    /// it must be anonymous (a success story).
    Identifying,
    /// Two records that cannot be merged: the same one, one already merged, or one others were
    /// merged into (or, undoing, one that is not merged).
    CannotMerge,
    /// A value of the wrong shape for its field (a list, an object or yes/no where text is
    /// read, a replica id that is no UUID, a change whose number cannot be read), as only a
    /// hand-made request sends.
    BadValue,
    /// A date before the day it follows (a due date or an answer before the request).
    BeforeAsked,
    /// A report's day after the meeting it was given to.
    AfterMeeting,
    /// A day after today where only days up to today make sense (figures as of a day).
    InFuture,
    /// An event already held where only one still to come makes sense (a tablet enrolled for a
    /// fair that is over would only read its people's names).
    EventOver,
}

/// One field's failure. `field` is the API field name (`snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// Collects field errors so a form reports every problem at once, not one per submit.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &'static str, problem: Problem) {
        self.0.push(FieldError { field, problem });
    }

    /// `Ok(value)` when nothing was added, else every error.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }

    /// Checks a required choice from a fixed list of codes.
    pub fn choice<T>(
        &mut self,
        field: &'static str,
        raw: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let code = raw.trim();
        if code.is_empty() {
            self.add(field, Problem::NotChosen);
            return None;
        }
        let found = parse(code);
        if found.is_none() {
            self.add(field, Problem::UnknownChoice);
        }
        found
    }

    /// Checks an optional whole number (full-width digits accepted); empty is `None`.
    pub fn optional_number(
        &mut self,
        field: &'static str,
        raw: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let value = super::text::fold_width(raw.trim());
        if value.is_empty() {
            return None;
        }
        match value.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.add(field, Problem::NumberOutOfRange { min, max });
                None
            }
        }
    }

    /// Checks an optional one-line text field and returns its cleaned value ("" when empty).
    pub fn optional_line(&mut self, field: &'static str, raw: &str, max: usize) -> String {
        let value = super::text::clean_line(raw);
        if value.chars().any(super::text::is_forbidden_char) {
            self.add(field, Problem::BadCharacters);
        } else if super::text::char_len(&value) > max {
            self.add(field, Problem::TooLong { max });
        }
        value
    }

    /// Checks a text of several lines (an answer, a list of members): each line cleaned as a
    /// line is, empty lines at the ends dropped; required when `required`.
    pub fn text_block(
        &mut self,
        field: &'static str,
        raw: &str,
        max: usize,
        required: bool,
    ) -> String {
        let lines: Vec<String> = raw.lines().map(super::text::clean_line).collect();
        let value = lines.join("\n").trim_matches('\n').to_owned();
        if value.is_empty() {
            if required {
                self.add(field, Problem::Required);
            }
        } else if value
            .chars()
            .any(|c| c != '\n' && super::text::is_forbidden_char(c))
        {
            self.add(field, Problem::BadCharacters);
        } else if !super::text::has_visible_char(&value) {
            self.add(field, Problem::NothingVisible);
        } else if super::text::char_len(&value) > max {
            self.add(field, Problem::TooLong { max });
        }
        value
    }

    /// Checks a required one-line text field and returns its cleaned value.
    pub fn required_line(&mut self, field: &'static str, raw: &str, max: usize) -> String {
        let value = super::text::clean_line(raw);
        if value.is_empty() {
            self.add(field, Problem::Required);
        } else if value.chars().any(super::text::is_forbidden_char) {
            self.add(field, Problem::BadCharacters);
        } else if !super::text::has_visible_char(&value) {
            self.add(field, Problem::NothingVisible);
        } else if super::text::char_len(&value) > max {
            self.add(field, Problem::TooLong { max });
        }
        value
    }
}

/// How many digits a Japanese phone number has.
pub const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 10..=11;

/// An optional Japanese phone number: full-width digits and hyphens accepted, 10–11 digits kept.
pub fn check_phone(errors: &mut Errors, raw: &str) -> Option<String> {
    let folded = super::text::fold_width(raw);
    let cleaned: String = folded
        .chars()
        // Separators as typed on a Japanese keyboard too: ー (the IME's long mark), ‐ − ― – —.
        .filter(|c| {
            !matches!(
                c,
                ' ' | '-' | '(' | ')' | 'ー' | '‐' | '−' | '―' | '–' | '—'
            )
        })
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    if !cleaned.chars().all(|c| c.is_ascii_digit()) || !PHONE_DIGITS.contains(&cleaned.len()) {
        errors.add("phone", Problem::NotAPhone);
        return None;
    }
    Some(cleaned)
}
