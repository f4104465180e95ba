//! `/metrics`: etcd's metric names in Prometheus' text format, one registry per member so several
//! members can live in one process (tests).

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use oxcd_proto::etcdserverpb::AlarmType;
use prometheus::{
    Encoder, Gauge, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Registry, TextEncoder,
};

use crate::member::Member;
use crate::metrics::Families;
use crate::version::{CLUSTER_VERSION, ETCD_VERSION};

pub struct Metrics {
    registry: Registry,
    has_leader: IntGauge,
    is_leader: IntGauge,
    proposals_committed: IntGauge,
    proposals_applied: IntGauge,
    current_revision: IntGauge,
    watchers: IntGauge,
    slow_watchers: IntGauge,
    watch_streams: IntGauge,
    db_total_size: IntGauge,
    /// The same size under the name etcd 3.4's dashboards query.
    debugging_db_total_size: IntGauge,
    db_in_use: IntGauge,
    keys: IntGauge,
    compact_revision: IntGauge,
    is_learner: IntGauge,
    fd_used: IntGauge,
    fd_limit: IntGauge,
    quota: Gauge,
    auth_revision: IntGauge,
    events_sent: IntCounter,
    pending_events: IntGauge,
    open_reads: IntGauge,
    /// 1 for each member of the cluster, 0 for one removed since the start, as etcd keeps it.
    known_peers: IntGaugeVec,
    /// 1 for each raised alarm, by member and type; 0 once disarmed, as etcd keeps it.
    alarms: IntGaugeVec,
    store_reads: IntCounterVec,
    store_writes: IntCounterVec,
    /// Go's process collector reports these beside the `process_*` families Rust's has.
    network_received: IntCounter,
    network_sent: IntCounter,
    virtual_memory_max: Gauge,
    store_expires: IntCounter,
    store_watch_requests: IntCounter,
    store_watchers: IntGauge,
    /// promhttp's own instrumentation of the `/metrics` handler, which etcd serves.
    scrapes_in_flight: IntGauge,
    scrapes: IntCounterVec,
    /// Held while a scrape samples: two at once would both add what a sampled counter lacks.
    sampling: Mutex<Seen>,
}

/// What earlier scrapes saw, for series etcd keeps at 0 once their subject is gone.
#[derive(Default)]
struct Seen {
    peers: BTreeSet<u64>,
    alarms: BTreeSet<(u64, i32)>,
}

/// Moves a counter sampled from elsewhere up to `total` (a total that went back, as the v2
/// store's after a snapshot install, leaves it where it is).
fn advance(counter: &IntCounter, total: u64) {
    counter.inc_by(total.saturating_sub(counter.get()));
}

