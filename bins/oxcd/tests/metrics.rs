//! `/metrics` against the real etcd 3.4: the families etcd's Grafana dashboard and Prometheus
//! alerts query that oxcd serves have etcd's type, label names and histogram buckets, and the
//! counters that etcd's own tests read count the same requests.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::etcd::Etcd;
use common::etcd_bins::tools_present;
use common::history::ok;
use common::members::start_all;
use common::{free_port, http_get, Server};

/// What a `/metrics` page says of one family: its type, the label names of its samples, the
/// histogram's bucket bounds (`le`, each once), and the value of an unlabelled sample.
#[derive(Debug, Default, PartialEq)]
struct Family {
    kind: String,
    labels: BTreeSet<String>,
    buckets: Vec<String>,
    value: Option<String>,
}

fn families(page: &str) -> BTreeMap<String, Family> {
    let mut out: BTreeMap<String, Family> = BTreeMap::new();
    for line in page.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split(' ');
            let (Some(name), Some(kind)) = (parts.next(), parts.next()) else {
                continue;
            };
            out.entry(name.to_string()).or_default().kind = kind.to_string();
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
        let (name, labels) = match series.split_once('{') {
            Some((name, labels)) => (name, labels.trim_end_matches('}')),
            None => (series, ""),
        };
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .filter(|base| out.contains_key(*base))
            .unwrap_or(name);
        let entry = out.entry(family.to_string()).or_default();
        for label in labels.split(',').filter(|l| !l.is_empty()) {
            let (key, val) = label.split_once('=').expect("label=value");
            if key == "le" {
                // Go writes large bounds as `1.048576e+06`, Rust as `1048576`.
                let raw = val.trim_matches('"');
                let bound = raw
                    .parse::<f64>()
                    .map_or(raw.to_string(), |b| b.to_string());
                if !entry.buckets.contains(&bound) {
                    entry.buckets.push(bound);
                }
            } else {
                entry.labels.insert(key.to_string());
            }
        }
        if labels.is_empty() && family == name {
            entry.value = Some(value.to_string());
        }
    }
    out
}

/// Families the dashboards and alerts query that oxcd serves, with whether their values must
/// match etcd's after the same requests (counts), or only their shape (sizes, times, states).
const SERVED: &[(&str, bool)] = &[
    ("etcd_server_has_leader", true),
    ("etcd_server_is_leader", true),
    ("etcd_server_leader_changes_seen_total", true),
    ("etcd_server_proposals_failed_total", true),
    ("etcd_server_proposals_pending", true),
    ("etcd_server_proposals_committed_total", false),
    ("etcd_server_proposals_applied_total", false),
    ("etcd_server_quota_backend_bytes", true),
    ("etcd_server_version", false),
    ("etcd_cluster_version", false),
    ("etcd_server_id", false),
    ("etcd_mvcc_db_total_size_in_bytes", false),
    ("etcd_mvcc_db_total_size_in_use_in_bytes", false),
    ("etcd_debugging_mvcc_current_revision", true),
    ("etcd_debugging_mvcc_watcher_total", true),
    ("etcd_debugging_mvcc_watch_stream_total", true),
    ("etcd_debugging_mvcc_slow_watcher_total", true),
    ("etcd_debugging_auth_revision", true),
    ("etcd_disk_wal_fsync_duration_seconds", false),
    ("etcd_disk_backend_commit_duration_seconds", false),
    ("etcd_disk_backend_defrag_duration_seconds", true),
    ("etcd_disk_defrag_inflight", true),
    ("etcd_mvcc_put_total", true),
    ("etcd_mvcc_delete_total", true),
    ("etcd_mvcc_range_total", true),
    ("process_resident_memory_bytes", false),
    ("process_cpu_seconds_total", false),
    ("process_open_fds", false),
    ("process_max_fds", false),
    ("process_start_time_seconds", false),
    ("grpc_server_started_total", false),
    ("grpc_server_handled_total", false),
    ("etcd_debugging_mvcc_db_total_size_in_bytes", false),
    ("etcd_debugging_mvcc_keys_total", true),
    ("etcd_debugging_mvcc_compact_revision", true),
    ("etcd_server_is_learner", true),
    ("etcd_network_client_grpc_received_bytes_total", false),
    ("etcd_network_client_grpc_sent_bytes_total", false),
    ("etcd_server_health_success", false),
    ("etcd_server_health_failures", false),
    ("os_fd_used", false),
    ("os_fd_limit", false),
];

