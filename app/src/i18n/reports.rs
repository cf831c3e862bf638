//! The words of the reports area: the plan's rows and figures (each saying what it counts),
//! the dashboard, the council report, the plan form and the CSV. `Catalog::reports` points to
//! the language's one.

use super::casework::{Labels, find};
use crate::domain::plan::{Metric, Program};

pub struct ReportWords {
    /// (program code, 事業 as the council report names it).
    pub programs: Labels,
    /// (metric code, label).
    pub metrics: Labels,
    /// (metric code, what the figure counts).
    pub counts: Labels,
    pub people: &'static str,
    pub times: &'static str,
    pub dashboard: &'static str,
    pub as_of: &'static str,
    pub as_of_hint: &'static str,
    pub show: &'static str,
    pub no_plan: &'static str,
    pub target: &'static str,
    pub actual: &'static str,
    pub rate: &'static str,
    pub needed: &'static str,
    pub forecast: &'static str,
    pub planned_more: &'static str,
    pub previous: &'static str,
    pub previous_target: &'static str,
    pub previous_actual: &'static str,
    pub chart_cumulative: &'static str,
    pub chart_cumulative_desc: &'static str,
    pub chart_target_line: &'static str,
    pub chart_pace_line: &'static str,
    pub month: &'static str,
    pub in_month: &'static str,
    pub cumulative: &'static str,
    pub of_which_referral: &'static str,
    pub referral_share: &'static str,
    pub other_routes: &'static str,
    pub funnel: &'static str,
    pub funnel_desc: &'static str,
    pub stage_registered: &'static str,
    pub stage_attended: &'static str,
    pub stage_interviewed: &'static str,
    pub stage_offered: &'static str,
    pub stage_hired: &'static str,
    pub events_title: &'static str,
    pub events_none: &'static str,
    pub held: &'static str,
    pub planned: &'static str,
    pub council_report: &'static str,
    pub council_print: &'static str,
    pub col_program: &'static str,
    pub col_goal: &'static str,
    pub col_metric: &'static str,
    pub col_status: &'static str,
    pub placements_status: &'static str,
    pub fair_status_head: &'static str,
    pub also_planned: &'static str,
    pub csv: &'static str,
    pub plan_title: &'static str,
    pub plan_lead: &'static str,
    pub starts_on: &'static str,
    pub starts_on_hint: &'static str,
    pub save_plan: &'static str,
    pub plan_saved: &'static str,
    pub plan_unchanged: &'static str,
    pub history: &'static str,
    pub history_none: &'static str,
    pub only_managers: &'static str,
    pub field_starts_on: &'static str,
    pub fiscal_year: &'static str,
    pub as_of_short: &'static str,
    pub report_title: &'static str,
    pub goal_heading: &'static str,
    pub status_heading: &'static str,
    pub goal_placements: &'static str,
    pub result_placements: &'static str,
    pub goal_fairs: &'static str,
    pub goal_participants: &'static str,
    pub goal_fair_placements: &'static str,
    pub result_fairs: &'static str,
    pub goal_fair_figures: &'static str,
    pub result_fair_figures: &'static str,
    pub goal_events_each: &'static str,
    pub goal_event: &'static str,
    pub result_event: &'static str,
    pub with_youth: &'static str,
    pub tally: &'static str,
    pub also_planned_in: &'static str,
    pub reference_goal: &'static str,
    pub reference_result: &'static str,
    pub list_sep: &'static str,
    pub err_before_asked: &'static str,
    pub err_after_meeting: &'static str,
    pub err_in_future: &'static str,
    /// (API field, label) of requests and meetings.
    pub council_fields: Labels,
    pub sides: Labels,
    pub statuses: Labels,
    pub requests_title: &'static str,
    pub requests_lead: &'static str,
    pub requests_none: &'static str,
    pub request_new: &'static str,
    pub request_edit: &'static str,
    /// The form's heading while it changes a saved request.
    pub request_edit_title: &'static str,
    pub request_save: &'static str,
    pub request_saved: &'static str,
    pub overdue: &'static str,
    pub asked_of: &'static str,
    pub meetings_title: &'static str,
    pub meetings_lead: &'static str,
    pub meetings_none: &'static str,
    pub meeting_new: &'static str,
    pub meeting_save: &'static str,
    pub meeting_saved: &'static str,
    pub meeting_frozen: &'static str,
    pub as_of_default: &'static str,
    pub stories_title: &'static str,
    pub stories_none: &'static str,
    pub cancel: &'static str,
}

