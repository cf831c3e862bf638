//! The business plan (事業計画) agreed between the city and the labour bureau: per fiscal year,
//! numeric targets (数値目標) for the rows the steering council reads, and how far the year has
//! come against them. The counting itself happens where the records are (the server's read
//! tables); this module says what each figure is, which row it belongs to, and the arithmetic
//! the report shows beside it (rate, the pace still needed, a forecast), so the dashboard, the
//! printed report and the CSV cannot disagree. The rules are written out in `docs/reports.md`.

use serde::{Deserialize, Serialize};

use super::date::{CivilDate, days_in_month};
use super::text::fold_width;
use super::validation::{Errors, FieldError, Problem};

/// A row of the plan (事業), as the council report lays them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Program {
    /// 生活困窮者に対する就職支援: placements of the people the corner supports.
    JobSupport,
    /// 若年者に対する面接会開催: joint interview fairs for young job seekers.
    YouthFairs,
    /// 合同面接会・職場見学会・セミナー: events of each kind, at least so many times.
    Events,
}

impl Program {
    pub const ALL: [Program; 3] = [Self::JobSupport, Self::YouthFairs, Self::Events];

    pub fn code(self) -> &'static str {
        match self {
            Self::JobSupport => "job_support",
            Self::YouthFairs => "youth_fairs",
            Self::Events => "events",
        }
    }
}

/// One numeric target of the plan, with the rule that counts it (see `docs/reports.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Metric {
    /// 就職者数: placements recorded in cases, started within the period (a person placed twice
    /// counts twice; the same placement recorded under a merged duplicate counts once).
    #[serde(rename = "placements")]
    Placements,
    /// うち紹介就職: of those, through a Hello Work referral or at a fair.
    #[serde(rename = "referral_placements")]
    ReferralPlacements,
    /// 若年者面接会の開催回数: joint interview fairs for young people held.
    #[serde(rename = "fairs_held")]
    YouthFairs,
    /// 参加者（延べ）: people who attended those fairs, counted at each fair.
    #[serde(rename = "fair_participants")]
    YouthFairParticipants,
    /// 紹介就職（面接会）: people hired at those fairs, each once per fair.
    #[serde(rename = "fair_referral_placements")]
    YouthFairPlacements,
    /// 合同面接会: joint interview fairs of any group (a youth fair counts here too: 同時開催).
    #[serde(rename = "joint_interviews_held")]
    JointInterviews,
    /// 職場見学会
    #[serde(rename = "workplace_tours_held")]
    WorkplaceTours,
    /// セミナー
    #[serde(rename = "seminars_held")]
    Seminars,
}

/// What a metric counts: placements over days, or events held on their day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counts {
    Placements,
    Events,
    /// Figures of the fairs held (participants, hires): forecast per fair still planned.
    PerFair,
}

impl Metric {
    pub const ALL: [Metric; 8] = [
        Self::Placements,
        Self::ReferralPlacements,
        Self::YouthFairs,
        Self::YouthFairParticipants,
        Self::YouthFairPlacements,
        Self::JointInterviews,
        Self::WorkplaceTours,
        Self::Seminars,
    ];

    /// The stable code used in the API, the database and the CSV.
    pub fn code(self) -> &'static str {
        match self {
            Self::Placements => "placements",
            Self::ReferralPlacements => "referral_placements",
            Self::YouthFairs => "fairs_held",
            Self::YouthFairParticipants => "fair_participants",
            Self::YouthFairPlacements => "fair_referral_placements",
            Self::JointInterviews => "joint_interviews_held",
            Self::WorkplaceTours => "workplace_tours_held",
            Self::Seminars => "seminars_held",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn program(self) -> Program {
        match self {
            Self::Placements | Self::ReferralPlacements => Program::JobSupport,
            Self::YouthFairs | Self::YouthFairParticipants | Self::YouthFairPlacements => {
                Program::YouthFairs
            }
            Self::JointInterviews | Self::WorkplaceTours | Self::Seminars => Program::Events,
        }
    }

    pub fn counts(self) -> Counts {
        match self {
            Self::Placements | Self::ReferralPlacements => Counts::Placements,
            Self::YouthFairParticipants | Self::YouthFairPlacements => Counts::PerFair,
            Self::YouthFairs | Self::JointInterviews | Self::WorkplaceTours | Self::Seminars => {
                Counts::Events
            }
        }
    }

    /// People (人) or times (回).
    pub fn counts_people(self) -> bool {
        !matches!(self.counts(), Counts::Events)
    }
}

/// The largest target accepted: a typing slip beyond any corner's year.
pub const TARGET_MAX: u32 = 100_000;
/// The earliest fiscal year a plan can be made for (the model corners opened in 2011).
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

/// The days a fiscal year's plan covers: April to March, or from the corner's opening day in
/// a partial first year (平成23年9月1日 to 平成24年3月31日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Period {
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub starts_on: CivilDate,
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub ends_on: CivilDate,
}

