//! `oxctl migrate` against a running oxcd and a running etcd 3.4, both with `--enable-v2`: a
//! flannel-like v2 tree written over HTTP is copied into v3; the v3 contents are read back with
//! etcdctl; a second run must change nothing (no revision, no lease); and both servers must end
//! with the same v3 contents (keys, values, whether a lease is attached).

mod test_pki;
mod v2_harness;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

use base64::Engine;
use serde_json::Value;
use test_pki::Pki;
use v2_harness::{
    free_port, oxcd_bin, start, start_with, tools_present, Kind, Server, ServerTls, ETCDCTL, OXCTL,
};

/// The tree flannel keeps in v2 (its network config and one subnet lease per host, which
/// expire), and around it: a hidden key, an empty directory, a key at the top, a key whose
/// name and value need escaping.
const TREE: &[(&str, Option<&str>, u32)] = &[
    (
        "/coreos.com/network/config",
        Some("{\"Network\":\"10.1.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}"),
        0,
    ),
    (
        "/coreos.com/network/subnets/10.1.15.0-24",
        Some("{\"PublicIP\":\"192.168.0.1\"}"),
        600,
    ),
    (
        "/coreos.com/network/subnets/10.1.16.0-24",
        Some("{\"PublicIP\":\"192.168.0.2\"}"),
        600,
    ),
    (
        "/coreos.com/network/subnets/10.1.17.0-24",
        Some("{\"PublicIP\":\"192.168.0.3\"}"),
        900,
    ),
    ("/coreos.com/network/_hidden", Some("secret"), 0),
    // A directory: no value.
    ("/coreos.com/empty", None, 0),
    ("/top", Some("t"), 0),
    ("/odd/a b%c", Some("x & y=1"), 0),
];

/// What migrate must leave in v3, in key order, with whether the key has a lease.
const EXPECTED: &[(&str, &str, bool)] = &[
    (
        "/coreos.com/network/config",
        "{\"Network\":\"10.1.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}",
        false,
    ),
    (
        "/coreos.com/network/subnets/10.1.15.0-24",
        "{\"PublicIP\":\"192.168.0.1\"}",
        true,
    ),
    (
        "/coreos.com/network/subnets/10.1.16.0-24",
        "{\"PublicIP\":\"192.168.0.2\"}",
        true,
    ),
    (
        "/coreos.com/network/subnets/10.1.17.0-24",
        "{\"PublicIP\":\"192.168.0.3\"}",
        true,
    ),
    ("/odd/a b%c", "x & y=1", false),
    ("/top", "t", false),
];

/// Percent-encodes everything but unreserved characters and `/`.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// One v2 write over plain HTTP/1.1 (a directory when `value` is `None`); panics unless the
/// server answers 2xx.
fn v2_put(server: &Server, key: &str, value: Option<&str>, ttl: u32) {
    let mut body = match value {
        Some(value) => format!("value={}", encode(value)),
        None => "dir=true".to_string(),
    };
    if ttl > 0 {
        body.push_str(&format!("&ttl={ttl}"));
    }
    let path = format!("/v2/keys{}", encode(key));
    let mut stream = TcpStream::connect(("127.0.0.1", server.client)).expect("connect");
    write!(
        stream,
        "PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read answer");
    let status = answer.split(' ').nth(1).unwrap_or("");
    assert!(status.starts_with('2'), "PUT {path} {body}: {answer}");
}