impl Metrics {
    pub fn new(member: &Member) -> Metrics {
        let registry = Registry::new();
        let f = Families(&registry);
        f.info(
            "etcd_server_version",
            "Which version is running. 1 for 'server_version' label with current version.",
            "server_version",
            ETCD_VERSION,
        );
        f.info(
            "etcd_cluster_version",
            "Which version is running. 1 for 'cluster_version' label with current cluster version",
            "cluster_version",
            &CLUSTER_VERSION[..3],
        );
        f.info(
            "etcd_server_id",
            "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.",
            "server_id",
            &format!("{:x}", member.id),
        );
        let quota = f.float_gauge(
            "etcd_server_quota_backend_bytes",
            "Current backend storage quota size in bytes.",
        );
        Metrics {
            has_leader: f.gauge(
                "etcd_server_has_leader",
                "Whether or not a leader exists. 1 is existence, 0 is not.",
            ),
            is_leader: f.gauge(
                "etcd_server_is_leader",
                "Whether or not this member is a leader. 1 if is, 0 otherwise.",
            ),
            proposals_committed: f.gauge(
                "etcd_server_proposals_committed_total",
                "The total number of consensus proposals committed.",
            ),
            proposals_applied: f.gauge(
                "etcd_server_proposals_applied_total",
                "The total number of consensus proposals applied.",
            ),
            current_revision: f.gauge(
                "etcd_debugging_mvcc_current_revision",
                "The current revision of store.",
            ),
            watchers: f.gauge(
                "etcd_debugging_mvcc_watcher_total",
                "Total number of watchers.",
            ),
            slow_watchers: f.gauge(
                "etcd_debugging_mvcc_slow_watcher_total",
                "Total number of unsynced slow watchers.",
            ),
            watch_streams: f.gauge(
                "etcd_debugging_mvcc_watch_stream_total",
                "Total number of watch streams.",
            ),
            db_total_size: f.gauge(
                "etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.",
            ),
            db_in_use: f.gauge(
                "etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.",
            ),
            debugging_db_total_size: f.gauge(
                "etcd_debugging_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.",
            ),
            keys: f.gauge(
                "etcd_debugging_mvcc_keys_total",
                "Total number of keys.",
            ),
            compact_revision: f.gauge(
                "etcd_debugging_mvcc_compact_revision",
                "The revision of the last compaction in store.",
            ),
            is_learner: f.gauge(
                "etcd_server_is_learner",
                "Whether or not this member is a learner. 1 if is, 0 otherwise.",
            ),
            fd_used: f.gauge(
                "os_fd_used",
                "The number of used file descriptors.",
            ),
            fd_limit: f.gauge("os_fd_limit", "The file descriptor limit."),
            auth_revision: f.gauge(
                "etcd_debugging_auth_revision",
                "The current revision of auth store.",
            ),
            events_sent: f.counter(
                "etcd_debugging_mvcc_events_total",
                "Total number of events sent by this member.",
            ),
            pending_events: f.gauge(
                "etcd_debugging_mvcc_pending_events_total",
                "Total number of pending events to be sent.",
            ),
            open_reads: f.gauge(
                "etcd_mvcc_db_open_read_transactions",
                "The number of currently open read transactions",
            ),
            known_peers: f.gauge_vec(
                "etcd_network_known_peers",
                "The current number of known peers.",
                &["Local", "Remote"],
            ),
            alarms: f.gauge_vec(
                "etcd_debugging_server_alarms",
                "Alarms for every member in cluster. 1 for 'server_id' label with current ID. 2 for 'alarm_type' label with type of this alarm",
                &["server_id", "alarm_type"],
            ),
            store_reads: f.counter_vec(
                "etcd_debugging_store_reads_total",
                "Total number of reads action by (get/getRecursive), local to this member.",
                &["action"],
            ),
            network_received: f.counter(
                "process_network_receive_bytes_total",
                "Number of bytes received by the process over the network.",
            ),
            network_sent: f.counter(
                "process_network_transmit_bytes_total",
                "Number of bytes sent by the process over the network.",
            ),
            virtual_memory_max: f.float_gauge(
                "process_virtual_memory_max_bytes",
                "Maximum amount of virtual memory available in bytes.",
            ),
            store_writes: f.counter_vec(
                "etcd_debugging_store_writes_total",
                "Total number of writes (e.g. set/compareAndDelete) seen by this member.",
                &["action"],
            ),
            store_expires: f.counter(
                "etcd_debugging_store_expires_total",
                "Total number of expired keys.",
            ),
            store_watch_requests: f.counter(
                "etcd_debugging_store_watch_requests_total",
                "Total number of incoming watch requests (new or reestablished).",
            ),
            store_watchers: f.gauge(
                "etcd_debugging_store_watchers",
                "Count of currently active watchers.",
            ),
            scrapes_in_flight: f.gauge(
                "promhttp_metric_handler_requests_in_flight",
                "Current number of scrapes being served.",
            ),
            scrapes: {
                let scrapes = f.counter_vec(
                    "promhttp_metric_handler_requests_total",
                    "Total number of scrapes by HTTP status code.",
                    &["code"],
                );
                // promhttp shows its codes from the start.
                for code in ["200", "500", "503"] {
                    scrapes.with_label_values(&[code]);
                }
                scrapes
            },
            sampling: Mutex::default(),
            quota,
            registry,
        }
    }

    /// Samples the member's state and renders every metric; the scrape is counted as promhttp
    /// counts it (in flight while rendered, done with its status after).
    pub fn render(&self, member: &Member) -> String {
        self.scrapes_in_flight.inc();
        let mut seen = self.sampling.lock().unwrap_or_else(|e| e.into_inner());
        let page = self.render_sampled(member, &mut seen);
        drop(seen);
        self.scrapes_in_flight.dec();
        self.scrapes.with_label_values(&["200"]).inc();
        page
    }

