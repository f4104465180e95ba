//! One running member: the shared core that the API layers call to propose writes, serve reads
//! and describe the cluster. It owns the node loop, the applier and the compactor.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oxcd_proto::etcdserverpb::{Member as MemberPb, RangeRequest, RangeResponse, ResponseHeader};
use oxcd_proto::oxcdpb::{internal_request::Op, member_change, InternalRequest, MemberChange};
use oxcd_storage::mvcc::MvccStore;
use oxcd_wal::{SnapshotMark, Wal, WalOptions};
use prost::Message;
use raft::prelude::{ConfChangeSingle, ConfChangeType, ConfChangeV2};
use tokio::sync::{oneshot, watch};

use crate::alarms::Alarms;
use crate::apply::{run_compactor, Applier, ApplyResponse, Waits};
use crate::config::{parse_urls, Config};
use crate::error::ServerError;
use crate::identity;
use crate::lease::{self, Lessor};
use crate::membership::Membership;
use crate::peer::{PeerService, Transport};
use crate::raft_node::{self, NodeMsg, NodeSetup, RaftStatus};
use crate::watch::WatchHub;

/// The etcd API version oxcd speaks; clients (Kubernetes among them) gate features on it.
pub const ETCD_VERSION: &str = "3.6.0";
/// The cluster version reported once the cluster is up (etcd reports major.minor.0).
pub const CLUSTER_VERSION: &str = "3.6.0";

/// etcd's default `--max-learners`.
const MAX_LEARNERS: usize = 1;

/// Bound of the queue into the node loop; beyond it clients get "too many requests".
const NODE_QUEUE: usize = 16 * 1024;

pub struct Member {
    pub config: Config,
    pub id: u64,
    pub cluster_id: u64,
    pub membership: Arc<Membership>,
    pub alarms: Arc<Alarms>,
    pub store: Arc<MvccStore>,
    pub raft: Arc<RaftStatus>,
    pub lessor: Arc<Lessor>,
    pub watch_hub: Arc<WatchHub>,
    node: SyncSender<NodeMsg>,
    waits: Arc<Waits>,
    applied: watch::Receiver<u64>,
    compacted: watch::Receiver<i64>,
    next_request_id: AtomicU64,
    pub(crate) request_timeout: Duration,
    db_path: PathBuf,
}

impl Member {
    /// Opens (or bootstraps) the data dir and starts the member's threads. Call inside a tokio runtime.
    pub fn start(config: Config) -> Result<Arc<Member>, String> {
        let data_dir = PathBuf::from(config.data_dir());
        let wal_dir = data_dir.join("member").join("wal");
        let snap_dir = data_dir.join("member").join("snap");
        for dir in [&wal_dir, &snap_dir] {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let db_path = snap_dir.join("db");
        let store = Arc::new(MvccStore::open(&db_path).map_err(|e| e.to_string())?);

        let initial = config.initial_members()?;
        let token = &config.initial_cluster_token;
        let member_ids: Vec<u64> = initial
            .iter()
            .map(|(_, urls)| identity::member_id(urls, token))
            .collect();
        let mut joined = None;
        let (wal, wal_state, id, cluster_id) = if Wal::exists(&wal_dir) {
            let (wal, state) =
                Wal::open(&wal_dir, WalOptions::default()).map_err(|e| e.to_string())?;
            let (id, cluster_id) = decode_ids(&state.metadata).ok_or_else(|| {
                format!(
                    "{}: WAL metadata is not an oxcd member record",
                    wal_dir.display()
                )
            })?;
            (wal, state, id, cluster_id)
        } else if config.initial_cluster_state == "existing" {
            // Joining: the cluster, not the flags, says who we are (our ID was made by MemberAdd).
            let own_urls = parse_urls(&config.initial_advertise_peer_urls)?;
            let remote = tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current()
                    .block_on(fetch_remote_members(&initial, &own_urls))
            })?;
            let cluster_id = remote.header.as_ref().map_or(0, |h| h.cluster_id);
            let me = remote
                .members
                .iter()
                .find(|m| m.peer_ur_ls.iter().any(|u| own_urls.contains(u)))
                .ok_or_else(|| {
                    format!(
                        "member with peer URLs {} has not been added to cluster {cluster_id:x}; run 'member add' first",
                        own_urls.join(",")
                    )
                })?;
            let id = me.id;
            joined = Some(remote.members.clone());
            // No voters: raft learns the configuration from the leader's log or snapshot.
            create_wal(&wal_dir, id, cluster_id, &[])?
        } else {
            let own_urls = parse_urls(&config.initial_advertise_peer_urls)?;
            let id = identity::member_id(&own_urls, token);
            let cluster_id = identity::cluster_id(&member_ids);
            create_wal(&wal_dir, id, cluster_id, &member_ids)?
        };
        if store.consistent_index() > wal_state.hard_state.commit.max(last_index(&wal_state)) {
            tracing::warn!("backend is ahead of the WAL's committed entries; trusting the backend");
        }

