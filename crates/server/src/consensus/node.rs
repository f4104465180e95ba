//! The raft node loop: one OS thread owns raft-rs's `RawNode`, batches proposals and read-index
//! requests, makes each Ready durable in the WAL with one fdatasync, and hands committed entries to
//! the applier. It never applies entries itself, so the next fsync overlaps the previous apply.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oxcd_proto::oxcdpb::MemberChange;
use oxcd_storage::mvcc::MvccStore;
use oxcd_wal::{HardState as WalHardState, Wal, WalState};
use prost::Message as _;
use raft::prelude::{
    ConfChangeType, ConfChangeV2, ConfState, Entry, EntryType, Message, MessageType, Snapshot,
};
use raft::storage::MemStorage;
use raft::{RawNode, StateRole};
use tokio::sync::oneshot;

use super::incoming::IncomingSnapshots;
use super::log::{restore_storage, snapshot_mark, to_wal_entry};
use super::node_io::{NodeIo, PeerIo};
use crate::error::ServerError;
use crate::failpoint::crash_point;
use crate::messages::NodeMsg;
use crate::metrics::ServerMetrics;
use crate::state::membership::Membership;
use crate::status::RaftStatus;

/// A linearizable read waiting for a safe index.
type ReadWaiter = oneshot::Sender<Result<u64, ServerError>>;

/// How long a read-index request may go unanswered before it is asked again (etcd: 500 ms).
const READ_INDEX_RETRY: Duration = Duration::from_millis(500);

/// Proposals and reads drained per loop turn: bounds the work between two Readies.
const MAX_BATCH: usize = 4096;

/// Everything the loop needs to start.
pub struct NodeSetup {
    pub id: u64,
    pub voters: Vec<u64>,
    pub election_ticks: usize,
    pub heartbeat: Duration,
    /// Raft draws each election timeout from `election_ticks..max_election_ticks` (0: up to
    /// twice `election_ticks`, raft's default).
    pub max_election_ticks: usize,
    /// Raft's applied index to start from (the snapshot's): later committed entries are handed
    /// to the applier again, which skips those at or below the backend's consistent index.
    pub applied: u64,
    /// Entries kept behind a snapshot for followers that lag a little.
    pub catchup_entries: u64,
    /// This start's boot count (`member/boot`), in every read-index context: a leader's answer to
    /// a request of an earlier run, arriving late, must not answer this run's request that
    /// happens to carry the same counter.
    pub boot: u64,
    /// The store snapshots are copied from (leader) and restored into (follower).
    pub store: Arc<MvccStore>,
    /// Peer URLs of members a snapshot brings in.
    pub membership: Arc<Membership>,
    /// The snapshot files the peer service received and verified.
    pub incoming: IncomingSnapshots,
    pub metrics: Arc<ServerMetrics>,
}

