//! oxctl in v2 mode (`ETCDCTL_API=2`) against the real etcdctl 3.4's v2 mode: one script of
//! command lines, run by etcdctl against a fresh etcd (`--enable-v2`), then by oxctl against
//! another fresh server on the same ports with the same name, hence the same member and cluster
//! IDs and the same v2 indexes. Every step must give the same stdout, stderr and exit code.
//! The second server is etcd again (oxctl's own compatibility), or oxcd (oxcd's v2 API and
//! oxctl together against etcd and etcdctl).
//!
//! Normalised: the version oxctl names (help, `--version`), TTLs and expiration times (the two
//! runs are seconds apart) and the ID of a member added at the end (etcd mixes the time in).

mod v2_harness;

use v2_harness::Step::{self, Pause, Reap, Run, Spawn};
use v2_harness::{
    differences, free_port, oxcd_bin, run_script, tools_present, Kind, ETCDCTL, OXCTL,
};

const SCRIPT: &[Step] = &[
    // The command line and its help.
    Run(&["--help"], ""),
    Run(&["--version"], ""),
    Run(&["help", "get"], ""),
    Run(&["help", "member"], ""),
    Run(&["set", "--help"], ""),
    Run(&["rmdir", "-h"], ""),
    Run(&["member"], ""),
    Run(&["member", "list", "--help"], ""),
    Run(&["user", "--help"], ""),
    Run(&["role", "grant", "--help"], ""),
    Run(&["nosuch"], ""),
    Run(&["member", "nosuch"], ""),
    Run(&["--bogus", "get", "/a"], ""),
    Run(&["--output"], ""),
    Run(&["--endpoints", "{EP}", "set", "--bogus", "/a", "b"], ""),
    Run(
        &["--endpoints", "{EP}", "set", "--ttl", "abc", "/a", "b"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "get", "-q", "--quorum", "/a"], ""),
    Run(&["--endpoints", "{EP}", "get", "--sort=maybe", "/a"], ""),
    // Keys (the conformance cases 30 and 31, and more).
    Run(&["--endpoints", "{EP}", "set", "/foo", "bar"], ""),
    Run(&["--endpoints", "{EP}", "get", "/foo"], ""),
    Run(&["--endpoints", "{EP}", "-o", "json", "get", "/foo"], ""),
    Run(
        &["--endpoints", "{EP}", "-o", "extended", "get", "/foo"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "-o", "xml", "get", "/foo"], ""),
    Run(&["--endpoints", "{EP}", "mk", "/foo", "other"], ""),
    Run(&["--endpoints", "{EP}", "mk", "/fresh", "v1"], ""),
    Run(&["--endpoints", "{EP}", "update", "/foo", "bar2"], ""),
    Run(&["--endpoints", "{EP}", "update", "/missing", "x"], ""),
    Run(&["--endpoints", "{EP}", "get", "/missing"], ""),
    Run(
        &["--endpoints", "{EP}", "-o", "json", "get", "/missing"],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "set",
            "/foo",
            "bar3",
            "--swap-with-value",
            "bar2",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "set",
            "/foo",
            "bar4",
            "--swap-with-value",
            "nope",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "extended",
            "set",
            "--swap-with-index",
            "7",
            "/foo",
            "bar5",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "set",
            "--swap-with-index",
            "1",
            "/foo",
            "bar6",
        ],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "rm", "/foo", "--with-value", "nope"],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "rm", "/foo", "--with-index", "1"],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "json",
            "rm",
            "/foo",
            "--with-value",
            "bar5",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "rm", "/foo"], ""),
    Run(
        &["--endpoints", "{EP}", "-o", "json", "set", "/num", "42"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "-o", "extended", "rm", "/num"], ""),
    Run(&["--endpoints", "{EP}", "rm", "/fresh"], ""),
    Run(
        &["--endpoints", "{EP}", "mk", "--in-order", "/queue", "job1"],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "json",
            "mk",
            "--in-order",
            "/queue",
            "job2",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "ls", "--sort", "/queue"], ""),
    Run(&["--endpoints", "{EP}", "set", "/stdin"], "from stdin\n"),
    Run(&["--endpoints", "{EP}", "get", "/stdin"], ""),
    Run(&["--endpoints", "{EP}", "set", "/nostdin"], ""),
    Run(&["--endpoints", "{EP}", "set", "--", "/dash", "-v"], ""),
    Run(&["--endpoints", "{EP}", "get", "/dash"], ""),
    Run(&["--endpoints", "{EP}", "get"], ""),
    Run(&["--endpoints", "{EP}", "set", "/a b/c%d", "<&>"], ""),
    Run(
        &["--endpoints", "{EP}", "-o", "json", "get", "/a b/c%d"],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "set", "--ttl", "1000", "/ttl", "v"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "-o", "json", "get", "/ttl"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "extended",
            "update",
            "--ttl",
            "2000",
            "/ttl",
            "w",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "mkdir", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "mkdir", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "set", "/dir/a", "1"], ""),
    Run(&["--endpoints", "{EP}", "set", "/dir/sub/b", "2"], ""),
    Run(&["--endpoints", "{EP}", "set", "/top", "3"], ""),
    Run(&["--endpoints", "{EP}", "ls", "--sort"], ""),
    Run(&["--endpoints", "{EP}", "ls", "--sort", "-r", "/"], ""),
    Run(&["--endpoints", "{EP}", "ls", "--sort", "-p", "/dir"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "ls",
            "--sort",
            "--recursive",
            "-p",
            "/dir",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "ls", "/top"], ""),
    Run(
        &["--endpoints", "{EP}", "-o", "json", "ls", "--sort", "/dir"],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "json",
            "ls",
            "--sort",
            "-r",
            "/dir",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "-o", "extended", "ls", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "get", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "rmdir", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "rmdir", "/dir/sub/b"], ""),
    Run(&["--endpoints", "{EP}", "rm", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "rm", "--dir", "/dir/sub"], ""),
    Run(&["--endpoints", "{EP}", "setdir", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "setdir", "/emptydir"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "json",
            "setdir",
            "--ttl",
            "500",
            "/emptydir",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "extended",
            "updatedir",
            "/emptydir",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "rmdir", "/emptydir"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "json",
            "mkdir",
            "--ttl",
            "300",
            "/tdir",
        ],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "-o", "json", "rm", "--dir", "/tdir"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "rm", "-r", "/dir"], ""),
    Run(&["--endpoints", "{EP}", "ls", "--sort", "-r", "/"], ""),
    Run(
        &["--endpoints", "{EP}", "updatedir", "/nodir", "--ttl", "100"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "get", "/top/nested"], ""),
    Run(&["--endpoints", "{EP}", "set", "/top/nested", "x"], ""),
    Run(&["--endpoints", "{EP}", "rm", "/"], ""),
    // Watches: history, then live events.
    Run(&["--endpoints", "{EP}", "set", "/w/a", "1"], ""),
    Run(&["--endpoints", "{EP}", "set", "/w/a", "2"], ""),
    Run(&["--endpoints", "{EP}", "set", "/w/b", "3"], ""),
    Run(
        &["--endpoints", "{EP}", "watch", "--after-index", "1", "/w/a"],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "json",
            "watch",
            "-r",
            "--after-index",
            "1",
            "/w",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-o",
            "extended",
            "watch",
            "/w/a",
            "--after-index",
            "1",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "watch"], ""),
    Run(&["--endpoints", "{EP}", "exec-watch", "/w/a"], ""),
    Spawn(&["--endpoints", "{EP}", "watch", "/w/a"]),
    Spawn(&["--endpoints", "{EP}", "watch", "-f", "-r", "/w"]),
    Spawn(&[
        "--endpoints",
        "{EP}",
        "exec-watch",
        "-r",
        "/w",
        "--",
        "sh",
        "-c",
        "echo $ETCD_WATCH_ACTION $ETCD_WATCH_KEY $ETCD_WATCH_VALUE $ETCD_WATCH_MODIFIED_INDEX",
    ]),
    Pause(1000),
    Run(&["--endpoints", "{EP}", "set", "/w/a", "4"], ""),
    Pause(300),
    Run(&["--endpoints", "{EP}", "mkdir", "/w/d"], ""),
    Pause(300),
    Run(&["--endpoints", "{EP}", "rm", "/w/b"], ""),
    Reap,
    // Endpoints, their variables, sync, debug, errors reaching the cluster.
    Run(&["--endpoints", "{EP}", "--no-sync", "get", "/w/a"], ""),
    Run(&["--endpoint", "{EP}", "get", "/w/a"], ""),
    Run(&["-C", "{EP}", "get", "/w/a"], ""),
    Run(&["--peers", "{EP}", "get", "/w/a"], ""),
    Run(&["ETCDCTL_ENDPOINTS={EP}", "get", "/w/a"], ""),
    Run(&["ETCDCTL_ENDPOINT={EP}", "get", "/w/a"], ""),
    Run(&["ETCDCTL_PEERS={EP}", "get", "/w/a"], ""),
    Run(
        &[
            "ETCDCTL_ENDPOINTS=http://127.0.0.1:1",
            "--endpoints",
            "{EP}",
            "get",
            "/w/a",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "http://127.0.0.1:1,{EP}",
            "--no-sync",
            "get",
            "/w/a",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "--debug", "get", "/w/a"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "--debug",
            "--no-sync",
            "set",
            "/dbg",
            "v",
        ],
        "",
    ),
    Run(&["--endpoints", "http://127.0.0.1:1", "get", "/w/a"], ""),
    Run(
        &[
            "--endpoints",
            "http://127.0.0.1:1",
            "--no-sync",
            "get",
            "/w/a",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "http://127.0.0.1:1",
            "--no-sync",
            "mk",
            "/x",
            "y",
        ],
        "",
    ),
    Run(
        &["--endpoints", "http://127.0.0.1:1", "--no-sync", "rm", "/x"],
        "",
    ),
    Run(&["--endpoints", "127.0.0.1:1", "get", "/w/a"], ""),
    Run(&["--endpoints", "localhost:1", "get", "/w/a"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "--ca-file",
            "/nonexistent/ca.pem",
            "get",
            "/w/a",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "--cert-file",
            "/nonexistent/c.pem",
            "get",
            "/w/a",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "--total-timeout",
            "bogus",
            "get",
            "/w/a",
        ],
        "",
    ),
    // Members and health.
    Run(&["--endpoints", "{EP}", "member", "list"], ""),
    Run(&["--endpoints", "{EP}", "member", "list", "extra"], ""),
    Run(&["--endpoints", "{EP}", "cluster-health"], ""),
    Run(&["--endpoints", "http://127.0.0.1:1", "cluster-health"], ""),
    Run(
        &["--endpoints", "{EP}", "member", "update", "{ID}", "{PEER}"],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "member",
            "update",
            "1234",
            "http://127.0.0.1:9",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "member",
            "update",
            "{ID}",
            "ftp://x:1",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "member",
            "update",
            "{ID}",
            "http://x",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "member", "update", "{ID}"], ""),
    Run(&["--endpoints", "{EP}", "member", "remove", "v2ref"], ""),
    Run(&["--endpoints", "{EP}", "member", "remove"], ""),
    Run(&["--endpoints", "{EP}", "member", "add", "only-name"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "member",
            "add",
            "new",
            "http://127.0.0.1:9/path",
        ],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "member", "add", "new", "{PEER}"],
        "",
    ),
    // Last: a second member that never starts leaves the cluster without a quorum.
    Run(
        &[
            "--endpoints",
            "{EP}",
            "member",
            "add",
            "new",
            "http://127.0.0.1:9",
        ],
        "",
    ),
];

