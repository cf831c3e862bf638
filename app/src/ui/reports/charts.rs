//! The dashboard's charts, drawn by the app as SVG: each has a title and a description for
//! screen readers and the same numbers in a table beside it (no chart library, no canvas).

use leptos::prelude::*;

use super::super::lang::use_catalog;
use crate::domain::date::CivilDate;
use crate::domain::plan::Metric;
use crate::protocol::{EventLine, Progress};

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// Cumulative placements by month (referral placements darker) against the year's target
/// (horizontal) and the pace that reaches it (diagonal).
#[component]
pub fn Cumulative(report: Progress) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let all = report.period.months();
    let target = report
        .outlooks
        .iter()
        .find(|o| o.metric == Metric::Placements)
        .and_then(|o| o.target);
    let mut rows: Vec<MonthRow> = Vec::new();
    let (mut total, mut referral) = (0u32, 0u32);
    for m in &report.months {
        total += m.placements;
        referral += m.referral;
        rows.push((m.year, m.month, m.placements, m.referral, total, referral));
    }
    let top = f64::from(total.max(target.unwrap_or(0)).max(10)) * 1.1;
    let plot_w = W - LEFT - 8.0;
    let plot_h = H - TOP - BOTTOM;
    let slot = plot_w / all.len().max(1) as f64;
    let y = move |v: f64| TOP + plot_h - v / top * plot_h;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, &(_, _, _, _, total, referral))| {
            let x = LEFT + slot * i as f64 + slot * 0.15;
            let bw = slot * 0.7;
            view! {
                <rect class="bar-all" x=x y=y(f64::from(total)) width=bw height=plot_h + TOP - y(f64::from(total)) />
                <rect class="bar-referral" x=x y=y(f64::from(referral)) width=bw height=plot_h + TOP - y(f64::from(referral)) />
                <text class="bar-value" x=x + bw / 2.0 y=y(f64::from(total)) - 4.0 text-anchor="middle">{total}</text>
            }
        })
        .collect_view();
    let labels = all
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = LEFT + slot * i as f64 + slot / 2.0;
            view! { <text class="axis" x=x y=H - 8.0 text-anchor="middle">{c.month_short(*d)}</text> }
        })
        .collect_view();
    let lines = target.map(|target| {
        let ty = y(f64::from(target));
        view! {
            <line class="target-line" x1=LEFT x2=W - 8.0 y1=ty y2=ty />
            <text class="axis" x=LEFT - 4.0 y=ty + 4.0 text-anchor="end">{target}</text>
            <line class="pace-line" x1=LEFT y1=y(0.0) x2=W - 8.0 y2=ty />
        }
    });
    let title = format!("{}（{}）", w.chart_cumulative, c.as_of_words(report.as_of));
    view! {
        <section class="panel chart" aria-labelledby="cumulative-title">
            <h3 id="cumulative-title">{title.clone()}</h3>
            <div class="chart-with-table">
                <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="cumulative-svg-title cumulative-svg-desc" class="chart-svg">
                    <title id="cumulative-svg-title">{title}</title>
                    <desc id="cumulative-svg-desc">{w.chart_cumulative_desc}</desc>
                    <line class="axis-line" x1=LEFT x2=W - 8.0 y1=y(0.0) y2=y(0.0) />
                    {bars}
                    {labels}
                    {lines}
                </svg>
                <ul class="legend">
                    <li><span class="swatch bar-all"></span>{w.metric(Metric::Placements)}</li>
                    <li><span class="swatch bar-referral"></span>{w.of_which_referral}</li>
                    {target.map(|_| view! {
                        <li><span class="swatch target-line"></span>{w.chart_target_line}</li>
                        <li><span class="swatch pace-line"></span>{w.chart_pace_line}</li>
                    })}
                </ul>
                <MonthsTable rows />
            </div>
        </section>
    }
}

/// A month's placements: (year, month, in the month, of which by referral, cumulative,
/// cumulative by referral).
type MonthRow = (i32, u8, u32, u32, u32, u32);

