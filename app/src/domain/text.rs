//! Text normalisation for what people type at a counter or on a tablet: full-width digits and
//! letters, ideographic spaces, katakana vs hiragana.
//!
//! A light NFKC for the characters that matter in names, dates and phone numbers; the rest of
//! the text is kept as typed.

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

/// Number of characters as a person counts them (Unicode scalar values).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
