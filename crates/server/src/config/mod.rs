//! A member's configuration: etcd's server flags and their `ETCD_*` environment variables.

pub mod auth;
mod duration;
pub mod tls;

pub use duration::{go_duration_nanos, parse_go_duration};

use std::time::Duration;

use clap::Parser;

use auth::AuthFlags;
use tls::TlsFlags;

/// etcd's flags, with etcd's names, defaults and environment variables (flag `--foo-bar` reads
/// `ETCD_FOO_BAR`). Unknown flags are rejected with a clear error, as etcd does.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "oxcd",
    version,
    about = "oxcd: an etcd-compatible, Raft-replicated key-value store",
    // As with Go's flag package, which etcd uses, a repeated flag takes its last value.
    args_override_self = true
)]
pub struct Config {
    /// Human-readable name for this member.
    #[arg(long, env = "ETCD_NAME", default_value = "default")]
    pub name: String,
    /// Path to the data directory (default: ${name}.oxcd).
    #[arg(long, env = "ETCD_DATA_DIR")]
    pub data_dir: Option<String>,
    /// List of URLs to listen on for client traffic.
    #[arg(
        long,
        env = "ETCD_LISTEN_CLIENT_URLS",
        default_value = "http://localhost:2379"
    )]
    pub listen_client_urls: String,
    /// List of additional URLs to listen on that will respond to both the /metrics and /health
    /// endpoints.
    #[arg(long, env = "ETCD_LISTEN_METRICS_URLS")]
    pub listen_metrics_urls: Option<String>,
    /// Serve the dashboard under /ui/ on the client URLs (and on --listen-dashboard-urls).
    #[arg(
        long,
        env = "ETCD_DASHBOARD",
        action = clap::ArgAction::Set,
        num_args = 0..=1,
        default_value = "true",
        default_missing_value = "true"
    )]
    pub dashboard: bool,
    /// Additional URLs serving the dashboard with the HTTP API it uses (/v3/ gateway, /metrics,
    /// /health), without gRPC.
    #[arg(long, env = "ETCD_LISTEN_DASHBOARD_URLS")]
    pub listen_dashboard_urls: Option<String>,
    /// List of this member's client URLs to advertise to the public.
    #[arg(
        long,
        env = "ETCD_ADVERTISE_CLIENT_URLS",
        default_value = "http://localhost:2379"
    )]
    pub advertise_client_urls: String,
    /// List of URLs to listen on for peer traffic.
    #[arg(
        long,
        env = "ETCD_LISTEN_PEER_URLS",
        default_value = "http://localhost:2380"
    )]
    pub listen_peer_urls: String,
    /// List of this member's peer URLs to advertise to the rest of the cluster.
    #[arg(
        long,
        env = "ETCD_INITIAL_ADVERTISE_PEER_URLS",
        default_value = "http://localhost:2380"
    )]
    pub initial_advertise_peer_urls: String,
    /// Initial cluster configuration for bootstrapping (default: ${name}=${initial-advertise-peer-urls}).
    #[arg(long, env = "ETCD_INITIAL_CLUSTER")]
    pub initial_cluster: Option<String>,
    /// Initial cluster state ('new' or 'existing').
    #[arg(long, env = "ETCD_INITIAL_CLUSTER_STATE", default_value = "new",
          value_parser = ["new", "existing"])]
    pub initial_cluster_state: String,
    /// Initial cluster token for the etcd cluster during bootstrap.
    #[arg(
        long,
        env = "ETCD_INITIAL_CLUSTER_TOKEN",
        default_value = "etcd-cluster"
    )]
    pub initial_cluster_token: String,
    /// Number of committed transactions to trigger a snapshot to disk.
    #[arg(long, env = "ETCD_SNAPSHOT_COUNT", default_value_t = 10_000)]
    pub snapshot_count: u64,
    /// Number of entries for a slow follower to catch up after compacting the raft log entries.
    #[arg(long, env = "ETCD_SNAPSHOT_CATCHUP_ENTRIES", default_value_t = 5000)]
    pub snapshot_catchup_entries: u64,
    /// Time (in milliseconds) of a heartbeat interval.
    #[arg(long, env = "ETCD_HEARTBEAT_INTERVAL", default_value_t = 100)]
    pub heartbeat_interval: u64,
    /// Time (in milliseconds) for an election to timeout.
    #[arg(long, env = "ETCD_ELECTION_TIMEOUT", default_value_t = 1000)]
    pub election_timeout: u64,
    /// Whether to fast-forward initial election ticks on boot for faster election.
    #[arg(
        long,
        env = "ETCD_INITIAL_ELECTION_TICK_ADVANCE",
        action = clap::ArgAction::Set,
        num_args = 0..=1,
        default_value = "true",
        default_missing_value = "true"
    )]
    pub initial_election_tick_advance: bool,
    /// Maximum client request size in bytes the server will accept.
    #[arg(long, env = "ETCD_MAX_REQUEST_BYTES", default_value_t = 1_572_864)]
    pub max_request_bytes: u32,
    /// Maximum number of operations permitted in a transaction.
    #[arg(long, env = "ETCD_MAX_TXN_OPS", default_value_t = 128)]
    pub max_txn_ops: u32,
    /// Raise alarms when backend size exceeds the given quota (0 defaults to low space quota).
    #[arg(long, env = "ETCD_QUOTA_BACKEND_BYTES", default_value_t = 0)]
    pub quota_backend_bytes: i64,
    /// Currently only supports 'debug', 'info', 'warn', 'error', 'panic', or 'fatal'.
    #[arg(long, env = "ETCD_LOG_LEVEL", default_value = "info",
          value_parser = ["debug", "info", "warn", "error", "panic", "fatal"])]
    pub log_level: String,
    /// Path to the server configuration file (etcd's YAML keys). When given, other flags and
    /// environment variables are ignored, as etcd does.
    #[arg(long, env = "ETCD_CONFIG_FILE")]
    pub config_file: Option<String>,
    /// Accept etcd V2 client requests (etcd 3.4's v2 keys API on the client URLs).
    #[arg(long, env = "ETCD_ENABLE_V2", num_args = 0..=1, default_missing_value = "true")]
    pub enable_v2: Option<bool>,
    /// Comma-separated white list of origins for CORS, or cross-origin resource sharing, (empty
    /// or * means allow all).
    #[arg(long, env = "ETCD_CORS", default_value = "*")]
    pub cors: String,
    /// Interval at which the leader checkpoints the remaining TTL of long leases, so a restart or
    /// a new leader does not grant them their full TTL again (Go duration, e.g. 5m0s).
    #[arg(long, env = "ETCD_EXPERIMENTAL_LEASE_CHECKPOINT_INTERVAL", default_value = "5m0s",
          value_parser = parse_go_duration)]
    pub experimental_lease_checkpoint_interval: Duration,
    /// Duration of periodic watch progress notifications (Go duration, e.g. 10m0s).
    #[arg(long, env = "ETCD_EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL", default_value = "10m0s",
          value_parser = parse_go_duration)]
    pub experimental_watch_progress_notify_interval: Duration,
    /// Check data corruption against the other members before serving client requests.
    #[arg(long, env = "ETCD_EXPERIMENTAL_INITIAL_CORRUPT_CHECK", num_args = 0..=1,
          default_missing_value = "true", default_value = "false")]
    pub experimental_initial_corrupt_check: bool,
    /// Interval between the leader's corruption checks against the other members (0 = off).
    #[arg(long, alias = "corrupt-check-time", env = "ETCD_EXPERIMENTAL_CORRUPT_CHECK_TIME",
          default_value = "0s", value_parser = parse_go_duration)]
    pub experimental_corrupt_check_time: Duration,
    /// Interpret 'auto-compaction-retention' one of: periodic|revision. 'periodic' for duration
    /// based retention, defaulting to hours if no time unit is provided (e.g. '5m'). 'revision'
    /// for revision number based retention.
    #[arg(long, env = "ETCD_AUTO_COMPACTION_MODE", default_value = "periodic",
          value_parser = ["periodic", "revision"])]
    pub auto_compaction_mode: String,
    /// Auto compaction retention for mvcc key value store. 0 means disable auto compaction.
    #[arg(long, env = "ETCD_AUTO_COMPACTION_RETENTION", default_value = "0")]
    pub auto_compaction_retention: String,
    /// Set level of detail for exported metrics, specify 'extensive' to include server side grpc
    /// histogram metrics
    #[arg(long, env = "ETCD_METRICS", default_value = "basic",
          value_parser = ["basic", "extensive"])]
    pub metrics: String,
    #[command(flatten)]
    pub tls: TlsFlags,
    #[command(flatten)]
    pub auth: AuthFlags,
}