/// The v2 auth commands (`user`, `role`, `auth`, `--username`), on a server of their own.
const AUTH_SCRIPT: &[Step] = &[
    Run(&["help", "user"], ""),
    Run(&["auth", "--help"], ""),
    Run(&["user", "grant", "--help"], ""),
    Run(&["role", "revoke", "-h"], ""),
    Run(&["user", "help", "passwd"], ""),
    // Before auth: arguments, users and roles, grants.
    Run(&["--endpoints", "{EP}", "user", "list"], ""),
    Run(&["--endpoints", "{EP}", "role", "list"], ""),
    Run(&["--endpoints", "{EP}", "user", "list", "extra"], ""),
    Run(&["--endpoints", "{EP}", "role", "list", "extra"], ""),
    Run(&["--endpoints", "{EP}", "user", "get"], ""),
    Run(&["--endpoints", "{EP}", "user", "get", "a", "b"], ""),
    Run(&["--endpoints", "{EP}", "user", "get", "nobody"], ""),
    Run(&["--endpoints", "{EP}", "role", "get", "nobody"], ""),
    Run(&["--endpoints", "{EP}", "auth", "enable"], ""),
    Run(&["--endpoints", "{EP}", "auth", "enable", "extra"], ""),
    Run(&["--endpoints", "{EP}", "auth", "disable"], ""),
    Run(&["--endpoints", "{EP}", "user", "add", "root"], "pw\n"),
    Run(&["--endpoints", "{EP}", "user", "add", "root:pw"], ""),
    Run(&["--endpoints", "{EP}", "user", "add"], ""),
    Run(&["--endpoints", "{EP}", "role", "add", "r"], ""),
    Run(&["--endpoints", "{EP}", "role", "add", "r"], ""),
    Run(&["--endpoints", "{EP}", "role", "add"], ""),
    Run(&["--endpoints", "{EP}", "role", "add", "root"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "r",
            "--path",
            "/foo/*",
            "--readwrite",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "r",
            "--path",
            "/bar",
            "--read",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "r",
            "--path",
            "/foo/*",
            "--read",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "r",
            "--path",
            "/bar",
            "--write",
            "--read",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "role", "grant", "r", "--read"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "r",
            "--path",
            "foo",
            "--read",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "r",
            "--path",
            "/a/../b/",
            "--read",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "--path",
            "/x",
            "--read",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "nope",
            "--path",
            "/x",
            "--read",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "grant",
            "r",
            "--path",
            "/w",
            "--rw",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "revoke",
            "r",
            "--path",
            "/w",
            "--write",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "revoke",
            "r",
            "--path",
            "/nothere",
            "--read",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "role",
            "revoke",
            "r",
            "--path",
            "/w",
            "--readwrite",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "role", "get", "r"], ""),
    Run(&["--endpoints", "{EP}", "role", "get", "root"], ""),
    Run(&["--endpoints", "{EP}", "role", "list"], ""),
    Run(&["--endpoints", "{EP}", "user", "add", "u:pw"], ""),
    Run(&["--endpoints", "{EP}", "user", "add", "u2"], "secret\n"),
    Run(&["--endpoints", "{EP}", "user", "add", "u3:a:b"], ""),
    Run(
        &["--endpoints", "{EP}", "user", "grant", "u", "--roles", "r"],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "user", "grant", "u", "--roles", "r"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "user", "grant", "u"], ""),
    Run(
        &["--endpoints", "{EP}", "user", "grant", "--roles", "r"],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "user",
            "grant",
            "u",
            "--roles",
            "nope",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "user",
            "grant",
            "u2",
            "--roles",
            "r",
            "--roles",
            "root",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "user", "get", "u"], ""),
    Run(&["--endpoints", "{EP}", "user", "get", "u2"], ""),
    Run(&["--endpoints", "{EP}", "user", "get", "root"], ""),
    Run(&["--endpoints", "{EP}", "user", "list"], ""),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "user",
            "revoke",
            "u2",
            "--roles",
            "root",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "user",
            "revoke",
            "u2",
            "--roles",
            "root",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "user", "get", "u2"], ""),
    Run(&["--endpoints", "{EP}", "user", "passwd", "u"], "pw2\n"),
    Run(&["--endpoints", "{EP}", "user", "passwd"], ""),
    // With auth: credentials given, prompted for, wrong or missing.
    Run(&["--endpoints", "{EP}", "auth", "enable"], ""),
    Run(&["--endpoints", "{EP}", "auth", "enable"], ""),
    Run(
        &["--endpoints", "{EP}", "-u", "root:pw", "auth", "enable"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "user", "list"], ""),
    Run(&["--endpoints", "{EP}", "-u", "u:pw2", "user", "list"], ""),
    Run(
        &["--endpoints", "{EP}", "-u", "root:bad", "user", "list"],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "-u", "root:pw", "user", "list"],
        "",
    ),
    Run(
        &["--endpoints", "{EP}", "-u", "root", "role", "list"],
        "pw\n",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-u",
            "root:pw",
            "role",
            "get",
            "guest",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "role", "list"], ""),
    Run(
        &["--endpoints", "{EP}", "-u", "u:pw2", "role", "get", "r"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "user", "add", "x:y"], ""),
    Run(
        &["--endpoints", "{EP}", "-u", "root", "user", "get", "u"],
        "bad\n",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "--username",
            "u:pw2",
            "set",
            "/foo/a",
            "1",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "--username",
            "u:pw2",
            "get",
            "/foo/a",
        ],
        "",
    ),
    Run(
        &[
            "ETCDCTL_USERNAME=u:pw2",
            "--endpoints",
            "{EP}",
            "get",
            "/foo/a",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-u",
            "root:pw",
            "user",
            "remove",
            "u2",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-u",
            "root:pw",
            "user",
            "remove",
            "u2",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-u",
            "root:pw",
            "role",
            "remove",
            "r",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-u",
            "root:pw",
            "role",
            "remove",
            "r",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-u",
            "root:pw",
            "role",
            "remove",
            "root",
        ],
        "",
    ),
    Run(
        &[
            "--endpoints",
            "{EP}",
            "-u",
            "root:pw",
            "auth",
            "disable",
            "extra",
        ],
        "",
    ),
    Run(&["--endpoints", "{EP}", "auth", "disable"], ""),
    Run(
        &["--endpoints", "{EP}", "-u", "root:pw", "auth", "disable"],
        "",
    ),
    Run(&["--endpoints", "{EP}", "auth", "disable"], ""),
    // Debug lines and connection failures.
    Run(&["--endpoints", "{EP}", "--debug", "user", "get", "u"], ""),
    Run(&["--endpoints", "http://127.0.0.1:1", "user", "list"], ""),
    Run(
        &[
            "--no-sync",
            "--endpoints",
            "http://127.0.0.1:1",
            "role",
            "get",
            "r",
        ],
        "",
    ),
];

