//! The lessor, etcd's `lease` package: leases granted, renewed, checkpointed and revoked.
//!
//! Every member holds every lease. Grants, revocations and checkpoints arrive through the raft log
//! and are applied here in the applier's backend batch, where the lease is also persisted (bucket
//! `lease`, etcd's `leasepb.Lease` layout keyed by the big-endian ID), so a restart finds them.
//! Which keys a lease holds is not persisted: it is rebuilt on restart from the keys' `lease`
//! field and kept current from the events of every applied entry.
//!
//! Only the *primary* lessor tracks deadlines: the leader's, once it has applied an entry of its
//! own term (and so every grant and revocation before it). It answers keep-alives and proposes,
//! through raft, the revocation of each lease whose deadline passed, in bounded rounds, and
//! checkpoints of long leases' remaining TTLs (`member::lease` runs that loop and the
//! keep-alives). Every other lessor treats leases as unexpiring.
//!
//! Invariants:
//! - A lease never expires before its deadline as a client last saw it: promotion (a restart, a
//!   new leader) sets every deadline to `now + election timeout + TTL`, where TTL is the last
//!   checkpointed remaining TTL (never smaller than the time really left when it was taken) or
//!   else the granted TTL.
//! - Each lease with a deadline has an entry in the expiry queue at or before that deadline
//!   (`Lease::queued`); entries that no longer match `queued` are stale and skipped.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxcd_proto::etcdserverpb::{
    request_op, DeleteRangeRequest, LeaseCheckpoint, LeaseCheckpointRequest,
    LeaseCheckpointResponse, LeaseGrantRequest, LeaseGrantResponse, LeaseRevokeResponse,
    LeaseTimeToLiveResponse, RangeRequest, RequestOp, ResponseHeader, TxnRequest,
};
use oxcd_proto::mvccpb::{event::EventType, Event};
use oxcd_storage::backend::StorageError;
use oxcd_storage::mvcc::{MvccError, MvccStore, WriteBatch};
use prost::Message;
use tokio::sync::{watch, Notify};

use crate::config::Config;
use crate::error::ServerError;

/// etcd's `MaxLeaseTTL`: about 285 years.
pub const MAX_LEASE_TTL: i64 = 9_000_000_000;

/// The backend bucket leases are persisted in.
pub(crate) const LEASE_BUCKET: &str = "lease";

/// How often the primary looks for expired leases and due checkpoints.
pub const EXPIRY_TICK: Duration = Duration::from_millis(100);

/// Leases revoked per round, at most: their proposals are in flight together and a client write
/// waits behind at most one round, so a mass expiry never stalls writes for long.
pub const MAX_REVOKES_PER_ROUND: usize = 500;

/// Checkpoints carried by one proposal, at most (etcd's `maxLeaseCheckpointBatchSize`).
pub const MAX_CHECKPOINTS_PER_PROPOSAL: usize = 1000;

/// An expired lease whose revocation has not been applied after this long is proposed again
/// (etcd's `expiredLeaseRetryInterval`).
const EXPIRED_RETRY: Duration = Duration::from_secs(3);

/// Keys read per page when rebuilding lease attachments on restart.
const RESTORE_PAGE: i64 = 10_000;

/// A lease as persisted: etcd's `leasepb.Lease`.
#[derive(Clone, PartialEq, prost::Message)]
struct LeaseRecord {
    #[prost(int64, tag = "1")]
    id: i64,
    #[prost(int64, tag = "2")]
    ttl: i64,
    #[prost(int64, tag = "3")]
    remaining_ttl: i64,
}

/// The smallest TTL a lease gets, in seconds: etcd's `ceil(1.5 × election timeout)`, computed
/// from whole election ticks as etcd does.
pub fn min_ttl(config: &Config) -> i64 {
    let ticks = config.election_ticks() as u64;
    let millis = (3 * ticks / 2) * config.heartbeat_interval;
    millis.div_ceil(1000).max(1) as i64
}

struct Lease {
    /// The granted TTL in seconds (raised to the minimum).
    ttl: i64,
    /// The TTL left at the last checkpoint; 0 when none applies (a renewal clears it).
    remaining_ttl: i64,
    /// The deadline; `None` unless this lessor is primary.
    expiry: Option<Instant>,
    /// When the expiry queue next looks at this lease.
    queued: Option<Instant>,
    /// When the checkpoint queue next looks at this lease.
    checkpoint_at: Option<Instant>,
    /// A checkpoint of this lease is proposed but not applied yet.
    checkpoint_pending: bool,
    /// The keys attached, sorted: revocation deletes them in this order on every member.
    keys: BTreeSet<Vec<u8>>,
}