impl ReportWords {
    pub fn program(&self, p: Program) -> &'static str {
        find(self.programs, p.code())
    }
    pub fn metric(&self, m: Metric) -> &'static str {
        find(self.metrics, m.code())
    }
    pub fn what(&self, m: Metric) -> &'static str {
        find(self.counts, m.code())
    }
    pub fn unit(&self, m: Metric) -> &'static str {
        if m.counts_people() {
            self.people
        } else {
            self.times
        }
    }
    /// The label of an API field of this area, for error messages.
    pub fn field(&self, name: &str) -> Option<&'static str> {
        match name {
            "fiscal_year" => Some(self.fiscal_year),
            "as_of" => Some(self.as_of_short),
            "starts_on" => Some(self.field_starts_on),
            "targets" => Some(self.target),
            other => Metric::from_code(other)
                .map(|m| self.metric(m))
                .or_else(|| Some(find(self.council_fields, other)).filter(|l| !l.is_empty())),
        }
    }

    /// A history line's field: a metric's label, or the first day.
    pub fn changed_field(&self, code: &str) -> &'static str {
        Metric::from_code(code).map_or(self.field_starts_on, |m| self.metric(m))
    }
}

pub static JA: ReportWords = ReportWords {
    programs: &[
        ("job_support", "生活困窮者に対する就職支援"),
        ("youth_fairs", "若年者に対する面接会開催"),
        ("events", "合同面接会・職場見学会・セミナー"),
    ],
    metrics: &[
        ("placements", "就職者数"),
        ("referral_placements", "うち紹介就職"),
        ("fairs_held", "面接会の開催"),
        ("fair_participants", "参加者（延べ）"),
        ("fair_referral_placements", "紹介就職（面接会）"),
        ("joint_interviews_held", "合同面接会"),
        ("workplace_tours_held", "職場見学会"),
        ("seminars_held", "セミナー"),
    ],
    counts: &[
        (
            "placements",
            "ケースに記録した就職（開始日がこの期間のもの）。同じ人が2回就職すれば2件。",
        ),
        (
            "referral_placements",
            "就職のうち、ハローワークの職業紹介または面接会によるもの。",
        ),
        ("fairs_held", "若年者向けの合同面接会のうち開催済みの回数。"),
        (
            "fair_participants",
            "若年者面接会に参加（受付）した人の数を、回ごとに数えて合計（延べ）。",
        ),
        (
            "fair_referral_placements",
            "若年者面接会で採用になった人（タブレットの採用記録またはケースの就職記録、1回につき1人1件）。",
        ),
        (
            "joint_interviews_held",
            "開催済みの合同面接会。若年者面接会もここに数えます（若年者の行と両方に数えます）。",
        ),
        ("workplace_tours_held", "開催済みの職場見学会。"),
        ("seminars_held", "開催済みのセミナー。"),
    ],
    people: "人",
    times: "回",
    dashboard: "年度の進み具合",
    as_of: "時点（この日の終わりまで、日本時間）",
    as_of_hint: "例：令和8年9月30日、2026-09-30",
    show: "表示する",
    no_plan: "この年度の事業計画（目標）はまだ登録されていません。実績だけを表示しています。",
    target: "目標",
    actual: "実績",
    rate: "達成率",
    needed: "目標まで月あたり",
    forecast: "年度末見込み",
    planned_more: "予定",
    previous: "（参考）前年度",
    previous_target: "前年度目標",
    previous_actual: "前年度実績",
    chart_cumulative: "就職者数の累計（月別）と目標",
    chart_cumulative_desc: "棒は月ごとの累計就職者数、うち紹介就職は濃い色。横線は年度目標、斜線は目標に届く進み方。",
    chart_target_line: "年度目標",
    chart_pace_line: "目標に届く進み方",
    month: "月",
    in_month: "その月",
    cumulative: "累計",
    of_which_referral: "うち紹介就職",
    referral_share: "紹介就職の割合",
    other_routes: "自己就職・その他",
    funnel: "面接会ごとの流れ",
    funnel_desc: "申込から採用までの人数。各段階は後の段階の人を含みます（採用になった人は内定を得た人にも数えます）。",
    stage_registered: "申込・受付",
    stage_attended: "参加",
    stage_interviewed: "面接",
    stage_offered: "内定（採用を含む）",
    stage_hired: "採用",
    events_title: "面接会・イベント",
    events_none: "この年度の面接会・イベントはありません。",
    held: "開催済み",
    planned: "予定",
    council_report: "運営協議会への報告",
    council_print: "印刷する（A4）",
    col_program: "事業",
    col_goal: "事業目標",
    col_metric: "指標",
    col_status: "取組状況",
    placements_status: "就職者数（そのうち紹介就職によるもの）",
    fair_status_head: "参加者数 ／ 就職者数",
    also_planned: "にも開催予定",
    csv: "CSV（Excel用）",
    plan_title: "事業計画（目標）",
    plan_lead: "年度の数値目標。変更は誰がいつ何を変えたか記録されます。管理職だけが変更できます。",
    starts_on: "計画の開始日",
    starts_on_hint: "空欄なら4月1日。事業開始の年度は開始日（例：平成23年9月1日）。",
    save_plan: "目標を保存",
    plan_saved: "保存しました。",
    plan_unchanged: "変更はありませんでした。",
    history: "変更の記録",
    history_none: "まだ変更はありません。",
    only_managers: "目標の変更は管理職が行います。",
    field_starts_on: "計画の開始日",
    fiscal_year: "年度",
    as_of_short: "時点",
    report_title: "福祉・就労連携コーナー 事業目標と取組状況",
    goal_heading: "{year}事業目標",
    status_heading: "取組状況（{as_of}）",
    goal_placements: "◇{n}人以上の就職（うち{r}人以上が紹介就職）",
    result_placements: "◇{n}人の就職（うち{r}人が紹介就職）",
    goal_fairs: "◇面接会を{n}回開催予定",
    goal_participants: "・参加者：延べ{n}人以上予定",
    goal_fair_placements: "・紹介就職：{n}人以上予定",
    result_fairs: "◇面接会を{n}回開催",
    goal_fair_figures: "参加者：延べ{n}人以上、紹介就職：{r}人以上",
    result_fair_figures: "参加者：延べ{n}人、紹介就職：{r}人",
    goal_events_each: "◇合同面接会、職場見学会、セミナーをそれぞれ{n}回以上実施",
    goal_event: "◇{kind}を{n}回以上実施",
    result_event: "◇{kind} {n}回",
    with_youth: "（うち若年者面接会 {n}回）",
    tally: "◇{group}向け{kind} 計{n}回開催",
    also_planned_in: "※{months}にも開催予定",
    reference_goal: "（参考）{year}目標（{period}）",
    reference_result: "（参考）{year}実績（{period}）",
    list_sep: "、",
    err_before_asked: "{field}は要望の日以降の日付にしてください。",
    err_after_meeting: "{field}は開催日までの日付にしてください。",
    err_in_future: "{field}は今日までの日付にしてください（実績はその日の終わりまでを数えます）。",
    council_fields: &[
        ("asked_by", "要望した側"),
        ("subject", "件名"),
        ("detail", "内容"),
        ("asked_on", "要望の日"),
        ("due_on", "回答期限"),
        ("answer", "回答"),
        ("answered_on", "回答日"),
        ("status", "状況"),
        ("held_on", "開催日"),
        ("members", "出席者"),
    ],
    sides: &[
        ("city", "市長（市）"),
        ("labour_bureau", "労働局長（労働局）"),
    ],
    statuses: &[
        ("open", "受付（未回答）"),
        ("in_progress", "誠実に対応中"),
        ("answered", "回答済"),
        ("withdrawn", "取下げ"),
    ],
    requests_title: "協定に基づく要望",
    requests_lead: "市長と労働局長の間の協定に基づく要望の記録。どちらからも要望でき、出された要望には誠実に対応します。期限を過ぎて回答のないものは強調して表示します。",
    requests_none: "まだ要望はありません。",
    request_new: "要望を記録する",
    request_edit: "編集",
    request_edit_title: "要望を編集する",
    request_save: "保存する",
    request_saved: "保存しました。",
    overdue: "期限超過",
    asked_of: "要望先",
    meetings_title: "運営協議会",
    meetings_lead: "開催日、出席者、提出した報告。報告はその日の数字の写しを保存するので、後の訂正で変わりません。",
    meetings_none: "まだ記録された運営協議会はありません。",
    meeting_new: "運営協議会を記録する",
    meeting_save: "記録して報告を保存する",
    meeting_saved: "記録しました。提出した報告の写しを保存しました。",
    meeting_frozen: "この報告は運営協議会に提出したときの数字の写しです（その後の訂正は反映されません）。",
    as_of_default: "空欄なら開催日の前月末。",
    stories_title: "一体的実施事業による就職成功例",
    stories_none: "承認済みの就職成功例はありません。",
    cancel: "取り消す",
};

