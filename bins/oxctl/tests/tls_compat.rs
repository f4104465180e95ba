//! oxctl against the real etcdctl 3.4 over TLS: the real etcd 3.4 serves `https://` client URLs
//! with certificates generated here at run time (a CA, a server certificate for 127.0.0.1 and
//! localhost, a client certificate, and a CA that signed neither). The same command lines give
//! byte-for-byte the same stdout, stderr (less clientv3's zap log lines, and oxctl's warning in
//! their shape) and exit code; where oxctl deliberately says more than etcdctl (the wrong
//! protocol on the other end), the test says so.
//!
//! Needs /usr/bin/etcd and /usr/bin/etcdctl, which CI installs: without them the tests fail.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ETCD: &str = "/usr/bin/etcd";
const ETCDCTL: &str = "/usr/bin/etcdctl";
const OXCTL: &str = env!("CARGO_BIN_EXE_oxctl");

#[path = "../../oxcd/tests/common/ports.rs"]
mod ports;
use ports::free_port;

mod test_pki;
use test_pki::Pki;

/// A running etcd, killed on drop.
struct Etcd {
    child: Child,
    /// `host:port` of its client URL.
    addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Etcd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How an etcd serves its client URL.
#[derive(Clone, Copy, PartialEq)]
enum Serve {
    Plain,
    Tls,
    TlsWithClientCertAuth,
}

/// Ports an etcd listens on, and the ports it advertises (a twin advertises its sibling's, so
/// both have the same cluster and member IDs).
struct Ports {
    client: u16,
    peer: u16,
    advertised_client: u16,
    advertised_peer: u16,
}

fn start_etcd(pki: &Pki, serve: Serve, ports: Ports) -> Etcd {
    let dir = tempfile::tempdir().expect("temp dir");
    let scheme = if serve == Serve::Plain {
        "http"
    } else {
        "https"
    };
    let peer = format!("http://127.0.0.1:{}", ports.advertised_peer);
    let mut command = Command::new(ETCD);
    command
        .args(["--name", "ref", "--data-dir"])
        .arg(dir.path())
        .arg(format!(
            "--listen-client-urls={scheme}://127.0.0.1:{}",
            ports.client
        ))
        .arg(format!(
            "--advertise-client-urls={scheme}://127.0.0.1:{}",
            ports.advertised_client
        ))
        .arg(format!(
            "--listen-peer-urls=http://127.0.0.1:{}",
            ports.peer
        ))
        .arg(format!("--initial-advertise-peer-urls={peer}"))
        .arg(format!("--initial-cluster=ref={peer}"));
    if serve != Serve::Plain {
        command
            .arg(format!("--cert-file={}", pki.path("server.pem")))
            .arg(format!("--key-file={}", pki.path("server.key")));
    }
    if serve == Serve::TlsWithClientCertAuth {
        command
            .arg(format!("--trusted-ca-file={}", pki.path("ca.pem")))
            .arg("--client-cert-auth");
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start etcd (CI installs /usr/bin/etcd)");
    let etcd = Etcd {
        child,
        addr: format!("127.0.0.1:{}", ports.client),
        _dir: dir,
    };
    let endpoint = format!("{scheme}://{}", etcd.addr);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            Instant::now() < deadline,
            "etcd on {endpoint} did not become ready"
        );
        let mut args: Vec<String> = pki.flags();
        args.extend(["--command-timeout=1s", "get", "ready"].map(String::from));
        if run(ETCDCTL, &endpoint, &args, &[]).code == 0 {
            return etcd;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Two etcd servers serving alike, with the same identity: `a` for etcdctl, `b` for oxctl.
fn start_twins(pki: &Pki, serve: Serve) -> (Etcd, Etcd) {
    let (client_a, peer_a, client_b, peer_b) = (free_port(), free_port(), free_port(), free_port());
    let a = start_etcd(
        pki,
        serve,
        Ports {
            client: client_a,
            peer: peer_a,
            advertised_client: client_a,
            advertised_peer: peer_a,
        },
    );
    let b = start_etcd(
        pki,
        serve,
        Ports {
            client: client_b,
            peer: peer_b,
            advertised_client: client_a,
            advertised_peer: peer_a,
        },
    );
    (a, b)
}

#[derive(Debug, PartialEq)]
struct Output {
    stdout: String,
    stderr: String,
    code: i32,
}

/// Runs `tool --endpoints endpoint args` with `env`, less the zap-shaped log lines on stderr.
fn run(tool: &str, endpoint: &str, args: &[String], env: &[(&str, String)]) -> Output {
    let out = Command::new(tool)
        .env("ETCDCTL_API", "3")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .arg(format!("--endpoints={endpoint}"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run the tool");
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| !l.starts_with("{\"level\""))
            .map(|l| format!("{l}\n"))
            .collect(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// `etcdctl` on `a` and `oxctl` on `b`, each at `scheme://` its address, with the same
/// arguments and environment, print the same (after `normalise`).
fn same(
    a: &Etcd,
    b: &Etcd,
    scheme: &str,
    args: &[String],
    env: &[(&str, String)],
    normalise: fn(&str) -> String,
) -> Output {
    let mut expected = run(ETCDCTL, &format!("{scheme}{}", a.addr), args, env);
    let mut actual = run(OXCTL, &format!("{scheme}{}", b.addr), args, env);
    for out in [&mut expected, &mut actual] {
        out.stdout = normalise(&out.stdout);
        out.stderr = normalise(&out.stderr);
    }
    assert_eq!(actual, expected, "oxctl differs from etcdctl for {args:?}");
    actual
}

fn as_is(text: &str) -> String {
    text.to_string()
}

/// Lease IDs are drawn by each server: `lease <hex> granted` loses its ID.
fn without_lease_id(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.len() >= 8 && word.bytes().all(|b| b.is_ascii_hexdigit()) {
                "<id>"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn args(flags: &[String], rest: &[&str]) -> Vec<String> {
    flags
        .iter()
        .cloned()
        .chain(rest.iter().map(|s| s.to_string()))
        .collect()
}

/// What a `watch` prints while `put`s run beside it (each tool watching and putting on its own
/// server), killed after the events arrived.
fn watched(tool: &str, endpoint: &str, flags: &[String]) -> String {
    let child = Command::new(tool)
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={endpoint}"))
        .args(args(flags, &["watch", "w"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start watch");
    std::thread::sleep(Duration::from_millis(700));
    for value in ["1", "2"] {
        let out = run(tool, endpoint, &args(flags, &["put", "w", value]), &[]);
        assert_eq!(out.code, 0, "{out:?}");
    }
    std::thread::sleep(Duration::from_millis(500));
    let mut child = child;
    let _ = child.kill();
    let out = child.wait_with_output().expect("watch output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn commands_over_tls_with_client_certificates_match_etcdctl() {
    let pki = Pki::generate();
    let (a, b) = start_twins(&pki, Serve::TlsWithClientCertAuth);
    let flags = pki.flags();
    for scheme in ["https://", ""] {
        for command in [
            &["put", "k", "v"][..],
            &["get", "k"],
            &["get", "k", "-w", "json"],
            &["del", "k"],
            &["member", "list"],
            &["member", "list", "-w", "table"],
        ] {
            same(&a, &b, scheme, &args(&flags, command), &[], as_is);
        }
        let granted = same(
            &a,
            &b,
            scheme,
            &args(&flags, &["lease", "grant", "60"]),
            &[],
            without_lease_id,
        );
        assert_eq!(granted.stdout, "lease <id> granted with TTL(60s)\n");
    }
    // The same through ETCDCTL_CACERT, ETCDCTL_CERT and ETCDCTL_KEY.
    let env = [
        ("ETCDCTL_CACERT", pki.path("ca.pem")),
        ("ETCDCTL_CERT", pki.path("client.pem")),
        ("ETCDCTL_KEY", pki.path("client.key")),
    ];
    for command in [&["put", "e", "1"][..], &["get", "e", "-w", "fields"]] {
        same(&a, &b, "https://", &args(&[], command), &env, as_is);
    }
    let expected = watched(ETCDCTL, &format!("https://{}", a.addr), &flags);
    let actual = watched(OXCTL, &format!("https://{}", b.addr), &flags);
    assert_eq!(actual, expected);
    assert_eq!(expected, "PUT\nw\n1\nPUT\nw\n2\n");
}

#[test]
fn refused_and_untrusted_connections_fail_as_etcdctl_fails() {
    let pki = Pki::generate();
    let (a, b) = start_twins(&pki, Serve::TlsWithClientCertAuth);
    let quick = ["--dial-timeout=1s", "--command-timeout=1s"].map(String::from);
    // No client certificate: the server refuses the handshake; a CA that did not sign the
    // server's certificate: the client refuses it. etcdctl says only that time ran out; so does
    // oxctl, after its warning (in zap's shape) that says why.
    let no_cert = args(
        &[
            format!("--cacert={}", pki.path("ca.pem")),
            quick[0].clone(),
            quick[1].clone(),
        ],
        &["get", "k"],
    );
    let wrong_ca = args(
        &[
            format!("--cacert={}", pki.path("other-ca.pem")),
            format!("--cert={}", pki.path("client.pem")),
            format!("--key={}", pki.path("client.key")),
            quick[0].clone(),
            quick[1].clone(),
        ],
        &["get", "k"],
    );
    for (case, args) in [("no client certificate", no_cert), ("wrong CA", wrong_ca)] {
        let out = same(&a, &b, "https://", &args, &[], as_is);
        assert_eq!(
            (out.stderr.as_str(), out.code),
            ("Error: context deadline exceeded\n", 1),
            "{case}"
        );
        let raw = Command::new(OXCTL)
            .arg(format!("--endpoints=https://{}", b.addr))
            .args(&args)
            .output()
            .expect("run oxctl");
        let stderr = String::from_utf8_lossy(&raw.stderr);
        assert!(stderr.contains("TLS handshake failed"), "{case}: {stderr}");
    }
    // Files that cannot be used end the command before any dial, with etcdctl's words.
    let missing = pki.path("missing.pem");
    let bad_files = [
        vec![format!("--cacert={missing}")],
        vec![format!("--cert={}", pki.path("client.pem"))],
        vec![
            format!("--cert={}", pki.path("client.pem")),
            format!("--key={}", pki.path("server.key")),
        ],
        vec!["--cert=".to_string()],
    ];
    for files in bad_files {
        let out = same(&a, &b, "https://", &args(&files, &["get", "k"]), &[], as_is);
        assert_eq!(out.code, 128, "{files:?}: {out:?}");
    }
}

#[test]
fn skipping_verification_needs_no_ca() {
    let pki = Pki::generate();
    let (a, b) = start_twins(&pki, Serve::Tls);
    let skip = ["--insecure-transport=false", "--insecure-skip-tls-verify"].map(String::from);
    same(&a, &b, "", &args(&skip, &["put", "k", "v"]), &[], as_is);
    same(&a, &b, "", &args(&skip, &["get", "k"]), &[], as_is);
    // Beyond etcdctl 3.4, which ignores the flag for https:// endpoints without other TLS
    // settings: oxctl skips verification there too.
    let out = run(
        OXCTL,
        &format!("https://{}", b.addr),
        &args(&["--insecure-skip-tls-verify".to_string()], &["get", "k"]),
        &[],
    );
    assert_eq!((out.stdout.as_str(), out.code), ("k\nv\n", 0), "{out:?}");
    // The server's own CA, named, verifies it (by IP address and by host name).
    let ca = [format!("--cacert={}", pki.path("ca.pem"))];
    same(&a, &b, "https://", &args(&ca, &["get", "k"]), &[], as_is);
    let by_name = run(
        OXCTL,
        &format!(
            "https://localhost:{}",
            b.addr.rsplit(':').next().unwrap_or("")
        ),
        &args(&ca, &["get", "k"]),
        &[],
    );
    assert_eq!((by_name.stdout.as_str(), by_name.code), ("k\nv\n", 0));
}

/// etcdctl waits out its command timeout in both cases; oxctl names the problem at once.
#[test]
fn the_wrong_protocol_fails_at_once_and_says_so() {
    let pki = Pki::generate();
    let tls_port = (free_port(), free_port());
    let tls = start_etcd(
        &pki,
        Serve::TlsWithClientCertAuth,
        Ports {
            client: tls_port.0,
            peer: tls_port.1,
            advertised_client: tls_port.0,
            advertised_peer: tls_port.1,
        },
    );
    let plain_port = (free_port(), free_port());
    let plain = start_etcd(
        &pki,
        Serve::Plain,
        Ports {
            client: plain_port.0,
            peer: plain_port.1,
            advertised_client: plain_port.0,
            advertised_peer: plain_port.1,
        },
    );
    let get = ["get".to_string(), "k".to_string()];
    let cases = [
        (
            format!("http://{}", tls.addr),
            get.to_vec(),
            format!(
                "Error: the server at http://{} speaks TLS: use https:// and --cacert\n",
                tls.addr
            ),
        ),
        (
            tls.addr.clone(),
            get.to_vec(),
            format!(
                "Error: the server at {} speaks TLS: use https:// and --cacert\n",
                tls.addr
            ),
        ),
        (
            format!("https://{}", plain.addr),
            args(&pki.flags(), &["get", "k"]),
            format!(
                "Error: the server at https://{} does not speak TLS: use http:// without --cacert, --cert and --key\n",
                plain.addr
            ),
        ),
    ];
    for (endpoint, args, message) in cases {
        let started = Instant::now();
        let out = run(OXCTL, &endpoint, &args, &[]);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{endpoint}: took {:?}",
            started.elapsed()
        );
        assert_eq!((out.stderr.as_str(), out.code), (message.as_str(), 1));
    }
}
