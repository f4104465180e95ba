//! One simulated member: the production node loop, applier and MVCC store, wired as
//! `member/start.rs` wires them, but driven by the simulator's clock and network instead of
//! threads. The WAL is real files (on tmpfs when there is one: they are small and fdatasync is
//! free there); the backend lives on a [`CrashDisk`] until a snapshot install makes it a file, so
//! a power cut loses its unsynced commits as a real disk would.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use oxcd_proto::etcdserverpb::{LeaseRevokeRequest, Member as MemberPb};
use oxcd_proto::mvccpb::Event;
use oxcd_proto::oxcdpb::{internal_request, InternalRequest};
use oxcd_storage::backend::crash_disk::CrashDisk;
use oxcd_storage::mvcc::MvccStore;
use oxcd_wal::{Wal, WalOptions};
use prost::Message as _;
use raft::prelude::EntryType;
use raft::prelude::{Entry, Message};
use rand::rngs::StdRng;
use rand::Rng;
use tokio::sync::oneshot;
use tokio::sync::watch;

use super::clock::SimClock;
use crate::consensus::incoming::{finish_interrupted_install, IncomingSnapshots};
use crate::consensus::node::{NodeLoop, NodeSetup};
use crate::consensus::node_io::NodeIo;
use crate::error::ServerError;
use crate::member::bootstrap::create_wal;
use crate::member::request_ids::RequestIds;
use crate::messages::NodeMsg;
use crate::metrics::ServerMetrics;
use crate::state::alarms::Alarms;
use crate::state::apply::Applier;
use crate::state::auth::tokens::Tokens;
use crate::state::auth::AuthStore;
use crate::state::events::EventSink;
use crate::state::lessor::Lessor;
use crate::state::membership::Membership;
use crate::state::v2::V2Store;
use crate::state::waits::Waits;
use crate::status::RaftStatus;
use crate::watch::WatchHub;

pub(super) const HEARTBEAT: Duration = Duration::from_millis(100);
const TOKEN: &str = "sim-cluster";

/// What stays the same across a member's restarts.
pub(super) struct Identity {
    pub id: u64,
    pub cluster_id: u64,
    /// The bootstrap configuration (`--initial-cluster`).
    pub initial: Vec<(String, Vec<String>)>,
    pub voters: Vec<u64>,
    /// For a member added to a running cluster: the members as it was told them on joining.
    pub joined: Option<Vec<MemberPb>>,
    pub election_ticks: usize,
    /// Applied entries between backend snapshots (`--snapshot-count`), small so that logs are
    /// cut and lagging members need snapshots.
    pub snapshot_count: u64,
    pub catchup_entries: u64,
}

impl Identity {
    /// `--election-timeout`: how much longer than its TTL a lease lives after a promotion.
    pub fn election_timeout(&self) -> Duration {
        HEARTBEAT * self.election_ticks as u32
    }
}

/// What every member of a run shares: the clock, the record of lease revocations, and the
/// lease settings (the same flags on every member, as in a real cluster).
#[derive(Clone)]
pub(super) struct Shared {
    pub clock: SimClock,
    pub revocations: Revocations,
    /// The smallest lease TTL, etcd's `ceil(1.5 × election timeout)`.
    pub lease_min_ttl: i64,
    /// `--experimental-lease-checkpoint-interval`, short so that checkpoints happen.
    pub checkpoint_interval: Duration,
}

/// Everything the node loop hands out, kept for the simulator to deliver.
pub(super) struct SimIo {
    applier: Applier,
    shared: Shared,
    last_snapshot: u64,
    pub messages: Vec<Message>,
    pub snapshots: Vec<Message>,
    peers: BTreeSet<u64>,
    /// Set by the simulator: the next WAL save or snapshot install is the one the power cut
    /// strikes.
    pub cut_power_at_next_save: bool,
    /// Set by the simulator: the next snapshot install is the one the power cut strikes.
    pub cut_power_at_next_install: bool,
    /// The power cut struck (the member must crash).
    pub power_cut: bool,
    /// The last WAL save may be torn: the power cut struck right after it, or its fdatasync
    /// failed.
    tear_last_save: bool,
    /// The WAL's next fdatasync fails (the member stops, as production's `fatal` does).
    pub fsync_failure_armed: bool,
}

impl NodeIo for SimIo {
    fn send(&mut self, messages: Vec<Message>) -> Vec<u64> {
        self.messages.extend(messages);
        Vec::new()
    }

    fn send_snapshot(&mut self, message: Message) {
        self.snapshots.push(message);
    }

    fn add_peer(&mut self, id: u64, _urls: Vec<String>) {
        self.peers.insert(id);
    }

