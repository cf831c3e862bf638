//! An anonymised success story (就職成功例): what must not be in it. A story is written from a
//! case for reports and the steering council; before it is kept, the text is checked for what
//! would identify the person — their name or reading (in any width, kana or variant form),
//! a phone number, an exact date (a birth date is one) — and the profile is reduced to sex,
//! age band and household shape.

use super::date::CivilDate;
use super::text::name_key;

/// A name's or a text's key for the check: `name_key` with everything but letters and digits
/// left out, so 高・橋 or 高-橋 is 高橋 still.
fn story_key(s: &str) -> String {
    name_key(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// What people write after a name (さん, 様 …): a one-character name part followed by one
/// of them is a name.
const HONORIFICS: [&str; 6] = ["サン", "サマ", "様", "氏", "クン", "チャン"];

/// Something in a story's text that could identify the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Finding {
    Name,
    Reading,
    Phone,
    ExactDate,
    Address,
}

/// The person a story is about, as the check needs them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub family_name_kana: &'a str,
    pub given_name_kana: &'a str,
    /// Where they live in the city, as intake recorded it ("" when not known).
    pub address: &'a str,
}

/// What in `text` could identify `subject`, each kind once, in the order above.
pub fn findings(text: &str, subject: Subject<'_>) -> Vec<Finding> {
    let key = story_key(text);
    // A name part of one character (林, 愛) would match ordinary words: it counts together
    // with the other part, or followed by さん, 様 ….
    let contains = |parts: [&str; 2]| {
        let whole = story_key(&format!("{}{}", parts[0], parts[1]));
        let part = |p: &str| {
            let k = story_key(p);
            match k.chars().count() {
                0 => false,
                1 => HONORIFICS.iter().any(|h| key.contains(&format!("{k}{h}"))),
                _ => key.contains(&k),
            }
        };
        (!whole.is_empty() && key.contains(&whole)) || part(parts[0]) || part(parts[1])
    };
    let mut found = Vec::new();
    if contains([subject.family_name, subject.given_name]) {
        found.push(Finding::Name);
    }
    if contains([subject.family_name_kana, subject.given_name_kana]) {
        found.push(Finding::Reading);
    }
    let folded = fold(text);
    if has_phone(&folded) {
        found.push(Finding::Phone);
    }
    if has_exact_date(&folded) {
        found.push(Finding::ExactDate);
    }
    if has_address(&folded, subject.address) {
        found.push(Finding::Address);
    }
    found
}

/// NFKC (full-width digits and dashes to ASCII) with spaces and invisible characters left out:
/// the form the text and the address are compared in.
fn fold(text: &str) -> String {
    super::text::nfkc(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !super::text::is_invisible(*c))
        .collect()
}

/// The person's address, or its town (the part before the block numbers) when that is long
/// enough not to be an ordinary word, in the text (both NFKC-folded, spaces out).
fn has_address(folded: &str, address: &str) -> bool {
    let address = fold(address);
    if address.chars().count() < 2 {
        return false;
    }
    let numerals = |c: char| c.is_ascii_digit() || "一二三四五六七八九十丁番号-".contains(c);
    let town: String = address.chars().take_while(|c| !numerals(*c)).collect();
    folded.contains(&address) || (town.chars().count() >= 3 && folded.contains(&town))
}

/// A Japanese phone number: 10 or 11 digits starting with 0, hyphens, spaces or brackets
/// between them allowed.
fn has_phone(text: &str) -> bool {
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        match c {
            '0'..='9' => digits.push(c),
            '-' | '(' | ')' | 'ー' | '‐' | '−' | '―' | '–' | '.' if !digits.is_empty() => {
            }
            // +81 90-1234-5678: the country code stands for the leading 0.
            '+' => digits.clear(),
            _ => {
                let national = digits.strip_prefix("81").map(|d| format!("0{d}"));
                let number = national.as_deref().unwrap_or(&digits);
                if number.starts_with('0') && (10..=11).contains(&number.len()) {
                    return true;
                }
                digits.clear();
            }
        }
    }
    false
}

