//! Twin real etcd servers for comparing oxctl with etcdctl 3.4: two single-member clusters
//! started with the same name, advertised peer and client URLs, hence the same cluster and member
//! IDs. Fed the same commands in the same order they stay identical, revisions and all.
//! Needs /usr/bin/etcd and /usr/bin/etcdctl; without them the tests print a notice and pass
//! (except in CI, where they fail).
#![allow(dead_code)]

use std::io::Write;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::oxctl_identity;

#[path = "../../../oxcd/tests/common/etcd_bins.rs"]
mod etcd_bins;
pub use etcd_bins::{tools_present, ETCD, ETCDCTL};

pub const OXCTL: &str = env!("CARGO_BIN_EXE_oxctl");

#[path = "../../../oxcd/tests/common/ports.rs"]
mod ports;
pub use ports::free_port;

/// A running etcd, killed on drop.
pub struct Etcd {
    child: Child,
    pub client: String,
    _dir: tempfile::TempDir,
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts an etcd listening on `client_port`/`peer_port` but advertising `advertised_*`, so twins
/// share their identity.
pub fn start_etcd(
    client_port: u16,
    peer_port: u16,
    advertised_client: u16,
    advertised_peer: u16,
) -> Etcd {
    let dir = tempfile::tempdir().expect("temp dir");
    let peer = format!("http://127.0.0.1:{advertised_peer}");
    let child = Command::new(ETCD)
        .args(["--name", "ref", "--data-dir"])
        .arg(dir.path())
        .args([
            "--listen-client-urls",
            &format!("http://127.0.0.1:{client_port}"),
        ])
        .args([
            "--advertise-client-urls",
            &format!("http://127.0.0.1:{advertised_client}"),
        ])
        .args([
            "--listen-peer-urls",
            &format!("http://127.0.0.1:{peer_port}"),
        ])
        .args(["--initial-advertise-peer-urls", &peer])
        .args(["--initial-cluster", &format!("ref={peer}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start etcd");
    let etcd = Etcd {
        child,
        client: format!("127.0.0.1:{client_port}"),
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            Instant::now() < deadline,
            "etcd on {} did not become ready",
            etcd.client
        );
        if TcpStream::connect(&etcd.client).is_ok() {
            let out = run(
                ETCDCTL,
                &etcd.client,
                &["--command-timeout", "1s", "get", "ready"],
                "",
            );
            if out.code == 0 {
                return etcd;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Twins from [`start_twins`], or `None` when etcd is not installed (outside CI).
pub fn twins_if_installed() -> Option<(Etcd, Etcd)> {
    tools_present().then(start_twins)
}

/// Two etcd servers with the same identity: `a` for etcdctl, `b` for oxctl.
pub fn start_twins() -> (Etcd, Etcd) {
    let (client_a, peer_a, client_b, peer_b) = (free_port(), free_port(), free_port(), free_port());
    let a = start_etcd(client_a, peer_a, client_a, peer_a);
    let b = start_etcd(client_b, peer_b, client_a, peer_a);
    (a, b)
}

#[derive(Debug, PartialEq)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    /// Stdout as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

pub fn run(tool: &str, endpoint: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(tool)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", endpoint])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the tool");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("tool finishes");
    // clientv3's zap warnings are log noise, not output.
    let stderr: String = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.starts_with("{\"level\""))
        .map(|l| format!("{l}\n"))
        .collect();
    Output {
        stdout: out.stdout,
        stderr,
        code: out.status.code().unwrap_or(-1),
    }
}

/// What newer etcdctls have and etcdctl 3.4 lacks (3.5's `get --count-only`,
/// `--{min,max}-{mod,create}-revision` and `auth status`), and oxctl's own `get` flags for
/// Kubernetes values: their lines in oxctl's help are left out of the comparison.
pub fn without_oxctl_only_flags(stdout: &[u8]) -> Vec<u8> {
    const EXTRA: [&str; 8] = [
        "--count-only",
        "--min-mod-revision",
        "--max-mod-revision",
        "--min-create-revision",
        "--max-create-revision",
        "--decode",
        "--encryption-config",
        "--show-managed-fields",
    ];
    // Commands of newer etcdctls, listed in their parent's help.
    const EXTRA_COMMANDS: [&str; 1] = ["\tstatus\tReturns authentication status\n"];
    stdout
        .split_inclusive(|&b| b == b'\n')
        .filter(|line| {
            let text = String::from_utf8_lossy(line);
            let extra_flag = text.starts_with("      --")
                && EXTRA.iter().any(|flag| {
                    text.contains(&format!("{flag}=")) || text.contains(&format!("{flag}[="))
                });
            !extra_flag && !EXTRA_COMMANDS.contains(&text.as_ref())
        })
        .flatten()
        .copied()
        .collect()
}

/// Runs `args` with etcdctl on `a` and oxctl on `b` and asserts identical results.
pub fn same(a: &Etcd, b: &Etcd, args: &[&str], stdin: &str) {
    let expected = run(ETCDCTL, &a.client, args, stdin);
    assert_oxctl_prints(expected, b, args, stdin);
}

/// A help text (`args` ends in `--help`) with etcdctl on `a` and oxctl on `b`: identical but
/// for the API version, which is oxctl's.
pub fn same_help(a: &Etcd, b: &Etcd, args: &[&str]) {
    let mut expected = run(ETCDCTL, &a.client, args, "");
    expected.stdout = oxctl_identity::help_as_oxctl(&expected.stdout);
    assert_oxctl_prints(expected, b, args, "");
}

/// Runs `args` with oxctl on `b` and asserts it prints `expected`.
pub fn assert_oxctl_prints(expected: Output, b: &Etcd, args: &[&str], stdin: &str) {
    let mut actual = run(OXCTL, &b.client, args, stdin);
    actual.stdout = without_oxctl_only_flags(&actual.stdout);
    assert_eq!(
        (
            String::from_utf8_lossy(&actual.stdout),
            &actual.stderr,
            actual.code
        ),
        (
            String::from_utf8_lossy(&expected.stdout),
            &expected.stderr,
            expected.code
        ),
        "oxctl differs from etcdctl for {args:?} with stdin {stdin:?}"
    );
}

pub const FORMATS: [&str; 5] = ["simple", "json", "fields", "protobuf", "table"];