    fn remove_peer(&mut self, id: u64) {
        self.peers.remove(&id);
    }

    fn has_peer(&self, id: u64) -> bool {
        self.peers.contains(&id)
    }

    fn apply(&mut self, entries: Vec<Entry>) -> Result<(), String> {
        let now = self.shared.clock.now();
        self.shared
            .revocations
            .record(&entries, &self.applier.lessor, now);
        match self
            .applier
            .apply_batches(std::slice::from_ref(&entries), &mut self.last_snapshot)?
        {
            true => Ok(()),
            false => Err("the node loop's queue is gone".into()),
        }
    }

    fn restore(&mut self, path: &Path) -> Result<u64, String> {
        let restored = self.applier.restore(path);
        self.last_snapshot = self.applier.store.consistent_index();
        if restored.is_ok() && (self.cut_power_at_next_save || self.cut_power_at_next_install) {
            // Just after the backend was replaced by the snapshot (the rename is durable).
            self.power_cut = true;
            return Err("simulated power cut".into());
        }
        restored
    }

    fn wal_saved(&mut self) -> Result<(), String> {
        if self.cut_power_at_next_save {
            self.power_cut = true;
            self.tear_last_save = true;
            return Err("simulated power cut".into());
        }
        Ok(())
    }
}

/// What one incarnation's applier published, as a watcher from its start saw it.
pub(super) enum Recorded {
    /// The store was opened or replaced by a snapshot at this revision: events go on from here.
    From(i64),
    Events(Vec<Event>),
}

#[derive(Default)]
pub(super) struct RecordedEvents(Mutex<Vec<Recorded>>);

impl EventSink for RecordedEvents {
    fn committed(&self, _revision: i64, events: &[Event]) {
        if !events.is_empty() {
            self.push(Recorded::Events(events.to_vec()));
        }
    }

    fn restored(&self, revision: i64) {
        self.push(Recorded::From(revision));
    }
}

impl RecordedEvents {
    fn push(&self, recorded: Recorded) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(recorded);
    }

    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Running {
    pub fn identity_id(&self) -> u64 {
        self.node.raft().id
    }
}

/// A member that is up.
pub(super) struct Running {
    pub node: NodeLoop<SimIo>,
    /// What the applier tells the node loop (snapshots due).
    pub from_applier: Receiver<NodeMsg>,
    pub store: Arc<MvccStore>,
    pub waits: Arc<Waits>,
    pub applied: watch::Receiver<u64>,
    pub events: Arc<RecordedEvents>,
    pub incoming: IncomingSnapshots,
    pub membership: Arc<Membership>,
    pub lessor: Arc<Lessor>,
    /// The production watch hub, its sync rounds run by the simulator.
    pub watch_hub: Arc<WatchHub>,
    /// Set when the member applied its own removal: it stops for good.
    pub removed: watch::Receiver<bool>,
    /// Whether the backend is the crash disk (else a file a snapshot install put in place).
    on_disk: bool,
}

pub(super) struct SimMember {
    pub identity: Identity,
    pub shared: Shared,
    dir: PathBuf,
    /// The backend's bytes while it is not a file.
    disk: CrashDisk,
    pub running: Option<Running>,
    /// Never started again: it applied its own removal from the cluster.
    pub retired: bool,
    /// What each earlier incarnation's watcher saw.
    pub watched: Vec<Vec<Recorded>>,
}

fn wal_options() -> WalOptions {
    // Small segments, so the simulation cuts and releases them.
    WalOptions {
        segment_bytes: 64 * 1024,
    }
}

impl SimMember {
    pub fn new(identity: Identity, shared: Shared, dir: PathBuf) -> SimMember {
        SimMember {
            identity,
            shared,
            dir,
            disk: CrashDisk::default(),
            running: None,
            retired: false,
            watched: Vec::new(),
        }
    }

    fn wal_dir(&self) -> PathBuf {
        self.dir.join("member").join("wal")
    }

    fn snap_dir(&self) -> PathBuf {
        self.dir.join("member").join("snap")
    }