/// Builds the raft node from the WAL's contents (or a fresh conf state) and runs the loop until
/// every sender of `rx` is gone.
pub fn run(
    setup: NodeSetup,
    wal: Wal,
    wal_state: WalState,
    rx: Receiver<NodeMsg>,
    status: Arc<RaftStatus>,
    io: PeerIo,
) -> Result<(), String> {
    let heartbeat = setup.heartbeat;
    let mut lp = NodeLoop::new(setup, wal, wal_state, status, io)?;
    let mut next_tick = Instant::now() + heartbeat;
    loop {
        let wait = next_tick.saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok(msg) => {
                lp.handle(msg)?;
                for msg in rx.try_iter().take(MAX_BATCH) {
                    lp.handle(msg)?;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        let now = Instant::now();
        if now >= next_tick {
            lp.tick();
            next_tick += heartbeat;
            if next_tick < now {
                next_tick = now + heartbeat;
            }
        }
        lp.turn(now)?;
    }
}

/// Raft and its WAL, driven by whoever owns it: [`run`]'s thread in production, the simulator
/// in tests. It reads no clock: callers pass the time, so a simulated one can drive it.
pub struct NodeLoop<Io: NodeIo> {
    node: RawNode<MemStorage>,
    wal: Wal,
    io: Io,
    status: Arc<RaftStatus>,
    queued_reads: Vec<ReadWaiter>,
    /// Read-index requests raft has not answered yet: when issued, and who waits. Ordered, so
    /// retries go out in the same order on every run (the simulator replays runs exactly).
    reads_in_flight: BTreeMap<Vec<u8>, (Instant, Vec<ReadWaiter>)>,
    read_ctx_boot: u64,
    next_read_ctx: u64,
    leader: u64,
    /// Conf states after each conf change applied since the last snapshot, by entry index, so a
    /// snapshot records the configuration as of its own index.
    conf_history: Vec<(u64, ConfState)>,
    /// The configuration as of the last snapshot (or bootstrap).
    snapshot_conf: ConfState,
    catchup_entries: u64,
    membership: Arc<Membership>,
    incoming: IncomingSnapshots,
    metrics: Arc<ServerMetrics>,
}

impl<Io: NodeIo> NodeLoop<Io> {
    /// Restores raft's log from the WAL's contents and the backend's consistent index.
    pub fn new(
        setup: NodeSetup,
        wal: Wal,
        wal_state: WalState,
        status: Arc<RaftStatus>,
        io: Io,
    ) -> Result<NodeLoop<Io>, String> {
        let storage = restore_storage(&wal_state, &setup.voters, setup.store.consistent_index())
            .map_err(|e| format!("restoring raft log: {e}"))?;
        let config = raft::Config {
            id: setup.id,
            election_tick: setup.election_ticks,
            max_election_tick: setup.max_election_ticks,
            heartbeat_tick: 1,
            applied: setup.applied,
            max_size_per_msg: 1024 * 1024,
            max_inflight_msgs: 256,
            pre_vote: true,
            check_quorum: true,
            ..Default::default()
        };
        let initial_conf = raft::Storage::initial_state(&storage)
            .map_err(|e| e.to_string())?
            .conf_state;
        let logger = slog::Logger::root(slog::Discard, slog::o!());
        let mut node =
            RawNode::new(&config, storage, &logger).map_err(|e| format!("starting raft: {e}"))?;
        if initial_conf.voters == [setup.id] {
            // A lone voter need not wait an election timeout to lead.
            node.campaign().map_err(|e| format!("campaign: {e}"))?;
        }
        let lp = NodeLoop {
            node,
            wal,
            io,
            status,
            queued_reads: Vec::new(),
            reads_in_flight: BTreeMap::new(),
            read_ctx_boot: setup.boot,
            next_read_ctx: 0,
            leader: 0,
            conf_history: Vec::new(),
            snapshot_conf: initial_conf,
            catchup_entries: setup.catchup_entries,
            membership: setup.membership,
            incoming: setup.incoming,
            metrics: setup.metrics,
        };
        lp.publish_status();
        Ok(lp)
    }

    /// One heartbeat interval passed.
    pub fn tick(&mut self) {
        self.node.tick();
        prune_abandoned_reads(&mut self.queued_reads, &mut self.reads_in_flight);
    }

    /// After the messages of a turn: asks for read indexes and makes raft's Ready durable and
    /// sent. `now` is when the turn runs.
    pub fn turn(&mut self, now: Instant) -> Result<(), String> {
        self.issue_read_index(now);
        self.retry_stale_read_indexes(now);
        self.on_ready()
    }

    /// The raft node, for the simulator's checks.
    #[cfg(test)]
    pub fn raft(&self) -> &raft::Raft<MemStorage> {
        &self.node.raft
    }

    #[cfg(test)]
    pub fn io_mut(&mut self) -> &mut Io {
        &mut self.io
    }

    #[cfg(test)]
    pub fn wal(&self) -> &Wal {
        &self.wal
    }

    #[cfg(test)]
    pub fn wal_mut(&mut self) -> &mut Wal {
        &mut self.wal
    }

    pub fn handle(&mut self, msg: NodeMsg) -> Result<(), String> {
        match msg {
            NodeMsg::Propose { data, on_drop } => {
                if self.node.propose(vec![], data).is_err() {
                    let _ = on_drop.send(ServerError::NoLeader);
                }
            }
            NodeMsg::ReadIndex(reply) => self.queued_reads.push(reply),
            NodeMsg::Snapshot { index, term } => self.snapshot(index, term)?,
            NodeMsg::Step(m) => {
                // Stale or foreign messages are refused by raft; nothing to do about them here.
                let _ = self.node.step(m);
            }
            NodeMsg::Unreachable(id) => self.node.report_unreachable(id),
            NodeMsg::TransferLeader(to) => self.node.transfer_leader(to),
            NodeMsg::ProposeConfChange { change, on_drop } => {
                if let Err(e) = self.node.propose_conf_change(vec![], change) {
                    tracing::warn!(error = %e, "membership change refused by raft");
                    let _ = on_drop.send(ServerError::NoLeader);
                }
            }
            NodeMsg::PeerUrls { id, urls } => self.io.add_peer(id, urls),
            NodeMsg::LearnerReady { id, reply } => {
                let raft = &self.node.raft;
                let answer = if raft.state != StateRole::Leader {
                    Err(ServerError::NotLeader)
                } else {
                    let committed = raft.raft_log.committed;
                    Ok(raft
                        .prs()
                        .get(id)
                        .is_some_and(|pr| pr.matched as f64 >= committed as f64 * 0.9))
                };
                let _ = reply.send(answer);
            }
            NodeMsg::SnapshotSent { to, ok } => {
                let status = if ok {
                    raft::SnapshotStatus::Finish
                } else {
                    raft::SnapshotStatus::Failure
                };
                self.node.report_snapshot(to, status);
            }
            NodeMsg::AdvanceTicks(ticks) => {
                // Only a member still waiting for a leader: a new leader ticked this far at
                // once could fail its quorum check before any follower answered.
                if self.node.raft.leader_id == raft::INVALID_ID {
                    for _ in 0..ticks {
                        self.node.tick();
                    }
                }
            }
            NodeMsg::TransferLeaderForStop => {
                let raft = &self.node.raft;
                if raft.state == StateRole::Leader {
                    let voters = raft.prs().conf().voters().ids();
                    let best = raft
                        .prs()
                        .iter()
                        .filter(|(id, _)| **id != raft.id && voters.contains(**id))
                        .max_by_key(|(_, pr)| pr.matched)
                        .map(|(id, _)| *id);
                    if let Some(to) = best {
                        tracing::info!(transferee = %format!("{to:x}"), "leadership transfer starting before stop");
                        self.node.transfer_leader(to);
                    }
                }
            }
        }
        Ok(())
    }

    /// All reads queued since the last round share one read-index request; without a leader
    /// they wait (pruned each tick of the callers that gave up).
    fn issue_read_index(&mut self, now: Instant) {
        if self.queued_reads.is_empty() || self.leader == 0 {
            return;
        }
        self.next_read_ctx += 1;
        // The leader de-duplicates pending reads by context, across all members: prefix ours
        // with our ID so two followers' requests never collide.
        let mut ctx = self.node.raft.id.to_be_bytes().to_vec();
        #[cfg(test)]
        let boot = match planted::READ_CTX_WITHOUT_BOOT.with(std::cell::Cell::get) {
            true => 0,
            false => self.read_ctx_boot,
        };
        #[cfg(not(test))]
        let boot = self.read_ctx_boot;
        ctx.extend_from_slice(&boot.to_be_bytes());
        ctx.extend_from_slice(&self.next_read_ctx.to_be_bytes());
        self.node.read_index(ctx.clone());
        self.reads_in_flight
            .insert(ctx, (now, std::mem::take(&mut self.queued_reads)));
    }

    /// Raft drops a read-index request silently when the message to the leader is lost or the
    /// leader has not yet committed in its term; ask again, as etcd does, instead of letting
    /// the reads wait for the request timeout.
    fn retry_stale_read_indexes(&mut self, now: Instant) {
        for (ctx, (issued, _)) in self.reads_in_flight.iter_mut() {
            if now.duration_since(*issued) >= READ_INDEX_RETRY {
                *issued = now;
                self.metrics.slow_read_indexes.inc();
                self.node.read_index(ctx.clone());
            }
        }
    }

    fn on_ready(&mut self) -> Result<(), String> {
        if !self.node.has_ready() {
            return Ok(());
        }
        let mut ready = self.node.ready();
        // A leader's messages may go out before its own append is durable (raft's rule).
        self.send(ready.take_messages());
        if let Some(ss) = ready.ss() {
            if ss.leader_id != self.leader {
                let (id, term) = (self.node.raft.id, self.node.raft.term);
                if ss.leader_id == 0 {
                    tracing::info!(
                        "raft.node: {id:x} lost leader {:x} at term {term}",
                        self.leader
                    );
                } else {
                    tracing::info!(
                        "raft.node: {id:x} elected leader {:x} at term {term}",
                        ss.leader_id
                    );
                    self.metrics.leader_changes.inc();
                }
            }
            // Reads waiting on a read index the old leader will never confirm fail now, as
            // etcd's do, instead of at the request timeout; the client retries.
            if ss.leader_id != self.leader {
                self.fail_reads_in_flight();
            }
            self.leader = ss.leader_id;
        }
        if !ready.snapshot().is_empty() {
            let snapshot = ready.snapshot().clone();
            self.install_snapshot(&snapshot)?;
        }
        self.send_to_apply(ready.take_committed_entries())?;
        #[cfg(test)]
        if planted::ACK_BEFORE_FSYNC.with(std::cell::Cell::get) {
            self.send(ready.take_persisted_messages());
        }
        let must_sync = ready.must_sync();
        if !ready.entries().is_empty() || must_sync {
            let hs = ready.hs().map(|hs| WalHardState {
                term: hs.term,
                vote: hs.vote,
                commit: hs.commit,
            });
            let entries: Vec<oxcd_wal::Entry> = ready.entries().iter().map(to_wal_entry).collect();
            self.wal
                .save(hs.as_ref(), &entries)
                .map_err(|e| format!("wal save: {e}"))?;
            self.record_wal_write();
            self.io.wal_saved()?;
        }
        {
            let store = self.node.mut_store();
            let mut core = store.wl();
            core.append(ready.entries())
                .map_err(|e| format!("raft log append: {e}"))?;
            if let Some(hs) = ready.hs() {
                core.set_hardstate(hs.clone());
            }
        }
        for rs in ready.take_read_states() {
            if let Some((_, waiters)) = self.reads_in_flight.remove(&rs.request_ctx) {
                for w in waiters {
                    let _ = w.send(Ok(rs.index));
                }
            }
        }
        self.send(ready.take_persisted_messages());
        let mut light = self.node.advance(ready);
        if let Some(commit) = light.commit_index() {
            self.node.mut_store().wl().mut_hard_state().commit = commit;
        }
        self.send(light.take_messages());
        self.send_to_apply(light.take_committed_entries())?;
        self.node.advance_apply();
        self.publish_status();
        Ok(())
    }

    fn send(&mut self, messages: Vec<Message>) {
        if messages.is_empty() {
            return;
        }
        let (snapshots, messages): (Vec<Message>, Vec<Message>) = messages
            .into_iter()
            .partition(|m| m.get_msg_type() == MessageType::MsgSnapshot);
        for m in snapshots {
            self.io.send_snapshot(m);
        }
        for id in self.io.send(messages) {
            self.node.report_unreachable(id);
        }
    }

    /// Installs a snapshot raft accepted from the leader: the backend is replaced by the file
    /// the peer service received and verified for this index and term (never a path from the
    /// message: the snapshot's data is empty), then the WAL and the in-memory log move past it.
    fn install_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), String> {
        let meta = snapshot.get_metadata();
        // Raft only accepts snapshots the Snapshot RPC stepped, after registering their file, and
        // a registered file leaves the registry only here, when superseded by an installed
        // snapshot at or past its index, or when at or below the applied index (raft refuses
        // both): never evicted, so it is always found. A missing file stays fatal: raft-rs has
        // already restored its log to the snapshot when it hands it back, and has no way to
        // undo that on a follower (`report_snapshot` is the leader's), so continuing would run
        // raft ahead of the backend.
        let received = self.incoming.take(meta.index, meta.term).ok_or_else(|| {
            format!(
                "no received file for the snapshot at index {} term {}",
                meta.index, meta.term
            )
        })?;
        // The WAL records the snapshot before the backend is replaced, and the file keeps a
        // name a restart finds it by: a crash in between finishes the install at the next start
        // (incoming::finish_interrupted_install). The other order would let a crash leave a
        // backend ahead of a WAL whose entries past its commit index may be stale (overwritten
        // on the leader), which the next start would then take as committed. The record also
        // voids the entries saved before it, as raft dropped its log for the snapshot: past the
        // snapshot's index they may be stale too, and the backend the leader sent may hold
        // more than the snapshot's index.
        let cs = meta.get_conf_state();
        let mark = snapshot_mark(meta.index, meta.term, cs);
        let path = self
            .incoming
            .prepare_install(&received, meta.index, meta.term)?;
        #[cfg(test)]
        let backend_first = planted::INSTALL_BACKEND_FIRST.with(std::cell::Cell::get);
        #[cfg(not(test))]
        let backend_first = false;
        let applied = if backend_first {
            let applied = self.io.restore(&path)?;
            self.wal
                .save_snapshot(&mark)
                .map_err(|e| format!("wal snapshot: {e}"))?;
            applied
        } else {
            self.wal
                .save_installed_snapshot(&mark)
                .map_err(|e| format!("wal snapshot: {e}"))?;
            crash_point("snapshot-install-after-wal-mark");
            self.io.restore(&path)?
        };
        crash_point("snapshot-install-after-restore");
        let _ = std::fs::remove_file(&path);
        self.incoming.discard_through(meta.index);
        let mut bare = snapshot.clone();
        bare.data = Default::default();
        self.node
            .mut_store()
            .wl()
            .apply_snapshot(bare)
            .map_err(|e| format!("raft snapshot: {e}"))?;
        self.snapshot_conf = cs.clone();
        self.conf_history.clear();
        for m in self.membership.list() {
            if !self.io.has_peer(m.id) {
                self.io.add_peer(m.id, m.peer_ur_ls.clone());
            }
        }
        tracing::info!(
            index = meta.index,
            term = meta.term,
            applied,
            "installed snapshot from leader"
        );
        Ok(())
    }

    fn fail_reads_in_flight(&mut self) {
        for (_, (_, waiters)) in std::mem::take(&mut self.reads_in_flight) {
            self.metrics.read_indexes_failed.inc();
            for w in waiters {
                let _ = w.send(Err(ServerError::LeaderChanged));
            }
        }
    }

    fn send_to_apply(&mut self, entries: Vec<Entry>) -> Result<(), String> {
        if entries.is_empty() {
            return Ok(());
        }
        for e in &entries {
            if e.get_entry_type() == EntryType::EntryConfChangeV2 {
                self.apply_conf_change(e)?;
            }
        }
        self.io.apply(entries)
    }

    /// Applies a committed membership change to raft and the transport at once (the applier
    /// records it in the backend, in log order). The bytes were made by a member's
    /// `propose_conf_change`, never by a client.
    fn apply_conf_change(&mut self, entry: &Entry) -> Result<(), String> {
        use protobuf::Message as _;
        let cc = ConfChangeV2::parse_from_bytes(&entry.data)
            .map_err(|e| format!("conf change at {}: {e}", entry.index))?;
        let cs = self
            .node
            .apply_conf_change(&cc)
            .map_err(|e| format!("conf change at {}: {e}", entry.index))?;
        self.node.mut_store().wl().set_conf_state(cs.clone());
        self.conf_history.push((entry.index, cs));
        let change = MemberChange::decode(cc.context.as_ref()).unwrap_or_default();
        let member = change.member.unwrap_or_default();
        for single in cc.changes.iter() {
            match single.get_change_type() {
                ConfChangeType::AddNode | ConfChangeType::AddLearnerNode => {
                    if !self.io.has_peer(single.node_id) {
                        self.io.add_peer(single.node_id, member.peer_ur_ls.clone());
                    }
                }
                ConfChangeType::RemoveNode => self.io.remove_peer(single.node_id),
            }
        }
        tracing::info!(index = entry.index, voters = ?self.node.raft.prs().conf().voters().ids().iter().collect::<Vec<_>>(), "applied membership change to raft");
        Ok(())
    }

    fn publish_status(&self) {
        let raft = &self.node.raft;
        self.status.term.store(raft.term, Ordering::Relaxed);
        self.status.leader.store(raft.leader_id, Ordering::Relaxed);
        self.status
            .commit
            .store(raft.raft_log.committed, Ordering::Relaxed);
    }

    /// Records the snapshot in the WAL and drops log the backend already holds, keeping some
    /// entries in memory for followers that are only a little behind.
    fn snapshot(&mut self, index: u64, term: u64) -> Result<(), String> {
        let started = Instant::now();
        // The configuration as of `index`: conf changes committed after it are not in the backend yet.
        let cs = match self.conf_history.iter().rev().find(|(i, _)| *i <= index) {
            Some((_, cs)) => cs.clone(),
            None => self.snapshot_conf.clone(),
        };
        self.conf_history.retain(|(i, _)| *i > index);
        self.snapshot_conf = cs.clone();
        let mark = snapshot_mark(index, term, &cs);
        self.wal
            .save_snapshot(&mark)
            .map_err(|e| format!("wal snapshot: {e}"))?;
        self.record_wal_write();
        self.wal
            .release_before(index + 1)
            .map_err(|e| format!("wal release: {e}"))?;
        let compact_to = index.saturating_sub(self.catchup_entries);
        let store = self.node.mut_store();
        let first = raft::Storage::first_index(store).map_err(|e| format!("raft log: {e}"))?;
        if compact_to > first {
            store
                .wl()
                .compact(compact_to)
                .map_err(|e| format!("raft log compact: {e}"))?;
        }
        self.metrics
            .snap_save
            .observe(started.elapsed().as_secs_f64());
        tracing::info!(index, term, "saved snapshot");
        Ok(())
    }

    fn record_wal_write(&self) {
        let write = self.wal.last_write();
        self.metrics.wal_write.observe(write.write.as_secs_f64());
        self.metrics.wal_fsync.observe(write.sync.as_secs_f64());
        self.metrics.wal_write_bytes.add(write.bytes as i64);
    }
}

/// Bugs the simulator's own test plants, to show it finds them.
#[cfg(test)]
pub mod planted {
    thread_local! {
        /// Send what raft says must wait for the WAL save before the save.
        pub static ACK_BEFORE_FSYNC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// Read-index contexts without the boot count, as before the simulation found it.
        pub static READ_CTX_WITHOUT_BOOT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// A snapshot from the leader installed as before issue 14: the backend replaced
        /// first, then a WAL mark that voids nothing.
        pub static INSTALL_BACKEND_FIRST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
}

/// Forgets the reads whose callers stopped waiting (timed out or went away), queued or in
/// flight, and the read-index requests nobody waits for any more: without a leader, reads
/// queue until one is elected, and a long election must not keep every abandoned one.
fn prune_abandoned_reads(
    queued: &mut Vec<ReadWaiter>,
    in_flight: &mut BTreeMap<Vec<u8>, (Instant, Vec<ReadWaiter>)>,
) {
    queued.retain(|waiter| !waiter.is_closed());
    in_flight.retain(|_, (_, waiters)| {
        waiters.retain(|waiter| !waiter.is_closed());
        !waiters.is_empty()
    });
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::time::Instant;

    use tokio::sync::oneshot;

    use super::prune_abandoned_reads;

    #[test]
    fn reads_whose_callers_gave_up_are_forgotten() {
        let (waiting, waiting_rx) = oneshot::channel();
        let (abandoned, abandoned_rx) = oneshot::channel();
        let mut queued = vec![waiting, abandoned];
        let (in_flight_waiting, _kept) = oneshot::channel();
        let (in_flight_abandoned, gone) = oneshot::channel();
        let mut in_flight = BTreeMap::from([
            (b"a".to_vec(), (Instant::now(), vec![in_flight_waiting])),
            (b"b".to_vec(), (Instant::now(), vec![in_flight_abandoned])),
        ]);
        drop((abandoned_rx, gone));
        prune_abandoned_reads(&mut queued, &mut in_flight);
        assert_eq!(queued.len(), 1);
        assert!(!queued[0].is_closed());
        assert_eq!(in_flight.keys().collect::<Vec<_>>(), [&b"a".to_vec()]);
        drop(waiting_rx);
    }
}
