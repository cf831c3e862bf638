//! The words of intake (相談受付) beyond the name: the details' labels and choices, the
//! headings of the one intake form, and where a saved entry is. `Catalog::intake` points to
//! the language's one.

use super::casework::{Labels, find};
use crate::domain::intake::{CameVia, Household, Sex};

pub struct IntakeWords {
    /// (API field name, label) of the intake details.
    pub fields: Labels,
    pub sexes: Labels,
    pub households: Labels,
    pub came_via: Labels,
    pub details_legend: &'static str,
    pub others_legend: &'static str,
    pub address_hint: &'static str,
    pub children_hint: &'static str,
    pub phone_hint: &'static str,
    pub members: &'static str,
    pub ages: &'static str,
    pub mine_filter: &'static str,
    pub offline_list: &'static str,
    pub edit_intake: &'static str,
    pub col_status: &'static str,
    pub err_cannot_merge: &'static str,
    pub merge_title: &'static str,
    pub merge_lead: &'static str,
    pub merge_none: &'static str,
    pub merge_this: &'static str,
    pub merge_reason: &'static str,
    pub merge_confirm: &'static str,
    pub merged_banner: &'static str,
    pub merged_here: &'static str,
    pub unmerge: &'static str,
    pub unmerged: &'static str,
    pub registered: &'static str,
    pub merge_offline: &'static str,
    pub disclosure: &'static str,
    pub export_csv: &'static str,
    pub export_dates: &'static str,
    pub dates_wareki: &'static str,
    pub dates_iso: &'static str,
}

impl IntakeWords {
    pub fn field(&self, name: &str) -> Option<&'static str> {
        Some(find(self.fields, name)).filter(|l| !l.is_empty())
    }
    pub fn sex(&self, v: Sex) -> &'static str {
        find(self.sexes, v.code())
    }
    pub fn household(&self, v: Household) -> &'static str {
        find(self.households, v.code())
    }
    pub fn came(&self, v: CameVia) -> &'static str {
        find(self.came_via, v.code())
    }
}

pub static JA: IntakeWords = IntakeWords {
    fields: &[
        ("sex", "性別"),
        ("phone", "電話番号"),
        ("address", "住所（市内）"),
        ("household", "世帯"),
        ("household_size", "世帯の人数"),
        ("children_ages", "子どもの年齢"),
        ("other_categories", "ほかに該当する区分"),
        ("came_via", "来所経路"),
        ("into", "統合先"),
        ("reason", "理由"),
        ("merged_into", "統合"),
        ("dates", "日付の形式"),
        ("lang", "言語"),
    ],
    sexes: &[
        ("female", "女性"),
        ("male", "男性"),
        ("unstated", "回答しない"),
    ],
    households: &[
        ("alone", "単身"),
        ("single_parent", "ひとり親と子"),
        ("couple", "夫婦のみ"),
        ("couple_children", "夫婦と子"),
        ("with_parents", "親と同居"),
        ("other", "その他"),
    ],
    came_via: &[
        ("welfare", "福祉の窓口から"),
        ("hello_work", "ハローワークから"),
        ("fair", "面接会"),
        ("self", "本人から"),
        ("agency", "ほかの相談機関から"),
        ("other", "その他"),
    ],
    details_legend: "本人と世帯のこと（わかる範囲で）",
    others_legend: "ほかに該当する区分（複数可）",
    address_hint: "市内の町名・番地（市名は不要）",
    children_hint: "例: 13、3（全角・「歳」付きも可）",
    phone_hint: "例: 04-2998-0000（ハイフン・全角可）",
    members: "{n}人",
    ages: "{list}歳",
    mine_filter: "自分が担当するケースだけ",
    offline_list: "サーバーにつながらないため、この端末にある記録を表示しています（担当機関と同意は接続後に表示）。",
    edit_intake: "受付内容を直す",
    col_status: "状況",
    err_cannot_merge: "{field}: この組み合わせは統合できません（同じ記録、統合済みの記録、またはほかの記録が統合されている記録です）。",
    merge_title: "重複の統合",
    merge_lead: "同じ人が二重に受付されている場合、もう一方をこの記録に統合します。もう一方の記録と経過は消えず、この記録から読めます。統合は取り消せます。",
    merge_none: "似た氏名・フリガナの記録はありません。",
    merge_this: "この記録に統合する",
    merge_reason: "統合する理由（同一人物と判断した根拠）",
    merge_confirm: "統合する（この記録を残す）",
    merged_banner: "この記録は、{name} の記録に統合されています。",
    merged_here: "この記録に統合された記録",
    unmerge: "統合を取り消す",
    unmerged: "統合を取り消しました。",
    registered: "受付日",
    merge_offline: "統合と取り消しはサーバーにつながっているときにできます。",
    disclosure: "本人開示用に、保有するすべての記録を書き出す（JSON）",
    export_csv: "一覧をCSVで書き出す（Excel対応）",
    export_dates: "日付の形式",
    dates_wareki: "和暦",
    dates_iso: "西暦（ISO）",
};

