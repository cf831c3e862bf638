//! What a counter laptop keeps is sealed: the outbox and the pulled records are encrypted with
//! a data key (AES-256-GCM) that exists in memory only while the app is open. On disk the data
//! key is stored twice, wrapped: under a key derived from the staff member's password
//! (PBKDF2-HMAC-SHA256, for unlocking offline) and under a key the server gives the signed-in
//! staff member (for opening the app online without typing the password again; the server
//! forgets it when the password is reset or the account disabled). A stolen laptop holds only
//! ciphertext; signing out forgets the key and removes the pulled records.
//!
//! The crypto is plain Rust (synchronous), so a save still lands in storage before the form
//! says "saved". A fair tablet's store is sealed the same way; its secret is the enrolment
//! code typed at the tablet (the server's key opens it while the tablet is enrolled; revoking
//! the tablet removes that key).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use serde::{Deserialize, Serialize};

/// PBKDF2 rounds for the password key (OWASP 2023 asks 600,000 for PBKDF2-HMAC-SHA256; this
/// runs in WebAssembly on a tablet-class CPU at sign-in and unlock only).
pub const ITERATIONS: u32 = 600_000;
/// Wrong passwords in a row before the pulled records are removed from this device.
pub const MAX_FAILED_UNLOCKS: u32 = 5;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A 256-bit key (data key, password key or server key).
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn from_base64(text: &str) -> Option<Self> {
        B64.decode(text).ok()?.try_into().ok().map(Self)
    }

    /// The password key: PBKDF2-HMAC-SHA256 over the password with this record's salt.
    pub fn from_password(password: &str, salt: &[u8], iterations: u32) -> Self {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, iterations, &mut key);
        Self(key)
    }

    /// `nonce ‖ ciphertext`, base64: a fresh 96-bit nonce for every seal.
    pub fn seal(&self, nonce: [u8; 12], plaintext: &[u8]) -> String {
        let cipher = Aes256Gcm::new_from_slice(&self.0).expect("32-byte key");
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext)
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        B64.encode(out)
    }

    /// The plaintext, or `None` when the text was not sealed with this key (or was altered).
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let bytes = B64.decode(sealed).ok()?;
        if bytes.len() < 12 + 16 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let cipher = Aes256Gcm::new_from_slice(&self.0).ok()?;
        cipher.decrypt(Nonce::from_slice(nonce), ciphertext).ok()
    }
}

/// What is stored on the device about its data key: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    pub salt: String,
    pub iterations: u32,
    /// The data key sealed with the password key (absent until the password was typed here).
    pub by_password: Option<String>,
    /// The data key sealed with the server's key for this staff member.
    pub by_server: Option<String>,
}

impl Wrapped {
    pub fn unlock_with_password(&self, password: &str) -> Option<Key> {
        let salt = B64.decode(&self.salt).ok()?;
        let kek = Key::from_password(password, &salt, self.iterations);
        key_of(kek.open(self.by_password.as_deref()?)?)
    }

    pub fn unlock_with_server(&self, server: &Key) -> Option<Key> {
        key_of(server.open(self.by_server.as_deref()?)?)
    }
}

fn key_of(bytes: Vec<u8>) -> Option<Key> {
    bytes.try_into().ok().map(Key)
}

/// Random bytes for keys, salts and nonces: the browser's CSPRNG (the server never seals).
fn random<const N: usize>() -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    super::fill_random(&mut bytes)?;
    Some(bytes)
}

/// Seals `data` (the JSON of what is stored) with a fresh nonce.
pub fn seal_with(key: &Key, data: &[u8]) -> Option<String> {
    Some(key.seal(random()?, data))
}

/// A new data key, wrapped for the server's key (and the password, if known now).
pub fn new_wrapped(server: &Key, password: Option<&str>) -> Option<(Key, Wrapped)> {
    let data_key = Key(random()?);
    let salt: [u8; 16] = random()?;
    let mut wrapped = Wrapped {
        salt: B64.encode(salt),
        iterations: ITERATIONS,
        by_password: None,
        by_server: Some(seal_with(server, &data_key.0)?),
    };
    if let Some(p) = password {
        wrapped.by_password = Some(rewrap_password(&data_key, &wrapped, p)?);
    }
    Some((data_key, wrapped))
}

/// The data key sealed under the key of `password` (with the record's salt).
pub fn rewrap_password(data_key: &Key, wrapped: &Wrapped, password: &str) -> Option<String> {
    let salt = B64.decode(&wrapped.salt).ok()?;
    let kek = Key::from_password(password, &salt, wrapped.iterations);
    seal_with(&kek, &data_key.0)
}

