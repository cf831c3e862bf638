//! The audit log as an administrator reads it: filtered by staff member or device, person,
//! action, outcome and dates (Japan time), newest first in pages, with names instead of ids
//! for who acted; and the same view exported as CSV (what a disclosure request asks: who read
//! this person's record).

use app::domain::date::CivilDate;
use app::domain::validation::{FieldError, Problem};
use app::i18n::{Lang, audit as labels};
use app::protocol::{AuditEntry, AuditPage};

use super::ServiceError;
use crate::AppState;
use crate::store::audit_log::{self as rows, Filter};

/// Entries per page by default, and at most.
pub const PAGE: i64 = 100;
pub const PAGE_MAX: i64 = 500;
/// Rows an export holds at most.
pub const EXPORT_MAX: i64 = 50_000;

/// The filter as typed: dates in 和暦 or western form, ids as shown.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct FilterInput {
    /// A staff member's or device's id (`staff:…`, `device:…`, or the bare id).
    pub actor: Option<String>,
    /// The id of whom or what the entry is about (a person's id for "who read this record").
    pub subject: Option<String>,
    /// An action code (`read`, `sync_pull`, `login_failed` …).
    pub action: Option<String>,
    /// `ok` or `denied`.
    pub outcome: Option<String>,
    /// First day (Japan time), e.g. `2026-11-01` or `令和8年11月1日`.
    pub from: Option<String>,
    /// Last day (Japan time), inclusive.
    pub to: Option<String>,
}

const JST_MS: i64 = 9 * 3_600_000;
/// The years a filter date may name (the log starts in 2026; this leaves room both ways).
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

fn day_start_ms(day: CivilDate) -> i64 {
    day.to_days() * 86_400_000 - JST_MS
}

impl FilterInput {
    fn filter(&self) -> Result<Filter, ServiceError> {
        let mut errors = Vec::new();
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let mut date = |field: &'static str, v: &Option<String>| {
            let raw = text(v)?;
            match app::domain::wareki::parse_date_input(&raw) {
                Ok(d) if (YEARS).contains(&d.year()) => Some(d),
                Ok(_) => {
                    errors.push(FieldError {
                        field,
                        problem: Problem::DateOutOfRange {
                            from_year: *YEARS.start(),
                            to_year: *YEARS.end(),
                        },
                    });
                    None
                }
                Err(e) => {
                    errors.push(FieldError {
                        field,
                        problem: Problem::NotADate(e),
                    });
                    None
                }
            }
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        for (field, value) in [
            ("actor", &self.actor),
            ("subject", &self.subject),
            ("action", &self.action),
            ("outcome", &self.outcome),
        ] {
            if value
                .as_deref()
                .is_some_and(|v| v.chars().any(char::is_control))
            {
                errors.push(FieldError {
                    field,
                    problem: Problem::BadCharacters,
                });
            }
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        let actor = text(&self.actor).map(|a| {
            if a.starts_with("staff:") || a.starts_with("device:") {
                a
            } else {
                format!("staff:{a}")
            }
        });
        Ok(Filter {
            actor,
            subject: text(&self.subject),
            action: text(&self.action),
            outcome: text(&self.outcome),
            from_ms: from.map(day_start_ms),
            until_ms: to.map(|d| day_start_ms(d.add_days(1))),
        })
    }
}

/// One page of matching entries, newest first, before `before`.
pub async fn page(
    state: &AppState,
    input: &FilterInput,
    before: Option<i64>,
    limit: Option<i64>,
) -> Result<AuditPage, ServiceError> {
    let filter = input.filter()?;
    let limit = limit.unwrap_or(PAGE).clamp(1, PAGE_MAX);
    let found = rows::entries(&state.db, &filter, before.unwrap_or(i64::MAX), limit + 1).await?;
    let more = found.len() as i64 > limit;
    let names = rows::actor_names(&state.db).await?;
    let entries: Vec<AuditEntry> = found
        .into_iter()
        .take(limit as usize)
        .map(|r| AuditEntry {
            actor_name: names.get(&r.actor).cloned().unwrap_or_default(),
            seq: r.seq,
            at_ms: r.at_ms,
            actor: r.actor,
            action: r.action,
            subject_kind: r.subject_kind,
            subject_id: r.subject_id,
            outcome: r.outcome,
            detail: r.detail,
        })
        .collect();
    let next_before = more.then(|| entries.last().map(|e| e.seq)).flatten();
    Ok(AuditPage {
        entries,
        next_before,
    })
}

/// The filtered view as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// Japanese), labelled in `lang`, newest first.
pub async fn export(
    state: &AppState,
    input: &FilterInput,
    lang: Lang,
) -> Result<Vec<u8>, ServiceError> {
    let filter = input.filter()?;
    let found = rows::entries(&state.db, &filter, i64::MAX, EXPORT_MAX).await?;
    let names = rows::actor_names(&state.db).await?;
    let t = lang.catalog();
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let write = |out: &mut csv::Writer<Vec<u8>>, record: &[&str]| {
        out.write_record(record)
            .map_err(|e| ServiceError::Store(sqlx::Error::Encode(e.into())))
    };
    write(
        &mut out,
        &[
            "#",
            t.col_at,
            t.col_actor,
            "ID",
            t.col_action,
            t.col_subject,
            "ID",
            t.col_outcome,
            t.col_detail,
        ],
    )?;
    for r in found {
        let outcome = if r.outcome == "ok" {
            t.outcome_ok
        } else {
            t.outcome_denied
        };
        write(
            &mut out,
            &[
                &r.seq.to_string(),
                &app::domain::date::japan_date_time(r.at_ms),
                names.get(&r.actor).map_or("", String::as_str),
                &r.actor,
                &labels::action(lang, &r.action),
                &labels::subject(lang, &r.subject_kind),
                r.subject_id.as_deref().unwrap_or(""),
                outcome,
                &r.detail,
            ],
        )?;
    }
    out.into_inner()
        .map_err(|e| ServiceError::Store(sqlx::Error::Encode(e.to_string().into())))
}