/// Labelled samples whose values must match etcd's after the same requests.
const SAME_SAMPLES: &[&str] = &[
    "etcd_disk_backend_defrag_duration_seconds_count",
    r#"grpc_server_started_total{grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"}"#,
    r#"grpc_server_handled_total{grpc_code="OK",grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"}"#,
    r#"grpc_server_handled_total{grpc_code="OK",grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"}"#,
    r#"grpc_server_handled_total{grpc_code="OK",grpc_method="DeleteRange",grpc_service="etcdserverpb.KV",grpc_type="unary"}"#,
];

/// A sample's value by its series (name and labels, sorted by label name as both servers
/// print them).
fn sample(page: &str, series: &str) -> Option<f64> {
    page.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.parse().ok())
}

/// A sample's value as a number: Go writes `2.147483648e+09` where Rust writes `2147483648`.
fn number(value: &Option<String>) -> Option<f64> {
    value.as_deref().and_then(|v| v.parse().ok())
}

/// Starts etcd 3.4 and oxcd with `flags`, sends both the same requests, and lists how oxcd's
/// `/metrics` differs from etcd's in the `served` families and the [`SAME_SAMPLES`].
fn differences(flags: &[&str], served: &[(&str, bool)]) -> Vec<String> {
    let etcd = Etcd::start(flags);
    let oxcd = Server::start(flags);
    let mut pages = Vec::new();
    for port in [etcd.client_port, oxcd.client_port] {
        for i in 0..5 {
            ok(port, &["put", &format!("k{i}"), "v"]);
        }
        ok(port, &["get", "k1"]);
        ok(port, &["get", "k", "--prefix"]);
        ok(port, &["del", "k2"]);
        ok(port, &["compaction", "3"]);
        ok(port, &["defrag"]);
        // The starters poll `/health` until it says true, a different number of times: its
        // counters are compared by shape only.
        http_get(port, "/health").expect("GET /health");
        let (status, page) = http_get(port, "/metrics").expect("GET /metrics");
        assert_eq!(status, 200);
        pages.push(page);
    }
    let mut wrong = Vec::new();
    for series in SAME_SAMPLES {
        let (theirs, ours) = (sample(&pages[0], series), sample(&pages[1], series));
        if theirs.is_none() || ours != theirs {
            wrong.push(format!("{series}: {ours:?}, etcd: {theirs:?}"));
        }
    }
    let (theirs, ours) = (&families(&pages[0]), &families(&pages[1]));
    for &(name, same_value) in served {
        let Some(expected) = theirs.get(name) else {
            wrong.push(format!("{name}: etcd 3.4 does not serve it (fix the list)"));
            continue;
        };
        let Some(actual) = ours.get(name) else {
            wrong.push(format!("{name}: missing"));
            continue;
        };
        let shape = |f: &Family| (f.kind.clone(), f.labels.clone(), f.buckets.clone());
        if shape(actual) != shape(expected) {
            wrong.push(format!("{name}: {actual:?}, etcd: {expected:?}"));
        } else if same_value && number(&actual.value) != number(&expected.value) {
            wrong.push(format!(
                "{name}: {:?}, etcd: {:?}",
                actual.value, expected.value
            ));
        }
    }
    if flags.is_empty() && ours.contains_key("grpc_server_handling_seconds") {
        wrong.push("grpc_server_handling_seconds without --metrics extensive".to_string());
    }
    wrong
}