pub static EN: ReportWords = ReportWords {
    programs: &[
        ("job_support", "Job support for people in hardship"),
        ("youth_fairs", "Interview fairs for young people"),
        ("events", "Joint interview fairs, workplace tours, seminars"),
    ],
    metrics: &[
        ("placements", "Placements"),
        ("referral_placements", "of which by referral"),
        ("fairs_held", "Fairs held"),
        ("fair_participants", "Participants (total attendances)"),
        ("fair_referral_placements", "Placements at fairs"),
        ("joint_interviews_held", "Joint interview fairs"),
        ("workplace_tours_held", "Workplace tours"),
        ("seminars_held", "Seminars"),
    ],
    counts: &[
        (
            "placements",
            "Placements recorded in cases that started in the period. A person placed twice counts twice.",
        ),
        (
            "referral_placements",
            "Of those, placements through a Hello Work referral or at a fair.",
        ),
        (
            "fairs_held",
            "Joint interview fairs for young people already held.",
        ),
        (
            "fair_participants",
            "People who attended the youth fairs, counted at each fair and added up.",
        ),
        (
            "fair_referral_placements",
            "People hired at the youth fairs (hired on a tablet or recorded as a placement at the fair; once per person and fair).",
        ),
        (
            "joint_interviews_held",
            "Joint interview fairs held. Youth fairs count here too (in both rows).",
        ),
        ("workplace_tours_held", "Workplace tours held."),
        ("seminars_held", "Seminars held."),
    ],
    people: "",
    times: "",
    dashboard: "Progress of the year",
    as_of: "As of (end of this day, Japan time)",
    as_of_hint: "e.g. 2026-09-30 or 令和8年9月30日",
    show: "Show",
    no_plan: "No business plan (targets) has been entered for this year yet; results only.",
    target: "Target",
    actual: "Actual",
    rate: "Achieved",
    needed: "Needed per month",
    forecast: "Year-end forecast",
    planned_more: "planned",
    previous: "For reference: previous year",
    previous_target: "Previous year's target",
    previous_actual: "Previous year's actual",
    chart_cumulative: "Cumulative placements by month against the target",
    chart_cumulative_desc: "Bars: placements so far by month, referral placements darker. Horizontal line: the year's target; diagonal: the pace that reaches it.",
    chart_target_line: "Year's target",
    chart_pace_line: "Pace to the target",
    month: "Month",
    in_month: "In the month",
    cumulative: "Cumulative",
    of_which_referral: "of which by referral",
    referral_share: "Share by referral",
    other_routes: "Self-found and other",
    funnel: "Each fair, from registration to hire",
    funnel_desc: "People at each stage. Each stage includes the later ones (a person hired is also counted as offered).",
    stage_registered: "Registered",
    stage_attended: "Attended",
    stage_interviewed: "Interviewed",
    stage_offered: "Offered (hired included)",
    stage_hired: "Hired",
    events_title: "Fairs and events",
    events_none: "No fairs or events in this fiscal year.",
    held: "Held",
    planned: "Planned",
    council_report: "Report to the steering council",
    council_print: "Print (A4)",
    col_program: "Programme",
    col_goal: "Target",
    col_metric: "Measure",
    col_status: "Progress",
    placements_status: "Placements (of which by referral)",
    fair_status_head: "Participants / placements",
    also_planned: " also planned",
    csv: "CSV (for Excel)",
    plan_title: "Business plan (targets)",
    plan_lead: "The year's numeric targets. Every change is kept with who made it and when. Only managers change them.",
    starts_on: "Plan starts on",
    starts_on_hint: "Empty for 1 April; the opening day in the corner's first year (e.g. 2011-09-01).",
    save_plan: "Save targets",
    plan_saved: "Saved.",
    plan_unchanged: "Nothing was changed.",
    history: "Changes",
    history_none: "No changes yet.",
    only_managers: "Targets are changed by managers.",
    field_starts_on: "Plan starts on",
    fiscal_year: "Fiscal year",
    as_of_short: "As of",
    report_title: "Welfare-to-work corner: targets and progress",
    goal_heading: "{year} targets",
    status_heading: "Progress ({as_of})",
    goal_placements: "◇ At least {n} placements (at least {r} by referral)",
    result_placements: "◇ {n} placements ({r} by referral)",
    goal_fairs: "◇ {n} fairs planned",
    goal_participants: "· Participants: at least {n} in total",
    goal_fair_placements: "· Placements by referral: at least {n}",
    result_fairs: "◇ {n} fairs held",
    goal_fair_figures: "Participants: at least {n} in total; placements by referral: at least {r}",
    result_fair_figures: "Participants: {n} in total; placements by referral: {r}",
    goal_events_each: "◇ Joint interview fairs, workplace tours and seminars: at least {n} each",
    goal_event: "◇ {kind}: at least {n}",
    result_event: "◇ {kind}: {n}",
    with_youth: " (of which youth fairs: {n})",
    tally: "◇ {kind} for {group}: {n} held",
    also_planned_in: "※ Also planned in {months}",
    reference_goal: "For reference: {year} target ({period})",
    reference_result: "For reference: {year} result ({period})",
    list_sep: ", ",
    err_before_asked: "{field} must be on or after the day of the request.",
    err_after_meeting: "{field} must be on or before the day of the meeting.",
    err_in_future: "{field} must be today or earlier (figures are counted to the end of that day).",
    council_fields: &[
        ("asked_by", "Asked by"),
        ("subject", "Subject"),
        ("detail", "Details"),
        ("asked_on", "Asked on"),
        ("due_on", "Answer due"),
        ("answer", "Answer"),
        ("answered_on", "Answered on"),
        ("status", "Status"),
        ("held_on", "Held on"),
        ("members", "Members present"),
    ],
    sides: &[
        ("city", "The mayor (city)"),
        ("labour_bureau", "The labour bureau's director"),
    ],
    statuses: &[
        ("open", "Received (no answer yet)"),
        ("in_progress", "Being handled in good faith"),
        ("answered", "Answered"),
        ("withdrawn", "Withdrawn"),
    ],
    requests_title: "Requests under the agreement",
    requests_lead: "Requests between the mayor and the director of the labour bureau under their agreement: either side may ask and the other answers in good faith. Pending requests past their due date are highlighted.",
    requests_none: "No requests yet.",
    request_new: "Record a request",
    request_edit: "Edit",
    request_edit_title: "Edit the request",
    request_save: "Save",
    request_saved: "Saved.",
    overdue: "Overdue",
    asked_of: "Asked of",
    meetings_title: "Steering council meetings",
    meetings_lead: "Day, members present and the report submitted. The report is a copy of that day's figures, so later corrections do not change it.",
    meetings_none: "No meetings recorded yet.",
    meeting_new: "Record a meeting",
    meeting_save: "Record and keep the report",
    meeting_saved: "Recorded; a copy of the report was kept.",
    meeting_frozen: "This is the report as submitted to the meeting (later corrections are not shown).",
    as_of_default: "Empty for the end of the month before the meeting.",
    stories_title: "Success stories",
    stories_none: "No approved success stories.",
    cancel: "Cancel",
};

