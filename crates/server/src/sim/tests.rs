//! Seeds in CI, exact replay, the planted bug, and the soak and replay commands.

use std::time::{Duration, Instant};

use super::leases::planted as leases_planted;
use super::{run, Failure, Plan, Summary};
use crate::consensus::node::planted as node_planted;
use crate::state::lessor::planted as lessor_planted;
use crate::watch::planted as watch_planted;

fn root() -> tempfile::TempDir {
    // tmpfs where there is one: fdatasync costs nothing there, and a run is all small files.
    let shm = std::path::Path::new("/dev/shm");
    let builder = &mut tempfile::Builder::new();
    builder.prefix("oxcd-sim-");
    match shm.is_dir() {
        true => builder.tempdir_in(shm).or_else(|_| builder.tempdir()),
        false => builder.tempdir(),
    }
    .expect("temp dir")
}

fn run_seed(seed: u64) -> Result<Summary, Failure> {
    run_plan(seed, &Plan::for_seed(seed))
}

fn run_plan(seed: u64, plan: &Plan) -> Result<Summary, Failure> {
    let dir = root();
    run(seed, plan, dir.path())
}

fn add(total: &mut Summary, s: &Summary) {
    total.simulated += s.simulated;
    total.operations += s.operations;
    total.acknowledged += s.acknowledged;
    total.crashes += s.crashes;
    total.power_cuts += s.power_cuts;
    total.fsync_failures += s.fsync_failures;
    total.snapshots_installed += s.snapshots_installed;
    total.compacted_revisions += s.compacted_revisions;
    total.membership_changes += s.membership_changes;
    total.leases_granted += s.leases_granted;
    total.lease_renewals += s.lease_renewals;
    total.leases_revoked += s.leases_revoked;
    total.watchers += s.watchers;
    total.watch_events += s.watch_events;
    total.messages += s.messages;
}

/// A planted bug: a switch that a thread sets to run the code with the bug.
type Plant = &'static std::thread::LocalKey<std::cell::Cell<bool>>;

fn run_seeds(first: u64, count: u64) -> Result<(Summary, u64), Failure> {
    run_seeds_with(first, count, None, Plan::for_seed)
}

