//! oxctl's `user`, `role` and `auth` commands and its `--user`/`--password` flags against the
//! real etcdctl 3.4, each run against one of two twin real etcd servers (see `twin_etcd`): the
//! same command lines give byte-for-byte the same stdout, stderr (less clientv3's zap log lines)
//! and exit code. (oxcd has no Auth service yet, so these tests use etcd only.)
//!
//! etcdctl 3.4 has no `auth status`, so there is nothing to compare it with.

mod oxctl_identity;
mod twin_etcd;

use twin_etcd::*;

/// `args` followed by `-w format`.
fn with<'a>(args: &[&'a str], format: &'a str) -> Vec<&'a str> {
    [args, &["-w", format][..]].concat()
}

/// `args` as `user` with `--user user:password`.
fn as_user<'a>(user: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [&["--user", user][..], args].concat()
}

/// Like `same`, for `lease grant`: each server draws its lease IDs from its own clock, so the
/// ID (the one 16-digit hex word) is masked.
fn same_but_lease_id(a: &Etcd, b: &Etcd, args: &[&str]) {
    let masked = |out: Output| {
        let stdout = String::from_utf8_lossy(&out.stdout)
            .split(' ')
            .map(|w| {
                let id = w.len() == 16 && w.chars().all(|c| c.is_ascii_hexdigit());
                if id {
                    "<id>"
                } else {
                    w
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        (stdout, out.stderr, out.code)
    };
    assert_eq!(
        masked(run(OXCTL, &b.client, args, "")),
        masked(run(ETCDCTL, &a.client, args, "")),
        "oxctl differs from etcdctl for {args:?}"
    );
}

/// Conformance case 24: the root user, `auth enable`, anonymous and authenticated requests,
/// wrong credentials and `auth disable`; and the password given by `--password` or on stdin.
#[test]
fn auth_enable_and_credentials_match_etcdctl() {
    let Some((a, b)) = twins_if_installed() else {
        return;
    };
    let check = |args: &[&str]| same(&a, &b, args, "");
    check(&["auth", "enable"]);
    check(&["user", "add", "root:rootpw"]);
    check(&["user", "list"]);
    check(&["auth", "enable", "extra"]);
    check(&["auth", "enable"]);
    check(&["put", "a", "1"]);
    check(&["get", "a"]);
    check(&["user", "list"]);
    check(&as_user("root:rootpw", &["put", "a", "1"]));
    check(&as_user("root:rootpw", &["get", "a"]));
    check(&as_user("root:wrong", &["get", "a"]));
    check(&as_user("nobody:pw", &["get", "a"]));
    check(&as_user(
        "root",
        &["--password", "rootpw", "get", "a", "--print-value-only"],
    ));
    check(&as_user(
        "root:rootpw",
        &["--password", "rootpw", "get", "a"],
    ));
    check(&as_user("", &["--password", "rootpw", "get", "a"]));
    check(&as_user("root:", &["get", "a"]));
    same(&a, &b, &as_user("root", &["get", "a"]), "rootpw\n");
    same(&a, &b, &as_user("root", &["get", "a"]), "rootpw\r\nmore\n");
    same(&a, &b, &as_user("root", &["get", "a"]), "wrong\n");
    same(&a, &b, &as_user("root", &["get", "a"]), "");
    check(&as_user("root:rootpw", &["user", "get", "root"]));
    check(&as_user("root:rootpw", &["role", "list"]));
    check(&as_user("root:rootpw", &["user", "delete", "root"]));
    check(&as_user(
        "root:rootpw",
        &["user", "revoke-role", "root", "root"],
    ));
    check(&as_user("root:rootpw", &["user", "add", "root:again"]));
    check(&as_user("root:rootpw", &["auth", "disable", "x"]));
    check(&as_user("root:rootpw", &["auth", "disable", "-w", "json"]));
    check(&["get", "a", "--print-value-only"]);
    check(&["auth", "disable"]);
    check(&["user", "get", "root"]);
    // clientv3 goes on without a token when the server says auth is not enabled.
    check(&as_user("root:rootpw", &["get", "a", "--print-value-only"]));
    check(&as_user("nobody:pw", &["put", "a", "2"]));
}

/// Conformance case 25: roles with read, write and readwrite permissions over keys, ranges and
/// prefixes, granted, checked and revoked.
#[test]
fn roles_and_permissions_match_etcdctl() {
    let Some((a, b)) = twins_if_installed() else {
        return;
    };
    let check = |args: &[&str]| same(&a, &b, args, "");
    check(&["user", "add", "root:rootpw"]);
    check(&["role", "add", "reader"]);
    check(&["role", "add", "writer"]);
    check(&[
        "role",
        "grant-permission",
        "reader",
        "read",
        "/app/",
        "--prefix",
    ]);
    check(&[
        "role",
        "grant-permission",
        "writer",
        "readwrite",
        "/data/a",
        "/data/m",
    ]);
    check(&[
        "role",
        "grant-permission",
        "writer",
        "write",
        "/logs",
        "--prefix",
    ]);
    check(&["role", "get", "reader"]);
    check(&["role", "get", "writer"]);
    check(&["user", "add", "alice:apw"]);
    check(&["user", "add", "bob:bpw"]);
    check(&["user", "grant-role", "alice", "reader"]);
    check(&["user", "grant-role", "bob", "writer"]);
    check(&["user", "grant-role", "bob", "reader"]);
    check(&["user", "get", "bob"]);
    check(&["user", "get", "bob", "--detail"]);
    check(&["auth", "enable"]);
    check(&as_user("root:rootpw", &["put", "/app/config", "v1"]));
    check(&as_user(
        "alice:apw",
        &["get", "/app/config", "--print-value-only"],
    ));
    check(&as_user("alice:apw", &["put", "/app/config", "v2"]));
    check(&as_user("alice:apw", &["get", "/data/b"]));
    check(&as_user("bob:bpw", &["put", "/data/b", "1"]));
    check(&as_user("bob:bpw", &["put", "/data/z", "1"]));
    check(&as_user("bob:bpw", &["get", "/data/a", "/data/m"]));
    check(&as_user("bob:bpw", &["get", "/logs/x"]));
    check(&as_user("bob:bpw", &["put", "/logs/x", "entry"]));
    check(&as_user("bob:bpw", &["del", "/app/config"]));
    same_but_lease_id(&a, &b, &as_user("alice:apw", &["lease", "grant", "100"]));
    check(&as_user("alice:apw", &["user", "list"]));
    check(&as_user("alice:apw", &["role", "get", "reader"]));
    check(&as_user(
        "root:rootpw",
        &["role", "revoke-permission", "reader", "/app/", "--prefix"],
    ));
    check(&as_user("alice:apw", &["get", "/app/config"]));
    check(&as_user(
        "root:rootpw",
        &["user", "revoke-role", "bob", "reader"],
    ));
    check(&as_user("root:rootpw", &["user", "delete", "alice"]));
    check(&as_user("alice:apw", &["get", "/app/config"]));
    check(&as_user("root:rootpw", &["role", "delete", "nosuchrole"]));
    check(&as_user("root:rootpw", &["user", "add", "bob:again"]));
    check(&as_user(
        "root:rootpw",
        &["user", "grant-role", "bob", "nosuchrole"],
    ));
    check(&as_user("root:rootpw", &["user", "list", "-w", "json"]));
    check(&as_user("root:rootpw", &["role", "list", "-w", "json"]));
    check(&as_user("root:rootpw", &["auth", "disable"]));
}

/// Every output format of every `user` and `role` command, the permission ranges etcdctl
/// builds, and the usage and server errors.
#[test]
fn user_and_role_commands_match_etcdctl_in_every_format() {
    let Some((a, b)) = twins_if_installed() else {
        return;
    };
    let check = |args: &[&str]| same(&a, &b, args, "");
    for format in FORMATS {
        let role = format!("role-{format}");
        let user = format!("user-{format}");
        let user_pw = format!("{user}:pw");
        let (role, user) = (role.as_str(), user.as_str());
        let before_passwd: [&[&str]; 17] = [
            &["role", "add", role],
            &[
                "role",
                "grant-permission",
                role,
                "read",
                "/app/",
                "--prefix",
            ],
            &[
                "role",
                "grant-permission",
                role,
                "readwrite",
                "/d/a",
                "/d/m",
            ],
            &[
                "role",
                "grant-permission",
                role,
                "WRITE",
                "/logs",
                "--from-key",
            ],
            &["role", "grant-permission", role, "Write", "k1"],
            &["role", "grant-permission", role, "read", "", "--prefix"],
            &["role", "grant-permission", role, "read", ""],
            &["role", "grant-permission", role, "read", "a", "b", "c"],
            &[
                "role",
                "grant-permission",
                role,
                "read",
                "\u{ff}",
                "--prefix",
            ],
            &["role", "get", role],
            &["role", "list"],
            &["user", "add", &user_pw],
            &["user", "grant-role", user, role],
            &["user", "grant-role", user, "role-simple"],
            &["user", "get", user],
            &["user", "get", user, "--detail"],
            &["user", "list"],
        ];
        for args in before_passwd {
            check(&with(args, format));
        }
        same(
            &a,
            &b,
            &with(&["user", "passwd", user], format),
            "new\nnew\n",
        );
        let after_passwd: [&[&str]; 9] = [
            &["role", "revoke-permission", role, "/app/", "--prefix"],
            &["role", "revoke-permission", role, "/logs", "--from-key"],
            &["role", "revoke-permission", role, "", "--prefix"],
            &["role", "revoke-permission", role, "/d/a", "/d/m"],
            &["role", "revoke-permission", role, "k1"],
            &["role", "revoke-permission", role, ""],
            &["user", "revoke-role", user, role],
            &["user", "delete", user],
            &["role", "delete", role],
        ];
        for args in after_passwd {
            check(&with(args, format));
        }
    }
    check(&["role", "add", "r"]);
    check(&["user", "add", "u:pw"]);
    for args in [
        &["user", "add"][..],
        &["user", "add", "a", "b"],
        &["user", "add", ":pw"],
        &["user", "add", "u:other"],
        &["user", "add", "v:"],
        &["user", "add", "w", "--new-user-password", "wpw"],
        &["user", "add", "x:y", "--new-user-password", "z"],
        &["user", "add", "cn-only", "--no-password"],
        &["user", "get", "cn-only"],
        &["user", "get"],
        &["user", "get", "nosuch"],
        &["user", "get", ""],
        &["user", "get", "nosuch", "--detail"],
        &["user", "list", "extra"],
        &["user", "delete"],
        &["user", "delete", "nosuch"],
        &["user", "passwd"],
        &["user", "grant-role", "u"],
        &["user", "grant-role", "u", "nosuch"],
        &["user", "grant-role", "nosuch", "r"],
        &["user", "revoke-role", "u"],
        &["user", "revoke-role", "u", "r"],
        &["role", "add"],
        &["role", "add", "r"],
        &["role", "add", ""],
        &["role", "get"],
        &["role", "get", "nosuch"],
        &["role", "list", "extra"],
        &["role", "delete", "nosuch"],
        &["role", "grant-permission", "r", "read"],
        &["role", "grant-permission", "r", "bogus", "k"],
        &["role", "grant-permission", "nosuch", "read", "k"],
        &["role", "grant-permission", "r", "read", "z", "a"],
        &[
            "role",
            "grant-permission",
            "r",
            "read",
            "a",
            "b",
            "--prefix",
        ],
        &[
            "role",
            "grant-permission",
            "r",
            "read",
            "a",
            "b",
            "--from-key",
        ],
        &[
            "role",
            "grant-permission",
            "r",
            "read",
            "a",
            "--prefix",
            "--from-key",
        ],
        &[
            "role",
            "grant-permission",
            "r",
            "read",
            "",
            "--prefix",
            "--from-key",
        ],
        &["role", "get", "r"],
        &["role", "revoke-permission", "r"],
        &["role", "revoke-permission", "r", "k"],
        &["role", "revoke-permission", "nosuch", "k"],
        &["role", "revoke-permission", "r", "z", "a"],
        &["role", "revoke-permission", "r", "a", "b", "--from-key"],
        &["user", "list"],
        &["role", "list"],
    ] {
        check(args);
    }
}

/// Passwords read from stdin: the prompt's two lines (`--interactive`, the default) or the first
/// word (`--interactive=false`), for `user add` and `user passwd`; then logging in with them.
#[test]
fn passwords_from_stdin_match_etcdctl() {
    let Some((a, b)) = twins_if_installed() else {
        return;
    };
    let feed = |args: &[&str], stdin: &str| same(&a, &b, args, stdin);
    feed(&["user", "add", "root"], "rootpw\nrootpw\n");
    feed(&["user", "add", "p1"], "p1pw\np1pw\n");
    feed(&["user", "add", "p2"], "one\ntwo\n");
    feed(&["user", "add", "p3"], "only once\n");
    feed(&["user", "add", "p4"], "");
    feed(&["user", "add", "p5"], "with space\r\nwith space\r\n");
    feed(&["user", "add", ""], "pw\npw\n");
    feed(
        &["user", "add", "p6", "--interactive=false"],
        "  first second\n",
    );
    feed(&["user", "add", "p7", "--interactive=false"], "");
    feed(&["user", "passwd", "p1"], "changed\nchanged\n");
    feed(&["user", "passwd", "p1"], "a\nb\n");
    feed(&["user", "passwd", "p1"], "\n");
    feed(&["user", "passwd", "nosuch"], "x\nx\n");
    feed(&["user", "passwd", "p6", "--interactive=false"], "again\n");
    feed(&["auth", "enable"], "");
    feed(&as_user("root", &["user", "list"]), "rootpw\n");
    feed(&as_user("p1:changed", &["get", "k"]), "");
    feed(&as_user("p1:p1pw", &["get", "k"]), "");
    feed(&as_user("p5:with space", &["get", "k"]), "");
    feed(&as_user("p6:again", &["get", "k"]), "");
    feed(&as_user("p6:first", &["get", "k"]), "");
    feed(
        &as_user("root:rootpw", &["user", "passwd", "p6"]),
        "third\nthird\n",
    );
    feed(&as_user("p6:third", &["get", "k"]), "");
    feed(
        &as_user("root", &["user", "passwd", "p1"]),
        "rootpw\nnewer\nnewer\n",
    );
    feed(&as_user("root:rootpw", &["auth", "disable"]), "");
}

#[test]
fn auth_help_matches_etcdctl() {
    let Some((a, b)) = twins_if_installed() else {
        return;
    };
    for command in [
        "auth",
        "auth enable",
        "auth disable",
        "user",
        "user add",
        "user get",
        "user list",
        "user delete",
        "user passwd",
        "user grant-role",
        "user revoke-role",
        "role",
        "role add",
        "role get",
        "role list",
        "role delete",
        "role grant-permission",
        "role revoke-permission",
    ] {
        let args: Vec<&str> = command.split(' ').chain(["--help"]).collect();
        same_help(&a, &b, &args);
    }
}
