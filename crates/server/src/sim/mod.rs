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
//! After a faulty phase, the faults stop and every member is restarted and caught up, and every
//! lease expires; then the checks (`check.rs`, `leases.rs`): the clients' history is
//! linearizable, every acknowledged write is in every member's store at its revision, every
//! member's watch events are the store's history in order, every member's HashKV is the same at
//! the same revision, no lease was revoked before the deadline its client was given, and every
//! lease nobody kept alive was revoked in time, with its keys.

mod check;
mod clients;
mod clock;
mod faults;
mod leases;
mod member;
mod network;
mod reconfig;
#[cfg(test)]
mod tests;
mod view;
mod watchers;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use raft::prelude::{Message, MessageType};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::identity;
use crate::messages::NodeMsg;
use clients::{Clients, Turn};
use clock::SimClock;
use member::{Identity, Revocations, Shared, SimMember, HEARTBEAT};
use network::Network;
use reconfig::{PendingChange, Settled};
use watchers::Watchers;

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
    /// What the simulator does, by the version it was added in ([`GENERATION`] now). Every
    /// addition changes the path of every seed, so a regression seed runs under the
    /// generation it was found in.
    pub generation: u32,
}

/// The simulator's generations: 1, KV clients and the faults; 2, leases and watchers; 3,
/// keep-alive streams that stall, and longer leases; 4, power cuts armed for a snapshot
/// install.
pub const GENERATION: u32 = 4;

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
            generation: GENERATION,
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
    pub leases_granted: usize,
    pub lease_renewals: usize,
    /// Leases revoked, by their clients or because they expired.
    pub leases_revoked: usize,
    pub watchers: usize,
    /// Events the watchers received.
    pub watch_events: usize,
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
    /// A client's keep-alive stream sends one for its lease.
    KeepAlive {
        client: usize,
    },
    Restart {
        member: usize,
    },
    Fault,
    /// A membership change through the leader, if none is in flight.
    Reconfigure,
    /// A client starts a watch.
    Watch,
}

