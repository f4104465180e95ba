//! Snapshots between 3-member clusters, both ways, with the real etcd 3.4: a snapshot of an etcd
//! cluster restored into every member of a new oxcd cluster, and a snapshot of an oxcd cluster
//! restored by `etcdctl snapshot restore` into every member of a new etcd cluster. Every member
//! serves the same keys, revisions, compaction bound, leases, users and roles as the source.

mod common;

use std::process::Command;

use common::etcd::Etcd;
use common::etcd_bins::{tools_present, ETCDCTL};
use common::history::{observed, ok, restore_options, save, write_history};
use common::members::start_all;
use common::{free_port, Server};
use oxcd_server::member::restore::restore_snapshot;

#[test]
fn an_etcd_cluster_snapshot_restores_into_an_oxcd_cluster() {
    if !tools_present() {
        return;
    }
    let sources = tempfile::tempdir().expect("temp dir");
    let peers = [free_port(), free_port(), free_port()];
    let etcd = Etcd::cluster(&peers, |name| sources.path().join(name));
    write_history(etcd[1].client_port);
    let expected = observed(etcd[2].client_port);
    let files = tempfile::tempdir().expect("temp dir");
    let snapshot = files.path().join("etcd.db");
    save(etcd[0].client_port, &snapshot);
    drop(etcd);

    let mut oxcd = Server::cluster(3, &[]);
    for m in &oxcd {
        let opts = restore_options(&snapshot, m);
        restore_snapshot(&opts, &mut |_, _| {}).expect("restore");
    }
    start_all(&mut oxcd);
    for m in &oxcd {
        assert_eq!(observed(m.client_port), expected, "member {}", m.name);
    }
    // A working cluster: a write on one member is read on another.
    ok(oxcd[0].client_port, &["put", "after", "restore"]);
    assert_eq!(
        ok(oxcd[2].client_port, &["get", "after", "--print-value-only"]),
        "restore\n"
    );
}

#[test]
fn an_oxcd_cluster_snapshot_restores_into_an_etcd_cluster() {
    if !tools_present() {
        return;
    }
    let mut oxcd = Server::cluster(3, &[]);
    start_all(&mut oxcd);
    write_history(oxcd[1].client_port);
    let expected = observed(oxcd[2].client_port);
    let files = tempfile::tempdir().expect("temp dir");
    let snapshot = files.path().join("oxcd.db");
    save(oxcd[0].client_port, &snapshot);
    drop(oxcd);

    let restored = tempfile::tempdir().expect("temp dir");
    let peers = [free_port(), free_port(), free_port()];
    let spec: Vec<String> = peers
        .iter()
        .enumerate()
        .map(|(i, p)| format!("e{i}=http://127.0.0.1:{p}"))
        .collect();
    for (i, peer) in peers.iter().enumerate() {
        let name = format!("e{i}");
        let out = Command::new(ETCDCTL)
            .env("ETCDCTL_API", "3")
            .args(["snapshot", "restore", snapshot.to_str().expect("utf-8")])
            .args(["--name", &name])
            .arg("--data-dir")
            .arg(restored.path().join(&name))
            .args(["--initial-cluster", &spec.join(",")])
            .args([
                "--initial-advertise-peer-urls",
                &format!("http://127.0.0.1:{peer}"),
            ])
            .output()
            .expect("etcdctl snapshot restore");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let etcd = Etcd::cluster(&peers, |name| restored.path().join(name));
    for (i, m) in etcd.iter().enumerate() {
        assert_eq!(observed(m.client_port), expected, "member e{i}");
    }
    ok(etcd[0].client_port, &["put", "after", "restore"]);
    assert_eq!(
        ok(etcd[2].client_port, &["get", "after", "--print-value-only"]),
        "restore\n"
    );
}
