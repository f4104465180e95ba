//! Deterministic simulation of whole clusters in one thread.
//!
//! Each member runs the production raft node loop, applier and MVCC store (`member.rs`); what
//! production leaves to threads, sockets, timers and disks the simulator drives from one seeded
//! random generator and a simulated clock: message delivery (with loss, delay, duplication,
//! reordering, symmetric and one-way partitions), ticks (with drift, stalls and clock jumps),
//! snapshot transfers, power cuts (a WAL save torn at any byte, the backend's unsynced writes lost
//! or kept or torn) and restarts, and the clients' requests. Nothing else varies between runs, so
//! a seed replays exactly: a failing run prints its seed, and `OXCD_SIM_SEED=<seed>` runs it again.
//!
//! After a faulty phase, the faults stop and every member is restarted and caught up; then the
//! checks (`check.rs`): the clients' history is linearizable, every acknowledged write is in every
//! member's store at its revision, every member's watch events are the store's history in order,
//! and every member's HashKV is the same at the same revision.

mod check;
mod clients;
mod member;
mod network;
mod reconfig;
#[cfg(test)]
mod tests;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use raft::prelude::{Message, MessageType};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::identity;
use crate::messages::NodeMsg;
use clients::{Clients, Turn};
use member::{Identity, SimMember, HEARTBEAT};
use network::Network;
use reconfig::{PendingChange, Settled};

/// What one run simulates.
#[derive(Clone, Debug)]
pub struct Plan {
    pub members: usize,
    /// Simulated time of the faulty phase.
    pub faulty: Duration,
    pub clients: usize,
    pub keys: usize,
    /// Whether faults are injected at all.
    pub faults: bool,
    /// Whether some armed power cuts are failed fdatasyncs instead.
    pub fsync_errors: bool,
}

impl Plan {
    /// The plan a seed gets: 3 or 5 members, a few seconds of faults.
    pub fn for_seed(seed: u64) -> Plan {
        Plan {
            members: if seed % 3 == 2 { 5 } else { 3 },
            faulty: Duration::from_secs(8),
            clients: 4,
            keys: 3,
            faults: true,
            fsync_errors: seed.is_multiple_of(5),
        }
    }
}

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub simulated: Duration,
    pub operations: usize,
    pub acknowledged: usize,
    pub crashes: usize,
    pub power_cuts: usize,
    pub fsync_failures: usize,
    pub snapshots_installed: usize,
    /// Keys' revisions the members' stores compacted away, in all.
    pub compacted_revisions: i64,
    pub membership_changes: usize,
    pub messages: u64,
    /// A hash of every event processed, in order: equal for two runs of one seed.
    pub trace: u64,
}

/// Everything a run can fail with, named by its seed.
#[derive(Debug)]
pub struct Failure {
    pub seed: u64,
    pub at: Duration,
    pub reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "simulation seed {} failed at {:?} of simulated time (replay: OXCD_SIM_SEED={} \
             cargo test -p oxcd-server --lib sim::tests::replay -- --ignored --nocapture):\n{}",
            self.seed, self.at, self.seed, self.reason
        )
    }
}

enum Event {
    Deliver {
        to: usize,
        message: Message,
    },
    Tick {
        member: usize,
        incarnation: u64,
    },
    /// A snapshot file registered at `to` arrives with its message; the sender hears how it went.
    SnapshotArrives {
        from: usize,
        to: usize,
        incarnation: u64,
        message: Message,
    },
    ClientTurn {
        client: usize,
    },
    Restart {
        member: usize,
    },
    Fault,
    /// A membership change through the leader, if none is in flight.
    Reconfigure,
}

/// The simulated world: members, network, clock, clients and the one random generator.
struct Sim {
    now: Duration,
    /// The `Instant` simulated time zero maps to (the node loop compares instants only).
    epoch: Instant,
    queue: BinaryHeap<Reverse<(Duration, u64)>>,
    events: BTreeMap<u64, Event>,
    next_seq: u64,
    last_stamp: u64,
    rng: StdRng,
    members: Vec<SimMember>,
    /// Bumped at every start of a member: events for an earlier life are dropped.
    incarnations: Vec<u64>,
    /// A stalled member handles nothing until then (a process paused, a VM stolen).
    stalled_until: Vec<Duration>,
    tick_period: Vec<Duration>,
    net: Network,
    clients: Clients,
    faults: bool,
    fsync_errors: bool,
    change: Option<PendingChange>,
    next_change_id: u64,
    root: PathBuf,
    summary: Summary,
    trace: std::collections::hash_map::DefaultHasher,
}

