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

/// Why a stored outbox is kept aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aside {
    /// Sealed with a key this device no longer has (a password reset meanwhile).
    Unreadable,
    /// Written by a newer version of the app (entries this build cannot send faithfully).
    Newer,
}

impl Aside {
    fn suffix(self) -> &'static str {
        match self {
            Aside::Unreadable => "unreadable",
            Aside::Newer => "newer",
        }
    }

    /// Where the first copy set aside under `key` lies (later ones get `.2`, `.3` …).
    pub fn key(self, key: &str) -> String {
        format!("{key}.{}", self.suffix())
    }
}

/// Copies what is stored under `key` aside (`<key>.unreadable`, then `.unreadable.2` …) before
/// the caller starts afresh there: nothing set aside is ever overwritten. `false` when there
/// was nothing to keep or it could not be kept (the caller must then leave `key` alone).
pub fn set_aside(key: &str, why: Aside) -> bool {
    let Some(value) = load::<serde_json::Value>(key) else {
        return false;
    };
    let first = why.key(key);
    for n in 1..=50 {
        let aside = if n == 1 {
            first.clone()
        } else {
            format!("{first}.{n}")
        };
        match load::<serde_json::Value>(&aside) {
            Some(kept) if kept == value => return true, // already kept
            Some(_) => continue,
            None => return save(&aside, &value).is_ok(),
        }
    }
    false
}

#[cfg(feature = "browser")]
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

#[cfg(all(not(feature = "browser"), not(test)))]
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

/// Native tests: an in-memory `localStorage` per test thread.
#[cfg(all(not(feature = "browser"), test))]
mod imp {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;

    thread_local! {
        static STORE: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }

    pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
        STORE.with(|s| serde_json::from_str(s.borrow().get(key)?).ok())
    }

    pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), SaveError> {
        let json = serde_json::to_string(value).map_err(|_| SaveError::Full)?;
        STORE.with(|s| s.borrow_mut().insert(key.to_owned(), json));
        Ok(())
    }

    pub fn remove(key: &str) {
        STORE.with(|s| s.borrow_mut().remove(key));
    }
}

#[cfg(all(test, not(feature = "browser")))]
mod tests {
    use super::*;

    #[test]
    fn entries_set_aside_are_never_overwritten() {
        let key = outbox_key("staff-1");
        save(&key, &serde_json::json!({ "outbox": "first" })).unwrap();
        assert!(set_aside(&key, Aside::Unreadable));
        // Started afresh, then unreadable again later: the second copy gets its own place.
        save(&key, &serde_json::json!({ "outbox": "second" })).unwrap();
        assert!(set_aside(&key, Aside::Unreadable));
        assert!(
            set_aside(&key, Aside::Unreadable),
            "the same copy is kept once"
        );
        let first: serde_json::Value = load(&Aside::Unreadable.key(&key)).unwrap();
        let second: serde_json::Value =
            load(&format!("{}.2", Aside::Unreadable.key(&key))).unwrap();
        assert_eq!(first["outbox"], "first");
        assert_eq!(second["outbox"], "second");
        assert!(load::<serde_json::Value>(&format!("{}.3", Aside::Unreadable.key(&key))).is_none());
        assert!(!set_aside("nothing.here", Aside::Newer));
    }
}

pub use imp::{load, remove, save};
