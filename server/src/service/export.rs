//! Files staff take away from the counter: the caseload as CSV (exactly the people the caller
//! may see, as `people::list` decides) and, for a subject access request (本人開示), everything
//! held about one person as a JSON document. Each export is written to the audit log.

use std::collections::BTreeMap;

use app::domain::access::Organisation;
use app::domain::date::{CivilDate, japan_date_time};
use app::domain::ids::PersonId;
use app::domain::validation::{FieldError, Problem};
use app::i18n::{Lang, audit as labels};
use app::protocol::{ConsentView, PersonView};
use app::sync::wire::RecordKind;
use serde::Serialize;
use serde_json::Value;

use super::{ServiceError, today};
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor};
use crate::store::audit_log::{self as log_rows, Filter};
use crate::store::now_ms;
use crate::store::sync::{self as sync_rows, StoredRecord};

/// The byte-order mark that makes spreadsheet programs read the file as UTF-8.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The caseload's columns: (日本語, English).
const HEADERS: [(&str, &str); 8] = [
    ("id", "id"),
    ("氏名", "Name"),
    ("フリガナ", "Reading (kana)"),
    ("生年月日", "Date of birth"),
    ("区分", "Support category"),
    ("担当機関", "Organisation"),
    ("同意", "Consent"),
    ("同意書番号", "Consent form no."),
];
const YES: (&str, &str) = ("あり", "yes");
const NO: (&str, &str) = ("なし", "no");

fn words(lang: Lang, (ja, en): (&'static str, &'static str)) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// How the caseload writes dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// 和暦, as the catalogue formats dates (令和8年（2026年）11月29日（日）).
    Wareki,
    /// `yyyy-mm-dd`.
    Iso,
}

impl DateForm {
    pub fn code(self) -> &'static str {
        match self {
            DateForm::Wareki => "wareki",
            DateForm::Iso => "iso",
        }
    }
}

/// The caseload export's options, as given in the query.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct CaseloadQuery {
    /// `wareki` (和暦, the default) or `iso` (`yyyy-mm-dd`).
    pub dates: Option<String>,
    /// `ja` or `en`; by default the language of the request (cookie, `Accept-Language`).
    pub lang: Option<String>,
}

impl CaseloadQuery {
    /// The date form and language, or each unknown choice named.
    pub fn options(&self, request_lang: Lang) -> Result<(DateForm, Lang), ServiceError> {
        let mut errors = Vec::new();
        let unknown = |field: &'static str| FieldError {
            field,
            problem: Problem::UnknownChoice,
        };
        let dates = match self.dates.as_deref().map(str::trim) {
            None | Some("") | Some("wareki") => DateForm::Wareki,
            Some("iso") => DateForm::Iso,
            Some(_) => {
                errors.push(unknown("dates"));
                DateForm::Wareki
            }
        };
        let lang = match self.lang.as_deref().map(str::trim) {
            None | Some("") => request_lang,
            Some(tag) => match Lang::from_tag(tag) {
                Some(lang) => lang,
                None => {
                    errors.push(unknown("lang"));
                    request_lang
                }
            },
        };
        if errors.is_empty() {
            Ok((dates, lang))
        } else {
            Err(ServiceError::Invalid(errors))
        }
    }
}

pub(crate) fn csv_error(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Store(sqlx::Error::Encode(e.to_string().into()))
}

/// The caller's caseload as CSV (UTF-8 with BOM): the people `GET /api/v1/people` shows them
/// (each one a read in the audit log), and one `export` entry for the file.
pub async fn caseload(
    state: &AppState,
    staff: &StaffActor,
    query: &CaseloadQuery,
    request_lang: Lang,
) -> Result<Vec<u8>, ServiceError> {
    let (dates, lang) = query.options(request_lang)?;
    let people = super::people::list(state, staff).await?;
    let file = caseload_csv(&people, dates, lang, today())?;
    let actor = Actor::Staff(staff.clone());
    let entry = Entry::new(Some(&actor), "export", "caseload").detail(format!(
        "rows={} dates={} lang={}",
        people.len(),
        dates.code(),
        lang.tag()
    ));
    audit::record(state, &[entry]).await?;
    Ok(file)
}

/// The CSV file: a heading row in `lang`, then one row per person.
pub fn caseload_csv(
    people: &[PersonView],
    dates: DateForm,
    lang: Lang,
    today: CivilDate,
) -> Result<Vec<u8>, ServiceError> {
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    let headers: Vec<&str> = HEADERS.iter().map(|h| words(lang, *h)).collect();
    out.write_record(&headers).map_err(csv_error)?;
    // A duplicate merged into another record is that person: listed once.
    for person in people.iter().filter(|p| p.merged_into.is_none()) {
        out.write_record(caseload_row(person, dates, lang, today))
            .map_err(csv_error)?;
    }
    out.into_inner().map_err(csv_error)
}

fn caseload_row(p: &PersonView, dates: DateForm, lang: Lang, today: CivilDate) -> Vec<String> {
    let t = lang.catalog();
    let birth = p.birth_date.map_or_else(String::new, |d| match dates {
        DateForm::Wareki => t.format_date(d),
        DateForm::Iso => d.to_string(),
    });
    let document_no = open_consent(p, today)
        .and_then(|c| c.document_no.as_deref())
        .unwrap_or("");
    vec![
        p.id.to_string(),
        cell(format!("{} {}", p.family_name, p.given_name).trim()),
        cell(format!("{} {}", p.family_name_kana, p.given_name_kana).trim()),
        birth,
        t.support_category(p.category).to_owned(),
        t.organisation(p.owner_org).to_owned(),
        words(lang, if p.consent_active { YES } else { NO }).to_owned(),
        cell(document_no),
    ]
}