/// Runs one seed under `plan`, in a fresh directory under `root`.
pub fn run(seed: u64, plan: &Plan, root: &Path) -> Result<Summary, Failure> {
    let mut sim = Sim::new(seed, plan, root).map_err(|reason| Failure {
        seed,
        at: Duration::ZERO,
        reason,
    })?;
    // A panic (raft-rs asserts its invariants) is a failure of the seed like any other.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sim.run(plan)))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            Err(format!("panicked: {message}"))
        });
    let at = sim.now;
    result.map_err(|reason| Failure { seed, at, reason })
}

impl Sim {
    fn new(seed: u64, plan: &Plan, root: &Path) -> Result<Sim, String> {
        let mut rng = StdRng::seed_from_u64(seed);
        let initial: Vec<(String, Vec<String>)> = (0..plan.members)
            .map(|i| (format!("m{i}"), vec![format!("http://sim-{i}:2380")]))
            .collect();
        let voters: Vec<u64> = initial
            .iter()
            .map(|(_, urls)| identity::member_id(urls, "sim-cluster"))
            .collect();
        let cluster_id = identity::cluster_id(&voters);
        let mut members = Vec::new();
        for (i, id) in voters.iter().enumerate() {
            let identity = Identity {
                id: *id,
                cluster_id,
                initial: initial.clone(),
                voters: voters.clone(),
                joined: None,
                election_ticks: rng.gen_range(10..20),
                snapshot_count: rng.gen_range(10..100),
                catchup_entries: rng.gen_range(2..20),
            };
            members.push(SimMember::new(identity, root.join(format!("m{i}"))));
        }
        let n = plan.members;
        let tick_period = (0..n)
            .map(|_| HEARTBEAT + Duration::from_micros(rng.gen_range(0..5_000)))
            .collect();
        let net = Network::new(&mut rng, voters.clone(), plan.faults);
        let clients = Clients::new(plan.clients, plan.keys);
        Ok(Sim {
            now: Duration::ZERO,
            epoch: Instant::now(),
            queue: BinaryHeap::new(),
            events: BTreeMap::new(),
            next_seq: 0,
            last_stamp: 0,
            rng,
            members,
            incarnations: vec![0; n],
            stalled_until: vec![Duration::ZERO; n],
            tick_period,
            net,
            clients,
            faults: plan.faults,
            fsync_errors: plan.fsync_errors,
            change: None,
            next_change_id: 1 << 48,
            root: root.to_path_buf(),
            summary: Summary::default(),
            trace: Default::default(),
        })
    }

