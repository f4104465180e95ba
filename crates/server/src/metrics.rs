//! The metrics the member's threads record as things happen (the node loop, the applier, the
//! APIs), with etcd's names, types, labels and buckets; `/metrics` gathers them with the gauges
//! it samples itself (`http::metrics`). One registry per member, so that several members can
//! live in one process (tests).

use prometheus::core::Collector;
use prometheus::{
    exponential_buckets, Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter,
    IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
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
        let f = Families(&registry);
        // etcd's disk histograms: 1 ms doubling 14 times, up to about 8 s.
        let disk = |name: &str, help: &str| f.histogram(name, help, buckets(0.001, 2.0, 14));
        let grpc_labels = ["grpc_type", "grpc_service", "grpc_method"];
        // process_* (CPU, memory, file descriptors, start time), as Go's client registers them.
        registry
            .register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ))
            .expect("each metric is registered once");
        let grpc_handling = extensive.then(|| {
            // grpc-prometheus' buckets are Prometheus' defaults.
            f.histogram_vec(
                "grpc_server_handling_seconds",
                "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
                prometheus::DEFAULT_BUCKETS.to_vec(),
                &grpc_labels,
            )
        });
        ServerMetrics {
            leader_changes: f.counter(
                "etcd_server_leader_changes_seen_total",
                "The number of leader changes seen.",
            ),
            proposals_failed: f.counter(
                "etcd_server_proposals_failed_total",
                "The total number of failed proposals seen.",
            ),
            proposals_pending: f.gauge(
                "etcd_server_proposals_pending",
                "The current number of pending proposals to commit.",
            ),
            wal_fsync: disk(
                "etcd_disk_wal_fsync_duration_seconds",
                "The latency distributions of fsync called by WAL.",
            ),
            backend_commit: disk(
                "etcd_disk_backend_commit_duration_seconds",
                "The latency distributions of commit called by backend.",
            ),
            // etcd's: 100 ms doubling 13 times, up to about 7 minutes.
            defrag: f.histogram(
                "etcd_disk_backend_defrag_duration_seconds",
                "The latency distribution of backend defragmentation.",
                buckets(0.1, 2.0, 13),
            ),
            defrag_inflight: f.gauge(
                "etcd_disk_defrag_inflight",
                "Whether or not defrag is active on the member. 1 means active, 0 means not.",
            ),
            puts: f.counter(
                "etcd_mvcc_put_total",
                "Total number of puts seen by this member.",
            ),
            deletes: f.counter(
                "etcd_mvcc_delete_total",
                "Total number of deletes seen by this member.",
            ),
            ranges: f.counter(
                "etcd_mvcc_range_total",
                "Total number of ranges seen by this member.",
            ),
            txns: f.counter(
                "etcd_mvcc_txn_total",
                "Total number of txns seen by this member.",
            ),
            health_success: f.counter(
                "etcd_server_health_success",
                "The total number of successful health checks",
            ),
            health_failures: f.counter(
                "etcd_server_health_failures",
                "The total number of failed health checks",
            ),
            client_received_bytes: f.counter(
                "etcd_network_client_grpc_received_bytes_total",
                "The total number of bytes received from grpc clients.",
            ),
            client_sent_bytes: f.counter(
                "etcd_network_client_grpc_sent_bytes_total",
                "The total number of bytes sent to grpc clients.",
            ),
            peer_sent_bytes: f.counter_vec(
                "etcd_network_peer_sent_bytes_total",
                "The total number of bytes sent to peers.",
                &["To"],
            ),
            peer_received_bytes: f.counter_vec(
                "etcd_network_peer_received_bytes_total",
                "The total number of bytes received from peers.",
                &["From"],
            ),
            peer_sent_failures: f.counter_vec(
                "etcd_network_peer_sent_failures_total",
                "The total number of send failures from peers.",
                &["To"],
            ),
            // etcd's: 0.1 ms doubling 16 times, up to about 3 s.
            peer_round_trip: f.histogram_vec(
                "etcd_network_peer_round_trip_time_seconds",
                "Round-Trip-Time histogram between peers",
                buckets(0.0001, 2.0, 16),
                &["To"],
            ),
            active_peers: f.gauge_vec(
                "etcd_network_active_peers",
                "The current number of active peer connections.",
                &["Local", "Remote"],
            ),
            wal_write: disk(
                "etcd_disk_wal_write_duration_seconds",
                "The latency distributions of write called by WAL.",
            ),
            wal_write_bytes: f.gauge(
                "etcd_disk_wal_write_bytes_total",
                "Total number of bytes written in WAL.",
            ),
            backend_snapshot: f.histogram(
                "etcd_disk_backend_snapshot_duration_seconds",
                "The latency distribution of backend snapshots.",
                buckets(0.01, 2.0, 17),
            ),
            snap_save: disk(
                "etcd_debugging_snap_save_total_duration_seconds",
                "The total latency distributions of save called by snapshot.",
            ),
            snap_db_save: f.histogram(
                "etcd_snap_db_save_total_duration_seconds",
                "The total latency distributions of v3 snapshot save",
                buckets(0.1, 2.0, 10),
            ),
            snap_db_fsync: disk(
                "etcd_snap_db_fsync_duration_seconds",
                "The latency distributions of fsyncing .snap.db file",
            ),
            snapshot_apply_in_progress: f.gauge(
                "etcd_server_snapshot_apply_in_progress_total",
                "1 if the server is applying the incoming snapshot. 0 if none.",
            ),
            apply_duration: f.histogram_vec(
                "etcd_server_apply_duration_seconds",
                "The latency distributions of v2 apply called by backend.",
                buckets(0.0001, 2.0, 20),
                &["version", "op", "success"],
            ),
            slow_applies: f.counter(
                "etcd_server_slow_apply_total",
                "The total number of slow apply requests (likely overloaded from slow disk).",
            ),
            range_duration: f.histogram_vec(
                "etcd_server_range_duration_seconds",
                "The latency distributions of txn.Range",
                buckets(0.0001, 2.0, 20),
                &["success"],
            ),
            read_indexes_failed: f.counter(
                "etcd_server_read_indexes_failed_total",
                "The total number of failed read indexes seen.",
            ),
            slow_read_indexes: f.counter(
                "etcd_server_slow_read_indexes_total",
                "The total number of pending read indexes not in sync with leader's or timed out read index requests.",
            ),
            heartbeat_send_failures: f.counter(
                "etcd_server_heartbeat_send_failures_total",
                "The total number of leader heartbeat send failures (likely overloaded from slow disk).",
            ),
            learner_promote_successes: f.counter(
                "etcd_server_learner_promote_successes",
                "The total number of successful learner promotions while this member is leader.",
            ),
            client_requests: f.counter_vec(
                "etcd_server_client_requests_total",
                "The total number of client requests per client version.",
                &["type", "client_api_version"],
            ),
            lease_granted: f.counter(
                "etcd_debugging_lease_granted_total",
                "The total number of granted leases.",
            ),
            lease_revoked: f.counter(
                "etcd_debugging_lease_revoked_total",
                "The total number of revoked leases.",
            ),
            lease_renewed: f.counter(
                "etcd_debugging_lease_renewed_total",
                "The number of renewed leases seen by the leader.",
            ),
            lease_ttl: f.histogram(
                "etcd_debugging_lease_ttl_total",
                "Bucketed histogram of lease TTLs.",
                buckets(1.0, 2.0, 24),
            ),
            lease_expired: f.counter(
                "etcd_debugging_server_lease_expired_total",
                "The total number of expired leases.",
            ),
            total_put_size: f.gauge(
                "etcd_debugging_mvcc_total_put_size_in_bytes",
                "The total size of put kv pairs seen by this member.",
            ),
            index_compaction_pause: f.histogram(
                "etcd_debugging_mvcc_index_compaction_pause_duration_milliseconds",
                "Bucketed histogram of index compaction pause duration.",
                buckets(0.5, 2.0, 14),
            ),
            db_compaction_pause: f.histogram(
                "etcd_debugging_mvcc_db_compaction_pause_duration_milliseconds",
                "Bucketed histogram of db compaction pause duration.",
                buckets(1.0, 2.0, 13),
            ),
            db_compaction_total: f.histogram(
                "etcd_debugging_mvcc_db_compaction_total_duration_milliseconds",
                "Bucketed histogram of db compaction total duration.",
                buckets(100.0, 2.0, 14),
            ),
            db_compaction_last: f.gauge(
                "etcd_debugging_mvcc_db_compaction_last",
                "The unix time of the last db compaction. Resets to 0 on start.",
            ),
            db_compaction_keys: f.counter(
                "etcd_debugging_mvcc_db_compaction_keys_total",
                "Total number of db keys compacted.",
            ),
            hash: f.histogram(
                "etcd_mvcc_hash_duration_seconds",
                "The latency distribution of storage hash operation.",
                buckets(0.01, 2.0, 15),
            ),
            hash_rev: f.histogram(
                "etcd_mvcc_hash_rev_duration_seconds",
                "The latency distribution of storage hash by revision operation.",
                buckets(0.01, 2.0, 15),
            ),
            health_checks: f.gauge_vec(
                "etcd_server_healthcheck",
                "The result of each kind of healthcheck.",
                &["type", "name"],
            ),
            health_checks_total: f.counter_vec(
                "etcd_server_healthchecks_total",
                "The total number of each kind of healthcheck.",
                &["type", "name", "status"],
            ),
            grpc_msg_received: f.counter_vec(
                "grpc_server_msg_received_total",
                "Total number of RPC stream messages received on the server.",
                &grpc_labels,
            ),
            grpc_msg_sent: f.counter_vec(
                "grpc_server_msg_sent_total",
                "Total number of gRPC stream messages sent by the server.",
                &grpc_labels,
            ),
            disconnected_peers: f.counter_vec(
                "etcd_network_disconnected_peers_total",
                "The total number of disconnected peers.",
                &["Local", "Remote"],
            ),
            snapshot_send: Transfers::new(&f, "send", "sends", "To"),
            snapshot_receive: Transfers::new(&f, "receive", "receives", "From"),
            grpc_started: f.counter_vec(
                "grpc_server_started_total",
                "Total number of RPCs started on the server.",
                &grpc_labels,
            ),
            grpc_handled: f.counter_vec(
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
    fn new(f: &Families, verb: &str, plural: &str, label: &str) -> Transfers {
        let name = |what: &str| format!("etcd_network_snapshot_{verb}_{what}");
        Transfers {
            success: f.counter_vec(
                &name("success"),
                &format!("Total number of successful snapshot {plural}"),
                &[label],
            ),
            failures: f.counter_vec(
                &name("failures"),
                &format!("Total number of snapshot {verb} failures"),
                &[label],
            ),
            inflight: f.gauge_vec(
                &name("inflights_total"),
                &format!("Total number of inflight snapshot {plural}"),
                &[label],
            ),
            // etcd's: 100 ms doubling 10 times, up to about 51 s.
            seconds: f.histogram_vec(
                &name("total_duration_seconds"),
                &format!("Total latency distributions of v3 snapshot {plural}"),
                buckets(0.1, 2.0, 10),
                &[label],
            ),
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

/// Registers metric families in one registry: the one place their options are built.
pub struct Families<'a>(pub &'a Registry);

const VALID: &str = "metric names are valid";

impl Families<'_> {
    pub fn counter(&self, name: &str, help: &str) -> IntCounter {
        registered(self.0, IntCounter::new(name, help).expect(VALID))
    }

    pub fn counter_vec(&self, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
        registered(
            self.0,
            IntCounterVec::new(Opts::new(name, help), labels).expect(VALID),
        )
    }

    pub fn gauge(&self, name: &str, help: &str) -> IntGauge {
        registered(self.0, IntGauge::new(name, help).expect(VALID))
    }

    pub fn gauge_vec(&self, name: &str, help: &str, labels: &[&str]) -> IntGaugeVec {
        registered(
            self.0,
            IntGaugeVec::new(Opts::new(name, help), labels).expect(VALID),
        )
    }

    /// A float gauge, for values Go writes as floats.
    pub fn float_gauge(&self, name: &str, help: &str) -> Gauge {
        registered(self.0, Gauge::new(name, help).expect(VALID))
    }

    /// An info gauge: 1 for the one `label` value.
    pub fn info(&self, name: &str, help: &str, label: &str, value: &str) {
        let info = GaugeVec::new(Opts::new(name, help), &[label]).expect(VALID);
        registered(self.0, info)
            .with_label_values(&[value])
            .set(1.0);
    }

    pub fn histogram(&self, name: &str, help: &str, bounds: Vec<f64>) -> Histogram {
        let opts = HistogramOpts::new(name, help).buckets(bounds);
        registered(self.0, Histogram::with_opts(opts).expect(VALID))
    }

    pub fn histogram_vec(
        &self,
        name: &str,
        help: &str,
        bounds: Vec<f64>,
        labels: &[&str],
    ) -> HistogramVec {
        let opts = HistogramOpts::new(name, help).buckets(bounds);
        registered(self.0, HistogramVec::new(opts, labels).expect(VALID))
    }
}

/// etcd's histogram buckets: `count` bounds from `start`, each `factor` times the one before.
pub fn buckets(start: f64, factor: f64, count: usize) -> Vec<f64> {
    exponential_buckets(start, factor, count).expect("valid buckets")
}

/// Registers `metric` in `registry` and hands it back (a metric is a handle on what the
/// registry gathers).
fn registered<M: Collector + Clone + 'static>(registry: &Registry, metric: M) -> M {
    registry
        .register(Box::new(metric.clone()))
        .expect("each metric is registered once");
    metric
}
