//! TLS on the client URLs, end to end: a real `oxcd` started with kubeadm's etcd flags, reached by
//! the real `etcdctl` and `curl` with certificates made at run time; refused certificates;
//! refusals to start; certificate and CA rotation without a restart; auto TLS.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::members::start_all;
use common::pki::{Ca, Pair};
use common::secure::{flag, kubeadm_flags, tls_cluster};
use common::{free_port, http_get, Server};

const ETCDCTL: &str = "/usr/bin/etcdctl";

/// A member not yet started whose client URL is `https://127.0.0.1:<client_port>`, with
/// `--listen-metrics-urls http://127.0.0.1:<metrics>` to tell when it is up.
struct TlsMember {
    server: Server,
    metrics: u16,
}

impl TlsMember {
    fn new(flags: &[String]) -> TlsMember {
        let mut server = Server::single(&[]);
        let metrics = free_port();
        let client = format!("https://127.0.0.1:{}", server.client_port);
        server.extra = [
            "--listen-client-urls",
            &client,
            "--advertise-client-urls",
            &client,
            "--listen-metrics-urls",
            &format!("http://127.0.0.1:{metrics}"),
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(flags.iter().cloned())
        .collect();
        TlsMember { server, metrics }
    }

    fn start(flags: &[String]) -> TlsMember {
        let mut member = TlsMember::new(flags);
        member.server.spawn();
        member.wait_healthy();
        member
    }

    fn wait_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !matches!(http_get(self.metrics, "/health"), Ok((200, body)) if body.contains("true"))
        {
            if let Some(status) = self.server.wait_exit(Duration::from_millis(50)) {
                panic!("oxcd exited with {status}:\n{}", self.server.log());
            }
            assert!(
                Instant::now() < deadline,
                "not healthy:\n{}",
                self.server.log()
            );
        }
    }

    fn endpoint(&self) -> String {
        format!("https://127.0.0.1:{}", self.server.client_port)
    }
}