    fn schedule(&mut self, after: Duration, event: Event) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queue.push(Reverse((self.now + after, seq)));
        self.events.insert(seq, event);
    }

    fn run(&mut self, plan: &Plan) -> Result<Summary, String> {
        for m in 0..self.members.len() {
            self.start_member(m)?;
        }
        for c in 0..plan.clients {
            self.schedule(
                Duration::from_millis(c as u64),
                Event::ClientTurn { client: c },
            );
        }
        if self.faults {
            self.schedule(Duration::from_millis(500), Event::Fault);
            self.schedule(Duration::from_millis(1500), Event::Reconfigure);
        }
        let faulty_end = plan.faulty;
        let debug = std::env::var("OXCD_SIM_DEBUG").is_ok();
        let mut next_print = Duration::ZERO;
        while self.now < faulty_end {
            self.step()?;
            if debug && self.now >= next_print {
                eprintln!("{:?} {}", self.now, self.describe());
                next_print += Duration::from_millis(250);
            }
        }
        // Calm: no more faults or requests; everyone up, connected and caught up.
        self.faults = false;
        self.net.heal_all();
        self.clients.stop();
        for m in 0..self.members.len() {
            self.stalled_until[m] = Duration::ZERO;
            if self.members[m].running.is_none() && !self.members[m].retired {
                self.start_member(m)?;
            }
        }
        let deadline = self.now + Duration::from_secs(60);
        loop {
            self.step()?;
            if self.clients.idle() && self.converged() {
                break;
            }
            if self.now > deadline {
                return Err(format!(
                    "no convergence within 60 s after the faults stopped: {}",
                    self.describe()
                ));
            }
        }
        check::all(&self.members, &self.in_cluster(), &self.clients)?;
        self.summary.simulated = self.now;
        self.summary.compacted_revisions = self.members[0]
            .running
            .as_ref()
            .map_or(0, |r| r.store.compact_revision().max(0));
        self.summary.operations = self.clients.history.len();
        self.summary.acknowledged = self.clients.acknowledged.len();
        self.summary.trace = self.trace.finish();
        Ok(self.summary.clone())
    }

    /// A time for the clients' history: simulated nanoseconds, strictly increasing (two
    /// stamps at one simulated instant are a nanosecond apart, in the order they were taken).
    fn stamp(&mut self) -> u64 {
        self.next_seq += 1;
        self.last_stamp = (self.now.as_nanos() as u64).max(self.last_stamp + 1);
        self.last_stamp
    }

    fn start_member(&mut self, m: usize) -> Result<(), String> {
        if self.members[m].running.is_some() {
            return Ok(());
        }
        let mut attempts = 0;
        while let Err(e) = self.members[m].start() {
            // Another test of this process that spawns a program (the JWT tests run openssl)
            // holds every open file of the process, our WAL's and backend's locked ones too,
            // between its fork and exec: wait that out. It costs wall time only.
            attempts += 1;
            if !e.contains("lock") || attempts > 500 {
                return Err(format!("member {m} failed to start: {e}"));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        self.incarnations[m] += 1;
        let first = Duration::from_micros(self.rng.gen_range(0..100_000));
        let incarnation = self.incarnations[m];
        self.schedule(
            first,
            Event::Tick {
                member: m,
                incarnation,
            },
        );
        self.settle(m)
    }

    fn step(&mut self) -> Result<(), String> {
        let Some(Reverse((at, seq))) = self.queue.pop() else {
            return Err("nothing left to simulate".into());
        };
        let Some(event) = self.events.remove(&seq) else {
            return Ok(());
        };
        self.now = at;
        if let Some(m) = event.member() {
            if self.stalled_until[m] > self.now {
                // Paused: it handles this when it resumes, in the same order.
                let wait = self.stalled_until[m] - self.now;
                self.schedule(wait, event);
                return Ok(());
            }
        }
        self.now.hash(&mut self.trace);
        match event {
            Event::Deliver { to, message } => {
                trace_message(&mut self.trace, &message);
                self.summary.messages += 1;
                if self.members[to].running.is_some() {
                    self.handle(to, NodeMsg::Step(message))?;
                }
            }
            Event::Tick {
                member,
                incarnation,
            } => {
                if incarnation == self.incarnations[member] {
                    if let Some(running) = &mut self.members[member].running {
                        running.node.tick();
                        // The compactor's work, a step per tick (production: a task).
                        running
                            .store
                            .compaction_step(100)
                            .map_err(|e| format!("member {member}: compaction: {e}"))?;
                        let period = self.tick_period[member];
                        self.schedule(
                            period,
                            Event::Tick {
                                member,
                                incarnation,
                            },
                        );
                        self.settle(member)?;
                    }
                }
            }
            Event::SnapshotArrives {
                from,
                to,
                incarnation,
                message,
            } => {
                let delivered =
                    incarnation == self.incarnations[to] && self.members[to].running.is_some();
                if delivered {
                    self.summary.snapshots_installed += 1;
                    self.handle(to, NodeMsg::Step(message))?;
                }
                if self.members[from].running.is_some() {
                    let to_id = self.members[to].identity.id;
                    self.handle(
                        from,
                        NodeMsg::SnapshotSent {
                            to: to_id,
                            ok: delivered,
                        },
                    )?;
                }
            }
            Event::ClientTurn { client } => {
                let stamp = self.stamp();
                let turn = self.clients.next_request(
                    client,
                    self.now,
                    stamp,
                    &mut self.rng,
                    &self.members,
                );
                match turn {
                    Turn::Send(m, message) => self.handle(m, message)?,
                    Turn::Later(after) => self.schedule(after, Event::ClientTurn { client }),
                    Turn::Idle => {}
                }
            }
            Event::Restart { member } => {
                if self.members[member].running.is_none() && !self.members[member].retired {
                    self.start_member(member)?;
                }
            }
            Event::Reconfigure => {
                if self.faults {
                    self.reconfigure()?;
                    let next = Duration::from_millis(self.rng.gen_range(500..2500));
                    self.schedule(next, Event::Reconfigure);
                }
            }
            Event::Fault => {
                if self.faults {
                    self.inject_fault()?;
                    let next = Duration::from_millis(self.rng.gen_range(200..1500));
                    self.schedule(next, Event::Fault);
                }
            }
        }
        self.poll_clients()
    }

    /// Hands `msg` to member `m`'s node loop, then lets it run.
    fn handle(&mut self, m: usize, msg: NodeMsg) -> Result<(), String> {
        let Some(running) = &mut self.members[m].running else {
            return Ok(());
        };
        if let Err(e) = running.node.handle(msg) {
            return self.stopped(m, e);
        }
        self.settle(m)
    }

    /// Runs member `m`'s loop until it has nothing more to do, and takes what it sent.
    fn settle(&mut self, m: usize) -> Result<(), String> {
        let now = self.epoch + self.now;
        loop {
            let Some(running) = &mut self.members[m].running else {
                return Ok(());
            };
            let turned = running.node.turn(now);
            let io = running.node.io_mut();
            let messages = std::mem::take(&mut io.messages);
            let snapshots = std::mem::take(&mut io.snapshots);
            let from_applier: Vec<NodeMsg> = running.from_applier.try_iter().collect();
            let removed = *running.removed.borrow();
            for message in messages {
                for (after, to, message) in self.net.send(m, message, &mut self.rng) {
                    self.schedule(after, Event::Deliver { to, message });
                }
            }
            for message in snapshots {
                self.start_snapshot_transfer(m, message);
            }
            if let Err(e) = turned {
                return self.stopped(m, e);
            }
            if removed {
                // As the process exits once it applied its own removal.
                self.retire(m);
                return Ok(());
            }
            if from_applier.is_empty() {
                return Ok(());
            }
            let running = self.members[m]
                .running
                .as_mut()
                .ok_or("member vanished while settling")?;
            for msg in from_applier {
                if let Err(e) = running.node.handle(msg) {
                    return self.stopped(m, e);
                }
            }
        }
    }

    /// Member `m`'s node loop returned an error: a power cut or a failed fdatasync the
    /// simulator armed (the process exits, as production's `fatal` makes it), or a bug.
    fn stopped(&mut self, m: usize, error: String) -> Result<(), String> {
        let (cut, sync_armed) = self.members[m]
            .running
            .as_mut()
            .map_or((false, false), |r| {
                let io = r.node.io_mut();
                (io.power_cut, io.fsync_failure_armed)
            });
        if cut {
            self.summary.power_cuts += 1;
        } else if sync_armed && error.starts_with("wal ") {
            self.summary.fsync_failures += 1;
            if let Some(running) = &mut self.members[m].running {
                running.node.io_mut().save_failed();
            }
        } else {
            return Err(format!("member {m}'s node loop stopped: {error}"));
        }
        self.crash(m)
    }

    fn retire(&mut self, m: usize) {
        for client in self.clients.member_crashed(m) {
            self.schedule(Duration::ZERO, Event::ClientTurn { client });
        }
        if let Some(running) = self.members[m].running.take() {
            self.members[m].watched.push(running.events.take());
        }
        self.members[m].retired = true;
    }

    /// Proposes a membership change through the leader, if there is one and no change is in
    /// flight.
    fn reconfigure(&mut self) -> Result<(), String> {
        if self.change.is_some() {
            return Ok(());
        }
        let Some(leader) = self.leader() else {
            return Ok(());
        };
        self.next_change_id += 1;
        let proposed = reconfig::propose(
            leader,
            &mut self.members,
            self.next_change_id,
            self.now,
            &mut self.rng,
            &self.root,
        );
        let Some((message, pending)) = proposed else {
            return Ok(());
        };
        while self.incarnations.len() < self.members.len() {
            let added = self.incarnations.len();
            self.incarnations.push(0);
            self.stalled_until.push(Duration::ZERO);
            self.tick_period.push(HEARTBEAT);
            self.net.add(self.members[added].identity.id);
        }
        self.change = Some(pending);
        self.summary.membership_changes += 1;
        self.handle(leader, message)
    }

    fn poll_change(&mut self) -> Result<(), String> {
        let Some(change) = &mut self.change else {
            return Ok(());
        };
        match change.poll(self.now) {
            Settled::Waiting => Ok(()),
            Settled::Applied(joiner) => {
                self.change = None;
                match joiner {
                    Some(m) => self.start_member(m),
                    None => Ok(()),
                }
            }
            Settled::Failed => {
                // The change may still commit: an added learner is started when the faults
                // stop, and counts only if the configuration has it.
                self.change = None;
                Ok(())
            }
        }
    }

    fn leader(&self) -> Option<usize> {
        self.members.iter().position(|m| {
            m.running
                .as_ref()
                .is_some_and(|r| r.node.raft().state == raft::StateRole::Leader)
        })
    }

    /// The members in the leader's configuration (voters and learners) that are up: the ones
    /// the checks look at. A member removed while cut off may still run, unaware.
    fn in_cluster(&self) -> Vec<usize> {
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

    fn crash(&mut self, m: usize) -> Result<(), String> {
        self.summary.crashes += 1;
        for client in self.clients.member_crashed(m) {
            self.schedule(Duration::ZERO, Event::ClientTurn { client });
        }
        self.members[m].crash(&mut self.rng)?;
        let down = Duration::from_millis(self.rng.gen_range(50..2000));
        self.schedule(down, Event::Restart { member: m });
        Ok(())
    }

    /// The leader copies its backend into the recipient's snapshot directory (as the peer
    /// service would receive it), and the message follows after a transfer time.
    fn start_snapshot_transfer(&mut self, from: usize, message: Message) {
        let Some(to) = self
            .members
            .iter()
            .position(|x| x.identity.id == message.to)
        else {
            return;
        };
        let meta = message.get_snapshot().get_metadata();
        let (index, term) = (meta.index, meta.term);
        let arrives = !self.net.blocked(from, to) && !self.rng.gen_bool(self.net.loss());
        let registered = arrives
            && match (&self.members[from].running, &self.members[to].running) {
                (Some(sender), Some(receiver)) => {
                    let store = sender.store.clone();
                    receiver
                        .incoming
                        .adopt(index, term, |path| {
                            store
                                .write_snapshot(path)
                                .map(drop)
                                .map_err(|e| e.to_string())
                        })
                        .is_ok()
                }
                _ => false,
            };
        let mut message = message;
        let mut snap = message.take_snapshot();
        snap.data = Default::default();
        message.set_snapshot(snap);
        let incarnation = if registered {
            self.incarnations[to]
        } else {
            0 // never matches: the sender hears it failed
        };
        let after = Duration::from_millis(self.rng.gen_range(5..200));
        self.schedule(
            after,
            Event::SnapshotArrives {
                from,
                to,
                incarnation,
                message,
            },
        );
    }

    fn poll_clients(&mut self) -> Result<(), String> {
        let stamp = self.stamp();
        let now = self.now;
        let next_turns = self.clients.poll(stamp, now, &self.members, &mut self.rng);
        for (client, think) in next_turns {
            self.schedule(think, Event::ClientTurn { client });
        }
        self.poll_change()
    }

    fn inject_fault(&mut self) -> Result<(), String> {
        let n = self.members.len();
        let m = self.rng.gen_range(0..n);
        match self.rng.gen_range(0..10) {
            0 | 1 => {
                if self.members[m].running.is_some() {
                    self.crash(m)?;
                }
            }
            3 if self.fsync_errors => self.members[m].arm_fsync_failure(),
            2 | 3 => self.members[m].arm_power_cut(),
            4 | 5 => self.net.partition(&mut self.rng),
            6 | 7 => self.net.heal_all(),
            8 => {
                // A stall: the member is paused for a while, then handles what waited.
                let pause = Duration::from_millis(self.rng.gen_range(100..2500));
                self.stalled_until[m] = self.now + pause;
            }
            _ => {
                // The clock jumps ahead: several ticks at once.
                if let Some(running) = &mut self.members[m].running {
                    for _ in 0..self.rng.gen_range(1..12) {
                        running.node.tick();
                    }
                    self.settle(m)?;
                }
            }
        }
        Ok(())
    }

    /// A leader, every member of its configuration up, and each has applied its whole log.
    fn converged(&self) -> bool {
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
    fn describe(&self) -> String {
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

impl Event {
    /// The member this event is handled by (a stall delays it).
    fn member(&self) -> Option<usize> {
        match self {
            Event::Deliver { to, .. } | Event::SnapshotArrives { to, .. } => Some(*to),
            Event::Tick { member, .. } => Some(*member),
            _ => None,
        }
    }
}

fn trace_message(trace: &mut impl Hasher, m: &Message) {
    (
        m.from,
        m.to,
        m.get_msg_type() as i32,
        m.term,
        m.index,
        m.log_term,
        m.commit,
    )
        .hash(trace);
    m.entries.len().hash(trace);
    if m.get_msg_type() == MessageType::MsgSnapshot {
        m.get_snapshot().get_metadata().index.hash(trace);
    }
}
