//! Text normalisation for what people type at a counter or on a tablet: full-width digits and
//! letters, ideographic spaces, katakana vs hiragana.
//!
//! Light foldings for the characters that matter in names, dates and phone numbers (the rest
//! of the text is kept as typed), and full NFKC (`nfkc`) for the keys names are compared by.

/// Folds full-width ASCII (`０-９`, `Ａ-Ｚ`, `－`, `／` …) to half-width and the ideographic
/// space to an ASCII space. Everything else is unchanged.
pub fn fold_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            // Long-vowel-like dashes people type for a hyphen in dates and phone numbers.
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => '-',
            _ => c,
        })
        .collect()
}

/// Trims both ends (ASCII and ideographic spaces) and collapses inner runs of white space to one
/// space: what a field should store.
pub fn clean_line(input: &str) -> String {
    input
        .split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Characters never accepted in a name, title or other line of text: control characters
/// (C0, DEL, C1: NUL, BEL, ESC …) and the bidirectional formatting characters that make text
/// display in another order than it is stored (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
/// U+061C) — a name must read on screen as it is written.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether a text shows anything: at least one character that is not white space, a control,
/// an invisible format character (zero-width space U+200B, joiners, U+2060–U+2064, BOM, soft
/// hyphen, Hangul fillers) or a combining mark (an accent or a sound mark shows only on the
/// character before it: on its own, nothing a person could read).
pub fn has_visible_char(s: &str) -> bool {
    s.chars().any(|c| {
        !(c.is_whitespace()
            || c.is_control()
            || is_forbidden_char(c)
            || matches!(
                c,
                '\u{00AD}'
                    | '\u{034F}'
                    | '\u{115F}'
                    | '\u{1160}'
                    | '\u{180E}'
                    | '\u{200B}'..='\u{200D}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{3164}'
                    | '\u{FEFF}'
                    | '\u{FFA0}'
            )
            || is_combining_mark(c))
    })
}

/// General category Mark (Mn, Mc, Me). In the browser asked of its own Unicode tables (a
/// `\p{M}` pattern), as `nfkc` asks for its normalisation: the crate's table would add to the
/// tablet's download what the browser already has.
fn is_combining_mark(c: char) -> bool {
    #[cfg(all(feature = "browser", target_arch = "wasm32"))]
    {
        thread_local! {
            static MARK: js_sys::RegExp = js_sys::RegExp::new("^\\p{M}$", "u");
        }
        MARK.with(|mark| mark.test(c.encode_utf8(&mut [0; 4])))
    }
    #[cfg(not(all(feature = "browser", target_arch = "wasm32")))]
    {
        unicode_normalization::char::is_combining_mark(c)
    }
}

/// Number of characters as a person counts them (Unicode scalar values).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_marks_are_forbidden_and_invisible_text_is_seen_as_empty() {
        for bad in [
            '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{2066}', '\u{200f}',
        ] {
            assert!(is_forbidden_char(bad), "{bad:?}");
        }
        for good in ['見', 'ｱ', 'A', '・', '髙', '\u{3000}'] {
            assert!(!is_forbidden_char(good), "{good:?}");
        }
        assert!(!has_visible_char("\u{200b}"));
        assert!(!has_visible_char("\u{200b}\u{feff} \u{3000}"));
        assert!(has_visible_char("\u{200b}花"));
        // Combining marks alone show nothing; on a character they are part of it.
        assert!(!has_visible_char("\u{0301}\u{0301}"));
        assert!(!has_visible_char("\u{3099} \u{20dd}"));
        assert!(has_visible_char("か\u{3099}"));
        assert!(has_visible_char("e\u{0301}"));
    }

    #[test]
    fn folds_full_width() {
        assert_eq!(fold_width("２０２６／１１／２７"), "2026/11/27");
        assert_eq!(fold_width("Ｒ８．１２．３"), "R8.12.3");
        assert_eq!(fold_width("０９０－１２３４"), "090-1234");
        assert_eq!(fold_width("令和　８年"), "令和 8年");
        assert_eq!(fold_width("所沢市"), "所沢市");
    }

    #[test]
    fn cleans_lines() {
        assert_eq!(clean_line("  所沢市役所　 本庁舎  "), "所沢市役所 本庁舎");
        assert_eq!(clean_line("\u{3000}\u{3000}"), "");
        assert_eq!(clean_line("a\n\tb"), "a b");
    }
}

/// Half-width katakana (U+FF61–U+FF9F) in order, as full-width; voiced marks are combined
/// by [`fold_kana`].
const HALF_WIDTH_KATAKANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";

