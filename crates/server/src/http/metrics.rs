//! `/metrics`: etcd's metric names in Prometheus' text format, one registry per member so several
//! members can live in one process (tests).

use std::sync::atomic::Ordering;

use prometheus::{Encoder, Gauge, GaugeVec, IntGauge, Opts, Registry, TextEncoder};

use crate::member::Member;
use crate::metrics::registered;
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
}

fn gauge(registry: &Registry, name: &str, help: &str) -> IntGauge {
    registered(
        registry,
        IntGauge::new(name, help).expect("metric names are valid"),
    )
}

fn info(registry: &Registry, name: &str, help: &str, label: &str, value: &str) {
    let g = GaugeVec::new(Opts::new(name, help), &[label]).expect("metric names are valid");
    registered(registry, g).with_label_values(&[value]).set(1.0);
}

impl Metrics {
    pub fn new(member: &Member) -> Metrics {
        let registry = Registry::new();
        info(
            &registry,
            "etcd_server_version",
            "Which version is running. 1 for 'server_version' label with current version.",
            "server_version",
            ETCD_VERSION,
        );
        info(
            &registry,
            "etcd_cluster_version",
            "Which version is running. 1 for 'cluster_version' label with current cluster version",
            "cluster_version",
            &CLUSTER_VERSION[..3],
        );
        info(
            &registry,
            "etcd_server_id",
            "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.",
            "server_id",
            &format!("{:x}", member.id),
        );
        let quota = Gauge::new(
            "etcd_server_quota_backend_bytes",
            "Current backend storage quota size in bytes.",
        )
        .expect("metric names are valid");
        let quota = registered(&registry, quota);
        Metrics {
            has_leader: gauge(
                &registry,
                "etcd_server_has_leader",
                "Whether or not a leader exists. 1 is existence, 0 is not.",
            ),
            is_leader: gauge(
                &registry,
                "etcd_server_is_leader",
                "Whether or not this member is a leader. 1 if is, 0 otherwise.",
            ),
            proposals_committed: gauge(
                &registry,
                "etcd_server_proposals_committed_total",
                "The total number of consensus proposals committed.",
            ),
            proposals_applied: gauge(
                &registry,
                "etcd_server_proposals_applied_total",
                "The total number of consensus proposals applied.",
            ),
            current_revision: gauge(
                &registry,
                "etcd_debugging_mvcc_current_revision",
                "The current revision of store.",
            ),
            watchers: gauge(
                &registry,
                "etcd_debugging_mvcc_watcher_total",
                "Total number of watchers.",
            ),
            slow_watchers: gauge(
                &registry,
                "etcd_debugging_mvcc_slow_watcher_total",
                "Total number of unsynced slow watchers.",
            ),
            watch_streams: gauge(
                &registry,
                "etcd_debugging_mvcc_watch_stream_total",
                "Total number of watch streams.",
            ),
            db_total_size: gauge(
                &registry,
                "etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.",
            ),
            db_in_use: gauge(
                &registry,
                "etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.",
            ),
            debugging_db_total_size: gauge(
                &registry,
                "etcd_debugging_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.",
            ),
            keys: gauge(
                &registry,
                "etcd_debugging_mvcc_keys_total",
                "Total number of keys.",
            ),
            compact_revision: gauge(
                &registry,
                "etcd_debugging_mvcc_compact_revision",
                "The revision of the last compaction in store.",
            ),
            is_learner: gauge(
                &registry,
                "etcd_server_is_learner",
                "Whether or not this member is a learner. 1 if is, 0 otherwise.",
            ),
            fd_used: gauge(
                &registry,
                "os_fd_used",
                "The number of used file descriptors.",
            ),
            fd_limit: gauge(&registry, "os_fd_limit", "The file descriptor limit."),
            auth_revision: gauge(
                &registry,
                "etcd_debugging_auth_revision",
                "The current revision of auth store.",
            ),
            quota,
            registry,
        }
    }

    /// Samples the member's state and renders every metric.
    pub fn render(&self, member: &Member) -> String {
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

/// Open file descriptors (entries of `/proc/self/fd`) and the soft limit on them, as etcd's
/// `os_fd_*` report them; 0 where the system does not say.
fn file_descriptors() -> (i64, i64) {
    let used = std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count() as i64);
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct we own.
    let limit = match unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } {
        0 => i64::try_from(limit.rlim_cur).unwrap_or(i64::MAX),
        _ => 0,
    };
    (used, limit)
}
