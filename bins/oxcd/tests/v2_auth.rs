//! v2 auth (`/v2/auth/*` and its checks on `/v2/keys` and `/v2/members`) against etcd 3.4's:
//! the same etcdctl v2 commands and raw requests sent to both servers must get the same output
//! and exit code, or the same status, headers that matter, `X-Etcd-Index` and body; then what
//! only oxcd's own runs show: the auth records survive a kill -9 and snapshots, and a member
//! enforces what was set through another.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::etcd::Etcd;
use common::etcd_bins::{tools_present, ETCDCTL};
use common::v2compare::{member_ids, normalise};
use common::{http_exchange_with, HttpReply, Server};

/// One step of the comparison.
enum Step {
    /// etcdctl (API v2) with these arguments, and this on its stdin.
    Ctl(&'static [&'static str], &'static str),
    /// A raw request: method, path, credentials (`name:password` sent as basic auth, `raw:...` as
    /// the `Authorization` value itself, empty for none), body (JSON, or a form for keys).
    Http(&'static str, &'static str, &'static str, &'static str),
}

use Step::{Ctl, Http};

const ROOT: &str = "root:pw";

/// In order; the store indexes in `X-Etcd-Index` must match too (etcd makes `/2` and its
/// directories with the first auth write, each taking an index).
const STEPS: &[Step] = &[
    Http("GET", "/v2/auth/enable", "", ""),
    Http("GET", "/v2/auth/users", "", ""),
    Http("GET", "/v2/auth/roles/", "", ""),
    Http("GET", "/v2/auth/roles/root", "", ""),
    Http("GET", "/v2/auth/users/nobody", "", ""),
    Http("DELETE", "/v2/auth/users/nobody", "", ""),
    Http("GET", "/v2/keys/", "", ""),
    Ctl(&["auth", "enable"], ""),
    Ctl(&["user", "add", "root"], "pw\n"),
    Http("GET", "/v2/keys/", "", ""),
    Ctl(&["user", "add", "root:pw"], ""),
    Ctl(&["role", "add", "r"], ""),
    Ctl(&["role", "add", "r"], ""),
    Ctl(
        &["role", "grant", "r", "--path", "/foo/*", "--readwrite"],
        "",
    ),
    Ctl(&["role", "grant", "r", "--path", "/bar", "--read"], ""),
    Ctl(&["role", "grant", "r", "--path", "/foo/*", "--read"], ""),
    Ctl(&["role", "grant", "nope", "--path", "/x", "--read"], ""),
    Ctl(&["user", "add", "u:pw"], ""),
    Ctl(&["user", "grant", "u", "--roles", "r"], ""),
    Ctl(&["user", "grant", "u", "--roles", "r"], ""),
    Ctl(&["user", "get", "u"], ""),
    Ctl(&["user", "get", "root"], ""),
    Ctl(&["user", "get", "nobody"], ""),
    Ctl(&["user", "list"], ""),
    Ctl(&["role", "get", "r"], ""),
    Ctl(&["role", "get", "root"], ""),
    Ctl(&["role", "list"], ""),
    Http("GET", "/v2/auth/users", "", ""),
    Http("GET", "/v2/auth/users/u", "", ""),
    Http("GET", "/v2/auth/roles", "", ""),
    Ctl(&["auth", "enable"], ""),
    Http("GET", "/v2/auth/enable", "", ""),
    Ctl(&["auth", "enable"], ""),
    Ctl(&["-u", ROOT, "auth", "enable"], ""),
    Ctl(&["user", "list"], ""),
    Ctl(&["-u", "u:pw", "user", "list"], ""),
    Ctl(&["-u", "root:bad", "user", "list"], ""),
    Ctl(&["-u", ROOT, "user", "list"], ""),
    Ctl(&["-u", ROOT, "role", "list"], ""),
    Ctl(&["-u", ROOT, "role", "get", "guest"], ""),
    Http("GET", "/v2/auth/enable", "", ""),
    Http("GET", "/v2/auth/users/u", "", ""),
    Http("GET", "/v2/auth/users/u", "u:pw", ""),
    Http("GET", "/v2/auth/users/u", ROOT, ""),
    // The guest role `auth enable` made: everything under `/`, but not `/v2/keys` itself.
    Http("PUT", "/v2/keys/foo/a", "", "value=1"),
    Http("GET", "/v2/keys/foo/a", "", ""),
    Http("GET", "/v2/keys", "", ""),
    Http("GET", "/v2/keys/", "", ""),
    Http("GET", "/v2/keys/?recursive=true", "", ""),
    Ctl(&["get", "/foo/a"], ""),
    Ctl(
        &[
            "-u",
            ROOT,
            "role",
            "revoke",
            "guest",
            "--path",
            "/*",
            "--readwrite",
        ],
        "",
    ),
    Ctl(&["-u", ROOT, "role", "get", "guest"], ""),
    Http("GET", "/v2/keys/foo/a", "", ""),
    Http("HEAD", "/v2/keys/foo/a", "", ""),
    Http("PUT", "/v2/keys/foo/a", "", "value=2"),
    Http("PUT", "/v2/keys/foo/a?ttl=abc", "", "value=2"),
    Ctl(&["get", "/foo/a"], ""),
    Ctl(&["--username", "u:pw", "get", "/foo/a"], ""),
    Ctl(&["--username", "u:pw", "set", "/foo/b", "2"], ""),
    Ctl(&["--username", "u:pw", "set", "/other", "2"], ""),
    Http("GET", "/v2/keys/foo/a", "u:pw", ""),
    Http("PUT", "/v2/keys/foo/c", "u:pw", "value=3"),
    Http("DELETE", "/v2/keys/foo/c", "u:pw", ""),
    Http("GET", "/v2/keys/foo?recursive=true", "u:pw", ""),
    Http(
        "GET",
        "/v2/keys/foo/?recursive=true&sorted=true",
        "u:pw",
        "",
    ),
    Http("GET", "/v2/keys/bar", "u:pw", ""),
    Http("PUT", "/v2/keys/bar", "u:pw", "value=1"),
    Http("GET", "/v2/keys/foo/a", "u:wrong", ""),
    Http("GET", "/v2/keys/foo/a", "nobody:pw", ""),
    Http("GET", "/v2/keys/foo/a", "raw:Basic !!!", ""),
    Http("GET", "/v2/keys/foo/a", "raw:Bearer x", ""),
    Http("GET", "/v2/keys/foo/a", ROOT, ""),
    Http("GET", "/v2/keys/?recursive=true&sorted=true", ROOT, ""),
    Http("GET", "/v2/keys/foo/a?wait=true&waitIndex=1", "", ""),
    Http("GET", "/v2/keys/foo/a?wait=true&waitIndex=1", "u:pw", ""),
    // A guest may be given a key again.
    Ctl(
        &[
            "-u", ROOT, "role", "grant", "guest", "--path", "/foo/a", "--read",
        ],
        "",
    ),
    Http("GET", "/v2/keys/foo/a", "", ""),
    Http("GET", "/v2/keys/foo/a?recursive=true", "", ""),
    Http("GET", "/v2/keys/foo/b", "", ""),
    // Members: reads open, changes for root only. (etcd refuses before reading the body and
    // then closes the connection, which resets it when a body was left unread: none is sent.)
    Http("GET", "/v2/members/leader", "", ""),
    Http("POST", "/v2/members", "", ""),
    Http("POST", "/v2/members", "u:pw", ""),
    Http("DELETE", "/v2/members/1234", "", ""),
    Http("DELETE", "/v2/members/1234", ROOT, ""),
    Http(
        "PUT",
        "/v2/members/1234",
        ROOT,
        r#"{"peerURLs":["http://127.0.0.1:1"]}"#,
    ),
    // Passwords, revokes, removals.
    Ctl(&["-u", ROOT, "user", "passwd", "u"], "pw2\n"),
    Http("GET", "/v2/keys/foo/a", "u:pw", ""),
    Http("GET", "/v2/keys/foo/a", "u:pw2", ""),
    Ctl(&["-u", ROOT, "user", "revoke", "u", "--roles", "r"], ""),
    Ctl(&["-u", ROOT, "user", "revoke", "u", "--roles", "r"], ""),
    Ctl(&["-u", ROOT, "user", "get", "u"], ""),
    Http("GET", "/v2/keys/foo/b", "u:pw2", ""),
    Ctl(
        &[
            "-u", ROOT, "role", "revoke", "r", "--path", "/bar", "--read",
        ],
        "",
    ),
    Ctl(
        &[
            "-u", ROOT, "role", "revoke", "r", "--path", "/bar", "--read",
        ],
        "",
    ),
    Ctl(&["-u", ROOT, "role", "get", "r"], ""),
    Ctl(&["-u", ROOT, "role", "remove", "r"], ""),
    Ctl(&["-u", ROOT, "role", "remove", "r"], ""),
    Ctl(&["-u", ROOT, "role", "remove", "root"], ""),
    Ctl(&["-u", ROOT, "user", "remove", "root"], ""),
    Ctl(&["-u", ROOT, "user", "remove", "u"], ""),
    Ctl(&["-u", ROOT, "user", "remove", "u"], ""),
    // Raw error paths.
    Http("PUT", "/v2/auth/users/x", ROOT, "{"),
    Http("PUT", "/v2/auth/users/x", ROOT, ""),
    Http("PUT", "/v2/auth/users/x", ROOT, "null"),
    Http(
        "PUT",
        "/v2/auth/users/x",
        ROOT,
        r#"{"user":"x","password":7}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/users/x",
        ROOT,
        r#"{"user":"y","password":"p"}"#,
    ),
    Http("PUT", "/v2/auth/users/x", ROOT, r#"{"user":"x"}"#),
    Http(
        "PUT",
        "/v2/auth/users/x",
        ROOT,
        r#"{"user":"x","password":"p","roles":["a"],"grant":["b"]}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/users/x",
        ROOT,
        r#"{"user":"x","grant":["b"]}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/users/x",
        ROOT,
        r#"{"User":"x","PASSWORD":"p"} trailing"#,
    ),
    Http("PUT", "/v2/auth/users/x", ROOT, r#"{"user":"x"}"#),
    Http("PUT", "/v2/auth/users/x", ROOT, r#"{"user":"x"}"#),
    Http(
        "PUT",
        "/v2/auth/users/x",
        ROOT,
        r#"{"user":"x","revoke":["zz"]}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/users/q",
        ROOT,
        r#"{"user":"q","password":"p","roles":["z","z","<&>"]}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/users/q",
        ROOT,
        r#"{"user":"q","password":"p","roles":["z"]}"#,
    ),
    Http("GET", "/v2/auth/users/q", ROOT, ""),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","permissions":{"kv":{"read":["/a"]}},"grant":{"kv":{"read":["/b"]}}}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","grant":{"kv":{"read":["/b"]}}}"#,
    ),
    Http("PUT", "/v2/auth/roles/z", ROOT, r#"{"role":"y"}"#),
    Http("PUT", "/v2/auth/roles/root", ROOT, r#"{"role":"root"}"#),
    Http(
        "PUT",
        "/v2/auth/roles/root",
        ROOT,
        r#"{"role":"root","grant":{"kv":{"read":["/b"]}}}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","grant":{},"permissions":{"kv":{"write":["/w<"]}}}"#,
    ),
    Http("PUT", "/v2/auth/roles/z", ROOT, r#"{"role":"z"}"#),
    Http("GET", "/v2/auth/roles/z", ROOT, ""),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","revoke":{"kv":{"read":["/none"]}}}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","revoke":{"kv":{"read":["/none"]}}}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","grant":{"kv":{"read":["/b","/a"],"write":["/b"]}}}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","grant":{"kv":{"write":["/b"]}}}"#,
    ),
    Http(
        "PUT",
        "/v2/auth/roles/z",
        ROOT,
        r#"{"role":"z","permissions":"x"}"#,
    ),
    Http("GET", "/v2/auth/users", ROOT, ""),
    Http("GET", "/v2/auth/roles", ROOT, ""),
    Http("DELETE", "/v2/auth/roles/z", ROOT, ""),
    Http("GET", "/v2/auth/users/q", ROOT, ""),
    Http("GET", "/v2/auth/users", ROOT, ""),
    Http("DELETE", "/v2/auth/roles/guest", ROOT, ""),
    Http("GET", "/v2/keys/foo/a", "", ""),
    Http("GET", "/v2/auth/users/u/x", ROOT, ""),
    Http("GET", "/v2/auth/users/u/x", "", ""),
    Http("PATCH", "/v2/auth/users", ROOT, ""),
    Http("PUT", "/v2/auth/users/", ROOT, ""),
    Http("POST", "/v2/auth/users/q", ROOT, ""),
    Http("POST", "/v2/auth/enable", ROOT, ""),
    Http("GET", "/v2/auth", ROOT, ""),
    Http("GET", "/v2/auth/enable/", ROOT, ""),
    Http("GET", "/v2/auth/users/./q", ROOT, ""),
    Http("GET", "/v2/auth/users/q?x=%zz", ROOT, ""),
    Http("DELETE", "/v2/auth/users/root", ROOT, ""),
    Http("DELETE", "/v2/auth/users/root", "", ""),
    Http("DELETE", "/v2/auth/enable", "", ""),
    Http("DELETE", "/v2/auth/enable", "q:p", ""),
    Ctl(&["-u", ROOT, "auth", "disable"], ""),
    Ctl(&["auth", "disable"], ""),
    Http("GET", "/v2/keys/foo/a", "", ""),
    Http("GET", "/v2/keys/foo/a", "nobody:x", ""),
    Http("GET", "/v2/auth/users", "", ""),
    Http("DELETE", "/v2/auth/users/root", "", ""),
    Ctl(&["auth", "enable"], ""),
    Http("GET", "/v2/keys/", "", ""),
];

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn request(port: u16, method: &str, path: &str, creds: &str, body: &str) -> HttpReply {
    let content_type = if path.starts_with("/v2/keys") {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    let authorization = match creds.strip_prefix("raw:") {
        Some(raw) => raw.to_string(),
        None => format!("Basic {}", base64(creds.as_bytes())),
    };
    let mut headers = vec![("Content-Type", content_type)];
    if !creds.is_empty() {
        headers.push(("Authorization", authorization.as_str()));
    }
    http_exchange_with(port, method, path, &headers, body)
        .unwrap_or_else(|e| panic!("{method} {path} on {port}: {e}"))
}

fn etcdctl(port: u16, args: &[&str], stdin: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "2")
        .args(["--endpoints", &format!("http://127.0.0.1:{port}")])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run etcdctl");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().expect("etcdctl output");
    format!(
        "rc={:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run_steps(port: u16) -> Vec<String> {
    let ids = member_ids(port);
    STEPS
        .iter()
        .map(|step| match step {
            Ctl(args, stdin) => {
                let mut out = etcdctl(port, args, stdin);
                for (from, to) in &ids {
                    out = out.replace(from.as_str(), to);
                }
                format!("etcdctl {}\n{out}", args.join(" "))
            }
            Http(method, path, creds, body) => {
                let r = request(port, method, path, creds, body);
                format!(
                    "{method} {path} [{creds}] {body}\n{} cluster-id={} www-authenticate={}",
                    normalise(&r, &ids),
                    r.header("x-etcd-cluster-id").is_some(),
                    r.header("www-authenticate").unwrap_or("-"),
                )
            }
        })
        .collect()
}

#[test]
fn v2_auth_answers_as_etcd_34() {
    if !tools_present() {
        return;
    }
    let etcd = Etcd::start(&["--enable-v2"]);
    let oxcd = Server::start(&["--enable-v2"]);
    // etcd serves auth only once the cluster version is decided, shortly after it is healthy.
    for port in [etcd.client_port, oxcd.client_port] {
        wait_capable(port);
    }
    let expected = run_steps(etcd.client_port);
    let actual = run_steps(oxcd.client_port);
    let diffs: Vec<String> = expected
        .iter()
        .zip(&actual)
        .filter(|(e, a)| e != a)
        .map(|(e, a)| format!("etcd:\n{e}\noxcd:\n{a}\n"))
        .collect();
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

fn wait_capable(port: u16) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while request(port, "GET", "/v2/auth/enable", "", "").status != 200 {
        assert!(std::time::Instant::now() < deadline, "auth never capable");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn status(port: u16, method: &str, path: &str, creds: &str, body: &str) -> (u16, String) {
    let r = request(port, method, path, creds, body);
    (r.status, r.body)
}

/// Users, roles and the enabled flag are v2 store nodes written through raft: a kill -9 after
/// snapshots keeps them, and another member enforces them.
#[test]
fn v2_auth_replicates_and_survives_kill_9() {
    let mut cluster = Server::cluster(3, &["--enable-v2", "--snapshot-count", "5"]);
    common::members::start_all(&mut cluster);
    let ports: Vec<u16> = cluster.iter().map(|m| m.client_port).collect();
    wait_capable(ports[0]);
    let user = |name: &str, body: &str| {
        status(ports[0], "PUT", &format!("/v2/auth/users/{name}"), "", body)
    };
    assert_eq!(user("root", r#"{"user":"root","password":"pw"}"#).0, 201);
    assert_eq!(user("u", r#"{"user":"u","password":"pw"}"#).0, 201);
    let role = r#"{"role":"r","permissions":{"kv":{"read":["/ok/*"],"write":[]}}}"#;
    assert_eq!(status(ports[0], "PUT", "/v2/auth/roles/r", "", role).0, 201);
    let grant = r#"{"user":"u","grant":["r"]}"#;
    assert_eq!(
        status(ports[0], "PUT", "/v2/auth/users/u", "", grant).0,
        200
    );
    assert_eq!(
        status(ports[0], "PUT", "/v2/keys/ok/k", "", "value=v").0,
        201
    );
    assert_eq!(status(ports[0], "PUT", "/v2/auth/enable", "", "").0, 200);

    let checks = |port: u16| {
        let wanted = [
            status(port, "GET", "/v2/auth/enable", "", "").1,
            status(port, "GET", "/v2/keys/ok/k", "u:pw", "")
                .0
                .to_string(),
            status(port, "PUT", "/v2/keys/ok/k", "u:pw", "value=w")
                .0
                .to_string(),
            status(port, "GET", "/v2/auth/users", "", "").0.to_string(),
            status(port, "GET", "/v2/auth/users/u", ROOT, "").1,
        ];
        wanted.join(" | ")
    };
    let want = "{\"enabled\":true}\n | 200 | 401 | 401 | {\"user\":\"u\",\"roles\":[{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":[\"/ok/*\"],\"write\":[]}}}]}\n";
    // Every member applies the writes (followers soon after), so every member enforces them.
    let converge = |when: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        for &port in &ports {
            loop {
                let got = checks(port);
                if got == want {
                    break;
                }
                let late = std::time::Instant::now() > deadline;
                assert!(!late, "{when}, member on {port}: {got}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    };
    converge("before the restart");
    for i in 0..10 {
        let r = status(
            ports[1],
            "PUT",
            &format!("/v2/keys/bulk/{i}"),
            ROOT,
            "value=x",
        );
        assert_eq!(r.0, 201, "{}", r.1);
    }
    for member in cluster.iter_mut() {
        member.kill9();
    }
    common::members::start_all(&mut cluster);
    wait_capable(ports[2]);
    converge("after kill -9");
    // A write after the restart still finds the directories it needs.
    let passwd = r#"{"user":"u","password":"new"}"#;
    assert_eq!(
        status(ports[2], "PUT", "/v2/auth/users/u", ROOT, passwd).0,
        200
    );
    // Credentials are checked against the member's own store, as in etcd: another member
    // takes the new password once it applied the change.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while status(ports[0], "GET", "/v2/keys/ok/k", "u:new", "").0 != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "the new password never worked"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
