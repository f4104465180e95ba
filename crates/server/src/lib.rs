//! One oxcd member: configuration, the raft node loop, the applier, and the client APIs.
//!
//! The layers, from the bottom: the foundation (`config`, `identity`, `error`, `version`,
//! `messages`, `status`, `logging`, `signals`, `transport`), the state machine (`state`), the
//! watch hub (`watch`), consensus (`consensus`), the running member (`member`), the services
//! (`api`) and the HTTP surfaces (`http`). A module imports only from its own layer or below;
//! `start` here puts them together. `tests/architecture.rs` holds the code to this.

pub mod api;
pub mod config;
pub mod consensus;
pub mod error;
pub mod failpoint;
pub mod http;
pub mod identity;
pub mod logging;
pub mod member;
pub mod messages;
pub mod metrics;
pub mod signals;
pub mod state;
pub mod status;
pub mod transport;
pub mod version;
pub mod watch;

#[cfg(test)]
mod sim;

use std::path::Path;
use std::sync::Arc;

pub use config::Config;
pub use member::Member;

use config::{parse_urls, url_host_port};
use member::corruption;
use transport::tls::{self, TlsPolicy};
use transport::{listen, serve};

/// The TLS configurations of the client side (client and metrics URLs) and the peer side, each
/// `None` when its URLs are all plaintext. Built before anything listens: a TLS URL without a
/// certificate, an unreadable file or a bad option stops the start.
type TlsConfigs = (
    Option<Arc<rustls::ServerConfig>>,
    Option<Arc<rustls::ServerConfig>>,
);

fn tls_configs(config: &Config) -> Result<TlsConfigs, String> {
    let policy = TlsPolicy::from_flags(&config.tls)?;
    let fixtures = Path::new(&config.data_dir()).join("fixtures");
    let years = config.tls.self_signed_cert_validity;
    let mut client_urls = parse_urls(&config.listen_client_urls)?;
    if let Some(metrics) = config.metrics_urls() {
        client_urls.extend(parse_urls(metrics)?);
    }
    if let Some(dashboard) = config.dashboard_urls() {
        client_urls.extend(parse_urls(dashboard)?);
    }
    let client = tls::for_urls(
        &policy,
        &config.tls.client(),
        &client_urls,
        &fixtures.join("client"),
        years,
        |url| {
            format!("TLS key/cert (--cert-file, --key-file) must be provided for client url {url} with HTTPS scheme")
        },
    )?;
    let peer = tls::for_urls(
        &policy,
        &config.tls.peer(),
        &parse_urls(&config.listen_peer_urls)?,
        &fixtures.join("peer"),
        years,
        |url| {
            format!(
                "cannot listen on TLS for {}: KeyFile and CertFile are not presented",
                url_host_port(url)
            )
        },
    )?;
    Ok((client, peer))
}

/// The runtime a member runs on. Every write passes through two threads of the member's own, the
/// raft node loop and the applier, besides the async workers that speak to clients; with a
/// worker per core as well, a lone request's hand-offs wait for cores the idle workers woke
/// each other onto. So one core is left to those two threads: one worker fewer than the cores,
/// at least one. On two cores a lone client's put took 0.30–0.35 ms instead of 0.40–0.41 (1 and
/// 3 members alike), for 3–10% less throughput under 64–256 clients sharing the two cores with
/// the load generator (docs/PERFORMANCE.md). `TOKIO_WORKER_THREADS`, read by tokio, still sets
/// the count.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        builder.worker_threads(async_workers(cores));
    }
    builder.enable_all().build()
}

fn async_workers(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

/// Starts a member and serves its client URLs; returns once it is serving.
pub async fn start(config: Config) -> Result<Arc<Member>, String> {
    let (client_tls, peer_tls) = tls_configs(&config)?;
    let listeners = listen::bind_urls(&config.listen_client_urls).await?;
    let metrics_listeners = match config.metrics_urls() {
        Some(urls) => listen::bind_urls(urls).await?,
        None => Vec::new(),
    };
    let dashboard_listeners = match config.dashboard_urls() {
        Some(urls) => listen::bind_urls(urls).await?,
        None => Vec::new(),
    };
    let peer_listeners = listen::bind_urls(&config.listen_peer_urls).await?;
    let member = Member::start(config)?;
    serve::serve_peers(
        member.peer_service().into_server(),
        peer_listeners,
        peer_tls,
    )?;
    member.publish().await;
    if member.config.experimental_initial_corrupt_check {
        corruption::initial_check(&member).await?;
    }
    if !member.config.experimental_corrupt_check_time.is_zero() {
        tokio::spawn(corruption::run_periodic(
            member.clone(),
            member.config.experimental_corrupt_check_time,
        ));
    }
    serve::serve_clients(
        listeners,
        client_tls.clone(),
        Some(api::grpc::handler(&member)),
        http::router::router(member.clone()),
    )?;
    // The dashboard URLs serve it with the HTTP API it calls, on its own origin.
    serve::serve_clients(
        dashboard_listeners,
        client_tls.clone(),
        None,
        http::router::router(member.clone()),
    )?;
    // The metrics URLs answer /metrics and /health only, as etcd's do.
    serve::serve_clients(
        metrics_listeners,
        client_tls,
        None,
        http::health::router(member.clone()),
    )?;
    tracing::info!(
        cluster_version = &version::CLUSTER_VERSION[..3],
        "enabled capabilities for version"
    );
    tracing::info!(
        name = %member.config.name,
        member_id = %format!("{:x}", member.id),
        cluster_id = %format!("{:x}", member.cluster_id),
        "ready to serve client requests"
    );
    Ok(member)
}

#[cfg(test)]
mod tests {
    use super::async_workers;

    #[test]
    fn the_raft_and_apply_threads_keep_a_core_of_their_own() {
        assert_eq!(async_workers(1), 1);
        assert_eq!(async_workers(2), 1);
        assert_eq!(async_workers(8), 7);
    }
}
