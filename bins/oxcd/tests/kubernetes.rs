//! A real kube-apiserver and kubectl (Kubernetes v1.37.2, built from Go modules by
//! `tests/kubernetes/build.sh`) on oxcd: `tests/kubernetes/scenario.py` drives them through what
//! Kubernetes does with its store (CRUD, paginated and selected lists, patches, server-side
//! apply, conflicts, a CRD, ordered watches, leases, metrics, compaction), with the store
//! restarted (SIGTERM, same data dir) under the running API server mid-way. It runs twice: with
//! the API server's watch cache, as clusters run, and without it, so that every list, get and
//! watch goes to the store.
//!
//! Then on three members with client and peer TLS (kube-apiserver holding a client
//! certificate), the leader killed with SIGKILL mid-way and started again. The single-member run
//! with the watch cache ends by capturing every key with its API object (`--capture`, as the
//! fixtures in `tests/kubernetes/fixtures` were made).
//!
//! The same scenarios on etcd 3.6 are the reference: a step failing there is a bug of the
//! scenario, not of oxcd. Not etcd 3.4: kube-apiserver 1.37 uses watch progress requests only
//! from etcd 3.4.31 (Debian's is 3.4.23), and without them its object counts in `/metrics` stay
//! at -1 and consistent reads bypass the watch cache; oxcd reports 3.6, so 3.6 takes the same
//! paths.
//!
//! Without Go the tests skip outside CI; in CI (where `CI` is set) a missing Go or a failed
//! build fails them.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::etcd::Etcd;
use common::etcd_bins::ETCDCTL;
use common::etcd_go::{etcd_server, go_present};
use common::members::start_all;
use common::pki::Ca;
use common::proxy::Proxy;
use common::secure::{flag, tls_cluster};
use common::{free_port, Server};

/// Each scenario runs its own kube-apiserver: on a 2-core machine, one at a time (builds too).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// How long one scenario may take before it is stopped (it takes about a minute).
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(20 * 60);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// The directory holding kube-apiserver and kubectl, built (or found up to date) by build.sh;
/// `None` (skipped) when Go is missing outside CI.
fn kubernetes_bins() -> Option<PathBuf> {
    if !go_present("kube-apiserver and kubectl") {
        return None;
    }
    let root = repo_root();
    let bin_dir = std::env::var_os("OXCD_KUBE_BIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/kubernetes/bin"));
    let out = Command::new("bash")
        .arg(root.join("tests/kubernetes/build.sh"))
        .arg(&bin_dir)
        .stdin(Stdio::null())
        .output()
        .expect("run build.sh");
    println!("{}", String::from_utf8_lossy(&out.stdout).trim_end());
    assert!(
        out.status.success(),
        "tests/kubernetes/build.sh failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(bin_dir)
}

/// The etcd version of the reference runs.
const REFERENCE_ETCD: &str = "v3.6.16";