fn etcdctl(endpoint: &str, tls: &[String], args: &[&str]) -> Output {
    Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={endpoint}"))
        .arg("--dial-timeout=3s")
        .arg("--command-timeout=5s")
        .args(tls)
        .args(args)
        .output()
        .expect("run etcdctl")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "command failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a long-running etcdctl command (watch) printed in `wait`.
fn watch_for(endpoint: &str, tls: &[String], args: &[&str], wait: Duration) -> String {
    let mut child = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .arg(format!("--endpoints={endpoint}"))
        .args(tls)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run etcdctl watch");
    std::thread::sleep(wait);
    let _ = child.kill();
    let out = child.wait_with_output().expect("etcdctl output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn client_flags(ca: &Path, client: &Pair) -> Vec<String> {
    vec![
        flag("cacert", ca),
        flag("cert", &client.cert),
        flag("key", &client.key),
    ]
}

fn curl(args: &[&str]) -> Output {
    Command::new("curl")
        .args(["-sS", "--max-time", "5"])
        .args(args)
        .output()
        .expect("run curl")
}

#[test]
fn kubeadm_command_line_serves_etcdctl_and_curl_over_tls() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let server_pair = ca.leaf("server", "t1", 2);
    let peer_pair = ca.leaf("peer", "t1", 3);
    let client = ca.leaf("client", "kube-apiserver-etcd-client", 4);
    let peer_port = free_port();
    let mut member = TlsMember::new(&kubeadm_flags(&ca, &server_pair, &peer_pair, peer_port));
    member.server.peer_port = peer_port;
    member.server.spawn();
    member.wait_healthy();
    let ep = member.endpoint();
    let tls = client_flags(&ca.cert(), &client);

    // KV, watch, lease and member commands with the real etcdctl.
    assert_eq!(
        stdout(&etcdctl(&ep, &tls, &["put", "/registry/a", "1"])),
        "OK\n"
    );
    assert_eq!(
        stdout(&etcdctl(&ep, &tls, &["get", "/registry", "--prefix"])),
        "/registry/a\n1\n"
    );
    let watched = watch_for(
        &ep,
        &tls,
        &["watch", "/registry/a", "--rev=1"],
        Duration::from_secs(3),
    );
    assert!(watched.starts_with("PUT\n/registry/a\n1\n"), "{watched}");
    let grant = stdout(&etcdctl(&ep, &tls, &["lease", "grant", "60"]));
    assert!(
        grant.starts_with("lease ") && grant.ends_with(" granted with TTL(60s)\n"),
        "{grant}"
    );
    let members = stdout(&etcdctl(&ep, &tls, &["member", "list"]));
    assert!(
        members.contains(&format!(
            ", started, t1, https://127.0.0.1:{peer_port}, {ep}, false"
        )),
        "{members}"
    );
    assert_eq!(stdout(&etcdctl(&ep, &tls, &["del", "/registry/a"])), "1\n");
    // The same through ETCDCTL_* variables.
    let by_env = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .env("ETCDCTL_ENDPOINTS", &ep)
        .env("ETCDCTL_CACERT", ca.cert())
        .env("ETCDCTL_CERT", &client.cert)
        .env("ETCDCTL_KEY", &client.key)
        .args(["endpoint", "health"])
        .output()
        .expect("run etcdctl");
    // etcdctl 3.4 prints endpoint health on stderr.
    assert!(by_env.status.success());
    assert!(
        String::from_utf8_lossy(&by_env.stderr).contains(&format!("{ep} is healthy")),
        "{by_env:?}"
    );

    // Without a client certificate the handshake is refused and nothing is written.
    let refused = etcdctl(&ep, &[flag("cacert", &ca.cert())], &["put", "k", "v"]);
    assert!(!refused.status.success());
    assert!(member.server.log().contains("rejected connection"));
    assert_eq!(stdout(&etcdctl(&ep, &tls, &["get", "k"])), "");

    // curl reaches /health, the gateway and /metrics over TLS.
    let cacert = ca.cert().display().to_string();
    let (cert, key) = (
        client.cert.display().to_string(),
        client.key.display().to_string(),
    );
    let with_cert = ["--cacert", &cacert, "--cert", &cert, "--key", &key];
    let health = curl(&[&with_cert[..], &[&format!("{ep}/health")]].concat());
    assert_eq!(stdout(&health), r#"{"health":"true"}"#);
    let range = curl(
        &[
            &with_cert[..],
            &[
                "-X",
                "POST",
                "-d",
                r#"{"key":"L3JlZ2lzdHJ5"}"#,
                &format!("{ep}/v3/kv/range"),
            ],
        ]
        .concat(),
    );
    assert!(
        stdout(&range).contains(r#""header":{"cluster_id""#),
        "{range:?}"
    );
    let metrics = curl(&[&with_cert[..], &[&format!("{ep}/metrics")]].concat());
    assert!(stdout(&metrics).contains("etcd_server_has_leader 1"));
    // curl without a client certificate is refused too.
    let no_cert = curl(&["--cacert", &cacert, &format!("{ep}/health")]);
    assert!(!no_cert.status.success(), "{no_cert:?}");

    // The metrics URL serves /metrics and /health in plaintext, and nothing else.
    let (code, body) = http_get(member.metrics, "/metrics").expect("metrics");
    assert_eq!(code, 200);
    assert!(body.contains("etcd_server_has_leader 1"));
    let (code, _) = common::http_request(member.metrics, "POST", "/v3/kv/range", "{}")
        .expect("metrics port answers");
    assert_eq!(code, 404);

    // Plain HTTP on the TLS port is told what is wrong, as Go's server tells it.
    let plain = curl(&[&format!(
        "http://127.0.0.1:{}/health",
        member.server.client_port
    )]);
    assert!(
        String::from_utf8_lossy(&plain.stdout)
            .contains("Client sent an HTTP request to an HTTPS server."),
        "{plain:?}"
    );
}

#[test]
fn certificates_that_do_not_verify_are_refused_in_the_handshake() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let other = Ca::new(dir.path(), "other-ca");
    let server_pair = ca.leaf("server", "t1", 2);
    let good = ca.leaf("good", "alice", 10);
    let expired = ca.sign("expired", "bob", &["127.0.0.1"], 11, (-30, -1));
    let not_yet = ca.sign("not-yet", "carol", &["127.0.0.1"], 12, (2, 30));
    let revoked = ca.leaf("revoked", "dave", 13);
    let foreign = other.leaf("foreign", "eve", 14);
    let crl = ca.crl("ca.crl", &[revoked.serial]);
    let member = TlsMember::start(&[
        flag("cert-file", &server_pair.cert),
        flag("key-file", &server_pair.key),
        flag("trusted-ca-file", &ca.cert()),
        "--client-cert-auth".into(),
        flag("client-crl-file", &crl),
    ]);
    let ep = member.endpoint();
    assert_eq!(
        stdout(&etcdctl(
            &ep,
            &client_flags(&ca.cert(), &good),
            &["put", "k", "v"]
        )),
        "OK\n"
    );
    for refused in [&expired, &not_yet, &revoked, &foreign] {
        let out = etcdctl(&ep, &client_flags(&ca.cert(), refused), &["put", "k", "x"]);
        assert!(
            !out.status.success(),
            "{} was accepted",
            refused.cert.display()
        );
    }
    // A client that does not trust the server's CA refuses the server.
    let wrong_ca = etcdctl(&ep, &client_flags(&other.cert(), &good), &["get", "k"]);
    assert!(!wrong_ca.status.success());
    // None of the refused writes landed; the member still serves.
    assert_eq!(
        stdout(&etcdctl(
            &ep,
            &client_flags(&ca.cert(), &good),
            &["get", "k", "--print-value-only"]
        )),
        "v\n"
    );
    let log = member.server.log();
    assert!(log.matches("rejected connection").count() >= 4, "{log}");
}

#[test]
fn a_tls_url_without_certificate_or_with_bad_files_stops_the_start() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let server_pair = ca.leaf("server", "t1", 2);
    let other_pair = ca.leaf("other", "t1", 3);
    let missing = dir.path().join("missing.pem");
    let start_fails = |flags: Vec<String>| -> String {
        let mut member = TlsMember::new(&flags);
        member.server.spawn();
        let status = member
            .server
            .wait_exit(Duration::from_secs(20))
            .expect("a refused start ends the process");
        assert!(!status.success());
        // Nothing listened in plaintext meanwhile.
        member.server.log()
    };
    let log = start_fails(vec![]);
    assert!(
        log.contains("TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.1:"),
        "{log}"
    );
    let log = start_fails(vec![
        flag("cert-file", &missing),
        flag("key-file", &server_pair.key),
    ]);
    assert!(
        log.contains(&format!(
            "open {}: no such file or directory",
            missing.display()
        )),
        "{log}"
    );
    let log = start_fails(vec![
        flag("cert-file", &server_pair.cert),
        flag("key-file", &other_pair.key),
    ]);
    assert!(
        log.contains("tls: private key does not match public key"),
        "{log}"
    );
    let log = start_fails(vec![
        flag("cert-file", &server_pair.cert),
        flag("key-file", &server_pair.key),
        "--cipher-suites=TLS_NOT_A_SUITE".into(),
    ]);
    assert!(
        log.contains("unexpected TLS cipher suite \"TLS_NOT_A_SUITE\""),
        "{log}"
    );
    let peer = free_port();
    let log = start_fails(vec![
        flag("cert-file", &server_pair.cert),
        flag("key-file", &server_pair.key),
        format!("--listen-peer-urls=https://127.0.0.1:{peer}"),
    ]);
    assert!(
        log.contains(&format!(
            "cannot listen on TLS for 127.0.0.1:{peer}: KeyFile and CertFile are not presented"
        )),
        "{log}"
    );
}

/// The server's certificate as a new connection sees it: its serial number, read by openssl.
fn served_serial(port: u16, ca: &Path) -> String {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "echo | openssl s_client -connect 127.0.0.1:{port} -CAfile {} 2>/dev/null | openssl x509 -noout -serial",
            ca.display()
        ))
        .output()
        .expect("run openssl");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn rotated_certificates_and_ca_bundles_apply_to_new_connections_without_a_restart() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let next_ca = Ca::new(dir.path(), "next-ca");
    let first = ca.leaf("first", "t1", 0x21);
    let client = ca.leaf("client", "alice", 0x22);
    let next_client = next_ca.leaf("next-client", "alice", 0x23);
    let (cert, key, bundle) = (
        dir.path().join("live.pem"),
        dir.path().join("live-key.pem"),
        dir.path().join("bundle.pem"),
    );
    std::fs::copy(&first.cert, &cert).expect("install cert");
    std::fs::copy(&first.key, &key).expect("install key");
    std::fs::write(&bundle, ca.pem()).expect("install bundle");
    let member = TlsMember::start(&[
        flag("cert-file", &cert),
        flag("key-file", &key),
        flag("trusted-ca-file", &bundle),
        "--client-cert-auth".into(),
    ]);
    let ep = member.endpoint();
    let port = member.server.client_port;
    assert_eq!(served_serial(port, &ca.cert()), "serial=21");

    // Writes keep succeeding while the certificate is replaced under them.
    let tls = client_flags(&ca.cert(), &client);
    let second = ca.leaf("second", "t1", 0x31);
    for i in 0..12 {
        if i == 6 {
            std::fs::copy(&second.cert, &cert).expect("rotate cert");
            std::fs::copy(&second.key, &key).expect("rotate key");
        }
        let key = format!("k{i}");
        assert_eq!(stdout(&etcdctl(&ep, &tls, &["put", &key, "v"])), "OK\n");
    }
    assert_eq!(served_serial(port, &ca.cert()), "serial=31");

    // A client of a CA added to the bundle is accepted once the bundle file changes.
    let next_tls = client_flags(&ca.cert(), &next_client);
    assert!(!etcdctl(&ep, &next_tls, &["get", "k0"]).status.success());
    std::fs::write(&bundle, format!("{}{}", ca.pem(), next_ca.pem())).expect("extend bundle");
    assert_eq!(
        stdout(&etcdctl(
            &ep,
            &next_tls,
            &["get", "k0", "--print-value-only"]
        )),
        "v\n"
    );
    // A half-written certificate is not taken: the last good one keeps serving.
    std::fs::write(&cert, "-----BEGIN CERTIFICATE-----\ntruncated").expect("break cert");
    assert_eq!(served_serial(port, &ca.cert()), "serial=31");
    assert!(member
        .server
        .log()
        .contains("keeping the previous TLS certificate"));
}

