//! The metrics the member's threads record as things happen (the node loop, the applier, the
//! APIs), with etcd's names, types, labels and buckets; `/metrics` gathers them with the gauges
//! it samples itself (`http::metrics`). One registry per member, so that several members can
//! live in one process (tests).

use prometheus::core::Collector;
use prometheus::{
    exponential_buckets, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec,
    IntGauge, IntGaugeVec, Opts, Registry,
};

pub struct ServerMetrics {
    pub registry: Registry,
    /// `etcd_server_leader_changes_seen_total`: leaders this member has seen elected.
    pub leader_changes: IntCounter,
    /// `etcd_server_proposals_failed_total`: proposals that timed out or were dropped.
    pub proposals_failed: IntCounter,
    /// `etcd_server_proposals_pending`: proposals waiting to be applied.
    pub proposals_pending: IntGauge,
    /// `etcd_disk_wal_fsync_duration_seconds`: each WAL fsync.
    pub wal_fsync: Histogram,
    /// `etcd_disk_backend_commit_duration_seconds`: each backend commit of the applier.
    pub backend_commit: Histogram,
    /// `etcd_disk_backend_defrag_duration_seconds`: each Defragment.
    pub defrag: Histogram,
    /// `etcd_disk_defrag_inflight`: 1 while a Defragment runs.
    pub defrag_inflight: IntGauge,
    /// `etcd_mvcc_{put,delete,range,txn}_total`: requests of each kind served.
    pub puts: IntCounter,
    pub deletes: IntCounter,
    pub ranges: IntCounter,
    pub txns: IntCounter,
    /// `etcd_server_health_{success,failures}`: `/health` answers.
    pub health_success: IntCounter,
    pub health_failures: IntCounter,
    /// `etcd_network_client_grpc_{received,sent}_bytes_total`: gRPC message bytes from and to
    /// clients.
    pub client_received_bytes: IntCounter,
    pub client_sent_bytes: IntCounter,
    /// `etcd_network_peer_{sent,received}_bytes_total` by `To` / `From` (member IDs in hex).
    pub peer_sent_bytes: IntCounterVec,
    pub peer_received_bytes: IntCounterVec,
    /// `etcd_network_peer_sent_failures_total` by `To`: raft messages dropped unsent.
    pub peer_sent_failures: IntCounterVec,
    /// `etcd_network_peer_round_trip_time_seconds` by `To`, from the probes.
    pub peer_round_trip: HistogramVec,
    /// `etcd_network_active_peers` by `Local` and `Remote`: 1 while a stream to the peer is up.
    pub active_peers: IntGaugeVec,
    /// `grpc_server_started_total` by `grpc_type`, `grpc_service`, `grpc_method`.
    pub grpc_started: IntCounterVec,
    /// `grpc_server_handled_total`, the same labels and `grpc_code`.
    pub grpc_handled: IntCounterVec,
    /// `grpc_server_handling_seconds` by the labels of `grpc_started`: only with
    /// `--metrics extensive`, as in etcd.
    pub grpc_handling: Option<HistogramVec>,
}

