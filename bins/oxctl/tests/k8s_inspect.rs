//! `oxctl k8s …` and `get --decode` on what a real kube-apiserver stored (the captured fixtures
//! in tests/kubernetes/fixtures, loaded byte for byte), against oxcd and against the real etcd
//! 3.4 holding the same keys: the same output from both, and the objects the API server served.

mod v2_harness;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use serde_json::Value;
use v2_harness::{free_port, oxcd_bin, start, tools_present, Kind, Server, OXCTL};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo().join("tests/kubernetes/fixtures")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

fn b64(value: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(value.as_str().expect("base64 text"))
        .expect("base64")
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn oxctl(server: &Server, args: &[&[u8]], stdin: &[u8]) -> Run {
    let mut child = Command::new(OXCTL)
        .env_remove("ETCDCTL_API")
        .args(["--endpoints", &server.url()])
        .args(args.iter().map(|a| std::ffi::OsStr::from_bytes(a)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run oxctl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("oxctl finishes");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// `oxctl` with space-separated arguments.
fn oxctl_words(server: &Server, words: &str) -> Run {
    let args: Vec<&[u8]> = words.split(' ').map(str::as_bytes).collect();
    oxctl(server, &args, b"")
}

fn put(server: &Server, key: &[u8], value: &[u8]) {
    let run = oxctl(server, &[b"put", key], value);
    assert_eq!(
        run.code,
        0,
        "put {}: {}",
        String::from_utf8_lossy(key),
        run.stderr
    );
}

/// The captured keys and values, in index order, and some that are damaged on purpose.
fn stored_values() -> Vec<(Vec<u8>, Vec<u8>)> {
    let index = read_json(&fixtures().join("index.json"));
    let mut out = Vec::new();
    for entry in index["keys"].as_array().expect("keys") {
        let stored = read_json(&fixtures().join(entry["etcd"].as_str().expect("etcd file")));
        let kv = &stored["kvs"][0];
        out.push((b64(&kv["key"]), b64(&kv["value"])));
    }
    let (_, configmap) = out
        .iter()
        .find(|(k, _)| k.starts_with(b"/registry/configmaps/"))
        .cloned()
        .expect("a configmap fixture");
    out.push((
        b"/registry/configmaps/damaged/truncated".to_vec(),
        configmap[..configmap.len() - 7].to_vec(),
    ));
    out.push((
        b"/registry/configmaps/damaged/\xff\xfe".to_vec(),
        b"not an object".to_vec(),
    ));
    // Odd shapes a walk of the hierarchy must get through: a key that is also a directory
    // (not an object of any type) and an empty segment.
    out.push((
        b"/registry/configmaps".to_vec(),
        b"a key above the objects".to_vec(),
    ));
    out.push((b"/registry//x".to_vec(), b"an empty segment".to_vec()));
    out
}

fn load(server: &Server) {
    for (key, value) in stored_values() {
        put(server, &key, &value);
    }
}

/// Both servers with the same keys written in the same order (hence the same revisions).
fn servers() -> Option<(Server, Server)> {
    if !tools_present() {
        return None;
    }
    let oxcd = oxcd_bin()?;
    let etcd = start(&Kind::Etcd, free_port(), free_port());
    let oxcd = start(&Kind::Oxcd(oxcd), free_port(), free_port());
    load(&etcd);
    load(&oxcd);
    Some((etcd, oxcd))
}

#[test]
fn k8s_views_print_the_same_against_etcd_and_oxcd() {
    let Some((etcd, oxcd)) = servers() else {
        return;
    };
    let config = repo().join("tests/kubernetes/encryption-config.yaml");
    let config = config.to_str().expect("utf-8 path").as_bytes().to_vec();
    let commands: Vec<Vec<&[u8]>> = vec![
        vec![b"k8s", b"ls"],
        vec![b"k8s", b"ls", b"--scan"],
        vec![b"k8s", b"top"],
        vec![b"k8s", b"top", b"--limit", b"3", b"-n", b"oxcd-test"],
        vec![b"k8s", b"get", b"configmaps"],
        vec![b"k8s", b"get", b"po", b"-n", b"oxcd-test"],
        vec![b"k8s", b"get", b"deploy", b"api", b"-n", b"oxcd-test"],
        vec![
            b"k8s",
            b"get",
            b"deployments.apps",
            b"api",
            b"-n",
            b"oxcd-test",
            b"-w",
            b"json",
        ],
        vec![b"k8s", b"get", b"svc", b"-w", b"yaml"],
        vec![b"k8s", b"get", b"secrets", b"db", b"-n", b"oxcd-test"],
        vec![
            b"k8s",
            b"get",
            b"secrets",
            b"db",
            b"-n",
            b"oxcd-test",
            b"--encryption-config",
            &config,
        ],
        vec![b"k8s", b"get", b"widgets.oxcd.test", b"-w", b"json"],
        vec![b"k8s", b"get", b"crd"],
        vec![b"k8s", b"get", b"priorityclasses", b"system-node-critical"],
        vec![
            b"k8s",
            b"history",
            b"/registry/configmaps/oxcd-large/after-big",
        ],
        vec![b"get", b"/registry/configmaps/", b"--prefix", b"--decode"],
        vec![
            b"get",
            b"/registry/pods/oxcd-test/pod-0",
            b"--decode",
            b"-w",
            b"json",
        ],
    ];
    for args in commands {
        let on_etcd = oxctl(&etcd, &args, b"");
        let on_oxcd = oxctl(&oxcd, &args, b"");
        let shown: Vec<String> = args
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        assert_eq!(on_etcd.code, 0, "{shown:?} on etcd: {}", on_etcd.stderr);
        assert_eq!(on_oxcd.code, 0, "{shown:?} on oxcd: {}", on_oxcd.stderr);
        assert!(!on_oxcd.stdout.is_empty(), "{shown:?} printed nothing");
        assert_eq!(on_etcd.stdout, on_oxcd.stdout, "{shown:?}");
    }
    // Against oxcd the totals came from its hierarchy listing, not from reading every value.
    let listings = metrics(&oxcd)
        .lines()
        .filter(|l| {
            l.starts_with("grpc_server_handled_total{")
                && l.contains("grpc_method=\"List\"")
                && l.contains("oxcd.v1.Hierarchy")
                && l.contains("grpc_code=\"OK\"")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum::<u64>();
    assert!(listings > 0, "oxcd was never asked for a hierarchy listing");
}

/// The server's /metrics page.
fn metrics(server: &Server) -> String {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.client)).expect("connect");
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("send");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    text
}

#[test]
fn decoded_objects_are_what_the_api_server_served() {
    let Some((_etcd, oxcd)) = servers() else {
        return;
    };
    let index = read_json(&fixtures().join("index.json"));
    let config = repo().join("tests/kubernetes/encryption-config.yaml");
    for entry in index["keys"].as_array().expect("keys") {
        let (Some(api), true) = (
            entry["api"].as_str(),
            entry["apiVersion"] == entry["servedAs"],
        ) else {
            continue;
        };
        let key = entry["key"].as_str().expect("key");
        let run = oxctl(
            &oxcd,
            &[
                b"get",
                key.as_bytes(),
                b"--decode",
                b"-w",
                b"json",
                b"--encryption-config",
                config.to_str().expect("utf-8").as_bytes(),
                b"--show-managed-fields",
            ],
            b"",
        );
        assert_eq!(run.code, 0, "{key}: {}", run.stderr);
        let mut decoded: Value = serde_json::from_str(&run.stdout).expect("JSON");
        let mut served = read_json(&fixtures().join(api));
        // Loaded afresh, the object has this store's revision, not the captured one.
        served["metadata"]["resourceVersion"] = Value::Null;
        decoded["metadata"]["resourceVersion"] = Value::Null;
        assert_eq!(decoded, served, "{key}");
    }
    // As kubectl, managedFields is left out unless asked for.
    let plain = oxctl_words(&oxcd, "k8s get deploy api -n oxcd-test -w json");
    let object: Value = serde_json::from_str(&plain.stdout).expect("JSON");
    assert_eq!(object["metadata"]["name"], "api");
    assert!(object["metadata"].get("managedFields").is_none());
}

#[test]
fn bad_values_are_described_and_the_listing_goes_on() {
    let Some((_etcd, oxcd)) = servers() else {
        return;
    };
    let table = oxctl_words(&oxcd, "k8s get cm");
    assert_eq!(table.code, 0, "{}", table.stderr);
    for name in ["after-big", "truncated", "\u{fffd}\u{fffd}"] {
        assert!(
            table.stdout.contains(name),
            "{name} missing from\n{}",
            table.stdout
        );
    }
    assert!(table.stdout.contains("<unknown>"), "{}", table.stdout);

    let truncated = oxctl_words(
        &oxcd,
        "get /registry/configmaps/damaged/truncated --decode -w json",
    );
    let described: Value = serde_json::from_str(&truncated.stdout).expect("JSON");
    assert_eq!(described["kind"], "ConfigMap");
    let error = described["error"].as_str().expect("error");
    assert!(error.contains("damaged"), "{described}");
    let hex = described["hex"].as_str().expect("hex");
    assert!(hex.starts_with("6b387300"), "{hex}");

    let secret = oxctl_words(&oxcd, "k8s get secret db -n oxcd-test -w json");
    let described: Value = serde_json::from_str(&secret.stdout).expect("JSON");
    assert_eq!(described["encryption"], "aescbc:v1 key \"key1\"");
    assert!(described.get("data").is_none());

    let missing_config = oxctl_words(
        &oxcd,
        "k8s get secret --encryption-config /nonexistent.yaml",
    );
    assert_ne!(missing_config.code, 0);
    assert!(
        missing_config.stderr.contains("/nonexistent.yaml"),
        "{}",
        missing_config.stderr
    );

    let none = oxctl_words(&oxcd, "k8s get statefulsets");
    assert_eq!((none.code, none.stdout.as_str()), (0, ""));
    assert!(none.stderr.contains("No resources found"));

    let absent = oxctl_words(&oxcd, "k8s get cm nope -n x");
    assert_ne!(absent.code, 0);
    assert!(absent.stderr.contains("not found"), "{}", absent.stderr);

    let bad_format = oxctl_words(&oxcd, "k8s get cm -w table");
    assert_ne!(bad_format.code, 0);
}

#[test]
fn history_shows_what_changed_and_watch_streams_decoded_events() {
    let Some((_etcd, oxcd)) = servers() else {
        return;
    };
    let widget = |size: &str| {
        format!(
            "{{\"apiVersion\":\"oxcd.test/v1\",\"kind\":\"Widget\",\"metadata\":{{\"name\":\"h\",\"namespace\":\"hist\",\"uid\":\"u-1\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"}},\"spec\":{{\"size\":\"{size}\",\"color\":\"blue\"}}}}"
        )
    };
    let key: &[u8] = b"/registry/oxcd.test/widgets/hist/h";
    put(&oxcd, key, widget("small").as_bytes());
    put(&oxcd, key, widget("large").as_bytes());
    let history = oxctl(
        &oxcd,
        &[b"k8s", b"history", b"widgets.oxcd.test/hist/h"],
        b"",
    );
    assert_eq!(history.code, 0, "{}", history.stderr);
    assert!(history.stdout.contains("VERSION 1"), "{}", history.stdout);
    assert!(
        history.stdout.contains("-  size: small\n+  size: large\n"),
        "{}",
        history.stdout
    );

    // Once older revisions are compacted, the walk back stops there and says so.
    put(&oxcd, key, widget("medium").as_bytes());
    let revision = oxctl_words(&oxcd, "get /registry/oxcd.test/widgets/hist/h -w json");
    let revision: Value = serde_json::from_str(&revision.stdout).expect("JSON");
    let revision = revision["kvs"][0]["mod_revision"]
        .as_i64()
        .expect("revision")
        .to_string();
    assert_eq!(
        oxctl_words(&oxcd, &format!("compaction {revision}")).code,
        0
    );
    let compacted = oxctl_words(&oxcd, "k8s history widgets.oxcd.test/hist/h");
    assert_eq!(compacted.code, 0, "{}", compacted.stderr);
    assert!(
        compacted
            .stdout
            .starts_with("# earlier revisions were compacted\nREVISION"),
        "{}",
        compacted.stdout
    );
    assert!(compacted.stdout.contains("VERSION 3") && !compacted.stdout.contains("VERSION 2"));

    let mut watcher = Command::new(OXCTL)
        .args([
            "--endpoints",
            &oxcd.url(),
            "k8s",
            "watch",
            "widgets.oxcd.test",
            "-n",
            "hist",
            "-w",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the watch");
    // The watch is open once a write made after a moment shows up; keep writing until it does.
    let stdout = watcher.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("line");
            text.push_str(&line);
            text.push('\n');
            if line == "}" {
                break;
            }
        }
        text
    });
    for _ in 0..50 {
        if reader.is_finished() {
            break;
        }
        put(&oxcd, key, widget("huge").as_bytes());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = watcher.kill();
    let _ = watcher.wait();
    let event: Value =
        serde_json::from_str(&reader.join().expect("reader")).expect("one JSON event");
    assert_eq!(event["type"], "MODIFIED");
    assert_eq!(event["object"]["spec"]["size"], "huge");
    assert_eq!(event["object"]["kind"], "Widget");
}
