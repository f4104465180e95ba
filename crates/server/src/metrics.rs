//! The metrics the member's threads record as things happen (the node loop, the applier, the
//! APIs), with etcd's names, types, labels and buckets; `/metrics` gathers them with the gauges
//! it samples itself (`http::metrics`). One registry per member, so that several members can
//! live in one process (tests).

use prometheus::core::Collector;
use prometheus::{
    exponential_buckets, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec,
    IntGauge, IntGaugeVec, Opts, Registry,
};

/// etcd's `--warning-apply-duration` default: a longer apply or read-only range is logged and
/// counted as slow.
pub const SLOW_REQUEST: std::time::Duration = std::time::Duration::from_millis(100);

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
    /// `etcd_disk_wal_write_duration_seconds`: each WAL write (before its fsync).
    pub wal_write: Histogram,
    /// `etcd_disk_wal_write_bytes_total` (a gauge in etcd): bytes written to the WAL.
    pub wal_write_bytes: IntGauge,
    /// `etcd_disk_backend_snapshot_duration_seconds`: each backend copy streamed to a client
    /// (Snapshot) or to a lagging member.
    pub backend_snapshot: Histogram,
    /// `etcd_debugging_snap_save_total_duration_seconds`: each raft snapshot this member takes
    /// (a durable backend commit marked in the WAL; oxcd writes no `.snap` file).
    pub snap_save: Histogram,
    /// `etcd_snap_db_save_total_duration_seconds` and `etcd_snap_db_fsync_duration_seconds`: a
    /// backend received from the leader, saved, and its fsync.
    pub snap_db_save: Histogram,
    pub snap_db_fsync: Histogram,
    /// `etcd_server_snapshot_apply_in_progress_total`: 1 while a received backend is installed.
    pub snapshot_apply_in_progress: IntGauge,
    /// `etcd_server_apply_duration_seconds` by `version`, `op` and `success`: each request
    /// applied from the log.
    pub apply_duration: HistogramVec,
    /// `etcd_server_slow_apply_total`: applies and read-only ranges over 100 ms.
    pub slow_applies: IntCounter,
    /// `etcd_server_range_duration_seconds` by `success`: each read-only range.
    pub range_duration: HistogramVec,
    /// `etcd_server_read_indexes_failed_total` and `etcd_server_slow_read_indexes_total`: read
    /// barriers that failed, and those that had to be asked for again.
    pub read_indexes_failed: IntCounter,
    pub slow_read_indexes: IntCounter,
    /// `etcd_server_heartbeat_send_failures_total`: heartbeats the leader could not queue.
    pub heartbeat_send_failures: IntCounter,
    /// `etcd_server_learner_promote_successes`: learners this member promoted as leader.
    pub learner_promote_successes: IntCounter,
    /// `etcd_server_client_requests_total` by `type` (unary, stream) and `client_api_version`.
    pub client_requests: IntCounterVec,
    /// `etcd_debugging_lease_{granted,revoked,renewed}_total`, the granted TTLs
    /// (`etcd_debugging_lease_ttl_total`) and `etcd_debugging_server_lease_expired_total`.
    pub lease_granted: IntCounter,
    pub lease_revoked: IntCounter,
    pub lease_renewed: IntCounter,
    pub lease_ttl: Histogram,
    pub lease_expired: IntCounter,
    /// `etcd_debugging_mvcc_total_put_size_in_bytes`: key and value bytes of every put applied.
    pub total_put_size: IntGauge,
    /// Compaction: the key index's pause at apply, each backend step's pause, the whole physical
    /// compaction, when it last ended (unix seconds) and the backend revisions it removed.
    pub index_compaction_pause: Histogram,
    pub db_compaction_pause: Histogram,
    pub db_compaction_total: Histogram,
    pub db_compaction_last: IntGauge,
    pub db_compaction_keys: IntCounter,
    /// `etcd_mvcc_hash_duration_seconds` (Hash) and `etcd_mvcc_hash_rev_duration_seconds`
    /// (HashKV).
    pub hash: Histogram,
    pub hash_rev: Histogram,
    /// `etcd_server_healthcheck` by `type` (livez, readyz) and `name`: the last outcome of each
    /// probe check (1 passed); `etcd_server_healthchecks_total` counts them by `status`.
    pub health_checks: IntGaugeVec,
    pub health_checks_total: IntCounterVec,
    /// `grpc_server_msg_{received,sent}_total` by the labels of `grpc_started`: messages, not
    /// bytes, as grpc-prometheus counts them.
    pub grpc_msg_received: IntCounterVec,
    pub grpc_msg_sent: IntCounterVec,
    /// `etcd_network_disconnected_peers_total` by `Local` and `Remote`: peer streams that broke.
    pub disconnected_peers: IntCounterVec,
    /// `etcd_network_snapshot_send_*` by `To` and `etcd_network_snapshot_receive_*` by `From`.
    pub snapshot_send: Transfers,
    pub snapshot_receive: Transfers,
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
        let gauge =
            |name: &str, help: &str| registered(&registry, IntGauge::new(name, help).expect(valid));
        // etcd's histograms have exponential buckets: `count` bounds from `start`, each `factor`
        // times the one before.
        let buckets = |start: f64, factor: f64, count: usize| {
            exponential_buckets(start, factor, count).expect("valid buckets")
        };
        let histogram = |name: &str, help: &str, bounds: Vec<f64>| {
            let opts = HistogramOpts::new(name, help).buckets(bounds);
            registered(&registry, Histogram::with_opts(opts).expect(valid))
        };
        let histogram_vec = |name: &str, help: &str, bounds: Vec<f64>, labels: &[&str]| {
            let opts = HistogramOpts::new(name, help).buckets(bounds);
            registered(&registry, HistogramVec::new(opts, labels).expect(valid))
        };
        // etcd's disk histograms: 1 ms doubling 14 times, up to about 8 s.
        let disk = |name: &str, help: &str| histogram(name, help, buckets(0.001, 2.0, 14));
        let grpc_labels = ["grpc_type", "grpc_service", "grpc_method"];
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
            wal_write: disk(
                "etcd_disk_wal_write_duration_seconds",
                "The latency distributions of write called by WAL.",
            ),
            wal_write_bytes: gauge(
                "etcd_disk_wal_write_bytes_total",
                "Total number of bytes written in WAL.",
            ),
            backend_snapshot: histogram(
                "etcd_disk_backend_snapshot_duration_seconds",
                "The latency distribution of backend snapshots.",
                buckets(0.01, 2.0, 17),
            ),
            snap_save: disk(
                "etcd_debugging_snap_save_total_duration_seconds",
                "The total latency distributions of save called by snapshot.",
            ),
            snap_db_save: histogram(
                "etcd_snap_db_save_total_duration_seconds",
                "The total latency distributions of v3 snapshot save",
                buckets(0.1, 2.0, 10),
            ),
            snap_db_fsync: disk(
                "etcd_snap_db_fsync_duration_seconds",
                "The latency distributions of fsyncing .snap.db file",
            ),
            snapshot_apply_in_progress: gauge(
                "etcd_server_snapshot_apply_in_progress_total",
                "1 if the server is applying the incoming snapshot. 0 if none.",
            ),
            apply_duration: histogram_vec(
                "etcd_server_apply_duration_seconds",
                "The latency distributions of v2 apply called by backend.",
                buckets(0.0001, 2.0, 20),
                &["version", "op", "success"],
            ),
            slow_applies: counter(
                "etcd_server_slow_apply_total",
                "The total number of slow apply requests (likely overloaded from slow disk).",
            ),
            range_duration: histogram_vec(
                "etcd_server_range_duration_seconds",
                "The latency distributions of txn.Range",
                buckets(0.0001, 2.0, 20),
                &["success"],
            ),
            read_indexes_failed: counter(
                "etcd_server_read_indexes_failed_total",
                "The total number of failed read indexes seen.",
            ),
            slow_read_indexes: counter(
                "etcd_server_slow_read_indexes_total",
                "The total number of pending read indexes not in sync with leader's or timed out read index requests.",
            ),
            heartbeat_send_failures: counter(
                "etcd_server_heartbeat_send_failures_total",
                "The total number of leader heartbeat send failures (likely overloaded from slow disk).",
            ),
            learner_promote_successes: counter(
                "etcd_server_learner_promote_successes",
                "The total number of successful learner promotions while this member is leader.",
            ),
            client_requests: counter_vec(
                "etcd_server_client_requests_total",
                "The total number of client requests per client version.",
                &["type", "client_api_version"],
            ),
            lease_granted: counter(
                "etcd_debugging_lease_granted_total",
                "The total number of granted leases.",
            ),
            lease_revoked: counter(
                "etcd_debugging_lease_revoked_total",
                "The total number of revoked leases.",
            ),
            lease_renewed: counter(
                "etcd_debugging_lease_renewed_total",
                "The number of renewed leases seen by the leader.",
            ),
            lease_ttl: histogram(
                "etcd_debugging_lease_ttl_total",
                "Bucketed histogram of lease TTLs.",
                buckets(1.0, 2.0, 24),
            ),
            lease_expired: counter(
                "etcd_debugging_server_lease_expired_total",
                "The total number of expired leases.",
            ),
            total_put_size: gauge(
                "etcd_debugging_mvcc_total_put_size_in_bytes",
                "The total size of put kv pairs seen by this member.",
            ),
            index_compaction_pause: histogram(
                "etcd_debugging_mvcc_index_compaction_pause_duration_milliseconds",
                "Bucketed histogram of index compaction pause duration.",
                buckets(0.5, 2.0, 14),
            ),
            db_compaction_pause: histogram(
                "etcd_debugging_mvcc_db_compaction_pause_duration_milliseconds",
                "Bucketed histogram of db compaction pause duration.",
                buckets(1.0, 2.0, 13),
            ),
            db_compaction_total: histogram(
                "etcd_debugging_mvcc_db_compaction_total_duration_milliseconds",
                "Bucketed histogram of db compaction total duration.",
                buckets(100.0, 2.0, 14),
            ),
            db_compaction_last: gauge(
                "etcd_debugging_mvcc_db_compaction_last",
                "The unix time of the last db compaction. Resets to 0 on start.",
            ),
            db_compaction_keys: counter(
                "etcd_debugging_mvcc_db_compaction_keys_total",
                "Total number of db keys compacted.",
            ),
            hash: histogram(
                "etcd_mvcc_hash_duration_seconds",
                "The latency distribution of storage hash operation.",
                buckets(0.01, 2.0, 15),
            ),
            hash_rev: histogram(
                "etcd_mvcc_hash_rev_duration_seconds",
                "The latency distribution of storage hash by revision operation.",
                buckets(0.01, 2.0, 15),
            ),
            health_checks: registered(
                &registry,
                IntGaugeVec::new(
                    Opts::new(
                        "etcd_server_healthcheck",
                        "The result of each kind of healthcheck.",
                    ),
                    &["type", "name"],
                )
                .expect(valid),
            ),
            health_checks_total: counter_vec(
                "etcd_server_healthchecks_total",
                "The total number of each kind of healthcheck.",
                &["type", "name", "status"],
            ),
            grpc_msg_received: counter_vec(
                "grpc_server_msg_received_total",
                "Total number of RPC stream messages received on the server.",
                &grpc_labels,
            ),
            grpc_msg_sent: counter_vec(
                "grpc_server_msg_sent_total",
                "Total number of gRPC stream messages sent by the server.",
                &grpc_labels,
            ),
            disconnected_peers: counter_vec(
                "etcd_network_disconnected_peers_total",
                "The total number of disconnected peers.",
                &["Local", "Remote"],
            ),
            snapshot_send: Transfers::new(&registry, "send", "sends", "To"),
            snapshot_receive: Transfers::new(&registry, "receive", "receives", "From"),
            grpc_started: counter_vec(
                "grpc_server_started_total",
                "Total number of RPCs started on the server.",
                &grpc_labels,
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

/// etcd's counters of snapshot transfers with one peer direction (`send` by `To`, `receive` by
/// `From`): successes, failures, those in flight and how long the successful ones took.
pub struct Transfers {
    success: IntCounterVec,
    failures: IntCounterVec,
    inflight: IntGaugeVec,
    seconds: HistogramVec,
}

impl Transfers {
    fn new(registry: &Registry, verb: &str, plural: &str, label: &str) -> Transfers {
        let valid = "metric names are valid";
        let name = |what: &str| format!("etcd_network_snapshot_{verb}_{what}");
        let counter = |what: &str, help: String| {
            let opts = Opts::new(name(what), help);
            registered(registry, IntCounterVec::new(opts, &[label]).expect(valid))
        };
        // etcd's: 100 ms doubling 10 times, up to about 51 s.
        let seconds = HistogramOpts::new(
            name("total_duration_seconds"),
            format!("Total latency distributions of v3 snapshot {plural}"),
        )
        .buckets(exponential_buckets(0.1, 2.0, 10).expect("valid buckets"));
        let inflight = Opts::new(
            name("inflights_total"),
            format!("Total number of inflight snapshot {plural}"),
        );
        Transfers {
            success: counter(
                "success",
                format!("Total number of successful snapshot {plural}"),
            ),
            failures: counter(
                "failures",
                format!("Total number of snapshot {verb} failures"),
            ),
            inflight: registered(registry, IntGaugeVec::new(inflight, &[label]).expect(valid)),
            seconds: registered(registry, HistogramVec::new(seconds, &[label]).expect(valid)),
        }
    }

    /// Counts a transfer with `peer` (a member ID in hex) in flight until the returned guard
    /// is told how it ended, or dropped (a failure).
    pub fn start(&self, peer: &str) -> Transfer<'_> {
        self.inflight.with_label_values(&[peer]).inc();
        Transfer {
            transfers: self,
            peer: peer.to_string(),
            started: std::time::Instant::now(),
            ended: false,
        }
    }
}

/// One snapshot transfer in flight; see [`Transfers::start`].
pub struct Transfer<'a> {
    transfers: &'a Transfers,
    peer: String,
    started: std::time::Instant,
    ended: bool,
}

impl Transfer<'_> {
    pub fn succeeded(mut self) {
        let t = self.transfers;
        t.success.with_label_values(&[&self.peer]).inc();
        t.seconds
            .with_label_values(&[&self.peer])
            .observe(self.started.elapsed().as_secs_f64());
        self.ended = true;
    }
}

impl Drop for Transfer<'_> {
    fn drop(&mut self) {
        let t = self.transfers;
        t.inflight.with_label_values(&[&self.peer]).dec();
        if !self.ended {
            t.failures.with_label_values(&[&self.peer]).inc();
        }
    }
}

impl ServerMetrics {
    /// Records one `/livez` or `/readyz` check as etcd does.
    pub fn health_check(&self, kind: &str, name: &str, passed: bool) {
        self.health_checks
            .with_label_values(&[kind, name])
            .set(passed as i64);
        let status = if passed { "success" } else { "error" };
        self.health_checks_total
            .with_label_values(&[kind, name, status])
            .inc();
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
