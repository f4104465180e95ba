//! oxutl against etcdutl 3.5.1: `snapshot status` on snapshots saved (with etcdctl 3.4) from a
//! real etcd 3.4 and from oxcd prints the same, in every format; help, usage errors and failing
//! restores print the same (but for the names, and the commands and flags oxutl lacks or adds);
//! and a restored etcd snapshot, served by oxcd, reads as the etcd it came from.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// The tools' outputs, etcdutl's with its name replaced by oxutl's.
fn both(etcdutl: &Path, args: &[&str]) -> (Output, Output) {
    let mut expected = run(Command::new(etcdutl).args(args));
    expected.stdout = expected.stdout.replace("etcdutl", "oxutl");
    expected.stderr = expected.stderr.replace("etcdutl", "oxutl");
    let actual = run(Command::new(OXUTL).args(args));
    (expected, actual)
}

/// What oxutl's help leaves out (etcdutl's `backup`) or adds (the restore flags of
/// later etcdutls, 3.5.8 on, etcdutl 3.6's `hashkv`, `migrate-from-etcd` and `dump`); the command
/// list's padding follows the longest name, so it is compared without it.
fn without_known_differences(text: &str) -> String {
    text.lines()
        .filter(|l| {
            !l.starts_with("  backup ")
                && !l.starts_with("  migrate-from-etcd ")
                && !l.starts_with("  hashkv ")
                && !l.starts_with("  dump ")
                && !l.starts_with("      --bump-revision ")
                && !l.starts_with("      --mark-compacted ")
        })
        .map(
            |l| match l.strip_prefix("  ").and_then(|r| r.split_once("  ")) {
                Some((name, rest)) if !name.starts_with('-') && !name.contains(' ') => {
                    format!("  {name} {}\n", rest.trim_start())
                }
                _ => format!("{l}\n"),
            },
        )
        .collect()
}

fn assert_same(etcdutl: &Path, args: &[&str]) {
    let (mut expected, mut actual) = both(etcdutl, args);
    for out in [&mut expected, &mut actual] {
        out.stdout = without_known_differences(&out.stdout);
        out.stderr = without_known_differences(&out.stderr);
    }
    assert_eq!(actual, expected, "oxutl differs from etcdutl for {args:?}");
}

/// Writes with history, a deletion, a compaction, a lease with a key, a user and a role.
fn workload(server: &Server) {
    for i in 0..20 {
        server.ctl_ok(&["put", &format!("k{}", i % 7), &format!("v{i}")]);
    }
    server.ctl_ok(&["del", "k3"]);
    server.ctl_ok(&["compaction", "10"]);
    let granted = server.ctl_ok(&["lease", "grant", "3600"]);
    let lease = granted.split_whitespace().nth(1).expect("lease ID");
    server.ctl_ok(&["put", "leased", "x", "--lease", lease]);
    server.ctl_ok(&["user", "add", "alice:secret"]);
    server.ctl_ok(&["role", "add", "reader"]);
    server.ctl_ok(&["role", "grant-permission", "reader", "read", "k", "l"]);
    server.ctl_ok(&["user", "grant-role", "alice", "reader"]);
    for i in 0..5 {
        server.ctl_ok(&["put", &format!("later{i}"), &"x".repeat(1000 * i)]);
    }
}

/// `etcdctl snapshot save` of `server` into `dir`.
fn save(server: &Server, dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    server.ctl_ok(&["snapshot", "save", file.to_str().unwrap()]);
    file
}

#[test]
fn status_matches_etcdutl_on_snapshots_from_etcd_and_oxcd() {
    if !tools_present() {
        return;
    }
    let (Some(etcdutl), Some(oxcd)) = (etcdutl(), oxcd_bin()) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let etcd = Server::start(Path::new(ETCD));
    workload(&etcd);
    let from_etcd = save(&etcd, dir.path(), "etcd.db");
    let ours = Server::start(&oxcd);
    workload(&ours);
    let from_oxcd = save(&ours, dir.path(), "oxcd.db");
    let not_a_db = dir.path().join("text.db");
    std::fs::write(&not_a_db, "not a database\n".repeat(100)).unwrap();
    for file in [&from_etcd, &from_oxcd] {
        let file = file.to_str().unwrap();
        for format in ["simple", "json", "table", "fields", "protobuf", "yaml"] {
            assert_same(&etcdutl, &["snapshot", "status", file, "-w", format]);
        }
        assert_same(&etcdutl, &["-w", "json", "snap", "stat", file]);
    }
    let missing = dir.path().join("missing.db");
    for args in [
        &["snapshot", "status"][..],
        &["snapshot", "status", "a.db", "b.db"],
        &["snapshot", "status", missing.to_str().unwrap()],
        &["snapshot", "status", not_a_db.to_str().unwrap()],
        &["snapshot", "status", "--bogus", "x.db"],
    ] {
        assert_same(&etcdutl, args);
    }
}

