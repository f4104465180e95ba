//! Data-driven MVCC tests: `testdata/*.txt` hold commands and their expected output.
//!
//! A case is a command line (plus body lines for `txn` and `batch`), a `----` line, and the
//! expected output up to the next blank line. `#` lines between cases are comments. Run with
//! `REWRITE=1` to regenerate the expected output (then review the diff).
//!
//! Commands (keys and values may use `\0` and `\xNN` escapes):
//! - `put <key> <value> [lease=N] [prev-kv] [ignore-value] [ignore-lease]`
//! - `get <key> [end=K | prefix | from-key] [rev=N] [limit=N] [order=none|asc|desc|N]
//!   [target=key|version|create|mod|value|N] [keys-only] [count-only] [min-mod=N] [max-mod=N]
//!   [min-create=N] [max-create=N]`
//! - `del <key> [end=K | prefix | from-key] [prev-kv]`
//! - `txn`, body: compares like `version(k) = 0`, `value(a,c) != x`, `mod(k) > 3`, then
//!   `success`, ops, `failure`, ops; an op `txn` nests a body closed by `end`.
//! - `compact <rev>`, `compaction-step <limit>`, `compaction-finish`, `backend`, `rev`,
//!   `leases <id>...`, `reopen`, `hash [rev]`, `events` (of the batch so far),
//!   `history <from-rev> <max-events>` (watch events read back from the backend)
//! - `batch [abort]`, body: commands run in one write batch, committed (or dropped).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oxcd_proto::etcdserverpb::compare::{CompareResult, CompareTarget, TargetUnion};
use oxcd_proto::etcdserverpb::request_op::Request;
use oxcd_proto::etcdserverpb::response_op::Response;
use oxcd_proto::etcdserverpb::{
    Compare, DeleteRangeRequest, DeleteRangeResponse, PutRequest, PutResponse, RangeRequest,
    RangeResponse, RequestOp, TxnRequest, TxnResponse,
};
use oxcd_proto::mvccpb::{Event, KeyValue};
use oxcd_storage::mvcc::{MvccStore, WriteBatch};

#[test]
fn testdata() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for file in files {
        failures.extend(check(&file));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Runs one file; returns a description of every case whose output differs.
fn check(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).expect("read testdata file");
    let rewrite = std::env::var_os("REWRITE").is_some();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut env = Env {
        path: dir.path().join("member/snap/db"),
        store: None,
        leases: HashSet::new(),
    };
    env.store = Some(MvccStore::open(&env.path).expect("open store"));
    let mut failures = Vec::new();
    let mut out_file = String::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() || line.starts_with('#') {
            out_file.push_str(line);
            out_file.push('\n');
            i += 1;
            continue;
        }
        let start = i;
        let mut input = Vec::new();
        while i < lines.len() && lines[i] != "----" {
            input.push(lines[i]);
            i += 1;
        }
        i += 1; // the ---- line
        let mut expected = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            expected.push(lines[i]);
            i += 1;
        }
        let actual = env.run(&input);
        let actual_lines: Vec<&str> = actual.lines().collect();
        if actual_lines != expected {
            failures.push(format!(
                "{}:{}: {}\n--- expected\n{}\n--- actual\n{}",
                file.display(),
                start + 1,
                input.join("\n"),
                expected.join("\n"),
                actual
            ));
        }
        for l in &input {
            out_file.push_str(l);
            out_file.push('\n');
        }
        out_file.push_str("----\n");
        out_file.push_str(&actual);
    }
    if rewrite {
        std::fs::write(file, out_file).expect("rewrite testdata");
        return Vec::new();
    }
    failures
}

struct Env {
    path: PathBuf,
    store: Option<MvccStore>,
    leases: HashSet<i64>,
}

impl Env {
    fn store(&self) -> &MvccStore {
        self.store.as_ref().expect("store is open")
    }