/// An exact day: `2026-11-20`, `2026/11/20`, `R8.11.20`, `令和8年11月20日`, `11月20日`.
/// A month alone (平成24年9月) is not one.
fn has_exact_date(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let number_at = |mut i: usize| {
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        (i > start).then_some(i)
    };
    for i in 0..chars.len() {
        // 〇月〇日
        if chars[i] == '月'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && number_at(i + 1).is_some_and(|end| chars.get(end) == Some(&'日'))
        {
            return true;
        }
        // n sep n sep n with one separator; or m/d, a month and a day (11/20, 4/12).
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            let Some(a) = number_at(i) else { continue };
            let Some(&sep) = chars.get(a).filter(|c| matches!(c, '-' | '/' | '.' | 'ー')) else {
                continue;
            };
            let Some(b) = number_at(a + 1) else { continue };
            let value = |from: usize, to: usize| {
                chars[from..to]
                    .iter()
                    .collect::<String>()
                    .parse::<u32>()
                    .unwrap_or(0)
            };
            // A year (or era year), a month and a day: 090-1234-5678 is not one.
            if chars.get(b) == Some(&sep)
                && let Some(c) = number_at(b + 1)
                && (1..=12).contains(&value(a + 1, b))
                && (1..=31).contains(&value(b + 1, c))
            {
                return true;
            }
            if sep == '/' && (1..=12).contains(&value(i, a)) && (1..=31).contains(&value(a + 1, b))
            {
                return true;
            }
        }
    }
    false
}

/// The age band (年代) of someone born on `birth`, on `on`: "30代" is 30 to 39.
pub fn age_band(birth: CivilDate, on: CivilDate) -> u32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    u32::try_from(age.max(0)).unwrap_or(0) / 10 * 10
}

#[cfg(test)]
mod tests {
    use super::*;

    const HANAKO: Subject<'static> = Subject {
        address: "並木一丁目",
        family_name: "髙橋",
        given_name: "花子",
        family_name_kana: "タカハシ",
        given_name_kana: "ハナコ",
    };

    #[test]
    fn names_readings_phones_and_days_are_found_in_any_form() {
        let f = |t: &str| findings(t, HANAKO);
        assert_eq!(
            f("30代の女性。子ども2人（13歳・3歳）。平成24年9月に就職。"),
            []
        );
        assert_eq!(f("高橋さんは看護助手に"), [Finding::Name]);
        assert_eq!(f("ﾀｶﾊｼ ﾊﾅｺさん"), [Finding::Reading]);
        assert_eq!(f("たかはしさん"), [Finding::Reading]);
        assert_eq!(f("連絡先 ０９０－１２３４－５６７８"), [Finding::Phone]);
        assert_eq!(f("令和8年11月20日に採用"), [Finding::ExactDate]);
        assert_eq!(f("2026/11/20 面接"), [Finding::ExactDate]);
        assert_eq!(f("R8.11.20"), [Finding::ExactDate]);
        assert_eq!(f("12時から15時、週4日"), []);
        assert_eq!(f("花子"), [Finding::Name]);
        // Hidden by invisible characters or punctuation, a single character with さん, a
        // date without its year or with spaces, a phone with the country code.
        assert_eq!(f("高\u{200B}橋さん"), [Finding::Name]);
        assert_eq!(f("高・橋"), [Finding::Name]);
        assert_eq!(f("11/20に面接"), [Finding::ExactDate]);
        assert_eq!(f("11月 20日"), [Finding::ExactDate]);
        assert_eq!(f("２０２６－１１－２０"), [Finding::ExactDate]);
        assert_eq!(f("+81 90-1234-5678"), [Finding::Phone]);
        assert_eq!(f("090ｰ1234ｰ5678"), [Finding::Phone]);
        // The address (any width, spaces inside), or a town long enough not to be a word.
        assert_eq!(f("並木 一丁目のアパートに住む"), [Finding::Address]);
        assert_eq!(f("並木道を歩いて通勤"), []);
        let wada = Subject {
            address: "東所沢和田３丁目",
            ..HANAKO
        };
        assert_eq!(findings("東所沢和田に住む", wada), [Finding::Address]);
        let hayashi = Subject {
            family_name: "林",
            given_name: "愛",
            family_name_kana: "ハヤシ",
            given_name_kana: "アイ",
            address: "",
        };
        assert_eq!(findings("林業の会社で、愛着をもって働く", hayashi), []);
        assert_eq!(findings("林さんは", hayashi), [Finding::Name]);
    }

    #[test]
    fn age_bands_count_birthdays() {
        let d = |s: &str| s.parse::<CivilDate>().unwrap();
        assert_eq!(age_band(d("1992-05-06"), d("2026-11-29")), 30);
        assert_eq!(age_band(d("1986-12-01"), d("2026-11-29")), 30);
        assert_eq!(age_band(d("1986-11-29"), d("2026-11-29")), 40);
    }
}