impl super::Catalog {
    /// The day a report is made as of: 「平成24年9月末時点」 at a month's end, else
    /// 「令和8年11月29日時点」; "as of the end of September 2012" / "as of 29 Nov 2026".
    pub fn as_of_words(&self, as_of: crate::domain::date::CivilDate) -> String {
        use crate::domain::date::days_in_month;
        let month_end = as_of.day() == days_in_month(as_of.year(), as_of.month());
        match (&self.date_style, month_end) {
            (super::DateStyle::Japanese, true) => format!("{}末時点", self.year_month(as_of)),
            (super::DateStyle::Japanese, false) => {
                format!("{}時点", self.format_date_short(as_of))
            }
            (super::DateStyle::English, true) => {
                format!("as of the end of {}", self.year_month(as_of))
            }
            (super::DateStyle::English, false) => {
                format!("as of {}", self.format_date_short(as_of))
            }
        }
    }

    /// 「平成24年9月」 / "September 2012" (the English catalogue's month names).
    pub fn year_month(&self, date: crate::domain::date::CivilDate) -> String {
        match (
            &self.date_style,
            crate::domain::wareki::era_year_kanji(date),
        ) {
            (super::DateStyle::Japanese, Some(era)) => format!("{era}{}月", date.month()),
            (super::DateStyle::Japanese, None) => format!("{}年{}月", date.year(), date.month()),
            (super::DateStyle::English, _) => {
                let month = self.months[usize::from(date.month()) - 1];
                format!("{month} {}", date.year())
            }
        }
    }

