//! Case tables of the plan's periods, rates, pace and forecasts, with the seed's figures.

use super::*;
use crate::domain::wareki::fiscal_year_kanji;

fn d(s: &str) -> CivilDate {
    s.parse().expect("a test date")
}

#[test]
fn metric_codes_round_trip_and_each_belongs_to_one_row() {
    for m in Metric::ALL {
        assert_eq!(Metric::from_code(m.code()), Some(m));
        // The API and the CSV name a metric by the same code as the database.
        assert_eq!(serde_json::to_value(m).unwrap(), m.code());
    }
    let per_row: Vec<usize> = Program::ALL
        .iter()
        .map(|p| Metric::ALL.iter().filter(|m| m.program() == *p).count())
        .collect();
    assert_eq!(per_row, [2, 3, 3]);
    assert_eq!(Metric::from_code("nonsense"), None);
}

#[test]
fn periods_are_fiscal_years_or_start_on_the_opening_day() {
    // (fiscal year, start, days, start, end)
    let cases = [
        (2011, "2011-09-01", 213, "2011-09-01", "2012-03-31"),
        (2012, "2012-04-01", 365, "2012-04-01", "2013-03-31"),
        // February 2016 has 29 days: the fiscal year 2015 is 366 days.
        (2015, "2015-04-01", 366, "2015-04-01", "2016-03-31"),
        (2026, "2026-04-01", 365, "2026-04-01", "2027-03-31"),
    ];
    for (year, start, days, from, to) in cases {
        let p = Period::from(year, d(start));
        assert_eq!(
            (p.days(), p.starts_on, p.ends_on),
            (days, d(from), d(to)),
            "{year}"
        );
    }
}

#[test]
fn days_and_months_left_fall_on_the_japanese_calendar_day() {
    let h24 = Period::fiscal_year(2012);
    // (as of, days elapsed, months left)
    let cases = [
        ("2012-03-31", 0, 12.0),
        ("2012-04-01", 1, 11.0 + 29.0 / 30.0),
        ("2012-09-15", 168, 6.5),
        ("2012-09-30", 183, 6.0),
        ("2013-02-28", 334, 1.0),
        ("2013-03-31", 365, 0.0),
        ("2013-04-01", 365, 0.0),
    ];
    for (as_of, days, months) in cases {
        assert_eq!(h24.days_elapsed(d(as_of)), days, "{as_of}");
        assert!((h24.months_left(d(as_of)) - months).abs() < 1e-9, "{as_of}");
    }
}

#[test]
fn the_seed_report_as_of_the_end_of_september_2012() {
    let h24 = Period::fiscal_year(2012);
    let as_of = d("2012-09-30");
    let youth = FairCount {
        held: 1,
        planned: 2,
    };
    let none = FairCount::default();
    // (metric, target, actual, fairs, rate ‰, needed per month ×10, forecast)
    let cases = [
        // 83/102 = 81.4%; 19 more in 6 months = 3.2 a month; 83 × 365 / 183 = 165.5 → 166.
        (Metric::Placements, 102, 83, none, 814, Some(32), 166),
        // 57/74 = 77.0%; 17 in 6 months = 2.9; 57 × 365 / 183 = 113.7 → 114.
        (Metric::ReferralPlacements, 74, 57, none, 770, Some(29), 114),
        // One fair held of three, two planned (Nov, Feb): no monthly pace for fairs.
        (Metric::YouthFairs, 3, 1, youth, 333, None, 3),
        // 31 at the one fair held: 93 at that average over three fairs.
        (Metric::YouthFairParticipants, 100, 31, youth, 310, None, 93),
        (Metric::YouthFairPlacements, 15, 5, youth, 333, None, 15),
    ];
    for (metric, target, actual, fairs, rate, needed, forecast) in cases {
        let o = Outlook::of(metric, Some(target), actual, fairs, h24, as_of);
        assert_eq!(o.rate_permille, Some(rate), "{metric:?}");
        assert_eq!(o.needed_per_month_tenths, needed, "{metric:?}");
        assert_eq!(o.forecast, Some(forecast), "{metric:?}");
    }
}

