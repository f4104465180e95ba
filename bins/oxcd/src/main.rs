//! `oxcd`: the server. Parses etcd's flags, starts one member and serves until SIGINT or SIGTERM.

use oxcd_server::Config;

fn main() {
    let config = Config::from_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    oxcd_server::logging::init(&config.log_level);
    let runtime = oxcd_server::runtime().expect("tokio runtime");
    let signal = runtime.block_on(async move {
        let mut stop = oxcd_server::signals::StopSignals::install();
        // A stop while starting (a member may wait long for its cluster) ends the start.
        let started = tokio::select! {
            started = oxcd_server::start(config) => started,
            signal = stop.wait() => return signal,
        };
        let member = match started {
            Ok(member) => member,
            Err(e) => {
                tracing::error!(error = %e, "failed to start");
                eprintln!("oxcd: {e}");
                std::process::exit(1);
            }
        };
        let signal = stop.wait().await;
        tracing::info!(signal, "received signal; shutting down");
        member.transfer_leadership_for_stop().await;
        member.sync_backend().await;
        signal
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    oxcd_server::signals::die_by(signal);
}