/// Runs `count` seeds from `first` on every core (each run is one thread of its own), with
/// `plant` set in each; returns the totals or the failure of the lowest failing seed.
fn run_seeds_with(
    first: u64,
    count: u64,
    plant: Option<Plant>,
    plan: fn(u64) -> Plan,
) -> Result<(Summary, u64), Failure> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let results: Vec<Result<Summary, Failure>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    if let Some(plant) = plant {
                        plant.with(|p| p.set(true));
                    }
                    let mut total = Summary::default();
                    for seed in (first + t..first + count).step_by(threads as usize) {
                        add(&mut total, &run_plan(seed, &plan(seed))?);
                    }
                    Ok(total)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .expect("a simulation thread panicked outside a run")
            })
            .collect()
    });
    let mut total = Summary::default();
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(s) => add(&mut total, &s),
            Err(f) => failures.push(f),
        }
    }
    match failures.into_iter().min_by_key(|f| f.seed) {
        Some(failure) => Err(failure),
        None => Ok((total, count)),
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn report(label: &str, total: &Summary, seeds: u64, wall: Duration) {
    println!(
        "{label}: {seeds} seeds, {:.0} simulated s in {:.1} wall s ({:.0} simulated min per wall min); \
         {} client operations ({} acknowledged writes), {} crashes ({} power cuts, {} failed \
         fdatasyncs), {} snapshots sent, {} membership changes, {} revisions compacted, {} leases \
         granted ({} keep-alives, {} revoked), {} watchers ({} events), {} messages",
        total.simulated.as_secs_f64(),
        wall.as_secs_f64(),
        total.simulated.as_secs_f64() / wall.as_secs_f64().max(1e-9),
        total.operations,
        total.acknowledged,
        total.crashes,
        total.power_cuts,
        total.fsync_failures,
        total.snapshots_installed,
        total.membership_changes,
        total.compacted_revisions,
        total.leases_granted,
        total.lease_renewals,
        total.leases_revoked,
        total.watchers,
        total.watch_events,
        total.messages
    );
}

/// The seeds CI runs (`OXCD_SIM_SEEDS` of them, from `OXCD_SIM_FIRST`).
#[test]
fn simulated_clusters_keep_every_acknowledged_write() {
    let (first, count) = (
        env_u64("OXCD_SIM_FIRST", 0),
        env_u64("OXCD_SIM_SEEDS", 2000),
    );
    let started = Instant::now();
    match run_seeds(first, count) {
        Ok((total, seeds)) => report("simulation", &total, seeds, started.elapsed()),
        Err(failure) => panic!("{failure}"),
    }
}

/// A bug the simulation found, planted back, with a seed that fails with it and passes without
/// it under `plan`. (A seed's path depends on every choice the simulation makes, so a change to
/// the simulator or the code it runs may need new seeds: `find_seeds_for_planted_bugs` finds
/// them.)
struct Found {
    bug: &'static str,
    plant: Plant,
    seed: u64,
    plan: fn(u64) -> Plan,
}

impl Found {
    const fn new(bug: &'static str, plant: Plant, seed: u64, plan: fn(u64) -> Plan) -> Found {
        Found {
            bug,
            plant,
            seed,
            plan,
        }
    }
}

const FOUND: &[Found] = &[
    // After a restart, a member's read-index contexts started again from the same counter, so
    // the leader's late answer to a read of the member's previous run (still queued for it)
    // answered a new read with an old index: a stale linearizable read (first found by seed
    // 6167). Contexts now carry the boot count.
    Found::new(
        "read-index contexts reused after a restart",
        &node_planted::READ_CTX_WITHOUT_BOOT,
        6167,
        generation_1,
    ),
    // A snapshot install replaced a member's store without telling its watch hub, so its
    // watchers never saw the revisions the snapshot brought: a watch on a lagging follower
    // silently skipped events (found by the first seeds once watchers were simulated; seed 7
    // now). The hub now catches them up from the new store's history, as etcd does.
    Found::new(
        "watchers not caught up after a snapshot install",
        &watch_planted::RESTORE_UNANNOUNCED,
        7,
        Plan::for_seed,
    ),
    // A checkpoint recorded the TTL left even when a promotion's extension had made it longer
    // than the granted TTL, so each leader change extended the lease again: a 4 s lease last
    // renewed at 5.7 s lived until 20.9 s (seed 1093 of generation 2; seed 2763 now). As
    // etcd, such a lease is no longer checkpointed.
    Found::new(
        "lease checkpoints past the granted TTL",
        &lessor_planted::CHECKPOINT_PAST_TTL,
        2763,
        Plan::for_seed,
    ),
    // A leader renewed leases without confirming its leadership: cut off from its followers,
    // it had not stepped down yet, and the deadline it gave outlived the one the new leader
    // kept, which had just renewed the lease itself (seed 20233 of generation 3: a lease
    // revoked at 14.29 s, its client told 14.78 s; seed 2620 now). Member::renew now confirms
    // leadership with a read index first; the plant is in the simulator's model of that call.
    Found::new(
        "keep-alives renewed by a leader that did not confirm its leadership",
        &leases_planted::RENEW_WITHOUT_CONFIRMING,
        2620,
        Plan::for_seed,
    ),
    // Issue 14's first finding (by reading the code): a snapshot from the leader was installed
    // backend first, so a power cut before the WAL recorded it left a backend ahead of a WAL
    // whose entries past its commit index were stale, which the next start took as committed.
    // Seed 10832 (one of the first 20,000 of generation 4, which arms power cuts for snapshot
    // installs) ends with that member's raft log at index 4 under a backend at 24: it never
    // catches up.
    Found::new(
        "snapshot installed backend first",
        &node_planted::INSTALL_BACKEND_FIRST,
        10832,
        Plan::for_seed,
    ),
];

/// The simulation of generation 1, before leases and watchers.
fn generation_1(seed: u64) -> Plan {
    Plan {
        generation: 1,
        ..Plan::for_seed(seed)
    }
}

#[test]
fn bugs_the_simulation_found_stay_fixed() {
    for found in FOUND {
        let (seed, plan) = (found.seed, (found.plan)(found.seed));
        found.plant.with(|p| p.set(true));
        let planted = run_plan(seed, &plan);
        found.plant.with(|p| p.set(false));
        assert!(
            planted.is_err(),
            "seed {seed} no longer finds the bug ({}): re-run find_seeds_for_planted_bugs",
            found.bug
        );
        if let Err(failure) = run_plan(seed, &plan) {
            panic!("{}: {failure}", found.bug);
        }
    }
}

/// `OXCD_SIM_SEEDS=20000 cargo test -p oxcd-server --lib sim::tests::find_seeds -- --ignored --nocapture`
/// (`OXCD_SIM_BUG=<words>`: only the bugs whose description contains them).
#[test]
#[ignore]
fn find_seeds_for_planted_bugs() {
    let count = env_u64("OXCD_SIM_SEEDS", 20_000);
    let only = std::env::var("OXCD_SIM_BUG").unwrap_or_default();
    for found in FOUND.iter().filter(|f| f.bug.contains(&only)) {
        let first = env_u64("OXCD_SIM_FIRST", 0);
        match run_seeds_with(first, count, Some(found.plant), found.plan) {
            Err(failure) => println!(
                "{}: seed {} fails: {}",
                found.bug, failure.seed, failure.reason
            ),
            Ok(_) => println!("{}: no seed of {count} fails", found.bug),
        }
    }
}

#[test]
fn a_seed_replays_exactly() {
    let seed = 7;
    let first = run_seed(seed).unwrap_or_else(|f| panic!("{f}"));
    let second = run_seed(seed).unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(first.trace, second.trace, "{first:?}\n{second:?}");
    assert_eq!(first.messages, second.messages);
    assert_eq!(first.operations, second.operations);
    let busy = first.operations > 30 && first.leases_granted > 0 && first.watch_events > 0;
    assert!(first.crashes > 0 && busy, "{first:?}");
}

/// Bugs planted to show that the simulation finds them: the first seed from `first` that
/// fails with the bug must fail the same way on replay, and pass without it.
const PLANTED: &[(&str, Plant, u64)] = &[
    // A follower acknowledges appended entries before its WAL save, so a power cut during the
    // save loses entries the leader counted.
    (
        "acknowledged before fdatasync",
        &node_planted::ACK_BEFORE_FSYNC,
        1000,
    ),
    // The primary answers keep-alives without moving the deadline: it revokes the lease before
    // the deadline its client was given.
    (
        "keep-alives that do not renew",
        &lessor_planted::RENEW_WITHOUT_REFRESH,
        1000,
    ),
];

#[test]
fn planted_bugs_are_found() {
    for (bug, plant, first) in PLANTED {
        plant.with(|p| p.set(true));
        let tries = env_u64("OXCD_SIM_PLANTED_SEEDS", 150);
        let found = (*first..first + tries).find_map(|seed| run_seed(seed).err());
        let failure = found.unwrap_or_else(|| panic!("no seed found the planted bug: {bug}"));
        println!("planted bug found ({bug}): {failure}");
        let again = run_seed(failure.seed).expect_err("the failing seed passes on replay");
        plant.with(|p| p.set(false));
        assert_eq!(again.reason, failure.reason);
        assert!(
            run_seed(failure.seed).is_ok(),
            "seed {} fails without the bug ({bug}) too",
            failure.seed
        );
    }
}

/// `OXCD_SIM_SEED=<seed> cargo test -p oxcd-server --lib sim::tests::replay -- --ignored --nocapture`
/// (`OXCD_SIM_GENERATION=<n>`: the simulation of an earlier generation; `OXCD_SIM_BUG=<words>`:
/// with the found bugs whose description contains them planted back)
#[test]
#[ignore]
fn replay() {
    let seed = env_u64("OXCD_SIM_SEED", 0);
    let generation = env_u64("OXCD_SIM_GENERATION", super::GENERATION as u64) as u32;
    let plan = Plan {
        generation,
        ..Plan::for_seed(seed)
    };
    if let Ok(words) = std::env::var("OXCD_SIM_BUG") {
        for found in FOUND.iter().filter(|f| f.bug.contains(&words)) {
            println!("planted: {}", found.bug);
            found.plant.with(|p| p.set(true));
        }
    }
    match run_plan(seed, &plan) {
        Ok(summary) => println!("seed {seed} passed: {summary:?}"),
        Err(failure) => panic!("{failure}"),
    }
}

/// A longer soak: `OXCD_SIM_MINUTES` of seeds from `OXCD_SIM_FIRST` (scripts/simulate.sh).
#[test]
#[ignore]
fn soak() {
    let minutes = env_u64("OXCD_SIM_MINUTES", 5);
    let mut seed = env_u64("OXCD_SIM_FIRST", 1_000_000);
    let started = Instant::now();
    let mut total = Summary::default();
    let mut seeds = 0;
    while started.elapsed() < Duration::from_secs(60 * minutes) {
        let batch = 20;
        match run_seeds(seed, batch) {
            Ok((s, _)) => add(&mut total, &s),
            Err(failure) => panic!("{failure}"),
        }
        seed += batch;
        seeds += batch;
    }
    report("soak", &total, seeds, started.elapsed());
}