/// Folds what people type for a name's reading to full-width katakana: hiragana → katakana,
/// half-width katakana → full-width (voiced marks combined), full-width ASCII folded, spaces
/// cleaned. `やまだ はなこ`, `ﾔﾏﾀﾞ ﾊﾅｺ` and `ヤマダ　ハナコ` all become `ヤマダ ハナコ`.
pub fn fold_kana(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in fold_width(input).chars() {
        let c = match c {
            // Hiragana ぁ..ゖ and ゝゞ map 0x60 up to katakana.
            '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
                char::from_u32(c as u32 + 0x60).unwrap_or(c)
            }
            '\u{FF61}'..='\u{FF9F}' => HALF_WIDTH_KATAKANA
                .chars()
                .nth((c as u32 - 0xFF61) as usize)
                .unwrap_or(c),
            _ => c,
        };
        match c {
            '゛' | '\u{3099}' => combine_mark(&mut out, c, 1),
            '゜' | '\u{309A}' => combine_mark(&mut out, c, 2),
            _ => out.push(c),
        }
    }
    clean_line(&out)
}

/// Adds a (han)dakuten to the previous kana when it takes one (カ+゛ → ガ, ハ+゜ → パ, ウ+゛ → ヴ).
fn combine_mark(out: &mut String, mark: char, offset: u32) {
    let combined = out.chars().last().and_then(|prev| {
        let takes_mark = match offset {
            1 => "カキクケコサシスセソタチツテトハヒフヘホ".contains(prev),
            _ => "ハヒフヘホ".contains(prev),
        };
        if prev == 'ウ' && offset == 1 {
            Some('ヴ')
        } else if takes_mark {
            char::from_u32(prev as u32 + offset)
        } else {
            None
        }
    });
    match combined {
        Some(c) => {
            out.pop();
            out.push(c);
        }
        None => out.push(mark),
    }
}

/// Whether a folded reading is all katakana (with the long-vowel mark, ・ and spaces).
pub fn is_katakana_reading(folded: &str) -> bool {
    !folded.is_empty()
        && folded
            .chars()
            .all(|c| matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | ' '))
}

#[cfg(test)]
mod kana_tests {
    use super::*;

    #[test]
    fn folds_every_way_of_typing_a_reading() {
        let cases = [
            ("やまだ はなこ", "ヤマダ ハナコ"),
            ("ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダ ハナコ"),
            ("ヤマダ　ハナコ", "ヤマダ ハナコ"),
            ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"),
            (
                "ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ",
                "ガギグゲゴザジズゼゾダヂヅデドバビブベボ",
            ),
            ("ｳﾞｨｰﾅｽ", "ヴィーナス"),
            ("しけん たろう", "シケン タロウ"),
            ("ｯｬｭｮｰ", "ッャュョー"),
        ];
        for (typed, want) in cases {
            assert_eq!(fold_kana(typed), want, "{typed}");
            assert!(is_katakana_reading(want), "{want}");
        }
        assert!(!is_katakana_reading("山田"));
        assert!(!is_katakana_reading("Yamada"));
        assert!(!is_katakana_reading(""));
    }
}

/// Unicode NFKC. In the browser the platform's own normalisation (`String.prototype.normalize`,
/// ICU) does it, so the download carries no normalisation tables (`unicode-normalization`'s
/// were 113 KB of data, 49 KB brotli); elsewhere the crate does. Both follow the Unicode
/// standard, whose stability policy keeps NFKC of assigned characters fixed.
/// `fixtures/nfkc.txt` holds Chromium's answers for the blocks names, readings, numbers and
/// addresses are written in; `nfkc_agrees_with_the_browser` checks the crate against it and the
/// end-to-end test `nfkc.spec.ts` checks the browser against it.
///
/// Text made only of characters NFKC keeps as they are, alone or in any sequence (ASCII,
/// kana, unified kanji), is returned as it is without asking either: a search over ten
/// thousand names calls the browser only for what needs it.
pub fn nfkc(input: &str) -> String {
    if input.chars().all(nfkc_keeps) {
        return input.to_owned();
    }
    #[cfg(all(feature = "browser", target_arch = "wasm32"))]
    {
        String::from(js_sys::JsString::from(input).normalize("NFKC"))
    }
    #[cfg(not(all(feature = "browser", target_arch = "wasm32")))]
    {
        use unicode_normalization::UnicodeNormalization;
        input.nfkc().collect()
    }
}

/// Characters NFKC leaves alone wherever they stand: printable ASCII, hiragana and katakana
/// (not the combining or spacing sound marks U+3099–U+309C, not the ideographic space) and the
/// unified ideographs (not the compatibility ones). None of them decomposes, and none combines
/// with a neighbour of this set.
fn nfkc_keeps(c: char) -> bool {
    matches!(c,
        ' '..='~' | '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' | '\u{30A1}'..='\u{30FE}'
        | '\u{4E00}'..='\u{9FFF}')
}

