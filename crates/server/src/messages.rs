//! The messages between the node loop, the applier and the member's other tasks. They live
//! below all of them so that each side names only these types, never the other side's module.

use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_proto::oxcdpb::{member_change, MemberChange};
use prost::Message as _;
use raft::prelude::{ConfChangeSingle, ConfChangeType, ConfChangeV2, Entry, Message};
use tokio::sync::oneshot;

use crate::error::ServerError;

/// What the rest of the member asks of the node loop.
pub enum NodeMsg {
    /// Append `data` (an encoded `InternalRequest`) to the log; `on_drop` is told if raft refuses it.
    Propose {
        data: Vec<u8>,
        on_drop: oneshot::Sender<ServerError>,
    },
    /// Reply with a commit index that is safe to read at once the applier reaches it.
    ReadIndex(oneshot::Sender<Result<u64, ServerError>>),
    /// The applier made everything up to `index` durable in the backend: log behind it may go.
    Snapshot { index: u64, term: u64 },
    /// A raft message from another member.
    Step(Message),
    /// The transport could not deliver to this member.
    Unreachable(u64),
    /// Hand leadership to this voter (raft's leader transfer); ignored unless this member leads.
    TransferLeader(u64),
    /// Before a graceful stop: hand leadership to the most caught-up voter, if any.
    TransferLeaderForStop,
    /// Tick raft this many times at once: etcd's initial election tick advance, once the
    /// other members are reachable at start.
    AdvanceTicks(usize),
    /// How sending a snapshot to a member ended.
    SnapshotSent { to: u64, ok: bool },
    /// Propose a membership change; `on_drop` is told if raft refuses it.
    ProposeConfChange {
        change: ConfChangeV2,
        on_drop: oneshot::Sender<ServerError>,
    },
    /// A member's peer URLs changed (MemberUpdate applied): reconnect to the new ones.
    PeerUrls { id: u64, urls: Vec<String> },
    /// Whether a learner has caught up enough to be promoted (etcd: 90% of the leader's log).
    LearnerReady {
        id: u64,
        reply: oneshot::Sender<Result<bool, ServerError>>,
    },
}

/// What the node loop hands the applier, in log order.
pub enum ApplyMsg {
    /// Committed entries to apply.
    Entries(Vec<Entry>),
    /// Replace the store with the snapshot file at `path`; `done` gets the new applied index.
    Restore {
        path: std::path::PathBuf,
        done: std::sync::mpsc::SyncSender<Result<u64, String>>,
    },
}

/// The raft conf change for a membership change of `kind` to `member`, carrying the member's
/// record and the request ID its proposer waits on (the applier stores the record and answers).
pub fn member_conf_change(
    request_id: u64,
    member: &MemberPb,
    kind: member_change::Kind,
) -> ConfChangeV2 {
    let change_type = match kind {
        member_change::Kind::Add | member_change::Kind::Promote => ConfChangeType::AddNode,
        member_change::Kind::AddLearner => ConfChangeType::AddLearnerNode,
        member_change::Kind::Remove => ConfChangeType::RemoveNode,
    };
    let context = MemberChange {
        request_id,
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
    change
}