/// The consent in force today (the latest one given and not withdrawn), if any.
fn open_consent(p: &PersonView, today: CivilDate) -> Option<&ConsentView> {
    p.consents
        .iter()
        .rev()
        .find(|c| c.withdrawn_on.is_none() && c.granted_on <= today)
}

/// Typed text as a cell: one a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is
/// kept as text with a leading `'`.
pub(crate) fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Everything held about one person, for a subject access request (本人開示).
#[derive(Debug, Serialize)]
pub struct Disclosure {
    /// When the document was made (Japan time).
    pub generated_at: String,
    /// The organisation that holds the case and made the document.
    pub held_by: Organisation,
    /// The person's record, with every consent and withdrawal.
    pub person: PersonView,
    /// Every shared record about the person (their intake, notes, referrals …), by kind.
    pub records: Vec<HeldRecord>,
    /// Every audit-log entry about the person, newest first (this disclosure's own first).
    pub audit: Vec<AuditLine>,
}

/// One shared record: its fields' current values (not their sync stamps).
#[derive(Debug, Serialize)]
pub struct HeldRecord {
    pub kind: RecordKind,
    pub id: String,
    pub owner_org: Organisation,
    pub deleted: bool,
    pub fields: BTreeMap<String, Value>,
}

impl From<StoredRecord> for HeldRecord {
    fn from(record: StoredRecord) -> Self {
        Self {
            kind: record.kind,
            id: record.id,
            owner_org: record.owner_org,
            deleted: record.state.deleted.is_some(),
            fields: record
                .state
                .fields
                .into_iter()
                .map(|(name, field)| (name, field.value))
                .collect(),
        }
    }
}

/// One audit-log entry about the person: when, who, what.
#[derive(Debug, Serialize)]
pub struct AuditLine {
    pub seq: i64,
    /// Japan time, `yyyy-mm-dd hh:mm:ss`.
    pub at: String,
    pub at_ms: i64,
    /// `staff:<id>` or `device:<id>`.
    pub actor: String,
    /// The staff member's name or the device's label.
    pub actor_name: String,
    pub action: String,
    /// The action in the request's language.
    pub action_label: String,
    pub subject_kind: String,
    /// `ok` or `denied`.
    pub outcome: String,
    pub detail: String,
}

/// The disclosure document for `id`. Only staff of the organisation that holds the case may
/// make it; anyone else is answered as if the person did not exist (and the refusal audited).
/// The export is audited before the audit section is read, so it lists itself.
pub async fn disclosure(
    state: &AppState,
    staff: &StaffActor,
    id: PersonId,
    lang: Lang,
) -> Result<Disclosure, ServiceError> {
    let actor = Actor::Staff(staff.clone());
    let person = super::people::load_one(state, id).await?;
    let entry = Entry::new(Some(&actor), "disclosure", "person").subject(id);
    if !(staff.role.handles_cases() && staff.organisation == person.owner_org) {
        audit::record(state, &[entry.denied()]).await?;
        return Err(ServiceError::NotFound);
    }
    let records = held_records(state, id).await?;
    audit::record(state, &[entry.detail(format!("held={}", records.len()))]).await?;
    let audit = entries_about(state, id, lang).await?;
    Ok(Disclosure {
        generated_at: japan_date_time(now_ms()),
        held_by: staff.organisation,
        person,
        records,
        audit,
    })
}

/// The person's own record and every record about them, by kind then id.
async fn held_records(state: &AppState, id: PersonId) -> Result<Vec<HeldRecord>, ServiceError> {
    let person_id = id.to_string();
    let mut conn = state.db.acquire().await?;
    let mut ids = vec![person_id.clone()];
    for kind in RecordKind::ALL {
        ids.extend(sync_rows::ids_about(&mut conn, &person_id, kind.code()).await?);
    }
    ids.sort();
    ids.dedup();
    let wanted: Vec<&str> = ids.iter().map(String::as_str).collect();
    let found = sync_rows::records(&mut conn, &wanted).await?;
    let mut held: Vec<HeldRecord> = found.into_values().map(HeldRecord::from).collect();
    held.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    Ok(held)
}

/// The audit-log entries about the person (as the administrator's screen finds them by
/// subject: entries naming them, and sync pages that sent them), newest first.
async fn entries_about(
    state: &AppState,
    id: PersonId,
    lang: Lang,
) -> Result<Vec<AuditLine>, ServiceError> {
    let filter = Filter {
        subject: Some(id.to_string()),
        ..Filter::default()
    };
    let found =
        log_rows::entries(&state.db, &filter, i64::MAX, super::audit_log::EXPORT_MAX).await?;
    let names = log_rows::actor_names(&state.db).await?;
    Ok(found
        .into_iter()
        .map(|r| AuditLine {
            actor_name: names.get(&r.actor).cloned().unwrap_or_default(),
            at: japan_date_time(r.at_ms),
            action_label: labels::action(lang, &r.action),
            seq: r.seq,
            at_ms: r.at_ms,
            actor: r.actor,
            action: r.action,
            subject_kind: r.subject_kind,
            outcome: r.outcome,
            detail: r.detail,
        })
        .collect())
}
