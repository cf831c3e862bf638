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

/// An enrolment code people can read out and type on a tablet: 8 digits, shown as `1234-5678`.
pub fn new_enrol_code() -> String {
    let n: u32 = rand::rngs::OsRng.gen_range(0..100_000_000);
    format!("{:04}-{:04}", n / 10_000, n % 10_000)
}

/// What a typed code is compared by: digits only, so `12345678`, `1234-5678` and full-width
/// digits are the same code.
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
