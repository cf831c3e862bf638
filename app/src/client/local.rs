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