    fn render_sampled(&self, member: &Member, seen: &mut Seen) -> String {
        let leader = member.leader();
        self.has_leader.set((leader != 0) as i64);
        self.is_leader.set((leader == member.id) as i64);
        self.proposals_committed
            .set(member.raft.commit.load(Ordering::Relaxed) as i64);
        self.proposals_applied.set(member.applied_index() as i64);
        self.current_revision.set(member.store.current_revision());
        let watch = member.watch_hub.stats();
        self.watchers.set(watch.watchers as i64);
        self.slow_watchers.set(watch.slow_watchers as i64);
        self.watch_streams.set(watch.streams as i64);
        advance(&self.events_sent, watch.events_sent);
        self.pending_events.set(watch.events_queued as i64);
        self.open_reads
            .set(member.store.backend().open_read_transactions());
        let local = format!("{:x}", member.id);
        let peers = member.membership.list().iter().map(|m| m.id).collect();
        present(&self.known_peers, &mut seen.peers, peers, |id| {
            [local.clone(), format!("{id:x}")]
        });
        let alarms = member.alarms.list();
        let raised = alarms.iter().map(|a| (a.member_id, a.alarm)).collect();
        present(&self.alarms, &mut seen.alarms, raised, |(id, alarm)| {
            let kind = AlarmType::try_from(*alarm).map_or("UNKNOWN", |a| a.as_str_name());
            [format!("{id:x}"), kind.to_string()]
        });
        let v2 = member.v2.counters();
        for (action, total) in v2.reads {
            advance(&self.store_reads.with_label_values(&[action]), total);
        }
        for (action, total) in v2.writes {
            advance(&self.store_writes.with_label_values(&[action]), total);
        }
        let (received, sent) = network_octets();
        advance(&self.network_received, received);
        advance(&self.network_sent, sent);
        // As Go reports it: unlimited as the largest u64.
        let address_space = soft_limit(libc::RLIMIT_AS).map_or(0.0, |l| l as f64);
        self.virtual_memory_max.set(address_space);
        advance(&self.store_expires, v2.expires);
        advance(&self.store_watch_requests, v2.watch_requests);
        self.store_watchers.set(v2.watchers as i64);
        let (size, in_use) = member.store.db_size();
        self.db_total_size.set(size);
        self.debugging_db_total_size.set(size);
        self.db_in_use.set(in_use);
        self.keys.set(member.store.live_key_count() as i64);
        // etcd's is -1 until the first compaction.
        let compacted = member.store.compact_revision();
        self.compact_revision
            .set(if compacted > 0 { compacted } else { -1 });
        self.is_learner.set(member.is_learner() as i64);
        let (used, limit) = file_descriptors();
        self.fd_used.set(used);
        self.fd_limit.set(limit);
        // etcd reports a disabled quota as its (negative) flag value.
        let quota = member
            .config
            .backend_quota()
            .unwrap_or(member.config.quota_backend_bytes);
        self.quota.set(quota as f64);
        self.auth_revision.set(member.auth.revision() as i64);
        let mut families = self.registry.gather();
        families.extend(member.metrics.registry.gather());
        families.sort_by(|a, b| a.name().cmp(b.name()));
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&families, &mut out)
            .expect("text encoding to memory cannot fail");
        String::from_utf8(out).expect("prometheus text is UTF-8")
    }
}

/// Sets a 0/1 gauge for each subject ever `seen`: 1 for those `current`, 0 for those gone.
fn present<K: Ord + Copy>(
    gauge: &IntGaugeVec,
    seen: &mut BTreeSet<K>,
    current: BTreeSet<K>,
    labels: impl Fn(&K) -> [String; 2],
) {
    seen.extend(current.iter().copied());
    for subject in seen.iter() {
        let [a, b] = labels(subject);
        gauge
            .with_label_values(&[&a, &b])
            .set(current.contains(subject) as i64);
    }
}

/// Open file descriptors (entries of `/proc/self/fd`) and the soft limit on them, as etcd's
/// `os_fd_*` report them; 0 where the system does not say.
fn file_descriptors() -> (i64, i64) {
    let used = std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count() as i64);
    let limit = soft_limit(libc::RLIMIT_NOFILE).map_or(0, |l| i64::try_from(l).unwrap_or(i64::MAX));
    (used, limit)
}

/// The soft limit on `resource` (unlimited as the largest u64), or None where the system does
/// not say.
fn soft_limit(resource: libc::__rlimit_resource_t) -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct we own.
    match unsafe { libc::getrlimit(resource, &mut limit) } {
        0 => Some(limit.rlim_cur),
        _ => None,
    }
}

/// The bytes the process's network namespace received and sent (`IpExt` `InOctets` and
/// `OutOctets` of `/proc/self/net/netstat`), as Go's process collector reports them; zeros
/// where the system does not say.
fn network_octets() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/self/net/netstat").unwrap_or_default();
    let mut rows = text.lines().filter(|l| l.starts_with("IpExt:"));
    let (Some(names), Some(values)) = (rows.next(), rows.next()) else {
        return (0, 0);
    };
    let field = |wanted: &str| {
        names
            .split_whitespace()
            .zip(values.split_whitespace())
            .find(|(name, _)| *name == wanted)
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0)
    };
    (field("InOctets"), field("OutOctets"))
}
