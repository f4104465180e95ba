//! Five members under a concurrent write load: `kill -9` of a minority at once (with and without
//! the leader), and of every member at once. No acknowledged write may be lost, and after the
//! restarts every member holds the same keys and the same HashKV.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::members::{
    connect, current_revision, hash_kv_at, start_all, wait_all_hold, wait_for_leader,
};
use common::Server;
use tokio::task::JoinHandle;

/// Snapshots (and WAL release behind them) happen during the runs, so restarts replay from a
/// snapshot plus the WAL rather than from an untouched log.
const ARGS: &[&str] = &["--snapshot-count", "300"];
const PUT_TIMEOUT: Duration = Duration::from_secs(3);
const CONVERGE: Duration = Duration::from_secs(30);

/// One writer per member, each putting fresh keys under `prefix` and recording every write that
/// was acknowledged, with the revision it was acknowledged at.
struct WriteLoad {
    acked: Arc<Mutex<BTreeMap<String, i64>>>,
    stop: Arc<AtomicBool>,
    writers: Vec<JoinHandle<()>>,
}

impl WriteLoad {
    async fn start(members: &[Server], prefix: &str) -> WriteLoad {
        let acked: Arc<Mutex<BTreeMap<String, i64>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for (w, m) in members.iter().enumerate() {
            let mut client = connect(m).await;
            let (acked, stop, prefix) = (acked.clone(), stop.clone(), prefix.to_string());
            writers.push(tokio::spawn(async move {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let key = format!("{prefix}w{w}/{i:06}");
                    i += 1;
                    match tokio::time::timeout(PUT_TIMEOUT, client.put(key.clone(), "v", None))
                        .await
                    {
                        Ok(Ok(resp)) => {
                            let rev = resp.header().expect("put header").revision();
                            acked.lock().expect("acked lock").insert(key, rev);
                        }
                        // Its member is down or has no leader: do not spin.
                        _ => tokio::time::sleep(Duration::from_millis(50)).await,
                    }
                }
            }));
        }
        WriteLoad {
            acked,
            stop,
            writers,
        }
    }

    fn acked(&self) -> usize {
        self.acked.lock().expect("acked lock").len()
    }

    async fn stop(self) -> BTreeMap<String, i64> {
        self.stop.store(true, Ordering::Relaxed);
        for w in self.writers {
            tokio::time::timeout(PUT_TIMEOUT + Duration::from_secs(2), w)
                .await
                .expect("a writer did not stop")
                .expect("writer task");
        }
        let acked = self.acked.lock().expect("acked lock").clone();
        // Every put makes a new revision, so two acknowledgements naming the same one mean a
        // member answered its client with the result of some other request.
        let mut by_revision: BTreeMap<i64, &str> = BTreeMap::new();
        for (key, rev) in &acked {
            if let Some(other) = by_revision.insert(*rev, key) {
                panic!(
                    "two acknowledged puts report revision {rev}: {other} and {key} (the writer \
                     number after the prefix is the member each went through)"
                );
            }
        }
        acked
    }
}

/// After the writes stop: every member holds every acknowledged write, and all have the same
/// HashKV at the revision the cluster reached.
async fn assert_converged(members: &[Server], prefix: &str, acked: &BTreeMap<String, i64>) {
    wait_all_hold(members, prefix, acked, CONVERGE).await;
    let (leader, _) = wait_for_leader(members, &[], Duration::from_secs(10)).await;
    let rev = current_revision(&members[leader]).await;
    let hashes = hash_kv_at(members, rev, CONVERGE).await;
    assert!(
        hashes.windows(2).all(|w| w[0] == w[1]),
        "members diverged at revision {rev}: {hashes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_minority_killed_at_once_loses_no_acknowledged_write_and_members_converge() {
    let mut members = Server::cluster(5, ARGS);
    start_all(&mut members);
    for (run, with_leader) in [(1, true), (2, false)] {
        let (leader, view) = wait_for_leader(&members, &[], Duration::from_secs(10)).await;
        let victims = if with_leader {
            [leader, (leader + 1) % 5]
        } else {
            [(leader + 1) % 5, (leader + 2) % 5]
        };
        let prefix = format!("run{run}/");
        let load = WriteLoad::start(&members, &prefix).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        for &v in &victims {
            members[v].kill9();
        }
        let killed = Instant::now();
        let acked_at_kill = load.acked();
        let (new_leader, new_view) =
            wait_for_leader(&members, &victims, Duration::from_secs(15)).await;
        let election = killed.elapsed();
        if !with_leader {
            assert_eq!(
                (new_leader, new_view.term),
                (leader, view.term),
                "a leader that kept its quorum lost leadership"
            );
        }
        // The three survivors keep serving. (Writes that were forwarded to a killed leader are
        // lost with it and wait out their time-out first.)
        let deadline = killed + Duration::from_secs(20);
        let serving = loop {
            if load.acked() >= acked_at_kill + 20 {
                break killed.elapsed();
            }
            assert!(
                Instant::now() < deadline,
                "run {run}: only {} writes acknowledged with two members down",
                load.acked() - acked_at_kill
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        tokio::time::sleep(Duration::from_millis(500)).await;
        let acked_while_down = load.acked() - acked_at_kill;
        for &v in &victims {
            members[v].spawn();
        }
        for &v in &victims {
            members[v].wait_healthy(Duration::from_secs(30));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let acked = load.stop().await;
        assert_converged(&members, &prefix, &acked).await;
        eprintln!(
            "run {run}: killed {}{}; leader after {election:?}, 20 writes acknowledged after \
             {serving:?}; {} writes acknowledged, {acked_while_down} of them while two members \
             were down; converged",
            victims
                .iter()
                .map(|&v| members[v].name.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
            if with_leader { " (the leader)" } else { "" },
            acked.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_member_killed_at_once_comes_back_with_every_acknowledged_write() {
    let mut members = Server::cluster(5, ARGS);
    start_all(&mut members);
    wait_for_leader(&members, &[], Duration::from_secs(10)).await;
    let load = WriteLoad::start(&members, "all/").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while load.acked() < 100 {
        assert!(
            Instant::now() < deadline,
            "only {} writes acknowledged",
            load.acked()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for m in &mut members {
        m.kill9();
    }
    let acked = load.stop().await;
    let restarted = Instant::now();
    start_all(&mut members);
    let (leader, _) = wait_for_leader(&members, &[], Duration::from_secs(15)).await;
    let back = restarted.elapsed();
    assert_converged(&members, "all/", &acked).await;
    let mut c = connect(&members[leader]).await;
    c.put("after-restart", "ok", None)
        .await
        .expect("write after the restart");
    eprintln!(
        "all 5 killed with {} writes acknowledged; serving again {back:?} after restarting, \
         none lost; converged",
        acked.len()
    );
}
