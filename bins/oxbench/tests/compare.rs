//! `oxbench compare` against the real etcd: both servers start, every workload runs on each,
//! and the table carries a number for each of them and oxcd's ratio.
//!
//! Needs /usr/bin/etcd (CI installs etcd 3.4 from Debian) and the oxcd binary built beside
//! oxbench (`cargo test --workspace` builds it) or named by `OXCD_BIN`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

const OXBENCH: &str = env!("CARGO_BIN_EXE_oxbench");
const ETCD: &str = "/usr/bin/etcd";

fn oxcd_bin() -> PathBuf {
    match std::env::var_os("OXCD_BIN") {
        Some(path) => PathBuf::from(path),
        None => Path::new(OXBENCH).with_file_name("oxcd"),
    }
}

/// Two different ports nothing listens on right now.
fn free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    let (a, b) = (bind(), bind());
    let port = |l: &TcpListener| l.local_addr().expect("its address").port();
    (port(&a), port(&b))
}

#[test]
fn compare_prints_every_measure_of_both_servers_and_the_ratio() {
    let oxcd = oxcd_bin();
    assert!(oxcd.exists(), "no oxcd binary at {}", oxcd.display());
    assert!(Path::new(ETCD).exists(), "no etcd at {ETCD}");
    let dir = tempfile::tempdir().expect("temp dir");
    let (client_port, peer_port) = free_ports();
    let output = Command::new(OXBENCH)
        .args([
            "compare", "--rounds", "1", "--scale", "0.01", "--keys", "300",
        ])
        .arg(format!("--oxcd={}", oxcd.display()))
        .arg(format!("--etcd={ETCD}"))
        .arg(format!("--client-port={client_port}"))
        .arg(format!("--peer-port={peer_port}"))
        .arg(format!("--dir={}", dir.path().join("work").display()))
        .output()
        .expect("run oxbench compare");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "failed:\n{stdout}\n{stderr}");

    let header = stdout
        .lines()
        .find(|line| line.starts_with("| workload"))
        .unwrap_or_else(|| panic!("no table:\n{stdout}"));
    assert!(
        header.contains("| oxcd ") && header.contains("| etcd 3."),
        "{header}"
    );
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| workload"))
        .map(|line| line.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    for expected in [
        "put, 1 client, p50 ms",
        "put, 16 conns x 256 clients, ops/s",
        "txn-put, 8 x 64, ops/s",
        "range linearizable, 8 x 64, ops/s",
        "range serializable, 8 x 64, ops/s",
        "watch latency, 100 watchers, p99 ms",
        "watch fan-out, 1,000 watchers, 16 writers, events/s",
        "watch fan-out, 1,000 watchers on 1,000 prefixes, 16 writers, events/s",
        "RSS after loading 300 keys, MiB",
        "RSS after a restart with 300 keys, MiB",
        "restart to first read, 300 keys, s",
    ] {
        let row = rows
            .iter()
            .find(|row| row[0] == expected)
            .unwrap_or_else(|| panic!("no row {expected:?} in:\n{stdout}"));
        let number = |cell: &str| cell.trim_end_matches(" ✓").parse::<f64>().ok();
        let (ours, theirs, ratio) = (number(row[1]), number(row[2]), number(row[3]));
        assert!(
            ours.is_some_and(|v| v > 0.0) && theirs.is_some_and(|v| v > 0.0),
            "{row:?}"
        );
        let expected_ratio = ours.unwrap_or_default() / theirs.unwrap_or(1.0);
        // The table rounds each value; the ratio is of the unrounded medians.
        assert!(
            ratio.is_some_and(|r| (r - expected_ratio).abs() <= 0.05 * expected_ratio + 0.01),
            "{row:?}"
        );
    }
    assert!(
        !dir.path().join("work").exists(),
        "the data dirs are removed without --keep"
    );
}
