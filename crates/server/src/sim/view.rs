//! What the simulator reads of the cluster: the leader, the members of its configuration,
//! whether they caught up, and a line describing each member's raft state.

use super::Sim;

impl Sim {
    pub(super) fn leader(&self) -> Option<usize> {
        self.members.iter().position(|m| {
            m.running
                .as_ref()
                .is_some_and(|r| r.node.raft().state == raft::StateRole::Leader)
        })
    }

    /// The members in the leader's configuration (voters and learners) that are up: the ones
    /// the checks look at. A member removed while cut off may still run, unaware.
    pub(super) fn in_cluster(&self) -> Vec<usize> {
        let Some(leader) = self.leader() else {
            return Vec::new();
        };
        let Some(running) = &self.members[leader].running else {
            return Vec::new();
        };
        let conf = running.node.raft().prs().conf().to_conf_state();
        (0..self.members.len())
            .filter(|m| {
                let id = self.members[*m].identity.id;
                self.members[*m].running.is_some()
                    && (conf.voters.contains(&id) || conf.learners.contains(&id))
            })
            .collect()
    }

    /// A leader, every member of its configuration up, and each has applied its whole log.
    pub(super) fn converged(&self) -> bool {
        let Some(leader) = self.leader() else {
            return false;
        };
        let Some(running) = &self.members[leader].running else {
            return false;
        };
        let raft = running.node.raft();
        let last = raft.raft_log.last_index();
        let conf = raft.prs().conf().to_conf_state();
        let members: Vec<u64> = conf.voters.iter().chain(&conf.learners).copied().collect();
        members.iter().all(|id| {
            self.members.iter().any(|m| {
                m.identity.id == *id
                    && m.running.as_ref().is_some_and(|r| {
                        r.store.consistent_index() >= last && *r.applied.borrow() >= last
                    })
            })
        })
    }

    /// Each member's raft state, for reports (and `OXCD_SIM_DEBUG`'s trace every 250 ms).
    pub(super) fn describe(&self) -> String {
        let mut described: Vec<String> = self
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| match &m.running {
                None => format!("m{i} down"),
                Some(r) => {
                    let raft = r.node.raft();
                    format!(
                        "m{i} {:?} term {} leader {:x} commit {} last {} applied {}",
                        raft.state,
                        raft.term,
                        raft.leader_id,
                        raft.raft_log.committed,
                        raft.raft_log.last_index(),
                        r.store.consistent_index()
                    )
                }
            })
            .collect();
        described.push(format!("blocked {:?}", self.net.blocked_links()));
        described.join("; ")
    }
}
