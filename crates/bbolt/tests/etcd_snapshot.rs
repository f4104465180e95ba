//! A snapshot saved by the real etcd 3.4 (`etcdctl snapshot save`) through our reader, compared
//! with what go.etcd.io/bbolt reads from the same file.

mod support;

#[path = "../../../bins/oxcd/tests/common/etcd_bins.rs"]
mod etcd_bins;
#[path = "../../../bins/oxcd/tests/common/ports.rs"]
mod ports;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use etcd_bins::{ETCD, ETCDCTL};
use support::{dump, go, gocheck};

/// The buckets etcd 3.4 creates in its backend.
const ETCD_BUCKETS: [&str; 10] = [
    "alarm",
    "auth",
    "authRoles",
    "authUsers",
    "cluster",
    "key",
    "lease",
    "members",
    "members_removed",
    "meta",
];

struct Etcd(Child);

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn etcdctl(endpoint: &str, args: &[&str]) -> std::process::Output {
    Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", endpoint, "--dial-timeout", "2s"])
        .args(args)
        .output()
        .expect("run etcdctl")
}

fn etcdctl_ok(endpoint: &str, args: &[&str]) -> String {
    let out = etcdctl(endpoint, args);
    assert!(
        out.status.success(),
        "etcdctl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn start_etcd(dir: &Path) -> (Etcd, String) {
    let client = format!("http://127.0.0.1:{}", ports::free_port());
    let peer = format!("http://127.0.0.1:{}", ports::free_port());
    let log = std::fs::File::create(dir.join("etcd.log")).expect("log file");
    let child = Command::new(ETCD)
        .arg("--name=snap")
        .arg(format!("--data-dir={}", dir.join("data").display()))
        .arg(format!("--listen-client-urls={client}"))
        .arg(format!("--advertise-client-urls={client}"))
        .arg(format!("--listen-peer-urls={peer}"))
        .arg(format!("--initial-advertise-peer-urls={peer}"))
        .arg(format!("--initial-cluster=snap={peer}"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start etcd");
    let etcd = Etcd(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !etcdctl(&client, &["endpoint", "health"]).status.success() {
        assert!(Instant::now() < deadline, "etcd did not become healthy");
        std::thread::sleep(Duration::from_millis(200));
    }
    (etcd, client)
}

#[test]
fn reads_a_snapshot_saved_by_etcd() {
    if !etcd_bins::tools_present() {
        return;
    }
    let Some(bin) = gocheck() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let (etcd, endpoint) = start_etcd(dir.path());

    let keys: Vec<String> = (0..40).map(|i| format!("/oxcd/bbolt/key-{i:03}")).collect();
    for (i, key) in keys.iter().enumerate() {
        etcdctl_ok(&endpoint, &["put", key, &format!("value-{i}")]);
    }
    etcdctl_ok(&endpoint, &["put", &keys[0], &"rewritten ".repeat(500)]);
    etcdctl_ok(&endpoint, &["del", &keys[1]]);
    let lease = etcdctl_ok(&endpoint, &["lease", "grant", "600"]);
    let lease_id = lease.split_whitespace().nth(1).expect("lease id");
    etcdctl_ok(&endpoint, &["put", "--lease", lease_id, "leased-key", "v"]);
    let snapshot = dir.path().join("snapshot.db");
    etcdctl_ok(
        &endpoint,
        &["snapshot", "save", &snapshot.display().to_string()],
    );
    drop(etcd);

    let db = oxcd_bbolt::read(&snapshot).expect("read etcd's snapshot");
    // etcd 3.4 does not persist bbolt's freelist, and the snapshot stream appends a sha256.
    assert_eq!(db.meta().freelist, None);
    let len = std::fs::metadata(&snapshot).expect("snapshot").len();
    assert_eq!(
        len,
        db.meta().high_water * u64::from(db.meta().page_size) + 32
    );
    let names: Vec<String> = db
        .buckets()
        .map(|(name, _)| String::from_utf8_lossy(name).into_owned())
        .collect();
    for bucket in ETCD_BUCKETS {
        assert!(
            names.iter().any(|n| n == bucket),
            "{bucket} missing from {names:?}"
        );
    }

    let key_bucket = db.bucket(b"key").expect("key bucket");
    // 40 puts, the rewrite, the delete's tombstone, the leased put.
    assert_eq!(key_bucket.len(), 43);
    for (revision, value) in key_bucket.iter() {
        // A revision: 8-byte main, '_', 8-byte sub, and a trailing 't' for a tombstone.
        assert!(revision.len() == 17 || revision.len() == 18, "{revision:?}");
        assert_eq!(revision[8], b'_');
        let found = keys
            .iter()
            .map(String::as_bytes)
            .chain([&b"leased-key"[..]])
            .any(|k| value.windows(k.len()).any(|w| w == k));
        assert!(found, "revision {revision:?} holds none of our keys");
    }
    let tombstones = key_bucket.iter().filter(|(r, _)| r.len() == 18).count();
    assert_eq!(tombstones, 1);
    assert_eq!(db.bucket(b"lease").map(|b| b.len()), Some(1));

    assert!(
        dump(&db) == go(&bin, "dump", &snapshot),
        "our reader and go.etcd.io/bbolt disagree on etcd's snapshot"
    );
}
