//! Fresh single-member servers with the v2 API (`--enable-v2`), the real etcd 3.4 or oxcd,
//! started with the same flags, and the runner of v2 command scripts against them.
//! Needs /usr/bin/etcd and /usr/bin/etcdctl (and the oxcd binary for oxcd); without them the
//! tests print a notice and pass (except in CI, where they fail).
#![allow(dead_code)]

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../../../oxcd/tests/common/etcd_bins.rs"]
mod etcd_bins;
#[path = "../../../oxcd/tests/common/ports.rs"]
mod ports;

pub use etcd_bins::{tools_present, ETCD, ETCDCTL};
pub use ports::free_port;

pub const OXCTL: &str = env!("CARGO_BIN_EXE_oxctl");

/// The name every server is started with: with the same peer URL it makes the same member and
/// cluster IDs, hence the same v2 answers.
pub const NAME: &str = "v2ref";

/// The oxcd server binary: `OXCD_BIN`, or the one built beside oxctl (`cargo build -p oxcd`).
/// Outside CI a missing binary skips the test, as a missing etcd does.
pub fn oxcd_bin() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("OXCD_BIN") {
        return Some(PathBuf::from(path));
    }
    let beside = Path::new(OXCTL).with_file_name("oxcd");
    if beside.exists() {
        return Some(beside);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the oxcd binary must be built in CI (cargo build -p oxcd)"
    );
    println!("skipping: no oxcd binary beside oxctl (cargo build -p oxcd, or set OXCD_BIN)");
    None
}

/// Which server a run talks to.
#[derive(Debug, Clone)]
pub enum Kind {
    Etcd,
    Oxcd(PathBuf),
}

/// A running server, killed on drop.
pub struct Server {
    child: Child,
    pub client: u16,
    scheme: &'static str,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.client)
    }

    /// oxcd's log (etcd's goes nowhere).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

/// The files of a server's TLS client URL (`https`, client certificates required).
pub struct ServerTls {
    pub cert: String,
    pub key: String,
    pub ca: String,
    /// A client certificate and key the CA signed, for the readiness probe.
    pub client_cert: String,
    pub client_key: String,
}

/// Starts `kind` with etcd's flags and `--enable-v2`, and waits until etcdctl can list `/`.
pub fn start(kind: &Kind, client: u16, peer: u16) -> Server {
    start_with(kind, client, peer, None)
}

/// [`start`], serving the client URL over TLS when `tls` is given.
pub fn start_with(kind: &Kind, client: u16, peer: u16, tls: Option<&ServerTls>) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    start_on(kind, client, peer, tls, dir, &data)
}

/// [`start_with`] on the data dir `data` (which may already hold a member); `dir` holds the log.
pub fn start_on(
    kind: &Kind,
    client: u16,
    peer: u16,
    tls: Option<&ServerTls>,
    dir: tempfile::TempDir,
    data: &Path,
) -> Server {
    let scheme = if tls.is_some() { "https" } else { "http" };
    let client_url = format!("{scheme}://127.0.0.1:{client}");
    let peer_url = format!("http://127.0.0.1:{peer}");
    let program = match kind {
        Kind::Etcd => PathBuf::from(ETCD),
        Kind::Oxcd(path) => path.clone(),
    };
    let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
    let mut server_tls = Vec::new();
    let mut probe_tls = Vec::new();
    if let Some(t) = tls {
        server_tls = vec![
            format!("--cert-file={}", t.cert),
            format!("--key-file={}", t.key),
            format!("--trusted-ca-file={}", t.ca),
            "--client-cert-auth".to_string(),
        ];
        probe_tls = vec![
            format!("--ca-file={}", t.ca),
            format!("--cert-file={}", t.client_cert),
            format!("--key-file={}", t.client_key),
        ];
    }
    let child = Command::new(program)
        .args(&server_tls)
        .args(["--name", NAME, "--enable-v2", "--data-dir"])
        .arg(data)
        .args(["--listen-client-urls", &client_url])
        .args(["--advertise-client-urls", &client_url])
        .args(["--listen-peer-urls", &peer_url])
        .args(["--initial-advertise-peer-urls", &peer_url])
        .args(["--initial-cluster", &format!("{NAME}={peer_url}")])
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("dup log"))
        .stderr(log)
        .spawn()
        .expect("start the server");
    let mut server = Server {
        child,
        client,
        scheme,
        dir,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = server.child.try_wait().expect("poll server") {
            panic!("{kind:?} exited with {status}:\n{}", server.log());
        }
        assert!(
            Instant::now() < deadline,
            "{kind:?} on {client_url} did not become ready:\n{}",
            server.log()
        );
        if TcpStream::connect(("127.0.0.1", client)).is_ok() {
            let probe = Command::new(ETCDCTL)
                .env("ETCDCTL_API", "2")
                .args(&probe_tls)
                .args(["--endpoints", &client_url, "ls", "/"])
                .output()
                .expect("run etcdctl");
            if probe.status.success() {
                return server;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One step: a command line with `{EP}`, `{PEER}`, `{ID}` filled in per run.
pub enum Step {
    /// Run to the end, with this stdin.
    Run(&'static [&'static str], &'static str),
    /// Start in the background (a watch); its output is compared when reaped.
    Spawn(&'static [&'static str]),
    /// Give spawned watches time to reach the server.
    Pause(u64),
    /// Interrupt (SIGINT) the spawned processes still running, then collect them all.
    Reap,
}

#[derive(Debug, PartialEq)]
pub struct Output {
    pub step: String,
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

fn fill(arg: &str, client: u16, peer: u16, id: &str) -> String {
    arg.replace("{EP}", &format!("http://127.0.0.1:{client}"))
        .replace("{PEER}", &format!("http://127.0.0.1:{peer}"))
        .replace("{ID}", id)
}

fn command(tool: &str, args: &[String]) -> Command {
    let mut command = Command::new(tool);
    command
        .env("ETCDCTL_API", "2")
        .env_remove("ETCDCTL_ENDPOINTS")
        .env_remove("ETCDCTL_ENDPOINT")
        .env_remove("ETCDCTL_PEERS");
    // A step may set variables as leading `NAME=value` words.
    let mut rest = args;
    while let Some((first, tail)) = rest.split_first() {
        match first.split_once('=') {
            Some((name, value)) if name.starts_with("ETCDCTL_") => {
                command.env(name, value);
                rest = tail;
            }
            _ => break,
        }
    }
    command.args(rest);
    command
}

fn collect(step: String, child: Child) -> Output {
    let out = child.wait_with_output().expect("tool finishes");
    Output {
        step,
        stdout: normalise(&String::from_utf8_lossy(&out.stdout)),
        stderr: normalise(&String::from_utf8_lossy(&out.stderr)),
        code: out.status.code().unwrap_or(-1),
    }
}

/// What legitimately differs between the runs or the tools.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let line = if line.starts_with("TTL: ") && line.trim_end() != "TTL: 0" {
            "TTL: <ttl>\n".to_string()
        } else if let Some(list) = line.strip_prefix("ETCD_INITIAL_CLUSTER=\"") {
            // Members are listed by ID, and the added member's ID is random.
            let mut entries: Vec<&str> = list.trim_end().trim_end_matches('"').split(',').collect();
            entries.sort();
            format!("ETCD_INITIAL_CLUSTER=\"{}\"\n", entries.join(","))
        } else if line.starts_with("Added member named ") {
            let words: Vec<&str> = line.split(' ').collect();
            format!("Added member named {} with ID <new> to cluster\n", words[3])
        } else {
            line.replace("etcdctl version: 3.4.23", "oxctl version: <v>")
                .replace(
                    &format!("oxctl version: {}", env!("CARGO_PKG_VERSION")),
                    "oxctl version: <v>",
                )
                .replace("   3.4.23\n", "   <v>\n")
                .replace(&format!("   {}\n", env!("CARGO_PKG_VERSION")), "   <v>\n")
        };
        out.push_str(&mask_json_field(
            &mask_json_field(&line, "\"expiration\":\""),
            "\"ttl\":",
        ));
    }
    out
}