    /// Runs a case; returns its output, each line ending in a newline.
    fn run(&mut self, input: &[&str]) -> String {
        let words: Vec<&str> = input[0].split_whitespace().collect();
        let body = &input[1..];
        let mut out = String::new();
        match words[0] {
            "reopen" => {
                self.store = None;
                self.store = Some(MvccStore::open(&self.path).expect("reopen"));
                out.push_str(&rev_line(self.store()));
            }
            "leases" => {
                self.leases = words[1..]
                    .iter()
                    .map(|w| w.parse().expect("lease id"))
                    .collect();
                out.push_str("ok\n");
            }
            "rev" => out.push_str(&rev_line(self.store())),
            "compaction-step" => {
                let limit = words[1].parse().expect("limit");
                let more = self
                    .store()
                    .compaction_step(limit)
                    .expect("compaction step");
                writeln!(out, "more={more}").unwrap();
            }
            "compaction-finish" => {
                while self.store().compaction_step(3).expect("compaction step") {}
                out.push_str(&rev_line(self.store()));
            }
            "backend" => {
                for (rev, tombstone, kv) in self.store().dump_key_table().expect("dump") {
                    let mark = if tombstone { "t" } else { "" };
                    writeln!(out, "{}_{}{} {}", rev.main, rev.sub, mark, fmt_kv(&kv)).unwrap();
                }
            }
            "history" => {
                let from = words[1].parse().expect("from revision");
                let max = words[2].parse().expect("max events");
                match self.store().events_since(from, max) {
                    Ok((events, through)) => {
                        writeln!(out, "through={through}").unwrap();
                        for event in &events {
                            fmt_event(&mut out, event);
                        }
                    }
                    Err(err) => writeln!(out, "error: {err}").unwrap(),
                }
            }
            "hash" => {
                let rev = words.get(1).map_or(0, |w| w.parse().expect("rev"));
                match self.store().hash_kv(rev) {
                    Ok((hash, compact, rev)) => {
                        writeln!(out, "hash={hash:08x} compact={compact} rev={rev}").unwrap()
                    }
                    Err(err) => writeln!(out, "error: {err}").unwrap(),
                }
            }
            "get" => {
                let req = parse_get(&words[1..]);
                match self.store().range(&req) {
                    Ok(resp) => fmt_range(&mut out, "", &resp),
                    Err(err) => writeln!(out, "error: {err}").unwrap(),
                }
            }
            "batch" => {
                let abort = words.get(1) == Some(&"abort");
                let leases = self.leases.clone();
                let mut batch = self.store().write_batch().expect("write batch");
                let mut j = 0;
                while j < body.len() {
                    let len = command_len(&body[j..]);
                    run_write(&mut batch, &leases, &body[j..j + len], &mut out);
                    j += len;
                }
                if abort {
                    drop(batch);
                } else {
                    batch.commit(false).expect("commit");
                }
            }
            _ => {
                let leases = self.leases.clone();
                let mut batch = self.store().write_batch().expect("write batch");
                run_write(&mut batch, &leases, input, &mut out);
                batch.commit(false).expect("commit");
            }
        }
        out
    }
}

/// Lines taken by the command at the start of `lines` (a `txn` runs to its matching `end`
/// or, at top level of a batch body, to the end).
fn command_len(lines: &[&str]) -> usize {
    if lines[0].trim() != "txn" {
        return 1;
    }
    let mut depth = 0;
    for (i, line) in lines.iter().enumerate() {
        match line.trim() {
            "txn" => depth += 1,
            "end" => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    lines.len()
}

fn run_write(batch: &mut WriteBatch<'_>, leases: &HashSet<i64>, input: &[&str], out: &mut String) {
    let words: Vec<&str> = input[0].split_whitespace().collect();
    let lease_exists = |id: i64| leases.contains(&id);
    match words[0] {
        "put" => match batch.put(&parse_put(&words[1..]), &lease_exists) {
            Ok(resp) => fmt_put(out, "", &resp),
            Err(err) => writeln!(out, "error: {err}").unwrap(),
        },
        "del" => match batch.delete_range(&parse_del(&words[1..])) {
            Ok(resp) => fmt_del(out, "", &resp),
            Err(err) => writeln!(out, "error: {err}").unwrap(),
        },
        "get" => match batch.range(&parse_get(&words[1..])) {
            Ok(resp) => fmt_range(out, "", &resp),
            Err(err) => writeln!(out, "error: {err}").unwrap(),
        },
        "txn" => {
            let mut body = input[1..].iter().map(|l| l.trim()).peekable();
            let req = parse_txn_body(&mut body);
            match batch.txn(&req, &lease_exists) {
                Ok(resp) => fmt_txn(out, "", &resp),
                Err(err) => writeln!(out, "error: {err}").unwrap(),
            }
        }
        "compact" => match batch.compact(words[1].parse().expect("rev")) {
            Ok(()) => out.push_str("ok\n"),
            Err(err) => writeln!(out, "error: {err}").unwrap(),
        },
        "consistent-index" => {
            batch
                .set_consistent_index(words[1].parse().expect("index"), 1)
                .expect("set consistent index");
            out.push_str("ok\n");
        }
        "events" => {
            for event in batch.take_events() {
                fmt_event(out, &event);
            }
        }
        other => panic!("unknown command {other:?}"),
    }
}

fn rev_line(store: &MvccStore) -> String {
    format!(
        "current={} compact={} finished={} index={}\n",
        store.current_revision(),
        store.compact_revision(),
        store.finished_compact_revision(),
        store.consistent_index()
    )
}

/// Parses `\0` and `\xNN` escapes.
fn unescape(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'0') {
            out.push(0);
            i += 2;
        } else if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            out.push(u8::from_str_radix(&s[i + 2..i + 4], 16).expect("hex escape"));
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out == b"\"\"" {
        out.clear();
    }
    out
}

fn escape(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'\\' {
            s.push(b as char);
        } else {
            write!(s, "\\x{b:02x}").unwrap();
        }
    }
    s
}

