//! Password strength, on the server (the estimator's dictionaries would add megabytes to the
//! browser bundle; the browser checks the length and shows the server's answer).
//!
//! NIST SP 800-63B §3.1.1.2: refuse passwords on lists of common or compromised passwords,
//! repetitive or sequential characters, and words from the context (the login id, the name).
//! zxcvbn (Dropbox's estimator, with its frequency lists compiled in) scores a password
//! against all of these; Renkei asks for score 3 of 4 ("safely unguessable: moderate
//! protection from offline attack") — a passphrase of a few words passes.

use zxcvbn::{Score, zxcvbn};

/// Whether `password` is too easy to guess, given the words of its context.
pub fn guessable(password: &str, context: &[&str]) -> bool {
    zxcvbn(password, context).score() < Score::Three
}

#[cfg(test)]
mod tests {
    use super::guessable;

    #[test]
    fn common_and_patterned_passwords_are_refused_and_passphrases_pass() {
        for weak in [
            "aaaaaaaaaaaa",
            "123456789012",
            "password1234",
            "            ",
            "qwertyuiop12",
            "abcdefghijkl",
            "tanaka.taro2026",
        ] {
            assert!(guessable(weak, &["tanaka.taro", "田中 太郎"]), "{weak:?}");
        }
        for strong in [
            "mihon-shi-2026",
            "kakunin-hw-second-2026",
            "correct horse battery staple",
            "sakura-fubuki-nagareru",
        ] {
            assert!(!guessable(strong, &["tanaka.taro"]), "{strong:?}");
        }
    }
}
