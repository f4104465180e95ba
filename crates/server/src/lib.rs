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
pub mod http;
pub mod identity;
pub mod logging;
pub mod member;
pub mod messages;
pub mod signals;
pub mod state;
pub mod status;
pub mod transport;
pub mod version;
pub mod watch;

use std::sync::Arc;

pub use config::Config;
pub use member::Member;

use member::corruption;
use transport::{listen, serve};

/// Starts a member and serves its client URLs; returns once it is serving.
pub async fn start(config: Config) -> Result<Arc<Member>, String> {
    let listeners = listen::bind_client_urls(&config.listen_client_urls).await?;
    let peer_listeners = listen::bind_peer_urls(&config.listen_peer_urls).await?;
    let member = Member::start(config)?;
    serve::serve_peers(member.peer_service().into_server(), peer_listeners);
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
        api::grpc::router(&member),
        http::router::router(member.clone()),
    );
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