#[test]
fn help_and_usage_errors_match_etcdutl() {
    let Some(etcdutl) = etcdutl() else {
        return;
    };
    for args in [
        &[][..],
        &["--help"],
        &["help"],
        &["help", "snapshot", "status"],
        &["snapshot"],
        &["snapshot", "bogus"],
        &["snapshot", "status", "--help"],
        &["snapshot", "restore", "-h"],
        &["snapshot", "restore", "x.db"],
        &["snapshot", "restore", "--data-dir"],
        &["snapshot", "restore", "--skip-hash-check=maybe", "x.db"],
        &["snapshot", "restore", "--data-dir", "d", "a.db", "b.db"],
        &["version", "--help"],
        &["defrag"],
        &["defrag", "--help"],
        &["help", "defrag"],
        &["bogus"],
        &["-x"],
    ] {
        assert_same(&etcdutl, args);
    }
    let (expected, actual) = both(&etcdutl, &["version"]);
    assert_eq!(expected.stdout, "oxutl version: 3.5.1\nAPI version: 3.5\n");
    assert_eq!(
        actual.stdout,
        format!(
            "oxutl version: {}\nAPI version: 3.6\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn failing_restores_fail_as_in_etcdutl() {
    let Some(etcdutl) = etcdutl() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let full = dir.path().join("full");
    std::fs::create_dir_all(full.join("something")).unwrap();
    let missing = dir.path().join("missing.db");
    let (full, missing) = (full.to_str().unwrap(), missing.to_str().unwrap());
    let fresh = dir.path().join("fresh");
    let fresh = fresh.to_str().unwrap();
    assert_same(
        &etcdutl,
        &["snapshot", "restore", missing, "--data-dir", full],
    );
    assert_same(
        &etcdutl,
        &["snapshot", "restore", missing, "--data-dir", fresh],
    );
    assert!(!Path::new(fresh).join("member/wal").exists());
}

/// etcd 3.4 → `etcdctl snapshot save` → `oxutl snapshot restore` → oxcd on the restored data
/// dir answers as the etcd did: keys with their revisions and history since the compaction,
/// the compacted revision refused, the lease, the user and the role.
#[test]
fn an_etcd_snapshot_restored_by_oxutl_serves_the_same_data_in_oxcd() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let etcd = Server::start(Path::new(ETCD));
    workload(&etcd);
    let snapshot = save(&etcd, dir.path(), "etcd.db");
    let (client, peer) = (free_port(), free_port());
    let peer_url = format!("http://127.0.0.1:{peer}");
    let data = dir.path().join("restored");
    let out = run(Command::new(OXUTL)
        .args(["snapshot", "restore"])
        .arg(&snapshot)
        .args(["--name", NAME, "--data-dir"])
        .arg(&data)
        .args(["--initial-cluster", &format!("{NAME}={peer_url}")])
        .args(["--initial-advertise-peer-urls", &peer_url]));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "", "")
    );
    let restored = Server::start_on(&oxcd, &data, client, peer);

    let kvs = |server: &Server, args: &[&str]| -> (serde_json::Value, serde_json::Value) {
        let text = server.ctl_ok(&[args, &["-w", "json"][..]].concat());
        let v: serde_json::Value = serde_json::from_str(&text).expect("get JSON");
        (v["header"]["revision"].clone(), v["kvs"].clone())
    };
    for args in [
        &["get", "--prefix", ""][..],
        &["get", "k1", "--rev", "12"],
        &["get", "--prefix", "k", "--rev", "15"],
    ] {
        assert_eq!(kvs(&restored, args), kvs(&etcd, args), "{args:?}");
    }
    for args in [
        &["get", "k1", "--rev", "5"][..],
        &["lease", "list"],
        &["user", "list"],
        &["user", "get", "alice"],
        &["role", "list"],
        &["role", "get", "reader"],
    ] {
        assert_eq!(restored.ctl(args), etcd.ctl(args), "{args:?}");
    }
}