#[test]
fn auto_tls_serves_a_generated_certificate_kept_in_the_data_dir() {
    let member = TlsMember::start(&["--auto-tls".to_string()]);
    let ep = member.endpoint();
    // As with etcd, etcdctl skips verification only with --insecure-transport=false.
    let skip = [
        "--insecure-transport=false".to_string(),
        "--insecure-skip-tls-verify".to_string(),
    ];
    let out = etcdctl(&ep, &skip, &["put", "a", "b"]);
    assert_eq!(stdout(&out), "OK\n");
    let fixtures = member.server.data_dir().join("fixtures").join("client");
    assert!(fixtures.join("cert.pem").exists() && fixtures.join("key.pem").exists());
    let health = curl(&["-k", &format!("{ep}/health")]);
    assert_eq!(stdout(&health), r#"{"health":"true"}"#);
}

#[test]
fn three_members_with_peer_tls_replicate_and_refuse_peers_they_do_not_trust() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let other = Ca::new(dir.path(), "other-ca");
    let client = ca.leaf("client", "root", 9);
    let mut servers = tls_cluster(&ca, 3);
    start_all(&mut servers);
    let tls = client_flags(&ca.cert(), &client);
    let ep = |s: &Server| format!("https://127.0.0.1:{}", s.client_port);
    assert_eq!(
        stdout(&etcdctl(
            &ep(&servers[0]),
            &tls,
            &["put", "replicated", "yes"]
        )),
        "OK\n"
    );
    for s in &servers {
        assert_eq!(
            stdout(&etcdctl(
                &ep(s),
                &tls,
                &["get", "replicated", "--print-value-only"]
            )),
            "yes\n",
            "member {}",
            s.name
        );
    }
    // The peer port takes only certificates of the peer CA with the allowed CN.
    let peer = format!("https://127.0.0.1:{}/", servers[1].peer_port);
    let stranger = other.leaf("stranger", "etcd-peer", 300);
    let wrong_cn = ca.leaf("wrong-cn", "alice", 301);
    for pair in [&stranger, &wrong_cn] {
        let (cert, key) = (
            pair.cert.display().to_string(),
            pair.key.display().to_string(),
        );
        let out = curl(&[
            "--cacert",
            &ca.cert().display().to_string(),
            "--cert",
            &cert,
            "--key",
            &key,
            "--http2-prior-knowledge",
            &peer,
        ]);
        assert!(
            !out.status.success(),
            "{} reached the peer port",
            pair.cert.display()
        );
    }
    assert!(servers[1].log().contains("rejected peer certificate"));
    // The cluster still serves after the refusals.
    assert_eq!(
        stdout(&etcdctl(
            &ep(&servers[2]),
            &tls,
            &["get", "replicated", "--print-value-only"]
        )),
        "yes\n"
    );
}

