//! The v2 API (`--enable-v2`) against etcd 3.4's: the same requests sent to both servers must get
//! the same status, `X-Etcd-Index` and body, every error path included; then what only a
//! running cluster shows: replication, TTL expiry on every member, restarts, a long poll across a
//! leader change, and a v2 client library that is not ours.

mod common;

use common::etcd::Etcd;
use common::etcd_bins::tools_present;
use std::time::{Duration, Instant};

use common::v2compare::{member_ids, normalise, regex_lite_ttl};
use common::{http_exchange, HttpReply, Server};

const FORM: &str = "application/x-www-form-urlencoded";

/// One step: method, path (with query), url-encoded body.
type Step = (&'static str, &'static str, &'static str);

/// Requests whose answers must match etcd 3.4's exactly, in order (indexes included).
const STEPS: &[Step] = &[
    ("GET", "/v2/keys", ""),
    ("PUT", "/v2/keys/a", "value=1"),
    ("PUT", "/v2/keys/a/", "value=2"),
    ("GET", "/v2/keys/a/", ""),
    ("PUT", "/v2/keys/", "value=x"),
    ("PUT", "/v2/keys", "value=x"),
    ("DELETE", "/v2/keys/?recursive=true", ""),
    ("POST", "/v2/keys/", "value=x"),
    ("PUT", "/v2/keys/dir?dir=true", ""),
    ("PUT", "/v2/keys/dir", "dir=true"),
    ("PUT", "/v2/keys/dir/_hidden", "value=h"),
    ("PUT", "/v2/keys/dir/shown", "value=s"),
    ("GET", "/v2/keys/dir", ""),
    ("GET", "/v2/keys/dir/_hidden", ""),
    ("GET", "/v2/keys/?recursive=true&sorted=true", ""),
    ("PUT", "/v2/keys/a", "value=v&prevIndex=abc"),
    ("PUT", "/v2/keys/a", "value=v&ttl=-1"),
    ("PUT", "/v2/keys/a", "value=v&ttl=1.5"),
    ("PUT", "/v2/keys/a", "value=v&ttl=5&refresh=true"),
    ("PUT", "/v2/keys/a", "refresh=true"),
    ("PUT", "/v2/keys/a", "refresh=maybe&ttl=5"),
    ("PUT", "/v2/keys/a", "value=%zz"),
    ("PUT", "/v2/keys/a?x=1;y=2", "value=1"),
    ("GET", "/v2/keys/a?wait=x", ""),
    ("GET", "/v2/keys/a?recursive=yes", ""),
    ("GET", "/v2/keys/a?waitIndex=-3&wait=true", ""),
    ("POST", "/v2/keys/a?wait=true", "value=1"),
    ("PUT", "/v2/keys/a", "value=z&noValueOnSuccess=true"),
    ("PUT", "/v2/keys/a", "value=z2&noValueOnSuccess=maybe"),
    ("PUT", "/v2/keys/a", "value=w&prevValue="),
    ("PUT", "/v2/keys/a", "value=w&prevValue=nope&prevIndex=1"),
    ("PUT", "/v2/keys/a", "value=w&prevExist=maybe"),
    ("PUT", "/v2/keys/a/b", "value=w"),
    ("PUT", "/v2/keys/dir", "value=w"),
    ("PUT", "/v2/keys/dir?prevValue=x", "value=w"),
    ("DELETE", "/v2/keys/dir", ""),
    ("DELETE", "/v2/keys/dir?dir=true", ""),
    ("DELETE", "/v2/keys/a?dir=true", ""),
    ("DELETE", "/v2/keys/a?prevIndex=abc", ""),
    ("DELETE", "/v2/keys/nothing?prevValue=x", ""),
    ("POST", "/v2/keys/q", "value=job1"),
    ("POST", "/v2/keys/q", "value=job2"),
    ("GET", "/v2/keys/q?recursive=true&sorted=true", ""),
    ("PUT", "/v2/keys/q/x?prevExist=true", "value=1"),
    ("PUT", "/v2/keys/fresh?prevExist=false", "value=1&ttl="),
    ("PUT", "/v2/keys/fresh?prevExist=true", "ttl=100"),
    ("PUT", "/v2/keys/fresh?prevExist=true", "value=2&ttl="),
    ("PUT", "/v2/keys/emptydir?dir=true", ""),
    ("DELETE", "/v2/keys/emptydir?dir=true", ""),
    ("PUT", "/v2/keys/ttldir?dir=true", "ttl=100"),
    ("PUT", "/v2/keys/ttldir?dir=true&prevExist=true", "ttl="),
    ("DELETE", "/v2/keys/dir?recursive=true", ""),
    ("GET", "/v2/keys/dir/shown", ""),
    ("HEAD", "/v2/keys/a", ""),
    ("PATCH", "/v2/keys/a", "value=1"),
    ("PUT", "/v2/keys//a//b", "value=1"),
    ("GET", "/v2/keys/%2Fdouble//slash", ""),
    ("OPTIONS", "/v2/keys/a", ""),
    ("PUT", "/v2/keys/refreshed", "value=r&ttl=100"),
    (
        "PUT",
        "/v2/keys/refreshed?prevExist=true",
        "ttl=100&refresh=true",
    ),
    ("PUT", "/v2/keys/refreshed", "ttl=100&refresh=true"),
    ("GET", "/v2/keys/./a?x=1&y=2", ""),
    ("GET", "/v2/keys/a?wait=true&waitIndex=5", ""),
    ("GET", "/v2/keys/?wait=true&recursive=true&waitIndex=6", ""),
    ("GET", "/v2/stats/leader?x", ""),
    ("POST", "/v2/stats/store", ""),
    ("GET", "/v2/machines", ""),
    ("PUT", "/v2/machines", ""),
    ("GET", "/v2/members/leader", ""),
    ("GET", "/v2/members/nothing", ""),
    ("DELETE", "/v2/members/zz", ""),
    ("DELETE", "/v2/members/1234", ""),
    ("DELETE", "/v2/members", ""),
    ("POST", "/v2/members", "{}"),
    ("PATCH", "/v2/members", ""),
    ("GET", "/v2/nothing", ""),
];

fn run_steps(port: u16, ids: &[(String, &str)]) -> Vec<String> {
    STEPS
        .iter()
        .map(|(method, path, body)| {
            let ct = if path.starts_with("/v2/members") {
                "application/json"
            } else {
                FORM
            };
            let r = http_exchange(port, method, path, ct, body)
                .unwrap_or_else(|e| panic!("{method} {path} on port {port}: {e}"));
            format!("{method} {path} {body}\n{}", normalise(&r, ids))
        })
        .collect()
}

#[test]
fn keys_api_answers_as_etcd_34() {
    if !tools_present() {
        return;
    }
    let etcd = Etcd::start(&["--enable-v2"]);
    let oxcd = Server::start(&["--enable-v2"]);
    let expected = run_steps(etcd.client_port, &member_ids(etcd.client_port));
    let actual = run_steps(oxcd.client_port, &member_ids(oxcd.client_port));
    let mut diffs = Vec::new();
    for (e, a) in expected.iter().zip(&actual) {
        if e != a {
            diffs.push(format!("etcd:\n{e}\noxcd:\n{a}\n"));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

fn v2(port: u16, method: &str, path: &str, body: &str) -> HttpReply {
    http_exchange(port, method, path, FORM, body).expect("v2 request")
}

fn etcd_index(r: &HttpReply) -> u64 {
    r.header("x-etcd-index")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no X-Etcd-Index in {} {}", r.status, r.body))
}

/// The whole tree with remaining TTLs made comparable (they tick between two reads).
fn tree(port: u16) -> (u64, String) {
    let r = v2(port, "GET", "/v2/keys/?recursive=true&sorted=true", "");
    assert_eq!(r.status, 200, "{}", r.body);
    (etcd_index(&r), regex_lite_ttl(&r.body))
}

/// The v2 store is in the backend: a kill -9 (after snapshots released part of the WAL) brings
/// back every node, index and TTL, and the index goes on from where it was.
#[test]
fn v2_store_survives_kill_9_and_snapshots() {
    let mut s = Server::start(&["--enable-v2", "--snapshot-count", "5"]);
    let port = s.client_port;
    for i in 0..12 {
        let r = v2(
            port,
            "PUT",
            &format!("/v2/keys/dir/k{i}"),
            &format!("value=v{i}"),
        );
        assert!(r.status == 200 || r.status == 201, "{}", r.body);
    }
    v2(port, "PUT", "/v2/keys/ttl", "value=t&ttl=300");
    v2(port, "POST", "/v2/keys/queue", "value=job");
    v2(port, "DELETE", "/v2/keys/dir/k3", "");
    v2(port, "PUT", "/v2/keys/dir/_hidden", "value=h");
    let before = tree(port);
    s.kill9();
    s.restart();
    // As in etcd 3.4, a member publishing its attributes at start takes one index.
    let after = tree(port);
    assert_eq!(after.1, before.1, "the v2 store changed across kill -9");
    assert_eq!(
        after.0,
        before.0 + 1,
        "only the restart's publish moved the index"
    );
    let r = v2(port, "PUT", "/v2/keys/after", "value=a");
    assert_eq!(etcd_index(&r), before.0 + 2, "{}", r.body);
    assert_eq!(
        v2(port, "GET", "/v2/keys/dir/_hidden", "").status,
        200,
        "hidden keys are kept too"
    );
}

/// Without `--enable-v2` nothing of v2 is served, as in etcd 3.4.
#[test]
fn v2_is_off_unless_enabled() {
    let s = Server::start(&[]);
    for path in [
        "/v2/keys",
        "/v2/keys/a",
        "/v2/members",
        "/v2/machines",
        "/v2/stats/self",
    ] {
        let r = v2(s.client_port, "GET", path, "");
        assert_eq!(
            (r.status, r.body.as_str()),
            (404, "404 page not found\n"),
            "{path}"
        );
    }
}

/// Three members: writes through one are read, watched and expired on all; a long poll on a
/// follower outlives the leader's death; a member far behind catches the v2 store up from a
/// snapshot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2_replicates_expires_and_catches_up_across_members() {
    use common::members;
    let mut cluster = Server::cluster(
        3,
        &[
            "--enable-v2",
            "--snapshot-count",
            "100",
            "--snapshot-catchup-entries",
            "20",
            "--log-level",
            "info",
        ],
    );
    members::start_all(&mut cluster);
    let (leader, _) = members::wait_for_leader(&cluster, &[], Duration::from_secs(10)).await;
    let ports: Vec<u16> = cluster.iter().map(|m| m.client_port).collect();
    let (a, b, c) = (
        ports[leader],
        ports[(leader + 1) % 3],
        ports[(leader + 2) % 3],
    );

    // A long poll on one member sees a write made through another.
    let start = v2(c, "GET", "/v2/keys/", "");
    let next = etcd_index(&start) + 1;
    let poll = std::thread::spawn(move || v2(c, "GET", "/v2/keys/watched?wait=true", ""));
    std::thread::sleep(Duration::from_millis(300));
    let put = v2(a, "PUT", "/v2/keys/watched", "value=1");
    assert_eq!(etcd_index(&put), next, "{}", put.body);
    let got = poll.join().expect("poll thread");
    assert_eq!(got.status, 200);
    assert!(got.body.contains("\"value\":\"1\""), "{}", got.body);
    let read = v2(b, "GET", "/v2/keys/watched?quorum=true", "");
    assert!(read.body.contains("\"value\":\"1\""), "{}", read.body);

    // A TTL key expires on every member, at the same index.
    v2(a, "PUT", "/v2/keys/lease", "value=v&ttl=1");
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut expired_at = Vec::new();
    while expired_at.len() < 3 && Instant::now() < deadline {
        expired_at = ports
            .iter()
            .map(|&p| v2(p, "GET", "/v2/keys/lease", ""))
            .filter(|r| r.status == 404)
            .map(|r| etcd_index(&r))
            .collect();
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(expired_at.len(), 3, "the TTL key did not expire everywhere");
    assert!(
        expired_at.windows(2).all(|w| w[0] == w[1]),
        "members disagree on the index: {expired_at:?}"
    );
    let history = v2(
        b,
        "GET",
        &format!("/v2/keys/lease?wait=true&waitIndex={}", next + 2),
        "",
    );
    assert!(
        history.body.contains("\"action\":\"expire\""),
        "{}",
        history.body
    );

    // A long poll on a follower survives the leader's kill -9.
    let idx = etcd_index(&v2(b, "GET", "/v2/keys/", ""));
    let poll = std::thread::spawn(move || {
        v2(
            c,
            "GET",
            &format!("/v2/keys/failover?wait=true&waitIndex={}", idx + 1),
            "",
        )
    });
    cluster[leader].kill9();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = v2(b, "PUT", "/v2/keys/failover", "value=after");
        if r.status == 201 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no write after the leader died: {}",
            r.body
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let got = poll.join().expect("poll thread");
    assert!(got.body.contains("\"value\":\"after\""), "{}", got.body);

    // The dead member comes back far behind and is sent a snapshot holding the v2 store.
    for i in 0..300 {
        let r = v2(b, "PUT", &format!("/v2/keys/bulk/{i}"), "value=x");
        assert_eq!(r.status, 201, "{}", r.body);
    }
    cluster[leader].restart();
    // The restarted member's own publish moves the index on every member, each when it applies
    // it: read all three until they agree.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (want, got, other) = (tree(b), tree(a), tree(c));
        if got == want && other == want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the restarted member never caught up ({} vs {}):\n{}",
            got.0,
            want.0,
            cluster[leader].log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        cluster[leader]
            .log()
            .contains("installed snapshot from leader"),
        "the member caught up without a snapshot:\n{}",
        cluster[leader].log()
    );
}

/// PyPI's `python-etcd`, a v2 client that is not ours.
fn python_etcd() -> std::path::PathBuf {
    common::pypi::venv_with("python-etcd", "python-etcd==0.4.5", "etcd")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn run_flannel_workload(python: &std::path::Path, port: u16) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/v2_flannel.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .args(["127.0.0.1", &port.to_string()])
        .output()
        .expect("run python");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "workload failed on port {port}:\n{text}"
    );
    text
}

/// python-etcd drives a flannel-like workload (TTL leases kept by refreshes, a recursive watch,
/// compare-and-swap, its error classes) identically against etcd 3.4 and oxcd.
#[test]
fn python_etcd_runs_a_flannel_like_workload_as_on_etcd() {
    if !tools_present() {
        return;
    }
    let python = python_etcd();
    let etcd = Etcd::start(&["--enable-v2"]);
    let oxcd = Server::start(&["--enable-v2"]);
    let expected = run_flannel_workload(&python, etcd.client_port);
    let actual = run_flannel_workload(&python, oxcd.client_port);
    assert_eq!(actual, expected);
}

/// The event history holds the last 1000 changes: a wait from before them is answered with
/// error 401 and etcd's cause, one inside them with the event, as etcd 3.4 answers.
#[test]
fn waits_older_than_the_history_are_refused_as_in_etcd() {
    if !tools_present() {
        return;
    }
    let etcd = Etcd::start(&["--enable-v2"]);
    let oxcd = Server::start(&["--enable-v2"]);
    let run = |port: u16| -> Vec<String> {
        for i in 0..1003 {
            let r = v2(port, "PUT", &format!("/v2/keys/h/{}", i % 7), "value=x");
            assert!(r.status == 200 || r.status == 201, "{}", r.body);
        }
        let now = etcd_index(&v2(port, "GET", "/v2/keys/", ""));
        [1, now - 1000, now - 999, now]
            .iter()
            .map(|since| {
                let path = format!("/v2/keys/h?wait=true&recursive=true&waitIndex={since}");
                normalise(&v2(port, "GET", &path, ""), &[])
            })
            .collect()
    };
    assert_eq!(run(oxcd.client_port), run(etcd.client_port));
}

/// Writes a flannel-like v2 tree: a directory, keys, a TTL key, a hidden key, an empty dir.
fn write_v2_tree(port: u16) {
    for (path, body) in [
        (
            "/v2/keys/coreos.com/network/config",
            "value={\"Network\":\"10.1.0.0/16\"}",
        ),
        (
            "/v2/keys/coreos.com/network/subnets/10.1.1.0-24",
            "value=a&ttl=600",
        ),
        ("/v2/keys/coreos.com/network/subnets/10.1.2.0-24", "value=b"),
        ("/v2/keys/calico/_hidden", "value=h"),
        ("/v2/keys/calico/bgp/v1/host/ip_addr_v4", "value=10.0.0.1"),
        ("/v2/keys/empty?dir=true", ""),
    ] {
        let r = v2(port, "PUT", path, body);
        assert!(r.status == 200 || r.status == 201, "{path}: {}", r.body);
    }
}

/// Every v3 key and value (none of these values holds a newline).
fn v3_keys(port: u16) -> Vec<(String, String)> {
    let out = std::process::Command::new(common::etcd_bins::ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", &format!("127.0.0.1:{port}")])
        .args(["get", "--prefix", ""])
        .output()
        .expect("etcdctl get");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .chunks(2)
        .map(|kv| (kv[0].to_string(), kv.get(1).unwrap_or(&"").to_string()))
        .collect()
}

/// `migrate` on a stopped member's data dir gives the v3 keys etcd 3.4's `etcdctl migrate` gives
/// for the same v2 tree; a second run changes nothing; a data dir whose WAL holds entries the
/// backend never stored (a kill -9) is refused, untouched.
#[test]
fn offline_migrate_makes_the_v3_keys_etcd_makes() {
    use oxcd_server::member::migrate::migrate_v2_offline;
    if !tools_present() {
        return;
    }
    // etcd 3.4: write, stop, migrate, restart, read.
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let peer = common::free_port();
    let mut etcd = Etcd::start_on(dir, &data, "e1", peer, &["--enable-v2"]);
    write_v2_tree(etcd.client_port);
    let etcd_dir = etcd.stop_keeping_dir();
    let migrated = std::process::Command::new(common::etcd_bins::ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["migrate", "--data-dir"])
        .arg(&data)
        .output()
        .expect("etcdctl migrate");
    assert!(migrated.status.success(), "{migrated:?}");
    etcd = Etcd::start_on(etcd_dir, &data, "e1", peer, &["--enable-v2"]);
    let expected = v3_keys(etcd.client_port);
    assert!(!expected.is_empty());

    let mut oxcd = Server::start(&["--enable-v2"]);
    write_v2_tree(oxcd.client_port);
    oxcd.kill9();
    let refused = migrate_v2_offline(&oxcd.data_dir(), None, false, false, &mut |_, _| {})
        .expect_err("a data dir with entries to replay is refused");
    assert!(refused.contains("stop it with SIGTERM"), "{refused}");
    oxcd.restart();
    oxcd.stop_with(libc::SIGTERM);
    let first =
        migrate_v2_offline(&oxcd.data_dir(), None, false, false, &mut |_, _| {}).expect("migrate");
    assert_eq!(first.migrated as usize, expected.len(), "{first:?}");
    let again = migrate_v2_offline(&oxcd.data_dir(), None, false, false, &mut |_, _| {})
        .expect("migrate again");
    assert_eq!(
        (again.migrated, again.revision),
        (0, first.revision),
        "{again:?}"
    );
    oxcd.restart();
    assert_eq!(v3_keys(oxcd.client_port), expected);
    // The v2 keys are still served.
    let r = v2(
        oxcd.client_port,
        "GET",
        "/v2/keys/coreos.com/network/subnets/10.1.2.0-24",
        "",
    );
    assert!(r.body.contains("\"value\":\"b\""), "{}", r.body);
}