impl Lease {
    fn new(ttl: i64, remaining_ttl: i64) -> Lease {
        Lease {
            ttl,
            remaining_ttl,
            expiry: None,
            queued: None,
            checkpoint_at: None,
            checkpoint_pending: false,
            keys: BTreeSet::new(),
        }
    }

    /// The TTL a refresh grants: the checkpointed remainder if there is one.
    fn refresh_ttl(&self) -> i64 {
        if self.remaining_ttl > 0 {
            self.remaining_ttl
        } else {
            self.ttl
        }
    }
}

type Queue = BinaryHeap<Reverse<(Instant, i64)>>;

struct State {
    leases: HashMap<i64, Lease>,
    primary: bool,
    /// The raft term of the last promotion.
    promoted_term: u64,
    expiries: Queue,
    checkpoints: Queue,
}

/// `now + seconds`, saturating far in the future (a TTL may be nearly 300 years).
fn after(now: Instant, seconds: i64) -> Instant {
    let span = Duration::from_secs(seconds.max(0) as u64);
    now.checked_add(span)
        .or_else(|| now.checked_add(Duration::from_secs(MAX_LEASE_TTL as u64)))
        .unwrap_or(now)
}

impl State {
    /// Sets the deadline of `id` to `now + extend + its TTL` and makes sure the expiry queue
    /// looks at the lease by then.
    fn refresh(&mut self, id: i64, now: Instant, extend: Duration) {
        let Some(lease) = self.leases.get_mut(&id) else {
            return;
        };
        let expiry = after(now + extend, lease.refresh_ttl());
        lease.expiry = Some(expiry);
        if lease.queued.is_none_or(|queued| expiry < queued) {
            lease.queued = Some(expiry);
            self.expiries.push(Reverse((expiry, id)));
        }
    }

    /// Queues a checkpoint of `id` one interval from now if its TTL outlasts the interval.
    fn schedule_checkpoint(&mut self, id: i64, now: Instant, interval: Duration) {
        if !self.primary || interval.is_zero() {
            return;
        }
        let Some(lease) = self.leases.get_mut(&id) else {
            return;
        };
        if Duration::from_secs(lease.refresh_ttl().max(0) as u64) <= interval {
            return;
        }
        let at = now + interval;
        lease.checkpoint_at = Some(at);
        self.checkpoints.push(Reverse((at, id)));
    }
}

/// What a keep-alive found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// Renewed for `ttl` seconds; `clear_checkpoint`: a checkpointed remaining TTL must be
    /// cleared through raft so that a later promotion grants the full TTL again.
    Renewed {
        ttl: i64,
        clear_checkpoint: bool,
    },
    /// This lessor is not primary: only the primary renews.
    NotPrimary,
    NotFound,
    /// Past its deadline; its revocation is on its way.
    Expired,
}

/// Where the lessor reads the time: the system's monotonic clock, or the simulator's.
pub type Clock = Arc<dyn Fn() -> Instant + Send + Sync>;

/// What one round of the primary's duties found due: checkpoints to propose (in one proposal)
/// and expired leases to revoke (a proposal each).
#[derive(Debug, Default)]
pub struct Due {
    pub checkpoints: Vec<LeaseCheckpoint>,
    pub expired: Vec<i64>,
}

/// The term a member leads in, for [`Lessor::sync_role`]: only once it has applied an entry of
/// that term, so its lessor holds every lease change committed before.
pub fn leading_term(leads: bool, raft_term: u64, applied_term: u64) -> Option<u64> {
    (leads && applied_term == raft_term).then_some(raft_term)
}

/// All leases of the member.
pub struct Lessor {
    state: Mutex<State>,
    clock: Clock,
    min_ttl: i64,
    checkpoint_interval: Duration,
    primary: watch::Sender<bool>,
    /// Woken whenever a revocation is applied, for keep-alives waiting on an expired lease.
    revoked: Notify,
    /// etcd's request ID generator: the member ID's low 16 bits above a counter that starts
    /// at the time in milliseconds.
    id_prefix: u64,
    id_counter: AtomicU64,
}