impl Config {
    /// Parses flags and `ETCD_*` variables, then checks the values that clap cannot.
    /// Errors (help and version requests among them) are clap's, so `err.exit()` prints them the
    /// usual way.
    pub fn from_args<I, T>(args: I) -> Result<Config, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let mut config = Config::try_parse_from(args)?;
        if let Some(path) = config.config_file.clone() {
            let args = config_file_args(&path).map_err(|msg| {
                clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("{msg}\n"))
            })?;
            config = Config::try_parse_from(args)?;
            config.config_file = Some(path);
        }
        config.validate().map_err(|msg| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("{msg}\n"))
        })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if self.heartbeat_interval == 0 {
            return Err("--heartbeat-interval must be > 0 (set to 0ms)".into());
        }
        if self.election_timeout < 5 * self.heartbeat_interval {
            return Err(format!(
                "--election-timeout[{}ms] should be at least as 5 times as --heartbeat-interval[{}ms]",
                self.election_timeout, self.heartbeat_interval
            ));
        }
        if self.election_timeout > 50_000 {
            return Err(format!(
                "--election-timeout[{}ms] is too long, and should be set less than 50000ms",
                self.election_timeout
            ));
        }
        for (flag, urls) in [
            ("--listen-client-urls", &self.listen_client_urls),
            ("--advertise-client-urls", &self.advertise_client_urls),
            ("--listen-peer-urls", &self.listen_peer_urls),
            (
                "--initial-advertise-peer-urls",
                &self.initial_advertise_peer_urls,
            ),
        ] {
            parse_urls(urls).map_err(|e| format!("invalid value for {flag}: {e}"))?;
        }
        if let Some(urls) = self.metrics_urls() {
            parse_urls(urls)
                .map_err(|e| format!("invalid value for --listen-metrics-urls: {e}"))?;
        }
        if let Some(urls) = self.dashboard_urls() {
            parse_urls(urls)
                .map_err(|e| format!("invalid value for --listen-dashboard-urls: {e}"))?;
        }
        self.initial_members()?;
        self.auto_compaction()?;
        Ok(())
    }

    /// `--listen-dashboard-urls`, unless empty or the dashboard is off.
    pub fn dashboard_urls(&self) -> Option<&str> {
        self.listen_dashboard_urls
            .as_deref()
            .filter(|u| self.dashboard && !u.is_empty())
    }

    /// `--listen-metrics-urls`, unless empty.
    pub fn metrics_urls(&self) -> Option<&str> {
        self.listen_metrics_urls
            .as_deref()
            .filter(|u| !u.is_empty())
    }

    /// The data dir, defaulting to `<name>.oxcd` as etcd defaults to `<name>.etcd`.
    pub fn data_dir(&self) -> String {
        self.data_dir
            .clone()
            .unwrap_or_else(|| format!("{}.oxcd", self.name))
    }

    pub fn heartbeat(&self) -> Duration {
        Duration::from_millis(self.heartbeat_interval)
    }

    /// Election ticks, as etcd computes them: election timeout over heartbeat interval.
    pub fn election_ticks(&self) -> usize {
        (self.election_timeout / self.heartbeat_interval) as usize
    }

    /// `--initial-cluster` as (name, peer URLs) in the order given; a name may repeat with several URLs.
    pub fn initial_members(&self) -> Result<Vec<(String, Vec<String>)>, String> {
        let spec = match &self.initial_cluster {
            Some(spec) => spec.clone(),
            None => format!("{}={}", self.name, self.initial_advertise_peer_urls),
        };
        let mut members: Vec<(String, Vec<String>)> = Vec::new();
        for part in spec.split(',').filter(|p| !p.is_empty()) {
            let (name, url) = part
                .split_once('=')
                .ok_or_else(|| format!("--initial-cluster: {part:?} is not in name=url form"))?;
            parse_urls(url).map_err(|e| format!("--initial-cluster: {e}"))?;
            match members.iter_mut().find(|(n, _)| n == name) {
                Some((_, urls)) => urls.push(url.to_string()),
                None => members.push((name.to_string(), vec![url.to_string()])),
            }
        }
        let own = members.iter().find(|(n, _)| *n == self.name);
        let Some((_, own_urls)) = own else {
            return Err(format!(
                "couldn't find local name {:?} in the initial cluster configuration",
                self.name
            ));
        };
        let mut advertised = parse_urls(&self.initial_advertise_peer_urls)?;
        let mut listed = own_urls.clone();
        advertised.sort();
        listed.sort();
        if advertised != listed {
            return Err(format!(
                "--initial-cluster has {}={} but missing from --initial-advertise-peer-urls={} (\"{}\"(resolved from {:?}) != \"{}\"(resolved from {:?}))",
                self.name,
                listed.join(","),
                advertised.join(","),
                advertised.join(","),
                advertised,
                listed.join(","),
                listed
            ));
        }
        Ok(members)
    }
}

