//! A calendar date without time zone (`YYYY-MM-DD`), the unit of everything the corner plans:
//! event days, birth dates, fiscal years.
//!
//! Own type rather than a date crate: the browser bundle needs only ordinal arithmetic and
//! weekday, and the ISO string form is what goes over the wire and into SQLite.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// A valid proleptic Gregorian date between years 1 and 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: i32,
    month: u8,
    day: u8,
}

/// Why a set of numbers is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("year out of range")]
    YearOutOfRange,
    #[error("month must be 1-12")]
    BadMonth,
    #[error("day does not exist in that month")]
    BadDay,
    #[error("not a YYYY-MM-DD date")]
    Format,
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl CivilDate {
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError::YearOutOfRange);
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::BadMonth);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::BadDay);
        }
        Ok(Self { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's civil-from-days inverse.
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01. Panics only outside years 1..=9999.
    pub fn from_days(days: i64) -> Self {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self::new(year, month, day).expect("date out of supported range")
    }

    /// The UTC calendar date of a Unix time in milliseconds.
    pub fn from_unix_millis(millis: i64) -> Self {
        Self::from_days(millis.div_euclid(86_400_000))
    }

    /// The calendar date in Japan (UTC+9, no daylight saving) of a Unix time in milliseconds.
    pub fn in_japan_from_unix_millis(millis: i64) -> Self {
        Self::from_unix_millis(millis + 9 * 3_600_000)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.to_days() + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    pub fn add_days(self, days: i64) -> Self {
        Self::from_days(self.to_days() + days)
    }

    /// The fiscal year (年度, April to March) this date is in, named by the calendar year it
    /// starts in: 2027-03-31 is in 2026 (令和8年度).
    pub fn fiscal_year(self) -> i32 {
        if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        }
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for CivilDate {
    type Err = DateError;

    /// Strict ISO form `YYYY-MM-DD`, as stored and sent over the wire.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| DateError::Format)
            } else {
                Err(DateError::Format)
            }
        };
        let year = num(0..4)? as i32;
        let month = u8::try_from(num(5..7)?).map_err(|_| DateError::BadMonth)?;
        let day = u8::try_from(num(8..10)?).map_err(|_| DateError::BadDay)?;
        Self::new(year, month, day)
    }
}

impl Serialize for CivilDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CivilDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A moment as `2026-11-27 10:15:03`, Japan time (the audit log's screen and files).
pub fn japan_date_time(unix_millis: i64) -> String {
    let local = unix_millis + 9 * 3_600_000;
    let date = CivilDate::from_unix_millis(local);
    let secs = local.rem_euclid(86_400_000) / 1000;
    format!(
        "{date} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod fiscal_tests {
    use super::CivilDate;

    #[test]
    fn fiscal_years_run_april_to_march() {
        let d = |y, m, day| CivilDate::new(y, m, day).unwrap();
        assert_eq!(d(2026, 4, 1).fiscal_year(), 2026);
        assert_eq!(d(2026, 12, 3).fiscal_year(), 2026);
        assert_eq!(d(2027, 3, 31).fiscal_year(), 2026);
        assert_eq!(d(2026, 3, 31).fiscal_year(), 2025);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_days_and_weekdays() {
        let cases = [
            ("1970-01-01", 0, Weekday::Thu),
            ("2000-02-29", 11_016, Weekday::Tue),
            ("2011-09-01", 15_218, Weekday::Thu), // the corner opened
            ("2019-05-01", 18_017, Weekday::Wed), // 令和元年
            ("2026-11-27", 20_784, Weekday::Fri),
        ];
        for (iso, days, wd) in cases {
            let d: CivilDate = iso.parse().unwrap();
            assert_eq!(d.to_days(), days, "{iso}");
            assert_eq!(d.weekday(), wd, "{iso}");
            assert_eq!(d.to_string(), iso);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(CivilDate::new(2023, 2, 29), Err(DateError::BadDay));
        assert_eq!(CivilDate::new(2024, 13, 1), Err(DateError::BadMonth));
        assert_eq!(CivilDate::new(2024, 4, 31), Err(DateError::BadDay));
        assert!(CivilDate::new(2024, 2, 29).is_ok());
        assert!(CivilDate::new(1900, 2, 29).is_err());
        assert!(CivilDate::new(2000, 2, 29).is_ok());
        for bad in [
            "2024-1-01",
            "2024/01/01",
            "abcd-ef-gh",
            "2024-01-01x",
            "",
            "+202-01-01",
        ] {
            assert_eq!(bad.parse::<CivilDate>(), Err(DateError::Format), "{bad}");
        }
    }

    #[test]
    fn japan_date_rolls_over_at_15_utc() {
        // 2026-11-26T15:00:00Z is midnight in Tokyo.
        let ms = CivilDate::new(2026, 11, 26).unwrap().to_days() * 86_400_000 + 15 * 3_600_000;
        assert_eq!(
            CivilDate::in_japan_from_unix_millis(ms).to_string(),
            "2026-11-27"
        );
        assert_eq!(
            CivilDate::in_japan_from_unix_millis(ms - 1).to_string(),
            "2026-11-26"
        );
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -700_000i64..2_900_000) {
            let d = CivilDate::from_days(days);
            prop_assert_eq!(d.to_days(), days);
            prop_assert_eq!(d.to_string().parse::<CivilDate>().unwrap(), d);
            prop_assert_eq!(d.add_days(1).to_days(), days + 1);
        }
    }
}