impl Period {
    /// The whole fiscal year `year` (April `year` to March `year + 1`).
    pub fn fiscal_year(year: i32) -> Period {
        Period {
            starts_on: CivilDate::new(year, 4, 1).expect("1 April exists"),
            ends_on: CivilDate::new(year + 1, 3, 31).expect("31 March exists"),
        }
    }

    /// The fiscal year from `starts_on` (the opening day in a partial first year).
    pub fn from(year: i32, starts_on: CivilDate) -> Period {
        Period {
            starts_on,
            ..Self::fiscal_year(year)
        }
    }

    pub fn days(self) -> i64 {
        self.ends_on.to_days() - self.starts_on.to_days() + 1
    }

    /// Days of the period up to and including `as_of` (0 before it starts).
    pub fn days_elapsed(self, as_of: CivilDate) -> i64 {
        (as_of.min(self.ends_on).to_days() - self.starts_on.to_days() + 1).clamp(0, self.days())
    }

    /// The last day counted for a report as of `as_of`: never past the period's end.
    pub fn counted_until(self, as_of: CivilDate) -> CivilDate {
        as_of.min(self.ends_on)
    }

    /// The first day of each month of the period, in order.
    pub fn months(self) -> Vec<CivilDate> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.starts_on.year(), self.starts_on.month());
        while (y, m) <= (self.ends_on.year(), self.ends_on.month()) {
            out.push(CivilDate::new(y, m, 1).expect("the first of a month"));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }

    /// Months left after `as_of` until the period ends, the rest of `as_of`'s own month as a
    /// fraction: 6.0 as of 30 September, 6.5 as of 15 September (30-day month).
    pub fn months_left(self, as_of: CivilDate) -> f64 {
        if as_of >= self.ends_on {
            return 0.0;
        }
        // Before the period: all of it is left (from the day before it starts).
        let as_of = as_of.max(self.starts_on.add_days(-1));
        let index = |d: CivilDate| i64::from(d.year()) * 12 + i64::from(d.month());
        let whole = index(self.ends_on) - index(as_of);
        let month_days = days_in_month(as_of.year(), as_of.month());
        let rest = f64::from(month_days - as_of.day()) / f64::from(month_days);
        whole as f64 + rest
    }
}

/// The figures of one metric as of a day, and what they imply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Outlook {
    pub metric: Metric,
    pub target: Option<u32>,
    pub actual: u32,
    /// Events of the metric's kind still planned in the period after the day (for events and
    /// per-fair figures: the fairs still to come).
    pub planned: u32,
    /// actual / target in tenths of a percent, rounded half up (814 = 81.4%).
    pub rate_permille: Option<u32>,
    /// Placements still needed per remaining month to reach the target, in tenths, rounded up
    /// (32 = 3.2 a month); `None` when reached, without a target, when the year is over, or
    /// for events (held on planned days, not at a pace).
    pub needed_per_month_tenths: Option<u32>,
    /// The year-end figure if the year goes on as so far (see [`Outlook::of`]).
    pub forecast: Option<u32>,
}

/// The fairs of a per-fair metric: held so far and still planned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FairCount {
    pub held: u32,
    pub planned: u32,
}

