//! The backend quota in a cluster of three, differentially: one member has a small
//! `--quota-backend-bytes` (the others the default), and the real etcdctl 3.4 writes through it
//! until it answers NOSPACE, then walks the same steps against the real etcd 3.4 and against
//! oxcd. The quota is checked on the member that receives a write, and a NOSPACE alarm raised by
//! any member makes every member refuse writes. Every answer must match once member IDs, ports
//! and revisions are masked: `alarm list` names the small member on every member; puts, a lease
//! grant and a txn through the others are refused too; reads, deletes and compaction work
//! everywhere; every acknowledged put is readable on every member; after compaction, defrag and
//! `alarm disarm`, writes work on every member again; the members' HashKV agree at the end.
//! Then: `alarm list` is linearizable on every member, as etcd's; and (ignored until oxcd has
//! it) etcd's second check, at apply on every member against its own quota.

mod common;

use common::etcd::{etcdctl_outcome, mask_after, Etcd};
use common::etcd_bins::tools_present;
use common::members::start_all;
use common::{free_port, Server};
use std::path::Path;
use std::time::{Duration, Instant};

/// The small member's quota: about fifty 40 kB values.
const SMALL_QUOTA: &str = "2000000";
const VALUE_BYTES: u32 = 40_000;
const NOSPACE: &str = "etcdserver: mvcc: database space exceeded";

fn value() -> Vec<u8> {
    (0..VALUE_BYTES).map(|i| b'a' + (i % 26) as u8).collect()
}

/// The member ID of the server on `port`, from `endpoint status`.
fn member_id(port: u16) -> u64 {
    let (code, out) = etcdctl_outcome(port, &["endpoint", "status", "-w", "json"], b"");
    assert_eq!(code, 0, "endpoint status: {out}");
    let status: serde_json::Value = serde_json::from_str(&out).expect("endpoint status json");
    status[0]["Status"]["header"]["member_id"]
        .as_u64()
        .unwrap_or_else(|| panic!("no member_id in {out}"))
}

/// The keys under `k` with their values, as the member on `port` serves them (linearizably).
fn stored(port: u16) -> Vec<(String, String)> {
    let (code, out) = etcdctl_outcome(port, &["get", "k", "--prefix"], b"");
    assert_eq!(code, 0, "get --prefix: {out}");
    let lines: Vec<&str> = out.lines().collect();
    lines
        .chunks(2)
        .map(|kv| (kv[0].to_string(), kv.get(1).unwrap_or(&"").to_string()))
        .collect()
}

/// What the member on `port` holds of the acknowledged puts `k{i}` (i in `kept`), as one line.
/// The put refused as it crossed the quota (`refused`) may be there or not: etcd applies a write
/// its applier finds over the quota and answers NOSPACE all the same (its `quotaApplierV3`),
/// which happens when the write passed the check on arrival, against a backend size that had not
/// counted the previous writes yet.
fn holds(port: u16, kept: &[usize], refused: &str) -> String {
    let value = String::from_utf8(value()).expect("ascii");
    let mut expected: Vec<(String, String)> = kept
        .iter()
        .map(|i| (format!("k{i}"), value.clone()))
        .collect();
    expected.sort();
    let mut stored = stored(port);
    stored.retain(|(k, v)| k != refused || *v != value);
    if stored == expected {
        "holds every acknowledged put".to_string()
    } else {
        let missing: Vec<&String> = expected
            .iter()
            .filter(|kv| !stored.contains(kv))
            .map(|(k, _)| k)
            .collect();
        let extra: Vec<&String> = stored
            .iter()
            .filter(|kv| !expected.contains(kv))
            .map(|(k, _)| k)
            .collect();
        format!("missing or changed {missing:?}, unexpected {extra:?}")
    }
}

/// The revision of the cluster, read linearizably through the member on `port`.
fn revision(port: u16) -> i64 {
    let (code, out) = etcdctl_outcome(port, &["get", "nothing", "-w", "json"], b"");
    assert_eq!(code, 0, "get: {out}");
    let got: serde_json::Value = serde_json::from_str(&out).expect("get json");
    got["header"]["revision"]
        .as_i64()
        .unwrap_or_else(|| panic!("no revision in {out}"))
}

