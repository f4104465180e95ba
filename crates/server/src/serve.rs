//! The client listeners: gRPC and HTTP share each `--listen-client-urls` socket, as in etcd. A
//! request whose content type is `application/grpc*` goes to the gRPC services, anything else to
//! the HTTP router. Plain TCP and `unix://` sockets are accepted.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use oxcd_proto::etcdserverpb::{
    auth_server::AuthServer, cluster_server::ClusterServer, kv_server::KvServer,
    lease_server::LeaseServer, maintenance_server::MaintenanceServer, watch_server::WatchServer,
};
use oxcd_proto::health::health_server::HealthServer;
use oxcd_proto::v3electionpb::election_server::ElectionServer;
use oxcd_proto::v3lockpb::lock_server::LockServer;
use tokio::io::{AsyncRead, AsyncWrite};
use tower::ServiceExt;

use crate::api::election::ElectionService;
use crate::api::grpc::{
    ClusterService, HealthService, KvService, MaintenanceService, WatchService,
};
use crate::api::http;
use crate::api::lease::LeaseService;
use crate::api::lock::LockService;
use crate::config::{parse_urls, url_host_port};
use crate::member::Member;

/// gRPC framing on top of `--max-request-bytes`, as etcd allows (grpcOverheadBytes).
const GRPC_OVERHEAD_BYTES: usize = 512 * 1024;

/// Services whose methods later work implements; their generated stubs answer Unimplemented.
struct Pending;
impl oxcd_proto::etcdserverpb::auth_server::Auth for Pending {}

fn grpc_router(member: &Arc<Member>) -> Router {
    let max_recv = member.config.max_request_bytes as usize + GRPC_OVERHEAD_BYTES;
    macro_rules! svc {
        ($server:ident, $inner:expr) => {
            $server::new($inner)
                .max_decoding_message_size(max_recv)
                .max_encoding_message_size(usize::MAX)
        };
    }
    tonic::service::Routes::new(svc!(KvServer, KvService(member.clone())))
        .add_service(svc!(MaintenanceServer, MaintenanceService(member.clone())))
        .add_service(svc!(ClusterServer, ClusterService(member.clone())))
        .add_service(svc!(HealthServer, HealthService(member.clone())))
        .add_service(svc!(WatchServer, WatchService(member.clone())))
        .add_service(svc!(LeaseServer, LeaseService(member.clone())))
        .add_service(svc!(AuthServer, Pending))
        .add_service(svc!(LockServer, LockService(member.clone())))
        .add_service(svc!(ElectionServer, ElectionService(member.clone())))
        .into_axum_router()
}

/// Binds every `--listen-peer-urls` URL.
pub async fn bind_peer_urls(urls: &str) -> Result<Vec<tokio::net::TcpListener>, String> {
    let mut listeners = Vec::new();
    for url in parse_urls(urls)? {
        let l = tokio::net::TcpListener::bind(url_host_port(&url))
            .await
            .map_err(|e| format!("listen on {url}: {e}"))?;
        listeners.push(l);
    }
    Ok(listeners)
}

/// Serves the peer protocol (raft messages) on the peer listeners.
pub fn serve_peers(member: &Arc<Member>, listeners: Vec<tokio::net::TcpListener>) {
    for listener in listeners {
        let service = member.peer_service().into_server();
        tokio::spawn(async move {
            let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
            let result = tonic::transport::Server::builder()
                .tcp_nodelay(true)
                .add_service(service)
                .serve_with_incoming(incoming)
                .await;
            if let Err(e) = result {
                tracing::error!(error = %e, "peer listener stopped");
            }
        });
    }
}

/// The bound client listeners, ready to serve.
pub struct ClientListeners {
    tcp: Vec<(String, tokio::net::TcpListener)>,
    unix: Vec<(String, tokio::net::UnixListener)>,
}

/// Binds every `--listen-client-urls` URL, failing fast (before raft starts) on a busy port.
pub async fn bind_client_urls(urls: &str) -> Result<ClientListeners, String> {
    let mut listeners = ClientListeners {
        tcp: vec![],
        unix: vec![],
    };
    for url in parse_urls(urls)? {
        if let Some(path) = url
            .strip_prefix("unix://")
            .or_else(|| url.strip_prefix("unixs://"))
        {
            let _ = std::fs::remove_file(path);
            let l = tokio::net::UnixListener::bind(path)
                .map_err(|e| format!("listen on {url}: {e}"))?;
            listeners.unix.push((url, l));
            continue;
        }
        let addr = url_host_port(&url);
        let l = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("listen on {url}: {e}"))?;
        listeners.tcp.push((url, l));
    }
    Ok(listeners)
}

/// Serves gRPC and HTTP on every listener until the process ends.
pub fn serve(member: Arc<Member>, listeners: ClientListeners) {
    let grpc = grpc_router(&member);
    let http = http::router(member);
    for (url, listener) in listeners.tcp {
        let (grpc, http) = (grpc.clone(), http.clone());
        tracing::info!(address = %url, "serving client traffic insecurely; this is strongly discouraged!");
        tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        spawn_connection(
                            crate::h2_authority::AuthorityFixer::new(stream),
                            grpc.clone(),
                            http.clone(),
                        );
                    }
                    Err(e) => tracing::warn!(error = %e, "accept failed"),
                }
            }
        });
    }
    for (url, listener) in listeners.unix {
        let (grpc, http) = (grpc.clone(), http.clone());
        tracing::info!(address = %url, "serving client traffic on a unix socket");
        tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => spawn_connection(
                        crate::h2_authority::AuthorityFixer::new(stream),
                        grpc.clone(),
                        http.clone(),
                    ),
                    Err(e) => tracing::warn!(error = %e, "accept failed"),
                }
            }
        });
    }
}

fn spawn_connection<S>(stream: S, grpc: Router, http: Router)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
        let (grpc, http) = (grpc.clone(), http.clone());
        async move {
            let is_grpc = req
                .headers()
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("application/grpc"));
            let req = req.map(Body::new);
            let resp = if is_grpc {
                grpc.oneshot(req).await
            } else {
                http.oneshot(req).await
            };
            Ok::<_, Infallible>(resp.unwrap_or_else(|never| match never {}))
        }
    });
    tokio::spawn(async move {
        let builder = auto::Builder::new(TokioExecutor::new());
        if let Err(e) = builder
            .serve_connection(TokioIo::new(stream), service)
            .await
        {
            tracing::debug!(error = %e, "client connection ended with an error");
        }
    });
}