impl Lessor {
    /// Loads the leases the backend holds and attaches the keys that name them.
    pub fn restore(
        store: &MvccStore,
        member_id: u64,
        min_ttl: i64,
        checkpoint_interval: Duration,
    ) -> Result<Lessor, String> {
        let leases = load_leases(store)?;
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        Ok(Lessor {
            state: Mutex::new(State {
                leases,
                primary: false,
                promoted_term: 0,
                expiries: BinaryHeap::new(),
                checkpoints: BinaryHeap::new(),
            }),
            clock: Arc::new(Instant::now),
            min_ttl,
            checkpoint_interval,
            primary: watch::channel(false).0,
            revoked: Notify::new(),
            id_prefix: (member_id & 0xffff) << 48,
            id_counter: AtomicU64::new((now_ms & ((1 << 40) - 1)) << 8),
        })
    }

    /// Reads the time from `clock` instead of the system (the simulator's clock).
    #[cfg(test)]
    pub fn with_clock(mut self, clock: Clock) -> Lessor {
        self.clock = clock;
        self
    }

    /// The time deadlines are measured in.
    pub fn now(&self) -> Instant {
        (self.clock)()
    }

    /// One round of the primary's duties, which `member::lease` runs every [`EXPIRY_TICK`]:
    /// the role synced (see [`Lessor::sync_role`]), then the due checkpoints and expired
    /// leases, each bounded.
    pub fn expiry_round(&self, leading_term: Option<u64>, extend: Duration) -> Due {
        self.sync_role(leading_term, extend);
        let now = self.now();
        Due {
            checkpoints: self.take_checkpoints(now, MAX_CHECKPOINTS_PER_PROPOSAL),
            expired: self.take_expired(now, MAX_REVOKES_PER_ROUND),
        }
    }

    /// Replaces every lease with what `store` holds (after a snapshot from the leader replaced
    /// the backend); a primary gives each one its full TTL from now.
    pub fn reload(&self, store: &MvccStore) -> Result<(), String> {
        let leases = load_leases(store)?;
        let mut guard = self.lock();
        let state = &mut *guard;
        state.leases = leases;
        state.expiries.clear();
        state.checkpoints.clear();
        if state.primary {
            let now = self.now();
            let ids: Vec<i64> = state.leases.keys().copied().collect();
            for id in ids {
                state.refresh(id, now, Duration::ZERO);
                state.schedule_checkpoint(id, now, self.checkpoint_interval);
            }
        }
        drop(guard);
        self.revoked.notify_waiters();
        Ok(())
    }

    /// Notified whenever a revocation is applied, for keep-alives waiting on an expired lease.
    pub fn revocations(&self) -> &Notify {
        &self.revoked
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("lessor lock poisoned")
    }

    /// A fresh positive lease ID for a grant that names none.
    pub fn new_id(&self) -> i64 {
        loop {
            let count = self.id_counter.fetch_add(1, Ordering::Relaxed) + 1;
            let id = ((self.id_prefix | (count & ((1 << 48) - 1))) & (i64::MAX as u64)) as i64;
            if id != 0 && !self.exists(id) {
                return id;
            }
        }
    }

    pub fn exists(&self, id: i64) -> bool {
        self.lock().leases.contains_key(&id)
    }

    /// Follows whether this lessor is primary.
    pub fn primary_changes(&self) -> watch::Receiver<bool> {
        self.primary.subscribe()
    }

    /// Applies a grant: etcd's `lessor.Grant`.
    pub fn apply_grant(
        &self,
        batch: &mut WriteBatch<'_>,
        req: &LeaseGrantRequest,
    ) -> Result<LeaseGrantResponse, ServerError> {
        if req.id == 0 {
            return Err(ServerError::LeaseNotFound);
        }
        if req.ttl > MAX_LEASE_TTL {
            return Err(ServerError::LeaseTtlTooLarge);
        }
        let ttl = req.ttl.max(self.min_ttl);
        let mut guard = self.lock();
        let state = &mut *guard;
        if state.leases.contains_key(&req.id) {
            return Err(ServerError::LeaseExists);
        }
        persist(batch, req.id, ttl, 0)?;
        state.leases.insert(req.id, Lease::new(ttl, 0));
        if state.primary {
            let now = self.now();
            state.refresh(req.id, now, Duration::ZERO);
            state.schedule_checkpoint(req.id, now, self.checkpoint_interval);
        }
        Ok(LeaseGrantResponse {
            header: Some(header(batch.revision())),
            id: req.id,
            ttl,
            error: String::new(),
        })
    }

