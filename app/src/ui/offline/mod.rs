//! Offline work: this device's store (its outbox and its copy of the records it may see), the
//! sync engine that empties the outbox and fills the copy, and the status bar that always says
//! how things stand.
//!
//! Storage layout (`localStorage`, per staff member so two people sharing a laptop never send
//! each other's entries): `renkei.local.<staff>` holds the replica id, clock and outbox — the
//! entries not yet acknowledged; it is written before the form says 保存しました.
//! `renkei.cache.<staff>` holds the pulled records; it is disposable (a full quota costs only
//! a re-pull) and compact (values and stamps, no bases).
//!
//! Here: the state, and opening a staff member's or a tablet's store; `store` changes the
//! outbox and reads records as this device sees them; `engine` pushes and pulls; `bar` is
//! the status bar and the offline unlock form.

mod bar;
mod engine;
mod store;

pub use bar::SyncBar;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::auth::CurrentUser;
use crate::client::{self, local, sealed};
use crate::i18n::Catalog;
use crate::protocol::EventDetail;
use crate::sync::hlc::Hlc;
use crate::sync::outbox::Outbox;
pub use crate::sync::replica::{Cache, CachedRecord, Local};
use crate::sync::wire::RecordKind;

/// One change to put in the outbox: the record's kind and id, and its fields' new values.
pub type Entry = (RecordKind, String, Vec<(&'static str, Value)>);

/// Why the last sync did not finish, in words for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncProblem {
    Unreachable,
    SignedOut,
    UpdateApp,
    StorageFull,
    /// This device's store is sealed and not unlocked (offline: the password opens it).
    Locked,
    /// The stored outbox is one this page cannot use (another tab of a newer version wrote
    /// it, or it is sealed with another key): left untouched; reload the page.
    Unusable,
}

impl From<local::SaveError> for SyncProblem {
    fn from(e: local::SaveError) -> Self {
        match e {
            local::SaveError::Full => SyncProblem::StorageFull,
            local::SaveError::Locked => SyncProblem::Locked,
        }
    }
}

impl SyncProblem {
    pub fn text(self, t: &Catalog) -> &'static str {
        match self {
            SyncProblem::Unreachable => t.sync_unreachable,
            SyncProblem::SignedOut => t.sync_signin_needed,
            SyncProblem::UpdateApp => t.err_update_app,
            SyncProblem::StorageFull => t.sync_storage_full,
            SyncProblem::Locked => t.vault_locked,
            SyncProblem::Unusable => t.sync_set_aside,
        }
    }
}

/// A fair tablet's enrolment, kept in `renkei.device`: its token and its event (with the
/// employers, refreshed at every sync).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceEnrolment {
    pub device_id: String,
    pub token: String,
    pub event: EventDetail,
}

const DEVICE_KEY: &str = "renkei.device";

/// The sync engine's state, shared by the status bar and the offline pages.
#[derive(Clone, Copy)]
pub struct SyncState {
    /// Whose store is loaded: a staff id, or `device.<id>` on a fair tablet.
    pub staff: RwSignal<Option<String>>,
    /// On a fair tablet: its enrolment (requests carry its token).
    pub device: RwSignal<Option<DeviceEnrolment>>,
    /// The tablet's enrolment was revoked: its data has been erased.
    pub revoked: RwSignal<bool>,
    pub local: RwSignal<Option<Local>>,
    pub cache: RwSignal<Cache>,
    /// A staff member whose sealed store waits for the password (offline start).
    pub locked: RwSignal<Option<String>>,
    pub online: RwSignal<bool>,
    pub running: RwSignal<bool>,
    /// `(done, total, receiving)` during a long push or pull.
    pub progress: RwSignal<Option<(u64, u64, bool)>>,
    pub problem: RwSignal<Option<SyncProblem>>,
    /// Conflicts the last pushes reported (for a notice).
    pub conflicts: RwSignal<u32>,
    /// How long the last pull took, in ms (fetching, merging and storing), for the record.
    pub last_pull_ms: RwSignal<Option<u64>>,
    /// The server started this device's copy again from the beginning (a restored database).
    pub resynced: RwSignal<bool>,
    /// The page's language (for reasons the device writes itself).
    lang: RwSignal<crate::i18n::Lang>,
    failures: RwSignal<u32>,
    retry_pending: RwSignal<bool>,
    watching: RwSignal<bool>,
    /// A sync was asked for while one ran: another follows it.
    again: RwSignal<bool>,
}