    /// Starts the member from what its disks hold, as `Member::start` does.
    pub fn start(&mut self) -> Result<(), String> {
        let (wal_dir, snap_dir) = (self.wal_dir(), self.snap_dir());
        for dir in [&wal_dir, &snap_dir] {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let db_path = snap_dir.join("db");
        let on_disk = !db_path.exists();
        let store = Arc::new(
            if on_disk {
                MvccStore::open_on(self.disk.clone(), &db_path)
            } else {
                MvccStore::open(&db_path)
            }
            .map_err(|e| e.to_string())?,
        );
        let me = &self.identity;
        let first_start = !Wal::exists(&wal_dir);
        let (wal, wal_state) = if !first_start {
            Wal::open(&wal_dir, wal_options()).map_err(|e| e.to_string())?
        } else {
            let (wal, state, _, _) =
                create_wal(&wal_dir, me.id, me.cluster_id, &me.voters, wal_options())?;
            (wal, state)
        };
        let recorded = wal_state.snapshot.as_ref().map(|m| (m.index, m.term));
        if let Some(file) =
            finish_interrupted_install(&snap_dir, recorded, store.consistent_index())?
        {
            store.restore_from(&file).map_err(|e| e.to_string())?;
        }
        // As `Member::start`: a joining member learns the members from the cluster, and its
        // v2 store from the snapshot it is sent.
        let (membership, v2_seed) = match (&me.joined, first_start) {
            (Some(list), true) => (Membership::from_list(list.clone()), Vec::new()),
            _ => {
                let membership = Membership::load(&store, &me.initial, TOKEN)?;
                let seed = membership.list();
                (membership, seed)
            }
        };
        let membership = Arc::new(membership);
        let v2 = Arc::new(V2Store::load(&store, &v2_seed)?);
        let alarms = Arc::new(Alarms::load(&store)?);
        let tokens = Tokens::from_flag("simple", Duration::from_secs(300))?;
        let auth = Arc::new(AuthStore::load(&store, tokens, 4)?);
        let shared = &self.shared;
        let lessor = Lessor::restore(
            &store,
            me.id,
            shared.lease_min_ttl,
            shared.checkpoint_interval,
        )?;
        let lessor = Arc::new(lessor.with_clock(shared.clock.for_lessor()));
        let incoming = IncomingSnapshots::open(&snap_dir);
        let (node_tx, from_applier) = sync_channel(1024);
        let metrics = Arc::new(ServerMetrics::new(false));
        let waits = Arc::new(Waits::default());
        let (applied_tx, applied) = watch::channel(store.consistent_index());
        let events = Arc::new(RecordedEvents::default());
        let watch_hub = WatchHub::without_sync_thread(store.clone(), Duration::from_secs(600));
        let (removed_tx, removed) = watch::channel(false);
        let applier = Applier {
            store: store.clone(),
            waits: waits.clone(),
            applied: applied_tx,
            node: node_tx,
            snapshot_count: me.snapshot_count,
            compaction_requested: watch::channel(0).0,
            event_sinks: vec![events.clone(), watch_hub.clone()],
            membership: membership.clone(),
            lessor: lessor.clone(),
            alarms,
            auth,
            v2,
            local_id: me.id,
            removed: removed_tx,
            metrics: metrics.clone(),
            quota: None,
            over_quota: Arc::new(tokio::sync::Notify::new()),
        };
        events.push(Recorded::From(store.current_revision()));
        let io = SimIo {
            shared: self.shared.clone(),
            last_snapshot: store.consistent_index(),
            applier,
            messages: Vec::new(),
            snapshots: Vec::new(),
            peers: membership.list().iter().map(|m| m.id).collect(),
            cut_power_at_next_save: false,
            cut_power_at_next_install: false,
            power_cut: false,
            tear_last_save: false,
            fsync_failure_armed: false,
        };
        let setup = NodeSetup {
            id: me.id,
            voters: me.voters.clone(),
            election_ticks: me.election_ticks,
            // One value: raft-rs draws the timeout from the thread's own random generator,
            // which no seed controls; members get different timeouts from the seed instead.
            max_election_ticks: me.election_ticks + 1,
            heartbeat: HEARTBEAT,
            applied: wal_state.snapshot.as_ref().map_or(0, |s| s.index),
            catchup_entries: me.catchup_entries,
            boot: RequestIds::start(&self.dir.join("member"), me.id)?.boot(),
            store: store.clone(),
            membership: membership.clone(),
            incoming: incoming.clone(),
            metrics,
        };
        let status = Arc::new(RaftStatus::default());
        let node = NodeLoop::new(setup, wal, wal_state, status, io)?;
        self.running = Some(Running {
            node,
            from_applier,
            store,
            waits,
            applied,
            events,
            incoming,
            membership,
            lessor,
            watch_hub,
            removed,
            on_disk,
        });
        Ok(())
    }

    /// Cuts the power: the process is gone, with everything not on disk. A WAL save the cut
    /// struck is torn at a random byte; the backend keeps its synced commits, and of the
    /// unsynced writes after them none, all, or all with the last one torn.
    pub fn crash(&mut self, rng: &mut StdRng) -> Result<(), String> {
        let Some(mut running) = self.running.take() else {
            return Ok(());
        };
        let wal_tear = running.node.tear_point();
        let on_disk = running.on_disk;
        self.watched.push(running.events.take());
        drop(running);
        if let Some((segment, start, bytes)) = wal_tear {
            if bytes > 0 && is_newest_segment(&self.wal_dir(), &segment) {
                // A power cut during the write keeps a prefix of it; the preallocated zeros
                // stay after it.
                let kept = rng.gen_range(0..bytes);
                let zeros = vec![0u8; (bytes - kept) as usize];
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&segment)
                    .and_then(|f| f.write_all_at(&zeros, start + kept))
                    .map_err(|e| format!("tearing {}: {e}", segment.display()))?;
            }
        }
        if on_disk {
            let done = self.disk.recorded();
            let keep_unsynced = rng.gen_bool(0.5);
            let torn = (keep_unsynced && rng.gen_bool(0.5)).then(|| rng.gen_range(0..4096));
            self.disk = CrashDisk::with_image(self.disk.crash_image(done, keep_unsynced, torn));
        }
        Ok(())
    }

