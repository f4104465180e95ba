//! `oxutl dump keys|leases|members|alarms` on a cleanly stopped oxcd member, against what
//! etcdctl 3.4 printed for the same data while the member ran: `get` (whole store, a prefix,
//! `--keys-only`, `--rev`), `lease timetolive --keys`, `member list` and `alarm list`, in each
//! format; the tables `get` and `lease` lack are checked cell by cell against etcdctl's records
//! (its `-w fields` quoting for values that are not text). Also: a compacted and a future
//! `--rev`, a running member, a missing data dir and an unsupported `-w` are errors, and no
//! dump changes a byte of the data dir.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

fn oxutl(args: &[&str]) -> Output {
    run(Command::new(OXUTL).args(args))
}

/// oxutl's stdout as bytes (the simple formats print keys and values raw), and its exit code.
fn oxutl_bytes(args: &[&str]) -> (Vec<u8>, i32) {
    let out = Command::new(OXUTL)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run oxutl");
    (out.stdout, out.status.code().unwrap_or(-1))
}

/// etcdctl against `server`, which must succeed: its stdout as bytes.
fn ctl(server: &Server, args: &[&[u8]]) -> Vec<u8> {
    let out = Command::new(ETCDCTL)
        .env("ETCDCTL_API", "3")
        .args(["--endpoints", &server.endpoint])
        .args(args.iter().map(|a| OsStr::from_bytes(a)))
        .stdin(Stdio::null())
        .output()
        .expect("run etcdctl");
    assert!(
        out.status.success(),
        "etcdctl {:?}: {}",
        args.iter()
            .map(|a| String::from_utf8_lossy(a))
            .collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8 output")
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Raises a NOSPACE alarm for `member` through the JSON gateway (etcdctl 3.4 cannot).
fn raise_nospace(endpoint: &str, member: u64) {
    let body =
        format!("{{\"action\":\"ACTIVATE\",\"memberID\":\"{member}\",\"alarm\":\"NOSPACE\"}}");
    let mut stream = TcpStream::connect(endpoint).expect("connect to the gateway");
    write!(
        stream,
        "POST /v3/maintenance/alarm HTTP/1.1\r\nHost: {endpoint}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send the alarm request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Every file below `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.insert(path.clone(), std::fs::read(&path).expect("read file"));
        }
    }
    out
}

/// A table's rows (header first), each cell trimmed, borders left out.
fn table_rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            let inner = &l[1..l.len() - 1];
            inner.split(" | ").map(|c| c.trim().to_string()).collect()
        })
        .collect()
}

/// `get -w fields`' records: for each key, its fields by name (values as etcdctl prints them,
/// strings Go-quoted).
fn fields_records(fields: &str) -> Vec<BTreeMap<String, String>> {
    let mut records: Vec<BTreeMap<String, String>> = Vec::new();
    for line in fields.lines() {
        let Some((name, value)) = line.split_once(" : ") else {
            continue;
        };
        let name = name.trim_matches('"').to_string();
        if name == "Key" {
            records.push(BTreeMap::new());
        }
        if let Some(record) = records.last_mut() {
            record.insert(name, value.to_string());
        }
    }
    records
}

/// `get`'s simple output as (key, value) pairs.
fn simple_pairs(simple: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let lines: Vec<&[u8]> = simple.split(|&b| b == b'\n').collect();
    lines
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].to_vec(), c[1].to_vec()))
        .collect()
}

/// What etcdctl printed while the member ran, for the same data the dump reads.
struct Expected {
    get: Vec<u8>,
    get_json: String,
    get_fields: String,
    get_prefix: Vec<u8>,
    get_keys_only: Vec<u8>,
    get_at_rev: Vec<u8>,
    lease_hex: String,
    time_to_live: String,
    time_to_live_json: String,
    members: String,
    members_json: String,
    members_table: String,
    alarms: String,
    alarms_json: String,
}