fn oxctl(server: &Server, args: &[&str]) -> (String, String, i32) {
    let out = Command::new(OXCTL)
        .env_remove("ETCDCTL_API")
        .args(["--endpoints", &server.url()])
        .args(args)
        .output()
        .expect("run oxctl");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// `etcdctl` (v3) with `-w json`, parsed.
fn etcdctl_json(server: &Server, args: &[&str]) -> Value {
    let out = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", &server.url(), "-w", "json"])
        .args(args)
        .output()
        .expect("run etcdctl");
    assert!(out.status.success(), "etcdctl {args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).expect("etcdctl prints JSON")
}

fn text(value: &Value) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.as_str().unwrap_or(""))
        .expect("base64 from etcdctl");
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every v3 key, with its value and lease ID (0: none), and the store's revision.
fn v3_contents(server: &Server) -> (Vec<(String, String, i64)>, i64) {
    let answer = etcdctl_json(server, &["get", "", "--from-key"]);
    let kvs = answer["kvs"].as_array().cloned().unwrap_or_default();
    let contents = kvs
        .iter()
        .map(|kv| {
            (
                text(&kv["key"]),
                text(&kv["value"]),
                kv["lease"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    let revision = answer["header"]["revision"].as_i64().expect("a revision");
    (contents, revision)
}

fn lease_count(server: &Server) -> usize {
    let answer = etcdctl_json(server, &["lease", "list"]);
    answer["leases"].as_array().map_or(0, Vec::len)
}

/// The whole scenario on one server; returns the v3 contents after the first run, leases shown
/// as whether there is one.
fn migrate_scenario(kind: &Kind) -> Vec<(String, String, bool)> {
    let server = start(kind, free_port(), free_port());
    for (key, value, ttl) in TREE {
        v2_put(&server, key, *value, *ttl);
    }
    let (_, empty_revision) = v3_contents(&server);

    let (stdout, stderr, code) = oxctl(&server, &["migrate", "--dry-run"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{kind:?}: {stdout}");
    assert!(
        stdout.contains("put /coreos.com/network/subnets/10.1.17.0-24 with a lease of ")
            && stdout.contains("put /top\n")
            && stdout.contains("dry run: would migrate 6 keys, skip 0 keys (same value in v3), skip 5 directories, create "),
        "{kind:?}: {stdout}"
    );
    let (contents, revision) = v3_contents(&server);
    assert_eq!(
        (contents.len(), revision),
        (0, empty_revision),
        "{kind:?}: dry run wrote"
    );

    let (stdout, stderr, code) = oxctl(&server, &["migrate"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{kind:?}: {stdout}");
    // Two TTL values, or three when the two 600 s keys' remaining TTLs fall in different seconds.
    assert!(
        stdout.starts_with(
            "migrated 6 keys, skipped 0 keys (same value in v3), skipped 5 directories, created "
        ) && (stdout.ends_with(" 2 leases\n") || stdout.ends_with(" 3 leases\n")),
        "{kind:?}: {stdout}"
    );
    let (contents, revision) = v3_contents(&server);
    let shown: Vec<(String, String, bool)> = contents
        .iter()
        .map(|(k, v, lease)| (k.clone(), v.clone(), *lease != 0))
        .collect();
    let expected: Vec<(String, String, bool)> = EXPECTED
        .iter()
        .map(|(k, v, l)| (k.to_string(), v.to_string(), *l))
        .collect();
    assert_eq!(shown, expected, "{kind:?}");
    let leases = lease_count(&server);
    // The lease keeps the time the key had left in v2.
    let ttl = etcdctl_json(
        &server,
        &["lease", "timetolive", &format!("{:x}", contents[3].2)],
    );
    let left = ttl["ttl"].as_i64().unwrap_or(0);
    assert!((880..=900).contains(&left), "{kind:?}: ttl {left}");

    let (stdout, stderr, code) = oxctl(&server, &["migrate"]);
    assert_eq!(
        (stdout.as_str(), stderr.as_str(), code),
        (
            "migrated 0 keys, skipped 6 keys (same value in v3), skipped 5 directories, created 0 leases\n",
            "",
            0
        ),
        "{kind:?}: the second run"
    );
    assert_eq!(
        v3_contents(&server),
        (contents, revision),
        "{kind:?}: the second run wrote"
    );
    assert_eq!(
        lease_count(&server),
        leases,
        "{kind:?}: the second run granted"
    );

    // A hidden key is not listed by v2, so only a prefix naming it migrates it.
    let (stdout, _, code) = oxctl(
        &server,
        &["migrate", "--prefix", "/coreos.com/network/_hidden"],
    );
    assert_eq!(
        (stdout.as_str(), code),
        ("migrated 1 keys, skipped 0 keys (same value in v3), skipped 0 directories, created 0 leases\n", 0),
        "{kind:?}"
    );
    // A v2 change after the first run is carried over by the next one, alone.
    v2_put(&server, "/top", Some("t2"), 0);
    let (stdout, _, _) = oxctl(&server, &["migrate", "--prefix", "/"]);
    assert_eq!(
        stdout,
        "migrated 1 keys, skipped 5 keys (same value in v3), skipped 5 directories, created 0 leases\n",
        "{kind:?}"
    );
    let (stdout, _, code) = oxctl(&server, &["migrate", "--prefix", "/nothing"]);
    assert_eq!(
        (stdout.as_str(), code),
        ("no v2 keys to migrate\nmigrated 0 keys, skipped 0 keys (same value in v3), skipped 0 directories, created 0 leases\n", 0),
        "{kind:?}"
    );
    shown
}

#[test]
fn migrate_copies_v2_keys_into_v3_on_oxcd_as_on_etcd() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    let on_oxcd = migrate_scenario(&Kind::Oxcd(oxcd));
    let on_etcd = migrate_scenario(&Kind::Etcd);
    assert_eq!(on_oxcd, on_etcd);
}

#[test]
fn migrate_without_a_server_fails_with_the_v2_error() {
    let (stdout, stderr, code) = {
        let out = Command::new(OXCTL)
            .env_remove("ETCDCTL_API")
            .args(["--endpoints", "127.0.0.1:1", "migrate"])
            .output()
            .expect("run oxctl");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    };
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "Error: reading the v2 keys: client: etcd cluster is unavailable or misconfigured; \
         error #0: dial tcp 127.0.0.1:1: connect: connection refused\n"
    );
    assert_eq!(code, 1);
}

/// Over TLS with client certificates: the v2 read and the v3 writes both use `--cacert --cert
/// --key`, with an `https://` endpoint or one without a scheme.
#[test]
fn migrate_speaks_tls_with_client_certificates() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    let pki = Pki::generate();
    let tls = ServerTls {
        cert: pki.path("server.pem"),
        key: pki.path("server.key"),
        ca: pki.path("ca.pem"),
        client_cert: pki.path("client.pem"),
        client_key: pki.path("client.key"),
    };
    for kind in [Kind::Oxcd(oxcd), Kind::Etcd] {
        let server = start_with(&kind, free_port(), free_port(), Some(&tls));
        for args in [&["set", "/k", "v"][..], &["set", "--ttl", "600", "/t", "w"]] {
            let out = Command::new(ETCDCTL)
                .env("ETCDCTL_API", "2")
                .arg(format!("--ca-file={}", tls.ca))
                .arg(format!("--cert-file={}", tls.client_cert))
                .arg(format!("--key-file={}", tls.client_key))
                .args(["--endpoints", &server.url()])
                .args(args)
                .output()
                .expect("run etcdctl");
            assert!(out.status.success(), "{kind:?}: {out:?}");
        }
        let migrate = |endpoint: &str| {
            let out = Command::new(OXCTL)
                .env_remove("ETCDCTL_API")
                .args(pki.flags())
                .args(["--endpoints", endpoint, "migrate"])
                .output()
                .expect("run oxctl");
            (
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        assert_eq!(
            migrate(&server.url()),
            (
                "migrated 2 keys, skipped 0 keys (same value in v3), skipped 0 directories, created 1 leases\n".to_string(),
                String::new()
            ),
            "{kind:?}"
        );
        assert_eq!(
            migrate(&format!("127.0.0.1:{}", server.client)),
            (
                "migrated 0 keys, skipped 2 keys (same value in v3), skipped 0 directories, created 0 leases\n".to_string(),
                String::new()
            ),
            "{kind:?}"
        );
    }
}
