//! The real etcd 3.4 (Debian's `etcd-server`), one member with a temp data dir, for tests that
//! compare oxcd with it. Killed on drop.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::etcd_bins::{ETCD, ETCDCTL};
use super::{free_port, http_get};

pub struct Etcd {
    child: Child,
    pub client_port: u16,
    dir: tempfile::TempDir,
}

impl Etcd {
    /// Starts etcd with `extra` flags and waits until `/health` says so.
    pub fn start(extra: &[&str]) -> Etcd {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        Etcd::start_on(dir, &data, "e1", free_port(), extra)
    }

    /// Starts etcd as member `name` on the data dir `data` (fresh, or made by a restore for
    /// that name and `peer_port`), logging into `dir`, which it keeps until dropped.
    pub fn start_on(
        dir: tempfile::TempDir,
        data: &std::path::Path,
        name: &str,
        peer_port: u16,
        extra: &[&str],
    ) -> Etcd {
        Etcd::start_program(Path::new(ETCD), dir, data, name, peer_port, extra)
    }

    /// [`Etcd::start_on`] with another etcd binary (another version).
    pub fn start_program(
        program: &Path,
        dir: tempfile::TempDir,
        data: &Path,
        name: &str,
        peer_port: u16,
        extra: &[&str],
    ) -> Etcd {
        let peer = format!("http://127.0.0.1:{peer_port}");
        let mut etcd = Etcd::spawn(
            program,
            dir,
            data,
            name,
            peer_port,
            &format!("{name}={peer}"),
            extra,
        );
        etcd.wait_healthy();
        etcd
    }

    /// Spawns etcd as member `name` of the new cluster `initial_cluster`, without waiting: the
    /// members of a cluster are all spawned, then waited for.
    pub fn spawn(
        program: &Path,
        dir: tempfile::TempDir,
        data: &Path,
        name: &str,
        peer_port: u16,
        initial_cluster: &str,
        extra: &[&str],
    ) -> Etcd {
        let client_port = free_port();
        let client = format!("http://127.0.0.1:{client_port}");
        let peer = format!("http://127.0.0.1:{peer_port}");
        let log = std::fs::File::create(dir.path().join("etcd.log")).expect("etcd log");
        let child = Command::new(program)
            .args(["--name", name, "--data-dir"])
            .arg(data)
            .args(["--listen-client-urls", &client])
            .args(["--advertise-client-urls", &client])
            .args(["--listen-peer-urls", &peer])
            .args(["--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", initial_cluster])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("dup log"))
            .stderr(log)
            .spawn()
            .expect("start etcd");
        Etcd {
            child,
            client_port,
            dir,
        }
    }

    /// Waits until `/health` says so.
    pub fn wait_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                panic!("etcd exited with {status}:\n{}", self.log());
            }
            if let Ok((200, body)) = http_get(self.client_port, "/health") {
                if body.contains("\"true\"") {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "etcd not healthy:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A new etcd 3.4 cluster of three, each member on the data dir `data_of(name)` (fresh, or
    /// restored for that name and peer port), all spawned before any is waited for.
    pub fn cluster(peer_ports: &[u16; 3], data_of: impl Fn(&str) -> PathBuf) -> Vec<Etcd> {
        Etcd::cluster_with(peer_ports, data_of, |_| Vec::new())
    }

    /// [`Etcd::cluster`], member `i` (named `e{i}`) started with the extra flags `extra_of(i)`.
    pub fn cluster_with(
        peer_ports: &[u16; 3],
        data_of: impl Fn(&str) -> PathBuf,
        extra_of: impl Fn(usize) -> Vec<String>,
    ) -> Vec<Etcd> {
        let spec: Vec<String> = peer_ports
            .iter()
            .enumerate()
            .map(|(i, p)| format!("e{i}=http://127.0.0.1:{p}"))
            .collect();
        let spec = spec.join(",");
        let mut members: Vec<Etcd> = peer_ports
            .iter()
            .enumerate()
            .map(|(i, &peer)| {
                let name = format!("e{i}");
                let logs = tempfile::tempdir().expect("temp dir");
                let extra = extra_of(i);
                let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
                Etcd::spawn(
                    Path::new(ETCD),
                    logs,
                    &data_of(&name),
                    &name,
                    peer,
                    &spec,
                    &extra,
                )
            })
            .collect();
        for m in &mut members {
            m.wait_healthy();
        }
        members
    }

    /// Stops etcd with SIGTERM (a clean stop) and hands back the directory holding its data.
    pub fn stop_keeping_dir(mut self) -> tempfile::TempDir {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
        std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"))
    }

    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.client_port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("etcd.log")).unwrap_or_default()
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// etcdctl 3.4 (API v3) against the server on `port`, running, with `stdin` written to it.
pub fn spawn_etcdctl(port: u16, args: &[&str], stdin: &[u8]) -> Child {
    let mut child = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run etcdctl");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin)
        .expect("write etcdctl's stdin");
    child
}

/// etcdctl's exit code and output for `args` against the server on `port`, with `stdin`: its
/// stdout followed by the last line of its stderr (clientv3's retry log lines carry times and
/// client IDs; etcdctl's own last line says it all).
pub fn etcdctl_outcome(port: u16, args: &[&str], stdin: &[u8]) -> (i32, String) {
    let out = spawn_etcdctl(port, args, stdin)
        .wait_with_output()
        .expect("etcdctl output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default().to_string();
    (
        out.status.code().unwrap_or(-1),
        format!("{}{last}", String::from_utf8_lossy(&out.stdout)),
    )
}

/// Replaces every run of digits after `prefix` with `mask`.
pub fn mask_after(text: &str, prefix: &str, mask: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at + prefix.len()]);
        rest = &rest[at + prefix.len()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str(mask);
            rest = &rest[digits..];
        }
    }
    out + rest
}