    /// Applies a revocation: the lease's keys are deleted in one revision (in key order, so every
    /// member writes the same history), and the lease is forgotten in the same batch.
    pub fn apply_revoke(
        &self,
        batch: &mut WriteBatch<'_>,
        id: i64,
    ) -> Result<LeaseRevokeResponse, ServerError> {
        let keys: Vec<Vec<u8>> = match self.lock().leases.get(&id) {
            Some(lease) => lease.keys.iter().cloned().collect(),
            None => return Err(ServerError::LeaseNotFound),
        };
        if !keys.is_empty() {
            let deletes = keys
                .into_iter()
                .map(|key| RequestOp {
                    request: Some(request_op::Request::RequestDeleteRange(
                        DeleteRangeRequest {
                            key,
                            ..Default::default()
                        },
                    )),
                })
                .collect();
            let txn = TxnRequest {
                compare: vec![],
                success: deletes,
                failure: vec![],
            };
            batch.txn(&txn, &|_| false)?;
        }
        batch
            .bucket_delete(LEASE_BUCKET, &id.to_be_bytes())
            .map_err(storage_error)?;
        self.lock().leases.remove(&id);
        self.revoked.notify_waiters();
        Ok(LeaseRevokeResponse {
            header: Some(header(batch.revision())),
        })
    }

    /// Applies checkpoints: each lease remembers (and persists) the TTL it had left.
    pub fn apply_checkpoint(
        &self,
        batch: &mut WriteBatch<'_>,
        req: &LeaseCheckpointRequest,
    ) -> Result<LeaseCheckpointResponse, ServerError> {
        for checkpoint in &req.checkpoints {
            let ttl = {
                let mut state = self.lock();
                let Some(lease) = state.leases.get_mut(&checkpoint.id) else {
                    continue;
                };
                lease.checkpoint_pending = false;
                lease.remaining_ttl = checkpoint.remaining_ttl.max(0);
                lease.ttl
            };
            persist(batch, checkpoint.id, ttl, checkpoint.remaining_ttl.max(0))?;
        }
        Ok(LeaseCheckpointResponse {
            header: Some(header(batch.revision())),
        })
    }

