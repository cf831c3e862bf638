//! Pre-registration for a fair from a CSV file (as a spreadsheet exports it): one person per
//! row — 氏, 名, 氏フリガナ, 名フリガナ, 生年月日, 電話 — with or without a heading row, commas
//! or tabs, quoted cells (newlines inside quotes included), a UTF-8 BOM or none.
//!
//! All or nothing: every row is checked with the fair registration's own rules
//! ([`validate_fair_participant`]) and, if any is wrong, nothing is imported and each wrong
//! row is named with what is wrong. A file that is not UTF-8 (Excel's plain "CSV" is
//! Shift_JIS) is refused with a message that says so and how to save it instead.

use std::collections::BTreeMap;

use serde_json::Value;

use super::kinds::{participant_values, state_of, validate_fair_participant};
use crate::domain::date::CivilDate;
use crate::domain::validation::FieldError;

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Looks like Shift_JIS (Excel's "CSV (comma delimited)"): not supported.
    ShiftJis,
    /// Neither UTF-8 nor Shift_JIS text.
    NotText,
    /// The CSV structure itself is broken (e.g. a quote never closed), from this row on.
    Malformed { row: usize },
}

/// One row that cannot be imported: its row number in the file (1 = first line) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    pub row: usize,
    pub errors: Vec<FieldError>,
}

/// What reading a file gave: registrations ready to save, or the rows to fix.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    Ready(Vec<BTreeMap<&'static str, Value>>),
    Wrong(Vec<RowProblem>),
    Unreadable(FileProblem),
}

/// The text of a file's bytes: UTF-8 with or without a BOM.
pub fn decode(bytes: &[u8]) -> Result<String, FileProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) if looks_like_shift_jis(bytes) => Err(FileProblem::ShiftJis),
        Err(_) => Err(FileProblem::NotText),
    }
}

/// Shift_JIS double-byte characters: a lead byte 0x81–0x9F or 0xE0–0xFC, then a trail byte
/// 0x40–0xFC (not 0x7F). Judged on the whole file: every high byte must pair up.
fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 || (0xA1..=0xDF).contains(&b) {
            i += 1; // ASCII or half-width katakana
        } else if matches!(b, 0x81..=0x9F | 0xE0..=0xFC) {
            match bytes.get(i + 1) {
                Some(&t) if (0x40..=0xFC).contains(&t) && t != 0x7F => {
                    pairs += 1;
                    i += 2;
                }
                _ => return false,
            }
        } else {
            return false;
        }
    }
    pairs > 0
}

/// Reads the rows of `text` as registrations for `event_id`.
pub fn read(text: &str, event_id: &str, today: CivilDate) -> Read {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut ready = Vec::new();
    let mut wrong = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 1;
        // The row as a person counts it: lines of the file up to where the record starts.
        // (The reader reports where it started reading, before blank lines it skipped.)
        let line_at = |byte: u64| {
            let bytes = text.as_bytes();
            let mut end = (byte as usize).min(bytes.len());
            while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
                end += 1;
            }
            bytes[..end].iter().filter(|b| **b == b'\n').count() + 1
        };
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(row, |p| line_at(p.byte()));
                return Read::Unreadable(FileProblem::Malformed { row });
            }
        };
        let row = record.position().map_or(row, |p| line_at(p.byte()));
        let cells: Vec<&str> = record.iter().collect();
        if cells.iter().all(|c| c.is_empty()) || (index == 0 && is_heading(&cells)) {
            continue;
        }
        let cell = |i: usize| Value::from(cells.get(i).copied().unwrap_or_default());
        let typed = [
            ("event_id", Value::from(event_id)),
            ("family_name", cell(0)),
            ("given_name", cell(1)),
            ("family_name_kana", cell(2)),
            ("given_name_kana", cell(3)),
            ("birth_date", cell(4)),
            ("phone", cell(5)),
        ];
        match validate_fair_participant(&state_of(&typed), today) {
            Ok(p) => ready.push(participant_values(&p)),
            Err(errors) => wrong.push(RowProblem { row, errors }),
        }
    }
    if wrong.is_empty() {
        Read::Ready(ready)
    } else {
        Read::Wrong(wrong)
    }
}

