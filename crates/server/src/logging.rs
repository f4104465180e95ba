//! Structured JSON logs on stderr, one object per line with etcd's field names (`level`, `ts`, `msg`).

use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

/// Installs the global logger at etcd's `--log-level` (panic and fatal log as error).
pub fn init(level: &str) {
    let level = match level {
        "debug" => "debug",
        "info" => "info",
        "warn" => "warn",
        _ => "error",
    };
    let filter = EnvFilter::try_from_env("OXCD_LOG").unwrap_or_else(|_| {
        EnvFilter::new(format!("{level},raft=warn,h2=warn,hyper=warn,tower=warn"))
    });
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_span_events(FmtSpan::NONE)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .try_init();
}