/// The chart's numbers as a table beside it.
#[component]
fn MonthsTable(rows: Vec<MonthRow>) -> impl IntoView {
    let c = use_catalog().get();
    let w = c.reports;
    let table_rows = rows
        .into_iter()
        .map(|(year, month, n, r, total, referral)| {
            let first = CivilDate::new(year, month, 1).expect("a month");
            view! {
                <tr>
                    <th scope="row">{c.year_month(first)}</th>
                    <td class="num">{n}</td><td class="num">{r}</td>
                    <td class="num">{total}</td><td class="num">{referral}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="records compact" data-testid="months">
            <thead><tr>
                <th scope="col">{w.month}</th>
                <th scope="col" class="num">{w.in_month}</th>
                <th scope="col" class="num">{w.of_which_referral}</th>
                <th scope="col" class="num">{w.cumulative}</th>
                <th scope="col" class="num">{w.cumulative} "（" {w.of_which_referral} "）"</th>
            </tr></thead>
            <tbody>{table_rows}</tbody>
        </table>
    }
}

/// The share of placements by referral, as one bar split in two, with the numbers.
#[component]
pub fn ReferralShare(report: Progress) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let all: u32 = report.months.iter().map(|m| m.placements).sum();
    let referral: u32 = report.months.iter().map(|m| m.referral).sum();
    let other = all - referral.min(all);
    let share =
        (all > 0).then(|| (u64::from(referral) * 1000 + u64::from(all) / 2) / u64::from(all));
    let share_text = share.map_or_else(|| "—".to_owned(), |s| format!("{}.{}%", s / 10, s % 10));
    let width = 600.0;
    let split = share.map_or(0.0, |s| width * s as f64 / 1000.0);
    let desc = format!(
        "{} {}、{} {}、{} {}",
        w.metric(Metric::Placements),
        c.count_words(Metric::Placements, all),
        w.of_which_referral,
        c.count_words(Metric::Placements, referral),
        w.other_routes,
        c.count_words(Metric::Placements, other)
    );
    view! {
        <section class="panel chart" aria-labelledby="share-title">
            <h3 id="share-title">{w.referral_share} ": " <span data-testid="referral-share">{share_text.clone()}</span></h3>
            <svg viewBox="0 0 620 44" role="img" aria-labelledby="share-svg-title share-svg-desc" class="chart-svg share">
                <title id="share-svg-title">{format!("{} {share_text}", w.referral_share)}</title>
                <desc id="share-svg-desc">{desc}</desc>
                <rect class="bar-all" x="10" y="6" width=width height="30" />
                <rect class="bar-referral" x="10" y="6" width=split height="30" />
            </svg>
            <dl class="figures compact">
                <div class="figure"><dt>{w.of_which_referral}</dt><dd>{c.count_words(Metric::Placements, referral)}</dd></div>
                <div class="figure"><dt>{w.other_routes}</dt><dd>{c.count_words(Metric::Placements, other)}</dd></div>
                <div class="figure"><dt>{w.metric(Metric::Placements)}</dt><dd>{c.count_words(Metric::Placements, all)}</dd></div>
            </dl>
        </section>
    }
}

/// One fair from registration to hire, as shrinking bars (the numbers are in the table of
/// events beside it, and written on the bars).
#[component]
pub fn Funnel(event: EventLine) -> impl IntoView {
    let t = use_catalog();
    let c = t.get();
    let w = c.reports;
    let stages = [
        (w.stage_registered, event.registered),
        (w.stage_attended, event.attended),
        (w.stage_interviewed, event.interviewed),
        (w.stage_offered, event.offered),
        (w.stage_hired, event.hired),
    ];
    let widest = f64::from(event.registered.max(event.attended).max(1));
    let title = format!("{} {}", c.format_date_short(event.date), event.title);
    let desc = stages
        .iter()
        .map(|(label, n)| format!("{label} {n}"))
        .collect::<Vec<_>>()
        .join("、");
    let bars = stages
        .into_iter()
        .enumerate()
        .map(|(i, (label, n))| {
            let y = 4.0 + 26.0 * i as f64;
            let bw = 380.0 * f64::from(n) / widest;
            view! {
                <text class="axis" x="150" y=y + 16.0 text-anchor="end">{label}</text>
                <rect class="bar-funnel" x="160" y=y width=bw height="20" />
                <text class="bar-value" x=166.0 + bw y=y + 15.0>{n}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="funnel" data-event=event.event_id.to_string()>
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox="0 0 600 134" role="img" aria-label=format!("{title}: {desc}") class="chart-svg">
                {bars}
            </svg>
        </figure>
    }
}
