//! A real etcd member on a scratch data dir, and byte-level helpers for damaging its files.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../../../bins/oxcd/tests/common/etcd_bins.rs"]
pub mod etcd_bins;
#[path = "../../../../bins/oxcd/tests/common/ports.rs"]
mod ports;

pub use etcd_bins::{tools_present, ETCD, ETCDCTL};

/// One etcd member; killed with SIGKILL when dropped, as a crash would.
pub struct Etcd {
    child: Child,
    pub data_dir: PathBuf,
    pub endpoint: String,
}

impl Etcd {
    pub fn start(etcd: &str, data_dir: &Path, extra: &[&str]) -> Etcd {
        let client = ports::free_port();
        let peer = ports::free_port();
        let endpoint = format!("http://127.0.0.1:{client}");
        let peer_url = format!("http://127.0.0.1:{peer}");
        let log = std::fs::File::create(data_dir.with_extension("log")).expect("etcd log file");
        let child = Command::new(etcd)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--name", "default"])
            .args(["--listen-client-urls", &endpoint])
            .args(["--advertise-client-urls", &endpoint])
            .args(["--listen-peer-urls", &peer_url])
            .args(["--initial-advertise-peer-urls", &peer_url])
            .args(["--initial-cluster", &format!("default={peer_url}")])
            .args(extra)
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .expect("spawn etcd");
        let etcd = Etcd {
            child,
            data_dir: data_dir.to_path_buf(),
            endpoint,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !etcd.ctl(&["endpoint", "health"]).status.success() {
            assert!(Instant::now() < deadline, "etcd did not become healthy");
            std::thread::sleep(Duration::from_millis(100));
        }
        etcd
    }

    pub fn ctl(&self, args: &[&str]) -> std::process::Output {
        Command::new(ETCDCTL)
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", &self.endpoint])
            .args(args)
            .output()
            .expect("run etcdctl")
    }

    pub fn put(&self, key: &str, value: &str) {
        let out = self.ctl(&["put", key, value]);
        assert!(out.status.success(), "put {key}: {out:?}");
    }

    /// A value too long for a command line goes in on stdin.
    pub fn put_stdin(&self, key: &str, value: &[u8]) {
        let mut child = Command::new(ETCDCTL)
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", &self.endpoint, "put", key])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("run etcdctl");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(value)
            .expect("write value");
        assert!(child.wait().expect("etcdctl").success(), "put {key}");
    }

    pub fn put_v2(&self, key: &str, value: &str) {
        let out = Command::new(ETCDCTL)
            .env("ETCDCTL_API", "2")
            .args(["--endpoints", &self.endpoint, "set", key, value])
            .output()
            .expect("run etcdctl");
        assert!(out.status.success(), "v2 set {key}: {out:?}");
    }

    /// The raft index etcd reports.
    pub fn raft_index(&self) -> u64 {
        let out = self.ctl(&["endpoint", "status", "-w", "json"]);
        assert!(out.status.success(), "endpoint status: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("status json");
        v[0]["Status"]["raftIndex"].as_u64().expect("raftIndex")
    }

    /// Puts filler keys until the newest `.snap` is behind the log's end, so that reading the
    /// WAL after the snapshot has entries to find. A snapshot is taken after the put that
    /// triggers it has been answered, hence the pause before looking.
    pub fn leave_entries_after_the_snapshot(&self, newest_snap_index: impl Fn() -> u64) {
        for i in 0..20 {
            std::thread::sleep(Duration::from_millis(300));
            if newest_snap_index() < self.raft_index() {
                return;
            }
            self.put(&format!("filler-{i}"), "x");
        }
        panic!("every put was followed by a snapshot");
    }

    /// `(cluster id, member id)` as etcd reports them.
    pub fn ids(&self) -> (u64, u64) {
        let out = self.ctl(&["member", "list", "-w", "json"]);
        assert!(out.status.success(), "member list: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("member list json");
        let cluster = v["header"]["cluster_id"].as_u64().expect("cluster_id");
        let member = v["header"]["member_id"].as_u64().expect("member_id");
        assert_eq!(v["members"][0]["ID"].as_u64(), Some(member));
        (cluster, member)
    }

    pub fn wal_dir(&self) -> PathBuf {
        self.data_dir.join("member/wal")
    }

    pub fn snap_dir(&self) -> PathBuf {
        self.data_dir.join("member/snap")
    }

    /// SIGKILL, so the WAL is exactly what the crash left.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The segments of a WAL directory, sorted.
pub fn segments(wal: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(wal)
        .expect("wal dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "wal"))
        .collect();
    names.sort();
    names
}

/// Frames of a segment as `(offset, end)`, walked by their length words up to the zero tail.
pub fn frames(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        if word == 0 {
            break;
        }
        let len = word & !(0xff << 56);
        let pad = if word >> 63 == 1 { (word >> 56) & 7 } else { 0 };
        let end = at + 8 + (len + pad) as usize;
        out.push((at, end));
        at = end;
    }
    out
}

/// Copies a WAL directory's segments, each only up to its last frame plus some zero tail, so
/// that damaging copies does not cost 64 MB apiece.
pub fn copy_wal(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for seg in segments(from) {
        let bytes = std::fs::read(&seg).expect("read segment");
        let used = frames(&bytes).last().map_or(0, |f| f.1);
        let keep = (used + 4096).min(bytes.len());
        std::fs::write(to.join(seg.file_name().expect("name")), &bytes[..keep]).expect("copy");
    }
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