/// Stores one of the owner's values, sealed (`client::vault`).
fn store_save<T: Serialize>(owner: &str, key: &str, value: &T) -> Result<(), local::SaveError> {
    sealed::save_sealed(owner, key, value)
}

fn store_load<T: serde::de::DeserializeOwned>(
    owner: &str,
    key: &str,
) -> Result<Option<T>, sealed::Unreadable> {
    sealed::load_sealed(owner, key)
}

use local::{cache_key, outbox_key as local_key};

pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

/// Creates the engine for the app's pages; in the browser it loads the signed-in staff
/// member's store once they are known, asks for persistent storage, follows the network and
/// syncs by itself. (A fair tablet's page is its own entry: [`provide_device_sync`].)
pub fn provide_sync() {
    let state = new_state();
    let me = expect_context::<CurrentUser>().0;
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| {
        let Some(Some(me)) = me.get() else { return };
        // Administrators keep no caseload: no local store, no sync.
        if !me.role.handles_cases() {
            return;
        }
        let staff = me.staff_id.to_string();
        if state.staff.get_untracked().as_deref() == Some(staff.as_str())
            || state.locked.get_untracked().as_deref() == Some(staff.as_str())
        {
            return;
        }
        // The store is sealed: opened with the server's key online, else by the password.
        spawn_local(async move {
            match client::vault::unlock_online(&staff, None).await {
                Ok(()) => state.open_store(&staff),
                Err(_) => state.locked.set(Some(staff)),
            }
        });
    });
}

/// Puts the sync state into context for the tablet's own page (`ui::fair::TabletApp`): the
/// enrolled device's store and sync only, so the tablet's code links nothing of a staff
/// member's session or caseload. The page is rendered in the browser only, so the enrolment is
/// read at once: the first screen drawn is already the right one (enrolment or the fair).
pub fn provide_device_sync() {
    open_device(new_state());
}

fn new_state() -> SyncState {
    let state = SyncState {
        staff: RwSignal::new(None),
        device: RwSignal::new(None),
        revoked: RwSignal::new(false),
        local: RwSignal::new(None),
        cache: RwSignal::new(Cache::default()),
        locked: RwSignal::new(None),
        online: RwSignal::new(true),
        running: RwSignal::new(false),
        progress: RwSignal::new(None),
        problem: RwSignal::new(None),
        conflicts: RwSignal::new(0),
        last_pull_ms: RwSignal::new(None),
        resynced: RwSignal::new(false),
        lang: super::lang::use_lang(),
        failures: RwSignal::new(0),
        retry_pending: RwSignal::new(false),
        watching: RwSignal::new(false),
        again: RwSignal::new(false),
    };
    provide_context(state);
    state
}

/// A fair tablet works for its event only, with its own store: opened with the server's key
/// online, else by the enrolment code (the store is sealed).
fn open_device(state: SyncState) {
    let Some(enrolment) = local::load::<DeviceEnrolment>(DEVICE_KEY) else {
        return;
    };
    let owner = format!("device.{}", enrolment.device_id);
    let token = enrolment.token.clone();
    state.device.set(Some(enrolment.clone()));
    spawn_local(async move {
        match client::vault::unlock_online(&owner, Some(&token)).await {
            Ok(()) => {
                if let Err(problem) = state.start_device(enrolment) {
                    state.problem.set(Some(problem));
                }
            }
            Err(_) => state.locked.set(Some(owner)),
        }
    });
}

impl SyncState {
    /// Loads the (unlocked) store of a staff member and starts syncing.
    pub fn open_store(&self, staff: &str) {
        self.locked.set(None);
        self.load(staff);
        self.watch_network();
        request_persistent_storage();
        self.sync_soon(Duration::from_millis(200));
    }