#[test]
fn a_year_that_is_over_or_has_not_begun_needs_no_pace() {
    // 平成23年度 (from the opening day): 75 placements against 36 — 208.3%, nothing needed.
    let h23 = Period::from(2011, d("2011-09-01"));
    let o = Outlook::of(
        Metric::Placements,
        Some(36),
        75,
        FairCount::default(),
        h23,
        d("2012-03-31"),
    );
    assert_eq!(
        (o.rate_permille, o.needed_per_month_tenths, o.forecast),
        (Some(2083), None, Some(75))
    );
    // Before the corner opened: no days elapsed, no forecast; the whole year's pace needed.
    let o = Outlook::of(
        Metric::Placements,
        Some(36),
        0,
        FairCount::default(),
        h23,
        d("2011-08-31"),
    );
    assert_eq!((o.forecast, o.needed_per_month_tenths), (None, Some(52)));
    // A target of 0 or none has no rate.
    let o = Outlook::of(
        Metric::Seminars,
        Some(0),
        1,
        FairCount::default(),
        h23,
        d("2012-03-31"),
    );
    assert_eq!((o.rate_permille, o.forecast), (None, Some(1)));
}

#[test]
fn fiscal_years_are_named_by_the_era_they_are_known_by() {
    let cases = [
        (1988, "昭和63年度"),
        (1989, "平成元年度"),
        (2011, "平成23年度"),
        (2012, "平成24年度"),
        (2018, "平成30年度"),
        (2019, "令和元年度"),
        (2020, "令和2年度"),
        (2026, "令和8年度"),
    ];
    for (year, name) in cases {
        assert_eq!(fiscal_year_kanji(year).as_deref(), Some(name), "{year}");
    }
}

#[test]
fn a_plan_is_checked_field_by_field() {
    let draft = |start: &str, targets: &[(&str, &str)]| PlanDraft {
        starts_on: start.into(),
        targets: targets
            .iter()
            .map(|(m, t)| ((*m).into(), (*t).into()))
            .collect(),
    };
    let plan = validate(
        2011,
        &draft(
            "平成23年9月1日",
            &[
                ("placements", "３６人"),
                ("referral_placements", " 24 "),
                ("seminars_held", ""),
            ],
        ),
    )
    .expect("the seed's first plan");
    assert_eq!(plan.period, Period::from(2011, d("2011-09-01")));
    assert_eq!(
        plan.targets,
        [
            (Metric::Placements, Some(36)),
            (Metric::ReferralPlacements, Some(24)),
            (Metric::Seminars, None)
        ]
    );
    assert_eq!(
        validate(2012, &draft("", &[]))
            .expect("no targets yet")
            .period,
        Period::fiscal_year(2012)
    );
    // (start, targets, the fields named)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
    let bad: [Case; 5] = [
        ("2011-03-31", &[], &["starts_on"]),
        ("9月1日ごろ", &[], &["starts_on"]),
        ("", &[("placements", "-1")], &["placements"]),
        (
            "",
            &[("placements", "1"), ("placements", "2")],
            &["placements"],
        ),
        (
            "",
            &[("visits", "3"), ("seminars_held", "百")],
            &["targets", "seminars_held"],
        ),
    ];
    for (start, targets, fields) in bad {
        let errors = validate(2011, &draft(start, targets)).expect_err(start);
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, fields, "{start} {targets:?}");
    }
    assert_eq!(
        parse_target("100001"),
        Err(Problem::NumberOutOfRange {
            min: 0,
            max: 100_000
        })
    );
    assert_eq!(parse_target("1,020"), Ok(Some(1020)));
    assert_eq!(parse_target("１０２人以上"), Ok(Some(102)));
}

#[test]
fn the_day_and_the_fiscal_year_are_japans_whatever_the_servers_zone() {
    // (UTC day, UTC hour, minute, second, Japan's day, fiscal year, era year)
    let cases = [
        ("2012-09-30", 14, 59, 59, "2012-09-30", 2012, "平成24年"),
        ("2012-09-30", 15, 0, 0, "2012-10-01", 2012, "平成24年"),
        ("2013-03-31", 14, 59, 59, "2013-03-31", 2012, "平成25年"),
        ("2013-03-31", 15, 0, 0, "2013-04-01", 2013, "平成25年"),
        ("2019-04-30", 14, 59, 59, "2019-04-30", 2019, "平成31年"),
        ("2019-04-30", 15, 0, 0, "2019-05-01", 2019, "令和元年"),
    ];
    for (utc_day, h, m, s, japan, fy, era) in cases {
        let ms = d(utc_day).to_days() * 86_400_000 + (h * 3600 + m * 60 + s) * 1000;
        let day = CivilDate::in_japan_from_unix_millis(ms);
        assert_eq!(day, d(japan), "{utc_day} {h}:{m}");
        assert_eq!(day.fiscal_year(), fy, "{japan}");
        assert_eq!(
            crate::domain::wareki::era_year_kanji(day).as_deref(),
            Some(era),
            "{japan}"
        );
    }
}