/// etcd's default backend quota (`--quota-backend-bytes 0`).
pub const DEFAULT_QUOTA_BYTES: i64 = 2 << 30;
/// The largest quota etcd recommends; more is allowed, with a warning.
pub const MAX_QUOTA_BYTES: i64 = 8 << 30;

/// gRPC framing allowed on top of `--max-request-bytes` (etcd's grpcOverheadBytes).
const GRPC_OVERHEAD_BYTES: usize = 512 * 1024;

impl Config {
    /// The largest gRPC message a client may send, which is also where a fragmenting watch's
    /// responses are cut (etcd's `MaxRequestBytesWithOverhead`).
    pub fn max_request_bytes_with_overhead(&self) -> usize {
        self.max_request_bytes as usize + GRPC_OVERHEAD_BYTES
    }

    /// The backend quota in bytes: `None` when disabled (negative), etcd's default for 0.
    pub fn backend_quota(&self) -> Option<i64> {
        match self.quota_backend_bytes {
            q if q < 0 => None,
            0 => Some(DEFAULT_QUOTA_BYTES),
            q => Some(q),
        }
    }
}

/// What `--auto-compaction-mode` and `--auto-compaction-retention` ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoCompaction {
    /// Keep this much history (etcd's periodic compactor).
    Periodic(Duration),
    /// Keep this many revisions.
    Revision(i64),
}