/// The data key sealed under the server's key.
pub fn rewrap_server(data_key: &Key, server: &Key) -> Option<String> {
    seal_with(server, &data_key.0)
}

/// Data keys unlocked in this page, by owner (a staff id). Memory only: a reload forgets them.
mod unlocked {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::Key;

    thread_local! {
        static KEYS: RefCell<HashMap<String, Key>> = RefCell::new(HashMap::new());
    }

    pub fn get(owner: &str) -> Option<Key> {
        KEYS.with(|k| k.borrow().get(owner).cloned())
    }

    pub fn set(owner: &str, key: Key) {
        KEYS.with(|k| k.borrow_mut().insert(owner.to_owned(), key));
    }

    pub fn forget(owner: &str) {
        KEYS.with(|k| k.borrow_mut().remove(owner));
    }
}

pub use unlocked::{forget, get as key_of_owner, set as remember};

/// Where a staff member's wrapped data key is stored.
fn record_key(owner: &str) -> String {
    format!("renkei.vault.{owner}")
}

/// The server's key for the signed-in staff member (`GET /api/v1/auth/device-key`) or, with
/// a tablet's token, for that tablet (`GET /api/v1/device/key`).
async fn server_key(bearer: Option<&str>) -> Result<Key, super::ClientError> {
    let answer = match bearer {
        Some(token) => {
            super::get_json_quiet::<crate::protocol::DeviceKey>("/api/v1/device/key", Some(token))
                .await?
        }
        None => super::get_json::<crate::protocol::DeviceKey>("/api/v1/auth/device-key").await?,
    };
    Key::from_base64(&answer.key).ok_or(super::ClientError::Unavailable)
}

/// A secret as typed: a tablet's enrolment code counts by its digits only (any width,
/// dashes or spaces), a password as it is.
fn secret(owner: &str, typed: &str) -> String {
    if owner.starts_with("device.") {
        crate::domain::text::fold_width(typed)
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    } else {
        typed.to_owned()
    }
}

/// Why a store stays locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    /// No network (or the server's key changed): the password opens it.
    NeedPassword,
    /// The password did not open it.
    WrongPassword,
    /// Too many wrong passwords: the pulled records were removed.
    Wiped,
    /// The password was never typed on this device (signed in before sealing existed): it
    /// opens once the staff member has signed in online here.
    SignInOnce,
}

/// Opens `owner`'s store with the server's key (online), creating the data key at the first
/// visit. `Err(NeedPassword)` offline.
pub async fn unlock_online(owner: &str, bearer: Option<&str>) -> Result<(), Locked> {
    if key_of_owner(owner).is_some() {
        return Ok(());
    }
    let server = server_key(bearer).await.map_err(|_| Locked::NeedPassword)?;
    let record = super::local::load::<Wrapped>(&record_key(owner));
    let data_key = match record.as_ref().and_then(|w| w.unlock_with_server(&server)) {
        Some(k) => k,
        None if record.is_none() => {
            let (k, wrapped) = new_wrapped(&server, None).ok_or(Locked::NeedPassword)?;
            super::local::save(&record_key(owner), &wrapped).map_err(|_| Locked::NeedPassword)?;
            k
        }
        // The server's key changed (password reset, account disabled): the password opens it.
        None => return Err(Locked::NeedPassword),
    };
    super::local::remove(&failures_key(owner));
    remember(owner, data_key);
    Ok(())
}

/// Right after signing in (the password is at hand, the server's key can be fetched): opens
/// or creates the data key and wraps it for both, so the store opens offline with this
/// password and online without it.
pub async fn after_sign_in(owner: &str, password: &str, bearer: Option<&str>) -> bool {
    let password = &secret(owner, password);
    let Ok(server) = server_key(bearer).await else {
        return false;
    };
    let record = super::local::load::<Wrapped>(&record_key(owner));
    let opened = record.as_ref().and_then(|w| {
        w.unlock_with_server(&server)
            .or_else(|| w.unlock_with_password(password))
    });
    let (data_key, mut wrapped) = match (opened, record) {
        (Some(k), Some(w)) => (k, w),
        (_, old) => {
            // None yet, or one no key at hand opens: a new one. An old one is kept aside, so
            // what it sealed can still be opened with the old password.
            if let Some(old) = old {
                let _ = super::local::save(&format!("{}.old", record_key(owner)), &old);
            }
            match new_wrapped(&server, None) {
                Some(pair) => pair,
                None => return false,
            }
        }
    };
    wrapped.by_password = rewrap_password(&data_key, &wrapped, password);
    wrapped.by_server = rewrap_server(&data_key, &server);
    if super::local::save(&record_key(owner), &wrapped).is_err() {
        return false;
    }
    super::local::remove(&failures_key(owner));
    remember(owner, data_key);
    true
}