/// The data: overwrites, a delete, a compaction, a prefix, a leased key, a value that is not
/// UTF-8, one with a space; then a NOSPACE alarm.
fn write_and_record(server: &Server) -> Expected {
    // Revisions 2 to 6, the compaction at 5, then 7; the puts below are 8 to 10.
    for args in [
        &[&b"put"[..], b"a", b"1"][..],
        &[b"put", b"/p/x", b"2"],
        &[b"put", b"gone", b"5"],
        &[b"put", b"a", b"4"],
        &[b"del", b"gone"],
        &[b"compaction", b"5"],
        &[b"put", b"/p/y", b"3"],
    ] {
        ctl(server, args);
    }
    let granted = text(ctl(server, &[b"lease", b"grant", b"600"]));
    let lease_hex = granted
        .split_whitespace()
        .nth(1)
        .expect("lease grant prints the ID")
        .to_string();
    ctl(
        server,
        &[b"put", b"--lease", lease_hex.as_bytes(), b"leased", b"v"],
    );
    ctl(server, &[b"put", b"bin", b"\xff\xfebin"]);
    ctl(server, &[b"put", b"sp", b"hello world"]);
    let all: &[&'static [u8]] = &[b"get", b"", b"--prefix"];
    let with = |extra: &[&'static [u8]]| [all, extra].concat();
    let members_json = text(ctl(server, &[b"member", b"list", b"-w", b"json"]));
    let member_id = json(&members_json)["members"][0]["ID"]
        .as_u64()
        .expect("member ID");
    raise_nospace(&server.endpoint, member_id);
    Expected {
        get: ctl(server, all),
        get_json: text(ctl(server, &with(&[b"-w", b"json"]))),
        get_fields: text(ctl(server, &with(&[b"-w", b"fields"]))),
        get_prefix: ctl(server, &[b"get", b"/p", b"--prefix"]),
        get_keys_only: ctl(server, &with(&[b"--keys-only"])),
        get_at_rev: ctl(server, &with(&[b"--rev", b"6"])),
        time_to_live: text(ctl(
            server,
            &[b"lease", b"timetolive", lease_hex.as_bytes(), b"--keys"],
        )),
        time_to_live_json: text(ctl(
            server,
            &[
                b"lease",
                b"timetolive",
                lease_hex.as_bytes(),
                b"--keys",
                b"-w",
                b"json",
            ],
        )),
        lease_hex,
        members: text(ctl(server, &[b"member", b"list"])),
        members_json,
        members_table: text(ctl(server, &[b"member", b"list", b"-w", b"table"])),
        alarms: text(ctl(server, &[b"alarm", b"list"])),
        alarms_json: text(ctl(server, &[b"alarm", b"list", b"-w", b"json"])),
    }
}

/// `text` from the given field name on, behind an opening brace: etcdctl's JSON without its
/// header (which only a running cluster has).
fn without_header(text: &str, field: &str) -> String {
    let at = text
        .find(&format!("\"{field}\""))
        .unwrap_or_else(|| panic!("no {field} in {text}"));
    format!("{{{}", &text[at..])
}

#[test]
fn dumps_of_a_stopped_member_print_what_etcdctl_printed() {
    if !tools_present() {
        return;
    }
    let Some(oxcd) = oxcd_bin() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let d = data.to_str().expect("utf-8");
    let server = Server::start_on(&oxcd, &data, free_port(), free_port());
    let expected = write_and_record(&server);
    let running = oxutl(&["dump", "keys", "--data-dir", d]);
    assert_eq!(
        (running.code, running.stdout.as_str()),
        (1, ""),
        "a running member's backend is refused: {running:?}"
    );
    server.stop();
    let before = files(&data);

    // keys, simple: exactly `get`'s, for the whole store, a prefix, keys only, a past revision.
    for (args, want) in [
        (vec![], &expected.get),
        (vec!["--prefix", "/p"], &expected.get_prefix),
        (vec!["--keys-only"], &expected.get_keys_only),
        (vec!["--rev", "6"], &expected.get_at_rev),
    ] {
        let (out, code) = oxutl_bytes(&[&["dump", "keys", "--data-dir", d][..], &args].concat());
        assert_eq!(code, 0, "{args:?}");
        assert!(
            &out == want,
            "dump keys {args:?}:\n{}\netcdctl:\n{}",
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(want)
        );
    }

    // keys, JSON: `get -w json` with the header reduced to the revision.
    let dumped = oxutl(&["dump", "keys", "--data-dir", d, "-w", "json"]);
    assert_eq!(dumped.code, 0, "{dumped:?}");
    let revision = json(&expected.get_json)["header"]["revision"].clone();
    assert_eq!(
        dumped.stdout,
        format!(
            "{{\"header\":{{\"revision\":{revision}}},{}",
            &without_header(&expected.get_json, "kvs")[1..]
        )
    );

    // keys, table: a row per key as `get` printed it, not-text values quoted as in `-w fields`.
    let table = oxutl(&["dump", "keys", "--data-dir", d, "-w", "table"]);
    assert_eq!(table.code, 0, "{table:?}");
    let rows = table_rows(&table.stdout);
    assert_eq!(
        rows[0],
        ["KEY", "CREATE REV", "MOD REV", "VERSION", "LEASE", "VALUE"]
    );
    let records = fields_records(&expected.get_fields);
    let pairs = simple_pairs(&expected.get);
    assert_eq!(rows.len() - 1, records.len());
    assert_eq!(pairs.len(), records.len());
    let cell = |raw: &[u8], quoted: &str| match std::str::from_utf8(raw) {
        Ok(t) if !t.chars().any(char::is_control) => t.to_string(),
        _ => quoted.to_string(),
    };
    for ((row, record), (key, value)) in rows[1..].iter().zip(&records).zip(&pairs) {
        let lease = if record["Lease"] == "0" {
            String::new()
        } else {
            expected.lease_hex.clone()
        };
        let want = vec![
            cell(key, &record["Key"]),
            record["CreateRevision"].clone(),
            record["ModRevision"].clone(),
            record["Version"].clone(),
            lease,
            cell(value, &record["Value"]),
        ];
        assert_eq!(row, &want, "{}", table.stdout);
    }
    assert!(
        table.stdout.contains("\"\\xff\\xfebin\""),
        "{}",
        table.stdout
    );
    let keys_only = oxutl(&[
        "dump",
        "keys",
        "--data-dir",
        d,
        "-w",
        "table",
        "--keys-only",
    ]);
    assert_eq!(
        table_rows(&keys_only.stdout)[0],
        ["KEY", "CREATE REV", "MOD REV", "VERSION", "LEASE"]
    );

    // leases: `lease timetolive --keys`; a lease never checkpointed has its granted TTL left,
    // which is what a restart gives it.
    let granted = |line: &str| -> String {
        let (head, rest) = line.split_once(", remaining(").expect("remaining");
        let ttl = head
            .rsplit_once("TTL(")
            .and_then(|(_, t)| t.strip_suffix("s)"))
            .expect("granted TTL");
        let (_, tail) = rest.split_once(')').expect("remaining's end");
        format!("{head}, remaining({ttl}s){tail}")
    };
    let leases = oxutl(&["dump", "leases", "--data-dir", d]);
    assert_eq!(leases.stdout, granted(&expected.time_to_live), "{leases:?}");
    let leases_json = json(&oxutl(&["dump", "leases", "--data-dir", d, "-w", "json"]).stdout);
    let mut want = json(&without_header(&expected.time_to_live_json, "id"));
    want["ttl"] = want["granted-ttl"].clone();
    assert_eq!(leases_json, serde_json::json!({ "leases": [want] }));
    let leases_table = oxutl(&["dump", "leases", "--data-dir", d, "-w", "table"]);
    assert_eq!(
        table_rows(&leases_table.stdout),
        [
            ["ID", "GRANTED TTL", "REMAINING TTL", "ATTACHED KEYS"],
            [expected.lease_hex.as_str(), "600s", "600s", "leased"]
        ]
    );

    // members and alarms: exactly `member list` and `alarm list`, JSON without the header.
    for (what, format, want) in [
        ("members", "simple", expected.members.clone()),
        ("members", "table", expected.members_table.clone()),
        (
            "members",
            "json",
            without_header(&expected.members_json, "members"),
        ),
        ("alarms", "simple", expected.alarms.clone()),
        ("alarms", "json", expected.alarms_json.clone()),
    ] {
        let out = oxutl(&["dump", what, "--data-dir", d, "-w", format]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, want.as_str()),
            "{what} -w {format}"
        );
    }
    assert!(
        expected.alarms.contains("alarm:NOSPACE"),
        "{}",
        expected.alarms
    );
    let (member, alarm) = expected
        .alarms
        .trim()
        .split_once(' ')
        .expect("memberID:N alarm:A");
    let alarms_table = oxutl(&["dump", "alarms", "--data-dir", d, "-w", "table"]);
    assert_eq!(
        table_rows(&alarms_table.stdout),
        [
            ["MEMBER ID", "ALARM"],
            [
                member.trim_start_matches("memberID:"),
                alarm.trim_start_matches("alarm:")
            ]
        ]
    );

    // Errors: revisions out of range, an unsupported format, a missing data dir.
    for (rev, error) in [
        ("4", "Error: mvcc: required revision has been compacted\n"),
        (
            "100",
            "Error: mvcc: required revision is a future revision\n",
        ),
    ] {
        let out = oxutl(&["dump", "keys", "--data-dir", d, "--rev", rev]);
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (1, "", error),
            "--rev {rev}"
        );
    }
    for what in ["keys", "leases", "members", "alarms"] {
        let out = oxutl(&["dump", what, "--data-dir", d, "-w", "fields"]);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (4, "Error: fields not supported as output format\n"),
            "dump {what}"
        );
        let missing = oxutl(&["dump", what, "--data-dir", "/nonexistent"]);
        assert_eq!(
            (missing.code, missing.stderr.as_str()),
            (
                1,
                "Error: open /nonexistent/member/snap/db: no such file or directory\n"
            ),
            "dump {what}"
        );
        let no_dir = oxutl(&["dump", what]);
        assert_eq!(no_dir.code, 1, "{no_dir:?}");
        assert!(
            no_dir
                .stderr
                .contains("required flag(s) \"data-dir\" not set"),
            "{no_dir:?}"
        );
    }
    assert!(!Path::new("/nonexistent").exists());

    assert!(
        files(&data) == before,
        "a dump changed the data dir's files"
    );
}

#[test]
fn an_etcd_data_dir_is_refused_unchanged() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("etcd");
    stopped_etcd_data_dir(&data);
    let before = files(&data);
    let out = oxutl(&["dump", "keys", "--data-dir", data.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("an etcd data dir"), "{out:?}");
    assert!(files(&data) == before);
}

#[test]
fn dump_lists_its_commands() {
    let help = oxutl(&["dump", "--help"]);
    assert_eq!(help.code, 0, "{help:?}");
    for what in ["alarms", "keys", "leases", "members"] {
        assert!(
            help.stdout.contains(&format!("\n  {what} ")),
            "{}",
            help.stdout
        );
    }
    let keys = oxutl(&["dump", "keys", "-h"]);
    for flag in [
        "--data-dir",
        "--keys-only",
        "--prefix",
        "--rev",
        "--write-out",
    ] {
        assert!(keys.stdout.contains(flag), "{}", keys.stdout);
    }
}