#[test]
fn metrics_have_etcds_names_types_labels_and_counts() {
    if !tools_present() {
        return;
    }
    let wrong = differences(&[], SERVED);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn extensive_metrics_add_etcds_grpc_latency_histograms() {
    if !tools_present() {
        return;
    }
    let served: Vec<(&str, bool)> = SERVED
        .iter()
        .copied()
        .chain([("grpc_server_handling_seconds", false)])
        .collect();
    let wrong = differences(&["--metrics", "extensive"], &served);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The peer families of 3-member clusters: the same types, labels (`To`, `From`, `Local` and
/// `Remote` as member IDs) and round-trip buckets as etcd's, once the probes have run.
#[test]
fn peer_metrics_of_clusters_match_etcds() {
    if !tools_present() {
        return;
    }
    let dirs = tempfile::tempdir().expect("temp dir");
    let peers = [free_port(), free_port(), free_port()];
    let etcd = Etcd::cluster(&peers, |name| dirs.path().join(name));
    let mut oxcd = Server::cluster(3, &[]);
    start_all(&mut oxcd);
    for port in [etcd[0].client_port, oxcd[0].client_port] {
        for i in 0..20 {
            ok(port, &["put", &format!("k{i}"), "v"]);
        }
    }
    // Both probe every few seconds (etcd's prober, oxcd's): wait for a round trip each.
    std::thread::sleep(std::time::Duration::from_secs(6));
    let page = |port| http_get(port, "/metrics").expect("GET /metrics").1;
    let (theirs, ours) = (
        families(&page(etcd[0].client_port)),
        families(&page(oxcd[0].client_port)),
    );
    let mut wrong = Vec::new();
    for name in [
        "etcd_network_peer_sent_bytes_total",
        "etcd_network_peer_received_bytes_total",
        "etcd_network_peer_round_trip_time_seconds",
        "etcd_network_active_peers",
    ] {
        let shape =
            |f: Option<&Family>| f.map(|f| (f.kind.clone(), f.labels.clone(), f.buckets.clone()));
        if shape(ours.get(name)).is_none() || shape(ours.get(name)) != shape(theirs.get(name)) {
            wrong.push(format!(
                "{name}: {:?}, etcd: {:?}",
                ours.get(name),
                theirs.get(name)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// etcd 3.6 families oxcd does not serve, and why.
const NOT_SERVED_36: &[(&str, &str)] = &[
    (
        "etcd_debugging_disk_backend_commit_rebalance_duration_seconds",
        "a phase of bbolt's commit; redb's has none (the whole commit is etcd_disk_backend_commit_duration_seconds)",
    ),
    (
        "etcd_debugging_disk_backend_commit_spill_duration_seconds",
        "a phase of bbolt's commit",
    ),
    (
        "etcd_debugging_disk_backend_commit_write_duration_seconds",
        "a phase of bbolt's commit",
    ),
    (
        "etcd_debugging_snap_save_marshalling_duration_seconds",
        "oxcd writes no .snap file: its raft snapshot is a mark in the WAL (etcd_debugging_snap_save_total_duration_seconds)",
    ),
    (
        "etcd_snap_fsync_duration_seconds",
        "no .snap file; the mark's fsync is a WAL fsync",
    ),
    ("etcd_server_go_version", "oxcd is not a Go program"),
    (
        "etcd_server_feature_enabled",
        "etcd 3.6's feature gates; oxcd has none of them",
    ),
];

/// Samples whose values must match etcd 3.6's after the same requests: what was counted, not
/// only that the family exists.
const SAME_SAMPLES_36: &[&str] = &[
    "etcd_debugging_lease_granted_total",
    "etcd_debugging_lease_revoked_total",
    "etcd_debugging_lease_renewed_total",
    "etcd_debugging_lease_ttl_total_count",
    "etcd_debugging_mvcc_total_put_size_in_bytes",
    "etcd_mvcc_hash_rev_duration_seconds_count",
    "etcd_disk_backend_snapshot_duration_seconds_count",
    "etcd_server_snapshot_apply_in_progress_total",
    r#"etcd_server_apply_duration_seconds_count{op="Put",success="true",version="v3"}"#,
    r#"etcd_server_apply_duration_seconds_count{op="LeaseGrant",success="true",version="v3"}"#,
    r#"etcd_server_apply_duration_seconds_count{op="Compaction",success="true",version="v3"}"#,
    r#"etcd_server_client_requests_total{client_api_version="3.4",type="unary"}"#,
    r#"etcd_server_healthchecks_total{name="serializable_read",status="success",type="livez"}"#,
    r#"etcd_server_healthchecks_total{name="linearizable_read",status="success",type="readyz"}"#,
    r#"etcd_server_healthcheck{name="data_corruption",type="readyz"}"#,
    r#"grpc_server_msg_received_total{grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"}"#,
    r#"grpc_server_msg_sent_total{grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"}"#,
    r#"grpc_server_msg_sent_total{grpc_method="Snapshot",grpc_service="etcdserverpb.Maintenance",grpc_type="server_stream"}"#,
    "promhttp_metric_handler_requests_in_flight",
    r#"promhttp_metric_handler_requests_total{code="200"}"#,
];

/// etcd's gRPC proxy (`etcd grpc-proxy`) registers these in the same binary; oxcd has no proxy.
const PROXY_PREFIX: &str = "etcd_grpc_proxy_";
/// The Go runtime's metrics.
const GO_PREFIX: &str = "go_";

/// Every family etcd 3.6 serves after the same requests (its own e2e test's list, and the
/// labelled ones those requests bring out) has the same type, label names and buckets at
/// oxcd's `/metrics`, except the few [`NOT_SERVED_36`] says why of.
#[test]
fn every_family_etcd_3_6_serves_is_served_alike() {
    if !tools_present() {
        return;
    }
    let Some(etcd36) = common::etcd_go::etcd_server("v3.6.16") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let etcd = Etcd::start_program(&etcd36, dir, &data, "e1", free_port(), &[]);
    let oxcd = Server::start(&[]);
    let snapshots = tempfile::tempdir().expect("temp dir");
    let mut pages = Vec::new();
    for port in [etcd.client_port, oxcd.client_port] {
        for i in 0..5 {
            ok(port, &["put", &format!("k{i}"), "v"]);
        }
        ok(port, &["get", "k1"]);
        ok(port, &["get", "k", "--prefix", "--consistency=s"]);
        ok(port, &["del", "k2"]);
        let lease = ok(port, &["lease", "grant", "60"]);
        let id = lease.split_whitespace().nth(1).expect("lease ID");
        ok(port, &["put", "leased", "v", "--lease", id]);
        ok(port, &["lease", "keep-alive", "--once", id]);
        ok(port, &["lease", "revoke", id]);
        ok(port, &["compaction", "3"]);
        ok(port, &["defrag"]);
        ok(port, &["endpoint", "hashkv"]);
        let file = snapshots.path().join(format!("{port}.db"));
        ok(
            port,
            &["snapshot", "save", file.to_str().expect("utf-8 path")],
        );
        for path in ["/health", "/livez", "/readyz"] {
            http_get(port, path).expect("GET a probe");
        }
        let (status, page) = http_get(port, "/metrics").expect("GET /metrics");
        assert_eq!(status, 200);
        pages.push(page);
    }
    let (theirs, ours) = (families(&pages[0]), families(&pages[1]));
    let mut wrong = Vec::new();
    for (name, expected) in &theirs {
        if name.starts_with(GO_PREFIX)
            || name.starts_with(PROXY_PREFIX)
            || NOT_SERVED_36.iter().any(|(n, _)| n == name)
        {
            continue;
        }
        let shape = |f: &Family| (f.kind.clone(), f.labels.clone(), f.buckets.clone());
        match ours.get(name) {
            None => wrong.push(format!("{name}: missing (etcd: {expected:?})")),
            Some(actual) if shape(actual) != shape(expected) => {
                wrong.push(format!("{name}: {actual:?}, etcd: {expected:?}"))
            }
            Some(_) => {}
        }
    }
    for series in SAME_SAMPLES_36 {
        let (theirs, ours) = (sample(&pages[0], series), sample(&pages[1], series));
        if theirs.is_none() || ours != theirs {
            wrong.push(format!("{series}: {ours:?}, etcd: {theirs:?}"));
        }
    }
    for (name, _) in NOT_SERVED_36 {
        if ours.contains_key(*name) {
            wrong.push(format!("{name}: served after all (fix the list)"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