/// Runs the scenario against `etcd_servers` with its `options` (`--no-watch-cache`, client TLS,
/// `--capture`); when it asks for the store's restart (through the hook, which touches a file and
/// waits for the answer), `restart` is called. Panics unless its verdict is PASS.
fn run_scenario(bin_dir: &Path, etcd_servers: &str, options: &[String], restart: &mut dyn FnMut()) {
    let dir = tempfile::tempdir().expect("temp dir");
    let requested = dir.path().join("restart-requested");
    let done = dir.path().join("restarted");
    let hook = format!(
        "touch '{}' && for i in $(seq 1 1800); do [ -e '{}' ] && exit 0; sleep 0.1; done; exit 1",
        requested.display(),
        done.display()
    );
    let output = dir.path().join("scenario.out");
    let out = std::fs::File::create(&output).expect("scenario output file");
    let mut scenario = Command::new("python3");
    scenario
        .arg(repo_root().join("tests/kubernetes/scenario.py"))
        .arg("--bin-dir")
        .arg(bin_dir)
        .args(["--etcd-servers", etcd_servers, "--restart-hook", &hook])
        .arg("--work-dir")
        .arg(dir.path().join("work"));
    scenario.args(options);
    let mut child = StoppedOnDrop(
        scenario
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("dup output"))
            .stderr(out)
            .spawn()
            .expect("run python3 scenario.py"),
    );
    let deadline = Instant::now() + SCENARIO_TIMEOUT;
    let mut restarted = false;
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("try_wait") {
            break status;
        }
        if !restarted && requested.exists() {
            restart();
            std::fs::write(&done, "").expect("answer the restart hook");
            restarted = true;
        }
        if Instant::now() > deadline {
            drop(child);
            panic!(
                "the scenario took over {SCENARIO_TIMEOUT:?}:\n{}",
                std::fs::read_to_string(&output).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = std::fs::read_to_string(&output).expect("scenario output");
    println!("{text}");
    let passed = status.success() && text.trim_end().ends_with("VERDICT: PASS");
    if !passed {
        // The kube-apiserver log and the watches' output, for whoever looks into it.
        println!("kept {}", dir.keep().display());
    }
    assert!(passed, "the Kubernetes scenario failed ({status}):\n{text}");
    assert!(
        restarted,
        "the scenario never asked for the restart:\n{text}"
    );
}

/// The scenario's process, stopped with SIGTERM if the test ends before it (a timeout, a failed
/// restart): the scenario then stops its kube-apiserver and watches instead of leaving them.
struct StoppedOnDrop(Child);

impl Drop for StoppedOnDrop {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_some() {
            return;
        }
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.0.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `--no-watch-cache` unless `watch_cache`.
fn cache_options(watch_cache: bool) -> Vec<String> {
    if watch_cache {
        Vec::new()
    } else {
        vec!["--no-watch-cache".into()]
    }
}

/// The scenario on a single-member oxcd, restarted with SIGTERM on the same data dir. With the
/// watch cache, the run ends by capturing every key under `/registry` with its API object, which
/// checks that the API server reads each object at the revision the store holds it.
fn on_oxcd(watch_cache: bool) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(bin_dir) = kubernetes_bins() else {
        return;
    };
    let mut server = Server::start(&[]);
    let etcd_servers = format!("http://{}", server.endpoint());
    let captured = tempfile::tempdir().expect("capture dir");
    let mut options = cache_options(watch_cache);
    if watch_cache {
        options.extend([
            "--capture".into(),
            captured.path().display().to_string(),
            format!("--etcdctl={ETCDCTL}"),
        ]);
    }
    run_scenario(&bin_dir, &etcd_servers, &options, &mut || {
        let status = server.stop_with(libc::SIGTERM);
        println!("oxcd stopped by SIGTERM: {status}");
        server.restart();
    });
    if watch_cache {
        let index = std::fs::read_to_string(captured.path().join("index.json")).expect("index");
        for kind in [
            "\"Secret\"",
            "\"Widget\"",
            "\"Deployment\"",
            "\"ConfigMap\"",
        ] {
            assert!(index.contains(kind), "no {kind} captured:\n{index}");
        }
    }
}

/// The index of the member that leads, as its `/metrics` says.
fn leader(members: &[Server]) -> Option<usize> {
    members.iter().position(|m| {
        m.probe_port
            .and_then(|port| common::http_get(port, "/metrics").ok())
            .is_some_and(|(_, text)| text.lines().any(|l| l == "etcd_server_is_leader 1"))
    })
}

/// The scenario on a cluster of three members of `program` (oxcd, or etcd as the reference) with
/// client and peer TLS, kube-apiserver holding a client certificate. The "restart" kills the
/// leader with SIGKILL, waits until another member leads, and starts it again on its data dir.
fn on_tls_cluster(bin_dir: &Path, program: &Path) {
    let pki = tempfile::tempdir().expect("pki dir");
    let ca = Ca::new(pki.path(), "ca");
    let client = ca.leaf("apiserver-etcd-client", "kube-apiserver-etcd-client", 9);
    let mut members = tls_cluster(&ca, 3);
    for m in &mut members {
        m.program = program.to_path_buf();
    }
    start_all(&mut members);
    let etcd_servers: Vec<String> = members
        .iter()
        .map(|m| format!("https://{}", m.endpoint()))
        .collect();
    let options = [
        flag("etcd-cafile", &ca.cert()),
        flag("etcd-certfile", &client.cert),
        flag("etcd-keyfile", &client.key),
    ];
    run_scenario(bin_dir, &etcd_servers.join(","), &options, &mut || {
        let killed = wait_for(|| leader(&members)).expect("a leader before the kill");
        members[killed].kill9();
        let next = wait_for(|| leader(&members).filter(|&i| i != killed));
        println!(
            "killed the leader {} with SIGKILL; {} leads",
            members[killed].name,
            next.map_or("no member".into(), |i| members[i].name.clone())
        );
        assert!(
            next.is_some(),
            "no new leader after killing {}",
            members[killed].name
        );
        members[killed].restart();
    });
}

/// Polls `f` for up to 30 s until it gives an answer.
fn wait_for<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = f() {
            return Some(found);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The reference: the scenario on etcd 3.6, restarted with SIGTERM on the same data dir. etcd's
/// helper picks a new client port at each start, so kube-apiserver reaches it through a proxy
/// on a fixed port, started again in front of the restarted etcd.
fn on_etcd(watch_cache: bool) {
    // Taken first: it also keeps two tests from building etcd in one directory at once.
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(bin_dir) = kubernetes_bins() else {
        return;
    };
    let Some(program) = etcd_server(REFERENCE_ETCD) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let peer_port = free_port();
    let etcd = Etcd::start_program(&program, dir, &data, "e1", peer_port, &[]);
    let listen_port = free_port();
    let mut proxy = Some(Proxy::start(listen_port, etcd.client_port));
    let mut etcd = Some(etcd);
    let etcd_servers = format!("http://127.0.0.1:{listen_port}");
    run_scenario(
        &bin_dir,
        &etcd_servers,
        &cache_options(watch_cache),
        &mut || {
            drop(proxy.take());
            let dir = etcd.take().expect("etcd running").stop_keeping_dir();
            let restarted = Etcd::start_program(&program, dir, &data, "e1", peer_port, &[]);
            proxy = Some(Proxy::start(listen_port, restarted.client_port));
            etcd = Some(restarted);
        },
    );
}

#[test]
fn kubernetes_on_oxcd() {
    on_oxcd(true);
}

#[test]
fn kubernetes_on_oxcd_without_watch_cache() {
    on_oxcd(false);
}

#[test]
fn kubernetes_on_etcd_reference() {
    on_etcd(true);
}

#[test]
fn kubernetes_on_etcd_reference_without_watch_cache() {
    on_etcd(false);
}

#[test]
fn kubernetes_on_three_oxcd_members_with_tls_and_a_killed_leader() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(bin_dir) = kubernetes_bins() else {
        return;
    };
    on_tls_cluster(&bin_dir, Path::new(env!("CARGO_BIN_EXE_oxcd")));
}

#[test]
fn kubernetes_on_three_etcd_members_with_tls_and_a_killed_leader_reference() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(bin_dir) = kubernetes_bins() else {
        return;
    };
    let Some(program) = etcd_server(REFERENCE_ETCD) else {
        return;
    };
    on_tls_cluster(&bin_dir, &program);
}