    /// Follows key attachments through the events of one applied entry: a put with a lease
    /// attaches the key, a put with another lease (or none) or a delete detaches it.
    pub fn track(&self, events: &[Event]) {
        let involves_lease = |e: &Event| {
            e.kv.as_ref().is_some_and(|kv| kv.lease != 0)
                || e.prev_kv.as_ref().is_some_and(|kv| kv.lease != 0)
        };
        if !events.iter().any(involves_lease) {
            return;
        }
        let mut state = self.lock();
        for event in events {
            let Some(kv) = &event.kv else { continue };
            let old = event.prev_kv.as_ref().map_or(0, |prev| prev.lease);
            let new = if event.r#type == EventType::Put as i32 {
                kv.lease
            } else {
                0
            };
            if old != 0 && old != new {
                if let Some(lease) = state.leases.get_mut(&old) {
                    lease.keys.remove(kv.key.as_ref());
                }
            }
            if new != 0 {
                if let Some(lease) = state.leases.get_mut(&new) {
                    lease.keys.insert(kv.key.to_vec());
                }
            }
        }
    }

    /// A keep-alive: etcd's `lessor.Renew` (a renewal restarts the full granted TTL).
    pub fn renew(&self, id: i64, now: Instant) -> Renewal {
        let mut guard = self.lock();
        let state = &mut *guard;
        if !state.primary {
            return Renewal::NotPrimary;
        }
        let Some(lease) = state.leases.get_mut(&id) else {
            return Renewal::NotFound;
        };
        if lease.expiry.is_some_and(|expiry| expiry <= now) {
            return Renewal::Expired;
        }
        let clear_checkpoint = lease.remaining_ttl > 0 || lease.checkpoint_pending;
        lease.remaining_ttl = 0;
        let ttl = lease.ttl;
        #[cfg(test)]
        if planted::RENEW_WITHOUT_REFRESH.with(std::cell::Cell::get) {
            return Renewal::Renewed {
                ttl,
                clear_checkpoint,
            };
        }
        state.refresh(id, now, Duration::ZERO);
        Renewal::Renewed {
            ttl,
            clear_checkpoint,
        }
    }

    /// `LeaseTimeToLive` for a lease this member knows; `None` if it does not exist.
    pub fn time_to_live(&self, id: i64, with_keys: bool) -> Option<LeaseTimeToLiveResponse> {
        let state = self.lock();
        let lease = state.leases.get(&id)?;
        let remaining = match lease.expiry {
            // Go's int64(Duration.Seconds()): truncated toward zero.
            Some(expiry) => match expiry.checked_duration_since(self.now()) {
                Some(left) => left.as_secs() as i64,
                None => 0,
            },
            None => lease.refresh_ttl(),
        };
        Some(LeaseTimeToLiveResponse {
            header: None,
            id,
            ttl: remaining,
            granted_ttl: lease.ttl,
            keys: if with_keys {
                lease.keys.iter().cloned().collect()
            } else {
                vec![]
            },
        })
    }

    /// The keys attached to a lease, sorted; `None` for a lease this member does not know.
    pub fn keys(&self, id: i64) -> Option<Vec<Vec<u8>>> {
        let state = self.lock();
        Some(state.leases.get(&id)?.keys.iter().cloned().collect())
    }

    /// Every lease ID, soonest deadline first (etcd's `Leases` order), then by ID.
    pub fn leases(&self) -> Vec<i64> {
        let state = self.lock();
        let mut all: Vec<(Option<Instant>, i64)> = state
            .leases
            .iter()
            .map(|(id, lease)| (lease.expiry, *id))
            .collect();
        all.sort();
        all.into_iter().map(|(_, id)| id).collect()
    }

    /// Becomes primary when `leading_term` is set (and was not promoted in that term), or stops
    /// being primary when it is not. Promotion gives every lease a fresh deadline:
    /// `now + extend + TTL`, as etcd's `Promote` does.
    pub fn sync_role(&self, leading_term: Option<u64>, extend: Duration) {
        let mut guard = self.lock();
        let state = &mut *guard;
        match leading_term {
            Some(term) if !state.primary || state.promoted_term != term => {
                let now = self.now();
                state.primary = true;
                state.promoted_term = term;
                state.expiries.clear();
                state.checkpoints.clear();
                let ids: Vec<i64> = state.leases.keys().copied().collect();
                for id in ids {
                    if let Some(lease) = state.leases.get_mut(&id) {
                        lease.queued = None;
                        lease.checkpoint_at = None;
                    }
                    state.refresh(id, now, extend);
                    state.schedule_checkpoint(id, now, self.checkpoint_interval);
                }
                tracing::debug!(term, leases = state.leases.len(), "lessor promoted");
            }
            None if state.primary => {
                state.primary = false;
                state.expiries.clear();
                state.checkpoints.clear();
                for lease in state.leases.values_mut() {
                    lease.expiry = None;
                    lease.queued = None;
                    lease.checkpoint_at = None;
                }
                tracing::debug!("lessor demoted");
            }
            _ => return,
        }
        let primary = state.primary;
        drop(guard);
        self.primary.send_replace(primary);
    }

    /// Up to `limit` leases whose deadline passed; each is looked at again after
    /// [`EXPIRED_RETRY`] in case its revocation does not get through.
    pub fn take_expired(&self, now: Instant, limit: usize) -> Vec<i64> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let mut expired = Vec::new();
        if !state.primary {
            return expired;
        }
        while expired.len() < limit {
            let Some(&Reverse((at, id))) = state.expiries.peek() else {
                break;
            };
            if at > now {
                break;
            }
            state.expiries.pop();
            let Some(lease) = state.leases.get_mut(&id) else {
                continue;
            };
            if lease.queued != Some(at) {
                continue;
            }
            match lease.expiry {
                Some(expiry) if expiry > now => {
                    lease.queued = Some(expiry);
                    state.expiries.push(Reverse((expiry, id)));
                }
                Some(_) => {
                    let retry = now + EXPIRED_RETRY;
                    lease.queued = Some(retry);
                    state.expiries.push(Reverse((retry, id)));
                    expired.push(id);
                }
                None => lease.queued = None,
            }
        }
        expired
    }

    /// Up to `limit` due checkpoints: each lease's TTL left, rounded up (etcd's), and the next
    /// checkpoint of the lease queued. As etcd, a lease with at least its granted TTL left is
    /// not checkpointed: what is left then includes a promotion's extension, and a checkpoint
    /// of it would make the next promotion extend the lease again, and every later one too.
    pub fn take_checkpoints(&self, now: Instant, limit: usize) -> Vec<LeaseCheckpoint> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let mut due = Vec::new();
        if !state.primary {
            return due;
        }
        while due.len() < limit {
            let Some(&Reverse((at, id))) = state.checkpoints.peek() else {
                break;
            };
            if at > now {
                break;
            }
            state.checkpoints.pop();
            let Some(lease) = state.leases.get_mut(&id) else {
                continue;
            };
            if lease.checkpoint_at != Some(at) {
                continue;
            }
            lease.checkpoint_at = None;
            let Some(left) = lease.expiry.and_then(|e| e.checked_duration_since(now)) else {
                continue;
            };
            let remaining_ttl = left.as_secs() as i64 + i64::from(left.subsec_nanos() > 0);
            let extended = remaining_ttl >= lease.ttl;
            #[cfg(test)]
            let extended = extended && !planted::CHECKPOINT_PAST_TTL.with(std::cell::Cell::get);
            if !extended {
                lease.checkpoint_pending = true;
                due.push(LeaseCheckpoint { id, remaining_ttl });
            }
            if left > self.checkpoint_interval {
                let next = now + self.checkpoint_interval;
                lease.checkpoint_at = Some(next);
                state.checkpoints.push(Reverse((next, id)));
            }
        }
        due
    }
}