pub static EN: IntakeWords = IntakeWords {
    fields: &[
        ("sex", "Sex"),
        ("phone", "Phone"),
        ("address", "Address (in the city)"),
        ("household", "Household"),
        ("household_size", "Household members"),
        ("children_ages", "Children's ages"),
        ("other_categories", "Other categories that apply"),
        ("came_via", "How the person came"),
        ("into", "Record to keep"),
        ("reason", "Reason"),
        ("merged_into", "Merge"),
        ("dates", "Date format"),
        ("lang", "Language"),
    ],
    sexes: &[
        ("female", "Woman"),
        ("male", "Man"),
        ("unstated", "Not stated"),
    ],
    households: &[
        ("alone", "Lives alone"),
        ("single_parent", "Single parent with children"),
        ("couple", "Couple"),
        ("couple_children", "Couple with children"),
        ("with_parents", "Lives with parents"),
        ("other", "Other"),
    ],
    came_via: &[
        ("welfare", "From the welfare counter"),
        ("hello_work", "From Hello Work"),
        ("fair", "At a job fair"),
        ("self", "On their own"),
        ("agency", "From another support agency"),
        ("other", "Other"),
    ],
    details_legend: "The person and their household (as far as known)",
    others_legend: "Other categories that apply (any number)",
    address_hint: "Town and block in the city (no city name)",
    children_hint: "e.g. 13, 3",
    phone_hint: "e.g. 04-2998-0000",
    members: "{n} people",
    ages: "aged {list}",
    mine_filter: "Only cases I work on",
    offline_list: "The server cannot be reached: showing the records on this device (organisation and consent once connected).",
    edit_intake: "Correct the intake",
    col_status: "Status",
    err_cannot_merge: "{field}: these records cannot be merged (the same record, one already merged, or one others were merged into).",
    merge_title: "Merge a duplicate",
    merge_lead: "When the same person was taken in twice, merge the other record into this one. Nothing of the other record or its entries is lost; it is read from here. A merge can be undone.",
    merge_none: "No record with a similar name or reading.",
    merge_this: "Merge into this record",
    merge_reason: "Why these are the same person",
    merge_confirm: "Merge (keep this record)",
    merged_banner: "This record is merged into the record of {name}.",
    merged_here: "Records merged into this one",
    unmerge: "Undo the merge",
    unmerged: "The merge was undone.",
    registered: "Taken in",
    merge_offline: "Merging and undoing need a connection to the server.",
    disclosure: "Export everything held about this person, for a disclosure request (JSON)",
    export_csv: "Export the list as CSV (opens in Excel)",
    export_dates: "Dates",
    dates_wareki: "Japanese era",
    dates_iso: "Western (ISO)",
};