/// After an offline unlock, once online: the store is wrapped again for the server's current
/// key, so the next visit opens without the password.
pub async fn refresh_server_wrap(owner: &str, bearer: Option<&str>) {
    let (Some(data_key), Ok(server)) = (key_of_owner(owner), server_key(bearer).await) else {
        return;
    };
    if let Some(mut wrapped) = super::local::load::<Wrapped>(&record_key(owner))
        && wrapped.unlock_with_server(&server).is_none()
    {
        wrapped.by_server = rewrap_server(&data_key, &server);
        let _ = super::local::save(&record_key(owner), &wrapped);
    }
}

/// Failed unlocks in a row, kept with the store (a reload does not reset them).
fn failures_key(owner: &str) -> String {
    format!("renkei.vault.{owner}.failures")
}

/// Opens `owner`'s store with the password (offline). After [`MAX_FAILED_UNLOCKS`] wrong
/// passwords in a row, `wipe` is called to remove the pulled records (the outbox stays sealed).
pub fn unlock_with_password(
    owner: &str,
    password: &str,
    wipe: impl FnOnce(),
) -> Result<(), Locked> {
    let record = super::local::load::<Wrapped>(&record_key(owner)).ok_or(Locked::SignInOnce)?;
    if record.by_password.is_none() {
        return Err(Locked::SignInOnce);
    }
    match record.unlock_with_password(&secret(owner, password)) {
        Some(k) => {
            super::local::remove(&failures_key(owner));
            remember(owner, k);
            Ok(())
        }
        None => {
            let failures = super::local::load::<u32>(&failures_key(owner)).unwrap_or(0) + 1;
            let _ = super::local::save(&failures_key(owner), &failures);
            if failures >= MAX_FAILED_UNLOCKS {
                wipe();
                super::local::remove(&failures_key(owner));
                Err(Locked::Wiped)
            } else {
                Err(Locked::WrongPassword)
            }
        }
    }
}

/// Removes everything about `owner`'s key from this device (a revoked tablet).
pub fn erase(owner: &str) {
    forget(owner);
    super::local::remove(&record_key(owner));
    super::local::remove(&failures_key(owner));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        Key([n; 32])
    }

    #[test]
    fn sealed_data_opens_only_with_its_key_and_unaltered() {
        let k = key(7);
        let sealed = k.seal([1; 12], "見本 花子 090-1111-2222".as_bytes());
        assert!(!sealed.contains("見本"));
        assert_eq!(
            k.open(&sealed).unwrap(),
            "見本 花子 090-1111-2222".as_bytes()
        );
        assert!(key(8).open(&sealed).is_none(), "another key");
        let mut bytes = B64.decode(&sealed).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        assert!(k.open(&B64.encode(bytes)).is_none(), "altered");
        assert!(k.open("not base64!").is_none());
    }

    #[test]
    fn the_data_key_unlocks_with_the_password_or_the_server_key_only() {
        let data_key = key(3);
        let server = key(9);
        let mut wrapped = Wrapped {
            salt: B64.encode([5u8; 16]),
            iterations: 1_000,
            by_password: None,
            by_server: Some(server.seal([2; 12], &data_key.0)),
        };
        wrapped.by_password = Some({
            let kek = Key::from_password("hinode sakamichi", &[5u8; 16], 1_000);
            kek.seal([4; 12], &data_key.0)
        });
        assert_eq!(
            wrapped.unlock_with_password("hinode sakamichi"),
            Some(data_key.clone())
        );
        assert_eq!(wrapped.unlock_with_password("hinode sakamich"), None);
        assert_eq!(wrapped.unlock_with_server(&server), Some(data_key));
        assert_eq!(wrapped.unlock_with_server(&key(10)), None);
    }

    #[test]
    fn the_password_key_is_pbkdf2_hmac_sha256() {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1).
        let k = Key::from_password("passwd", b"salt", 1);
        assert_eq!(k.0[..8], [0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f]);
    }
}
