//! Offline work: this device's store (its outbox and its copy of the records it may see), the
//! sync engine that empties the outbox and fills the copy, and the status bar that always says
//! how things stand.
//!
//! Storage layout (`localStorage`, per staff member so two people sharing a laptop never send
//! each other's entries): `renkei.local.<staff>` holds the replica id, clock and outbox — the
//! entries not yet acknowledged; it is written before the form says 保存しました.
//! `renkei.cache.<staff>` holds the pulled records; it is disposable (a full quota costs only
//! a re-pull) and compact (values and stamps, no bases).

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::auth::CurrentUser;
use super::lang::use_catalog;
use crate::client::{self, ClientError, local, sealed};
use crate::i18n::Catalog;
use crate::protocol::EventDetail;
use crate::sync::hlc::Hlc;
use crate::sync::merge::RecordState;
use crate::sync::outbox::Outbox;
pub use crate::sync::replica::{Cache, CachedRecord, Local};
use crate::sync::wire::{MAX_PUSH, Op, PROTOCOL_VERSION, PushRequest, RecordKind};

/// The most mutations one push carries from the browser.
const PUSH_BATCH: usize = if MAX_PUSH < 200 { MAX_PUSH } else { 200 };
/// The most bytes of mutations one push carries (the server takes bodies up to 1 MiB).
const PUSH_BYTES: usize = 512 * 1024;

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

    /// After a sync, staff learn how many conflicts wait for them (on records they may see).
    async fn count_conflicts(&self) {
        if self.device.with_untracked(Option::is_some) {
            return;
        }
        if let Ok(list) = client::get_json_quiet::<crate::sync::wire::ConflictList>(
            "/api/v1/sync/conflicts",
            None,
        )
        .await
        {
            self.conflicts.set(list.conflicts.len() as u32);
        }
    }

    /// After a sync, a tablet refreshes its event (employers added at the counter).
    async fn refresh_device_event(&self) {
        let Some(token) = self.bearer() else { return };
        if let Ok(event) =
            client::get_json_quiet::<EventDetail>("/api/v1/device/event", Some(&token)).await
            && let Some(mut enrolment) = self.device.get_untracked()
            && enrolment.event != event
        {
            enrolment.event = event;
            let _ = local::save(DEVICE_KEY, &enrolment);
            self.device.set(Some(enrolment));
        }
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

    fn watch_network(&self) {
        if self.watching.get_untracked() {
            return;
        }
        self.watching.set(true);
        #[cfg(feature = "hydrate")]
        {
            let this = *self;
            if let Some(w) = web_sys::window() {
                this.online.set(w.navigator().on_line());
            }
            let online = window_event_listener(leptos::ev::online, move |_| {
                this.online.set(true);
                this.failures.set(0);
                // Not through `sync_soon`: a long backoff timer may be pending.
                set_timeout(
                    move || this.sync_now(),
                    Duration::from_millis(200 + jitter_ms(800)),
                );
            });
            let offline = window_event_listener(leptos::ev::offline, move |_| {
                this.online.set(false);
            });
            // Another tab of this profile saved or sent entries: show the outbox as it is.
            let other_tab = window_event_listener(leptos::ev::storage, move |ev| {
                let mine = this.staff.get_untracked().map(|s| local_key(&s));
                if ev.key().is_some() && ev.key() == mine {
                    this.reload_outbox();
                }
            });
            // Pull what others changed now and then, and retry what waits.
            let _ = set_interval_with_handle(
                move || {
                    if this.online.get_untracked() {
                        this.sync_now();
                    }
                },
                Duration::from_secs(30),
            );
            std::mem::forget((online, offline, other_tab));
        }
    }

    /// Entries waiting to be sent.
    pub fn waiting(&self) -> usize {
        self.local
            .with(|l| l.as_ref().map_or(0, |l| l.outbox.waiting()))
    }

    /// Every record of `kind` as this device sees it, with whether changes to it still wait to
    /// be sent. Tracks the store, so a memo over it follows every save and sync.
    pub fn records(&self, kind: RecordKind) -> Vec<(String, RecordState, bool)> {
        let waiting: std::collections::BTreeSet<String> = self.local.with(|l| {
            l.as_ref()
                .map(|l| {
                    l.outbox
                        .pending
                        .iter()
                        .filter(|m| m.kind == kind)
                        .map(|m| m.id.clone())
                        .collect()
                })
                .unwrap_or_default()
        });
        let mut ids: std::collections::BTreeSet<String> = self.cache.with(|c| {
            c.records
                .iter()
                .filter(|(_, r)| r.kind == kind)
                .map(|(id, _)| id.clone())
                .collect()
        });
        ids.extend(waiting.iter().cloned());
        ids.into_iter()
            .filter_map(|id| {
                let state = self.view(kind, &id)?;
                (state.deleted.is_none() && !state.fields.is_empty()).then(|| {
                    let w = waiting.contains(&id);
                    (id, state, w)
                })
            })
            .collect()
    }

    /// A record as this device sees it: its received copy with the waiting changes on top.
    pub fn view(&self, kind: RecordKind, id: &str) -> Option<RecordState> {
        let base = self
            .cache
            .with_untracked(|c| c.records.get(id).map(CachedRecord::state));
        self.local.with_untracked(|l| {
            l.as_ref()
                .and_then(|l| l.outbox.local_view(kind, id, base.as_ref()))
        })
    }

    /// Puts a change in the outbox and writes the outbox to storage; only then is it saved.
    /// Fields whose value is unchanged are not sent.
    pub async fn put(
        &self,
        kind: RecordKind,
        id: &str,
        values: Vec<(&'static str, Value)>,
    ) -> Result<(), SyncProblem> {
        self.put_all(vec![(kind, id.to_owned(), values)])
            .await
            .map(|_| ())
    }

    /// Puts several changes in the outbox in one write: all are saved, or none (a list
    /// imported at once). Returns how many changed something.
    pub async fn put_all(&self, entries: Vec<Entry>) -> Result<usize, SyncProblem> {
        let Some(staff) = self.staff.get_untracked() else {
            return Err(SyncProblem::StorageFull);
        };
        let this = *self;
        let added = self
            .change_outbox(&staff, move |local| {
                let mut added = 0;
                for (kind, id, values) in entries {
                    added += usize::from(this.add_to(local, kind, &id, values));
                }
                added
            })
            .await?;
        if added > 0 {
            self.sync_soon(Duration::from_millis(100));
        }
        Ok(added)
    }

    /// Adds one change to `local`'s outbox (nothing when no value changes).
    fn add_to(
        &self,
        local: &mut Local,
        kind: RecordKind,
        id: &str,
        values: Vec<(&'static str, Value)>,
    ) -> bool {
        let base = self
            .cache
            .with_untracked(|c| c.records.get(id).map(CachedRecord::state));
        let current = local.outbox.local_view(kind, id, base.as_ref());
        local.clock = Hlc::tick(
            local.clock,
            client::now_unix_millis().max(0) as u64,
            local.node,
        );
        let fields = crate::sync::merge::writes_for(current.as_ref(), values, local.clock);
        if fields.is_empty() {
            return false;
        }
        local.outbox.add(kind, id.to_owned(), Op::Put { fields });
        true
    }

    /// Changes the outbox as stored — under the profile's lock, from what another tab may
    /// have just written — and stores it; only then does the change count.
    async fn change_outbox<T>(
        &self,
        staff: &str,
        change: impl FnOnce(&mut Local) -> T,
    ) -> Result<T, SyncProblem> {
        let lock = format!("renkei.outbox.{staff}");
        client::lock::exclusive(&lock, async move {
            // What another tab stored is the truth; one this page cannot use is never written
            // over (nothing stored yet: this page's own copy).
            let stored = match store_load::<Local>(staff, &local_key(staff)) {
                Ok(Some(l)) if l.usable() => Some(l),
                Ok(None) => None,
                _ => return Err(SyncProblem::Unusable),
            };
            let Some(mut local) = stored.or_else(|| self.local.get_untracked()) else {
                return Err(SyncProblem::StorageFull);
            };
            let out = change(&mut local);
            store_save(staff, &local_key(staff), &local).map_err(SyncProblem::from)?;
            self.local.set(Some(local));
            Ok(out)
        })
        .await
    }

    /// Another tab of this profile wrote the outbox: show what it holds now.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn reload_outbox(&self) {
        let Some(staff) = self.staff.get_untracked() else {
            return;
        };
        if let Ok(Some(l)) = store_load::<Local>(&staff, &local_key(&staff))
            && l.usable()
        {
            self.local.set(Some(l));
        }
    }

    /// Moves a waiting entry the server will never take to the refusals, with `reason`.
    async fn give_up(&self, staff: &str, seq: u64, reason: &str) -> Result<(), SyncProblem> {
        self.change_outbox(staff, |local| local.outbox.give_up(seq, reason))
            .await
    }

    /// Sets aside a refusal the person has read.
    pub fn dismiss(&self, refusal: crate::sync::outbox::Failed) {
        let Some(staff) = self.staff.get_untracked() else {
            return;
        };
        let this = *self;
        spawn_local(async move {
            let _ = this
                .change_outbox(&staff, |local| local.outbox.dismiss(&refusal))
                .await;
        });
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

    /// Sends what waits, then fetches what changed.
    pub fn sync_now(&self) {
        if self.local.with_untracked(Option::is_none) {
            return;
        }
        // Asked for while a sync runs (a merge just made on the server): it follows that one.
        if self.running.get_untracked() {
            self.again.set(true);
            return;
        }
        self.running.set(true);
        let this = *self;
        spawn_local(async move {
            let outcome = match this.push_all().await {
                Ok(()) => this.pull_all().await,
                Err(e) => Err(e),
            };
            this.progress.set(None);
            this.running.set(false);
            if this.again.get_untracked() {
                this.again.set(false);
                this.sync_soon(Duration::from_millis(50));
            }
            match outcome {
                Ok(()) => {
                    this.failures.set(0);
                    this.problem.set(None);
                    this.online.set(true);
                    this.refresh_device_event().await;
                    this.count_conflicts().await;
                }
                Err(SyncProblem::SignedOut) if this.device.with_untracked(Option::is_some) => {
                    this.wipe_device();
                }
                Err(problem) => {
                    this.problem.set(Some(problem));
                    if problem == SyncProblem::Unreachable {
                        // Exponential backoff with jitter: 2 s, 4 s, 8 s … up to a minute.
                        let n = this.failures.get_untracked().min(5);
                        this.failures.set(n + 1);
                        let base = 2_000u64 << n;
                        this.sync_soon(Duration::from_millis(base / 2 + jitter_ms(base)));
                    }
                }
            }
        });
    }

    async fn push_all(&self) -> Result<(), SyncProblem> {
        let Some(staff) = self.staff.get_untracked() else {
            return Ok(());
        };
        let total = self.waiting() as u64;
        let mut sent = 0u64;
        // Halved when the server says a push is too large, down to one entry.
        let mut most = PUSH_BATCH;
        loop {
            let Some(local) = self.local.get_untracked() else {
                return Ok(());
            };
            let batch = local.outbox.batch_within(most, PUSH_BYTES).to_vec();
            if batch.is_empty() {
                return Ok(());
            }
            if total > PUSH_BATCH as u64 {
                self.progress.set(Some((sent, total, false)));
            }
            let request = PushRequest {
                protocol: PROTOCOL_VERSION,
                replica: local.replica.clone(),
                mutations: batch,
            };
            let answer = match client::sync_push(&request, self.bearer().as_deref()).await {
                Err(ClientError::Server { status: 413, .. }) if request.mutations.len() > 1 => {
                    most = request.mutations.len() / 2;
                    continue;
                }
                Err(ClientError::Server { status: 413, .. }) => {
                    // One entry the server will never take: it leaves the queue with a reason
                    // instead of blocking everything behind it.
                    let t = self.lang.get_untracked().catalog();
                    self.give_up(&staff, request.mutations[0].seq, t.sync_too_large)
                        .await?;
                    continue;
                }
                other => other.map_err(problem_of)?,
            };
            // Settled on the outbox as stored now: the person (or another tab) may have saved
            // more while the request was out. If this write fails the acknowledged entries
            // stay stored and are sent again: the server answers "duplicate" (with the first
            // answer's conflicts), so nothing is doubled.
            // The device's view of what this push settles as accepted, held in the copy of
            // pulled records until the pull that follows brings the server's own.
            let accepted: Vec<(RecordKind, String, RecordState)> = request
                .mutations
                .iter()
                .filter(|m| {
                    answer.results.iter().any(|r| {
                        r.seq == m.seq && r.status != crate::sync::wire::MutationStatus::Rejected
                    })
                })
                .filter_map(|m| {
                    let mut state = self.view(m.kind, &m.id)?;
                    // A tablet keeps of a registration only what it may hold, as after a pull.
                    if self.bearer().is_some() && m.kind == RecordKind::Participant {
                        crate::sync::kinds::tablet_view(&mut state);
                    }
                    Some((m.kind, m.id.clone(), state))
                })
                .collect();
            let ack = self
                .change_outbox(&staff, |local| {
                    // Settle only what this answer is about: entries of this replica that are
                    // still the ones sent (not renumbered or replaced meanwhile).
                    if local.replica != request.replica {
                        return Default::default();
                    }
                    let mut answer = answer.clone();
                    answer.results.retain(|r| {
                        let sent = request.mutations.iter().find(|m| m.seq == r.seq);
                        local.outbox.pending.iter().any(|m| Some(m) == sent)
                    });
                    let ack = local.outbox.acknowledge(&answer);
                    let now = client::now_unix_millis().max(0) as u64;
                    let server = Hlc {
                        wall_ms: answer.server_time_ms,
                        counter: 0,
                        node: 0,
                    };
                    local.clock = Hlc::observe(local.clock, server, now, local.node);
                    ack
                })
                .await?;
            if ack.done > 0 {
                self.cache.update(|cache| {
                    for (kind, id, state) in accepted {
                        cache.hold(kind, &id, state);
                    }
                });
            }
            sent += (ack.done + ack.rejected) as u64;
            if ack.done + ack.rejected == 0 {
                return Ok(()); // nothing settled: try again later rather than spin
            }
        }
    }

    async fn pull_all(&self) -> Result<(), SyncProblem> {
        let Some(staff) = self.staff.get_untracked() else {
            return Ok(());
        };
        let started = client::now_unix_millis();
        let mut cache = self.cache.get_untracked();
        let mut received = 0u64;
        let bearer = self.bearer();
        loop {
            let page = client::sync_pull(cache.cursor, cache.epoch.as_deref(), bearer.as_deref())
                .await
                .map_err(problem_of)?;
            received += page.records.len() as u64;
            let remaining = page.remaining;
            if cache.take(page, bearer.is_some()).reset {
                self.resynced.set(true);
            }
            if remaining == 0 {
                break;
            }
            self.progress
                .set(Some((received, received + remaining, true)));
        }
        cache.settle_held();
        cache.last_sync_ms = Some(client::now_unix_millis());
        // The copy is disposable: if it does not fit, it lives in memory until the next visit.
        let _ = store_save(&staff, &cache_key(&staff), &cache);
        self.cache.set(cache);
        self.last_pull_ms
            .set(Some((client::now_unix_millis() - started).max(0) as u64));
        Ok(())
    }
}

fn problem_of(error: ClientError) -> SyncProblem {
    match error {
        ClientError::SignedOut => SyncProblem::SignedOut,
        ClientError::Server { status: 426, .. } => SyncProblem::UpdateApp,
        _ => SyncProblem::Unreachable,
    }
}

fn jitter_ms(max: u64) -> u64 {
    #[cfg(feature = "hydrate")]
    {
        (js_sys::Math::random() * max as f64) as u64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        max / 2
    }
}

/// Asks the browser not to evict this site's storage under pressure (the outbox lives there).
fn request_persistent_storage() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let storage = w.navigator().storage();
        if let Ok(promise) = storage.persist() {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

/// The status bar: connection, entries waiting, last sync, progress, problems, a sync button.
#[component]
pub fn SyncBar() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let waiting = Signal::derive(move || sync.waiting());
    let failed = Signal::derive(move || {
        sync.local
            .with(|l| l.as_ref().map_or(0, |l| l.outbox.failed.len()))
    });
    let last = move || {
        sync.cache.with(|c| c.last_sync_ms).map_or_else(
            || t.get().sync_never.to_owned(),
            |ms| {
                // Japan time, with the day: a laptop back from two days offline says so.
                let local_ms = ms + 9 * 3_600_000;
                let day = crate::domain::date::CivilDate::from_unix_millis(local_ms);
                let minutes = (local_ms / 60_000).rem_euclid(24 * 60);
                format!(
                    "{}/{} {:02}:{:02}",
                    day.month(),
                    day.day(),
                    minutes / 60,
                    minutes % 60
                )
            },
        )
    };
    view! {
        <Show when=move || sync.locked.get().is_some()>
            <UnlockForm />
        </Show>
        <Show when=move || sync.staff.get().is_some()>
            <div class="sync-bar" data-testid="sync-status"
                data-online=move || sync.online.get().to_string()
                data-waiting=move || waiting.get().to_string()
                data-running=move || sync.running.get().to_string()
                data-records=move || sync.cache.with(|c| c.records.len()).to_string()
                data-last-pull-ms=move || sync.last_pull_ms.get().map(|ms| ms.to_string())>
                <span class="sync-conn" class:offline=move || !sync.online.get()>
                    <span class="dot" aria-hidden="true"></span>
                    {move || if sync.online.get() { t.get().sync_online } else { t.get().sync_offline }}
                </span>
                <span class="sync-waiting">
                    {t.get().sync_waiting} " "
                    <strong data-testid="sync-waiting">{move || waiting.get()}</strong>
                </span>
                <span class="sync-last">{t.get().sync_last} " " {last}</span>
                <Show when=move || { sync.conflicts.get() > 0 && sync.device.with(Option::is_none) }>
                    <a href="/conflicts" class="alert-link" data-testid="sync-conflicts">
                        {move || format!("{} {}", t.get().nav_conflicts, t.get().conflicts_count.replace("{n}", &sync.conflicts.get().to_string()))}
                    </a>
                </Show>
                {move || sync.progress.get().map(|(done, total, receiving)| view! {
                    <span class="sync-progress">
                        {if receiving { t.get().sync_receiving } else { t.get().sync_sending }}
                        " " <progress max=total value=done></progress>
                        {format!(" {done}/{total}")}
                    </span>
                })}
                <button type="button" class="secondary sync-now" on:click=move |_| sync.sync_now()
                    disabled=move || sync.running.get()>
                    {move || if sync.running.get() { t.get().sync_running } else { t.get().sync_now }}
                </button>
                <span class="sync-problem" aria-live="polite">
                    {move || sync.problem.get().map(|p| p.text(t.get()))}
                    // Entries kept aside stay reported until someone deals with them.
                    {move || sync.staff.get().filter(|s| {
                        local::load::<Value>(&local::Aside::Unreadable.key(&local_key(s))).is_some()
                    }).map(|_| t.get().vault_set_aside)}
                    {move || sync.staff.get().filter(|s| {
                        local::load::<Value>(&local::Aside::Newer.key(&local_key(s))).is_some()
                    }).map(|_| t.get().sync_set_aside)}
                    {move || sync.resynced.get().then(|| t.get().sync_resynced)}
                    {move || (failed.get() > 0).then(|| view! {
                        <a href=move || if sync.device.with(Option::is_some) { "/fair#failed" } else { "/cases#failed" } class="alert-link">
                            {move || format!("{}: {}", t.get().sync_failed_title, failed.get())}
                        </a>
                    })}
                </span>
            </div>
        </Show>
    }
}

/// Offline start of a sealed store: the staff member's password opens it here.
#[component]
fn UnlockForm() -> impl IntoView {
    let t = use_catalog();
    let sync = use_sync();
    let password = RwSignal::new(String::new());
    let message = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = password.get_untracked();
        password.set(String::new());
        match sync.unlock(&typed) {
            Ok(()) => message.set(None),
            Err(client::vault::Locked::Wiped) => message.set(Some(t.get().vault_wiped)),
            Err(client::vault::Locked::SignInOnce) => message.set(Some(t.get().vault_sign_in_once)),
            Err(_) => message.set(Some(t.get().vault_wrong)),
        }
    };
    view! {
        <form class="sync-bar unlock" on:submit=submit novalidate=true data-testid="unlock-form">
            <label for="unlock-password">
                {move || if sync.device.with(Option::is_some) { t.get().vault_locked_tablet } else { t.get().vault_locked }}
            </label>
            <input id="unlock-password" type="password" autocomplete="current-password"
                prop:value=move || password.get()
                on:input:target=move |ev| password.set(ev.target().value()) />
            <button type="submit" class="secondary">{t.get().vault_unlock}</button>
            <span class="sync-problem" role="alert">{move || message.get()}</span>
        </form>
    }
}
