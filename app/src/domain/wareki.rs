//! 和暦 (Japanese era years): conversion both ways and parsing of dates as people type them.
//!
//! Japanese public administration writes dates in era form (令和8年11月27日); staff also type
//! western dates. [`parse_date_input`] accepts both, with full-width digits, so every date field
//! in Renkei takes either.

use super::date::{CivilDate, DateError};
use super::text::fold_width;

/// The eras a living person's birth date or a corner's record can fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

impl Era {
    /// Eras from newest to oldest, with the first day of each.
    const ALL: [(Era, i32, u8, u8); 4] = [
        (Era::Reiwa, 2019, 5, 1),
        (Era::Heisei, 1989, 1, 8),
        (Era::Showa, 1926, 12, 25),
        (Era::Taisho, 1912, 7, 30),
    ];

    pub fn first_day(self) -> CivilDate {
        let (_, y, m, d) = Self::ALL
            .iter()
            .copied()
            .find(|(e, ..)| *e == self)
            .expect("every era is listed");
        CivilDate::new(y, m, d).expect("era start dates are valid")
    }

    /// The era's name in kanji.
    pub fn kanji(self) -> &'static str {
        match self {
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The era's name in Latin letters (Hepburn, as used in English documents).
    pub fn romaji(self) -> &'static str {
        match self {
            Era::Taisho => "Taisho",
            Era::Showa => "Showa",
            Era::Heisei => "Heisei",
            Era::Reiwa => "Reiwa",
        }
    }

    fn from_name(name: &str) -> Option<Era> {
        match name.to_ascii_lowercase().as_str() {
            "令和" | "令" | "r" | "reiwa" => Some(Era::Reiwa),
            "平成" | "平" | "h" | "heisei" => Some(Era::Heisei),
            "昭和" | "昭" | "s" | "showa" => Some(Era::Showa),
            "大正" | "大" | "t" | "taisho" => Some(Era::Taisho),
            _ => None,
        }
    }
}

/// A date's era and year within the era (1 = 元年).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EraYear {
    pub era: Era,
    pub year: i32,
}

/// The era and era year of a date, or `None` before 大正.
pub fn era_year(date: CivilDate) -> Option<EraYear> {
    Era::ALL.iter().find_map(|&(era, ..)| {
        let start = era.first_day();
        (date >= start).then(|| EraYear {
            era,
            year: date.year() - start.year() + 1,
        })
    })
}

/// `令和8年` / `令和元年`.
pub fn era_year_kanji(date: CivilDate) -> Option<String> {
    era_year(date).map(|ey| {
        if ey.year == 1 {
            format!("{}元年", ey.era.kanji())
        } else {
            format!("{}{}年", ey.era.kanji(), ey.year)
        }
    })
}

/// The era name of fiscal year `year` (April `year` to March `year + 1`): the newest era that
/// had begun by the calendar year the fiscal year starts in. So 2019 is 令和元年度 (the era
/// began on 1 May, a month into the year, and that is how the year is named), 1989 平成元年度,
/// and 1988 昭和63年度 (平成 began in January 1989, near that year's end).
pub fn fiscal_era_year(year: i32) -> Option<EraYear> {
    Era::ALL.iter().find_map(|&(era, start, ..)| {
        (year >= start).then_some(EraYear {
            era,
            year: year - start + 1,
        })
    })
}

/// `平成24年度` / `令和元年度`, or `None` before 大正.
pub fn fiscal_year_kanji(year: i32) -> Option<String> {
    fiscal_era_year(year).map(|ey| match ey.year {
        1 => format!("{}元年度", ey.era.kanji()),
        n => format!("{}{n}年度", ey.era.kanji()),
    })
}

/// Why typed text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateInputError {
    #[error("empty")]
    Empty,
    #[error("not a date format Renkei understands")]
    Unrecognised,
    #[error("no such date")]
    NoSuchDate,
    #[error("the era year is outside that era")]
    OutsideEra,
}

impl From<DateError> for DateInputError {
    fn from(_: DateError) -> Self {
        DateInputError::NoSuchDate
    }
}