    /// 「平成23年9月～平成24年3月」 / "September 2011 – March 2012".
    pub fn period_words(&self, period: crate::domain::plan::Period) -> String {
        let sep = match &self.date_style {
            super::DateStyle::Japanese => "～",
            super::DateStyle::English => " – ",
        };
        format!(
            "{}{sep}{}",
            self.year_month(period.starts_on),
            self.year_month(period.ends_on)
        )
    }

    /// 「平成24年度」 / "FY2012" (the council report's headings).
    pub fn fiscal_year_heading(&self, year: i32) -> String {
        match (
            &self.date_style,
            crate::domain::wareki::fiscal_year_kanji(year),
        ) {
            (super::DateStyle::Japanese, Some(name)) => name,
            (super::DateStyle::Japanese, None) => format!("{year}年度"),
            (super::DateStyle::English, _) => format!("FY{year}"),
        }
    }

    /// 「7月25日」 / "25 Jul".
    pub fn month_day(&self, date: crate::domain::date::CivilDate) -> String {
        match &self.date_style {
            super::DateStyle::Japanese => format!("{}月{}日", date.month(), date.day()),
            super::DateStyle::English => format!("{} {}", date.day(), self.month_short(date)),
        }
    }

    /// 「9月」 / "Sep" (an axis label).
    pub fn month_short(&self, date: crate::domain::date::CivilDate) -> String {
        match &self.date_style {
            super::DateStyle::Japanese => format!("{}月", date.month()),
            super::DateStyle::English => self.months[usize::from(date.month()) - 1]
                .chars()
                .take(3)
                .collect(),
        }
    }

    /// 「83人」 / "83".
    pub fn count_words(&self, metric: Metric, n: u32) -> String {
        format!("{n}{}", self.reports.unit(metric))
    }

    /// 「81.4%」 from tenths of a percent.
    pub fn permille_words(permille: u32) -> String {
        format!("{}.{}%", permille / 10, permille % 10)
    }
}
