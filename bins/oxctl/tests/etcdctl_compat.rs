//! oxctl against the real etcdctl 3.4: the same command lines, byte-for-byte the same stdout,
//! stderr (less clientv3's zap log lines) and exit code.
//!
//! Writes change the server, so the two tools run against twin etcd servers: two single-member
//! clusters started with the same name, advertised peer and client URLs, hence the same cluster
//! and member IDs. Fed the same commands in the same order they stay identical, revisions and all.
//! The twins and the comparison are in `twin_etcd`, shared with `auth_compat.rs`.
//! Where etcdctl names itself (`version`, the help's version lines), oxctl names itself.

mod oxctl_identity;
mod twin_etcd;

use twin_etcd::*;

#[test]
fn kv_commands_match_etcdctl() {
    if !tools_present() {
        return;
    }
    let (a, b) = start_twins();
    let check = |args: &[&str]| same(&a, &b, args, "");
    for i in 1..=5 {
        check(&["put", &format!("key{i}"), &format!("val{i}")]);
    }
    check(&["put", "a", "1"]);
    check(&["put", "pct", "100%d of %s"]);
    same(&a, &b, &["put", "from-stdin"], "line one\nline two\n");
    for format in FORMATS {
        fn with<'a>(args: &[&'a str], format: &'a str) -> Vec<&'a str> {
            [args, &["-w", format][..]].concat()
        }
        check(&with(&["get", "key1"], format));
        check(&with(&["get", "key", "--prefix"], format));
        check(&with(&["get", "key1", "key4"], format));
        check(&with(&["get", "key", "--prefix", "--limit", "2"], format));
        check(&with(
            &[
                "get",
                "key",
                "--prefix",
                "--sort-by=VALUE",
                "--order=DESCEND",
            ],
            format,
        ));
        check(&with(
            &[
                "get",
                "key",
                "--prefix",
                "--sort-by=modify",
                "--order=ascend",
                "--consistency=s",
            ],
            format,
        ));
        check(&with(
            &["get", "key", "--prefix", "--sort-by=create"],
            format,
        ));
        check(&with(
            &[
                "get",
                "key",
                "--prefix",
                "--sort-by=version",
                "--order=DESCEND",
            ],
            format,
        ));
        check(&with(&["get", "key", "--prefix", "--keys-only"], format));
        check(&with(&["get", "", "--prefix"], format));
        check(&with(&["get", "key3", "--from-key"], format));
        check(&with(&["get", "", "--from-key", "--rev", "3"], format));
        check(&with(
            &["get", "key", "--prefix", "--print-value-only"],
            format,
        ));
        check(&with(&["get", "key", "--prefix", "--hex"], format));
        check(&with(&["get", "pct"], format));
        check(&with(&["get", "from-stdin"], format));
        check(&with(&["put", "key2", "new", "--prev-kv"], format));
        check(&with(&["del", "key5", "--prev-kv"], format));
        check(&with(&["put", "key5", "val5"], format));
        check(&with(&["del", "nothing"], format));
        check(&with(&["del", "a", "c", "--prev-kv"], format));
        check(&with(&["put", "a", "1"], format));
    }
    // Usage errors, server errors and flag errors.
    for args in [
        &["get"][..],
        &["put"],
        &["del"],
        &["del", "a", "b", "c"],
        &["get", "a", "--prefix", "--from-key"],
        &["get", "a", "b", "--prefix"],
        &["del", "a", "b", "--from-key"],
        &["get", "a", "--consistency=x"],
        &["get", "a", "--order=x"],
        &["get", "a", "--sort-by=y"],
        &["get", "a", "--print-value-only", "-w", "json"],
        &["get", "a", "-w", "xml"],
        &["put", "b", "v", "--lease=zz"],
        &["put", "b", "v", "--lease=1234abc"],
        &["put", "b", "v", "--ignore-value"],
        &["put", "missing", "--ignore-value"],
        &["put", "missing", "v", "--ignore-lease"],
        &["put", "", "v"],
        &["get", ""],
        &["compaction"],
        &["compaction", "x"],
        &["compaction", "1", "2"],
        &["compaction", "3"],
        &["compaction", "2"],
        &["compaction", "100000"],
        &["compaction", "4", "--physical", "-w", "json"],
        &["get", "a", "--rev", "2"],
        &["get", "a", "--rev", "100000"],
        &["get", "a", "--limit", "x"],
        &["get", "a", "--keys-only=maybe"],
        &["get", "a", "-x"],
        &["get", "a", "--limit"],
        &["txn", "x"],
        &["frob"],
        &["put", "-h"],
        &["del", "--help"],
        &["txn", "-h"],
        &["compaction", "-h"],
        &["member", "list", "-h"],
        &["endpoint", "status", "-h"],
        &["endpoint", "health", "-h"],
    ] {
        check(args);
    }
}

