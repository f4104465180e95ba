//! One oxcd member: configuration, the raft node loop, the applier, and the client APIs.

pub mod api {
    pub mod election;
    pub mod gateway;
    pub mod grpc;
    pub mod http;
    pub mod lease;
    pub mod lock;
    pub mod validate;
}
pub mod alarms;
pub mod apply;
pub mod config;
pub mod corruption;
pub mod error;
pub mod h2_authority;
pub mod identity;
pub mod lease;
pub mod logging;
pub mod member;
pub mod membership;
pub mod metrics;
pub mod peer;
pub mod raft_node;
pub mod serve;
pub mod signals;
pub mod watch;

use std::sync::Arc;

pub use config::Config;
pub use member::Member;

/// Starts a member and serves its client URLs; returns once it is serving.
pub async fn start(config: Config) -> Result<Arc<Member>, String> {
    let listeners = serve::bind_client_urls(&config.listen_client_urls).await?;
    let peer_listeners = serve::bind_peer_urls(&config.listen_peer_urls).await?;
    let member = Member::start(config)?;
    serve::serve_peers(&member, peer_listeners);
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
    serve::serve(member.clone(), listeners);
    tracing::info!(
        cluster_version = &member::CLUSTER_VERSION[..3],
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
