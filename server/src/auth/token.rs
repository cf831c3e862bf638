//! Random secrets (session tokens, device tokens, enrolment codes) and their stored hashes.

use base64::Engine;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe base64: a session cookie or a device bearer token.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Digits in an enrolment code: 10^12 codes, so that even the most guesses the throttle lets
/// through while a code is valid (15 minutes) find one with a chance below one in a billion.
pub const ENROL_CODE_DIGITS: usize = 12;

/// An enrolment code people can read out and type on a tablet's number pad: 12 digits, shown
/// in groups of four as `1234-5678-9012` (digits read out in Japanese without ambiguity).
pub fn new_enrol_code() -> String {
    let n: u64 = rand::rngs::OsRng.gen_range(0..1_000_000_000_000);
    let digits = format!("{n:012}");
    format!("{}-{}-{}", &digits[..4], &digits[4..8], &digits[8..])
}

/// What a typed code is compared by: digits only, so `123456789012`, `1234-5678-9012`,
/// spaces and full-width digits are the same code.
pub fn normalise_code(typed: &str) -> String {
    app::domain::text::fold_width(typed)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// What the database keeps instead of the secret.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrolment_codes_are_twelve_digits_in_groups_and_typed_any_way() {
        let code = new_enrol_code();
        assert_eq!(code.len(), 14, "{code}");
        assert_eq!(normalise_code(&code).len(), ENROL_CODE_DIGITS);
        assert_eq!(
            normalise_code("１２３４ ５６７８－９０１２"),
            "123456789012"
        );
    }
}
