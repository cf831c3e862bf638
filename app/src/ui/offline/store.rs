//! The outbox as this device changes it (under the profile's lock, from what another tab may
//! have written) and the records as this device sees them: received copy + waiting changes.

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::{
    CachedRecord, Entry, Local, SyncProblem, SyncState, local_key, store_load, store_save,
};
use crate::client;
use crate::sync::hlc::Hlc;
use crate::sync::merge::RecordState;
use crate::sync::wire::{Op, RecordKind};

impl SyncState {
    /// Entries waiting to be sent.
    pub fn waiting(&self) -> usize {
        self.local
            .with(|l| l.as_ref().map_or(0, |l| l.outbox.waiting()))
    }

    /// Every record of `kind` as this device sees it, with whether changes to it still wait to
    /// be sent. Tracks the store, so a memo over it follows every save and sync.
    pub fn records(&self, kind: RecordKind) -> Vec<(String, RecordState, bool)> {
        let waiting: BTreeSet<String> = self.local.with(|l| {
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
        let mut ids: BTreeSet<String> = self.cache.with(|c| {
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
    pub(super) async fn change_outbox<T>(
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
    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    pub(super) fn reload_outbox(&self) {
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
    pub(super) async fn give_up(
        &self,
        staff: &str,
        seq: u64,
        reason: &str,
    ) -> Result<(), SyncProblem> {
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
}