    /// Unlocks the waiting store with the staff member's password (offline).
    pub fn unlock(&self, password: &str) -> Result<(), client::vault::Locked> {
        let Some(staff) = self.locked.get_untracked() else {
            return Ok(());
        };
        let wipe = || local::remove(&cache_key(&staff));
        client::vault::unlock_with_password(&staff, password, wipe)?;
        // Online again later, the store opens with the server's (perhaps new) key.
        {
            let (owner, bearer) = (staff.clone(), self.bearer());
            spawn_local(async move {
                client::vault::refresh_server_wrap(&owner, bearer.as_deref()).await;
            });
        }
        match self.device.get_untracked() {
            Some(enrolment) if staff.starts_with("device.") => {
                self.locked.set(None);
                if let Err(problem) = self.start_device(enrolment) {
                    self.problem.set(Some(problem));
                }
            }
            _ => self.open_store(&staff),
        }
        Ok(())
    }

    /// Starts a sync after `delay` (once, however often it is asked for meanwhile).
    pub fn sync_soon(&self, delay: Duration) {
        if self.retry_pending.get_untracked() {
            return;
        }
        self.retry_pending.set(true);
        let this = *self;
        set_timeout(
            move || {
                this.retry_pending.set(false);
                this.sync_now();
            },
            delay,
        );
    }

    /// Starts a fair tablet's store and sync (after enrolment, or on opening the tablet page).
    pub fn start_device(&self, enrolment: DeviceEnrolment) -> Result<(), SyncProblem> {
        local::save(DEVICE_KEY, &enrolment).map_err(|_| SyncProblem::StorageFull)?;
        let owner = format!("device.{}", enrolment.device_id);
        self.device.set(Some(enrolment));
        self.revoked.set(false);
        self.load(&owner);
        self.watch_network();
        request_persistent_storage();
        self.sync_soon(Duration::from_millis(200));
        Ok(())
    }

    fn bearer(&self) -> Option<String> {
        self.device
            .with_untracked(|d| d.as_ref().map(|d| d.token.clone()))
    }

    /// The server no longer knows this tablet: everything it stored is erased.
    fn wipe_device(&self) {
        if let Some(owner) = self.staff.get_untracked() {
            local::remove(&local_key(&owner));
            local::remove(&cache_key(&owner));
            client::vault::erase(&owner);
        }
        local::remove(DEVICE_KEY);
        self.local.set(None);
        self.cache.set(Cache::default());
        self.device.set(None);
        self.staff.set(None);
        self.revoked.set(true);
    }

    fn load(&self, staff: &str) {
        // Entries this build cannot use — sealed with a key this device no longer has (the
        // password was reset meanwhile), or written by a newer version — are kept aside, never
        // written over; if they cannot be kept, the store is left alone.
        let stored = match store_load::<Local>(staff, &local_key(staff)) {
            Ok(Some(l)) if !l.usable() => Err(local::Aside::Newer),
            Ok(l) => Ok(l),
            Err(sealed::Unreadable::Key) => Err(local::Aside::Unreadable),
            Err(sealed::Unreadable::Format) => Err(local::Aside::Newer),
        };
        if let Err(why) = stored
            && !local::set_aside(&local_key(staff), why)
        {
            self.problem.set(Some(SyncProblem::StorageFull));
            return;
        }
        let local = stored.ok().flatten().or_else(|| {
            let fresh = Local {
                replica: client::new_record_id()?,
                node: client::random_u64()?,
                clock: Hlc::ZERO,
                outbox: Outbox::default(),
            };
            store_save(staff, &local_key(staff), &fresh).ok()?;
            Some(fresh)
        });
        if local.is_none() {
            self.problem.set(Some(SyncProblem::Locked));
        }
        // The copy of pulled records is disposable: one that does not open is pulled again.
        let cache = store_load::<Cache>(staff, &cache_key(staff))
            .ok()
            .flatten()
            .unwrap_or_default();
        // What an older version stored in the clear is sealed now (once, not at every start:
        // the copy of pulled records can be megabytes).
        if let Some(l) = local
            .as_ref()
            .filter(|_| sealed::is_clear(&local_key(staff)))
        {
            let _ = store_save(staff, &local_key(staff), l);
        }
        if sealed::is_clear(&cache_key(staff)) {
            let _ = store_save(staff, &cache_key(staff), &cache);
        }
        self.cache.set(cache);
        self.local.set(local);
        self.staff.set(Some(staff.to_owned()));
    }
}

/// Asks the browser not to evict this site's storage under pressure (the outbox lives there).
fn request_persistent_storage() {
    #[cfg(feature = "browser")]
    if let Some(w) = web_sys::window() {
        let storage = w.navigator().storage();
        if let Ok(promise) = storage.persist() {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}