impl ServerMetrics {
    /// `extensive`: `--metrics extensive`.
    pub fn new(extensive: bool) -> ServerMetrics {
        let registry = Registry::new();
        let valid = "metric names are valid";
        let counter = |name: &str, help: &str| {
            registered(&registry, IntCounter::new(name, help).expect(valid))
        };
        let counter_vec = |name: &str, help: &str, labels: &[&str]| {
            let c = IntCounterVec::new(Opts::new(name, help), labels).expect(valid);
            registered(&registry, c)
        };
        // etcd's disk histograms: 1 ms doubling 14 times, up to about 8 s.
        let disk = |name: &str, help: &str| {
            let buckets = exponential_buckets(0.001, 2.0, 14).expect("valid buckets");
            let opts = HistogramOpts::new(name, help).buckets(buckets);
            registered(&registry, Histogram::with_opts(opts).expect(valid))
        };
        // process_* (CPU, memory, file descriptors, start time), as Go's client registers them.
        registry
            .register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ))
            .expect("each metric is registered once");
        let grpc_handling = extensive.then(|| {
            // grpc-prometheus' buckets are Prometheus' defaults.
            let opts = HistogramOpts::new(
                "grpc_server_handling_seconds",
                "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
            );
            let labels = ["grpc_type", "grpc_service", "grpc_method"];
            registered(&registry, HistogramVec::new(opts, &labels).expect(valid))
        });
        // etcd's: 0.1 ms doubling 16 times, up to about 3 s.
        let round_trip = HistogramOpts::new(
            "etcd_network_peer_round_trip_time_seconds",
            "Round-Trip-Time histogram between peers",
        )
        .buckets(exponential_buckets(0.0001, 2.0, 16).expect("valid buckets"));
        let active_peers = Opts::new(
            "etcd_network_active_peers",
            "The current number of active peer connections.",
        );
        let pending = Opts::new(
            "etcd_server_proposals_pending",
            "The current number of pending proposals to commit.",
        );
        // etcd's: 100 ms doubling 13 times, up to about 7 minutes.
        let defrag = HistogramOpts::new(
            "etcd_disk_backend_defrag_duration_seconds",
            "The latency distribution of backend defragmentation.",
        )
        .buckets(exponential_buckets(0.1, 2.0, 13).expect("valid buckets"));
        let defrag_inflight = Opts::new(
            "etcd_disk_defrag_inflight",
            "Whether or not defrag is active on the member. 1 means active, 0 means not.",
        );
        ServerMetrics {
            leader_changes: counter(
                "etcd_server_leader_changes_seen_total",
                "The number of leader changes seen.",
            ),
            proposals_failed: counter(
                "etcd_server_proposals_failed_total",
                "The total number of failed proposals seen.",
            ),
            proposals_pending: registered(&registry, IntGauge::with_opts(pending).expect(valid)),
            wal_fsync: disk(
                "etcd_disk_wal_fsync_duration_seconds",
                "The latency distributions of fsync called by WAL.",
            ),
            backend_commit: disk(
                "etcd_disk_backend_commit_duration_seconds",
                "The latency distributions of commit called by backend.",
            ),
            defrag: registered(&registry, Histogram::with_opts(defrag).expect(valid)),
            defrag_inflight: registered(
                &registry,
                IntGauge::with_opts(defrag_inflight).expect(valid),
            ),
            puts: counter(
                "etcd_mvcc_put_total",
                "Total number of puts seen by this member.",
            ),
            deletes: counter(
                "etcd_mvcc_delete_total",
                "Total number of deletes seen by this member.",
            ),
            ranges: counter(
                "etcd_mvcc_range_total",
                "Total number of ranges seen by this member.",
            ),
            txns: counter(
                "etcd_mvcc_txn_total",
                "Total number of txns seen by this member.",
            ),
            health_success: counter(
                "etcd_server_health_success",
                "The total number of successful health checks",
            ),
            health_failures: counter(
                "etcd_server_health_failures",
                "The total number of failed health checks",
            ),
            client_received_bytes: counter(
                "etcd_network_client_grpc_received_bytes_total",
                "The total number of bytes received from grpc clients.",
            ),
            client_sent_bytes: counter(
                "etcd_network_client_grpc_sent_bytes_total",
                "The total number of bytes sent to grpc clients.",
            ),
            peer_sent_bytes: counter_vec(
                "etcd_network_peer_sent_bytes_total",
                "The total number of bytes sent to peers.",
                &["To"],
            ),
            peer_received_bytes: counter_vec(
                "etcd_network_peer_received_bytes_total",
                "The total number of bytes received from peers.",
                &["From"],
            ),
            peer_sent_failures: counter_vec(
                "etcd_network_peer_sent_failures_total",
                "The total number of send failures from peers.",
                &["To"],
            ),
            peer_round_trip: registered(
                &registry,
                HistogramVec::new(round_trip, &["To"]).expect(valid),
            ),
            active_peers: registered(
                &registry,
                IntGaugeVec::new(active_peers, &["Local", "Remote"]).expect(valid),
            ),
            grpc_started: counter_vec(
                "grpc_server_started_total",
                "Total number of RPCs started on the server.",
                &["grpc_type", "grpc_service", "grpc_method"],
            ),
            grpc_handled: counter_vec(
                "grpc_server_handled_total",
                "Total number of RPCs completed on the server, regardless of success or failure.",
                &["grpc_type", "grpc_service", "grpc_method", "grpc_code"],
            ),
            grpc_handling,
            registry,
        }
    }
}

/// Registers `metric` in `registry` and hands it back (a metric is a handle on what the
/// registry gathers).
pub fn registered<M: Collector + Clone + 'static>(registry: &Registry, metric: M) -> M {
    registry
        .register(Box::new(metric.clone()))
        .expect("each metric is registered once");
    metric
}