/// The simulated world: members, network, clock, clients and the one random generator.
struct Sim {
    now: Duration,
    clock: SimClock,
    revocations: Revocations,
    /// The longest election timeout of the first members.
    longest_election: Duration,
    /// Request IDs of the members' own proposals (lease duties).
    next_member_request: u64,
    queue: BinaryHeap<Reverse<(Duration, u64)>>,
    events: BTreeMap<u64, Event>,
    next_seq: u64,
    last_stamp: u64,
    rng: StdRng,
    /// The watchers' own generator: they change nothing the rest of the run sees, so a seed
    /// takes the same path with or without them.
    watch_rng: StdRng,
    watchers: Watchers,
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
    generation: u32,
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
        let identities: Vec<Identity> = voters
            .iter()
            .map(|id| Identity {
                id: *id,
                cluster_id,
                initial: initial.clone(),
                voters: voters.clone(),
                joined: None,
                election_ticks: rng.gen_range(10..20),
                snapshot_count: rng.gen_range(10..100),
                catchup_entries: rng.gen_range(2..20),
            })
            .collect();
        let longest_election = identities
            .iter()
            .map(Identity::election_timeout)
            .max()
            .unwrap_or(HEARTBEAT);
        let clock = SimClock::new();
        let revocations = Revocations::default();
        let shared = Shared {
            clock: clock.clone(),
            revocations: revocations.clone(),
            lease_min_ttl: (longest_election.as_millis() as u64 * 3 / 2).div_ceil(1000) as i64,
            checkpoint_interval: match plan.generation {
                1 => Duration::from_secs(300),
                _ => Duration::from_millis(rng.gen_range(500..2500)),
            },
        };
        let members = identities
            .into_iter()
            .enumerate()
            .map(|(i, identity)| {
                SimMember::new(identity, shared.clone(), root.join(format!("m{i}")))
            })
            .collect();
        let n = plan.members;
        let tick_period = (0..n)
            .map(|_| HEARTBEAT + Duration::from_micros(rng.gen_range(0..5_000)))
            .collect();
        let net = Network::new(&mut rng, voters.clone(), plan.faults);
        let clients = Clients::new(plan.clients, plan.keys, plan.generation);
        Ok(Sim {
            now: Duration::ZERO,
            clock,
            revocations,
            longest_election,
            next_member_request: 1 << 56,
            queue: BinaryHeap::new(),
            events: BTreeMap::new(),
            next_seq: 0,
            last_stamp: 0,
            rng,
            watch_rng: StdRng::seed_from_u64(seed ^ 0x5741_5443_4845_5253),
            watchers: Watchers::default(),
            members,
            incarnations: vec![0; n],
            stalled_until: vec![Duration::ZERO; n],
            tick_period,
            net,
            clients,
            faults: plan.faults,
            fsync_errors: plan.fsync_errors,
            generation: plan.generation,
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
            if plan.generation >= 2 {
                self.schedule(Duration::from_millis(500), Event::KeepAlive { client: c });
            }
        }
        self.schedule(Duration::from_millis(300), Event::Watch);
        if self.faults {
            self.schedule(Duration::from_millis(500), Event::Fault);
            self.schedule(Duration::from_millis(1500), Event::Reconfigure);
        }
        let faulty_end = plan.faulty;
        let debug = std::env::var("OXCD_SIM_DEBUG").is_ok();
        let mut next_print = Duration::ZERO;
        let mut trace = |sim: &Sim| {
            if debug && sim.now >= next_print {
                eprintln!("{:?} {}", sim.now, sim.describe());
                next_print += Duration::from_millis(250);
            }
        };
        while self.now < faulty_end {
            self.step()?;
            trace(self);
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
        // When the leader that revokes the leases took over its lessor (a calm phase may start
        // with elections).
        let mut leading = (None, self.now);
        let deadline = self.now + Duration::from_secs(60);
        loop {
            self.step()?;
            trace(self);
            // The leader counts once its lessor may be primary: it applied an entry of its term.
            let leader = self.leader().and_then(|l| {
                let running = self.members[l].running.as_ref()?;
                let term = running.node.raft().term;
                Some((l, term, running.store.term() == term))
            });
            if leader != leading.0 {
                leading = (leader, self.now);
            }
            if self.clients.idle()
                && self.converged()
                && !leases::any_left(&self.members, &self.in_cluster())
            {
                break;
            }
            if self.now > deadline {
                return Err(format!(
                    "no convergence within 60 s after the faults stopped: {}",
                    self.describe()
                ));
            }
        }
        let in_cluster = self.in_cluster();
        check::all(&self.members, &in_cluster, &self.clients)?;
        self.watchers
            .finish(&self.members, &self.incarnations, &in_cluster);
        let reference = in_cluster
            .first()
            .and_then(|m| self.members[*m].running.as_ref())
            .ok_or("no member is up at the end")?;
        self.watchers.check(&reference.store)?;
        self.summary.watchers = self.watchers.count();
        self.summary.watch_events = self.watchers.events;
        // A lease nobody keeps alive is revoked in the last leader's first rounds after its
        // deadline, which that leader's promotion pushed back by an election timeout and the
        // checkpoint's rounding up to a whole second.
        let slack = self.longest_election + Duration::from_secs(2);
        leases::check(
            &self.clients.leases,
            &self.revocations,
            &self.members,
            &in_cluster,
            leading.1,
            slack,
        )?;
        self.summary.leases_granted = self.clients.leases.grants;
        self.summary.lease_renewals = self.clients.leases.renewals;
        self.summary.leases_revoked = self.revocations.count();
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
        self.clock.set(at);
        if let Event::Watch = event {
            // Nothing else sees it (not even the clients' turn below), so the rest of the
            // run takes the same path with or without watchers.
            self.start_watch();
            return Ok(());
        }
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
                        // The lease duties' round (production: a task every 100 ms).
                        let extend = self.members[member].identity.election_timeout();
                        if let Some(running) = &self.members[member].running {
                            let proposals = leases::expiry_round(
                                running,
                                extend,
                                &mut self.next_member_request,
                            );
                            for proposal in proposals {
                                self.handle(member, proposal)?;
                            }
                        }
                        self.watchers
                            .tick(member, &self.members, &mut self.watch_rng);
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
            Event::KeepAlive { client } => {
                let net = &self.net;
                let reaches = |a: usize, b: usize| !net.blocked(a, b);
                let sent = self.clients.keep_alive(
                    client,
                    self.now,
                    &mut self.rng,
                    &self.members,
                    &reaches,
                );
                if let Some((m, message)) = sent {
                    self.handle(m, message)?;
                }
                let next = Duration::from_millis(self.rng.gen_range(300..700));
                self.schedule(next, Event::KeepAlive { client });
            }
            Event::Restart { member } => {
                if self.members[member].running.is_none() && !self.members[member].retired {
                    self.start_member(member)?;
                }
            }
            Event::Watch => {} // handled above
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
        let now = self.clock.instant();
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

    fn start_watch(&mut self) {
        if !self.clients.stopped() {
            let m = self.watch_rng.gen_range(0..self.members.len());
            let incarnation = self.incarnations[m];
            self.watchers
                .create(m, incarnation, &self.members, &mut self.watch_rng);
            let next = Duration::from_millis(self.watch_rng.gen_range(100..600));
            self.schedule(next, Event::Watch);
        }
    }

    fn retire(&mut self, m: usize) {
        for client in self.clients.member_crashed(m) {
            self.schedule(Duration::ZERO, Event::ClientTurn { client });
        }
        if let Some(running) = self.members[m].running.take() {
            self.members[m].watched.push(running.events.take());
        }
        self.watchers.member_down(m);
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

    fn poll_clients(&mut self) -> Result<(), String> {
        let stamp = self.stamp();
        let now = self.now;
        let next_turns = self.clients.poll(stamp, now, &self.members, &mut self.rng);
        for (client, think) in next_turns {
            self.schedule(think, Event::ClientTurn { client });
        }
        for (m, proposal) in self.clients.poll_keep_alives(now, &self.members) {
            self.handle(m, proposal)?;
        }
        self.poll_change()
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