/// How `oxctl` prints decoded objects is how kubectl prints them: for every object the API server
/// served in the captured fixtures, kubectl's own `-o yaml` and `-o json` (through
/// `kubectl patch --local`, which prints an object read from a file without asking a server) and
/// oxcd-k8s's renderers give the same text. (That the decoder turns the stored bytes into these
/// objects is oxcd-k8s's own test.)
#[test]
fn decoded_objects_print_as_kubectl_prints_them() {
    let Some(bin_dir) = kubernetes_bins() else {
        return;
    };
    let fixtures = repo_root().join("tests/kubernetes/fixtures");
    let mut compared = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".api.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let mut object: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        // kubectl hides managedFields unless --show-managed-fields; so does oxctl.
        if let Some(serde_json::Value::Object(metadata)) = object.get_mut("metadata") {
            metadata.remove("managedFields");
        }
        for (format, ours) in [
            ("yaml", oxcd_k8s::to_yaml(&object)),
            ("json", oxcd_k8s::to_json(&object)),
        ] {
            let out = Command::new(bin_dir.join("kubectl"))
                .args([
                    "patch", "--local", "--type", "merge", "-p", "{}", "-o", format, "-f",
                ])
                .arg(&path)
                .env("KUBECONFIG", "/dev/null")
                .output()
                .expect("run kubectl");
            assert!(
                out.status.success(),
                "kubectl on {}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            let kubectls = String::from_utf8_lossy(&out.stdout);
            assert_eq!(ours, kubectls, "{} as {format}", path.display());
            compared += 1;
        }
    }
    assert!(compared >= 30, "compared {compared}");
}
