//! etcdctl 3.4 (API v3) against any server, and the history the import and restore tests write:
//! keys with history, a deletion, a compaction, a lease with a key, users and roles.

use std::process::Command;

use oxcd_server::member::restore::RestoreOptions;

use super::etcd_bins::ETCDCTL;
use super::Server;

pub fn ctl(port: u16, args: &[&str]) -> std::process::Output {
    Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", &format!("127.0.0.1:{port}")])
        .args(args)
        .output()
        .expect("run etcdctl")
}

/// [`ctl`], which must succeed; its stdout.
pub fn ok(port: u16, args: &[&str]) -> String {
    let out = ctl(port, args);
    assert!(
        out.status.success(),
        "etcdctl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `etcdctl snapshot save FILE` against the server on `port`.
pub fn save(port: u16, file: &std::path::Path) {
    let out = ok(
        port,
        &["snapshot", "save", file.to_str().expect("utf-8 path")],
    );
    assert!(out.contains("Snapshot saved at"), "{out}");
}

/// Keys with history, a deletion, a compaction, a lease with a key, users and roles.
pub fn write_history(port: u16) {
    for i in 0..5 {
        ok(port, &["put", &format!("k{i}"), &format!("v{i}")]);
    }
    ok(port, &["put", "k1", "v1-again"]);
    ok(port, &["del", "k2"]);
    ok(port, &["compaction", "4"]);
    let grant = ok(port, &["lease", "grant", "600"]);
    let lease = grant
        .split_whitespace()
        .nth(1)
        .expect("lease id")
        .to_string();
    ok(port, &["put", "leased", "x", &format!("--lease={lease}")]);
    ok(port, &["user", "add", "root:rootpw"]);
    ok(port, &["role", "add", "reader"]);
    ok(
        port,
        &["role", "grant-permission", "reader", "read", "k", "l"],
    );
    ok(port, &["user", "add", "alice:pw"]);
    ok(port, &["user", "grant-role", "alice", "reader"]);
}

/// What a client sees of the data: every key with its revisions and lease, the revision, what
/// compaction left, the leases, users and roles.
pub fn observed(port: u16) -> String {
    let got: serde_json::Value =
        serde_json::from_str(&ok(port, &["get", "--prefix", "", "-w", "json"])).expect("json");
    let kvs: Vec<String> = got["kvs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|kv| {
            format!(
                "{} {} {} {} {} {}",
                kv["key"],
                kv["value"],
                kv["create_revision"],
                kv["mod_revision"],
                kv["version"],
                kv["lease"]
            )
        })
        .collect();
    let compacted = String::from_utf8_lossy(&ctl(port, &["get", "k1", "--rev=3"]).stderr)
        .lines()
        .filter(|l| l.starts_with("Error:"))
        .collect::<Vec<_>>()
        .join("");
    let old = ok(port, &["get", "k1", "--rev=5"]);
    format!(
        "revision {}\n{}\n{compacted}\nat 5: {old}leases: {}users: {}{}",
        got["header"]["revision"],
        kvs.join("\n"),
        ok(port, &["lease", "list"]),
        ok(port, &["user", "list"]),
        ok(port, &["role", "get", "reader"]),
    )
}

/// The options `oxutl snapshot restore` would get to restore `snapshot` as `server` (alone, or
/// as a member of its cluster).
pub fn restore_options(snapshot: &std::path::Path, server: &Server) -> RestoreOptions {
    let peer = server.advertised_peer_url();
    RestoreOptions {
        snapshot: snapshot.to_path_buf(),
        name: server.name.clone(),
        data_dir: server.data_dir(),
        wal_dir: None,
        initial_cluster: server
            .initial_cluster
            .clone()
            .unwrap_or_else(|| format!("{}={peer}", server.name)),
        initial_cluster_token: "etcd-cluster".to_string(),
        initial_advertise_peer_urls: peer,
        skip_hash_check: false,
        mark_compacted: false,
        bump_revision: 0,
        refuse_existing_data_dir: false,
    }
}

/// `server` started on an etcd data dir: it imported it, kept etcd's member ID `member_id`, and
/// takes writes.
pub fn assert_imported(server: &Server, member_id: u64) {
    let port = server.client_port;
    let status = ok(port, &["endpoint", "status", "-w", "json"]);
    assert!(
        status.contains(&format!("\"member_id\":{member_id}")),
        "{status}"
    );
    assert!(
        server.log().contains("imported an etcd data dir"),
        "{}",
        server.log()
    );
    ok(port, &["put", "after", "import"]);
    assert_eq!(
        ok(port, &["get", "after", "--print-value-only"]),
        "import\n"
    );
}