    /// Makes the WAL's next fdatasync fail.
    pub fn arm_fsync_failure(&mut self) {
        if let Some(running) = &mut self.running {
            running.node.wal_mut().fail_next_sync();
            running.node.io_mut().fsync_failure_armed = true;
        }
    }

    /// Arms a power cut for the next WAL save or snapshot install (the member crashes when it
    /// returns).
    pub fn arm_power_cut(&mut self) {
        if let Some(running) = &mut self.running {
            running.node.io_mut().cut_power_at_next_save = true;
        }
    }

    /// Arms a power cut for the next snapshot install, right after it replaced the backend.
    pub fn arm_power_cut_at_install(&mut self) {
        if let Some(running) = &mut self.running {
            running.node.io_mut().cut_power_at_next_install = true;
        }
    }
}

impl SimIo {
    /// The armed fdatasync failure struck: the save's bytes may have reached the disk in part.
    pub fn save_failed(&mut self) {
        self.tear_last_save = true;
    }
}

impl NodeLoop<SimIo> {
    /// Where the last WAL save wrote, if the power cut struck it or its fdatasync failed (an
    /// armed failure that never struck leaves the saves alone: they all synced).
    fn tear_point(&mut self) -> Option<(PathBuf, u64, u64)> {
        if !self.io_mut().tear_last_save {
            return None;
        }
        let bytes = self.wal().last_write().bytes;
        let (segment, start) = self.wal().last_write_at()?;
        Some((segment.to_path_buf(), start, bytes))
    }
}

fn is_newest_segment(wal_dir: &Path, segment: &Path) -> bool {
    let newest = std::fs::read_dir(wal_dir).ok().and_then(|entries| {
        entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "wal"))
            .max()
    });
    newest.as_deref() == Some(segment)
}

/// A proposal of `request` as the member's request path makes it, and where the node loop says
/// it dropped it.
pub(super) fn proposal(
    request_id: u64,
    request: internal_request::Op,
) -> (NodeMsg, oneshot::Receiver<ServerError>) {
    let data = InternalRequest {
        id: request_id,
        op: Some(request),
        ..Default::default()
    }
    .encode_to_vec();
    let (on_drop, dropped) = oneshot::channel();
    (NodeMsg::Propose { data, on_drop }, dropped)
}

/// A proposal nobody waits for (the member's own, as its lease duties make them).
pub(super) fn unanswered_proposal(request_id: u64, request: internal_request::Op) -> NodeMsg {
    proposal(request_id, request).0
}

/// When each lease's revocation was first applied, by any member (from the entries handed to
/// the appliers).
#[derive(Clone, Default)]
pub(super) struct Revocations(Arc<Mutex<BTreeMap<i64, Duration>>>);

impl Revocations {
    /// Notes the revocations among `entries` of leases `lessor` still holds, before they apply.
    pub fn record(&self, entries: &[Entry], lessor: &Lessor, now: Duration) {
        for entry in entries {
            if entry.get_entry_type() != EntryType::EntryNormal {
                continue;
            }
            let Ok(request) = InternalRequest::decode(entry.data.as_ref()) else {
                continue;
            };
            if let Some(internal_request::Op::LeaseRevoke(LeaseRevokeRequest { id })) = request.op {
                if lessor.exists(id) {
                    let mut first = self.0.lock().unwrap_or_else(PoisonError::into_inner);
                    let at = first.entry(id).or_insert(now);
                    *at = (*at).min(now);
                }
            }
        }
    }

    pub fn count(&self) -> usize {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn all(&self) -> BTreeMap<i64, Duration> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