/// `key=value` flags and bare flags after the positional arguments.
fn flag<'a>(words: &[&'a str], name: &str) -> Option<&'a str> {
    words.iter().find_map(|w| {
        if *w == name {
            Some("")
        } else {
            w.strip_prefix(name).and_then(|rest| rest.strip_prefix('='))
        }
    })
}

fn num(words: &[&str], name: &str) -> i64 {
    flag(words, name).map_or(0, |v| v.parse().expect("number"))
}

/// The range end for `end=K`, `prefix` or `from-key`.
fn range_end(key: &[u8], words: &[&str]) -> Vec<u8> {
    if let Some(end) = flag(words, "end") {
        return unescape(end);
    }
    if flag(words, "from-key").is_some() {
        return vec![0];
    }
    if flag(words, "prefix").is_some() {
        let mut end = key.to_vec();
        while let Some(last) = end.pop() {
            if last < 0xff {
                end.push(last + 1);
                return end;
            }
        }
        return vec![0];
    }
    Vec::new()
}

fn parse_get(words: &[&str]) -> RangeRequest {
    let key = unescape(words[0]);
    let order = match flag(words, "order") {
        None | Some("none") => 0,
        Some("asc") => 1,
        Some("desc") => 2,
        Some(n) => n.parse().expect("order"),
    };
    let target = match flag(words, "target") {
        None | Some("key") => 0,
        Some("version") => 1,
        Some("create") => 2,
        Some("mod") => 3,
        Some("value") => 4,
        Some(n) => n.parse().expect("target"),
    };
    RangeRequest {
        range_end: range_end(&key, words),
        key,
        limit: num(words, "limit"),
        revision: num(words, "rev"),
        sort_order: order,
        sort_target: target,
        keys_only: flag(words, "keys-only").is_some(),
        count_only: flag(words, "count-only").is_some(),
        min_mod_revision: num(words, "min-mod"),
        max_mod_revision: num(words, "max-mod"),
        min_create_revision: num(words, "min-create"),
        max_create_revision: num(words, "max-create"),
        ..RangeRequest::default()
    }
}

fn parse_put(words: &[&str]) -> PutRequest {
    PutRequest {
        key: unescape(words[0]),
        value: unescape(words[1]),
        lease: num(words, "lease"),
        prev_kv: flag(words, "prev-kv").is_some(),
        ignore_value: flag(words, "ignore-value").is_some(),
        ignore_lease: flag(words, "ignore-lease").is_some(),
    }
}

fn parse_del(words: &[&str]) -> DeleteRangeRequest {
    let key = unescape(words[0]);
    DeleteRangeRequest {
        range_end: range_end(&key, words),
        key,
        prev_kv: flag(words, "prev-kv").is_some(),
    }
}

fn is_txn_keyword(line: &str) -> bool {
    matches!(line, "success" | "failure" | "end")
}

/// Parses compares, then `success` and `failure` sections of ops, up to `end` or the input's
/// end; an op `txn` parses a nested body through its own `end`.
fn parse_txn_body<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> TxnRequest {
    let mut req = TxnRequest::default();
    while let Some(line) = lines.next_if(|l| !is_txn_keyword(l)) {
        req.compare.push(parse_compare(line));
    }
    loop {
        let ops = match lines.next() {
            Some("success") => &mut req.success,
            Some("failure") => &mut req.failure,
            _ => break,
        };
        while let Some(line) = lines.next_if(|l| !is_txn_keyword(l)) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let request = match words[0] {
                "put" => Request::RequestPut(parse_put(&words[1..])),
                "get" => Request::RequestRange(parse_get(&words[1..])),
                "del" => Request::RequestDeleteRange(parse_del(&words[1..])),
                "txn" => Request::RequestTxn(parse_txn_body(lines)),
                other => panic!("unknown txn op {other:?}"),
            };
            ops.push(RequestOp {
                request: Some(request),
            });
        }
    }
    req
}

