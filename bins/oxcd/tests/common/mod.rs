//! Real `oxcd` processes for end-to-end tests: free ports, temp data dirs, kill -9 and restarts.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub mod etcd;
pub mod etcd_bins;
pub mod etcd_go;
pub mod history;
pub mod logs;
pub mod members;
pub mod pki;
mod ports;
pub mod proxy;
pub mod pypi;
pub mod secure;
pub mod v2compare;
pub mod webdriver;

pub use ports::free_port;

pub struct Server {
    pub name: String,
    /// `--initial-cluster`; None for a lone member.
    pub initial_cluster: Option<String>,
    pub dir: tempfile::TempDir,
    pub client_port: u16,
    pub peer_port: u16,
    /// The peer port other members dial, when it differs from the one this member listens on
    /// (a [`proxy::Proxy`] in front of `peer_port`).
    pub advertise_peer_port: Option<u16>,
    pub extra: Vec<String>,
    /// The server run: oxcd, or an etcd taking the same flags (a reference run).
    pub program: PathBuf,
    /// The plain-HTTP port answering `/health` (`--listen-metrics-urls`) when the client URL
    /// is TLS; None: the client port.
    pub probe_port: Option<u16>,
    /// Environment variables of the next spawns (`OXCD_FAILPOINTS`, say).
    pub env: Vec<(String, String)>,
    child: Option<Child>,
}

impl Server {
    /// Starts a fresh single-member server and waits until it answers.
    pub fn start(extra: &[&str]) -> Server {
        let mut s = Server::single(extra);
        s.restart();
        s
    }

    /// A fresh single-member server, not started yet.
    pub fn single(extra: &[&str]) -> Server {
        Server {
            name: "t1".to_string(),
            initial_cluster: None,
            dir: tempfile::tempdir().expect("temp dir"),
            client_port: free_port(),
            peer_port: free_port(),
            advertise_peer_port: None,
            extra: extra.iter().map(|s| s.to_string()).collect(),
            program: PathBuf::from(env!("CARGO_BIN_EXE_oxcd")),
            probe_port: None,
            env: Vec::new(),
            child: None,
        }
    }

    /// The members of a new cluster, not yet started (spawn them all, then wait for each).
    pub fn cluster(size: usize, extra: &[&str]) -> Vec<Server> {
        let mut servers: Vec<Server> = (0..size)
            .map(|i| {
                let mut member = Server::single(extra);
                member.name = format!("m{i}");
                member
            })
            .collect();
        Server::set_initial_cluster(&mut servers);
        servers
    }

    /// Gives every member the same `--initial-cluster`: all of them, by advertised peer URL.
    pub fn set_initial_cluster(servers: &mut [Server]) {
        let spec: Vec<String> = servers
            .iter()
            .map(|s| format!("{}={}", s.name, s.advertised_peer_url()))
            .collect();
        for s in servers {
            s.initial_cluster = Some(spec.join(","));
        }
    }

    /// The peer URL the other members dial.
    pub fn advertised_peer_url(&self) -> String {
        let port = self.advertise_peer_port.unwrap_or(self.peer_port);
        format!("http://127.0.0.1:{port}")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.client_port)
    }

    pub fn args(&self) -> Vec<String> {
        let client = format!("http://127.0.0.1:{}", self.client_port);
        let peer = format!("http://127.0.0.1:{}", self.peer_port);
        let advertised_peer = self.advertised_peer_url();
        let initial_cluster = self
            .initial_cluster
            .clone()
            .unwrap_or(format!("{}={advertised_peer}", self.name));
        let mut args: Vec<String> = [
            "--name",
            &self.name,
            "--data-dir",
            self.data_dir().to_str().expect("utf-8 temp path"),
            "--listen-client-urls",
            &client,
            "--advertise-client-urls",
            &client,
            "--listen-peer-urls",
            &peer,
            "--initial-advertise-peer-urls",
            &advertised_peer,
            "--initial-cluster",
            &initial_cluster,
            "--log-level",
            "warn",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(self.extra.iter().cloned());
        args
    }

    /// Spawns the process without waiting for readiness.
    pub fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("open log");
        let child = Command::new(&self.program)
            .args(self.args())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("dup log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", self.program.display()));
        self.child = Some(child);
    }

    pub fn restart(&mut self) {
        self.spawn();
        self.wait_healthy(Duration::from_secs(20));
    }

    pub fn wait_healthy(&mut self, timeout: Duration) {
        self.wait_for("/health", timeout);
    }

    /// Waits until the member serves, whatever its health: `/livez` (unlike `/health`) stays
    /// true while an alarm is raised.
    pub fn wait_live(&mut self, timeout: Duration) {
        self.wait_for("/livez", timeout);
    }

    fn wait_for(&mut self, path: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().expect("try_wait"))
            {
                panic!("oxcd exited early with {status}:\n{}", self.log());
            }
            if let Ok((200, body)) = http_get(self.probe_port.unwrap_or(self.client_port), path) {
                // /health says {"health":"true"}, the probes "ok".
                if body.contains("\"true\"") || body == "ok\n" {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "oxcd not answering {path} in time:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Sends `signal` and returns how the process ended.
    pub fn stop_with(&mut self, signal: i32) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("server running");
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(c.id() as i32, signal) };
        c.wait().expect("wait for oxcd")
    }

    /// Waits for the process to exit by itself (a refused start) and returns its status and log.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        let c = self.child.as_mut()?;
        loop {
            if let Some(st) = c.try_wait().expect("try_wait") {
                self.child = None;
                return Some(st);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub async fn client(&self) -> etcd_client::Client {
        etcd_client::Client::connect([self.endpoint()], None)
            .await
            .expect("connect etcd-client")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A minimal HTTP/1.1 request; returns the status code and body.
pub fn http_request(
    port: u16,
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    http_exchange(port, method, path, "application/json", body).map(|r| (r.status, r.body))
}

/// What a server answered: status, headers (names lower-cased) and the de-chunked body.
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request with the given content type, read to the end.
pub fn http_exchange(
    port: u16,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> std::io::Result<HttpReply> {
    http_exchange_with(port, method, path, &[("Content-Type", content_type)], body)
}

/// One HTTP/1.1 request with the given headers, read to the end.
pub fn http_exchange_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<HttpReply> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    // One write: `write!` on the socket sends each piece of the format on its own, and a server
    // that answers (and closes) before the last piece arrives resets the connection; etcd 3.4
    // does that to a PATCH of /v2/keys, so the test would read a reset instead of its answer.
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes())?;
    let mut raw = String::new();
    s.read_to_string(&mut raw)?;
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, rest) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Ok(HttpReply {
        status,
        headers,
        body,
    })
}

pub fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    http_request(port, "GET", path, "")
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// `oxctl`, built beside the test binary (`target/<profile>/oxctl`): `cargo build -p oxctl` first.
pub fn oxctl() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>");
    let path = profile_dir.join("oxctl");
    assert!(
        path.exists(),
        "{} is missing: build it first with `cargo build -p oxctl`",
        path.display()
    );
    path
}

pub fn wal_files(data_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir.join("member/wal"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "wal"));
    files.sort();
    files
}
