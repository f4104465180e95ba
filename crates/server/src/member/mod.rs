//! One running member: the core that the API layer calls to propose writes, serve reads and
//! describe the cluster. It wires the consensus layer (node loop, peers) to the state machine
//! (applier, lessor, membership, alarms) and the watch hub, and carries the duties of a member
//! that need both: proposals and their waits, the read barrier, membership changes, the lease
//! primary's loop and corruption checks.

mod auth;
mod auto_compaction;
pub(crate) mod bootstrap;
mod cluster;
pub mod corruption;
mod disk;
pub mod etcd_import;
mod lease;
pub mod migrate;
mod peer;
mod propose;
pub(crate) mod request_ids;
pub mod restore;
mod start;
mod v2;

use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;
use std::sync::Arc;
use std::time::Duration;

use oxcd_proto::etcdserverpb::ResponseHeader;
use oxcd_storage::mvcc::MvccStore;
use tokio::sync::watch;
use tonic::transport::Channel;

use crate::config::Config;
use crate::consensus::dial::PeerDialer;
use crate::consensus::incoming::IncomingSnapshots;
use crate::messages::NodeMsg;
use crate::metrics::ServerMetrics;
use crate::state::alarms::Alarms;
use crate::state::auth::AuthStore;
use crate::state::lessor::Lessor;
use crate::state::membership::Membership;
use crate::state::v2::V2Store;
use crate::state::waits::Waits;
use crate::status::{Headers, RaftStatus};
use crate::watch::WatchHub;

pub struct Member {
    pub config: Config,
    pub id: u64,
    pub cluster_id: u64,
    pub membership: Arc<Membership>,
    pub alarms: Arc<Alarms>,
    pub auth: Arc<AuthStore>,
    /// The v2 keys store (served on `/v2/keys` with `--enable-v2`).
    pub v2: Arc<V2Store>,
    pub store: Arc<MvccStore>,
    pub raft: Arc<RaftStatus>,
    pub metrics: Arc<ServerMetrics>,
    pub lessor: Arc<Lessor>,
    pub watch_hub: Arc<WatchHub>,
    node: SyncSender<NodeMsg>,
    waits: Arc<Waits>,
    applied: watch::Receiver<u64>,
    compacted: watch::Receiver<i64>,
    request_ids: request_ids::RequestIds,
    /// The data dir's free space, as the writes' NOSPACE check asks it.
    free_space: disk::FreeSpace,
    pub(crate) request_timeout: Duration,
    /// Snapshot files received by the peer service, waiting for the node loop.
    incoming: IncomingSnapshots,
    /// A connection to the leader's peer URL, by leader ID, for forwarded keep-alives and
    /// time-to-live questions.
    leader_peer_channel: tokio::sync::Mutex<Option<(u64, Channel)>>,
    /// How this member reaches the others' peer URLs (TLS for `https://` ones).
    pub peer_dialer: PeerDialer,
}

impl Member {
    /// A response header for this member at `revision`.
    pub fn header(&self, revision: i64) -> ResponseHeader {
        self.headers().at(revision)
    }

    /// Header stamping for the tasks (watch streams) that answer on this member's behalf.
    pub fn headers(&self) -> Headers {
        Headers {
            cluster_id: self.cluster_id,
            member_id: self.id,
            raft: self.raft.clone(),
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

    /// Whether this member is a learner (learners serve only serializable reads).
    pub fn is_learner(&self) -> bool {
        self.membership.is_learner(self.id)
    }
}