/// Bugs the simulator's own test plants, to show it finds them.
#[cfg(test)]
pub mod planted {
    thread_local! {
        /// The primary answers a keep-alive without moving the lease's deadline.
        pub static RENEW_WITHOUT_REFRESH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// Checkpoints also record a TTL left that a promotion's extension made longer than
        /// the granted one, as before the simulation found it.
        pub static CHECKPOINT_PAST_TTL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
}

fn header(revision: i64) -> ResponseHeader {
    ResponseHeader {
        revision,
        ..Default::default()
    }
}

fn storage_error(err: StorageError) -> ServerError {
    ServerError::Mvcc(MvccError::Storage(err))
}

fn persist(
    batch: &mut WriteBatch<'_>,
    id: i64,
    ttl: i64,
    remaining_ttl: i64,
) -> Result<(), ServerError> {
    let record = LeaseRecord {
        id,
        ttl,
        remaining_ttl,
    };
    batch
        .bucket_put(LEASE_BUCKET, &id.to_be_bytes(), &record.encode_to_vec())
        .map_err(storage_error)
}

/// The leases `store` holds, with the keys attached to them.
fn load_leases(store: &MvccStore) -> Result<HashMap<i64, Lease>, String> {
    let mut leases = HashMap::new();
    let entries = store
        .bucket_entries(LEASE_BUCKET)
        .map_err(|e| format!("reading leases: {e}"))?;
    for (key, value) in entries {
        let record = LeaseRecord::decode(value.as_slice())
            .map_err(|e| format!("lease record {key:?} in the backend does not decode: {e}"))?;
        leases.insert(record.id, Lease::new(record.ttl, record.remaining_ttl));
    }
    attach_stored_keys(store, &mut leases)?;
    Ok(leases)
}

/// Attaches every current key that names a known lease to it, a page of keys at a time.
fn attach_stored_keys(store: &MvccStore, leases: &mut HashMap<i64, Lease>) -> Result<(), String> {
    if leases.is_empty() {
        return Ok(());
    }
    let mut req = RangeRequest {
        key: vec![0],
        range_end: vec![0],
        limit: RESTORE_PAGE,
        keys_only: true,
        serializable: true,
        revision: store.current_revision(),
        ..Default::default()
    };
    loop {
        let page = store
            .range(&req)
            .map_err(|e| format!("reading keys to attach to leases: {e}"))?;
        for kv in &page.kvs {
            if let Some(lease) = leases.get_mut(&kv.lease) {
                lease.keys.insert(kv.key.to_vec());
            }
        }
        match page.kvs.last() {
            Some(last) if page.more => {
                req.key = last.key.to_vec();
                req.key.push(0);
            }
            _ => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxcd_proto::mvccpb::KeyValue;

    fn lessor() -> (tempfile::TempDir, MvccStore, Lessor) {
        lessor_checkpointing_every(Duration::from_secs(300))
    }

    fn lessor_checkpointing_every(interval: Duration) -> (tempfile::TempDir, MvccStore, Lessor) {
        let dir = tempfile::tempdir().unwrap();
        let store = MvccStore::open(&dir.path().join("db")).unwrap();
        let lessor = Lessor::restore(&store, 1, 2, interval).unwrap();
        (dir, store, lessor)
    }

    fn grant(store: &MvccStore, lessor: &Lessor, id: i64, ttl: i64) -> LeaseGrantResponse {
        let mut batch = store.write_batch().unwrap();
        let resp = lessor
            .apply_grant(&mut batch, &LeaseGrantRequest { id, ttl })
            .unwrap();
        batch.commit(false).unwrap();
        resp
    }

    fn put_event(key: &str, lease: i64, prev_lease: Option<i64>) -> Event {
        Event {
            r#type: EventType::Put as i32,
            kv: Some(KeyValue {
                key: key.as_bytes().to_vec().into(),
                lease,
                ..Default::default()
            }),
            prev_kv: prev_lease.map(|lease| KeyValue {
                key: key.as_bytes().to_vec().into(),
                lease,
                ..Default::default()
            }),
        }
    }

    #[test]
    fn grants_raise_small_ttls_and_refuse_duplicates_and_huge_ttls() {
        let (_dir, store, lessor) = lessor();
        assert_eq!(grant(&store, &lessor, 7, 0).ttl, 2);
        assert_eq!(grant(&store, &lessor, 8, 100).ttl, 100);
        let mut batch = store.write_batch().unwrap();
        let dup = lessor.apply_grant(&mut batch, &LeaseGrantRequest { id: 7, ttl: 5 });
        assert!(matches!(dup, Err(ServerError::LeaseExists)));
        let huge = LeaseGrantRequest {
            id: 9,
            ttl: MAX_LEASE_TTL + 1,
        };
        assert!(matches!(
            lessor.apply_grant(&mut batch, &huge),
            Err(ServerError::LeaseTtlTooLarge)
        ));
        assert_eq!(lessor.leases().len(), 2);
    }

    #[test]
    fn events_attach_and_detach_keys() {
        let (_dir, store, lessor) = lessor();
        grant(&store, &lessor, 1, 10);
        grant(&store, &lessor, 2, 10);
        lessor.track(&[put_event("a", 1, None), put_event("b", 1, None)]);
        lessor.track(&[put_event("b", 2, Some(1))]);
        let keys = |id| lessor.time_to_live(id, true).unwrap().keys;
        assert_eq!(keys(1), vec![b"a".to_vec()]);
        assert_eq!(keys(2), vec![b"b".to_vec()]);
        lessor.track(&[Event {
            r#type: EventType::Delete as i32,
            kv: Some(KeyValue {
                key: b"b".to_vec().into(),
                ..Default::default()
            }),
            prev_kv: Some(KeyValue {
                key: b"b".to_vec().into(),
                lease: 2,
                ..Default::default()
            }),
        }]);
        assert!(keys(2).is_empty());
        lessor.track(&[put_event("a", 0, Some(1))]);
        assert!(keys(1).is_empty());
    }

    #[test]
    fn only_the_primary_renews_and_expires() {
        let (_dir, store, lessor) = lessor();
        grant(&store, &lessor, 1, 2);
        assert_eq!(lessor.renew(1, Instant::now()), Renewal::NotPrimary);
        lessor.sync_role(Some(1), Duration::ZERO);
        assert_eq!(
            lessor.renew(1, Instant::now()),
            Renewal::Renewed {
                ttl: 2,
                clear_checkpoint: false
            }
        );
        assert_eq!(lessor.renew(5, Instant::now()), Renewal::NotFound);
        let later = Instant::now() + Duration::from_secs(3);
        assert_eq!(lessor.take_expired(later, 10), vec![1]);
        assert_eq!(lessor.renew(1, later), Renewal::Expired);
        // Not proposed again until the retry interval passed.
        assert!(lessor.take_expired(later, 10).is_empty());
        assert_eq!(lessor.take_expired(later + EXPIRED_RETRY, 10), vec![1]);
        lessor.sync_role(None, Duration::ZERO);
        assert!(lessor
            .take_expired(later + 2 * EXPIRED_RETRY, 10)
            .is_empty());
    }

    #[test]
    fn expiry_is_taken_in_bounded_batches() {
        let (_dir, store, lessor) = lessor();
        for id in 1..=25 {
            grant(&store, &lessor, id, 2);
        }
        lessor.sync_role(Some(1), Duration::ZERO);
        let later = Instant::now() + Duration::from_secs(5);
        assert_eq!(lessor.take_expired(later, 10).len(), 10);
        assert_eq!(lessor.take_expired(later, 10).len(), 10);
        assert_eq!(lessor.take_expired(later, 10).len(), 5);
        assert!(lessor.take_expired(later, 10).is_empty());
    }

    #[test]
    fn revocation_deletes_keys_in_one_revision_and_leases_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        {
            let store = MvccStore::open(&path).unwrap();
            let lessor = Lessor::restore(&store, 1, 2, Duration::from_secs(300)).unwrap();
            grant(&store, &lessor, 1, 100);
            grant(&store, &lessor, 2, 50);
            let mut batch = store.write_batch().unwrap();
            let exists = |id: i64| lessor.exists(id);
            for key in ["x", "y", "z"] {
                let put = oxcd_proto::etcdserverpb::PutRequest {
                    key: key.into(),
                    value: b"v".to_vec(),
                    lease: if key == "z" { 2 } else { 1 },
                    ..Default::default()
                };
                batch.put(&put, &exists).unwrap();
                lessor.track(&batch.take_events());
            }
            batch.commit(false).unwrap();
            assert_eq!(store.current_revision(), 4);
            let mut batch = store.write_batch().unwrap();
            let resp = lessor.apply_revoke(&mut batch, 1).unwrap();
            assert_eq!(resp.header.unwrap().revision, 5);
            let events = batch.take_events();
            assert_eq!(events.len(), 2);
            assert!(events
                .iter()
                .all(|e| e.kv.as_ref().unwrap().mod_revision == 5));
            batch.commit(true).unwrap();
            let mut batch = store.write_batch().unwrap();
            let checkpoint = LeaseCheckpointRequest {
                checkpoints: vec![LeaseCheckpoint {
                    id: 2,
                    remaining_ttl: 30,
                }],
            };
            lessor.apply_checkpoint(&mut batch, &checkpoint).unwrap();
            batch.commit(true).unwrap();
        }
        let store = MvccStore::open(&path).unwrap();
        let lessor = Lessor::restore(&store, 1, 2, Duration::from_secs(300)).unwrap();
        assert_eq!(lessor.leases(), vec![2]);
        let ttl = lessor.time_to_live(2, true).unwrap();
        assert_eq!((ttl.granted_ttl, ttl.ttl), (50, 30));
        assert_eq!(ttl.keys, vec![b"z".to_vec()]);
        lessor.sync_role(Some(3), Duration::from_secs(1));
        let left = lessor.time_to_live(2, false).unwrap().ttl;
        assert!((30..=31).contains(&left), "{left}");
    }

    #[test]
    fn checkpoints_record_the_ttl_left_and_renewals_clear_them() {
        let (_dir, store, lessor) = lessor_checkpointing_every(Duration::from_secs(10));
        grant(&store, &lessor, 1, 100);
        grant(&store, &lessor, 2, 5);
        lessor.sync_role(Some(1), Duration::ZERO);
        let later = Instant::now() + Duration::from_secs(11);
        let due = lessor.take_checkpoints(later, 10);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].id, 1);
        assert!((89..=90).contains(&due[0].remaining_ttl), "{due:?}");
        assert!(matches!(
            lessor.renew(1, Instant::now()),
            Renewal::Renewed {
                clear_checkpoint: true,
                ..
            }
        ));
    }

    /// Found by the simulation: a promotion gives `extend + TTL`; had a checkpoint recorded
    /// that, the next promotion would add its extension on top, and so on at every leader
    /// change.
    #[test]
    fn checkpoints_never_record_more_than_the_granted_ttl() {
        let (_dir, store, lessor) = lessor_checkpointing_every(Duration::from_secs(1));
        grant(&store, &lessor, 1, 5);
        let start = lessor.now();
        lessor.sync_role(Some(1), Duration::from_secs(3));
        // 8 s left: no checkpoint while at least the 5 s granted are left.
        for second in 1..=3 {
            let due = lessor.take_checkpoints(start + Duration::from_secs(second), 10);
            assert_eq!(due, vec![], "after {second} s");
        }
        let due = lessor.take_checkpoints(start + Duration::from_millis(4500), 10);
        assert_eq!(due.len(), 1, "{due:?}");
        assert_eq!(due[0].remaining_ttl, 4);
    }

    #[test]
    fn new_ids_are_positive_and_unused() {
        let (_dir, store, lessor) = lessor();
        let a = lessor.new_id();
        grant(&store, &lessor, a, 10);
        let b = lessor.new_id();
        assert!(a > 0 && b > 0 && a != b);
    }
}
