//! How the audit log's codes read to a person: actions, what they were done to, outcomes.
//! The log stores stable codes; the administrator's screen and the exported file show these.

use super::Lang;

/// (code, 日本語, English)
const ACTIONS: &[(&str, &str, &str)] = &[
    ("access", "画面・APIの利用", "access"),
    ("read", "閲覧", "read"),
    ("list", "一覧の閲覧", "list"),
    ("create", "登録", "create"),
    ("update", "変更", "update"),
    ("login", "ログイン", "sign-in"),
    ("login_failed", "ログイン失敗", "failed sign-in"),
    ("logout", "ログアウト", "sign-out"),
    ("enrol", "端末の登録", "device enrolment"),
    ("revoke", "端末の停止", "device revoked"),
    ("disable", "アカウント停止", "account disabled"),
    ("enable", "アカウント再開", "account enabled"),
    ("password_reset", "パスワード再設定", "password reset"),
    ("role_change", "役割の変更", "role changed"),
    ("consent_grant", "同意の記録", "consent recorded"),
    ("consent_withdraw", "同意の撤回", "consent withdrawn"),
    ("check_in", "来場確認", "check-in"),
    ("sync_create", "同期による登録", "created by sync"),
    ("sync_update", "同期による変更", "changed by sync"),
    ("sync_delete", "同期による削除", "deleted by sync"),
    ("sync_pull", "同期による受信", "received by sync"),
    ("conflict_resolve", "競合の解決", "conflict resolved"),
    ("duplicate_decided", "重複の判断", "duplicate decided"),
    (
        "duplicate_undone",
        "重複の判断の取り消し",
        "duplicate decision undone",
    ),
    (
        "person_merge",
        "重複する受付の統合",
        "duplicate intake merged",
    ),
    ("person_unmerge", "統合の取り消し", "merge undone"),
    ("export", "一覧の書き出し", "list exported"),
    ("disclosure", "本人開示の書き出し", "disclosure exported"),
];

const SUBJECTS: &[(&str, &str, &str)] = &[
    ("person", "相談者", "person"),
    ("participant", "面接会の参加者", "fair participant"),
    ("interview", "面接記録", "interview"),
    ("note", "記録", "note"),
    ("staff", "職員アカウント", "staff account"),
    ("device", "端末", "device"),
    ("session", "ログイン", "session"),
    ("route", "画面・API", "route"),
    ("employer", "参加事業所", "employer"),
    ("duplicate", "重複の候補", "possible duplicate"),
    ("event", "イベント", "event"),
    ("caseload", "ケース一覧", "caseload"),
    (
        "records",
        "複数の記録（同期の1ページ）",
        "records (one sync page)",
    ),
];

fn label(table: &'static [(&str, &str, &str)], lang: Lang, code: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, ja, en)| match lang {
            Lang::Ja => *ja,
            Lang::En => *en,
        })
}

/// An action's label; an unknown code is shown as it is.
pub fn action(lang: Lang, code: &str) -> String {
    label(ACTIONS, lang, code).map_or_else(|| code.to_owned(), str::to_owned)
}

/// What an entry is about; an unknown code is shown as it is.
pub fn subject(lang: Lang, code: &str) -> String {
    label(SUBJECTS, lang, code).map_or_else(|| code.to_owned(), str::to_owned)
}

/// The actions, for a filter's choices: (code, label).
pub fn actions(lang: Lang) -> Vec<(&'static str, &'static str)> {
    ACTIONS
        .iter()
        .map(|(code, ja, en)| (*code, if lang == Lang::Ja { *ja } else { *en }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words_in_both_languages() {
        assert_eq!(action(Lang::Ja, "sync_pull"), "同期による受信");
        assert_eq!(action(Lang::En, "login_failed"), "failed sign-in");
        assert_eq!(subject(Lang::Ja, "person"), "相談者");
        assert_eq!(action(Lang::Ja, "brand_new"), "brand_new");
        let codes: std::collections::HashSet<_> = ACTIONS.iter().map(|a| a.0).collect();
        assert_eq!(codes.len(), ACTIONS.len(), "each code once");
    }
}