        let membership = Arc::new(match joined {
            Some(list) => Membership::from_list(list),
            None => Membership::load(&store, &initial, token)?,
        });
        let alarms = Arc::new(Alarms::load(&store)?);
        let lessor = Arc::new(Lessor::restore(
            &store,
            id,
            lease::min_ttl(&config),
            config.experimental_lease_checkpoint_interval,
        )?);

        let (node_tx, node_rx) = sync_channel(NODE_QUEUE);
        let (apply_tx, apply_rx) = sync_channel(256);
        let raft = Arc::new(RaftStatus::default());
        let waits = Arc::new(Waits::default());
        let (applied_tx, applied_rx) = watch::channel(store.consistent_index());
        let (compact_req_tx, compact_req_rx) = watch::channel(store.compact_revision());
        let (compacted_tx, compacted_rx) = watch::channel(store.finished_compact_revision());

        let peers: Vec<(u64, Vec<String>)> = membership
            .list()
            .into_iter()
            .map(|m| (m.id, m.peer_ur_ls))
            .collect();
        let runtime = tokio::runtime::Handle::current();
        let transport = Transport::start(id, cluster_id, &peers, node_tx.clone(), &runtime);
        let setup = NodeSetup {
            id,
            voters: member_ids.clone(),
            election_ticks: config.election_ticks(),
            heartbeat: config.heartbeat(),
            // Entries after the snapshot are handed out again so raft re-learns the conf changes
            // among them; the applier skips those the backend already holds.
            applied: wal_state.snapshot.as_ref().map_or(0, |s| s.index),
            catchup_entries: config.snapshot_catchup_entries,
            store: store.clone(),
            snap_dir: snap_dir.clone(),
            membership: membership.clone(),
            runtime: runtime.clone(),
            node_tx: node_tx.clone(),
        };
        let raft_for_node = raft.clone();
        std::thread::Builder::new()
            .name("raft-node".into())
            .spawn(move || {
                let run = raft_node::run(
                    setup,
                    wal,
                    wal_state,
                    node_rx,
                    apply_tx,
                    raft_for_node,
                    transport,
                );
                if let Err(e) = run {
                    fatal(&format!("raft node stopped: {e}"));
                }
            })
            .map_err(|e| e.to_string())?;
        let watch_hub = WatchHub::start(
            store.clone(),
            config.experimental_watch_progress_notify_interval,
        );
        let (removed_tx, mut removed_rx) = watch::channel(false);
        tokio::spawn(async move {
            // etcd stops a member that a committed change removed from the cluster.
            if removed_rx.wait_for(|removed| *removed).await.is_ok() {
                tokio::time::sleep(Duration::from_millis(500)).await;
                fatal("the member has been permanently removed from the cluster");
            }
        });
        let applier = Applier {
            store: store.clone(),
            waits: waits.clone(),
            applied: applied_tx,
            node: node_tx.clone(),
            snapshot_count: config.snapshot_count.max(1),
            compaction_requested: compact_req_tx,
            event_sinks: vec![watch_hub.clone()],
            membership: membership.clone(),
            lessor: lessor.clone(),
            alarms: alarms.clone(),
            local_id: id,
            removed: removed_tx,
        };
        std::thread::Builder::new()
            .name("apply".into())
            .spawn(move || {
                if let Err(e) = applier.run(apply_rx) {
                    fatal(&format!("applier stopped: {e}"));
                }
            })
            .map_err(|e| e.to_string())?;
        tokio::spawn(run_compactor(store.clone(), compact_req_rx, compacted_tx));