impl Config {
    /// etcd's reading of the retention (`parseCompactionRetention`): a whole number is hours
    /// (periodic) or revisions; anything else a Go duration. `None` when it is zero (off).
    pub fn auto_compaction(&self) -> Result<Option<AutoCompaction>, String> {
        let retention = self.auto_compaction_retention.as_str();
        let periodic = self.auto_compaction_mode == "periodic";
        let invalid = |e: String| format!("error parsing CompactionRetention: {e}");
        let parsed = match retention.parse::<i64>() {
            Ok(0) => return Ok(None),
            Ok(hours) if hours > 0 && periodic => {
                let seconds = (hours as u64)
                    .checked_mul(3600)
                    .ok_or_else(|| invalid(format!("{hours} hours is too long")))?;
                AutoCompaction::Periodic(Duration::from_secs(seconds))
            }
            Ok(revisions) if revisions > 0 => AutoCompaction::Revision(revisions),
            // Not a whole number of hours or revisions (etcd's strconv.Atoi failed): a duration.
            _ => {
                let duration = parse_go_duration(retention).map_err(invalid)?;
                match periodic {
                    _ if duration.is_zero() => return Ok(None),
                    // A period the compactor could not divide into ticks (etcd divides by zero).
                    true if duration.as_nanos() < 10 => {
                        return Err(invalid(format!("period {retention} is too short")))
                    }
                    true => AutoCompaction::Periodic(duration),
                    // etcd takes a duration's nanoseconds as the revision count here.
                    false => AutoCompaction::Revision(duration.as_nanos() as i64),
                }
            }
        };
        Ok(Some(parsed))
    }
}

