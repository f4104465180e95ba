//! Seeds in CI, exact replay, the planted bug, and the soak and replay commands.

use std::time::{Duration, Instant};

use super::{run, Failure, Plan, Summary};
use crate::consensus::node::planted;

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
    let dir = root();
    run(seed, &Plan::for_seed(seed), dir.path())
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
    total.messages += s.messages;
}

/// A bug planted in the node loop, for the threads that run seeds.
type Plant = Option<&'static std::thread::LocalKey<std::cell::Cell<bool>>>;

fn run_seeds(first: u64, count: u64) -> Result<(Summary, u64), Failure> {
    run_seeds_with(first, count, None)
}

/// Runs `count` seeds from `first` on every core (each run is one thread of its own), with
/// `plant` set in each; returns the totals or the failure of the lowest failing seed.
fn run_seeds_with(first: u64, count: u64, plant: Plant) -> Result<(Summary, u64), Failure> {
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
                        add(&mut total, &run_seed(seed)?);
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
         fdatasyncs), {} snapshots sent, {} membership changes, {} revisions compacted, {} messages",
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

/// Bugs the simulation found, each planted back with a seed that fails with it, and passes
/// without it. (A seed's path depends on every choice the simulation makes, so a change to the
/// simulator or the code it runs may need new seeds: `find_seeds_for_planted_bugs` finds them.)
const FOUND: &[(&str, &std::thread::LocalKey<std::cell::Cell<bool>>, u64)] = &[
    // After a restart, a member's read-index contexts started again from the same counter, so
    // the leader's late answer to a read of the member's previous run (still queued for it)
    // answered a new read with an old index: a stale linearizable read (first found by seed
    // 6167). Contexts now carry the boot count.
    (
        "read-index contexts reused after a restart",
        &planted::READ_CTX_WITHOUT_BOOT,
        FOUND_READ_CTX_SEED,
    ),
];
const FOUND_READ_CTX_SEED: u64 = 6167;

#[test]
fn bugs_the_simulation_found_stay_fixed() {
    for (bug, plant, seed) in FOUND {
        plant.with(|p| p.set(true));
        let planted = run_seed(*seed);
        plant.with(|p| p.set(false));
        assert!(
            planted.is_err(),
            "seed {seed} no longer finds the bug ({bug}): re-run find_seeds_for_planted_bugs"
        );
        if let Err(failure) = run_seed(*seed) {
            panic!("{bug}: {failure}");
        }
    }
}

/// `OXCD_SIM_SEEDS=20000 cargo test -p oxcd-server --lib sim::tests::find_seeds -- --ignored --nocapture`
#[test]
#[ignore]
fn find_seeds_for_planted_bugs() {
    let count = env_u64("OXCD_SIM_SEEDS", 20_000);
    for (bug, plant, _) in FOUND {
        match run_seeds_with(env_u64("OXCD_SIM_FIRST", 0), count, Some(plant)) {
            Err(failure) => println!("{bug}: seed {} fails: {}", failure.seed, failure.reason),
            Ok(_) => println!("{bug}: no seed of {count} fails"),
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
    assert!(first.crashes > 0 && first.operations > 50, "{first:?}");
}

/// With a bug planted in the node loop (a follower acknowledges appended entries before its
/// WAL save, so a power cut during the save loses entries the leader counted), the simulation
/// finds a failing seed, and that seed replays to the same failure.
#[test]
fn a_planted_bug_is_found() {
    planted::ACK_BEFORE_FSYNC.with(|p| p.set(true));
    let found =
        (1000..1000 + env_u64("OXCD_SIM_PLANTED_SEEDS", 150)).find_map(|seed| run_seed(seed).err());
    let failure = found.expect("no seed found the planted bug");
    println!("planted bug found: {failure}");
    let again = run_seed(failure.seed).expect_err("the failing seed passes on replay");
    planted::ACK_BEFORE_FSYNC.with(|p| p.set(false));
    assert_eq!(again.reason, failure.reason);
    assert!(
        run_seed(failure.seed).is_ok(),
        "the seed fails without the bug too"
    );
}

/// `OXCD_SIM_SEED=<seed> cargo test -p oxcd-server --lib sim::tests::replay -- --ignored --nocapture`
#[test]
#[ignore]
fn replay() {
    let seed = env_u64("OXCD_SIM_SEED", 0);
    match run_seed(seed) {
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