        let request_timeout =
            Duration::from_secs(5) + 2 * Duration::from_millis(config.election_timeout);
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        let member = Arc::new(Member {
            config,
            id,
            cluster_id,
            membership: membership.clone(),
            alarms,
            store,
            raft,
            node: node_tx,
            waits,
            applied: applied_rx,
            compacted: compacted_rx,
            // Time-based start: entries replayed from an earlier run never match a new waiter.
            next_request_id: AtomicU64::new(now_ms << 8),
            request_timeout,
            db_path,
            lessor,
            watch_hub,
        });
        tokio::spawn(lease::run_expiry(Arc::downgrade(&member)));
        Ok(member)
    }

    /// Announces this member's name and client URLs to the cluster through raft, retrying until a
    /// leader commits it (etcd's publish; clients are served only after it).
    pub async fn publish(&self) {
        let attributes = MemberPb {
            id: self.id,
            name: self.config.name.clone(),
            client_ur_ls: parse_urls(&self.config.advertise_client_urls).unwrap_or_default(),
            ..Default::default()
        };
        loop {
            match self.propose(Op::MemberAttributes(attributes.clone())).await {
                Ok(_) => break,
                Err(e) => {
                    tracing::debug!(error = %e, "publishing member attributes failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        tracing::info!(
            local_member_id = %format!("{:x}", self.id),
            local_member_attributes = %format!("{{Name:{} ClientURLs:[{}]}}", attributes.name, attributes.client_ur_ls.join(" ")),
            cluster_id = %format!("{:x}", self.cluster_id),
            "published local member to cluster through raft"
        );
    }

    /// Asks raft to hand leadership to `transferee` and waits until it leads (etcd's MoveLeader).
    pub async fn move_leader(&self, transferee: u64) -> Result<(), ServerError> {
        let _ = self.node.try_send(NodeMsg::TransferLeader(transferee));
        let deadline = tokio::time::Instant::now() + self.request_timeout;
        while self.leader() != transferee {
            if tokio::time::Instant::now() > deadline {
                return Err(ServerError::TimeoutLeaderTransfer);
            }
            tokio::time::sleep(self.config.heartbeat()).await;
        }
        Ok(())
    }

    /// Before stopping: if this member leads and has peers, hand leadership over so the cluster
    /// does not wait an election timeout (etcd does the same). Bounded by two election timeouts.
    pub async fn transfer_leadership_for_stop(&self) {
        if self.leader() != self.id || self.membership.ids().len() < 2 {
            return;
        }
        let _ = self.node.try_send(NodeMsg::TransferLeaderForStop);
        let deadline =
            tokio::time::Instant::now() + 2 * Duration::from_millis(self.config.election_timeout);
        while self.leader() == self.id && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(self.config.heartbeat()).await;
        }
    }

    /// The service that feeds other members' raft messages to this member.
    pub fn peer_service(&self) -> PeerService {
        PeerService {
            cluster_id: self.cluster_id,
            member_id: self.id,
            membership: self.membership.clone(),
            store: self.store.clone(),
            node: self.node.clone(),
            snap_dir: self
                .db_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        }
    }

    /// A response header for this member at `revision`.
    pub fn header(&self, revision: i64) -> ResponseHeader {
        ResponseHeader {
            cluster_id: self.cluster_id,
            member_id: self.id,
            revision,
            raft_term: self.raft.term.load(Ordering::Relaxed),
        }
    }

    /// Fills the cluster fields of a header the store produced (it knows only the revision).
    pub fn stamp(&self, header: &mut Option<ResponseHeader>) {
        let revision = header
            .as_ref()
            .map_or_else(|| self.store.current_revision(), |h| h.revision);
        *header = Some(self.header(revision));
    }

    pub fn leader(&self) -> u64 {
        self.raft.leader.load(Ordering::Relaxed)
    }

    pub fn applied_index(&self) -> u64 {
        *self.applied.borrow()
    }

    /// Replicates `op` through raft and waits for its result from the applier.
    pub async fn propose(&self, op: Op) -> Result<ApplyResponse, ServerError> {
        let id = self.next_request_id();
        let data = InternalRequest { id, op: Some(op) }.encode_to_vec();
        if data.len() > self.config.max_request_bytes as usize {
            return Err(ServerError::RequestTooLarge);
        }
        self.replicate(id, |on_drop| NodeMsg::Propose { data, on_drop })
            .await
    }

    /// Proposes a membership change carrying `member` and waits until it is applied.
    async fn propose_member_change(
        &self,
        member: MemberPb,
        kind: member_change::Kind,
    ) -> Result<(), ServerError> {
        let id = self.next_request_id();
        let change_type = match kind {
            member_change::Kind::Add | member_change::Kind::Promote => ConfChangeType::AddNode,
            member_change::Kind::AddLearner => ConfChangeType::AddLearnerNode,
            member_change::Kind::Remove => ConfChangeType::RemoveNode,
        };
        let context = MemberChange {
            request_id: id,
            member: Some(member.clone()),
            kind: kind as i32,
        }
        .encode_to_vec();
        let mut change = ConfChangeV2 {
            context: context.into(),
            ..Default::default()
        };
        change.mut_changes().push(ConfChangeSingle {
            change_type,
            node_id: member.id,
            ..Default::default()
        });
        self.replicate(id, |on_drop| NodeMsg::ProposeConfChange { change, on_drop })
            .await
            .map(drop)
    }

    fn next_request_id(&self) -> u64 {
        request_id(
            self.id,
            self.next_request_id.fetch_add(1, Ordering::Relaxed),
        )
    }

    /// Hands a proposal to the node loop and waits for the applier's result for request `id`.
    async fn replicate(
        &self,
        id: u64,
        message: impl FnOnce(oneshot::Sender<ServerError>) -> NodeMsg,
    ) -> Result<ApplyResponse, ServerError> {
        let result = self.waits.register(id);
        let (drop_tx, drop_rx) = oneshot::channel();
        match self.node.try_send(message(drop_tx)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.waits.cancel(id);
                return Err(ServerError::TooManyRequests);
            }
            Err(TrySendError::Disconnected(_)) => {
                self.waits.cancel(id);
                return Err(ServerError::Stopped);
            }
        }
        let outcome = tokio::time::timeout(self.request_timeout, async {
            tokio::select! {
                r = result => r.map_err(|_| ServerError::Stopped)?,
                Ok(e) = drop_rx => Err(e),
            }
        })
        .await;
        self.waits.cancel(id);
        outcome.unwrap_or(Err(ServerError::Timeout))
    }

    /// etcd's MemberAdd: a new member (voter or learner) with a fresh ID; it then starts with
    /// `--initial-cluster-state existing`.
    pub async fn add_member(
        &self,
        peer_urls: Vec<String>,
        learner: bool,
    ) -> Result<MemberPb, ServerError> {
        if self.membership.with_peer_url(&peer_urls).is_some() {
            return Err(ServerError::PeerUrlExists);
        }
        if learner && self.membership.learner_count() >= MAX_LEARNERS {
            return Err(ServerError::TooManyLearners);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let id = identity::member_id_at(&peer_urls, &self.config.initial_cluster_token, now);
        if self.membership.get(id).is_some() {
            return Err(ServerError::MemberExists);
        }
        let member = MemberPb {
            id,
            peer_ur_ls: peer_urls,
            is_learner: learner,
            ..Default::default()
        };
        let kind = if learner {
            member_change::Kind::AddLearner
        } else {
            member_change::Kind::Add
        };
        self.propose_member_change(member.clone(), kind).await?;
        Ok(member)
    }

    pub async fn remove_member(&self, id: u64) -> Result<(), ServerError> {
        let member = self.membership.get(id).ok_or(ServerError::MemberNotFound)?;
        self.propose_member_change(member, member_change::Kind::Remove)
            .await
    }

    pub async fn update_member(&self, id: u64, peer_urls: Vec<String>) -> Result<(), ServerError> {
        let mut member = self.membership.get(id).ok_or(ServerError::MemberNotFound)?;
        member.peer_ur_ls = peer_urls;
        self.propose(Op::MemberUpdate(member)).await.map(drop)
    }

    /// etcd's MemberPromote, answered by the leader (which knows how far the learner got).
    pub async fn promote_member(&self, id: u64) -> Result<(), ServerError> {
        let member = self.membership.get(id).ok_or(ServerError::MemberNotFound)?;
        if !member.is_learner {
            return Err(ServerError::MemberNotLearner);
        }
        let (tx, rx) = oneshot::channel();
        self.node
            .try_send(NodeMsg::LearnerReady { id, reply: tx })
            .map_err(|_| ServerError::TooManyRequests)?;
        if !rx.await.map_err(|_| ServerError::Stopped)?? {
            return Err(ServerError::LearnerNotReady);
        }
        self.propose_member_change(member, member_change::Kind::Promote)
            .await
    }

    /// Whether this member is a learner (learners serve only serializable reads).
    pub fn is_learner(&self) -> bool {
        self.membership.get(self.id).is_some_and(|m| m.is_learner)
    }

    /// Waits until this member has applied everything committed when the call began (ReadIndex).
    pub async fn linearizable_barrier(&self) -> Result<(), ServerError> {
        let (tx, rx) = oneshot::channel();
        match self.node.try_send(NodeMsg::ReadIndex(tx)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(ServerError::TooManyRequests),
            Err(TrySendError::Disconnected(_)) => return Err(ServerError::Stopped),
        }
        let mut applied = self.applied.clone();
        tokio::time::timeout(self.request_timeout, async move {
            let index = rx.await.map_err(|_| ServerError::Stopped)??;
            applied
                .wait_for(|a| *a >= index)
                .await
                .map_err(|_| ServerError::Stopped)?;
            Ok(())
        })
        .await
        .map_err(|_| ServerError::Timeout)?
    }

    /// A Range, linearizable unless the request asks for a serializable read.
    pub async fn range(&self, req: &RangeRequest) -> Result<RangeResponse, ServerError> {
        if !req.serializable {
            self.linearizable_barrier().await?;
        }
        let mut resp = self.store.range(req)?;
        self.stamp(&mut resp.header);
        Ok(resp)
    }

    /// Waits until the backend has physically dropped everything compaction `revision` superseded.
    pub async fn wait_compacted(&self, revision: i64) -> Result<(), ServerError> {
        let mut compacted = self.compacted.clone();
        compacted
            .wait_for(|c| *c >= revision)
            .await
            .map_err(|_| ServerError::Stopped)?;
        Ok(())
    }
}

fn create_wal(
    wal_dir: &Path,
    id: u64,
    cluster_id: u64,
    voters: &[u64],
) -> Result<(Wal, oxcd_wal::WalState, u64, u64), String> {
    let mut metadata = id.to_be_bytes().to_vec();
    metadata.extend_from_slice(&cluster_id.to_be_bytes());
    let mut wal =
        Wal::create(wal_dir, &metadata, WalOptions::default()).map_err(|e| e.to_string())?;
    // A bootstrapping member starts from a snapshot at index 1 holding the initial
    // configuration, so the log proper starts at 2 and a member that joins later (with an empty
    // log and no configuration) is always sent a snapshot, which carries the configuration. A
    // joining member starts empty, at index 0.
    let (mark, hard_state) = if voters.is_empty() {
        (SnapshotMark::default(), oxcd_wal::HardState::default())
    } else {
        let mark = SnapshotMark {
            index: 1,
            term: 1,
            voters: voters.to_vec(),
            ..Default::default()
        };
        (
            mark,
            oxcd_wal::HardState {
                term: 1,
                vote: 0,
                commit: 1,
            },
        )
    };
    wal.save_snapshot(&mark).map_err(|e| e.to_string())?;
    wal.save(Some(&hard_state), &[])
        .map_err(|e| e.to_string())?;
    let state = oxcd_wal::WalState {
        metadata,
        snapshot: Some(mark),
        hard_state,
        entries: vec![],
    };
    Ok((wal, state, id, cluster_id))
}

/// Asks the members listed in `--initial-cluster` (other than this one) for the current
/// membership, as etcd does when a member joins with `--initial-cluster-state existing`.
async fn fetch_remote_members(
    initial: &[(String, Vec<String>)],
    own_urls: &[String],
) -> Result<oxcd_proto::etcdserverpb::MemberListResponse, String> {
    let mut errors = Vec::new();
    for (_, urls) in initial {
        for url in urls.iter().filter(|u| !own_urls.contains(u)) {
            let endpoint = match tonic::transport::Endpoint::from_shared(format!(
                "http://{}",
                crate::config::url_host_port(url)
            )) {
                Ok(e) => e
                    .connect_timeout(Duration::from_secs(2))
                    .timeout(Duration::from_secs(5)),
                Err(e) => {
                    errors.push(format!("{url}: {e}"));
                    continue;
                }
            };
            match endpoint.connect().await {
                Ok(channel) => {
                    let mut client = oxcd_proto::oxcdpb::peer_client::PeerClient::new(channel);
                    match client.members(oxcd_proto::oxcdpb::RaftAck {}).await {
                        Ok(resp) => return Ok(resp.into_inner()),
                        Err(status) => errors.push(format!("{url}: {}", status.message())),
                    }
                }
                Err(e) => errors.push(format!("{url}: {e}")),
            }
        }
    }
    Err(format!(
        "cannot fetch cluster info from peer URLs: {}",
        errors.join("; ")
    ))
}

/// Request IDs must be unique across the cluster, since every member applies every entry and
/// wakes its own waiter by ID (as etcd's idutil does it): the member ID's low 16 bits on top,
/// a 48-bit counter below that never carries into them.
fn request_id(member_id: u64, counter: u64) -> u64 {
    const COUNTER_BITS: u64 = (1 << 48) - 1;
    ((member_id & 0xffff) << 48) | (counter & COUNTER_BITS)
}

fn decode_ids(metadata: &[u8]) -> Option<(u64, u64)> {
    let id = u64::from_be_bytes(metadata.get(0..8)?.try_into().ok()?);
    let cluster = u64::from_be_bytes(metadata.get(8..16)?.try_into().ok()?);
    Some((id, cluster))
}

fn last_index(state: &oxcd_wal::WalState) -> u64 {
    state
        .entries
        .last()
        .map(|e| e.index)
        .or(state.snapshot.as_ref().map(|s| s.index))
        .unwrap_or(0)
}

/// A failure the member cannot run past (its storage broke): log it and exit, as etcd does.
fn fatal(msg: &str) -> ! {
    tracing::error!("{msg}");
    eprintln!("oxcd: {msg}");
    std::process::exit(1);
}

#[cfg(test)]
mod tests {
    use super::request_id;

    #[test]
    fn request_ids_of_members_started_together_never_collide() {
        let (a, b) = (0x8e9e05c52164694d_u64, 0x91bc3c398fb3c146_u64);
        let counter = 1_700_000_000_000u64 << 8;
        assert_ne!(request_id(a, counter), request_id(b, counter));
        // The counter wraps inside its 48 bits and never changes the member's prefix.
        assert_eq!(
            request_id(a, (1 << 48) - 1) >> 48,
            request_id(a, 1 << 48) >> 48
        );
    }
}
