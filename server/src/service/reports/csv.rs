//! The council report's figures as CSV for Excel (UTF-8 with BOM): the plan's rows with
//! target, actual, rate, the pace needed and the forecast, then each event's funnel, then the
//! placements by month — the same figures the dashboard and the printed report show.

use app::domain::plan::Metric;
use app::i18n::{Catalog, Lang};
use app::protocol::Progress;

use crate::service::ServiceError;
use crate::service::export::{BOM, cell, csv_error};

type Out = csv::Writer<Vec<u8>>;

fn write(out: &mut Out, cells: Vec<String>) -> Result<(), ServiceError> {
    out.write_record(cells.iter().map(|s| cell(s)))
        .map_err(csv_error)
}

pub fn progress_csv(report: &Progress, lang: Lang) -> Result<Vec<u8>, ServiceError> {
    let c = lang.catalog();
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(BOM.to_vec());
    figures(&mut out, c, report)?;
    write(&mut out, Vec::new())?;
    events(&mut out, c, report)?;
    write(&mut out, Vec::new())?;
    months(&mut out, c, report)?;
    out.into_inner().map_err(csv_error)
}

/// The heading and one line per metric: target, actual, rate, pace, forecast, previous year.
fn figures(out: &mut Out, c: &Catalog, report: &Progress) -> Result<(), ServiceError> {
    let w = c.reports;
    let mut row = |cells: Vec<String>| write(out, cells);
    row(vec![
        w.council_report.to_owned(),
        c.fiscal_year(report.fiscal_year),
        c.period_words(report.period),
        c.as_of_words(report.as_of),
    ])?;
    row(vec![
        w.col_program.into(),
        w.col_metric.into(),
        w.target.into(),
        w.actual.into(),
        w.rate.into(),
        w.needed.into(),
        w.forecast.into(),
        w.previous_target.into(),
        w.previous_actual.into(),
    ])?;
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    for o in &report.outlooks {
        let previous = report
            .previous
            .as_ref()
            .and_then(|p| p.figures.iter().find(|f| f.metric == o.metric));
        row(vec![
            w.program(o.metric.program()).into(),
            w.metric(o.metric).into(),
            number(o.target),
            o.actual.to_string(),
            o.rate_permille
                .map(Catalog::permille_words)
                .unwrap_or_default(),
            o.needed_per_month_tenths
                .map(|t| format!("{}.{}", t / 10, t % 10))
                .unwrap_or_default(),
            number(o.forecast),
            number(previous.and_then(|p| p.target)),
            number(previous.map(|p| p.actual)),
        ])?;
    }
    Ok(())
}

/// Each event of the year with its funnel.
fn events(out: &mut Out, c: &Catalog, report: &Progress) -> Result<(), ServiceError> {
    let w = c.reports;
    let mut row = |cells: Vec<String>| write(out, cells);
    row(vec![
        c.field_date.into(),
        c.field_title.into(),
        c.field_kind.into(),
        w.held.into(),
        w.stage_registered.into(),
        w.stage_attended.into(),
        w.stage_interviewed.into(),
        w.stage_offered.into(),
        w.stage_hired.into(),
    ])?;
    for e in &report.events {
        row(vec![
            c.format_date_short(e.date),
            e.title.clone(),
            c.event_kind(e.kind).into(),
            (if e.held { w.held } else { w.planned }).into(),
            e.registered.to_string(),
            e.attended.to_string(),
            e.interviewed.to_string(),
            e.offered.to_string(),
            e.hired.to_string(),
        ])?;
    }
    Ok(())
}

/// Placements by month with the running total.
fn months(out: &mut Out, c: &Catalog, report: &Progress) -> Result<(), ServiceError> {
    let w = c.reports;
    let mut row = |cells: Vec<String>| write(out, cells);
    row(vec![
        w.month.into(),
        w.metric(Metric::Placements).into(),
        w.of_which_referral.into(),
        w.cumulative.into(),
    ])?;
    let mut total = 0;
    for m in &report.months {
        total += m.placements;
        let first = app::domain::date::CivilDate::new(m.year, m.month, 1).map_err(csv_error)?;
        row(vec![
            c.year_month(first),
            m.placements.to_string(),
            m.referral.to_string(),
            total.to_string(),
        ])?;
    }
    Ok(())
}