/// Parses a date as typed by staff or a participant:
///
/// - western: `2026-11-27`, `2026/11/27`, `2026.11.27`, `2026年11月27日`, `20261127`
/// - era: `令和8年11月27日`, `令和元年5月1日`, `R8.11.27`, `R8/11/27`, `H23.9.1`, `s55-1-2`
///
/// Full-width digits and letters are accepted. An era year past the era's end (平成32年) is
/// refused rather than silently carried into the next era, and so is a date before the era began.
pub fn parse_date_input(input: &str) -> Result<CivilDate, DateInputError> {
    let folded: String = fold_width(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if folded.is_empty() {
        return Err(DateInputError::Empty);
    }
    // Split into a leading era name (letters/kanji) and the numeric rest.
    let name_end = folded
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || *c == '元')
        .map(|(i, _)| i)
        .ok_or(DateInputError::Unrecognised)?;
    let (name, rest) = folded.split_at(name_end);
    let numbers = split_numbers(rest)?;

    if name.is_empty() {
        let (y, m, d) = match numbers.as_slice() {
            [ymd] if ymd.len() == 8 => (&ymd[0..4], &ymd[4..6], &ymd[6..8]),
            [y, m, d] if y.len() == 4 => (y.as_str(), m.as_str(), d.as_str()),
            _ => return Err(DateInputError::Unrecognised),
        };
        return Ok(CivilDate::new(num(y)?, num(m)? as u8, num(d)? as u8)?);
    }

    let era = Era::from_name(name).ok_or(DateInputError::Unrecognised)?;
    let [y, m, d] = numbers.as_slice() else {
        return Err(DateInputError::Unrecognised);
    };
    let year_in_era = if y == "元" { 1 } else { num(y)? };
    if year_in_era < 1 {
        return Err(DateInputError::OutsideEra);
    }
    let start = era.first_day();
    let date = CivilDate::new(start.year() + year_in_era - 1, num(m)? as u8, num(d)? as u8)?;
    // The date must fall inside this era: on or after its start, before the next era's start.
    match era_year(date) {
        Some(found) if found.era == era => Ok(date),
        _ => Err(DateInputError::OutsideEra),
    }
}

fn num(s: &str) -> Result<i32, DateInputError> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateInputError::Unrecognised);
    }
    s.parse().map_err(|_| DateInputError::Unrecognised)
}

/// `8年11月27日` / `8.11.27` / `2026-11-27` → ["8","11","27"]; `元年5月1日` → ["元","5","1"].
fn split_numbers(rest: &str) -> Result<Vec<String>, DateInputError> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => current.push(c),
            '元' if current.is_empty() => current.push(c),
            '年' | '月' | '-' | '/' | '.' | ',' | '、' | '．' => {
                if current.is_empty() {
                    return Err(DateInputError::Unrecognised);
                }
                parts.push(std::mem::take(&mut current));
            }
            '日' => {}
            _ => return Err(DateInputError::Unrecognised),
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> CivilDate {
        s.parse().unwrap()
    }

    #[test]
    fn era_years_at_the_boundaries() {
        let cases = [
            ("2019-04-30", "平成31年"),
            ("2019-05-01", "令和元年"),
            ("2026-11-27", "令和8年"),
            ("1989-01-07", "昭和64年"),
            ("1989-01-08", "平成元年"),
            ("2011-09-01", "平成23年"),
            ("2012-04-01", "平成24年"),
            ("1926-12-25", "昭和元年"),
        ];
        for (iso, want) in cases {
            assert_eq!(era_year_kanji(d(iso)).as_deref(), Some(want), "{iso}");
        }
        assert_eq!(era_year_kanji(d("1900-01-01")), None);
    }

    #[test]
    fn parses_what_people_type() {
        let cases = [
            ("2026-11-27", "2026-11-27"),
            ("2026/11/27", "2026-11-27"),
            ("2026.1.5", "2026-01-05"),
            ("2026年11月27日", "2026-11-27"),
            ("20261127", "2026-11-27"),
            ("２０２６／１１／２７", "2026-11-27"),
            ("令和8年11月27日", "2026-11-27"),
            ("令和８年１１月２７日", "2026-11-27"),
            ("令和元年5月1日", "2019-05-01"),
            ("R8.11.27", "2026-11-27"),
            ("r8/11/27", "2026-11-27"),
            ("Ｒ８．１１．２７", "2026-11-27"),
            ("H23.9.1", "2011-09-01"),
            ("平成24年7月25日", "2012-07-25"),
            ("S55-1-2", "1980-01-02"),
            (" 昭和 55年 1月 2日 ", "1980-01-02"),
        ];
        for (typed, iso) in cases {
            assert_eq!(parse_date_input(typed), Ok(d(iso)), "{typed}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        use DateInputError::*;
        let cases = [
            ("", Empty),
            ("   ", Empty),
            ("明日", Unrecognised),
            ("2026-13-01", NoSuchDate),
            ("2026-02-30", NoSuchDate),
            ("X8.1.1", Unrecognised),
            ("平成32年1月1日", OutsideEra), // 平成 ended in its 31st year
            ("平成31年5月1日", OutsideEra), // that day is 令和元年
            ("令和元年4月30日", OutsideEra), // still 平成
            ("令和0年5月1日", OutsideEra),
            ("26-11-27", Unrecognised),
            ("2026-11", Unrecognised),
        ];
        for (typed, want) in cases {
            assert_eq!(parse_date_input(typed), Err(want), "{typed}");
        }
    }
}
