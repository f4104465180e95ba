//! One running member: the shared core that the API layers call to propose writes, serve reads
//! and describe the cluster. It owns the node loop, the applier and the compactor.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oxcd_proto::etcdserverpb::{Member as MemberPb, RangeRequest, RangeResponse, ResponseHeader};
use oxcd_proto::oxcdpb::{internal_request::Op, InternalRequest};
use oxcd_storage::mvcc::MvccStore;
use oxcd_wal::{SnapshotMark, Wal, WalOptions};
use prost::Message;
use tokio::sync::{oneshot, watch};

use crate::apply::{run_compactor, Applier, ApplyResponse, Waits};
use crate::config::{parse_urls, Config};
use crate::error::ServerError;
use crate::identity;
use crate::lease::{self, Lessor};
use crate::membership::Membership;
use crate::peer::{PeerService, SnapshotSender, Transport};
use crate::raft_node::{self, NodeMsg, NodeSetup, RaftStatus};
use crate::watch::WatchHub;

/// The etcd API version oxcd speaks; clients (Kubernetes among them) gate features on it.
pub const ETCD_VERSION: &str = "3.6.0";
/// The cluster version reported once the cluster is up (etcd reports major.minor.0).
pub const CLUSTER_VERSION: &str = "3.6.0";

/// Bound of the queue into the node loop; beyond it clients get "too many requests".
const NODE_QUEUE: usize = 16 * 1024;

pub struct Member {
    pub config: Config,
    pub id: u64,
    pub cluster_id: u64,
    pub membership: Arc<Membership>,
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
        } else {
            if config.initial_cluster_state == "existing" {
                return Err("joining an existing cluster is not supported yet (--initial-cluster-state existing)".into());
            }
            let own_urls = parse_urls(&config.initial_advertise_peer_urls)?;
            let id = identity::member_id(&own_urls, token);
            let cluster_id = identity::cluster_id(&member_ids);
            create_wal(&wal_dir, id, cluster_id, &member_ids)?
        };
        if store.consistent_index() > wal_state.hard_state.commit.max(last_index(&wal_state)) {
            tracing::warn!("backend is ahead of the WAL's committed entries; trusting the backend");
        }

        let membership = Arc::new(Membership::load(&store, &initial, token)?);
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

        let peers: Vec<(u64, Vec<String>)> = initial
            .iter()
            .map(|(_, urls)| (identity::member_id(urls, token), urls.clone()))
            .collect();
        let runtime = tokio::runtime::Handle::current();
        let transport = Transport::start(id, cluster_id, &peers, node_tx.clone(), &runtime);
        let setup = NodeSetup {
            id,
            voters: member_ids.clone(),
            election_ticks: config.election_ticks(),
            heartbeat: config.heartbeat(),
            applied: store.consistent_index(),
            catchup_entries: config.snapshot_catchup_entries,
            store: store.clone(),
            snap_dir: snap_dir.clone(),
            snapshots: SnapshotSender::new(cluster_id, &peers),
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
            store,
            raft,
            node: node_tx,
            waits,
            applied: applied_rx,
            compacted: compacted_rx,
            // Time-based start: ids of entries replayed from an earlier run never match a new waiter.
            next_request_id: AtomicU64::new(now_ms << 20),
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

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// Replicates `op` through raft and waits for its result from the applier.
    pub async fn propose(&self, op: Op) -> Result<ApplyResponse, ServerError> {
        let id = self.next_request_id.fetch_add(1, Ordering::Relaxed);
        let data = InternalRequest { id, op: Some(op) }.encode_to_vec();
        if data.len() > self.config.max_request_bytes as usize {
            return Err(ServerError::RequestTooLarge);
        }
        let result = self.waits.register(id);
        let (drop_tx, drop_rx) = oneshot::channel();
        match self.node.try_send(NodeMsg::Propose {
            data,
            on_drop: drop_tx,
        }) {
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
        match outcome {
            Ok(r) => {
                self.waits.cancel(id);
                r
            }
            Err(_) => {
                self.waits.cancel(id);
                Err(ServerError::Timeout)
            }
        }
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
    let mark = SnapshotMark {
        voters: voters.to_vec(),
        ..Default::default()
    };
    wal.save_snapshot(&mark).map_err(|e| e.to_string())?;
    let state = oxcd_wal::WalState {
        metadata,
        snapshot: Some(mark),
        hard_state: Default::default(),
        entries: vec![],
    };
    Ok((wal, state, id, cluster_id))
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
