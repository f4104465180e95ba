//! A real kube-apiserver and kubectl (Kubernetes v1.37.2, built from Go modules by
//! `tests/kubernetes/build.sh`) on oxcd: `tests/kubernetes/scenario.py` drives them through what
//! Kubernetes does with its store (CRUD, paginated and selected lists, patches, server-side
//! apply, conflicts, a CRD, ordered watches, leases, metrics, compaction), with the store
//! restarted (SIGTERM, same data dir) under the running API server mid-way. The same scenario on
//! etcd 3.4 is the reference: a step failing there is a bug of the scenario, not of oxcd.
//!
//! Without Go the test skips outside CI; in CI (where `CI` is set) a missing Go or a failed
//! build fails it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::etcd::Etcd;
use common::etcd_bins::tools_present;
use common::proxy::Proxy;
use common::{free_port, Server};

/// Each scenario runs its own kube-apiserver: on a 2-core machine, one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// How long one scenario may take before it is stopped (it takes a few minutes).
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
    let go = Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !go {
        assert!(
            std::env::var_os("CI").is_none(),
            "go must be installed in CI to build kube-apiserver and kubectl"
        );
        println!("skipping: go is not installed");
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

/// Runs the scenario against `etcd_servers`; when it asks for the store's restart (through the
/// hook, which touches a file and waits for the answer), `restart` is called. Returns its output.
fn run_scenario(bin_dir: &Path, etcd_servers: &str, restart: &mut dyn FnMut()) -> String {
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
    let mut child = Command::new("python3")
        .arg(repo_root().join("tests/kubernetes/scenario.py"))
        .arg("--bin-dir")
        .arg(bin_dir)
        .args(["--etcd-servers", etcd_servers, "--restart-hook", &hook])
        .arg("--work-dir")
        .arg(dir.path().join("work"))
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("dup output"))
        .stderr(out)
        .spawn()
        .expect("run python3 scenario.py");
    let deadline = Instant::now() + SCENARIO_TIMEOUT;
    let mut restarted = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if !restarted && requested.exists() {
            restart();
            std::fs::write(&done, "").expect("answer the restart hook");
            restarted = true;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the scenario took over {SCENARIO_TIMEOUT:?}:\n{}",
                std::fs::read_to_string(&output).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let text = std::fs::read_to_string(&output).expect("scenario output");
    println!("{text}");
    assert!(
        restarted,
        "the scenario never asked for the restart:\n{text}"
    );
    assert!(
        status.success() && text.trim_end().ends_with("VERDICT: PASS"),
        "the Kubernetes scenario failed ({status}):\n{text}"
    );
    text
}

#[test]
fn kubernetes_on_oxcd() {
    let Some(bin_dir) = kubernetes_bins() else {
        return;
    };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut server = Server::start(&[]);
    let etcd_servers = format!("http://{}", server.endpoint());
    run_scenario(&bin_dir, &etcd_servers, &mut || {
        let status = server.stop_with(libc::SIGTERM);
        println!("oxcd stopped by SIGTERM: {status}");
        server.restart();
    });
}

/// The reference: the same scenario on etcd 3.4. etcd's helper picks a new client port at each
/// start, so kube-apiserver talks to it through a proxy on a fixed port, started again in front
/// of the restarted etcd.
#[test]
fn kubernetes_on_etcd_reference() {
    if !tools_present() {
        return;
    }
    let Some(bin_dir) = kubernetes_bins() else {
        return;
    };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let peer_port = free_port();
    let mut etcd = Some(Etcd::start_on(dir, &data, "e1", peer_port, &[]));
    let listen_port = free_port();
    let mut proxy = Some(Proxy::start(
        listen_port,
        etcd.as_ref().expect("etcd").client_port,
    ));
    let etcd_servers = format!("http://127.0.0.1:{listen_port}");
    run_scenario(&bin_dir, &etcd_servers, &mut || {
        drop(proxy.take());
        let dir = etcd.take().expect("etcd running").stop_keeping_dir();
        let restarted = Etcd::start_on(dir, &data, "e1", peer_port, &[]);
        proxy = Some(Proxy::start(listen_port, restarted.client_port));
        etcd = Some(restarted);
    });
}