fn parse_compare(line: &str) -> Compare {
    let (target, rest) = line.split_once('(').expect("compare: target(");
    let (args, rest) = rest.split_once(')').expect("compare: )");
    let (key, end) = match args.split_once(',') {
        Some((k, e)) => (unescape(k.trim()), unescape(e.trim())),
        None => (unescape(args.trim()), Vec::new()),
    };
    let mut words = rest.split_whitespace();
    let op = words.next().expect("compare op");
    let operand = words.next().unwrap_or("");
    let result = match op {
        "=" => CompareResult::Equal as i32,
        "!=" => CompareResult::NotEqual as i32,
        ">" => CompareResult::Greater as i32,
        "<" => CompareResult::Less as i32,
        n => n.parse().expect("compare result"),
    };
    let n = || operand.parse::<i64>().expect("compare operand");
    let (target, union) = match target.trim() {
        "version" => (CompareTarget::Version, TargetUnion::Version(n())),
        "create" => (CompareTarget::Create, TargetUnion::CreateRevision(n())),
        "mod" => (CompareTarget::Mod, TargetUnion::ModRevision(n())),
        "value" => (CompareTarget::Value, TargetUnion::Value(unescape(operand))),
        "lease" => (CompareTarget::Lease, TargetUnion::Lease(n())),
        other => panic!("unknown compare target {other:?}"),
    };
    Compare {
        result,
        target: target as i32,
        key,
        range_end: end,
        target_union: Some(union),
    }
}

fn fmt_kv(kv: &KeyValue) -> String {
    let mut s = format!(
        "{}={} c={} m={} v={}",
        escape(&kv.key),
        escape(&kv.value),
        kv.create_revision,
        kv.mod_revision,
        kv.version
    );
    if kv.lease != 0 {
        write!(s, " l={}", kv.lease).unwrap();
    }
    s
}

fn header_rev(header: &Option<oxcd_proto::etcdserverpb::ResponseHeader>) -> String {
    match header {
        Some(h) => {
            assert_eq!((h.cluster_id, h.member_id, h.raft_term), (0, 0, 0));
            h.revision.to_string()
        }
        None => "none".to_string(),
    }
}

fn fmt_range(out: &mut String, indent: &str, resp: &RangeResponse) {
    writeln!(
        out,
        "{indent}rev={} count={} more={}",
        header_rev(&resp.header),
        resp.count,
        resp.more
    )
    .unwrap();
    for kv in &resp.kvs {
        writeln!(out, "{indent}  {}", fmt_kv(kv)).unwrap();
    }
}

fn fmt_put(out: &mut String, indent: &str, resp: &PutResponse) {
    writeln!(out, "{indent}rev={}", header_rev(&resp.header)).unwrap();
    if let Some(prev) = &resp.prev_kv {
        writeln!(out, "{indent}  prev: {}", fmt_kv(prev)).unwrap();
    }
}

fn fmt_del(out: &mut String, indent: &str, resp: &DeleteRangeResponse) {
    writeln!(
        out,
        "{indent}rev={} deleted={}",
        header_rev(&resp.header),
        resp.deleted
    )
    .unwrap();
    for prev in &resp.prev_kvs {
        writeln!(out, "{indent}  prev: {}", fmt_kv(prev)).unwrap();
    }
}

fn fmt_txn(out: &mut String, indent: &str, resp: &TxnResponse) {
    writeln!(
        out,
        "{indent}succeeded={} rev={}",
        resp.succeeded,
        header_rev(&resp.header)
    )
    .unwrap();
    let inner = format!("{indent}  ");
    for op in &resp.responses {
        match &op.response {
            Some(Response::ResponseRange(r)) => {
                write!(out, "{inner}get: ").unwrap();
                let mut s = String::new();
                fmt_range(&mut s, &inner, r);
                out.push_str(s.trim_start());
            }
            Some(Response::ResponsePut(r)) => {
                write!(out, "{inner}put: ").unwrap();
                let mut s = String::new();
                fmt_put(&mut s, &inner, r);
                out.push_str(s.trim_start());
            }
            Some(Response::ResponseDeleteRange(r)) => {
                write!(out, "{inner}del: ").unwrap();
                let mut s = String::new();
                fmt_del(&mut s, &inner, r);
                out.push_str(s.trim_start());
            }
            Some(Response::ResponseTxn(r)) => {
                write!(out, "{inner}txn: ").unwrap();
                let mut s = String::new();
                fmt_txn(&mut s, &inner, r);
                out.push_str(s.trim_start());
            }
            None => writeln!(out, "{inner}none").unwrap(),
        }
    }
}

fn fmt_event(out: &mut String, event: &Event) {
    let kind = if event.r#type == 0 { "PUT" } else { "DELETE" };
    let kv = event.kv.as_ref().expect("event kv");
    write!(out, "{kind} {}", fmt_kv(kv)).unwrap();
    if let Some(prev) = &event.prev_kv {
        write!(out, " prev: {}", fmt_kv(prev)).unwrap();
    }
    out.push('\n');
}