/// Runs `script` with etcdctl on etcd, then with oxctl on `kind`, and asserts equal outputs.
fn oxctl_matches_etcdctl_on(script: &[Step], kind: &Kind, name: &str) {
    let (client, peer) = (free_port(), free_port());
    let (expected, expected_id) = run_script(ETCDCTL, &Kind::Etcd, script, client, peer);
    let (actual, actual_id) = run_script(OXCTL, kind, script, client, peer);
    // Both derive the member ID from the peer URLs and the cluster token, as etcd does: the
    // script's outputs name it, so a different ID would show in every member step.
    assert_eq!(expected_id, actual_id, "member IDs differ");
    let failures = differences(&expected, &actual, ("etcdctl on etcd", name));
    assert!(
        failures.is_empty(),
        "{} steps differ:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn v2_commands_match_etcdctl() {
    if !tools_present() {
        return;
    }
    oxctl_matches_etcdctl_on(SCRIPT, &Kind::Etcd, "oxctl on etcd");
}

#[test]
fn v2_commands_on_oxcd_match_etcdctl_on_etcd() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    oxctl_matches_etcdctl_on(SCRIPT, &Kind::Oxcd(oxcd), "oxctl on oxcd");
}

#[test]
fn v2_auth_commands_match_etcdctl() {
    if !tools_present() {
        return;
    }
    oxctl_matches_etcdctl_on(AUTH_SCRIPT, &Kind::Etcd, "oxctl on etcd");
}

#[test]
fn v2_auth_commands_on_oxcd_match_etcdctl_on_etcd() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    oxctl_matches_etcdctl_on(AUTH_SCRIPT, &Kind::Oxcd(oxcd), "oxctl on oxcd");
}