/// Turns an etcd YAML config file into the equivalent flags. Keys oxcd does not know (etcd has
/// many, e.g. TLS sections) are skipped with a warning rather than refused, so an existing etcd
/// config file starts oxcd.
fn config_file_args(path: &str) -> Result<Vec<String>, String> {
    use clap::CommandFactory;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config file {path}: {e}"))?;
    let map: std::collections::BTreeMap<String, serde_yaml_ng::Value> =
        serde_yaml_ng::from_str(&text)
            .map_err(|e| format!("error parsing config file {path}: {e}"))?;
    let command = Config::command();
    let known: Vec<String> = command
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_string))
        .collect();
    let mut args = vec!["oxcd".to_string()];
    for (key, value) in map {
        if key == "config-file" {
            continue;
        }
        if let serde_yaml_ng::Value::Mapping(section) = &value {
            for (inner, inner_value) in section {
                let inner = inner.as_str().unwrap_or_default();
                match tls::yaml_section_flag(&key, inner) {
                    Some(flag) => {
                        if let Some(value) = yaml_scalar(path, inner, inner_value)? {
                            args.push(format!("--{flag}={value}"));
                        }
                    }
                    None => eprintln!(
                        "oxcd: ignoring config file key {key:?}.{inner:?}, which oxcd does not support yet"
                    ),
                }
            }
            continue;
        }
        if !known.contains(&key) {
            eprintln!("oxcd: ignoring config file key {key:?}, which oxcd does not support yet");
            continue;
        }
        if let Some(value) = yaml_scalar(path, &key, &value)? {
            args.push(format!("--{key}={value}"));
        }
    }
    Ok(args)
}

/// A YAML value as a flag value; `None` for null.
fn yaml_scalar(
    path: &str,
    key: &str,
    value: &serde_yaml_ng::Value,
) -> Result<Option<String>, String> {
    Ok(Some(match value {
        serde_yaml_ng::Value::Null => return Ok(None),
        serde_yaml_ng::Value::String(s) => s.clone(),
        serde_yaml_ng::Value::Bool(b) => b.to_string(),
        serde_yaml_ng::Value::Number(n) => n.to_string(),
        other => {
            return Err(format!(
                "config file {path}: {key} has an unsupported value {other:?}"
            ))
        }
    }))
}

/// Splits a comma-separated URL list, accepting the schemes etcd accepts.
pub fn parse_urls(list: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for url in list.split(',').map(str::trim).filter(|u| !u.is_empty()) {
        let rest = ["http://", "https://", "unix://", "unixs://"]
            .iter()
            .find_map(|scheme| url.strip_prefix(scheme))
            .ok_or_else(|| format!("URL scheme must be http, https, unix, or unixs: {url}"))?;
        if rest.is_empty() {
            return Err(format!(
                "URL address does not have the form \"host:port\": {url}"
            ));
        }
        out.push(url.to_string());
    }
    if out.is_empty() {
        return Err("no valid URLs given".into());
    }
    Ok(out)
}

