//! Membership changes in the simulation, as an operator makes them through the leader: add a
//! learner (started once the change is applied, joining with an empty log as
//! `--initial-cluster-state existing` does, so it is caught up by a snapshot), promote a learner,
//! remove a voter (never below three). One change at a time, as etcd allows.

use std::time::Duration;

use oxcd_proto::etcdserverpb::Member as MemberPb;
use oxcd_proto::oxcdpb::member_change;
use rand::rngs::StdRng;
use rand::Rng;
use tokio::sync::oneshot;

use super::member::{Identity, SimMember};
use crate::error::ServerError;
use crate::identity;
use crate::messages::{member_conf_change, NodeMsg};
use crate::state::waits::ApplyResult;

const CHANGE_TIMEOUT: Duration = Duration::from_secs(5);

/// A change proposed and not yet answered.
pub(super) struct PendingChange {
    result: oneshot::Receiver<ApplyResult>,
    dropped: oneshot::Receiver<ServerError>,
    deadline: Duration,
    /// The member to start once the change is applied (an added learner).
    joiner: Option<usize>,
}

/// What became of a pending change.
pub(super) enum Settled {
    Waiting,
    /// Applied; start this member if it was added.
    Applied(Option<usize>),
    Failed,
}

impl PendingChange {
    pub fn poll(&mut self, now: Duration) -> Settled {
        match self.result.try_recv() {
            Ok(Ok(_)) => Settled::Applied(self.joiner),
            Ok(Err(_)) | Err(oneshot::error::TryRecvError::Closed) => Settled::Failed,
            Err(oneshot::error::TryRecvError::Empty) => {
                if self.dropped.try_recv().is_ok() || now >= self.deadline {
                    Settled::Failed
                } else {
                    Settled::Waiting
                }
            }
        }
    }
}

/// Chooses a change for the cluster whose leader is member `leader`, adds the joiner's
/// [`SimMember`] (not started) to `members` if it adds one, and returns the message for the
/// leader's node loop with the pending change.
pub(super) fn propose(
    leader: usize,
    members: &mut Vec<SimMember>,
    request_id: u64,
    now: Duration,
    rng: &mut StdRng,
    root: &std::path::Path,
) -> Option<(NodeMsg, PendingChange)> {
    let running = members[leader].running.as_ref()?;
    let conf = running.node.raft().prs().conf().to_conf_state();
    let listed = running.membership.list();
    let learners: Vec<u64> = conf.learners.clone();
    let voters: Vec<u64> = conf.voters.clone();
    let choice = rng.gen_range(0..3);
    let (kind, member, joiner) = if choice == 0 && !learners.is_empty() {
        let id = learners[rng.gen_range(0..learners.len())];
        let member = listed.iter().find(|m| m.id == id)?.clone();
        (member_change::Kind::Promote, member, None)
    } else if choice == 1 && voters.len() > 3 {
        let id = voters[rng.gen_range(0..voters.len())];
        let member = listed.iter().find(|m| m.id == id)?.clone();
        (member_change::Kind::Remove, member, None)
    } else if learners.is_empty() && voters.len() < 7 {
        let index = members.len();
        let urls = vec![format!("http://sim-{index}:2380")];
        let cluster_id = members[leader].identity.cluster_id;
        let id = identity::member_id(&urls, "sim-cluster");
        let member = MemberPb {
            id,
            name: format!("m{index}"),
            peer_ur_ls: urls.clone(),
            is_learner: true,
            ..Default::default()
        };
        let mut list = listed.clone();
        list.push(member.clone());
        let identity = Identity {
            id,
            cluster_id,
            initial: list
                .iter()
                .map(|m| (m.name.clone(), m.peer_ur_ls.clone()))
                .collect(),
            voters: Vec::new(),
            joined: Some(list),
            election_ticks: rng.gen_range(10..20),
            snapshot_count: rng.gen_range(10..100),
            catchup_entries: rng.gen_range(2..20),
        };
        let shared = members[leader].shared.clone();
        members.push(SimMember::new(
            identity,
            shared,
            root.join(format!("m{index}")),
        ));
        (member_change::Kind::AddLearner, member, Some(index))
    } else {
        return None;
    };
    let change = member_conf_change(request_id, &member, kind);
    let running = members[leader].running.as_ref()?;
    let result = running.waits.register(request_id);
    let (on_drop, dropped) = oneshot::channel();
    let pending = PendingChange {
        result,
        dropped,
        deadline: now + CHANGE_TIMEOUT,
        joiner,
    };
    Some((NodeMsg::ProposeConfChange { change, on_drop }, pending))
}
