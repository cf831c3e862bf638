//! The sync engine: sends the outbox in batches, then pulls what changed, with backoff when the
//! server cannot be reached.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{DEVICE_KEY, SyncProblem, SyncState, cache_key, store_save};
use crate::client::{self, ClientError, local};
use crate::protocol::EventDetail;
use crate::sync::hlc::Hlc;
use crate::sync::merge::RecordState;
use crate::sync::outbox::Ack;
use crate::sync::wire::{
    MAX_PUSH, MutationStatus, PROTOCOL_VERSION, PushRequest, PushResponse, RecordKind,
};

/// The most mutations one push carries from the browser.
const PUSH_BATCH: usize = if MAX_PUSH < 200 { MAX_PUSH } else { 200 };
/// The most bytes of mutations one push carries (the server takes bodies up to 1 MiB).
const PUSH_BYTES: usize = 512 * 1024;

impl SyncState {
    /// Follows the network (a sync when it comes back), other tabs' saves, and syncs every
    /// 30 s while online. Once per page.
    pub(super) fn watch_network(&self) {
        if self.watching.get_untracked() {
            return;
        }
        self.watching.set(true);
        #[cfg(feature = "browser")]
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
                let mine = this.staff.get_untracked().map(|s| super::local_key(&s));
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
            let accepted = self.accepted_states(&request, &answer);
            let ack = self.settle(&staff, &request, answer).await?;
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

    /// The device's view of what a push settles as accepted, held in the copy of pulled
    /// records until the pull that follows brings the server's own.
    fn accepted_states(
        &self,
        request: &PushRequest,
        answer: &PushResponse,
    ) -> Vec<(RecordKind, String, RecordState)> {
        let tablet = self.bearer().is_some();
        request
            .mutations
            .iter()
            .filter(|m| {
                answer
                    .results
                    .iter()
                    .any(|r| r.seq == m.seq && r.status != MutationStatus::Rejected)
            })
            .filter_map(|m| {
                let mut state = self.view(m.kind, &m.id)?;
                // A tablet keeps of a registration only what it may hold, as after a pull.
                if tablet && m.kind == RecordKind::Participant {
                    crate::sync::kinds::tablet_view(&mut state);
                }
                Some((m.kind, m.id.clone(), state))
            })
            .collect()
    }

    /// Settles a push's answer on the outbox as stored now: the person (or another tab) may
    /// have saved more while the request was out. If this write fails the acknowledged entries
    /// stay stored and are sent again: the server answers "duplicate" (with the first answer's
    /// conflicts), so nothing is doubled.
    async fn settle(
        &self,
        staff: &str,
        request: &PushRequest,
        mut answer: PushResponse,
    ) -> Result<Ack, SyncProblem> {
        self.change_outbox(staff, |local| {
            // Settle only what this answer is about: entries of this replica that are still
            // the ones sent (not renumbered or replaced meanwhile).
            if local.replica != request.replica {
                return Ack::default();
            }
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
        .await
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
}

fn problem_of(error: ClientError) -> SyncProblem {
    match error {
        ClientError::SignedOut => SyncProblem::SignedOut,
        ClientError::Server { status: 426, .. } => SyncProblem::UpdateApp,
        _ => SyncProblem::Unreachable,
    }
}

fn jitter_ms(max: u64) -> u64 {
    #[cfg(feature = "browser")]
    {
        (js_sys::Math::random() * max as f64) as u64
    }
    #[cfg(not(feature = "browser"))]
    {
        max / 2
    }
}