/// The socket address part of a URL, e.g. `127.0.0.1:2379` of `http://127.0.0.1:2379`.
pub fn url_host_port(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        Config::from_args(std::iter::once("oxcd").chain(args.iter().copied()))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_match_etcd() {
        let c = parse(&[]).unwrap();
        assert_eq!(c.data_dir(), "default.oxcd");
        assert_eq!(c.snapshot_count, 10_000);
        assert_eq!(c.max_request_bytes, 1_572_864);
        assert_eq!(c.max_txn_ops, 128);
        assert_eq!(c.election_ticks(), 10);
        assert!(c.initial_election_tick_advance);
        for off in [
            &["--initial-election-tick-advance=false"][..],
            &["--initial-election-tick-advance", "false"],
        ] {
            assert!(
                !parse(off).unwrap().initial_election_tick_advance,
                "{off:?}"
            );
        }
        assert_eq!(
            c.initial_members().unwrap(),
            vec![(
                "default".to_string(),
                vec!["http://localhost:2380".to_string()]
            )]
        );
    }

    #[test]
    fn auto_compaction_retention_reads_as_etcd_reads_it() {
        let mode = |m: &str, r: &str| {
            parse(&[
                "--auto-compaction-mode",
                m,
                "--auto-compaction-retention",
                r,
            ])
        };
        assert_eq!(parse(&[]).unwrap().auto_compaction(), Ok(None));
        let hours = mode("periodic", "1").unwrap();
        assert_eq!(
            hours.auto_compaction(),
            Ok(Some(AutoCompaction::Periodic(Duration::from_secs(3600))))
        );
        let minutes = mode("periodic", "30m").unwrap();
        assert_eq!(
            minutes.auto_compaction(),
            Ok(Some(AutoCompaction::Periodic(Duration::from_secs(1800))))
        );
        let revisions = mode("revision", "1000").unwrap();
        assert_eq!(
            revisions.auto_compaction(),
            Ok(Some(AutoCompaction::Revision(1000)))
        );
        assert_eq!(mode("periodic", "0s").unwrap().auto_compaction(), Ok(None));
        let bad = mode("periodic", "soon").unwrap_err();
        assert!(bad.contains("error parsing CompactionRetention"), "{bad}");
        // Hours that overflow, revisions past i64, and periods too short to tick are refused.
        for retention in ["9223372036854775807", "18446744073709551616", "5ns"] {
            let err = mode("periodic", retention).unwrap_err();
            assert!(
                err.contains("error parsing CompactionRetention"),
                "{retention}: {err}"
            );
        }
        assert!(mode("revision", "18446744073709551616").is_err());
        assert!(mode("hourly", "1").is_err());
    }

    #[test]
    fn unknown_flag_and_bad_values_are_rejected() {
        assert!(parse(&["--no-such-flag"])
            .unwrap_err()
            .contains("--no-such-flag"));
        assert!(parse(&["--snapshot-count", "x"]).is_err());
        assert!(parse(&["--initial-cluster-state", "weird"]).is_err());
        assert!(parse(&["--listen-client-urls", "ftp://x:1"])
            .unwrap_err()
            .contains("scheme"));
        assert!(parse(&["--election-timeout", "200"])
            .unwrap_err()
            .contains("5 times"));
        assert!(parse(&["--name", "a", "--initial-cluster", "b=http://h:1"])
            .unwrap_err()
            .contains("couldn't find local name"));
    }

    #[test]
    fn initial_cluster_groups_urls_by_name() {
        let c = parse(&[
            "--name",
            "a",
            "--initial-advertise-peer-urls",
            "http://h1:2380",
            "--initial-cluster",
            "a=http://h1:2380,b=http://h2:2380,b=http://h3:2380",
        ])
        .unwrap();
        let members = c.initial_members().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].1, vec!["http://h2:2380", "http://h3:2380"]);
    }

    #[test]
    fn the_dashboard_is_on_unless_turned_off_and_its_urls_are_checked() {
        let on = parse(&[]).unwrap();
        assert!(on.dashboard && on.dashboard_urls().is_none());
        assert!(!parse(&["--dashboard=false"]).unwrap().dashboard);
        assert!(parse(&["--dashboard"]).unwrap().dashboard);
        let urls = ["--listen-dashboard-urls", "http://127.0.0.1:8080"];
        assert_eq!(
            parse(&urls).unwrap().dashboard_urls(),
            Some("http://127.0.0.1:8080")
        );
        // Turned off, it is served nowhere.
        let off = parse(&[urls[0], urls[1], "--dashboard=false"]).unwrap();
        assert_eq!(off.dashboard_urls(), None);
        let bad = parse(&["--listen-dashboard-urls", "localhost:8080"]).unwrap_err();
        assert!(bad.contains("--listen-dashboard-urls"), "{bad}");
    }

    #[test]
    fn enable_v2_accepts_bare_and_valued_forms() {
        assert_eq!(parse(&["--enable-v2"]).unwrap().enable_v2, Some(true));
        assert_eq!(
            parse(&["--enable-v2=false"]).unwrap().enable_v2,
            Some(false)
        );
    }

    #[test]
    fn config_file_uses_etcds_keys_and_skips_unknown_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("etcd.yaml");
        std::fs::write(
            &path,
            "name: 'm1'\ndata-dir: /tmp/m1\nsnapshot-count: 500\nenable-v2: true\n\
             initial-cluster: m1=http://localhost:2380\nauto-compaction-retention: '1'\n",
        )
        .unwrap();
        let c = parse(&["--config-file", path.to_str().unwrap(), "--name", "ignored"]).unwrap();
        assert_eq!(
            (c.name.as_str(), c.data_dir().as_str(), c.snapshot_count),
            ("m1", "/tmp/m1", 500)
        );
        std::fs::write(&path, "snapshot-count: many\n").unwrap();
        assert!(parse(&["--config-file", path.to_str().unwrap()]).is_err());
    }

    #[test]
    fn tls_flags_and_their_yaml_sections_name_the_same_settings() {
        let c = parse(&[
            "--cert-file=/c.pem",
            "--key-file",
            "/k.pem",
            "--client-cert-auth",
            "--trusted-ca-file=/ca.pem",
            "--peer-auto-tls=true",
            "--peer-cert-allowed-cn=etcd-peer",
        ])
        .unwrap();
        let client = c.tls.client();
        assert_eq!(
            (client.cert_file.as_deref(), client.key_file.as_deref()),
            (Some("/c.pem"), Some("/k.pem"))
        );
        assert!(client.client_cert_auth && client.has_certificate());
        let peer = c.tls.peer();
        assert!(peer.auto_tls && peer.has_certificate() && !peer.client_cert_auth);
        assert_eq!(peer.allowed_cn.as_deref(), Some("etcd-peer"));
        assert_eq!(c.tls.tls_min_version, "TLS1.2");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("etcd.yaml");
        std::fs::write(
            &path,
            "listen-metrics-urls: http://127.0.0.1:2381\n\
             client-transport-security:\n  cert-file: /c.pem\n  key-file: /k.pem\n  \
             client-cert-auth: true\n  trusted-ca-file: /ca.pem\n\
             peer-transport-security:\n  cert-file: /p.pem\n  key-file: /pk.pem\n  \
             allowed-cn: etcd-peer\n  auto-tls: false\n",
        )
        .unwrap();
        let from_file = parse(&["--config-file", path.to_str().unwrap()]).unwrap();
        assert_eq!(from_file.tls.client(), client);
        assert_eq!(from_file.tls.peer().cert_file.as_deref(), Some("/p.pem"));
        assert_eq!(
            from_file.tls.peer().allowed_cn.as_deref(),
            Some("etcd-peer")
        );
        assert_eq!(from_file.metrics_urls(), Some("http://127.0.0.1:2381"));
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("5m0s"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_go_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_go_duration("300ms"), Ok(Duration::from_millis(300)));
        assert_eq!(parse_go_duration("0"), Ok(Duration::ZERO));
        assert!(parse_go_duration("5").is_err());
        assert!(parse_go_duration("s").is_err());
        assert_eq!(
            parse(&[]).unwrap().experimental_lease_checkpoint_interval,
            Duration::from_secs(300)
        );
    }

    #[test]
    fn url_host_port_strips_scheme_and_path() {
        assert_eq!(url_host_port("http://127.0.0.1:2379"), "127.0.0.1:2379");
        assert_eq!(url_host_port("https://h:1/x"), "h:1");
    }
}