/// `version` and the top-level help name oxctl, its own version and the API version it speaks.
#[test]
fn version_and_help_name_oxctl() {
    let unused = format!("127.0.0.1:{}", free_port());
    let version = run(OXCTL, &unused, &["version"], "");
    assert_eq!(
        (
            String::from_utf8_lossy(&version.stdout).into_owned(),
            version.stderr,
            version.code
        ),
        (
            format!(
                "oxctl version: {}\nAPI version: {}\n",
                env!("CARGO_PKG_VERSION"),
                oxctl_identity::API_VERSION
            ),
            String::new(),
            0
        )
    );
    let help = run(OXCTL, &unused, &["--help"], "");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.starts_with("NAME:\n\toxctl - "), "{help}");
    assert!(
        help.contains(&format!("\nVERSION:\n\t{}\n", env!("CARGO_PKG_VERSION"))),
        "{help}"
    );
    assert!(
        help.contains(&format!(
            "\nAPI VERSION:\n\t{}\n",
            oxctl_identity::API_VERSION
        )),
        "{help}"
    );
}

#[test]
fn txn_matches_etcdctl() {
    if !tools_present() {
        return;
    }
    let (a, b) = start_twins();
    for (key, value) in [("k1", "v1"), ("k2", "v2"), ("a", "1")] {
        same(&a, &b, &["put", key, value], "");
    }
    let txns = [
        "mod(\"k1\") > \"0\"\nvalue(\"k1\") = \"v1\"\n\nput k2 v2\nget k1\ndel k3\nget k --prefix\n\nput k4 v4\n\n",
        "mod(\"k1\") = \"0\"\n\nput x y\n\nput z w --prev-kv\ndel a --prev-kv\nget k --prefix --limit=1 --sort-by=VALUE\n\n",
        "val(\"k1\") != \"v1\"\nver(\"k1\") < \"10\"\nc(\"k1\") > \"0\"\nm(\"k1\") > \"0\"\n\nput ok yes\n\n\n",
        "\nput \"a b\" \"c d\"\nget \"a b\"\n\n\n",
        "\nput k1 v --prev-kv\ndel k1 --prev-kv\nget k --from-key --keys-only\n\n\n",
        "  mod(\"k2\")   >    \"0\"  \n  val(\"k2\") = `v2`\n\n\n\n",
        "val(\"k2\") = \"v2\" junk\nmod(\"k\\x32\") > \"0\"\n\n\n\n",
    ];
    for input in txns {
        for format in FORMATS {
            same(&a, &b, &["txn", "-w", format], input);
        }
    }
    same(
        &a,
        &b,
        &["txn", "-i"],
        "mod(\"k1\") = \"0\"\n\nput x y\n\nput z w\n\n",
    );
    for bad in [
        "bad(\"k1\") = \"0\"\n\n\n\n",
        "mod(\"k1\")>\"0\"\n\n\n\n",
        "mod(k1) > \"0\"\n\n\n\n",
        "mod(\"k1\") > \"x\"\n\n\n\n",
        "mod \"k1\" > \"x\"\n\n\n\n",
        "val(\"k2\") = \"v2\n\n\n\n",
        "\n\nfoo x\n\n\n",
        "\n\nput x\n\n\n",
        "\n\nget\n\n\n",
        "\n\ndel a b c\n\n\n",
        "\nput k1 v --lease=zz\n\n\n",
        "\nput \"k1\" v\nput k1 w\n\n\n",
        "",
        "\n\n",
        "mod(\"k1\") > \"0\"",
    ] {
        same(&a, &b, &["txn"], bad);
    }
}