/// Common 異体字 (variant forms) in names, mapped to the form people usually type: a record
/// written 髙橋 is found by 高橋, 山﨑 by 山崎, 渡邊 by 渡辺. Applied to both sides of a search.
const VARIANTS: &[(char, char)] = &[
    ('髙', '高'),
    ('﨑', '崎'),
    ('嵜', '崎'),
    ('邊', '辺'),
    ('邉', '辺'),
    ('齋', '斎'),
    ('齊', '斉'),
    ('濵', '浜'),
    ('濱', '浜'),
    ('澤', '沢'),
    ('櫻', '桜'),
    ('廣', '広'),
    ('國', '国'),
    ('嶋', '島'),
    ('嶌', '島'),
    ('冨', '富'),
    ('𠮷', '吉'),
    ('德', '徳'),
    ('槇', '槙'),
    ('瀨', '瀬'),
    ('眞', '真'),
    ('實', '実'),
    ('惠', '恵'),
    ('龍', '竜'),
];

/// Characters that show nothing (zero-width spaces and joiners, the soft hyphen, variation
/// selectors): one typed inside a name must not hide it from a search or a check.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// The form of a name (or its reading) that searches and duplicate checks compare: NFKC
/// (full-width letters and digits, half-width katakana, compatibility ideographs), hiragana
/// folded to katakana, the 異体字 above to their common form, letters lower-cased, spaces
/// removed. `髙橋　はなこ`, `高橋ﾊﾅｺ` and `高橋 ハナコ` give the same key.
pub fn name_key(input: &str) -> String {
    fold_kana(&nfkc(input))
        .chars()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .map(|c| {
            VARIANTS
                .iter()
                .find(|(variant, _)| *variant == c)
                .map_or(c, |(_, common)| *common)
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod name_key_tests {
    use super::{name_key, nfkc};

    fn code_points(hex: &str) -> String {
        hex.split(' ')
            .map(|h| char::from_u32(u32::from_str_radix(h, 16).unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn nfkc_agrees_with_the_browser() {
        let table = include_str!("fixtures/nfkc.txt");
        let mut changed = std::collections::HashMap::new();
        let mut ranges = Vec::new();
        for line in table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            if let Some(list) = line.strip_prefix("ranges ") {
                for range in list.split(' ') {
                    let (from, to) = range.split_once('-').unwrap();
                    let bound = |h| u32::from_str_radix(h, 16).unwrap();
                    ranges.push(bound(from)..=bound(to));
                }
            } else {
                let (from, to) = line.split_once('\t').unwrap();
                changed.insert(code_points(from), code_points(to));
            }
        }
        assert!(changed.len() > 2000 && ranges.len() == 13);
        let mut checked = 0;
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            let one = c.to_string();
            let want = changed.get(&one).unwrap_or(&one);
            assert_eq!(&nfkc(&one), want, "U+{:04X}", c as u32);
            checked += 1;
        }
        assert_eq!(checked, 4080);
    }

    #[test]
    fn nfkc_composes_sound_marks_and_keeps_what_it_should() {
        let crate_nfkc = |s: &str| {
            use unicode_normalization::UnicodeNormalization;
            s.nfkc().collect::<String>()
        };
        // Sequences (the table holds single characters): half-width kana with their marks,
        // a kana with a combining mark, full-width digits and dashes in a phone number.
        for (typed, want) in [
            ("ｶﾞｯｺｳ", "ガッコウ"),
            ("か\u{3099}", "が"),
            ("ﾊﾟﾝ", "パン"),
            ("０９０－１２３４－５６７８", "090-1234-5678"),
            ("⾼橋", "高橋"),
        ] {
            assert_eq!(nfkc(typed), want, "{typed}");
            assert_eq!(crate_nfkc(typed), want, "{typed}");
        }
        // The quick path only takes what NFKC keeps, alone and next to each other.
        let kept: Vec<char> = (0x20..=0x9FFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| super::nfkc_keeps(*c))
            .collect();
        assert!(kept.len() > 20_000);
        for c in &kept {
            assert_eq!(
                crate_nfkc(&c.to_string()),
                c.to_string(),
                "U+{:04X}",
                *c as u32
            );
        }
        for pair in kept.windows(2).step_by(7) {
            let text: String = pair.iter().rev().chain(pair).collect();
            assert_eq!(crate_nfkc(&text), text);
        }
    }

    #[test]
    fn names_match_across_width_kana_and_variant_forms() {
        assert_eq!(name_key("髙橋　はなこ"), name_key("高橋ﾊﾅｺ"));
        assert_eq!(name_key("山﨑"), name_key("山崎"));
        assert_eq!(name_key("渡邊"), name_key("渡辺"));
        assert_eq!(name_key("ﾐﾎﾝ ﾊﾅｺ"), "ミホンハナコ");
        assert_eq!(name_key("ミホン　ハナコ"), "ミホンハナコ");
        assert_eq!(name_key("ＡＢＣ"), "abc");
        assert_ne!(name_key("高橋"), name_key("高嶋"));
        assert_eq!(name_key("高\u{200B}橋"), name_key("高橋"));
    }
}
