//! Multi-member clusters with real processes: replication, linearizable reads on followers,
//! failover after `kill -9` of the leader with no acknowledged write lost, convergence to the same
//! HashKV, and leadership handed over on a graceful stop.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{members, Server};
use etcd_client::{Client, GetOptions};

fn start_cluster(size: usize, extra: &[&str]) -> Vec<Server> {
    let mut members = Server::cluster(size, extra);
    members::start_all(&mut members);
    members
}

/// The index of a member (other than `skip`) that leads, waiting up to `timeout`.
async fn wait_for_leader(members: &[Server], skip: Option<usize>, timeout: Duration) -> usize {
    let skip: Vec<usize> = skip.into_iter().collect();
    members::wait_for_leader(members, &skip, timeout).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_serve_linearizable_reads_of_writes_made_elsewhere() {
    let members = start_cluster(3, &[]);
    let mut writers: Vec<Client> = Vec::new();
    for m in &members {
        writers.push(members::connect(m).await);
    }
    for i in 0..30 {
        let (w, r) = (i % 3, (i + 1) % 3);
        let put = writers[w]
            .put(format!("k{i}"), format!("v{i}"), None)
            .await
            .unwrap();
        let got = writers[r].get(format!("k{i}"), None).await.unwrap();
        assert_eq!(
            got.kvs()[0].value(),
            format!("v{i}").as_bytes(),
            "read on member {r} after write on {w}"
        );
        assert!(got.header().unwrap().revision() >= put.header().unwrap().revision());
    }
    // Every member reports the same cluster and the same members, with names and client URLs.
    let mut cluster_ids = Vec::new();
    for c in &mut writers {
        let list = c.member_list().await.unwrap();
        cluster_ids.push(list.header().unwrap().cluster_id());
        assert_eq!(list.members().len(), 3);
        assert!(list
            .members()
            .iter()
            .all(|m| !m.name().is_empty() && !m.client_urls().is_empty()));
    }
    assert!(cluster_ids.windows(2).all(|w| w[0] == w[1]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leader_kill_9_under_load_loses_no_acknowledged_write_and_members_converge() {
    let mut members = start_cluster(3, &["--snapshot-count", "200"]);
    let old_leader = wait_for_leader(&members, None, Duration::from_secs(10)).await;
    let acked: Arc<Mutex<BTreeMap<String, i64>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for w in 0..6 {
        let endpoint = members[(old_leader + 1 + w % 2) % 3].endpoint();
        let (acked, stop) = (acked.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Client::connect([endpoint], None).await.unwrap();
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let key = format!("w{w}/{i:06}");
                i += 1;
                if let Ok(Ok(resp)) =
                    tokio::time::timeout(Duration::from_secs(3), c.put(key.clone(), "v", None))
                        .await
                {
                    acked
                        .lock()
                        .unwrap()
                        .insert(key, resp.header().unwrap().revision());
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before_kill = acked.lock().unwrap().len();
    members[old_leader].kill9();
    let killed_at = Instant::now();
    let new_leader = wait_for_leader(&members, Some(old_leader), Duration::from_secs(10)).await;
    let election = killed_at.elapsed();
    assert_ne!(new_leader, old_leader);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        before_kill > 0 && acked.len() > before_kill,
        "writes continue after failover ({before_kill} -> {})",
        acked.len()
    );
    eprintln!(
        "new leader after {election:?}; {} writes acknowledged",
        acked.len()
    );

    members[old_leader].restart();
    // Every member, the restarted one included, ends with every acknowledged write at its revision
    // and the same HashKV.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut hashes = Vec::new();
    for m in &members {
        let mut c = members::connect(m).await;
        loop {
            let all = c
                .get(
                    "w",
                    Some(GetOptions::new().with_prefix().with_serializable()),
                )
                .await
                .unwrap();
            let stored: BTreeMap<String, i64> = all
                .kvs()
                .iter()
                .map(|kv| (kv.key_str().unwrap().to_string(), kv.mod_revision()))
                .collect();
            if acked.iter().all(|(k, rev)| stored.get(k) == Some(rev)) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "member {} never caught up with the acknowledged writes",
                m.name
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let mut leader = members::connect(&members[new_leader]).await;
    let rev = leader
        .get("w", Some(GetOptions::new().with_count_only().with_prefix()))
        .await
        .unwrap()
        .header()
        .unwrap()
        .revision();
    for m in &members {
        let mut c = members::connect(m).await;
        loop {
            let at = c
                .get(
                    "w",
                    Some(
                        GetOptions::new()
                            .with_count_only()
                            .with_prefix()
                            .with_serializable(),
                    ),
                )
                .await
                .unwrap();
            if at.header().unwrap().revision() >= rev {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "member {} stuck below revision {rev}",
                m.name
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        hashes.push(c.maintenance_client().hash_kv(rev).await.unwrap().hash());
    }
    assert!(
        hashes.windows(2).all(|w| w[0] == w[1]),
        "members diverged: {hashes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_stop_of_the_leader_hands_leadership_over() {
    let mut members = start_cluster(3, &["--log-level", "info"]);
    let old_leader = wait_for_leader(&members, None, Duration::from_secs(10)).await;
    let status = members[old_leader].stop_with(libc::SIGTERM);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGTERM));
    assert!(
        members[old_leader]
            .log()
            .contains("leadership transfer starting before stop"),
        "{}",
        members[old_leader].log()
    );
    // The transferee leads at once: no election timeout passes without a leader.
    let new_leader = wait_for_leader(&members, Some(old_leader), Duration::from_secs(5)).await;
    let mut c = members::connect(&members[new_leader]).await;
    c.put("after", "stop", None).await.unwrap();
}

/// etcd's initial election tick advance: members started together tick an election timeout
/// less two heartbeats at once when they reach each other, so a leader is elected within the
/// random part of raft's timeout instead of after a whole timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_restarted_together_elect_a_leader_before_an_election_timeout() {
    let mut members = start_cluster(3, &["--log-level", "info"]);
    wait_for_leader(&members, None, Duration::from_secs(10)).await;
    // Killed together once nothing is being written, every member keeps the same log, so any of
    // them may win the next election (a graceful stop would hand leadership on, and the member
    // stopped first could be left behind, its pre-vote refused).
    tokio::time::sleep(Duration::from_secs(2)).await;
    for m in &mut members {
        m.stop_with(libc::SIGKILL);
    }
    // Raft draws each member's timeout from [20 s, 40 s): without the advance, none campaigns
    // before 20 s of ticks. With it, each campaigns 0.2-20.2 s after its peers connect, and the
    // earliest of three after 19 s about once in a thousand runs.
    for m in &mut members {
        m.extra
            .extend(["--election-timeout", "20000"].map(String::from));
        m.spawn();
    }
    let spawned = Instant::now();
    let leader = wait_for_leader(&members, None, Duration::from_secs(19)).await;
    assert!(spawned.elapsed() < Duration::from_secs(19));
    assert!(
        members[leader]
            .log()
            .contains("fast-forwarding election ticks"),
        "{}",
        members[leader].log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_leader_transfers_and_rejects_unknown_members() {
    let members = start_cluster(3, &[]);
    let leader = wait_for_leader(&members, None, Duration::from_secs(10)).await;
    let target = (leader + 1) % 3;
    let target_id = members::status(&members[target]).await.unwrap().member;
    let c = members::connect(&members[leader]).await;
    c.maintenance_client().move_leader(target_id).await.unwrap();
    assert_eq!(
        members::status(&members[leader]).await.unwrap().leader,
        target_id
    );
    let c = members::connect(&members[target]).await;
    let err = c.maintenance_client().move_leader(1234).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("etcdserver: bad leader transferee"),
        "{err}"
    );
    let follower = members::connect(&members[leader]).await;
    let err = follower
        .maintenance_client()
        .move_leader(target_id)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("etcdserver: not leader"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_too_far_behind_catches_up_from_a_streamed_snapshot() {
    let mut members = start_cluster(
        3,
        &[
            "--snapshot-count",
            "100",
            "--snapshot-catchup-entries",
            "20",
            "--log-level",
            "info",
        ],
    );
    let leader = wait_for_leader(&members, None, Duration::from_secs(10)).await;
    let lagging = (leader + 1) % 3;
    members[lagging].kill9();
    let mut c = members::connect(&members[leader]).await;
    for i in 0..400 {
        c.put(format!("s/{i:04}"), format!("v{i}"), None)
            .await
            .unwrap();
    }
    let rev = c
        .get("s/0399", None)
        .await
        .unwrap()
        .header()
        .unwrap()
        .revision();
    members[lagging].restart();
    let mut lag = members::connect(&members[lagging]).await;
    members::wait_local_count(&mut lag, "s/", 400, rev, || {
        format!(
            "lagging member never caught up:\n{}",
            members[lagging].log()
        )
    })
    .await;
    assert!(
        members[leader].log().contains("sending snapshot")
            || members[(leader + 2) % 3].log().contains("sending snapshot")
    );
    assert!(
        members[lagging]
            .log()
            .contains("installed snapshot from leader"),
        "{}",
        members[lagging].log()
    );
    let mut hashes = Vec::new();
    for m in &members {
        hashes.push(
            members::connect(m)
                .await
                .maintenance_client()
                .hash_kv(rev)
                .await
                .unwrap()
                .hash(),
        );
    }
    assert!(
        hashes.windows(2).all(|w| w[0] == w[1]),
        "members diverged: {hashes:?}"
    );
    // It keeps up with new writes too.
    c.put("after", "snapshot", None).await.unwrap();
    let got = lag.get("after", None).await.unwrap();
    assert_eq!(got.kvs()[0].value(), b"snapshot");
    // etcd's snapshot metrics saw the transfer on both ends.
    let metric = |m: &Server, prefix: &str| -> f64 {
        let (_, page) = common::http_get(m.client_port, "/metrics").expect("GET /metrics");
        page.lines()
            .filter(|l| l.starts_with(prefix))
            .filter_map(|l| l.rsplit_once(' ')?.1.parse::<f64>().ok())
            .sum()
    };
    let sent: f64 = members
        .iter()
        .map(|m| metric(m, "etcd_network_snapshot_send_success{"))
        .sum();
    assert!(sent >= 1.0, "no snapshot send counted");
    let receiver = &members[lagging];
    for (prefix, at_least) in [
        ("etcd_network_snapshot_receive_success{", 1.0),
        (
            "etcd_network_snapshot_receive_total_duration_seconds_count{",
            1.0,
        ),
        ("etcd_snap_db_save_total_duration_seconds_count", 1.0),
        ("etcd_snap_db_fsync_duration_seconds_count", 1.0),
    ] {
        assert!(
            metric(receiver, prefix) >= at_least,
            "{prefix} on the receiver"
        );
    }
    assert_eq!(
        metric(receiver, "etcd_network_snapshot_receive_inflights_total{"),
        0.0
    );
    assert_eq!(
        metric(receiver, "etcd_server_snapshot_apply_in_progress_total"),
        0.0
    );
}

/// A member started alone, then grown with a learner that is promoted, a voter, and shrunk again:
/// etcd's membership API end to end, with etcd's errors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grow_with_a_learner_promote_and_shrink() {
    let mut first = Server::start(&[]);
    let mut c = first.client().await;
    for i in 0..50 {
        c.put(format!("g/{i:02}"), "v", None).await.unwrap();
    }
    let mut joiners: Vec<Server> = Vec::new();
    for learner in [true, false] {
        let mut s = Server::cluster(1, &[]).pop().unwrap();
        s.name = format!("j{}", joiners.len());
        let peer = format!("http://127.0.0.1:{}", s.peer_port);
        let opts = if learner {
            etcd_client::MemberAddOptions::new().with_is_learner()
        } else {
            etcd_client::MemberAddOptions::new()
        };
        let added = c.member_add([peer.clone()], Some(opts)).await.unwrap();
        let member = added.member().unwrap().clone();
        assert_eq!(member.is_learner(), learner);
        assert_eq!(member.name(), "", "unstarted until it publishes");
        // etcd's refusals
        let dup = c.member_add([peer.clone()], None).await.unwrap_err();
        assert!(
            dup.to_string()
                .contains("etcdserver: Peer URLs already exists"),
            "{dup}"
        );
        if learner {
            let other = format!("http://127.0.0.1:{}", common::free_port());
            let opts = etcd_client::MemberAddOptions::new().with_is_learner();
            let err = c.member_add([other], Some(opts)).await.unwrap_err();
            assert!(
                err.to_string()
                    .contains("etcdserver: too many learner members in cluster"),
                "{err}"
            );
        }
        let mut spec: Vec<String> = added
            .member_list()
            .iter()
            .filter(|m| !m.name().is_empty())
            .map(|m| format!("{}={}", m.name(), m.peer_urls()[0]))
            .collect();
        spec.push(format!("{}={peer}", s.name));
        s.initial_cluster = Some(spec.join(","));
        s.extra = vec!["--initial-cluster-state".into(), "existing".into()];
        s.spawn();
        s.wait_healthy(Duration::from_secs(30));
        let mut j = s.client().await;
        // The newcomer replicated everything written before it joined.
        members::wait_local_count(&mut j, "g/", 50, 0, || {
            format!("joiner never caught up:\n{}", s.log())
        })
        .await;
        if learner {
            let err = j.put("x", "y", None).await.unwrap_err();
            assert!(
                err.to_string()
                    .contains("etcdserver: rpc not supported for learner"),
                "{err}"
            );
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                match c.member_promote(member.id()).await {
                    Ok(_) => break,
                    Err(e)
                        if e.to_string().contains("in sync with leader")
                            && Instant::now() < deadline =>
                    {
                        tokio::time::sleep(Duration::from_millis(200)).await
                    }
                    Err(e) => panic!("promote failed: {e}"),
                }
            }
            let err = c.member_promote(member.id()).await.unwrap_err();
            assert!(
                err.to_string()
                    .contains("etcdserver: can only promote a learner member"),
                "{err}"
            );
        }
        joiners.push(s);
    }
    let list = c.member_list().await.unwrap();
    assert_eq!(list.members().len(), 3);
    assert!(list
        .members()
        .iter()
        .all(|m| !m.is_learner() && !m.name().is_empty()));
    // Writes through the newest member reach the first.
    let mut last = joiners[1].client().await;
    last.put("from-joiner", "ok", None).await.unwrap();
    assert_eq!(
        c.get("from-joiner", None).await.unwrap().kvs()[0].value(),
        b"ok"
    );

    // Shrink: remove the first voter; the others keep serving.
    let first_id = c.status().await.unwrap().header().unwrap().member_id();
    let unknown = last.member_remove(1234).await.unwrap_err();
    assert!(
        unknown.to_string().contains("etcdserver: member not found"),
        "{unknown}"
    );
    last.member_remove(first_id).await.unwrap();
    let exited = first.wait_exit(Duration::from_secs(10));
    assert!(exited.is_some(), "a removed member stops");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(r) = last.put("after-remove", "ok", None).await {
            assert!(r.header().unwrap().revision() > 0);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the two remaining members stopped serving"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(last.member_list().await.unwrap().members().len(), 2);
}