#[test]
fn plaintext_and_tls_urls_mix_and_clients_check_the_servers_host_name() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    // Valid, but for another host than the one clients dial.
    let elsewhere = ca.sign(
        "elsewhere",
        "t1",
        &["10.9.9.9", "elsewhere.example"],
        2,
        (-1, 30),
    );
    let plain_port = free_port();
    let mut member = TlsMember::new(&[
        flag("cert-file", &elsewhere.cert),
        flag("key-file", &elsewhere.key),
    ]);
    let https = member.endpoint();
    let plain = format!("http://127.0.0.1:{plain_port}");
    member.server.extra.extend([
        format!("--listen-client-urls={https},{plain}"),
        format!("--advertise-client-urls={https},{plain}"),
    ]);
    member.server.spawn();
    member.wait_healthy();
    // The plaintext URL serves plaintext, the TLS URL only TLS.
    assert_eq!(stdout(&etcdctl(&plain, &[], &["put", "k", "v"])), "OK\n");
    let (code, body) = http_get(plain_port, "/health").expect("plaintext health");
    assert_eq!((code, body.as_str()), (200, r#"{"health":"true"}"#));
    // A client that checks the host name refuses the certificate, even from a trusted CA.
    let refused = etcdctl(&https, &[flag("cacert", &ca.cert())], &["get", "k"]);
    assert!(!refused.status.success(), "{refused:?}");
    let refused = curl(&[
        "--cacert",
        &ca.cert().display().to_string(),
        &format!("{https}/health"),
    ]);
    assert!(!refused.status.success(), "{refused:?}");
    // The same certificate is accepted for the name it carries.
    let by_name = curl(&[
        "--cacert",
        &ca.cert().display().to_string(),
        "--resolve",
        &format!("elsewhere.example:{}:127.0.0.1", member.server.client_port),
        &format!(
            "https://elsewhere.example:{}/health",
            member.server.client_port
        ),
    ]);
    assert_eq!(stdout(&by_name), r#"{"health":"true"}"#);
}

#[test]
fn a_unixs_socket_speaks_only_tls() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let server_pair = ca.leaf("server", "t1", 2);
    let socket = dir.path().join("oxcd.sock");
    let mut member = TlsMember::new(&[
        flag("cert-file", &server_pair.cert),
        flag("key-file", &server_pair.key),
    ]);
    let https = member.endpoint();
    member.server.extra.extend([format!(
        "--listen-client-urls={https},unixs://{}",
        socket.display()
    )]);
    member.server.spawn();
    member.wait_healthy();
    let sock = socket.display().to_string();
    let cacert = ca.cert().display().to_string();
    let over_tls = curl(&[
        "--unix-socket",
        &sock,
        "--cacert",
        &cacert,
        "https://localhost/health",
    ]);
    assert_eq!(stdout(&over_tls), r#"{"health":"true"}"#);
    let plain = curl(&["--unix-socket", &sock, "http://localhost/health"]);
    assert!(
        !String::from_utf8_lossy(&plain.stdout).contains("health"),
        "plaintext was served on unixs: {plain:?}"
    );
}

#[test]
fn a_trusted_ca_alone_requires_client_certificates_and_der_crls_revoke() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let server_pair = ca.leaf("server", "t1", 2);
    let good = ca.leaf("good", "alice", 10);
    let revoked = ca.leaf("revoked", "bob", 11);
    let crl = ca.crl_der("ca.crl.der", &[revoked.serial]);
    // As etcd: --trusted-ca-file without --client-cert-auth still requires a client certificate.
    let member = TlsMember::start(&[
        flag("cert-file", &server_pair.cert),
        flag("key-file", &server_pair.key),
        flag("trusted-ca-file", &ca.cert()),
        flag("client-crl-file", &crl),
    ]);
    let ep = member.endpoint();
    let cacert = ca.cert().display().to_string();
    let health = |pair: Option<&Pair>| {
        let mut args = vec!["--cacert".to_string(), cacert.clone()];
        if let Some(pair) = pair {
            args.extend([
                "--cert".to_string(),
                pair.cert.display().to_string(),
                "--key".to_string(),
                pair.key.display().to_string(),
            ]);
        }
        args.push(format!("{ep}/health"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        curl(&args)
    };
    assert_eq!(stdout(&health(Some(&good))), r#"{"health":"true"}"#);
    assert!(
        !health(None).status.success(),
        "no client certificate was accepted"
    );
    assert!(
        !health(Some(&revoked)).status.success(),
        "a certificate the DER CRL revokes was accepted"
    );
}

/// Under `--client-cert-auth`, with auth enabled, a client certificate's CN is its user name
/// (etcd's AuthInfoFromTLS): no password, no token. A token still wins over the CN, and the
/// gateway never takes the CN for a user (it answers as to an anonymous caller).
#[test]
fn a_client_certificates_cn_is_its_user_once_auth_is_on() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let server_pair = ca.leaf("server", "server", 1);
    let root_pair = ca.leaf("root", "root", 2);
    let alice_pair = ca.leaf("alice", "alice", 3);
    let member = TlsMember::start(&[
        flag("cert-file", &server_pair.cert),
        flag("key-file", &server_pair.key),
        "--client-cert-auth=true".into(),
        flag("trusted-ca-file", &ca.cert()),
        "--bcrypt-cost=4".into(),
    ]);
    let endpoint = member.endpoint();
    let as_root = client_flags(&ca.cert(), &root_pair);
    let as_alice = client_flags(&ca.cert(), &alice_pair);
    for args in [
        &["user", "add", "root:rootpw"][..],
        &["role", "add", "reader"],
        &[
            "role",
            "grant-permission",
            "reader",
            "read",
            "/app/",
            "--prefix",
        ],
        &["user", "add", "alice:alicepw"],
        &["user", "grant-role", "alice", "reader"],
        &["auth", "enable"],
        &["put", "/app/config", "v1"],
    ] {
        stdout(&etcdctl(&endpoint, &as_root, args));
    }
    // Root's certificate alone suffices for administration now that auth is on.
    assert!(stdout(&etcdctl(&endpoint, &as_root, &["user", "list"])).contains("alice"));
    assert_eq!(
        stdout(&etcdctl(
            &endpoint,
            &as_alice,
            &["get", "/app/config", "--print-value-only"]
        )),
        "v1\n"
    );
    let denied = etcdctl(&endpoint, &as_alice, &["put", "/app/config", "v2"]);
    assert!(!denied.status.success());
    assert!(
        String::from_utf8_lossy(&denied.stderr).contains("etcdserver: permission denied"),
        "{denied:?}"
    );
    let denied = etcdctl(&endpoint, &as_alice, &["user", "list"]);
    assert!(String::from_utf8_lossy(&denied.stderr).contains("etcdserver: permission denied"));
    // A password login wins over the certificate: root's certificate with alice's password
    // is alice.
    let mut alice_with_root_cert = as_root.clone();
    alice_with_root_cert.push("--user=alice:alicepw".into());
    let denied = etcdctl(&endpoint, &alice_with_root_cert, &["user", "list"]);
    assert!(String::from_utf8_lossy(&denied.stderr).contains("etcdserver: permission denied"));
    // The gateway ignores the certificate's CN.
    let out = curl(&[
        "--cacert",
        ca.cert().to_str().unwrap(),
        "--cert",
        root_pair.cert.to_str().unwrap(),
        "--key",
        root_pair.key.to_str().unwrap(),
        &format!("{endpoint}/v3/auth/user/list"),
        "-d",
        "{}",
    ]);
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(body.contains("etcdserver: user name is empty"), "{body}");
}

/// The v2 API over TLS, as operators reach it: curl and etcdctl 3.4's v2 mode with
/// `--ca-file --cert-file --key-file`; without a client certificate nothing gets through.
#[test]
fn the_v2_api_is_served_over_tls_with_client_certificates() {
    let dir = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(dir.path(), "ca");
    let server_pair = ca.leaf("server", "t1", 2);
    let peer_pair = ca.leaf("peer", "t1", 3);
    let client = ca.leaf("client", "flannel", 4);
    let peer_port = free_port();
    let mut flags = kubeadm_flags(&ca, &server_pair, &peer_pair, peer_port);
    flags.push("--enable-v2".into());
    let mut member = TlsMember::new(&flags);
    member.server.peer_port = peer_port;
    member.server.spawn();
    member.wait_healthy();
    let ep = member.endpoint();
    let cacert = ca.cert().display().to_string();
    let (cert, key) = (
        client.cert.display().to_string(),
        client.key.display().to_string(),
    );
    let with_cert = ["--cacert", &cacert, "--cert", &cert, "--key", &key];
    let url = format!("{ep}/v2/keys/coreos.com/network/config");
    let put = curl(
        &[
            &with_cert[..],
            &["-X", "PUT", "-d", "value=10.1.0.0/16", &url],
        ]
        .concat(),
    );
    assert!(
        stdout(&put).contains(r#""key":"/coreos.com/network/config""#),
        "{put:?}"
    );
    let ctl2 = |args: &[&str]| {
        Command::new(ETCDCTL)
            .env("ETCDCTL_API", "2")
            .args([
                "--endpoints",
                &ep,
                "--ca-file",
                &cacert,
                "--cert-file",
                &cert,
            ])
            .args(["--key-file", &key])
            .args(args)
            .output()
            .expect("run etcdctl")
    };
    assert_eq!(
        stdout(&ctl2(&["get", "/coreos.com/network/config"])),
        "10.1.0.0/16\n"
    );
    assert_eq!(
        stdout(&ctl2(&["ls", "-r", "/coreos.com"])),
        "/coreos.com/network\n/coreos.com/network/config\n"
    );
    let health = ctl2(&["cluster-health"]);
    assert!(
        stdout(&health).ends_with("cluster is healthy\n"),
        "{health:?}"
    );
    let no_cert = curl(&["--cacert", &cacert, &url]);
    assert!(!no_cert.status.success(), "{no_cert:?}");
}