/// A heading row names its columns instead of holding a reading.
fn is_heading(cells: &[&str]) -> bool {
    cells.iter().any(|c| {
        c.contains("フリガナ")
            || c.contains("氏名")
            || c.eq_ignore_ascii_case("family_name")
            || *c == "氏"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = "0193a1b2-0000-7000-8000-0000000000ee";

    fn today() -> CivilDate {
        "2026-11-29".parse().unwrap()
    }

    fn ready(text: &str) -> Vec<BTreeMap<&'static str, Value>> {
        match read(text, EVENT, today()) {
            Read::Ready(rows) => rows,
            other => panic!("not ready: {other:?}"),
        }
    }

    #[test]
    fn a_spreadsheet_export_with_bom_heading_quotes_and_a_newline_in_quotes_reads_whole() {
        let text = "\u{FEFF}氏,名,氏フリガナ,名フリガナ,生年月日,電話\r\n\
                    見本,花子,ミホン,ハナコ,1990-04-01,090-1234-5678\r\n\
                    \"例題\",\"太郎\",\"レイダイ\",\"タロウ\",平成2年5月6日,\"\"\r\n\
                    \"改行\nあり\",次郎,カイギョウ,ジロウ,,\r\n";
        let rows = ready(text);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["family_name"], "見本");
        assert_eq!(rows[1]["birth_date"], "1990-05-06");
        assert_eq!(rows[2]["given_name"], "次郎");
    }

    #[test]
    fn tabs_work_as_well_as_commas_and_quotes_double_inside_quotes() {
        assert_eq!(ready("見本\t花子\tミホン\tハナコ\tH3.4.12\t").len(), 1);
        let rows = ready("\"見本\",\"花\"\"子\",ミホン,ハナコ,,");
        assert_eq!(rows[0]["given_name"], "花\"子");
    }

    #[test]
    fn one_wrong_row_imports_nothing_and_names_its_row() {
        let text = "見本,花子,ミホン,ハナコ,1990-04-01,\n\
                    例題,太郎,reidai,タロウ,,\n\
                    \n\
                    誤り,三郎,アヤマリ,,,";
        match read(text, EVENT, today()) {
            Read::Wrong(rows) => {
                let named: Vec<usize> = rows.iter().map(|r| r.row).collect();
                assert_eq!(named, [2, 4]);
                assert_eq!(rows[0].errors[0].field, "family_name_kana");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unclosed_quote_is_named_not_guessed() {
        // The csv crate reads an unclosed quote to the end of the file: the row count then
        // falls short of the lines, and the quoted cell swallows the rest.
        let text = "見本,花子,ミホン,ハナコ,,\n\"例題,太郎,レイダイ,タロウ,,\n三番,三郎,サンバン,サブロウ,,";
        match read(text, EVENT, today()) {
            Read::Wrong(rows) => assert_eq!(rows[0].row, 2),
            Read::Unreadable(FileProblem::Malformed { row }) => assert_eq!(row, 2),
            other => panic!("an unclosed quote was accepted: {other:?}"),
        }
    }

    #[test]
    fn shift_jis_files_are_named_clearly() {
        // 「見本,花子」 in Shift_JIS.
        let sjis = [
            0x8C, 0xA9, 0x96, 0x7B, b',', 0x89, 0xD4, 0x8E, 0x71, b'\r', b'\n',
        ];
        assert_eq!(decode(&sjis), Err(FileProblem::ShiftJis));
        assert_eq!(decode(&[0xFF, 0xFE, 0x00]), Err(FileProblem::NotText));
        assert_eq!(decode("\u{FEFF}見本".as_bytes()).unwrap(), "見本");
    }
}