/// Replaces the value after each `field` (up to the next `"`, `,` or `}`) with `<x>`.
fn mask_json_field(text: &str, field: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(field) {
        out.push_str(&rest[..at + field.len()]);
        rest = &rest[at + field.len()..];
        let end = rest.find(['"', ',', '}']).unwrap_or(rest.len());
        out.push_str("<x>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The member's ID as `member list` shows it.
pub fn member_id(client: u16) -> String {
    let out = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "2")
        .args([
            "--endpoints",
            &format!("http://127.0.0.1:{client}"),
            "member",
            "list",
        ])
        .output()
        .expect("member list");
    String::from_utf8_lossy(&out.stdout)
        .split(':')
        .next()
        .unwrap_or("")
        .to_string()
}

/// Runs `script` with `tool` against a fresh `kind` server; also returns the member's ID.
pub fn run_script(
    tool: &str,
    kind: &Kind,
    script: &[Step],
    client: u16,
    peer: u16,
) -> (Vec<Output>, String) {
    let _server = start(kind, client, peer);
    let id = member_id(client);
    let mut outputs = Vec::new();
    let mut spawned: Vec<(String, Child)> = Vec::new();
    for step in script {
        match step {
            Step::Run(args, stdin) => {
                let args: Vec<String> = args.iter().map(|a| fill(a, client, peer, &id)).collect();
                let mut child = command(tool, &args)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("run the tool");
                let mut input = child.stdin.take().expect("piped stdin");
                input.write_all(stdin.as_bytes()).expect("write stdin");
                drop(input);
                outputs.push(collect(args.join(" "), child));
            }
            Step::Spawn(args) => {
                let args: Vec<String> = args.iter().map(|a| fill(a, client, peer, &id)).collect();
                let child = command(tool, &args)
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn the tool");
                spawned.push((format!("(background) {}", args.join(" ")), child));
            }
            Step::Pause(ms) => std::thread::sleep(Duration::from_millis(*ms)),
            Step::Reap => {
                std::thread::sleep(Duration::from_millis(500));
                for (step, mut child) in spawned.drain(..) {
                    if child.try_wait().expect("poll child").is_none() {
                        let _ = Command::new("kill")
                            .args(["-INT", &child.id().to_string()])
                            .status();
                    }
                    outputs.push(collect(step, child));
                }
            }
        }
    }
    (outputs, id)
}

/// The steps whose outputs differ, each with both outputs, for the assertion message.
pub fn differences(expected: &[Output], actual: &[Output], names: (&str, &str)) -> Vec<String> {
    assert_eq!(expected.len(), actual.len());
    if std::env::var_os("V2_DUMP").is_some() {
        for a in actual {
            eprintln!("$ {}\n[{}]\n{}{}", a.step, a.code, a.stdout, a.stderr);
        }
    }
    let mut failures = Vec::new();
    for (e, a) in expected.iter().zip(actual) {
        if e != a {
            failures.push(format!(
                "step: {}\n--- {} (exit {}):\n{}{}--- {} (exit {}):\n{}{}",
                e.step, names.0, e.code, e.stdout, e.stderr, names.1, a.code, a.stdout, a.stderr
            ));
        }
    }
    failures
}