#[test]
fn cluster_commands_match_etcdctl() {
    if !tools_present() {
        return;
    }
    let (a, b) = start_twins();
    // Read-only commands that print the endpoint: both tools ask the same server.
    let check = |args: &[&str]| same(&a, &a, args, "");
    for format in FORMATS {
        check(&["member", "list", "-w", format]);
        check(&["endpoint", "status", "-w", format]);
        check(&["endpoint", "status", "--cluster", "-w", format]);
    }
    check(&["member", "list", "--hex", "-w", "json"]);
    check(&["endpoint", "health", "-w", "protobuf"]);
    let both = format!("{},{}", a.client, b.client);
    for format in ["simple", "table"] {
        let expected = run(ETCDCTL, &both, &["endpoint", "status", "-w", format], "");
        let actual = run(OXCTL, &both, &["endpoint", "status", "-w", format], "");
        assert_eq!(actual, expected);
    }
    // Health reports a latency; compare with it blanked out.
    let blank_took = |text: &str| -> String {
        let mut out = String::new();
        for word in text.split_inclusive([' ', '"', '\n']) {
            let trimmed = word.trim_end_matches([' ', '"', '\n']);
            let is_duration = trimmed.ends_with('s')
                && trimmed
                    .trim_end_matches(['s', 'm', 'µ', 'n'])
                    .parse::<f64>()
                    .is_ok();
            out.push_str(if is_duration {
                &word[trimmed.len()..]
            } else {
                word
            });
        }
        out
    };
    for format in ["simple", "json", "fields"] {
        let args = ["endpoint", "health", "-w", format];
        let expected = run(ETCDCTL, &a.client, &args, "");
        let actual = run(OXCTL, &a.client, &args, "");
        assert_eq!(actual.code, expected.code);
        assert_eq!(blank_took(&actual.stderr), blank_took(&expected.stderr));
        assert_eq!(
            blank_took(&String::from_utf8_lossy(&actual.stdout)),
            blank_took(&String::from_utf8_lossy(&expected.stdout))
        );
    }
    // An endpoint nobody listens on: the same errors once the command timeout passes.
    let dead = format!("127.0.0.1:{}", free_port());
    for args in [
        &["--command-timeout", "1s", "get", "a"][..],
        &["--command-timeout", "1s", "endpoint", "status"],
    ] {
        assert_eq!(
            run(OXCTL, &dead, args, ""),
            run(ETCDCTL, &dead, args, ""),
            "{args:?}"
        );
    }
    let mixed = format!("{dead},{}", a.client);
    assert_eq!(
        run(OXCTL, &mixed, &["get", "a"], ""),
        run(ETCDCTL, &mixed, &["get", "a"], "")
    );
}

#[test]
fn ls_lists_one_level_without_values() {
    if !tools_present() {
        return;
    }
    let (a, _b) = start_twins();
    for key in [
        "/registry/pods/default/a",
        "/registry/pods/kube-system/b",
        "/registry/pods-x",
        "/registry/services/specs/default/kubernetes",
        "/registry/svc",
        "/other",
    ] {
        assert_eq!(run(OXCTL, &a.client, &["put", key, "v"], "").code, 0);
    }
    let ls =
        |args: &[&str]| String::from_utf8(run(OXCTL, &a.client, args, "").stdout).expect("utf-8");
    assert_eq!(
        ls(&["ls", "/registry"]),
        "/registry/pods\n/registry/pods-x\n/registry/services\n/registry/svc\n"
    );
    assert_eq!(ls(&["ls", "/registry/"]), ls(&["ls", "/registry"]));
    assert_eq!(
        ls(&["ls", "/registry/pods"]),
        "/registry/pods/default\n/registry/pods/kube-system\n"
    );
    assert_eq!(ls(&["ls"]), "/other\n/registry\n");
    assert_eq!(
        ls(&["ls", "/registry/pods", "-r"]),
        "/registry/pods/default/a\n/registry/pods/kube-system/b\n"
    );
    assert_eq!(ls(&["ls", "/nothing"]), "");
}

#[test]
fn lease_lock_and_elect_commands_match_etcdctl() {
    if !tools_present() {
        return;
    }
    let (a, b) = start_twins();
    let check = |args: &[&str]| same(&a, &b, args, "");
    for help in [
        "lease",
        "lease grant",
        "lease revoke",
        "lease timetolive",
        "lease list",
        "lease keep-alive",
        "lock",
        "elect",
    ] {
        let mut args: Vec<&str> = help.split(' ').collect();
        args.push("--help");
        same_help(&a, &b, &args);
    }
    for bad in [
        &["lease", "grant"][..],
        &["lease", "grant", "1", "2"],
        &["lease", "grant", "abc"],
        &["lease", "grant", "99999999999999999999"],
        &["lease", "revoke"],
        &["lease", "revoke", "zz"],
        &["lease", "timetolive"],
        &["lease", "timetolive", "zz"],
        &["lease", "keep-alive"],
        &["lease", "keep-alive", "zz"],
        &["lock"],
        &["elect"],
        &["elect", "a"],
        &["elect", "a", "b", "c"],
        &["elect", "-l", "a", "b"],
        &["put", "k", "v", "--lease", "zz"],
    ] {
        check(bad);
    }
    // Leases the servers do not know (their own IDs differ, being time-based).
    for format in FORMATS {
        check(&["lease", "list", "-w", format]);
        check(&["lease", "timetolive", "999", "-w", format]);
        check(&["lease", "timetolive", "999", "--keys", "-w", format]);
        check(&["lease", "keep-alive", "--once", "999", "-w", format]);
        check(&["lease", "revoke", "999", "-w", format]);
        check(&["lease", "grant", "9000000001", "-w", format]);
        check(&["put", "k", "v", "--lease", "999", "-w", format]);
    }
}
