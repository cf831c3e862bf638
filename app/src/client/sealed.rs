//! Values kept sealed in the browser's storage: AES-GCM with the owner's data key (`vault`),
//! on top of the plain storage of `local`. What cannot be opened is reported, never taken as
//! empty.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::local::{SaveError, load, save};

/// A sealed value as stored: AES-GCM ciphertext of its JSON (`vault`).
#[derive(Serialize, serde::Deserialize)]
struct Sealed {
    sealed: String,
}

/// Stores `value` sealed with `owner`'s data key; refused while it is locked.
pub fn save_sealed<T: Serialize>(owner: &str, key: &str, value: &T) -> Result<(), SaveError> {
    let data_key = super::vault::key_of_owner(owner).ok_or(SaveError::Locked)?;
    let json = serde_json::to_vec(value).map_err(|_| SaveError::Full)?;
    let sealed = super::vault::seal_with(&data_key, &json).ok_or(SaveError::Full)?;
    save(key, &Sealed { sealed })
}

/// A stored value that is there but cannot be read now (locked, or sealed with another key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Sealed with a key this device does not have (locked, or the password was reset).
    Key,
    /// Opened, but in a shape this build cannot read (written by a newer version).
    Format,
}

/// Reads a value sealed with `owner`'s data key: `Ok(None)` when nothing is stored,
/// `Err(Unreadable)` when something is stored that this key does not open (never to be
/// overwritten as if it were empty). A value stored before sealing existed is read as it is
/// and sealed at its next save.
pub fn load_sealed<T: DeserializeOwned>(owner: &str, key: &str) -> Result<Option<T>, Unreadable> {
    match load::<Sealed>(key) {
        Some(s) => {
            let data_key = super::vault::key_of_owner(owner).ok_or(Unreadable::Key)?;
            let bytes = data_key.open(&s.sealed).ok_or(Unreadable::Key)?;
            // Through `from_str`, as every other stored or fetched value: one parser's copy of
            // each type's reader in the browser's code, not a second for byte slices.
            let text = std::str::from_utf8(&bytes).map_err(|_| Unreadable::Format)?;
            serde_json::from_str(text)
                .map(Some)
                .map_err(|_| Unreadable::Format)
        }
        None => match load::<serde_json::Value>(key) {
            None => Ok(None),
            Some(_) => load::<T>(key).map(Some).ok_or(Unreadable::Format),
        },
    }
}

/// Whether something is stored under `key` in the clear (from before sealing existed).
pub fn is_clear(key: &str) -> bool {
    load::<Sealed>(key).is_none() && load::<serde_json::Value>(key).is_some()
}