impl Outlook {
    /// Rate, pace and forecast of `actual` against `target` as of `as_of`:
    /// - placements: forecast at the pace so far (actual × days of the period ÷ days elapsed,
    ///   rounded half up), pace needed = what is missing ÷ months left;
    /// - events: forecast = held + still planned;
    /// - per-fair figures: forecast = the average of the fairs held × all fairs of the year.
    pub fn of(
        metric: Metric,
        target: Option<u32>,
        actual: u32,
        fairs: FairCount,
        period: Period,
        as_of: CivilDate,
    ) -> Outlook {
        let rate_permille = target.and_then(|t| permille(actual, t));
        let months = period.months_left(as_of);
        // A monthly pace means something for placements; fairs are held on planned days.
        let needed_per_month_tenths = match target {
            Some(t) if t > actual && months > 0.0 && metric.counts() == Counts::Placements => {
                Some((f64::from(t - actual) * 10.0 / months - 1e-9).ceil() as u32)
            }
            _ => None,
        };
        let elapsed = period.days_elapsed(as_of);
        let forecast = match metric.counts() {
            Counts::Placements if elapsed > 0 => {
                Some(round_div(u64::from(actual) * period.days() as u64, elapsed as u64) as u32)
            }
            Counts::Placements => None,
            Counts::Events => Some(actual + fairs.planned),
            Counts::PerFair if fairs.held > 0 => Some(round_div(
                u64::from(actual) * u64::from(fairs.held + fairs.planned),
                u64::from(fairs.held),
            ) as u32),
            Counts::PerFair => None,
        };
        Outlook {
            metric,
            target,
            actual,
            planned: fairs.planned,
            rate_permille,
            needed_per_month_tenths,
            forecast,
        }
    }
}

fn round_div(n: u64, d: u64) -> u64 {
    (2 * n + d) / (2 * d)
}

/// `part` of `whole` in tenths of a percent, rounded half up (`None` of nothing).
pub fn permille(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| round_div(u64::from(part) * 1000, u64::from(whole)) as u32)
}

/// A plan as typed into the managers' form, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanDraft {
    /// The first day the plan covers (empty for 1 April): the opening day of a partial year.
    pub starts_on: String,
    /// (metric code, typed target; empty for no target).
    pub targets: Vec<(String, String)>,
}

/// A checked plan: its period and a target (or none) for each metric named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlan {
    pub period: Period,
    pub targets: Vec<(Metric, Option<u32>)>,
}

/// Checks a plan for fiscal year `year`: the start within the year, each target a whole number
/// (full-width digits and 人/回 accepted) up to [`TARGET_MAX`], each metric once.
pub fn validate(year: i32, draft: &PlanDraft) -> Result<NewPlan, Vec<FieldError>> {
    let mut errors = Errors::default();
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(vec![FieldError {
            field: "fiscal_year",
            problem: Problem::NumberOutOfRange {
                min: FIRST_YEAR.into(),
                max: LAST_YEAR.into(),
            },
        }]);
    }
    let whole = Period::fiscal_year(year);
    let period = match draft.starts_on.trim() {
        "" => Some(whole),
        typed => match super::wareki::parse_date_input(typed) {
            Ok(d) if d >= whole.starts_on && d <= whole.ends_on => Some(Period::from(year, d)),
            Ok(_) => {
                errors.add(
                    "starts_on",
                    Problem::DateOutOfRange {
                        from_year: year,
                        to_year: year + 1,
                    },
                );
                None
            }
            Err(e) => {
                errors.add("starts_on", Problem::NotADate(e));
                None
            }
        },
    };
    let mut targets: Vec<(Metric, Option<u32>)> = Vec::new();
    for (code, typed) in &draft.targets {
        let Some(metric) = Metric::from_code(code) else {
            errors.add("targets", Problem::UnknownChoice);
            continue;
        };
        if targets.iter().any(|(m, _)| *m == metric) {
            errors.add(metric.code(), Problem::AlreadyExists);
            continue;
        }
        match parse_target(typed) {
            Ok(t) => targets.push((metric, t)),
            Err(problem) => errors.add(metric.code(), problem),
        }
    }
    errors.finish(|| NewPlan {
        period: period.expect("a period when no error"),
        targets,
    })
}

/// A target as typed: empty for none, else a whole number; `１０２人`, `102 人`, `3回` too.
pub fn parse_target(typed: &str) -> Result<Option<u32>, Problem> {
    let folded = fold_width(typed);
    let digits = folded
        .trim()
        .trim_end_matches("以上")
        .trim_end_matches(['人', '回'])
        .trim_end()
        .replace(',', "");
    if digits.is_empty() {
        return Ok(None);
    }
    let out_of_range = Problem::NumberOutOfRange {
        min: 0,
        max: TARGET_MAX.into(),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(out_of_range);
    }
    match digits.parse::<u32>() {
        Ok(n) if n <= TARGET_MAX => Ok(Some(n)),
        _ => Err(out_of_range),
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
