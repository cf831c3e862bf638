//! The browser's own storage (`localStorage` through `gloo-storage`): what this device keeps
//! between visits — its outbox above all. A write either lands whole or reports why it did not
//! (usually a full quota); nothing already stored is touched by a failed write.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why something could not be kept on this device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveError {
    /// The browser refused the write (its storage quota is full) or has no storage.
    Full,
    /// The store is sealed and its key is not unlocked in this page (`vault`).
    Locked,
}

/// Where an owner's (staff member's or tablet's) outbox is kept.
pub fn outbox_key(owner: &str) -> String {
    format!("renkei.local.{owner}")
}

/// Where an owner's copy of pulled records is kept.
pub fn cache_key(owner: &str) -> String {
    format!("renkei.cache.{owner}")
}

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
pub struct Unreadable;

/// Reads a value sealed with `owner`'s data key: `Ok(None)` when nothing is stored,
/// `Err(Unreadable)` when something is stored that this key does not open (never to be
/// overwritten as if it were empty). A value stored before sealing existed is read as it is
/// and sealed at its next save.
pub fn load_sealed<T: DeserializeOwned>(owner: &str, key: &str) -> Result<Option<T>, Unreadable> {
    match load::<Sealed>(key) {
        Some(s) => {
            let data_key = super::vault::key_of_owner(owner).ok_or(Unreadable)?;
            let bytes = data_key.open(&s.sealed).ok_or(Unreadable)?;
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|_| Unreadable)
        }
        None => match load::<serde_json::Value>(key) {
            None => Ok(None),
            Some(_) => load::<T>(key).map(Some).ok_or(Unreadable),
        },
    }
}

/// Whether something is stored under `key` in the clear (from before sealing existed).
pub fn is_clear(key: &str) -> bool {
    load::<Sealed>(key).is_none() && load::<serde_json::Value>(key).is_some()
}

/// Moves what is stored under `key` aside (to `<key>.unreadable`), keeping an earlier copy
/// set aside there: nothing unreadable is ever overwritten.
pub fn set_aside(key: &str) {
    let aside = format!("{key}.unreadable");
    if load::<serde_json::Value>(&aside).is_none()
        && let Some(value) = load::<serde_json::Value>(key)
    {
        let _ = save(&aside, &value);
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use gloo_storage::{LocalStorage, Storage};

    use super::*;

    pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
        LocalStorage::get(key).ok()
    }

    pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), SaveError> {
        LocalStorage::set(key, value).map_err(|_| SaveError::Full)
    }

    pub fn remove(key: &str) {
        LocalStorage::delete(key);
    }
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    use super::*;

    pub fn load<T: DeserializeOwned>(_key: &str) -> Option<T> {
        None
    }

    pub fn save<T: Serialize>(_key: &str, _value: &T) -> Result<(), SaveError> {
        Err(SaveError::Full)
    }

    pub fn remove(_key: &str) {}
}

pub use imp::{load, remove, save};
