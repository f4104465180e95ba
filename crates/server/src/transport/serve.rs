//! Serving accepted connections. On each `--listen-client-urls` socket gRPC and HTTP share the
//! port, as in etcd: a request whose content type is `application/grpc*` goes to the gRPC
//! router, anything else to the HTTP router. Plain TCP and `unix://` sockets are accepted; every
//! connection passes the HTTP/2 `:authority` repair first (TLS will wrap the socket before it).

use std::convert::Infallible;

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite};
use tonic::server::NamedService;
use tower::{Service, ServiceExt};

use super::h2_authority::AuthorityFixer;
use super::listen::ClientListeners;

/// Serves the peer protocol (raft messages) on the peer listeners.
pub fn serve_peers<S>(service: S, listeners: Vec<tokio::net::TcpListener>)
where
    S: Service<
            Request<tonic::body::Body>,
            Response = axum::http::Response<tonic::body::Body>,
            Error = Infallible,
        > + NamedService
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    for listener in listeners {
        let service = service.clone();
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

/// Serves gRPC and HTTP on every listener until the process ends.
pub fn serve_clients(listeners: ClientListeners, grpc: Router, http: Router) {
    for (url, listener) in listeners.tcp {
        let (grpc, http) = (grpc.clone(), http.clone());
        tracing::info!(address = %url, "serving client traffic insecurely; this is strongly discouraged!");
        tokio::spawn(async move {
            loop {
                match listener.accept().await {
                    Ok((stream, _)) => {
                        let _ = stream.set_nodelay(true);
                        spawn_connection(AuthorityFixer::new(stream), grpc.clone(), http.clone());
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
                    Ok((stream, _)) => {
                        spawn_connection(AuthorityFixer::new(stream), grpc.clone(), http.clone())
                    }
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