/// Every member's HashKV at `rev` (waiting, 10 s at most, for members that have not applied it).
fn hashes_at(ports: &[u16; 3], rev: i64) -> Vec<u64> {
    ports
        .iter()
        .map(|&port| {
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let rev = format!("--rev={rev}");
                let (code, out) =
                    etcdctl_outcome(port, &["endpoint", "hashkv", &rev, "-w", "json"], b"");
                if code == 0 {
                    let hash: serde_json::Value = serde_json::from_str(&out).expect("hashkv json");
                    break hash[0]["HashKV"]["hash"]
                        .as_u64()
                        .unwrap_or_else(|| panic!("no hash in {out}"));
                }
                assert!(
                    Instant::now() < deadline,
                    "endpoint hashkv {rev} on 127.0.0.1:{port}: {out}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        })
        .collect()
}

/// The steps of a walk-through, each answer in the transcript.
struct Walk {
    ports: [u16; 3],
    transcript: Vec<String>,
}

impl Walk {
    /// etcdctl `args` through member `m`, its outcome recorded.
    fn step(&mut self, m: usize, args: &[&str], stdin: &str) -> (i32, String) {
        let (code, out) = etcdctl_outcome(self.ports[m], args, stdin.as_bytes());
        let shown_out = if args.get(1) == Some(&"status") {
            // Of Status, what the quota decides: the raised alarms.
            out.lines()
                .filter(|l| l.starts_with("\"Errors\""))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            out.clone()
        };
        // The revision compacted to depends on how many writes fit.
        let shown = match args[0] {
            "compaction" => format!("{} <REV>", args[..args.len() - 1].join(" ")),
            _ => args.join(" "),
        };
        self.transcript
            .push(format!("{shown} via m{m}: exit {code}: {shown_out}"));
        (code, out)
    }

    /// Whether every member holds exactly the acknowledged puts `kept` (and perhaps the
    /// `refused` one), recorded.
    fn check_holds(&mut self, kept: &[usize], refused: &str) {
        for m in 0..3 {
            let held = holds(self.ports[m], kept, refused);
            self.transcript.push(format!("m{m} {held}"));
        }
    }
}

/// The walk-through against the members on `ports` (member 0 the small one), as one transcript
/// in which each member's ID and client address read `<m0>`, `<m1>`, `<m2>`.
fn walk(ports: [u16; 3]) -> Vec<String> {
    let ids = ports.map(member_id);
    let value = value();
    let mut walk = Walk {
        ports,
        transcript: Vec::new(),
    };

    // Through the small member until it refuses (how many fit differs between the servers).
    let mut accepted = 0;
    loop {
        let key = format!("k{accepted}");
        let (code, out) = etcdctl_outcome(ports[0], &["put", &key], &value);
        if code != 0 {
            assert!(out.contains(NOSPACE), "put {key} through m0: {out}");
            walk.transcript
                .push(format!("puts through m0 until refused: exit {code}: {out}"));
            break;
        }
        accepted += 1;
        assert!(accepted < 200, "the quota never bit");
    }
    assert!(accepted > 10, "the quota bit after {accepted} writes");
    let refused = format!("k{accepted}");

    // The alarm, as every member lists it; writes refused through every member.
    for m in 0..3 {
        walk.step(m, &["alarm", "list"], "");
    }
    for m in 0..3 {
        walk.step(m, &["put", "x", "y"], "");
    }
    walk.step(1, &["lease", "grant", "10"], "");
    walk.step(2, &["txn"], "\n\nput t v\n\n");
    for m in 0..3 {
        walk.step(m, &["endpoint", "status", "-w", "fields"], "");
    }

    // Reads everywhere; every acknowledged put on every member.
    for m in 0..3 {
        walk.step(m, &["get", "k0", "--keys-only"], "");
        walk.step(m, &["txn"], "\n\nget t\n\n");
    }
    walk.check_holds(&(0..accepted).collect::<Vec<_>>(), &refused);

    // Deletes and compactions through every member: five values freed (as quota.rs does, so
    // the defragmented backend is well under the quota on both servers), the last compaction
    // physical and through the small member, whose defrag must find the pages free.
    for (m, keys) in [
        (1, &["k1"][..]),
        (2, &["k2"][..]),
        (0, &["k0", "k3", "k4"][..]),
    ] {
        for key in keys {
            walk.step(m, &["del", key], "");
        }
        let rev = revision(ports[m]).to_string();
        if m == 0 {
            walk.step(m, &["compaction", "--physical", &rev], "");
        } else {
            walk.step(m, &["compaction", &rev], "");
        }
    }
    let kept: Vec<usize> = (5..accepted).collect();
    walk.check_holds(&kept, &refused);

    // Defrag every member (the small one first), disarm through another: writes work again.
    for m in 0..3 {
        walk.step(m, &["defrag"], "");
    }
    walk.step(2, &["alarm", "disarm"], "");
    for m in 0..3 {
        walk.step(m, &["alarm", "list"], "");
    }
    for m in 0..3 {
        let key = format!("after{m}");
        walk.step(m, &["put", &key, "v"], "");
    }
    walk.check_holds(&kept, &refused);
    let hashes = hashes_at(&ports, revision(ports[0]));
    let agree = hashes.windows(2).all(|w| w[0] == w[1]);
    walk.transcript.push(format!(
        "endpoint hashkv --rev=<REV> on every member agree: {agree}"
    ));
    if !agree {
        walk.transcript.push(format!("hashes: {hashes:?}"));
    }

    walk.transcript
        .iter()
        .map(|line| {
            let mut line = line.clone();
            for m in 0..3 {
                line = line.replace(&ids[m].to_string(), &format!("<m{m}>"));
                line = line.replace(&format!("127.0.0.1:{}", ports[m]), &format!("<m{m}>"));
            }
            mask_after(&line, "compacted revision ", "<REV>")
        })
        .collect()
}

#[test]
fn nospace_on_one_member_of_three_matches_etcd() {
    if !tools_present() {
        return;
    }
    // etcd 3.4 itself sometimes still refuses a put after defrag and disarm (see quota.rs): the
    // reference is a run where it takes them all, tried up to three times.
    let took_writes_again = |t: &Vec<String>| {
        (0..3).all(|m| {
            t.iter()
                .any(|l| *l == format!("put after{m} v via m{m}: exit 0: OK\n"))
        })
    };
    let mut reference = None;
    for attempt in 0..3 {
        let data = tempfile::tempdir().expect("temp dir");
        let etcd = small_quota_etcd(data.path());
        let transcript = walk([0, 1, 2].map(|i| etcd[i].client_port));
        if took_writes_again(&transcript) {
            reference = Some(transcript);
            break;
        }
        println!("etcd 3.4 run {attempt} refused a write after disarm: {transcript:#?}");
    }
    let expected =
        reference.expect("etcd 3.4 never took writes again after defrag and alarm disarm");

    let oxcd = small_quota_oxcd();
    let actual = walk([0, 1, 2].map(|i| oxcd[i].client_port));
    for line in &expected {
        println!("etcd 3.4: {line}");
    }
    assert_eq!(
        actual,
        expected,
        "the small member's log:\n{}",
        oxcd[0].log()
    );
}

/// Rounds of [`unseen_alarms`] through each raiser.
const ROUNDS: usize = 50;

/// How often a member listed no alarm right after another member's raise of a NOSPACE alarm
/// (what the quota check proposes) was acknowledged, in [`ROUNDS`] rounds raised through the
/// leader and as many through a follower, each listed through the two other members.
async fn unseen_alarms(endpoints: [String; 3]) -> usize {
    use etcd_client::{AlarmAction, AlarmOptions, AlarmType, Client};
    let mut clients = Vec::new();
    for endpoint in &endpoints {
        clients.push(Client::connect([endpoint], None).await.expect("connect"));
    }
    let mut ids = Vec::new();
    let mut leader = None;
    for (i, c) in clients.iter_mut().enumerate() {
        let status = c.status().await.expect("status");
        let id = status.header().expect("header").member_id();
        if status.leader() == id {
            leader = Some(i);
        }
        ids.push(id);
    }
    let leader = leader.expect("a member leads");
    let mut unseen = 0;
    for raiser in [leader, (leader + 1) % 3] {
        let mut options = AlarmOptions::new();
        options.with_member(ids[raiser]);
        for _ in 0..ROUNDS {
            clients[raiser]
                .alarm(
                    AlarmAction::Activate,
                    AlarmType::Nospace,
                    Some(options.clone()),
                )
                .await
                .expect("raise");
            for lister in (0..3).filter(|&i| i != raiser) {
                let listed = clients[lister]
                    .alarm(AlarmAction::Get, AlarmType::None, None)
                    .await
                    .expect("alarm list");
                if listed.alarms().is_empty() {
                    unseen += 1;
                }
            }
            clients[raiser]
                .alarm(
                    AlarmAction::Deactivate,
                    AlarmType::Nospace,
                    Some(options.clone()),
                )
                .await
                .expect("disarm");
        }
    }
    unseen
}

/// `alarm list` is linearizable on every member, as etcd 3.4's (which goes through raft): once
/// one member's raise of the alarm was acknowledged, every member lists it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_member_lists_an_alarm_once_its_raise_is_acknowledged() {
    if !tools_present() {
        return;
    }
    let data = tempfile::tempdir().expect("temp dir");
    let peers = [free_port(), free_port(), free_port()];
    let etcd = Etcd::cluster(&peers, |name| data.path().join(name));
    let expected = unseen_alarms([0, 1, 2].map(|i| etcd[i].endpoint())).await;
    drop(etcd);
    let mut oxcd = Server::cluster(3, &[]);
    start_all(&mut oxcd);
    let actual = unseen_alarms([0, 1, 2].map(|i| oxcd[i].endpoint())).await;
    assert_eq!(
        (actual, expected),
        (0, 0),
        "alarms missing from a member's list right after their raise was acknowledged, of {} \
         lists (oxcd, etcd 3.4)",
        4 * ROUNDS
    );
}

/// Puts through member `through` until one is refused (200 at most), then every member's alarm
/// list, as one transcript with the members' IDs masked.
fn fill_through(ports: [u16; 3], through: usize) -> Vec<String> {
    let ids = ports.map(member_id);
    let value = value();
    let mut transcript = Vec::new();
    let refused = (0..200).find_map(|i| {
        let (code, out) = etcdctl_outcome(ports[through], &["put", &format!("k{i}")], &value);
        (code != 0).then_some(format!("exit {code}: {out}"))
    });
    transcript.push(format!(
        "puts through m{through} until refused: {}",
        refused.unwrap_or_else(|| "200 puts (8 MB) accepted".to_string())
    ));
    for (m, &port) in ports.iter().enumerate() {
        let (code, out) = etcdctl_outcome(port, &["alarm", "list"], b"");
        transcript.push(format!("alarm list via m{m}: exit {code}: {out}"));
    }
    transcript
        .iter()
        .map(|line| {
            let mut line = line.clone();
            for (m, id) in ids.iter().enumerate() {
                line = line.replace(&id.to_string(), &format!("<m{m}>"));
            }
            line
        })
        .collect()
}

/// etcd's other quota check: every member's applier checks its own backend against its own
/// quota (`quotaApplierV3`), and one past it raises NOSPACE naming itself, so writes through a
/// member with the default quota are refused too once they fill the small member's backend.
#[test]
fn writes_through_another_member_raise_nospace_for_the_small_one() {
    if !tools_present() {
        return;
    }
    let data = tempfile::tempdir().expect("temp dir");
    let etcd = small_quota_etcd(data.path());
    let expected = fill_through([0, 1, 2].map(|i| etcd[i].client_port), 1);
    drop(etcd);
    let oxcd = small_quota_oxcd();
    let actual = fill_through([0, 1, 2].map(|i| oxcd[i].client_port), 1);
    assert_eq!(actual, expected);
}

/// A 3-member etcd 3.4 cluster with data under `data`, member 0 with [`SMALL_QUOTA`].
fn small_quota_etcd(data: &Path) -> Vec<Etcd> {
    let peers = [free_port(), free_port(), free_port()];
    Etcd::cluster_with(
        &peers,
        |name| data.join(name),
        |i| match i {
            0 => vec!["--quota-backend-bytes".into(), SMALL_QUOTA.into()],
            _ => Vec::new(),
        },
    )
}

/// A 3-member oxcd cluster, member 0 with [`SMALL_QUOTA`].
fn small_quota_oxcd() -> Vec<Server> {
    let mut oxcd = Server::cluster(3, &[]);
    oxcd[0]
        .extra
        .extend(["--quota-backend-bytes".to_string(), SMALL_QUOTA.to_string()]);
    start_all(&mut oxcd);
    oxcd
}
