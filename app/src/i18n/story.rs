//! The words of success stories (就職成功例): the panel on the person's page, the A4 page.

pub struct StoryWords {
    pub title: &'static str,
    pub none: &'static str,
    pub draft_new: &'static str,
    pub draft: &'static str,
    pub approved: &'static str,
    pub approve: &'static str,
    pub print: &'static str,
    pub open_print: &'static str,
    pub profile: &'static str,
    pub sex: &'static str,
    pub sexes: &'static [(&'static str, &'static str)],
    pub age_band: &'static str,
    pub age_band_value: &'static str,
    pub household: &'static str,
    pub household_hint: &'static str,
    pub challenges: &'static str,
    pub support: &'static str,
    pub result: &'static str,
    pub remarks: &'static str,
    pub check_hint: &'static str,
    pub approved_line: &'static str,
    pub not_found: &'static str,
    pub back: &'static str,
}

impl StoryWords {
    pub fn sex(&self, code: &str) -> &'static str {
        self.sexes
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, l)| *l)
    }
}

pub static JA: StoryWords = StoryWords {
    title: "就職成功例",
    none: "まだ成功例はありません。",
    draft_new: "成功例の下書きを作る",
    draft: "下書き",
    approved: "承認済み",
    approve: "承認する",
    print: "印刷する",
    open_print: "A4で表示",
    profile: "支援対象者",
    sex: "性別",
    sexes: &[
        ("female", "女性"),
        ("male", "男性"),
        ("unstated", "記載しない"),
    ],
    age_band: "年代",
    age_band_value: "{n}代",
    household: "世帯",
    household_hint: "例: 子ども2人（13歳・3歳）。名前・住所・日付は書かない。",
    challenges: "1 抱える課題",
    support: "2 支援内容・ポイント・経過",
    result: "3 結果",
    remarks: "4 担当者の所感",
    check_hint: "保存するとき、本人の氏名・フリガナ・電話番号・住所・日付が含まれていないか自動で確かめます。",
    approved_line: "{date} {name} 承認",
    not_found: "この成功例は見つからないか、閲覧が許可されていません。",
    back: "ケースへ戻る",
};

pub static EN: StoryWords = StoryWords {
    title: "Success story",
    none: "No success story yet.",
    draft_new: "Draft a success story",
    draft: "Draft",
    approved: "Approved",
    approve: "Approve",
    print: "Print",
    open_print: "Show on A4",
    profile: "Person supported",
    sex: "Sex",
    sexes: &[
        ("female", "Woman"),
        ("male", "Man"),
        ("unstated", "Not stated"),
    ],
    age_band: "Age band",
    age_band_value: "in their {n}s",
    household: "Household",
    household_hint: "e.g. two children (13 and 3). No names, addresses or dates.",
    challenges: "1 Challenges",
    support: "2 Support, key points and progress",
    result: "3 Result",
    remarks: "4 Remarks of the staff member",
    check_hint: "On saving, the text is checked for the person's name, reading, phone number, address and dates.",
    approved_line: "approved {date} by {name}",
    not_found: "This story does not exist or you may not see it.",
    back: "Back to the case",
};
