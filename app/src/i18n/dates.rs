//! The one date formatter (era and western year together) and fiscal years, in a catalogue's
//! language.

use super::{Catalog, DateStyle};
use crate::domain::date::{CivilDate, Weekday};
use crate::domain::wareki;

impl Catalog {
    /// A fiscal year as people say it: 令和8年度（2026年度） / FY2026 (Reiwa 8).
    pub fn fiscal_year(&self, year: i32) -> String {
        match self.date_style {
            DateStyle::Japanese => match wareki::fiscal_year_kanji(year) {
                Some(era) => format!("{era}（{year}年度）"),
                None => format!("{year}年度"),
            },
            DateStyle::English => match wareki::fiscal_era_year(year) {
                Some(ey) => format!("FY{year} ({} {})", ey.era.romaji(), ey.year),
                None => format!("FY{year}"),
            },
        }
    }

    /// A date where room is short (a column of a list): the era year only (平成3年4月12日),
    /// or day, month and year in English.
    pub fn format_date_short(&self, date: CivilDate) -> String {
        match (&self.date_style, wareki::era_year_kanji(date)) {
            (DateStyle::Japanese, Some(era)) => {
                format!("{era}{}月{}日", date.month(), date.day())
            }
            (DateStyle::Japanese, None) => {
                format!("{}年{}月{}日", date.year(), date.month(), date.day())
            }
            (DateStyle::English, _) => {
                let month = self.months[usize::from(date.month()) - 1];
                format!("{} {month} {}", date.day(), date.year())
            }
        }
    }

    /// The one date formatter: era and western year together, with the weekday.
    pub fn format_date(&self, date: CivilDate) -> String {
        let weekday = self.weekdays[weekday_index(date.weekday())];
        match self.date_style {
            DateStyle::Japanese => match wareki::era_year_kanji(date) {
                Some(era) => format!(
                    "{era}（{}年）{}月{}日（{weekday}）",
                    date.year(),
                    date.month(),
                    date.day()
                ),
                None => format!(
                    "{}年{}月{}日（{weekday}）",
                    date.year(),
                    date.month(),
                    date.day()
                ),
            },
            DateStyle::English => {
                let month = self.months[usize::from(date.month()) - 1];
                let western = format!("{weekday} {} {month} {}", date.day(), date.year());
                match wareki::era_year(date) {
                    Some(ey) => format!("{western} ({} {})", ey.era.romaji(), ey.year),
                    None => western,
                }
            }
        }
    }
}

fn weekday_index(w: Weekday) -> usize {
    match w {
        Weekday::Mon => 0,
        Weekday::Tue => 1,
        Weekday::Wed => 2,
        Weekday::Thu => 3,
        Weekday::Fri => 4,
        Weekday::Sat => 5,
        Weekday::Sun => 6,
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::date::CivilDate;
    use crate::i18n::Lang;

    fn d(s: &str) -> CivilDate {
        s.parse().unwrap()
    }

    #[test]
    fn one_formatter_for_both_calendars() {
        let ja = Lang::Ja.catalog();
        let en = Lang::En.catalog();
        assert_eq!(
            ja.format_date(d("2026-11-27")),
            "令和8年（2026年）11月27日（金）"
        );
        assert_eq!(
            ja.format_date(d("2019-05-01")),
            "令和元年（2019年）5月1日（水）"
        );
        assert_eq!(
            ja.format_date(d("2012-07-25")),
            "平成24年（2012年）7月25日（水）"
        );
        assert_eq!(ja.format_date_short(d("2012-07-25")), "平成24年7月25日");
        assert_eq!(en.format_date_short(d("2012-07-25")), "25 Jul 2012");
        assert_eq!(en.format_date(d("2026-11-27")), "Fri 27 Nov 2026 (Reiwa 8)");
        assert_eq!(
            en.format_date(d("2011-09-01")),
            "Thu 1 Sep 2011 (Heisei 23)"
        );
    }
}
